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

#include "domain/lifecycle.h"
#include "domain/records.h"
#include "domain/tabular.h"
#include "query/parser/parser.h"
#include "store/bulk_load.h"

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
  std::string s = "created " + std::to_string(created) + ", updated " + std::to_string(updated) + ", unchanged " +
                  std::to_string(unchanged) + ", rejected " + std::to_string(rejected);
  if (statements) s += "; ran " + std::to_string(statements) + " statement(s)";
  if (controls_recomputed) s += "; recomputed the in-force periods of " + std::to_string(controls_recomputed) + " control(s)";
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
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".jsonl" || ext == ".ndjson") {
    in.kind = InputKind::kJsonLines;
  } else if (ext == ".csv") {
    in.kind = InputKind::kCsv;
  } else if (ext == ".cypher" || ext == ".cql") {
    in.kind = InputKind::kScript;
  } else {
    return Status::InvalidArgument("cannot tell what " + path + " holds from its name; name JSON Lines files .jsonl, CSV files "
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
  if (fs::is_directory(path, ec)) return Status::InvalidArgument(path + " is a directory; give the files in it");
  if (!slurp(path, &in.text)) return Status::NotFound("cannot read " + path + ": " + std::strerror(errno));
  if (in.kind == InputKind::kCsv) {
    std::string m = mapping_path;
    if (m.empty()) {
      fs::path sidecar = fs::path(path).replace_extension(".mapping.json");
      if (fs::exists(sidecar, ec)) m = sidecar.string();
    }
    if (!m.empty()) {
      std::string text;
      if (!slurp(m, &text)) return Status::NotFound("cannot read the mapping file " + m + ": " + std::strerror(errno));
      in.mapping = std::move(text);
      in.mapping_name = m;
    }
  }
  return in;
}

namespace {

using Clock = std::chrono::steady_clock;

// ------------------------------------------------------------------------------------------ helpers

// Record indexes by a key the records themselves hold (a node key, a relationship's identity): an
// open-addressing table of (hash, index) pairs. Finding a key allocates nothing and touches one
// slot and the record it names; an import asks hundreds of thousands of times.
class RecordIndex {
 public:
  void Reserve(size_t n) {
    if (n * 2 > slots_.size()) Rehash(n * 2);
  }
  // The index of the record whose key `same(index)` accepts, if any.
  template <typename Same>
  std::optional<size_t> Find(uint64_t hash, Same same) const {
    if (slots_.empty()) return std::nullopt;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.index == kEmpty) return std::nullopt;
      if (s.index != kErased && s.hash == hash && same(s.index)) return s.index;
    }
  }
  // Adds `index` unless a record with the same key is there; returns that record's index then.
  template <typename Same>
  std::optional<size_t> Insert(uint64_t hash, size_t index, Same same) {
    if (auto have = Find(hash, same)) return have;
    if ((used_ + 1) * 2 > slots_.size()) Rehash(std::max<size_t>(16, (size_ + 1) * 4));
    size_t i = hash & mask_;
    while (slots_[i].index != kEmpty && slots_[i].index != kErased) i = (i + 1) & mask_;
    if (slots_[i].index == kEmpty) ++used_;
    slots_[i] = {hash, static_cast<uint32_t>(index)};
    ++size_;
    return std::nullopt;
  }
  template <typename Same>
  void Erase(uint64_t hash, Same same) {
    if (slots_.empty()) return;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.index == kEmpty) return;
      if (s.index != kErased && s.hash == hash && same(s.index)) {
        s.index = kErased;  // a tombstone: later keys of the same probe sequence stay reachable
        --size_;
        return;
      }
    }
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  static constexpr uint32_t kErased = UINT32_MAX - 1;
  struct Slot {
    uint64_t hash = 0;
    uint32_t index = kEmpty;
  };
  void Rehash(size_t at_least) {
    size_t capacity = 16;
    while (capacity < at_least) capacity *= 2;
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    used_ = size_;
    for (const Slot& s : old) {
      if (s.index == kEmpty || s.index == kErased) continue;
      size_t i = s.hash & mask_;
      while (slots_[i].index != kEmpty) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;  // keys
  size_t used_ = 0;  // slots not empty (keys and tombstones)
};

uint64_t HashKey(std::string_view key) { return std::hash<std::string_view>{}(key); }

// A RecordIndex cut into shards by hash, so that threads can fill one shard each.
class ShardedRecordIndex {
 public:
  void Shards(size_t n) { shards_.assign(n, RecordIndex()); }
  size_t shards() const { return shards_.size(); }
  // High bits choose the shard; the table inside uses the low ones.
  size_t ShardOf(uint64_t hash) const { return shards_.size() == 1 ? 0 : (hash >> 40) % shards_.size(); }
  RecordIndex& shard(size_t i) { return shards_[i]; }
  template <typename Same>
  std::optional<size_t> Find(uint64_t hash, Same same) const {
    return shards_.empty() ? std::nullopt : shards_[ShardOf(hash)].Find(hash, same);
  }
  template <typename Same>
  void Erase(uint64_t hash, Same same) {
    if (!shards_.empty()) shards_[ShardOf(hash)].Erase(hash, same);
  }

 private:
  std::vector<RecordIndex> shards_;
};

// memchr skips from line to line several times faster than std::count looks at every byte.
size_t CountNewlines(std::string_view text) {
  size_t n = 0;
  for (const char* p = text.data(), *end = p + text.size(); (p = static_cast<const char*>(memchr(p, '\n', static_cast<size_t>(end - p)))); ++p) {
    ++n;
  }
  return n;
}

// Threads for a pass over n records: one for small imports, else one per core (up to four).
size_t ThreadsFor(size_t n) { return n < 4096 ? 1 : std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4); }

// Runs work(share, begin, end) on `threads` contiguous shares of [0, n), each on its own thread (the
// first on this one), and waits for all of them.
void OnShares(size_t n, size_t threads, const std::function<void(size_t, size_t, size_t)>& work) {
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work, t, n * t / threads, n * (t + 1) / threads);
  work(0, 0, n / threads);
  for (auto& h : helpers) h.join();
}

// A relationship is identified by its type, its ends (in either order for a symmetric type) and its key.
struct RelIdentity {
  std::string_view type, a, b, key;
  RelIdentity(const RelSpec* spec, const RelItem& r) : type(r.type), a(r.from), b(r.to), key(r.key) {
    if (spec && spec->symmetric && b < a) std::swap(a, b);
  }
  uint64_t Hash() const {
    uint64_t h = HashKey(type);
    for (std::string_view part : {a, b, key}) h = (h ^ HashKey(part)) * 0x9E3779B97F4A7C15ull;
    return h;
  }
  friend bool operator==(const RelIdentity&, const RelIdentity&) = default;
};

bool SameProps(const PropertyList& a, const PropertyList& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].first != b[i].first || !Identical(a[i].second, b[i].second)) return false;
  }
  return true;
}

std::vector<std::string> PropDiff(const PropertyList& a, const PropertyList& b, const NameResolver& names) {
  std::map<PropKeyId, const Value*> ma, mb;
  for (const auto& [k, v] : a) ma[k] = &v;
  for (const auto& [k, v] : b) mb[k] = &v;
  std::vector<std::string> out;
  for (const auto& [k, v] : mb) {
    auto it = ma.find(k);
    if (it == ma.end()) {
      out.push_back("props." + names.PropKeyName(k) + " added: " + v->ToString());
    } else if (!Identical(*it->second, *v)) {
      out.push_back("props." + names.PropKeyName(k) + ": " + it->second->ToString() + " -> " + v->ToString());
    }
  }
  for (const auto& [k, v] : ma) {
    if (!mb.count(k)) out.push_back("props." + names.PropKeyName(k) + " removed");
  }
  return out;
}

std::string ValidityText(const Validity& v) {
  if (v.empty()) return "always";
  std::string s;
  for (const auto& p : v) {
    if (!s.empty()) s += " ";
    s += "[" + (p.from ? p.from->ToString() : std::string("...")) + ", " + (p.to ? p.to->ToString() : std::string("...")) + ")";
  }
  return s;
}

// What the database says about a key, cached.
struct DbNode {
  NodeId id = 0;
  std::vector<std::string> labels;
};

class DbKeys {
 public:
  explicit DbKeys(ReadView& view) : view_(view) {
    auto cur = view_.ScanAllNodes();
    empty_ = !cur->Valid();
  }
  bool empty() const { return empty_; }
  // A key Find() has looked up before (safe to call from several threads while nothing calls Find()):
  // the node, or null when the database has none or the key was never looked up.
  const DbNode* Cached(const std::string& key) const {
    if (empty_) return nullptr;
    auto it = cache_.find(key);
    return it != cache_.end() && it->second ? &*it->second : nullptr;
  }
  Result<const DbNode*> Find(const std::string& key) {
    if (empty_) return static_cast<const DbNode*>(nullptr);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second ? &*it->second : static_cast<const DbNode*>(nullptr);
    ASSIGN_OR_RETURN(auto id, view_.FindNode(key));
    if (!id) {
      cache_.emplace(key, std::nullopt);
      return static_cast<const DbNode*>(nullptr);
    }
    NodeRecord r;
    ASSIGN_OR_RETURN(bool found, view_.GetNode(*id, &r));
    DbNode n;
    n.id = *id;
    if (found) {
      for (LabelId l : r.labels) n.labels.push_back(view_.names().LabelName(l));
    }
    auto [pos, inserted] = cache_.emplace(key, std::move(n));
    return &*pos->second;
  }

 private:
  ReadView& view_;
  bool empty_ = false;
  std::unordered_map<std::string, std::optional<DbNode>> cache_;
};

// ------------------------------------------------------------------------------------------ the import

class Run {
 public:
  Run(Database& db, const std::vector<ImportInput>& inputs, const ImportOptions& opt, ImportReport* report)
      : db_(db), inputs_(inputs), opt_(opt), report_(*report) {}

  void Go();

 private:
  // Phases.
  bool LoadSchema();
  void ReadInputs();
  void ReadJsonLines(int file);
  void ReadCsv(int file);
  void ReadScript(int file);
  void CheckDuplicates();
  Status Resolve();
  Status CheckLifecycles();
  bool UseBulk();
  Status WriteTxnPath();
  Status WriteBulkPath();

  void FileProblem(int file, int line, std::string field, std::string message) {
    fatal_ = true;
    AddProblem(file, line, std::move(field), std::move(message));
  }
  void AddProblem(int file, int line, std::string field, std::string message) {
    report_.problems.push_back({inputs_[static_cast<size_t>(file)].name, line, std::move(field), std::move(message)});
  }
  void Reject(Record& r, std::string field, std::string message) {
    AddProblem(r.file, r.line, std::move(field), std::move(message));
    r.bad = true;
  }
  // Notes the time since the last phase ended as the time of `name`.
  void Phase(const char* name) {
    auto now = Clock::now();
    report_.phases.emplace_back(name, std::chrono::duration<double>(now - phase_start_).count());
    phase_start_ = now;
  }
  void Progress(const char* phase, uint64_t done, uint64_t total) {
    if (!opt_.progress) return;
    auto now = Clock::now();
    if (done != total && done != 0 && now - last_progress_ < std::chrono::milliseconds(100)) return;
    last_progress_ = now;
    opt_.progress(ImportProgress{phase, done, total});
  }
  void Outcome(const Record& r, Change::Kind kind, std::vector<std::string> details = {}) {
    switch (kind) {
      case Change::Kind::kCreated: ++report_.created; break;
      case Change::Kind::kUpdated: ++report_.updated; break;
      case Change::Kind::kUnchanged: ++report_.unchanged; break;
      case Change::Kind::kRejected: ++report_.rejected; break;
    }
    if (opt_.collect_changes) {
      report_.changes.push_back({kind, r.Describe(), inputs_[static_cast<size_t>(r.file)].name, r.line, std::move(details)});
    }
  }
  // Labels of a key: from this import's good node records, or from the database.
  Result<const std::vector<std::string>*> LabelsOf(const std::string& key) {
    if (auto i = Defined(key)) return &records_[*i].labels;
    ASSIGN_OR_RETURN(const DbNode* n, db_keys_->Find(key));
    return n ? &n->labels : nullptr;
  }
  // The good record that defines a node key.
  std::optional<size_t> Defined(std::string_view key) const {
    return defined_.Find(HashKey(key), [&](size_t i) { return records_[i].key == key; });
  }
  void Undefine(std::string_view key) {
    defined_.Erase(HashKey(key), [&](size_t i) { return records_[i].key == key; });
  }
  // True when a good rel record of the import writes this relationship.
  bool HasRelRecord(const RelItem& item) const {
    RelIdentity id(schema_.FindRel(item.type), item);
    return rel_records_
        .Find(id.Hash(), [&](size_t i) { return RelIdentity(schema_.FindRel(item.type), records_[i].rels[0]) == id; })
        .has_value();
  }
  bool ReferenceProblems(size_t index, bool look_in_db, std::vector<Problem>* problems, Status* status);
  std::string VariantProblem(const Record& variant, const std::string& target, const std::vector<std::string>& labels) const;
  std::string WhereDefined(size_t index) const {
    const Record& r = records_[index];
    return inputs_[static_cast<size_t>(r.file)].name + " line " + std::to_string(r.line);
  }

  Database& db_;
  const std::vector<ImportInput>& inputs_;
  const ImportOptions& opt_;
  ImportReport& report_;
  Clock::time_point last_progress_{};
  Clock::time_point phase_start_{};
  Schema schema_;
  bool schema_changed_ = false;
  bool fatal_ = false;
  std::unique_ptr<ReadView> view_;
  std::unique_ptr<DbKeys> db_keys_;
  std::vector<Record> records_;
  std::vector<std::pair<int, std::unique_ptr<query::ScriptResult>>> scripts_;
  ShardedRecordIndex defined_;      // node key -> record index (good records)
  ShardedRecordIndex rel_records_;  // relationship identity -> rel record index (good records)
  std::vector<size_t> naming_controls_;  // records that are controls or affect one (see CheckLifecycles)
  std::unordered_map<std::string, size_t> rejected_keys_;  // node key -> record index (rejected records)
  std::set<std::string> touched_controls_;
};

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
    if (opt_.collect_changes) std::erase_if(report_.changes, [](const Change& c) { return c.kind != Change::Kind::kRejected; });
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
    auto order = [&](const std::string& f) { return f.empty() ? SIZE_MAX : file_order.count(f) ? file_order[f] : 0; };
    size_t fa = order(a.file), fb = order(b.file);
    if (fa != fb) return fa < fb;
    return a.line < b.line;
  });
  report_.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
}

bool Run::LoadSchema() {
  auto s = Schema::ForView(*view_);
  if (!s.ok()) {
    report_.problems.push_back({"", 0, "", s.status().message()});
    return false;
  }
  schema_ = std::move(s).value();
  bool ok = true;
  auto extend = [&](const std::string& name, int line, const json& doc) {
    auto problems = schema_.Extend(doc);
    for (const auto& p : problems) report_.problems.push_back({name, line, "schema." + p.path, p.message});
    if (!problems.empty()) ok = false;
    schema_changed_ = true;
  };
  for (const auto& [name, text] : opt_.schema_extensions) {
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) {
      report_.problems.push_back({name, 0, "", "a schema extension file is one JSON object (see docs/schema.md, \"Extending the schema\")"});
      ok = false;
      continue;
    }
    extend(name, 0, doc);
  }
  // Schema records inside JSON Lines files apply to the whole import: find them first.
  for (size_t f = 0; f < inputs_.size(); ++f) {
    if (inputs_[f].kind != InputKind::kJsonLines) continue;
    std::string_view text = inputs_[f].text;
    // From one line that mentions "schema" to the next (few files have any).
    size_t counted = 0;  // the start of line `line`
    int line = 1;
    // memmem, not string_view::find: find() stops at every '"' of the text, memmem skips ahead.
    auto next = [&](size_t from) -> size_t {
      constexpr std::string_view kNeedle = "\"schema\"";
      const void* p = memmem(text.data() + from, text.size() - from, kNeedle.data(), kNeedle.size());
      return p ? static_cast<size_t>(static_cast<const char*>(p) - text.data()) : std::string_view::npos;
    };
    for (size_t hit, from = 0; from < text.size() && (hit = next(from)) != std::string_view::npos;) {
      size_t start = text.rfind('\n', hit);
      start = start == std::string_view::npos ? 0 : start + 1;
      line += static_cast<int>(std::count(text.begin() + static_cast<ptrdiff_t>(counted), text.begin() + static_cast<ptrdiff_t>(start), '\n'));
      counted = start;
      size_t nl = text.find('\n', hit);
      if (nl == std::string_view::npos) nl = text.size();
      from = nl + 1;
      std::string_view l = text.substr(start, nl - start);
      json j = json::parse(l, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("schema") || j.contains("node") || j.contains("rel") ||
          j.contains("event")) {
        continue;  // reported in the main pass
      }
      if (!j["schema"].is_object()) continue;
      extend(inputs_[f].name, line, j["schema"]);
    }
  }
  if (ok && schema_changed_) {
    // Unchanged if the stored extensions already hold everything.
    Schema stored = Schema::ForView(*view_).value();
    schema_changed_ = stored.extensions() != schema_.extensions();
  }
  return ok;
}

void Run::ReadInputs() {
  for (size_t f = 0; f < inputs_.size(); ++f) {
    switch (inputs_[f].kind) {
      case InputKind::kJsonLines: ReadJsonLines(static_cast<int>(f)); break;
      case InputKind::kCsv: ReadCsv(static_cast<int>(f)); break;
      case InputKind::kScript: ReadScript(static_cast<int>(f)); break;
    }
  }
}

void Run::ReadJsonLines(int file) {
  std::string_view text = inputs_[static_cast<size_t>(file)].text;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const std::string& name = inputs_[static_cast<size_t>(file)].name;
  // Records are independent until references are resolved: parse and check them in parallel, in
  // chunks of whole lines. Each line has a slot in records_, so that records land in file order
  // where they stay; slots of lines without a record (blank lines, schema records) are closed up
  // afterwards.
  struct Chunk {
    size_t begin = 0, end = 0;  // bytes of text
    int first_line = 1;
    size_t lines = 0;           // lines in the chunk: the slots it has
    size_t first_slot = 0;
    size_t records = 0;         // slots it filled
    std::vector<Problem> problems;
  };
  size_t threads = 1;
  if (text.size() > (size_t{4} << 20)) threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
  std::vector<Chunk> chunks(threads);
  size_t pos = 0;
  int line = 1;
  size_t slot = records_.size();
  for (size_t c = 0; c < threads; ++c) {
    size_t end = c + 1 == threads ? text.size() : std::max(pos, text.size() * (c + 1) / threads);
    if (end < text.size()) {
      size_t nl = text.find('\n', end);
      end = nl == std::string_view::npos ? text.size() : nl + 1;
    }
    Chunk& chunk = chunks[c];
    chunk.begin = pos;
    chunk.end = end;
    chunk.first_line = line;
    size_t newlines = CountNewlines(text.substr(pos, end - pos));
    chunk.lines = newlines + (end > pos && text[end - 1] != '\n' ? 1 : 0);
    chunk.first_slot = slot;
    slot += chunk.lines;
    line += static_cast<int>(newlines);
    pos = end;
  }
  records_.resize(slot);
  auto work = [&](Chunk& chunk, bool report_progress) {
    RecordReader reader(schema_);
    size_t p = chunk.begin;
    int ln = chunk.first_line - 1;
    std::vector<Problem> problems;
    while (p < chunk.end) {
      size_t nl = text.find('\n', p);
      if (nl == std::string_view::npos || nl >= chunk.end) nl = chunk.end;
      ++ln;
      std::string_view l = text.substr(p, nl - p);
      p = nl + 1;
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      if (l.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank lines are allowed
      if (report_progress && (ln & 1023) == 0) Progress("checking", p - chunk.begin, chunk.end - chunk.begin);
      Record& r = records_[chunk.first_slot + chunk.records];
      r.file = file;
      r.line = ln;
      problems.clear();
      bool ok = reader.Read(l, &r, &problems);
      for (auto& q : problems) chunk.problems.push_back({name, ln, std::move(q.field), std::move(q.message)});
      r.bad = !ok;
      if (r.kind == RecordKind::kSchema) {  // applied before the main pass
        r = Record();
        continue;
      }
      ++chunk.records;
    }
  };
  std::vector<std::thread> helpers;
  for (size_t c = 1; c < threads; ++c) helpers.emplace_back(work, std::ref(chunks[c]), false);
  work(chunks[0], true);
  for (auto& t : helpers) t.join();
  size_t filled = chunks[0].first_slot;
  for (auto& c : chunks) {
    if (filled != c.first_slot) {
      std::move(records_.begin() + static_cast<ptrdiff_t>(c.first_slot),
                records_.begin() + static_cast<ptrdiff_t>(c.first_slot + c.records), records_.begin() + static_cast<ptrdiff_t>(filled));
    }
    filled += c.records;
    report_.records += c.records;
    for (auto& q : c.problems) report_.problems.push_back(std::move(q));
  }
  records_.resize(filled);
}

void Run::ReadCsv(int file) {
  const ImportInput& in = inputs_[static_cast<size_t>(file)];
  CsvMapping mapping = CsvMapping::Events();
  if (in.mapping) {
    std::string error;
    if (!CsvMapping::Parse(*in.mapping, &mapping, &error)) {
      report_.problems.push_back({in.mapping_name, 0, "", error});
      fatal_ = true;
      return;
    }
  }
  std::vector<CsvRow> rows;
  Problem p;
  if (!ParseCsv(in.text, mapping.delimiter(), &rows, &p)) {
    FileProblem(file, p.line, "", p.message);
    return;
  }
  if (rows.empty()) {
    FileProblem(file, 0, "", "the file is empty; a CSV file starts with a header row");
    return;
  }
  std::vector<Problem> problems;
  if (!mapping.BindHeader(rows[0].cells, schema_, &problems)) {
    for (auto& q : problems) FileProblem(file, q.line, q.field, q.message);
    return;
  }
  RecordReader reader(schema_);
  std::vector<std::pair<size_t, json>> built;
  // A mapping with several records per row repeats what rows share (the announcement of several
  // measures): a record identical to one an earlier row gave is the same record, read once.
  std::unordered_set<std::string> seen;
  for (size_t i = 1; i < rows.size(); ++i) {
    int line = rows[i].line;
    problems.clear();
    built.clear();
    if (!mapping.RowToRecords(rows[i], schema_, &built, &problems)) {
      // The row as a whole is bad: one rejected record stands for it.
      ++report_.records;
      Record r;
      r.file = file;
      r.line = line;
      r.bad = true;
      for (auto& q : problems) AddProblem(file, line, q.field, q.message);
      records_.push_back(std::move(r));
      continue;
    }
    for (auto& [part, j] : built) {
      if (mapping.multi() && !seen.insert(j.dump()).second) continue;
      ++report_.records;
      Record r;
      r.file = file;
      r.line = line;
      problems.clear();
      FieldNamer namer = [&mapping, part = part](const std::string& field) { return mapping.ColumnOf(part, field); };
      bool ok = reader.Read(j, &r, &problems, namer);
      for (auto& q : problems) AddProblem(file, line, q.field, q.message);
      r.bad = !ok;
      if (ok && r.kind == RecordKind::kSchema) {
        Reject(r, "", "schema records belong in JSON Lines files or --schema");
      }
      records_.push_back(std::move(r));
    }
  }
}

void Run::ReadScript(int file) {
  auto result = std::make_unique<query::ScriptResult>(query::ParseScript(inputs_[static_cast<size_t>(file)].text));
  if (!result->ok()) {
    const auto& e = *result->error;
    FileProblem(file, static_cast<int>(e.location.line), "", "syntax error at column " + std::to_string(e.location.column) + ": " + e.message);
    return;
  }
  scripts_.emplace_back(file, std::move(result));
}

void Run::CheckDuplicates() {
  for (size_t i = 0; i < records_.size(); ++i) {
    if (records_[i].bad && !records_[i].key.empty()) rejected_keys_.emplace(records_[i].key, i);
  }
  // The keys are cut into shards by hash; each thread reads all records in order and fills one
  // shard, so that "first at" is the first record in the file, as on one thread.
  size_t n = records_.size();
  size_t threads = ThreadsFor(n);
  defined_.Shards(threads);
  rel_records_.Shards(threads);
  struct Duplicate {
    size_t record, first;
  };
  std::vector<std::vector<Duplicate>> nodes(threads), rels(threads);
  std::vector<std::thread> helpers;
  auto work = [&](size_t t) {
    RecordIndex& keys = defined_.shard(t);
    RecordIndex& ids = rel_records_.shard(t);
    keys.Reserve(n / threads);
    for (size_t i = 0; i < n; ++i) {
      const Record& r = records_[i];
      if (r.bad) continue;
      if (r.kind == RecordKind::kNode || r.kind == RecordKind::kEvent) {
        uint64_t hash = HashKey(r.key);
        if (defined_.ShardOf(hash) != t) continue;
        auto first = keys.Insert(hash, i, [&](size_t j) { return records_[j].key == r.key; });
        if (first) nodes[t].push_back({i, *first});
      } else if (r.kind == RecordKind::kRel) {
        const RelItem& item = r.rels[0];
        const RelSpec* spec = schema_.FindRel(item.type);
        RelIdentity id(spec, item);
        uint64_t hash = id.Hash();
        if (rel_records_.ShardOf(hash) != t) continue;
        auto first = ids.Insert(hash, i, [&](size_t j) { return RelIdentity(spec, records_[j].rels[0]) == id; });
        if (first) rels[t].push_back({i, *first});
      }
    }
  };
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work, t);
  work(0);
  for (auto& h : helpers) h.join();
  for (size_t t = 0; t < threads; ++t) {
    for (const Duplicate& d : nodes[t]) {
      Record& r = records_[d.record];
      Reject(r, r.kind == RecordKind::kEvent ? "event" : "node",
             r.key + " is defined twice; first at " + WhereDefined(d.first) + " (one record per key; edit that one)");
    }
    for (const Duplicate& d : rels[t]) {
      Record& r = records_[d.record];
      Reject(r, "rel", "duplicate " + DescribeRel(r.rels[0]) + "; first at " + WhereDefined(d.first) +
                           " (give parallel relationships different \"key\" values)");
    }
  }
}

bool Run::ReferenceProblems(size_t index, bool look_in_db, std::vector<Problem>* problems, Status* status) {
  const Record& r = records_[index];
  auto problem = [&](const std::string& field, std::string message) {
    problems->push_back({inputs_[static_cast<size_t>(r.file)].name, r.line, field, std::move(message)});
  };
  bool deferred = false;
  // The labels of a node the record refers to; null (and a problem) when there is none.
  auto refer = [&](const std::string& key, const auto& field, const char* what) -> const std::vector<std::string>* {
    if (auto i = Defined(key)) return &records_[*i].labels;
    if (!look_in_db && !db_keys_->empty()) {
      deferred = true;
      return nullptr;
    }
    auto found = db_keys_->Find(key);
    if (!found.ok()) {
      *status = found.status();
      return nullptr;
    }
    if (*found) return &(*found)->labels;
    auto bad = rejected_keys_.find(key);
    if (bad != rejected_keys_.end()) {
      problem(field(), std::string(what) + " " + key + " is defined at " + WhereDefined(bad->second) + ", which has problems");
    } else if (const LabelSpec* spec = schema_.FindLabelByKey(key); spec && !spec->CheckKeySlug(key).empty()) {
      problem(field(), std::string(what) + " " + key + " is not a valid " + spec->name + " key: after " + spec->prefix +
                           " comes " + spec->CheckKeySlug(key));
    } else {
      problem(field(), std::string(what) + " " + key + " is not defined: no record of this import defines it and the database has no such node");
    }
    return nullptr;
  };
  for (size_t s = 0; s < r.sources.size(); ++s) {
    auto field = [&] { return "sources[" + std::to_string(s) + "]"; };
    const std::vector<std::string>* labels = refer(r.sources[s], field, "source");
    if (labels && std::find(labels->begin(), labels->end(), "Source") == labels->end()) {
      problem(field(), r.sources[s] + " is not a Source node");
    }
  }
  for (const RelItem& item : r.rels) {
    const RelSpec* spec = schema_.FindRel(item.type);
    auto from_field = [&] { return item.field.empty() ? std::string("from") : std::string("event"); };
    auto to_field = [&] { return item.field.empty() ? std::string("to") : item.field; };
    const std::vector<std::string>* fl = r.kind == RecordKind::kEvent ? &r.labels : refer(item.from, from_field, "node");
    const std::vector<std::string>* tl = refer(item.to, to_field, "node");
    if (!fl || !tl || !spec) continue;
    bool from_ok = std::any_of(fl->begin(), fl->end(), [&](const std::string& l) { return spec->AllowsFrom(l); });
    bool to_ok = std::any_of(tl->begin(), tl->end(), [&](const std::string& l) { return spec->AllowsTo(l); });
    if (!from_ok || !to_ok) {
      problem(from_ok ? to_field() : from_field(),
              item.type + " runs from " + JoinChoices(spec->from) + " to " + JoinChoices(spec->to) + "; " +
                  (from_ok ? item.to + " is " + WithArticle(tl->empty() ? "?" : (*tl)[0])
                           : item.from + " is " + WithArticle(fl->empty() ? "?" : (*fl)[0])));
    } else if (spec->same_label && !fl->empty() && !tl->empty() && (*fl)[0] != (*tl)[0]) {
      problem(to_field(), item.type + " joins two nodes with the same label; " + item.from + " is " + WithArticle((*fl)[0]) +
                              " and " + item.to + " is " + WithArticle((*tl)[0]));
    } else if (item.type == "VARIANT_OF") {
      // A disputed value must be one the node's property could hold (checked when the variant is in
      // this import).
      if (auto def = Defined(item.from)) {
        std::string why = VariantProblem(records_[*def], item.to, *tl);
        if (!why.empty()) problem(to_field(), why);
      }
    }
  }
  return !deferred;
}

std::string Run::VariantProblem(const Record& variant, const std::string& target,
                                const std::vector<std::string>& labels) const {
  const Value* property = nullptr;
  const Value* value = nullptr;
  for (const auto& [k, v] : variant.props) {
    if (k == "property") property = &v;
    if (k == "value") value = &v;
  }
  if (!property || !value || !property->is_string()) return "";
  const std::string& name = property->as_string();
  const PropertySpec* spec = schema_.FindCommonNodeProp(name);
  for (const std::string& l : labels) {
    const LabelSpec* ls = schema_.FindLabel(l);
    if (!spec && ls) spec = ls->FindProp(name);
  }
  std::string what = variant.key + " gives a value of '" + name + "' for " + target;
  if (!spec) return what + ", which " + (labels.empty() ? std::string("that node") : WithArticle(labels[0]) + " node") + " does not have";
  bool ok = true;
  switch (spec->type) {
    case PropType::kDate: ok = value->is_string() && ParseDateText(value->as_string()).ok(); break;
    case PropType::kNumber: ok = value->is_number(); break;
    case PropType::kInteger: ok = value->is_int(); break;
    case PropType::kConfidence: ok = value->is_number() && value->as_number() >= 0 && value->as_number() <= 1; break;
    case PropType::kBoolean: ok = value->is_bool(); break;
    case PropType::kEnum:
      ok = value->is_string() && std::find(spec->values.begin(), spec->values.end(), value->as_string()) != spec->values.end();
      break;
    case PropType::kHsCode: ok = value->is_string() && IsHsCode(value->as_string()); break;
    case PropType::kMastCode: ok = value->is_string() && IsMastCode(value->as_string()); break;
    case PropType::kString:
    case PropType::kList:
    case PropType::kScalar: ok = value->is_string(); break;
  }
  return ok ? "" : what + ": " + value->ToString() + " is not " + spec->Expected();
}

Status Run::Resolve() {
  Status status;
  std::vector<Problem> problems;
  if (!opt_.skip_bad) {
    // One pass, and a rejection changes nothing for other records: check records on every core.
    // The database view serves one thread: a record that needs it waits for a last pass here.
    size_t n = records_.size();
    size_t threads = ThreadsFor(n);
    struct Share {
      std::vector<size_t> rejected;  // records with problems, in order
      std::vector<Problem> problems;
      std::vector<size_t> deferred;
    };
    std::vector<Share> shares(threads);
    OnShares(n, threads, [&](size_t t, size_t begin, size_t end) {
      Share& share = shares[t];
      Status unused;
      for (size_t i = begin; i < end; ++i) {
        if (records_[i].bad) continue;
        if (t == 0 && (i & 1023) == 0) Progress("checking references", i, end);
        size_t before = share.problems.size();
        if (!ReferenceProblems(i, false, &share.problems, &unused)) {
          share.problems.resize(before);
          share.deferred.push_back(i);
        } else if (share.problems.size() > before) {
          share.rejected.push_back(i);
        }
      }
    });
    for (Share& share : shares) {
      for (size_t i : share.rejected) records_[i].bad = true;
      for (Problem& p : share.problems) report_.problems.push_back(std::move(p));
      for (size_t i : share.deferred) {
        problems.clear();
        ReferenceProblems(i, true, &problems, &status);
        RETURN_IF_ERROR(status);
        if (!problems.empty()) records_[i].bad = true;
        for (Problem& p : problems) report_.problems.push_back(std::move(p));
      }
    }
    return Status::OK();
  }
  // With skip_bad, a record that refers to a rejected one is rejected too, until nothing changes.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < records_.size(); ++i) {
      Record& r = records_[i];
      if (r.bad) continue;
      if ((i & 1023) == 0) Progress("checking references", i, records_.size());
      problems.clear();
      ReferenceProblems(i, true, &problems, &status);
      RETURN_IF_ERROR(status);
      if (problems.empty()) continue;
      r.bad = true;
      for (Problem& p : problems) report_.problems.push_back(std::move(p));
      if (r.kind == RecordKind::kNode || r.kind == RecordKind::kEvent) {
        Undefine(r.key);
        rejected_keys_.emplace(r.key, i);
        changed = true;
      }
    }
  }
  return Status::OK();
}

// The lifecycle event an AFFECTS relationship of an event dated `date` gives: its effect, and when
// that takes hold (`effective`) and a suspension ends (`until`), if given.
std::optional<LifecycleEvent> AffectsEvent(Date date, const NamedProps& props, const std::string& event_key) {
  LifecycleEvent e{date, "", event_key, std::nullopt, std::nullopt};
  for (const auto& [k, v] : props) {
    if (k == "effect" && v.is_string()) e.effect = v.as_string();
    if (k == "effective" && v.is_date()) e.effective = v.as_date();
    if (k == "until" && v.is_date()) e.until = v.as_date();
  }
  if (e.effect.empty()) return std::nullopt;
  return e;
}

Status Run::CheckLifecycles() {
  // Which controls this import touches, with the import's lifecycle events for each.
  std::map<std::string, std::vector<std::pair<size_t, LifecycleEvent>>> by_control;
  // Only records that are controls or affect one matter here: found on every core, in order.
  size_t threads = ThreadsFor(records_.size());
  std::vector<std::vector<size_t>> found(threads);
  OnShares(records_.size(), threads, [&](size_t t, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const Record& r = records_[i];
      if (r.bad) continue;
      bool control = r.kind == RecordKind::kNode && !r.labels.empty() && r.labels[0] == "Control";
      bool affects = std::any_of(r.rels.begin(), r.rels.end(), [](const RelItem& item) { return item.type == "AFFECTS"; });
      if (control || affects) found[t].push_back(i);
    }
  });
  naming_controls_.clear();
  for (const auto& f : found) naming_controls_.insert(naming_controls_.end(), f.begin(), f.end());
  // Events of the database that this import redefines (only stored lifecycles ask).
  std::set<std::string> redefined_events;
  if (!db_keys_->empty()) {
    for (const Record& r : records_) {
      if (!r.bad && r.kind == RecordKind::kEvent) redefined_events.insert(r.key);
    }
  }
  for (size_t i : naming_controls_) {
    const Record& r = records_[i];
    if (r.kind == RecordKind::kNode && !r.labels.empty() && r.labels[0] == "Control") touched_controls_.insert(r.key);
    for (const RelItem& item : r.rels) {
      if (item.type != "AFFECTS") continue;
      touched_controls_.insert(item.to);
      if (r.kind != RecordKind::kEvent) continue;
      auto date = std::find_if(r.props.begin(), r.props.end(), [](const auto& p) { return p.first == "date"; });
      if (date == r.props.end()) continue;
      if (auto e = AffectsEvent(date->second.as_date(), item.props, r.key)) by_control[item.to].push_back({i, std::move(*e)});
    }
  }
  // AFFECTS written as rel records: their event's date comes from the import or the database.
  for (size_t i : naming_controls_) {
    const Record& r = records_[i];
    if (r.bad || r.kind != RecordKind::kRel || r.rels[0].type != "AFFECTS") continue;
    const RelItem& item = r.rels[0];
    std::optional<Date> date;
    if (auto def = Defined(item.from)) {
      for (const auto& [k, v] : records_[*def].props) {
        if (k == "date" && v.is_date()) date = v.as_date();
      }
    } else {
      ASSIGN_OR_RETURN(const DbNode* n, db_keys_->Find(item.from));
      auto dk = view_->names().FindPropKey("date");
      if (n && dk) {
        ASSIGN_OR_RETURN(Value v, view_->GetNodeProperty(n->id, *dk));
        if (v.is_date()) date = v.as_date();
      }
    }
    if (!date) continue;
    if (auto e = AffectsEvent(*date, item.props, item.from)) by_control[item.to].push_back({i, std::move(*e)});
  }
  for (const auto& [control, mine] : by_control) {
    std::vector<LifecycleEvent> events;
    std::optional<Date> announced;
    std::set<std::string> from_import;
    for (const auto& [i, e] : mine) {
      events.push_back(e);
      from_import.insert(e.event_key);
    }
    if (auto def = Defined(control)) {
      for (const auto& [k, v] : records_[*def].props) {
        if (k == "announced" && v.is_date()) announced = v.as_date();
      }
    }
    ASSIGN_OR_RETURN(const DbNode* n, db_keys_->Find(control));
    if (n) {
      ASSIGN_OR_RETURN(Lifecycle stored, ReadLifecycle(*view_, n->id));
      for (const auto& e : stored.events) {
        // An event this import redefines counts with its new effects only; an AFFECTS rel record
        // replaces the stored one of the same event.
        if (redefined_events.count(e.event_key) || from_import.count(e.event_key)) continue;
        events.push_back(e);
      }
      if (!Defined(control)) announced = stored.announced;
    }
    Lifecycle lc = ComputeLifecycle(events, announced, control);
    for (const auto& problem : lc.problems) {
      auto it = std::find_if(mine.begin(), mine.end(), [&](const auto& m) { return m.second.event_key == problem.event_key; });
      size_t index = it != mine.end() ? it->first : mine.front().first;
      Record& r = records_[index];
      if (r.bad) continue;
      std::string field = "affects";
      for (const auto& item : r.rels) {
        if (item.type == "AFFECTS" && item.to == control && !item.field.empty()) field = item.field;
      }
      Reject(r, r.kind == RecordKind::kEvent ? field : "to", "inconsistent lifecycle of " + control + ": " + problem.message);
      if (opt_.skip_bad) Undefine(r.key);
    }
  }
  if (opt_.skip_bad) return Resolve();
  return Status::OK();
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

// ------------------------------------------------------------------------------------------ writing

// Interns names through a transaction or a bulk load, remembering the ids (the store's catalog
// lookups take a lock; an import asks for the same few names millions of times).
template <typename Target>
class CachingInterner {
  // Looked up by string_view, without making a string.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Cache = std::unordered_map<std::string, uint32_t, NameHash, std::equal_to<>>;

 public:
  explicit CachingInterner(Target& target) : target_(target) {}
  Result<LabelId> InternLabel(std::string_view name) { return Get(labels_, name, [&] { return target_.InternLabel(name); }); }
  Result<RelTypeId> InternRelType(std::string_view name) { return Get(types_, name, [&] { return target_.InternRelType(name); }); }
  Result<PropKeyId> InternPropKey(std::string_view name) { return Get(props_, name, [&] { return target_.InternPropKey(name); }); }

  // Names interned before, looked up without interning: safe on several threads at once.
  class Frozen {
   public:
    explicit Frozen(const CachingInterner& in) : in_(in) {}
    Result<LabelId> InternLabel(std::string_view name) const { return Find(in_.labels_, name); }
    Result<RelTypeId> InternRelType(std::string_view name) const { return Find(in_.types_, name); }
    Result<PropKeyId> InternPropKey(std::string_view name) const { return Find(in_.props_, name); }

   private:
    static Result<uint32_t> Find(const Cache& cache, std::string_view name) {
      auto it = cache.find(name);
      if (it == cache.end()) return Status::Internal("the name " + std::string(name) + " was not interned before writing");
      return it->second;
    }
    const CachingInterner& in_;
  };

 private:
  template <typename F>
  Result<uint32_t> Get(Cache& cache, std::string_view name, F intern) {
    auto it = cache.find(name);
    if (it != cache.end()) return it->second;
    auto id = intern();
    if (!id.ok()) return id.status();
    cache.emplace(std::string(name), *id);
    return *id;
  }
  Target& target_;
  Cache labels_, types_, props_;
};

// Builds store records from domain records: copying from a record passed as an lvalue, moving the
// properties and validity out of one passed as an rvalue (the bulk path writes each record once).
class Encoder {
 public:
  template <typename P, typename Interner>
  static Result<PropertyList> Props(P&& props, Interner& in) {
    constexpr bool take = !std::is_lvalue_reference_v<P>;
    PropertyList out;
    out.reserve(props.size());
    for (auto& [name, v] : props) {
      ASSIGN_OR_RETURN(PropKeyId k, in.InternPropKey(name));
      if constexpr (take) {
        out.emplace_back(k, std::move(v));
      } else {
        out.emplace_back(k, v);
      }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return out;
  }
  template <typename R, typename Interner>
  static Result<NodeRecord> Node(R&& r, Interner& in) {
    NodeRecord n;
    n.key = r.key;
    n.labels.reserve(r.labels.size());
    for (const auto& l : r.labels) {
      ASSIGN_OR_RETURN(LabelId id, in.InternLabel(l));
      n.labels.push_back(id);
    }
    std::sort(n.labels.begin(), n.labels.end());
    n.validity = std::forward<R>(r).validity;
    ASSIGN_OR_RETURN(n.props, Props(std::forward<R>(r).props, in));
    return n;
  }
  template <typename R, typename Interner>
  static Result<RelRecord> Rel(R&& item, Interner& in) {
    RelRecord rr;
    rr.key = item.key;
    rr.validity = std::forward<R>(item).validity;
    ASSIGN_OR_RETURN(rr.props, Props(std::forward<R>(item).props, in));
    return rr;
  }
};

Status Run::WriteTxnPath() {
  GraphStore& store = db_.store();
  ASSIGN_OR_RETURN(auto txn_ptr, store.BeginWrite(opt_.origin));
  WriteTxn& txn = *txn_ptr;
  ReadView& view = txn.view();
  RETURN_IF_ERROR(EnsureIndexes(txn, schema_));
  RETURN_IF_ERROR(StampDomainVersion(store, txn));
  CachingInterner<WriteTxn> names(txn);
  ASSIGN_OR_RETURN(RelTypeId sourced_from, txn.InternRelType("SOURCED_FROM"));

  // The schema extensions travel with the data, in the node schema/extensions.
  if (schema_changed_) {
    NodeRecord rec;
    rec.key = std::string(kSchemaNodeKey);
    ASSIGN_OR_RETURN(LabelId l, txn.InternLabel(kSchemaLabel));
    ASSIGN_OR_RETURN(PropKeyId p, txn.InternPropKey(kSchemaDefinitionProp));
    rec.labels = {l};
    rec.props = {{p, Value(schema_.extensions().dump())}};
    ASSIGN_OR_RETURN(auto id, view.FindNode(kSchemaNodeKey));
    if (id) {
      RETURN_IF_ERROR(txn.UpdateNode(*id, rec));
    } else {
      RETURN_IF_ERROR(txn.CreateNode(rec).status());
    }
    report_.schema_extended = true;
  }

  std::unordered_map<std::string, NodeId> ids;
  auto find = [&](const std::string& key) -> Result<std::optional<NodeId>> {
    auto it = ids.find(key);
    if (it != ids.end()) return std::optional<NodeId>(it->second);
    ASSIGN_OR_RETURN(auto id, view.FindNode(key));
    if (id) ids.emplace(key, *id);
    return id;
  };
  auto control_label = txn.view().names().FindLabel("Control");

  // Nodes and events first, so that relationships find both ends.
  std::vector<Change::Kind> outcome(records_.size(), Change::Kind::kUnchanged);
  std::unordered_set<std::string> created_keys;
  std::vector<std::vector<std::string>> details(records_.size());
  size_t n = records_.size();
  for (size_t i = 0; i < n; ++i) {
    Record& r = records_[i];
    if (r.bad || (r.kind != RecordKind::kNode && r.kind != RecordKind::kEvent)) continue;
    Progress("writing", i, 2 * n);
    ASSIGN_OR_RETURN(NodeRecord rec, Encoder::Node(r, names));
    ASSIGN_OR_RETURN(auto existing, find(r.key));
    if (!existing) {
      ASSIGN_OR_RETURN(NodeId id, txn.CreateNode(rec));
      ids[r.key] = id;
      created_keys.insert(r.key);
      outcome[i] = Change::Kind::kCreated;
      continue;
    }
    NodeRecord old;
    ASSIGN_OR_RETURN(bool found, view.GetNode(*existing, &old));
    if (!found) return Status::Internal("node " + r.key + " vanished during the import");
    // A control's validity is derived: keep what is stored; it is recomputed below.
    if (control_label && std::binary_search(rec.labels.begin(), rec.labels.end(), *control_label)) rec.validity = old.validity;
    std::vector<std::string>& d = details[i];
    if (old.labels != rec.labels) d.push_back("labels");
    if (old.validity != rec.validity) d.push_back("validity: " + ValidityText(old.validity) + " -> " + ValidityText(rec.validity));
    if (!SameProps(old.props, rec.props)) {
      auto diff = PropDiff(old.props, rec.props, view.names());
      d.insert(d.end(), diff.begin(), diff.end());
    }
    if (!d.empty()) {
      RETURN_IF_ERROR(txn.UpdateNode(*existing, rec));
      outcome[i] = Change::Kind::kUpdated;
    }
  }

  // SOURCED_FROM: each node's set of sources equals its record's.
  for (size_t i = 0; i < n; ++i) {
    Record& r = records_[i];
    if (r.bad || (r.kind != RecordKind::kNode && r.kind != RecordKind::kEvent)) continue;
    NodeId id = ids.at(r.key);
    std::set<NodeId> want;
    for (const auto& s : r.sources) {
      ASSIGN_OR_RETURN(auto sid, find(s));
      if (!sid) return Status::Internal("source " + s + " vanished during the import");
      want.insert(*sid);
    }
    std::vector<RelRef> extra;
    std::set<NodeId> have;
    if (outcome[i] != Change::Kind::kCreated) {
      ScanOptions so;
      so.dir = Direction::kOut;
      so.type = sourced_from;
      auto cur = view.ScanAdj(id, so);
      for (; cur->Valid(); cur->Next()) {
        NodeId other = cur->entry().other;
        if (want.count(other) && have.insert(other).second) continue;
        extra.push_back(cur->entry().rel);
      }
      RETURN_IF_ERROR(cur->status());
    }
    bool changed = !extra.empty();
    for (const RelRef& e : extra) RETURN_IF_ERROR(txn.DeleteRel(e));
    for (NodeId s : want) {
      if (have.count(s)) continue;
      RETURN_IF_ERROR(txn.CreateRel(id, sourced_from, s, {}).status());
      changed = true;
    }
    if (changed && outcome[i] == Change::Kind::kUnchanged) {
      outcome[i] = Change::Kind::kUpdated;
      details[i].push_back("sources");
    }
  }

  // Relationships: rel records and the relationships events own.
  std::set<std::string> affected_before;  // controls an event's old AFFECTS pointed at
  for (size_t i = 0; i < n; ++i) {
    Record& r = records_[i];
    if (r.bad || r.rels.empty()) continue;
    Progress("writing", n + i, 2 * n);
    std::set<std::pair<RelTypeId, std::pair<NodeId, std::string>>> keep;
    for (const RelItem& item : r.rels) {
      const RelSpec* spec = schema_.FindRel(item.type);
      ASSIGN_OR_RETURN(RelTypeId type, names.InternRelType(item.type));
      ASSIGN_OR_RETURN(auto src, find(item.from));
      ASSIGN_OR_RETURN(auto dst, find(item.to));
      if (!src || !dst) return Status::Internal("an end of " + DescribeRel(item) + " vanished during the import");
      keep.insert({type, {*dst, item.key}});
      ASSIGN_OR_RETURN(RelRecord rec, Encoder::Rel(item, names));
      std::optional<RelRef> found;
      RelRecord old;
      auto look = [&](NodeId a, NodeId b) -> Status {
        ScanOptions so;
        so.dir = Direction::kOut;
        so.type = type;
        so.other = b;
        auto cur = view.ScanAdj(a, so);
        for (; cur->Valid() && !found; cur->Next()) {
          RelRecord rr;
          RETURN_IF_ERROR(cur->record(&rr));
          if (rr.key == item.key) {
            found = cur->entry().rel;
            old = std::move(rr);
          }
        }
        return cur->status();
      };
      RETURN_IF_ERROR(look(*src, *dst));
      if (!found && spec && spec->symmetric) RETURN_IF_ERROR(look(*dst, *src));
      if (!found) {
        RETURN_IF_ERROR(txn.CreateRel(*src, type, *dst, rec).status());
        if (r.kind == RecordKind::kRel) {
          outcome[i] = Change::Kind::kCreated;
        } else if (outcome[i] == Change::Kind::kUnchanged) {
          outcome[i] = Change::Kind::kUpdated;
          details[i].push_back(item.field + " added");
        }
        continue;
      }
      bool same = old.validity == rec.validity && SameProps(old.props, rec.props);
      if (!same) {
        RETURN_IF_ERROR(txn.UpdateRel(*found, rec));
        if (outcome[i] != Change::Kind::kCreated) outcome[i] = Change::Kind::kUpdated;
        std::string prefix = item.field.empty() ? "" : item.field + ": ";
        if (old.validity != rec.validity) details[i].push_back(prefix + "validity: " + ValidityText(old.validity) + " -> " + ValidityText(rec.validity));
        for (auto& d : PropDiff(old.props, rec.props, view.names())) details[i].push_back(prefix + d);
      }
    }
    if (r.kind != RecordKind::kEvent || outcome[i] == Change::Kind::kCreated) continue;
    // An event record owns its INVOLVES, AFFECTS and CONCERNS: drop those it no longer lists (unless a
    // rel record of this import writes them).
    NodeId id = ids.at(r.key);
    std::vector<RelRef> drop;
    auto cur = view.ScanAdj(id, ScanOptions{Direction::kOut, std::nullopt, std::nullopt});
    for (; cur->Valid(); cur->Next()) {
      const AdjEntry& e = cur->entry();
      std::string type = view.names().RelTypeName(e.rel.type);
      if (type != "INVOLVES" && type != "AFFECTS" && type != "CONCERNS") continue;
      RelRecord rr;
      RETURN_IF_ERROR(cur->record(&rr));
      if (keep.count({e.rel.type, {e.other, rr.key}})) continue;
      NodeRecord other;
      ASSIGN_OR_RETURN(bool exists, view.GetNode(e.other, &other));
      RelItem probe{type, r.key, exists ? other.key : "", rr.key, {}, {}, ""};
      if (HasRelRecord(probe)) continue;
      drop.push_back(e.rel);
      if (type == "AFFECTS" && exists) touched_controls_.insert(other.key);
      details[i].push_back(type + " " + (exists ? other.key : std::to_string(e.other)) + " removed");
    }
    RETURN_IF_ERROR(cur->status());
    for (const RelRef& d : drop) RETURN_IF_ERROR(txn.DeleteRel(d));
    if (!drop.empty() && outcome[i] == Change::Kind::kUnchanged) outcome[i] = Change::Kind::kUpdated;
  }

  // Query scripts, in order, in the same transaction.
  if (!scripts_.empty()) {
    auto conn = db_.Connect();
    QueryOptions qo;
    qo.origin = opt_.origin;
    qo.timeout = std::chrono::milliseconds(0);
    for (const auto& [file, script] : scripts_) {
      for (const auto& st : script->statements) {
        ExecResult er = conn->ExecuteInTransaction(txn, st->text, {}, qo);
        ++report_.statements;
        if (!er.ok()) {
          int line = static_cast<int>(st->location.line) + std::max(er.error->line, 1) - 1;
          AddProblem(file, line, "", er.error->message);
          return Status::InvalidArgument("the query script " + inputs_[static_cast<size_t>(file)].name + " failed; nothing was written");
        }
      }
    }
    // A script may have changed any control or event: recompute every control.
    if (control_label) {
      auto cur = view.ScanLabel(*control_label);
      std::vector<NodeId> all;
      for (; cur->Valid(); cur->Next()) all.push_back(cur->entry().id);
      RETURN_IF_ERROR(cur->status());
      for (NodeId c : all) {
        NodeRecord rec;
        ASSIGN_OR_RETURN(bool found, view.GetNode(c, &rec));
        if (found && !rec.key.empty()) touched_controls_.insert(rec.key);
      }
    }
  }

  // Lifecycles: every touched control's periods become its validity.
  for (const std::string& key : touched_controls_) {
    ASSIGN_OR_RETURN(auto id, view.FindNode(key));
    if (!id) continue;
    NodeRecord rec;
    ASSIGN_OR_RETURN(bool found, view.GetNode(*id, &rec));
    if (!found || !control_label || !rec.HasLabel(*control_label)) continue;
    ASSIGN_OR_RETURN(Lifecycle lc, ReadLifecycle(view, *id));
    Validity v = PeriodsAsValidity(lc);
    if (v == rec.validity) continue;
    rec.validity = std::move(v);
    RETURN_IF_ERROR(txn.UpdateNode(*id, rec));
    if (!created_keys.count(key)) ++report_.controls_recomputed;
  }

  for (size_t i = 0; i < n; ++i) Outcome(records_[i], records_[i].bad ? Change::Kind::kRejected : outcome[i], std::move(details[i]));
  if (opt_.dry_run) return Status::OK();
  Progress("committing", 1, 1);
  RETURN_IF_ERROR(txn.Commit());
  report_.committed = txn.dirty();
  report_.record_time = txn.dirty() ? txn.record_time() : 0;
  return Status::OK();
}

Status Run::WriteBulkPath() {
  ASSIGN_OR_RETURN(auto load_ptr, BulkLoad::Begin(db_.store(), opt_.origin));
  BulkLoad& bulk = *load_ptr;
  CachingInterner<BulkLoad> names(bulk);
  report_.bulk = true;
  for (const auto& want : schema_.Indexes()) {
    ASSIGN_OR_RETURN(LabelId l, names.InternLabel(want.label));
    ASSIGN_OR_RETURN(PropKeyId p, names.InternPropKey(want.property));
    RETURN_IF_ERROR(bulk.DeclareIndex(l, p, want.kind));
  }
  ASSIGN_OR_RETURN(RelTypeId sourced_from, names.InternRelType("SOURCED_FROM"));
  // Controls are all new: their periods come from this import's events.
  std::map<std::string, std::vector<LifecycleEvent>> lifecycle;
  for (size_t i : naming_controls_) {
    const Record& r = records_[i];
    if (r.bad || r.kind != RecordKind::kEvent) continue;
    const Value* date = nullptr;
    for (const auto& [k, v] : r.props) {
      if (k == "date") date = &v;
    }
    for (const RelItem& item : r.rels) {
      if (item.type != "AFFECTS" || !date) continue;
      if (auto e = AffectsEvent(date->as_date(), item.props, r.key)) lifecycle[item.to].push_back(std::move(*e));
    }
  }

  // Names, in the order the transaction path meets them (each node's labels and properties, then
  // each relationship's type and properties), so that both paths give them the same ids. Ids of
  // entities follow record order: nodes, then per record its SOURCED_FROM and its relationships.
  // Each share of the records lists the names it uses in the order of their first use there; the
  // lists, taken share after share, meet every name first where the whole import does.
  size_t n = records_.size();
  size_t threads = ThreadsFor(n);
  enum class NameKind { kLabel, kType, kProp };
  struct FirstUses {
    std::vector<std::pair<NameKind, std::string_view>> nodes, rels;  // from node records; from relationships
    uint64_t nodes_count = 0, rels_count = 0;
    uint64_t good = 0;  // records
  };
  std::vector<FirstUses> uses(threads);
  OnShares(n, threads, [&](size_t t, size_t begin, size_t end) {
    FirstUses& u = uses[t];
    std::array<std::unordered_set<std::string_view>, 3> seen;
    auto use = [&](auto* list, NameKind kind, std::string_view name) {
      if (seen[static_cast<size_t>(kind)].insert(name).second) list->emplace_back(kind, name);
    };
    for (size_t i = begin; i < end; ++i) {
      const Record& r = records_[i];
      if (r.bad) continue;
      ++u.good;
      if (r.kind == RecordKind::kNode || r.kind == RecordKind::kEvent) {
        ++u.nodes_count;
        u.rels_count += r.sources.size();
        for (const auto& l : r.labels) use(&u.nodes, NameKind::kLabel, l);
        for (const auto& p : r.props) use(&u.nodes, NameKind::kProp, p.first);
      }
      u.rels_count += r.rels.size();
      for (const RelItem& item : r.rels) {
        use(&u.rels, NameKind::kType, item.type);
        for (const auto& p : item.props) use(&u.rels, NameKind::kProp, p.first);
      }
    }
  });
  for (auto list : {&FirstUses::nodes, &FirstUses::rels}) {
    for (const FirstUses& u : uses) {
      for (const auto& [kind, name] : u.*list) {
        Status s = kind == NameKind::kLabel  ? names.InternLabel(name).status()
                   : kind == NameKind::kType ? names.InternRelType(name).status()
                                             : names.InternPropKey(name).status();
        RETURN_IF_ERROR(s);
      }
    }
  }
  uint64_t nodes = 0, rels = 0;
  for (const FirstUses& u : uses) {
    nodes += u.nodes_count;
    rels += u.rels_count;
  }
  NodeId first_node = bulk.ReserveNodes(nodes);
  RelId first_rel = bulk.ReserveRels(rels);

  // Encoding on every core: each thread takes a contiguous share of the records and fills a part of
  // the load. Nodes first (a relationship's entries need the dates of its ends), then relationships.
  typename CachingInterner<BulkLoad>::Frozen frozen(names);
  // Ids by record: the nodes and relationships before each record (ids follow record order, so a
  // share starts from the counts of the shares before it).
  std::vector<uint64_t> nodes_before(n + 1), rels_before(n + 1);
  OnShares(n, threads, [&](size_t t, size_t begin, size_t end) {
    uint64_t node = 0, rel = 0;
    for (size_t s = 0; s < t; ++s) {
      node += uses[s].nodes_count;
      rel += uses[s].rels_count;
    }
    for (size_t i = begin; i < end; ++i) {
      nodes_before[i] = node;
      rels_before[i] = rel;
      const Record& r = records_[i];
      if (r.bad) continue;
      bool is_node = r.kind == RecordKind::kNode || r.kind == RecordKind::kEvent;
      node += is_node;
      rel += (is_node ? r.sources.size() : 0) + r.rels.size();
    }
  });
  nodes_before[n] = nodes;
  rels_before[n] = rels;
  auto node_of = [&](size_t i) { return first_node + nodes_before[i]; };
  auto lookup_node_id = [&](const std::string& key) -> Result<NodeId> {
    if (auto i = Defined(key)) return node_of(*i);
    // Resolve() looked every other key up in the database.
    if (const DbNode* node = db_keys_->Cached(key)) return node->id;
    return Status::Internal(key + " vanished during the import");
  };
  std::vector<BulkLoad::Part*> parts;
  for (size_t t = 0; t < threads; ++t) parts.push_back(&bulk.NewPart());
  // Shares with as many entities each: records are not alike (a file may hold its nodes first).
  auto share = [&](const std::vector<uint64_t>& before, size_t t) {
    auto at = [&](size_t k) {
      uint64_t want = before[n] * k / threads;
      return k == threads ? n : static_cast<size_t>(std::lower_bound(before.begin(), before.end() - 1, want) - before.begin());
    };
    return std::make_pair(at(t), at(t + 1));
  };
  auto add_nodes = [&](size_t t) -> Status {
    BulkLoad::Part& part = *parts[t];
    auto [begin, end] = share(nodes_before, t);
    for (size_t i = begin; i < end; ++i) {
      Record& r = records_[i];
      if (r.bad || (r.kind != RecordKind::kNode && r.kind != RecordKind::kEvent)) continue;
      if (t == 0 && (i & 4095) == 0) Progress("writing", i, 2 * end);
      std::optional<Validity> control_validity;
      if (!r.labels.empty() && r.labels[0] == "Control") {
        std::optional<Date> announced;
        for (const auto& [k, v] : r.props) {
          if (k == "announced" && v.is_date()) announced = v.as_date();
        }
        auto it = lifecycle.find(r.key);
        Lifecycle lc = ComputeLifecycle(it == lifecycle.end() ? std::vector<LifecycleEvent>{} : it->second, announced, r.key);
        control_validity = PeriodsAsValidity(lc);
      }
      ASSIGN_OR_RETURN(NodeRecord rec, Encoder::Node(std::move(r), frozen));
      if (control_validity) rec.validity = std::move(*control_validity);
      RETURN_IF_ERROR(part.AddNode(node_of(i), std::move(rec)));
    }
    return Status::OK();
  };
  auto add_rels = [&](size_t t) -> Status {
    BulkLoad::Part& part = *parts[t];
    auto [begin, end] = share(rels_before, t);
    RelId id = first_rel + rels_before[begin];
    // Consecutive records tend to cite the same sources: the last key looked up is remembered.
    std::string_view last_key;
    NodeId last_id = 0;
    auto node_id = [&](const std::string& key) -> Result<NodeId> {
      if (key == last_key) return last_id;
      ASSIGN_OR_RETURN(last_id, lookup_node_id(key));
      last_key = key;
      return last_id;
    };
    for (size_t i = begin; i < end; ++i) {
      Record& r = records_[i];
      if (r.bad) continue;
      if (t == 0 && (i & 4095) == 0) Progress("writing", end + i, 2 * end);
      if (r.kind == RecordKind::kNode || r.kind == RecordKind::kEvent) {
        NodeId self = node_of(i);
        for (const auto& s : r.sources) {
          ASSIGN_OR_RETURN(NodeId sid, node_id(s));
          RETURN_IF_ERROR(part.AddRel(id++, self, sourced_from, sid, {}));
        }
      }
      for (RelItem& item : r.rels) {
        ASSIGN_OR_RETURN(RelTypeId type, frozen.InternRelType(item.type));
        ASSIGN_OR_RETURN(NodeId src, node_id(item.from));
        ASSIGN_OR_RETURN(NodeId dst, node_id(item.to));
        ASSIGN_OR_RETURN(RelRecord rec, Encoder::Rel(std::move(item), frozen));
        RETURN_IF_ERROR(part.AddRel(id++, src, type, dst, std::move(rec)));
      }
    }
    return Status::OK();
  };
  auto on_all_threads = [&](const std::function<Status(size_t)>& work) -> Status {
    std::vector<Status> results(threads);
    std::vector<std::thread> helpers;
    for (size_t t = 1; t < threads; ++t) helpers.emplace_back([&, t] { results[t] = work(t); });
    results[0] = work(0);
    for (auto& h : helpers) h.join();
    for (const Status& s : results) RETURN_IF_ERROR(s);
    return Status::OK();
  };
  RETURN_IF_ERROR(on_all_threads(add_nodes));
  RETURN_IF_ERROR(on_all_threads(add_rels));

  if (opt_.collect_changes) {
    for (const auto& r : records_) Outcome(r, r.bad ? Change::Kind::kRejected : Change::Kind::kCreated);
  } else {
    uint64_t good = 0;
    for (const FirstUses& u : uses) good += u.good;
    report_.created += good;
    report_.rejected += records_.size() - good;
  }
  report_.controls_recomputed = 0;
  Phase("write");
  Progress("committing", 1, 1);
  RETURN_IF_ERROR(StampDomainVersion(db_.store(), bulk));
  RETURN_IF_ERROR(bulk.Commit());
  report_.committed = true;
  report_.record_time = bulk.record_time();
  return Status::OK();
}

}  // namespace

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
