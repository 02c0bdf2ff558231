// Planning the clauses other than MATCH's patterns: projections (WITH, RETURN) with aggregation,
// DISTINCT, ORDER BY, SKIP and LIMIT; UNWIND; and the updating clauses.
#include <algorithm>
#include <set>

#include "query/eval/functions.h"
#include "query/planner/compiler_impl.h"

namespace lodestone::query {
namespace {

bool IsHidden(const std::string& name) { return name.rfind("  ", 0) == 0; }

// SKIP and LIMIT take a constant non-negative integer; literals are checked now, parameters at run time.
ExprPtr BindCount(Compiler& c, const ast::Expr& e, const char* what) {
  if (e.kind() == ast::ExprKind::kLiteral) {
    const auto& v = e.As<ast::LiteralExpr>().value;
    if (std::holds_alternative<double>(v)) {
      Fail("InvalidArgumentType", std::string(what) + " needs an integer, not " + ast::ToString(e),
           e.location());
    }
    if (std::holds_alternative<int64_t>(v) && std::get<int64_t>(v) < 0) {
      Fail("NegativeIntegerArgument",
           std::string(what) + " needs a number of rows, 0 or more, not " + ast::ToString(e), e.location());
    }
  }
  Scope saved = c.scope_;
  c.scope_.Clear();
  BindOptions o;
  o.context = what;
  ExprPtr bound;
  try {
    bound = c.Bind(e, o);
  } catch (const CompileError& err) {
    c.scope_ = std::move(saved);
    if (err.detail == "UndefinedVariable") {
      Fail("NonConstantExpression",
           std::string(what) + " must be a constant or a parameter, not an expression over variables",
           e.location());
    }
    throw;
  }
  c.scope_ = std::move(saved);
  return bound;
}

}  // namespace

void Compiler::PlanSingleQuery(const ast::SingleQuery& q, std::vector<std::string>* columns,
                               std::vector<int>* slots) {
  plan_ = logical::Start();
  for (const auto& clause : q.clauses) {
    switch (clause->kind()) {
      case ast::ClauseKind::kMatch:
        PlanMatch(clause->As<ast::MatchClause>());
        break;
      case ast::ClauseKind::kUnwind:
        PlanUnwind(clause->As<ast::UnwindClause>());
        break;
      case ast::ClauseKind::kWith: {
        const auto& w = clause->As<ast::WithClause>();
        PlanProjection(w.body, w.where.get(), false, nullptr, nullptr);
        break;
      }
      case ast::ClauseKind::kReturn:
        PlanProjection(clause->As<ast::ReturnClause>().body, nullptr, true, columns, slots);
        break;
      case ast::ClauseKind::kCreate:
        PlanCreate(clause->As<ast::CreateClause>());
        break;
      case ast::ClauseKind::kMerge:
        PlanMerge(clause->As<ast::MergeClause>());
        break;
      case ast::ClauseKind::kSet:
        PlanSet(clause->As<ast::SetClause>());
        break;
      case ast::ClauseKind::kRemove:
        PlanRemove(clause->As<ast::RemoveClause>());
        break;
      case ast::ClauseKind::kDelete:
        PlanDelete(clause->As<ast::DeleteClause>());
        break;
      case ast::ClauseKind::kCall:
        PlanCall(clause->As<ast::CallClause>(), q.clauses.size() == 1, columns, slots);
        break;
    }
  }
}

namespace {

// Whether an argument whose type the binder knows may be passed where `type` is declared.
bool StaticallyAccepts(ProcedureType type, Compiler::StaticType t) {
  using T = Compiler::StaticType;
  if (t == T::kUnknown || t == T::kNull || type == ProcedureType::kAny) return true;
  switch (type) {
    case ProcedureType::kBoolean:
      return t == T::kBool;
    case ProcedureType::kInteger:
      return t == T::kInt;
    case ProcedureType::kFloat:
    case ProcedureType::kNumber:
      return t == T::kInt || t == T::kFloat;
    case ProcedureType::kString:
      return t == T::kString;
    case ProcedureType::kList:
      return t == T::kList;
    case ProcedureType::kMap:
      return t == T::kMap;
    case ProcedureType::kNode:
      return t == T::kNode;
    case ProcedureType::kRelationship:
      return t == T::kRel;
    case ProcedureType::kPath:
      return t == T::kPath;
    default:
      return true;  // dates: the binder does not track them
  }
}

VarKind KindOfOutput(ProcedureType type) {
  switch (type) {
    case ProcedureType::kAny:
      return VarKind::kAny;
    case ProcedureType::kNode:
      return VarKind::kNode;
    case ProcedureType::kRelationship:
      return VarKind::kRel;
    case ProcedureType::kPath:
      return VarKind::kPath;
    default:
      return VarKind::kValue;
  }
}

std::string OutputNames(const ProcedureInfo& p) {
  std::string s;
  for (size_t i = 0; i < p.outputs.size(); ++i) s += (i ? ", " : "") + p.outputs[i].name;
  return s;
}

}  // namespace

void Compiler::PlanCall(const ast::CallClause& c, bool standalone, std::vector<std::string>* columns,
                        std::vector<int>* slots) {
  std::shared_ptr<const ProcedureInfo> proc =
      catalog_.procedures ? catalog_.procedures->Find(c.procedure) : nullptr;
  if (!proc) {
    std::string hint = " (CALL dbms.procedures() lists the procedures there are)";
    if (catalog_.procedures) {
      if (auto other = catalog_.procedures->FindIgnoringCase(c.procedure)) {
        hint = "; procedure names are case-sensitive: did you mean " + other->name + "?";
      }
    }
    Fail("ProcedureNotFound", "there is no procedure named " + c.procedure + hint, c.procedure_location,
         QueryError::Kind::kProcedureError);
  }
  const ProcedureInfo& p = *proc;
  ProcedureCallSpec spec;
  spec.procedure = proc;
  spec.loc = c.procedure_location;

  // Arguments: written in parentheses, or (standalone only) the parameters named like the inputs.
  if (c.explicit_arguments) {
    const size_t given = c.arguments.size(), required = p.RequiredInputs(), most = p.inputs.size();
    if (given < required || given > most) {
      const std::string expected =
          required == most ? std::to_string(most) : std::to_string(required) + " to " + std::to_string(most);
      Fail("InvalidNumberOfArguments",
           p.name + " takes " + expected + (most == 1 ? " argument" : " arguments") + ", not " +
               std::to_string(given) + ": " + p.Signature(),
           c.procedure_location);
    }
    for (size_t i = 0; i < given; ++i) {
      const ast::Expr& arg = *c.arguments[i];
      if (ContainsAggregate(arg)) {
        Fail("InvalidAggregation",
             "the arguments of CALL cannot aggregate; compute the aggregate with WITH first, then pass it "
             "in",
             arg.location());
      }
      const ProcedureField& input = p.inputs[i];
      const StaticType t = StaticTypeOf(arg);
      if (!StaticallyAccepts(input.type, t)) {
        Fail("InvalidArgumentType",
             "argument '" + input.name + "' of " + p.name + " must be " +
                 std::string(ProcedureTypeName(input.type)) + ", not " + std::string(StaticTypeName(t)),
             arg.location());
      }
      BindOptions o;
      o.context = "CALL";
      spec.args.push_back(Bind(arg, o));
    }
    for (size_t i = given; i < most; ++i) spec.args.push_back(MakeConstant(*p.inputs[i].default_value));
  } else {
    for (const ProcedureField& input : p.inputs) {
      spec.args.push_back(MakeParameter(input.name, c.procedure_location));
      out_->required_parameters.emplace_back(input.name, c.procedure_location);
    }
  }

  // Outputs.
  if (p.outputs.empty() && (c.yield_all || !c.yield_items.empty())) {
    Fail("InvalidYield", p.name + " is a VOID procedure: it returns no columns, so there is nothing to YIELD",
         c.location());
  }
  std::vector<std::pair<std::string, ast::SourceLocation>> binds;  // (variable, where) per yield
  if (c.yield_all || (standalone && !c.has_yield)) {
    for (size_t i = 0; i < p.outputs.size(); ++i) {
      spec.yields.push_back({i, -1, p.outputs[i].name});
      binds.emplace_back(p.outputs[i].name, c.location());
    }
  } else {
    for (const ast::YieldItem& item : c.yield_items) {
      size_t column = p.outputs.size();
      for (size_t i = 0; i < p.outputs.size(); ++i) {
        if (p.outputs[i].name == item.field) column = i;
      }
      if (column == p.outputs.size()) {
        Fail("UndefinedVariable",
             p.name + " has no output named '" + item.field + "'; its outputs are: " + OutputNames(p),
             item.field_location);
      }
      spec.yields.push_back({column, -1, item.variable});
      binds.emplace_back(item.variable, item.variable_location);
    }
  }
  for (size_t i = 0; i < spec.yields.size(); ++i) {
    const std::string& name = binds[i].first;
    if (scope_.Find(name)) {
      Fail("VariableAlreadyBound",
           "'" + name + "' is bound already; yield the column under another name: YIELD " +
               p.outputs[spec.yields[i].column].name + " AS other",
           binds[i].second);
    }
    const int slot = NewSlot();
    spec.yields[i].slot = slot;
    scope_.Add({name, slot, KindOfOutput(p.outputs[spec.yields[i].column].type)});
    if (standalone && columns) columns->push_back(name);
    if (standalone && slots) slots->push_back(slot);
  }

  if (p.mode == ProcedureMode::kWrite) Writes();
  plan_ = logical::ProcedureCall(std::move(spec), std::move(plan_));
  plan_reads_store_ = true;
  if (c.where) {
    if (ContainsAggregate(*c.where)) {
      Fail("InvalidAggregation", "the WHERE of YIELD cannot aggregate", c.where->location());
    }
    plan_ = logical::Filter(BindWhere(*c.where), std::move(plan_));
  }
}

void Compiler::PlanMatch(const ast::MatchClause& c) {
  std::vector<const ast::PatternPart*> parts;
  for (const auto& p : c.pattern) parts.push_back(&p);
  if (!c.optional) {
    PatternResult r = PlanPattern(plan_, parts, c.where.get(), c.valid_time ? &*c.valid_time : nullptr);
    plan_ = std::move(r.plan);
    return;
  }
  PatternResult r =
      PlanPattern(logical::Start(), parts, c.where.get(), c.valid_time ? &*c.valid_time : nullptr);
  plan_ = logical::Optional(std::move(r.plan), std::move(r.new_slots), std::move(plan_));
}

void Compiler::PlanUnwind(const ast::UnwindClause& c) {
  BindOptions o;
  o.context = "UNWIND";
  ExprPtr list = Bind(*c.list, o);
  if (scope_.Find(c.variable)) {
    Fail("VariableAlreadyBound", "'" + c.variable + "' is bound already; UNWIND needs a new variable",
         c.variable_location);
  }
  int slot = NewSlot();
  scope_.Add({c.variable, slot, VarKind::kAny, ElementTypeOf(*c.list)});
  plan_ = logical::Unwind(slot, c.variable, std::move(list), std::move(plan_));
}

void Compiler::PlanProjection(const ast::ProjectionBody& body, const ast::Expr* where, bool is_return,
                              std::vector<std::string>* columns, std::vector<int>* slots) {
  const char* clause = is_return ? "RETURN" : "WITH";
  struct Item {
    std::string name;
    const ast::Expr* expr = nullptr;  // null: a variable carried by '*'
    int carried_slot = -1;
    VarKind kind = VarKind::kAny;
    ast::SourceLocation loc;
    bool aggregating = false;
    StaticType type = StaticType::kUnknown;
  };
  std::vector<Item> items;
  if (body.include_existing) {
    std::vector<Var> vars;
    for (const Var& v : scope_.vars()) {
      if (!IsHidden(v.name)) vars.push_back(v);
    }
    std::sort(vars.begin(), vars.end(), [](const Var& a, const Var& b) { return a.name < b.name; });
    if (vars.empty() && body.items.empty()) {
      Fail("NoVariablesInScope",
           std::string(clause) + " * needs variables to return, and there are none here", {});
    }
    for (const Var& v : vars) items.push_back({v.name, nullptr, v.slot, v.kind, {}, false, v.type});
  }
  for (const auto& it : body.items) {
    Item item;
    item.expr = it.expression.get();
    item.loc = it.expression->location();
    if (it.has_alias()) {
      item.name = it.alias;
    } else if (it.expression->kind() == ast::ExprKind::kVariable) {
      item.name = it.expression->As<ast::VariableExpr>().name;
    } else {
      if (!is_return) {
        Fail("NoExpressionAlias", "WITH needs a name for '" + it.text + "': write " + it.text + " AS name",
             item.loc);
      }
      item.name = it.text;
    }
    item.aggregating = ContainsAggregate(*it.expression);
    item.kind = KindOf(*it.expression);
    item.type = StaticTypeOf(*it.expression);
    items.push_back(std::move(item));
  }
  {
    std::set<std::string> names;
    for (const Item& i : items) {
      if (!names.insert(i.name).second) {
        Fail("ColumnNameConflict",
             "two items of " + std::string(clause) + " are named '" + i.name +
                 "'; give one of them another name with AS",
             i.loc);
      }
    }
  }
  bool aggregate = std::any_of(items.begin(), items.end(), [](const Item& i) { return i.aggregating; });

  Scope before = scope_;
  Scope after;
  std::vector<int> out_slots;
  std::map<std::string, int> subst;  // printed expression or alias -> output slot
  std::vector<AggregateSpec> aggs;
  std::map<std::string, int> key_subst, simple_keys;

  if (!aggregate) {
    std::vector<std::pair<int, ExprPtr>> proj;
    for (const Item& i : items) {
      int slot;
      if (!i.expr) {
        slot = i.carried_slot;
      } else {
        BindOptions o;
        o.context = clause;
        ExprPtr e = Bind(*i.expr, o);
        slot = NewSlot();
        proj.emplace_back(slot, std::move(e));
        subst[ast::ToString(*i.expr)] = slot;
      }
      out_slots.push_back(slot);
      after.Add({i.name, slot, i.kind, i.type});
    }
    if (!proj.empty()) plan_ = logical::Project(std::move(proj), std::move(plan_));
  } else {
    std::vector<std::pair<int, ExprPtr>> keys;
    for (const Item& i : items) {
      if (i.aggregating) continue;
      int slot = NewSlot();
      ExprPtr e = i.expr ? Bind(*i.expr) : MakeSlot(i.carried_slot, i.name, {});
      keys.emplace_back(slot, std::move(e));
      std::string text = i.expr ? ast::ToString(*i.expr) : i.name;
      key_subst[text] = slot;
      // Next to an aggregate, only plain grouping keys may appear: a variable or a property of one.
      bool simple = !i.expr || i.expr->kind() == ast::ExprKind::kVariable ||
                    (i.expr->kind() == ast::ExprKind::kProperty &&
                     i.expr->As<ast::PropertyExpr>().object->kind() == ast::ExprKind::kVariable);
      if (simple) simple_keys[text] = slot;
    }
    std::vector<std::pair<int, ExprPtr>> post;
    std::map<const Item*, int> item_slot;
    for (const Item& i : items) {
      if (!i.aggregating) continue;
      BindOptions o;
      o.aggregates = &aggs;
      o.substitutions = &simple_keys;
      o.check_ambiguous = true;
      o.context = clause;
      ExprPtr e = Bind(*i.expr, o);
      int slot = SlotOf(*e);
      if (slot < 0) {
        slot = NewSlot();
        post.emplace_back(slot, std::move(e));
      }
      item_slot[&i] = slot;
      simple_keys[ast::ToString(*i.expr)] = slot;  // ORDER BY may name a projected aggregate
    }
    plan_ = logical::Aggregate(std::move(keys), std::move(aggs), std::move(plan_));
    if (!post.empty()) plan_ = logical::Project(std::move(post), std::move(plan_));
    for (const Item& i : items) {
      int slot = i.aggregating ? item_slot[&i] : key_subst[i.expr ? ast::ToString(*i.expr) : i.name];
      out_slots.push_back(slot);
      after.Add({i.name, slot, i.kind, i.type});
      if (i.expr) subst[ast::ToString(*i.expr)] = slot;
    }
  }
  for (size_t i = 0; i < items.size(); ++i) {
    subst[items[i].name] = out_slots[i];
    simple_keys[items[i].name] = out_slots[i];
  }

  // WITH ... WHERE, without aggregation, sees the variables before the projection too, and filters
  // before DISTINCT.
  if (where && !aggregate) {
    Scope saved = scope_;
    for (const Var& v : after.vars()) scope_.Add(v);
    ExprPtr w = BindWhere(*where);
    scope_ = std::move(saved);
    plan_ = logical::Filter(std::move(w), std::move(plan_));
    where = nullptr;
  }

  if (body.distinct) plan_ = logical::Distinct(out_slots, std::move(plan_));

  // ORDER BY: projected names first; without DISTINCT or aggregation also the variables before.
  if (!body.order_by.empty()) {
    Scope order_scope = after;
    if (!aggregate && !body.distinct) {
      order_scope = before;
      for (const Var& v : after.vars()) order_scope.Add(v);
    }
    std::vector<SortKey> keys;
    Scope saved = scope_;
    scope_ = order_scope;
    for (const auto& sk : body.order_by) {
      BindOptions o;
      o.substitutions = &subst;
      o.context = "ORDER BY";
      bool agg_expr =
          aggregate && ContainsAggregate(*sk.expression) && !subst.count(ast::ToString(*sk.expression));
      if (agg_expr) {
        // An expression around aggregates: only plain keys and projected aggregates may appear.
        o.substitutions = &simple_keys;
        o.check_ambiguous = true;
      }
      ExprPtr e;
      try {
        e = Bind(*sk.expression, o);
      } catch (const CompileError& err) {
        scope_ = saved;
        if ((aggregate || body.distinct) && err.detail == "UndefinedVariable") {
          Fail("UndefinedVariable",
               err.message + "; after " + (aggregate ? "aggregation" : "DISTINCT") +
                   " ORDER BY can use only what " + clause + " projects",
               err.where);
        }
        if (err.detail == "InvalidAggregation" && aggregate) {
          Fail("AmbiguousAggregationExpression",
               "ORDER BY may use an aggregate only when " + std::string(clause) + " projects it",
               sk.expression->location());
        }
        throw;
      }
      keys.push_back({std::move(e), sk.descending});
    }
    scope_ = saved;
    ExprPtr skip = body.skip ? BindCount(*this, *body.skip, "SKIP") : nullptr;
    ExprPtr limit = body.limit ? BindCount(*this, *body.limit, "LIMIT") : nullptr;
    plan_ = logical::Sort(std::move(keys), skip, limit, std::move(plan_));
  }
  if (body.skip) plan_ = logical::Skip(BindCount(*this, *body.skip, "SKIP"), std::move(plan_));
  if (body.limit)
    plan_ = logical::Limit(BindCount(*this, *body.limit, "LIMIT"), std::move(plan_), out_->writes);

  scope_ = after;
  if (where) {
    plan_ = logical::Filter(BindWhere(*where), std::move(plan_));
  }

  if (is_return) {
    for (const Item& i : items) columns->push_back(i.name);
    *slots = out_slots;
  }
}

// ---------------------------------------------------------------- updating clauses

void Compiler::Writes() {
  out_->writes = true;
  if (plan_reads_store_) {
    plan_ = logical::Eager(std::move(plan_));
    plan_reads_store_ = false;
  }
}

CreateSpec Compiler::BindCreatePattern(const std::vector<const ast::PatternPart*>& parts,
                                       std::map<const void*, int>* slots) {
  CreateSpec spec;
  bool merge = slots != nullptr;
  std::map<std::string, int> declared;  // variables this pattern creates
  auto bind_props = [&](const ast::Expr* e) -> ExprPtr {
    if (!e) return nullptr;
    BindOptions o;
    o.context = merge ? "MERGE" : "CREATE";
    return Bind(*e, o);
  };
  for (const ast::PatternPart* part : parts) {
    std::vector<int> node_slots;
    for (const auto& np : part->nodes) {
      const Var* v = np.variable.empty() ? nullptr : scope_.Find(np.variable);
      auto d = np.variable.empty() ? declared.end() : declared.find(np.variable);
      if (v || d != declared.end()) {
        if (v && v->kind != VarKind::kNode && v->kind != VarKind::kAny) {
          Fail("VariableTypeConflict",
               "'" + np.variable + "' is " + std::string(VarKindName(v->kind)) + ", not a node",
               np.variable_location);
        }
        if (!np.labels.empty() || np.properties) {
          if (part->nodes.size() == 1 || v) {
            Fail("VariableAlreadyBound",
                 "'" + np.variable +
                     "' is bound already, so it cannot be created again with labels or properties",
                 np.variable_location);
          }
        }
        int slot = v ? v->slot : d->second;
        if (v && part->nodes.size() == 1 && !merge) {
          Fail("VariableAlreadyBound",
               "'" + np.variable + "' is bound already; CREATE (" + np.variable + ") would create nothing",
               np.variable_location);
        }
        spec.nodes.push_back({slot, {}, nullptr, true});
        node_slots.push_back(slot);
        continue;
      }
      int slot = NewSlot();
      if (slots) (*slots)[&np] = slot;
      CreateNodeSpec ns;
      ns.slot = slot;
      for (const auto& l : np.labels) ns.label_symbols.push_back(out_->symbols.Label(l));
      ns.properties = bind_props(np.properties.get());
      spec.nodes.push_back(std::move(ns));
      node_slots.push_back(slot);
      if (!np.variable.empty()) {
        declared[np.variable] = slot;
        if (!merge) scope_.Add({np.variable, slot, VarKind::kNode});
      }
    }
    std::vector<int> rel_slots;
    for (size_t i = 0; i < part->relationships.size(); ++i) {
      const auto& rp = part->relationships[i];
      if (!rp.variable.empty() && (scope_.Find(rp.variable) || declared.count(rp.variable))) {
        Fail("VariableAlreadyBound",
             "relationship '" + rp.variable + "' is bound already; CREATE and MERGE make new relationships",
             rp.variable_location);
      }
      if (rp.types.size() != 1) {
        Fail("NoSingleRelationshipType",
             "a relationship to create needs exactly one type, like -[:IMPOSED]->", rp.location);
      }
      if (rp.direction == ast::Direction::kEither && !merge) {
        Fail("RequiresDirectedRelationship",
             "a relationship to create needs a direction: -[...]-> or <-[...]-", rp.location);
      }
      if (rp.length)
        Fail("CreatingVarLength", "CREATE and MERGE cannot make variable-length relationships", rp.location);
      int slot = NewSlot();
      if (slots) (*slots)[&rp] = slot;
      CreateRelSpec rs;
      rs.slot = slot;
      bool left = rp.direction == ast::Direction::kLeft;
      rs.from = left ? node_slots[i + 1] : node_slots[i];
      rs.to = left ? node_slots[i] : node_slots[i + 1];
      rs.type_symbol = out_->symbols.RelType(rp.types[0]);
      rs.properties = bind_props(rp.properties.get());
      spec.rels.push_back(std::move(rs));
      rel_slots.push_back(slot);
      if (!rp.variable.empty()) {
        declared[rp.variable] = slot;
        if (!merge) scope_.Add({rp.variable, slot, VarKind::kRel});
      }
    }
    if (!part->path_variable.empty()) {
      if (scope_.Find(part->path_variable)) {
        Fail("VariableAlreadyBound", "path variable '" + part->path_variable + "' is bound already",
             part->path_variable_location);
      }
      // The path: start node and each relationship in order.
      struct PathOf final : public Expr {
        PathOf(int start, std::vector<int> rels, std::string name)
            : Expr({}), start_(start), rels_(std::move(rels)), name_(std::move(name)) {}
        Value Eval(ExecContext&, Row& row) const override {
          PathValue p;
          NodeId cur = row[static_cast<size_t>(start_)].as_node().id;
          p.nodes.push_back(NodeRef{cur});
          for (int r : rels_) {
            const RelRef& rel = row[static_cast<size_t>(r)].as_rel();
            cur = rel.src == cur ? rel.dst : rel.src;
            p.rels.push_back(rel);
            p.nodes.push_back(NodeRef{cur});
          }
          return Value(std::move(p));
        }
        std::string ToString() const override { return "path(" + name_ + ")"; }
        int start_;
        std::vector<int> rels_;
        std::string name_;
      };
      int slot = NewSlot();
      if (slots) (*slots)[part] = slot;
      spec.paths.emplace_back(slot, std::make_shared<PathOf>(node_slots[0], rel_slots, part->path_variable));
      if (!merge) scope_.Add({part->path_variable, slot, VarKind::kPath});
    }
  }
  return spec;
}

void Compiler::PlanCreate(const ast::CreateClause& c) {
  Writes();
  std::vector<const ast::PatternPart*> parts;
  for (const auto& p : c.pattern) parts.push_back(&p);
  CreateSpec spec = BindCreatePattern(parts, nullptr);
  plan_ = logical::Eager(logical::Create(std::move(spec), std::move(plan_)));
}

void Compiler::PlanMerge(const ast::MergeClause& c) {
  Writes();
  std::map<const void*, int> slots;
  CreateSpec create = BindCreatePattern({&c.pattern}, &slots);
  // MERGE matches its pattern with the values it would create: null cannot be matched or created.
  PatternResult match = PlanPattern(logical::Start(), {&c.pattern}, nullptr, nullptr, &slots);
  if (!c.pattern.path_variable.empty()) {
    // The match binds the path variable itself; keep its slot for the created path too.
    const Var* pv = scope_.Find(c.pattern.path_variable);
    if (pv && !create.paths.empty()) create.paths.back().first = pv->slot;
  }
  std::vector<SetSpec> on_create, on_match;
  for (const auto& s : c.on_create) on_create.push_back(BindSetItem(s));
  for (const auto& s : c.on_match) on_match.push_back(BindSetItem(s));
  plan_ = logical::Eager(logical::Merge(std::move(match.plan), std::move(create), std::move(on_create),
                                        std::move(on_match), std::move(plan_)));
  plan_reads_store_ = false;
}

SetSpec Compiler::BindSetItem(const ast::SetItem& item) {
  SetSpec s;
  s.loc = item.location;
  BindOptions o;
  o.context = "SET";
  auto entity = [&](const std::string& var, ast::SourceLocation loc) {
    const Var* v = scope_.Find(var);
    if (!v) Fail("UndefinedVariable", "variable '" + var + "' is not defined here", loc);
    return MakeSlot(v->slot, var, loc);
  };
  switch (item.kind) {
    case ast::SetItem::Kind::kProperty: {
      const auto& p = item.target->As<ast::PropertyExpr>();
      s.kind = SetSpec::Kind::kProperty;
      s.target = Bind(*p.object, o);
      s.prop_name = p.key;
      s.prop_symbol = out_->symbols.PropKey(p.key);
      s.value = Bind(*item.value, o);
      break;
    }
    case ast::SetItem::Kind::kReplaceProperties:
      s.kind = SetSpec::Kind::kReplace;
      s.target = entity(item.variable, item.variable_location);
      s.value = Bind(*item.value, o);
      break;
    case ast::SetItem::Kind::kMergeProperties:
      s.kind = SetSpec::Kind::kMerge;
      s.target = entity(item.variable, item.variable_location);
      s.value = Bind(*item.value, o);
      break;
    case ast::SetItem::Kind::kLabels:
      s.kind = SetSpec::Kind::kLabels;
      s.target = entity(item.variable, item.variable_location);
      for (const auto& l : item.labels) s.label_symbols.push_back(out_->symbols.Label(l));
      break;
  }
  return s;
}

void Compiler::PlanSet(const ast::SetClause& c) {
  Writes();
  std::vector<SetSpec> items;
  for (const auto& i : c.items) items.push_back(BindSetItem(i));
  plan_ = logical::Eager(logical::Set(std::move(items), std::move(plan_)));
}

void Compiler::PlanRemove(const ast::RemoveClause& c) {
  Writes();
  std::vector<SetSpec> items;
  for (const auto& i : c.items) {
    SetSpec s;
    s.loc = i.location;
    if (i.kind == ast::RemoveItem::Kind::kProperty) {
      const auto& p = i.target->As<ast::PropertyExpr>();
      s.kind = SetSpec::Kind::kRemoveProperty;
      s.target = Bind(*p.object);
      s.prop_name = p.key;
      s.prop_symbol = out_->symbols.PropKey(p.key);
    } else {
      s.kind = SetSpec::Kind::kRemoveLabels;
      const Var* v = scope_.Find(i.variable);
      if (!v)
        Fail("UndefinedVariable", "variable '" + i.variable + "' is not defined here", i.variable_location);
      s.target = MakeSlot(v->slot, i.variable, i.variable_location);
      for (const auto& l : i.labels) s.label_symbols.push_back(out_->symbols.Label(l));
    }
    items.push_back(std::move(s));
  }
  plan_ = logical::Eager(logical::Set(std::move(items), std::move(plan_)));
}

void Compiler::PlanDelete(const ast::DeleteClause& c) {
  Writes();
  std::vector<ExprPtr> targets;
  for (const auto& e : c.expressions) {
    BindOptions o;
    o.context = "DELETE";
    VarKind k = KindOf(*e);
    if (k == VarKind::kValue) {
      Fail("InvalidArgumentType",
           "DELETE removes nodes, relationships and paths, not '" + ast::ToString(*e) + "'", e->location());
    }
    targets.push_back(Bind(*e, o));
  }
  plan_ = logical::Eager(logical::Delete(std::move(targets), c.detach, std::move(plan_)));
}

}  // namespace lodestone::query
