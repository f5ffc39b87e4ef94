// Ordered parallel map with bounded memory: the pattern every batch reader uses.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace imr {

// Runs work(i) for i in [0, n) on `jobs` threads and calls emit(i, result) on the calling thread
// in index order. At most `window` results are held at once (workers wait when they run ahead),
// so memory stays bounded however large n is. jobs <= 0 means one per hardware thread.
template <typename T>
void parallel_ordered(std::size_t n, int jobs, const std::function<T(std::size_t)>& work,
                      const std::function<void(std::size_t, T&)>& emit, std::size_t window = 0) {
  if (jobs <= 0) jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (window == 0) window = static_cast<std::size_t>(jobs) * 8;
  if (jobs == 1 || n <= 1) {
    for (std::size_t i = 0; i < n; ++i) {
      T r = work(i);
      emit(i, r);
    }
    return;
  }
  std::mutex mu;
  std::condition_variable cv;
  std::size_t next_take = 0, next_emit = 0;
  std::deque<std::optional<T>> ready;  // ready[k] holds result next_emit + k
  auto worker = [&] {
    for (;;) {
      std::size_t i;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return next_take >= n || next_take < next_emit + window; });
        if (next_take >= n) return;
        i = next_take++;
      }
      T r = work(i);
      {
        std::lock_guard lock(mu);
        std::size_t k = i - next_emit;
        if (ready.size() <= k) ready.resize(k + 1);
        ready[k] = std::move(r);
      }
      cv.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < jobs; ++t) threads.emplace_back(worker);
  while (next_emit < n) {
    std::optional<T> r;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return !ready.empty() && ready.front().has_value(); });
      r = std::move(ready.front());
      ready.pop_front();
      ++next_emit;  // with the pop, so workers index `ready` consistently
    }
    cv.notify_all();
    emit(next_emit - 1, *r);
  }
  for (auto& t : threads) t.join();
}

}  // namespace imr
