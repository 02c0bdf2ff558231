#include "store/value.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace lodestone {

int32_t DaysFromCivil(int year, unsigned month, unsigned day) {
  return static_cast<int32_t>(EpochDay(year, static_cast<int>(month), static_cast<int>(day)));
}

void CivilFromDays(int32_t z, int* year, unsigned* month, unsigned* day) {
  const CivilDay c = CivilOf(z);
  *year = static_cast<int>(c.year);
  *month = static_cast<unsigned>(c.month);
  *day = static_cast<unsigned>(c.day);
}

namespace {

// Parses exactly `n` decimal digits at s[pos]; advances pos.
bool Digits(std::string_view s, size_t& pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  *out = v;
  return true;
}

Status BadDate(std::string_view text) {
  return Status::InvalidArgument("'" + std::string(text) +
                                 "' is not a date; expected YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY");
}

}  // namespace

std::string_view PrecisionName(DatePrecision p) {
  switch (p) {
    case DatePrecision::kDay:
      return "day";
    case DatePrecision::kMonth:
      return "month";
    case DatePrecision::kQuarter:
      return "quarter";
    case DatePrecision::kHalf:
      return "half";
    case DatePrecision::kYear:
      return "year";
  }
  return "?";
}

std::optional<DatePrecision> ParsePrecisionName(std::string_view text) {
  for (auto p : {DatePrecision::kDay, DatePrecision::kMonth, DatePrecision::kQuarter, DatePrecision::kHalf,
                 DatePrecision::kYear}) {
    std::string_view name = PrecisionName(p);
    if (std::equal(text.begin(), text.end(), name.begin(), name.end(),
                   [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; })) {
      return p;
    }
  }
  return std::nullopt;
}

Date Date::Containing(int32_t day, DatePrecision p) {
  if (p == DatePrecision::kDay) return Date(day, day + 1, p);
  int y;
  unsigned m, d;
  CivilFromDays(day, &y, &m, &d);
  if (p == DatePrecision::kMonth) {
    int32_t start = day - static_cast<int32_t>(d - 1);
    return Date(start, start + DaysInMonthOf(y, static_cast<int>(m)), p);
  }
  // The first month of the period and the number of months it spans; start and end from one
  // conversion (this runs per row in truncate()).
  unsigned first = 1, months = 12;
  switch (p) {
    case DatePrecision::kDay:
    case DatePrecision::kMonth:
      break;  // returned above
    case DatePrecision::kQuarter:
      first = (m - 1) / 3 * 3 + 1, months = 3;
      break;
    case DatePrecision::kHalf:
      first = m <= 6 ? 1 : 7, months = 6;
      break;
    case DatePrecision::kYear:
      break;
  }
  unsigned next = first + months;
  int32_t end = next > 12 ? DaysFromCivil(y + 1, next - 12, 1) : DaysFromCivil(y, next, 1);
  return Date(DaysFromCivil(y, first, 1), end, p);
}

Result<Date> Date::FromYmd(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > DaysInMonthOf(year, month)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d is not a calendar day", year, month, day);
    return Status::InvalidArgument(buf);
  }
  return Date(DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)),
              DatePrecision::kDay);
}

Result<Date> Date::Parse(std::string_view text) {
  size_t pos = 0;
  int year;
  if (!Digits(text, pos, 4, &year) || year < 1) return BadDate(text);
  if (pos == text.size()) return Date(DaysFromCivil(year, 1, 1), DatePrecision::kYear);
  if (text[pos++] != '-' || pos >= text.size()) return BadDate(text);
  char c = text[pos];
  if (c == 'Q' || c == 'q' || c == 'H' || c == 'h') {
    ++pos;
    int n;
    if (!Digits(text, pos, 1, &n) || pos != text.size()) return BadDate(text);
    bool quarter = c == 'Q' || c == 'q';
    if (n < 1 || n > (quarter ? 4 : 2)) {
      return Status::InvalidArgument("'" + std::string(text) +
                                     "': " + (quarter ? "a quarter is Q1 to Q4" : "a half is H1 or H2"));
    }
    unsigned month = quarter ? static_cast<unsigned>(n - 1) * 3 + 1 : (n == 1 ? 1 : 7);
    return Date(DaysFromCivil(year, month, 1), quarter ? DatePrecision::kQuarter : DatePrecision::kHalf);
  }
  int month;
  if (!Digits(text, pos, 2, &month)) return BadDate(text);
  if (month < 1 || month > 12)
    return Status::InvalidArgument("'" + std::string(text) + "': month must be 01 to 12");
  if (pos == text.size())
    return Date(DaysFromCivil(year, static_cast<unsigned>(month), 1), DatePrecision::kMonth);
  int day;
  if (text[pos++] != '-' || !Digits(text, pos, 2, &day) || pos != text.size()) return BadDate(text);
  return FromYmd(year, month, day);
}

int32_t Date::EndOf(int32_t start_, DatePrecision precision_) {
  if (precision_ == DatePrecision::kDay) return start_ + 1;
  int y;
  unsigned m, d;
  CivilFromDays(start_, &y, &m, &d);
  switch (precision_) {
    case DatePrecision::kDay:
      return start_ + 1;
    case DatePrecision::kMonth:
      return m == 12 ? DaysFromCivil(y + 1, 1, 1) : DaysFromCivil(y, m + 1, 1);
    case DatePrecision::kQuarter:
      return m >= 10 ? DaysFromCivil(y + 1, 1, 1) : DaysFromCivil(y, m + 3, 1);
    case DatePrecision::kHalf:
      return m >= 7 ? DaysFromCivil(y + 1, 1, 1) : DaysFromCivil(y, 7, 1);
    case DatePrecision::kYear:
      return DaysFromCivil(y + 1, 1, 1);
  }
  return start_ + 1;
}

int Date::year() const {
  int y;
  unsigned m, d;
  CivilFromDays(start_, &y, &m, &d);
  return y;
}

int Date::month() const {
  int y;
  unsigned m, d;
  CivilFromDays(start_, &y, &m, &d);
  return static_cast<int>(m);
}

int Date::day() const {
  int y;
  unsigned m, d;
  CivilFromDays(start_, &y, &m, &d);
  return static_cast<int>(d);
}

std::string Date::ToString() const {
  int y;
  unsigned m, d;
  CivilFromDays(start_, &y, &m, &d);
  char buf[32];
  switch (precision_) {
    case DatePrecision::kDay:
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
      break;
    case DatePrecision::kMonth:
      std::snprintf(buf, sizeof buf, "%04d-%02u", y, m);
      break;
    case DatePrecision::kQuarter:
      std::snprintf(buf, sizeof buf, "%04d-Q%u", y, (m - 1) / 3 + 1);
      break;
    case DatePrecision::kHalf:
      std::snprintf(buf, sizeof buf, "%04d-H%u", y, m <= 6 ? 1u : 2u);
      break;
    case DatePrecision::kYear:
      std::snprintf(buf, sizeof buf, "%04d", y);
      break;
  }
  return buf;
}

Result<int64_t> ParseRecordInstant(std::string_view text) {
  if (text.find('T') == std::string_view::npos) {
    if (auto d = Date::Parse(text); d.ok()) return d->LastMicro();
  }
  ASSIGN_OR_RETURN(DateTime t, DateTime::Parse(text));
  return t.micros;
}

Result<DateTime> DateTime::Parse(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument(
        "'" + std::string(text) +
        "' is not a date-time; expected e.g. 2026-01-10T12:00:00Z or 2026-01-10T12:00:00+01:00");
  };
  size_t pos = 0;
  int y, mo, d;
  if (!Digits(text, pos, 4, &y) || pos >= text.size() || text[pos++] != '-' || !Digits(text, pos, 2, &mo) ||
      pos >= text.size() || text[pos++] != '-' || !Digits(text, pos, 2, &d)) {
    return bad();
  }
  auto day = Date::FromYmd(y, mo, d);
  if (!day.ok()) return bad();
  int64_t micros = int64_t{day->start_day()} * 86400 * 1000000;
  if (pos == text.size()) return DateTime{micros};
  if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return bad();
  ++pos;
  int h, mi, s = 0;
  if (!Digits(text, pos, 2, &h) || pos >= text.size() || text[pos++] != ':' || !Digits(text, pos, 2, &mi))
    return bad();
  int64_t frac = 0;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!Digits(text, pos, 2, &s)) return bad();
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      int64_t scale = 100000;
      size_t start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (scale > 0) frac += (text[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start) return bad();
    }
  }
  if (h > 23 || mi > 59 || s > 60) return bad();
  int64_t offset_minutes = 0;
  if (pos < text.size()) {
    char c = text[pos++];
    if (c == 'Z' || c == 'z') {
      // UTC
    } else if (c == '+' || c == '-') {
      int oh, om = 0;
      if (!Digits(text, pos, 2, &oh)) return bad();
      if (pos < text.size() && text[pos] == ':') ++pos;
      if (pos < text.size() && !Digits(text, pos, 2, &om)) return bad();
      if (oh > 18 || om > 59) return bad();
      offset_minutes = (oh * 60 + om) * (c == '-' ? -1 : 1);
    } else {
      return bad();
    }
  }
  if (pos != text.size()) return bad();
  micros += ((int64_t{h} * 60 + mi - offset_minutes) * 60 + s) * 1000000 + frac;
  return DateTime{micros};
}

DateTime DateTime::FromEpoch(int64_t seconds, int64_t nanos, int32_t offset, int32_t zone) {
  seconds += FloorDiv(nanos, kNanosPerSecond);
  nanos = FloorMod(nanos, kNanosPerSecond);
  DateTime d;
  d.micros = seconds * 1'000'000 + nanos / 1000;
  d.sub_micro_nanos = static_cast<int32_t>(nanos % 1000);
  d.offset = offset;
  d.zone = zone;
  return d;
}

std::string DateTime::IsoString() const {
  int64_t local = LocalSecond();
  std::string s = FormatDay(FloorDiv(local, kSecondsPerDay)) + "T" +
                  FormatTimeOfDay(FloorMod(local, kSecondsPerDay) * kNanosPerSecond + NanoOfSecond()) +
                  FormatOffset(offset);
  if (zone != 0) s += "[" + TimeZoneName(zone) + "]";
  return s;
}

std::string DateTime::ToString() const {
  if (HasOffsetOrZone()) return IsoString();
  int64_t secs = micros >= 0 ? micros / 1000000 : -((-micros + 999999) / 1000000);
  int64_t frac = micros - secs * 1000000;
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rem = secs - days * 86400;
  int y;
  unsigned m, d;
  CivilFromDays(static_cast<int32_t>(days), &y, &m, &d);
  char buf[64];
  int n =
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", y, m, d, static_cast<int>(rem / 3600),
                    static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
  std::string out(buf, static_cast<size_t>(n));
  if (frac != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(frac));
    std::string f(buf);
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  out += 'Z';
  return out;
}

bool Value::IsStorable() const {
  switch (kind()) {
    case Kind::kNode:
    case Kind::kRel:
    case Kind::kPath:
      return false;
    case Kind::kList:
      for (const Value& v : as_list()) {
        if (!v.IsStorable()) return false;
      }
      return true;
    case Kind::kMap:
      for (const auto& [k, v] : as_map()) {
        if (!v.IsStorable()) return false;
      }
      return true;
    default:
      return true;
  }
}

bool Identical(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Value::Kind::kNull:
      return true;
    case Value::Kind::kBool:
      return a.as_bool() == b.as_bool();
    case Value::Kind::kInt:
      return a.as_int() == b.as_int();
    case Value::Kind::kFloat: {
      double x = a.as_float(), y = b.as_float();
      return (std::isnan(x) && std::isnan(y)) || (x == y && std::signbit(x) == std::signbit(y));
    }
    case Value::Kind::kString:
      return a.as_string() == b.as_string();
    case Value::Kind::kDate:
      return a.as_date() == b.as_date();
    case Value::Kind::kDateTime:
      return a.as_datetime() == b.as_datetime();
    case Value::Kind::kList: {
      const auto &x = a.as_list(), &y = b.as_list();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!Identical(x[i], y[i])) return false;
      }
      return true;
    }
    case Value::Kind::kMap: {
      const auto &x = a.as_map(), &y = b.as_map();
      if (x.size() != y.size()) return false;
      for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j) {
        if (i->first != j->first || !Identical(i->second, j->second)) return false;
      }
      return true;
    }
    case Value::Kind::kNode:
      return a.as_node() == b.as_node();
    case Value::Kind::kRel:
      return a.as_rel() == b.as_rel();
    case Value::Kind::kPath:
      return a.as_path() == b.as_path();
    case Value::Kind::kDuration:
      return a.as_duration() == b.as_duration();
    case Value::Kind::kLocalTime:
      return a.as_localtime() == b.as_localtime();
    case Value::Kind::kTime:
      return a.as_time() == b.as_time();
    case Value::Kind::kLocalDateTime:
      return a.as_localdatetime() == b.as_localdatetime();
  }
  return false;
}

std::string QuoteString(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    switch (c) {
      case '\'':
        out += "\\'";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
  out += '\'';
  return out;
}

namespace {

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  std::string s(buf, end);
  // Keep a float looking like a float: 1.0, not 1.
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

}  // namespace

std::string Value::ToString() const {
  switch (kind()) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return as_bool() ? "true" : "false";
    case Kind::kInt:
      return std::to_string(as_int());
    case Kind::kFloat:
      return FormatDouble(as_float());
    case Kind::kString:
      return QuoteString(as_string());
    case Kind::kDate:
      return "date('" + as_date().ToString() + "')";
    case Kind::kDateTime:
      return "datetime('" + as_datetime().ToString() + "')";
    case Kind::kList: {
      std::string s = "[";
      bool first = true;
      for (const Value& v : as_list()) {
        if (!first) s += ", ";
        first = false;
        s += v.ToString();
      }
      return s + "]";
    }
    case Kind::kMap: {
      std::string s = "{";
      bool first = true;
      for (const auto& [k, v] : as_map()) {
        if (!first) s += ", ";
        first = false;
        s += k + ": " + v.ToString();
      }
      return s + "}";
    }
    case Kind::kNode:
      return "node(" + std::to_string(as_node().id) + ")";
    case Kind::kRel:
      return "relationship(" + std::to_string(as_rel().id) + ")";
    case Kind::kPath:
      return "path(" + std::to_string(as_path().rels.size()) + " relationships)";
    case Kind::kDuration:
      return "duration('" + as_duration().ToString() + "')";
    case Kind::kLocalTime:
      return "localtime('" + as_localtime().ToString() + "')";
    case Kind::kTime:
      return "time('" + as_time().ToString() + "')";
    case Kind::kLocalDateTime:
      return "localdatetime('" + as_localdatetime().ToString() + "')";
  }
  return "?";
}

std::string_view Value::KindName(Kind k) {
  switch (k) {
    case Kind::kNull:
      return "NULL";
    case Kind::kBool:
      return "BOOLEAN";
    case Kind::kInt:
      return "INTEGER";
    case Kind::kFloat:
      return "FLOAT";
    case Kind::kString:
      return "STRING";
    case Kind::kDate:
      return "DATE";
    case Kind::kDateTime:
      return "DATETIME";
    case Kind::kList:
      return "LIST";
    case Kind::kMap:
      return "MAP";
    case Kind::kNode:
      return "NODE";
    case Kind::kRel:
      return "RELATIONSHIP";
    case Kind::kPath:
      return "PATH";
    case Kind::kDuration:
      return "DURATION";
    case Kind::kLocalTime:
      return "LOCALTIME";
    case Kind::kTime:
      return "TIME";
    case Kind::kLocalDateTime:
      return "LOCALDATETIME";
  }
  return "?";
}

}  // namespace lodestone
