#include "store/topology.h"

#include <algorithm>
#include <cstdint>

#include "store/key_codec.h"
#include "store/record.h"
#include "util/big_memory.h"
#include "util/parallel.h"
#include "util/sharded_index.h"
#include "util/task_queue.h"

namespace lodestone::internal {
namespace {

// A scan of each block once (KvSource::ForkForBulkRead: the blocks stay out of the block cache), on a
// source of its own; through `source` itself when it cannot fork.
struct BulkScan {
  BulkScan(KvSource* source, Cf cf, std::string lower = {}, std::string upper = {})
      : fork(source->ForkForBulkRead()),
        iter((fork ? fork.get() : source)->Scan(cf, std::move(lower), std::move(upper))) {}
  std::unique_ptr<KvSource> fork;  // first: it outlives the iterator
  std::unique_ptr<KvIter> iter;
};

}  // namespace

const std::vector<uint64_t>* TopologyCache::LabelBits(LabelId label, KvSource* source) {
  {
    std::lock_guard lock(mu_);
    auto it = labels_.find(label);
    if (it != labels_.end()) return it->second.get();  // null: tried and failed
  }
  // Built outside the lock, so that the scan holds up no other reader (the warming thread builds
  // every label's); two readers that race both build, and the first to finish is kept.
  const size_t bytes = (node_bound_ / 64 + 1) * 8;
  auto build = [&]() -> std::unique_ptr<std::vector<uint64_t>> {
    if (Over(bytes)) return nullptr;
    auto bits = std::make_unique<std::vector<uint64_t>>(node_bound_ / 64 + 1, 0);
    std::string prefix = layout::LabelPrefix(label);
    auto iter = source->Scan(Cf::kLabel, prefix, layout::PrefixSuccessor(prefix));
    for (; iter->Valid(); iter->Next()) {
      std::string_view k = iter->key();
      if (k.size() != 12) continue;
      NodeId id = layout::GetU64(k.data() + 4);
      if (id >= node_bound_) return nullptr;  // a node newer than the cache's bound: do not guess
      (*bits)[id / 64] |= uint64_t{1} << (id % 64);
    }
    if (!iter->status().ok()) return nullptr;
    return bits;
  };
  auto bits = build();
  std::lock_guard lock(mu_);
  auto [it, inserted] = labels_.emplace(label, std::move(bits));
  if (inserted && it->second) used_ += bytes;
  return it->second.get();
}

const LabelMembers* TopologyCache::Members(LabelId label, KvSource* source) {
  std::lock_guard lock(mu_);
  auto it = members_.find(label);
  if (it != members_.end()) return it->second.get();
  auto m = std::make_unique<LabelMembers>();
  std::string prefix = layout::LabelPrefix(label);
  auto iter = source->Scan(Cf::kLabel, prefix, layout::PrefixSuccessor(prefix));
  size_t bytes = 0;
  bool any_validity = false;
  for (; iter->Valid(); iter->Next()) {
    std::string_view k = iter->key(), v = iter->value();
    if (k.size() != 12) continue;
    m->ids.push_back(layout::GetU64(k.data() + 4));
    Validity validity;
    if (!v.empty() && !codec::DecodeValidity(&v, &validity)) {
      members_.emplace(label, nullptr);
      return nullptr;
    }
    bytes += 8 + 24 + validity.size() * sizeof(Period);
    if (!validity.empty()) any_validity = true;
    m->validity.push_back(std::move(validity));
    if (used_.load() + bytes > budget_) {
      members_.emplace(label, nullptr);
      return nullptr;
    }
  }
  if (!iter->status().ok()) {
    members_.emplace(label, nullptr);
    return nullptr;
  }
  if (!any_validity) {
    m->validity.clear();
    m->validity.shrink_to_fit();
  }
  used_ += bytes;
  auto* out = m.get();
  members_.emplace(label, std::move(m));
  return out;
}

const ReadView::ValidityIndex* TopologyCache::Validities(LabelId label, KvSource* source) {
  const LabelMembers* members = Members(label, source);
  std::lock_guard lock(mu_);
  auto it = validities_.find(label);
  if (it != validities_.end()) return it->second.get();
  if (!members) {
    validities_.emplace(label, nullptr);
    return nullptr;
  }
  auto index = std::make_unique<ReadView::ValidityIndex>();
  size_t bytes = 0;
  for (size_t i = 0; i < members->ids.size(); ++i) {
    if (members->validity.empty() || members->validity[i].empty()) {
      ++index->always;
      continue;
    }
    const Validity& v = members->validity[i];
    if (v.size() > 1) {
      index->others.emplace_back(members->ids[i], v);
      bytes += 40 + v.size() * sizeof(Period);
      continue;
    }
    // The latest day the period may start, and the first day it is certainly over.
    int64_t latest_start = v[0].from ? int64_t{v[0].from->end_day()} - 1 : INT64_MIN;
    int64_t earliest_end = v[0].to ? int64_t{v[0].to->start_day()} : INT64_MAX;
    if (latest_start >= earliest_end) continue;
    index->by_start.emplace_back(latest_start, earliest_end);
    index->ends.push_back(earliest_end);
    bytes += 24;
  }
  if (used_.load() + bytes > budget_) {
    validities_.emplace(label, nullptr);
    return nullptr;
  }
  std::sort(index->by_start.begin(), index->by_start.end());
  std::sort(index->ends.begin(), index->ends.end());
  used_ += bytes;
  auto* out = index.get();
  validities_.emplace(label, std::move(index));
  return out;
}

const TimeIndex* TopologyCache::Times(KvSource* source) {
  if (!Ensure(&times_once_, !warmed_, [&] { return BuildTimes(source); })) return nullptr;
  return &times_;
}

bool TopologyCache::BuildTimes(KvSource* source) {
  TimeIndex t;
  BulkScan scan(source, Cf::kTime);
  for (auto& iter = scan.iter; iter->Valid(); iter->Next()) {
    std::string_view k = iter->key();
    if (k.size() != layout::kDateBytes + 8) return false;
    t.entries.push_back({layout::GetDateOrdered(k.data()), layout::GetU64(k.data() + layout::kDateBytes)});
    if (t.entries.size() % 4096 == 0 && Over(t.entries.size() * sizeof(TimeEntry))) return false;
  }
  const size_t bytes = t.entries.size() * sizeof(TimeEntry) + node_bound_ * sizeof(uint32_t);
  if (!scan.iter->status().ok() || t.entries.size() >= TimeIndex::kUndated || Over(bytes)) return false;
  t.position.assign(node_bound_, TimeIndex::kUndated);
  for (size_t i = 0; i < t.entries.size(); ++i) {
    NodeId n = t.entries[i].node;
    if (n >= node_bound_) return false;  // a node newer than the cache's bound: do not guess
    t.position[n] = static_cast<uint32_t>(i);
  }
  used_ += bytes;
  util::CollapseArrayToHugePages(t.entries);
  util::CollapseArrayToHugePages(t.position);
  times_ = std::move(t);
  return true;
}

bool TopologyCache::IndexEquals(LabelId label, PropKeyId key, std::string_view encoded_value,
                                KvSource* source, const std::vector<NodeId>** ids) {
  static const std::vector<NodeId> kNone;
  std::lock_guard lock(mu_);
  auto& slot = indexes_[uint64_t{label} << 32 | key];
  if (!slot) {
    slot = std::make_unique<IndexMap>();
    std::string prefix = layout::PropIdxPrefix(label, key);
    auto iter = source->Scan(Cf::kPropIdx, prefix, layout::PrefixSuccessor(prefix));
    size_t bytes = 0;
    slot->ok = true;
    for (; iter->Valid(); iter->Next()) {
      std::string_view k = iter->key();
      if (k.size() < prefix.size() + 8) {
        slot->ok = false;
        break;
      }
      std::string_view value = k.substr(prefix.size(), k.size() - prefix.size() - 8);
      auto it = slot->by_value.find(value);
      if (it == slot->by_value.end())
        it = slot->by_value.emplace(std::string(value), std::vector<NodeId>{}).first;
      it->second.push_back(layout::GetU64(k.data() + k.size() - 8));
      bytes += value.size() + 56;
      if (used_.load() + bytes > budget_) {
        slot->ok = false;
        break;
      }
    }
    if (!iter->status().ok()) slot->ok = false;
    if (slot->ok) {
      used_ += bytes;
    } else {
      slot->by_value.clear();
    }
  }
  if (!slot->ok) return false;
  auto it = slot->by_value.find(encoded_value);
  *ids = it == slot->by_value.end() ? &kNone : &it->second;
  return true;
}

bool KeyIndex::Append(std::string_view key, NodeId id) {
  if (bytes_.size() + key.size() > UINT32_MAX || ids_.size() + 1 >= kEmpty) return false;
  bytes_.append(key);
  starts_.push_back(static_cast<uint32_t>(bytes_.size()));
  ids_.push_back(id);
  return true;
}

size_t KeyIndex::Slots(size_t keys) {
  size_t n = 16;
  while (n < 2 * keys) n *= 2;
  return n;
}

size_t KeyIndex::TableBytes(size_t keys) { return Slots(keys) * 4; }

void KeyIndex::Finish() {
  slots_.assign(Slots(ids_.size()), kEmpty);
  const size_t mask = slots_.size() - 1;
  for (size_t k = 0; k < ids_.size(); ++k) {
    size_t i = util::HashKey(Key(k)) & mask;
    while (slots_[i] != kEmpty) i = (i + 1) & mask;
    slots_[i] = static_cast<uint32_t>(k);
  }
  util::CollapseArrayToHugePages(bytes_);
  util::CollapseArrayToHugePages(starts_);
  util::CollapseArrayToHugePages(ids_);
  util::CollapseArrayToHugePages(slots_);
}

std::optional<NodeId> KeyIndex::Find(std::string_view key) const {
  if (slots_.empty()) return std::nullopt;
  const size_t mask = slots_.size() - 1;
  for (size_t i = util::HashKey(key) & mask; slots_[i] != kEmpty; i = (i + 1) & mask) {
    if (Key(slots_[i]) == key) return ids_[slots_[i]];
  }
  return std::nullopt;
}

template <typename Build>
bool TopologyCache::Ensure(Once* part, bool build_here, Build&& build) {
  if (part->ready.load(std::memory_order_acquire)) return part->ok;
  if (!build_here) return false;
  std::lock_guard lock(part->mu);
  if (!part->tried) {
    part->tried = true;
    part->ok = !abandoned() && build();
    part->ready.store(true, std::memory_order_release);
  }
  return part->ok;
}

void TopologyCache::Warm(KvSource* source, const std::vector<LabelId>& labels) {
  // Keys first: nearly every statement starts by finding a node by its key.
  Ensure(&keys_once_, true, [&] { return BuildKeys(source); });
  Ensure(&adjacency_once_, true, [&] { return BuildAdjacency(source); });
  Ensure(&times_once_, true, [&] { return BuildTimes(source); });
  for (LabelId label : labels) {
    if (abandoned()) return;
    LabelBits(label, source);
  }
}

bool TopologyCache::FindKey(std::string_view key, KvSource* source, std::optional<NodeId>* id) {
  if (!Ensure(&keys_once_, !warmed_, [&] { return BuildKeys(source); })) return false;
  *id = keys_.Find(key);
  return true;
}

bool TopologyCache::BuildKeys(KvSource* source) {
  if (WontFit(estimates_.keys, kMinKeyBytes)) return false;
  // The index is built by appending, then its table in one pass: at 10M relationships (3.75M keys) a
  // hash map, with an allocation per key, took 3.7 s to build.
  KeyIndex index;
  BulkScan scan(source, Cf::kNodeKey);
  size_t n = 0;
  for (auto& iter = scan.iter; iter->Valid(); iter->Next()) {
    std::string_view k = iter->key(), v = iter->value();
    if (!k.empty() && k[0] == '\0') continue;  // keys of deleted nodes, kept for history
    if (v.size() != 8 || !index.Append(k, layout::GetU64(v.data()))) return false;
    if (++n % 4096 == 0 && Over(index.Bytes())) return false;
  }
  if (!scan.iter->status().ok() || Over(index.Bytes() + KeyIndex::TableBytes(n))) return false;
  index.Finish();
  used_ += index.Bytes();
  keys_ = std::move(index);
  return true;
}

const Csr* TopologyCache::Adjacency(RelTypeId type, layout::Direction dir, KvSource* source) {
  static const Csr kNone;
  if (!Ensure(&adjacency_once_, !warmed_, [&] { return BuildAdjacency(source); })) return nullptr;
  auto it = adjacency_.find(uint64_t{type} << 1 | static_cast<uint64_t>(dir));
  return it == adjacency_.end() ? &kNone : it->second.get();
}

bool TopologyCache::BuildAdjacency(KvSource* source) {
  if (WontFit(estimates_.adj_entries, kMinAdjEntryBytes)) return false;
  // The adjacency family is ordered by node, then direction, then type. It is read in shards of the
  // node ids, by as many threads as there are cores, each shard with its own iterator on the same
  // snapshot: reading and decoding 20.6M entries (10M relationships) is what the build costs. Each
  // shard appends its entries per (type, direction) in node order and counts each node's entries
  // into that (type, direction)'s offsets (the shards' nodes are disjoint); the shards' entries are
  // then joined in shard order. A source that cannot fork is read by this thread alone.
  const size_t threads = source->ForkForBulkRead() ? util::ThreadsFor(estimates_.adj_entries, 0, 8) : 1;
  const size_t shards = threads == 1 ? 1 : threads * 8;
  struct Entry {
    NodeId other;
    RelId rel;
  };
  struct Group {  // one shard's entries of one (type, direction)
    uint64_t key;
    util::Chunked<Entry> entries;
  };
  std::vector<std::vector<Group>> parts(shards);
  std::mutex csrs_mu;
  std::unordered_map<uint64_t, std::unique_ptr<Csr>> csrs;
  std::atomic<size_t> bytes{0};
  std::atomic<bool> failed{false};
  // The offsets of a (type, direction), made on first sight.
  auto offsets_of = [&](uint64_t key) {
    std::lock_guard lock(csrs_mu);
    auto& csr = csrs[key];
    if (!csr) {
      csr = std::make_unique<Csr>();
      csr->offsets.assign(node_bound_ + 1, 0);
      bytes += csr->offsets.size() * 4;
    }
    return csr->offsets.data();
  };
  auto read_shard = [&](size_t s) {
    std::vector<Group>& groups = parts[s];
    const NodeId lo = node_bound_ * s / shards, hi = node_bound_ * (s + 1) / shards;
    // The last shard is unbounded above, so that an entry of a node past the bound is seen.
    BulkScan scan(source, Cf::kAdj, s == 0 ? std::string() : layout::AdjPrefix(lo),
                  s + 1 == shards ? std::string() : layout::AdjPrefix(hi));
    uint64_t last = UINT64_MAX;
    Group* g = nullptr;
    uint32_t* counts = nullptr;
    size_t n = 0;
    for (auto& iter = scan.iter; iter->Valid() && !failed.load(std::memory_order_relaxed); iter->Next()) {
      std::string_view k = iter->key();
      if (k.size() != layout::kAdjKeyBytes) return false;
      layout::AdjKey a = layout::DecodeAdjKey(k);
      if (a.node >= node_bound_) return false;
      const uint64_t key = uint64_t{a.type} << 1 | static_cast<uint64_t>(a.dir);
      if (key != last) {
        auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& x) { return x.key == key; });
        g = it != groups.end() ? &*it : &groups.emplace_back(Group{key, {}});
        counts = offsets_of(key);
        last = key;
      }
      g->entries.Add({a.other, a.rel});
      ++counts[a.node + 1];
      if (++n % 4096 == 0) {
        bytes += 4096 * 16;
        if (Over(bytes.load())) return false;
      }
    }
    bytes += n % 4096 * 16;
    return scan.iter->status().ok() && !Over(bytes.load());
  };
  util::TaskQueue queue;
  for (size_t s = 0; s < shards; ++s) {
    queue.Add(1, [&, s] {
      if (!failed.load() && !read_shard(s)) failed.store(true);
    });
  }
  queue.Run(threads);
  if (failed.load()) return false;
  for (auto& [key, csr] : csrs) {
    size_t total = 0;
    for (auto& groups : parts)
      for (Group& g : groups)
        if (g.key == key) total += g.entries.size();
    if (total > UINT32_MAX) return false;
    csr->other.resize(total);
    csr->rel.resize(total);
    size_t at = 0;
    for (auto& groups : parts) {
      for (Group& g : groups) {
        if (g.key != key) continue;
        Csr* out = csr.get();  // a lambda cannot name a structured binding (C++20, clang 14)
        g.entries.ForEach([&](const Entry& e) {
          out->other[at] = e.other;
          out->rel[at++] = e.rel;
        });
        g.entries.Release();  // freed as soon as it is joined
      }
    }
    for (size_t i = 1; i < csr->offsets.size(); ++i) csr->offsets[i] += csr->offsets[i - 1];
  }
  size_t total = 0;
  for (auto& [key, csr] : csrs) total += csr->Bytes();
  if (Over(total)) return false;
  used_ += total;
  for (auto& [key, csr] : csrs) {
    util::CollapseArrayToHugePages(csr->offsets);
    util::CollapseArrayToHugePages(csr->other);
    util::CollapseArrayToHugePages(csr->rel);
  }
  adjacency_ = std::move(csrs);
  return true;
}

}  // namespace lodestone::internal
