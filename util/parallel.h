// Fanning a pass over n items out to a few threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace lodestone::util {

// Threads for a pass over n items: one for small passes (below `min_items`), else one per core, up to
// `max_threads`.
inline size_t ThreadsFor(size_t n, size_t min_items = 4096, size_t max_threads = 4) {
  return n < min_items ? 1 : std::clamp<size_t>(std::thread::hardware_concurrency(), 1, max_threads);
}

// Runs work(share, begin, end) on `threads` contiguous shares of [0, n), each on its own thread (the
// first on this one), and waits for all of them.
inline void OnShares(size_t n, size_t threads, const std::function<void(size_t, size_t, size_t)>& work) {
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work, t, n * t / threads, n * (t + 1) / threads);
  work(0, 0, n / threads);
  for (auto& h : helpers) h.join();
}

}  // namespace lodestone::util
