// The write transaction: buffers every change of one logical write in a WriteBatchWithIndex (so the
// transaction reads its own writes), maintains every index entry and history version, and commits
// all of it as one atomic RocksDB write.
#include <algorithm>
#include <map>
#include <set>

#include <rocksdb/utilities/write_batch_with_index.h>

#include "store/index_entries.h"
#include "store/read_view.h"
#include "store/rocksdb_store.h"

namespace lodestone::internal {
namespace {

using layout::Direction;

std::string U64Value(uint64_t v) {
  std::string s;
  layout::PutU64(&s, v);
  return s;
}

// The index entries of a node, by column family and key (layout::ForEachNodeEntry's rule).
using EntryMap = std::map<std::pair<Cf, std::string>, std::string>;

bool SameContent(const NodeRecord& a, const NodeRecord& b) {
  if (a.key != b.key || a.labels != b.labels || a.validity != b.validity ||
      a.props.size() != b.props.size()) {
    return false;
  }
  for (size_t i = 0; i < a.props.size(); ++i) {
    if (a.props[i].first != b.props[i].first || !Identical(a.props[i].second, b.props[i].second))
      return false;
  }
  return true;
}

bool SameContent(const RelRecord& a, const RelRecord& b) {
  if (a.key != b.key || a.validity != b.validity || a.props.size() != b.props.size()) return false;
  for (size_t i = 0; i < a.props.size(); ++i) {
    if (a.props[i].first != b.props[i].first || !Identical(a.props[i].second, b.props[i].second))
      return false;
  }
  return true;
}

std::string NodeName(NodeId id, const NodeRecord& r) {
  return r.key.empty() ? "node " + std::to_string(id) : "node '" + r.key + "'";
}

class Txn final : public WriteTxn {
 public:
  Txn(RocksStore* store, std::string origin, std::unique_lock<std::mutex> lock)
      : store_(store),
        lock_(std::move(lock)),
        origin_(std::move(origin)),
        batch_(rocksdb::BytewiseComparator(), 0, /*overwrite_key=*/true),
        pending_(store->catalog()),
        counters_(store->counters()) {
    snapshot_ = store_->db()->GetSnapshot();
    source_ = std::make_unique<BatchSource>(store_->db(), store_->cfs(), snapshot_, &batch_);
    rt_ = std::max(store_->Now(), counters_.last_record_time + 1);
    view_ = std::make_unique<GraphReadView>(source_.get(), &pending_, store_->dated_property(), rt_);
  }
  ~Txn() override { store_->db()->ReleaseSnapshot(snapshot_); }

  uint64_t record_time() const override { return rt_; }
  ReadView& view() override { return *view_; }
  bool dirty() const override { return dirty_; }

  Result<LabelId> InternLabel(std::string_view name) override {
    return Intern(NameKind::kLabel, "label", name);
  }
  Result<RelTypeId> InternRelType(std::string_view name) override {
    return Intern(NameKind::kRelType, "relationship type", name);
  }
  Result<PropKeyId> InternPropKey(std::string_view name) override {
    return Intern(NameKind::kPropKey, "property key", name);
  }

  Result<NodeId> CreateNode(NodeRecord rec) override;
  Status UpdateNode(NodeId id, NodeRecord rec) override;
  Status DeleteNode(NodeId id, bool detach) override;
  Result<RelRef> CreateRel(NodeId src, RelTypeId type, NodeId dst, RelRecord rec) override;
  Status UpdateRel(const RelRef& rel, RelRecord rec) override;
  Status DeleteRel(const RelRef& rel) override;
  Status CreateIndex(LabelId label, PropKeyId key, Value::Kind kind) override;
  Status DropIndex(LabelId label, PropKeyId key) override;
  Status PutMeta(std::string_view name, std::string_view value) override {
    if (!layout::IsAppMetaName(name)) {
      return Status::InvalidArgument(
          "meta names of the layers above the store start with 'app.' (at most 64 bytes)");
    }
    RETURN_IF_ERROR(Put(Cf::kMeta, name, value));
    dirty_ = true;
    return Status::OK();
  }
  Status Commit() override;

 private:
  Result<uint32_t> Intern(NameKind kind, std::string_view what, std::string_view name) {
    RETURN_IF_ERROR(ValidateName(what, name));
    bool created;
    uint32_t id = pending_.Intern(kind, name, &created);
    if (created) {
      std::string v;
      layout::PutU32(&v, id);
      RETURN_IF_ERROR(Put(Cf::kCatalog, CatalogNameKey(kind, name), v));
      dirty_ = true;
    }
    return id;
  }

  Status Put(Cf cf, std::string_view key, std::string_view value) {
    return FromRocks(batch_.Put(Handle(cf), rocksdb::Slice(key.data(), key.size()),
                                rocksdb::Slice(value.data(), value.size())),
                     "buffering a write");
  }
  Status Delete(Cf cf, std::string_view key) {
    return FromRocks(batch_.Delete(Handle(cf), rocksdb::Slice(key.data(), key.size())), "buffering a delete");
  }
  rocksdb::ColumnFamilyHandle* Handle(Cf cf) { return (*store_->cfs())[static_cast<int>(cf)]; }

  std::optional<PropKeyId> DateKey() const { return pending_.FindPropKey(store_->dated_property()); }
  std::optional<Date> DateOf(const NodeRecord& r) const { return layout::DateOf(r, DateKey()); }

  // Calls put(cf, key, value) for each index entry of node `id` as `r` (layout::ForEachNodeEntry).
  template <typename Put>
  void ForEachNodeEntry(NodeId id, const NodeRecord& r, Put&& put) const {
    auto indexed = [&](LabelId l, PropKeyId k) { return pending_.FindIndex(l, k).has_value(); };
    layout::ForEachNodeEntry(id, r, DateOf(r), indexed, put);
  }
  EntryMap NodeEntries(NodeId id, const NodeRecord& r) const {
    EntryMap out;
    ForEachNodeEntry(id, r, [&](Cf cf, std::string_view k, std::string_view v) {
      out[{cf, std::string(k)}] = v;
    });
    return out;
  }
  // Puts (or deletes) every entry a callback is given, keeping the first error.
  struct Writer {
    Txn* txn;
    bool remove = false;
    Status status = Status::OK();
    void operator()(Cf cf, std::string_view k, std::string_view v) {
      if (status.ok()) status = remove ? txn->Delete(cf, k) : txn->Put(cf, k, v);
    }
  };

  // Normalises and checks a node record before it is written.
  Status CheckNode(NodeRecord* rec) {
    if (!rec->key.empty()) RETURN_IF_ERROR(ValidateNodeKey(rec->key));
    std::sort(rec->labels.begin(), rec->labels.end());
    rec->labels.erase(std::unique(rec->labels.begin(), rec->labels.end()), rec->labels.end());
    RETURN_IF_ERROR(ValidateValidity(rec->validity));
    RETURN_IF_ERROR(CheckProps(&rec->props));
    for (LabelId l : rec->labels) {
      for (const auto& [k, v] : rec->props) {
        auto spec = pending_.FindIndex(l, k);
        if (spec && v.kind() != spec->kind) {
          return Status::InvalidArgument("property '" + pending_.PropKeyName(k) +
                                         "' of :" + pending_.LabelName(l) + " is indexed as " +
                                         std::string(Value::KindName(spec->kind)) + "; got " +
                                         std::string(Value::KindName(v.kind())) + " " + v.ToString());
        }
      }
    }
    return Status::OK();
  }

  Status CheckProps(PropertyList* props) {
    std::sort(props->begin(), props->end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 1; i < props->size(); ++i) {
      if ((*props)[i].first == (*props)[i - 1].first) {
        return Status::InvalidArgument("property '" + pending_.PropKeyName((*props)[i].first) +
                                       "' is given twice");
      }
    }
    std::erase_if(*props, [](const auto& p) { return p.second.is_null(); });
    for (const auto& [k, v] : *props) {
      if (!v.IsStorable()) {
        return Status::InvalidArgument("property '" + pending_.PropKeyName(k) + "' cannot hold a " +
                                       std::string(Value::KindName(v.kind())) +
                                       " value; store its key or id instead");
      }
    }
    return Status::OK();
  }

  Status PutHistory(char kind, uint64_t id, uint64_t version_rt, std::string_view prefix_bytes,
                    std::string_view record) {
    if (version_rt >= rt_) return Status::OK();  // this transaction's own version: not history yet
    std::string v = U64Value(rt_);
    v.append(prefix_bytes);
    v.append(record);
    return Put(Cf::kHistory, layout::HistoryKey(kind, id, version_rt), v);
  }

  Result<NodeRecord> MustGetNode(NodeId id) {
    NodeRecord r;
    ASSIGN_OR_RETURN(bool found, view_->GetNode(id, &r));
    if (!found) return Status::NotFound("node " + std::to_string(id) + " does not exist");
    return r;
  }

  RocksStore* store_;
  std::unique_lock<std::mutex> lock_;
  std::string origin_;
  rocksdb::WriteBatchWithIndex batch_;
  PendingCatalog pending_;
  Counters counters_;  // a copy, published on commit
  const rocksdb::Snapshot* snapshot_ = nullptr;
  std::unique_ptr<BatchSource> source_;
  std::unique_ptr<GraphReadView> view_;
  uint64_t rt_ = 0;
  bool dirty_ = false;
  bool committed_ = false;
  std::set<NodeId> changed_nodes_;
  std::set<RelId> changed_rels_;
};

Result<NodeId> Txn::CreateNode(NodeRecord rec) {
  RETURN_IF_ERROR(CheckNode(&rec));
  if (!rec.key.empty()) {
    ASSIGN_OR_RETURN(auto existing, view_->FindNode(rec.key));
    if (existing) return Status::AlreadyExists("a node with key '" + rec.key + "' exists already");
  }
  NodeId id = counters_.next_node_id++;
  rec.record_time = rt_;
  RETURN_IF_ERROR(Put(Cf::kNode, layout::NodeKey(id), codec::EncodeNode(rec)));
  Writer w{this};
  ForEachNodeEntry(id, rec, w);
  RETURN_IF_ERROR(w.status);
  changed_nodes_.insert(id);
  ++counters_.node_count;
  dirty_ = true;
  return id;
}

Status Txn::UpdateNode(NodeId id, NodeRecord rec) {
  ASSIGN_OR_RETURN(NodeRecord old, MustGetNode(id));
  RETURN_IF_ERROR(CheckNode(&rec));
  if (SameContent(old, rec)) return Status::OK();
  rec.record_time = rt_;
  if (rec.key != old.key && !rec.key.empty()) {
    ASSIGN_OR_RETURN(auto existing, view_->FindNode(rec.key));
    if (existing) return Status::AlreadyExists("a node with key '" + rec.key + "' exists already");
  }
  RETURN_IF_ERROR(PutHistory(layout::kHistoryNode, id, old.record_time, "", codec::EncodeNode(old)));

  // The index entries that differ between the two versions.
  EntryMap old_entries = NodeEntries(id, old), new_entries = NodeEntries(id, rec);
  for (const auto& [k, v] : old_entries) {
    if (!new_entries.count(k)) RETURN_IF_ERROR(Delete(k.first, k.second));
  }
  for (const auto& [k, v] : new_entries) {
    auto it = old_entries.find(k);
    if (it == old_entries.end() || it->second != v) RETURN_IF_ERROR(Put(k.first, k.second, v));
  }
  RETURN_IF_ERROR(Put(Cf::kNode, layout::NodeKey(id), codec::EncodeNode(rec)));
  changed_nodes_.insert(id);
  dirty_ = true;
  return Status::OK();
}

Status Txn::DeleteNode(NodeId id, bool detach) {
  ASSIGN_OR_RETURN(NodeRecord old, MustGetNode(id));
  std::vector<AdjEntry> adj;
  auto cur = view_->ScanAdj(id, {});
  for (; cur->Valid(); cur->Next()) adj.push_back(cur->entry());
  RETURN_IF_ERROR(cur->status());
  if (!adj.empty() && !detach) {
    return Status::Constraint("cannot delete " + NodeName(id, old) + " because it still has " +
                              std::to_string(adj.size()) +
                              " relationship(s); delete them first or use DETACH DELETE");
  }
  for (const AdjEntry& e : adj) RETURN_IF_ERROR(DeleteRel(e.rel));
  RETURN_IF_ERROR(PutHistory(layout::kHistoryNode, id, old.record_time, "", codec::EncodeNode(old)));
  RETURN_IF_ERROR(Delete(Cf::kNode, layout::NodeKey(id)));
  if (!old.key.empty()) {
    RETURN_IF_ERROR(Delete(Cf::kNodeKey, old.key));
    // Remember the key of a deleted node so that its history can still be found by key.
    RETURN_IF_ERROR(Put(Cf::kNodeKey, std::string(1, '\0') + old.key, U64Value(id)));
  }
  Writer w{this, /*remove=*/true};
  ForEachNodeEntry(id, old, w);
  RETURN_IF_ERROR(w.status);
  changed_nodes_.insert(id);
  --counters_.node_count;
  dirty_ = true;
  return Status::OK();
}

Result<RelRef> Txn::CreateRel(NodeId src, RelTypeId type, NodeId dst, RelRecord rec) {
  ASSIGN_OR_RETURN(bool has_src, view_->NodeExists(src));
  ASSIGN_OR_RETURN(bool has_dst, view_->NodeExists(dst));
  if (!has_src || !has_dst) {
    return Status::NotFound("cannot create a :" + pending_.RelTypeName(type) + " relationship from node " +
                            std::to_string(src) + " to node " + std::to_string(dst) + ": the " +
                            (has_src ? "end" : "start") + " node does not exist");
  }
  RETURN_IF_ERROR(ValidateValidity(rec.validity));
  RETURN_IF_ERROR(CheckProps(&rec.props));
  RelRef ref{counters_.next_rel_id++, src, dst, type};
  rec.record_time = rt_;
  Writer w{this};
  layout::ForEachRelEntry(ref, codec::EncodeRel(rec), w);
  RETURN_IF_ERROR(w.status);
  changed_rels_.insert(ref.id);
  ++counters_.rel_count;
  dirty_ = true;
  return ref;
}

std::string RelHistoryPrefix(const RelRef& rel) {
  std::string p;
  layout::PutU64(&p, rel.src);
  layout::PutU32(&p, rel.type);
  layout::PutU64(&p, rel.dst);
  return p;
}

Status Txn::UpdateRel(const RelRef& rel, RelRecord rec) {
  RelRecord old;
  ASSIGN_OR_RETURN(bool found, view_->GetRel(rel, &old));
  if (!found) return Status::NotFound("relationship " + std::to_string(rel.id) + " does not exist");
  RETURN_IF_ERROR(ValidateValidity(rec.validity));
  RETURN_IF_ERROR(CheckProps(&rec.props));
  if (SameContent(old, rec)) return Status::OK();
  RETURN_IF_ERROR(
      PutHistory(layout::kHistoryRel, rel.id, old.record_time, RelHistoryPrefix(rel), codec::EncodeRel(old)));
  rec.record_time = rt_;
  RETURN_IF_ERROR(Put(Cf::kAdj, layout::EncodeAdjKey({rel.src, Direction::kOut, rel.type, rel.dst, rel.id}),
                      codec::EncodeRel(rec)));
  changed_rels_.insert(rel.id);
  dirty_ = true;
  return Status::OK();
}

Status Txn::DeleteRel(const RelRef& rel) {
  RelRecord old;
  ASSIGN_OR_RETURN(bool found, view_->GetRel(rel, &old));
  if (!found) return Status::NotFound("relationship " + std::to_string(rel.id) + " does not exist");
  RETURN_IF_ERROR(
      PutHistory(layout::kHistoryRel, rel.id, old.record_time, RelHistoryPrefix(rel), codec::EncodeRel(old)));
  // An entry of a list with chunks may be a chunk's: a tombstone deletes it (key_codec.h).
  Status status;
  layout::ForEachRelEntry(rel, {}, [&](Cf cf, std::string_view key, std::string_view) {
    if (!status.ok()) return;
    Result<bool> chunked = source_->AdjListHasChunks(layout::AdjListOf(key));
    if (!chunked.ok()) {
      status = chunked.status();
    } else {
      status = *chunked ? Put(cf, key, layout::kAdjTombstone) : Delete(cf, key);
    }
  });
  RETURN_IF_ERROR(status);
  changed_rels_.insert(rel.id);
  --counters_.rel_count;
  dirty_ = true;
  return Status::OK();
}

Status Txn::CreateIndex(LabelId label, PropKeyId key, Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kBool:
    case Value::Kind::kInt:
    case Value::Kind::kFloat:
    case Value::Kind::kString:
    case Value::Kind::kDate:
    case Value::Kind::kDateTime:
      break;
    default:
      return Status::InvalidArgument(
          "values of kind " + std::string(Value::KindName(kind)) +
          " cannot be indexed; index BOOLEAN, INTEGER, FLOAT, STRING, DATE or DATETIME");
  }
  if (auto existing = pending_.FindIndex(label, key)) {
    if (existing->kind == kind) return Status::OK();
    return Status::AlreadyExists(":" + pending_.LabelName(label) + "(" + pending_.PropKeyName(key) +
                                 ") is indexed as " + std::string(Value::KindName(existing->kind)) +
                                 " already");
  }
  std::vector<std::pair<NodeId, Value>> entries;
  auto cur = view_->ScanLabel(label);
  for (; cur->Valid(); cur->Next()) {
    ASSIGN_OR_RETURN(Value v, view_->GetNodeProperty(cur->entry().id, key));
    if (v.is_null()) continue;
    if (v.kind() != kind) {
      NodeRecord r;
      ASSIGN_OR_RETURN(bool found, view_->GetNode(cur->entry().id, &r));
      (void)found;
      return Status::InvalidArgument(
          "cannot index :" + pending_.LabelName(label) + "(" + pending_.PropKeyName(key) + ") as " +
          std::string(Value::KindName(kind)) + ": " + NodeName(cur->entry().id, r) + " holds " +
          std::string(Value::KindName(v.kind())) + " " + v.ToString());
    }
    entries.emplace_back(cur->entry().id, std::move(v));
  }
  RETURN_IF_ERROR(cur->status());
  for (const auto& [id, v] : entries)
    RETURN_IF_ERROR(Put(Cf::kPropIdx, layout::PropIdxKey(label, key, v, id), ""));
  RETURN_IF_ERROR(Put(Cf::kCatalog, CatalogIndexKey(label, key), std::string(1, static_cast<char>(kind))));
  pending_.SetIndex({label, key, kind});
  dirty_ = true;
  return Status::OK();
}

Status Txn::DropIndex(LabelId label, PropKeyId key) {
  if (!pending_.FindIndex(label, key)) {
    return Status::NotFound("there is no index on :" + pending_.LabelName(label) + "(" +
                            pending_.PropKeyName(key) + ")");
  }
  std::string prefix = layout::PropIdxPrefix(label, key);
  std::vector<std::string> keys;
  auto it = source_->Scan(Cf::kPropIdx, prefix, layout::PrefixSuccessor(prefix));
  for (; it->Valid(); it->Next()) keys.emplace_back(it->key());
  RETURN_IF_ERROR(it->status());
  for (const auto& k : keys) RETURN_IF_ERROR(Delete(Cf::kPropIdx, k));
  RETURN_IF_ERROR(Delete(Cf::kCatalog, CatalogIndexKey(label, key)));
  pending_.RemoveIndex(label, key);
  dirty_ = true;
  return Status::OK();
}

Status Txn::Commit() {
  if (committed_) return Status::Internal("transaction committed twice");
  committed_ = true;
  if (!dirty_) return Status::OK();
  ChangeRecord change{
      origin_, {changed_nodes_.begin(), changed_nodes_.end()}, {changed_rels_.begin(), changed_rels_.end()}};
  RETURN_IF_ERROR(Put(Cf::kLog, layout::LogKey(rt_), codec::EncodeChange(change)));
  counters_.last_record_time = rt_;
  RETURN_IF_ERROR(Put(Cf::kMeta, layout::kMetaNextNodeId, U64Value(counters_.next_node_id)));
  RETURN_IF_ERROR(Put(Cf::kMeta, layout::kMetaNextRelId, U64Value(counters_.next_rel_id)));
  RETURN_IF_ERROR(Put(Cf::kMeta, layout::kMetaLastRecordTime, U64Value(counters_.last_record_time)));
  RETURN_IF_ERROR(Put(Cf::kMeta, kMetaNodeCount, U64Value(counters_.node_count)));
  RETURN_IF_ERROR(Put(Cf::kMeta, kMetaRelCount, U64Value(counters_.rel_count)));

  // Names become visible before the data that uses them, so a reader never meets an unnamed id.
  store_->catalog()->Publish(pending_.added());
  rocksdb::WriteOptions wo;
  wo.sync = store_->options().sync;
  std::unique_lock publish(store_->commit_mutex());
  rocksdb::Status s = store_->db()->Write(wo, batch_.GetWriteBatch());
  if (!s.ok()) {
    publish.unlock();
    store_->catalog()->Unpublish(pending_.added());
    return FromRocks(s, "committing");
  }
  store_->committed_record_time().store(rt_);
  store_->node_id_bound().store(counters_.next_node_id);
  publish.unlock();
  for (const auto& [k, kind] : pending_.index_changes()) {
    if (kind) {
      store_->catalog()->SetIndex({k.first, k.second, *kind});
    } else {
      store_->catalog()->RemoveIndex(k.first, k.second);
    }
  }
  store_->counters() = counters_;
  store_->Published();
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<WriteTxn>> NewWriteTxn(RocksStore* store, std::string origin) {
  if (store->options().read_only) {
    return Status::Unsupported("the database at " + store->path() +
                               " is open read-only; writing needs a writable open");
  }
  std::unique_lock<std::mutex> lock(store->writer_mutex());
  return std::unique_ptr<WriteTxn>(std::make_unique<Txn>(store, std::move(origin), std::move(lock)));
}

}  // namespace lodestone::internal
