#include "store/kv.h"

#include <algorithm>
#include <cstring>

#include "store/key_codec.h"
#include "store/record.h"

namespace lodestone::internal {

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::OK();
  std::string msg(what);
  msg += ": ";
  msg += s.ToString();
  if (s.IsCorruption()) return Status::Corruption(std::move(msg));
  if (s.IsNotSupported()) return Status::Unsupported(std::move(msg));
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) return Status::Busy(std::move(msg));
  return Status::IOError(std::move(msg));
}

namespace {

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
std::string_view ToView(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

// A RocksDB iterator that can also step back: what the adjacency's chunks are found with (AdjIter).
class RawIter : public KvIter {
 public:
  // Repositions at the last key <= target (target must lie below the upper bound).
  virtual void SeekForPrev(std::string_view target) = 0;
  virtual void Prev() = 0;
};

// A RocksDB iterator with its bounds, which must outlive it.
class RocksIter final : public RawIter {
 public:
  // seek: positioned at lower (else nowhere until a seek).
  RocksIter(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, const rocksdb::Snapshot* snapshot,
            std::string lower, std::string upper, rocksdb::WriteBatchWithIndex* batch, bool bulk = false,
            bool seek = true)
      : lower_(std::move(lower)), upper_(std::move(upper)) {
    options_.snapshot = snapshot;
    options_.auto_prefix_mode = true;
    // A bulk read (a cache being built) reads each block once: keeping the blocks would only push out
    // of the block cache what statements read again.
    options_.fill_cache = !bulk;
    if (!upper_.empty()) {
      upper_slice_ = rocksdb::Slice(upper_);
      options_.iterate_upper_bound = &upper_slice_;
    }
    rocksdb::Iterator* base = db->NewIterator(options_, cf);
    it_.reset(batch ? batch->NewIteratorWithBase(cf, base, &options_) : base);
    if (seek) Seek(lower_);
  }

  bool Valid() const override { return !exhausted_ && it_->Valid(); }
  void Next() override {
    it_->Next();
    Clamp();
  }
  void Seek(std::string_view target) override {
    exhausted_ = false;
    it_->Seek(ToSlice(target));
    Clamp();
  }
  void SeekForPrev(std::string_view target) override {
    exhausted_ = false;
    it_->SeekForPrev(ToSlice(target));
    Clamp();
  }
  void Prev() override {
    exhausted_ = false;
    it_->Prev();
    Clamp();
  }
  std::string_view key() const override { return ToView(it_->key()); }
  std::string_view value() const override { return ToView(it_->value()); }
  Status status() const override { return FromRocks(it_->status(), "reading the database"); }

 private:
  // The batch iterator may not honour the upper bound for keys that live only in the batch.
  void Clamp() {
    if (!upper_.empty() && it_->Valid() && key() >= std::string_view(upper_)) exhausted_ = true;
  }
  std::string lower_;
  std::string upper_;
  rocksdb::Slice upper_slice_;
  rocksdb::ReadOptions options_;
  std::unique_ptr<rocksdb::Iterator> it_;
  bool exhausted_ = false;
};

// A scan over a pooled iterator (no RocksDB bounds; the wrapper stops at `upper`).
class PooledIter final : public RawIter {
 public:
  PooledIter(std::shared_ptr<SnapshotSource::Pool> pool, Cf cf, std::unique_ptr<rocksdb::Iterator> it,
             std::string_view lower, std::string upper, bool seek = true)
      : pool_(std::move(pool)), cf_(cf), it_(std::move(it)), upper_(std::move(upper)) {
    if (seek) Seek(lower);
  }
  ~PooledIter() override { SnapshotSource::GiveBack(*pool_, cf_, std::move(it_)); }
  bool Valid() const override { return valid_; }
  void Next() override {
    it_->Next();
    Check();
  }
  void Seek(std::string_view target) override {
    it_->Seek(ToSlice(target));
    Check();
  }
  void SeekForPrev(std::string_view target) override {
    it_->SeekForPrev(ToSlice(target));
    Check();
  }
  void Prev() override {
    it_->Prev();
    Check();
  }
  std::string_view key() const override { return ToView(it_->key()); }
  std::string_view value() const override { return ToView(it_->value()); }
  Status status() const override { return FromRocks(it_->status(), "reading the database"); }

 private:
  void Check() { valid_ = it_->Valid() && (upper_.empty() || key() < std::string_view(upper_)); }
  std::shared_ptr<SnapshotSource::Pool> pool_;
  Cf cf_;
  std::unique_ptr<rocksdb::Iterator> it_;
  std::string upper_;
  bool valid_ = false;
};

using codec::AdjChunk;
using codec::AdjChunkEntry;
using layout::AdjKeyKind;
using layout::AdjListOf;

Status MalformedAdjacency() { return Status::Corruption("malformed adjacency entry or chunk"); }

// Decodes the chunk under `key`, checking that a later chunk's first entry is the one its key names.
// False for a key that is no chunk's and for a value that is no chunk.
bool LoadChunk(std::string_view key, std::string_view value, AdjChunk* chunk) {
  const AdjKeyKind kind = layout::ClassifyAdjKey(key);
  if ((kind != AdjKeyKind::kFirstChunk && kind != AdjKeyKind::kLaterChunk) ||
      static_cast<uint8_t>(key[8]) > 1)
    return false;
  if (!codec::DecodeAdjChunk(value, layout::AdjKeyIsOutgoing(key), chunk)) return false;
  if (kind == AdjKeyKind::kFirstChunk) return true;
  const layout::AdjKey first = layout::DecodeAdjKey(key.substr(0, layout::kAdjKeyBytes));
  return chunk->entries[0].other == first.other && chunk->entries[0].rel == first.rel;
}

std::string_view View(const layout::AdjKeyBytes& k) { return {k.data(), k.size()}; }

// What a stored entry's value says: false for a tombstone, else true with the value.
bool TakeEntry(std::string_view stored, std::string* value) {
  if (stored == layout::kAdjTombstone) return false;
  value->assign(stored);
  return true;
}

// From `it`, at or before `target` in `list` (or outside it), steps back to the last chunk key of
// `list` at or before `target`, past the entry keys between (transactions' writes). Those are walked
// only when the list has chunks at all (its first chunk's key), so a list of entry keys alone is never
// walked. True when `it` is then at a chunk's key (or at a malformed key of the list: decoding it
// fails); false when there is none or `it` failed (its status says).
bool BackToChunk(RawIter* it, std::string_view list, std::string_view target) {
  if (it->Valid() && AdjListOf(it->key()) == list &&
      layout::ClassifyAdjKey(it->key()) == AdjKeyKind::kEntry) {
    const std::string list_key(list);
    it->Seek(list_key);
    if (!it->Valid() || it->key() != list) return false;
    it->SeekForPrev(target);
  }
  for (; it->Valid() && AdjListOf(it->key()) == list; it->Prev()) {
    if (layout::ClassifyAdjKey(it->key()) != AdjKeyKind::kEntry) return true;
  }
  return false;
}

// The adjacency family as entries only (key_codec.h, format 3): each chunk's entries in their places,
// an entry key standing for the chunk's entry of the same bytes, tombstones left out. A forward scan
// meets each chunk before the entry keys that fall among its entries, so one decoded chunk is merged
// with the keys that follow it.
class AdjIter final : public KvIter {
 public:
  // `raw` is positioned at `lower` already when `lower` is at most a list key.
  AdjIter(std::unique_ptr<RawIter> raw, std::string_view lower, std::string upper)
      : raw_(std::move(raw)), upper_(std::move(upper)) {
    if (lower.size() > layout::kAdjListKeyBytes) {
      Seek(lower);
    } else {
      Advance();
    }
  }
  bool Valid() const override { return valid_; }
  void Next() override {
    if (!from_chunk_) raw_->Next();
    Advance();
  }
  void Seek(std::string_view target) override {
    chunk_.entries.clear();
    next_ = 0;
    consumed_.clear();
    ok_ = true;
    // A chunk that starts before the target may hold entries at or after it.
    if (target.size() > layout::kAdjListKeyBytes) {
      raw_->SeekForPrev(target);
      if (BackToChunk(raw_.get(), AdjListOf(target), target)) {
        if (!Load(raw_->key(), raw_->value())) return Fail();
        while (next_ < chunk_.entries.size() && View(ChunkKey(next_)) < target) ++next_;
      }
    }
    raw_->Seek(target);
    Advance();
  }
  std::string_view key() const override { return View(key_); }
  std::string_view value() const override {
    if (!from_chunk_) return raw_->value();
    return outgoing_ ? chunk_.Record(cur_, &scratch_) : std::string_view();
  }
  Status status() const override { return ok_ ? raw_->status() : MalformedAdjacency(); }

 private:
  layout::AdjKeyBytes ChunkKey(size_t i) const {
    return layout::EncodeAdjKeyBytes(list_, chunk_.entries[i].other, chunk_.entries[i].rel);
  }
  bool Load(std::string_view key, std::string_view value) {
    bytes_.assign(value);
    if (!LoadChunk(key, bytes_, &chunk_)) return false;
    list_.assign(AdjListOf(key));
    outgoing_ = layout::AdjKeyIsOutgoing(key);
    next_ = 0;
    // An entry key equal to the chunk's first entry sorts before the chunk and was met already.
    if (!consumed_.empty() && View(ChunkKey(0)) <= std::string_view(consumed_)) next_ = 1;
    return true;
  }
  void Fail() {
    ok_ = false;
    valid_ = false;
  }
  // The entry at or after the raw position and the decoded chunk's next entry.
  void Advance() {
    for (;;) {
      const bool chunked = next_ < chunk_.entries.size();
      if (!raw_->Valid()) {
        if (chunked && raw_->status().ok()) return EmitChunked();
        valid_ = false;
        return;
      }
      std::string_view k = raw_->key();
      switch (layout::ClassifyAdjKey(k)) {
        case AdjKeyKind::kFirstChunk:
        case AdjKeyKind::kLaterChunk:
          if (chunked) return EmitChunked();  // what is left of the chunk before comes first
          if (!Load(k, raw_->value())) return Fail();
          raw_->Next();
          continue;
        case AdjKeyKind::kEntry: {
          if (chunked) {
            const int order = k.compare(View(ChunkKey(next_)));
            if (order > 0) return EmitChunked();
            if (order == 0) ++next_;  // the entry key stands for the chunk's entry
          }
          consumed_.assign(k);
          if (raw_->value() == layout::kAdjTombstone) {
            raw_->Next();
            continue;
          }
          from_chunk_ = false;
          std::memcpy(key_.data(), k.data(), k.size());
          valid_ = true;
          return;
        }
        case AdjKeyKind::kMalformed:
          return Fail();
      }
    }
  }
  void EmitChunked() {
    cur_ = next_++;
    key_ = ChunkKey(cur_);
    from_chunk_ = true;
    // The chunk's entries may run past the scan's end.
    valid_ = upper_.empty() || View(key_) < std::string_view(upper_);
  }

  std::unique_ptr<RawIter> raw_;
  std::string upper_;
  std::string bytes_;  // the decoded chunk's value: its records point into it
  AdjChunk chunk_;
  std::string list_;  // the decoded chunk's list key
  bool outgoing_ = false;
  size_t next_ = 0;       // its next entry to merge
  std::string consumed_;  // the last entry key read from the family (listed or a tombstone)
  layout::AdjKeyBytes key_{};
  size_t cur_ = 0;  // the chunk's entry at the position, when from_chunk_
  bool from_chunk_ = false;
  bool valid_ = false;
  bool ok_ = true;
  mutable std::string scratch_;
};

// The entry `key` of a decoded chunk of its list, if it holds it.
bool FromChunk(const AdjChunk& chunk, std::string_view key, std::string* scratch, std::string* value) {
  const layout::AdjKey k = layout::DecodeAdjKey(key);
  auto it = std::lower_bound(chunk.entries.begin(), chunk.entries.end(), std::pair(k.other, k.rel),
                             [](const AdjChunkEntry& e, const std::pair<NodeId, RelId>& x) {
                               return std::pair(e.other, e.rel) < x;
                             });
  if (it == chunk.entries.end() || it->other != k.other || it->rel != k.rel) return false;
  const size_t i = static_cast<size_t>(it - chunk.entries.begin());
  value->assign(layout::AdjKeyIsOutgoing(key) ? chunk.Record(i, scratch) : std::string_view());
  return true;
}

// A point lookup of one entry (as AdjIter sees them) with `it`: its key, which stands for any chunk's
// entry, or else the chunk before it that holds it. One step back from just past a chunk starting at
// the key finds either. With `memo` (a snapshot's lookups), the chunk found is kept with the key after
// it (AdjChunkMemo).
Status GetAdj(RawIter* it, std::string_view key, std::string* value, bool* found, AdjChunkMemo* memo) {
  *found = false;
  if (key.size() != layout::kAdjKeyBytes) return Status::OK();  // not an entry's key
  const std::string_view list = AdjListOf(key);
  std::string probe(key);
  probe.push_back(layout::kAdjChunkTag);  // a chunk starting at the key is the last key <= this
  it->SeekForPrev(probe);
  if (!it->Valid() || AdjListOf(it->key()) != list) return it->status();
  if (it->key() == probe) {  // a chunk starting at the key: the key itself comes just before
    std::string chunk_value(it->value());
    it->Prev();
    if (it->Valid() && it->key() == key) {
      *found = TakeEntry(it->value(), value);
      return it->status();
    }
    RETURN_IF_ERROR(it->status());
    AdjChunk chunk;
    std::string scratch;
    if (!LoadChunk(probe, chunk_value, &chunk)) return MalformedAdjacency();
    *found = FromChunk(chunk, key, &scratch, value);
    return Status::OK();
  }
  if (it->key() == key) {
    *found = TakeEntry(it->value(), value);
    return it->status();
  }
  if (!BackToChunk(it, list, probe)) return it->status();
  AdjChunkMemo local;
  AdjChunkMemo& m = memo ? *memo : local;
  m.valid = false;
  m.key.assign(it->key());
  m.bytes.assign(it->value());
  if (!LoadChunk(m.key, m.bytes, &m.chunk)) return MalformedAdjacency();
  *found = FromChunk(m.chunk, key, &m.scratch, value);
  if (memo) {
    it->Next();
    RETURN_IF_ERROR(it->status());
    m.next.assign(it->Valid() ? it->key() : std::string_view());
    m.valid = true;
  }
  return Status::OK();
}

}  // namespace

SnapshotSource::~SnapshotSource() {
  pool_->open = false;
  for (auto& p : pool_->free) p.clear();  // iterators go before the snapshot they read
  if (snapshot_ && owns_snapshot_) db_->ReleaseSnapshot(snapshot_);
}

std::unique_ptr<KvSource> SnapshotSource::ForkForBulkRead() {
  auto fork = std::make_unique<SnapshotSource>(db_, cfs_, snapshot_);
  fork->owns_snapshot_ = false;
  fork->bulk_ = true;
  fork->pin_ = pin_;
  return fork;
}

std::unique_ptr<rocksdb::Iterator> SnapshotSource::Borrow(Cf cf) {
  auto& p = pool_->free[static_cast<int>(cf)];
  if (!p.empty()) {
    auto it = std::move(p.back());
    p.pop_back();
    return it;
  }
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  ro.total_order_seek = true;
  return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(ro, (*cfs_)[static_cast<int>(cf)]));
}

void SnapshotSource::GiveBack(Pool& pool, Cf cf, std::unique_ptr<rocksdb::Iterator> it) {
  auto& p = pool.free[static_cast<int>(cf)];
  if (pool.open && p.size() < 8 && it->status().ok()) p.push_back(std::move(it));
}

Status SnapshotSource::Get(Cf cf, std::string_view key, std::string* value, bool* found) {
  if (cf == Cf::kAdj) {
    *found = false;
    if (key.size() != layout::kAdjKeyBytes) return Status::OK();  // not an entry's key
    const bool snapshot_lookup = snapshot_ && !bulk_;
    // The list of the chunk the last lookup found (a hub's, records read one after another): that
    // chunk holds the entry, or the step back finds the next one.
    if (snapshot_lookup && adj_memo_.valid && AdjListOf(adj_memo_.key) == AdjListOf(key)) {
      if (adj_memo_.Holds(key)) {
        *found = FromChunk(adj_memo_.chunk, key, &adj_memo_.scratch, value);
        return Status::OK();
      }
      PooledIter it(pool_, cf, Borrow(cf), "", "", /*seek=*/false);
      return GetAdj(&it, key, value, found, &adj_memo_);
    }
    // Most lists fit in their first chunk: a point read of the entry key (which stands for any chunk's
    // entry), then of the list's key (its first chunk), answers without an iterator, whose step back
    // costs several point reads. A hub's later entries take the step back.
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot_;
    rocksdb::ColumnFamilyHandle* adj = (*cfs_)[static_cast<int>(cf)];
    pinned_.Reset();
    rocksdb::Status st = db_->Get(ro, adj, ToSlice(key), &pinned_);
    if (st.ok()) {
      *found = TakeEntry(ToView(pinned_), value);
      return Status::OK();
    }
    if (!st.IsNotFound()) return FromRocks(st, "reading the database");
    const std::string_view list = AdjListOf(key);
    pinned_.Reset();
    st = db_->Get(ro, adj, ToSlice(list), &pinned_);
    if (st.IsNotFound()) return Status::OK();  // no chunks, and no entry key
    if (!st.ok()) return FromRocks(st, "reading the database");
    if (!LoadChunk(list, ToView(pinned_), &first_chunk_)) return MalformedAdjacency();
    const AdjChunkEntry& last = first_chunk_.entries.back();
    const layout::AdjKey k = layout::DecodeAdjKey(key);
    if (std::pair(k.other, k.rel) <= std::pair(last.other, last.rel)) {
      *found = FromChunk(first_chunk_, key, &adj_memo_.scratch, value);
      return Status::OK();
    }
    if (!snapshot_lookup) {
      RocksIter it(db_, adj, snapshot_, "", "", nullptr, bulk_, /*seek=*/false);
      return GetAdj(&it, key, value, found, nullptr);
    }
    PooledIter it(pool_, cf, Borrow(cf), "", "", /*seek=*/false);
    return GetAdj(&it, key, value, found, &adj_memo_);
  }
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  pinned_.Reset();
  rocksdb::Status s = db_->Get(ro, (*cfs_)[static_cast<int>(cf)], ToSlice(key), &pinned_);
  if (s.IsNotFound()) {
    *found = false;
    return Status::OK();
  }
  if (!s.ok()) return FromRocks(s, "reading the database");
  *found = true;
  value->assign(pinned_.data(), pinned_.size());
  return Status::OK();
}

std::unique_ptr<KvIter> SnapshotSource::Scan(Cf cf, std::string lower, std::string upper) {
  // Without a snapshot (a read of the latest state) an iterator is not reusable across reads; a bulk
  // read makes few scans, each long.
  // An adjacency scan from inside a list positions itself (AdjIter::Seek).
  const bool seek = !(cf == Cf::kAdj && lower.size() > layout::kAdjListKeyBytes);
  std::unique_ptr<RawIter> it;
  if (!snapshot_ || bulk_) {
    it = std::make_unique<RocksIter>(db_, (*cfs_)[static_cast<int>(cf)], snapshot_, lower, upper, nullptr,
                                     bulk_, seek);
  } else {
    it = std::make_unique<PooledIter>(pool_, cf, Borrow(cf), lower, upper, seek);
  }
  if (cf == Cf::kAdj) return std::make_unique<AdjIter>(std::move(it), lower, std::move(upper));
  return it;
}

Status BatchSource::Get(Cf cf, std::string_view key, std::string* value, bool* found) {
  if (cf == Cf::kAdj) {
    RocksIter it(db_, (*cfs_)[static_cast<int>(cf)], snapshot_, "", "", batch_, false, /*seek=*/false);
    return GetAdj(&it, key, value, found, nullptr);
  }
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  rocksdb::Status s = batch_->GetFromBatchAndDB(db_, ro, (*cfs_)[static_cast<int>(cf)], ToSlice(key), value);
  if (s.IsNotFound()) {
    *found = false;
    return Status::OK();
  }
  if (!s.ok()) return FromRocks(s, "reading the database");
  *found = true;
  return Status::OK();
}

Result<bool> BatchSource::AdjListHasChunks(std::string_view list) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  std::string value;
  rocksdb::Status s =
      batch_->GetFromBatchAndDB(db_, ro, (*cfs_)[static_cast<int>(Cf::kAdj)], ToSlice(list), &value);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return FromRocks(s, "reading the database");
  return true;
}

std::unique_ptr<KvIter> BatchSource::Scan(Cf cf, std::string lower, std::string upper) {
  const bool seek = !(cf == Cf::kAdj && lower.size() > layout::kAdjListKeyBytes);  // as above
  auto it = std::make_unique<RocksIter>(db_, (*cfs_)[static_cast<int>(cf)], snapshot_, lower, upper, batch_,
                                        false, seek);
  if (cf == Cf::kAdj) return std::make_unique<AdjIter>(std::move(it), lower, std::move(upper));
  return it;
}

bool Overlay::Hides(Cf cf, std::string_view key, std::string_view value) const {
  auto id_at = [&](size_t offset) { return layout::GetU64(key.data() + offset); };
  switch (cf) {
    case Cf::kNodeKey:
      return value.size() == 8 && changed_nodes.count(layout::GetU64(value.data()));
    case Cf::kNode:
      return key.size() == 8 && changed_nodes.count(id_at(0));
    case Cf::kLabel:
      return key.size() == 12 && changed_nodes.count(id_at(4));
    case Cf::kAdj:
      return key.size() == layout::kAdjKeyBytes && changed_rels.count(id_at(21));
    case Cf::kPropIdx:
    case Cf::kTime:
      return key.size() >= 8 && changed_nodes.count(id_at(key.size() - 8));
    default:
      return false;
  }
}

namespace {

// The past: a snapshot's entries, minus those of changed entities, merged in key order with the
// overlay's entries for them.
class PastIter final : public KvIter {
 public:
  PastIter(std::unique_ptr<KvIter> base, Cf cf, const Overlay* overlay, std::string lower, std::string upper)
      : base_(std::move(base)), cf_(cf), overlay_(overlay), upper_(std::move(upper)) {
    const auto& m = overlay_->entries[static_cast<int>(cf_)];
    extra_end_ = upper_.empty() ? m.end() : m.lower_bound(upper_);
    extra_ = m.lower_bound(lower);
    SkipHidden();
    Pick();
  }

  bool Valid() const override { return from_base_ ? base_->Valid() : extra_ != extra_end_; }
  void Next() override {
    if (from_base_) {
      base_->Next();
      SkipHidden();
    } else {
      ++extra_;
    }
    Pick();
  }
  void Seek(std::string_view target) override {
    base_->Seek(target);
    SkipHidden();
    const auto& m = overlay_->entries[static_cast<int>(cf_)];
    extra_ = m.lower_bound(target);
    if (!upper_.empty() && extra_ != m.end() && extra_->first >= upper_) extra_ = extra_end_;
    Pick();
  }
  std::string_view key() const override {
    return from_base_ ? base_->key() : std::string_view(extra_->first);
  }
  std::string_view value() const override {
    return from_base_ ? base_->value() : std::string_view(extra_->second);
  }
  Status status() const override { return base_->status(); }

 private:
  void SkipHidden() {
    while (base_->Valid() && overlay_->Hides(cf_, base_->key(), base_->value())) base_->Next();
  }
  void Pick() {
    bool extra_valid = extra_ != extra_end_;
    if (!base_->Valid()) {
      from_base_ = false;
    } else if (!extra_valid) {
      from_base_ = true;
    } else {
      from_base_ = base_->key() < std::string_view(extra_->first);
    }
  }
  std::unique_ptr<KvIter> base_;
  Cf cf_;
  const Overlay* overlay_;
  std::string upper_;
  std::map<std::string, std::string, std::less<>>::const_iterator extra_, extra_end_;
  bool from_base_ = false;
};

}  // namespace

Status PastSource::Get(Cf cf, std::string_view key, std::string* value, bool* found) {
  const auto& m = overlay_->entries[static_cast<int>(cf)];
  if (auto it = m.find(key); it != m.end()) {
    *found = true;
    *value = it->second;
    return Status::OK();
  }
  RETURN_IF_ERROR(base_->Get(cf, key, value, found));
  if (*found && overlay_->Hides(cf, key, *value)) {
    *found = false;
  }
  return Status::OK();
}

std::unique_ptr<KvIter> PastSource::Scan(Cf cf, std::string lower, std::string upper) {
  auto base = base_->Scan(cf, lower, upper);
  return std::make_unique<PastIter>(std::move(base), cf, overlay_.get(), std::move(lower), std::move(upper));
}

}  // namespace lodestone::internal
