#include <cstdlib>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "domain/lifecycle.h"

int main(int argc, char** argv) {
  using namespace lodestone::cli;
  CLI::App app{
      "lodestone: a bitemporal knowledge graph of how governments and firms wield critical minerals.\n"
      "Queries use a Cypher-style language with VALID AT / VALID DURING / KNOWN AT for time.",
      "lodestone"};
  app.require_subcommand(1);
  GlobalOptions g;
  if (const char* env = std::getenv("LODESTONE_DB")) g.db = env;
  app.add_option("--db", g.db, "Database directory (default: data/lodestone.db, or $LODESTONE_DB)");
  app.add_flag("--sync", g.sync, "Make every commit durable against power loss (slower writes)");
  app.add_option("--cache-mib", g.cache_mib,
                 "Memory for the topology cache of `serve` and `shell`, in MiB (default " +
                     std::to_string(lodestone::StoreOptions{}.topology_cache_bytes >> 20) +
                     "; 0 turns it off: traversals then read RocksDB; commands that run once keep none)")
      ->check(CLI::Range(size_t{0}, kMaxCacheMib));
  AddStoreCommands(app, g);
  AddQueryCommand(app, g);
  AddShellCommand(app, g);
  AddImportCommand(app, g);
  AddExportCommand(app, g);
  AddServeCommand(app, g);
  AddBackupCommands(app, g);
  AddDiffCommand(app, g);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
