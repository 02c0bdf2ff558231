// Internals shared by the physical operators' files (not a public header):
//
//   operators.cc   plan nodes, EXPLAIN and PROFILE, Start
//   scan.cc        NodeScan: every node, a label, an index seek, a key, a time range
//   expand.cc      Expand (single hop, by time, variable length, distinct ends), ShortestPath, Count
//   relational.cc  Filter, Project, Aggregate, Distinct, Sort, Skip, Limit, Unwind, Optional, Union, Eager
//   write_ops.cc   Create, Set, Delete, Merge
//   procedure_call.cc  ProcedureCall (CALL)
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "query/exec/plan.h"

namespace lodestone::query::exec_internal {

inline std::string DirArrow(Dir d, const std::string& types) {
  std::string mid = types.empty() ? "" : "[" + types + "]";
  switch (d) {
    case Dir::kOut:
      return "-" + mid + "->";
    case Dir::kIn:
      return "<-" + mid + "-";
    case Dir::kBoth:
      return "-" + mid + "-";
  }
  return "--";
}

inline int64_t CountArg(ExecContext& ctx, const Expr& e, const char* what) {
  Row empty;
  Value v = e.Eval(ctx, empty);
  if (!v.is_int()) {
    throw QueryException(QueryError::Kind::kSyntaxError, "InvalidArgumentType",
                         std::string(what) + " needs a number of rows (an integer, 0 or more), not " +
                             TypeName(v) + " " + v.ToString(),
                         e.location());
  }
  if (v.as_int() < 0) {
    throw QueryException(
        QueryError::Kind::kSyntaxError, "NegativeIntegerArgument",
        std::string(what) + " needs a number of rows, 0 or more, not " + std::to_string(v.as_int()),
        e.location());
  }
  return v.as_int();
}

// Whether a node a scan met is certainly valid at `at`: `validity` is what the label index holds
// (NodeEntry::validity) or null, and then the node's record is read. A node gone from the view is not.
inline bool NodeValidAt(ExecContext& ctx, NodeId id, const Validity* validity, Date at) {
  if (!validity) {
    const NodeRecord* r = ctx.Node(id);
    if (!r) return false;
    validity = &r->validity;
  }
  return CertainlyValidAt(*validity, at);
}

// ---------------------------------------------------------------- date windows

// The bound, in start days, of the dates a comparison with `d` can be true for (value_ops.h: a date
// compares as the interval it denotes, and equals itself):
//   x >= d  needs x's first day >= d's last day, or x == d: start >= d.start
//   x >  d  needs x's first day >  d's last day:             start >= d.end
//   x <  d  needs x's last day  <  d's first day:            start <  d.start
//   x <= d  needs x's last day  <= d's first day, or x == d: start <  d.start + 1
// For a lower bound the result is inclusive; for an upper bound, exclusive.
inline int32_t DateWindowBound(Date d, bool lower, bool inclusive) {
  if (lower) return inclusive ? d.start_day() : d.end_day();
  return inclusive ? d.start_day() + 1 : d.start_day();
}

// The window of start days for a time-index scan; nullopt when a bound is null (nothing compares true).
inline std::optional<DateRange> EvalDateWindow(ExecContext& ctx, Row& row, const Expr* lower,
                                               bool lower_inclusive, const Expr* upper,
                                               bool upper_inclusive) {
  DateRange r;
  if (lower) {
    Value v = lower->Eval(ctx, row);
    if (v.is_null()) return std::nullopt;
    r.from_day = DateWindowBound(AsValidTimeDate(v, lower->location()), true, lower_inclusive);
  }
  if (upper) {
    Value v = upper->Eval(ctx, row);
    if (v.is_null()) return std::nullopt;
    r.to_day = DateWindowBound(AsValidTimeDate(v, upper->location()), false, upper_inclusive);
  }
  return r;
}

// A time scan's bounds (ScanSpec::Kind::kTime) for one input row: the dates each index entry is
// compared with, as the filters the planner dropped would compare them, and the window of start days
// that holds every date they admit.
struct TimeBounds {
  std::optional<Date> lower, upper;
  bool lower_inclusive = true, upper_inclusive = false;
  DateRange window;

  // nullopt when a bound is null or not a date: the comparisons are then null (false) for every node.
  static std::optional<TimeBounds> Eval(ExecContext& ctx, Row& row, const ScanSpec& s) {
    TimeBounds b;
    b.lower_inclusive = s.lower_inclusive;
    b.upper_inclusive = s.upper_inclusive;
    for (auto [e, out] : {std::pair{s.lower.get(), &b.lower}, std::pair{s.upper.get(), &b.upper}}) {
      if (!e) continue;
      Value v = e->Eval(ctx, row);
      if (!v.is_date()) return std::nullopt;
      *out = v.as_date();
    }
    if (b.lower) b.window.from_day = DateWindowBound(*b.lower, true, b.lower_inclusive);
    if (b.upper) b.window.to_day = DateWindowBound(*b.upper, false, b.upper_inclusive);
    return b;
  }
  // Whether the comparisons are true for `date` (three-valued for dates of other precisions).
  bool Admits(Date date) const {
    return (!lower || DateLess(*lower, date, !lower_inclusive) == Tri::kTrue) &&
           (!upper || DateLess(date, *upper, !upper_inclusive) == Tri::kTrue);
  }
};

// A scan's bounds as an interval, for EXPLAIN: [a, b), (a, +inf) and so on.
inline std::string DescribeBounds(const ScanSpec& spec) {
  return (spec.lower ? (spec.lower_inclusive ? "[" : "(") + spec.lower->ToString() : "(-inf") + ", " +
         (spec.upper ? spec.upper->ToString() + (spec.upper_inclusive ? "]" : ")") : "+inf)");
}

template <typename T, typename... A>
PlanPtr WithInput(PlanPtr input, A&&... args) {
  auto n = std::make_shared<T>(std::forward<A>(args)...);
  n->children.push_back(std::move(input));
  return n;
}

inline std::string TypeList(const std::vector<std::string>& names) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) s += (i ? "|:" : ":") + names[i];
  return s;
}

}  // namespace lodestone::query::exec_internal
