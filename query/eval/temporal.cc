#include "query/eval/temporal.h"

#include <chrono>
#include <cmath>

#include "query/exec/context.h"
#include "util/strings.h"

namespace lodestone::query {
namespace {

using Args = std::vector<Value>;
using Loc = ast::SourceLocation;

enum class Type { kDate, kLocalTime, kTime, kLocalDateTime, kDateTime };

const char* FnName(Type t) {
  switch (t) {
    case Type::kDate:
      return "date";
    case Type::kLocalTime:
      return "localtime";
    case Type::kTime:
      return "time";
    case Type::kLocalDateTime:
      return "localdatetime";
    case Type::kDateTime:
      return "datetime";
  }
  return "?";
}
bool HasDate(Type t) { return t == Type::kDate || t == Type::kLocalDateTime || t == Type::kDateTime; }
bool HasTime(Type t) { return t != Type::kDate; }
bool HasZone(Type t) { return t == Type::kTime || t == Type::kDateTime; }

[[noreturn]] void Fail(const std::string& message, Loc loc, const char* detail = "InvalidArgumentValue") {
  ThrowArgument(message, loc, detail);
}

// A temporal value taken apart: what it knows of the date, the time of day, and the offset or zone.
struct Parts {
  std::optional<int64_t> day;     // epoch day
  std::optional<int64_t> time;    // nanoseconds of the day
  std::optional<int32_t> offset;  // seconds east of UTC
  int32_t zone = 0;               // a named zone, or 0
};

bool IsTemporalValue(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kDate:
    case Value::Kind::kDateTime:
    case Value::Kind::kLocalTime:
    case Value::Kind::kTime:
    case Value::Kind::kLocalDateTime:
      return true;
    default:
      return false;
  }
}

bool IsImpreciseDate(const Value& v) { return v.is_date() && v.as_date().precision() != DatePrecision::kDay; }

Parts PartsOf(const Value& v) {
  Parts p;
  switch (v.kind()) {
    case Value::Kind::kDate:
      p.day = v.as_date().start_day();
      break;
    case Value::Kind::kDateTime: {
      const DateTime& d = v.as_datetime();
      int64_t local = d.LocalSecond();
      p.day = FloorDiv(local, kSecondsPerDay);
      p.time = FloorMod(local, kSecondsPerDay) * kNanosPerSecond + d.NanoOfSecond();
      p.offset = d.offset;
      p.zone = d.zone;
      break;
    }
    case Value::Kind::kLocalDateTime: {
      LocalDateTime d = v.as_localdatetime();
      p.day = FloorDiv(d.seconds, kSecondsPerDay);
      p.time = FloorMod(d.seconds, kSecondsPerDay) * kNanosPerSecond + d.nanos;
      break;
    }
    case Value::Kind::kLocalTime:
      p.time = v.as_localtime().nanos;
      break;
    case Value::Kind::kTime:
      p.time = v.as_time().nanos;
      p.offset = v.as_time().offset;
      break;
    default:
      break;
  }
  return p;
}

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The instant of a local date-time in a zone (or at a fixed offset), and the offset it ends up at.
DateTime ZonedOf(int64_t day, int64_t time, int32_t offset, int32_t zone) {
  int64_t local = day * kSecondsPerDay + time / kNanosPerSecond;
  if (zone != 0) {
    offset = ZoneOffsetForLocal(zone, local);
    int64_t instant = local - offset;
    offset = ZoneOffsetAt(zone, instant);
    return DateTime::FromEpoch(instant, time % kNanosPerSecond, offset, zone);
  }
  return DateTime::FromEpoch(local - offset, time % kNanosPerSecond, offset, 0);
}

void CheckYear(int64_t year, Loc loc) {
  if (year < -999'999'999 || year > 999'999'999)
    Fail("year " + std::to_string(year) + " is out of range", loc);
}

Value Build(Type t, const Parts& p, Loc loc) {
  int64_t day = p.day.value_or(0), time = p.time.value_or(0);
  if (HasDate(t)) {
    CheckYear(CivilOf(day).year, loc);
    if (day < INT32_MIN || day > INT32_MAX) Fail("the date is out of range", loc);
  }
  switch (t) {
    case Type::kDate:
      return Value(Date::Containing(static_cast<int32_t>(day), DatePrecision::kDay));
    case Type::kLocalTime:
      return Value(LocalTime{time});
    case Type::kTime: {
      int32_t offset = p.offset.value_or(0);
      if (!p.offset && p.zone != 0) offset = ZoneOffsetAt(p.zone, NowNanos() / kNanosPerSecond);
      return Value(Time{time, offset});
    }
    case Type::kLocalDateTime:
      return Value(LocalDateTime{day * kSecondsPerDay + time / kNanosPerSecond,
                                 static_cast<int32_t>(time % kNanosPerSecond)});
    case Type::kDateTime:
      return Value(ZonedOf(day, time, p.offset.value_or(0), p.zone));
  }
  return Value();
}

// ---- construction from a map ----

struct Field {
  int64_t value = 0;
  bool present = false;
};

// The map's fields, by the names openCypher gives them (case-insensitively).
class MapFields {
 public:
  MapFields(const ValueMap& m, const char* fn, Loc loc) : fn_(fn), loc_(loc) {
    for (const auto& [k, v] : m) lower_[util::Lower(k)] = &v;
  }
  const Value* Raw(std::string_view key) const {
    auto it = lower_.find(util::Lower(key));
    return it == lower_.end() || it->second->is_null() ? nullptr : it->second;
  }
  Field Int(std::string_view key) const {
    const Value* v = Raw(key);
    if (!v) return {};
    if (!v->is_int()) {
      ThrowType(std::string(fn_) + "() needs an integer for '" + std::string(key) + "', not " + TypeName(*v) +
                    " " + v->ToString(),
                loc_);
    }
    return {v->as_int(), true};
  }
  void CheckKnown(std::initializer_list<std::string_view> known) const {
    for (const auto& [k, v] : lower_) {
      bool ok = false;
      for (std::string_view n : known) ok = ok || util::Lower(n) == k;
      if (!ok) {
        std::string list;
        for (std::string_view n : known) list += (list.empty() ? "" : ", ") + std::string(n);
        Fail(std::string(fn_) + "() does not know the field '" + k + "'; it takes " + list, loc_);
      }
    }
  }

 private:
  const char* fn_;
  Loc loc_;
  std::map<std::string, const Value*> lower_;
};

void Range(const char* fn, const char* field, int64_t v, int64_t lo, int64_t hi, Loc loc) {
  if (v < lo || v > hi) {
    Fail(std::string(fn) + "(): " + field + " must be " + std::to_string(lo) + " to " + std::to_string(hi) +
             ", not " + std::to_string(v),
         loc, "InvalidDate");
  }
}

// The day the date fields of a map select, on top of `base` (the day of a 'date' or 'datetime' field).
std::optional<int64_t> DayFromFields(const MapFields& f, std::optional<int64_t> base, const char* fn,
                                     Loc loc) {
  Field year = f.Int("year"), month = f.Int("month"), day = f.Int("day"), week = f.Int("week"),
        dow = f.Int("dayOfWeek"), ordinal = f.Int("ordinalDay"), quarter = f.Int("quarter"),
        doq = f.Int("dayOfQuarter");
  bool any = year.present || month.present || day.present || week.present || dow.present || ordinal.present ||
             quarter.present || doq.present;
  if (!any) return base;
  CivilDay b = base ? CivilOf(*base) : CivilDay{0, 1, 1};
  if (!year.present && !base && !week.present) Fail(std::string(fn) + "() needs a year", loc, "InvalidDate");
  int64_t y = year.present ? year.value : b.year;
  CheckYear(y, loc);
  if (week.present ||
      (dow.present && !month.present && !day.present && !ordinal.present && !quarter.present)) {
    if (month.present || day.present || ordinal.present || quarter.present || doq.present)
      Fail(std::string(fn) + "(): week and dayOfWeek do not combine with month, day, ordinalDay or quarter",
           loc, "InvalidDate");
    int64_t wy = y;
    int bw = 1, bdow = 1;
    if (base) {
      int64_t base_wy;
      IsoWeekOf(*base, &base_wy, &bw);
      bdow = DayOfWeek(*base);
      if (!year.present) wy = base_wy;
    } else if (!year.present) {
      Fail(std::string(fn) + "() needs a year with the week", loc, "InvalidDate");
    }
    int64_t w = week.present ? week.value : bw;
    int64_t d = dow.present ? dow.value : bdow;
    Range(fn, "week", w, 1, IsoWeeksInYear(wy), loc);
    Range(fn, "dayOfWeek", d, 1, 7, loc);
    return IsoWeekYearStart(wy) + (w - 1) * 7 + (d - 1);
  }
  if (ordinal.present) {
    if (month.present || day.present || quarter.present || doq.present)
      Fail(std::string(fn) + "(): ordinalDay does not combine with month, day or quarter", loc,
           "InvalidDate");
    Range(fn, "ordinalDay", ordinal.value, 1, IsLeapYear(y) ? 366 : 365, loc);
    return EpochDay(y, 1, 1) + ordinal.value - 1;
  }
  if (quarter.present || doq.present) {
    if (month.present || day.present)
      Fail(std::string(fn) + "(): quarter does not combine with month or day", loc, "InvalidDate");
    int64_t bq = (b.month - 1) / 3 + 1;
    int64_t bdoq = base ? *base - EpochDay(b.year, static_cast<int>((bq - 1) * 3 + 1), 1) + 1 : 1;
    int64_t q = quarter.present ? quarter.value : (base ? bq : 1);
    int64_t d = doq.present ? doq.value : (base ? bdoq : 1);
    Range(fn, "quarter", q, 1, 4, loc);
    int64_t start = EpochDay(y, static_cast<int>((q - 1) * 3 + 1), 1);
    int64_t end = q == 4 ? EpochDay(y + 1, 1, 1) : EpochDay(y, static_cast<int>(q * 3 + 1), 1);
    Range(fn, "dayOfQuarter", d, 1, end - start, loc);
    return start + d - 1;
  }
  if (day.present && !month.present && !base)
    Fail(std::string(fn) + "() needs a month with the day", loc, "InvalidDate");
  int64_t m = month.present ? month.value : (base ? b.month : 1);
  int64_t d = day.present ? day.value : (base ? b.day : 1);
  Range(fn, "month", m, 1, 12, loc);
  Range(fn, "day", d, 1, DaysInMonthOf(y, static_cast<int>(m)), loc);
  return EpochDay(y, static_cast<int>(m), static_cast<int>(d));
}

std::optional<int64_t> TimeFromFields(const MapFields& f, std::optional<int64_t> base, const char* fn,
                                      Loc loc) {
  Field h = f.Int("hour"), mi = f.Int("minute"), s = f.Int("second"), ms = f.Int("millisecond"),
        us = f.Int("microsecond"), ns = f.Int("nanosecond");
  bool any = h.present || mi.present || s.present || ms.present || us.present || ns.present;
  if (!any) return base;
  if (!base) {
    if (!h.present) Fail(std::string(fn) + "() needs an hour with the minute or second", loc, "InvalidDate");
    if (s.present && !mi.present)
      Fail(std::string(fn) + "() needs a minute with the second", loc, "InvalidDate");
    if ((ms.present || us.present || ns.present) && !s.present)
      Fail(std::string(fn) + "() needs a second with the fraction of a second", loc, "InvalidDate");
  }
  int64_t b = base.value_or(0);
  int64_t bh = b / 3'600'000'000'000, bmi = b / 60'000'000'000 % 60, bs = b / kNanosPerSecond % 60,
          bfrac = b % kNanosPerSecond;
  int64_t hour = h.present ? h.value : bh, minute = mi.present ? mi.value : bmi,
          second = s.present ? s.value : bs;
  Range(fn, "hour", hour, 0, 23, loc);
  Range(fn, "minute", minute, 0, 59, loc);
  Range(fn, "second", second, 0, 59, loc);
  int64_t frac = bfrac;
  if (ms.present || us.present || ns.present) {
    if (ms.present) Range(fn, "millisecond", ms.value, 0, 999, loc);
    if (us.present) Range(fn, "microsecond", us.value, 0, ms.present ? 999 : 999'999, loc);
    if (ns.present)
      Range(fn, "nanosecond", ns.value, 0, us.present ? 999 : ms.present ? 999'999 : 999'999'999, loc);
    // Each given field replaces its own digits of the base's fraction: {nanosecond: 2} on .645 is
    // .645000002.
    int64_t bms = bfrac / 1'000'000, bus = bfrac / 1000 % 1000, bns = bfrac % 1000;
    frac = (ms.present ? ms.value : bms) * 1'000'000 + (us.present ? us.value : bus) * 1000 +
           (ns.present ? ns.value : bns);
  }
  return ((hour * 60 + minute) * 60 + second) * kNanosPerSecond + frac;
}

// Applies the map's fields to `base` (what 'date', 'time' and 'datetime' selected, or a truncated
// value) and builds a value of type t.
Value FromMap(Type t, const MapFields& f, Parts base, Loc loc) {
  const char* fn = FnName(t);
  Parts out;
  if (HasDate(t)) {
    out.day = DayFromFields(f, base.day, fn, loc);
    if (!out.day) Fail(std::string(fn) + "() needs a year, or a date to take it from", loc, "InvalidDate");
  }
  if (HasTime(t)) {
    out.time = TimeFromFields(f, base.time, fn, loc);
    if (!out.time) {
      if (!HasDate(t))
        Fail(std::string(fn) + "() needs an hour, or a time to take it from", loc, "InvalidDate");
      out.time = 0;
    }
  }
  if (HasZone(t)) {
    const Value* tz = f.Raw("timezone");
    if (tz) {
      if (!tz->is_string())
        ThrowType(std::string(fn) + "() needs a string for 'timezone', not " + TypeName(*tz), loc);
      auto parsed = ParseTimeZone(tz->as_string());
      if (!parsed.ok()) Fail(parsed.status().message(), loc, "InvalidTimeZone");
      if (base.offset || base.zone != 0) {
        // The selected value keeps its instant and moves to the new zone.
        int64_t day = out.day.value_or(0);
        DateTime at = ZonedOf(day, *out.time, base.offset.value_or(0), base.zone);
        int64_t instant = at.EpochSecond();
        int32_t offset = parsed->second != 0 ? ZoneOffsetAt(parsed->second, instant) : parsed->first;
        int64_t local = instant + offset;
        if (t == Type::kTime) {
          out.time = FloorMod(local, kSecondsPerDay) * kNanosPerSecond + at.NanoOfSecond();
        } else {
          out.day = FloorDiv(local, kSecondsPerDay);
          out.time = FloorMod(local, kSecondsPerDay) * kNanosPerSecond + at.NanoOfSecond();
        }
      }
      out.offset = parsed->second != 0 ? std::nullopt : std::optional<int32_t>(parsed->first);
      out.zone = parsed->second;
    } else {
      out.offset = base.offset;
      out.zone = base.zone;
    }
  }
  return Build(t, out, loc);
}

// The current date or time; in a time zone when one is given.
Value Now(Type t, const Value* timezone = nullptr, Loc loc = {}) {
  int64_t n = NowNanos();
  DateTime d = DateTime::FromEpoch(0, n);
  if (timezone) {
    if (!timezone->is_string())
      ThrowType(std::string(FnName(t)) + "() expects a time zone like 'Europe/Stockholm' or '+01:00', not " +
                    TypeName(*timezone),
                loc);
    auto tz = ParseTimeZone(timezone->as_string());
    if (!tz.ok()) Fail(tz.status().message(), loc, "InvalidTimeZone");
    d.zone = tz->second;
    d.offset = d.zone != 0 ? ZoneOffsetAt(d.zone, d.EpochSecond()) : tz->first;
  }
  return Build(t, PartsOf(Value(d)), loc);
}

Value ConstructFromMap(Type t, const ValueMap& m, Loc loc) {
  const char* fn = FnName(t);
  MapFields f(m, fn, loc);
  if (m.size() == 1 && f.Raw("timezone")) return Now(t, f.Raw("timezone"), loc);  // now, in that zone
  Parts base;
  auto temporal = [&](std::string_view key) -> const Value* {
    const Value* v = f.Raw(key);
    if (v && !IsTemporalValue(*v))
      ThrowType(
          std::string(fn) + "() needs a temporal value for '" + std::string(key) + "', not " + TypeName(*v),
          loc);
    return v;
  };
  if (t == Type::kDateTime) {
    Field es = f.Int("epochSeconds"), em = f.Int("epochMillis");
    if (es.present || em.present) {
      Field ns = f.Int("nanosecond");
      int64_t nanos = es.present ? ns.value : FloorMod(em.value, 1000) * 1'000'000 + ns.value;
      int64_t secs = es.present ? es.value : FloorDiv(em.value, 1000);
      DateTime d = DateTime::FromEpoch(secs, nanos);
      if (const Value* tz = f.Raw("timezone"); tz && tz->is_string()) {
        auto parsed = ParseTimeZone(tz->as_string());
        if (!parsed.ok()) Fail(parsed.status().message(), loc, "InvalidTimeZone");
        d.zone = parsed->second;
        d.offset = d.zone != 0 ? ZoneOffsetAt(d.zone, d.EpochSecond()) : parsed->first;
      }
      return Value(d);
    }
  }
  if (const Value* dt = HasDate(t) ? temporal("datetime") : nullptr) base = PartsOf(*dt);
  if (const Value* d = HasDate(t) ? temporal("date") : nullptr) {
    Parts p = PartsOf(*d);
    if (!p.day) Fail(std::string(fn) + "(): 'date' must be a value with a date, not " + TypeName(*d), loc);
    base.day = p.day;
  }
  if (const Value* tv = HasTime(t) ? temporal("time") : nullptr) {
    Parts p = PartsOf(*tv);
    if (!p.time) Fail(std::string(fn) + "(): 'time' must be a value with a time, not " + TypeName(*tv), loc);
    base.time = p.time;
    base.offset = p.offset;
    base.zone = p.zone;
  }
  if (!HasDate(t)) base.day.reset();
  if (!HasZone(t)) {
    base.offset.reset();
    base.zone = 0;
  }
  return FromMap(t, f, base, loc);
}

// ---- construction from text ----

Value ConstructFromString(Type t, const std::string& text, Loc loc) {
  static const char* kForms[] = {
      "a date like '2015-07-21', '20150721', '2015-W30-2' or '2015-202'",
      "a time like '21:40:32.142', '214032' or '21:40'", "a time like '21:40:32.142+01:00' or '21:40Z'",
      "a local date-time like '2015-07-21T21:40:32.142'",
      "a date-time like '2015-07-21T21:40:32.142+01:00' or '2015-07-21T21:40[Europe/Stockholm]'"};
  const char* what = kForms[static_cast<int>(t)];
  if (t == Type::kDate) {
    // Lodestone's dates of month, quarter, half and year precision keep their spelling.
    auto lodestone_date = Date::Parse(text);
    if (lodestone_date.ok()) return Value(*lodestone_date);
  }
  auto parsed = ParseIsoTemporal(text, HasDate(t), HasTime(t), what);
  if (!parsed.ok() && t == Type::kDateTime) {
    // Lodestone's earlier spellings: "2026-01-10 12:00:00Z".
    auto old = DateTime::Parse(text);
    if (old.ok()) return Value(*old);
  }
  if (!parsed.ok()) Fail(parsed.status().message(), loc, "InvalidDate");
  Parts p;
  p.day = parsed->day;
  p.time = parsed->time;
  if (HasTime(t) && !HasDate(t) && !p.time) Fail("'" + text + "' is not " + what, loc, "InvalidDate");
  if (HasDate(t) && !p.day) Fail("'" + text + "' is not " + what, loc, "InvalidDate");
  if (HasZone(t)) {
    p.zone = parsed->zone.value_or(0);
    if (parsed->offset) {
      p.offset = parsed->offset;
      if (p.zone != 0 && t == Type::kDateTime) {
        // An explicit offset places the instant; the zone names where it is shown.
        DateTime d = ZonedOf(*p.day, p.time.value_or(0), *p.offset, 0);
        d.zone = p.zone;
        d.offset = ZoneOffsetAt(p.zone, d.EpochSecond());
        return Value(d);
      }
      if (t == Type::kTime) p.zone = 0;
    }
  }
  return Build(t, p, loc);
}

// The temporal constructors: no argument (now), text, a map, or another temporal value.
Value Construct(Type t, Args& a, Loc loc) {
  const char* fn = FnName(t);
  if (a.empty()) return Now(t);
  const Value& v = a[0];
  if (v.is_null()) return v;
  if (v.is_string()) return ConstructFromString(t, v.as_string(), loc);
  if (v.is_map()) return ConstructFromMap(t, v.as_map(), loc);
  if (IsTemporalValue(v)) {
    if (t == Type::kDate && v.is_date()) return v;  // an imprecise date stays as it is
    if (t == Type::kDateTime && v.is_datetime()) return v;
    Parts p = PartsOf(v);
    if (HasDate(t) && !p.day)
      ThrowType(std::string(fn) + "() cannot take a date from " + TypeName(v) + " " + v.ToString(), loc);
    if (!HasTime(t)) p.time.reset();
    if (HasTime(t) && !p.time) p.time = 0;
    return Build(t, p, loc);
  }
  ThrowType(std::string(fn) + "() expects a string, a map or a temporal value, not " + TypeName(v) + " " +
                v.ToString(),
            loc);
}

Value FnDate(ExecContext&, Args& a, Loc loc) { return Construct(Type::kDate, a, loc); }
Value FnLocalTime(ExecContext&, Args& a, Loc loc) { return Construct(Type::kLocalTime, a, loc); }
Value FnTime(ExecContext&, Args& a, Loc loc) { return Construct(Type::kTime, a, loc); }
Value FnLocalDateTime(ExecContext&, Args& a, Loc loc) { return Construct(Type::kLocalDateTime, a, loc); }
Value FnDateTime(ExecContext&, Args& a, Loc loc) { return Construct(Type::kDateTime, a, loc); }

// date.statement([timezone]) and the other clocks; a null time zone gives null.
Value Clock(Type t, Args& a, Loc loc) {
  if (a.empty()) return Now(t);
  if (a[0].is_null()) return Value();
  return Now(t, &a[0], loc);
}
Value FnNowDate(ExecContext&, Args& a, Loc loc) { return Clock(Type::kDate, a, loc); }
Value FnNowLocalTime(ExecContext&, Args& a, Loc loc) { return Clock(Type::kLocalTime, a, loc); }
Value FnNowTime(ExecContext&, Args& a, Loc loc) { return Clock(Type::kTime, a, loc); }
Value FnNowLocalDateTime(ExecContext&, Args& a, Loc loc) { return Clock(Type::kLocalDateTime, a, loc); }
Value FnNowDateTime(ExecContext&, Args& a, Loc loc) { return Clock(Type::kDateTime, a, loc); }

Value FnFromEpoch(ExecContext&, Args& a, Loc loc) {
  if (!a[0].is_int() || !a[1].is_int())
    ThrowType("datetime.fromepoch() expects integer seconds and nanoseconds", loc);
  return Value(DateTime::FromEpoch(a[0].as_int(), a[1].as_int()));
}

Value FnFromEpochMillis(ExecContext&, Args& a, Loc loc) {
  if (!a[0].is_int()) ThrowType("datetime.fromepochmillis() expects integer milliseconds", loc);
  int64_t ms = a[0].as_int();
  return Value(DateTime::FromEpoch(FloorDiv(ms, 1000), FloorMod(ms, 1000) * 1'000'000));
}

// ---- truncation ----

Value Truncate(Type t, Args& a, Loc loc) {
  const char* fn = FnName(t);
  if (!a[0].is_string()) ThrowType(std::string(fn) + ".truncate() expects a unit name first", loc);
  const Value& v = a[1];
  if (!IsTemporalValue(v))
    ThrowType(std::string(fn) + ".truncate() expects a temporal value, not " + TypeName(v), loc);
  std::string unit = util::Lower(a[0].as_string());
  Parts p = PartsOf(v);
  if (HasDate(t) && !p.day)
    ThrowType(std::string(fn) + ".truncate() cannot take a date from " + TypeName(v), loc);
  int64_t day = p.day.value_or(0), time = p.time.value_or(0);
  CivilDay c = CivilOf(day);
  bool date_unit = true;
  if (unit == "millennium") {
    day = EpochDay(FloorDiv(c.year, 1000) * 1000, 1, 1);
  } else if (unit == "century") {
    day = EpochDay(FloorDiv(c.year, 100) * 100, 1, 1);
  } else if (unit == "decade") {
    day = EpochDay(FloorDiv(c.year, 10) * 10, 1, 1);
  } else if (unit == "year") {
    day = EpochDay(c.year, 1, 1);
  } else if (unit == "weekyear") {
    int64_t wy;
    int w;
    IsoWeekOf(day, &wy, &w);
    day = IsoWeekYearStart(wy);
  } else if (unit == "quarter") {
    day = EpochDay(c.year, (c.month - 1) / 3 * 3 + 1, 1);
  } else if (unit == "month") {
    day = EpochDay(c.year, c.month, 1);
  } else if (unit == "week") {
    day -= DayOfWeek(day) - 1;
  } else if (unit == "day") {
    // the day itself
  } else {
    date_unit = false;
    int64_t size = unit == "hour"          ? 3'600'000'000'000
                   : unit == "minute"      ? 60'000'000'000
                   : unit == "second"      ? kNanosPerSecond
                   : unit == "millisecond" ? 1'000'000
                   : unit == "microsecond" ? 1000
                                           : 0;
    if (size == 0) {
      Fail(std::string(fn) +
               ".truncate() knows the units millennium, century, decade, year, weekYear, quarter, month, "
               "week, "
               "day, hour, minute, second, millisecond and microsecond, not '" +
               a[0].as_string() + "'",
           loc);
    }
    time -= time % size;
  }
  if (date_unit) {
    if (!HasDate(t) && unit != "day")
      Fail(std::string(fn) + ".truncate() cannot truncate to a " + a[0].as_string(), loc);
    time = 0;
  }
  Parts base;
  if (HasDate(t)) base.day = day;
  if (HasTime(t)) base.time = time;
  ValueMap empty;
  const ValueMap& m = a.size() > 2 && a[2].is_map() ? a[2].as_map() : empty;
  if (a.size() > 2 && !a[2].is_null() && !a[2].is_map())
    ThrowType(std::string(fn) + ".truncate() expects a map of fields to set last", loc);
  MapFields f(m, fn, loc);
  if (HasZone(t) && !f.Raw("timezone")) {
    base.offset = p.offset;
    base.zone = p.zone;
  }
  return FromMap(t, f, base, loc);
}

Value FnDateTruncate(ExecContext&, Args& a, Loc loc) { return Truncate(Type::kDate, a, loc); }
Value FnLocalTimeTruncate(ExecContext&, Args& a, Loc loc) { return Truncate(Type::kLocalTime, a, loc); }
Value FnTimeTruncate(ExecContext&, Args& a, Loc loc) { return Truncate(Type::kTime, a, loc); }
Value FnLocalDateTimeTruncate(ExecContext&, Args& a, Loc loc) {
  return Truncate(Type::kLocalDateTime, a, loc);
}
Value FnDateTimeTruncate(ExecContext&, Args& a, Loc loc) { return Truncate(Type::kDateTime, a, loc); }

// ---- durations ----

Value DurationFromMap(const ValueMap& m, Loc loc) {
  static const std::pair<const char*, int> kUnits[] = {
      {"years", 0},        {"quarters", 1},     {"months", 2},      {"weeks", 3},
      {"days", 4},         {"hours", 5},        {"minutes", 6},     {"seconds", 7},
      {"milliseconds", 8}, {"microseconds", 9}, {"nanoseconds", 10}};
  // Whole numbers are summed exactly; fractions cascade through DurationBuilder.
  int64_t months = 0, days = 0, seconds = 0, nanos = 0;
  DurationBuilder fractions;
  bool any_fraction = false;
  for (const auto& [key, v] : m) {
    std::string k = util::Lower(key);
    int unit = -1;
    for (const auto& [name, u] : kUnits) {
      if (k == name) unit = u;
    }
    if (unit < 0) {
      Fail("duration() does not know the field '" + key +
               "'; it takes years, quarters, months, weeks, days, hours, minutes, seconds, milliseconds, "
               "microseconds and nanoseconds",
           loc);
    }
    if (v.is_null()) continue;
    if (!v.is_number()) ThrowType("duration() needs a number for '" + key + "', not " + TypeName(v), loc);
    if (v.is_int()) {
      int64_t n = v.as_int();
      switch (unit) {
        case 0:
          months += n * 12;
          break;
        case 1:
          months += n * 3;
          break;
        case 2:
          months += n;
          break;
        case 3:
          days += n * 7;
          break;
        case 4:
          days += n;
          break;
        case 5:
          seconds += n * 3600;
          break;
        case 6:
          seconds += n * 60;
          break;
        case 7:
          seconds += n;
          break;
        case 8:
          nanos += n * 1'000'000;
          break;
        case 9:
          nanos += n * 1000;
          break;
        default:
          nanos += n;
          break;
      }
    } else {
      any_fraction = true;
      long double x = v.as_float();
      static constexpr long double kScale[][3] = {{12, 0, 0},    {3, 0, 0},     {1, 0, 0},    {0, 7, 0},
                                                  {0, 1, 0},     {0, 0, 3600},  {0, 0, 60},   {0, 0, 1},
                                                  {0, 0, 1e-3L}, {0, 0, 1e-6L}, {0, 0, 1e-9L}};
      fractions.Add(x * kScale[unit][0], x * kScale[unit][1], x * kScale[unit][2]);
    }
  }
  Duration whole = Duration::Of(months, days, seconds, nanos);
  if (!any_fraction) return Value(whole);
  Duration f = fractions.Build();
  return Value(Duration::Of(whole.months + f.months, whole.days + f.days, whole.seconds + f.seconds,
                            int64_t{whole.nanos} + f.nanos));
}

Value FnDuration(ExecContext&, Args& a, Loc loc) {
  const Value& v = a[0];
  if (v.is_null() || v.is_duration()) return v;
  if (v.is_string()) {
    auto d = Duration::Parse(v.as_string());
    if (!d.ok()) Fail(d.status().message(), loc, "InvalidDuration");
    return Value(*d);
  }
  if (v.is_map()) return DurationFromMap(v.as_map(), loc);
  ThrowType("duration() expects a string like 'P1Y2M10DT12H' or a map like {days: 14}, not " + TypeName(v) +
                " " + v.ToString(),
            loc);
}

// A local date-time as (epoch day, nanoseconds of the day).
struct Local {
  int64_t day;
  int64_t time;
};

Local PlusMonths(Local l, int64_t months) {
  CivilDay c = CivilOf(l.day);
  int64_t total = c.year * 12 + (c.month - 1) + months;
  int64_t y = FloorDiv(total, 12);
  int m = static_cast<int>(FloorMod(total, 12)) + 1;
  int d = std::min(c.day, DaysInMonthOf(y, m));
  return Local{EpochDay(y, m, d), l.time};
}

// Java's LocalDateTime.until for months or days: whole units from a to b.
int64_t Until(Local a, Local b, bool months) {
  int64_t end = b.day;
  if (end > a.day && b.time < a.time) {
    --end;
  } else if (end < a.day && b.time > a.time) {
    ++end;
  }
  if (!months) return end - a.day;
  CivilDay x = CivilOf(a.day), y = CivilOf(end);
  int64_t p1 = (x.year * 12 + x.month - 1) * 32 + x.day, p2 = (y.year * 12 + y.month - 1) * 32 + y.day;
  return (p2 - p1) / 32;
}

enum class Between { kAll, kMonths, kDays, kSeconds };

Value DurationBetween(const Value& from, const Value& to, Between what, Loc loc) {
  if (!IsTemporalValue(from) || !IsTemporalValue(to))
    ThrowType(
        "duration.between() expects two temporal values, not " + TypeName(from) + " and " + TypeName(to),
        loc);
  // Between imprecise dates the answer is a range of durations: unknown.
  if (IsImpreciseDate(from) || IsImpreciseDate(to)) return Value();
  Parts a = PartsOf(from), b = PartsOf(to);
  // A side without a date takes the other's day; a side without a zone is read in the other's zone.
  if (!a.day) a.day = b.day.value_or(0);
  if (!b.day) b.day = a.day;
  if (!a.time) a.time = 0;
  if (!b.time) b.time = 0;
  auto local_second = [](const Parts& p) { return *p.day * kSecondsPerDay + *p.time / kNanosPerSecond; };
  auto adopt_zone = [&](Parts& p, const Parts& from_zone) {
    p.zone = from_zone.zone;
    p.offset = p.zone != 0 ? ZoneOffsetForLocal(p.zone, local_second(p)) : *from_zone.offset;
  };
  bool az = a.offset.has_value(), bz = b.offset.has_value();
  if (az && !bz) adopt_zone(b, a);
  if (bz && !az) adopt_zone(a, b);
  bool zoned = az || bz;
  auto nanos_of = [](Local l) { return static_cast<Int128>(l.day) * kNanosPerDay + l.time; };
  Local la{*a.day, *a.time}, lb{*b.day, *b.time};
  Int128 end = nanos_of(lb);
  if (zoned) {
    // The end as an instant, then seen on the start's clock.
    end -= static_cast<Int128>(*b.offset) * kNanosPerSecond;
    auto end_second = static_cast<int64_t>(FloorDiv(end, kNanosPerSecond));
    int32_t offset = a.zone != 0 ? ZoneOffsetAt(a.zone, end_second) : *a.offset;
    Int128 local = end + static_cast<Int128>(offset) * kNanosPerSecond;
    lb = Local{static_cast<int64_t>(FloorDiv(local, kNanosPerDay)), FloorMod(local, kNanosPerDay)};
  }
  // Nanoseconds from a local date-time on the start's clock to the end.
  auto nanos_between = [&](Local x) -> int64_t {
    Int128 start = nanos_of(x);
    if (zoned) {
      int32_t offset = x.day == la.day && x.time == la.time ? *a.offset
                       : a.zone != 0
                           ? ZoneOffsetForLocal(a.zone, x.day * kSecondsPerDay + x.time / kNanosPerSecond)
                           : *a.offset;
      start -= static_cast<Int128>(offset) * kNanosPerSecond;
    }
    return static_cast<int64_t>(end - start);
  };
  switch (what) {
    case Between::kMonths:
      return Value(Duration::Of(Until(la, lb, true), 0, 0, 0));
    case Between::kDays:
      return Value(Duration::Of(0, Until(la, lb, false), 0, 0));
    case Between::kSeconds:
      return Value(Duration::Of(0, 0, 0, nanos_between(la)));
    case Between::kAll:
      break;
  }
  int64_t months = Until(la, lb, true);
  Local m = PlusMonths(la, months);
  int64_t days = Until(m, lb, false);
  Local d{m.day + days, m.time};
  return Value(Duration::Of(months, days, 0, nanos_between(d)));
}

Value FnBetween(ExecContext&, Args& a, Loc loc) { return DurationBetween(a[0], a[1], Between::kAll, loc); }
Value FnInMonths(ExecContext&, Args& a, Loc loc) {
  return DurationBetween(a[0], a[1], Between::kMonths, loc);
}
Value FnInDays(ExecContext&, Args& a, Loc loc) { return DurationBetween(a[0], a[1], Between::kDays, loc); }
Value FnInSeconds(ExecContext&, Args& a, Loc loc) {
  return DurationBetween(a[0], a[1], Between::kSeconds, loc);
}

// ---- arithmetic ----

Value AddDuration(const Value& t, const Duration& d, int sign, std::string* error) {
  Parts p = PartsOf(t);
  Duration s = sign > 0 ? d : d.Negated();
  if (IsImpreciseDate(t)) {
    // An imprecise date moves as a whole when the result is again a period of its precision
    // (2025-10 + P1M is 2025-11, 2026-Q1 + P3M is 2026-Q2); otherwise which period it lands in is
    // unknown.
    Date from = t.as_date();
    if (s.seconds != 0 || s.nanos != 0) return Value();
    int64_t start = PlusMonths(Local{from.start_day(), 0}, s.months).day + s.days;
    if (start < INT32_MIN || start > INT32_MAX) return Value();
    Date moved = Date::Containing(static_cast<int32_t>(start), from.precision());
    return moved.start_day() == start ? Value(moved) : Value();
  }
  if (t.is_localtime() || t.is_time()) {
    int64_t n =
        FloorMod(p.time.value_or(0) + static_cast<int64_t>(s.TotalNanos() % kNanosPerDay), kNanosPerDay);
    if (t.is_localtime()) return Value(LocalTime{n});
    return Value(Time{n, t.as_time().offset});
  }
  Local l{*p.day, p.time.value_or(0)};
  l = PlusMonths(l, s.months);
  l.day += s.days;
  if (t.is_date()) {
    // A date moves by whole days: the time part counts only as far as it makes days.
    l.day += static_cast<int64_t>(s.TotalNanos() / kNanosPerDay);
    if (l.day < INT32_MIN || l.day > INT32_MAX) {
      *error = "the date is out of range";
      return Value();
    }
    return Value(Date::Containing(static_cast<int32_t>(l.day), DatePrecision::kDay));
  }
  if (t.is_datetime() && t.as_datetime().zone != 0) {
    // Months and days move the local date; the time part moves the instant.
    const int32_t zone = t.as_datetime().zone;
    DateTime base = ZonedOf(l.day, l.time, 0, zone);
    Int128 instant =
        static_cast<Int128>(base.EpochSecond()) * kNanosPerSecond + base.NanoOfSecond() + s.TotalNanos();
    auto secs = static_cast<int64_t>(FloorDiv(instant, kNanosPerSecond));
    return Value(
        DateTime::FromEpoch(secs, FloorMod(instant, kNanosPerSecond), ZoneOffsetAt(zone, secs), zone));
  }
  Int128 nanos = static_cast<Int128>(l.day) * kNanosPerDay + l.time + s.TotalNanos();
  auto day = static_cast<int64_t>(FloorDiv(nanos, kNanosPerDay));
  int64_t time = FloorMod(nanos, kNanosPerDay);
  if (t.is_localdatetime()) {
    return Value(LocalDateTime{day * kSecondsPerDay + time / kNanosPerSecond,
                               static_cast<int32_t>(time % kNanosPerSecond)});
  }
  return Value(ZonedOf(day, time, t.as_datetime().offset, 0));
}

Duration ScaleDuration(const Duration& d, long double f) {
  DurationBuilder s;
  s.Add(static_cast<long double>(d.months) * f, static_cast<long double>(d.days) * f,
        (static_cast<long double>(d.seconds) + static_cast<long double>(d.nanos) / 1e9L) * f);
  return s.Build();
}

}  // namespace

bool IsNewTemporal(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kDuration:
    case Value::Kind::kLocalTime:
    case Value::Kind::kTime:
    case Value::Kind::kLocalDateTime:
      return true;
    default:
      return false;
  }
}

std::optional<bool> TemporalArith(ArithOp op, const Value& a, const Value& b, Value* out,
                                  std::string* error) {
  bool ta = IsTemporalValue(a), tb = IsTemporalValue(b);
  if (!a.is_duration() && !b.is_duration() && !IsNewTemporal(a) && !IsNewTemporal(b)) {
    // Dates and datetimes only take part with a duration.
    return std::nullopt;
  }
  if (a.is_duration() && b.is_duration() && (op == ArithOp::kAdd || op == ArithOp::kSub)) {
    const Duration &x = a.as_duration(), &y = b.as_duration();
    int s = op == ArithOp::kAdd ? 1 : -1;
    *out = Value(Duration::Of(x.months + s * y.months, x.days + s * y.days, x.seconds + s * y.seconds,
                              int64_t{x.nanos} + s * int64_t{y.nanos}));
    return true;
  }
  if (ta && b.is_duration() && (op == ArithOp::kAdd || op == ArithOp::kSub)) {
    *out = AddDuration(a, b.as_duration(), op == ArithOp::kAdd ? 1 : -1, error);
    return error->empty();
  }
  if (a.is_duration() && tb && op == ArithOp::kAdd) {
    *out = AddDuration(b, a.as_duration(), 1, error);
    return error->empty();
  }
  if (a.is_duration() && b.is_number() && (op == ArithOp::kMul || op == ArithOp::kDiv)) {
    long double f = static_cast<long double>(b.as_number());
    if (op == ArithOp::kDiv) {
      if (f == 0) {
        *error = "division of a duration by zero";
        return false;
      }
      f = 1 / f;
    }
    *out = Value(ScaleDuration(a.as_duration(), f));
    return true;
  }
  if (a.is_number() && b.is_duration() && op == ArithOp::kMul) {
    *out = Value(ScaleDuration(b.as_duration(), static_cast<long double>(a.as_number())));
    return true;
  }
  return std::nullopt;  // list concatenation, or the caller's error
}

std::optional<int> TemporalCompare(const Value& a, const Value& b) {
  auto cmp = [](auto x, auto y) { return x < y ? -1 : y < x ? 1 : 0; };
  switch (a.kind()) {
    case Value::Kind::kLocalTime:
      return cmp(a.as_localtime().nanos, b.as_localtime().nanos);
    case Value::Kind::kTime: {
      int c = cmp(a.as_time().UtcNanos(), b.as_time().UtcNanos());
      return c != 0 ? c : cmp(a.as_time().offset, b.as_time().offset);
    }
    case Value::Kind::kLocalDateTime:
      return cmp(a.as_localdatetime(), b.as_localdatetime());
    case Value::Kind::kDateTime: {
      const DateTime &x = a.as_datetime(), &y = b.as_datetime();
      int c = cmp(x.micros, y.micros);
      return c != 0 ? c : cmp(x.sub_micro_nanos, y.sub_micro_nanos);
    }
    default:
      return std::nullopt;
  }
}

std::string TemporalText(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kDate:
      return v.as_date().ToString();
    case Value::Kind::kDateTime:
      return v.as_datetime().IsoString();
    case Value::Kind::kDuration:
      return v.as_duration().ToString();
    case Value::Kind::kLocalTime:
      return v.as_localtime().ToString();
    case Value::Kind::kTime:
      return v.as_time().ToString();
    case Value::Kind::kLocalDateTime:
      return v.as_localdatetime().ToString();
    default:
      return v.ToString();
  }
}

Value TemporalField(const Value& v, std::string_view name, Loc loc) {
  std::string n = util::Lower(name);
  if (v.is_duration()) {
    const Duration& d = v.as_duration();
    Int128 total = d.TotalNanos();
    auto whole = [&](int64_t unit) { return Value(static_cast<int64_t>(FloorDiv(d.seconds, unit))); };
    if (n == "years") return Value(d.months / 12);
    if (n == "quarters") return Value(d.months / 3);
    if (n == "months") return Value(d.months);
    if (n == "weeks") return Value(d.days / 7);
    if (n == "days") return Value(d.days);
    if (n == "hours") return whole(3600);
    if (n == "minutes") return whole(60);
    if (n == "seconds") return Value(d.seconds);
    if (n == "milliseconds") return Value(static_cast<int64_t>(FloorDiv(total, 1'000'000)));
    if (n == "microseconds") return Value(static_cast<int64_t>(FloorDiv(total, 1000)));
    if (n == "nanoseconds") return Value(static_cast<int64_t>(total));
    if (n == "quartersofyear") return Value(d.months % 12 / 3);
    if (n == "monthsofquarter") return Value(d.months % 3);
    if (n == "monthsofyear") return Value(d.months % 12);
    if (n == "daysofweek") return Value(d.days % 7);
    if (n == "minutesofhour") return Value(FloorMod(FloorDiv(d.seconds, 60), 60));
    if (n == "secondsofminute") return Value(FloorMod(d.seconds, 60));
    if (n == "millisecondsofsecond") return Value(int64_t{d.nanos / 1'000'000});
    if (n == "microsecondsofsecond") return Value(int64_t{d.nanos / 1000});
    if (n == "nanosecondsofsecond") return Value(int64_t{d.nanos});
    ThrowArgument("a DURATION has no field '" + std::string(name) + "'", loc, "UnknownField");
  }
  Parts p = PartsOf(v);
  if (p.day) {
    CivilDay c = CivilOf(*p.day);
    if (n == "year") return Value(c.year);
    if (n == "quarter") return Value(int64_t{(c.month - 1) / 3 + 1});
    if (n == "month") return Value(int64_t{c.month});
    if (n == "day") return Value(int64_t{c.day});
    if (n == "week" || n == "weekyear") {
      int64_t wy;
      int w;
      IsoWeekOf(*p.day, &wy, &w);
      return n == "week" ? Value(int64_t{w}) : Value(wy);
    }
    if (n == "dayofweek" || n == "weekday") return Value(int64_t{DayOfWeek(*p.day)});
    if (n == "ordinalday") return Value(*p.day - EpochDay(c.year, 1, 1) + 1);
    if (n == "dayofquarter") return Value(*p.day - EpochDay(c.year, (c.month - 1) / 3 * 3 + 1, 1) + 1);
  }
  if (p.time) {
    int64_t t = *p.time;
    if (n == "hour") return Value(t / 3'600'000'000'000);
    if (n == "minute") return Value(t / 60'000'000'000 % 60);
    if (n == "second") return Value(t / kNanosPerSecond % 60);
    if (n == "millisecond") return Value(t % kNanosPerSecond / 1'000'000);
    if (n == "microsecond") return Value(t % kNanosPerSecond / 1000);
    if (n == "nanosecond") return Value(t % kNanosPerSecond);
  }
  if (p.offset) {
    if (n == "timezone") return Value(p.zone != 0 ? TimeZoneName(p.zone) : FormatOffset(*p.offset));
    if (n == "offset") return Value(*p.offset == 0 ? std::string("+00:00") : FormatOffset(*p.offset));
    if (n == "offsetminutes") return Value(int64_t{*p.offset / 60});
    if (n == "offsetseconds") return Value(int64_t{*p.offset});
  }
  if (v.is_datetime()) {
    const DateTime& d = v.as_datetime();
    if (n == "epochseconds") return Value(d.EpochSecond());
    if (n == "epochmillis") return Value(FloorDiv(d.micros, 1000));
  }
  ThrowArgument("a " + TypeName(v) + " has no field '" + std::string(name) + "'", loc, "UnknownField");
}

Result<Value> TemporalFromText(std::string_view type, const std::string& text) {
  try {
    if (type == "duration") {
      auto d = Duration::Parse(text);
      if (!d.ok()) return d.status();
      return Value(*d);
    }
    for (Type t : {Type::kLocalTime, Type::kTime, Type::kLocalDateTime, Type::kDateTime}) {
      if (type == FnName(t)) return ConstructFromString(t, text, Loc{});
    }
  } catch (const QueryException& e) {
    return Status::InvalidArgument(e.message());
  }
  return Status::InvalidArgument("'" + std::string(type) + "' is not a temporal type");
}

void AddTemporalFunctions(std::vector<FunctionInfo>* out) {
  constexpr NullBehavior kNullInNullOut = NullBehavior::kNullInNullOut, kCustom = NullBehavior::kCustom;
  auto add = [&](std::string name, ScalarFunction fn, int min, int max, std::string sig, std::string summary,
                 NullBehavior nulls, Volatility volatility = Volatility::kImmutable, bool clock = false) {
    FunctionInfo f{std::move(name), fn, min, max, std::move(sig), std::move(summary), volatility, nulls};
    f.volatile_without_arguments = clock;
    out->push_back(std::move(f));
  };
  add("date", FnDate, 0, 1, "date([text, map or temporal]) :: DATE",
      "a date: '2015-07-21', '2015-W30-2', '2015-202', {year: 1984, week: 10}; Lodestone's imprecise "
      "'2025-10', '2026-Q1', '2026-H1', '2025'; today without argument",
      kCustom, Volatility::kImmutable, true);
  add("localtime", FnLocalTime, 0, 1, "localtime([text, map or temporal]) :: LOCALTIME",
      "a time of day without offset: '21:40:32.142', {hour: 12, minute: 31}; now without argument", kCustom,
      Volatility::kImmutable, true);
  add("time", FnTime, 0, 1, "time([text, map or temporal]) :: TIME",
      "a time of day with an offset: '21:40:32+01:00', {hour: 12, timezone: '+01:00'}", kCustom,
      Volatility::kImmutable, true);
  add("localdatetime", FnLocalDateTime, 0, 1, "localdatetime([text, map or temporal]) :: LOCALDATETIME",
      "a date and time without offset: '2015-07-21T21:40:32.142'", kCustom, Volatility::kImmutable, true);
  add("datetime", FnDateTime, 0, 1, "datetime([text, map or temporal]) :: DATETIME",
      "an instant with an offset or zone: '2015-07-21T21:40:32.142+01:00', "
      "'2015-07-21T21:40[Europe/Stockholm]', {year: 1984, month: 10, day: 11, timezone: 'Europe/Stockholm'}; "
      "now without argument",
      kCustom, Volatility::kImmutable, true);
  add("duration", FnDuration, 1, 1, "duration(text or map) :: DURATION",
      "an amount of time: 'P1Y2M10DT12H45M30.5S', {days: 14, hours: 16}", kCustom);
  for (const char* clock : {"statement", "transaction", "realtime"}) {
    std::string c = clock;
    add("date." + c, FnNowDate, 0, 1, "date." + c + "([timezone]) :: DATE", "today", kCustom,
        Volatility::kVolatile);
    add("localtime." + c, FnNowLocalTime, 0, 1, "localtime." + c + "([timezone]) :: LOCALTIME",
        "the time now", kCustom, Volatility::kVolatile);
    add("time." + c, FnNowTime, 0, 1, "time." + c + "([timezone]) :: TIME", "the time now, in UTC", kCustom,
        Volatility::kVolatile);
    add("localdatetime." + c, FnNowLocalDateTime, 0, 1,
        "localdatetime." + c + "([timezone]) :: LOCALDATETIME", "the date and time now", kCustom,
        Volatility::kVolatile);
    add("datetime." + c, FnNowDateTime, 0, 1, "datetime." + c + "([timezone]) :: DATETIME", "the instant now",
        kCustom, Volatility::kVolatile);
  }
  const char* trunc_summary =
      "the value truncated to a unit (year, month, day, hour, ...), then fields set from the map";
  add("date.truncate", FnDateTruncate, 2, 3, "date.truncate(unit, temporal[, map]) :: DATE", trunc_summary,
      kCustom);
  add("localtime.truncate", FnLocalTimeTruncate, 2, 3,
      "localtime.truncate(unit, temporal[, map]) :: LOCALTIME", trunc_summary, kCustom);
  add("time.truncate", FnTimeTruncate, 2, 3, "time.truncate(unit, temporal[, map]) :: TIME", trunc_summary,
      kCustom);
  add("localdatetime.truncate", FnLocalDateTimeTruncate, 2, 3,
      "localdatetime.truncate(unit, temporal[, map]) :: LOCALDATETIME", trunc_summary, kCustom);
  add("datetime.truncate", FnDateTimeTruncate, 2, 3, "datetime.truncate(unit, temporal[, map]) :: DATETIME",
      trunc_summary, kCustom);
  add("datetime.fromepoch", FnFromEpoch, 2, 2, "datetime.fromepoch(seconds, nanoseconds) :: DATETIME",
      "the instant so long after 1970-01-01T00:00Z", kNullInNullOut);
  add("datetime.fromepochmillis", FnFromEpochMillis, 1, 1,
      "datetime.fromepochmillis(milliseconds) :: DATETIME",
      "the instant so many milliseconds after 1970-01-01T00:00Z", kNullInNullOut);
  add("duration.between", FnBetween, 2, 2, "duration.between(from, to) :: DURATION",
      "the duration from one temporal value to another, in months, days and seconds", kNullInNullOut);
  add("duration.inMonths", FnInMonths, 2, 2, "duration.inMonths(from, to) :: DURATION",
      "the whole months from one temporal value to another", kNullInNullOut);
  add("duration.inDays", FnInDays, 2, 2, "duration.inDays(from, to) :: DURATION",
      "the whole days from one temporal value to another", kNullInNullOut);
  add("duration.inSeconds", FnInSeconds, 2, 2, "duration.inSeconds(from, to) :: DURATION",
      "the exact time from one temporal value to another, in seconds", kNullInNullOut);
}

}  // namespace lodestone::query
