// The temporal types of the query language besides Lodestone's dates (store/value.h): durations,
// times of day with and without an offset, and local date-times; plus what they share with DateTime
// (its offset and named time zone): ISO 8601 parsing and printing, the time-zone database, and the
// calendar arithmetic behind week dates, ordinal dates and quarters.
//
// Every type counts in nanoseconds. Printing follows the ISO 8601 forms the openCypher TCK expects:
// seconds are left out when they and the fraction are zero ("12:00"), a fraction has 3, 6 or 9 digits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/status.h"

namespace lodestone {

// 128-bit integers for sums of nanoseconds that overflow 64 bits (a GCC/Clang extension).
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kNanosPerDay = kSecondsPerDay * kNanosPerSecond;

// Floor division and modulo (the result of FloorMod has the sign of b), for int64_t and Int128.
inline int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
inline int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }
inline Int128 FloorDiv(Int128 a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
inline int64_t FloorMod(Int128 a, int64_t b) { return static_cast<int64_t>(a - FloorDiv(a, b) * b); }

// An amount of time in three independent parts, as openCypher defines it: months (a year is 12),
// days, and seconds with nanoseconds. A day is not always 24 hours and a month not always 30 days, so
// the parts are kept apart. `nanos` is in [0, 1e9); the exact amount of the time part is
// seconds + nanos / 1e9.
struct Duration {
  int64_t months = 0;
  int64_t days = 0;
  int64_t seconds = 0;
  int32_t nanos = 0;

  // From parts that may be out of range (nanos of any size and sign); normalises nanos into seconds.
  static Duration Of(int64_t months, int64_t days, int64_t seconds, int64_t nanos);
  // ISO 8601: "P1Y2M10DT12H45M30.5S", "P2W", "PT-1.5S", "P2012-02-02T14:37:21.545". A fraction in any
  // unit cascades into the smaller ones (a month is 2629746 seconds on average, a day 86400 seconds).
  static Result<Duration> Parse(std::string_view text);
  std::string ToString() const;  // "P1Y2M10DT12H45M30.5S"; "PT0S" when zero
  // The time part in nanoseconds (may overflow for absurd durations; callers check what they need).
  Int128 TotalNanos() const { return static_cast<Int128>(seconds) * kNanosPerSecond + nanos; }
  // Every part negated ("-P1DT0.5S" of "P1DT0.5S").
  Duration Negated() const { return Of(-months, -days, -seconds, -int64_t{nanos}); }
  friend bool operator==(const Duration&, const Duration&) = default;
};

// Sums amounts of months, days and seconds that may have fractions into a Duration: a fraction of a
// month cascades into days (a month is 30.436875 days on average), a fraction of a day into seconds.
class DurationBuilder {
 public:
  // One ISO 8601 unit: 'Y', 'M' (months), 'W', 'D', 'h', 'm', 's'; any other unit adds nothing.
  void Add(char unit, long double v);
  void Add(long double months, long double days, long double seconds) {
    months_ += months;
    days_ += days;
    seconds_ += seconds;
  }
  Duration Build() const;

 private:
  long double months_ = 0, days_ = 0, seconds_ = 0;
};

// A time of day without an offset: nanoseconds since midnight, in [0, kNanosPerDay).
struct LocalTime {
  int64_t nanos = 0;
  std::string ToString() const;  // "12:31:14.645876123", "12:31"
  friend auto operator<=>(const LocalTime&, const LocalTime&) = default;
};

// A time of day at an offset from UTC (seconds, -18h..+18h).
struct Time {
  int64_t nanos = 0;  // local time of day
  int32_t offset = 0;
  std::string ToString() const;  // "12:31:14+01:00", "12:31Z"
  // Nanoseconds since midnight UTC, not wrapped: what times compare by.
  int64_t UtcNanos() const { return nanos - int64_t{offset} * kNanosPerSecond; }
  friend bool operator==(const Time&, const Time&) = default;
};

// A date and time of day without an offset: seconds since 1970-01-01T00:00 on the local clock.
struct LocalDateTime {
  int64_t seconds = 0;
  int32_t nanos = 0;             // [0, 1e9)
  std::string ToString() const;  // "2015-07-21T21:40:32.142"
  friend auto operator<=>(const LocalDateTime&, const LocalDateTime&) = default;
};

// ---- formatting pieces ----

// "HH:MM", then ":SS" when seconds or a fraction are present, then the fraction in 3, 6 or 9 digits.
std::string FormatTimeOfDay(int64_t nanos_of_day);
std::string FormatDay(int64_t epoch_day);          // "2015-07-21"; years outside 0000-9999 get a sign
std::string FormatOffset(int32_t offset_seconds);  // "Z", "+01:00", "-02:05:07"

// ---- calendars (proleptic Gregorian; day 0 is 1970-01-01) ----

struct CivilDay {
  int64_t year;
  int month;  // 1-12
  int day;    // 1-31
};
CivilDay CivilOf(int64_t epoch_day);
int64_t EpochDay(int64_t year, int month, int day);
bool IsLeapYear(int64_t year);
int DaysInMonthOf(int64_t year, int month);
int DayOfWeek(int64_t epoch_day);  // 1 (Monday) .. 7 (Sunday)
// ISO week date: the week-based year and week (1-53) of a day, and the first day of a week year.
void IsoWeekOf(int64_t epoch_day, int64_t* week_year, int* week);
int64_t IsoWeekYearStart(int64_t week_year);
int IsoWeeksInYear(int64_t week_year);

// ---- time zones ----

// A named zone of the system's tz database (/usr/share/zoneinfo), as a small number for values to
// carry: 0 is "no named zone". Names resolve case-sensitively as the database spells them.
std::optional<int32_t> FindTimeZone(std::string_view name);
const std::string& TimeZoneName(int32_t zone);
// The offset (seconds east of UTC) in force at an instant (seconds since the epoch, UTC).
int32_t ZoneOffsetAt(int32_t zone, int64_t epoch_second);
// The offset for a local date-time in a zone: in an overlap the earlier offset; in a gap the offset
// before the gap (the local time then moves forward by the gap's length, as ISO/Java do).
int32_t ZoneOffsetForLocal(int32_t zone, int64_t local_second);

// ---- ISO 8601 text ----

// The parts of an ISO 8601 date, time or date-time string; what is absent stays nullopt.
struct ParsedTemporal {
  std::optional<int64_t> day;        // epoch day
  std::optional<int64_t> time;       // nanoseconds of the day
  std::optional<int32_t> offset;     // seconds
  std::optional<int32_t> zone;       // a named zone in brackets (or as the only zone designator)
  bool imprecise_date_form = false;  // "2015-07" or "2015": Lodestone reads these as imprecise dates
};
// Reads a date ("2015-07-21", "20150721", "2015-W30-2", "2015-202", "2015-07", "2015"), a time
// ("21:40:32.142", "214032", "21", with "Z", "+0100", "-01:30" or "+01:00[Europe/Stockholm]"), or both
// separated by "T". `what` names the expected form in the error ("a date", "a time", ...).
Result<ParsedTemporal> ParseIsoTemporal(std::string_view text, bool want_date, bool want_time,
                                        std::string_view what);
// "+01:00", "-0130", "+05", "Z", or a zone name: the offset, or the named zone.
Result<std::pair<int32_t, int32_t>> ParseTimeZone(std::string_view text);  // (offset, zone id or 0)

}  // namespace lodestone
