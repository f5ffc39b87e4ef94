#include "response_cache.h"

namespace imr::server::internal {

std::optional<std::string> ResponseCache::get(const std::string& key, std::int64_t generation) {
  if (max_bytes_ == 0) return std::nullopt;
  std::lock_guard lock(mu_);
  auto found = index_.find(key);
  if (found == index_.end()) return std::nullopt;
  auto it = found->second;
  if (it->generation != generation) {
    drop(it);
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, it);
  return it->body;
}

void ResponseCache::put(const std::string& key, std::int64_t generation, std::string body) {
  std::size_t size = key.size() + body.size();
  if (max_bytes_ == 0 || size > max_bytes_ / 4) return;
  std::lock_guard lock(mu_);
  if (auto found = index_.find(key); found != index_.end()) drop(found->second);
  lru_.push_front(Entry{key, generation, std::move(body)});
  index_.emplace(key, lru_.begin());
  bytes_ += size;
  while (bytes_ > max_bytes_ && !lru_.empty()) drop(std::prev(lru_.end()));
}

void ResponseCache::drop(std::list<Entry>::iterator it) {
  bytes_ -= it->key.size() + it->body.size();
  index_.erase(it->key);
  lru_.erase(it);
}

std::size_t ResponseCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

std::size_t ResponseCache::entries() const {
  std::lock_guard lock(mu_);
  return lru_.size();
}

}  // namespace imr::server::internal
