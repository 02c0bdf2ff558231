#include "store/kv.h"

#include "store/key_codec.h"

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

// A RocksDB iterator with its bounds, which must outlive it.
class RocksIter final : public KvIter {
 public:
  RocksIter(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, const rocksdb::Snapshot* snapshot,
            std::string lower, std::string upper, rocksdb::WriteBatchWithIndex* batch, bool bulk = false)
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
    Seek(lower_);
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
class PooledIter final : public KvIter {
 public:
  PooledIter(std::shared_ptr<SnapshotSource::Pool> pool, Cf cf, std::unique_ptr<rocksdb::Iterator> it,
             std::string lower, std::string upper)
      : pool_(std::move(pool)), cf_(cf), it_(std::move(it)), upper_(std::move(upper)) {
    Seek(lower);
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
  if (!snapshot_ || bulk_) {
    return std::make_unique<RocksIter>(db_, (*cfs_)[static_cast<int>(cf)], snapshot_, std::move(lower),
                                       std::move(upper), nullptr, bulk_);
  }
  return std::make_unique<PooledIter>(pool_, cf, Borrow(cf), std::move(lower), std::move(upper));
}

Status BatchSource::Get(Cf cf, std::string_view key, std::string* value, bool* found) {
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

std::unique_ptr<KvIter> BatchSource::Scan(Cf cf, std::string lower, std::string upper) {
  return std::make_unique<RocksIter>(db_, (*cfs_)[static_cast<int>(cf)], snapshot_, std::move(lower),
                                     std::move(upper), batch_);
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
