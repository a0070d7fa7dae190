#include "db/internal/connection_pool.h"

#include <utility>

namespace ah::db::internal {

ConnectionPool::ConnectionPool(Factory factory, int max_size,
                               std::chrono::milliseconds acquire_timeout)
    : factory_(std::move(factory)),
      max_size_(max_size < 1 ? 1 : max_size),
      acquire_timeout_(acquire_timeout) {}

Result<ConnectionPool::Lease> ConnectionPool::acquire() {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + acquire_timeout_;
  bool counted_wait = false;
  while (idle_.empty() && open_ >= max_size_) {
    if (!counted_wait) {
      ++waits_;
      counted_wait = true;
    }
    if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= max_size_) {
      return driver_failure(ErrorCode::unavailable,
                            "every pooled database connection stayed in use past the "
                            "acquire timeout");
    }
  }
  ++in_use_;
  if (!idle_.empty()) {
    std::unique_ptr<BackendConnection> connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }
  // Reserve the slot, then connect without holding the lock: connecting may take seconds.
  ++open_;
  lock.unlock();
  Result<std::unique_ptr<BackendConnection>> connection = factory_(statements_prepared_);
  if (!connection) {
    lock.lock();
    --open_;
    --in_use_;
    returned_.notify_one();
    return std::unexpected(std::move(connection).error());
  }
  return Lease(*this, std::move(*connection));
}

void ConnectionPool::give_back(std::unique_ptr<BackendConnection> connection) {
  const bool keep = connection->reusable();
  if (!keep) connection.reset();  // close outside the lock
  std::lock_guard lock(mutex_);
  --in_use_;
  if (keep) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
  returned_.notify_one();
}

PoolStats ConnectionPool::stats() const {
  std::lock_guard lock(mutex_);
  return PoolStats{.size = open_,
                   .in_use = in_use_,
                   .waits = waits_,
                   .statements_prepared = statements_prepared_.load()};
}

}  // namespace ah::db::internal
