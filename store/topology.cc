#include "store/topology.h"

#include <algorithm>
#include <cstdint>

#include "store/key_codec.h"
#include "store/record.h"

namespace lodestone::internal {

const std::vector<uint64_t>* TopologyCache::LabelBits(LabelId label, KvSource* source) {
  std::lock_guard lock(mu_);
  auto it = labels_.find(label);
  if (it != labels_.end()) return it->second.get();  // null: tried and failed
  size_t bytes = (node_bound_ / 64 + 1) * 8;
  if (used_.load() + bytes > budget_) {
    labels_.emplace(label, nullptr);
    return nullptr;
  }
  auto bits = std::make_unique<std::vector<uint64_t>>(node_bound_ / 64 + 1, 0);
  std::string prefix = layout::LabelPrefix(label);
  auto iter = source->Scan(Cf::kLabel, prefix, layout::PrefixSuccessor(prefix));
  for (; iter->Valid(); iter->Next()) {
    std::string_view k = iter->key();
    if (k.size() != 12) continue;
    NodeId id = layout::GetU64(k.data() + 4);
    if (id >= node_bound_) {
      labels_.emplace(label, nullptr);  // a node newer than the cache's bound: do not guess
      return nullptr;
    }
    (*bits)[id / 64] |= uint64_t{1} << (id % 64);
  }
  if (!iter->status().ok()) {
    labels_.emplace(label, nullptr);
    return nullptr;
  }
  used_ += bytes;
  auto* out = bits.get();
  labels_.emplace(label, std::move(bits));
  return out;
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

const std::vector<TimeEntry>* TopologyCache::Times(KvSource* source) {
  std::lock_guard lock(mu_);
  if (times_tried_) return times_.get();
  times_tried_ = true;
  auto t = std::make_unique<std::vector<TimeEntry>>();
  auto iter = source->Scan(Cf::kTime, "", "");
  for (; iter->Valid(); iter->Next()) {
    std::string_view k = iter->key();
    if (k.size() != layout::kDateBytes + 8) return nullptr;
    t->push_back({layout::GetDateOrdered(k.data()), layout::GetU64(k.data() + layout::kDateBytes)});
    if (used_.load() + t->size() * sizeof(TimeEntry) > budget_) return nullptr;
  }
  if (!iter->status().ok()) return nullptr;
  used_ += t->size() * sizeof(TimeEntry);
  times_ = std::move(t);
  return times_.get();
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

bool TopologyCache::FindKey(std::string_view key, KvSource* source, std::optional<NodeId>* id) {
  if (!keys_ready_.load(std::memory_order_acquire)) {
    std::lock_guard lock(mu_);
    if (!keys_tried_) {
      keys_tried_ = true;
      keys_ok_ = !WontFit(estimates_.keys, kMinKeyBytes) && BuildKeys(source);
      if (!keys_ok_) keys_.clear();
      keys_ready_.store(true, std::memory_order_release);
    }
  }
  if (!keys_ok_) return false;
  auto it = keys_.find(key);
  *id = it == keys_.end() ? std::nullopt : std::optional<NodeId>(it->second);
  return true;
}

bool TopologyCache::BuildKeys(KvSource* source) {
  size_t bytes = 0;
  // Sized once from the estimate: rehashing a growing map walks every node again at each doubling
  // (at 10M relationships, 3.75M keys, building the map took 5.2 s without this and 4.6 s with it).
  keys_.reserve(estimates_.keys);
  auto iter = source->Scan(Cf::kNodeKey, "", "");
  for (; iter->Valid(); iter->Next()) {
    std::string_view k = iter->key(), v = iter->value();
    if (!k.empty() && k[0] == '\0') continue;  // keys of deleted nodes, kept for history
    if (v.size() != 8) return false;
    bytes += k.size() + 48;
    if (used_.load() + bytes > budget_) return false;
    keys_.emplace(std::string(k), layout::GetU64(v.data()));
  }
  if (!iter->status().ok()) return false;
  used_ += bytes;
  return true;
}

const Csr* TopologyCache::Adjacency(RelTypeId type, layout::Direction dir, KvSource* source) {
  if (!adjacency_ready_.load(std::memory_order_acquire)) {
    std::lock_guard lock(mu_);
    if (!adjacency_tried_) {
      adjacency_tried_ = true;
      if (WontFit(estimates_.adj_entries, kMinAdjEntryBytes) || !BuildAdjacency(source)) {
        adjacency_.clear();
        adjacency_failed_ = true;
      }
      adjacency_ready_.store(true, std::memory_order_release);
    }
  }
  auto it = adjacency_.find(uint64_t{type} << 1 | static_cast<uint64_t>(dir));
  return it == adjacency_.end() ? nullptr : it->second.get();
}

bool TopologyCache::BuildAdjacency(KvSource* source) {
  // The adjacency family is ordered by node, then direction, then type: one pass appends every
  // (type, direction)'s entries in node order.
  struct Building {
    std::vector<NodeId> node;
    std::vector<NodeId> other;
    std::vector<RelId> rel;
  };
  std::unordered_map<uint64_t, Building> building;
  size_t bytes = 0;
  auto iter = source->Scan(Cf::kAdj, "", "");
  for (; iter->Valid(); iter->Next()) {
    std::string_view k = iter->key();
    if (k.size() != layout::kAdjKeyBytes) return false;
    layout::AdjKey a = layout::DecodeAdjKey(k);
    if (a.node >= node_bound_) return false;
    Building& b = building[uint64_t{a.type} << 1 | static_cast<uint64_t>(a.dir)];
    b.node.push_back(a.node);
    b.other.push_back(a.other);
    b.rel.push_back(a.rel);
    bytes += 24;
    if (used_.load() + bytes > budget_) return false;
  }
  if (!iter->status().ok()) return false;
  size_t total = 0;
  for (auto& [key, b] : building) {
    auto csr = std::make_unique<Csr>();
    csr->offsets.assign(node_bound_ + 1, 0);
    for (NodeId n : b.node) csr->offsets[n + 1]++;
    for (size_t i = 1; i < csr->offsets.size(); ++i) csr->offsets[i] += csr->offsets[i - 1];
    csr->other = std::move(b.other);
    csr->rel = std::move(b.rel);
    total += csr->Bytes();
    if (used_.load() + total > budget_) return false;
    adjacency_.emplace(key, std::move(csr));
  }
  used_ += total;
  return true;
}

}  // namespace lodestone::internal
