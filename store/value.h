// Values: what a property holds, and what a query computes.
//
// A property value is null, bool, int64, double, string, Date (with precision), DateTime, Duration,
// LocalTime, Time, LocalDateTime (store/temporal.h), or a list or map of property values. A query may also
// compute node, relationship and path values; those are runtime-only and the store refuses to keep them as
// properties.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/status.h"
#include "store/temporal.h"

namespace lodestone {

using NodeId = uint64_t;
using RelId = uint64_t;
using LabelId = uint32_t;
using RelTypeId = uint32_t;
using PropKeyId = uint32_t;

// How much of a date is known. DO NOT renumber: stored on disk and ordered (finer < coarser).
enum class DatePrecision : uint8_t { kDay = 0, kMonth = 1, kQuarter = 2, kHalf = 3, kYear = 4 };

std::string_view PrecisionName(DatePrecision p);  // "day", "month", "quarter", "half", "year"
// The precision a name denotes, in any letter case ("Month" too); nullopt for any other text.
std::optional<DatePrecision> ParsePrecisionName(std::string_view name);

// A calendar date known to some precision. It denotes the half-open interval of days
// [start_day, end_day()): "2025-10" is every day of October 2025. Days count from 1970-01-01 (day 0)
// in the proleptic Gregorian calendar.
class Date {
 public:
  Date() = default;
  // The date of the given precision that contains the day; e.g. (2025-10-17, kMonth) is "2025-10".
  static Date Containing(int32_t day, DatePrecision p);
  static Result<Date> FromYmd(int year, int month, int day);  // a day-precision date
  // Parses "2025-04-04", "2025-10", "2026-Q1", "2026-H1", "2025". Years 0001-9999.
  static Result<Date> Parse(std::string_view text);

  int32_t start_day() const { return start_; }
  int32_t end_day() const { return end_; }  // exclusive
  // The last microsecond of the date (UTC), as a record time reads a date: KNOWN AT date('2026-11-28')
  // sees every commit of that day.
  int64_t LastMicro() const { return int64_t{end_} * 86'400'000'000 - 1; }
  DatePrecision precision() const { return precision_; }
  int year() const;
  int month() const;             // 1-12, of the start day
  int day() const;               // 1-31, of the start day
  std::string ToString() const;  // in the form Parse() reads

  friend bool operator==(const Date& a, const Date& b) {
    return a.start_ == b.start_ && a.precision_ == b.precision_;
  }
  // Storage and index order: by start, then by end (finer precision first at the same start).
  friend auto operator<=>(const Date& a, const Date& b) {
    if (a.start_ != b.start_) return a.start_ <=> b.start_;
    return a.precision_ <=> b.precision_;
  }

 private:
  Date(int32_t start, DatePrecision p) : start_(start), end_(EndOf(start, p)), precision_(p) {}
  Date(int32_t start, int32_t end, DatePrecision p) : start_(start), end_(end), precision_(p) {}
  static int32_t EndOf(int32_t start, DatePrecision p);
  int32_t start_ = 0;
  int32_t end_ = 1;  // derived from start_ and precision_, kept because comparisons need it often
  DatePrecision precision_ = DatePrecision::kDay;
};

// Civil-calendar helpers (proleptic Gregorian, day 0 = 1970-01-01) for Date's 32-bit days: thin
// wrappers over EpochDay and CivilOf (store/temporal.h).
int32_t DaysFromCivil(int year, unsigned month, unsigned day);
void CivilFromDays(int32_t days, int* year, unsigned* month, unsigned* day);

// An instant, in microseconds since 1970-01-01T00:00:00Z, with what the query language's datetime
// values add: nanoseconds below the microsecond, the offset it was given at, and a named time zone.
// Record times use only `micros`; so did every stored value before the query language had offsets.
struct DateTime {
  int64_t micros = 0;
  int32_t sub_micro_nanos = 0;  // [0, 1000)
  int32_t offset = 0;           // seconds east of UTC the value is shown at
  int32_t zone = 0;             // a named zone (store/temporal.h), or 0

  // An instant from seconds and nanoseconds since the epoch (nanos of any size), at an offset/zone.
  static DateTime FromEpoch(int64_t seconds, int64_t nanos, int32_t offset = 0, int32_t zone = 0);
  int64_t EpochSecond() const { return FloorDiv(micros, 1'000'000); }
  int32_t NanoOfSecond() const {
    return static_cast<int32_t>(FloorMod(micros, 1'000'000) * 1000 + sub_micro_nanos);
  }
  // Seconds since 1970-01-01T00:00 on the clock at the value's offset.
  int64_t LocalSecond() const { return EpochSecond() + offset; }
  bool HasOffsetOrZone() const { return offset != 0 || zone != 0 || sub_micro_nanos != 0; }
  // The query language's form: "2015-07-21T21:40:32.142+01:00[Europe/Stockholm]", "1984-10-11T12:00Z".
  std::string IsoString() const;
  // Parses ISO 8601: "2026-01-10T12:00:00Z", "2026-01-10T12:00:00.5+01:00", "2026-01-10T12:00",
  // "2026-01-10" (midnight UTC). A missing offset means UTC.
  static Result<DateTime> Parse(std::string_view text);
  std::string ToString() const;  // "2026-01-10T12:00:00Z", with fractional seconds when present
  // The UTC day it falls on, in days since 1970-01-01 (rounded down, also before 1970).
  int32_t Day() const {
    constexpr int64_t kDay = 86'400'000'000;
    return static_cast<int32_t>(micros >= 0 ? micros / kDay : -((-micros + kDay - 1) / kDay));
  }
  friend auto operator<=>(const DateTime&, const DateTime&) = default;
};

// A record time in microseconds since the epoch (KNOWN AT, `lodestone diff --known`, diff.recorded): an
// ISO 8601 instant as DateTime::Parse reads it, or text without a 'T' that Date::Parse reads
// ("2026-11-28", "2026-11"), which means the end of that date (Date::LastMicro).
Result<int64_t> ParseRecordInstant(std::string_view text);

class Value;
using ValueList = std::vector<Value>;
using ValueMap = std::map<std::string, Value, std::less<>>;

// Runtime-only references produced by pattern matching.
struct NodeRef {
  NodeId id = 0;
  friend bool operator==(const NodeRef&, const NodeRef&) = default;
};
struct RelRef {
  RelId id = 0;
  NodeId src = 0;
  NodeId dst = 0;
  RelTypeId type = 0;
  friend bool operator==(const RelRef&, const RelRef&) = default;
};
struct PathValue {
  std::vector<NodeRef> nodes;  // nodes.size() == rels.size() + 1
  std::vector<RelRef> rels;
  friend bool operator==(const PathValue&, const PathValue&) = default;
};

class Value {
 public:
  // DO NOT renumber: the kind is the type tag of the stored value encoding.
  enum class Kind : uint8_t {
    kNull = 0,
    kBool = 1,
    kInt = 2,
    kFloat = 3,
    kString = 4,
    kDate = 5,
    kDateTime = 6,
    kList = 7,
    kMap = 8,
    kNode = 9,   // runtime only
    kRel = 10,   // runtime only
    kPath = 11,  // runtime only
    kDuration = 12,
    kLocalTime = 13,
    kTime = 14,
    kLocalDateTime = 15,
  };

  Value() = default;
  Value(std::nullptr_t) {}                                                     // NOLINT
  Value(bool b) : v_(b) {}                                                     // NOLINT
  Value(int v) : v_(int64_t{v}) {}                                             // NOLINT
  Value(int64_t v) : v_(v) {}                                                  // NOLINT
  Value(double v) : v_(v) {}                                                   // NOLINT
  Value(std::string s) : v_(std::move(s)) {}                                   // NOLINT
  Value(std::string_view s) : v_(std::string(s)) {}                            // NOLINT
  Value(const char* s) : v_(std::string(s)) {}                                 // NOLINT
  Value(Date d) : v_(d) {}                                                     // NOLINT
  Value(DateTime d) : v_(d) {}                                                 // NOLINT
  Value(ValueList l) : v_(std::make_shared<const ValueList>(std::move(l))) {}  // NOLINT
  Value(ValueMap m) : v_(std::make_shared<const ValueMap>(std::move(m))) {}    // NOLINT
  Value(NodeRef n) : v_(n) {}                                                  // NOLINT
  Value(RelRef r) : v_(r) {}                                                   // NOLINT
  Value(PathValue p) : v_(std::make_shared<const PathValue>(std::move(p))) {}  // NOLINT
  Value(Duration d) : v_(d) {}                                                 // NOLINT
  Value(LocalTime t) : v_(t) {}                                                // NOLINT
  Value(Time t) : v_(t) {}                                                     // NOLINT
  Value(LocalDateTime t) : v_(t) {}                                            // NOLINT

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_int() const { return kind() == Kind::kInt; }
  bool is_float() const { return kind() == Kind::kFloat; }
  bool is_number() const { return is_int() || is_float(); }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_date() const { return kind() == Kind::kDate; }
  bool is_datetime() const { return kind() == Kind::kDateTime; }
  bool is_list() const { return kind() == Kind::kList; }
  bool is_map() const { return kind() == Kind::kMap; }
  bool is_node() const { return kind() == Kind::kNode; }
  bool is_rel() const { return kind() == Kind::kRel; }
  bool is_path() const { return kind() == Kind::kPath; }
  bool is_duration() const { return kind() == Kind::kDuration; }
  bool is_localtime() const { return kind() == Kind::kLocalTime; }
  bool is_time() const { return kind() == Kind::kTime; }
  bool is_localdatetime() const { return kind() == Kind::kLocalDateTime; }

  bool as_bool() const { return std::get<bool>(v_); }
  int64_t as_int() const { return std::get<int64_t>(v_); }
  double as_float() const { return std::get<double>(v_); }
  double as_number() const { return is_int() ? static_cast<double>(as_int()) : as_float(); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  Date as_date() const { return std::get<Date>(v_); }
  DateTime as_datetime() const { return std::get<DateTime>(v_); }
  const ValueList& as_list() const { return *std::get<ListPtr>(v_); }
  const ValueMap& as_map() const { return *std::get<MapPtr>(v_); }
  NodeRef as_node() const { return std::get<NodeRef>(v_); }
  const RelRef& as_rel() const { return std::get<RelRef>(v_); }
  const PathValue& as_path() const { return *std::get<PathPtr>(v_); }
  const Duration& as_duration() const { return std::get<Duration>(v_); }
  LocalTime as_localtime() const { return std::get<LocalTime>(v_); }
  Time as_time() const { return std::get<Time>(v_); }
  LocalDateTime as_localdatetime() const { return std::get<LocalDateTime>(v_); }

  // True when the value may be stored as a property: no node, relationship or path inside.
  bool IsStorable() const;
  // Structural identity, used to detect "unchanged" writes: NaN is identical to NaN, 1 is not 1.0.
  friend bool Identical(const Value& a, const Value& b);
  // A readable literal form: null, true, 42, 4.5, 'text', date('2025-10'), [1, 2], {a: 1}.
  std::string ToString() const;

  static std::string_view KindName(Kind k);  // "NULL", "BOOLEAN", "INTEGER", ...

 private:
  using ListPtr = std::shared_ptr<const ValueList>;
  using MapPtr = std::shared_ptr<const ValueMap>;
  using PathPtr = std::shared_ptr<const PathValue>;
  std::variant<std::monostate, bool, int64_t, double, std::string, Date, DateTime, ListPtr, MapPtr, NodeRef,
               RelRef, PathPtr, Duration, LocalTime, Time, LocalDateTime>
      v_;
};

// Quotes a string for display in the query language: 'it\'s'.
std::string QuoteString(std::string_view s);

}  // namespace lodestone
