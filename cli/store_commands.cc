// init, stats, history.
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "domain/import.h"
#include "domain/procedures.h"
#include "domain/schema.h"

namespace lodestone::cli {

StoreOptions StoreOptionsFor(const GlobalOptions& g, Use use) {
  StoreOptions o;
  o.sync = g.sync;
  if (use == Use::kOnce) {
    o.topology_cache_bytes = 0;
  } else {
    // A server or a shell builds its cache off the statements' path, after the open and each commit.
    o.topology_cache_in_background = true;
    if (g.cache_mib) o.topology_cache_bytes = *g.cache_mib << 20;
  }
  return o;
}

std::unique_ptr<Database> OpenDatabase(const GlobalOptions& g, bool create, bool read_only, Use use,
                                       Beside beside) {
  StoreOptions o = StoreOptionsFor(g, use);
  o.create_if_missing = create;
  o.read_only = read_only;
  if (create)
    std::filesystem::create_directories(
        std::filesystem::path(g.db).parent_path().empty() ? "." : std::filesystem::path(g.db).parent_path());
  auto db = Database::Open(g.db, o);
  if (!db.ok() && db.status().code() == Status::Code::kBusy && beside == Beside::kRead) {
    o.secondary = true;
    db = Database::Open(g.db, o);
  }
  if (!db.ok()) {
    std::cerr << "lodestone: " << db.status().message() << "\n";
    return nullptr;
  }
  // The domain's query functions (status(control, date), ...) and procedures (diff.recorded, ...).
  if (Status s = domain::RegisterDomain(**db); !s.ok()) {
    std::cerr << "lodestone: " << s.message() << "\n";
    return nullptr;
  }
  return std::move(db).value();
}

namespace {

std::string FormatTime(uint64_t micros) {
  if (micros == 0) return "never";
  return DateTime{static_cast<int64_t>(micros)}.ToString();
}

std::string HumanBytes(uint64_t b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(b);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

}  // namespace

void PrintStats(GraphStore& store) {
  auto st = store.Stats();
  if (!st.ok()) {
    std::cerr << "lodestone: " << st.status().message() << "\n";
    throw CLI::RuntimeError(1);
  }
  std::cout << "database:            " << store.path() << "\n"
            << "nodes:               " << st->nodes << "\n"
            << "relationships:       " << st->relationships << "\n"
            << "labels:              " << st->labels << "\n"
            << "relationship types:  " << st->relationship_types << "\n"
            << "property keys:       " << st->property_keys << "\n"
            << "indexes:             " << st->indexes << "\n"
            << "commits:             " << st->commits << "\n"
            << "kept versions:       " << st->versions << "\n"
            << "last recorded:       " << FormatTime(st->last_record_time) << "\n"
            << "on disk:             " << HumanBytes(st->disk_bytes) << "\n";
  if (auto v = domain::DomainVersion(store); v.ok()) {
    std::cout << "schema version:      " << *v
              << (*v < domain::kDomainVersion
                      ? " (older than this build's " + std::to_string(domain::kDomainVersion) +
                            "; the next import or init moves it up)"
                      : "")
              << "\n";
  }
  auto view = store.Read();
  const NameResolver& names = view->names();
  auto labels = names.LabelNames();
  bool header = false;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i].empty()) continue;
    auto n = view->CountLabel(static_cast<LabelId>(i));
    if (!n.ok() || *n == 0) continue;
    if (!header) std::cout << "by label:\n";
    header = true;
    std::cout << "  " << labels[i] << std::string(labels[i].size() < 18 ? 18 - labels[i].size() : 1, ' ')
              << *n << "\n";
  }
}

void AddStoreCommands(CLI::App& app, GlobalOptions& g) {
  auto* init =
      app.add_subcommand("init", "Create the database (if absent) and load the seed knowledge graph");
  init->footer(
      "\nThe seed is compiled into lodestone, so init works from any directory. It is the article's\n"
      "graph, the commodity codes (HS 2022, materials, product forms) and a dataset of 2023-2026\n"
      "measures and responses (seed/DATASET.md), loaded as one import. Running init again changes\n"
      "nothing unless the seed of this build differs from what the database holds; an edited seed\n"
      "record becomes a new version (see `lodestone history KEY`).");
  static bool no_seed = false;
  init->add_flag("--no-seed", no_seed,
                 "Create an empty database (with the domain's indexes) instead of loading the seed");
  static bool no_dataset = false;
  init->add_flag("--no-dataset", no_dataset,
                 "Load the seed and the commodity codes but leave out the dataset of 2023-2026 measures "
                 "shipped beside them");
  init->callback([&g] {
    bool existed = std::filesystem::exists(g.db);
    auto db = OpenDatabase(g, true, false);
    if (!db) throw CLI::RuntimeError(1);
    std::cout << (existed ? "opened " : "created ") << g.db << "\n";
    if (no_seed) {
      Status s = domain::DeclareIndexes(*db);
      if (!s.ok()) {
        std::cerr << "lodestone init: " << s.message() << "\n";
        throw CLI::RuntimeError(1);
      }
      return;
    }
    const char* user = std::getenv("USER");
    std::string what = no_dataset ? "lodestone-seed.jsonl and commodities.jsonl"
                                  : "lodestone-seed.jsonl, commodities.jsonl and dataset.jsonl";
    domain::ImportReport r =
        domain::LoadSeed(*db, "init: seed " + what + " by " + (user ? user : "unknown"), !no_dataset);
    for (const auto& p : r.problems) std::cerr << p.ToString() << "\n";
    if (r.failed) {
      std::cerr << "lodestone init: the seed did not load; nothing was written\n";
      throw CLI::RuntimeError(1);
    }
    std::cout << "seed: " << r.Summary() << "\n";
  });

  auto* stats = app.add_subcommand("stats", "Show what the database holds");
  stats->callback([&g] {
    auto db = OpenDatabase(g, false, false, Use::kOnce, Beside::kRead);
    if (!db) throw CLI::RuntimeError(1);
    PrintStats(db->store());
  });

  auto* history =
      app.add_subcommand("history", "List the recorded versions of a node, newest first, with their origin");
  static std::string key;
  history->add_option("KEY", key, "The node's key, e.g. control/cn-2025-10-five-heavy-rare-earths")
      ->required();
  history->callback([&g] {
    auto db = OpenDatabase(g, false, false, Use::kOnce, Beside::kRead);
    if (!db) throw CLI::RuntimeError(1);
    GraphStore& store = db->store();
    auto id = store.FindNodeEverywhere(key);
    if (!id.ok() || !*id) {
      std::cerr << "lodestone: no node has the key '" << key << "' (now or in the past)\n";
      throw CLI::RuntimeError(1);
    }
    auto versions = store.NodeHistory(**id);
    if (!versions.ok()) {
      std::cerr << "lodestone: " << versions.status().message() << "\n";
      throw CLI::RuntimeError(1);
    }
    const NameResolver& names = store.names();
    for (const Version& v : *versions) {
      std::cout << "recorded " << FormatTime(v.from_record_time);
      if (v.to_record_time) {
        std::cout << (v.deleted_after ? ", deleted " : ", replaced ") << FormatTime(*v.to_record_time);
      } else {
        std::cout << " (current)";
      }
      std::cout << "\n  origin: " << (v.origin.empty() ? "(unknown)" : v.origin) << "\n";
      const NodeRecord& r = *v.node;
      std::cout << "  labels:";
      for (LabelId l : r.labels) std::cout << " :" << names.LabelName(l);
      std::cout << "\n";
      for (const Period& p : r.validity) {
        std::cout << "  valid: " << (p.from ? p.from->ToString() : "(open)") << " to "
                  << (p.to ? p.to->ToString() : "(open)") << "\n";
      }
      for (const auto& [k, val] : r.props)
        std::cout << "  " << names.PropKeyName(k) << ": " << val.ToString() << "\n";
    }
  });
}

}  // namespace lodestone::cli
