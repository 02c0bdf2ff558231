// The lodestone binary's commands. Each Add* registers a subcommand on the app; main.cc wires them.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "query/database.h"

namespace lodestone::cli {

// The largest topology cache --cache-mib accepts, in MiB (1 TiB): beyond any machine this runs on,
// and far below where the size in bytes would overflow.
inline constexpr size_t kMaxCacheMib = size_t{1} << 20;

// Options every command shares.
struct GlobalOptions {
  std::string db = "data/lodestone.db";
  bool sync = false;
  std::optional<size_t> cache_mib;  // the topology cache's budget; unset: StoreOptions' default
};

// How long a command keeps the database open. The topology cache is built on first use and pays off
// over many statements: the shell and the server keep it; a command that runs once reads RocksDB
// directly (docs/design.md, "The topology cache", has the figures).
enum class Use { kOnce, kMany };

// The store options a command opens the database with: --sync, and the topology cache's budget
// (--cache-mib) for commands that keep the database open; commands that run once keep no cache.
StoreOptions StoreOptionsFor(const GlobalOptions& g, Use use);

// What a command does when another process (a server, an import) holds the database.
enum class Beside {
  kRefuse,  // fail with the store's message
  kRead,    // open it beside that process as a secondary: reads see every commit made before the open
            // (and, after GraphStore::CatchUp, before that call); writes are refused
};

// Opens the database for a command; prints a clear error and returns null when it cannot.
std::unique_ptr<Database> OpenDatabase(const GlobalOptions& g, bool create, bool read_only,
                                       Use use = Use::kOnce, Beside beside = Beside::kRefuse);

void AddStoreCommands(CLI::App& app, GlobalOptions& g);   // init, stats, history
void AddQueryCommand(CLI::App& app, GlobalOptions& g);    // query
void AddShellCommand(CLI::App& app, GlobalOptions& g);    // shell
void AddImportCommand(CLI::App& app, GlobalOptions& g);   // import
void AddExportCommand(CLI::App& app, GlobalOptions& g);   // export
void AddServeCommand(CLI::App& app, GlobalOptions& g);    // serve
void AddBackupCommands(CLI::App& app, GlobalOptions& g);  // backup, restore
void AddDiffCommand(CLI::App& app, GlobalOptions& g);     // diff

// POSTs `body` to `url` (http://HOST:PORT) + `path` with a bearer token; the response's status and
// body, or a message saying why no response came.
struct HttpReply {
  int status = 0;
  std::string body;
};
Result<HttpReply> HttpPost(const std::string& url, const std::string& path, const std::string& content_type,
                           const std::string& token, const std::string& body);
// Reads a token file: its content without surrounding whitespace, one word. Prints what is wrong.
bool ReadToken(const std::string& path, std::string* token, std::string_view command);

// Parses --param name=<JSON value> into a parameter map; prints the error and returns false on failure.
bool ParseParams(const std::vector<std::string>& specs, ValueMap* out);

}  // namespace lodestone::cli
