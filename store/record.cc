#include "store/record.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "store/key_codec.h"

namespace lodestone {
const Value* FindProperty(const PropertyList& props, PropKeyId key) {
  auto it = std::lower_bound(props.begin(), props.end(), key,
                             [](const auto& p, PropKeyId k) { return p.first < k; });
  return it != props.end() && it->first == key ? &it->second : nullptr;
}

void SetProperty(PropertyList* props, PropKeyId key, Value value) {
  auto it = std::lower_bound(props->begin(), props->end(), key,
                             [](const auto& p, PropKeyId k) { return p.first < k; });
  bool present = it != props->end() && it->first == key;
  if (value.is_null()) {
    if (present) props->erase(it);
  } else if (present) {
    it->second = std::move(value);
  } else {
    props->insert(it, {key, std::move(value)});
  }
}

bool NodeRecord::HasLabel(LabelId l) const { return std::binary_search(labels.begin(), labels.end(), l); }

namespace codec {
namespace {

// The stored tag of a DateTime with an offset, a named zone or sub-microsecond nanoseconds (kind 6
// keeps the instant alone). Not a Value::Kind: it decodes to kDateTime.
constexpr uint8_t kZonedDateTimeTag = 16;

uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

bool GetBytes(std::string_view* in, std::string_view* out) {
  uint64_t n;
  if (!GetVarint(in, &n) || n > in->size()) return false;
  *out = in->substr(0, n);
  in->remove_prefix(n);
  return true;
}

void AppendBytes(std::string* dst, std::string_view s) {
  AppendVarint(dst, s.size());
  dst->append(s);
}

bool GetU8(std::string_view* in, uint8_t* v) {
  if (in->empty()) return false;
  *v = static_cast<uint8_t>((*in)[0]);
  in->remove_prefix(1);
  return true;
}

void AppendDate(std::string* dst, Date d) {
  AppendVarint(dst, ZigZag(d.start_day()));
  dst->push_back(static_cast<char>(d.precision()));
}

bool DecodeDate(std::string_view* in, Date* d) {
  uint64_t z;
  uint8_t p;
  if (!GetVarint(in, &z) || !GetU8(in, &p) || p > static_cast<uint8_t>(DatePrecision::kYear)) return false;
  int64_t start = UnZigZag(z);
  if (!layout::PlausibleDateStart(start)) return false;
  *d = Date::Containing(static_cast<int32_t>(start), static_cast<DatePrecision>(p));
  // What is written is the first day of the date's period; another day is damage (found by
  // store_decode_fuzz: it decoded to a different date, which did not encode back to these bytes).
  return d->start_day() == start;
}

// Values nest (lists of lists); stored values were checked on the way in, but bytes on disk may be
// damaged, so decoding bounds the depth rather than trusting it.
constexpr int kMaxValueDepth = 64;

bool DecodeValueAt(std::string_view* in, Value* out, int depth) {
  uint8_t tag;
  if (depth > kMaxValueDepth || !GetU8(in, &tag)) return false;
  if (tag == kZonedDateTimeTag) {
    uint64_t micros, sub, offset;
    std::string_view zone;
    if (!GetVarint(in, &micros) || !GetVarint(in, &sub) || sub >= 1000 || !GetVarint(in, &offset) ||
        !GetBytes(in, &zone))
      return false;
    DateTime d{UnZigZag(micros), static_cast<int32_t>(sub), static_cast<int32_t>(UnZigZag(offset)), 0};
    if (!zone.empty()) {
      // A zone the system's tz database no longer knows keeps its offset.
      if (auto id = FindTimeZone(zone)) d.zone = *id;
    }
    *out = Value(d);
    return true;
  }
  switch (static_cast<Value::Kind>(tag)) {
    case Value::Kind::kNull:
      *out = Value();
      return true;
    case Value::Kind::kBool: {
      uint8_t b;
      if (!GetU8(in, &b)) return false;
      *out = Value(b != 0);
      return true;
    }
    case Value::Kind::kInt: {
      uint64_t z;
      if (!GetVarint(in, &z)) return false;
      *out = Value(UnZigZag(z));
      return true;
    }
    case Value::Kind::kFloat: {
      if (in->size() < 8) return false;
      uint64_t bits = 0;
      for (int i = 7; i >= 0; --i)
        bits = (bits << 8) | static_cast<unsigned char>((*in)[static_cast<size_t>(i)]);
      in->remove_prefix(8);
      *out = Value(std::bit_cast<double>(bits));
      return true;
    }
    case Value::Kind::kString: {
      std::string_view s;
      if (!GetBytes(in, &s)) return false;
      *out = Value(s);
      return true;
    }
    case Value::Kind::kDate: {
      Date d;
      if (!DecodeDate(in, &d)) return false;
      *out = Value(d);
      return true;
    }
    case Value::Kind::kDateTime: {
      uint64_t z;
      if (!GetVarint(in, &z)) return false;
      *out = Value(DateTime{UnZigZag(z)});
      return true;
    }
    case Value::Kind::kDuration: {
      uint64_t months, days, seconds, nanos;
      if (!GetVarint(in, &months) || !GetVarint(in, &days) || !GetVarint(in, &seconds) ||
          !GetVarint(in, &nanos) || nanos >= 1'000'000'000)
        return false;
      *out = Value(
          Duration::Of(UnZigZag(months), UnZigZag(days), UnZigZag(seconds), static_cast<int64_t>(nanos)));
      return true;
    }
    case Value::Kind::kLocalTime: {
      uint64_t nanos;
      if (!GetVarint(in, &nanos) || nanos >= static_cast<uint64_t>(kNanosPerDay)) return false;
      *out = Value(LocalTime{static_cast<int64_t>(nanos)});
      return true;
    }
    case Value::Kind::kTime: {
      uint64_t nanos, offset;
      if (!GetVarint(in, &nanos) || nanos >= static_cast<uint64_t>(kNanosPerDay) || !GetVarint(in, &offset))
        return false;
      *out = Value(Time{static_cast<int64_t>(nanos), static_cast<int32_t>(UnZigZag(offset))});
      return true;
    }
    case Value::Kind::kLocalDateTime: {
      uint64_t seconds, nanos;
      if (!GetVarint(in, &seconds) || !GetVarint(in, &nanos) || nanos >= 1'000'000'000) return false;
      *out = Value(LocalDateTime{UnZigZag(seconds), static_cast<int32_t>(nanos)});
      return true;
    }
    case Value::Kind::kList: {
      uint64_t n;
      if (!GetVarint(in, &n) || n > in->size()) return false;
      ValueList list;
      list.reserve(n);
      for (uint64_t i = 0; i < n; ++i) {
        Value v;
        if (!DecodeValueAt(in, &v, depth + 1)) return false;
        list.push_back(std::move(v));
      }
      *out = Value(std::move(list));
      return true;
    }
    case Value::Kind::kMap: {
      uint64_t n;
      if (!GetVarint(in, &n) || n > in->size()) return false;
      ValueMap map;
      for (uint64_t i = 0; i < n; ++i) {
        std::string_view k;
        Value v;
        if (!GetBytes(in, &k) || !DecodeValueAt(in, &v, depth + 1)) return false;
        map.emplace(std::string(k), std::move(v));
      }
      *out = Value(std::move(map));
      return true;
    }
    default:
      return false;
  }
}

void AppendProps(std::string* dst, const PropertyList& props) {
  AppendVarint(dst, props.size());
  for (const auto& [k, v] : props) {
    AppendVarint(dst, k);
    AppendValue(dst, v);
  }
}

bool DecodeProps(std::string_view* in, PropertyList* props) {
  uint64_t n;
  if (!GetVarint(in, &n) || n > in->size()) return false;
  props->clear();
  props->reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t k;
    Value v;
    if (!GetVarint(in, &k) || k > UINT32_MAX || !DecodeValue(in, &v)) return false;
    // Sorted by key id, each once: FindProperty and FindNodeProperty search them in that order, so
    // a list out of order is corruption, not a record with a property they would miss.
    if (!props->empty() && k <= props->back().first) return false;
    props->emplace_back(static_cast<PropKeyId>(k), std::move(v));
  }
  return true;
}

void AppendIdList(std::string* dst, const std::vector<uint64_t>& ids) {
  AppendVarint(dst, ids.size());
  uint64_t prev = 0;
  for (uint64_t id : ids) {
    AppendVarint(dst, id - prev);
    prev = id;
  }
}

// The same bytes as AppendIdList of the ids [first, first + n): the count, the first id, then a delta
// of 1 (one byte) per further id.
void AppendIdRange(std::string* dst, uint64_t first, uint64_t n) {
  AppendVarint(dst, n);
  if (n == 0) return;
  AppendVarint(dst, first);
  dst->append(n - 1, '\x01');
}

bool DecodeIdList(std::string_view* in, std::vector<uint64_t>* ids) {
  uint64_t n;
  if (!GetVarint(in, &n) || n > in->size()) return false;
  ids->resize(n);
  uint64_t prev = 0;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t d;
    if (!GetVarint(in, &d)) return false;
    prev += d;
    (*ids)[i] = prev;
  }
  return true;
}

Status Corrupt(std::string_view what) {
  return Status::Corruption("stored " + std::string(what) + " does not decode");
}

}  // namespace

void AppendVarint(std::string* dst, uint64_t v) {
  char b[10];
  size_t n = 0;
  while (v >= 0x80) {
    b[n++] = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  b[n++] = static_cast<char>(v);
  dst->append(b, n);
}

bool GetVarint(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (unsigned shift = 0, i = 0; shift <= 63 && i < in->size(); shift += 7, ++i) {
    uint64_t byte = static_cast<unsigned char>((*in)[i]);
    result |= (byte & 0x7F) << shift;
    if (!(byte & 0x80)) {
      in->remove_prefix(i + 1);
      *v = result;
      return true;
    }
  }
  return false;
}

void AppendValue(std::string* dst, const Value& v) {
  size_t tag_at = dst->size();
  dst->push_back(static_cast<char>(v.kind()));
  switch (v.kind()) {
    case Value::Kind::kNull:
      break;
    case Value::Kind::kBool:
      dst->push_back(v.as_bool() ? 1 : 0);
      break;
    case Value::Kind::kInt:
      AppendVarint(dst, ZigZag(v.as_int()));
      break;
    case Value::Kind::kFloat: {
      uint64_t bits = std::bit_cast<uint64_t>(v.as_float());
      for (int i = 0; i < 8; ++i) dst->push_back(static_cast<char>(bits >> (8 * i)));
      break;
    }
    case Value::Kind::kString:
      AppendBytes(dst, v.as_string());
      break;
    case Value::Kind::kDate:
      AppendDate(dst, v.as_date());
      break;
    case Value::Kind::kDateTime: {
      const DateTime& d = v.as_datetime();
      AppendVarint(dst, ZigZag(d.micros));
      if (d.HasOffsetOrZone()) {
        // Kind 6 holds the instant alone, as every database before offsets did; the fuller form has
        // its own tag.
        (*dst)[tag_at] = static_cast<char>(kZonedDateTimeTag);
        AppendVarint(dst, static_cast<uint64_t>(d.sub_micro_nanos));
        AppendVarint(dst, ZigZag(d.offset));
        AppendBytes(dst, d.zone != 0 ? TimeZoneName(d.zone) : std::string());
      }
      break;
    }
    case Value::Kind::kDuration: {
      const Duration& d = v.as_duration();
      AppendVarint(dst, ZigZag(d.months));
      AppendVarint(dst, ZigZag(d.days));
      AppendVarint(dst, ZigZag(d.seconds));
      AppendVarint(dst, static_cast<uint64_t>(d.nanos));
      break;
    }
    case Value::Kind::kLocalTime:
      AppendVarint(dst, static_cast<uint64_t>(v.as_localtime().nanos));
      break;
    case Value::Kind::kTime:
      AppendVarint(dst, static_cast<uint64_t>(v.as_time().nanos));
      AppendVarint(dst, ZigZag(v.as_time().offset));
      break;
    case Value::Kind::kLocalDateTime:
      AppendVarint(dst, ZigZag(v.as_localdatetime().seconds));
      AppendVarint(dst, static_cast<uint64_t>(v.as_localdatetime().nanos));
      break;
    case Value::Kind::kList:
      AppendVarint(dst, v.as_list().size());
      for (const Value& e : v.as_list()) AppendValue(dst, e);
      break;
    case Value::Kind::kMap:
      AppendVarint(dst, v.as_map().size());
      for (const auto& [k, e] : v.as_map()) {
        AppendBytes(dst, k);
        AppendValue(dst, e);
      }
      break;
    case Value::Kind::kNode:
    case Value::Kind::kRel:
    case Value::Kind::kPath:
      // Callers check IsStorable() first; a runtime value is stored as null rather than as garbage.
      dst->back() = static_cast<char>(Value::Kind::kNull);
      break;
  }
}

bool DecodeValue(std::string_view* in, Value* out) { return DecodeValueAt(in, out, 0); }

bool SkipValue(std::string_view* in) {
  // Scalars are skipped without building a Value (and a zoned datetime without looking up its zone);
  // containers are rare in hot paths. A value is checked as far as DecodeValue checks it.
  if (in->empty()) return false;
  const auto tag = static_cast<uint8_t>((*in)[0]);
  uint64_t a, b;
  if (tag == kZonedDateTimeTag) {
    in->remove_prefix(1);
    std::string_view zone;
    return GetVarint(in, &a) && GetVarint(in, &b) && b < 1000 && GetVarint(in, &a) && GetBytes(in, &zone);
  }
  auto kind = static_cast<Value::Kind>(tag);
  switch (kind) {
    case Value::Kind::kDuration:
      in->remove_prefix(1);
      return GetVarint(in, &a) && GetVarint(in, &a) && GetVarint(in, &a) && GetVarint(in, &b) &&
             b < 1'000'000'000;
    case Value::Kind::kLocalTime:
      in->remove_prefix(1);
      return GetVarint(in, &a) && a < static_cast<uint64_t>(kNanosPerDay);
    case Value::Kind::kTime:
      in->remove_prefix(1);
      return GetVarint(in, &a) && a < static_cast<uint64_t>(kNanosPerDay) && GetVarint(in, &b);
    case Value::Kind::kLocalDateTime:
      in->remove_prefix(1);
      return GetVarint(in, &a) && GetVarint(in, &b) && b < 1'000'000'000;
    case Value::Kind::kNull:
      in->remove_prefix(1);
      return true;
    case Value::Kind::kBool:
      if (in->size() < 2) return false;
      in->remove_prefix(2);
      return true;
    case Value::Kind::kInt:
    case Value::Kind::kDateTime: {
      in->remove_prefix(1);
      uint64_t z;
      return GetVarint(in, &z);
    }
    case Value::Kind::kFloat:
      if (in->size() < 9) return false;
      in->remove_prefix(9);
      return true;
    case Value::Kind::kString: {
      in->remove_prefix(1);
      std::string_view s;
      return GetBytes(in, &s);
    }
    default: {
      Value v;
      return DecodeValue(in, &v);
    }
  }
}

void AppendValidity(std::string* dst, const Validity& v) {
  AppendVarint(dst, v.size());
  for (const Period& p : v) {
    for (const auto* d : {&p.from, &p.to}) {
      if (*d) {
        dst->push_back(1);
        AppendDate(dst, **d);
      } else {
        dst->push_back(0);
      }
    }
  }
}

bool DecodeValidity(std::string_view* in, Validity* out) {
  uint64_t n;
  if (!GetVarint(in, &n) || n > in->size()) return false;
  out->clear();
  out->reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    Period p;
    for (auto* d : {&p.from, &p.to}) {
      uint8_t present;
      if (!GetU8(in, &present) || present > 1) return false;
      if (present) {
        Date date;
        if (!DecodeDate(in, &date)) return false;
        *d = date;
      }
    }
    out->push_back(p);
  }
  return true;
}

void AppendNode(std::string* dst, const NodeRecord& r) {
  AppendVarint(dst, r.record_time);
  AppendBytes(dst, r.key);
  AppendVarint(dst, r.labels.size());
  for (LabelId l : r.labels) AppendVarint(dst, l);
  AppendValidity(dst, r.validity);
  AppendProps(dst, r.props);
}

std::string EncodeNode(const NodeRecord& r) {
  std::string s;
  s.reserve(64 + r.key.size());  // most records fit: one allocation
  AppendNode(&s, r);
  return s;
}

namespace {

// Reads the node record's fields up to its properties.
bool DecodeNodeHead(std::string_view* in, NodeRecord* out) {
  std::string_view key;
  uint64_t n;
  if (!GetVarint(in, &out->record_time) || !GetBytes(in, &key) || !GetVarint(in, &n) || n > in->size()) {
    return false;
  }
  out->key.assign(key);
  out->labels.resize(n);
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t l;
    if (!GetVarint(in, &l) || l > UINT32_MAX) return false;
    if (i > 0 && l <= out->labels[i - 1]) return false;  // sorted and unique, as HasLabel searches them
    out->labels[i] = static_cast<LabelId>(l);
  }
  return DecodeValidity(in, &out->validity);
}

}  // namespace

Status DecodeNode(std::string_view bytes, NodeRecord* out) {
  if (!DecodeNodeHead(&bytes, out) || !DecodeProps(&bytes, &out->props) || !bytes.empty())
    return Corrupt("node");
  return Status::OK();
}

Result<bool> FindNodeProperty(std::string_view bytes, PropKeyId key, Value* out) {
  NodeRecord head;
  uint64_t n;
  if (!DecodeNodeHead(&bytes, &head) || !GetVarint(&bytes, &n)) return Corrupt("node");
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t k;
    if (!GetVarint(&bytes, &k)) return Corrupt("node");
    if (k == key) {
      if (!DecodeValue(&bytes, out)) return Corrupt("node");
      return true;
    }
    if (k > key) return false;  // sorted by key id
    if (!SkipValue(&bytes)) return Corrupt("node");
  }
  return false;
}

void AppendRel(std::string* dst, const RelRecord& r) {
  AppendVarint(dst, r.record_time);
  AppendBytes(dst, r.key);
  AppendValidity(dst, r.validity);
  AppendProps(dst, r.props);
}

std::string EncodeRel(const RelRecord& r) {
  std::string s;
  s.reserve(32 + r.key.size());  // most records fit: one allocation
  AppendRel(&s, r);
  return s;
}

Status DecodeRel(std::string_view bytes, RelRecord* out) {
  std::string_view key;
  if (!GetVarint(&bytes, &out->record_time) || !GetBytes(&bytes, &key) ||
      !DecodeValidity(&bytes, &out->validity) || !DecodeProps(&bytes, &out->props) || !bytes.empty()) {
    return Corrupt("relationship");
  }
  out->key.assign(key);
  return Status::OK();
}

Status AppendAdjChunk(std::string* dst, bool outgoing, std::span<const AdjChunkEntry> entries) {
  if (entries.empty() || entries.size() > layout::kAdjChunkMaxEntries)
    return Status::Internal("an adjacency chunk holds 1 to " + std::to_string(layout::kAdjChunkMaxEntries) +
                            " entries, not " + std::to_string(entries.size()));
  bool consecutive = true, one_time = outgoing;
  uint64_t time = 0;
  std::string shortest;
  for (size_t i = 0; i < entries.size(); ++i) {
    const AdjChunkEntry& e = entries[i];
    if (i > 0) {
      const AdjChunkEntry& p = entries[i - 1];
      if (e.other < p.other || (e.other == p.other && e.rel <= p.rel))
        return Status::Internal("adjacency chunk entries out of order");
      if (e.rel != p.rel + 1) consecutive = false;
    }
    if (!outgoing) continue;
    std::string_view r = e.record;
    uint64_t t;
    if (!GetVarint(&r, &t)) return Status::Internal("an adjacency chunk entry without a relationship record");
    if (i == 0) time = t;
    // A time not written as the chunk would write it (in more bytes than it needs, or past 64 bits) is
    // kept in its record: a record reads back byte for byte.
    shortest.clear();
    AppendVarint(&shortest, t);
    if (t != time || e.record.substr(0, e.record.size() - r.size()) != shortest) one_time = false;
  }
  const uint8_t flags =
      (consecutive ? kAdjChunkConsecutiveIds : uint8_t{0}) | (one_time ? kAdjChunkOneRecordTime : uint8_t{0});
  dst->push_back(static_cast<char>(flags));
  AppendVarint(dst, entries.size());
  if (flags & kAdjChunkOneRecordTime) AppendVarint(dst, time);
  for (size_t i = 0; i < entries.size(); ++i) {
    const AdjChunkEntry& e = entries[i];
    if (i == 0) {
      AppendVarint(dst, e.other);
      AppendVarint(dst, e.rel);
    } else {
      AppendVarint(dst, e.other - entries[i - 1].other);
      if (!(flags & kAdjChunkConsecutiveIds))
        AppendVarint(dst, ZigZag(static_cast<int64_t>(e.rel - entries[i - 1].rel)));
    }
    if (!outgoing) continue;
    std::string_view r = e.record;
    if (flags & kAdjChunkOneRecordTime) {
      uint64_t t;
      GetVarint(&r, &t);
    }
    AppendBytes(dst, r);
  }
  return Status::OK();
}

bool DecodeAdjChunk(std::string_view bytes, bool outgoing, AdjChunk* out) {
  out->entries.clear();
  uint64_t n;
  if (!GetU8(&bytes, &out->flags) || (out->flags & ~(kAdjChunkConsecutiveIds | kAdjChunkOneRecordTime)) ||
      (!outgoing && (out->flags & kAdjChunkOneRecordTime)) || !GetVarint(&bytes, &n) || n == 0 ||
      n > layout::kAdjChunkMaxEntries)
    return false;
  out->record_time = 0;
  if ((out->flags & kAdjChunkOneRecordTime) && !GetVarint(&bytes, &out->record_time)) return false;
  AdjChunkEntry e{0, 0, {}};
  for (uint64_t i = 0; i < n; ++i) {
    if (i == 0) {
      if (!GetVarint(&bytes, &e.other) || !GetVarint(&bytes, &e.rel)) return false;
    } else {
      uint64_t d_other;
      if (!GetVarint(&bytes, &d_other) || e.other + d_other < e.other) return false;
      e.other += d_other;
      uint64_t rel = e.rel + 1;
      if (!(out->flags & kAdjChunkConsecutiveIds)) {
        uint64_t z;
        if (!GetVarint(&bytes, &z)) return false;
        const int64_t d = UnZigZag(z);
        rel = e.rel + static_cast<uint64_t>(d);
        // Within the range of ids, and after the previous entry in key order.
        if ((d < 0 && rel > e.rel) || (d > 0 && rel < e.rel) || (d_other == 0 && d <= 0)) return false;
      } else if (rel == 0) {
        return false;
      }
      e.rel = rel;
    }
    e.record = {};
    if (outgoing && !GetBytes(&bytes, &e.record)) return false;
    out->entries.push_back(e);
  }
  return bytes.empty();
}

std::string_view AdjChunk::Record(size_t i, std::string* scratch) const {
  if (!(flags & kAdjChunkOneRecordTime)) return entries[i].record;
  scratch->clear();
  AppendVarint(scratch, record_time);
  scratch->append(entries[i].record);
  return *scratch;
}

std::string EncodeChange(const ChangeRecord& c) {
  std::string s;
  AppendBytes(&s, c.origin);
  AppendIdList(&s, c.nodes);
  AppendIdList(&s, c.rels);
  return s;
}

std::string EncodeChangeOfRanges(std::string_view origin, NodeId first_node, uint64_t nodes, RelId first_rel,
                                 uint64_t rels) {
  std::string s;
  AppendBytes(&s, origin);
  AppendIdRange(&s, first_node, nodes);
  AppendIdRange(&s, first_rel, rels);
  return s;
}

Status DecodeChange(std::string_view bytes, ChangeRecord* out) {
  std::string_view origin;
  if (!GetBytes(&bytes, &origin) || !DecodeIdList(&bytes, &out->nodes) || !DecodeIdList(&bytes, &out->rels) ||
      !bytes.empty()) {
    return Corrupt("change record");
  }
  out->origin.assign(origin);
  return Status::OK();
}

}  // namespace codec
}  // namespace lodestone
