// Durations, times, local and zoned date-times end to end: construction, accessors, arithmetic,
// comparison, storage, and how they meet Lodestone's imprecise dates.
#include <gtest/gtest.h>

#include "query/database.h"
#include "query/result_format.h"
#include "tests/support/query_test.h"

namespace lodestone {
namespace {

class TemporalTest : public testing::QueryTest {
 protected:
  TemporalTest() : QueryTest(1'700'000'000'000'000, /*tick=*/1000) {}

  // The single value a statement returns, as text.
  std::string One(const std::string& q) {
    ExecResult r = Run(q);
    EXPECT_TRUE(r.ok()) << q << "\n" << (r.error ? r.error->formatted : "");
    if (!r.ok() || r.result.rows.size() != 1 || r.result.rows[0].size() != 1) return "<no single value>";
    return ValueToText(r.result.rows[0][0], &r.result);
  }
};

TEST_F(TemporalTest, ParsesAndPrintsDurations) {
  EXPECT_EQ(One("RETURN duration('P1Y2M10DT12H45M30.5S')"), "P1Y2M10DT12H45M30.5S");
  EXPECT_EQ(One("RETURN duration('P2.5W')"), "P17DT12H");
  EXPECT_EQ(One("RETURN duration('P0.75M')"), "P22DT19H51M49.5S");
  EXPECT_EQ(One("RETURN duration('PT-1.5S')"), "PT-1.5S");
  EXPECT_EQ(One("RETURN duration('P2012-02-02T14:37:21.545')"), "P2012Y2M2DT14H37M21.545S");
  EXPECT_EQ(One("RETURN duration({days: 14, seconds: 70, nanoseconds: 1})"), "P14DT1M10.000000001S");
  EXPECT_EQ(One("RETURN duration('PT0S')"), "PT0S");
}

TEST_F(TemporalTest, BadDurationSaysWhatWasExpected) {
  QueryError e = Error("RETURN duration('P1Q')");
  EXPECT_NE(e.message.find("'P1Q' is not a duration"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("P1Y2M10DT12H45M30.5S"), std::string::npos) << e.message;
  e = Error("RETURN duration({fortnights: 2})");
  EXPECT_NE(e.message.find("does not know the field 'fortnights'"), std::string::npos) << e.message;
}

TEST_F(TemporalTest, ConstructsFromIsoText) {
  EXPECT_EQ(One("RETURN date('2015-W30-2')"), "2015-07-21");
  EXPECT_EQ(One("RETURN date('2015202')"), "2015-07-21");
  EXPECT_EQ(One("RETURN localtime('214032.142')"), "21:40:32.142");
  EXPECT_EQ(One("RETURN time('2140-02')"), "21:40-02:00");
  EXPECT_EQ(One("RETURN toString(localdatetime('2015-W30T2140'))"), "2015-07-20T21:40");
  EXPECT_EQ(One("RETURN toString(datetime('2015-07-21T21:40:32.142[Europe/London]'))"),
            "2015-07-21T21:40:32.142+01:00[Europe/London]");
}

TEST_F(TemporalTest, BadTextNamesTheExpectedForm) {
  QueryError e = Error("RETURN localtime('25:00')");
  EXPECT_NE(e.message.find("'25:00' is not a time"), std::string::npos) << e.message;
  e = Error("RETURN datetime({year: 2020, timezone: 'Mars/Olympus'})");
  EXPECT_NE(e.message.find("'Mars/Olympus' is not a time zone"), std::string::npos) << e.message;
  e = Error("RETURN date({year: 2021, month: 2, day: 29})");
  EXPECT_NE(e.message.find("day must be 1 to 28"), std::string::npos) << e.message;
}

TEST_F(TemporalTest, NamedZonesFollowDaylightSavingTime) {
  // Europe/Stockholm is +01:00 in winter and +02:00 in summer.
  EXPECT_EQ(One("RETURN toString(datetime({year: 1984, month: 1, day: 11, hour: 12, timezone: "
                "'Europe/Stockholm'}))"),
            "1984-01-11T12:00+01:00[Europe/Stockholm]");
  EXPECT_EQ(One("RETURN toString(datetime({year: 1984, month: 7, day: 20, hour: 12, timezone: "
                "'Europe/Stockholm'}))"),
            "1984-07-20T12:00+02:00[Europe/Stockholm]");
  // 02:30 on 2017-03-26 does not exist there: the clock jumps from 02:00 to 03:00.
  EXPECT_EQ(One("RETURN toString(datetime('2017-03-26T02:30[Europe/Stockholm]'))"),
            "2017-03-26T03:30+02:00[Europe/Stockholm]");
  // Six hours pass across the autumn change although the clocks show five.
  EXPECT_EQ(One("RETURN duration.between(datetime('2017-10-28T23:00[Europe/Stockholm]'), "
                "datetime('2017-10-29T04:00[Europe/Stockholm]'))"),
            "PT6H");
}

TEST_F(TemporalTest, AccessorsArithmeticAndComparison) {
  EXPECT_EQ(One("RETURN date('1984-10-11').week"), "41");
  EXPECT_EQ(One("RETURN datetime('2015-07-21T21:40:32.142+01:00').offsetMinutes"), "60");
  EXPECT_EQ(One("RETURN duration('P1Y4M10DT1H1M1.111S').monthsOfYear"), "4");
  EXPECT_EQ(One("RETURN toString(date('2020-01-31') + duration('P1M'))"), "2020-02-29");
  EXPECT_EQ(One("RETURN toString(localtime('23:00') + duration('PT2H'))"), "01:00");
  EXPECT_EQ(One("RETURN toString(duration('P1D') * 1.5)"), "P1DT12H");
  EXPECT_EQ(One("RETURN time('12:00+01:00') < time('12:00Z')"), "true");
  EXPECT_EQ(One("RETURN duration('P1D') < duration('PT24H')"), "null");
  EXPECT_EQ(One("RETURN localtime('12:00') = time('12:00Z')"), "false");
}

TEST_F(TemporalTest, ImpreciseDatesGiveIntervalsOrUnknown) {
  // The text form keeps Lodestone's precisions; the map form follows openCypher.
  EXPECT_EQ(One("RETURN date('2025-10')"), "2025-10");
  EXPECT_EQ(One("RETURN date({year: 2025, month: 10})"), "2025-10-01");
  // A whole number of periods moves the period; anything else lands somewhere unknown.
  EXPECT_EQ(One("RETURN date('2025-10') + duration('P1M')"), "2025-11");
  EXPECT_EQ(One("RETURN date('2026-Q1') + duration('P3M')"), "2026-Q2");
  EXPECT_EQ(One("RETURN date('2025-10') + duration('P3D')"), "null");
  EXPECT_EQ(One("RETURN duration.between(date('2025-10'), date('2025-12-01'))"), "null");
  EXPECT_EQ(One("RETURN date('2025') .week"), "null");
  EXPECT_EQ(One("RETURN date('2025').year"), "2025");
}

TEST_F(TemporalTest, StoresEveryTemporalType) {
  ASSERT_EQ(
      One("CREATE (n:T {d: duration('P1DT2H'), t: time('12:31:14.000000001+05:30'), lt: localtime('01:02'), "
          "ldt: localdatetime('2015-07-21T21:40'), dt: "
          "datetime('2015-07-21T21:40:32.142[Europe/Stockholm]'), "
          "plain: datetime('2026-01-10T12:00:00Z')}) RETURN count(n)"),
      "1");
  EXPECT_EQ(One("MATCH (n:T) RETURN toString(n.d) + ' ' + toString(n.t) + ' ' + toString(n.lt) + ' ' + "
                "toString(n.ldt) + ' ' + toString(n.dt) + ' ' + toString(n.plain)"),
            "P1DT2H 12:31:14.000000001+05:30 01:02 2015-07-21T21:40 "
            "2015-07-21T21:40:32.142+02:00[Europe/Stockholm] "
            "2026-01-10T12:00Z");
}

TEST_F(TemporalTest, TruncatesAndSelects) {
  EXPECT_EQ(One("RETURN toString(datetime.truncate('weekYear', localdatetime('1984-01-01T12:31'), "
                "{timezone: 'Europe/Stockholm'}))"),
            "1983-01-03T00:00+01:00[Europe/Stockholm]");
  EXPECT_EQ(One("RETURN toString(date({date: date('1816-12-31'), week: 2}))"), "1817-01-07");
  EXPECT_EQ(One("RETURN toString(time({time: time('12:31:14+01:00'), timezone: '+05:00'}))"),
            "16:31:14+05:00");
  QueryError e = Error("RETURN date.truncate('fortnight', date('2020-01-01'))");
  EXPECT_NE(e.message.find("not 'fortnight'"), std::string::npos) << e.message;
}

// Equal date-times have the same instant, offset and zone; the index holds only the instant, so an
// index seek must leave equality to the filter.
TEST_F(TemporalTest, AnIndexSeekOnADateTimeKeepsEqualityOfTheOffset) {
  ASSERT_TRUE(Run("CREATE (:Shipment {at: datetime('2020-01-01T09:00Z')})").ok());
  const std::string q = "MATCH (s:Shipment) WHERE s.at = datetime('2020-01-01T10:00+01:00') RETURN count(s)";
  EXPECT_EQ(One(q), "0");
  ASSERT_TRUE(Run("CREATE INDEX ON :Shipment(at)").ok());
  EXPECT_EQ(One(q), "0");
  EXPECT_EQ(One("MATCH (s:Shipment) WHERE s.at = datetime('2020-01-01T09:00Z') RETURN count(s)"), "1");
  EXPECT_EQ(One("MATCH (s:Shipment) WHERE s.at < datetime('2020-01-01T10:00:01+01:00') RETURN count(s)"),
            "1");
}

TEST_F(TemporalTest, AListTakesADurationAsAnElement) {
  EXPECT_EQ(One("RETURN size([1] + duration('P1D'))"), "2");
  EXPECT_EQ(One("RETURN toString(([date('2020-01-01')] + duration('P1D'))[1])"), "P1D");
  QueryError e = Error("WITH date('2020-01-01') AS d RETURN d * 2");
  EXPECT_NE(e.message.find("cannot apply * to DATE and INTEGER"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace lodestone
