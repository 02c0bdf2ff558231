// Online backups of a database, and restores from them, with RocksDB's BackupEngine.
//
// A backup directory holds any number of backups. Table files are shared between the backups that
// hold them, so each backup after the first copies only what changed (incremental), and every file
// is kept with its checksum (crc32c), checked by VerifyBackups and on restore. A backup is published
// by renaming its description into place once all its files are written and synced: a backup that
// stops halfway (killed, power lost, disk full) leaves the earlier ones intact and is cleaned away
// by the next backup into the same directory.
//
// A backup is taken from an open store: a primary (the process that writes) or a secondary
// (StoreOptions::secondary, beside a running server); the secondary does not catch up while it
// copies, so the backup holds exactly the commits up to its record time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/graph_store.h"

namespace lodestone {

struct BackupInfo {
  uint32_t id = 0;
  int64_t created = 0;  // seconds since the epoch
  uint64_t bytes = 0;   // the files this backup needs (some shared with other backups)
  uint32_t files = 0;
  uint64_t record_time = 0;  // the last commit the backup holds (micros since the epoch; 0: empty)
};

// Backs up `store` into `dir` (created if missing).
Result<BackupInfo> CreateBackup(GraphStore& store, const std::string& dir);
// The backups in `dir`, oldest first. NotFound when `dir` holds none.
Result<std::vector<BackupInfo>> ListBackups(const std::string& dir);
// Reads every file of every backup in `dir` and checks its size and checksum. One entry per backup:
// OK, or what is wrong with it.
Result<std::vector<std::pair<BackupInfo, Status>>> VerifyBackups(const std::string& dir);
// Restores backup `id` (the latest when absent) from `dir` into `target`, a directory that must not
// exist or be empty, and checks that the result opens as a Lodestone database.
Result<BackupInfo> RestoreBackup(const std::string& dir, std::optional<uint32_t> id,
                                 const std::string& target);

}  // namespace lodestone
