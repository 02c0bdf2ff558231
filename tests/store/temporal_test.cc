// store/temporal.h: ISO 8601 text, calendars, time zones, and the stored encoding of temporal values.
#include "store/temporal.h"

#include <gtest/gtest.h>

#include "store/record.h"
#include "store/value.h"

namespace lodestone {
namespace {

Value RoundTrip(const Value& v) {
  std::string enc;
  codec::AppendValue(&enc, v);
  std::string_view in = enc;
  Value back;
  EXPECT_TRUE(codec::DecodeValue(&in, &back)) << v.ToString();
  EXPECT_TRUE(in.empty()) << v.ToString();
  return back;
}

TEST(TemporalCodecTest, EveryTemporalTypeRoundTrips) {
  auto zone = FindTimeZone("Europe/Stockholm");
  ASSERT_TRUE(zone.has_value());
  const Value values[] = {
      Value(Duration::Of(-14, 3, -7, 5)),
      Value(Duration::Of(0, 0, 0, -1)),
      Value(LocalTime{kNanosPerDay - 1}),
      Value(Time{12 * 3600 * kNanosPerSecond + 1, -(2 * 3600 + 5 * 60 + 7)}),
      Value(LocalDateTime{-62'135'596'800, 999'999'999}),
      Value(DateTime::FromEpoch(1'437'511'232, 142'000'001, 7200, *zone)),
      Value(DateTime::FromEpoch(-1, 3, -3600, 0)),
  };
  for (const Value& v : values) EXPECT_TRUE(Identical(RoundTrip(v), v)) << v.ToString();
}

TEST(TemporalCodecTest, PlainDateTimesKeepTheirOldBytes) {
  // Kind 6 then the zigzag varint of the microseconds: what every database before offsets stored.
  std::string enc;
  codec::AppendValue(&enc, Value(DateTime{1}));
  EXPECT_EQ(enc, std::string("\x06\x02", 2));
  // An offset makes it the zoned form (tag 16), which still decodes to a DATETIME.
  enc.clear();
  codec::AppendValue(&enc, Value(DateTime::FromEpoch(0, 0, 3600)));
  EXPECT_EQ(enc[0], '\x10');
  EXPECT_EQ(RoundTrip(Value(DateTime::FromEpoch(0, 0, 3600))).kind(), Value::Kind::kDateTime);
}

TEST(TemporalCodecTest, RefusesDamagedTemporalBytes) {
  std::string enc;
  codec::AppendValue(&enc, Value(Duration::Of(1, 2, 3, 4)));
  for (size_t cut = 1; cut < enc.size(); ++cut) {
    std::string_view in(enc.data(), cut);
    Value back;
    EXPECT_FALSE(codec::DecodeValue(&in, &back)) << "cut at " << cut;
  }
  // A time of day past midnight is not a time.
  std::string bad = "\x0d";
  bad += std::string("\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 9);
  std::string_view in = bad;
  Value back;
  EXPECT_FALSE(codec::DecodeValue(&in, &back));
}

TEST(TemporalTextTest, DurationsParseAndPrint) {
  auto d = Duration::Parse("P1Y2M10DT12H45M30.5S");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->months, 14);
  EXPECT_EQ(d->days, 10);
  EXPECT_EQ(d->seconds, 12 * 3600 + 45 * 60 + 30);
  EXPECT_EQ(d->nanos, 500'000'000);
  EXPECT_EQ(d->ToString(), "P1Y2M10DT12H45M30.5S");
  EXPECT_EQ(Duration::Parse("PT-0.001S")->ToString(), "PT-0.001S");
  EXPECT_EQ(Duration::Parse("-P1D")->ToString(), "P-1D");
  EXPECT_EQ(Duration::Parse("PT-1M-0.001S")->ToString(), "PT-1M-0.001S");
  for (const char* bad : {"P1Q", "P", "PT", "1D", "P1D2Y", "PT1H2H", "P1.5"}) {
    auto r = Duration::Parse(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("is not a duration"), std::string::npos);
    }
  }
}

TEST(TemporalTextTest, IsoFormsAndTheirErrors) {
  auto p = ParseIsoTemporal("2015-W53-7", true, false, "a date");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(FormatDay(*p->day), "2016-01-03");
  EXPECT_FALSE(ParseIsoTemporal("2015-W54", true, false, "a date").ok());
  EXPECT_FALSE(ParseIsoTemporal("2015-366", true, false, "a date").ok());  // 2015 is not a leap year
  EXPECT_TRUE(ParseIsoTemporal("2016-366", true, false, "a date").ok());
  p = ParseIsoTemporal("21:40:32.000000001-02:05:07", false, true, "a time");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(FormatTimeOfDay(*p->time), "21:40:32.000000001");
  EXPECT_EQ(FormatOffset(*p->offset), "-02:05:07");
  auto bad = ParseIsoTemporal("24:00", false, true, "a time");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'24:00' is not a time"), std::string::npos);
  EXPECT_FALSE(ParseIsoTemporal("12:00+19:00", false, true, "a time").ok());
  EXPECT_FALSE(ParseIsoTemporal("12:00[No/Such_Zone]", false, true, "a time").ok());
}

TEST(TimeZoneTest, TransitionsGapsAndOverlaps) {
  auto zone = FindTimeZone("Europe/Stockholm");
  ASSERT_TRUE(zone.has_value());
  EXPECT_EQ(TimeZoneName(*zone), "Europe/Stockholm");
  EXPECT_EQ(FindTimeZone("Europe/Stockholm"), zone);  // loaded once
  int64_t day = EpochDay(2017, 3, 26);
  // Summer time starts at 01:00 UTC: 00:59:59 UTC is +01:00, 01:00 UTC is +02:00.
  EXPECT_EQ(ZoneOffsetAt(*zone, day * kSecondsPerDay + 3599), 3600);
  EXPECT_EQ(ZoneOffsetAt(*zone, day * kSecondsPerDay + 3600), 7200);
  // 02:30 local does not exist that day: the offset before the gap.
  EXPECT_EQ(ZoneOffsetForLocal(*zone, day * kSecondsPerDay + 2 * 3600 + 1800), 3600);
  // 02:30 local on 2017-10-29 happens twice: the earlier offset.
  EXPECT_EQ(ZoneOffsetForLocal(*zone, EpochDay(2017, 10, 29) * kSecondsPerDay + 2 * 3600 + 1800), 7200);
  // Before standard time (1879), local mean time, which is not a whole number of minutes (its value
  // depends on the tz database's version).
  EXPECT_NE(ZoneOffsetAt(*zone, EpochDay(1818, 7, 21) * kSecondsPerDay) % 60, 0);
  EXPECT_FALSE(FindTimeZone("../etc/passwd").has_value());
  EXPECT_FALSE(FindTimeZone("Mars/Olympus").has_value());
}

TEST(CalendarTest, IsoWeeks) {
  int64_t wy;
  int w;
  IsoWeekOf(EpochDay(1984, 1, 1), &wy, &w);  // a Sunday: week 52 of 1983
  EXPECT_EQ(wy, 1983);
  EXPECT_EQ(w, 52);
  EXPECT_EQ(IsoWeeksInYear(2015), 53);
  EXPECT_EQ(IsoWeeksInYear(2016), 52);
  EXPECT_EQ(DayOfWeek(0), 4);  // 1970-01-01 was a Thursday
}

}  // namespace
}  // namespace lodestone
