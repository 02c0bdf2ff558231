// The one fixture for a store or a database in a temporary directory whose record clock the test
// controls: store, query, domain and web tests build on ScratchStore and ScratchDatabase
// (scratch_database.h). Header-only, so that a test links only the layers it tests.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "store/graph_store.h"
#include "tests/support/temp_dir.h"

namespace lodestone::testing {

// Record times for StoreOptions::clock, in micros since the epoch.
class TestClock {
 public:
  static constexpr uint64_t k2026 = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z

  // With `tick`, every reading first advances the clock by it (each commit gets its own time).
  explicit TestClock(uint64_t start = k2026, uint64_t tick = 0) : now_(start), tick_(tick) {}
  uint64_t Now() { return tick_ ? now_ += tick_ : now_.load(); }
  void Set(uint64_t micros) { now_ = micros; }
  void Set(std::string_view iso) {  // e.g. "2026-01-10T12:00:00Z"
    auto t = DateTime::Parse(iso);
    ASSERT_TRUE(t.ok()) << iso;
    now_ = static_cast<uint64_t>(t->micros);
  }
  void Advance(uint64_t micros) { now_ += micros; }
  std::function<uint64_t()> Source() {
    return [this] { return Now(); };
  }

 private:
  std::atomic<uint64_t> now_;
  uint64_t tick_;
};

// Opens `T` (GraphStore or Database) in a temporary directory with the clock; created on first open.
template <typename T>
class Scratch {
 public:
  explicit Scratch(uint64_t clock_start = TestClock::k2026, uint64_t tick = 0, const std::string& name = "db")
      : clock_(clock_start, tick), path_(dir_.Sub(name)) {}
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  // (Re)opens with `options` (its clock and, the first time, create_if_missing filled in).
  Status Open(StoreOptions options = {}) {
    value_.reset();
    options.clock = clock_.Source();
    options.create_if_missing = options.create_if_missing || !opened_;
    auto opened = T::Open(path_, options);
    if (!opened.ok()) return opened.status();
    value_ = std::move(opened).value();
    opened_ = true;
    return Status::OK();
  }
  void Close() { value_.reset(); }
  bool is_open() const { return value_ != nullptr; }

  T& get() { return *value_; }
  T* operator->() { return value_.get(); }
  TestClock& clock() { return clock_; }
  const TempDir& dir() const { return dir_; }
  const std::string& path() const { return path_; }

 private:
  TempDir dir_;
  TestClock clock_;
  std::string path_;
  bool opened_ = false;
  std::unique_ptr<T> value_;
};

using ScratchStore = Scratch<GraphStore>;

}  // namespace lodestone::testing
