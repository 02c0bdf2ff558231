// The semantics of values in the query language: equality and comparison with three-valued (null)
// logic, the total order ORDER BY uses, the equivalence DISTINCT and grouping use, and arithmetic.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "store/value.h"

namespace lodestone::query {

// A three-valued truth value: true, false, or null (unknown).
enum class Tri : uint8_t { kFalse = 0, kTrue = 1, kNull = 2 };
inline Tri TriOf(bool b) { return b ? Tri::kTrue : Tri::kFalse; }
inline Value TriValue(Tri t) { return t == Tri::kNull ? Value() : Value(t == Tri::kTrue); }
Tri TriNot(Tri t);
Tri TriAnd(Tri a, Tri b);
Tri TriOr(Tri a, Tri b);
Tri TriXor(Tri a, Tri b);

// a = b. Null when either side is or holds null where it matters; numbers compare across integer and
// float; values of different types are unequal. Dates compare as the intervals they denote: identical
// dates are equal, disjoint ones unequal, and overlapping but different ones (2025-10 vs 2025-10-15)
// unknown.
Tri Equals(const Value& a, const Value& b);

// a < b (and the other comparisons through it). Null for values of different types, for null, and for
// NaN. Dates: a < b holds when every day a may denote comes before every day b may denote, fails when
// none does, and is unknown in between; identical dates are neither less nor greater.
enum class CompareOp : uint8_t { kLt, kLe, kGt, kGe };
Tri Compare(CompareOp op, const Value& a, const Value& b);
// The date case of Compare: whether a < b (strict) or a <= b holds for the days the dates denote.
Tri DateLess(Date a, Date b, bool strict);

// The total order of ORDER BY: MAP < NODE < RELATIONSHIP < LIST < PATH < DATETIME < DATE < STRING <
// BOOLEAN < NUMBER < NULL; numbers by value (NaN after every other number), dates by start then end.
// Returns <0, 0 or >0.
int OrderCompare(const Value& a, const Value& b);

// Equivalence, used by DISTINCT, grouping and IN-list deduplication: like equality, but null is
// equivalent to null and NaN to NaN, and it is never unknown.
bool Equivalent(const Value& a, const Value& b);
size_t HashValue(const Value& v);  // consistent with Equivalent

struct ValueHash {
  size_t operator()(const Value& v) const { return HashValue(v); }
};
struct ValueEquivalent {
  bool operator()(const Value& a, const Value& b) const { return Equivalent(a, b); }
};

// Arithmetic. Integer overflow and integer division by zero are errors; float arithmetic follows IEEE.
// Errors are returned as a message (the caller knows where the expression is).
enum class ArithOp : uint8_t { kAdd, kSub, kMul, kDiv, kMod, kPow };
bool Arith(ArithOp op, const Value& a, const Value& b, Value* out, std::string* error);
bool Negate(const Value& a, Value* out, std::string* error);

// The name users read in messages: "INTEGER", "STRING", ...
std::string TypeName(const Value& v);

}  // namespace lodestone::query
