#include "query/exec/expr.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <deque>
#include <mutex>
#include <unordered_set>

#include "query/catalog/function_catalog.h"
#include "query/eval/temporal.h"
#include "query/exec/plan.h"
#include "util/strings.h"

namespace lodestone::query {

void Expr::CollectSlots(std::vector<int>* out) const {
  ForEachChild([out](const Expr& c) { c.CollectSlots(out); });
}

Tri Expr::EvalPredicate(ExecContext& ctx, Row& row) const {
  Value v = Eval(ctx, row);
  if (v.is_null()) return Tri::kNull;
  if (!v.is_bool())
    ThrowType("expected a boolean (true, false or null) but got " + TypeName(v) + " " + v.ToString(),
              location());
  return TriOf(v.as_bool());
}

namespace {

using util::Join;

// ---------------------------------------------------------------- leaves

class ConstantExpr final : public Expr {
 public:
  ConstantExpr(Value v, ast::SourceLocation loc) : Expr(loc), v_(std::move(v)) {}
  Value Eval(ExecContext&, Row&) const override { return v_; }
  std::string ToString() const override { return v_.ToString(); }
  bool IsConstant() const override { return true; }
  const Value& value() const { return v_; }

 private:
  Value v_;
};

class ParameterExpr final : public Expr {
 public:
  ParameterExpr(std::string name, ast::SourceLocation loc) : Expr(loc), name_(std::move(name)) {}
  Value Eval(ExecContext& ctx, Row&) const override {
    auto it = ctx.params().find(name_);
    if (it == ctx.params().end()) {
      throw QueryException(QueryError::Kind::kParameterMissing, "MissingParameter",
                           "the statement uses parameter $" + name_ + " but no value was given for it",
                           location());
    }
    return it->second;
  }
  std::string ToString() const override { return "$" + name_; }
  bool IsConstant() const override { return true; }

 private:
  std::string name_;
};

class SlotExpr final : public Expr {
 public:
  SlotExpr(int slot, std::string name, ast::SourceLocation loc)
      : Expr(loc), slot_(slot), name_(std::move(name)) {}
  Value Eval(ExecContext&, Row& row) const override { return row[static_cast<size_t>(slot_)]; }
  std::string ToString() const override { return name_; }
  void CollectSlots(std::vector<int>* out) const override { out->push_back(slot_); }
  int slot() const { return slot_; }

 private:
  int slot_;
  std::string name_;
};

// ---------------------------------------------------------------- entities

Value ReservedNodeField(const NodeRecord& r, std::string_view name) {
  if (name == kKeyProperty) return r.key.empty() ? Value() : Value(r.key);
  if (name == kValidFromProperty) {
    return !r.validity.empty() && r.validity.front().from ? Value(*r.validity.front().from) : Value();
  }
  return !r.validity.empty() && r.validity.back().to ? Value(*r.validity.back().to) : Value();
}

bool IsReserved(std::string_view name) {
  return name == kKeyProperty || name == kValidFromProperty || name == kValidToProperty;
}

[[noreturn]] void ThrowDeleted(const char* what, ast::SourceLocation loc) {
  throw QueryException(
      QueryError::Kind::kEntityNotFound, "DeletedEntityAccess",
      std::string("the ") + what + " was deleted earlier in this statement; its properties are gone", loc);
}

Value DateField(const Value& d, std::string_view name, ast::SourceLocation loc) {
  if (d.is_date()) {
    Date x = d.as_date();
    if (name == "year") return Value(int64_t{x.year()});
    if (name == "month") return x.precision() <= DatePrecision::kMonth ? Value(int64_t{x.month()}) : Value();
    if (name == "day") return x.precision() == DatePrecision::kDay ? Value(int64_t{x.day()}) : Value();
    if (name == "quarter") {
      return x.precision() <= DatePrecision::kQuarter ? Value(int64_t{(x.month() - 1) / 3 + 1}) : Value();
    }
    if (name == "precision") return Value(std::string(PrecisionName(x.precision())));
  }
  ThrowArgument("a " + TypeName(d) + " has no field '" + std::string(name) + "'", loc, "UnknownField");
}

class PropertyExpr final : public Expr {
 public:
  PropertyExpr(ExprPtr object, uint32_t symbol, std::string name, ast::SourceLocation loc)
      : Expr(loc),
        object_(std::move(object)),
        symbol_(symbol),
        name_(std::move(name)),
        reserved_(IsReserved(name_)) {}

  Value Eval(ExecContext& ctx, Row& row) const override {
    Value o = object_->Eval(ctx, row);
    switch (o.kind()) {
      case Value::Kind::kNull:
        return Value();
      case Value::Kind::kNode: {
        NodeId id = o.as_node().id;
        if (!reserved_) {
          if (auto key = ctx.prop_key(symbol_)) {
            if (const Value* hinted = ctx.HintedProperty(id, *key)) return *hinted;
          }
        }
        const NodeRecord* r = ctx.Node(id);
        if (!r) {
          if (ctx.deleted_nodes.count(id)) ThrowDeleted("node", location());
          return Value();
        }
        if (reserved_) return ReservedNodeField(*r, name_);
        auto key = ctx.prop_key(symbol_);
        if (!key) return Value();
        const Value* v = FindProperty(r->props, *key);
        return v ? *v : Value();
      }
      case Value::Kind::kRel: {
        RelRecord r;
        if (!ctx.RelRecordOf(o.as_rel(), &r)) {
          if (ctx.deleted_rels.count(o.as_rel().id)) ThrowDeleted("relationship", location());
          return Value();
        }
        if (name_ == kKeyProperty) return r.key.empty() ? Value() : Value(r.key);
        if (name_ == kValidFromProperty) {
          return !r.validity.empty() && r.validity.front().from ? Value(*r.validity.front().from) : Value();
        }
        if (name_ == kValidToProperty) {
          return !r.validity.empty() && r.validity.back().to ? Value(*r.validity.back().to) : Value();
        }
        auto key = ctx.prop_key(symbol_);
        if (!key) return Value();
        const Value* v = FindProperty(r.props, *key);
        return v ? *v : Value();
      }
      case Value::Kind::kMap: {
        const ValueMap& m = o.as_map();
        auto it = m.find(name_);
        return it == m.end() ? Value() : it->second;
      }
      case Value::Kind::kDate:
        // Lodestone's own fields of an imprecise date (null where the precision does not reach).
        if (name_ == "year" || name_ == "month" || name_ == "day" || name_ == "quarter" ||
            name_ == "precision") {
          return DateField(o, name_, location());
        }
        if (o.as_date().precision() != DatePrecision::kDay) {
          // The other fields of an imprecise date (its week, its day of the year) are unknown; the
          // name is checked all the same.
          TemporalField(o, name_, location());
          return Value();
        }
        return TemporalField(o, name_, location());
      case Value::Kind::kDateTime:
      case Value::Kind::kDuration:
      case Value::Kind::kLocalTime:
      case Value::Kind::kTime:
      case Value::Kind::kLocalDateTime:
        return TemporalField(o, name_, location());
      default:
        ThrowType(
            "cannot read property '" + name_ + "' of a " + TypeName(o) + " value (" + o.ToString() + ")",
            location(), "PropertyAccessOnNonMap");
    }
  }
  std::string ToString() const override { return object_->ToString() + "." + name_; }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override { fn(*object_); }
  const Expr& object() const { return *object_; }
  uint32_t symbol() const { return symbol_; }

 private:
  ExprPtr object_;
  uint32_t symbol_;
  std::string name_;
  bool reserved_;
};

class HasLabelsExpr final : public Expr {
 public:
  HasLabelsExpr(ExprPtr object, std::vector<uint32_t> symbols, std::vector<std::string> names,
                ast::SourceLocation loc)
      : Expr(loc), object_(std::move(object)), symbols_(std::move(symbols)), names_(std::move(names)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    Value o = object_->Eval(ctx, row);
    if (o.is_null()) return Value();
    if (o.is_rel()) {
      // r:TYPE tests a relationship's type (several types: it would need to have them all).
      const std::string type = ctx.view().names().RelTypeName(o.as_rel().type);
      for (const auto& n : names_) {
        if (n != type) return Value(false);
      }
      return Value(true);
    }
    if (!o.is_node()) ThrowType("a label test needs a node or relationship, not " + TypeName(o), location());
    for (uint32_t s : symbols_) {
      auto id = ctx.label(s);
      if (!id) return Value(false);
      auto has = ctx.view().HasLabel(o.as_node().id, *id);
      if (!has.ok()) ThrowStatus(has.status(), location());
      if (!*has) return Value(false);
    }
    return Value(true);
  }
  std::string ToString() const override { return object_->ToString() + ":" + Join(names_, ":"); }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override { fn(*object_); }
  const Expr& object() const { return *object_; }
  const std::vector<uint32_t>& symbols() const { return symbols_; }
  const std::vector<std::string>& names() const { return names_; }

 private:
  ExprPtr object_;
  std::vector<uint32_t> symbols_;
  std::vector<std::string> names_;
};

// ---------------------------------------------------------------- constructors

class ListExpr final : public Expr {
 public:
  ListExpr(std::vector<ExprPtr> items, ast::SourceLocation loc) : Expr(loc), items_(std::move(items)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    ValueList l;
    l.reserve(items_.size());
    for (const auto& i : items_) l.push_back(i->Eval(ctx, row));
    return Value(std::move(l));
  }
  std::string ToString() const override {
    std::vector<std::string> p;
    for (const auto& i : items_) p.push_back(i->ToString());
    return "[" + Join(p, ", ") + "]";
  }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    for (const auto& i : items_) fn(*i);
  }
  bool IsConstant() const override {
    return std::all_of(items_.begin(), items_.end(), [](const ExprPtr& e) { return e->IsConstant(); });
  }

 private:
  std::vector<ExprPtr> items_;
};

class MapExpr final : public Expr {
 public:
  MapExpr(std::vector<std::pair<std::string, ExprPtr>> entries, ast::SourceLocation loc)
      : Expr(loc), entries_(std::move(entries)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    ValueMap m;
    for (const auto& [k, e] : entries_) m[k] = e->Eval(ctx, row);
    return Value(std::move(m));
  }
  std::string ToString() const override {
    std::vector<std::string> p;
    for (const auto& [k, e] : entries_) p.push_back(k + ": " + e->ToString());
    return "{" + Join(p, ", ") + "}";
  }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    for (const auto& [k, e] : entries_) fn(*e);
  }
  bool IsConstant() const override {
    return std::all_of(entries_.begin(), entries_.end(),
                       [](const auto& e) { return e.second->IsConstant(); });
  }

 private:
  std::vector<std::pair<std::string, ExprPtr>> entries_;
};

// ---------------------------------------------------------------- operators

class UnaryExpr final : public Expr {
 public:
  UnaryExpr(UnaryKind kind, ExprPtr operand, ast::SourceLocation loc)
      : Expr(loc), kind_(kind), x_(std::move(operand)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    switch (kind_) {
      case UnaryKind::kNot:
        return TriValue(TriNot(x_->EvalPredicate(ctx, row)));
      case UnaryKind::kIsNull:
        return Value(x_->Eval(ctx, row).is_null());
      case UnaryKind::kIsNotNull:
        return Value(!x_->Eval(ctx, row).is_null());
      case UnaryKind::kNegate: {
        Value out;
        std::string err;
        if (!Negate(x_->Eval(ctx, row), &out, &err)) {
          throw QueryException(
              err.find("overflow") != std::string::npos ? QueryError::Kind::kArgumentError
                                                        : QueryError::Kind::kTypeError,
              err.find("overflow") != std::string::npos ? "IntegerOverflow" : "InvalidArgumentType", err,
              location());
        }
        return out;
      }
      case UnaryKind::kPlus: {
        Value v = x_->Eval(ctx, row);
        if (!v.is_null() && !v.is_number())
          ThrowType("unary + needs a number, not " + TypeName(v), location());
        return v;
      }
    }
    return Value();
  }
  std::string ToString() const override {
    switch (kind_) {
      case UnaryKind::kNot:
        return "NOT " + x_->ToString();
      case UnaryKind::kNegate:
        return "-" + x_->ToString();
      case UnaryKind::kPlus:
        return "+" + x_->ToString();
      case UnaryKind::kIsNull:
        return x_->ToString() + " IS NULL";
      case UnaryKind::kIsNotNull:
        return x_->ToString() + " IS NOT NULL";
    }
    return "?";
  }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override { fn(*x_); }
  bool IsConstant() const override { return x_->IsConstant(); }
  UnaryKind kind() const { return kind_; }
  const Expr& operand() const { return *x_; }

 private:
  UnaryKind kind_;
  ExprPtr x_;
};

class ArithExpr final : public Expr {
 public:
  ArithExpr(ArithOp op, ExprPtr l, ExprPtr r, ast::SourceLocation loc)
      : Expr(loc), op_(op), l_(std::move(l)), r_(std::move(r)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    Value out;
    std::string err;
    if (!Arith(op_, l_->Eval(ctx, row), r_->Eval(ctx, row), &out, &err)) {
      bool type = err.rfind("cannot apply", 0) == 0;
      throw QueryException(
          type ? QueryError::Kind::kTypeError : QueryError::Kind::kArgumentError,
          type ? "InvalidArgumentType"
               : (err.find("zero") != std::string::npos ? "DivisionByZero" : "IntegerOverflow"),
          err, location());
    }
    return out;
  }
  std::string ToString() const override {
    static const char* kOps[] = {" + ", " - ", " * ", " / ", " % ", " ^ "};
    return "(" + l_->ToString() + kOps[static_cast<int>(op_)] + r_->ToString() + ")";
  }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    fn(*l_);
    fn(*r_);
  }
  bool IsConstant() const override { return l_->IsConstant() && r_->IsConstant(); }

 private:
  ArithOp op_;
  ExprPtr l_, r_;
};

class LogicalExpr final : public Expr {
 public:
  LogicalExpr(LogicalKind kind, std::vector<ExprPtr> ops, ast::SourceLocation loc)
      : Expr(loc), kind_(kind), ops_(std::move(ops)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    Tri acc = ops_[0]->EvalPredicate(ctx, row);
    for (size_t i = 1; i < ops_.size(); ++i) {
      if (kind_ == LogicalKind::kAnd && acc == Tri::kFalse) return Value(false);
      if (kind_ == LogicalKind::kOr && acc == Tri::kTrue) return Value(true);
      Tri next = ops_[i]->EvalPredicate(ctx, row);
      acc = kind_ == LogicalKind::kAnd  ? TriAnd(acc, next)
            : kind_ == LogicalKind::kOr ? TriOr(acc, next)
                                        : TriXor(acc, next);
    }
    return TriValue(acc);
  }
  std::string ToString() const override {
    std::vector<std::string> p;
    for (const auto& o : ops_) p.push_back(o->ToString());
    return "(" +
           Join(p, kind_ == LogicalKind::kAnd  ? " AND "
                   : kind_ == LogicalKind::kOr ? " OR "
                                               : " XOR ") +
           ")";
  }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    for (const auto& o : ops_) fn(*o);
  }
  bool IsConstant() const override {
    return std::all_of(ops_.begin(), ops_.end(), [](const ExprPtr& e) { return e->IsConstant(); });
  }
  LogicalKind kind() const { return kind_; }
  const std::vector<ExprPtr>& operands() const { return ops_; }

 private:
  LogicalKind kind_;
  std::vector<ExprPtr> ops_;
};

Tri CompareBy(CmpKind op, const Value& a, const Value& b) {
  switch (op) {
    case CmpKind::kEq:
      return Equals(a, b);
    case CmpKind::kNe:
      return TriNot(Equals(a, b));
    case CmpKind::kLt:
      return Compare(CompareOp::kLt, a, b);
    case CmpKind::kLe:
      return Compare(CompareOp::kLe, a, b);
    case CmpKind::kGt:
      return Compare(CompareOp::kGt, a, b);
    case CmpKind::kGe:
      return Compare(CompareOp::kGe, a, b);
  }
  return Tri::kNull;
}

class ComparisonExpr final : public Expr {
 public:
  ComparisonExpr(std::vector<ExprPtr> operands, std::vector<CmpKind> ops, ast::SourceLocation loc)
      : Expr(loc), operands_(std::move(operands)), ops_(std::move(ops)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    Value left = operands_[0]->Eval(ctx, row);
    Tri acc = Tri::kTrue;
    for (size_t i = 0; i < ops_.size(); ++i) {
      Value right = operands_[i + 1]->Eval(ctx, row);
      acc = TriAnd(acc, CompareBy(ops_[i], left, right));
      if (acc == Tri::kFalse) return Value(false);
      left = std::move(right);
    }
    return TriValue(acc);
  }
  std::string ToString() const override {
    static const char* kOps[] = {" = ", " <> ", " < ", " <= ", " > ", " >= "};
    std::string s = operands_[0]->ToString();
    for (size_t i = 0; i < ops_.size(); ++i)
      s += kOps[static_cast<int>(ops_[i])] + operands_[i + 1]->ToString();
    return s;
  }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    for (const auto& o : operands_) fn(*o);
  }
  bool IsConstant() const override {
    return std::all_of(operands_.begin(), operands_.end(), [](const ExprPtr& e) { return e->IsConstant(); });
  }
  const std::vector<ExprPtr>& operands() const { return operands_; }
  const std::vector<CmpKind>& ops() const { return ops_; }

 private:
  std::vector<ExprPtr> operands_;
  std::vector<CmpKind> ops_;
};

class StringPredExpr final : public Expr {
 public:
  StringPredExpr(StringPredKind kind, ExprPtr l, ExprPtr r, ast::SourceLocation loc)
      : Expr(loc), kind_(kind), l_(std::move(l)), r_(std::move(r)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    Value a = l_->Eval(ctx, row), b = r_->Eval(ctx, row);
    if (!a.is_string() || !b.is_string()) return Value();
    const std::string &s = a.as_string(), &t = b.as_string();
    switch (kind_) {
      case StringPredKind::kStartsWith:
        return Value(s.compare(0, t.size(), t) == 0 && s.size() >= t.size());
      case StringPredKind::kEndsWith:
        return Value(s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0);
      case StringPredKind::kContains:
        return Value(s.find(t) != std::string::npos);
    }
    return Value();
  }
  std::string ToString() const override {
    static const char* kOps[] = {" STARTS WITH ", " ENDS WITH ", " CONTAINS "};
    return l_->ToString() + kOps[static_cast<int>(kind_)] + r_->ToString();
  }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    fn(*l_);
    fn(*r_);
  }
  bool IsConstant() const override { return l_->IsConstant() && r_->IsConstant(); }

 private:
  StringPredKind kind_;
  ExprPtr l_, r_;
};

class RegexExpr final : public Expr {
 public:
  RegexExpr(ExprPtr l, ExprPtr r, ast::SourceLocation loc) : Expr(loc), l_(std::move(l)), r_(std::move(r)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    Value a = l_->Eval(ctx, row), b = r_->Eval(ctx, row);
    if (!a.is_string() || !b.is_string()) return Value();
    const std::regex* re = nullptr;
    std::regex local;
    {
      // A constant pattern is compiled once per plan; others per row.
      std::lock_guard lock(mu_);
      if (cached_ && cached_pattern_ == b.as_string()) re = &*cached_;
    }
    if (!re) {
      try {
        local = std::regex(b.as_string(), std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        ThrowArgument("'" + b.as_string() + "' is not a valid regular expression: " + e.what(), location(),
                      "InvalidRegex");
      }
      if (r_->IsConstant()) {
        std::lock_guard lock(mu_);
        cached_ = local;
        cached_pattern_ = b.as_string();
      }
      re = &local;
    }
    return Value(std::regex_match(a.as_string(), *re));
  }
  std::string ToString() const override { return l_->ToString() + " =~ " + r_->ToString(); }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    fn(*l_);
    fn(*r_);
  }

 private:
  ExprPtr l_, r_;
  mutable std::mutex mu_;
  mutable std::optional<std::regex> cached_;
  mutable std::string cached_pattern_;
};

class InExpr final : public Expr {
 public:
  InExpr(ExprPtr e, ExprPtr l, ast::SourceLocation loc) : Expr(loc), e_(std::move(e)), l_(std::move(l)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    Value x = e_->Eval(ctx, row), list = l_->Eval(ctx, row);
    if (list.is_null()) return Value();
    if (!list.is_list()) ThrowType("IN needs a list on its right, not " + TypeName(list), location());
    Tri acc = Tri::kFalse;
    for (const Value& item : list.as_list()) {
      acc = TriOr(acc, Equals(x, item));
      if (acc == Tri::kTrue) return Value(true);
    }
    return TriValue(acc);
  }
  std::string ToString() const override { return e_->ToString() + " IN " + l_->ToString(); }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    fn(*e_);
    fn(*l_);
  }
  bool IsConstant() const override { return e_->IsConstant() && l_->IsConstant(); }
  const Expr& element() const { return *e_; }
  const Expr& list() const { return *l_; }

 private:
  ExprPtr e_, l_;
};

int64_t ToIndex(const Value& v, ast::SourceLocation loc) {
  if (v.is_int()) return v.as_int();
  ThrowArgument("a list index must be an integer, not " + TypeName(v) + " " + v.ToString(), loc,
                "InvalidArgumentType");
}

class SubscriptExpr final : public Expr {
 public:
  SubscriptExpr(ExprPtr o, ExprPtr i, ast::SourceLocation loc)
      : Expr(loc), o_(std::move(o)), i_(std::move(i)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    Value o = o_->Eval(ctx, row), i = i_->Eval(ctx, row);
    if (o.is_null() || i.is_null()) return Value();
    if (o.is_list()) {
      if (!i.is_int()) ThrowType("a list index must be an integer, not " + TypeName(i), location());
      const ValueList& l = o.as_list();
      int64_t n = static_cast<int64_t>(l.size()), k = i.as_int();
      if (k < 0) k += n;
      return k >= 0 && k < n ? l[static_cast<size_t>(k)] : Value();
    }
    if (o.is_map() || o.is_node() || o.is_rel()) {
      if (!i.is_string())
        ThrowType("a map key must be a string, not " + TypeName(i), location(),
                  "MapElementAccessByNonString");
      if (o.is_map()) {
        auto it = o.as_map().find(i.as_string());
        return it == o.as_map().end() ? Value() : it->second;
      }
      ValueMap props = EntityProperties(ctx, o, location());
      auto it = props.find(i.as_string());
      return it == props.end() ? Value() : it->second;
    }
    ThrowType("cannot index into a " + TypeName(o) + " value", location());
  }
  std::string ToString() const override { return o_->ToString() + "[" + i_->ToString() + "]"; }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    fn(*o_);
    fn(*i_);
  }
  bool IsConstant() const override { return o_->IsConstant() && i_->IsConstant(); }

 private:
  ExprPtr o_, i_;
};

class SliceExpr final : public Expr {
 public:
  SliceExpr(ExprPtr o, ExprPtr f, ExprPtr t, ast::SourceLocation loc)
      : Expr(loc), o_(std::move(o)), f_(std::move(f)), t_(std::move(t)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    Value o = o_->Eval(ctx, row);
    Value f = f_ ? f_->Eval(ctx, row) : Value(int64_t{0});
    Value t = t_ ? t_->Eval(ctx, row) : Value();
    if (o.is_null() || (f_ && f.is_null()) || (t_ && t.is_null())) return Value();
    if (!o.is_list()) ThrowType("only lists can be sliced, not " + TypeName(o), location());
    const ValueList& l = o.as_list();
    int64_t n = static_cast<int64_t>(l.size());
    int64_t from = ToIndex(f, location()), to = t_ ? ToIndex(t, location()) : n;
    if (from < 0) from += n;
    if (to < 0) to += n;
    from = std::clamp<int64_t>(from, 0, n);
    to = std::clamp<int64_t>(to, 0, n);
    if (to <= from) return Value(ValueList{});
    return Value(ValueList(l.begin() + from, l.begin() + to));
  }
  std::string ToString() const override {
    return o_->ToString() + "[" + (f_ ? f_->ToString() : "") + ".." + (t_ ? t_->ToString() : "") + "]";
  }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    fn(*o_);
    if (f_) fn(*f_);
    if (t_) fn(*t_);
  }

 private:
  ExprPtr o_, f_, t_;
};

// Argument lists reused from call to call on this thread, so that a function call per row does not
// allocate: a call takes the list at its nesting depth (a call among its arguments takes the next),
// and gives it back emptied. A deque keeps every list in place as it grows.
class ArgList {
 public:
  ArgList() : vals_(Take()) {}
  ~ArgList() {
    vals_.clear();
    --depth_;
  }
  ArgList(const ArgList&) = delete;
  ArgList& operator=(const ArgList&) = delete;
  std::vector<Value>& vals() { return vals_; }

 private:
  static std::vector<Value>& Take() {
    if (depth_ == lists_.size()) lists_.emplace_back();
    return lists_[depth_++];
  }
  static thread_local std::deque<std::vector<Value>> lists_;
  static thread_local size_t depth_;
  std::vector<Value>& vals_;
};
thread_local std::deque<std::vector<Value>> ArgList::lists_;
thread_local size_t ArgList::depth_ = 0;

class CallExpr final : public Expr {
 public:
  CallExpr(std::string name, ScalarFunction fn, std::vector<ExprPtr> args, ast::SourceLocation loc)
      : Expr(loc), name_(std::move(name)), fn_(fn), args_(std::move(args)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    if (foldable_) {
      // date('2025-10') and the like: the same value every time; computed once, on first use (so an
      // error is still raised when the statement runs). Plans are shared between threads: the
      // lock is taken only until the value is there.
      if (!folded_ready_.load(std::memory_order_acquire)) {
        std::lock_guard lock(fold_mu_);
        if (!folded_) {
          std::vector<Value> vals;
          for (const auto& a : args_) vals.push_back(a->Eval(ctx, row));
          bool null_arg = std::any_of(vals.begin(), vals.end(), [](const Value& v) { return v.is_null(); });
          folded_ = null_in_null_out_ && null_arg ? Value() : fn_(ctx, vals, location());
          folded_ready_.store(true, std::memory_order_release);
        }
      }
      return *folded_;
    }
    ArgList list;
    std::vector<Value>& vals = list.vals();
    bool null_arg = false;
    for (const auto& a : args_) {
      vals.push_back(a->Eval(ctx, row));
      null_arg = null_arg || vals.back().is_null();
    }
    if (null_in_null_out_ && null_arg)
      return Value();  // every argument is still evaluated (and its errors raised)
    return fn_(ctx, vals, location());
  }
  // Called once the arguments are final: a deterministic call of literals is folded.
  void Prepare() {
    bool literal = deterministic_;
    for (const auto& a : args_) literal = literal && ConstantValue(*a).has_value();
    foldable_ = literal;
  }
  std::string ToString() const override {
    std::vector<std::string> p;
    for (const auto& a : args_) p.push_back(a->ToString());
    return name_ + "(" + Join(p, ", ") + ")";
  }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    for (const auto& a : args_) fn(*a);
  }
  // Deterministic functions of constants are constant; rand() and friends are excluded by the binder.
  bool IsConstant() const override {
    return deterministic_ &&
           std::all_of(args_.begin(), args_.end(), [](const ExprPtr& e) { return e->IsConstant(); });
  }
  void set_deterministic(bool d) { deterministic_ = d; }
  bool deterministic() const { return deterministic_; }
  void set_null_in_null_out(bool n) { null_in_null_out_ = n; }
  const std::vector<ExprPtr>& args() const { return args_; }

 private:
  std::string name_;
  ScalarFunction fn_;
  std::vector<ExprPtr> args_;
  bool deterministic_ = true;
  bool null_in_null_out_ = false;
  bool foldable_ = false;
  mutable std::mutex fold_mu_;
  mutable std::atomic<bool> folded_ready_{false};
  mutable std::optional<Value> folded_;  // written once, under fold_mu_, before folded_ready_
};

class CaseExpr final : public Expr {
 public:
  CaseExpr(ExprPtr subject, std::vector<CaseWhen> whens, ExprPtr otherwise, ast::SourceLocation loc)
      : Expr(loc), subject_(std::move(subject)), whens_(std::move(whens)), else_(std::move(otherwise)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    if (subject_) {
      Value s = subject_->Eval(ctx, row);
      for (const auto& w : whens_) {
        if (Equals(s, w.when->Eval(ctx, row)) == Tri::kTrue) return w.then->Eval(ctx, row);
      }
    } else {
      for (const auto& w : whens_) {
        Value c = w.when->Eval(ctx, row);
        if (c.is_bool() && c.as_bool()) return w.then->Eval(ctx, row);
      }
    }
    return else_ ? else_->Eval(ctx, row) : Value();
  }
  std::string ToString() const override {
    std::string s = "CASE";
    if (subject_) s += " " + subject_->ToString();
    for (const auto& w : whens_) s += " WHEN " + w.when->ToString() + " THEN " + w.then->ToString();
    if (else_) s += " ELSE " + else_->ToString();
    return s + " END";
  }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    if (subject_) fn(*subject_);
    for (const auto& w : whens_) {
      fn(*w.when);
      fn(*w.then);
    }
    if (else_) fn(*else_);
  }

 private:
  ExprPtr subject_;
  std::vector<CaseWhen> whens_;
  ExprPtr else_;
};

// ---------------------------------------------------------------- iteration

// Iteration expressions bind their variable in a slot of their own; CollectSlots leaves it out.
void CollectExcept(const Expr& e, int own, std::vector<int>* out) {
  std::vector<int> inner;
  e.CollectSlots(&inner);
  for (int s : inner) {
    if (s != own) out->push_back(s);
  }
}

const ValueList* IterationList(const Value& v, ast::SourceLocation loc) {
  if (v.is_null()) return nullptr;
  if (!v.is_list()) ThrowType("expected a list to iterate over, not " + TypeName(v), loc);
  return &v.as_list();
}

class ListComprehensionExpr final : public Expr {
 public:
  ListComprehensionExpr(int slot, std::string var, ExprPtr list, ExprPtr pred, ExprPtr proj,
                        ast::SourceLocation loc)
      : Expr(loc),
        slot_(slot),
        var_(std::move(var)),
        list_(std::move(list)),
        pred_(std::move(pred)),
        proj_(std::move(proj)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    Value lv = list_->Eval(ctx, row);
    const ValueList* l = IterationList(lv, location());
    if (!l) return Value();
    ValueList out;
    for (const Value& x : *l) {
      row[static_cast<size_t>(slot_)] = x;
      if (pred_ && pred_->EvalPredicate(ctx, row) != Tri::kTrue) continue;
      out.push_back(proj_ ? proj_->Eval(ctx, row) : x);
    }
    return Value(std::move(out));
  }
  std::string ToString() const override {
    return "[" + var_ + " IN " + list_->ToString() + (pred_ ? " WHERE " + pred_->ToString() : "") +
           (proj_ ? " | " + proj_->ToString() : "") + "]";
  }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    fn(*list_);
    if (pred_) fn(*pred_);
    if (proj_) fn(*proj_);
  }
  void CollectSlots(std::vector<int>* out) const override {
    list_->CollectSlots(out);
    if (pred_) CollectExcept(*pred_, slot_, out);
    if (proj_) CollectExcept(*proj_, slot_, out);
  }

 private:
  int slot_;
  std::string var_;
  ExprPtr list_, pred_, proj_;
};

class QuantifierExpr final : public Expr {
 public:
  QuantifierExpr(QuantKind kind, int slot, std::string var, ExprPtr list, ExprPtr pred,
                 ast::SourceLocation loc)
      : Expr(loc),
        kind_(kind),
        slot_(slot),
        var_(std::move(var)),
        list_(std::move(list)),
        pred_(std::move(pred)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    Value lv = list_->Eval(ctx, row);
    const ValueList* l = IterationList(lv, location());
    if (!l) return Value();
    int64_t trues = 0;
    bool unknown = false;
    for (const Value& x : *l) {
      row[static_cast<size_t>(slot_)] = x;
      Tri t = pred_ ? pred_->EvalPredicate(ctx, row)
                    : (x.is_null() ? Tri::kNull : TriOf(x.is_bool() && x.as_bool()));
      if (t == Tri::kNull) {
        unknown = true;
        continue;
      }
      if (t == Tri::kTrue) {
        ++trues;
        if (kind_ == QuantKind::kAny) return Value(true);
        if (kind_ == QuantKind::kNone) return Value(false);
        if (kind_ == QuantKind::kSingle && trues > 1) return Value(false);
      } else if (kind_ == QuantKind::kAll) {
        return Value(false);
      }
    }
    if (unknown) return Value();
    switch (kind_) {
      case QuantKind::kAll:
        return Value(true);
      case QuantKind::kAny:
        return Value(false);
      case QuantKind::kNone:
        return Value(true);
      case QuantKind::kSingle:
        return Value(trues == 1);
    }
    return Value();
  }
  std::string ToString() const override {
    static const char* kNames[] = {"all", "any", "none", "single"};
    return std::string(kNames[static_cast<int>(kind_)]) + "(" + var_ + " IN " + list_->ToString() +
           (pred_ ? " WHERE " + pred_->ToString() : "") + ")";
  }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    fn(*list_);
    if (pred_) fn(*pred_);
  }
  void CollectSlots(std::vector<int>* out) const override {
    list_->CollectSlots(out);
    if (pred_) CollectExcept(*pred_, slot_, out);
  }

 private:
  QuantKind kind_;
  int slot_;
  std::string var_;
  ExprPtr list_, pred_;
};

class ReduceExpr final : public Expr {
 public:
  ReduceExpr(int acc_slot, std::string acc, ExprPtr init, int slot, std::string var, ExprPtr list,
             ExprPtr step, ast::SourceLocation loc)
      : Expr(loc),
        acc_slot_(acc_slot),
        acc_(std::move(acc)),
        init_(std::move(init)),
        slot_(slot),
        var_(std::move(var)),
        list_(std::move(list)),
        step_(std::move(step)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    Value acc = init_->Eval(ctx, row);
    Value lv = list_->Eval(ctx, row);
    const ValueList* l = IterationList(lv, location());
    if (!l) return Value();
    for (const Value& x : *l) {
      row[static_cast<size_t>(acc_slot_)] = acc;
      row[static_cast<size_t>(slot_)] = x;
      acc = step_->Eval(ctx, row);
    }
    return acc;
  }
  std::string ToString() const override {
    return "reduce(" + acc_ + " = " + init_->ToString() + ", " + var_ + " IN " + list_->ToString() + " | " +
           step_->ToString() + ")";
  }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    fn(*init_);
    fn(*list_);
    fn(*step_);
  }
  void CollectSlots(std::vector<int>* out) const override {
    init_->CollectSlots(out);
    list_->CollectSlots(out);
    std::vector<int> inner;
    step_->CollectSlots(&inner);
    for (int s : inner) {
      if (s != slot_ && s != acc_slot_) out->push_back(s);
    }
  }

 private:
  int acc_slot_;
  std::string acc_;
  ExprPtr init_;
  int slot_;
  std::string var_;
  ExprPtr list_, step_;
};

class MapProjectionExpr final : public Expr {
 public:
  MapProjectionExpr(ExprPtr subject, std::vector<MapProjectionItem> items, ast::SourceLocation loc)
      : Expr(loc), subject_(std::move(subject)), items_(std::move(items)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    Value s = subject_->Eval(ctx, row);
    if (s.is_null()) return Value();
    ValueMap props;
    bool have_props = false;
    auto all_props = [&]() -> const ValueMap& {
      if (!have_props) {
        if (s.is_map()) {
          props = s.as_map();
        } else if (s.is_node() || s.is_rel()) {
          props = EntityProperties(ctx, s, location());
        } else {
          ThrowType("a map projection needs a node, relationship or map, not " + TypeName(s), location());
        }
        have_props = true;
      }
      return props;
    };
    ValueMap out;
    for (const auto& item : items_) {
      switch (item.kind) {
        case MapProjectionItem::Kind::kAllProperties:
          for (const auto& [k, v] : all_props()) out[k] = v;
          break;
        case MapProjectionItem::Kind::kProperty: {
          const ValueMap& p = all_props();
          auto it = p.find(item.key);
          out[item.key] = it == p.end() ? Value() : it->second;
          break;
        }
        case MapProjectionItem::Kind::kValue:
          out[item.key] = item.value->Eval(ctx, row);
          break;
      }
    }
    return Value(std::move(out));
  }
  std::string ToString() const override {
    std::vector<std::string> p;
    for (const auto& i : items_) {
      switch (i.kind) {
        case MapProjectionItem::Kind::kAllProperties:
          p.push_back(".*");
          break;
        case MapProjectionItem::Kind::kProperty:
          p.push_back("." + i.key);
          break;
        case MapProjectionItem::Kind::kValue:
          p.push_back(i.key + ": " + i.value->ToString());
          break;
      }
    }
    return subject_->ToString() + " {" + Join(p, ", ") + "}";
  }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    fn(*subject_);
    for (const auto& i : items_) {
      if (i.value) fn(*i.value);
    }
  }

 private:
  ExprPtr subject_;
  std::vector<MapProjectionItem> items_;
};

// ---------------------------------------------------------------- subqueries

class SubqueryExpr final : public Expr {
 public:
  SubqueryExpr(SubqueryKind kind, std::shared_ptr<const PlanNode> plan, ExprPtr value, int width,
               std::vector<int> outer, ast::SourceLocation loc)
      : Expr(loc),
        kind_(kind),
        plan_(std::move(plan)),
        value_(std::move(value)),
        width_(width),
        outer_(std::move(outer)) {}
  void CollectSlots(std::vector<int>* out) const override {
    out->insert(out->end(), outer_.begin(), outer_.end());
  }
  Value Eval(ExecContext& ctx, Row& row) const override {
    // The subplan binds slots of its own beyond the outer row's; run it on a copy so the outer row's
    // slots stay as they are.
    Row inner = row;
    if (inner.size() < static_cast<size_t>(width_)) inner.resize(static_cast<size_t>(width_));
    auto op = plan_->Instantiate(nullptr);
    op->Open(ctx, inner);
    if (kind_ == SubqueryKind::kExists) return Value(op->Next(ctx, inner));
    if (kind_ == SubqueryKind::kCount) {
      int64_t n = 0;
      while (op->Next(ctx, inner)) {
        ctx.Tick();
        ++n;
      }
      return Value(n);
    }
    ValueList out;
    while (op->Next(ctx, inner)) {
      ctx.Tick();
      out.push_back(value_->Eval(ctx, inner));
    }
    return Value(std::move(out));
  }
  std::string ToString() const override {
    switch (kind_) {
      case SubqueryKind::kExists:
        return "exists(" + plan_->Describe() + ")";
      case SubqueryKind::kCount:
        return "count(" + plan_->Describe() + ")";
      case SubqueryKind::kCollect:
        break;
    }
    return "[" + plan_->Describe() + " | " + value_->ToString() + "]";
  }

 private:
  SubqueryKind kind_;
  std::shared_ptr<const PlanNode> plan_;
  ExprPtr value_;
  int width_;
  std::vector<int> outer_;
};

// ---------------------------------------------------------------- valid time

const Validity* EntityValidity(ExecContext& ctx, const Value& v, RelRecord* scratch) {
  if (v.is_node()) {
    const NodeRecord* r = ctx.Node(v.as_node().id);
    return r ? &r->validity : nullptr;
  }
  if (v.is_rel()) {
    if (!ctx.RelRecordOf(v.as_rel(), scratch)) return nullptr;
    return &scratch->validity;
  }
  if (v.is_list()) return nullptr;  // handled by the caller (variable-length relationships)
  return nullptr;
}

class ValidTimeExpr final : public Expr {
 public:
  ValidTimeExpr(int slot, std::string var, ExprPtr a, ExprPtr b, ast::SourceLocation loc)
      : Expr(loc), slot_(slot), var_(std::move(var)), a_(std::move(a)), b_(std::move(b)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    const Value& v = row[static_cast<size_t>(slot_)];
    if (v.is_null()) return Value(true);
    Date a = AsValidTimeDate(a_->Eval(ctx, row), a_->location());
    std::optional<Date> b;
    if (b_) b = AsValidTimeDate(b_->Eval(ctx, row), b_->location());
    auto check = [&](const Value& e) {
      RelRecord scratch;
      const Validity* validity = EntityValidity(ctx, e, &scratch);
      if (!validity) return true;
      return b ? CertainlyValidDuring(*validity, a, *b) : CertainlyValidAt(*validity, a);
    };
    if (v.is_list()) {
      for (const Value& e : v.as_list()) {
        if (!check(e)) return Value(false);
      }
      return Value(true);
    }
    return Value(check(v));
  }
  std::string ToString() const override {
    return var_ +
           (b_ ? " VALID DURING " + a_->ToString() + ", " + b_->ToString() : " VALID AT " + a_->ToString());
  }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override {
    fn(*a_);
    if (b_) fn(*b_);
  }
  void CollectSlots(std::vector<int>* out) const override {
    out->push_back(slot_);
    Expr::CollectSlots(out);
  }

 private:
  int slot_;
  std::string var_;
  ExprPtr a_, b_;
};

}  // namespace

// ---------------------------------------------------------------- factories

ExprPtr MakeConstant(Value v, ast::SourceLocation loc) {
  return std::make_unique<ConstantExpr>(std::move(v), loc);
}
ExprPtr MakeParameter(std::string name, ast::SourceLocation loc) {
  return std::make_unique<ParameterExpr>(std::move(name), loc);
}
ExprPtr MakeSlot(int slot, std::string name, ast::SourceLocation loc) {
  return std::make_unique<SlotExpr>(slot, std::move(name), loc);
}

int SlotOf(const Expr& e) {
  auto* s = dynamic_cast<const SlotExpr*>(&e);
  return s ? s->slot() : -1;
}

std::optional<Value> ConstantValue(const Expr& e) {
  if (auto* c = dynamic_cast<const ConstantExpr*>(&e)) return c->value();
  return std::nullopt;
}

ExprPtr MakeProperty(ExprPtr object, uint32_t prop_symbol, std::string name, ast::SourceLocation loc) {
  return std::make_unique<PropertyExpr>(std::move(object), prop_symbol, std::move(name), loc);
}

std::optional<std::pair<int, uint32_t>> SlotProperty(const Expr& e) {
  auto* p = dynamic_cast<const PropertyExpr*>(&e);
  if (!p) return std::nullopt;
  int slot = SlotOf(p->object());
  if (slot < 0) return std::nullopt;
  return std::make_pair(slot, p->symbol());
}

ExprPtr MakeHasLabels(ExprPtr object, std::vector<uint32_t> label_symbols, std::vector<std::string> names,
                      ast::SourceLocation loc) {
  return std::make_unique<HasLabelsExpr>(std::move(object), std::move(label_symbols), std::move(names), loc);
}
ExprPtr MakeList(std::vector<ExprPtr> items, ast::SourceLocation loc) {
  return std::make_unique<ListExpr>(std::move(items), loc);
}
ExprPtr MakeMap(std::vector<std::pair<std::string, ExprPtr>> entries, ast::SourceLocation loc) {
  return std::make_unique<MapExpr>(std::move(entries), loc);
}
ExprPtr MakeUnary(UnaryKind kind, ExprPtr operand, ast::SourceLocation loc) {
  return std::make_unique<UnaryExpr>(kind, std::move(operand), loc);
}
ExprPtr MakeArith(ArithOp op, ExprPtr left, ExprPtr right, ast::SourceLocation loc) {
  return std::make_unique<ArithExpr>(op, std::move(left), std::move(right), loc);
}
ExprPtr MakeLogical(LogicalKind kind, std::vector<ExprPtr> operands, ast::SourceLocation loc) {
  if (operands.size() == 1) return std::move(operands[0]);
  return std::make_unique<LogicalExpr>(kind, std::move(operands), loc);
}

std::vector<ExprPtr> SplitConjuncts(const ExprPtr& e) {
  std::vector<ExprPtr> out;
  if (auto* l = dynamic_cast<LogicalExpr*>(e.get()); l && l->kind() == LogicalKind::kAnd) {
    for (const auto& o : l->operands()) {
      for (auto& c : SplitConjuncts(o)) out.push_back(std::move(c));
    }
    return out;
  }
  out.push_back(e);
  return out;
}

ExprPtr MakeComparison(std::vector<ExprPtr> operands, std::vector<CmpKind> ops, ast::SourceLocation loc) {
  return std::make_unique<ComparisonExpr>(std::move(operands), std::move(ops), loc);
}

std::optional<SimpleComparison> AsSimpleComparison(const Expr& e) {
  auto* c = dynamic_cast<const ComparisonExpr*>(&e);
  if (!c || c->ops().size() != 1) return std::nullopt;
  return SimpleComparison{c->ops()[0], c->operands()[0], c->operands()[1]};
}

std::optional<LabelTest> AsLabelTest(const Expr& e) {
  auto* h = dynamic_cast<const HasLabelsExpr*>(&e);
  if (!h || SlotOf(h->object()) < 0) return std::nullopt;
  return LabelTest{SlotOf(h->object()), h->symbols(), h->names()};
}

std::optional<std::pair<ExprPtr, ExprPtr>> AsInequality(const Expr& e) {
  if (auto sc = AsSimpleComparison(e); sc && sc->op == CmpKind::kNe)
    return std::make_pair(sc->left, sc->right);
  if (auto* u = dynamic_cast<const UnaryExpr*>(&e); u && u->kind() == UnaryKind::kNot) {
    if (auto sc = AsSimpleComparison(u->operand()); sc && sc->op == CmpKind::kEq)
      return std::make_pair(sc->left, sc->right);
  }
  return std::nullopt;
}

ExprPtr MakeStringPredicate(StringPredKind kind, ExprPtr left, ExprPtr right, ast::SourceLocation loc) {
  return std::make_unique<StringPredExpr>(kind, std::move(left), std::move(right), loc);
}
ExprPtr MakeRegexMatch(ExprPtr left, ExprPtr right, ast::SourceLocation loc) {
  return std::make_unique<RegexExpr>(std::move(left), std::move(right), loc);
}
ExprPtr MakeIn(ExprPtr element, ExprPtr list, ast::SourceLocation loc) {
  return std::make_unique<InExpr>(std::move(element), std::move(list), loc);
}
ExprPtr MakeSubscript(ExprPtr object, ExprPtr index, ast::SourceLocation loc) {
  return std::make_unique<SubscriptExpr>(std::move(object), std::move(index), loc);
}
ExprPtr MakeSlice(ExprPtr object, ExprPtr from, ExprPtr to, ast::SourceLocation loc) {
  return std::make_unique<SliceExpr>(std::move(object), std::move(from), std::move(to), loc);
}
// truncate(date, 'month') with a constant unit, the common form (events per month).
namespace {
class TruncateExpr final : public Expr {
 public:
  TruncateExpr(ExprPtr call, ExprPtr date, DatePrecision p)
      : Expr(call->location()), date_(std::move(date)), precision_(p), call_(std::move(call)) {}
  Value Eval(ExecContext& ctx, Row& row) const override {
    Value v = date_->Eval(ctx, row);
    if (!v.is_date()) return call_->Eval(ctx, row);
    const Date& d = v.as_date();
    if (d.precision() >= precision_) return v;
    // Rows often come in date order (a time-index scan), so the period of the row before usually
    // holds this one too: a comparison instead of a calendar conversion. Per thread, as plans are
    // shared between connections; the period depends on nothing but the day and the precision.
    thread_local Date last = Date::Containing(0, DatePrecision::kDay);
    if (last.precision() != precision_ || d.start_day() < last.start_day() ||
        d.start_day() >= last.end_day()) {
      last = Date::Containing(d.start_day(), precision_);
    }
    return Value(last);
  }
  std::string ToString() const override { return call_->ToString(); }
  void ForEachChild(const std::function<void(const Expr&)>& fn) const override { call_->ForEachChild(fn); }
  bool IsConstant() const override { return call_->IsConstant(); }

 private:
  ExprPtr date_;
  DatePrecision precision_;
  ExprPtr call_;
};
}  // namespace

ExprPtr MakeCall(const FunctionInfo& f, std::vector<ExprPtr> args, ast::SourceLocation loc) {
  auto c = std::make_unique<CallExpr>(f.name, f.fn, std::move(args), loc);
  c->set_deterministic(f.VolatilityOf(c->args().size()) == Volatility::kImmutable);
  c->set_null_in_null_out(f.nulls == NullBehavior::kNullInNullOut);
  c->Prepare();
  return c;
}

ExprPtr MakeTruncateToPeriod(ExprPtr call, DatePrecision unit) {
  const auto* c = dynamic_cast<const CallExpr*>(call.get());
  if (!c || c->args().empty()) return call;
  ExprPtr date = c->args()[0];
  return std::make_unique<TruncateExpr>(std::move(call), std::move(date), unit);
}
bool ReadsOnlyProperty(const Expr& e, int slot, uint32_t prop_symbol) {
  if (auto read = SlotProperty(e)) return read->first == slot && read->second == prop_symbol;
  if (e.IsConstant()) return true;
  if (const auto* p = dynamic_cast<const PropertyExpr*>(&e))
    return ReadsOnlyProperty(p->object(), slot, prop_symbol);
  // Expressions whose value is a function of their children's values alone; anything else (a
  // variable, a subquery, a comprehension, a volatile call) may differ between rows.
  bool pure = dynamic_cast<const TruncateExpr*>(&e) || dynamic_cast<const UnaryExpr*>(&e) ||
              dynamic_cast<const ArithExpr*>(&e) || dynamic_cast<const LogicalExpr*>(&e) ||
              dynamic_cast<const ComparisonExpr*>(&e) || dynamic_cast<const CaseExpr*>(&e) ||
              dynamic_cast<const ListExpr*>(&e) || dynamic_cast<const MapExpr*>(&e) ||
              dynamic_cast<const StringPredExpr*>(&e) || dynamic_cast<const InExpr*>(&e) ||
              dynamic_cast<const SubscriptExpr*>(&e) || dynamic_cast<const SliceExpr*>(&e);
  if (const auto* call = dynamic_cast<const CallExpr*>(&e)) pure = call->deterministic();
  if (!pure) return false;
  bool only = true;
  e.ForEachChild([&](const Expr& child) { only = only && ReadsOnlyProperty(child, slot, prop_symbol); });
  return only;
}

ExprPtr MakeCase(ExprPtr subject, std::vector<CaseWhen> whens, ExprPtr otherwise, ast::SourceLocation loc) {
  return std::make_unique<CaseExpr>(std::move(subject), std::move(whens), std::move(otherwise), loc);
}
ExprPtr MakeListComprehension(int slot, std::string var, ExprPtr list, ExprPtr predicate, ExprPtr projection,
                              ast::SourceLocation loc) {
  return std::make_unique<ListComprehensionExpr>(slot, std::move(var), std::move(list), std::move(predicate),
                                                 std::move(projection), loc);
}
ExprPtr MakeQuantifier(QuantKind kind, int slot, std::string var, ExprPtr list, ExprPtr predicate,
                       ast::SourceLocation loc) {
  return std::make_unique<QuantifierExpr>(kind, slot, std::move(var), std::move(list), std::move(predicate),
                                          loc);
}
ExprPtr MakeReduce(int acc_slot, std::string acc, ExprPtr init, int slot, std::string var, ExprPtr list,
                   ExprPtr step, ast::SourceLocation loc) {
  return std::make_unique<ReduceExpr>(acc_slot, std::move(acc), std::move(init), slot, std::move(var),
                                      std::move(list), std::move(step), loc);
}
ExprPtr MakeMapProjection(ExprPtr subject, std::vector<MapProjectionItem> items, ast::SourceLocation loc) {
  return std::make_unique<MapProjectionExpr>(std::move(subject), std::move(items), loc);
}
ExprPtr MakeSubquery(SubqueryKind kind, std::shared_ptr<const PlanNode> plan, ExprPtr value, int width,
                     std::vector<int> outer_slots, ast::SourceLocation loc) {
  return std::make_unique<SubqueryExpr>(kind, std::move(plan), std::move(value), width,
                                        std::move(outer_slots), loc);
}
ExprPtr MakeValidAt(int slot, std::string var, ExprPtr at, ast::SourceLocation loc) {
  return std::make_unique<ValidTimeExpr>(slot, std::move(var), std::move(at), nullptr, loc);
}
ExprPtr MakeValidDuring(int slot, std::string var, ExprPtr from, ExprPtr to, ast::SourceLocation loc) {
  return std::make_unique<ValidTimeExpr>(slot, std::move(var), std::move(from), std::move(to), loc);
}

// A period [from, to) of imprecise dates certainly covers the days [first, end) when its latest
// possible start is on or before `first` and its earliest possible end is at or after `end`.
namespace {
bool PeriodCovers(const Period& p, int64_t first, int64_t end) {
  if (p.from && int64_t{p.from->end_day()} - 1 > first) return false;
  if (p.to && p.to->start_day() < end) return false;
  return true;
}
bool PeriodTouches(const Period& p, int64_t first, int64_t end) {
  int64_t latest_start = p.from ? int64_t{p.from->end_day()} - 1 : INT64_MIN;
  int64_t earliest_end = p.to ? p.to->start_day() : INT64_MAX;
  // Certainly valid on some day d of [first, end): a day after the latest start, before the earliest end.
  int64_t lo = std::max(first, latest_start), hi = std::min(end, earliest_end);
  return lo < hi;
}
}  // namespace

bool CertainlyValidAt(const Validity& v, Date at) {
  if (v.empty()) return true;
  for (const Period& p : v) {
    if (PeriodCovers(p, at.start_day(), at.end_day())) return true;
  }
  return false;
}

int64_t CountCertainlyValidAt(const ReadView::ValidityIndex& index, Date at) {
  // A one-period member is certainly valid at `at` when its latest start is at most at's first day
  // and its earliest end is at least at's end (PeriodCovers). Those whose latest start is at most
  // `first`, less those over before `end`, plus the ones over before `end` that had not started by
  // `first` either: periods within (first, end), only possible when `at` is coarser than a day.
  const int64_t first = at.start_day(), end = at.end_day();
  const auto& by_start = index.by_start;
  auto not_started = std::upper_bound(by_start.begin(), by_start.end(), first,
                                      [](int64_t day, const auto& p) { return day < p.first; });
  int64_t n = static_cast<int64_t>(index.always) + (not_started - by_start.begin());
  n -= std::lower_bound(index.ends.begin(), index.ends.end(), end) - index.ends.begin();
  for (auto it = not_started; it != by_start.end() && it->first < end; ++it) {
    if (it->second < end) ++n;
  }
  for (const auto& [id, validity] : index.others) {
    if (CertainlyValidAt(validity, at)) ++n;
  }
  return n;
}

bool CertainlyValidDuring(const Validity& v, Date from, Date to) {
  if (v.empty()) return true;
  for (const Period& p : v) {
    if (PeriodTouches(p, from.start_day(), to.start_day())) return true;
  }
  return false;
}

Date AsValidTimeDate(const Value& v, ast::SourceLocation loc) {
  if (v.is_date()) return v.as_date();
  if (v.is_datetime()) {
    return Date::Containing(v.as_datetime().Day(), DatePrecision::kDay);
  }
  if (v.is_string()) {
    auto d = Date::Parse(v.as_string());
    if (d.ok()) return *d;
    ThrowArgument(d.status().message(), loc, "InvalidDate");
  }
  ThrowType("VALID AT and VALID DURING need a date, not " + TypeName(v) + " " + v.ToString(), loc);
}

ValueMap EntityProperties(ExecContext& ctx, const Value& entity, ast::SourceLocation loc) {
  ValueMap out;
  const NameResolver& names = ctx.view().names();
  if (entity.is_node()) {
    const NodeRecord* r = ctx.Node(entity.as_node().id);
    if (!r) {
      if (ctx.deleted_nodes.count(entity.as_node().id)) ThrowDeleted("node", loc);
      return out;
    }
    for (const auto& [k, v] : r->props) out[names.PropKeyName(k)] = v;
    if (!r->key.empty()) out[std::string(kKeyProperty)] = Value(r->key);
    return out;
  }
  RelRecord r;
  if (!ctx.RelRecordOf(entity.as_rel(), &r)) {
    if (ctx.deleted_rels.count(entity.as_rel().id)) ThrowDeleted("relationship", loc);
    return out;
  }
  for (const auto& [k, v] : r.props) out[names.PropKeyName(k)] = v;
  if (!r.key.empty()) out[std::string(kKeyProperty)] = Value(r.key);
  return out;
}

}  // namespace lodestone::query
