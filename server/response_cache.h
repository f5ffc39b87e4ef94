// A bounded cache of answers to read-only corpus requests (search, statistics). Internal to
// server/.
//
// Ranking a common word costs milliseconds of CPU, and the same questions come again and again
// (the popular searches, the dashboards' statistics). An answer is kept with the store
// generation it was computed at (corpus::Store::generation) and served only while the store is
// still at that generation, so an ingest by any process makes every older answer a miss (as
// soon as the server reads the new generation: see generation.h). Least recently used entries go first when the bytes kept
// would pass the bound. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace imr::server::internal {

class ResponseCache {
 public:
  // `max_bytes` bounds the bodies and keys kept; 0 disables the cache (get always misses).
  explicit ResponseCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The body stored under `key` at `generation`; nullopt when there is none (or it was stored at
  // another generation, which also drops it).
  std::optional<std::string> get(const std::string& key, std::int64_t generation);

  // As get, but when the answer is missing only one caller computes it: the first gets nullopt
  // with `claimed` set and must call put (or release on failure); callers asking for the same
  // key meanwhile wait for that answer instead of computing it again (a burst of the same
  // popular question costs one search, not one per connection). A wait longer than `max_wait`
  // gives nullopt with `claimed` unset: compute without caching.
  std::optional<std::string> get_or_claim(const std::string& key, std::int64_t generation, bool& claimed,
                                          std::chrono::milliseconds max_wait = std::chrono::seconds(10));
  // Gives up a claim without an answer (the computation failed); waiters then compute themselves.
  void release(const std::string& key);
  // Stores `body` under `key` for `generation`, evicting the least recently used entries to stay
  // within the bound, and ends a claim on `key`. A body larger than a quarter of the bound is not
  // kept.
  void put(const std::string& key, std::int64_t generation, std::string body);

  std::size_t bytes() const;
  std::size_t entries() const;

 private:
  struct Entry {
    std::string key;
    std::int64_t generation;
    std::string body;
  };
  void drop(std::list<Entry>::iterator it);
  std::optional<std::string> find(const std::string& key, std::int64_t generation);  // mu_ held

  std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::size_t bytes_ = 0;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::unordered_set<std::string> claimed_;  // keys being computed
  std::condition_variable answered_;          // a claim ended
};

}  // namespace imr::server::internal
