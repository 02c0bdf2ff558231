#include "store/key_codec.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace lodestone::layout {

// PlausibleDateStart's bound (key_codec.h; found by tests/fuzz/store_decode_fuzz).
constexpr int32_t kMaxDateDay = int32_t{1} << 30;
bool PlausibleDateStart(int64_t day) { return day >= -kMaxDateDay && day <= kMaxDateDay; }

namespace {

// Big-endian bytes of an integer, written to `p`.
void StoreU32(char* p, uint32_t v) {
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap32(v);
  std::memcpy(p, &v, 4);
}
void StoreU64(char* p, uint64_t v) {
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}
void StoreDateOrdered(char* p, Date d) {
  StoreU32(p, static_cast<uint32_t>(d.start_day()) ^ 0x80000000u);
  p[4] = static_cast<char>(d.precision());
}

}  // namespace

void PutU32(std::string* dst, uint32_t v) {
  char b[4];
  StoreU32(b, v);
  dst->append(b, 4);
}

void PutU64(std::string* dst, uint64_t v) {
  char b[8];
  StoreU64(b, v);
  dst->append(b, 8);
}

void PutI64Ordered(std::string* dst, int64_t v) {
  PutU64(dst, static_cast<uint64_t>(v) ^ (uint64_t{1} << 63));
}

uint32_t GetU32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | uint32_t{u[3]};
}

uint64_t GetU64(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | u[i];
  return v;
}

int64_t GetI64Ordered(const char* p) { return static_cast<int64_t>(GetU64(p) ^ (uint64_t{1} << 63)); }

void PutDateOrdered(std::string* dst, Date d) {
  char b[kDateBytes];
  StoreDateOrdered(b, d);
  dst->append(b, kDateBytes);
}

Date GetDateOrdered(const char* p) {
  int32_t start = static_cast<int32_t>(GetU32(p) ^ 0x80000000u);
  auto prec = static_cast<DatePrecision>(static_cast<unsigned char>(p[4]));
  return Date::Containing(start, prec);
}

Date MinDate() { return Date::Containing(DaysFromCivil(1, 1, 1), DatePrecision::kDay); }
Date MaxDate() { return Date::Containing(DaysFromCivil(9999, 12, 31), DatePrecision::kYear); }

std::string NodeKey(NodeId id) {
  std::string k;
  k.reserve(8);
  PutU64(&k, id);
  return k;
}

std::string LabelPrefix(LabelId label) {
  std::string k;
  PutU32(&k, label);
  return k;
}

std::string LabelKey(LabelId label, NodeId node) {
  std::string k;
  k.reserve(12);
  PutU32(&k, label);
  PutU64(&k, node);
  return k;
}

AdjKeyBytes EncodeAdjKeyBytes(const AdjKey& a) {
  AdjKeyBytes k;
  StoreU64(k.data(), a.node);
  k[8] = static_cast<char>(a.dir);
  StoreU32(k.data() + 9, a.type);
  StoreU64(k.data() + 13, a.other);
  StoreU64(k.data() + 21, a.rel);
  return k;
}

std::string EncodeAdjKey(const AdjKey& a) {
  AdjKeyBytes k = EncodeAdjKeyBytes(a);
  return std::string(k.data(), k.size());
}

AdjKey DecodeAdjKey(std::string_view key) {
  const char* p = key.data();
  return AdjKey{GetU64(p), static_cast<Direction>(p[8]), GetU32(p + 9), GetU64(p + 13), GetU64(p + 21)};
}

std::string AdjPrefix(NodeId node) { return NodeKey(node); }

std::string AdjPrefix(NodeId node, Direction dir) {
  std::string k = NodeKey(node);
  k.push_back(static_cast<char>(dir));
  return k;
}

std::string AdjPrefix(NodeId node, Direction dir, RelTypeId type) {
  std::string k = AdjPrefix(node, dir);
  PutU32(&k, type);
  return k;
}

std::string AdjPrefix(NodeId node, Direction dir, RelTypeId type, NodeId other) {
  std::string k = AdjPrefix(node, dir, type);
  PutU64(&k, other);
  return k;
}

AdjKeyKind ClassifyAdjKey(std::string_view key) {
  switch (key.size()) {
    case kAdjKeyBytes:
      return AdjKeyKind::kEntry;
    case kAdjListKeyBytes:
      return AdjKeyKind::kFirstChunk;
    case kAdjChunkKeyBytes:
      return key.back() == kAdjChunkTag ? AdjKeyKind::kLaterChunk : AdjKeyKind::kMalformed;
    default:
      return AdjKeyKind::kMalformed;
  }
}

AdjKeyBytes EncodeAdjKeyBytes(std::string_view list, NodeId other, RelId rel) {
  AdjKeyBytes k;
  std::memcpy(k.data(), list.data(), kAdjListKeyBytes);
  StoreU64(k.data() + kAdjListKeyBytes, other);
  StoreU64(k.data() + kAdjListKeyBytes + kIdBytes, rel);
  return k;
}

std::string AdjChunkKey(const AdjKey& first, bool first_of_list) {
  if (first_of_list) return AdjPrefix(first.node, first.dir, first.type);
  std::string k = EncodeAdjKey(first);
  k.push_back(kAdjChunkTag);
  return k;
}

std::string PropIdxPrefix(LabelId label, PropKeyId key) {
  std::string k;
  PutU32(&k, label);
  PutU32(&k, key);
  return k;
}

bool AppendOrderedValue(std::string* dst, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kBool:
      dst->push_back(v.as_bool() ? 1 : 0);
      return true;
    case Value::Kind::kInt:
      PutI64Ordered(dst, v.as_int());
      return true;
    case Value::Kind::kFloat: {
      double d = v.as_float();
      if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();  // one NaN, above +infinity
      if (d == 0) d = 0.0;                                              // -0 sorts as 0
      uint64_t bits = std::bit_cast<uint64_t>(d);
      bits = (bits & (uint64_t{1} << 63)) ? ~bits : bits | (uint64_t{1} << 63);
      PutU64(dst, bits);
      return true;
    }
    case Value::Kind::kString: {
      for (char c : v.as_string()) {
        dst->push_back(c);
        if (c == '\0') dst->push_back('\xFF');
      }
      dst->push_back('\0');
      dst->push_back('\x01');
      return true;
    }
    case Value::Kind::kDate:
      PutDateOrdered(dst, v.as_date());
      return true;
    case Value::Kind::kDateTime:
      PutI64Ordered(dst, v.as_datetime().micros);
      return true;
    default:
      return false;
  }
}

bool DecodeOrderedValue(Value::Kind kind, std::string_view* in, Value* out) {
  auto need = [&](size_t n) { return in->size() >= n; };
  switch (kind) {
    case Value::Kind::kBool:
      if (!need(1)) return false;
      *out = Value((*in)[0] != 0);
      in->remove_prefix(1);
      return true;
    case Value::Kind::kInt:
      if (!need(8)) return false;
      *out = Value(GetI64Ordered(in->data()));
      in->remove_prefix(8);
      return true;
    case Value::Kind::kFloat: {
      if (!need(8)) return false;
      uint64_t bits = GetU64(in->data());
      bits = (bits & (uint64_t{1} << 63)) ? bits & ~(uint64_t{1} << 63) : ~bits;
      *out = Value(std::bit_cast<double>(bits));
      in->remove_prefix(8);
      return true;
    }
    case Value::Kind::kString: {
      std::string s;
      size_t i = 0;
      while (i + 1 < in->size()) {
        char c = (*in)[i];
        if (c == '\0') {
          char next = (*in)[i + 1];
          if (next == '\x01') {
            *out = Value(std::move(s));
            in->remove_prefix(i + 2);
            return true;
          }
          if (next != '\xFF') return false;
          s.push_back('\0');
          i += 2;
          continue;
        }
        s.push_back(c);
        ++i;
      }
      return false;
    }
    case Value::Kind::kDate:
      if (!need(kDateBytes)) return false;
      if (static_cast<unsigned char>((*in)[4]) > static_cast<unsigned char>(DatePrecision::kYear))
        return false;
      {
        auto start = static_cast<int32_t>(GetU32(in->data()) ^ 0x80000000u);
        if (!PlausibleDateStart(start)) return false;
        Date d = GetDateOrdered(in->data());
        if (d.start_day() != start) return false;  // written as the first day of its period
        *out = Value(d);
      }
      in->remove_prefix(kDateBytes);
      return true;
    case Value::Kind::kDateTime:
      if (!need(8)) return false;
      *out = Value(DateTime{GetI64Ordered(in->data())});
      in->remove_prefix(8);
      return true;
    default:
      return false;
  }
}

std::string TimeKey(Date date, NodeId node) {
  std::string k;
  k.reserve(kDateBytes + 8);
  PutDateOrdered(&k, date);
  PutU64(&k, node);
  return k;
}

std::string HistoryPrefix(char kind, uint64_t id) {
  std::string k(1, kind);
  PutU64(&k, id);
  return k;
}

std::string HistoryKey(char kind, uint64_t id, uint64_t record_time) {
  std::string k = HistoryPrefix(kind, id);
  PutU64(&k, ~record_time);
  return k;
}

std::string LogKey(uint64_t record_time) { return NodeKey(record_time); }

std::string PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    auto& c = reinterpret_cast<unsigned char&>(s.back());
    if (c != 0xFF) {
      ++c;
      return s;
    }
    s.pop_back();
  }
  return s;
}

}  // namespace lodestone::layout
