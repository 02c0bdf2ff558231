// The on-disk layout of a Lodestone database: every column family, every key, every value.
// This header is the one home of these facts; docs/storage-format.md explains them with diagrams.
//
// DO NOT CHANGE any name, tag or byte order here without raising kFormatVersion: databases written
// by earlier builds depend on them.
//
// Conventions:
//   u64/u32   big-endian unsigned, so that byte order is numeric order
//   i32/i64   big-endian with the sign bit flipped, so that byte order is numeric order
//   varint    LEB128 (values only, never in keys that must sort)
//   ~rt       the bitwise complement of a record time, so that newer versions sort first
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/value.h"

namespace lodestone::layout {

// Raised whenever any layout below changes. Checked on open; an unknown version is refused.
//   1  the first format.
//   2  no subject_time family (each entity's timeline is read from its adjacency and its neighbours'
//      dates). A format-1 database is upgraded on its first open that may write: the version is raised,
//      then the family is dropped. Opens that only read accept format 1 as it is.
//   3  adjacency chunks (below, at adj). A format-2 database is a format-3 database without chunks:
//      its first open that may write raises the version and changes nothing else.
inline constexpr uint32_t kFormatVersion = 3;
// The oldest format this build opens.
inline constexpr uint32_t kOldestFormatVersion = 1;

// Column families. "default" holds the meta keys.
inline constexpr const char* kCfMeta = "default";
inline constexpr const char* kCfCatalog = "catalog";
inline constexpr const char* kCfNodeKey = "node_key";
inline constexpr const char* kCfNode = "node";
inline constexpr const char* kCfLabel = "label";
inline constexpr const char* kCfAdj = "adj";
inline constexpr const char* kCfPropIdx = "prop_idx";
inline constexpr const char* kCfTime = "time";
inline constexpr const char* kCfHistory = "history";
inline constexpr const char* kCfLog = "log";
// Format 1's per-entity timelines (u64 subject | date | u64 dated node | u64 rel -> u32 type | u8 dir);
// dropped by the upgrade to format 2 and never read.
inline constexpr const char* kCfRetiredSubjectTime = "subject_time";

// The column families by number, in the order they are opened.
enum class Cf : int {
  kMeta = 0,
  kCatalog,
  kNodeKey,
  kNode,
  kLabel,
  kAdj,
  kPropIdx,
  kTime,
  kHistory,
  kLog,
  kCount,
};
inline constexpr int kCfCount = static_cast<int>(Cf::kCount);
inline constexpr const char* CfName(Cf cf) {
  constexpr std::array<const char*, kCfCount> kNames = {kCfMeta, kCfCatalog, kCfNodeKey, kCfNode,    kCfLabel,
                                                        kCfAdj,  kCfPropIdx, kCfTime,    kCfHistory, kCfLog};
  return kNames[static_cast<size_t>(cf)];
}

// meta: ASCII name -> value
inline constexpr std::string_view kMetaFormatVersion = "format_version";     // decimal text, e.g. "1"
inline constexpr std::string_view kMetaNextNodeId = "next_node_id";          // u64
inline constexpr std::string_view kMetaNextRelId = "next_rel_id";            // u64
inline constexpr std::string_view kMetaLastRecordTime = "last_record_time";  // u64 micros
// The dated property's name (StoreOptions::dated_property); absent in databases created before it
// was an option, which use "date".
inline constexpr std::string_view kMetaDatedProperty = "dated_property";
// Meta names of the layers above the store start with this (WriteTxn::PutMeta, BulkLoad::PutMeta).
inline constexpr std::string_view kAppMetaPrefix = "app.";
inline bool IsAppMetaName(std::string_view name) {
  return name.size() > kAppMetaPrefix.size() && name.size() <= 64 &&
         name.substr(0, kAppMetaPrefix.size()) == kAppMetaPrefix;
}

// catalog:
//   'L' name -> u32 label id          'T' name -> u32 relationship type id
//   'P' name -> u32 property key id   'I' u32 label, u32 key -> u8 Value::Kind (a declared index)
inline constexpr char kCatalogLabel = 'L';
inline constexpr char kCatalogRelType = 'T';
inline constexpr char kCatalogPropKey = 'P';
inline constexpr char kCatalogIndex = 'I';

// Relationship direction as seen from the node a key starts with.
enum class Direction : uint8_t { kOut = 0, kIn = 1 };

// history: which kind of entity a version belongs to.
inline constexpr char kHistoryNode = 'N';
inline constexpr char kHistoryRel = 'R';

// Fixed widths of key parts, used to slice keys.
inline constexpr size_t kIdBytes = 8;
inline constexpr size_t kCatalogIdBytes = 4;
inline constexpr size_t kDateBytes = 5;  // i32 start day + u8 precision

// ---- integer and date pieces ----
void PutU32(std::string* dst, uint32_t v);
void PutU64(std::string* dst, uint64_t v);
void PutI64Ordered(std::string* dst, int64_t v);
void PutDateOrdered(std::string* dst, Date d);
uint32_t GetU32(const char* p);
uint64_t GetU64(const char* p);
int64_t GetI64Ordered(const char* p);
Date GetDateOrdered(const char* p);
// Whether a decoded date may start on this day: no date written starts further than 2^30 days from
// 1970-01-01 (a date-time's int64 micros reach about 1.07e8 days), so the decoders refuse more as
// damage; near int32's ends computing the end of a date's period would overflow.
bool PlausibleDateStart(int64_t day);

// The smallest and largest encodable dates, for open-ended time ranges.
Date MinDate();
Date MaxDate();

// ---- keys ----

// node: u64 node id
std::string NodeKey(NodeId id);

// label: u32 label | u64 node -> validity (see record.h), empty when always valid
std::string LabelKey(LabelId label, NodeId node);
std::string LabelPrefix(LabelId label);

// adj: u64 node | u8 dir | u32 type | u64 other | u64 rel
//   out entries hold the relationship record (record.h); in entries are empty.
struct AdjKey {
  NodeId node;
  Direction dir;
  RelTypeId type;
  NodeId other;
  RelId rel;
};
inline constexpr size_t kAdjKeyBytes = 8 + 1 + 4 + 8 + 8;
std::string EncodeAdjKey(const AdjKey& k);
// The same bytes without allocating, for code that makes many keys (bulk loading).
using AdjKeyBytes = std::array<char, kAdjKeyBytes>;
AdjKeyBytes EncodeAdjKeyBytes(const AdjKey& k);
AdjKey DecodeAdjKey(std::string_view key);  // key.size() must be kAdjKeyBytes
std::string AdjPrefix(NodeId node);
std::string AdjPrefix(NodeId node, Direction dir);
std::string AdjPrefix(NodeId node, Direction dir, RelTypeId type);
std::string AdjPrefix(NodeId node, Direction dir, RelTypeId type, NodeId other);

// adj also holds chunks (format 3): up to kAdjChunkMaxEntries entries of one node's list (one
// direction and type) under one key, as bulk loads write them:
//   u64 node | u8 dir | u32 type                                the list's first chunk
//   u64 node | u8 dir | u32 type | u64 other | u64 rel | 'C'    a later one, keyed by its first entry
// -> the chunk (record.h, AppendAdjChunk). Each sorts just before the entries it holds, so a forward
// scan meets a chunk before the entry keys that fall among its entries. An entry key (above), as
// transactions write them, stands for the chunk's entry of the same key: its value replaces the
// chunk's, and kAdjTombstone deletes it. Readers see only entries (kv.h: chunks are expanded there).
inline constexpr size_t kAdjListKeyBytes = 8 + 1 + 4;
inline constexpr size_t kAdjChunkKeyBytes = kAdjKeyBytes + 1;
inline constexpr char kAdjChunkTag = 'C';
inline constexpr size_t kAdjChunkMaxEntries = 64;
// Not an encoded relationship record (an unfinished varint) and not empty (an incoming entry).
inline constexpr std::string_view kAdjTombstone = "\xff";
enum class AdjKeyKind { kEntry, kFirstChunk, kLaterChunk, kMalformed };
AdjKeyKind ClassifyAdjKey(std::string_view key);
// The key of a chunk whose first entry is `first`: the list's key, or a later chunk's.
std::string AdjChunkKey(const AdjKey& first, bool first_of_list);
// The list an adjacency key (an entry's or a chunk's) belongs to: its first kAdjListKeyBytes.
inline std::string_view AdjListOf(std::string_view key) { return key.substr(0, kAdjListKeyBytes); }
// Whether an adjacency key of any kind is of an outgoing list.
inline bool AdjKeyIsOutgoing(std::string_view key) { return key[8] == static_cast<char>(Direction::kOut); }
// The entry key of (other, rel) in the list `list` (a list key).
AdjKeyBytes EncodeAdjKeyBytes(std::string_view list, NodeId other, RelId rel);

// prop_idx: u32 label | u32 key | ordered value | u64 node -> empty
std::string PropIdxPrefix(LabelId label, PropKeyId key);
// Appends the order-preserving encoding of a property value. Only scalar kinds are indexable
// (bool, int, float, string, date, datetime); returns false for others.
//   bool: u8 0|1            int: i64             float: u64 of the IEEE bits, negatives inverted,
//   date: i32 start | u8 precision               datetime: i64 micros
//   string: bytes with 0x00 escaped as 0x00 0xFF, terminated by 0x00 0x01
bool AppendOrderedValue(std::string* dst, const Value& v);
// Decodes one ordered value of the given kind from the front of `in`, advancing it. Returns false on
// malformed bytes.
bool DecodeOrderedValue(Value::Kind kind, std::string_view* in, Value* out);

// time: date(5) | u64 node -> varint label ids
std::string TimeKey(Date date, NodeId node);

// history: u8 kind | u64 id | ~u64 version record time -> u64 end record time | entity bytes
//   nodes: the node record; relationships: u64 src | u32 type | u64 dst | the relationship record.
std::string HistoryKey(char kind, uint64_t id, uint64_t record_time);
std::string HistoryPrefix(char kind, uint64_t id);

// log: u64 record time -> the change record of the write batch committed at that time (record.h)
std::string LogKey(uint64_t record_time);

// The smallest key greater than every key starting with `prefix` (the prefix's successor), for
// iterate_upper_bound. Empty when no such key exists (prefix all 0xFF).
std::string PrefixSuccessor(std::string_view prefix);

}  // namespace lodestone::layout
