#include "generation.h"

namespace imr::server::internal {

GenerationClock::GenerationClock(ConnectionPool& pool, GenerationClockOptions options)
    : pool_(pool), options_(options), thread_([this] { reader(); }) {}

GenerationClock::~GenerationClock() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Status GenerationClock::read(std::atomic<std::int64_t>& counter) {
  auto conn = pool_.acquire();
  if (!conn.ok()) return conn.status();
  auto g = (*conn)->store->generation();
  if (!g.ok()) return g.status();
  value_.store(*g);
  read_at_.store(Clock::now().time_since_epoch().count());
  ++counter;
  return {};
}

Result<std::int64_t> GenerationClock::read_now(bool wait) {
  std::unique_lock lock(reading_, std::try_to_lock);
  if (!lock.owns_lock()) {
    // Another reading is under way: a request that may use the last value takes it, not waits.
    if (!wait && value_.load() >= 0 && !background_failed_.load()) return value_.load();
    lock.lock();
  }
  Status s = read(request_readings_);
  if (!s.ok()) return s;
  background_failed_.store(false);
  return value_.load();
}

Result<std::int64_t> GenerationClock::now() {
  const auto now = Clock::now().time_since_epoch().count();
  wanted_at_.store(now);
  if (!running_.load()) {  // first request, or the first after an idle spell
    bool was_running;
    {
      std::lock_guard lock(mu_);
      was_running = running_.exchange(true);
    }
    if (!was_running) {
      // This request's own reading comes first: the last one may be from before the idle spell.
      auto g = read_now(/*wait=*/true);
      wake_.notify_all();
      return g;
    }
  }
  if (value_.load() < 0 || background_failed_.load()) return read_now(/*wait=*/false);
  // A reading this old is from before an idle spell (another request is reading after it), or
  // the background reading is stuck: not used.
  if (now - read_at_.load() > std::chrono::duration_cast<Clock::duration>(options_.idle_after).count())
    return read_now(/*wait=*/true);
  return value_.load();
}

void GenerationClock::reader() {
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || running_; });
    if (stopping_) return;
    lock.unlock();
    {
      std::lock_guard reading(reading_);
      background_failed_.store(!read(background_readings_).ok());
    }
    lock.lock();
    wake_.wait_for(lock, options_.refresh, [&] { return stopping_; });
    if (stopping_) return;
    // Nobody asked for `idle_after`: stop reading until someone does.
    auto idle = Clock::now().time_since_epoch().count() - wanted_at_.load();
    if (idle > std::chrono::duration_cast<Clock::duration>(options_.idle_after).count()) running_.store(false);
  }
}

}  // namespace imr::server::internal
