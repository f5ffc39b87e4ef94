#include "response_cache.h"

namespace imr::server::internal {

std::optional<std::string> ResponseCache::find(const std::string& key, std::int64_t generation) {
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

std::optional<std::string> ResponseCache::get(const std::string& key, std::int64_t generation) {
  if (max_bytes_ == 0) return std::nullopt;
  std::lock_guard lock(mu_);
  return find(key, generation);
}

std::optional<std::string> ResponseCache::get_or_claim(const std::string& key, std::int64_t generation,
                                                       bool& claimed, std::chrono::milliseconds max_wait) {
  claimed = false;
  if (max_bytes_ == 0) return std::nullopt;
  std::unique_lock lock(mu_);
  auto deadline = std::chrono::steady_clock::now() + max_wait;
  for (;;) {
    if (auto body = find(key, generation)) return body;
    if (!claimed_.count(key)) {
      claimed_.insert(key);
      claimed = true;
      return std::nullopt;
    }
    if (answered_.wait_until(lock, deadline) == std::cv_status::timeout) return std::nullopt;
  }
}

void ResponseCache::release(const std::string& key) {
  {
    std::lock_guard lock(mu_);
    claimed_.erase(key);
  }
  answered_.notify_all();
}

void ResponseCache::put(const std::string& key, std::int64_t generation, std::string body) {
  std::size_t size = key.size() + body.size();
  if (max_bytes_ == 0) return;
  if (size > max_bytes_ / 4) {
    release(key);
    return;
  }
  {
    std::lock_guard lock(mu_);
    claimed_.erase(key);
    if (auto found = index_.find(key); found != index_.end()) drop(found->second);
    lru_.push_front(Entry{key, generation, std::move(body)});
    index_.emplace(key, lru_.begin());
    bytes_ += size;
    while (bytes_ > max_bytes_ && !lru_.empty()) drop(std::prev(lru_.end()));
  }
  answered_.notify_all();
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
