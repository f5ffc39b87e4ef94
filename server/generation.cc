#include "generation.h"

namespace imr::server::internal {

Result<std::int64_t> GenerationClock::now(ConnectionPool& pool) {
  using clock = std::chrono::steady_clock;
  auto fresh = [&] {
    return value_.load() >= 0 && clock::now().time_since_epoch().count() - read_at_.load() <
                                     std::chrono::duration_cast<clock::duration>(refresh_).count();
  };
  if (fresh()) return value_.load();
  std::unique_lock lock(reading_, std::try_to_lock);
  if (!lock.owns_lock()) {
    if (value_.load() >= 0) return value_.load();  // another thread is reading it
    lock.lock();
  }
  if (fresh()) return value_.load();
  auto conn = pool.acquire();
  if (!conn.ok()) return conn.status();
  auto g = (*conn)->store->generation();
  if (!g.ok()) return g.status();
  value_.store(*g);
  read_at_.store(clock::now().time_since_epoch().count());
  return *g;
}

}  // namespace imr::server::internal
