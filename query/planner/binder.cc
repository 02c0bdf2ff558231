// The binder: AST expressions to bound expressions, with the language's static checks (unknown
// variables and functions, aggregates where they may not be, type conflicts the binder can see).
#include <algorithm>
#include <cctype>
#include <set>

#include "query/eval/functions.h"
#include "query/optimizer/expression_rules.h"
#include "query/planner/compiler_impl.h"
#include "util/strings.h"

namespace lodestone::query {

std::string_view VarKindName(VarKind k) {
  switch (k) {
    case VarKind::kAny:
      return "a value";
    case VarKind::kNode:
      return "a node";
    case VarKind::kRel:
      return "a relationship";
    case VarKind::kRelList:
      return "a list of relationships";
    case VarKind::kPath:
      return "a path";
    case VarKind::kValue:
      return "a value that is not a node, relationship or path";
  }
  return "?";
}

const Var* Scope::Find(const std::string& name) const {
  for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
    if (it->name == name) return &*it;
  }
  return nullptr;
}

void Scope::Add(Var v) {
  for (auto& existing : vars_) {
    if (existing.name == v.name) {
      existing = std::move(v);
      return;
    }
  }
  vars_.push_back(std::move(v));
}

void Fail(std::string detail, std::string message, ast::SourceLocation where, QueryError::Kind kind) {
  throw CompileError{kind, std::move(detail), std::move(message), where};
}

namespace {

using util::Lower;

Value LiteralToValue(const ast::LiteralValue& v) {
  return std::visit(
      [](const auto& x) -> Value {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return Value();
        } else {
          return Value(x);
        }
      },
      v);
}

}  // namespace

Var Compiler::DeclarePatternVar(const std::string& name, VarKind kind, ast::SourceLocation loc,
                                bool* existed) {
  const Var* v = scope_.Find(name);
  if (v) {
    *existed = true;
    bool ok = v->kind == kind || v->kind == VarKind::kAny;
    if (!ok) {
      Fail("VariableTypeConflict",
           "'" + name + "' is " + std::string(VarKindName(v->kind)) + " already and cannot also be " +
               std::string(VarKindName(kind)),
           loc);
    }
    return *v;
  }
  *existed = false;
  Var nv{name, NewSlot(), kind};
  scope_.Add(nv);
  return nv;
}

std::vector<int> Compiler::OuterSlots(const std::vector<const ast::PatternPart*>& parts,
                                      const std::vector<const ast::Expr*>& exprs) const {
  std::set<int> slots;
  auto name = [&](const std::string& n) {
    if (n.empty()) return;
    if (const Var* v = scope_.Find(n)) slots.insert(v->slot);
  };
  std::function<void(const ast::Expr&)> walk = [&](const ast::Expr& x) {
    if (x.kind() == ast::ExprKind::kVariable) name(x.As<ast::VariableExpr>().name);
    if (x.kind() == ast::ExprKind::kMapProjection) name(x.As<ast::MapProjectionExpr>().subject);
    ast::ForEachChild(x, walk);
  };
  for (const ast::PatternPart* part : parts) {
    for (const auto& n : part->nodes) {
      name(n.variable);
      if (n.properties) walk(*n.properties);
    }
    for (const auto& r : part->relationships) {
      name(r.variable);
      if (r.properties) walk(*r.properties);
    }
  }
  for (const ast::Expr* x : exprs) {
    if (x) walk(*x);
  }
  return {slots.begin(), slots.end()};
}

std::string_view Compiler::StaticTypeName(StaticType t) {
  switch (t) {
    case StaticType::kUnknown:
      return "ANY";
    case StaticType::kNull:
      return "NULL";
    case StaticType::kBool:
      return "BOOLEAN";
    case StaticType::kInt:
      return "INTEGER";
    case StaticType::kFloat:
      return "FLOAT";
    case StaticType::kString:
      return "STRING";
    case StaticType::kList:
      return "LIST";
    case StaticType::kMap:
      return "MAP";
    case StaticType::kNode:
      return "NODE";
    case StaticType::kRel:
      return "RELATIONSHIP";
    case StaticType::kPath:
      return "PATH";
  }
  return "ANY";
}

ExprPtr Compiler::BindWhere(const ast::Expr& where) {
  const StaticType t = StaticTypeOf(where);
  if (t != StaticType::kUnknown && t != StaticType::kNull && t != StaticType::kBool) {
    Fail("InvalidArgumentType",
         "WHERE needs a condition (true, false or null), but " + ast::ToString(where) + " is " +
             std::string(StaticTypeName(t)),
         where.location());
  }
  BindOptions o;
  o.context = "WHERE";
  return Bind(where, o);
}

void Compiler::CheckOperandTypes(const ast::BinaryExpr& b) const {
  auto known = [](StaticType t) { return t != StaticType::kUnknown && t != StaticType::kNull; };
  const char* op = nullptr;
  switch (b.op) {
    case ast::BinaryOp::kSubtract:
      op = "-";
      break;
    case ast::BinaryOp::kMultiply:
      op = "*";
      break;
    case ast::BinaryOp::kDivide:
      op = "/";
      break;
    case ast::BinaryOp::kModulo:
      op = "%";
      break;
    case ast::BinaryOp::kPower:
      op = "^";
      break;
    case ast::BinaryOp::kIn: {
      const StaticType t = StaticTypeOf(*b.right);
      if (known(t) && t != StaticType::kList) {
        Fail("InvalidArgumentType",
             "IN needs a list on its right, but " + ast::ToString(*b.right) + " is " +
                 std::string(StaticTypeName(t)),
             b.right->location());
      }
      return;
    }
    default:
      return;
  }
  for (const ast::Expr* operand : {b.left.get(), b.right.get()}) {
    const StaticType t = StaticTypeOf(*operand);
    if (known(t) && t != StaticType::kInt && t != StaticType::kFloat) {
      Fail("InvalidArgumentType",
           std::string("the operator ") + op + " needs numbers, but " + ast::ToString(*operand) + " is " +
               std::string(StaticTypeName(t)),
           operand->location());
    }
  }
}

Compiler::StaticType Compiler::ElementTypeOf(const ast::Expr& list) const {
  if (list.kind() != ast::ExprKind::kList) return StaticType::kUnknown;
  StaticType common = StaticType::kUnknown;
  for (const auto& element : list.As<ast::ListExpr>().elements) {
    const StaticType t = StaticTypeOf(*element);
    if (t == StaticType::kNull) continue;
    if (t == StaticType::kUnknown || (common != StaticType::kUnknown && common != t))
      return StaticType::kUnknown;
    common = t;
  }
  return common;
}

Compiler::StaticType Compiler::StaticTypeOf(const ast::Expr& e) const {
  using T = StaticType;
  switch (e.kind()) {
    case ast::ExprKind::kLiteral:
      return std::visit(
          [](const auto& x) {
            using V = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<V, std::monostate>) return T::kNull;
            if constexpr (std::is_same_v<V, bool>) return T::kBool;
            if constexpr (std::is_same_v<V, int64_t>) return T::kInt;
            if constexpr (std::is_same_v<V, double>) return T::kFloat;
            if constexpr (std::is_same_v<V, std::string>) return T::kString;
            return T::kUnknown;
          },
          e.As<ast::LiteralExpr>().value);
    case ast::ExprKind::kList:
    case ast::ExprKind::kListComprehension:
    case ast::ExprKind::kPatternComprehension:
      return T::kList;
    case ast::ExprKind::kMap:
    case ast::ExprKind::kMapProjection:
      return T::kMap;
    case ast::ExprKind::kComparison:
    case ast::ExprKind::kLogical:
    case ast::ExprKind::kHasLabels:
    case ast::ExprKind::kQuantifier:
    case ast::ExprKind::kPattern:
      return T::kBool;
    case ast::ExprKind::kExists:
      return e.As<ast::ExistsExpr>().count ? T::kInt : T::kBool;
    case ast::ExprKind::kVariable: {
      const Var* v = scope_.Find(e.As<ast::VariableExpr>().name);
      if (!v) return T::kUnknown;
      if (v->type != T::kUnknown) return v->type;
      switch (v->kind) {
        case VarKind::kNode:
          return T::kNode;
        case VarKind::kRel:
          return T::kRel;
        case VarKind::kPath:
          return T::kPath;
        case VarKind::kRelList:
          return T::kList;
        default:
          return T::kUnknown;
      }
    }
    case ast::ExprKind::kUnary: {
      const auto& u = e.As<ast::UnaryExpr>();
      if (u.op == ast::UnaryOp::kNot || u.op == ast::UnaryOp::kIsNull || u.op == ast::UnaryOp::kIsNotNull)
        return T::kBool;
      T x = StaticTypeOf(*u.operand);
      return x == T::kInt || x == T::kFloat ? x : T::kUnknown;
    }
    case ast::ExprKind::kBinary: {
      const auto& b = e.As<ast::BinaryExpr>();
      switch (b.op) {
        case ast::BinaryOp::kStartsWith:
        case ast::BinaryOp::kEndsWith:
        case ast::BinaryOp::kContains:
        case ast::BinaryOp::kRegexMatch:
        case ast::BinaryOp::kIn:
          return T::kBool;
        default:
          break;
      }
      T l = StaticTypeOf(*b.left), r = StaticTypeOf(*b.right);
      if (b.op == ast::BinaryOp::kAdd && (l == T::kList || r == T::kList)) return T::kList;
      if (b.op == ast::BinaryOp::kAdd && (l == T::kString || r == T::kString))
        return l == T::kUnknown || r == T::kUnknown ? T::kUnknown : T::kString;
      if (b.op == ast::BinaryOp::kPower && (l == T::kInt || l == T::kFloat) &&
          (r == T::kInt || r == T::kFloat))
        return T::kFloat;
      if (l == T::kInt && r == T::kInt) return T::kInt;
      if ((l == T::kInt || l == T::kFloat) && (r == T::kInt || r == T::kFloat)) return T::kFloat;
      return T::kUnknown;
    }
    case ast::ExprKind::kCountStar:
      return T::kInt;
    case ast::ExprKind::kFunctionCall: {
      std::string n = Lower(e.As<ast::FunctionCallExpr>().name);
      if (n == "labels" || n == "keys" || n == "nodes" || n == "relationships" || n == "range" ||
          n == "split" || n == "collect" || n == "tail") {
        return T::kList;
      }
      if (n == "count" || n == "id" || n == "size" || n == "length" || n == "sign") return T::kInt;
      if (n == "type" || n == "tostring" || n == "tolower" || n == "toupper" || n == "trim" ||
          n == "substring" || n == "replace" || n == "left" || n == "right") {
        return T::kString;
      }
      if (n == "startnode" || n == "endnode") return T::kNode;
      if (n == "properties") return T::kMap;
      return T::kUnknown;
    }
    default:
      return T::kUnknown;
  }
}

VarKind Compiler::KindOf(const ast::Expr& e) const {
  switch (e.kind()) {
    case ast::ExprKind::kVariable: {
      const Var* v = scope_.Find(e.As<ast::VariableExpr>().name);
      return v ? v->kind : VarKind::kAny;
    }
    case ast::ExprKind::kLiteral: {
      return e.As<ast::LiteralExpr>().is_null() ? VarKind::kAny : VarKind::kValue;
    }
    case ast::ExprKind::kList:
    case ast::ExprKind::kMap:
    case ast::ExprKind::kListComprehension:
    case ast::ExprKind::kComparison:
    case ast::ExprKind::kLogical:
    case ast::ExprKind::kPatternComprehension:
      return VarKind::kValue;
    case ast::ExprKind::kPattern: {
      const auto& p = *e.As<ast::PatternExpr>().pattern;
      return p.path_function != ast::PathFunction::kNone ? VarKind::kPath : VarKind::kValue;
    }
    default:
      return VarKind::kAny;
  }
}

bool Compiler::ContainsAggregate(const ast::Expr& e) const {
  if (e.kind() == ast::ExprKind::kCountStar) return true;
  if (e.kind() == ast::ExprKind::kFunctionCall) {
    const auto& f = e.As<ast::FunctionCallExpr>();
    if (f.namespaces.empty() && FindAggregate(f.name)) return true;
  }
  // Subqueries in expressions have scopes of their own; their aggregates are theirs.
  if (e.kind() == ast::ExprKind::kPatternComprehension || e.kind() == ast::ExprKind::kExists) return false;
  bool found = false;
  ast::ForEachChild(e, [&](const ast::Expr& c) { found = found || ContainsAggregate(c); });
  return found;
}

ExprPtr Compiler::Bind(const ast::Expr& e, const BindOptions& o) {
  const ast::SourceLocation& loc = e.location();
  if (o.substitutions && !o.inside_aggregate) {
    auto it = o.substitutions->find(ast::ToString(e));
    if (it != o.substitutions->end()) return MakeSlot(it->second, ast::ToString(e), loc);
  }
  BindOptions child = o;
  switch (e.kind()) {
    case ast::ExprKind::kLiteral:
      return MakeConstant(LiteralToValue(e.As<ast::LiteralExpr>().value), loc);
    case ast::ExprKind::kParameter:
      return MakeParameter(e.As<ast::ParameterExpr>().name, loc);
    case ast::ExprKind::kVariable: {
      const std::string& name = e.As<ast::VariableExpr>().name;
      if (o.check_ambiguous && !o.inside_aggregate && scope_.Find(name)) {
        Fail("AmbiguousAggregationExpression",
             "'" + name +
                 "' is used next to an aggregate but is not one of the grouping keys; add it to the " +
                 "projection as its own item, or aggregate it too",
             loc);
      }
      const Var* v = scope_.Find(name);
      if (!v) Fail("UndefinedVariable", "variable '" + name + "' is not defined here", loc);
      return MakeSlot(v->slot, name, loc);
    }
    case ast::ExprKind::kProperty: {
      const auto& p = e.As<ast::PropertyExpr>();
      VarKind k = KindOf(*p.object);
      if (k == VarKind::kPath || k == VarKind::kRelList) {
        Fail("InvalidArgumentType", "cannot read property '" + p.key + "' of " + std::string(VarKindName(k)),
             loc);
      }
      StaticType ot = StaticTypeOf(*p.object);
      if (ot == StaticType::kInt || ot == StaticType::kFloat || ot == StaticType::kBool ||
          ot == StaticType::kString || ot == StaticType::kList) {
        Fail("InvalidArgumentType",
             "cannot read property '" + p.key + "' of " + ast::ToString(*p.object) + ", which is " +
                 std::string(StaticTypeName(ot)) + "; properties belong to nodes, relationships and maps",
             loc, QueryError::Kind::kTypeError);
      }
      return MakeProperty(Bind(*p.object, child), out_->symbols.PropKey(p.key), p.key, loc);
    }
    case ast::ExprKind::kHasLabels: {
      const auto& h = e.As<ast::HasLabelsExpr>();
      std::vector<uint32_t> syms;
      for (const auto& l : h.labels) syms.push_back(out_->symbols.Label(l));
      return MakeHasLabels(Bind(*h.object, child), std::move(syms), h.labels, loc);
    }
    case ast::ExprKind::kList: {
      std::vector<ExprPtr> items;
      for (const auto& i : e.As<ast::ListExpr>().elements) items.push_back(Bind(*i, child));
      return MakeList(std::move(items), loc);
    }
    case ast::ExprKind::kMap: {
      std::vector<std::pair<std::string, ExprPtr>> entries;
      for (const auto& en : e.As<ast::MapExpr>().entries)
        entries.emplace_back(en.key, Bind(*en.value, child));
      return MakeMap(std::move(entries), loc);
    }
    case ast::ExprKind::kUnary: {
      const auto& u = e.As<ast::UnaryExpr>();
      if (u.op == ast::UnaryOp::kNot) {
        StaticType t = StaticTypeOf(*u.operand);
        if (t != StaticType::kUnknown && t != StaticType::kNull && t != StaticType::kBool) {
          Fail("InvalidArgumentType",
               "NOT negates a boolean, but " + ast::ToString(*u.operand) + " is " +
                   std::string(StaticTypeName(t)),
               u.operand->location());
        }
      }
      UnaryKind k = UnaryKind::kNot;
      switch (u.op) {
        case ast::UnaryOp::kNot:
          k = UnaryKind::kNot;
          break;
        case ast::UnaryOp::kNegate:
          k = UnaryKind::kNegate;
          break;
        case ast::UnaryOp::kPlus:
          k = UnaryKind::kPlus;
          break;
        case ast::UnaryOp::kIsNull:
          k = UnaryKind::kIsNull;
          break;
        case ast::UnaryOp::kIsNotNull:
          k = UnaryKind::kIsNotNull;
          break;
      }
      return MakeUnary(k, Bind(*u.operand, child), loc);
    }
    case ast::ExprKind::kBinary: {
      const auto& b = e.As<ast::BinaryExpr>();
      CheckOperandTypes(b);
      ExprPtr l = Bind(*b.left, child), r = Bind(*b.right, child);
      switch (b.op) {
        case ast::BinaryOp::kAdd:
          return MakeArith(ArithOp::kAdd, std::move(l), std::move(r), loc);
        case ast::BinaryOp::kSubtract:
          return MakeArith(ArithOp::kSub, std::move(l), std::move(r), loc);
        case ast::BinaryOp::kMultiply:
          return MakeArith(ArithOp::kMul, std::move(l), std::move(r), loc);
        case ast::BinaryOp::kDivide:
          return MakeArith(ArithOp::kDiv, std::move(l), std::move(r), loc);
        case ast::BinaryOp::kModulo:
          return MakeArith(ArithOp::kMod, std::move(l), std::move(r), loc);
        case ast::BinaryOp::kPower:
          return MakeArith(ArithOp::kPow, std::move(l), std::move(r), loc);
        case ast::BinaryOp::kStartsWith:
          return MakeStringPredicate(StringPredKind::kStartsWith, std::move(l), std::move(r), loc);
        case ast::BinaryOp::kEndsWith:
          return MakeStringPredicate(StringPredKind::kEndsWith, std::move(l), std::move(r), loc);
        case ast::BinaryOp::kContains:
          return MakeStringPredicate(StringPredKind::kContains, std::move(l), std::move(r), loc);
        case ast::BinaryOp::kRegexMatch:
          return MakeRegexMatch(std::move(l), std::move(r), loc);
        case ast::BinaryOp::kIn:
          return MakeIn(std::move(l), std::move(r), loc);
      }
      break;
    }
    case ast::ExprKind::kLogical: {
      const auto& l = e.As<ast::LogicalExpr>();
      for (const auto& x : l.operands) {
        StaticType t = StaticTypeOf(*x);
        if (t != StaticType::kUnknown && t != StaticType::kNull && t != StaticType::kBool) {
          Fail("InvalidArgumentType",
               std::string(l.op == ast::LogicalOp::kAnd  ? "AND"
                           : l.op == ast::LogicalOp::kOr ? "OR"
                                                         : "XOR") +
                   " combines booleans, but " + ast::ToString(*x) + " is " + std::string(StaticTypeName(t)),
               x->location());
        }
      }
      std::vector<ExprPtr> ops;
      for (const auto& x : l.operands) ops.push_back(Bind(*x, child));
      LogicalKind k = l.op == ast::LogicalOp::kAnd  ? LogicalKind::kAnd
                      : l.op == ast::LogicalOp::kOr ? LogicalKind::kOr
                                                    : LogicalKind::kXor;
      return MakeLogical(k, std::move(ops), loc);
    }
    case ast::ExprKind::kComparison: {
      const auto& c = e.As<ast::ComparisonExpr>();
      std::vector<ExprPtr> ops;
      for (const auto& x : c.operands) ops.push_back(Bind(*x, child));
      std::vector<CmpKind> kinds;
      for (auto op : c.ops) {
        switch (op) {
          case ast::CompareOp::kEq:
            kinds.push_back(CmpKind::kEq);
            break;
          case ast::CompareOp::kNe:
            kinds.push_back(CmpKind::kNe);
            break;
          case ast::CompareOp::kLt:
            kinds.push_back(CmpKind::kLt);
            break;
          case ast::CompareOp::kGt:
            kinds.push_back(CmpKind::kGt);
            break;
          case ast::CompareOp::kLe:
            kinds.push_back(CmpKind::kLe);
            break;
          case ast::CompareOp::kGe:
            kinds.push_back(CmpKind::kGe);
            break;
        }
      }
      return MakeComparison(std::move(ops), std::move(kinds), loc);
    }
    case ast::ExprKind::kSubscript: {
      const auto& s = e.As<ast::SubscriptExpr>();
      return MakeSubscript(Bind(*s.object, child), Bind(*s.index, child), loc);
    }
    case ast::ExprKind::kSlice: {
      const auto& s = e.As<ast::SliceExpr>();
      return MakeSlice(Bind(*s.object, child), s.from ? Bind(*s.from, child) : nullptr,
                       s.to ? Bind(*s.to, child) : nullptr, loc);
    }
    case ast::ExprKind::kCountStar:
    case ast::ExprKind::kFunctionCall: {
      bool star = e.kind() == ast::ExprKind::kCountStar;
      const ast::FunctionCallExpr* f = star ? nullptr : &e.As<ast::FunctionCallExpr>();
      std::optional<AggKind> agg = star ? std::optional<AggKind>(AggKind::kCountStar)
                                        : (f->namespaces.empty() ? FindAggregate(f->name) : std::nullopt);
      if (agg) {
        std::string name = star ? "count(*)" : f->name;
        if (!o.aggregates) {
          Fail("InvalidAggregation",
               "the aggregate " + name + " cannot be used in " + o.context +
                   "; aggregates belong in WITH and RETURN items",
               loc);
        }
        if (o.inside_aggregate)
          Fail("NestedAggregation", "an aggregate cannot contain another aggregate", loc);
        AggregateSpec spec;
        spec.kind = *agg;
        spec.slot = NewSlot();
        spec.description = ast::ToString(e);
        if (!star) {
          spec.distinct = f->distinct;
          size_t want = (*agg == AggKind::kPercentileCont || *agg == AggKind::kPercentileDisc) ? 2 : 1;
          if (f->arguments.size() != want) {
            Fail("InvalidNumberOfArguments",
                 f->name + "() takes " + std::to_string(want) + " argument(s), not " +
                     std::to_string(f->arguments.size()),
                 loc);
          }
          BindOptions inner = o;
          inner.inside_aggregate = true;
          inner.substitutions = nullptr;
          spec.arg = Bind(*f->arguments[0], inner);
          // rand() inside an aggregate makes the result depend on evaluation order.
          std::function<bool(const ast::Expr&)> has_rand = [&](const ast::Expr& x) {
            if (x.kind() == ast::ExprKind::kFunctionCall &&
                Lower(x.As<ast::FunctionCallExpr>().name) == "rand")
              return true;
            bool r = false;
            ast::ForEachChild(x, [&](const ast::Expr& c) { r = r || has_rand(c); });
            return r;
          };
          if (has_rand(*f->arguments[0])) {
            Fail("NonConstantExpression", "rand() cannot be aggregated: its value changes from row to row",
                 loc);
          }
          if (want == 2) spec.param = Bind(*f->arguments[1], inner);
        }
        int slot = spec.slot;
        o.aggregates->push_back(std::move(spec));
        return MakeSlot(slot, ast::ToString(e), loc);
      }
      std::string lname = Lower(f->name);
      if (lname == "exists" && f->namespaces.empty()) {
        if (f->arguments.size() != 1) Fail("InvalidNumberOfArguments", "exists() takes one argument", loc);
        const ast::Expr& arg = *f->arguments[0];
        if (arg.kind() == ast::ExprKind::kPattern) return Bind(arg, child);
        if (arg.kind() != ast::ExprKind::kProperty) {
          Fail("InvalidArgumentType", "exists() takes a property (n.name) or a pattern ((a)-->(b))",
               arg.location());
        }
        return MakeUnary(UnaryKind::kIsNotNull, Bind(arg, child), loc);
      }
      if (f->namespaces.empty() && f->arguments.size() == 1) {
        // Arguments whose type already rules the call out.
        StaticType t = StaticTypeOf(*f->arguments[0]);
        auto refuse = [&](const char* expected) {
          Fail("InvalidArgumentType",
               f->name + "() takes " + expected + ", but " + ast::ToString(*f->arguments[0]) + " is " +
                   std::string(StaticTypeName(t)),
               f->arguments[0]->location());
        };
        if (lname == "labels" && t != StaticType::kUnknown && t != StaticType::kNull &&
            t != StaticType::kNode && t != StaticType::kRel) {
          if (t == StaticType::kPath || t == StaticType::kList) refuse("a node");
        }
        if (lname == "type" && t == StaticType::kNode) refuse("a relationship");
        if (lname == "size" && t == StaticType::kPath)
          refuse("a list or a string (length() measures a path)");
        if (lname == "length" && (t == StaticType::kNode || t == StaticType::kRel)) refuse("a path");
        if (lname == "properties" &&
            (t == StaticType::kInt || t == StaticType::kFloat || t == StaticType::kString ||
             t == StaticType::kBool || t == StaticType::kList)) {
          refuse("a node, relationship or map");
        }
      }
      std::string qualified = f->QualifiedName();
      std::shared_ptr<const FunctionInfo> info =
          catalog_.functions ? catalog_.functions->Find(qualified) : nullptr;
      if (!info)
        Fail("UnknownFunction", "there is no function named " + qualified + "(); see :help functions", loc);
      int n = static_cast<int>(f->arguments.size());
      if (n < info->min_args || (info->max_args >= 0 && n > info->max_args)) {
        std::string count = info->min_args == info->max_args ? std::to_string(info->min_args)
                            : info->max_args < 0
                                ? std::to_string(info->min_args) + " or more"
                                : std::to_string(info->min_args) + " to " + std::to_string(info->max_args);
        Fail("InvalidNumberOfArguments",
             info->signature + " takes " + count + " argument(s), not " + std::to_string(n), loc);
      }
      if (f->distinct) Fail("InvalidArgumentType", "DISTINCT works only inside aggregate functions", loc);
      std::vector<ExprPtr> args;
      for (const auto& a : f->arguments) args.push_back(Bind(*a, child));
      return optimizer::RewriteCall(*info, MakeCall(*info, std::move(args), loc));
    }
    case ast::ExprKind::kCase: {
      const auto& c = e.As<ast::CaseExpr>();
      std::vector<CaseWhen> whens;
      for (const auto& w : c.whens) whens.push_back({Bind(*w.when, child), Bind(*w.then, child)});
      return MakeCase(c.subject ? Bind(*c.subject, child) : nullptr, std::move(whens),
                      c.else_value ? Bind(*c.else_value, child) : nullptr, loc);
    }
    case ast::ExprKind::kListComprehension: {
      const auto& c = e.As<ast::ListComprehensionExpr>();
      ExprPtr list = Bind(*c.list, child);
      Scope saved = scope_;
      int slot = NewSlot();
      scope_.Add({c.variable, slot, VarKind::kAny, ElementTypeOf(*c.list)});
      BindOptions inner = child;
      inner.substitutions = nullptr;
      ExprPtr pred = c.predicate ? Bind(*c.predicate, inner) : nullptr;
      ExprPtr proj = c.projection ? Bind(*c.projection, inner) : nullptr;
      scope_ = std::move(saved);
      return MakeListComprehension(slot, c.variable, std::move(list), std::move(pred), std::move(proj), loc);
    }
    case ast::ExprKind::kQuantifier: {
      const auto& q = e.As<ast::QuantifierExpr>();
      ExprPtr list = Bind(*q.list, child);
      Scope saved = scope_;
      int slot = NewSlot();
      scope_.Add({q.variable, slot, VarKind::kAny, ElementTypeOf(*q.list)});
      BindOptions inner = child;
      inner.substitutions = nullptr;
      ExprPtr pred = q.predicate ? Bind(*q.predicate, inner) : nullptr;
      scope_ = std::move(saved);
      QuantKind k = q.quantifier == ast::QuantifierKind::kAll    ? QuantKind::kAll
                    : q.quantifier == ast::QuantifierKind::kAny  ? QuantKind::kAny
                    : q.quantifier == ast::QuantifierKind::kNone ? QuantKind::kNone
                                                                 : QuantKind::kSingle;
      return MakeQuantifier(k, slot, q.variable, std::move(list), std::move(pred), loc);
    }
    case ast::ExprKind::kReduce: {
      const auto& r = e.As<ast::ReduceExpr>();
      ExprPtr init = Bind(*r.initial, child);
      ExprPtr list = Bind(*r.list, child);
      Scope saved = scope_;
      int acc = NewSlot(), slot = NewSlot();
      scope_.Add({r.accumulator, acc, VarKind::kAny});
      scope_.Add({r.variable, slot, VarKind::kAny});
      BindOptions inner = child;
      inner.substitutions = nullptr;
      ExprPtr step = Bind(*r.step, inner);
      scope_ = std::move(saved);
      return MakeReduce(acc, r.accumulator, std::move(init), slot, r.variable, std::move(list),
                        std::move(step), loc);
    }
    case ast::ExprKind::kMapProjection: {
      const auto& m = e.As<ast::MapProjectionExpr>();
      const Var* v = scope_.Find(m.subject);
      if (!v)
        Fail("UndefinedVariable", "variable '" + m.subject + "' is not defined here", m.subject_location);
      std::vector<MapProjectionItem> items;
      for (const auto& it : m.items) {
        MapProjectionItem item;
        switch (it.kind) {
          case ast::MapProjectionExpr::ItemKind::kProperty:
            item.kind = MapProjectionItem::Kind::kProperty;
            item.key = it.key;
            item.prop_symbol = out_->symbols.PropKey(it.key);
            break;
          case ast::MapProjectionExpr::ItemKind::kAllProperties:
            item.kind = MapProjectionItem::Kind::kAllProperties;
            break;
          case ast::MapProjectionExpr::ItemKind::kLiteral:
            item.kind = MapProjectionItem::Kind::kValue;
            item.key = it.key;
            item.value = Bind(*it.value, child);
            break;
          case ast::MapProjectionExpr::ItemKind::kVariable: {
            const Var* x = scope_.Find(it.key);
            if (!x) Fail("UndefinedVariable", "variable '" + it.key + "' is not defined here", it.location);
            item.kind = MapProjectionItem::Kind::kValue;
            item.key = it.key;
            item.value = MakeSlot(x->slot, it.key, it.location);
            break;
          }
        }
        items.push_back(std::move(item));
      }
      return MakeMapProjection(MakeSlot(v->slot, m.subject, m.subject_location), std::move(items), loc);
    }
    case ast::ExprKind::kPattern: {
      const auto& p = e.As<ast::PatternExpr>();
      if (p.pattern->path_function != ast::PathFunction::kNone) {
        Fail("UnsupportedFeature",
             "shortestPath() as a value is not supported; bind it in MATCH instead: MATCH p = "
             "shortestPath(...) RETURN p",
             loc, QueryError::Kind::kSemanticError);
      }
      // A pattern used as a predicate tests variables bound already; it cannot introduce new ones
      // (EXISTS { } and pattern comprehensions can).
      auto must_be_bound = [&](const std::string& name, ast::SourceLocation where) {
        if (!name.empty() && !scope_.Find(name)) {
          Fail("UndefinedVariable",
               "variable '" + name +
                   "' is not defined here; a pattern used as a condition cannot introduce "
                   "new variables (leave the name out, or use EXISTS { ... } to match and name new ones)",
               where);
        }
      };
      for (const ast::NodePattern& n : p.pattern->nodes) must_be_bound(n.variable, n.variable_location);
      for (const ast::RelationshipPattern& r : p.pattern->relationships)
        must_be_bound(r.variable, r.variable_location);
      std::vector<int> outer = OuterSlots({p.pattern.get()}, {});
      Scope saved = scope_;
      PlanPtr sub = PlanSubPattern({p.pattern.get()}, nullptr);
      scope_ = std::move(saved);
      return MakeSubquery(SubqueryKind::kExists, std::move(sub), nullptr, next_slot_, std::move(outer), loc);
    }
    case ast::ExprKind::kPatternComprehension: {
      const auto& pc = e.As<ast::PatternComprehensionExpr>();
      std::vector<int> outer = OuterSlots({pc.pattern.get()}, {pc.predicate.get(), pc.projection.get()});
      Scope saved = scope_;
      PlanPtr sub = PlanSubPattern({pc.pattern.get()}, pc.predicate.get());
      BindOptions inner = child;
      inner.substitutions = nullptr;
      ExprPtr value = Bind(*pc.projection, inner);
      scope_ = std::move(saved);
      return MakeSubquery(SubqueryKind::kCollect, std::move(sub), std::move(value), next_slot_,
                          std::move(outer), loc);
    }
    case ast::ExprKind::kExists: {
      const auto& x = e.As<ast::ExistsExpr>();
      const SubqueryKind kind = x.count ? SubqueryKind::kCount : SubqueryKind::kExists;
      if (x.query) {
        // The whole query runs once per outer row and sees the outer row's variables. It may read
        // any of them, so a filter using it waits until all are bound.
        std::vector<int> outer;
        for (const Var& v : scope_.vars()) outer.push_back(v.slot);
        PlanPtr sub = PlanSubQuery(*x.query);
        return MakeSubquery(kind, std::move(sub), nullptr, next_slot_, std::move(outer), loc);
      }
      std::vector<const ast::PatternPart*> parts;
      for (const auto& part : x.pattern) parts.push_back(&part);
      std::vector<int> outer = OuterSlots(parts, {x.predicate.get()});
      Scope saved = scope_;
      PlanPtr sub = PlanSubPattern(parts, x.predicate.get());
      scope_ = std::move(saved);
      return MakeSubquery(kind, std::move(sub), nullptr, next_slot_, std::move(outer), loc);
    }
  }
  Fail("UnsupportedFeature",
       "this kind of expression (" + std::string(ast::ExprKindName(e.kind())) + ") is not supported yet", loc,
       QueryError::Kind::kSemanticError);
}

}  // namespace lodestone::query
