// The bitemporal property-graph store: Lodestone's storage engine, on RocksDB.
//
// Model. Nodes have an internal id, an optional unique user key ("actor/china"), labels, properties
// and a valid time (when the fact held in the world). Relationships have an id, a type, start and end
// nodes, an optional key distinguishing parallel relationships, properties and a valid time. Every
// write is stamped with a record time (when Lodestone learned it); versions that a later write
// replaces or deletes are kept, so the graph can be read as it was recorded at any earlier time.
//
// Threads. GraphStore is thread-safe. A ReadView is one consistent snapshot for one thread. One
// WriteTxn at a time: BeginWrite() waits for the running one to finish. Readers never wait for the
// writer and never see part of a commit.
//
// Errors. No exception leaves this interface; RocksDB never appears in it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/key_codec.h"
#include "store/record.h"
#include "store/status.h"
#include "store/value.h"

namespace lodestone {

using layout::Direction;

struct StoreOptions {
  bool create_if_missing = false;
  // Make each commit durable against power loss (fsync the write-ahead log before Commit returns).
  // Without it a commit survives a crash of the process but may be lost on power loss; see
  // docs/storage-format.md.
  bool sync = false;
  bool read_only = false;  // open without the write lock; WriteTxn is refused
  // Open beside the process that holds the database (a server, an import) as a RocksDB secondary
  // instance: reads only (writes are refused with Busy), sees every commit made before the open and,
  // after each CatchUp(), every commit made before that call. Implies read_only. Its own log goes to
  // `secondary_dir`, a directory created if missing; empty: a scratch directory removed on close.
  bool secondary = false;
  std::string secondary_dir;
  size_t block_cache_bytes = size_t{256} << 20;
  // RocksDB's cache of recently read entries (0 turns it off).
  size_t row_cache_bytes = size_t{64} << 20;
  // Memory for the topology cache: labels and typed adjacency of the present graph kept in memory
  // for fast traversals (built again after each commit; 0 turns it off).
  size_t topology_cache_bytes = size_t{1} << 30;
  // Build the topology cache on a thread of the store, after the open and after each commit, instead
  // of inside the first statement that needs it; statements that come meanwhile read RocksDB rather
  // than wait. For processes that serve many statements (a server, a shell). Not for a secondary.
  bool topology_cache_in_background = false;
  // The source of record times, in microseconds since the epoch. Tests replace it.
  std::function<uint64_t()> clock;
  // The dated property: nodes whose property of this name holds a date are in the time index and on
  // their neighbours' timelines (docs/storage-format.md). Chosen when the database is created and kept
  // in it; unset means "date" for a new database and whatever the database was created with for an
  // existing one. Naming another than an existing database's is an error.
  std::optional<std::string> dated_property;
};

// A declared (label, property) index. Values of other kinds than `kind` are refused on write.
struct IndexSpec {
  LabelId label;
  PropKeyId key;
  Value::Kind kind;
};

// Names of labels, relationship types and property keys, and their small ids. Ids never change and
// names are never removed, so an id read from any version of the graph stays meaningful.
class NameResolver {
 public:
  virtual ~NameResolver() = default;
  virtual std::optional<LabelId> FindLabel(std::string_view name) const = 0;
  virtual std::optional<RelTypeId> FindRelType(std::string_view name) const = 0;
  virtual std::optional<PropKeyId> FindPropKey(std::string_view name) const = 0;
  virtual std::string LabelName(LabelId id) const = 0;
  virtual std::string RelTypeName(RelTypeId id) const = 0;
  virtual std::string PropKeyName(PropKeyId id) const = 0;
  virtual std::vector<std::string> LabelNames() const = 0;    // indexed by id
  virtual std::vector<std::string> RelTypeNames() const = 0;  // indexed by id
  virtual std::vector<std::string> PropKeyNames() const = 0;  // indexed by id
  virtual std::optional<IndexSpec> FindIndex(LabelId label, PropKeyId key) const = 0;
  virtual std::vector<IndexSpec> Indexes() const = 0;
  // Changes whenever a name or an index is added or removed, so that what was resolved against an
  // earlier generation can be kept until then. 0: this resolver's answers must not be cached.
  virtual uint64_t generation() const = 0;
};

// ---- cursors: forward iteration over index entries. Check status() when Valid() turns false. ----
// A cursor reads through the ReadView that made it: use it only while that view exists (destroying
// it later is safe), and destroy every cursor before the store.

struct NodeEntry {
  NodeId id;
  // The node's validity as the label index holds it (empty: always valid). Set by label scans only.
  const Validity* validity = nullptr;
};

class NodeCursor {
 public:
  virtual ~NodeCursor() = default;
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  virtual const NodeEntry& entry() const = 0;
  virtual Status status() const = 0;
};

struct AdjEntry {
  RelRef rel;     // id, src, dst, type
  NodeId other;   // the node at the far end from the scanned one
  Direction dir;  // kOut: the scanned node is rel.src
};

class AdjCursor {
 public:
  virtual ~AdjCursor() = default;
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  virtual const AdjEntry& entry() const = 0;
  // The current relationship's record; for incoming entries this costs a point read.
  virtual Status record(RelRecord* out) = 0;
  virtual Status status() const = 0;
};

struct DatedEntry {
  Date date;
  NodeId node;    // the dated node
  RelId rel = 0;  // timelines (ScanSubjectTime): the relationship to the subject
  RelTypeId type = 0;
  Direction dir = Direction::kOut;  // timelines: from the subject towards the dated node
  const std::vector<LabelId>* labels =
      nullptr;  // time scans: the dated node's labels, when the index has them
  // Timelines that ask for undated neighbours (TimelineFilter::undated): false for those, and `date`
  // then means nothing.
  bool dated = true;
};

class DatedCursor {
 public:
  virtual ~DatedCursor() = default;
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  virtual const DatedEntry& entry() const = 0;
  virtual Status status() const = 0;
};

// A range of indexed values; missing bounds are open. Values must be of the index's kind.
struct IndexRange {
  std::optional<Value> lower;
  bool lower_inclusive = true;
  std::optional<Value> upper;
  bool upper_inclusive = false;
  static IndexRange Equal(Value v) { return {v, true, v, true}; }
};

// A range of dates by start day: entries whose date starts in [from, to). Missing bounds are open.
struct DateRange {
  std::optional<int32_t> from_day;
  std::optional<int32_t> to_day;
};

// The order of an entity's timeline (ReadView::ScanSubjectTime).
enum class TimeOrder : uint8_t { kOldestFirst, kNewestFirst };

// Which of an entity's relationships its timeline follows (ReadView::ScanSubjectTime).
struct TimelineFilter {
  std::vector<RelTypeId> types;  // every type when empty
  std::optional<Direction> dir;  // both when absent (as seen from the entity)
  // Whether a self-loop puts its node on its own timeline, once however many directions are followed
  // (as an expansion matches it). An entity's page leaves it off; a query's expansion needs it.
  bool self_loops = false;
  // Whether the neighbours whose dated property is not a date (absent, or a value of another type) are
  // on it too: first, by node id, whichever the time order (DatedEntry::dated is false).
  // A date range still applies to the dated ones only.
  bool undated = false;
};

struct ScanOptions {
  std::optional<Direction> dir;   // both when absent
  std::optional<RelTypeId> type;  // every type when absent
  std::optional<NodeId> other;    // only relationships to this node (needs dir and type)
};

// One consistent snapshot of the graph: as of now, or as recorded at an earlier record time.
class ReadView {
 public:
  virtual ~ReadView() = default;

  // The record time this view reads as of (for the present: the last commit's record time).
  virtual uint64_t as_of() const = 0;
  virtual const NameResolver& names() const = 0;

  virtual Result<std::optional<NodeId>> FindNode(std::string_view key) = 0;
  // False when the node does not exist in this view.
  virtual Result<bool> GetNode(NodeId id, NodeRecord* out) = 0;
  // One property without decoding the rest; null when absent or when the node does not exist.
  virtual Result<Value> GetNodeProperty(NodeId id, PropKeyId key) = 0;
  virtual Result<bool> NodeExists(NodeId id) = 0;
  // False when the relationship does not exist in this view.
  virtual Result<bool> GetRel(const RelRef& rel, RelRecord* out) = 0;

  virtual std::unique_ptr<NodeCursor> ScanAllNodes() = 0;
  virtual std::unique_ptr<NodeCursor> ScanLabel(LabelId label) = 0;
  virtual std::unique_ptr<NodeCursor> SeekIndex(LabelId label, PropKeyId key, const IndexRange& range) = 0;
  virtual std::unique_ptr<AdjCursor> ScanAdj(NodeId node, const ScanOptions& opts) = 0;
  // Every relationship (each once, from its start node).
  virtual std::unique_ptr<AdjCursor> ScanAllRels() = 0;
  // Dated nodes (nodes whose `date` property is a date), ordered by date then node id.
  virtual std::unique_ptr<DatedCursor> ScanTime(const DateRange& range) = 0;
  // The dated nodes related to `subject` through relationships that `follow` allows, by date, then
  // node id, then relationship id (kNewestFirst: the reverse): one entity's timeline. A self-loop is
  // on it only when `follow` asks for self-loops; undated neighbours only when it asks for them.
  virtual std::unique_ptr<DatedCursor> ScanSubjectTime(NodeId subject, const DateRange& range,
                                                       const TimelineFilter& follow, TimeOrder order) = 0;

  // How many nodes carry the label (scans the label index; exact).
  virtual Result<uint64_t> CountLabel(LabelId label) = 0;
  // Whether the node exists and carries the label.
  virtual Result<bool> HasLabel(NodeId id, LabelId label) = 0;

  // The present graph's relationships of one type in one direction as arrays in the topology cache:
  // the neighbours of node n are other[offsets[n]] to other[offsets[n + 1] - 1], for n < node_bound
  // (every node of the graph). All null with node_bound 0: the graph has no such relationship.
  struct AdjacencyArrays {
    const uint32_t* offsets = nullptr;
    const NodeId* other = nullptr;
    uint64_t node_bound = 0;
  };
  // nullopt when this view has no topology cache (past and transaction views, commands that run
  // once) or the cache could not hold the adjacency: read through ScanAdj then.
  virtual std::optional<AdjacencyArrays> CachedAdjacency(RelTypeId, Direction) { return std::nullopt; }
  // The nodes carrying a label as a bitmap over node ids (bit n % 64 of word n / 64; nodes beyond
  // its end do not carry it), when the topology cache holds it; null otherwise: ask HasLabel.
  virtual const std::vector<uint64_t>* CachedLabelBits(LabelId) { return nullptr; }
  // The valid times of a label's members, arranged for counting those valid on a given day without
  // visiting each member. A period's dates may be imprecise ("2019"): it may start as late as the
  // last day of its start date and end as early as the first day of its end date. Days are epoch
  // days; open bounds are INT64_MIN and INT64_MAX.
  struct ValidityIndex {
    // Members valid for one period that is certain on at least one day (latest start < earliest
    // end): (latest start, earliest end exclusive), sorted by latest start.
    std::vector<std::pair<int64_t, int64_t>> by_start;
    std::vector<int64_t> ends;  // the same members' earliest ends, sorted
    uint64_t always = 0;        // members without a valid time (valid on every day)
    // Members valid for several periods, with them; members of one period certain on no day are in
    // none of the above (they are certainly valid on no day).
    std::vector<std::pair<NodeId, Validity>> others;
  };
  // The topology cache's index of the label's members (as the label index holds their valid time),
  // built on first use; null when this view has no cache or it could not hold the index.
  virtual const ValidityIndex* CachedValidityIndex(LabelId) { return nullptr; }
};

// A write transaction. Reads through view() see this transaction's own writes. Nothing is visible to
// others, and nothing reaches disk, until Commit(), which applies everything as one atomic write.
// Destroying an uncommitted transaction aborts it.
class WriteTxn {
 public:
  virtual ~WriteTxn() = default;
  virtual uint64_t record_time() const = 0;
  virtual ReadView& view() = 0;

  virtual Result<LabelId> InternLabel(std::string_view name) = 0;
  virtual Result<RelTypeId> InternRelType(std::string_view name) = 0;
  virtual Result<PropKeyId> InternPropKey(std::string_view name) = 0;

  // Creates a node; record_time is ignored. Refuses a duplicate or malformed key.
  virtual Result<NodeId> CreateNode(NodeRecord rec) = 0;
  // Replaces the node's key, labels, validity and properties.
  virtual Status UpdateNode(NodeId id, NodeRecord rec) = 0;
  // Refuses a node that still has relationships unless `detach`, which deletes them too.
  virtual Status DeleteNode(NodeId id, bool detach) = 0;
  // Refuses a relationship whose start or end node does not exist.
  virtual Result<RelRef> CreateRel(NodeId src, RelTypeId type, NodeId dst, RelRecord rec) = 0;
  virtual Status UpdateRel(const RelRef& rel, RelRecord rec) = 0;
  virtual Status DeleteRel(const RelRef& rel) = 0;

  // Declares a (label, property) index of one value kind and indexes the existing nodes; refuses if a
  // node holds a value of another kind.
  virtual Status CreateIndex(LabelId label, PropKeyId key, Value::Kind kind) = 0;
  virtual Status DropIndex(LabelId label, PropKeyId key) = 0;

  // Sets a value the layers above keep about the whole database (the domain's schema version),
  // written atomically with the rest of the transaction. `name` starts with "app." so that it
  // cannot collide with the store's own meta keys; refused otherwise.
  virtual Status PutMeta(std::string_view name, std::string_view value) = 0;

  // True when the transaction has written anything.
  virtual bool dirty() const = 0;
  virtual Status Commit() = 0;
};

// One version of a node or relationship, for history listings.
struct Version {
  uint64_t from_record_time = 0;
  std::optional<uint64_t> to_record_time;  // absent: the current version
  bool deleted_after = false;              // the version ended by deletion
  std::string origin;                      // the origin of the write batch that recorded it
  std::optional<NodeRecord> node;
  std::optional<RelRecord> rel;
  RelRef rel_ref;  // for relationships
};

// What the store keeps counted as it commits: reading it costs three point reads, whatever the size.
struct StoreCounts {
  uint64_t nodes = 0;
  uint64_t relationships = 0;
  uint64_t last_record_time = 0;  // 0 for an empty database
};

struct StoreStats {
  uint64_t nodes = 0;
  uint64_t relationships = 0;
  uint64_t labels = 0;
  uint64_t relationship_types = 0;
  uint64_t property_keys = 0;
  uint64_t indexes = 0;
  uint64_t versions = 0;  // superseded versions kept in history
  uint64_t commits = 0;   // write batches in the change log
  uint64_t last_record_time = 0;
  uint64_t disk_bytes = 0;
};

struct CommitInfo {
  uint64_t record_time;
  std::string origin;
  uint64_t nodes_changed;
  uint64_t rels_changed;
};

// One commit of the change log with the ids of what it changed (created, replaced or deleted).
struct CommitChanges {
  uint64_t record_time = 0;
  std::string origin;
  std::vector<NodeId> nodes;  // sorted, unique
  std::vector<RelId> rels;    // sorted, unique
};

class GraphStore {
 public:
  virtual ~GraphStore() = default;

  // Opens (or with create_if_missing, creates) the database in directory `path`. Refuses a directory
  // that is not a Lodestone database, or one written in a format version this build does not read.
  static Result<std::unique_ptr<GraphStore>> Open(const std::string& path, const StoreOptions& options);

  virtual const std::string& path() const = 0;
  virtual const NameResolver& names() const = 0;
  // The name of the dated property (StoreOptions::dated_property), "date" unless chosen otherwise.
  virtual const std::string& dated_property() const = 0;

  // A snapshot of the present.
  virtual std::unique_ptr<ReadView> Read() = 0;
  // A snapshot of the graph as recorded at `record_time` (micros since the epoch): every commit
  // recorded at or before it, none after.
  virtual Result<std::unique_ptr<ReadView>> ReadAsOf(uint64_t record_time) = 0;

  // Starts the write transaction; waits while another one runs. `origin` says who or what writes
  // (e.g. "import seed.jsonl", "query by alice") and is kept with every version it writes.
  virtual Result<std::unique_ptr<WriteTxn>> BeginWrite(std::string origin) = 0;

  // The versions of a node or relationship, newest first, including deleted ones.
  virtual Result<std::vector<Version>> NodeHistory(NodeId id) = 0;
  virtual Result<std::vector<Version>> RelHistory(RelId id) = 0;
  // Finds a node id by key in the present or, if deleted, in history (newest first).
  virtual Result<std::optional<NodeId>> FindNodeEverywhere(std::string_view key) = 0;
  // Commits in record-time order, newest first, at most `limit`.
  virtual Result<std::vector<CommitInfo>> Commits(size_t limit) = 0;
  // The commits recorded after `after` and at or before `until`, oldest first, with what each changed.
  // Costs one read of the change log per commit in the range.
  virtual Result<std::vector<CommitChanges>> ChangeLog(uint64_t after, uint64_t until) = 0;

  // The counts as last committed (for health checks and the like).
  virtual Result<StoreCounts> Counts() = 0;
  // A value set by WriteTxn::PutMeta, as last committed; nullopt when never set.
  virtual Result<std::optional<std::string>> GetMeta(std::string_view name) = 0;
  // Everything StoreStats holds; scans the history and the change log, and lists the files on disk.
  virtual Result<StoreStats> Stats() = 0;
  // Flushes memtables and waits for compactions to settle (used after bulk loads and by benchmarks).
  virtual Status Compact() = 0;
  // The record time of the last commit: a view with this as_of() is of the present.
  virtual uint64_t last_commit_time() const = 0;
  // The memory the present's topology cache holds now (StoreOptions::topology_cache_bytes bounds it;
  // 0 when it is off or nothing has needed it since the last commit).
  virtual size_t topology_cache_bytes() const = 0;
  // Builds the present's topology cache now (the key map, the adjacency, the time index, the label
  // bitmaps), so that no statement pays for it; returns when it is built. What does not fit the
  // budget stays unbuilt, and statements read RocksDB for it. Does nothing when the cache is off.
  virtual void WarmTopologyCache() = 0;

  // Opened with StoreOptions::secondary.
  virtual bool secondary() const = 0;
  // A secondary: reads what the primary committed since the open or the last CatchUp, so that views
  // taken afterwards see it (the counters, the names and the topology cache follow). Waits until no
  // view of this store is open: never call it while the calling thread holds one. Elsewhere: does
  // nothing. Returns the last commit's record time.
  virtual Result<uint64_t> CatchUp() = 0;
};

// Validation shared by the store and the importers, so both say the same thing.
Status ValidateNodeKey(std::string_view key);
Status ValidateName(std::string_view what, std::string_view name);  // label, type or property names
Status ValidateValidity(const Validity& v);

}  // namespace lodestone
