// Fuzz target: date and date-time text -> Date / DateTime, and their order (docs/fuzzing.md).
//
// The input is two texts separated by the first newline. Each is parsed as a date and as a date-time
// (the importer and the query functions read dates through the same Date::Parse). Whatever parses must print
// in a form that parses back to the same value, and the order of two parsed dates must be a consistent total
// order.
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "store/value.h"
#include "tests/fuzz/fuzz_check.h"

namespace lodestone::fuzz {
namespace {

std::optional<Date> RoundTripDate(std::string_view text) {
  auto d = Date::Parse(text);
  if (!d.ok()) return std::nullopt;
  Check(d->start_day() < d->end_day(), "a date covers at least one day");
  auto again = Date::Parse(d->ToString());
  Check(again.ok(), "a date's text parses again");
  Check(*again == *d, "a date's text parses to the same date");
  Check(Date::Containing(d->start_day(), d->precision()) == *d, "a date contains its first day");
  return *d;
}

std::optional<DateTime> RoundTripDateTime(std::string_view text) {
  auto t = DateTime::Parse(text);
  if (!t.ok()) return std::nullopt;
  auto again = DateTime::Parse(t->ToString());
  Check(again.ok(), "a date-time's text parses again");
  Check(again->micros == t->micros, "a date-time's text parses to the same instant");
  return *t;
}

}  // namespace
}  // namespace lodestone::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lodestone;
  using fuzz::Check;
  if (size > 256) return -1;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string_view a = in.substr(0, nl);
  std::string_view b = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  auto da = fuzz::RoundTripDate(a);
  auto db = fuzz::RoundTripDate(b);
  auto ta = fuzz::RoundTripDateTime(a);
  auto tb = fuzz::RoundTripDateTime(b);
  if (da && db) {
    auto ab = *da <=> *db;
    auto ba = *db <=> *da;
    Check((ab < 0) == (ba > 0) && (ab == 0) == (ba == 0), "date order is antisymmetric");
    Check((ab == 0) == (*da == *db), "dates that compare equal are equal");
  }
  if (ta && tb) {
    Check((*ta < *tb) == (tb->micros > ta->micros), "date-time order follows the instant");
  }
  return 0;
}
