// parallel_for: runs body(i) for i in [0, n) on up to `threads` threads (0: the machine's cores).
// Each index runs exactly once; the caller writes results into per-index slots, so the outcome
// does not depend on the thread count or scheduling (deterministic training).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace imr::review {

inline int worker_threads(int requested) {
  if (requested > 0) return requested;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

template <class Body>
void parallel_for(std::size_t n, int threads, Body&& body) {
  const std::size_t t = std::min<std::size_t>(static_cast<std::size_t>(worker_threads(threads)), n);
  if (t <= 1) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  // Small chunks taken in turn: letters differ in size, so static halves would idle a core.
  std::atomic<std::size_t> next{0};
  const std::size_t kChunk = std::clamp<std::size_t>(n / (t * 16), 1, 64);
  auto run = [&] {
    for (std::size_t from; (from = next.fetch_add(kChunk)) < n;)
      for (std::size_t i = from; i < std::min(n, from + kChunk); ++i) body(i);
  };
  std::vector<std::thread> pool;
  for (std::size_t k = 1; k < t; ++k) pool.emplace_back(run);
  run();
  for (auto& th : pool) th.join();
}

}  // namespace imr::review
