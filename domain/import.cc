#include "domain/import.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "domain/import_run.h"
#include "domain/lifecycle.h"
#include "domain/records.h"
#include "domain/tabular.h"
#include "query/parser/parser.h"
#include "store/bulk_load.h"
#include "util/parallel.h"
#include "util/sharded_index.h"
#include "util/strings.h"

namespace lodestone::embedded {
std::string_view SeedJsonl();
std::string_view CommoditiesJsonl();
std::string_view DatasetJsonl();
}  // namespace lodestone::embedded

namespace lodestone::domain {

using json = nlohmann::json;

std::string Problem::ToString() const {
  std::string s = file;
  if (line > 0) s += (s.empty() ? "" : ", ") + std::string("line ") + std::to_string(line);
  if (!field.empty()) s += (s.empty() ? "" : ", ") + std::string("field ") + field;
  return s.empty() ? message : s + ": " + message;
}

std::string ImportReport::Summary() const {
  char time[32];
  std::snprintf(time, sizeof time, "%.2f s", seconds);
  std::string s = "created " + std::to_string(created) + ", updated " + std::to_string(updated) +
                  ", unchanged " + std::to_string(unchanged) + ", rejected " + std::to_string(rejected);
  if (statements) s += "; ran " + std::to_string(statements) + " statement(s)";
  if (controls_recomputed)
    s += "; recomputed the in-force periods of " + std::to_string(controls_recomputed) + " control(s)";
  if (schema_extended) s += "; extended the schema";
  return s + " in " + time;
}

std::string_view SeedJsonLines() { return embedded::SeedJsonl(); }
std::string_view CommoditiesJsonLines() { return embedded::CommoditiesJsonl(); }
std::string_view DatasetJsonLines() { return embedded::DatasetJsonl(); }

Result<ImportInput> ReadImportFile(const std::string& path, const std::string& mapping_path) {
  namespace fs = std::filesystem;
  ImportInput in;
  in.name = path;
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".jsonl" || ext == ".ndjson") {
    in.kind = InputKind::kJsonLines;
  } else if (ext == ".csv") {
    in.kind = InputKind::kCsv;
  } else if (ext == ".cypher" || ext == ".cql") {
    in.kind = InputKind::kScript;
  } else {
    return Status::InvalidArgument("cannot tell what " + path +
                                   " holds from its name; name JSON Lines files .jsonl, CSV files "
                                   ".csv and query scripts .cypher");
  }
  auto slurp = [](const std::string& p, std::string* out) {
    std::ifstream f(p, std::ios::binary);
    if (!f) return false;
    std::ostringstream ss;
    ss << f.rdbuf();
    *out = ss.str();
    return true;
  };
  std::error_code ec;
  if (fs::is_directory(path, ec))
    return Status::InvalidArgument(path + " is a directory; give the files in it");
  if (!slurp(path, &in.text)) return Status::NotFound("cannot read " + path + ": " + std::strerror(errno));
  if (in.kind == InputKind::kCsv) {
    std::string m = mapping_path;
    if (m.empty()) {
      fs::path sidecar = fs::path(path).replace_extension(".mapping.json");
      if (fs::exists(sidecar, ec)) m = sidecar.string();
    }
    if (!m.empty()) {
      std::string text;
      if (!slurp(m, &text))
        return Status::NotFound("cannot read the mapping file " + m + ": " + std::strerror(errno));
      in.mapping = std::move(text);
      in.mapping_name = m;
    }
  }
  return in;
}

namespace import_internal {

void Run::Go() {
  auto t0 = Clock::now();
  view_ = db_.store().Read();
  db_keys_ = std::make_unique<DbKeys>(*view_);
  if (Status s = CheckDomainVersion(db_.store()); !s.ok()) {
    report_.problems.push_back({"", 0, "", s.message()});
    report_.failed = true;
    return;
  }
  if (!LoadSchema()) {
    report_.failed = true;
    report_.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return;
  }
  phase_start_ = Clock::now();
  auto phase = [&](const char* name) { Phase(name); };
  ReadInputs();
  phase("read and check");
  CheckDuplicates();
  phase("duplicates");
  if (Status s = Resolve(); !s.ok()) {
    report_.problems.push_back({"", 0, "", s.ToString()});
    report_.failed = true;
  }
  phase("references");
  if (!report_.failed) {
    if (Status s = CheckLifecycles(); !s.ok()) {
      report_.problems.push_back({"", 0, "", s.ToString()});
      report_.failed = true;
    }
  }
  phase("lifecycles");
  size_t bad = 0;
  for (const auto& r : records_) bad += r.bad;
  // Problems with a file as a whole (a bad mapping, a CSV header, a script) fail the import even with
  // skip_bad; so do problems when no record is bad (nothing to skip).
  if (!report_.problems.empty() && (!opt_.skip_bad || fatal_ || bad == 0)) report_.failed = true;
  if (!report_.failed) {
    bool bulk = UseBulk();
    Status s = bulk ? WriteBulkPath() : WriteTxnPath();

    if (!s.ok()) {
      report_.failed = true;
      report_.storage_failed = s.code() == Status::Code::kIOError || s.code() == Status::Code::kCorruption ||
                               s.code() == Status::Code::kBusy;
      report_.problems.push_back({"", 0, "", s.message()});
    }
    phase(bulk ? "commit" : "write and commit");  // the bulk path notes "write" itself
  }
  if (report_.failed) {
    // Nothing was written: every record counts as rejected or not written.
    report_.created = report_.updated = report_.unchanged = 0;
    report_.committed = false;
    report_.controls_recomputed = 0;
    report_.schema_extended = false;
    report_.rejected = bad;
    if (opt_.collect_changes)
      std::erase_if(report_.changes, [](const Change& c) { return c.kind != Change::Kind::kRejected; });
  }
  // The records' memory goes back on every core (hundreds of thousands of small blocks in a big
  // import): each thread empties its share of the records, and the emptied records go at once.
  OnShares(records_.size(), ThreadsFor(records_.size()), [&](size_t, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) records_[i] = Record();
  });
  records_ = {};
  phase("release");
  // Problems in reading order: by file, then line.
  std::map<std::string, size_t> file_order;
  for (size_t f = 0; f < inputs_.size(); ++f) file_order.emplace(inputs_[f].name, f + 1);
  std::stable_sort(report_.problems.begin(), report_.problems.end(), [&](const Problem& a, const Problem& b) {
    // Problems of files outside the inputs (a schema or mapping file) first, general ones last.
    auto order = [&](const std::string& f) {
      return f.empty() ? SIZE_MAX : file_order.count(f) ? file_order[f] : 0;
    };
    size_t fa = order(a.file), fb = order(b.file);
    if (fa != fb) return fa < fb;
    return a.line < b.line;
  });
  report_.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
}

bool Run::UseBulk() {
  if (!opt_.allow_bulk || opt_.dry_run || !scripts_.empty() || schema_changed_) return false;
  size_t good = 0;
  for (const auto& r : records_) good += !r.bad;
  if (good < opt_.bulk_min_records) return false;
  // Only new entities: every node key new, every relationship with at least one new end, every
  // affected control new (its validity is computed here, not updated).
  auto relationships_ok = [&](const Record& r) {
    for (const RelItem& item : r.rels) {
      bool from_new = r.kind == RecordKind::kEvent || Defined(item.from);
      bool to_new = Defined(item.to).has_value();
      if (!from_new && !to_new) return false;
      if (item.type == "AFFECTS" && !to_new) return false;
    }
    return true;
  };
  size_t threads = ThreadsFor(records_.size());
  std::vector<char> ok(threads, 1);
  OnShares(records_.size(), threads, [&](size_t t, size_t begin, size_t end) {
    for (size_t i = begin; i < end && ok[t]; ++i) ok[t] = records_[i].bad || relationships_ok(records_[i]);
  });
  if (std::find(ok.begin(), ok.end(), 0) != ok.end()) return false;
  if (db_keys_->empty()) return true;
  // The database view serves one thread.
  for (const auto& r : records_) {
    if (r.bad || (r.kind != RecordKind::kNode && r.kind != RecordKind::kEvent)) continue;
    auto n = db_keys_->Find(r.key);
    if (!n.ok() || *n) return false;
  }
  return true;
}

}  // namespace import_internal

using import_internal::Run;

ImportReport Import(Database& db, const std::vector<ImportInput>& inputs, const ImportOptions& options) {
  ImportReport report;
  Run run(db, inputs, options, &report);
  run.Go();
  return report;
}

Status DeclareIndexes(Database& db) {
  auto view = db.store().Read();
  ASSIGN_OR_RETURN(Schema schema, Schema::ForView(*view));
  RETURN_IF_ERROR(CheckDomainVersion(db.store()));
  ASSIGN_OR_RETURN(auto txn, db.store().BeginWrite("init: declare the domain's indexes"));
  RETURN_IF_ERROR(EnsureIndexes(*txn, schema));
  RETURN_IF_ERROR(StampDomainVersion(db.store(), *txn));
  return txn->Commit();
}

ImportReport LoadSeed(Database& db, const std::string& origin, bool dataset) {
  ImportInput seed;
  seed.name = "lodestone-seed.jsonl (built in)";
  seed.text = std::string(SeedJsonLines());
  seed.kind = InputKind::kJsonLines;
  ImportInput commodities;
  commodities.name = "commodities.jsonl (built in)";
  commodities.text = std::string(CommoditiesJsonLines());
  commodities.kind = InputKind::kJsonLines;
  std::vector<ImportInput> inputs = {seed, commodities};
  if (dataset) {
    ImportInput measures;
    measures.name = "dataset.jsonl (built in)";
    measures.text = std::string(DatasetJsonLines());
    measures.kind = InputKind::kJsonLines;
    inputs.push_back(std::move(measures));
  }
  ImportOptions opt;
  opt.origin = origin;
  return Import(db, inputs, opt);
}

}  // namespace lodestone::domain
