// Clauses: the steps of a single query, in source order (MATCH ... WITH ... RETURN).
//
// Like expressions, clauses are a class hierarchy with a kind tag (ClauseKind, As<T>()) owned through
// std::unique_ptr (ClausePtr) by their SingleQuery.
//
// What the parser already checked about clause order (so the binder need not): a single query ends with
// RETURN or with an updating clause; RETURN appears only last; WITH does not end a query. Everything
// about names and scopes is the binder's.
#pragma once

#include <cassert>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "query/ast/expr.h"
#include "query/ast/pattern.h"
#include "query/ast/source_location.h"

namespace lodestone::ast {

enum class ClauseKind : uint8_t {
  kMatch,   // MatchClause (also OPTIONAL MATCH)
  kUnwind,  // UnwindClause
  kWith,    // WithClause
  kReturn,  // ReturnClause
  kCreate,  // CreateClause
  kMerge,   // MergeClause
  kSet,     // SetClause
  kRemove,  // RemoveClause
  kDelete,  // DeleteClause (also DETACH DELETE)
  kCall,    // CallClause (CALL procedure)
};
std::string_view ClauseKindName(ClauseKind kind);

class Clause {
 public:
  virtual ~Clause() = default;
  Clause(const Clause&) = delete;
  Clause& operator=(const Clause&) = delete;

  ClauseKind kind() const { return kind_; }
  // From the clause's first keyword.
  const SourceLocation& location() const { return location_; }

  bool IsUpdating() const {
    return kind_ == ClauseKind::kCreate || kind_ == ClauseKind::kMerge || kind_ == ClauseKind::kSet ||
           kind_ == ClauseKind::kRemove || kind_ == ClauseKind::kDelete;
  }

  template <typename T>
  const T& As() const {
    assert(kind_ == T::kKind);
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& As() {
    assert(kind_ == T::kKind);
    return static_cast<T&>(*this);
  }

 protected:
  Clause(ClauseKind kind, SourceLocation location) : kind_(kind), location_(location) {}

 private:
  ClauseKind kind_;
  SourceLocation location_;
};

using ClausePtr = std::unique_ptr<Clause>;

// ---------------------------------------------------------------------------------------------------
// Reading

// VALID AT <at> or VALID DURING <from>, <to> after a MATCH's pattern list: every node and relationship
// that this MATCH's patterns bind must be valid at `at` (kAt), or at some point of [from, to) (kDuring).
// It restricts only the entities of its own MATCH; the expressions are ordinary expressions (typically
// date('2025-10') calls) and may refer to variables bound by earlier clauses.
struct ValidTime {
  enum class Kind : uint8_t { kAt, kDuring };
  Kind kind = Kind::kAt;
  SourceLocation location;  // the VALID keyword
  ExprPtr at;               // kAt only
  ExprPtr from;             // kDuring only
  ExprPtr to;               // kDuring only
};

// [OPTIONAL] MATCH pattern [VALID ...] [WHERE predicate]
struct MatchClause final : Clause {
  static constexpr ClauseKind kKind = ClauseKind::kMatch;
  explicit MatchClause(SourceLocation loc = {}) : Clause(kKind, loc) {}
  bool optional = false;
  std::vector<PatternPart> pattern;  // comma-separated parts, at least one
  std::optional<ValidTime> valid_time;
  ExprPtr where;  // nullable
};

// UNWIND list AS variable
struct UnwindClause final : Clause {
  static constexpr ClauseKind kKind = ClauseKind::kUnwind;
  explicit UnwindClause(SourceLocation loc = {}) : Clause(kKind, loc) {}
  ExprPtr list;
  std::string variable;
  SourceLocation variable_location;
};

// One item of a WITH or RETURN list: expression [AS alias].
struct ProjectionItem {
  ExprPtr expression;
  // The expression's source text exactly as written (comments and spacing inside it included), which
  // is the column name of an un-aliased RETURN item: RETURN n.name yields a column "n.name".
  std::string text;
  std::string alias;  // empty: none written
  SourceLocation alias_location;

  bool has_alias() const { return !alias.empty(); }
};

// ORDER BY item: expression [ASC|ASCENDING|DESC|DESCENDING]
struct SortItem {
  ExprPtr expression;
  bool descending = false;
};

// What WITH and RETURN share.
struct ProjectionBody {
  bool distinct = false;
  bool include_existing = false;  // the '*' in WITH * / RETURN *, possibly followed by more items
  std::vector<ProjectionItem> items;
  std::vector<SortItem> order_by;  // empty: no ORDER BY
  ExprPtr skip;                    // nullable
  ExprPtr limit;                   // nullable
};

// WITH body [WHERE predicate]
struct WithClause final : Clause {
  static constexpr ClauseKind kKind = ClauseKind::kWith;
  explicit WithClause(SourceLocation loc = {}) : Clause(kKind, loc) {}
  ProjectionBody body;
  ExprPtr where;  // nullable
};

// RETURN body
struct ReturnClause final : Clause {
  static constexpr ClauseKind kKind = ClauseKind::kReturn;
  explicit ReturnClause(SourceLocation loc = {}) : Clause(kKind, loc) {}
  ProjectionBody body;
};

// ---------------------------------------------------------------------------------------------------
// Updating

// CREATE pattern. The parser has checked that each relationship has exactly one type, a direction
// (-> or <-), and no variable length.
struct CreateClause final : Clause {
  static constexpr ClauseKind kKind = ClauseKind::kCreate;
  explicit CreateClause(SourceLocation loc = {}) : Clause(kKind, loc) {}
  std::vector<PatternPart> pattern;
};

// One SET item (also used by MERGE's ON CREATE / ON MATCH).
struct SetItem {
  enum class Kind : uint8_t {
    kProperty,           // target.key = value            target: a PropertyExpr (e.g. n.p, or n.a.b)
    kReplaceProperties,  // variable = value              (all properties replaced by the map value)
    kMergeProperties,    // variable += value             (map value merged into the properties)
    kLabels,             // variable:Label1:Label2
  };
  Kind kind = Kind::kProperty;
  SourceLocation location;
  ExprPtr target;        // kProperty only: the PropertyExpr being assigned
  std::string variable;  // the other kinds
  SourceLocation variable_location;
  std::vector<std::string> labels;  // kLabels only
  ExprPtr value;                    // kProperty, kReplaceProperties, kMergeProperties
};

// MERGE pattern_part [ON CREATE SET ...] [ON MATCH SET ...] (each may repeat, in any order; the items
// of all ON CREATE actions are concatenated in source order, likewise ON MATCH).
struct MergeClause final : Clause {
  static constexpr ClauseKind kKind = ClauseKind::kMerge;
  explicit MergeClause(SourceLocation loc = {}) : Clause(kKind, loc) {}
  PatternPart pattern;  // checked like CREATE's
  std::vector<SetItem> on_create;
  std::vector<SetItem> on_match;
};

// SET item, item, ...
struct SetClause final : Clause {
  static constexpr ClauseKind kKind = ClauseKind::kSet;
  explicit SetClause(SourceLocation loc = {}) : Clause(kKind, loc) {}
  std::vector<SetItem> items;
};

// One REMOVE item.
struct RemoveItem {
  enum class Kind : uint8_t {
    kProperty,  // target: a PropertyExpr (n.p)
    kLabels,    // variable:Label1:Label2
  };
  Kind kind = Kind::kProperty;
  SourceLocation location;
  ExprPtr target;  // kProperty only
  std::string variable;
  SourceLocation variable_location;
  std::vector<std::string> labels;
};

// REMOVE item, item, ...
struct RemoveClause final : Clause {
  static constexpr ClauseKind kKind = ClauseKind::kRemove;
  explicit RemoveClause(SourceLocation loc = {}) : Clause(kKind, loc) {}
  std::vector<RemoveItem> items;
};

// [DETACH] DELETE expr, expr, ...
struct DeleteClause final : Clause {
  static constexpr ClauseKind kKind = ClauseKind::kDelete;
  explicit DeleteClause(SourceLocation loc = {}) : Clause(kKind, loc) {}
  bool detach = false;
  std::vector<ExprPtr> expressions;
};

// ---------------------------------------------------------------------------------------------------
// Procedures

// One item of YIELD: field [AS variable].
struct YieldItem {
  std::string field;     // the procedure's output column
  std::string variable;  // the name it gets (the field's own name when no AS is written)
  SourceLocation field_location;
  SourceLocation variable_location;
};

// CALL name(args) [YIELD items [WHERE predicate]], or standalone CALL name (arguments from the
// parameters of the same names) and YIELD *. The parser has checked that implicit arguments and
// YIELD * appear only in a standalone call (a query of this one clause).
struct CallClause final : Clause {
  static constexpr ClauseKind kKind = ClauseKind::kCall;
  explicit CallClause(SourceLocation loc = {}) : Clause(kKind, loc) {}
  std::string procedure;  // the dotted name as written, e.g. "db.labels"
  SourceLocation procedure_location;
  bool explicit_arguments = false;  // parentheses written (possibly empty)
  std::vector<ExprPtr> arguments;
  bool has_yield = false;
  bool yield_all = false;  // YIELD *
  std::vector<YieldItem> yield_items;
  ExprPtr where;  // nullable; only after YIELD
};

// Calls fn on each top-level expression held by clause (WHERE, projections, property maps of its
// patterns, SET values, VALID bounds, ...), in source order. Does not descend into expressions.
void ForEachExpression(const Clause& clause, const std::function<void(const Expr&)>& fn);

}  // namespace lodestone::ast
