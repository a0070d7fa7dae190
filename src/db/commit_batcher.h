// CommitBatcher: group commit — short write transactions that arrive at the same moment
// share one transaction and so one commit.
//
// Why: a commit is the expensive part of a small write. SQLite has one writer, and every
// transaction is a WAL append plus the write lock handed from thread to thread (a waiting
// writer sleeps in SQLite's busy handler); PostgreSQL waits for an fsync per commit. Many
// people supporting proposals at once are many tiny transactions; committed together they
// cost one commit.
//
// How (leader/follower, no thread of its own): run() queues the caller's unit and waits.
// Whenever no batch is being committed, one waiting caller becomes the leader: it takes up
// to `max_batch` queued units, runs them in ONE Database::transaction, each inside its own
// savepoint (Connection::savepoint), commits, and wakes the others (a unit alone in its
// batch is the transaction itself, without a savepoint). So:
// - durable: run() returns success only after the transaction holding the unit committed;
//   if the commit fails, every unit of the batch gets that error and nothing of it is kept;
// - isolated failures: a unit that fails (a constraint, not_found, an exception) is rolled
//   back to its savepoint and its error or exception reaches its own caller only; its
//   batch-mates commit;
// - nothing is left behind: every queued unit belongs to a caller waiting in run(), and
//   any waiting caller leads the next batch, so the queue drains without a committer
//   thread; the destructor waits until every caller that entered run() has returned.
// Units run on the leader's thread, one after another: they must be short, use only the
// given Connection, and not depend on the other units of the batch (each sees the ones
// before it, as in any transaction).
//
// Used through Database::grouped_transaction (database.h), which owns one per database.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

#include "base/error.h"
#include "db/database.h"

namespace ah::db {

class CommitBatcher {
 public:
  using Unit = std::function<Status(Connection&)>;

  explicit CommitBatcher(Database& db, std::size_t max_batch = 64);
  ~CommitBatcher();
  CommitBatcher(const CommitBatcher&) = delete;
  CommitBatcher& operator=(const CommitBatcher&) = delete;

  // Runs `unit` in a shared transaction; returns once that committed (success) or failed
  // (the unit's own error, or the transaction's). Rethrows what `unit` threw. Thread-safe.
  Status run(const Unit& unit);

  // Batches run so far, the units they held, and units waiting for a batch right now.
  struct Stats {
    std::size_t batches = 0;
    std::size_t units = 0;
    std::size_t queued = 0;
  };
  Stats stats() const;

 private:
  struct Pending {
    const Unit* unit;
    Status outcome;
    std::exception_ptr thrown;
    bool done = false;
  };

  void commit(const std::vector<Pending*>& batch);

  Database& db_;
  const std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable finished_;  // a batch finished
  std::deque<Pending*> queue_;        // guarded by mutex_
  bool committing_ = false;           // guarded by mutex_
  std::size_t callers_ = 0;           // inside run(); guarded by mutex_
  Stats stats_;                       // guarded by mutex_
};

}  // namespace ah::db
