// A RocksStore opened beside the process that holds the database: RocksDB's secondary instance.
//
// A secondary replays the primary's write-ahead log and follows its MANIFEST, on open and on every
// TryCatchUpWithPrimary(). RocksDB 7.8 has no snapshots there, so a read sees the state of the last
// catch-up: reads hold a shared lock (PinForRead) and CatchUp() takes it exclusively, so that no
// view sees a commit arrive halfway through. After catching up, what the store derives from the
// data follows it: the counters and the record time of the last commit (read back from the meta
// column family, where every commit writes them in its own batch), the names and indexes of the
// catalog, and with the record time the topology cache, which is keyed by it.
#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <mutex>
#include <shared_mutex>

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/catalog.h"
#include "store/rocksdb_store.h"

namespace lodestone::internal {

namespace {

// Scratch directories are removed on close; those of processes that were killed are removed by the
// next secondary to open: they are named lodestone-secondary-PID-XXXXXX.
void RemoveOrphanedScratchDirs(const std::filesystem::path& tmp) {
  namespace fs = std::filesystem;
  constexpr std::string_view kPrefix = "lodestone-secondary-";
  std::error_code ec;
  for (fs::directory_iterator it(tmp, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(kPrefix, 0) != 0) continue;
    long pid = std::strtol(name.c_str() + kPrefix.size(), nullptr, 10);
    if (pid <= 0 || (kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)) {
      std::error_code rm;
      fs::remove_all(it->path(), rm);
    }
  }
}

}  // namespace

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
    fs::path tmp = fs::temp_directory_path(ec);
    RemoveOrphanedScratchDirs(tmp);
    std::string pattern = (tmp / ("lodestone-secondary-" + std::to_string(getpid()) + "-XXXXXX")).string();
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

namespace {

// The names, sizes and times of the primary's write-ahead logs, MANIFEST and CURRENT: every commit
// appends to a log, every flush, compaction and ingestion rewrites the MANIFEST. Reading the
// directory costs microseconds; TryCatchUpWithPrimary costs tens of milliseconds even when there is
// nothing to read, during which no statement may run.
std::string FilesOf(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> entries;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    bool log = name.size() > 4 && name.compare(name.size() - 4, 4, ".log") == 0;
    if (!log && name.rfind("MANIFEST-", 0) != 0 && name != "CURRENT") continue;
    std::error_code e2;
    auto size = it->file_size(e2);
    auto time = it->last_write_time(e2).time_since_epoch().count();
    entries.push_back(name + ":" + std::to_string(size) + ":" + std::to_string(time));
  }
  std::sort(entries.begin(), entries.end());
  std::string out;
  for (const auto& e : entries) out += e + "\n";
  return out;
}

}  // namespace

Result<uint64_t> RocksStore::CatchUp() {
  if (!options_.secondary) return committed_rt_.load();
  // One catch-up at a time (a secondary never writes, so the writer's lock is free for this).
  std::lock_guard one(writer_mu_);
  std::string files = FilesOf(path_);
  if (!files.empty() && files == files_seen_) return committed_rt_.load();  // nothing written since
  std::unique_lock pause(catchup_mu_);
  RETURN_IF_ERROR(
      FromRocks(db_->TryCatchUpWithPrimary(), "catching up with the process that writes " + path_));
  files_seen_ = std::move(files);  // listed before catching up: what is written since is read next time
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
