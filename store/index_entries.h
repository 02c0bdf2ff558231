// The entries a node or a relationship implies beside its record: the one home of that rule.
//
// Four writers follow it: the write transaction (store/write_txn.cc), the bulk loader
// (store/bulk_load.cc), the past-view overlay that rebuilds the entries of records as they were
// (store/rocksdb_store.cc) and the store benchmark's raw-RocksDB baseline. Each passes a `put`
// callable, put(Cf, std::string_view key, std::string_view value), and keeps what it needs: a write
// batch, sorted runs for SST files, an in-memory map, a list of puts. The views passed to `put` live
// only for the call.
//
// The keys and values themselves are defined in key_codec.h and record.h; docs/storage-format.md
// draws them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/key_codec.h"
#include "store/record.h"

namespace lodestone::layout {

// The dated property: a node whose property of this name holds a date is in the time index and on its
// neighbours' timelines (ReadView::ScanSubjectTime). A store option, chosen when a database is created
// and kept in its meta (StoreOptions::dated_property).
inline constexpr std::string_view kDefaultDatedProperty = "date";

// The node's date, when `dated_key` (the dated property's id, if the name is known yet) holds one.
inline std::optional<Date> DateOf(const NodeRecord& r, std::optional<PropKeyId> dated_key) {
  if (!dated_key) return std::nullopt;
  const Value* v = FindProperty(r.props, *dated_key);
  if (!v || !v->is_date()) return std::nullopt;
  return v->as_date();
}

// A prop_idx key: u32 label | u32 key | ordered value | u64 node.
inline std::string PropIdxKey(LabelId label, PropKeyId key, const Value& v, NodeId id) {
  std::string k = PropIdxPrefix(label, key);
  k.reserve(64);  // one allocation for the value and the id that follow
  AppendOrderedValue(&k, v);
  PutU64(&k, id);
  return k;
}

// The index entries of node `id` (not its node record):
//   node_key   key -> u64 id, when it has a key
//   label      one per label -> its validity
//   prop_idx   one per indexed (label, property) it has -> empty
//   time       (date, id) -> its labels, when it is dated
// `indexed(label, prop)` says whether (label, prop) has a declared index; `date` is DateOf(r, ...).
template <typename Indexed, typename Put>
void ForEachNodeEntry(NodeId id, const NodeRecord& r, std::optional<Date> date, const Indexed& indexed,
                      Put&& put) {
  if (!r.key.empty()) {
    std::string value;
    PutU64(&value, id);
    put(Cf::kNodeKey, std::string_view(r.key), std::string_view(value));
  }
  std::string validity;
  if (!r.validity.empty()) codec::AppendValidity(&validity, r.validity);
  std::string labels;
  for (LabelId l : r.labels) {
    put(Cf::kLabel, std::string_view(LabelKey(l, id)), std::string_view(validity));
    codec::AppendVarint(&labels, l);
    for (const auto& [k, v] : r.props) {
      if (!indexed(l, k)) continue;
      put(Cf::kPropIdx, std::string_view(PropIdxKey(l, k, v, id)), std::string_view());
    }
  }
  if (date) put(Cf::kTime, std::string_view(TimeKey(*date, id)), std::string_view(labels));
}

// Which end of a relationship an entry's key starts with.
enum class RelEnd : uint8_t { kStart, kEnd };

// The entries of relationship `rel` whose keys start with one of its ends: at the start, the outgoing
// adjacency entry (it holds `record`, the encoded RelRecord); at the end, the incoming one (empty).
template <typename Put>
void ForEachRelEntryAt(const RelRef& rel, RelEnd at, std::string_view record, Put&& put) {
  const bool start = at == RelEnd::kStart;
  const NodeId node = start ? rel.src : rel.dst, other = start ? rel.dst : rel.src;
  AdjKeyBytes adj =
      EncodeAdjKeyBytes({node, start ? Direction::kOut : Direction::kIn, rel.type, other, rel.id});
  put(Cf::kAdj, std::string_view(adj.data(), adj.size()), start ? record : std::string_view());
}

// Every entry of relationship `rel` beside nothing else: those at its start and at its end.
template <typename Put>
void ForEachRelEntry(const RelRef& rel, std::string_view record, Put&& put) {
  ForEachRelEntryAt(rel, RelEnd::kStart, record, put);
  ForEachRelEntryAt(rel, RelEnd::kEnd, record, put);
}

}  // namespace lodestone::layout
