#include "query/eval/functions.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <map>
#include <random>

#include "query/eval/temporal.h"
#include "util/strings.h"

namespace lodestone::query {
namespace {

using util::Lower;

using Args = std::vector<Value>;
using Loc = ast::SourceLocation;

[[noreturn]] void BadArg(const char* fn, const Value& v, const char* expected, Loc loc) {
  ThrowType(std::string(fn) + "() expects " + expected + ", not " + TypeName(v) + " " + v.ToString(), loc);
}

// The conversion functions: a value of a type that cannot convert is an invalid argument value.
[[noreturn]] void BadConversion(const char* fn, const Value& v, const char* expected, Loc loc) {
  ThrowType(std::string(fn) + "() expects " + expected + ", not " + TypeName(v) + " " + v.ToString(), loc,
            "InvalidArgumentValue");
}

// ---- entities ----

Value FnId(ExecContext&, Args& a, Loc loc) {
  if (a[0].is_node()) return Value(static_cast<int64_t>(a[0].as_node().id));
  if (a[0].is_rel()) return Value(static_cast<int64_t>(a[0].as_rel().id));
  BadArg("id", a[0], "a node or relationship", loc);
}

Value FnLabels(ExecContext& ctx, Args& a, Loc loc) {
  if (!a[0].is_node()) {
    ThrowType("labels() expects a node, not " + TypeName(a[0]) + " " + a[0].ToString(), loc,
              "InvalidArgumentValue");
  }
  const NodeRecord* r = ctx.Node(a[0].as_node().id);
  ValueList out;
  if (!r) {
    if (ctx.deleted_nodes.count(a[0].as_node().id)) {
      throw QueryException(QueryError::Kind::kEntityNotFound, "DeletedEntityAccess",
                           "labels() of a node deleted earlier in this statement", loc);
    }
    return Value(out);
  }
  for (LabelId l : r->labels) out.push_back(Value(ctx.view().names().LabelName(l)));
  std::sort(out.begin(), out.end(),
            [](const Value& x, const Value& y) { return x.as_string() < y.as_string(); });
  return Value(std::move(out));
}

Value FnType(ExecContext& ctx, Args& a, Loc loc) {
  if (!a[0].is_rel()) {
    ThrowType("type() expects a relationship, not " + TypeName(a[0]) + " " + a[0].ToString(), loc,
              "InvalidArgumentValue");
  }
  return Value(ctx.view().names().RelTypeName(a[0].as_rel().type));
}

Value FnKeys(ExecContext& ctx, Args& a, Loc loc) {
  ValueList out;
  if (a[0].is_map()) {
    for (const auto& [k, v] : a[0].as_map()) out.push_back(Value(k));
    return Value(std::move(out));
  }
  if (!a[0].is_node() && !a[0].is_rel()) BadArg("keys", a[0], "a node, relationship or map", loc);
  for (const auto& [k, v] : EntityProperties(ctx, a[0], loc)) out.push_back(Value(k));
  return Value(std::move(out));
}

Value FnProperties(ExecContext& ctx, Args& a, Loc loc) {
  if (a[0].is_map()) return a[0];
  if (!a[0].is_node() && !a[0].is_rel()) BadArg("properties", a[0], "a node, relationship or map", loc);
  return Value(EntityProperties(ctx, a[0], loc));
}

Value FnStartNode(ExecContext&, Args& a, Loc loc) {
  if (!a[0].is_rel()) BadArg("startNode", a[0], "a relationship", loc);
  return Value(NodeRef{a[0].as_rel().src});
}

Value FnEndNode(ExecContext&, Args& a, Loc loc) {
  if (!a[0].is_rel()) BadArg("endNode", a[0], "a relationship", loc);
  return Value(NodeRef{a[0].as_rel().dst});
}

Value FnNodes(ExecContext&, Args& a, Loc loc) {
  if (!a[0].is_path()) BadArg("nodes", a[0], "a path", loc);
  ValueList out;
  for (const NodeRef& n : a[0].as_path().nodes) out.push_back(Value(n));
  return Value(std::move(out));
}

Value FnRelationships(ExecContext&, Args& a, Loc loc) {
  if (!a[0].is_path()) BadArg("relationships", a[0], "a path", loc);
  ValueList out;
  for (const RelRef& r : a[0].as_path().rels) out.push_back(Value(r));
  return Value(std::move(out));
}

Value FnLength(ExecContext&, Args& a, Loc loc) {
  if (a[0].is_path()) return Value(static_cast<int64_t>(a[0].as_path().rels.size()));
  BadArg("length", a[0], "a path", loc);
}

Value FnSize(ExecContext&, Args& a, Loc loc) {
  if (a[0].is_list()) return Value(static_cast<int64_t>(a[0].as_list().size()));
  if (a[0].is_string()) {
    // Characters, not bytes.
    int64_t n = 0;
    for (char c : a[0].as_string()) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return Value(n);
  }
  if (a[0].is_map()) return Value(static_cast<int64_t>(a[0].as_map().size()));
  BadArg("size", a[0], "a list or a string", loc);
}

// ---- lists ----

Value FnCoalesce(ExecContext&, Args& a, Loc) {
  for (Value& v : a) {
    if (!v.is_null()) return v;
  }
  return Value();
}

Value FnHead(ExecContext&, Args& a, Loc loc) {
  if (!a[0].is_list()) BadArg("head", a[0], "a list", loc);
  return a[0].as_list().empty() ? Value() : a[0].as_list().front();
}

Value FnLast(ExecContext&, Args& a, Loc loc) {
  if (!a[0].is_list()) BadArg("last", a[0], "a list", loc);
  return a[0].as_list().empty() ? Value() : a[0].as_list().back();
}

Value FnTail(ExecContext&, Args& a, Loc loc) {
  if (!a[0].is_list()) BadArg("tail", a[0], "a list", loc);
  const ValueList& l = a[0].as_list();
  return l.empty() ? Value(ValueList{}) : Value(ValueList(l.begin() + 1, l.end()));
}

Value FnRange(ExecContext& ctx, Args& a, Loc loc) {
  for (const Value& v : a) {
    if (!v.is_int()) {
      ThrowArgument("range() expects integers, not " + TypeName(v) + " " + v.ToString(), loc,
                    "InvalidArgumentType");
    }
  }
  int64_t from = a[0].as_int(), to = a[1].as_int(), step = a.size() > 2 ? a[2].as_int() : 1;
  if (step == 0) ThrowArgument("range() needs a step other than 0", loc, "NumberOutOfRange");
  ValueList out;
  for (int64_t i = from; step > 0 ? i <= to : i >= to; i += step) {
    out.push_back(Value(i));
    ctx.Tick();
    if (out.size() > 10'000'000)
      ThrowArgument("range() would make more than 10 million elements", loc, "NumberOutOfRange");
    if ((step > 0 && i > INT64_MAX - step) || (step < 0 && i < INT64_MIN - step)) break;
  }
  return Value(std::move(out));
}

Value FnReverse(ExecContext&, Args& a, Loc loc) {
  if (a[0].is_list()) {
    ValueList l = a[0].as_list();
    std::reverse(l.begin(), l.end());
    return Value(std::move(l));
  }
  if (a[0].is_string()) {
    std::string s = a[0].as_string();
    std::reverse(s.begin(), s.end());
    return Value(std::move(s));
  }
  BadArg("reverse", a[0], "a list or a string", loc);
}

// ---- conversion ----

std::string NumberText(const Value& v) { return v.is_int() ? std::to_string(v.as_int()) : v.ToString(); }

Value FnToString(ExecContext&, Args& a, Loc loc) {
  const Value& v = a[0];
  switch (v.kind()) {
    case Value::Kind::kNull:
      return Value();
    case Value::Kind::kString:
      return v;
    case Value::Kind::kInt:
    case Value::Kind::kFloat:
      return Value(NumberText(v));
    case Value::Kind::kBool:
      return Value(v.as_bool() ? "true" : "false");
    case Value::Kind::kDate:
    case Value::Kind::kDateTime:
    case Value::Kind::kDuration:
    case Value::Kind::kLocalTime:
    case Value::Kind::kTime:
    case Value::Kind::kLocalDateTime:
      return Value(TemporalText(v));
    default:
      BadConversion("toString", v, "a number, boolean, string or temporal value", loc);
  }
}

std::optional<double> ParseDouble(const std::string& s) {
  std::string t = s;
  t.erase(0, t.find_first_not_of(" \t\n"));
  t.erase(t.find_last_not_of(" \t\n") + 1);
  if (t.empty()) return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size()) return std::nullopt;
  return d;
}

Value FnToInteger(ExecContext&, Args& a, Loc loc) {
  const Value& v = a[0];
  if (v.is_null() || v.is_int()) return v;
  if (v.is_float()) {
    double d = v.as_float();
    if (std::isnan(d) || d >= 9.3e18 || d <= -9.3e18) return Value();
    return Value(static_cast<int64_t>(std::trunc(d)));
  }
  if (v.is_bool()) return Value(int64_t{v.as_bool() ? 1 : 0});
  if (v.is_string()) {
    const std::string& s = v.as_string();
    int64_t i;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
    if (ec == std::errc() && p == s.data() + s.size()) return Value(i);
    auto d = ParseDouble(s);
    if (!d || std::isnan(*d) || *d >= 9.3e18 || *d <= -9.3e18) return Value();
    return Value(static_cast<int64_t>(std::trunc(*d)));
  }
  BadConversion("toInteger", v, "a number, boolean or string", loc);
}

Value FnToFloat(ExecContext&, Args& a, Loc loc) {
  const Value& v = a[0];
  if (v.is_null() || v.is_float()) return v;
  if (v.is_int()) return Value(static_cast<double>(v.as_int()));
  if (v.is_string()) {
    auto d = ParseDouble(v.as_string());
    return d ? Value(*d) : Value();
  }
  BadConversion("toFloat", v, "a number or string", loc);
}

Value FnToBoolean(ExecContext&, Args& a, Loc loc) {
  const Value& v = a[0];
  if (v.is_null() || v.is_bool()) return v;
  if (v.is_string()) {
    std::string s = Lower(v.as_string());
    if (s == "true") return Value(true);
    if (s == "false") return Value(false);
    return Value();
  }
  if (v.is_int()) return Value(v.as_int() != 0);
  BadConversion("toBoolean", v, "a boolean, string or integer", loc);
}

// ---- strings ----

const std::string* Str(const char* fn, const Value& v, Loc loc) {
  if (v.is_null()) return nullptr;
  if (!v.is_string()) BadArg(fn, v, "a string", loc);
  return &v.as_string();
}

Value FnToLower(ExecContext&, Args& a, Loc loc) {
  auto* s = Str("toLower", a[0], loc);
  return s ? Value(Lower(*s)) : Value();
}

Value FnToUpper(ExecContext&, Args& a, Loc loc) {
  auto* s = Str("toUpper", a[0], loc);
  if (!s) return Value();
  std::string out = *s;
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return Value(std::move(out));
}

Value Trim(const char* fn, Args& a, Loc loc, bool left, bool right) {
  auto* s = Str(fn, a[0], loc);
  if (!s) return Value();
  size_t b = 0, e = s->size();
  if (left) {
    while (b < e && std::isspace(static_cast<unsigned char>((*s)[b]))) ++b;
  }
  if (right) {
    while (e > b && std::isspace(static_cast<unsigned char>((*s)[e - 1]))) --e;
  }
  return Value(s->substr(b, e - b));
}
Value FnTrim(ExecContext&, Args& a, Loc loc) { return Trim("trim", a, loc, true, true); }
Value FnLTrim(ExecContext&, Args& a, Loc loc) { return Trim("ltrim", a, loc, true, false); }
Value FnRTrim(ExecContext&, Args& a, Loc loc) { return Trim("rtrim", a, loc, false, true); }

Value FnSplit(ExecContext&, Args& a, Loc loc) {
  auto* s = Str("split", a[0], loc);
  auto* d = Str("split", a[1], loc);
  ValueList out;
  if (d->empty()) {
    for (char c : *s) out.push_back(Value(std::string(1, c)));
    return Value(std::move(out));
  }
  size_t pos = 0;
  for (size_t next; (next = s->find(*d, pos)) != std::string::npos; pos = next + d->size()) {
    out.push_back(Value(s->substr(pos, next - pos)));
  }
  out.push_back(Value(s->substr(pos)));
  return Value(std::move(out));
}

int64_t IntArg(const char* fn, const Value& v, Loc loc) {
  if (!v.is_int()) BadArg(fn, v, "an integer", loc);
  return v.as_int();
}

Value FnSubstring(ExecContext&, Args& a, Loc loc) {
  if (a[0].is_null()) return Value();
  auto* s = Str("substring", a[0], loc);
  int64_t start = IntArg("substring", a[1], loc);
  if (start < 0)
    ThrowArgument("substring() needs a start of 0 or more, not " + std::to_string(start), loc,
                  "NumberOutOfRange");
  int64_t len = a.size() > 2 ? IntArg("substring", a[2], loc) : INT64_MAX;
  if (len < 0)
    ThrowArgument("substring() needs a length of 0 or more, not " + std::to_string(len), loc,
                  "NumberOutOfRange");
  if (static_cast<size_t>(start) >= s->size()) return Value("");
  return Value(s->substr(static_cast<size_t>(start),
                         static_cast<size_t>(std::min<int64_t>(len, static_cast<int64_t>(s->size())))));
}

Value FnLeft(ExecContext&, Args& a, Loc loc) {
  if (a[0].is_null()) return Value();
  auto* s = Str("left", a[0], loc);
  if (a[1].is_null()) ThrowArgument("left() needs a length, not null", loc, "NumberOutOfRange");
  int64_t n = IntArg("left", a[1], loc);
  if (n < 0) ThrowArgument("left() needs a length of 0 or more", loc, "NumberOutOfRange");
  return Value(s->substr(0, static_cast<size_t>(n)));
}

Value FnRight(ExecContext&, Args& a, Loc loc) {
  if (a[0].is_null()) return Value();
  auto* s = Str("right", a[0], loc);
  if (a[1].is_null()) ThrowArgument("right() needs a length, not null", loc, "NumberOutOfRange");
  int64_t n = IntArg("right", a[1], loc);
  if (n < 0) ThrowArgument("right() needs a length of 0 or more", loc, "NumberOutOfRange");
  size_t k = std::min(static_cast<size_t>(n), s->size());
  return Value(s->substr(s->size() - k));
}

Value FnReplace(ExecContext&, Args& a, Loc loc) {
  std::string s = *Str("replace", a[0], loc);
  const std::string& from = *Str("replace", a[1], loc);
  const std::string& to = *Str("replace", a[2], loc);
  if (from.empty()) return Value(s);
  std::string out;
  size_t pos = 0;
  for (size_t next; (next = s.find(from, pos)) != std::string::npos; pos = next + from.size()) {
    out += s.substr(pos, next - pos) + to;
  }
  out += s.substr(pos);
  return Value(std::move(out));
}

// ---- numbers ----

double Num(const char* fn, const Value& v, Loc loc) {
  if (!v.is_number()) BadArg(fn, v, "a number", loc);
  return v.as_number();
}

Value FnAbs(ExecContext&, Args& a, Loc loc) {
  if (a[0].is_int()) {
    if (a[0].as_int() == INT64_MIN)
      ThrowArgument("abs() of the smallest integer overflows", loc, "IntegerOverflow");
    return Value(a[0].as_int() < 0 ? -a[0].as_int() : a[0].as_int());
  }
  return Value(std::fabs(Num("abs", a[0], loc)));
}

#define LODESTONE_MATH_FN(NAME, EXPR)               \
  Value Fn_##NAME(ExecContext&, Args& a, Loc loc) { \
    if (a[0].is_null()) return Value();             \
    double x = Num(#NAME, a[0], loc);               \
    return Value(static_cast<double>(EXPR));        \
  }
LODESTONE_MATH_FN(ceil, std::ceil(x))
LODESTONE_MATH_FN(floor, std::floor(x))
LODESTONE_MATH_FN(sqrt, std::sqrt(x))
LODESTONE_MATH_FN(exp, std::exp(x))
LODESTONE_MATH_FN(log, std::log(x))
LODESTONE_MATH_FN(log10, std::log10(x))
LODESTONE_MATH_FN(sin, std::sin(x))
LODESTONE_MATH_FN(cos, std::cos(x))
LODESTONE_MATH_FN(tan, std::tan(x))
LODESTONE_MATH_FN(asin, std::asin(x))
LODESTONE_MATH_FN(acos, std::acos(x))
LODESTONE_MATH_FN(atan, std::atan(x))
LODESTONE_MATH_FN(degrees, x * 180.0 / M_PI)
LODESTONE_MATH_FN(radians, x* M_PI / 180.0)
#undef LODESTONE_MATH_FN

Value FnAtan2(ExecContext&, Args& a, Loc loc) {
  return Value(std::atan2(Num("atan2", a[0], loc), Num("atan2", a[1], loc)));
}

Value FnRound(ExecContext&, Args& a, Loc loc) {
  if (a[0].is_null()) return Value();
  double x = Num("round", a[0], loc);
  if (a.size() > 1) {
    int64_t digits = IntArg("round", a[1], loc);
    double f = std::pow(10.0, static_cast<double>(digits));
    return Value(std::round(x * f) / f);
  }
  // Half up, as in the reference implementation: round(-1.5) is -1.0.
  return Value(std::floor(x + 0.5));
}

Value FnSign(ExecContext&, Args& a, Loc loc) {
  double x = Num("sign", a[0], loc);
  return Value(int64_t{x > 0 ? 1 : x < 0 ? -1 : 0});
}

Value FnPi(ExecContext&, Args&, Loc) { return Value(M_PI); }
Value FnE(ExecContext&, Args&, Loc) { return Value(M_E); }
Value FnRand(ExecContext&, Args&, Loc) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return Value(std::uniform_real_distribution<double>(0.0, 1.0)(rng));
}
Value FnTimestamp(ExecContext&, Args&, Loc) {
  return Value(static_cast<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count()));
}

// ---- time ----

Date DateArg(const char* fn, const Value& v, Loc loc) {
  if (v.is_date()) return v.as_date();
  if (v.is_datetime()) return AsValidTimeDate(v, loc);
  BadArg(fn, v, "a date", loc);
}

Value FnPrecision(ExecContext&, Args& a, Loc loc) {
  return Value(std::string(PrecisionName(DateArg("precision", a[0], loc).precision())));
}

Value FnDateStart(ExecContext&, Args& a, Loc loc) {
  return Value(Date::Containing(DateArg("date_start", a[0], loc).start_day(), DatePrecision::kDay));
}

Value FnDateEnd(ExecContext&, Args& a, Loc loc) {
  return Value(Date::Containing(DateArg("date_end", a[0], loc).end_day(), DatePrecision::kDay));
}

DatePrecision PrecisionArg(const char* fn, const Value& v, Loc loc) {
  if (!v.is_string()) BadArg(fn, v, "a precision name ('day', 'month', 'quarter', 'half', 'year')", loc);
  if (auto p = ParsePrecisionName(v.as_string())) return *p;
  ThrowArgument(std::string(fn) + "() knows the precisions day, month, quarter, half and year, not '" +
                    v.as_string() + "'",
                loc, "InvalidArgumentValue");
}

// truncate(date, 'month'): the date of the given precision containing the date's start. A date
// coarser than the requested precision stays as it is.
Value FnTruncate(ExecContext&, Args& a, Loc loc) {
  Date d = DateArg("truncate", a[0], loc);
  DatePrecision p = PrecisionArg("truncate", a[1], loc);
  if (d.precision() >= p) return Value(d);
  return Value(Date::Containing(d.start_day(), p));
}

// overlaps(a, b): whether the intervals two dates denote share a day.
Value FnOverlaps(ExecContext&, Args& a, Loc loc) {
  if (a.size() == 2) {
    Date x = DateArg("overlaps", a[0], loc), y = DateArg("overlaps", a[1], loc);
    return Value(x.start_day() < y.end_day() && y.start_day() < x.end_day());
  }
  // overlaps(from1, to1, from2, to2): two half-open periods of dates.
  Date f1 = DateArg("overlaps", a[0], loc), t1 = DateArg("overlaps", a[1], loc);
  Date f2 = DateArg("overlaps", a[2], loc), t2 = DateArg("overlaps", a[3], loc);
  return Value(f1.start_day() < t2.start_day() && f2.start_day() < t1.start_day());
}

// within(a, b): whether every day a may denote lies in b.
Value FnWithin(ExecContext&, Args& a, Loc loc) {
  Date x = DateArg("within", a[0], loc), y = DateArg("within", a[1], loc);
  return Value(y.start_day() <= x.start_day() && x.end_day() <= y.end_day());
}

// ---- valid time ----

const Validity* ValidityOf(ExecContext& ctx, const Value& v, RelRecord* scratch, const char* fn, Loc loc) {
  if (v.is_node()) {
    const NodeRecord* r = ctx.Node(v.as_node().id);
    return r ? &r->validity : nullptr;
  }
  if (v.is_rel()) return ctx.RelRecordOf(v.as_rel(), scratch) ? &scratch->validity : nullptr;
  BadArg(fn, v, "a node or relationship", loc);
}

Value FnValidity(ExecContext& ctx, Args& a, Loc loc) {
  RelRecord scratch;
  const Validity* v = ValidityOf(ctx, a[0], &scratch, "validity", loc);
  if (!v) return Value();
  ValueList out;
  for (const Period& p : *v) {
    out.push_back(
        Value(ValueMap{{"from", p.from ? Value(*p.from) : Value()}, {"to", p.to ? Value(*p.to) : Value()}}));
  }
  return Value(std::move(out));
}

Value FnValidAt(ExecContext& ctx, Args& a, Loc loc) {
  RelRecord scratch;
  const Validity* v = ValidityOf(ctx, a[0], &scratch, "valid_at", loc);
  if (!v) return Value();
  return Value(CertainlyValidAt(*v, AsValidTimeDate(a[1], loc)));
}

Value FnKey(ExecContext& ctx, Args& a, Loc loc) {
  if (a[0].is_node()) {
    const NodeRecord* r = ctx.Node(a[0].as_node().id);
    return r && !r->key.empty() ? Value(r->key) : Value();
  }
  if (a[0].is_rel()) {
    RelRecord r;
    return ctx.RelRecordOf(a[0].as_rel(), &r) && !r.key.empty() ? Value(r.key) : Value();
  }
  BadArg("key", a[0], "a node or relationship", loc);
}

}  // namespace

std::vector<FunctionInfo> BuiltinFunctions() {
  std::vector<FunctionInfo> r;
  constexpr NullBehavior kNullInNullOut = NullBehavior::kNullInNullOut, kCustom = NullBehavior::kCustom;
  auto add = [&](std::string name, ScalarFunction fn, int min, int max, std::string sig, std::string summary,
                 NullBehavior nulls = NullBehavior::kCustom, Volatility volatility = Volatility::kImmutable) {
    FunctionInfo f{std::move(name), fn, min, max, std::move(sig), std::move(summary), volatility, nulls};
    r.push_back(std::move(f));
  };
  add("id", FnId, 1, 1, "id(entity) :: INTEGER", "the internal id of a node or relationship", kNullInNullOut);
  add("labels", FnLabels, 1, 1, "labels(node) :: LIST<STRING>", "a node's labels", kNullInNullOut);
  add("type", FnType, 1, 1, "type(relationship) :: STRING", "a relationship's type", kNullInNullOut);
  add("keys", FnKeys, 1, 1, "keys(entity or map) :: LIST<STRING>", "property names", kNullInNullOut);
  add("properties", FnProperties, 1, 1, "properties(entity or map) :: MAP", "all properties as a map",
      kNullInNullOut);
  add("startNode", FnStartNode, 1, 1, "startNode(relationship) :: NODE", "where a relationship starts",
      kNullInNullOut);
  add("endNode", FnEndNode, 1, 1, "endNode(relationship) :: NODE", "where a relationship ends",
      kNullInNullOut);
  add("nodes", FnNodes, 1, 1, "nodes(path) :: LIST<NODE>", "a path's nodes", kNullInNullOut);
  add("relationships", FnRelationships, 1, 1, "relationships(path) :: LIST<RELATIONSHIP>",
      "a path's relationships", kNullInNullOut);
  add("length", FnLength, 1, 1, "length(path) :: INTEGER", "the number of relationships in a path",
      kNullInNullOut);
  add("size", FnSize, 1, 1, "size(list or string) :: INTEGER", "elements of a list, characters of a string",
      kNullInNullOut);
  add("coalesce", FnCoalesce, 1, -1, "coalesce(value, ...) :: ANY", "the first argument that is not null");
  add("head", FnHead, 1, 1, "head(list) :: ANY", "the first element", kNullInNullOut);
  add("last", FnLast, 1, 1, "last(list) :: ANY", "the last element", kNullInNullOut);
  add("tail", FnTail, 1, 1, "tail(list) :: LIST", "all but the first element", kNullInNullOut);
  add("range", FnRange, 2, 3, "range(from, to[, step]) :: LIST<INTEGER>", "integers from..to inclusive");
  add("reverse", FnReverse, 1, 1, "reverse(list or string)", "the elements or characters in reverse order",
      kNullInNullOut);
  add("toString", FnToString, 1, 1, "toString(value) :: STRING", "a number, boolean or date as text");
  add("toInteger", FnToInteger, 1, 1, "toInteger(value) :: INTEGER",
      "a number, boolean or text as an integer");
  add("toFloat", FnToFloat, 1, 1, "toFloat(value) :: FLOAT", "a number or text as a float");
  add("toBoolean", FnToBoolean, 1, 1, "toBoolean(value) :: BOOLEAN", "'true'/'false' as a boolean");
  add("toLower", FnToLower, 1, 1, "toLower(string) :: STRING", "lower case");
  add("toUpper", FnToUpper, 1, 1, "toUpper(string) :: STRING", "upper case");
  add("lower", FnToLower, 1, 1, "lower(string) :: STRING", "lower case");
  add("upper", FnToUpper, 1, 1, "upper(string) :: STRING", "upper case");
  add("trim", FnTrim, 1, 1, "trim(string) :: STRING", "without leading and trailing whitespace");
  add("ltrim", FnLTrim, 1, 1, "ltrim(string) :: STRING", "without leading whitespace");
  add("rtrim", FnRTrim, 1, 1, "rtrim(string) :: STRING", "without trailing whitespace");
  add("split", FnSplit, 2, 2, "split(string, delimiter) :: LIST<STRING>", "the parts between delimiters",
      kNullInNullOut);
  add("substring", FnSubstring, 2, 3, "substring(string, start[, length]) :: STRING",
      "part of a string (0-based)");
  add("left", FnLeft, 2, 2, "left(string, n) :: STRING", "the first n characters");
  add("right", FnRight, 2, 2, "right(string, n) :: STRING", "the last n characters");
  add("replace", FnReplace, 3, 3, "replace(string, from, to) :: STRING", "every occurrence replaced",
      kNullInNullOut);
  add("abs", FnAbs, 1, 1, "abs(number)", "the absolute value", kNullInNullOut);
  add("ceil", Fn_ceil, 1, 1, "ceil(number) :: FLOAT", "rounded up");
  add("floor", Fn_floor, 1, 1, "floor(number) :: FLOAT", "rounded down");
  add("round", FnRound, 1, 2, "round(number[, digits]) :: FLOAT", "rounded to the nearest");
  add("sign", FnSign, 1, 1, "sign(number) :: INTEGER", "-1, 0 or 1", kNullInNullOut);
  add("sqrt", Fn_sqrt, 1, 1, "sqrt(number) :: FLOAT", "square root");
  add("exp", Fn_exp, 1, 1, "exp(number) :: FLOAT", "e to the power");
  add("log", Fn_log, 1, 1, "log(number) :: FLOAT", "natural logarithm");
  add("log10", Fn_log10, 1, 1, "log10(number) :: FLOAT", "base-10 logarithm");
  add("sin", Fn_sin, 1, 1, "sin(number) :: FLOAT", "sine");
  add("cos", Fn_cos, 1, 1, "cos(number) :: FLOAT", "cosine");
  add("tan", Fn_tan, 1, 1, "tan(number) :: FLOAT", "tangent");
  add("asin", Fn_asin, 1, 1, "asin(number) :: FLOAT", "arcsine");
  add("acos", Fn_acos, 1, 1, "acos(number) :: FLOAT", "arccosine");
  add("atan", Fn_atan, 1, 1, "atan(number) :: FLOAT", "arctangent");
  add("atan2", FnAtan2, 2, 2, "atan2(y, x) :: FLOAT", "arctangent of y/x", kNullInNullOut);
  add("degrees", Fn_degrees, 1, 1, "degrees(radians) :: FLOAT", "radians to degrees");
  add("radians", Fn_radians, 1, 1, "radians(degrees) :: FLOAT", "degrees to radians");
  add("pi", FnPi, 0, 0, "pi() :: FLOAT", "π");
  add("e", FnE, 0, 0, "e() :: FLOAT", "Euler's number");
  add("rand", FnRand, 0, 0, "rand() :: FLOAT", "a random number in [0, 1)", kCustom, Volatility::kVolatile);
  add("timestamp", FnTimestamp, 0, 0, "timestamp() :: INTEGER", "milliseconds since 1970-01-01T00:00Z",
      kCustom, Volatility::kVolatile);
  AddTemporalFunctions(&r);
  add("precision", FnPrecision, 1, 1, "precision(date) :: STRING", "day, month, quarter, half or year",
      kNullInNullOut);
  add("date_start", FnDateStart, 1, 1, "date_start(date) :: DATE", "the first day a date may denote",
      kNullInNullOut);
  add("date_end", FnDateEnd, 1, 1, "date_end(date) :: DATE", "the day after the last day a date may denote",
      kNullInNullOut);
  add("truncate", FnTruncate, 2, 2, "truncate(date, precision) :: DATE",
      "the month (quarter, ...) containing a date", kNullInNullOut);
  add("overlaps", FnOverlaps, 2, 4, "overlaps(a, b) or overlaps(from1, to1, from2, to2) :: BOOLEAN",
      "whether two dates (or two periods) share a day", kNullInNullOut);
  add("within", FnWithin, 2, 2, "within(date, period) :: BOOLEAN",
      "whether a date lies wholly inside another: within(e.date, date('2026-H1'))", kNullInNullOut);
  add("validity", FnValidity, 1, 1, "validity(entity) :: LIST<MAP>", "the valid-time periods [{from, to}]",
      kNullInNullOut);
  add("valid_at", FnValidAt, 2, 2, "valid_at(entity, date) :: BOOLEAN",
      "whether the entity is certainly valid on the date", kNullInNullOut);
  add("key", FnKey, 1, 1, "key(entity) :: STRING", "a node's or relationship's key", kNullInNullOut);
  return r;
}

ScalarFunction BuiltinTruncate() { return FnTruncate; }

std::optional<AggKind> FindAggregate(std::string_view name) {
  std::string n = Lower(name);
  if (n == "count") return AggKind::kCount;
  if (n == "sum") return AggKind::kSum;
  if (n == "avg") return AggKind::kAvg;
  if (n == "min") return AggKind::kMin;
  if (n == "max") return AggKind::kMax;
  if (n == "collect") return AggKind::kCollect;
  if (n == "stdev") return AggKind::kStDev;
  if (n == "stdevp") return AggKind::kStDevP;
  if (n == "percentilecont") return AggKind::kPercentileCont;
  if (n == "percentiledisc") return AggKind::kPercentileDisc;
  return std::nullopt;
}

}  // namespace lodestone::query
