// For tests only: a file system under RocksDB that fails on demand, and a store opened over it.
// Not reachable from the CLI or the server; tests/store/disk_fault_test.cc and
// tests/web/disk_fault_test.cc use it to check what a full or failing disk does (docs/storage-format.md,
// "Disk faults").
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "store/graph_store.h"

namespace rocksdb {
class Env;
}

namespace lodestone {

class FaultInjection {
 public:
  enum class Fault { kNoSpace, kIOError };

  // From now on, once `bytes` more bytes have been written (to any file), every write fails with
  // `fault` (ENOSPC or EIO), and so does every sync.
  void FailWritesAfter(uint64_t bytes, Fault fault);
  // Every sync (fsync) fails with `fault`; writes still succeed.
  void FailSyncs(Fault fault);
  // The disk works again.
  void Heal();
  // How many writes and syncs failed so far.
  uint64_t failures() const { return failures_.load(); }

  // Opens like GraphStore::Open, with every file operation of the store going through this object,
  // which must outlive the store.
  Result<std::unique_ptr<GraphStore>> Open(const std::string& path, const StoreOptions& options);

  // Used by the file system (store/fault_injection.cc).
  bool FailWrite(uint64_t bytes, Fault* fault);
  bool FailSync(Fault* fault);

 private:
  std::atomic<bool> writes_armed_{false};
  std::atomic<bool> syncs_armed_{false};
  std::atomic<int64_t> budget_{0};
  std::atomic<Fault> fault_{Fault::kNoSpace};
  std::atomic<uint64_t> failures_{0};
  std::shared_ptr<rocksdb::Env> env_;  // made on the first Open
};

}  // namespace lodestone
