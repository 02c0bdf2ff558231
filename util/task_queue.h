// A queue of tasks run on a few threads, the biggest of those ready first.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace lodestone::util {

// Tasks run on several threads (the calling one included), the biggest of those ready first. A task
// may add tasks while it runs (a column family's files can be written once it is sorted), so the
// threads never wait for a stage to end while work is ready.
class TaskQueue {
 public:
  // Adds a task; `size` orders it among those ready.
  void Add(size_t size, std::function<void()> task) {
    std::lock_guard lock(mutex_);
    ready_.push_back({size, std::move(task)});
    std::push_heap(ready_.begin(), ready_.end(), BySize);
    ++pending_;
    wake_.notify_one();
  }
  // Runs every task on `threads` threads; returns when all have run, those added meanwhile included.
  void Run(size_t threads) {
    auto worker = [this] {
      std::unique_lock lock(mutex_);
      for (;;) {
        wake_.wait(lock, [this] { return !ready_.empty() || pending_ == 0; });
        if (ready_.empty()) return;
        std::pop_heap(ready_.begin(), ready_.end(), BySize);
        std::function<void()> task = std::move(ready_.back().second);
        ready_.pop_back();
        lock.unlock();
        task();
        lock.lock();
        if (--pending_ == 0) wake_.notify_all();
      }
    };
    std::vector<std::thread> helpers;
    for (size_t t = 1; t < threads; ++t) helpers.emplace_back(worker);
    worker();
    for (auto& h : helpers) h.join();
  }

 private:
  using Task = std::pair<size_t, std::function<void()>>;
  static bool BySize(const Task& a, const Task& b) { return a.first < b.first; }
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Task> ready_;  // a heap, biggest on top
  size_t pending_ = 0;       // added and not finished
};

}  // namespace lodestone::util
