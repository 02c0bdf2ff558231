// Records: the values stored under node, adj (out entries), label, history and log keys.
// Layouts are described in key_codec.h's conventions and in docs/storage-format.md.
//
// DO NOT CHANGE an encoding without raising layout::kFormatVersion.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/status.h"
#include "store/value.h"

namespace lodestone {

// A half-open period of valid time [from, to); a missing end is unbounded.
struct Period {
  std::optional<Date> from;
  std::optional<Date> to;
  friend bool operator==(const Period&, const Period&) = default;
};

// When a fact holds in the world: a list of periods, in order. Empty means always.
using Validity = std::vector<Period>;

// Properties by key id, sorted by id; a property set to null is absent.
using PropertyList = std::vector<std::pair<PropKeyId, Value>>;

const Value* FindProperty(const PropertyList& props, PropKeyId key);
// Sets (or with a null value, removes) one property, keeping the list sorted.
void SetProperty(PropertyList* props, PropKeyId key, Value value);

struct NodeRecord {
  uint64_t record_time = 0;     // when this version was recorded (micros since the epoch)
  std::string key;              // unique user key, e.g. "actor/china"; may be empty
  std::vector<LabelId> labels;  // sorted, unique
  Validity validity;
  PropertyList props;

  bool HasLabel(LabelId l) const;
};

struct RelRecord {
  uint64_t record_time = 0;
  std::string key;  // optional: distinguishes parallel relationships of one type between two nodes
  Validity validity;
  PropertyList props;
};

// The change record of one committed write batch: who or what wrote it, and which entities changed.
struct ChangeRecord {
  std::string origin;         // e.g. "import seed/lodestone-seed.jsonl by alice"
  std::vector<NodeId> nodes;  // sorted, unique
  std::vector<RelId> rels;    // sorted, unique
};

namespace codec {

// Compact (not order-preserving) value encoding: u8 Value::Kind, then
//   bool u8 | int zigzag varint | float 8 bytes little-endian | string varint length + bytes |
//   date zigzag varint start day + u8 precision | datetime zigzag varint micros |
//   list varint count + values | map varint count + (varint length + key bytes + value)...
void AppendValue(std::string* dst, const Value& v);
bool DecodeValue(std::string_view* in, Value* out);
bool SkipValue(std::string_view* in);

void AppendVarint(std::string* dst, uint64_t v);
bool GetVarint(std::string_view* in, uint64_t* v);

// validity: varint n, then n × (optional date from, optional date to);
//   optional date: u8 0 (unbounded) | u8 1, zigzag varint start day, u8 precision
void AppendValidity(std::string* dst, const Validity& v);
bool DecodeValidity(std::string_view* in, Validity* out);

// node record: varint record time | varint length + key | varint n + n × varint label |
//              validity | varint n + n × (varint key id + value)
std::string EncodeNode(const NodeRecord& r);
void AppendNode(std::string* dst, const NodeRecord& r);  // the same bytes, appended
Status DecodeNode(std::string_view bytes, NodeRecord* out);
// Reads one property without decoding the others; false when absent.
Result<bool> FindNodeProperty(std::string_view bytes, PropKeyId key, Value* out);

// relationship record: varint record time | varint length + key | validity | properties as above
std::string EncodeRel(const RelRecord& r);
void AppendRel(std::string* dst, const RelRecord& r);  // the same bytes, appended
Status DecodeRel(std::string_view bytes, RelRecord* out);

// adjacency chunk (format 3; key_codec.h, at adj): the entries of part of one node's list, in key
// order: u8 flags | varint n | [varint record time] | n × entry, where an entry is
//   varint other (the first) or other - the previous other (the rest) |
//   varint rel (the first) or, unless kAdjChunkConsecutiveIds, zigzag varint rel - the previous rel |
//   outgoing chunks only: varint length + the relationship record, without its record time when
//   kAdjChunkOneRecordTime gives it once for every record of the chunk.
inline constexpr uint8_t kAdjChunkConsecutiveIds = 1;  // each rel is the previous one + 1
inline constexpr uint8_t kAdjChunkOneRecordTime = 2;   // outgoing: every record has the time given
struct AdjChunkEntry {
  NodeId other;
  RelId rel;
  std::string_view record;  // outgoing: the encoded RelRecord; incoming: empty
};
// Appends the chunk of `entries` (1 to layout::kAdjChunkMaxEntries, in strictly increasing
// (other, rel) order); the flags follow from them. Refuses what would not decode.
Status AppendAdjChunk(std::string* dst, bool outgoing, std::span<const AdjChunkEntry> entries);
// A decoded chunk. The records point into the chunk's bytes, as stored: Record() makes one whole.
struct AdjChunk {
  uint8_t flags = 0;
  uint64_t record_time = 0;  // with kAdjChunkOneRecordTime
  std::vector<AdjChunkEntry> entries;
  // Entry i's relationship record (outgoing chunks), its time restored into *scratch when needed.
  std::string_view Record(size_t i, std::string* scratch) const;
};
// False when `bytes` is not a chunk of that direction (records are checked when they are decoded).
bool DecodeAdjChunk(std::string_view bytes, bool outgoing, AdjChunk* out);

// change record: varint length + origin | varint n + delta-varint node ids | varint n + delta-varint rel ids
std::string EncodeChange(const ChangeRecord& c);
// The same bytes for a change record whose ids are contiguous ranges, without listing them: node
// ids [first_node, first_node + nodes) and relationship ids [first_rel, first_rel + rels).
std::string EncodeChangeOfRanges(std::string_view origin, NodeId first_node, uint64_t nodes, RelId first_rel,
                                 uint64_t rels);
Status DecodeChange(std::string_view bytes, ChangeRecord* out);

}  // namespace codec
}  // namespace lodestone
