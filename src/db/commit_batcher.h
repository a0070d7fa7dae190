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
// to `max_batch` queued units, runs them in ONE Database::transaction, commits, and wakes
// the others. Units usually succeed, so the leader first runs them one after another
// without savepoints (Connection::attempt; a savepoint costs two statements, on PostgreSQL
// two round trips, as many as the unit's own work). If one fails, that transaction is
// rolled back — nothing of it is stored — and the batch runs again, each unit inside its
// own savepoint (Connection::savepoint). A unit alone in its batch is the transaction
// itself.
//
// On PostgreSQL the next batch may start while the previous one waits for its COMMIT (the
// fsync): its statements then wait for no more than the rows the committing batch still
// holds, and since only one batch at a time is running statements, no two batches can wait
// for each other (no deadlock). On SQLite, with its one writer, batches follow each other.
// So:
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
// before it, as in any transaction). A unit may run twice (again after a batch-mate's
// failure), so whatever it does outside the Connection must bear repeating — set a
// result, never append to one.
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

  // Batches run so far, the units they held, units waiting for a batch right now, and
  // batches run a second time, a savepoint a unit, because a unit failed.
  struct Stats {
    std::size_t batches = 0;
    std::size_t units = 0;
    std::size_t queued = 0;
    std::size_t reruns = 0;
  };
  Stats stats() const;

 private:
  struct Pending {
    const Unit* unit;
    Status outcome;
    std::exception_ptr thrown;
    bool done = false;
  };

  // Lets the next batch start running statements (PostgreSQL: once this batch has sent
  // all of its own and only waits for its commit). Once per batch; `released` is the batch's.
  void release_statements(bool& released);

  // Runs and commits `batch`; returns whether it had to run it a second time.
  bool commit(const std::vector<Pending*>& batch, bool& released);
  bool commit_together(const std::vector<Pending*>& batch, bool& released);
  void commit_isolated(const std::vector<Pending*>& batch, bool& released);

  Database& db_;
  const std::size_t max_batch_;
  const bool overlap_commits_;        // PostgreSQL
  mutable std::mutex mutex_;
  std::condition_variable finished_;  // a batch finished
  std::deque<Pending*> queue_;        // guarded by mutex_
  bool running_ = false;  // a batch is running its statements; guarded by mutex_
  std::size_t callers_ = 0;           // inside run(); guarded by mutex_
  Stats stats_;                       // guarded by mutex_
};

}  // namespace ah::db
