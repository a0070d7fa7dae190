// A bounded pool of backend connections, shared by both backends.
// Not API: modules use db/database.h only.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "base/error.h"
#include "db/database.h"
#include "db/internal/backend.h"

namespace ah::db::internal {

// Thread-safe. Opens connections lazily up to `max_size`; a caller that finds them all lent
// out waits up to `acquire_timeout` for one to come back, then gets `unavailable`.
class ConnectionPool {
 public:
  using Factory = std::function<Result<std::unique_ptr<BackendConnection>>(
      std::atomic<std::uint64_t>& statements_prepared)>;

  // Holds one connection and gives it back to the pool when destroyed.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<BackendConnection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (connection_) pool_->give_back(std::move(connection_));
    }
    BackendConnection& operator*() const { return *connection_; }
    BackendConnection* operator->() const { return connection_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<BackendConnection> connection_;
  };

  ConnectionPool(Factory factory, int max_size, std::chrono::milliseconds acquire_timeout);

  Result<Lease> acquire();
  PoolStats stats() const;

 private:
  void give_back(std::unique_ptr<BackendConnection> connection);

  const Factory factory_;
  const int max_size_;
  const std::chrono::milliseconds acquire_timeout_;
  std::atomic<std::uint64_t> statements_prepared_{0};

  mutable std::mutex mutex_;
  std::condition_variable returned_;                      // signalled by give_back
  std::vector<std::unique_ptr<BackendConnection>> idle_;  // guarded by mutex_
  int open_ = 0;             // idle + lent out + being opened; guarded by mutex_
  int in_use_ = 0;           // guarded by mutex_
  std::uint64_t waits_ = 0;  // guarded by mutex_
};

}  // namespace ah::db::internal
