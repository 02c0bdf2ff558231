#include "store/value.h"

#include <random>

#include <gtest/gtest.h>

namespace lodestone {
namespace {

struct DateCase {
  const char* text;
  DatePrecision precision;
  const char* first_day;
  const char* end_day;  // exclusive
};

TEST(DateTest, ParsesEveryPrecisionAsAnInterval) {
  const DateCase cases[] = {
      {"2025-04-04", DatePrecision::kDay, "2025-04-04", "2025-04-05"},
      {"2025-10", DatePrecision::kMonth, "2025-10-01", "2025-11-01"},
      {"2025-12", DatePrecision::kMonth, "2025-12-01", "2026-01-01"},
      {"2024-02", DatePrecision::kMonth, "2024-02-01", "2024-03-01"},
      {"2026-Q1", DatePrecision::kQuarter, "2026-01-01", "2026-04-01"},
      {"2026-Q4", DatePrecision::kQuarter, "2026-10-01", "2027-01-01"},
      {"2026-H1", DatePrecision::kHalf, "2026-01-01", "2026-07-01"},
      {"2026-H2", DatePrecision::kHalf, "2026-07-01", "2027-01-01"},
      {"2025", DatePrecision::kYear, "2025-01-01", "2026-01-01"},
      {"0001", DatePrecision::kYear, "0001-01-01", "0002-01-01"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto d = Date::Parse(c.text);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(d->precision(), c.precision);
    EXPECT_EQ(d->ToString(), c.text);
    EXPECT_EQ(Date::Containing(d->start_day(), DatePrecision::kDay).ToString(), c.first_day);
    EXPECT_EQ(Date::Containing(d->end_day(), DatePrecision::kDay).ToString(), c.end_day);
  }
}

TEST(DateTest, RefusesMalformedDatesWithTheExpectedForms) {
  for (const char* bad : {"", "25", "2025-13", "2025-00", "2025-02-30", "2023-02-29", "2026-Q5", "2026-Q0",
                          "2026-H3", "2025-4-4", "2025/04/04", "2025-04-04x", "0000", "April 2025"}) {
    SCOPED_TRACE(bad);
    auto d = Date::Parse(bad);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(d.status().message().find(bad), std::string::npos);
  }
  EXPECT_TRUE(Date::Parse("2024-02-29").ok());  // a leap day
}

TEST(DateTest, ContainingRoundsDownToThePrecision) {
  int32_t day = Date::Parse("2025-11-17")->start_day();
  EXPECT_EQ(Date::Containing(day, DatePrecision::kMonth).ToString(), "2025-11");
  EXPECT_EQ(Date::Containing(day, DatePrecision::kQuarter).ToString(), "2025-Q4");
  EXPECT_EQ(Date::Containing(day, DatePrecision::kHalf).ToString(), "2025-H2");
  EXPECT_EQ(Date::Containing(day, DatePrecision::kYear).ToString(), "2025");
}

TEST(DateTest, ContainingGivesTheSameDateAsParsingItsText) {
  // Containing() computes start and end itself; parsing the text it prints must agree on both, on
  // every day of four years (a leap year among them) and at every precision.
  for (int32_t d = DaysFromCivil(2023, 1, 1); d < DaysFromCivil(2027, 1, 1); ++d) {
    for (auto p : {DatePrecision::kDay, DatePrecision::kMonth, DatePrecision::kQuarter, DatePrecision::kHalf,
                   DatePrecision::kYear}) {
      Date c = Date::Containing(d, p);
      auto parsed = Date::Parse(c.ToString());
      ASSERT_TRUE(parsed.ok()) << c.ToString();
      ASSERT_EQ(c.start_day(), parsed->start_day()) << c.ToString();
      ASSERT_EQ(c.end_day(), parsed->end_day()) << c.ToString();
      ASSERT_EQ(c.precision(), p);
      ASSERT_LE(c.start_day(), d);
      ASSERT_LT(d, c.end_day());
    }
  }
}

TEST(DateTest, CivilConversionRoundTripsOverFourCenturies) {
  int32_t first = DaysFromCivil(1800, 1, 1), last = DaysFromCivil(2200, 12, 31);
  int prev_year = 1799;
  for (int32_t d = first; d <= last; ++d) {
    int y;
    unsigned m, dd;
    CivilFromDays(d, &y, &m, &dd);
    ASSERT_EQ(DaysFromCivil(y, m, dd), d);
    ASSERT_GE(y, prev_year);
    prev_year = y;
  }
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
}

TEST(DateTest, OrdersByStartThenEnd) {
  auto d = [](const char* s) { return *Date::Parse(s); };
  EXPECT_LT(d("2025-01-01"), d("2025-01"));
  EXPECT_LT(d("2025-01"), d("2025-Q1"));
  EXPECT_LT(d("2025-Q1"), d("2025-H1"));
  EXPECT_LT(d("2025-H1"), d("2025"));
  EXPECT_LT(d("2025"), d("2025-01-02"));
}

TEST(DateTimeTest, ParsesOffsetsAndFractions) {
  auto a = DateTime::Parse("2026-01-10T12:00:00Z");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->ToString(), "2026-01-10T12:00:00Z");
  auto b = DateTime::Parse("2026-01-10T13:00:00+01:00");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->micros, a->micros);
  auto c = DateTime::Parse("2026-01-10T12:00:00.25Z");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->micros - a->micros, 250000);
  EXPECT_EQ(c->ToString(), "2026-01-10T12:00:00.25Z");
  EXPECT_EQ(DateTime::Parse("2026-01-10")->ToString(), "2026-01-10T00:00:00Z");
  EXPECT_EQ(DateTime::Parse("1969-12-31T23:59:59.5Z")->ToString(), "1969-12-31T23:59:59.5Z");
  for (const char* bad : {"2026-01-10T25:00", "2026-01-10T12", "yesterday", "2026-01-10T12:00:00+99:00"}) {
    EXPECT_FALSE(DateTime::Parse(bad).ok()) << bad;
  }
}

TEST(ValueTest, IdenticalDistinguishesKindsAndTreatsNaNAsItself) {
  EXPECT_TRUE(Identical(Value(1), Value(int64_t{1})));
  EXPECT_FALSE(Identical(Value(1), Value(1.0)));
  EXPECT_TRUE(Identical(Value(std::nan("")), Value(std::nan(""))));
  EXPECT_TRUE(Identical(Value(ValueList{1, "a"}), Value(ValueList{1, "a"})));
  EXPECT_FALSE(Identical(Value(ValueList{1, "a"}), Value(ValueList{1, "b"})));
  EXPECT_TRUE(Identical(Value(ValueMap{{"k", 1}}), Value(ValueMap{{"k", 1}})));
  EXPECT_FALSE(Value(NodeRef{1}).IsStorable());
  EXPECT_FALSE(Value(ValueList{Value(NodeRef{1})}).IsStorable());
  EXPECT_TRUE(Value(ValueList{1, ValueMap{{"a", "b"}}}).IsStorable());
}

TEST(ValueTest, PrintsLiterals) {
  EXPECT_EQ(Value().ToString(), "null");
  EXPECT_EQ(Value(1.0).ToString(), "1.0");
  EXPECT_EQ(Value("it's").ToString(), "'it\\'s'");
  EXPECT_EQ(Value(*Date::Parse("2025-10")).ToString(), "date('2025-10')");
  EXPECT_EQ(Value(ValueList{1, ValueMap{{"a", true}}}).ToString(), "[1, {a: true}]");
}

}  // namespace
}  // namespace lodestone
