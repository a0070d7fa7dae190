#include "app/housekeeping.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace ah::app {

namespace {

using Clock = std::chrono::steady_clock;

// Runs one job; nothing it does (error or exception) reaches the loop.
void run_job(const HousekeepingJob& job) {
  try {
    auto done = job.run();
    if (done)
      spdlog::debug("housekeeping: {}: {}", job.name, *done);
    else if (done.error().detail.empty())
      spdlog::error("housekeeping: {} failed: {}", job.name, done.error().message);
    else
      spdlog::error("housekeeping: {} failed: {} ({})", job.name, done.error().message,
                    done.error().detail);
  } catch (const std::exception& e) {
    spdlog::error("housekeeping: {} failed: {}", job.name, e.what());
  } catch (...) {
    spdlog::error("housekeeping: {} failed with an unknown exception", job.name);
  }
}

}  // namespace

Housekeeping::Housekeeping(std::vector<HousekeepingJob> jobs) : jobs_(std::move(jobs)) {
  for (auto& job : jobs_) job.interval = std::max(job.interval, std::chrono::milliseconds(1));
  thread_ = std::thread([this] { loop(); });
}

Housekeeping::~Housekeeping() { stop(); }

void Housekeeping::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  std::call_once(joined_, [this] {
    thread_.join();
    for (const auto& job : jobs_)
      if (job.at_stop) run_job(job);
  });
}

void Housekeeping::loop() {
  if (jobs_.empty()) return;
  std::vector<Clock::time_point> due;
  for (const auto& job : jobs_) due.push_back(Clock::now() + job.interval);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    auto next = std::min_element(due.begin(), due.end());
    if (wake_.wait_until(lock, *next, [this] { return stopping_; })) return;
    if (Clock::now() < *next) continue;
    auto i = static_cast<std::size_t>(next - due.begin());
    // Unlocked while the job runs, so that stop() can say so; it then waits for the join.
    lock.unlock();
    run_job(jobs_[i]);
    due[i] = Clock::now() + jobs_[i].interval;
    lock.lock();
  }
}

}  // namespace ah::app
