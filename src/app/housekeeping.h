// Housekeeping: periodic jobs inside the server process (purging ended sessions and
// rate-limit windows now; decision deadlines and reminders later), on one thread of its own.
//
//   Housekeeping housekeeping({{"purge sessions", std::chrono::minutes(10),
//                               [&] { return sessions.purge_expired(unix_now()); }}});
//   server.run();
//   housekeeping.stop();  // also in the destructor
//
// Each job runs first one interval after the start, then one interval after its previous
// run ended, so a slow run never piles up behind itself. A job returns how many things it
// did (logged at debug level) or an error (logged at error level); either way the job runs
// again at its next time and the other jobs are not held up. An exception out of a job is
// logged like an error. stop() wakes the thread at once (a condition variable, not a sleep),
// waits only for a job that is running at that moment, runs the jobs marked `at_stop` once
// more, and returns; a stopped Housekeeping runs nothing more.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/error.h"
#include "web/module.h"

namespace ah::app {

// The same as a module's periodic job (web::Module::periodic_jobs), so that both lists
// run on the one housekeeping thread.
using HousekeepingJob = web::PeriodicJob;

class Housekeeping {
 public:
  // Starts the thread. Jobs with an interval below 1 ms get 1 ms.
  explicit Housekeeping(std::vector<HousekeepingJob> jobs);
  ~Housekeeping();
  Housekeeping(const Housekeeping&) = delete;
  Housekeeping& operator=(const Housekeeping&) = delete;

  // Thread-safe and idempotent.
  void stop();

 private:
  void loop();

  std::vector<HousekeepingJob> jobs_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::once_flag joined_;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace ah::app
