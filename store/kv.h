// Key-value access under the graph: a snapshot of the database, a write transaction's batch on top of
// a snapshot, or a snapshot rolled back to an earlier record time. Internal to store/; the only
// header besides rocksdb_store.cc that includes RocksDB.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/utilities/write_batch_with_index.h>

#include "store/key_codec.h"
#include "store/record.h"
#include "store/status.h"

namespace lodestone::internal {

// Column families: their numbers and names are part of the layout (key_codec.h).
using layout::Cf;
using layout::CfName;
using layout::kCfCount;

Status FromRocks(const rocksdb::Status& s, std::string_view what);

// Forward iteration over [lower, upper) of one column family.
class KvIter {
 public:
  virtual ~KvIter() = default;
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  // Repositions at the first key >= target (target must lie within the bounds).
  virtual void Seek(std::string_view target) = 0;
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  virtual Status status() const = 0;
};

// The adjacency family reads as entries only: its chunks (key_codec.h, format 3) are expanded by
// Get and Scan, so a point lookup of an entry key finds it whether a chunk or its own key holds it.
class KvSource {
 public:
  virtual ~KvSource() = default;
  virtual Status Get(Cf cf, std::string_view key, std::string* value, bool* found) = 0;
  // upper empty: unbounded.
  virtual std::unique_ptr<KvIter> Scan(Cf cf, std::string lower, std::string upper) = 0;
  // Another source reading the same snapshot (or a secondary's state under the same pin), for another
  // thread to use while this one lives (a source is used by one thread at a time), for long scans
  // that read each entry once (building a cache): what they read does not go into the block cache.
  // Null when this kind of source cannot.
  virtual std::unique_ptr<KvSource> ForkForBulkRead() { return nullptr; }
};

using CfHandles = std::array<rocksdb::ColumnFamilyHandle*, kCfCount>;

// The adjacency chunk a point lookup last found (kv.cc, GetAdj) and the key that follows it in the
// family: a lookup of another entry between the two is answered from it without a seek. Only for
// lookups in one snapshot, where nothing changes. The records of a node's relationships, read one after
// another, are mostly in one chunk.
struct AdjChunkMemo {
  bool valid = false;
  std::string key;
  std::string next;  // empty: nothing follows
  std::string bytes;
  codec::AdjChunk chunk;
  std::string scratch;

  // Whether a lookup of `entry_key` (an entry's key) would land on this chunk: nothing lies between it
  // and the key after it, so it holds the entry or nothing does.
  bool Holds(std::string_view entry_key) const {
    if (!valid || layout::AdjListOf(key) != layout::AdjListOf(entry_key)) return false;
    char bytes_of_probe[layout::kAdjChunkKeyBytes];  // as GetAdj looks it up: the key and the tag
    entry_key.copy(bytes_of_probe, layout::kAdjKeyBytes);
    bytes_of_probe[layout::kAdjKeyBytes] = layout::kAdjChunkTag;
    const std::string_view probe(bytes_of_probe, sizeof bytes_of_probe);
    return std::string_view(key) < probe && (next.empty() || probe < std::string_view(next));
  }
};

// Reads a RocksDB snapshot (or, with snapshot == nullptr, the latest state).
class SnapshotSource final : public KvSource {
 public:
  SnapshotSource(rocksdb::DB* db, const CfHandles* cfs, const rocksdb::Snapshot* snapshot)
      : db_(db), cfs_(cfs), snapshot_(snapshot) {}
  ~SnapshotSource() override;
  Status Get(Cf cf, std::string_view key, std::string* value, bool* found) override;
  std::unique_ptr<KvIter> Scan(Cf cf, std::string lower, std::string upper) override;
  std::unique_ptr<KvSource> ForkForBulkRead() override;
  const rocksdb::Snapshot* snapshot() const { return snapshot_; }
  // Keeps `pin` for as long as this source lives (a secondary's shared lock against catching up).
  void set_pin(std::shared_ptr<void> pin) { pin_ = std::move(pin); }

  // RocksDB iterators cost much more to create than to re-seek: scans borrow one from a pool per
  // column family and give it back when they end. The pool lives as long as the snapshot.
  // A scan may be destroyed after its source (a cursor kept past its view): it then deletes its
  // iterator instead of giving it back.
  struct Pool {
    bool open = true;
    std::array<std::vector<std::unique_ptr<rocksdb::Iterator>>, kCfCount> free;
  };
  std::unique_ptr<rocksdb::Iterator> Borrow(Cf cf);
  static void GiveBack(Pool& pool, Cf cf, std::unique_ptr<rocksdb::Iterator> it);

 private:
  std::shared_ptr<void> pin_;  // first: released after everything that reads
  rocksdb::DB* db_;
  const CfHandles* cfs_;
  const rocksdb::Snapshot* snapshot_;  // released on destruction, unless this is a fork
  bool owns_snapshot_ = true;
  bool bulk_ = false;  // ForkForBulkRead
  rocksdb::PinnableSlice pinned_;
  AdjChunkMemo adj_memo_;
  codec::AdjChunk first_chunk_;  // the list's first chunk a point lookup read (its capacity is reused)
  std::shared_ptr<Pool> pool_ = std::make_shared<Pool>();
};

// Reads a write batch on top of a snapshot: a transaction sees its own writes.
class BatchSource final : public KvSource {
 public:
  BatchSource(rocksdb::DB* db, const CfHandles* cfs, const rocksdb::Snapshot* snapshot,
              rocksdb::WriteBatchWithIndex* batch)
      : db_(db), cfs_(cfs), snapshot_(snapshot), batch_(batch) {}
  Status Get(Cf cf, std::string_view key, std::string* value, bool* found) override;
  std::unique_ptr<KvIter> Scan(Cf cf, std::string lower, std::string upper) override;
  // Whether the adjacency holds chunks of the list `list` (a list key: its first chunk's key).
  Result<bool> AdjListHasChunks(std::string_view list);

 private:
  rocksdb::DB* db_;
  const CfHandles* cfs_;
  const rocksdb::Snapshot* snapshot_;  // owned by the transaction
  rocksdb::WriteBatchWithIndex* batch_;
};

// The key-value state of entities that changed after a past record time, as it was at that time:
// each column family's entries for those entities then, and a test for current keys that belong to
// changed entities (which the past view must hide).
struct Overlay {
  uint64_t as_of = 0;
  std::unordered_set<uint64_t> changed_nodes;
  std::unordered_set<uint64_t> changed_rels;
  std::array<std::map<std::string, std::string, std::less<>>, kCfCount> entries;

  // True when a current entry of `cf` describes an entity the overlay replaces.
  bool Hides(Cf cf, std::string_view key, std::string_view value) const;
};

// Reads a snapshot rolled back to overlay->as_of.
class PastSource final : public KvSource {
 public:
  PastSource(std::unique_ptr<SnapshotSource> base, std::shared_ptr<const Overlay> overlay)
      : base_(std::move(base)), overlay_(std::move(overlay)) {}
  Status Get(Cf cf, std::string_view key, std::string* value, bool* found) override;
  std::unique_ptr<KvIter> Scan(Cf cf, std::string lower, std::string upper) override;

 private:
  std::unique_ptr<SnapshotSource> base_;
  std::shared_ptr<const Overlay> overlay_;
};

}  // namespace lodestone::internal
