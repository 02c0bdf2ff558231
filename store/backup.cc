#include "store/backup.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <system_error>

#include <rocksdb/env.h>
#include <rocksdb/utilities/backup_engine.h>

#include "store/key_codec.h"
#include "store/rocksdb_store.h"

namespace lodestone {
namespace {

rocksdb::BackupEngineOptions EngineOptions(const std::string& dir) {
  rocksdb::BackupEngineOptions o(dir);
  o.share_table_files = true;          // incremental: a table file is copied once for all backups
  o.share_files_with_checksum = true;  // shared files are named and checked by their checksum
  o.sync = true;                       // a published backup survives power loss
  o.max_background_operations = 2;
  return o;
}

Status Fail(const rocksdb::Status& s, const std::string& what) {
  return Status::IOError(what + ": " + s.ToString());
}

// The backup's description, with the record time of the last commit it holds, read from the backup
// itself (opened read-only where it lies): a backup taken beside a running writer copies the write-ahead
// log as far as it has been written when copied, which may be past what the secondary had read.
Result<BackupInfo> Describe(const rocksdb::BackupEngineReadOnlyBase& engine, rocksdb::BackupID id) {
  rocksdb::BackupInfo r;
  rocksdb::Status s = engine.GetBackupInfo(id, &r, /*include_file_details=*/true);
  if (!s.ok()) return Fail(s, "reading the description of backup " + std::to_string(id));
  BackupInfo b;
  b.id = r.backup_id;
  b.created = r.timestamp;
  b.bytes = r.size;
  b.files = r.number_files;
  rocksdb::DBOptions o;
  o.env = r.env_for_open.get();
  o.info_log_level = rocksdb::InfoLogLevel::HEADER_LEVEL;
  std::vector<std::string> names;
  s = rocksdb::DB::ListColumnFamilies(o, r.name_for_open, &names);
  if (!s.ok()) return Fail(s, "reading backup " + std::to_string(id));
  std::vector<rocksdb::ColumnFamilyDescriptor> descs;
  for (const auto& n : names) descs.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::OpenForReadOnly(o, r.name_for_open, descs, &handles, &raw);
  if (!s.ok()) return Fail(s, "opening backup " + std::to_string(id));
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string v;
  s = db->Get(rocksdb::ReadOptions(), db->DefaultColumnFamily(), std::string(layout::kMetaLastRecordTime),
              &v);
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  if (s.ok() && v.size() == 8) {
    b.record_time = layout::GetU64(v.data());
  } else if (!s.IsNotFound()) {
    return s.ok() ? Status::Corruption("backup " + std::to_string(id) + ": malformed last record time")
                  : Fail(s, "reading backup " + std::to_string(id));
  }
  return b;
}

Result<std::unique_ptr<rocksdb::BackupEngineReadOnly>> OpenForReading(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(dir) / "meta", ec)) {
    return Status::NotFound("there are no backups in " + dir + " (make one with `lodestone backup " + dir +
                            "`)");
  }
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  rocksdb::IOStatus s =
      rocksdb::BackupEngineReadOnly::Open(EngineOptions(dir), rocksdb::Env::Default(), &raw);
  if (!s.ok()) return Fail(s, "opening the backups in " + dir);
  return std::unique_ptr<rocksdb::BackupEngineReadOnly>(raw);
}

}  // namespace

Result<BackupInfo> CreateBackup(GraphStore& store, const std::string& dir) {
  auto* rocks = dynamic_cast<internal::RocksStore*>(&store);
  if (!rocks) return Status::Unsupported("backups need the RocksDB store");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create the backup directory " + dir + ": " + ec.message());
  rocksdb::BackupEngine* raw = nullptr;
  rocksdb::IOStatus s = rocksdb::BackupEngine::Open(EngineOptions(dir), rocksdb::Env::Default(), &raw);
  if (!s.ok()) return Fail(s, "opening the backups in " + dir);
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);

  rocksdb::BackupID id = 0;
  // Beside a primary that compacts, a table file the secondary listed may be gone before it is
  // copied: the backup fails, and is taken again after catching up (its partial files are removed).
  constexpr int kAttempts = 8;
  for (int attempt = 1;; ++attempt) {
    // A primary's writer waits while the files are listed and copied; a secondary does not catch up.
    std::unique_lock<std::mutex> writer;
    if (!store.secondary()) writer = std::unique_lock<std::mutex>(rocks->writer_mutex());
    auto pin = rocks->PinForRead();
    rocksdb::CreateBackupOptions o;
    // A primary flushes its memtables first, so the backup is table files and little log; a
    // secondary cannot flush and copies the primary's write-ahead log as far as it is written.
    o.flush_before_backup = !store.secondary();
    s = engine->CreateNewBackup(o, rocks->db(), &id);
    if (s.ok()) break;
    bool vanished = s.IsPathNotFound() || s.ToString().find("No such file") != std::string::npos;
    if (!store.secondary() || !vanished || attempt == kAttempts) {
      return Fail(s, "backing up " + store.path() + " into " + dir);
    }
    pin.reset();
    auto caught = store.CatchUp();
    if (!caught.ok()) return caught.status();
  }
  return Describe(*engine, id);
}

Result<std::vector<BackupInfo>> ListBackups(const std::string& dir) {
  ASSIGN_OR_RETURN(auto engine, OpenForReading(dir));
  std::vector<rocksdb::BackupInfo> infos;
  engine->GetBackupInfo(&infos);
  if (infos.empty()) return Status::NotFound("there are no backups in " + dir);
  std::vector<BackupInfo> out;
  for (const auto& i : infos) {
    ASSIGN_OR_RETURN(BackupInfo b, Describe(*engine, i.backup_id));
    out.push_back(b);
  }
  return out;
}

Result<std::vector<std::pair<BackupInfo, Status>>> VerifyBackups(const std::string& dir) {
  ASSIGN_OR_RETURN(auto engine, OpenForReading(dir));
  std::vector<std::pair<BackupInfo, Status>> out;
  std::vector<rocksdb::BackupID> corrupt;
  engine->GetCorruptedBackups(&corrupt);
  for (rocksdb::BackupID id : corrupt) {
    BackupInfo b;
    b.id = id;
    out.emplace_back(
        b, Status::Corruption("the description of backup " + std::to_string(id) + " is unreadable"));
  }
  std::vector<rocksdb::BackupInfo> infos;
  engine->GetBackupInfo(&infos);
  for (const auto& i : infos) {
    BackupInfo b;
    b.id = i.backup_id;
    b.created = i.timestamp;
    b.bytes = i.size;
    b.files = i.number_files;
    rocksdb::IOStatus s = engine->VerifyBackup(i.backup_id, /*verify_with_checksum=*/true);
    out.emplace_back(b, s.ok() ? Status::OK() : Status::Corruption(s.ToString()));
  }
  if (out.empty()) return Status::NotFound("there are no backups in " + dir);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first.id < b.first.id; });
  return out;
}

Result<BackupInfo> RestoreBackup(const std::string& dir, std::optional<uint32_t> id,
                                 const std::string& target) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(target, ec) && !(fs::is_directory(target, ec) && fs::is_empty(target, ec))) {
    return Status::InvalidArgument(
        target + " already exists; restore into a new database directory (name it with --db)");
  }
  ASSIGN_OR_RETURN(auto engine, OpenForReading(dir));
  rocksdb::BackupInfo info;
  rocksdb::Status gs = id ? engine->GetBackupInfo(*id, &info) : engine->GetLatestBackupInfo(&info);
  if (!gs.ok()) {
    if (id)
      return Status::NotFound("there is no backup " + std::to_string(*id) + " in " + dir +
                              " (`lodestone backup --list " + dir + "` lists them)");
    return Status::NotFound("there are no backups in " + dir);
  }
  rocksdb::IOStatus s =
      engine->RestoreDBFromBackup(rocksdb::RestoreOptions(), info.backup_id, target, target);
  if (!s.ok()) {
    fs::remove_all(target, ec);
    return Fail(s, "restoring backup " + std::to_string(info.backup_id) + " from " + dir);
  }
  StoreOptions o;
  o.read_only = true;
  o.topology_cache_bytes = 0;
  auto restored = GraphStore::Open(target, o);
  if (!restored.ok())
    return Status::Corruption("the restored database does not open: " + restored.status().message());
  BackupInfo b;
  b.id = info.backup_id;
  b.created = info.timestamp;
  b.bytes = info.size;
  b.files = info.number_files;
  b.record_time = (*restored)->last_commit_time();
  return b;
}

}  // namespace lodestone
