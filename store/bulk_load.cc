// Bulk loading through SST files: see bulk_load.h. Key layouts come from key_codec.h and record.h
// only; this file decides nothing about bytes.
#include "store/bulk_load.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include <rocksdb/convenience.h>
#include <rocksdb/sst_file_writer.h>

#include "store/catalog.h"
#include "store/index_entries.h"
#include "store/read_view.h"
#include "store/rocksdb_store.h"
#include "util/big_memory.h"
#include "util/parallel.h"
#include "util/radix_sort.h"
#include "util/task_queue.h"

namespace lodestone {
namespace {

using internal::Cf;
using internal::FromRocks;
using internal::NameKind;
using util::BigArray;
using util::BigMemory;
using util::Chunked;
using util::TaskQueue;

std::string U64(uint64_t v) {
  std::string s;
  layout::PutU64(&s, v);
  return s;
}

// One entry of an SST file to be: a handle on bytes an EntryList keeps.
struct Entry {
  uint64_t head;     // while sorting, 8 key bytes as a big-endian number (see SortEntries)
  const char* data;  // the key, then the value
  uint32_t key_size;
  uint32_t value_size;

  std::string_view key() const { return {data, key_size}; }
  std::string_view value() const { return {data + key_size, value_size}; }
};

// The 8 key bytes from `offset` as a big-endian number, zero-padded: numbers order as the bytes do.
uint64_t KeyWord(const char* key, size_t size, size_t offset) {
  uint64_t w = 0;
  if (offset < size) std::memcpy(&w, key + offset, std::min<size_t>(size - offset, 8));
  if constexpr (std::endian::native == std::endian::little) w = __builtin_bswap64(w);
  return w;
}

// How many entries ahead a loop over sorted entries asks for their bytes (see WriteFile).
constexpr size_t kPrefetchAhead = 8;

// RocksDB's bytewise order.
bool KeyLess(const Entry& a, const Entry& b) { return a.key() < b.key(); }
bool KeyEqual(const Entry& a, const Entry& b) { return a.key() == b.key(); }

// Sorts entries in bytewise key order, 8 bytes at a time: by the word at `depth` (cached in `head`,
// so that sorting compares integers, or sorts by their bytes), then each run of equal words by the
// next word. Keys of one column family often share long prefixes (an index's label and property,
// the id of a node with many relationships), which a byte comparison would read again and again.
void SortEntries(Entry* begin, Entry* end, size_t depth, Entry* scratch) {
  size_t n = static_cast<size_t>(end - begin);
  if (n < 2) return;
  size_t offset = depth * 8;
  if (depth > 0) {
    for (Entry* e = begin; e != end; ++e) {
      if (static_cast<size_t>(end - e) > kPrefetchAhead) __builtin_prefetch(e[kPrefetchAhead].data + offset);
      e->head = KeyWord(e->data, e->key_size, offset);
    }
  }
  // Bytes left from the word on, up to 9 ("more than this word"): a key that ends inside the word
  // sorts before a longer one with the same padded word.
  auto rest = [offset](const Entry& e) {
    return std::min<size_t>(e.key_size - std::min<size_t>(e.key_size, offset), 9);
  };
  auto by_rest = [&](const Entry& a, const Entry& b) { return rest(a) < rest(b); };
  if (n <= 64) {
    std::sort(begin, end, [&](const Entry& a, const Entry& b) {
      return a.head != b.head ? a.head < b.head : rest(a) < rest(b);
    });
  } else {
    util::RadixSort(begin, end, scratch, [](const Entry& e) { return e.head; });
  }
  for (Entry* run = begin; run != end;) {
    Entry* next = run + 1;
    while (next != end && next->head == run->head) ++next;
    if (next - run > 1) {
      if (n > 64 && !std::is_sorted(run, next, by_rest)) std::sort(run, next, by_rest);
      for (Entry* sub = run; sub != next;) {
        Entry* sub_end = sub + 1;
        while (sub_end != next && rest(*sub_end) == rest(*sub)) ++sub_end;
        if (sub_end - sub > 1 && rest(*sub) > 8) SortEntries(sub, sub_end, depth + 1, scratch);
        sub = sub_end;
      }
    }
    run = next;
  }
}

// Bytes packed into large blocks that never move: no allocation per entry or record.
class Arena {
 public:
  // A copy of `a`, `b` and `c` end to end, which stays put until Release().
  const char* Copy(std::string_view a, std::string_view b = {}, std::string_view c = {}) {
    size_t n = a.size() + b.size() + c.size();
    if (free_ < n) NewBlock(n);
    char* p = next_;
    for (std::string_view part : {a, b, c}) {
      if (!part.empty()) std::memcpy(next_, part.data(), part.size());
      next_ += part.size();
    }
    free_ -= n;
    return p;
  }
  // Calls fn(begin, end) with each block's bytes, in the order they were copied.
  template <typename Fn>
  void ForEachBlock(Fn fn) const {
    for (size_t i = 0; i < blocks_.size(); ++i) {
      const char* begin = blocks_[i].data();
      fn(begin, i + 1 < blocks_.size() ? begin + filled_[i] : next_);
    }
  }
  void Release() {
    std::vector<BigMemory>().swap(blocks_);
    std::vector<size_t>().swap(filled_);
    next_ = nullptr;
    free_ = 0;
  }

 private:
  void NewBlock(size_t at_least) {
    if (!blocks_.empty()) filled_.push_back(static_cast<size_t>(next_ - blocks_.back().data()));
    // Each block twice the size of the one before, up to a few huge pages.
    block_bytes_ = blocks_.empty() ? kFirstBlock : std::min(2 * block_bytes_, kMaxBlock);
    size_t size = std::max(at_least, block_bytes_);
    blocks_.emplace_back(size);
    next_ = blocks_.back().data();
    free_ = size;
  }
  static constexpr size_t kFirstBlock = size_t{16} << 10;
  static constexpr size_t kMaxBlock = size_t{8} << 20;
  std::vector<BigMemory> blocks_;
  std::vector<size_t> filled_;  // the bytes used in each block but the last
  size_t block_bytes_ = 0;
  char* next_ = nullptr;
  size_t free_ = 0;
};

// The entries of one column family, end to end in an arena, each after its key's and value's sizes.
// Handles for sorting (Entry) are made only when the commit sorts the column family: kept beside the
// entries from the start, they added 170 MB to the 10M load's peak of 1.73 GB, and memory a load
// touches first costs it (page faults, and on virtual machines the host's own).
class EntryList {
 public:
  void Add(std::string_view key, std::string_view value) {
    sizes_.clear();  // keeps its capacity: no allocation per entry
    codec::AppendVarint(&sizes_, key.size());
    codec::AppendVarint(&sizes_, value.size());
    bytes_.Copy(sizes_, key, value);
    ++size_;
  }
  size_t size() const { return size_; }
  // Calls fn(const Entry&) for each entry, in the order added.
  template <typename Fn>
  void ForEach(Fn fn) const {
    bytes_.ForEachBlock([&](const char* begin, const char* end) {
      std::string_view in(begin, static_cast<size_t>(end - begin));
      uint64_t key_size = 0, value_size = 0;
      // The sizes were written by Add, so they read back.
      while (codec::GetVarint(&in, &key_size) && codec::GetVarint(&in, &value_size)) {
        Entry e;
        e.key_size = static_cast<uint32_t>(key_size);
        e.value_size = static_cast<uint32_t>(value_size);
        e.data = in.data();
        e.head = KeyWord(e.data, e.key_size, 0);
        fn(static_cast<const Entry&>(e));
        in.remove_prefix(key_size + value_size);
      }
    });
  }
  // Writes a handle on each entry, in the order added, to `out`; returns the end of what it wrote.
  Entry* CopyTo(Entry* out) const {
    ForEach([&](const Entry& e) { *out++ = e; });
    return out;
  }
  // Gives back the entries' bytes (once written): the commit's peak is then not the sum of every
  // column family's.
  void Release() {
    bytes_.Release();
    size_ = 0;
  }

 private:
  Arena bytes_;
  std::string sizes_;  // Add's scratch: the entry's sizes as varints
  size_t size_ = 0;
};

// A relationship with at least one end among the load's nodes, kept as it was given rather than as
// its entries: Commit() derives the entries at those ends, node by node (see WriteRelPiece).
struct RelRow {
  NodeId src, dst;
  RelId id;
  const char* record;  // its encoded RelRecord, in a sink's arena or the loader's bare record
  RelTypeId type;
  uint32_t record_size;
};

// What one thread adds: entries by column family, relationship rows, and counts.
struct Sink {
  std::array<EntryList, internal::kCfCount> lists;
  Chunked<RelRow> rels;
  Arena records;       // of rels
  uint64_t nodes = 0;  // added with reserved ids
  uint64_t rel_count = 0;
  std::string record;  // a record being encoded (its capacity is reused)
  void Put(Cf cf, std::string_view key, std::string_view value) {
    lists[static_cast<size_t>(cf)].Add(key, value);
  }
};

size_t Threads() { return util::ThreadsFor(SIZE_MAX); }

class Loader;

class PartImpl final : public BulkLoad::Part {
 public:
  explicit PartImpl(Loader* loader) : loader_(loader) {}
  Status AddNode(NodeId id, NodeRecord rec) override;
  Status AddRel(RelId id, NodeId src, RelTypeId type, NodeId dst, RelRecord rec) override;
  Sink& sink() { return sink_; }

 private:
  Loader* loader_;
  Sink sink_;
};

class Loader final : public BulkLoad {
 public:
  Loader(internal::RocksStore* store, std::string origin, std::unique_lock<std::mutex> lock)
      : store_(store),
        lock_(std::move(lock)),
        origin_(std::move(origin)),
        pending_(store->catalog()),
        counters_(store->counters()) {
    base_ = store_->Read();
    rt_ = std::max(store_->Now(), counters_.last_record_time + 1);
    first_node_ = counters_.next_node_id;
    first_rel_ = counters_.next_rel_id;
    base_empty_ = counters_.node_count == 0;
    date_key_ = pending_.FindPropKey(store_->dated_property());
    RelRecord bare;
    bare.record_time = rt_;
    bare_rel_ = codec::EncodeRel(bare);
  }

  uint64_t record_time() const override { return rt_; }
  ReadView& base() override { return *base_; }
  const NameResolver& names() const override { return pending_; }

  Result<LabelId> InternLabel(std::string_view name) override {
    return Intern(NameKind::kLabel, "label", name);
  }
  Result<RelTypeId> InternRelType(std::string_view name) override {
    return Intern(NameKind::kRelType, "relationship type", name);
  }
  Result<PropKeyId> InternPropKey(std::string_view name) override {
    auto id = Intern(NameKind::kPropKey, "property key", name);
    if (id.ok() && name == store_->dated_property()) date_key_ = *id;
    return id;
  }

  Status PutMeta(std::string_view name, std::string_view value) override {
    if (!layout::IsAppMetaName(name)) {
      return Status::InvalidArgument(
          "meta names of the layers above the store start with 'app.' (at most 64 bytes)");
    }
    main_.Put(Cf::kMeta, name, value);
    return Status::OK();
  }

  Status DeclareIndex(LabelId label, PropKeyId key, Value::Kind kind) override {
    if (auto have = pending_.FindIndex(label, key)) {
      if (have->kind == kind) return Status::OK();
      return Status::AlreadyExists(":" + pending_.LabelName(label) + "(" + pending_.PropKeyName(key) +
                                   ") is indexed as " + std::string(Value::KindName(have->kind)) +
                                   " already");
    }
    if (nodes_added_) return Status::InvalidArgument("declare indexes before adding nodes to a bulk load");
    auto cur = base_->ScanLabel(label);
    if (cur->Valid()) {
      return Status::Unsupported("a bulk load cannot index existing :" + pending_.LabelName(label) +
                                 " nodes; declare the index in a write transaction");
    }
    RETURN_IF_ERROR(cur->status());
    main_.Put(Cf::kCatalog, internal::CatalogIndexKey(label, key), std::string(1, static_cast<char>(kind)));
    pending_.SetIndex({label, key, kind});
    return Status::OK();
  }

  Result<NodeId> AddNode(NodeRecord rec) override;
  Result<RelRef> AddRel(NodeId src, RelTypeId type, NodeId dst, RelRecord rec) override;

  NodeId ReserveNodes(uint64_t n) override {
    FixIndexes();
    NodeId first = counters_.next_node_id;
    counters_.next_node_id += n;
    reserved_nodes_ += n;
    return first;
  }
  RelId ReserveRels(uint64_t n) override {
    RelId first = counters_.next_rel_id;
    counters_.next_rel_id += n;
    reserved_rels_ += n;
    return first;
  }
  void LetCommitRenumberRels() override { renumber_rels_ = true; }
  Part& NewPart() override {
    FixIndexes();
    parts_.push_back(std::make_unique<PartImpl>(this));
    return *parts_.back();
  }

  Status Commit() override;

  // The checks and entries of one node or relationship, into `sink`. Safe to call from several
  // threads at once, each with its own sink (see bulk_load.h for what must happen before).
  Status EncodeNode(Sink& sink, NodeId id, NodeRecord& rec);
  Status EncodeRel(Sink& sink, const RelRef& ref, RelRecord& rec);
  // A node id this load reserved or gave to a node it added.
  bool IsReservedNode(NodeId id) const { return id >= first_node_ && id < counters_.next_node_id; }

 private:
  Result<uint32_t> Intern(NameKind kind, std::string_view what, std::string_view name) {
    RETURN_IF_ERROR(ValidateName(what, name));
    bool created;
    uint32_t id = pending_.Intern(kind, name, &created);
    if (created) {
      std::string v;
      layout::PutU32(&v, id);
      main_.Put(Cf::kCatalog, internal::CatalogNameKey(kind, name), v);
    }
    return id;
  }
  // Indexes are fixed once nodes are added (DeclareIndex refuses then): parts look them up in a
  // copy that nothing changes.
  void FixIndexes() {
    nodes_added_ = true;
    if (indexes_cached_) return;
    for (const IndexSpec& spec : pending_.Indexes()) {
      if (spec.label >= indexes_by_label_.size()) indexes_by_label_.resize(spec.label + 1);
      indexes_by_label_[spec.label].emplace_back(spec.key, spec.kind);
    }
    for (auto& list : indexes_by_label_) std::sort(list.begin(), list.end());
    indexes_cached_ = true;
  }
  Status CheckProps(PropertyList* props) const {
    auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
    if (!std::is_sorted(props->begin(), props->end(), by_key))
      std::sort(props->begin(), props->end(), by_key);
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
                                       std::string(Value::KindName(v.kind())) + " value");
      }
    }
    return Status::OK();
  }
  // Whether a node exists: of this load's nodes from the counters, of others from the base (under a
  // lock: parts may ask at the same time; a bulk load rarely touches existing nodes).
  Result<bool> Exists(NodeId id) {
    if (id >= first_node_) return id < counters_.next_node_id;
    std::lock_guard guard(base_mutex_);
    if (base_seen_.count(id)) return true;
    ASSIGN_OR_RETURN(bool found, base_->NodeExists(id));
    if (found) base_seen_.insert(id);
    return found;
  }
  // An SST file to be: a range of a column family's sorted entries, or of the load's nodes (for the
  // entries derived from relationship rows).
  struct File {
    Cf cf;
    size_t begin, end;
    std::string path;
    Status status;
    bool empty = false;  // nothing was written (a piece of nodes without relationships)
  };
  // The relationship rows of every sink, bucketed by the load's node at each end: the rows at node
  // first_node_ + i are rows[offsets[i] .. offsets[i + 1]). Node ids of a load are dense, so a
  // counting sort puts them in order in two passes over the rows.
  struct RelIndex {
    BigArray<uint64_t> offsets;
    BigArray<RelRow*> rows;
    uint64_t with_an_outside_end = 0;  // rows from or to a node that existed before the load
  };
  void IndexRels(const std::vector<Sink*>& sinks, RelIndex* index);
  // With LetCommitRenumberRels, when every relationship of the load is between its own nodes: gives
  // them the load's ids (first_rel_ on, as many as there are) again, in the order of (start node,
  // type, end node, id given).
  void RenumberRels(const RelIndex& index);
  // Writes the adjacency entries at the nodes of a piece (adj->begin .. adj->end, as offsets from
  // first_node_), node by node in key order.
  Status WriteRelPiece(const RelIndex& index, File* adj);
  // A writer of `cf`'s SST files (see WriteFile for its options).
  Result<std::unique_ptr<rocksdb::SstFileWriter>> OpenWriter(Cf cf, const std::string& path);
  Status WriteFile(const File& f, const BigArray<Entry>& sorted);
  Status Ingest(const std::vector<File>& files);

  internal::RocksStore* store_;
  std::unique_lock<std::mutex> lock_;
  std::string origin_;
  internal::PendingCatalog pending_;
  internal::Counters counters_;
  std::unique_ptr<ReadView> base_;
  std::mutex base_mutex_;  // base_ and base_seen_, which parts share
  uint64_t rt_ = 0;
  NodeId first_node_ = 0;
  RelId first_rel_ = 0;
  bool base_empty_ = false;
  bool nodes_added_ = false;
  bool renumber_rels_ = false;
  bool committed_ = false;
  std::optional<PropKeyId> date_key_;
  std::string bare_rel_;  // the encoding of a relationship without key, validity or properties
  std::unordered_set<NodeId> base_seen_;  // nodes of the base found to exist
  std::unordered_set<std::string> keys_;  // of nodes added one by one (parts' keys are checked at Commit)
  bool indexes_cached_ = false;
  std::vector<std::vector<std::pair<PropKeyId, Value::Kind>>>
      indexes_by_label_;  // by label id, sorted by key
  uint64_t reserved_nodes_ = 0;
  uint64_t reserved_rels_ = 0;
  Sink main_;  // names, indexes, and entities added one by one
  std::vector<std::unique_ptr<PartImpl>> parts_;
};

Status PartImpl::AddNode(NodeId id, NodeRecord rec) {
  if (!loader_->IsReservedNode(id))
    return Status::InvalidArgument("bulk load: node id " + std::to_string(id) + " was not reserved");
  if (!rec.key.empty()) RETURN_IF_ERROR(ValidateNodeKey(rec.key));
  RETURN_IF_ERROR(loader_->EncodeNode(sink_, id, rec));
  ++sink_.nodes;
  return Status::OK();
}

Status PartImpl::AddRel(RelId id, NodeId src, RelTypeId type, NodeId dst, RelRecord rec) {
  RETURN_IF_ERROR(loader_->EncodeRel(sink_, RelRef{id, src, dst, type}, rec));
  ++sink_.rel_count;
  return Status::OK();
}

Result<NodeId> Loader::AddNode(NodeRecord rec) {
  if (committed_) return Status::Internal("bulk load used after Commit()");
  FixIndexes();
  if (!rec.key.empty()) {
    RETURN_IF_ERROR(ValidateNodeKey(rec.key));
    if (!keys_.insert(rec.key).second)
      return Status::AlreadyExists("a node with key '" + rec.key + "' is in this load twice");
    if (!base_empty_) {
      ASSIGN_OR_RETURN(auto existing, base_->FindNode(rec.key));
      if (existing) return Status::AlreadyExists("a node with key '" + rec.key + "' exists already");
    }
  }
  NodeId id = counters_.next_node_id;
  ++counters_.next_node_id;
  Status s = EncodeNode(main_, id, rec);
  if (!s.ok()) {
    // Give the id back: nothing of the node was written.
    --counters_.next_node_id;
    keys_.erase(rec.key);
    return s;
  }
  return id;
}

Status Loader::EncodeNode(Sink& sink, NodeId id, NodeRecord& rec) {
  std::sort(rec.labels.begin(), rec.labels.end());
  rec.labels.erase(std::unique(rec.labels.begin(), rec.labels.end()), rec.labels.end());
  RETURN_IF_ERROR(ValidateValidity(rec.validity));
  RETURN_IF_ERROR(CheckProps(&rec.props));
  // The indexed properties of each label (properties and indexes are both sorted by key, so the
  // first mismatch found is the first in property order).
  auto indexed = [&](LabelId l) -> const std::vector<std::pair<PropKeyId, Value::Kind>>& {
    static const std::vector<std::pair<PropKeyId, Value::Kind>> kNone;
    return l < indexes_by_label_.size() ? indexes_by_label_[l] : kNone;
  };
  for (LabelId l : rec.labels) {
    for (const auto& [k, kind] : indexed(l)) {
      const Value* v = FindProperty(rec.props, k);
      if (v && v->kind() != kind) {
        return Status::InvalidArgument("property '" + pending_.PropKeyName(k) +
                                       "' of :" + pending_.LabelName(l) + " is indexed as " +
                                       std::string(Value::KindName(kind)) + "; got " +
                                       std::string(Value::KindName(v->kind())) + " " + v->ToString());
      }
    }
  }
  rec.record_time = rt_;
  std::optional<Date> date = layout::DateOf(rec, date_key_);
  auto is_indexed = [&](LabelId l, PropKeyId k) {
    const auto& list = indexed(l);
    return std::any_of(list.begin(), list.end(), [k](const auto& e) { return e.first == k; });
  };
  layout::ForEachNodeEntry(
      id, rec, date, is_indexed,
      [&](Cf cf, std::string_view key, std::string_view value) { sink.Put(cf, key, value); });
  sink.record.clear();
  codec::AppendNode(&sink.record, rec);
  sink.Put(Cf::kNode, layout::NodeKey(id), sink.record);
  return Status::OK();
}

Result<RelRef> Loader::AddRel(NodeId src, RelTypeId type, NodeId dst, RelRecord rec) {
  if (committed_) return Status::Internal("bulk load used after Commit()");
  RelRef ref{counters_.next_rel_id, src, dst, type};
  RETURN_IF_ERROR(EncodeRel(main_, ref, rec));
  ++counters_.next_rel_id;
  return ref;
}

Status Loader::EncodeRel(Sink& sink, const RelRef& ref, RelRecord& rec) {
  NodeId src = ref.src, dst = ref.dst;
  RelTypeId type = ref.type;
  // Between nodes of this load (the usual case) everything is known in memory.
  const bool ours = IsReservedNode(src) && IsReservedNode(dst);
  bool has_src = ours, has_dst = ours;
  if (!ours) {
    ASSIGN_OR_RETURN(has_src, Exists(src));
    ASSIGN_OR_RETURN(has_dst, Exists(dst));
  }
  if (!has_src || !has_dst) {
    return Status::NotFound("cannot create a :" + pending_.RelTypeName(type) + " relationship from node " +
                            std::to_string(src) + " to node " + std::to_string(dst) + ": the " +
                            (has_src ? "end" : "start") + " node does not exist");
  }
  RETURN_IF_ERROR(ValidateValidity(rec.validity));
  RETURN_IF_ERROR(CheckProps(&rec.props));
  rec.record_time = rt_;
  // A relationship without key, validity or properties (SOURCED_FROM: one per node and source) is
  // encoded the same way throughout the load.
  bool bare = rec.key.empty() && rec.validity.empty() && rec.props.empty();
  std::string_view record = bare_rel_;
  if (!bare) {
    sink.record.clear();
    codec::AppendRel(&sink.record, rec);
    record = sink.record;
    if (record.size() > UINT32_MAX)
      return Status::InvalidArgument("a relationship's properties exceed 4 GiB");
  }
  // The entries at an end that existed before the load go with the other column families' entries;
  // those at the load's own nodes are derived from the row at Commit() (see WriteRelPiece).
  const bool src_ours = IsReservedNode(src), dst_ours = IsReservedNode(dst);
  auto put = [&](Cf cf, std::string_view key, std::string_view value) { sink.Put(cf, key, value); };
  if (!src_ours) layout::ForEachRelEntryAt(ref, layout::RelEnd::kStart, record, put);
  if (!dst_ours) layout::ForEachRelEntryAt(ref, layout::RelEnd::kEnd, record, put);
  if (src_ours || dst_ours) {
    const char* kept = bare ? bare_rel_.data() : sink.records.Copy(record);
    sink.rels.Add({src, dst, ref.id, kept, type, static_cast<uint32_t>(record.size())});
  }
  return Status::OK();
}

Status Loader::Commit() {
  if (committed_) return Status::Internal("bulk load committed twice");
  committed_ = true;
  bool dirty = counters_.next_node_id != first_node_ || counters_.next_rel_id != first_rel_ ||
               !pending_.added().empty() || !pending_.index_changes().empty();
  if (!dirty) return Status::OK();

  // Every reserved id went to one entity (ids are contiguous, and the change record names them all).
  uint64_t part_nodes = 0, part_rels = 0;
  for (const auto& p : parts_) {
    part_nodes += p->sink().nodes;
    part_rels += p->sink().rel_count;
  }
  if (part_nodes != reserved_nodes_ || part_rels != reserved_rels_) {
    return Status::Internal("bulk load: " + std::to_string(reserved_nodes_) + " node and " +
                            std::to_string(reserved_rels_) +
                            " relationship ids were reserved, but parts added " + std::to_string(part_nodes) +
                            " and " + std::to_string(part_rels));
  }
  counters_.node_count += counters_.next_node_id - first_node_;
  counters_.rel_count += counters_.next_rel_id - first_rel_;

  // The change record names every node and relationship of the load (contiguous ids).
  main_.Put(Cf::kLog, layout::LogKey(rt_),
            codec::EncodeChangeOfRanges(origin_, first_node_, counters_.next_node_id - first_node_,
                                        first_rel_, counters_.next_rel_id - first_rel_));
  counters_.last_record_time = rt_;
  main_.Put(Cf::kMeta, layout::kMetaNextNodeId, U64(counters_.next_node_id));
  main_.Put(Cf::kMeta, layout::kMetaNextRelId, U64(counters_.next_rel_id));
  main_.Put(Cf::kMeta, layout::kMetaLastRecordTime, U64(counters_.last_record_time));
  main_.Put(Cf::kMeta, internal::kMetaNodeCount, U64(counters_.node_count));
  main_.Put(Cf::kMeta, internal::kMetaRelCount, U64(counters_.rel_count));

  // The SST files go to a scratch directory inside the database directory (so that ingestion can
  // move rather than copy them).
  namespace fs = std::filesystem;
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

  // Each column family's entries from every sink are sorted in one task (most come nearly or fully
  // sorted: ids are handed out in order), which then adds a task per file to write them. A column
  // family is cut into files of consecutive key ranges, so that the threads share the work evenly
  // even when one column family holds half of the entries, and its files are written while other
  // column families are still being sorted.
  std::vector<Sink*> sinks{&main_};
  for (const auto& p : parts_) sinks.push_back(&p->sink());
  std::array<size_t, internal::kCfCount> sizes{};
  size_t total = 0;
  for (size_t cf = 0; cf < internal::kCfCount; ++cf) {
    for (const Sink* sink : sinks) sizes[cf] += sink->lists[cf].size();
    total += sizes[cf];
  }
  // The relationships' own entries (the adjacency at the load's nodes) come from their rows: one task
  // buckets the rows by node, then adds a task per piece of the node ids, each writing an adjacency
  // file. Their keys all start with the load's node ids, above every entry the lists hold for nodes
  // that existed before, so those files never overlap the lists' files.
  size_t rel_rows = 0;
  for (const Sink* sink : sinks) rel_rows += sink->rels.size();
  total += 2 * rel_rows;
  const size_t threads = Threads();
  const size_t max_entries = std::max<size_t>(size_t{1} << 16, total / (4 * threads) + 1);
  const size_t rel_pieces = (2 * rel_rows + max_entries - 1) / max_entries;
  std::vector<File> files;
  std::array<std::pair<size_t, size_t>, internal::kCfCount> files_of{};  // [first, last) of files
  size_t rel_adj_files = 0;                                              // the first of the rows'

  for (size_t cf = 0; cf < internal::kCfCount; ++cf) {
    auto add = [&](size_t begin, size_t end, std::string name) {
      files.push_back(
          {static_cast<Cf>(cf), begin, end, (dir / (name + ".sst")).string(), Status::OK(), false});
    };
    size_t n = sizes[cf];
    size_t pieces = (n + max_entries - 1) / max_entries;
    files_of[cf].first = files.size();
    for (size_t i = 0; i < pieces; ++i)
      add(n * i / pieces, n * (i + 1) / pieces,
          std::string(internal::CfName(static_cast<Cf>(cf))) + "-" + std::to_string(i));
    files_of[cf].second = files.size();
    if (cf != static_cast<size_t>(Cf::kAdj)) continue;
    rel_adj_files = files.size();
    for (size_t i = 0; i < rel_pieces; ++i)  // node ranges, set once the rows are bucketed
      add(0, 0, std::string(internal::CfName(static_cast<Cf>(cf))) + "-rels-" + std::to_string(i));
  }

  std::array<BigArray<Entry>, internal::kCfCount> sorted;
  std::array<std::atomic<size_t>, internal::kCfCount> files_left{};
  // The node keys of the parts are looked up in the database after the files are written (below).
  auto keep = [&](size_t cf) { return cf == static_cast<size_t>(Cf::kNodeKey) && !base_empty_; };
  auto lists_of = [&](size_t cf) {
    std::vector<EntryList*> lists;
    for (Sink* sink : sinks) lists.push_back(&sink->lists[cf]);
    return lists;
  };
  TaskQueue queue;
  RelIndex rel_index;
  std::atomic<size_t> rel_pieces_left = rel_pieces;
  if (rel_pieces > 0) {
    queue.Add(rel_rows, [&] {
      IndexRels(sinks, &rel_index);
      if (renumber_rels_ && rel_index.with_an_outside_end == 0) RenumberRels(rel_index);
      // Pieces of consecutive nodes with about as many row ends each.
      const size_t nodes = rel_index.offsets.size() - 1;
      const uint64_t ends = rel_index.offsets[nodes];
      size_t lo = 0;
      for (size_t i = 0; i < rel_pieces; ++i) {
        size_t hi = i + 1 == rel_pieces
                        ? nodes
                        : static_cast<size_t>(std::lower_bound(rel_index.offsets.begin() + lo,
                                                               rel_index.offsets.begin() + nodes,
                                                               ends * (i + 1) / rel_pieces) -
                                              rel_index.offsets.begin());
        File& adj = files[rel_adj_files + i];
        adj.begin = lo;
        adj.end = hi;
        queue.Add(rel_index.offsets[hi] - rel_index.offsets[lo], [&, &adj = adj] {
          adj.status = WriteRelPiece(rel_index, &adj);
          if (--rel_pieces_left > 0) return;
          // The last piece: the rows are on disk.
          rel_index = RelIndex();
          for (Sink* sink : sinks) {
            sink->rels.Release();
            sink->records.Release();
          }
        });
        lo = hi;
      }
    });
  }
  for (size_t cf = 0; cf < internal::kCfCount; ++cf) {
    if (sizes[cf] == 0) continue;
    files_left[cf] = files_of[cf].second - files_of[cf].first;
    queue.Add(sizes[cf], [&, cf] {
      auto& e = sorted[cf];
      e = BigArray<Entry>(sizes[cf]);
      Entry* end = e.data();
      for (EntryList* list : lists_of(cf)) {
        end = list->CopyTo(end);
      }
      if (!std::is_sorted(e.begin(), e.end(), KeyLess)) {
        BigArray<Entry> scratch(e.size());
        SortEntries(e.begin(), e.end(), 0, scratch.data());
      }
      for (size_t i = files_of[cf].first; i < files_of[cf].second; ++i) {
        queue.Add(files[i].end - files[i].begin, [&, i, cf] {
          files[i].status = WriteFile(files[i], sorted[cf]);
          if (--files_left[cf] > 0 || keep(cf)) return;
          // The column family's last file: its entries are on disk.
          sorted[cf] = BigArray<Entry>();
          for (EntryList* list : lists_of(cf)) list->Release();
        });
      }
    });
  }
  queue.Run(threads);
  for (const File& f : files) RETURN_IF_ERROR(f.status);

  // Keys added through parts were not looked up in the database when they were added.
  if (!base_empty_) {
    for (const auto& p : parts_) {
      Status status;
      p->sink().lists[static_cast<size_t>(Cf::kNodeKey)].ForEach([&](const Entry& e) {
        if (!status.ok()) return;
        auto existing = base_->FindNode(e.key());
        if (!existing.ok()) {
          status = existing.status();
        } else if (*existing) {
          status = Status::AlreadyExists("a node with key '" + std::string(e.key()) + "' exists already");
        }
      });
      RETURN_IF_ERROR(status);
    }
  }
  return Ingest(files);
}

Result<std::unique_ptr<rocksdb::SstFileWriter>> Loader::OpenWriter(Cf cf, const std::string& path) {
  rocksdb::DB* db = store_->db();
  rocksdb::ColumnFamilyHandle* handle = (*store_->cfs())[static_cast<size_t>(cf)];
  // Ingested files that overlap nothing (always, in an empty database) land on the bottommost level
  // and stay there until something overlaps them, so they are written once, in that level's form:
  // the column family's table format (block hash indexes), its bottommost compression (ZSTD) and
  // filters only where it keeps them there (rocksdb_store.cc). The size on disk then does not depend
  // on whether a compaction happened to run.
  rocksdb::Options options(db->GetDBOptions(), db->GetOptions(handle));
  if (options.bottommost_compression == rocksdb::kDisableCompressionOption) {
    auto supported = rocksdb::GetSupportedCompressions();
    bool lz4 = std::find(supported.begin(), supported.end(), rocksdb::kLZ4Compression) != supported.end();
    options.bottommost_compression = lz4 ? rocksdb::kLZ4Compression : rocksdb::kNoCompression;
  }
  options.compression = options.bottommost_compression;
  options.bottommost_compression = rocksdb::kDisableCompressionOption;
  // The pages stay in the page cache: the database reads them right after ingestion.
  auto writer =
      std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), options, handle,
                                               /*invalidate_page_cache=*/false, rocksdb::Env::IO_TOTAL,
                                               /*skip_filters=*/options.optimize_filters_for_hits);
  RETURN_IF_ERROR(FromRocks(writer->Open(path), "opening a bulk-load file"));
  return writer;
}

Status Loader::WriteFile(const File& f, const BigArray<Entry>& sorted) {
  ASSIGN_OR_RETURN(auto writer, OpenWriter(f.cf, f.path));
  for (size_t k = f.begin; k < f.end; ++k) {
    // Sorted entries point all over memory: ask for the bytes of those a little ahead, so that the
    // memory's latency overlaps the writer's work instead of stalling it.
    if (k + kPrefetchAhead < f.end) __builtin_prefetch(sorted[k + kPrefetchAhead].data);
    const Entry& e = sorted[k];
    // A key given twice sits next to itself. Checked here rather than in a pass of its own: the
    // bytes of both are in the cache already.
    if (k > 0 && KeyEqual(sorted[k - 1], e)) {
      if (f.cf == Cf::kNodeKey)
        return Status::AlreadyExists("a node with key '" + std::string(e.key()) + "' is in this load twice");
      return Status::Internal(std::string("bulk load: the same key twice in column family ") +
                              internal::CfName(f.cf));
    }
    RETURN_IF_ERROR(FromRocks(writer->Put(e.key(), e.value()), "writing a bulk-load file"));
  }
  return FromRocks(writer->Finish(), "finishing a bulk-load file");
}

void Loader::IndexRels(const std::vector<Sink*>& sinks, RelIndex* index) {
  const uint64_t nodes = counters_.next_node_id - first_node_;
  BigArray<uint64_t> offsets(nodes + 1);  // zero-filled
  // A self-loop has one end in its node's bucket: the entries of both ends start with that node.
  auto for_each_end = [&](auto fn) {
    for (Sink* sink : sinks) {
      sink->rels.ForEachMutable([&](RelRow& r) {
        if (IsReservedNode(r.src)) fn(r, r.src - first_node_);
        if (r.dst != r.src && IsReservedNode(r.dst)) fn(r, r.dst - first_node_);
      });
    }
  };
  uint64_t inside = 0;  // rows between the load's nodes, counted at their start
  for_each_end([&](RelRow& r, uint64_t node) {
    ++offsets[node];
    if (IsReservedNode(r.src) && IsReservedNode(r.dst) && node == r.src - first_node_) ++inside;
  });
  uint64_t rows_given = 0;
  for (const Sink* sink : sinks) rows_given += sink->rels.size();
  index->with_an_outside_end = rows_given - inside;
  uint64_t sum = 0;
  for (uint64_t i = 0; i < nodes; ++i) offsets[i] = sum += offsets[i];  // each bucket's end
  offsets[nodes] = sum;
  BigArray<RelRow*> rows(sum);
  for_each_end([&](RelRow& r, uint64_t node) { rows[--offsets[node]] = &r; });  // now its start
  index->offsets = std::move(offsets);
  index->rows = std::move(rows);
}

void Loader::RenumberRels(const RelIndex& index) {
  // Each row once, in its start node's bucket, in the order of the outgoing adjacency keys.
  std::vector<RelRow*> out;
  RelId next = first_rel_;
  const uint64_t nodes = index.offsets.size() - 1;
  for (uint64_t node = 0; node < nodes; ++node) {
    out.clear();
    for (uint64_t k = index.offsets[node]; k < index.offsets[node + 1]; ++k) {
      if (index.rows[k]->src == first_node_ + node) out.push_back(index.rows[k]);
    }
    std::sort(out.begin(), out.end(), [](const RelRow* a, const RelRow* b) {
      return std::tie(a->type, a->dst, a->id) < std::tie(b->type, b->dst, b->id);
    });
    for (RelRow* r : out) r->id = next++;
  }
}

// One adjacency entry derived from a relationship row, until its node's entries are sorted. The value
// is the row's record (which stays put) for an outgoing entry, empty for an incoming one.
struct DerivedEntry {
  layout::AdjKeyBytes key;
  std::string_view value;

  std::string_view Key() const { return {key.data(), key.size()}; }
};

Status Loader::WriteRelPiece(const RelIndex& index, File* adj) {
  std::unique_ptr<rocksdb::SstFileWriter> writer;  // opened when first needed
  std::vector<DerivedEntry> entries;
  std::vector<codec::AdjChunkEntry> chunk;
  std::string chunk_value;
  Status bad;
  const uint64_t last = index.offsets[adj->end];
  for (size_t node = adj->begin; node < adj->end; ++node) {
    entries.clear();
    const NodeId id = first_node_ + node;
    for (uint64_t k = index.offsets[node]; k < index.offsets[node + 1]; ++k) {
      // Rows and their records lie all over memory: ask for those of the rows a little ahead (in this
      // piece), so that the memory's latency overlaps the work on this one.
      if (k + 4 * kPrefetchAhead < last) __builtin_prefetch(index.rows[k + 4 * kPrefetchAhead]);
      if (k + 2 * kPrefetchAhead < last) __builtin_prefetch(index.rows[k + 2 * kPrefetchAhead]->record);
      const RelRow& r = *index.rows[k];
      const RelRef ref{r.id, r.src, r.dst, r.type};
      const std::string_view record(r.record, r.record_size);
      auto put = [&](Cf cf, std::string_view key, std::string_view value) {
        DerivedEntry e;
        if (cf != Cf::kAdj || key.size() != e.key.size()) {
          bad = Status::Internal("bulk load: a relationship implies an entry that is not an adjacency entry");
          return;
        }
        std::memcpy(e.key.data(), key.data(), key.size());
        e.value = value;  // the row's record, or empty
        entries.push_back(e);
      };
      if (r.src == id) layout::ForEachRelEntryAt(ref, layout::RelEnd::kStart, record, put);
      if (r.dst == id) layout::ForEachRelEntryAt(ref, layout::RelEnd::kEnd, record, put);
      RETURN_IF_ERROR(bad);
    }
    auto less = [](const DerivedEntry& a, const DerivedEntry& b) { return a.Key() < b.Key(); };
    if (!std::is_sorted(entries.begin(), entries.end(), less))
      std::sort(entries.begin(), entries.end(), less);
    // The node's lists (one a direction and type) as chunks (key_codec.h): the node is the load's, so
    // nothing else of its adjacency exists.
    for (size_t i = 0; i < entries.size();) {
      const std::string_view list = layout::AdjListOf(entries[i].Key());
      size_t end = i;
      while (end < entries.size() && layout::AdjListOf(entries[end].Key()) == list) ++end;
      for (size_t first = i; first < end; first += layout::kAdjChunkMaxEntries) {
        chunk.clear();
        for (size_t k = first; k < std::min(end, first + layout::kAdjChunkMaxEntries); ++k) {
          // A key given twice (a relationship id given twice) sits next to itself.
          if (k > i && entries[k - 1].Key() == entries[k].Key())
            return Status::Internal("bulk load: the same adjacency key twice");
          const layout::AdjKey a = layout::DecodeAdjKey(entries[k].Key());
          chunk.push_back({a.other, a.rel, entries[k].value});
        }
        chunk_value.clear();
        RETURN_IF_ERROR(codec::AppendAdjChunk(&chunk_value, layout::AdjKeyIsOutgoing(list), chunk));
        const layout::AdjKey at = layout::DecodeAdjKey(entries[first].Key());
        if (!writer) {
          ASSIGN_OR_RETURN(writer, OpenWriter(adj->cf, adj->path));
        }
        RETURN_IF_ERROR(FromRocks(writer->Put(layout::AdjChunkKey(at, first == i), chunk_value),
                                  "writing a bulk-load file"));
      }
      i = end;
    }
  }
  adj->empty = !writer;
  if (writer) RETURN_IF_ERROR(FromRocks(writer->Finish(), "finishing a bulk-load file"));
  return Status::OK();
}

Status Loader::Ingest(const std::vector<File>& files) {
  rocksdb::DB* db = store_->db();
  const internal::CfHandles& handles = *store_->cfs();
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (const File& f : files) {
    if (f.empty) continue;
    if (args.empty() || args.back().column_family != handles[static_cast<size_t>(f.cf)]) {
      rocksdb::IngestExternalFileArg arg;
      arg.column_family = handles[static_cast<size_t>(f.cf)];
      arg.options.move_files = true;
      arg.options.snapshot_consistency = true;
      arg.options.allow_global_seqno = true;
      arg.options.allow_blocking_flush = true;
      args.push_back(std::move(arg));
    }
    args.back().external_files.push_back(f.path);
  }
  // The load reads nothing more. Without its snapshot, ingestion into a database that no reader holds
  // a snapshot of stamps the files with sequence number 0; files given a later number are rewritten by
  // a background compaction soon after (which resets it), at the cost of the whole load's size.
  base_.reset();
  // Names become visible before the data that uses them, as in a write transaction.
  store_->catalog()->Publish(pending_.added());
  // As a transaction's commit: the ingestion and the record time it is stamped with become visible
  // together to readers taking snapshots (and to the topology cache keyed by that time).
  std::unique_lock publish(store_->commit_mutex());
  rocksdb::Status s = db->IngestExternalFiles(args);
  if (!s.ok()) {
    publish.unlock();
    store_->catalog()->Unpublish(pending_.added());
    return FromRocks(s, "ingesting the bulk load");
  }
  store_->committed_record_time().store(rt_);
  store_->node_id_bound().store(counters_.next_node_id);
  publish.unlock();
  for (const auto& [k, kind] : pending_.index_changes()) {
    if (kind) store_->catalog()->SetIndex({k.first, k.second, *kind});
  }
  store_->counters() = counters_;
  store_->Published();
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<BulkLoad>> BulkLoad::Begin(GraphStore& store, std::string origin) {
  auto* rocks = dynamic_cast<internal::RocksStore*>(&store);
  if (!rocks) return Status::Unsupported("bulk loading needs the RocksDB store");
  if (rocks->options().read_only) {
    return Status::Unsupported("the database at " + rocks->path() +
                               " is open read-only; writing needs a writable open");
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
