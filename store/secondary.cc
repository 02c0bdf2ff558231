// A RocksStore opened beside the process that holds the database: RocksDB's secondary instance.
//
// A secondary replays the primary's write-ahead log and follows its MANIFEST, on open and on every
// TryCatchUpWithPrimary(). RocksDB 7.8 has no snapshots there, so a read sees the state of the last
// catch-up: reads hold a shared lock (PinForRead) and CatchUp() takes it exclusively, so that no
// view sees a commit arrive halfway through. After catching up, what the store derives from the
// data follows it: the counters and the record time of the last commit (read back from the meta
// column family, where every commit writes them in its own batch), the names and indexes of the
// catalog, and with the record time the topology cache, which is keyed by it.
#include <filesystem>
#include <mutex>
#include <shared_mutex>

#include <stdlib.h>

#include "store/catalog.h"
#include "store/rocksdb_store.h"

namespace lodestone::internal {

std::shared_ptr<void> RocksStore::PinForRead() {
  if (!options_.secondary) return nullptr;
  return std::make_shared<std::shared_lock<std::shared_mutex>>(catchup_mu_);
}

rocksdb::Status RocksStore::OpenSecondary(const rocksdb::DBOptions& dbo,
                                          const std::vector<rocksdb::ColumnFamilyDescriptor>& descs,
                                          std::vector<rocksdb::ColumnFamilyHandle*>* handles,
                                          rocksdb::DB** db) {
  namespace fs = std::filesystem;
  std::string dir = options_.secondary_dir;
  if (dir.empty()) {
    std::error_code ec;
    std::string pattern = (fs::temp_directory_path(ec) / "lodestone-secondary-XXXXXX").string();
    if (ec || !mkdtemp(pattern.data())) {
      return rocksdb::Status::IOError("cannot create a scratch directory for reading beside the primary");
    }
    dir = scratch_dir_ = pattern;
  }
  rocksdb::DBOptions o = dbo;
  // Keep every table file open: the primary deletes files that compactions replace, and a file
  // opened before that stays readable.
  o.max_open_files = -1;
  return rocksdb::DB::OpenAsSecondary(o, path_, dir, descs, handles, db);
}

Status RocksStore::DropVanishedIndexes() {
  SnapshotSource src(db_.get(), &cfs_, nullptr);
  for (const IndexSpec& spec : catalog_.Indexes()) {
    std::string v;
    bool found;
    RETURN_IF_ERROR(src.Get(Cf::kCatalog, CatalogIndexKey(spec.label, spec.key), &v, &found));
    if (!found) catalog_.RemoveIndex(spec.label, spec.key);
  }
  return Status::OK();
}

Result<uint64_t> RocksStore::CatchUp() {
  if (!options_.secondary) return committed_rt_.load();
  std::unique_lock pause(catchup_mu_);
  RETURN_IF_ERROR(
      FromRocks(db_->TryCatchUpWithPrimary(), "catching up with the process that writes " + path_));
  {
    // Nothing committed since: keep the names as they are (a new catalog generation would make the
    // layers above drop what they cached against it).
    SnapshotSource src(db_.get(), &cfs_, nullptr);
    std::string v;
    bool found;
    RETURN_IF_ERROR(src.Get(Cf::kMeta, layout::kMetaLastRecordTime, &v, &found));
    uint64_t last = found && v.size() == 8 ? layout::GetU64(v.data()) : 0;
    if (last == committed_rt_.load()) return last;
  }
  std::unique_lock lock(commit_mu_);
  RETURN_IF_ERROR(Load());
  RETURN_IF_ERROR(DropVanishedIndexes());
  return committed_rt_.load();
}

}  // namespace lodestone::internal
