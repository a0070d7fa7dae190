#include "db/commit_batcher.h"

#include <algorithm>
#include <utility>

namespace ah::db {

CommitBatcher::CommitBatcher(Database& db, std::size_t max_batch)
    : db_(db),
      max_batch_(std::max<std::size_t>(1, max_batch)),
      overlap_commits_(db.backend() == Backend::postgres) {}

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
    if (running_ || queue_.empty()) {
      // Another batch runs its statements, or one that is committing holds this unit.
      finished_.wait(lock);
      continue;
    }
    // Lead: take what is queued (this caller's unit may be behind a full batch, or in a
    // batch that is committing; then it leads others' units or follows again).
    running_ = true;
    const std::size_t take = std::min(queue_.size(), max_batch_);
    std::vector<Pending*> batch(queue_.begin(), queue_.begin() + static_cast<long>(take));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(take));
    lock.unlock();
    bool released = false;
    const bool rerun = commit(batch, released);
    lock.lock();
    for (Pending* pending : batch) pending->done = true;
    ++stats_.batches;
    if (rerun) ++stats_.reruns;
    stats_.units += batch.size();
    if (!released) running_ = false;
    finished_.notify_all();
  }
  --callers_;
  if (callers_ == 0) finished_.notify_all();  // a destructor may be waiting
  lock.unlock();
  if (mine.thrown) std::rethrow_exception(mine.thrown);
  return std::move(mine.outcome);
}

void CommitBatcher::release_statements(bool& released) {
  if (!overlap_commits_ || released) return;
  std::lock_guard lock(mutex_);
  released = true;
  running_ = false;
  finished_.notify_all();
}

bool CommitBatcher::commit(const std::vector<Pending*>& batch, bool& released) {
  if (batch.size() == 1) {
    // Alone in its batch (the usual case when writes do not pile up): the unit is the
    // transaction, with the same guarantees, and saves a savepoint's two round trips.
    Pending& only = *batch.front();
    try {
      only.outcome = db_.transaction([&](Connection& tx) -> Status {
        Status outcome = (*only.unit)(tx);
        if (outcome) release_statements(released);
        return outcome;
      });
    } catch (...) {
      only.thrown = std::current_exception();
    }
    return false;
  }
  if (commit_together(batch, released)) return false;
  commit_isolated(batch, released);
  return true;
}

// The units one after another, without savepoints. False when a unit failed or threw:
// then the transaction was rolled back and nothing of it is stored.
bool CommitBatcher::commit_together(const std::vector<Pending*>& batch, bool& released) {
  bool unit_failed = false;
  Status committed;
  try {
    committed = db_.transaction([&](Connection& tx) -> Status {
      for (Pending* pending : batch) {
        pending->outcome = tx.attempt(*pending->unit);
        if (!pending->outcome) {
          unit_failed = true;
          return pending->outcome;
        }
      }
      release_statements(released);
      return {};
    });
  } catch (...) {
    return false;  // a unit threw; the isolated run gives the exception to its caller
  }
  if (unit_failed) return false;
  // Every unit succeeded; if BEGIN or COMMIT failed, nothing is stored and all are told.
  if (!committed)
    for (Pending* pending : batch) pending->outcome = committed;
  return true;
}

// Each unit in its own savepoint: a failure undoes only its own unit.
void CommitBatcher::commit_isolated(const std::vector<Pending*>& batch, bool& released) {
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
      release_statements(released);
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
