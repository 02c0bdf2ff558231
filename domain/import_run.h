// The importer's internals, shared by its parts (not a public header):
//
//   import.cc             the orchestrator: Import(), LoadSeed(), Run::Go() and the choice of write path
//   import_read.cc        read: JSON Lines, CSV through a mapping, query scripts -> records
//   import_check.cc       check: the schema, duplicates, references, variants, lifecycles
//   import_resolve.cc     resolve: keys to the database's nodes, what is new, changed or the same
//   import_write_txn.cc   write through one transaction (small imports, or into a non-empty graph)
//   import_write_bulk.cc  write in bulk through SST files (large imports)
//
// docs/import.md describes the behaviour; docs/design.md why it is built this way.
#pragma once

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
#include "util/parallel.h"
#include "util/sharded_index.h"
#include "util/strings.h"

namespace lodestone::domain::import_internal {

using Clock = std::chrono::steady_clock;
using json = nlohmann::json;
using util::CountNewlines;
using util::HashKey;
using util::OnShares;
using util::RecordIndex;
using util::ShardedRecordIndex;
using util::ThreadsFor;

// ------------------------------------------------------------------------------------------ helpers

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

inline bool SameProps(const PropertyList& a, const PropertyList& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].first != b[i].first || !Identical(a[i].second, b[i].second)) return false;
  }
  return true;
}

inline std::vector<std::string> PropDiff(const PropertyList& a, const PropertyList& b,
                                         const NameResolver& names) {
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

inline std::string ValidityText(const Validity& v) {
  if (v.empty()) return "always";
  std::string s;
  for (const auto& p : v) {
    if (!s.empty()) s += " ";
    s += "[" + (p.from ? p.from->ToString() : std::string("...")) + ", " +
         (p.to ? p.to->ToString() : std::string("...")) + ")";
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
    report_.problems.push_back(
        {inputs_[static_cast<size_t>(file)].name, line, std::move(field), std::move(message)});
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
      case Change::Kind::kCreated:
        ++report_.created;
        break;
      case Change::Kind::kUpdated:
        ++report_.updated;
        break;
      case Change::Kind::kUnchanged:
        ++report_.unchanged;
        break;
      case Change::Kind::kRejected:
        ++report_.rejected;
        break;
    }
    if (opt_.collect_changes) {
      report_.changes.push_back(
          {kind, r.Describe(), inputs_[static_cast<size_t>(r.file)].name, r.line, std::move(details)});
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
        .Find(id.Hash(),
              [&](size_t i) { return RelIdentity(schema_.FindRel(item.type), records_[i].rels[0]) == id; })
        .has_value();
  }
  bool ReferenceProblems(size_t index, bool look_in_db, std::vector<Problem>* problems, Status* status);
  std::string VariantProblem(const Record& variant, const std::string& target,
                             const std::vector<std::string>& labels) const;
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
  ShardedRecordIndex defined_;           // node key -> record index (good records)
  ShardedRecordIndex rel_records_;       // relationship identity -> rel record index (good records)
  std::vector<size_t> naming_controls_;  // records that are controls or affect one (see CheckLifecycles)
  std::unordered_map<std::string, size_t> rejected_keys_;  // node key -> record index (rejected records)
  std::set<std::string> touched_controls_;
};

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
  Result<LabelId> InternLabel(std::string_view name) {
    return Get(labels_, name, [&] { return target_.InternLabel(name); });
  }
  Result<RelTypeId> InternRelType(std::string_view name) {
    return Get(types_, name, [&] { return target_.InternRelType(name); });
  }
  Result<PropKeyId> InternPropKey(std::string_view name) {
    return Get(props_, name, [&] { return target_.InternPropKey(name); });
  }

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
      if (it == cache.end())
        return Status::Internal("the name " + std::string(name) + " was not interned before writing");
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

// The lifecycle event an AFFECTS relationship of an event dated `date` gives: its effect, and when
// that takes hold (`effective`) and a suspension ends (`until`), if given.
inline std::optional<LifecycleEvent> AffectsEvent(Date date, const NamedProps& props,
                                                  const std::string& event_key) {
  LifecycleEvent e{date, "", event_key, std::nullopt, std::nullopt};
  for (const auto& [k, v] : props) {
    if (k == "effect" && v.is_string()) e.effect = v.as_string();
    if (k == "effective" && v.is_date()) e.effective = v.as_date();
    if (k == "until" && v.is_date()) e.until = v.as_date();
  }
  if (e.effect.empty()) return std::nullopt;
  return e;
}

}  // namespace lodestone::domain::import_internal
