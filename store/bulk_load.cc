// Bulk loading through SST files: see bulk_load.h. Key layouts come from key_codec.h and record.h
// only; this file decides nothing about bytes.
#include "store/bulk_load.h"

#include <rocksdb/sst_file_writer.h>

#include <rocksdb/convenience.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "store/catalog.h"
#include "store/read_view.h"
#include "store/rocksdb_store.h"

namespace lodestone {
namespace {

using internal::Cf;
using internal::FromRocks;
using internal::NameKind;
using layout::Direction;

std::string U64(uint64_t v) {
  std::string s;
  layout::PutU64(&s, v);
  return s;
}

class Loader final : public BulkLoad {
 public:
  Loader(internal::RocksStore* store, std::string origin, std::unique_lock<std::mutex> lock)
      : store_(store), lock_(std::move(lock)), origin_(std::move(origin)), pending_(store->catalog()),
        counters_(store->counters()) {
    base_ = store_->Read();
    rt_ = std::max(store_->Now(), counters_.last_record_time + 1);
    first_node_ = counters_.next_node_id;
    first_rel_ = counters_.next_rel_id;
    base_empty_ = counters_.node_count == 0;
    date_key_ = pending_.FindPropKey("date");
  }

  uint64_t record_time() const override { return rt_; }
  ReadView& base() override { return *base_; }
  const NameResolver& names() const override { return pending_; }

  Result<LabelId> InternLabel(std::string_view name) override { return Intern(NameKind::kLabel, "label", name); }
  Result<RelTypeId> InternRelType(std::string_view name) override {
    return Intern(NameKind::kRelType, "relationship type", name);
  }
  Result<PropKeyId> InternPropKey(std::string_view name) override {
    auto id = Intern(NameKind::kPropKey, "property key", name);
    if (id.ok() && name == "date") date_key_ = *id;
    return id;
  }

  Status DeclareIndex(LabelId label, PropKeyId key, Value::Kind kind) override {
    if (auto have = pending_.FindIndex(label, key)) {
      if (have->kind == kind) return Status::OK();
      return Status::AlreadyExists(":" + pending_.LabelName(label) + "(" + pending_.PropKeyName(key) + ") is indexed as " +
                                   std::string(Value::KindName(have->kind)) + " already");
    }
    if (nodes_added_) return Status::InvalidArgument("declare indexes before adding nodes to a bulk load");
    auto cur = base_->ScanLabel(label);
    if (cur->Valid()) {
      return Status::Unsupported("a bulk load cannot index existing :" + pending_.LabelName(label) +
                                 " nodes; declare the index in a write transaction");
    }
    RETURN_IF_ERROR(cur->status());
    Put(Cf::kCatalog, internal::CatalogIndexKey(label, key), std::string(1, static_cast<char>(kind)));
    pending_.SetIndex({label, key, kind});
    return Status::OK();
  }

  Result<NodeId> AddNode(NodeRecord rec) override;
  Result<RelRef> AddRel(NodeId src, RelTypeId type, NodeId dst, RelRecord rec) override;
  Status Commit() override;

 private:
  Result<uint32_t> Intern(NameKind kind, std::string_view what, std::string_view name) {
    RETURN_IF_ERROR(ValidateName(what, name));
    bool created;
    uint32_t id = pending_.Intern(kind, name, &created);
    if (created) {
      std::string v;
      layout::PutU32(&v, id);
      Put(Cf::kCatalog, internal::CatalogNameKey(kind, name), std::move(v));
    }
    return id;
  }
  void Put(Cf cf, std::string key, std::string value) {
    entries_[static_cast<size_t>(cf)].emplace_back(std::move(key), std::move(value));
  }
  Status CheckProps(PropertyList* props) {
    std::sort(props->begin(), props->end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 1; i < props->size(); ++i) {
      if ((*props)[i].first == (*props)[i - 1].first) {
        return Status::InvalidArgument("property '" + pending_.PropKeyName((*props)[i].first) + "' is given twice");
      }
    }
    std::erase_if(*props, [](const auto& p) { return p.second.is_null(); });
    for (const auto& [k, v] : *props) {
      if (!v.IsStorable()) {
        return Status::InvalidArgument("property '" + pending_.PropKeyName(k) + "' cannot hold a " +
                                       std::string(Value::KindName(v.kind())) + " value");
      }
    }
    return Status::OK();
  }
  // The date of a node (for the time indexes): of this load's nodes from memory, of others from the base.
  Result<std::optional<Date>> DateOf(NodeId id) {
    if (id >= first_node_) return dates_[id - first_node_];
    auto it = base_dates_.find(id);
    if (it != base_dates_.end()) return it->second;
    std::optional<Date> d;
    if (auto key = store_->catalog()->FindPropKey("date")) {
      ASSIGN_OR_RETURN(Value v, base_->GetNodeProperty(id, *key));
      if (v.is_date()) d = v.as_date();
    }
    base_dates_.emplace(id, d);
    return d;
  }
  Result<bool> Exists(NodeId id) {
    if (id >= first_node_) return id < counters_.next_node_id;
    auto it = base_dates_.find(id);
    if (it != base_dates_.end()) return true;
    ASSIGN_OR_RETURN(bool found, base_->NodeExists(id));
    return found;
  }

  internal::RocksStore* store_;
  std::unique_lock<std::mutex> lock_;
  std::string origin_;
  internal::PendingCatalog pending_;
  internal::Counters counters_;
  std::unique_ptr<ReadView> base_;
  uint64_t rt_ = 0;
  NodeId first_node_ = 0;
  RelId first_rel_ = 0;
  bool base_empty_ = false;
  bool nodes_added_ = false;
  bool committed_ = false;
  std::optional<PropKeyId> date_key_;
  std::vector<std::optional<Date>> dates_;  // of this load's nodes, by id - first_node_
  std::unordered_map<NodeId, std::optional<Date>> base_dates_;
  std::unordered_set<std::string> keys_;
  std::array<std::vector<std::pair<std::string, std::string>>, internal::kCfCount> entries_;
};

Result<NodeId> Loader::AddNode(NodeRecord rec) {
  if (committed_) return Status::Internal("bulk load used after Commit()");
  nodes_added_ = true;
  if (!rec.key.empty()) {
    RETURN_IF_ERROR(ValidateNodeKey(rec.key));
    if (!keys_.insert(rec.key).second) return Status::AlreadyExists("a node with key '" + rec.key + "' is in this load twice");
    if (!base_empty_) {
      ASSIGN_OR_RETURN(auto existing, base_->FindNode(rec.key));
      if (existing) return Status::AlreadyExists("a node with key '" + rec.key + "' exists already");
    }
  }
  std::sort(rec.labels.begin(), rec.labels.end());
  rec.labels.erase(std::unique(rec.labels.begin(), rec.labels.end()), rec.labels.end());
  RETURN_IF_ERROR(ValidateValidity(rec.validity));
  RETURN_IF_ERROR(CheckProps(&rec.props));
  for (LabelId l : rec.labels) {
    for (const auto& [k, v] : rec.props) {
      auto spec = pending_.FindIndex(l, k);
      if (spec && v.kind() != spec->kind) {
        return Status::InvalidArgument("property '" + pending_.PropKeyName(k) + "' of :" + pending_.LabelName(l) +
                                       " is indexed as " + std::string(Value::KindName(spec->kind)) + "; got " +
                                       std::string(Value::KindName(v.kind())) + " " + v.ToString());
      }
    }
  }
  for (LabelId l : rec.labels) {
    for (const auto& [k, v] : rec.props) {
      if (!pending_.FindIndex(l, k)) continue;
      std::string key = layout::PropIdxPrefix(l, k);
      layout::AppendOrderedValue(&key, v);
      layout::PutU64(&key, counters_.next_node_id);
      Put(Cf::kPropIdx, std::move(key), "");
    }
  }
  NodeId id = counters_.next_node_id++;
  rec.record_time = rt_;
  std::optional<Date> date;
  if (date_key_) {
    if (const Value* v = FindProperty(rec.props, *date_key_); v && v->is_date()) date = v->as_date();
  }
  dates_.push_back(date);
  std::string validity;
  if (!rec.validity.empty()) codec::AppendValidity(&validity, rec.validity);
  std::string labels;
  for (LabelId l : rec.labels) {
    Put(Cf::kLabel, layout::LabelKey(l, id), validity);
    codec::AppendVarint(&labels, l);
  }
  if (date) Put(Cf::kTime, layout::TimeKey(*date, id), std::move(labels));
  if (!rec.key.empty()) Put(Cf::kNodeKey, rec.key, U64(id));
  Put(Cf::kNode, layout::NodeKey(id), codec::EncodeNode(rec));
  ++counters_.node_count;
  return id;
}

Result<RelRef> Loader::AddRel(NodeId src, RelTypeId type, NodeId dst, RelRecord rec) {
  if (committed_) return Status::Internal("bulk load used after Commit()");
  ASSIGN_OR_RETURN(bool has_src, Exists(src));
  ASSIGN_OR_RETURN(bool has_dst, Exists(dst));
  if (!has_src || !has_dst) {
    return Status::NotFound("cannot create a :" + pending_.RelTypeName(type) + " relationship from node " +
                            std::to_string(src) + " to node " + std::to_string(dst) + ": the " +
                            (has_src ? "end" : "start") + " node does not exist");
  }
  RETURN_IF_ERROR(ValidateValidity(rec.validity));
  RETURN_IF_ERROR(CheckProps(&rec.props));
  RelRef ref{counters_.next_rel_id++, src, dst, type};
  rec.record_time = rt_;
  Put(Cf::kAdj, layout::EncodeAdjKey({src, Direction::kOut, type, dst, ref.id}), codec::EncodeRel(rec));
  Put(Cf::kAdj, layout::EncodeAdjKey({dst, Direction::kIn, type, src, ref.id}), "");
  if (src != dst) {
    auto value = [&](Direction d) {
      std::string v;
      layout::PutU32(&v, type);
      v.push_back(static_cast<char>(d));
      return v;
    };
    ASSIGN_OR_RETURN(auto dd, DateOf(dst));
    ASSIGN_OR_RETURN(auto sd, DateOf(src));
    if (dd) Put(Cf::kSubjectTime, layout::SubjectTimeKey(src, *dd, dst, ref.id), value(Direction::kOut));
    if (sd) Put(Cf::kSubjectTime, layout::SubjectTimeKey(dst, *sd, src, ref.id), value(Direction::kIn));
  }
  ++counters_.rel_count;
  return ref;
}

Status Loader::Commit() {
  namespace fs = std::filesystem;
  if (committed_) return Status::Internal("bulk load committed twice");
  committed_ = true;
  bool dirty = counters_.next_node_id != first_node_ || counters_.next_rel_id != first_rel_ || !pending_.added().empty() ||
               !pending_.index_changes().empty();
  if (!dirty) return Status::OK();

  // The change record names every node and relationship of the load (contiguous ids).
  ChangeRecord change;
  change.origin = origin_;
  for (NodeId id = first_node_; id < counters_.next_node_id; ++id) change.nodes.push_back(id);
  for (RelId id = first_rel_; id < counters_.next_rel_id; ++id) change.rels.push_back(id);
  Put(Cf::kLog, layout::LogKey(rt_), codec::EncodeChange(change));
  counters_.last_record_time = rt_;
  Put(Cf::kMeta, std::string(layout::kMetaNextNodeId), U64(counters_.next_node_id));
  Put(Cf::kMeta, std::string(layout::kMetaNextRelId), U64(counters_.next_rel_id));
  Put(Cf::kMeta, std::string(layout::kMetaLastRecordTime), U64(counters_.last_record_time));
  Put(Cf::kMeta, std::string(internal::kMetaNodeCount), U64(counters_.node_count));
  Put(Cf::kMeta, std::string(internal::kMetaRelCount), U64(counters_.rel_count));

  // One SST file per column family, written in parallel (two threads), in a scratch directory
  // inside the database directory (so that ingestion can move rather than copy them).
  fs::path dir = fs::path(store_->path()) / ("bulk-load-" + std::to_string(rt_) + ".tmp");
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir.string() + ": " + ec.message());
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(dir, e);
    }
  } cleanup{dir};

  rocksdb::DB* db = store_->db();
  const internal::CfHandles& cfs = *store_->cfs();
  std::vector<int> todo;
  for (int cf = 0; cf < internal::kCfCount; ++cf) {
    if (!entries_[static_cast<size_t>(cf)].empty()) todo.push_back(cf);
  }
  std::vector<Status> results(internal::kCfCount);
  std::vector<std::string> files(internal::kCfCount);
  auto write_cf = [&](int cf) {
    auto& e = entries_[static_cast<size_t>(cf)];
    auto less = [](const auto& a, const auto& b) { return a.first < b.first; };
    if (!std::is_sorted(e.begin(), e.end(), less)) std::sort(e.begin(), e.end(), less);
    for (size_t i = 1; i < e.size(); ++i) {
      if (e[i].first == e[i - 1].first) {
        results[static_cast<size_t>(cf)] =
            Status::Internal(std::string("bulk load: the same key twice in column family ") + internal::CfName(static_cast<Cf>(cf)));
        return;
      }
    }
    rocksdb::Options options(db->GetDBOptions(), db->GetOptions(cfs[static_cast<size_t>(cf)]));
    // Fast to write; compaction recompresses as usual later.
    auto supported = rocksdb::GetSupportedCompressions();
    bool lz4 = std::find(supported.begin(), supported.end(), rocksdb::kLZ4Compression) != supported.end();
    options.compression = lz4 ? rocksdb::kLZ4Compression : rocksdb::kNoCompression;
    options.bottommost_compression = rocksdb::kDisableCompressionOption;
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, cfs[static_cast<size_t>(cf)]);
    std::string path = (dir / (std::string(internal::CfName(static_cast<Cf>(cf))) + ".sst")).string();
    Status s = FromRocks(writer.Open(path), "opening a bulk-load file");
    for (size_t i = 0; s.ok() && i < e.size(); ++i) {
      s = FromRocks(writer.Put(e[i].first, e[i].second), "writing a bulk-load file");
    }
    if (s.ok()) s = FromRocks(writer.Finish(), "finishing a bulk-load file");
    results[static_cast<size_t>(cf)] = s;
    files[static_cast<size_t>(cf)] = path;
    e.clear();
    e.shrink_to_fit();
  };
  // Biggest first, alternating between two threads.
  std::sort(todo.begin(), todo.end(), [&](int a, int b) {
    return entries_[static_cast<size_t>(a)].size() > entries_[static_cast<size_t>(b)].size();
  });
  std::vector<int> mine, theirs;
  size_t load_a = 0, load_b = 0;
  for (int cf : todo) {
    size_t n = entries_[static_cast<size_t>(cf)].size();
    if (load_a <= load_b) {
      mine.push_back(cf);
      load_a += n;
    } else {
      theirs.push_back(cf);
      load_b += n;
    }
  }
  std::thread helper([&] {
    for (int cf : theirs) write_cf(cf);
  });
  for (int cf : mine) write_cf(cf);
  helper.join();
  for (int cf : todo) RETURN_IF_ERROR(results[static_cast<size_t>(cf)]);

  std::vector<rocksdb::IngestExternalFileArg> args;
  for (int cf : todo) {
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = cfs[static_cast<size_t>(cf)];
    arg.external_files = {files[static_cast<size_t>(cf)]};
    arg.options.move_files = true;
    arg.options.snapshot_consistency = true;
    arg.options.allow_global_seqno = true;
    arg.options.allow_blocking_flush = true;
    args.push_back(std::move(arg));
  }
  // Names become visible before the data that uses them, as in a write transaction.
  store_->catalog()->Publish(pending_.added());
  rocksdb::Status s = db->IngestExternalFiles(args);
  if (!s.ok()) {
    store_->catalog()->Unpublish(pending_.added());
    return FromRocks(s, "ingesting the bulk load");
  }
  for (const auto& [k, kind] : pending_.index_changes()) {
    if (kind) store_->catalog()->SetIndex({k.first, k.second, *kind});
  }
  store_->counters() = counters_;
  store_->committed_record_time().store(rt_);
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<BulkLoad>> BulkLoad::Begin(GraphStore& store, std::string origin) {
  auto* rocks = dynamic_cast<internal::RocksStore*>(&store);
  if (!rocks) return Status::Unsupported("bulk loading needs the RocksDB store");
  if (rocks->options().read_only) {
    return Status::Unsupported("the database at " + rocks->path() + " is open read-only; writing needs a writable open");
  }
  std::unique_lock<std::mutex> lock(rocks->writer_mutex());
  // A load killed before it ingested leaves its scratch directory behind: remove it.
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(rocks->path(), ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("bulk-load-", 0) == 0 && name.size() > 4 && name.substr(name.size() - 4) == ".tmp") {
      std::filesystem::remove_all(entry.path(), ec);
    }
  }
  return std::unique_ptr<BulkLoad>(std::make_unique<Loader>(rocks, std::move(origin), std::move(lock)));
}

}  // namespace lodestone
