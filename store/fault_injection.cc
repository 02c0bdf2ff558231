#include "store/fault_injection.h"

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include "store/rocksdb_store.h"

namespace lodestone {
namespace {

rocksdb::IOStatus Failure(FaultInjection::Fault fault) {
  return fault == FaultInjection::Fault::kNoSpace
             ? rocksdb::IOStatus::NoSpace("injected: no space left on device")
             : rocksdb::IOStatus::IOError("injected: input/output error");
}

// A writable file whose writes and syncs ask the FaultInjection first.
class FaultyFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FaultyFile(std::unique_ptr<rocksdb::FSWritableFile> file, FaultInjection* faults)
      : FSWritableFileOwnerWrapper(std::move(file)), faults_(faults) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& o,
                           rocksdb::IODebugContext* dbg) override {
    FaultInjection::Fault f;
    if (faults_->FailWrite(data.size(), &f)) return Failure(f);
    return FSWritableFileOwnerWrapper::Append(data, o, dbg);
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& o,
                           const rocksdb::DataVerificationInfo& info, rocksdb::IODebugContext* dbg) override {
    FaultInjection::Fault f;
    if (faults_->FailWrite(data.size(), &f)) return Failure(f);
    return FSWritableFileOwnerWrapper::Append(data, o, info, dbg);
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const rocksdb::IOOptions& o,
                                     rocksdb::IODebugContext* dbg) override {
    FaultInjection::Fault f;
    if (faults_->FailWrite(data.size(), &f)) return Failure(f);
    return FSWritableFileOwnerWrapper::PositionedAppend(data, offset, o, dbg);
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const rocksdb::IOOptions& o,
                                     const rocksdb::DataVerificationInfo& info,
                                     rocksdb::IODebugContext* dbg) override {
    FaultInjection::Fault f;
    if (faults_->FailWrite(data.size(), &f)) return Failure(f);
    return FSWritableFileOwnerWrapper::PositionedAppend(data, offset, o, info, dbg);
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
    FaultInjection::Fault f;
    if (faults_->FailSync(&f)) return Failure(f);
    return FSWritableFileOwnerWrapper::Sync(o, dbg);
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
    FaultInjection::Fault f;
    if (faults_->FailSync(&f)) return Failure(f);
    return FSWritableFileOwnerWrapper::Fsync(o, dbg);
  }
  rocksdb::IOStatus RangeSync(uint64_t offset, uint64_t nbytes, const rocksdb::IOOptions& o,
                              rocksdb::IODebugContext* dbg) override {
    FaultInjection::Fault f;
    if (faults_->FailSync(&f)) return Failure(f);
    return FSWritableFileOwnerWrapper::RangeSync(offset, nbytes, o, dbg);
  }

 private:
  FaultInjection* faults_;
};

class FaultyFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  FaultyFileSystem(const std::shared_ptr<rocksdb::FileSystem>& base, FaultInjection* faults)
      : FileSystemWrapper(base), faults_(faults) {}
  const char* Name() const override { return "LodestoneFaultInjection"; }

  rocksdb::IOStatus NewWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r,
                                    rocksdb::IODebugContext* dbg) override {
    return Wrap(target()->NewWritableFile(f, o, r, dbg), r);
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                       std::unique_ptr<rocksdb::FSWritableFile>* r,
                                       rocksdb::IODebugContext* dbg) override {
    return Wrap(target()->ReopenWritableFile(f, o, r, dbg), r);
  }
  rocksdb::IOStatus ReuseWritableFile(const std::string& f, const std::string& old,
                                      const rocksdb::FileOptions& o,
                                      std::unique_ptr<rocksdb::FSWritableFile>* r,
                                      rocksdb::IODebugContext* dbg) override {
    return Wrap(target()->ReuseWritableFile(f, old, o, r, dbg), r);
  }

 private:
  rocksdb::IOStatus Wrap(rocksdb::IOStatus s, std::unique_ptr<rocksdb::FSWritableFile>* r) {
    if (s.ok()) *r = std::make_unique<FaultyFile>(std::move(*r), faults_);
    return s;
  }
  FaultInjection* faults_;
};

}  // namespace

void FaultInjection::FailWritesAfter(uint64_t bytes, Fault fault) {
  fault_ = fault;
  budget_ = static_cast<int64_t>(bytes);
  writes_armed_ = true;
  syncs_armed_ = false;
}

void FaultInjection::FailSyncs(Fault fault) {
  fault_ = fault;
  syncs_armed_ = true;
}

void FaultInjection::Heal() {
  writes_armed_ = false;
  syncs_armed_ = false;
}

bool FaultInjection::FailWrite(uint64_t bytes, Fault* fault) {
  if (!writes_armed_) return false;
  if (budget_.fetch_sub(static_cast<int64_t>(bytes)) >= static_cast<int64_t>(bytes)) return false;
  budget_ = 0;
  *fault = fault_;
  ++failures_;
  return true;
}

bool FaultInjection::FailSync(Fault* fault) {
  bool exhausted = writes_armed_ && budget_.load() <= 0;
  if (!syncs_armed_ && !exhausted) return false;
  *fault = fault_;
  ++failures_;
  return true;
}

Result<std::unique_ptr<GraphStore>> FaultInjection::Open(const std::string& path,
                                                         const StoreOptions& options) {
  if (!env_) {
    auto fs = std::make_shared<FaultyFileSystem>(rocksdb::FileSystem::Default(), this);
    env_ = rocksdb::NewCompositeEnv(fs);
  }
  return internal::RocksStore::OpenImpl(path, options, env_.get());
}

}  // namespace lodestone
