// Importing files into a Lodestone database (docs/import.md).
//
// Forms: JSON Lines (node, rel, event and schema records), CSV (events by default; other shapes through
// a mapping file), and query scripts (statements separated by ';').
//
// Guarantees:
//   - Validate everything before writing anything. Every problem names the file, the line, the field
//     and what was expected. By default one bad record means nothing is written; with skip_bad the
//     good records are written and the bad ones reported.
//   - Upsert by key (relationships by type, ends and key), so importing the same file twice changes
//     nothing, and an edited record writes a new version of the entity into history.
//   - One import is one transaction (one commit, one change-log entry): all of it or none of it, even
//     if the process is killed.
//   - Controls' in-force periods are recomputed from their lifecycle events after every import that
//     touches a control or an event affecting one.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/schema.h"
#include "query/database.h"

namespace lodestone::domain {

enum class InputKind { kJsonLines, kCsv, kScript };

// One file to import, already read.
struct ImportInput {
  std::string name;  // as shown in messages, e.g. "data/events.csv"
  std::string text;
  InputKind kind = InputKind::kJsonLines;
  // CSV: the mapping document (docs/import.md, "Mapping files") and its name; none for event CSV.
  std::optional<std::string> mapping;
  std::string mapping_name;
};

// Reads a file, choosing its form by extension: .jsonl/.ndjson (JSON Lines), .csv, .cypher/.cql
// (query script). For a CSV, `mapping_path` (or a sidecar NAME.mapping.json next to it) is read too.
Result<ImportInput> ReadImportFile(const std::string& path, const std::string& mapping_path = "");

// A problem with an input: "events.csv, line 12, field event_kind: 'meating' is not an event kind;
// expected one of imposition, suspension, ...".
struct Problem {
  std::string file;
  int line = 0;       // 0: the file as a whole
  std::string field;  // e.g. "event_kind", "props.name", "involves[2]"; empty when not about one field
  std::string message;
  std::string ToString() const;
};

// What one record did (or would do, in a dry run).
struct Change {
  enum class Kind { kCreated, kUpdated, kUnchanged, kRejected };
  Kind kind;
  std::string what;  // "node actor/china", "IMPOSED actor/china -> control/...", "event event/..."
  std::string file;
  int line = 0;
  std::vector<std::string> details;  // for updates: what changed ("props.name", "sources", ...)
};

struct ImportProgress {
  std::string phase;  // "reading", "checking", "writing", "committing"
  uint64_t done = 0;
  uint64_t total = 0;
};

struct ImportOptions {
  bool skip_bad = false;          // write the good records, report the bad ones
  bool dry_run = false;           // do everything but commit; report what would change
  std::string origin = "import";  // kept with every version written, e.g. "import a.jsonl by alice"
  // Schema extension documents to apply first (each {"labels": ..., "relationships": ...}), with names.
  std::vector<std::pair<std::string, std::string>> schema_extensions;
  // Keep per-record changes in the report (for --dry-run and tests); otherwise only counts.
  bool collect_changes = false;
  // Called now and then with the phase and counts (for a progress bar).
  std::function<void(const ImportProgress&)> progress;
  // Allow the bulk-load path (new entities only, no scripts) for imports of at least this many records.
  bool allow_bulk = true;
  size_t bulk_min_records = 20'000;
};

struct ImportReport {
  uint64_t records = 0;  // records read (lines of JSON Lines, rows of CSV), schema records included
  uint64_t created = 0;
  uint64_t updated = 0;
  uint64_t unchanged = 0;
  uint64_t rejected = 0;
  uint64_t statements = 0;           // query-script statements run
  uint64_t controls_recomputed = 0;  // controls whose in-force periods changed
  bool schema_extended = false;
  std::vector<Problem> problems;  // errors (rejected records, or why nothing was written)
  std::vector<Problem> warnings;  // noted, not refused
  std::vector<Change> changes;    // with collect_changes
  bool committed = false;         // something was written
  bool bulk = false;              // the bulk-load path wrote it
  uint64_t record_time = 0;       // of the commit
  double seconds = 0;
  // Seconds spent in each phase ("read and check", "references", "lifecycles", "write", "commit").
  std::vector<std::pair<std::string, double>> phases;
  // True when the import failed as a whole (errors without skip_bad, a failed script, a storage error).
  bool failed = false;
  // True when it failed because the database could not be written (a full disk, an I/O error, damaged
  // files), not because of the input: trying again later may work.
  bool storage_failed = false;

  // "created 3, updated 1, unchanged 12, rejected 0 in 0.02 s"
  std::string Summary() const;
};

// Imports the inputs into `db` as one transaction.
ImportReport Import(Database& db, const std::vector<ImportInput>& inputs, const ImportOptions& options);

// The seed knowledge graph compiled into the binary (seed/lodestone-seed.jsonl), the commodity
// ontology loaded with it (seed/commodities.jsonl: materials, product forms, HS codes), and the
// dataset of 2023-2026 measures and responses shipped beside it (seed/dataset.jsonl).
std::string_view SeedJsonLines();
std::string_view CommoditiesJsonLines();
std::string_view DatasetJsonLines();
// Loads the seed, the commodity ontology and (unless `dataset` is false) the dataset as one import
// (idempotent: a second run changes nothing) and declares the domain's indexes. The files share keys,
// never redefine one (the importer refuses a key defined twice).
ImportReport LoadSeed(Database& db, const std::string& origin, bool dataset = true);
// Declares the domain's indexes in a database (one commit; nothing when they exist).
Status DeclareIndexes(Database& db);

}  // namespace lodestone::domain
