// lodestone backup, lodestone restore: online backups with RocksDB's BackupEngine (store/backup.h).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "store/backup.h"

namespace lodestone::cli {
namespace {

std::string Mib(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

std::string RecordTime(uint64_t micros) {
  return micros ? DateTime{static_cast<int64_t>(micros)}.ToString() : std::string("(empty database)");
}

std::string Created(int64_t seconds) { return DateTime{seconds * 1'000'000}.ToString(); }

[[noreturn]] void Fail(std::string_view command, const Status& s) {
  std::cerr << "lodestone " << command << ": " << s.message() << "\n";
  throw CLI::RuntimeError(1);
}

}  // namespace

void AddBackupCommands(CLI::App& app, GlobalOptions& g) {
  struct Args {
    std::string dir;
    bool list = false;
    bool verify = false;
    std::string restore_dir;
    int64_t backup_id = -1;
  };
  static Args a;
  auto* backup = app.add_subcommand(
      "backup", "Back up the database into a backup directory, online (or --list, --verify)");
  backup->footer(
      "\nWorks while `lodestone serve` or an import holds the database: it then reads beside that\n"
      "process, and the backup holds every commit made before it started. Backups in one directory\n"
      "share their unchanged files, so each one after the first copies only what changed; every file is\n"
      "kept with its checksum. A backup that is interrupted leaves the earlier ones intact.\n"
      "\nExamples:\n"
      "  lodestone backup backups/\n"
      "  lodestone backup --list backups/\n"
      "  lodestone backup --verify backups/\n"
      "  lodestone --db data/restored.db restore backups/\n");
  backup->add_option("DIR", a.dir, "The backup directory (created if missing)")->required();
  backup->add_flag("--list", a.list, "List the backups in DIR: id, when, the record time they hold, size");
  backup->add_flag("--verify", a.verify, "Check every file of every backup in DIR against its checksum");
  backup->callback([&g] {
    if (a.list && a.verify) {
      std::cerr << "lodestone backup: give --list or --verify, not both\n";
      throw CLI::RuntimeError(2);
    }
    if (a.list) {
      auto list = ListBackups(a.dir);
      if (!list.ok()) Fail("backup", list.status());
      std::printf("%4s  %-27s  %-27s  %6s  %s\n", "id", "created", "holds commits up to", "files", "size");
      for (const BackupInfo& b : *list) {
        std::printf("%4u  %-27s  %-27s  %6u  %s\n", b.id, Created(b.created).c_str(),
                    RecordTime(b.record_time).c_str(), b.files, Mib(b.bytes).c_str());
      }
      return;
    }
    if (a.verify) {
      auto results = VerifyBackups(a.dir);
      if (!results.ok()) Fail("backup", results.status());
      size_t bad = 0;
      for (const auto& [b, st] : *results) {
        if (st.ok()) {
          std::cout << "backup " << b.id << ": ok (" << b.files << " files, " << Mib(b.bytes) << ")\n";
        } else {
          ++bad;
          std::cout << "backup " << b.id << ": DAMAGED: " << st.message() << "\n";
        }
      }
      if (bad) {
        std::cerr << bad << " of " << results->size()
                  << " backup(s) are damaged; restore from another one (--backup-id)\n";
        throw CLI::RuntimeError(1);
      }
      return;
    }
    auto db = OpenDatabase(g, false, false, Use::kOnce, Beside::kRead);
    if (!db) throw CLI::RuntimeError(1);
    auto start = std::chrono::steady_clock::now();
    auto b = CreateBackup(db->store(), a.dir);
    if (!b.ok()) Fail("backup", b.status());
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("backup %u of %s in %s: commits up to %s, %u files, %s (%.2f s)\n", b->id, g.db.c_str(),
                a.dir.c_str(), RecordTime(b->record_time).c_str(), b->files, Mib(b->bytes).c_str(), seconds);
  });

  auto* restore =
      app.add_subcommand("restore", "Restore a backup into a new database directory (the one --db names)");
  restore->footer(
      "\nThe database directory (--db) must not exist yet, or be empty: restore never overwrites.\n"
      "\nExample:\n"
      "  lodestone --db data/restored.db restore backups/ --backup-id 3\n");
  restore->add_option("DIR", a.restore_dir, "The backup directory")->required();
  restore->add_option("--backup-id", a.backup_id, "Which backup (see `backup --list`); default: the latest")
      ->check(CLI::Range(int64_t{1}, int64_t{UINT32_MAX}));
  restore->callback([&g] {
    std::optional<uint32_t> id;
    if (a.backup_id > 0) id = static_cast<uint32_t>(a.backup_id);
    std::error_code ec;
    std::filesystem::path parent = std::filesystem::path(g.db).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    auto b = RestoreBackup(a.restore_dir, id, g.db);
    if (!b.ok()) Fail("restore", b.status());
    std::cout << "restored backup " << b->id << " into " << g.db << ": commits up to "
              << RecordTime(b->record_time) << "\n";
  });
}

}  // namespace lodestone::cli
