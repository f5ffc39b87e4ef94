// The corpus store's generation (corpus::Store::generation) as the server's answer cache sees
// it. Internal to server/.
//
// Reading it costs a database connection and a round trip, which is most of the cost of an
// answer from the cache. So while requests keep coming, a thread of the clock's own reads it every
// `refresh` and requests take the last reading without waiting for the database. On a busy
// machine a round trip to another process can take a second (measured: a PostgreSQL backend
// waited up to 4 s for a CPU while the server answered 25,000 cached requests/s on 2 cores), and
// a request that made it would take that long.
//
// What a request sees:
//   - the first request, or the first after the server was idle for `idle_after`: the
//     generation read there and then (the background reading starts again);
//   - otherwise the last reading, unless the last background reading failed (so a database that
//     went away is reported) or the reading is older than `idle_after` (the background reading
//     is stuck, or it is from before an idle spell): then it reads there and then.
// An answer cached before another process added letters may therefore be served for up to
// `refresh` plus the time one reading takes after that ingest committed, and never longer than
// `idle_after`.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "imr/base/result.h"
#include "pool.h"

namespace imr::server::internal {

struct GenerationClockOptions {
  std::chrono::milliseconds refresh{200};
  std::chrono::milliseconds idle_after{10000};
};

class GenerationClock {
 public:
  // `pool` must outlive the clock.
  GenerationClock(ConnectionPool& pool, GenerationClockOptions options);
  ~GenerationClock();  // stops the background reading
  GenerationClock(const GenerationClock&) = delete;
  GenerationClock& operator=(const GenerationClock&) = delete;

  // The generation as described above; thread-safe.
  Result<std::int64_t> now();

  // Readings made so far, for tests: by the background thread, and by requests themselves.
  std::int64_t background_readings() const { return background_readings_.load(); }
  std::int64_t request_readings() const { return request_readings_.load(); }

 private:
  using Clock = std::chrono::steady_clock;
  // A reading by the calling request. When another is under way, `wait` false takes the last
  // value instead (unless there is none, or the background reading failed).
  Result<std::int64_t> read_now(bool wait);
  Status read(std::atomic<std::int64_t>& counter);
  void reader();  // the background thread's loop

  ConnectionPool& pool_;
  const GenerationClockOptions options_;
  std::atomic<std::int64_t> value_{-1};
  std::atomic<Clock::rep> read_at_{0};      // Clock ticks of the last successful reading
  std::atomic<Clock::rep> wanted_at_{0};    // Clock ticks of the last request
  std::atomic<bool> background_failed_{false};
  std::atomic<std::int64_t> background_readings_{0}, request_readings_{0};

  std::mutex reading_;  // one reading at a time (requests and the background thread)

  std::mutex mu_;  // guards changes to running_ and stopping_, with wake_
  std::condition_variable wake_;
  std::atomic<bool> running_{false};  // the background thread is reading every `refresh`
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace imr::server::internal
