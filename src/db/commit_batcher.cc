#include "db/commit_batcher.h"

#include <algorithm>
#include <utility>

namespace ah::db {

CommitBatcher::CommitBatcher(Database& db, std::size_t max_batch)
    : db_(db), max_batch_(std::max<std::size_t>(1, max_batch)) {}

CommitBatcher::~CommitBatcher() {
  std::unique_lock lock(mutex_);
  finished_.wait(lock, [&] { return callers_ == 0; });
}

Status CommitBatcher::run(const Unit& unit) {
  Pending mine{.unit = &unit, .outcome = {}, .thrown = nullptr};
  std::unique_lock lock(mutex_);
  ++callers_;
  queue_.push_back(&mine);
  while (!mine.done) {
    if (committing_) {
      finished_.wait(lock);
      continue;
    }
    // Lead: take what is queued (this caller's unit may be behind a full batch; then it
    // leads or follows again).
    committing_ = true;
    const std::size_t take = std::min(queue_.size(), max_batch_);
    std::vector<Pending*> batch(queue_.begin(), queue_.begin() + static_cast<long>(take));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(take));
    lock.unlock();
    commit(batch);
    lock.lock();
    for (Pending* pending : batch) pending->done = true;
    ++stats_.batches;
    stats_.units += batch.size();
    committing_ = false;
    finished_.notify_all();
  }
  --callers_;
  if (callers_ == 0) finished_.notify_all();  // a destructor may be waiting
  lock.unlock();
  if (mine.thrown) std::rethrow_exception(mine.thrown);
  return std::move(mine.outcome);
}

void CommitBatcher::commit(const std::vector<Pending*>& batch) {
  if (batch.size() == 1) {
    // Alone in its batch (the usual case when writes do not pile up): the unit is the
    // transaction, with the same guarantees, and saves a savepoint's two round trips.
    Pending& only = *batch.front();
    try {
      only.outcome = db_.transaction(*only.unit);
    } catch (...) {
      only.thrown = std::current_exception();
    }
    return;
  }
  Status committed;
  try {
    committed = db_.transaction([&](Connection& tx) -> Status {
      for (Pending* pending : batch) {
        try {
          pending->outcome = tx.savepoint(*pending->unit);
        } catch (...) {
          pending->thrown = std::current_exception();
        }
      }
      return {};
    });
  } catch (...) {
    // Only the transaction itself can get here (e.g. out of memory): nothing committed.
    for (Pending* pending : batch) {
      if (!pending->thrown) pending->thrown = std::current_exception();
    }
    return;
  }
  if (committed) return;
  // BEGIN or COMMIT failed: no unit is stored. Units that failed on their own keep their
  // own error.
  for (Pending* pending : batch) {
    if (pending->outcome && !pending->thrown) pending->outcome = committed;
  }
}

CommitBatcher::Stats CommitBatcher::stats() const {
  std::lock_guard lock(mutex_);
  Stats out = stats_;
  out.queued = queue_.size();
  return out;
}

}  // namespace ah::db
