// The topology cache: a read-optimised, in-memory projection of the present graph's structure
// (which nodes carry which label, and the typed adjacency as compressed sparse rows), so traversals
// and label tests of the present cost array reads instead of RocksDB seeks. Internal to store/.
//
// Consistency. A cache describes exactly one committed state: the one whose record time is
// `version()`. A reader uses it only when its snapshot is of that same state (the store hands it only
// to present-time views taken while no newer commit exists), so what it reads from the cache and what
// it reads from RocksDB always agree. A commit makes the cache stale; the next present-time reader
// gets a fresh, empty cache whose parts are built again. Transactions and past (KNOWN AT) views never
// use it.
//
// Parts are built lazily, each from the snapshot of the reader that first needs it, or all at once by
// Warm() (StoreOptions::topology_cache_in_background: a thread of the store warms each new cache,
// and readers that come meanwhile read RocksDB instead of waiting). Parts are immutable once built,
// so concurrent readers share them without locking.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/graph_store.h"
#include "store/kv.h"

namespace lodestone::internal {

// One relationship type in one direction: for node n, entries [offsets[n], offsets[n + 1]). Empty
// (no offsets) when no relationship has this type and direction.
struct Csr {
  std::vector<uint32_t> offsets;  // size = node id bound + 1
  std::vector<NodeId> other;
  std::vector<RelId> rel;
  size_t Bytes() const { return offsets.size() * 4 + other.size() * 16; }
};

// The nodes of one label in id order, with each one's validity (as the label index holds it).
struct LabelMembers {
  std::vector<NodeId> ids;
  std::vector<Validity> validity;  // parallel to ids; empty when no member has a valid time
};

// Node keys: their bytes end to end, where each one starts, and each one's node, appended while
// node_key is read (no allocation per key), then found through an open-addressing table of key
// positions. A lookup touches a slot, then the key it names: a handful of cache lines, where a binary
// search over 3.75M keys (10M relationships) touched about 45, each a miss once other statements had
// used the caches (about 8 us of a 25 us statement).
class KeyIndex {
 public:
  // False when the bytes outgrow 32-bit offsets or the keys 32-bit positions.
  bool Append(std::string_view key, NodeId id);
  // Builds the table; call once, after the last Append and before the first Find.
  void Finish();
  std::optional<NodeId> Find(std::string_view key) const;
  size_t size() const { return ids_.size(); }
  size_t Bytes() const { return bytes_.size() + starts_.size() * 4 + ids_.size() * 8 + slots_.size() * 4; }
  // What Finish() will add to Bytes() for `keys` keys.
  static size_t TableBytes(size_t keys);

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  static size_t Slots(size_t keys);
  std::string_view Key(size_t i) const {
    return std::string_view(bytes_.data() + starts_[i], starts_[i + 1] - starts_[i]);
  }
  std::string bytes_;
  std::vector<uint32_t> starts_{0};  // key i is bytes_[starts_[i], starts_[i + 1])
  std::vector<NodeId> ids_;
  std::vector<uint32_t> slots_;  // a key's position, or kEmpty; a power of two, at most half full
};

// The time index: every dated node by date then id, and where each node is in it (so that a node's date
// is found by its id without a search: an entity's timeline is its neighbours' dates,
// ReadView::ScanSubjectTime).
struct TimeEntry {
  Date date;
  NodeId node;
};
struct TimeIndex {
  static constexpr uint32_t kUndated = UINT32_MAX;
  std::vector<TimeEntry> entries;  // by date, then node
  std::vector<uint32_t> position;  // by node id: its entry's index, or kUndated
  // The node's date; null when it has none (or is no node).
  const Date* DateOf(NodeId n) const {
    return n < position.size() && position[n] != kUndated ? &entries[position[n]].date : nullptr;
  }
  // DateOf(n) is two dependent reads, each a cache miss in a large graph. A walk over many nodes asks
  // for the first (PrefetchPlace) a few nodes further ahead than the second (PrefetchEntry, once the
  // place has arrived), so that the misses of several nodes overlap.
  void PrefetchPlace(NodeId n) const {
    if (n < position.size()) __builtin_prefetch(&position[n]);
  }
  void PrefetchEntry(NodeId n) const {
    if (n < position.size() && position[n] != kUndated) __builtin_prefetch(&entries[position[n]]);
  }
};

class TopologyCache {
 public:
  // How many entries the cache would copy whole: the adjacency's (two a relationship, from the store's
  // counters) and the node keys (RocksDB's estimate). What certainly cannot fit the budget is refused
  // without reading it:
  // at 100M relationships, reading the adjacency up to a 1 GiB budget before giving up took longer
  // than a statement's time limit, and every commit's new cache would read it again.
  struct Estimates {
    uint64_t adj_entries = 0;
    uint64_t keys = 0;
  };
  // Half of what a cached adjacency entry or node key costs at the least (16 bytes an entry; a key's
  // bytes plus 12, plus 8 of its table's): estimates may count an overwritten entry twice, and this
  // leaves room for that.
  static constexpr size_t kMinAdjEntryBytes = 8;
  static constexpr size_t kMinKeyBytes = 10;

  // `warmed`: a thread of the store builds the key map, the adjacency and the time index (Warm());
  // readers that ask for them before they are ready read RocksDB rather than wait. Otherwise the first reader
  // that asks builds them, and others wait for it.
  TopologyCache(uint64_t version, uint64_t node_id_bound, size_t byte_budget, Estimates estimates,
                bool warmed = false)
      : version_(version),
        node_bound_(node_id_bound),
        budget_(byte_budget),
        estimates_(estimates),
        warmed_(warmed) {}

  uint64_t version() const { return version_; }

  // Builds what nearly every statement needs (the key map, the adjacency, the time index and the
  // bitmaps of `labels`) now. The adjacency is read by several threads when `source` can
  // ForkForBulkRead().
  void Warm(KvSource* source, const std::vector<LabelId>& labels);
  // Stops builds in progress and refuses new ones: the cache is stale (a newer commit exists) or the
  // store is closing. Readers of this cache then read RocksDB.
  void Abandon() { abandoned_.store(true); }

  // The nodes carrying `label` as a bitmap over node ids, built on first use; null when it would
  // not fit the budget or reading failed (the caller falls back to RocksDB).
  const std::vector<uint64_t>* LabelBits(LabelId label, KvSource* source);
  // The label's members, built on first use; null as above.
  const LabelMembers* Members(LabelId label, KvSource* source);
  // The label's members arranged by valid time (ReadView::ValidityIndex), built from Members on
  // first use; null as above.
  const ReadView::ValidityIndex* Validities(LabelId label, KvSource* source);
  // The time index; null as above, and while the warming thread has not built it yet.
  const TimeIndex* Times(KvSource* source);
  // The nodes whose indexed property equals a value, given the index's (label, key) prefix and the
  // value's order-preserving encoding; built per index on first use. False when the cache cannot
  // answer; otherwise *ids points at the (possibly empty) sorted ids.
  bool IndexEquals(LabelId label, PropKeyId key, std::string_view encoded_value, KvSource* source,
                   const std::vector<NodeId>** ids);
  // Node ids by key. Returns false when the cache cannot answer (the caller reads RocksDB); otherwise
  // sets *id (nullopt: no node has the key).
  bool FindKey(std::string_view key, KvSource* source, std::optional<NodeId>* id);
  // The adjacency of one type in one direction: empty when no relationship has them; null when the
  // cache cannot answer (over budget, a read error, or not built yet by the warming thread). The first
  // call builds every type's adjacency in one pass over the adjacency family.
  const Csr* Adjacency(RelTypeId type, layout::Direction dir, KvSource* source);

  size_t bytes() const { return used_.load(); }

 private:
  // A part built once, by whoever gets there first, and read without locks after.
  struct Once {
    std::mutex mu;
    bool tried = false;
    std::atomic<bool> ready{false};
    bool ok = false;
  };
  // Whether `part` is built and usable. Builds it with `build` first when nobody has tried yet, if
  // `build_here` (a reader of a cache that is not warmed, or the warming thread); waits for a build
  // another thread is running. Without `build_here`, answers at once.
  template <typename Build>
  bool Ensure(Once* part, bool build_here, Build&& build);
  bool BuildAdjacency(KvSource* source);
  bool BuildKeys(KvSource* source);
  bool BuildTimes(KvSource* source);
  // Whether `entries` of at least `bytes_each` would certainly exceed what is left of the budget.
  bool WontFit(uint64_t entries, size_t bytes_each) const {
    size_t used = used_.load();
    return used >= budget_ || entries > (budget_ - used) / bytes_each;
  }
  bool abandoned() const { return abandoned_.load(std::memory_order_relaxed); }
  // Whether a build should stop: the cache is abandoned, or `more` bytes would exceed the budget.
  bool Over(size_t more) const { return abandoned() || used_.load() + more > budget_; }

  const uint64_t version_;
  const uint64_t node_bound_;
  const size_t budget_;
  const Estimates estimates_;
  const bool warmed_;
  std::atomic<bool> abandoned_{false};
  std::atomic<size_t> used_{0};
  std::mutex mu_;
  std::unordered_map<LabelId, std::unique_ptr<std::vector<uint64_t>>> labels_;
  std::unordered_map<LabelId, std::unique_ptr<LabelMembers>> members_;
  std::unordered_map<LabelId, std::unique_ptr<ReadView::ValidityIndex>> validities_;
  Once times_once_;
  TimeIndex times_;
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  struct IndexMap {
    bool ok = false;
    std::unordered_map<std::string, std::vector<NodeId>, KeyHash, std::equal_to<>> by_value;
  };
  std::unordered_map<uint64_t, std::unique_ptr<IndexMap>> indexes_;  // key: label << 32 | prop key
  Once keys_once_;
  KeyIndex keys_;
  Once adjacency_once_;
  std::unordered_map<uint64_t, std::unique_ptr<Csr>> adjacency_;  // key: type << 1 | dir
};

}  // namespace lodestone::internal
