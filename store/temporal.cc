#include "store/temporal.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace lodestone {

// ---- calendars ----

CivilDay CivilOf(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return CivilDay{yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

int64_t EpochDay(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t yoe = year - era * 400;
  const int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonthOf(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

int DayOfWeek(int64_t epoch_day) { return static_cast<int>(FloorMod(epoch_day + 3, 7)) + 1; }

int64_t IsoWeekYearStart(int64_t week_year) {
  int64_t jan4 = EpochDay(week_year, 1, 4);
  return jan4 - (DayOfWeek(jan4) - 1);
}

void IsoWeekOf(int64_t epoch_day, int64_t* week_year, int* week) {
  int64_t thursday = epoch_day - DayOfWeek(epoch_day) + 4;
  int64_t y = CivilOf(thursday).year;
  *week_year = y;
  *week = static_cast<int>((thursday - EpochDay(y, 1, 1)) / 7 + 1);
}

int IsoWeeksInYear(int64_t week_year) {
  return static_cast<int>((IsoWeekYearStart(week_year + 1) - IsoWeekYearStart(week_year)) / 7);
}

// ---- formatting ----

namespace {

std::string Fraction(int64_t nanos) {
  char buf[32];
  if (nanos % 1'000'000 == 0) {
    std::snprintf(buf, sizeof buf, ".%03lld", static_cast<long long>(nanos / 1'000'000));
  } else if (nanos % 1000 == 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(nanos / 1000));
  } else {
    std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(nanos));
  }
  return buf;
}

}  // namespace

std::string FormatTimeOfDay(int64_t n) {
  int64_t secs = n / kNanosPerSecond, frac = n % kNanosPerSecond;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld", static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60));
  std::string out = buf;
  if (secs % 60 != 0 || frac != 0) {
    std::snprintf(buf, sizeof buf, ":%02lld", static_cast<long long>(secs % 60));
    out += buf;
  }
  if (frac != 0) out += Fraction(frac);
  return out;
}

std::string FormatDay(int64_t epoch_day) {
  CivilDay c = CivilOf(epoch_day);
  char buf[48];
  if (c.year >= 0 && c.year <= 9999) {
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", static_cast<long long>(c.year), c.month, c.day);
  } else {
    std::snprintf(buf, sizeof buf, "%c%04lld-%02d-%02d", c.year < 0 ? '-' : '+',
                  static_cast<long long>(c.year < 0 ? -c.year : c.year), c.month, c.day);
  }
  return buf;
}

std::string FormatOffset(int32_t offset) {
  if (offset == 0) return "Z";
  int32_t a = offset < 0 ? -offset : offset;
  char buf[24];
  if (a % 60 != 0) {
    std::snprintf(buf, sizeof buf, "%c%02d:%02d:%02d", offset < 0 ? '-' : '+', a / 3600, a / 60 % 60, a % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset < 0 ? '-' : '+', a / 3600, a / 60 % 60);
  }
  return buf;
}

std::string LocalTime::ToString() const { return FormatTimeOfDay(nanos); }

std::string Time::ToString() const { return FormatTimeOfDay(nanos) + FormatOffset(offset); }

std::string LocalDateTime::ToString() const {
  int64_t day = FloorDiv(seconds, kSecondsPerDay);
  int64_t tod = FloorMod(seconds, kSecondsPerDay) * kNanosPerSecond + nanos;
  return FormatDay(day) + "T" + FormatTimeOfDay(tod);
}

// ---- durations ----

Duration Duration::Of(int64_t months, int64_t days, int64_t seconds, int64_t nanos) {
  Duration d;
  d.months = months;
  d.days = days;
  d.seconds = seconds + FloorDiv(nanos, kNanosPerSecond);
  d.nanos = static_cast<int32_t>(FloorMod(nanos, kNanosPerSecond));
  return d;
}

std::string Duration::ToString() const {
  std::string s = "P";
  int64_t years = months / 12, m = months % 12;
  if (years != 0) s += std::to_string(years) + "Y";
  if (m != 0) s += std::to_string(m) + "M";
  if (days != 0) s += std::to_string(days) + "D";
  Int128 total = TotalNanos();
  if (total != 0) {
    s += "T";
    bool neg = total < 0;
    UInt128 a = static_cast<UInt128>(neg ? -total : total);
    auto whole = static_cast<uint64_t>(a / kNanosPerSecond);
    auto frac = static_cast<int64_t>(a % kNanosPerSecond);
    const char* sign = neg ? "-" : "";
    if (whole / 3600 != 0) s += sign + std::to_string(whole / 3600) + "H";
    if (whole / 60 % 60 != 0) s += sign + std::to_string(whole / 60 % 60) + "M";
    if (whole % 60 != 0 || frac != 0) {
      s += sign + std::to_string(whole % 60);
      if (frac != 0) {
        std::string f = Fraction(frac);
        // A duration prints its fraction without trailing zeros: 30.5S.
        while (f.back() == '0') f.pop_back();
        s += f;
      }
      s += "S";
    }
  }
  if (s == "P") s = "PT0S";
  return s;
}

namespace {

// One number of a duration: an optional sign, digits, and an optional fraction.
bool DurationNumber(std::string_view t, size_t& pos, long double* value, bool* fractional) {
  size_t start = pos;
  bool neg = false;
  if (pos < t.size() && (t[pos] == '-' || t[pos] == '+')) neg = t[pos++] == '-';
  size_t digits = pos;
  long double v = 0;
  while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') v = v * 10 + (t[pos++] - '0');
  if (pos == digits) {
    pos = start;
    return false;
  }
  *fractional = false;
  if (pos < t.size() && (t[pos] == '.' || t[pos] == ',')) {
    ++pos;
    long double scale = 0.1L;
    size_t f = pos;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      v += (t[pos++] - '0') * scale;
      scale /= 10;
    }
    if (pos == f) return false;
    *fractional = true;
  }
  *value = neg ? -v : v;
  return true;
}

}  // namespace

void DurationBuilder::Add(char unit, long double v) {
  switch (unit) {
    case 'Y':
      months_ += v * 12;
      break;
    case 'M':
      months_ += v;
      break;
    case 'W':
      days_ += v * 7;
      break;
    case 'D':
      days_ += v;
      break;
    case 'h':
      seconds_ += v * 3600;
      break;
    case 'm':
      seconds_ += v * 60;
      break;
    case 's':
      seconds_ += v;
      break;
    default:
      break;
  }
}

Duration DurationBuilder::Build() const {
  long double months = std::trunc(months_);
  long double days = days_ + (months_ - months) * 30.436875L;
  long double whole_days = std::trunc(days);
  long double seconds = seconds_ + (days - whole_days) * 86400;
  long double whole_seconds = std::trunc(seconds);
  auto nanos = static_cast<int64_t>(std::llround((seconds - whole_seconds) * 1e9L));
  return Duration::Of(static_cast<int64_t>(months), static_cast<int64_t>(whole_days),
                      static_cast<int64_t>(whole_seconds), nanos);
}

Result<Duration> Duration::Parse(std::string_view t) {
  auto bad = [&] {
    return Status::InvalidArgument(
        "'" + std::string(t) +
        "' is not a duration; expected ISO 8601 like 'P1Y2M10DT12H45M30.5S', 'P2W' "
        "or 'PT-1.5S' (units Y, M, W, D, then after T: H, M, S)");
  };
  size_t pos = 0;
  bool negate = false;
  if (pos < t.size() && (t[pos] == '-' || t[pos] == '+')) negate = t[pos++] == '-';
  if (pos >= t.size() || (t[pos] != 'P' && t[pos] != 'p')) return bad();
  ++pos;
  DurationBuilder b;
  // The alternative form P<date>T<time>: P2012-02-02T14:37:21.545.
  if (t.size() >= pos + 10 && t[pos + 4] == '-' && std::isdigit(static_cast<unsigned char>(t[pos])) &&
      std::isdigit(static_cast<unsigned char>(t[pos + 3]))) {
    int y, mo, d;
    if (std::sscanf(std::string(t.substr(pos, 10)).c_str(), "%4d-%2d-%2d", &y, &mo, &d) != 3) return bad();
    b.Add('Y', y);
    b.Add('M', mo);
    b.Add('D', d);
    pos += 10;
    if (pos < t.size()) {
      if (t[pos] != 'T') return bad();
      auto time = ParseIsoTemporal(t.substr(pos + 1), false, true, "a duration");
      if (!time.ok() || !time->time || time->offset || time->zone) return bad();
      b.Add('s', static_cast<long double>(*time->time) / 1e9L);
    }
    Duration r = b.Build();
    return negate ? r.Negated() : r;
  }
  static constexpr std::string_view kDateUnits = "YMWD", kTimeUnits = "HMS";
  bool in_time = false, any = false;
  size_t next_unit = 0;  // units come in order
  while (pos < t.size()) {
    if (!in_time && (t[pos] == 'T' || t[pos] == 't')) {
      in_time = true;
      next_unit = 0;
      ++pos;
      if (pos == t.size()) return bad();
      continue;
    }
    long double v;
    bool fractional;
    if (!DurationNumber(t, pos, &v, &fractional) || pos >= t.size()) return bad();
    char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(t[pos++])));
    std::string_view units = in_time ? kTimeUnits : kDateUnits;
    size_t at = units.find(unit, next_unit);
    if (at == std::string_view::npos) return bad();
    next_unit = at + 1;
    b.Add(in_time ? static_cast<char>(std::tolower(unit)) : unit, v);
    any = true;
  }
  if (!any) return bad();
  Duration r = b.Build();
  return negate ? r.Negated() : r;
}

// ---- time zones ----

namespace {

struct Zone {
  std::string name;
  std::vector<int64_t> transitions;  // seconds since the epoch, ascending
  std::vector<int32_t> offsets;      // the offset from each transition on
  int32_t initial = 0;               // before the first transition
};

class ZoneRegistry {
 public:
  static ZoneRegistry& Get() {
    static ZoneRegistry r;
    return r;
  }
  std::optional<int32_t> Find(std::string_view name) {
    std::lock_guard lock(mu_);
    auto it = by_name_.find(name);
    if (it != by_name_.end()) return it->second;
    auto zone = Load(name);
    if (!zone) return std::nullopt;
    zones_.push_back(std::move(zone));
    auto id = static_cast<int32_t>(zones_.size());
    by_name_[std::string(name)] = id;
    return id;
  }
  const Zone* At(int32_t id) {
    std::lock_guard lock(mu_);
    return id >= 1 && static_cast<size_t>(id) <= zones_.size() ? zones_[static_cast<size_t>(id - 1)].get()
                                                               : nullptr;
  }

 private:
  static std::unique_ptr<Zone> Load(std::string_view name) {
    // A zone name is letters, digits, '_', '-', '+' and '/' separated parts; never a path escape.
    if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos) return nullptr;
    for (char c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' && c != '+')
        return nullptr;
    }
    std::ifstream in("/usr/share/zoneinfo/" + std::string(name), std::ios::binary);
    if (!in) return nullptr;
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return ParseTzif(name, data);
  }

  static uint32_t U32(const std::string& d, size_t at) {
    return (uint32_t{static_cast<unsigned char>(d[at])} << 24) |
           (uint32_t{static_cast<unsigned char>(d[at + 1])} << 16) |
           (uint32_t{static_cast<unsigned char>(d[at + 2])} << 8) |
           uint32_t{static_cast<unsigned char>(d[at + 3])};
  }

  // TZif (RFC 8536): a version 1 block with 32-bit times, then for version 2 and later a second header
  // and block with 64-bit times, which is the one read here when present.
  static std::unique_ptr<Zone> ParseTzif(std::string_view name, const std::string& d) {
    if (d.size() < 44 || d.compare(0, 4, "TZif") != 0) return nullptr;
    auto counts = [&](size_t at, uint32_t c[6]) {
      for (int i = 0; i < 6; ++i) c[i] = U32(d, at + 20 + 4 * static_cast<size_t>(i));
    };
    uint32_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
    counts(0, c);
    size_t time_size = 4, at = 44;
    if (d[4] >= '2') {
      size_t v1 = size_t{c[3]} * 4 + c[3] + size_t{c[4]} * 6 + c[5] + size_t{c[2]} * 8 + c[1] + c[0];
      at = 44 + v1;
      if (d.size() < at + 44 || d.compare(at, 4, "TZif") != 0) return nullptr;
      counts(at, c);
      at += 44;
      time_size = 8;
    }
    size_t timecnt = c[3], typecnt = c[4];
    if (typecnt == 0 || d.size() < at + timecnt * (time_size + 1) + typecnt * 6) return nullptr;
    auto zone = std::make_unique<Zone>();
    zone->name = std::string(name);
    std::vector<int32_t> type_offsets(typecnt);
    size_t types_at = at + timecnt * (time_size + 1);
    for (size_t i = 0; i < typecnt; ++i) type_offsets[i] = static_cast<int32_t>(U32(d, types_at + i * 6));
    zone->initial = type_offsets[0];
    for (size_t i = 0; i < timecnt; ++i) {
      int64_t when;
      if (time_size == 8) {
        when = static_cast<int64_t>((uint64_t{U32(d, at + i * 8)} << 32) | U32(d, at + i * 8 + 4));
      } else {
        when = static_cast<int32_t>(U32(d, at + i * 4));
      }
      auto type = static_cast<unsigned char>(d[at + timecnt * time_size + i]);
      if (type >= typecnt) return nullptr;
      zone->transitions.push_back(when);
      zone->offsets.push_back(type_offsets[type]);
    }
    return zone;
  }

  std::mutex mu_;
  std::vector<std::unique_ptr<Zone>> zones_;
  std::map<std::string, int32_t, std::less<>> by_name_;
};

}  // namespace

std::optional<int32_t> FindTimeZone(std::string_view name) { return ZoneRegistry::Get().Find(name); }

const std::string& TimeZoneName(int32_t zone) {
  static const std::string kNone;
  const Zone* z = ZoneRegistry::Get().At(zone);
  return z ? z->name : kNone;
}

int32_t ZoneOffsetAt(int32_t zone, int64_t t) {
  const Zone* z = ZoneRegistry::Get().At(zone);
  if (!z) return 0;
  auto it = std::upper_bound(z->transitions.begin(), z->transitions.end(), t);
  if (it == z->transitions.begin()) return z->initial;
  return z->offsets[static_cast<size_t>(it - z->transitions.begin() - 1)];
}

int32_t ZoneOffsetForLocal(int32_t zone, int64_t local) {
  int32_t before = ZoneOffsetAt(zone, local - kSecondsPerDay);
  int32_t after = ZoneOffsetAt(zone, local + kSecondsPerDay);
  for (int32_t o : {before, after}) {
    if (ZoneOffsetAt(zone, local - o) == o) return o;
  }
  return before;  // in a gap
}

// ---- ISO 8601 text ----

namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view t) : t_(t) {}
  bool done() const { return pos_ >= t_.size(); }
  char peek() const { return done() ? '\0' : t_[pos_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  size_t digit_run() const {
    size_t n = 0;
    while (pos_ + n < t_.size() && t_[pos_ + n] >= '0' && t_[pos_ + n] <= '9') ++n;
    return n;
  }
  int64_t take(size_t n) {
    int64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = v * 10 + (t_[pos_++] - '0');
    return v;
  }
  std::string_view rest() const { return t_.substr(pos_); }
  void skip(size_t n) { pos_ += n; }

 private:
  std::string_view t_;
  size_t pos_ = 0;
};

Status Bad(std::string_view text, std::string_view what, std::string_view why = {}) {
  std::string m = "'" + std::string(text) + "' is not " + std::string(what);
  if (!why.empty()) m += ": " + std::string(why);
  return Status::InvalidArgument(m);
}

}  // namespace

Result<std::pair<int32_t, int32_t>> ParseTimeZone(std::string_view text) {
  if (text == "Z" || text == "z") return std::pair<int32_t, int32_t>{0, 0};
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    Scanner s(text.substr(1));
    int64_t h = 0, m = 0, sec = 0;
    if (s.digit_run() < 2) return Bad(text, "a time zone", "expected an offset like +01:00 or a zone name");
    h = s.take(2);
    bool colon = s.eat(':');
    if (!s.done()) {
      if (s.digit_run() < 2) return Bad(text, "a time zone", "expected an offset like +01:00");
      m = s.take(2);
      if (!s.done()) {
        if (colon && !s.eat(':')) return Bad(text, "a time zone");
        if (s.digit_run() != 2) return Bad(text, "a time zone");
        sec = s.take(2);
      }
    }
    if (!s.done() || m > 59 || sec > 59 || h * 3600 + m * 60 + sec > 18 * 3600)
      return Bad(text, "a time zone", "an offset is at most 18 hours, like +01:00");
    auto off = static_cast<int32_t>(h * 3600 + m * 60 + sec);
    return std::pair<int32_t, int32_t>{text[0] == '-' ? -off : off, 0};
  }
  auto zone = FindTimeZone(text);
  if (!zone) {
    return Bad(text, "a time zone",
               "expected an offset like '+01:00' or a name of the tz database like 'Europe/Stockholm'");
  }
  return std::pair<int32_t, int32_t>{0, *zone};
}

Result<ParsedTemporal> ParseIsoTemporal(std::string_view text, bool want_date, bool want_time,
                                        std::string_view what) {
  ParsedTemporal out;
  Scanner s(text);
  auto bad = [&](std::string_view why = {}) { return Bad(text, what, why); };
  if (want_date) {
    if (s.digit_run() < 4) return bad("expected a year of four digits first");
    int64_t year = s.take(4);
    bool ext = s.eat('-');
    if (s.done() || s.peek() == 'T') {
      if (ext) return bad();
      out.day = EpochDay(year, 1, 1);
      out.imprecise_date_form = true;
    } else if (s.peek() == 'W') {
      s.skip(1);
      if (s.digit_run() < 2) return bad("expected a week number after W");
      int64_t week = s.take(2);
      int64_t dow = 1;
      if (ext ? s.eat('-') : s.digit_run() > 0) {
        if (s.digit_run() < 1) return bad("expected a day of the week after the week");
        dow = s.take(1);
      }
      if (week < 1 || week > IsoWeeksInYear(year) || dow < 1 || dow > 7)
        return bad("no such week or day of the week");
      out.day = IsoWeekYearStart(year) + (week - 1) * 7 + (dow - 1);
    } else {
      size_t n = s.digit_run();
      if (n == 3) {
        int64_t ordinal = s.take(3);
        if (ordinal < 1 || ordinal > (IsLeapYear(year) ? 366 : 365)) return bad("no such day of the year");
        out.day = EpochDay(year, 1, 1) + ordinal - 1;
      } else if (n == 2 || (!ext && n == 4)) {
        int64_t month = s.take(2), day = 1;
        bool has_day = false;
        if (ext ? s.eat('-') : s.digit_run() == 2) {
          if (s.digit_run() != 2) return bad("expected a day of two digits");
          day = s.take(2);
          has_day = true;
        }
        if (month < 1 || month > 12) return bad("a month is 01 to 12");
        if (day < 1 || day > DaysInMonthOf(year, static_cast<int>(month)))
          return bad("no such day in that month");
        out.day = EpochDay(year, static_cast<int>(month), static_cast<int>(day));
        out.imprecise_date_form = !has_day && ext;
      } else {
        return bad();
      }
    }
    if (s.done()) return out;  // a date alone; the caller decides whether a time is required
    if (!s.eat('T')) return bad();
    out.imprecise_date_form = false;
  }
  if (!want_time) return bad();
  // The time of day.
  if (s.digit_run() < 2) return bad("expected an hour of two digits");
  int64_t h = s.take(2), m = 0, sec = 0, frac = 0;
  bool ext = false;
  if (s.peek() == ':' || s.digit_run() >= 2) {
    ext = s.eat(':');
    if (s.digit_run() < 2) return bad("expected minutes of two digits");
    m = s.take(2);
    if (ext ? s.eat(':') : s.digit_run() >= 2) {
      if (s.digit_run() < 2) return bad("expected seconds of two digits");
      sec = s.take(2);
      if (s.peek() == '.' || s.peek() == ',') {
        s.skip(1);
        size_t n = s.digit_run();
        if (n == 0 || n > 9) return bad("a fraction of a second has 1 to 9 digits");
        frac = s.take(n);
        for (size_t i = n; i < 9; ++i) frac *= 10;
      }
    }
  }
  if (h > 23 || m > 59 || sec > 59) return bad("no such time of day");
  out.time = ((h * 60 + m) * 60 + sec) * kNanosPerSecond + frac;
  // The offset and the zone.
  if (!s.done() && s.peek() != '[') {
    std::string_view rest = s.rest();
    size_t end = rest.find('[');
    std::string_view off = rest.substr(0, end);
    if (off[0] != 'Z' && off[0] != 'z' && off[0] != '+' && off[0] != '-') return bad();
    auto tz = ParseTimeZone(off);
    if (!tz.ok()) return bad("expected an offset like Z, +01:00 or -0130");
    out.offset = tz->first;
    s.skip(off.size());
  }
  if (s.eat('[')) {
    std::string_view rest = s.rest();
    if (rest.empty() || rest.back() != ']') return bad("expected ']' after the zone name");
    std::string_view name = rest.substr(0, rest.size() - 1);
    auto zone = FindTimeZone(name);
    if (!zone) return bad("unknown time zone '" + std::string(name) + "'");
    out.zone = *zone;
    s.skip(rest.size());
  }
  if (!s.done()) return bad();
  return out;
}

}  // namespace lodestone
