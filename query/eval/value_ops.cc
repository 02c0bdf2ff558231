#include "query/eval/value_ops.h"

#include <bit>
#include <cmath>
#include <functional>
#include <limits>
#include <tuple>

#include "query/eval/temporal.h"

namespace lodestone::query {

Tri TriNot(Tri t) {
  if (t == Tri::kNull) return Tri::kNull;
  return t == Tri::kTrue ? Tri::kFalse : Tri::kTrue;
}

Tri TriAnd(Tri a, Tri b) {
  if (a == Tri::kFalse || b == Tri::kFalse) return Tri::kFalse;
  if (a == Tri::kNull || b == Tri::kNull) return Tri::kNull;
  return Tri::kTrue;
}

Tri TriOr(Tri a, Tri b) {
  if (a == Tri::kTrue || b == Tri::kTrue) return Tri::kTrue;
  if (a == Tri::kNull || b == Tri::kNull) return Tri::kNull;
  return Tri::kFalse;
}

Tri TriXor(Tri a, Tri b) {
  if (a == Tri::kNull || b == Tri::kNull) return Tri::kNull;
  return TriOf(a != b);
}

Tri DateLess(Date a, Date b, bool strict) {
  if (a == b) return TriOf(!strict);
  int64_t a_first = a.start_day(), a_last = int64_t{a.end_day()} - 1;
  int64_t b_first = b.start_day(), b_last = int64_t{b.end_day()} - 1;
  if (strict) {
    if (a_last < b_first) return Tri::kTrue;
    if (a_first >= b_last) return Tri::kFalse;
  } else {
    if (a_last <= b_first) return Tri::kTrue;
    if (a_first > b_last) return Tri::kFalse;
  }
  return Tri::kNull;
}

namespace {

using K = Value::Kind;

// <0, 0, >0 for two numbers; nullopt when either is NaN.
std::optional<int> NumberCompare(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t x = a.as_int(), y = b.as_int();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  long double x = a.is_int() ? static_cast<long double>(a.as_int()) : static_cast<long double>(a.as_float());
  long double y = b.is_int() ? static_cast<long double>(b.as_int()) : static_cast<long double>(b.as_float());
  if (std::isnan(x) || std::isnan(y)) return std::nullopt;
  return x < y ? -1 : x > y ? 1 : 0;
}

int StringCompare(const std::string& a, const std::string& b) {
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

Tri ListEquals(const ValueList& a, const ValueList& b) {
  if (a.size() != b.size()) return Tri::kFalse;
  Tri result = Tri::kTrue;
  for (size_t i = 0; i < a.size(); ++i) {
    Tri e = Equals(a[i], b[i]);
    if (e == Tri::kFalse) return Tri::kFalse;
    if (e == Tri::kNull) result = Tri::kNull;
  }
  return result;
}

int TypeRank(const Value& v) {
  switch (v.kind()) {
    case K::kMap:
      return 0;
    case K::kNode:
      return 1;
    case K::kRel:
      return 2;
    case K::kList:
      return 3;
    case K::kPath:
      return 4;
    case K::kDateTime:
      return 5;
    case K::kLocalDateTime:
      return 6;
    case K::kDate:
      return 7;
    case K::kTime:
      return 8;
    case K::kLocalTime:
      return 9;
    case K::kDuration:
      return 10;
    case K::kString:
      return 11;
    case K::kBool:
      return 12;
    case K::kInt:
    case K::kFloat:
      return 13;
    case K::kNull:
      return 14;
  }
  return 15;
}

size_t Mix(size_t h, size_t v) { return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)); }

bool CheckedAdd(int64_t a, int64_t b, int64_t* out) { return !__builtin_add_overflow(a, b, out); }
bool CheckedSub(int64_t a, int64_t b, int64_t* out) { return !__builtin_sub_overflow(a, b, out); }
bool CheckedMul(int64_t a, int64_t b, int64_t* out) { return !__builtin_mul_overflow(a, b, out); }

}  // namespace

Tri Equals(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return Tri::kNull;
  if (a.is_number() && b.is_number()) {
    auto c = NumberCompare(a, b);
    return c ? TriOf(*c == 0) : Tri::kFalse;  // NaN equals nothing
  }
  if (a.kind() != b.kind()) return Tri::kFalse;
  switch (a.kind()) {
    case K::kBool:
      return TriOf(a.as_bool() == b.as_bool());
    case K::kString:
      return TriOf(a.as_string() == b.as_string());
    case K::kDate: {
      Date x = a.as_date(), y = b.as_date();
      if (x == y) return Tri::kTrue;
      if (x.end_day() <= y.start_day() || y.end_day() <= x.start_day()) return Tri::kFalse;
      return Tri::kNull;
    }
    case K::kDateTime:
    case K::kDuration:
    case K::kLocalTime:
    case K::kTime:
    case K::kLocalDateTime:
      return TriOf(Identical(a, b));  // every field: the instant, offset and zone
    case K::kList:
      return ListEquals(a.as_list(), b.as_list());
    case K::kMap: {
      const ValueMap &x = a.as_map(), &y = b.as_map();
      if (x.size() != y.size()) return Tri::kFalse;
      Tri result = Tri::kTrue;
      for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j) {
        if (i->first != j->first) return Tri::kFalse;
      }
      for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j) {
        Tri e = Equals(i->second, j->second);
        if (e == Tri::kFalse) return Tri::kFalse;
        if (e == Tri::kNull) result = Tri::kNull;
      }
      return result;
    }
    case K::kNode:
      return TriOf(a.as_node().id == b.as_node().id);
    case K::kRel:
      return TriOf(a.as_rel().id == b.as_rel().id);
    case K::kPath:
      return TriOf(a.as_path() == b.as_path());
    default:
      return Tri::kFalse;
  }
}

Tri Compare(CompareOp op, const Value& a, const Value& b) {
  if (op == CompareOp::kGt) return Compare(CompareOp::kLt, b, a);
  if (op == CompareOp::kGe) return Compare(CompareOp::kLe, b, a);
  bool strict = op == CompareOp::kLt;
  if (a.is_null() || b.is_null()) return Tri::kNull;
  if (a.is_number() && b.is_number()) {
    auto c = NumberCompare(a, b);
    if (!c) return Tri::kFalse;  // NaN is neither less nor greater than anything
    return TriOf(strict ? *c < 0 : *c <= 0);
  }
  if (a.kind() != b.kind()) return Tri::kNull;
  switch (a.kind()) {
    case K::kString: {
      int c = StringCompare(a.as_string(), b.as_string());
      return TriOf(strict ? c < 0 : c <= 0);
    }
    case K::kBool: {
      int x = a.as_bool(), y = b.as_bool();
      return TriOf(strict ? x < y : x <= y);
    }
    case K::kDate:
      return DateLess(a.as_date(), b.as_date(), strict);
    case K::kDateTime:
    case K::kLocalTime:
    case K::kTime:
    case K::kLocalDateTime: {
      int c = *TemporalCompare(a, b);
      return TriOf(strict ? c < 0 : c <= 0);
    }
    case K::kList: {
      // Lexicographic, element by element; an unknown element comparison makes the result unknown.
      const ValueList &x = a.as_list(), &y = b.as_list();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        Tri eq = Equals(x[i], y[i]);
        if (eq == Tri::kTrue) continue;
        Tri lt = Compare(CompareOp::kLt, x[i], y[i]);
        if (lt == Tri::kNull || eq == Tri::kNull) return Tri::kNull;
        return lt;
      }
      return TriOf(strict ? x.size() < y.size() : x.size() <= y.size());
    }
    default:
      return Tri::kNull;  // maps, nodes, relationships and paths have no order
  }
}

int OrderCompare(const Value& a, const Value& b) {
  int ra = TypeRank(a), rb = TypeRank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (a.kind()) {
    case K::kNull:
      return 0;
    case K::kInt:
    case K::kFloat: {
      bool an = a.is_float() && std::isnan(a.as_float()), bn = b.is_float() && std::isnan(b.as_float());
      if (an || bn) return an == bn ? 0 : (an ? 1 : -1);
      int c = *NumberCompare(a, b);
      if (c != 0) return c;
      // 1 and 1.0 tie in value; integers first keeps the order total and stable.
      return a.is_int() == b.is_int() ? 0 : (a.is_int() ? -1 : 1);
    }
    case K::kBool:
      return static_cast<int>(a.as_bool()) - static_cast<int>(b.as_bool());
    case K::kString:
      return StringCompare(a.as_string(), b.as_string());
    case K::kDate: {
      Date x = a.as_date(), y = b.as_date();
      return x < y ? -1 : y < x ? 1 : 0;
    }
    case K::kDateTime:
    case K::kLocalTime:
    case K::kTime:
    case K::kLocalDateTime:
      return *TemporalCompare(a, b);
    case K::kDuration: {
      // No order of their own; ORDER BY still needs a total one: by months, days, then time.
      const Duration &x = a.as_duration(), &y = b.as_duration();
      auto t = [](const Duration& d) { return std::make_tuple(d.months, d.days, d.seconds, d.nanos); };
      return t(x) < t(y) ? -1 : t(y) < t(x) ? 1 : 0;
    }
    case K::kList: {
      const ValueList &x = a.as_list(), &y = b.as_list();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        int c = OrderCompare(x[i], y[i]);
        if (c != 0) return c;
      }
      return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
    }
    case K::kMap: {
      const ValueMap &x = a.as_map(), &y = b.as_map();
      auto i = x.begin();
      auto j = y.begin();
      for (; i != x.end() && j != y.end(); ++i, ++j) {
        int c = StringCompare(i->first, j->first);
        if (c != 0) return c;
        c = OrderCompare(i->second, j->second);
        if (c != 0) return c;
      }
      return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
    }
    case K::kNode: {
      auto x = a.as_node().id, y = b.as_node().id;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case K::kRel: {
      auto x = a.as_rel().id, y = b.as_rel().id;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case K::kPath: {
      const PathValue &x = a.as_path(), &y = b.as_path();
      size_t n = std::min(x.nodes.size(), y.nodes.size());
      for (size_t i = 0; i < n; ++i) {
        if (x.nodes[i].id != y.nodes[i].id) return x.nodes[i].id < y.nodes[i].id ? -1 : 1;
        if (i < x.rels.size() && i < y.rels.size() && x.rels[i].id != y.rels[i].id) {
          return x.rels[i].id < y.rels[i].id ? -1 : 1;
        }
      }
      return x.nodes.size() < y.nodes.size() ? -1 : x.nodes.size() > y.nodes.size() ? 1 : 0;
    }
  }
  return 0;
}

bool Equivalent(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  if (a.is_number() && b.is_number()) {
    bool an = a.is_float() && std::isnan(a.as_float()), bn = b.is_float() && std::isnan(b.as_float());
    if (an || bn) return an && bn;
    return *NumberCompare(a, b) == 0;
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case K::kList: {
      const ValueList &x = a.as_list(), &y = b.as_list();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!Equivalent(x[i], y[i])) return false;
      }
      return true;
    }
    case K::kMap: {
      const ValueMap &x = a.as_map(), &y = b.as_map();
      if (x.size() != y.size()) return false;
      for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j) {
        if (i->first != j->first || !Equivalent(i->second, j->second)) return false;
      }
      return true;
    }
    case K::kDate:
      return a.as_date() == b.as_date();
    default:
      return Equals(a, b) == Tri::kTrue;
  }
}

size_t HashValue(const Value& v) {
  size_t h = std::hash<int>()(static_cast<int>(v.kind() == K::kFloat ? K::kInt : v.kind()));
  switch (v.kind()) {
    case K::kNull:
      return h;
    case K::kBool:
      return Mix(h, v.as_bool());
    case K::kInt:
    case K::kFloat: {
      // Equal numbers hash alike: an integral float hashes as the integer it equals.
      double d = v.as_number();
      if (v.is_int()) {
        int64_t i = v.as_int();
        if (static_cast<int64_t>(static_cast<double>(i)) != i) return Mix(h, std::hash<int64_t>()(i));
        d = static_cast<double>(i);
      }
      if (std::isnan(d)) return Mix(h, 0x7ff8);
      if (d == 0) d = 0;
      if (d >= -9.2e18 && d <= 9.2e18 && d == std::trunc(d))
        return Mix(h, std::hash<int64_t>()(static_cast<int64_t>(d)));
      return Mix(h, std::hash<uint64_t>()(std::bit_cast<uint64_t>(d)));
    }
    case K::kString:
      return Mix(h, std::hash<std::string>()(v.as_string()));
    case K::kDate:
      return Mix(Mix(h, static_cast<size_t>(v.as_date().start_day())),
                 static_cast<size_t>(v.as_date().precision()));
    case K::kDateTime:
      return Mix(h, std::hash<int64_t>()(v.as_datetime().micros));
    case K::kDuration:
      return Mix(Mix(h, std::hash<int64_t>()(v.as_duration().months)),
                 std::hash<int64_t>()(v.as_duration().days * 1'000'003 + v.as_duration().seconds));
    case K::kLocalTime:
      return Mix(h, std::hash<int64_t>()(v.as_localtime().nanos));
    case K::kTime:
      return Mix(h, std::hash<int64_t>()(v.as_time().nanos));
    case K::kLocalDateTime:
      return Mix(h, std::hash<int64_t>()(v.as_localdatetime().seconds));
    case K::kList:
      for (const Value& e : v.as_list()) h = Mix(h, HashValue(e));
      return h;
    case K::kMap:
      for (const auto& [k, e] : v.as_map()) h = Mix(Mix(h, std::hash<std::string>()(k)), HashValue(e));
      return h;
    case K::kNode:
      return Mix(h, v.as_node().id);
    case K::kRel:
      return Mix(h, v.as_rel().id);
    case K::kPath:
      for (const auto& n : v.as_path().nodes) h = Mix(h, n.id);
      for (const auto& r : v.as_path().rels) h = Mix(h, r.id);
      return h;
  }
  return h;
}

std::string TypeName(const Value& v) { return std::string(Value::KindName(v.kind())); }

bool Negate(const Value& a, Value* out, std::string* error) {
  if (a.is_null()) {
    *out = Value();
    return true;
  }
  if (a.is_int()) {
    if (a.as_int() == std::numeric_limits<int64_t>::min()) {
      *error = "integer overflow: -(" + std::to_string(a.as_int()) + ")";
      return false;
    }
    *out = Value(-a.as_int());
    return true;
  }
  if (a.is_float()) {
    *out = Value(-a.as_float());
    return true;
  }
  *error = "cannot negate a " + TypeName(a) + " value";
  return false;
}

bool Arith(ArithOp op, const Value& a, const Value& b, Value* out, std::string* error) {
  if (a.is_null() || b.is_null()) {
    *out = Value();
    return true;
  }
  if (auto temporal = TemporalArith(op, a, b, out, error)) return *temporal;
  if (op == ArithOp::kAdd) {
    // Concatenation: strings with strings or numbers, lists with anything.
    if (a.is_list() || b.is_list()) {
      ValueList l;
      if (a.is_list()) {
        l = a.as_list();
      } else {
        l.push_back(a);
      }
      if (b.is_list()) {
        l.insert(l.end(), b.as_list().begin(), b.as_list().end());
      } else {
        l.push_back(b);
      }
      *out = Value(std::move(l));
      return true;
    }
    if (a.is_string() && (b.is_string() || b.is_number())) {
      *out = Value(a.as_string() + (b.is_string() ? b.as_string()
                                    : b.is_int()  ? std::to_string(b.as_int())
                                                  : b.ToString()));
      return true;
    }
    if (b.is_string() && a.is_number()) {
      *out = Value((a.is_int() ? std::to_string(a.as_int()) : a.ToString()) + b.as_string());
      return true;
    }
  }
  if (!a.is_number() || !b.is_number()) {
    static const char* kNames[] = {"+", "-", "*", "/", "%", "^"};
    *error = "cannot apply " + std::string(kNames[static_cast<int>(op)]) + " to " + TypeName(a) + " and " +
             TypeName(b);
    return false;
  }
  if (op == ArithOp::kPow) {
    *out = Value(std::pow(a.as_number(), b.as_number()));
    return true;
  }
  if (a.is_int() && b.is_int()) {
    int64_t x = a.as_int(), y = b.as_int(), r = 0;
    bool ok = true;
    switch (op) {
      case ArithOp::kAdd:
        ok = CheckedAdd(x, y, &r);
        break;
      case ArithOp::kSub:
        ok = CheckedSub(x, y, &r);
        break;
      case ArithOp::kMul:
        ok = CheckedMul(x, y, &r);
        break;
      case ArithOp::kDiv:
      case ArithOp::kMod:
        if (y == 0) {
          *error = op == ArithOp::kDiv ? "division by zero" : "modulo by zero";
          return false;
        }
        if (x == std::numeric_limits<int64_t>::min() && y == -1) {
          ok = false;
        } else {
          r = op == ArithOp::kDiv ? x / y : x % y;
        }
        break;
      case ArithOp::kPow:
        break;
    }
    if (!ok) {
      *error = "integer overflow in " + std::to_string(x) + " and " + std::to_string(y);
      return false;
    }
    *out = Value(r);
    return true;
  }
  double x = a.as_number(), y = b.as_number();
  switch (op) {
    case ArithOp::kAdd:
      *out = Value(x + y);
      break;
    case ArithOp::kSub:
      *out = Value(x - y);
      break;
    case ArithOp::kMul:
      *out = Value(x * y);
      break;
    case ArithOp::kDiv:
      *out = Value(x / y);
      break;
    case ArithOp::kMod:
      *out = Value(std::fmod(x, y));
      break;
    case ArithOp::kPow:
      break;
  }
  return true;
}

}  // namespace lodestone::query
