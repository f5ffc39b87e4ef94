// The corpus store's generation (corpus::Store::generation) as the server's answer cache sees
// it. Internal to server/.
//
// Reading it costs a database connection and a round trip, which is most of the cost of an
// answer from the cache; so it is read at most once per `refresh` and shared by every thread. An
// answer cached before another process added letters may therefore be served for up to `refresh`
// after that ingest committed, never longer.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

#include "imr/base/result.h"
#include "pool.h"

namespace imr::server::internal {

class GenerationClock {
 public:
  explicit GenerationClock(std::chrono::milliseconds refresh) : refresh_(refresh) {}
  // The generation, read through `pool` when the last reading is older than `refresh` (one
  // thread reads; the others keep using the last reading meanwhile).
  Result<std::int64_t> now(ConnectionPool& pool);

 private:
  std::chrono::milliseconds refresh_;
  std::mutex reading_;
  std::atomic<std::int64_t> value_{-1};
  std::atomic<std::int64_t> read_at_{0};  // steady_clock ticks of the last reading
};

}  // namespace imr::server::internal
