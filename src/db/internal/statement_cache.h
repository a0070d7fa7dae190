// The per-connection prepared-statement cache both backends use. Not API.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <utility>

namespace ah::db::internal {

// Maps a key (the SQL text, plus parameter types where the backend fixes them at prepare
// time) to a prepared statement. Bounded: when full, the owner releases every statement and
// the cache starts over. That is simpler than LRU and costs little, because the statements
// an application runs are far fewer than the capacity. Not thread-safe (one per connection).
template <class Handle>
class StatementCache {
 public:
  explicit StatementCache(std::size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  const Handle* find(const std::string& key) const {
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second;
  }

  bool full() const { return entries_.size() >= capacity_; }

  void insert(std::string key, Handle handle) {
    entries_.emplace(std::move(key), std::move(handle));
  }

  // Calls release(handle) for every statement, then empties the cache.
  template <class Release>
  void clear(Release release) {
    for (auto& [key, handle] : entries_) release(handle);
    entries_.clear();
  }

 private:
  const std::size_t capacity_;
  std::unordered_map<std::string, Handle> entries_;
};

}  // namespace ah::db::internal
