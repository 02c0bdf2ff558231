// Codecs: every encoding round-trips, and the order-preserving one sorts bytes as values sort.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "store/key_codec.h"
#include "store/record.h"

namespace lodestone {
namespace {

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  int64_t Int() {
    switch (rng_() % 4) {
      case 0:
        return static_cast<int64_t>(rng_() % 21) - 10;
      case 1:
        return std::numeric_limits<int64_t>::min() + static_cast<int64_t>(rng_() % 3);
      case 2:
        return std::numeric_limits<int64_t>::max() - static_cast<int64_t>(rng_() % 3);
      default:
        return static_cast<int64_t>((uint64_t{rng_()} << 32) | rng_());
    }
  }
  double Float() {
    switch (rng_() % 6) {
      case 0:
        return std::numeric_limits<double>::infinity();
      case 1:
        return -std::numeric_limits<double>::infinity();
      case 2:
        return (rng_() % 2) ? 0.0 : -0.0;
      case 3:
        return std::numeric_limits<double>::denorm_min() * (rng_() % 2 ? 1 : -1);
      default: {
        std::uniform_real_distribution<double> d(-1e6, 1e6);
        return d(rng_) * std::pow(10.0, static_cast<int>(rng_() % 40) - 20);
      }
    }
  }
  std::string String() {
    static const char kAlphabet[] = {'\0', '\x01', 'a', 'b', '\xFE', '\xFF', 'z', '/'};
    size_t n = rng_() % 6;
    std::string s;
    for (size_t i = 0; i < n; ++i) s.push_back(kAlphabet[rng_() % sizeof kAlphabet]);
    return s;
  }
  Date DateValue() {
    int32_t day = static_cast<int32_t>(rng_() % 800000) - 400000;  // ~ years 875 to 3065
    return Date::Containing(day, static_cast<DatePrecision>(rng_() % 5));
  }
  DateTime DateTimeValue() { return DateTime{Int() / 1000}; }

  Value Of(Value::Kind kind) {
    switch (kind) {
      case Value::Kind::kBool:
        return Value(rng_() % 2 == 0);
      case Value::Kind::kInt:
        return Value(Int());
      case Value::Kind::kFloat:
        return Value(Float());
      case Value::Kind::kString:
        return Value(String());
      case Value::Kind::kDate:
        return Value(DateValue());
      case Value::Kind::kDateTime:
        return Value(DateTimeValue());
      default:
        return Value();
    }
  }

  Value Any(int depth = 0) {
    unsigned k = rng_() % (depth < 2 ? 9 : 7);
    switch (k) {
      case 0:
        return Value();
      case 7: {
        ValueList l;
        for (unsigned i = rng_() % 4; i > 0; --i) l.push_back(Any(depth + 1));
        return Value(std::move(l));
      }
      case 8: {
        ValueMap m;
        for (unsigned i = rng_() % 4; i > 0; --i) m[String()] = Any(depth + 1);
        return Value(std::move(m));
      }
      default:
        return Of(static_cast<Value::Kind>(k));
    }
  }

  std::mt19937& rng() { return rng_; }

 private:
  std::mt19937 rng_;
};

// The order values of one kind must sort in: numeric, lexicographic by bytes, dates by start then end.
bool Less(const Value& a, const Value& b) {
  switch (a.kind()) {
    case Value::Kind::kBool:
      return a.as_bool() < b.as_bool();
    case Value::Kind::kInt:
      return a.as_int() < b.as_int();
    case Value::Kind::kFloat: {
      double x = a.as_float(), y = b.as_float();
      if (std::isnan(x)) return false;
      if (std::isnan(y)) return true;
      return x < y;
    }
    case Value::Kind::kString: {
      const std::string &x = a.as_string(), &y = b.as_string();
      return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(), [](char p, char q) {
        return static_cast<unsigned char>(p) < static_cast<unsigned char>(q);
      });
    }
    case Value::Kind::kDate:
      return a.as_date() < b.as_date();
    case Value::Kind::kDateTime:
      return a.as_datetime() < b.as_datetime();
    default:
      return false;
  }
}

std::string Ordered(const Value& v) {
  std::string s;
  EXPECT_TRUE(layout::AppendOrderedValue(&s, v));
  return s;
}

class OrderedCodecTest : public ::testing::TestWithParam<Value::Kind> {};

TEST_P(OrderedCodecTest, RoundTripsAndPreservesOrder) {
  Generator gen(static_cast<uint32_t>(GetParam()) * 7919u);
  std::vector<Value> values;
  for (int i = 0; i < 4000; ++i) values.push_back(gen.Of(GetParam()));
  if (GetParam() == Value::Kind::kFloat) values.push_back(Value(std::nan("")));
  for (const Value& v : values) {
    std::string enc = Ordered(v);
    enc += "tail";  // a node id follows the value in index keys
    std::string_view in = enc;
    Value back;
    ASSERT_TRUE(layout::DecodeOrderedValue(GetParam(), &in, &back)) << v.ToString();
    EXPECT_EQ(in, "tail");
    if (GetParam() == Value::Kind::kFloat && v.as_float() == 0) {
      EXPECT_EQ(back.as_float(), 0.0);  // -0 is indexed as 0
    } else {
      EXPECT_TRUE(Identical(back, v)) << v.ToString() << " came back as " << back.ToString();
    }
  }
  for (int i = 0; i < 20000; ++i) {
    const Value& a = values[gen.rng()() % values.size()];
    const Value& b = values[gen.rng()() % values.size()];
    std::string ea = Ordered(a), eb = Ordered(b);
    if (Less(a, b)) {
      EXPECT_LT(ea, eb) << a.ToString() << " < " << b.ToString();
    } else if (Less(b, a)) {
      EXPECT_GT(ea, eb) << a.ToString() << " > " << b.ToString();
    } else {
      EXPECT_EQ(ea, eb) << a.ToString() << " == " << b.ToString();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EveryIndexableKind, OrderedCodecTest,
                         ::testing::Values(Value::Kind::kBool, Value::Kind::kInt, Value::Kind::kFloat,
                                           Value::Kind::kString, Value::Kind::kDate, Value::Kind::kDateTime),
                         [](const auto& p) { return std::string(Value::KindName(p.param)); });

TEST(OrderedCodecTest, StringWithZeroBytesIsNotAPrefixOfItsExtension) {
  // "a" < "a\0" < "a\0\0" < "a\x01": escaping keeps every string's encoding prefix-free.
  std::vector<std::string> ordered = {
      "", std::string("\0", 1), "a", std::string("a\0", 2), std::string("a\0\0", 3), "a\x01", "a\xFF", "b"};
  for (size_t i = 1; i < ordered.size(); ++i)
    EXPECT_LT(Ordered(Value(ordered[i - 1])), Ordered(Value(ordered[i])));
  // An exclusive lower bound of "a" must not skip "a\0" (the successor of an encoding is above all of
  // its value's keys but below every greater value's).
  std::string succ = layout::PrefixSuccessor(Ordered(Value("a")));
  EXPECT_LT(succ, Ordered(Value(std::string("a\0", 2))));
}

TEST(CompactCodecTest, RoundTripsRandomValues) {
  Generator gen(12345);
  for (int i = 0; i < 5000; ++i) {
    Value v = gen.Any();
    std::string enc;
    codec::AppendValue(&enc, v);
    std::string_view in = enc, skip = enc;
    Value back;
    ASSERT_TRUE(codec::DecodeValue(&in, &back));
    EXPECT_TRUE(in.empty());
    EXPECT_TRUE(Identical(back, v)) << v.ToString() << " came back as " << back.ToString();
    ASSERT_TRUE(codec::SkipValue(&skip));
    EXPECT_TRUE(skip.empty());
  }
}

TEST(CompactCodecTest, RefusesTruncatedBytes) {
  Generator gen(99);
  for (int i = 0; i < 500; ++i) {
    Value v = gen.Any();
    std::string enc;
    codec::AppendValue(&enc, v);
    for (size_t cut = 0; cut < enc.size(); ++cut) {
      std::string_view in(enc.data(), cut);
      Value back;
      EXPECT_FALSE(codec::DecodeValue(&in, &back)) << v.ToString() << " cut at " << cut;
    }
  }
}

// Found by store_decode_fuzz (tests/fuzz/regressions/store_decode_fuzz): a date starting near the end of
// int32's range overflowed when the end of its period was computed. Damaged bytes like these are
// refused instead, in both encodings.
TEST(CompactCodecTest, RefusesDatesNoWriteMakes) {
  // 2^30 days is the furthest a date may start (store/key_codec.cc, PlausibleDateStart).
  for (int64_t day :
       {int64_t{INT32_MAX}, int64_t{INT32_MIN}, (int64_t{1} << 30) + 1, -(int64_t{1} << 30) - 1}) {
    std::string enc(1, static_cast<char>(Value::Kind::kDate));
    codec::AppendVarint(
        &enc, day >= 0 ? static_cast<uint64_t>(day) << 1 : (static_cast<uint64_t>(-(day + 1)) << 1) | 1);
    enc.push_back(static_cast<char>(DatePrecision::kYear));
    std::string_view in = enc;
    Value back;
    EXPECT_FALSE(codec::DecodeValue(&in, &back)) << "day " << day;

    std::string ordered;
    layout::PutU32(&ordered, static_cast<uint32_t>(static_cast<int32_t>(day)) ^ 0x80000000u);
    ordered.push_back(static_cast<char>(DatePrecision::kYear));
    std::string_view oin = ordered;
    if (day >= INT32_MIN && day <= INT32_MAX) {
      EXPECT_FALSE(layout::DecodeOrderedValue(Value::Kind::kDate, &oin, &back)) << "day " << day;
    }
  }
  // Dates as far out as a write can make them still decode, in both encodings.
  for (Date d : {*Date::Parse("0001-01-01"), *Date::Parse("9999-12-31"), *Date::Parse("9999"),
                 Date::Containing(int32_t{1} << 30, DatePrecision::kYear),
                 Date::Containing(-(int32_t{1} << 30), DatePrecision::kDay)}) {
    std::string enc;
    codec::AppendValue(&enc, Value(d));
    std::string_view in = enc;
    Value back;
    ASSERT_TRUE(codec::DecodeValue(&in, &back)) << d.ToString();
    EXPECT_EQ(back.as_date(), d);
    std::string ordered;
    ASSERT_TRUE(layout::AppendOrderedValue(&ordered, Value(d)));
    std::string_view oin = ordered;
    ASSERT_TRUE(layout::DecodeOrderedValue(Value::Kind::kDate, &oin, &back)) << d.ToString();
    EXPECT_EQ(back.as_date(), d);
  }
}

// Found by store_decode_fuzz (tests/fuzz/regressions/store_decode_fuzz/date-not-first-day-of-period): a
// date is written as the first day of its period and its precision; bytes naming another day decoded to
// the period containing it, a different date from the one the bytes say. Both encodings refuse them.
TEST(CompactCodecTest, RefusesDatesNotStartingTheirPeriod) {
  Date month = *Date::Parse("2025-10");
  int32_t mid_month = month.start_day() + 16;
  std::string enc(1, static_cast<char>(Value::Kind::kDate));
  codec::AppendVarint(&enc, static_cast<uint64_t>(mid_month) << 1);  // zigzag of a positive day
  enc.push_back(static_cast<char>(DatePrecision::kMonth));
  std::string_view in = enc;
  Value back;
  EXPECT_FALSE(codec::DecodeValue(&in, &back));

  std::string ordered;
  layout::PutU32(&ordered, static_cast<uint32_t>(mid_month) ^ 0x80000000u);
  ordered.push_back(static_cast<char>(DatePrecision::kMonth));
  std::string_view oin = ordered;
  EXPECT_FALSE(layout::DecodeOrderedValue(Value::Kind::kDate, &oin, &back));

  // The same day as a day still decodes, in both encodings.
  enc.back() = static_cast<char>(DatePrecision::kDay);
  in = enc;
  ASSERT_TRUE(codec::DecodeValue(&in, &back));
  EXPECT_EQ(back.as_date(), Date::Containing(mid_month, DatePrecision::kDay));
  ordered.back() = static_cast<char>(DatePrecision::kDay);
  oin = ordered;
  ASSERT_TRUE(layout::DecodeOrderedValue(Value::Kind::kDate, &oin, &back));
  EXPECT_EQ(back.as_date(), Date::Containing(mid_month, DatePrecision::kDay));
}

TEST(RecordCodecTest, NodeRecordRoundTripsAndFindsOneProperty) {
  NodeRecord r;
  r.record_time = 1767225600000000;
  r.key = "actor/china";
  r.labels = {1, 4};
  r.validity = {{Date::Parse("2025-04").value(), Date::Parse("2025-06").value()},
                {Date::Parse("2025-10").value(), std::nullopt}};
  r.props = {{0, Value("China")}, {3, Value(ValueList{"PRC", "Beijing"})}, {7, Value(int64_t{-5})}};
  std::string bytes = codec::EncodeNode(r);
  NodeRecord back;
  ASSERT_TRUE(codec::DecodeNode(bytes, &back).ok());
  EXPECT_EQ(back.record_time, r.record_time);
  EXPECT_EQ(back.key, r.key);
  EXPECT_EQ(back.labels, r.labels);
  EXPECT_EQ(back.validity, r.validity);
  ASSERT_EQ(back.props.size(), 3u);
  Value v;
  EXPECT_TRUE(*codec::FindNodeProperty(bytes, 7, &v));
  EXPECT_EQ(v.as_int(), -5);
  EXPECT_FALSE(*codec::FindNodeProperty(bytes, 5, &v));
  EXPECT_FALSE(codec::DecodeNode(bytes.substr(0, bytes.size() - 1), &back).ok());
}

TEST(RecordCodecTest, ChangeRecordRoundTrips) {
  ChangeRecord c{"import seed.jsonl", {1, 2, 3, 1000, uint64_t{1} << 40}, {7}};
  ChangeRecord back;
  ASSERT_TRUE(codec::DecodeChange(codec::EncodeChange(c), &back).ok());
  EXPECT_EQ(back.origin, c.origin);
  EXPECT_EQ(back.nodes, c.nodes);
  EXPECT_EQ(back.rels, c.rels);
}

// A bulk load encodes its change record from its id ranges: the same bytes as the list of the ids.
TEST(RecordCodecTest, ChangeRecordOfRangesIsTheChangeRecordOfTheirIds) {
  for (auto [first_node, nodes, first_rel, rels] : std::vector<std::array<uint64_t, 4>>{
           {0, 0, 0, 0}, {1, 1, 0, 0}, {0, 3, 5, 1}, {200, 150, 1, 130}, {uint64_t{1} << 40, 2, 127, 300}}) {
    ChangeRecord c{"bulk load", {}, {}};
    for (uint64_t i = 0; i < nodes; ++i) c.nodes.push_back(first_node + i);
    for (uint64_t i = 0; i < rels; ++i) c.rels.push_back(first_rel + i);
    std::string bytes = codec::EncodeChangeOfRanges(c.origin, first_node, nodes, first_rel, rels);
    EXPECT_EQ(bytes, codec::EncodeChange(c)) << first_node << " " << nodes << " " << first_rel << " " << rels;
    ChangeRecord back;
    ASSERT_TRUE(codec::DecodeChange(bytes, &back).ok());
    EXPECT_EQ(back.nodes, c.nodes);
    EXPECT_EQ(back.rels, c.rels);
  }
}

TEST(KeyCodecTest, AdjacencyKeysSortByNodeDirectionTypeOtherId) {
  using layout::Direction;
  std::vector<layout::AdjKey> keys = {
      {1, Direction::kOut, 2, 5, 9}, {1, Direction::kOut, 2, 6, 1},
      {1, Direction::kOut, 3, 0, 0}, {1, Direction::kIn, 0, 0, 0},
      {2, Direction::kOut, 0, 0, 0}, {uint64_t{1} << 40, Direction::kOut, 0, 0, 0}};
  for (size_t i = 1; i < keys.size(); ++i) {
    EXPECT_LT(layout::EncodeAdjKey(keys[i - 1]), layout::EncodeAdjKey(keys[i]));
  }
  auto k = layout::DecodeAdjKey(layout::EncodeAdjKey(keys[1]));
  EXPECT_EQ(k.node, 1u);
  EXPECT_EQ(k.type, 2u);
  EXPECT_EQ(k.other, 6u);
  EXPECT_EQ(k.rel, 1u);
  EXPECT_EQ(layout::PrefixSuccessor("a\xFF\xFF"), "b");
  EXPECT_EQ(layout::PrefixSuccessor("\xFF"), "");
}

// The bytes are the on-disk format (key_codec.h): pinned here, so that a faster encoder cannot change them.
TEST(KeyCodecTest, KeysHaveTheDocumentedBytes) {
  using layout::Direction;
  using namespace std::string_literals;
  const std::string adj =
      layout::EncodeAdjKey({0x0102030405060708, Direction::kIn, 0x0A0B0C0D, 0x1112, 0x2122232425262728});
  EXPECT_EQ(adj, "\x01\x02\x03\x04\x05\x06\x07\x08"s + "\x01"s + "\x0A\x0B\x0C\x0D"s +
                     "\x00\x00\x00\x00\x00\x00\x11\x12"s + "\x21\x22\x23\x24\x25\x26\x27\x28"s);
  auto bytes =
      layout::EncodeAdjKeyBytes({0x0102030405060708, Direction::kIn, 0x0A0B0C0D, 0x1112, 0x2122232425262728});
  EXPECT_EQ(std::string(bytes.data(), bytes.size()), adj);

  // 1970-01-02 is day 1: its start day with the sign bit flipped, then the precision (day = 0).
  Date day = *Date::Parse("1970-01-02");
  EXPECT_EQ(layout::TimeKey(day, 8), "\x80\x00\x00\x01"s +
                                         std::string(1, static_cast<char>(day.precision())) +
                                         "\x00\x00\x00\x00\x00\x00\x00\x08"s);
  EXPECT_EQ(layout::LabelKey(0x01020304, 5), "\x01\x02\x03\x04"s + "\x00\x00\x00\x00\x00\x00\x00\x05"s);
}

// Adjacency chunks (format 3): random lists round-trip with their records whole, in both directions,
// with and without consecutive ids and one record time; chunk keys sort before the entries they hold.
TEST(RecordCodecTest, AdjacencyChunksRoundTrip) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 500; ++round) {
    const bool outgoing = round % 2 == 0;
    const bool consecutive = round % 3 == 0, one_time = round % 5 != 0 || round % 7 == 0;
    const size_t n = 1 + rng() % layout::kAdjChunkMaxEntries;
    std::vector<std::string> records;
    std::vector<codec::AdjChunkEntry> entries;
    NodeId other = rng() % 1000;
    RelId rel = 1 + rng() % (uint64_t{1} << 40);
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) {
        const bool same_other = rng() % 4 == 0;
        if (!same_other) other += 1 + rng() % (uint64_t{1} << (rng() % 40));
        rel = consecutive ? rel + 1 : same_other ? rel + 1 + rng() % 1000 : rng() % (uint64_t{1} << 50);
      }
      entries.push_back({other, rel, {}});
      RelRecord r;
      r.record_time = one_time ? 77 : 77 + i;
      if (rng() % 3 == 0) r.key = "k" + std::to_string(i);
      if (rng() % 2 == 0) r.props = {{2, Value(static_cast<int64_t>(rng() % 1000))}};
      records.push_back(outgoing ? codec::EncodeRel(r) : std::string());
    }
    bool all_consecutive = true;
    for (size_t i = 0; i < n; ++i) {
      entries[i].record = records[i];  // now that the records stay put
      if (i > 0 && entries[i].rel != entries[i - 1].rel + 1) all_consecutive = false;
    }
    std::string bytes;
    ASSERT_TRUE(codec::AppendAdjChunk(&bytes, outgoing, entries).ok()) << round;
    codec::AdjChunk back;
    ASSERT_TRUE(codec::DecodeAdjChunk(bytes, outgoing, &back)) << round;
    ASSERT_EQ(back.entries.size(), n);
    EXPECT_EQ((back.flags & codec::kAdjChunkConsecutiveIds) != 0, all_consecutive) << round;
    EXPECT_EQ((back.flags & codec::kAdjChunkOneRecordTime) != 0, outgoing && (one_time || n == 1)) << round;
    std::string scratch;
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(back.entries[i].other, entries[i].other);
      EXPECT_EQ(back.entries[i].rel, entries[i].rel);
      EXPECT_EQ(back.Record(i, &scratch), records[i]) << round << " " << i;
    }
    // Every shorter prefix is refused, and so is the other direction (for outgoing records).
    for (size_t cut = 0; cut < bytes.size(); ++cut)
      EXPECT_FALSE(codec::DecodeAdjChunk(bytes.substr(0, cut), outgoing, &back)) << round << " " << cut;
    if (outgoing) {
      EXPECT_FALSE(codec::DecodeAdjChunk(bytes, false, &back)) << round;
    }
  }
  // Out of order, repeated, empty or too many: refused when written.
  std::string bytes;
  std::vector<codec::AdjChunkEntry> bad = {{5, 2, {}}, {5, 2, {}}};
  EXPECT_FALSE(codec::AppendAdjChunk(&bytes, false, bad).ok());
  bad = {{5, 2, {}}, {4, 9, {}}};
  EXPECT_FALSE(codec::AppendAdjChunk(&bytes, false, bad).ok());
  EXPECT_FALSE(codec::AppendAdjChunk(&bytes, false, {}).ok());
  std::vector<codec::AdjChunkEntry> many;
  for (size_t i = 0; i <= layout::kAdjChunkMaxEntries; ++i) many.push_back({i, i, {}});
  EXPECT_FALSE(codec::AppendAdjChunk(&bytes, false, many).ok());
  // The same other with the id going down decodes as corruption: entries are in key order.
  using namespace std::string_literals;
  codec::AdjChunk back;
  EXPECT_TRUE(codec::DecodeAdjChunk("\x00\x02\x05\x09\x00\x02"s, false, &back));   // 5/9, then 5/10
  EXPECT_FALSE(codec::DecodeAdjChunk("\x00\x02\x05\x09\x00\x01"s, false, &back));  // 5/9, then 5/8
  EXPECT_FALSE(codec::DecodeAdjChunk("\x04\x01\x05\x09"s, false, &back));          // an unknown flag
  // A record whose time takes more bytes than it needs reads back as written (store_decode_fuzz,
  // regressions/chunk-record-time-not-minimal): the chunk does not give that time once for all.
  const std::string padded =
      "\x85\x80\x00\x00\x00\x00"s;  // time 5 in three bytes; no key, validity, properties
  std::vector<codec::AdjChunkEntry> one = {{1, 2, padded}};
  bytes.clear();
  ASSERT_TRUE(codec::AppendAdjChunk(&bytes, true, one).ok());
  ASSERT_TRUE(codec::DecodeAdjChunk(bytes, true, &back));
  EXPECT_FALSE(back.flags & codec::kAdjChunkOneRecordTime);
  std::string scratch;
  EXPECT_EQ(back.Record(0, &scratch), padded);
  // The same for a time whose ten bytes run past 64 bits (regressions/chunk-record-time-overflows).
  const std::string overflowing = "\xfa\xff\xff\xff\xff\xff\xff\xff\xff\x7f"s;
  one = {{1, 2, overflowing}};
  bytes.clear();
  ASSERT_TRUE(codec::AppendAdjChunk(&bytes, true, one).ok());
  ASSERT_TRUE(codec::DecodeAdjChunk(bytes, true, &back));
  EXPECT_EQ(back.Record(0, &scratch), overflowing);
}

// The bytes of a chunk and its keys are the on-disk format (key_codec.h, record.h).
TEST(KeyCodecTest, AdjacencyChunksHaveTheDocumentedBytes) {
  using layout::Direction;
  using namespace std::string_literals;
  RelRecord r;
  r.record_time = 300;  // varint AC 02
  const std::string rec = codec::EncodeRel(r);
  ASSERT_EQ(rec, "\xAC\x02\x00\x00\x00"s);
  std::vector<codec::AdjChunkEntry> out = {{7, 20, rec}, {9, 21, rec}};
  std::string bytes;
  ASSERT_TRUE(codec::AppendAdjChunk(&bytes, true, out).ok());
  // flags 3 (consecutive ids, one record time) | n 2 | time AC 02 | other 7 | rel 20 | record (3 bytes
  // without its time) | other + 2 | record
  EXPECT_EQ(bytes, "\x03\x02\xAC\x02\x07\x14\x03\x00\x00\x00\x02\x03\x00\x00\x00"s);
  std::vector<codec::AdjChunkEntry> in = {{7, 20, {}}, {9, 5, {}}};
  bytes.clear();
  ASSERT_TRUE(codec::AppendAdjChunk(&bytes, false, in).ok());
  EXPECT_EQ(bytes, "\x00\x02\x07\x14\x02\x1D"s);  // ids by zigzag difference: -15 is 29
  const layout::AdjKey first{1, Direction::kOut, 2, 7, 20};
  EXPECT_EQ(layout::AdjChunkKey(first, true), layout::AdjPrefix(1, Direction::kOut, 2));
  EXPECT_EQ(layout::AdjChunkKey(first, false), layout::EncodeAdjKey(first) + "C");
  EXPECT_EQ(layout::ClassifyAdjKey(layout::AdjChunkKey(first, true)), layout::AdjKeyKind::kFirstChunk);
  EXPECT_EQ(layout::ClassifyAdjKey(layout::AdjChunkKey(first, false)), layout::AdjKeyKind::kLaterChunk);
  EXPECT_EQ(layout::ClassifyAdjKey(layout::EncodeAdjKey(first)), layout::AdjKeyKind::kEntry);
  EXPECT_EQ(layout::ClassifyAdjKey(layout::EncodeAdjKey(first) + "D"), layout::AdjKeyKind::kMalformed);
  // A chunk sorts just before the entry keys it holds.
  EXPECT_LT(layout::AdjChunkKey(first, true), layout::EncodeAdjKey(first));
  EXPECT_LT(layout::EncodeAdjKey(first), layout::AdjChunkKey(first, false));
  EXPECT_LT(layout::AdjChunkKey(first, false), layout::EncodeAdjKey({1, Direction::kOut, 2, 7, 21}));
}

TEST(KeyCodecTest, HistoryKeysSortNewestFirst) {
  EXPECT_LT(layout::HistoryKey('N', 5, 200), layout::HistoryKey('N', 5, 100));
  EXPECT_LT(layout::HistoryKey('N', 5, 1), layout::HistoryKey('N', 6, 1000));
}

// Found by store_decode_fuzz (tests/fuzz/regressions/store_decode_fuzz/properties-out-of-order): a node
// record whose properties were out of key order decoded, and then FindNodeProperty, which relies on the
// order, missed one of them (a silent wrong answer). Properties and labels out of order, or repeated, are
// refused as corruption.
TEST(RecordCodecTest, RefusesPropertiesAndLabelsOutOfOrder) {
  NodeRecord good;
  good.key = "actor/a";
  good.labels = {1, 3};
  good.props = {{1, Value(int64_t{7})}, {4, Value("x")}};
  std::string enc = codec::EncodeNode(good);
  NodeRecord back;
  ASSERT_TRUE(codec::DecodeNode(enc, &back).ok());
  EXPECT_EQ(back.props.size(), 2u);
  Value found;
  auto has = codec::FindNodeProperty(enc, 1, &found);
  ASSERT_TRUE(has.ok());
  EXPECT_TRUE(*has);

  // The encoder writes what it is given, which is how damaged bytes look.
  for (PropertyList props : {PropertyList{{4, Value("x")}, {1, Value(int64_t{7})}},
                             PropertyList{{1, Value(int64_t{7})}, {1, Value(int64_t{8})}}}) {
    NodeRecord bad = good;
    bad.props = props;
    EXPECT_FALSE(codec::DecodeNode(codec::EncodeNode(bad), &back).ok());
    RelRecord rel;
    rel.props = props;
    RelRecord rel_back;
    EXPECT_FALSE(codec::DecodeRel(codec::EncodeRel(rel), &rel_back).ok());
  }
  for (std::vector<LabelId> labels : {std::vector<LabelId>{3, 1}, std::vector<LabelId>{2, 2}}) {
    NodeRecord bad = good;
    bad.labels = labels;
    EXPECT_FALSE(codec::DecodeNode(codec::EncodeNode(bad), &back).ok());
  }
}

}  // namespace
}  // namespace lodestone
