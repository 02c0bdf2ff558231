// Planning patterns: which scan or index starts each connected part, in which order relationships
// are expanded, and where each predicate is checked (as early as its variables are bound).
#include <algorithm>
#include <set>

#include "query/limits.h"
#include "query/optimizer/optimizer.h"
#include "query/planner/compiler_impl.h"

namespace lodestone::query {
namespace {

struct QNode {
  std::string name;
  int slot;
  bool bound;  // bound before this pattern (an earlier clause, or the outer row of a subquery)
  std::vector<std::string> labels;
  ast::SourceLocation loc;
};

struct QRel {
  std::string name;
  int slot;        // the slot the expansion writes (hidden when the variable was bound earlier)
  int bound_slot;  // the earlier binding to compare with, or -1
  size_t a, b;     // QNode indexes, in written order
  ast::Direction dir;
  std::vector<std::string> types;
  bool var_length = false;
  int64_t min_hops = 1, max_hops = 1;
  bool anonymous = true;
  bool done = false;
  const ast::PatternPart* part = nullptr;  // for shortest paths
  bool shortest = false;
  ast::SourceLocation loc;
};

struct Pred {
  ExprPtr expr;
  std::vector<int> slots;
  bool used = false;
};

Dir ToDir(ast::Direction d, bool reversed) {
  switch (d) {
    case ast::Direction::kRight:
      return reversed ? Dir::kIn : Dir::kOut;
    case ast::Direction::kLeft:
      return reversed ? Dir::kOut : Dir::kIn;
    case ast::Direction::kEither:
      return Dir::kBoth;
  }
  return Dir::kBoth;
}

bool IsAnonymous(const std::string& name) { return name.rfind("  anon_", 0) == 0; }

bool Subset(const std::vector<int>& slots, const std::set<int>& available) {
  return std::all_of(slots.begin(), slots.end(), [&](int s) { return available.count(s) > 0; });
}

std::vector<int> SlotsOf(const Expr& e) {
  std::vector<int> out;
  e.CollectSlots(&out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Builds a path value from a start node and relationships (single or lists) in order.
class PathBuildExpr final : public Expr {
 public:
  struct Step {
    int slot;
    bool list;
  };
  PathBuildExpr(int start, std::vector<Step> steps, std::string name, ast::SourceLocation loc)
      : Expr(loc), start_(start), steps_(std::move(steps)), name_(std::move(name)) {}
  Value Eval(ExecContext&, Row& row) const override {
    const Value& s = row[static_cast<size_t>(start_)];
    if (!s.is_node()) return Value();
    PathValue p;
    p.nodes.push_back(s.as_node());
    NodeId cur = s.as_node().id;
    auto add = [&](const RelRef& r) {
      NodeId next = r.src == cur ? r.dst : r.src;
      p.rels.push_back(r);
      p.nodes.push_back(NodeRef{next});
      cur = next;
    };
    for (const Step& st : steps_) {
      const Value& v = row[static_cast<size_t>(st.slot)];
      if (v.is_null()) return Value();
      if (st.list) {
        for (const Value& r : v.as_list()) add(r.as_rel());
      } else {
        add(v.as_rel());
      }
    }
    return Value(std::move(p));
  }
  std::string ToString() const override { return "path(" + name_ + ")"; }
  void CollectSlots(std::vector<int>* out) const override {
    out->push_back(start_);
    for (const Step& s : steps_) out->push_back(s.slot);
  }

 private:
  int start_;
  std::vector<Step> steps_;
  std::string name_;
};

}  // namespace

Compiler::PatternResult Compiler::PlanPattern(LogicalPtr input,
                                              const std::vector<const ast::PatternPart*>& parts,
                                              const ast::Expr* where, const ast::ValidTime* valid_time,
                                              const std::map<const void*, int>* preassigned) {
  auto declare = [&](const std::string& name, VarKind kind, ast::SourceLocation loc, const void* ast_node,
                     bool* existed) {
    if (preassigned) {
      auto it = preassigned->find(ast_node);
      if (it != preassigned->end() && !scope_.Find(name)) {
        *existed = false;
        Var v{name, it->second, kind};
        scope_.Add(v);
        return v;
      }
    }
    return DeclarePatternVar(name, kind, loc, existed);
  };
  std::set<int> available;
  for (const Var& v : scope_.vars()) available.insert(v.slot);
  std::vector<QNode> nodes;
  std::vector<QRel> rels;
  std::vector<Pred> preds;
  std::vector<int> new_slots;
  std::set<std::string> rel_names_here;

  auto add_pred = [&](ExprPtr e) {
    for (auto& c : SplitConjuncts(e)) {
      Pred p;
      p.slots = SlotsOf(*c);
      p.expr = std::move(c);
      preds.push_back(std::move(p));
    }
  };
  auto node_index = [&](const ast::NodePattern& np) -> size_t {
    std::string name = np.variable.empty() ? AnonName() : np.variable;
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (nodes[i].name == name) {
        for (const auto& l : np.labels) nodes[i].labels.push_back(l);
        return i;
      }
    }
    bool existed;
    Var v = declare(name, VarKind::kNode, np.variable.empty() ? np.location : np.variable_location, &np,
                    &existed);
    if (!existed) new_slots.push_back(v.slot);
    nodes.push_back({name, v.slot, existed, np.labels, np.location});
    return nodes.size() - 1;
  };

  // 1. Variables.
  struct PathVar {
    const ast::PatternPart* part;
    int slot;
    size_t first_node;
    std::vector<size_t> rel_indexes;
  };
  std::vector<PathVar> paths;
  std::vector<std::pair<size_t, const ast::NodePattern*>> node_maps;
  std::vector<std::pair<size_t, const ast::RelationshipPattern*>> rel_maps;
  for (const ast::PatternPart* part : parts) {
    PathVar pv{part, -1, 0, {}};
    std::vector<size_t> idx;
    for (const auto& np : part->nodes) {
      idx.push_back(node_index(np));
      if (np.properties) node_maps.emplace_back(idx.back(), &np);
    }
    pv.first_node = idx[0];
    bool shortest = part->path_function != ast::PathFunction::kNone;
    if (shortest && part->relationships.size() != 1) {
      Fail("InvalidRelationshipPattern",
           "shortestPath() needs a pattern of exactly one relationship, like (a)-[*]-(b)", part->location);
    }
    for (size_t i = 0; i < part->relationships.size(); ++i) {
      const auto& rp = part->relationships[i];
      QRel r;
      r.anonymous = rp.variable.empty();
      r.name = r.anonymous ? AnonName() : rp.variable;
      r.a = idx[i];
      r.b = idx[i + 1];
      r.dir = rp.direction;
      r.types = rp.types;
      r.loc = rp.location;
      r.var_length = rp.length.has_value() || shortest;
      r.shortest = shortest;
      r.part = part;
      if (r.var_length) {
        r.min_hops = rp.length && rp.length->min ? *rp.length->min : 1;
        r.max_hops = rp.length && rp.length->max ? *rp.length->max : kMaxTraversalHops;
        if (r.max_hops > kMaxTraversalHops) {
          Fail("InvalidRelationshipPattern",
               "a variable-length relationship may span at most " + std::to_string(kMaxTraversalHops) +
                   " hops, not " + std::to_string(r.max_hops),
               rp.location);
        }
      }
      if (!r.anonymous) {
        if (rel_names_here.count(r.name)) {
          Fail("RelationshipUniquenessViolation",
               "relationship variable '" + r.name +
                   "' is used twice in one pattern; a relationship is matched at most once",
               rp.variable_location);
        }
        rel_names_here.insert(r.name);
      }
      VarKind kind = r.var_length ? VarKind::kRelList : VarKind::kRel;
      const Var* earlier = r.anonymous ? nullptr : scope_.Find(r.name);
      if (earlier) {
        if (earlier->kind != kind && earlier->kind != VarKind::kAny) {
          Fail("VariableTypeConflict",
               "'" + r.name + "' is " + std::string(VarKindName(earlier->kind)) +
                   " already and cannot also be " + std::string(VarKindName(kind)),
               rp.variable_location);
        }
        if (r.var_length) {
          Fail("VariableAlreadyBound", "variable-length relationship '" + r.name + "' is bound already",
               rp.variable_location);
        }
        r.bound_slot = earlier->slot;
        r.slot = NewSlot();
      } else {
        bool existed;
        Var v = declare(r.name, kind, r.anonymous ? rp.location : rp.variable_location, &rp, &existed);
        r.slot = v.slot;
        r.bound_slot = -1;
        new_slots.push_back(v.slot);
      }
      if (rp.properties) rel_maps.emplace_back(rels.size(), &rp);
      pv.rel_indexes.push_back(rels.size());
      rels.push_back(std::move(r));
    }
    if (!part->path_variable.empty()) {
      if (scope_.Find(part->path_variable)) {
        Fail("VariableAlreadyBound", "path variable '" + part->path_variable + "' is bound already",
             part->path_variable_location);
      }
      bool existed;
      Var v = DeclarePatternVar(part->path_variable, VarKind::kPath, part->path_variable_location, &existed);
      pv.slot = v.slot;
      new_slots.push_back(v.slot);
    }
    paths.push_back(std::move(pv));
  }

  // 2. Predicates: property maps, labels, WHERE.
  for (const auto& [ni, np] : node_maps) {
    if (np->properties->kind() != ast::ExprKind::kMap) {
      Fail("InvalidParameterUse",
           "a parameter cannot stand for the properties of a pattern here; write {key: $value}",
           np->properties->location());
    }
    for (const auto& en : np->properties->As<ast::MapExpr>().entries) {
      std::vector<ExprPtr> ops;
      ops.push_back(MakeProperty(MakeSlot(nodes[ni].slot, nodes[ni].name, en.key_location),
                                 out_->symbols.PropKey(en.key), en.key, en.key_location));
      ops.push_back(Bind(*en.value));
      add_pred(MakeComparison(std::move(ops), {CmpKind::kEq}, en.key_location));
    }
  }
  for (const auto& [ri, rp] : rel_maps) {
    if (rp->properties->kind() != ast::ExprKind::kMap) {
      Fail("InvalidParameterUse",
           "a parameter cannot stand for the properties of a pattern here; write {key: $value}",
           rp->properties->location());
    }
    const QRel& r = rels[ri];
    for (const auto& en : rp->properties->As<ast::MapExpr>().entries) {
      if (r.var_length) {
        int it = NewSlot();
        std::vector<ExprPtr> ops;
        ops.push_back(MakeProperty(MakeSlot(it, "  r", en.key_location), out_->symbols.PropKey(en.key),
                                   en.key, en.key_location));
        ops.push_back(Bind(*en.value));
        add_pred(MakeQuantifier(QuantKind::kAll, it, "  r", MakeSlot(r.slot, r.name, en.key_location),
                                MakeComparison(std::move(ops), {CmpKind::kEq}, en.key_location),
                                en.key_location));
      } else {
        std::vector<ExprPtr> ops;
        ops.push_back(MakeProperty(MakeSlot(r.slot, r.name, en.key_location), out_->symbols.PropKey(en.key),
                                   en.key, en.key_location));
        ops.push_back(Bind(*en.value));
        add_pred(MakeComparison(std::move(ops), {CmpKind::kEq}, en.key_location));
      }
    }
  }
  for (QRel& r : rels) {
    if (r.bound_slot >= 0) {
      std::vector<ExprPtr> ops;
      ops.push_back(MakeSlot(r.slot, r.name, r.loc));
      ops.push_back(MakeSlot(r.bound_slot, r.name, r.loc));
      add_pred(MakeComparison(std::move(ops), {CmpKind::kEq}, r.loc));
    }
  }
  // Labels: one predicate per node and label, so a scan by that label can drop it.
  struct LabelPred {
    size_t node;
    std::string label;
    size_t pred;
  };
  std::vector<LabelPred> label_preds;
  for (size_t i = 0; i < nodes.size(); ++i) {
    std::sort(nodes[i].labels.begin(), nodes[i].labels.end());
    nodes[i].labels.erase(std::unique(nodes[i].labels.begin(), nodes[i].labels.end()), nodes[i].labels.end());
    for (const auto& l : nodes[i].labels) {
      add_pred(MakeHasLabels(MakeSlot(nodes[i].slot, nodes[i].name, nodes[i].loc), {out_->symbols.Label(l)},
                             {l}, nodes[i].loc));
      label_preds.push_back({i, l, preds.size() - 1});
    }
  }
  if (where) {
    add_pred(BindWhere(*where));
  }
  // Valid time. VALID AT is pushed into scans and expansions; VALID DURING is checked as a filter.
  auto bind_valid = [&](const ast::Expr* e) { return Bind(*e); };
  if (valid_time && valid_time->kind == ast::ValidTime::Kind::kDuring) {
    for (const QNode& n : nodes) {
      add_pred(MakeValidDuring(n.slot, n.name, bind_valid(valid_time->from.get()),
                               bind_valid(valid_time->to.get()), valid_time->location));
    }
    for (const QRel& r : rels) {
      add_pred(MakeValidDuring(r.slot, r.name, bind_valid(valid_time->from.get()),
                               bind_valid(valid_time->to.get()), valid_time->location));
    }
  }
  bool valid_at = valid_time && valid_time->kind == ast::ValidTime::Kind::kAt;

  // 3. Greedy planning.
  LogicalPtr plan = std::move(input);
  std::vector<bool> node_bound(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) node_bound[i] = nodes[i].bound;
  std::vector<int> rel_slots_bound;  // relationship slots bound in this pattern, for uniqueness

  auto apply_filters = [&]() {
    for (Pred& p : preds) {
      if (!p.used && Subset(p.slots, available)) {
        p.used = true;
        plan = logical::Filter(p.expr, std::move(plan));
      }
    }
  };
  auto valid_at_expr = [&]() -> ExprPtr { return valid_at ? Bind(*valid_time->at) : nullptr; };
  // Nodes bound before this pattern must be valid too.
  if (valid_at) {
    for (const QNode& n : nodes) {
      if (n.bound) add_pred(MakeValidAt(n.slot, n.name, valid_at_expr(), valid_time->location));
    }
  }
  apply_filters();

  auto index_kind = [&](const std::string& label, uint32_t prop_symbol) -> std::optional<Value::Kind> {
    if (!catalog_.names) return std::nullopt;
    auto l = catalog_.names->FindLabel(label);
    auto k = catalog_.names->FindPropKey(out_->symbols.prop_keys[prop_symbol]);
    if (!l || !k) return std::nullopt;
    auto spec = catalog_.names->FindIndex(*l, *k);
    if (!spec) return std::nullopt;
    return spec->kind;
  };

  // Comparisons of node i's properties with expressions bound already: the material for seeks.
  struct Cmp {
    size_t pred;
    CmpKind op;  // as seen from the property: n.p op other
    uint32_t prop;
    ExprPtr other;
  };
  auto comparisons = [&](size_t i) {
    std::vector<Cmp> cmps;
    for (size_t pi = 0; pi < preds.size(); ++pi) {
      if (preds[pi].used) continue;
      auto sc = AsSimpleComparison(*preds[pi].expr);
      if (!sc || sc->op == CmpKind::kNe) continue;
      CmpKind op = sc->op;
      ExprPtr other;
      uint32_t prop = 0;
      if (auto lp = SlotProperty(*sc->left); lp && lp->first == nodes[i].slot) {
        other = sc->right;
        prop = lp->second;
      } else if (auto rp = SlotProperty(*sc->right); rp && rp->first == nodes[i].slot) {
        other = sc->left;
        prop = rp->second;
        op = op == CmpKind::kLt   ? CmpKind::kGt
             : op == CmpKind::kGt ? CmpKind::kLt
             : op == CmpKind::kLe ? CmpKind::kGe
             : op == CmpKind::kGe ? CmpKind::kLe
                                  : op;
      } else {
        continue;
      }
      if (!Subset(SlotsOf(*other), available)) continue;
      cmps.push_back({pi, op, prop, other});
    }
    return cmps;
  };

  struct ScanChoice {
    int rank = 5;
    ScanSpec spec;
    std::vector<Cmp> used;  // comparisons that become the scan's bounds
    bool exact = false;     // the scan alone decides those comparisons
    std::string label, prop;
  };
  auto choose_scan = [&](size_t i) {
    ScanChoice c;
    const QNode& n = nodes[i];
    std::vector<Cmp> cmps = comparisons(i);
    for (const Cmp& x : cmps) {
      if (x.op == CmpKind::kEq && out_->symbols.prop_keys[x.prop] == kKeyProperty) {
        c.rank = 0;
        c.spec.kind = ScanSpec::Kind::kKey;
        c.used = {x};
        c.exact = true;
        c.prop = "key";
        if (!n.labels.empty()) {
          c.spec.has_label = true;
          c.spec.label_symbol = out_->symbols.Label(n.labels[0]);
          c.label = n.labels[0];
        }
        return c;
      }
    }
    for (int want_eq = 1; want_eq >= 0; --want_eq) {
      for (const auto& label : n.labels) {
        for (const Cmp& x : cmps) {
          bool eq = x.op == CmpKind::kEq;
          if (eq != (want_eq == 1)) continue;
          auto kind = index_kind(label, x.prop);
          if (!kind) continue;
          c.rank = eq ? 1 : 2;
          c.spec.kind = ScanSpec::Kind::kIndexSeek;
          c.spec.has_label = true;
          c.spec.label_symbol = out_->symbols.Label(label);
          c.spec.prop_symbol = x.prop;
          c.label = label;
          c.prop = out_->symbols.prop_keys[x.prop];
          // A date's index entry is its period, and a date-time's its instant: equal date-times also
          // need the same offset and zone, so the filter decides those.
          c.exact = *kind != Value::Kind::kDate && !(eq && *kind == Value::Kind::kDateTime);
          c.used = {x};
          if (!eq) {
            for (const Cmp& y : cmps) {
              if (y.prop == x.prop && y.op != CmpKind::kEq && y.pred != x.pred) c.used.push_back(y);
            }
          }
          return c;
        }
      }
    }
    for (const Cmp& x : cmps) {
      if (out_->symbols.prop_keys[x.prop] == "date" && x.op != CmpKind::kEq) {
        c.rank = 3;
        c.spec.kind = ScanSpec::Kind::kTime;
        c.spec.prop_symbol = x.prop;
        // The index holds each node's date: the scan decides the comparisons itself (ScanSpec).
        c.exact = true;
        for (const Cmp& y : cmps) {
          if (y.prop == x.prop && y.op != CmpKind::kEq) c.used.push_back(y);
        }
        c.prop = "date";
        if (!n.labels.empty()) {
          c.spec.has_label = true;
          c.spec.label_symbol = out_->symbols.Label(n.labels[0]);
          c.label = n.labels[0];
        }
        return c;
      }
    }
    if (!n.labels.empty()) {
      std::string pick = n.labels[0];
      if (catalog_.label_count && catalog_.names) {
        uint64_t fewest = UINT64_MAX;
        for (const auto& l : n.labels) {
          auto id = catalog_.names->FindLabel(l);
          uint64_t cnt = id ? catalog_.label_count(*id) : 0;
          if (cnt < fewest) {
            fewest = cnt;
            pick = l;
          }
        }
      }
      c.rank = 4;
      c.spec.kind = ScanSpec::Kind::kLabel;
      c.spec.has_label = true;
      c.spec.label_symbol = out_->symbols.Label(pick);
      c.label = pick;
    }
    return c;
  };

  auto plan_scan = [&](size_t i, ScanChoice c) {
    QNode& n = nodes[i];
    for (const Cmp& x : c.used) {
      switch (c.spec.kind) {
        case ScanSpec::Kind::kKey:
          c.spec.key = x.other;
          break;
        default:
          if (x.op == CmpKind::kEq) {
            c.spec.lower = c.spec.upper = x.other;
            c.spec.lower_inclusive = c.spec.upper_inclusive = true;
          } else if (x.op == CmpKind::kGt || x.op == CmpKind::kGe) {
            if (c.spec.lower) continue;  // a second lower bound stays a filter
            c.spec.lower = x.other;
            c.spec.lower_inclusive = x.op == CmpKind::kGe;
          } else {
            if (c.spec.upper) continue;
            c.spec.upper = x.other;
            c.spec.upper_inclusive = x.op == CmpKind::kLe;
          }
      }
      if (c.exact) preds[x.pred].used = true;
    }
    // A scan by label makes that label's test redundant.
    if (c.spec.kind == ScanSpec::Kind::kLabel || c.spec.kind == ScanSpec::Kind::kIndexSeek ||
        ((c.spec.kind == ScanSpec::Kind::kKey || c.spec.kind == ScanSpec::Kind::kTime) && c.spec.has_label)) {
      for (const auto& lp : label_preds) {
        if (lp.node == i && lp.label == c.label) preds[lp.pred].used = true;
      }
    }
    if (valid_at) c.spec.valid_at = valid_at_expr();
    std::string label = c.label, prop = c.prop;
    plan = logical::NodeScan(n.slot, n.name, std::move(c.spec), std::move(label), std::move(prop),
                             std::move(plan));
    node_bound[i] = true;
    available.insert(n.slot);
    plan_reads_store_ = true;
  };

  auto types_of = [&](const QRel& r) {
    std::vector<uint32_t> syms;
    for (const auto& t : r.types) {
      uint32_t s = out_->symbols.RelType(t);
      if (std::find(syms.begin(), syms.end(), s) == syms.end()) syms.push_back(s);
    }
    return syms;
  };

  auto plan_expand = [&](size_t ri) {
    QRel& r = rels[ri];
    bool a_bound = node_bound[r.a], b_bound = node_bound[r.b];
    bool reversed = !a_bound;
    size_t from = reversed ? r.b : r.a, to = reversed ? r.a : r.b;
    ExpandSpec spec;
    spec.from = nodes[from].slot;
    spec.to = nodes[to].slot;
    spec.rel = r.slot;
    spec.into = a_bound && b_bound;
    spec.dir = ToDir(r.dir, reversed);
    spec.type_symbols = types_of(r);
    spec.distinct_from = rel_slots_bound;
    spec.var_length = r.var_length;
    spec.reverse_list = reversed;
    spec.min_hops = r.min_hops;
    spec.max_hops = r.max_hops;
    spec.description = "(" + (IsAnonymous(nodes[from].name) ? "" : nodes[from].name) + ")" +
                       DescribeArrow(spec.dir, r.types) + "(" +
                       (IsAnonymous(nodes[to].name) ? "" : nodes[to].name) + ")";
    if (valid_at) spec.valid_at = valid_at_expr();
    plan = logical::Expand(std::move(spec), std::move(plan));
    r.done = true;
    rel_slots_bound.push_back(r.slot);
    available.insert(r.slot);
    if (!node_bound[to]) {
      node_bound[to] = true;
      available.insert(nodes[to].slot);
      if (valid_at)
        add_pred(MakeValidAt(nodes[to].slot, nodes[to].name, valid_at_expr(), valid_time->location));
    }
    plan_reads_store_ = true;
  };

  auto plan_shortest = [&](size_t ri) {
    QRel& r = rels[ri];
    ShortestPathSpec spec;
    spec.from = nodes[r.a].slot;
    spec.to = nodes[r.b].slot;
    spec.dir = ToDir(r.dir, false);
    spec.type_symbols = types_of(r);
    spec.min_hops = r.min_hops;
    spec.max_hops = r.max_hops;
    spec.all = r.part->path_function == ast::PathFunction::kAllShortestPaths;
    spec.rels = r.slot;
    for (const PathVar& pv : paths) {
      if (pv.part == r.part) spec.path = pv.slot;
    }
    spec.description =
        "(" + nodes[r.a].name + ")" + DescribeArrow(spec.dir, r.types) + "(" + nodes[r.b].name + ")";
    if (spec.min_hops > 1) {
      Fail("InvalidRelationshipPattern", "shortestPath() takes a minimum length of 0 or 1", r.loc);
    }
    plan = logical::ShortestPath(std::move(spec), std::move(plan));
    r.done = true;
    available.insert(r.slot);
    for (const PathVar& pv : paths) {
      if (pv.part == r.part && pv.slot >= 0) available.insert(pv.slot);
    }
    plan_reads_store_ = true;
  };

  for (;;) {
    apply_filters();
    // Expand from what is bound: relationships with both ends bound first, then one end.
    std::optional<size_t> pick;
    for (int want_both = 1; want_both >= 0 && !pick; --want_both) {
      for (size_t ri = 0; ri < rels.size(); ++ri) {
        const QRel& r = rels[ri];
        if (r.done || r.shortest) continue;
        bool a = node_bound[r.a], b = node_bound[r.b];
        if (want_both ? (a && b) : (a || b)) {
          pick = ri;
          break;
        }
      }
    }
    if (pick) {
      plan_expand(*pick);
      continue;
    }
    for (size_t ri = 0; ri < rels.size() && !pick; ++ri) {
      if (!rels[ri].done && rels[ri].shortest && node_bound[rels[ri].a] && node_bound[rels[ri].b]) pick = ri;
    }
    if (pick) {
      plan_shortest(*pick);
      continue;
    }
    // Start a new part: the unbound node with the best scan.
    std::optional<size_t> best;
    ScanChoice best_choice;
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (node_bound[i]) continue;
      ScanChoice c = choose_scan(i);
      if (!best || c.rank < best_choice.rank) {
        best = i;
        best_choice = std::move(c);
      }
    }
    if (!best) break;
    plan_scan(*best, std::move(best_choice));
  }
  // Named paths.
  std::vector<std::pair<int, ExprPtr>> path_items;
  for (const PathVar& pv : paths) {
    if (pv.slot < 0 || pv.part->path_function != ast::PathFunction::kNone) continue;
    std::vector<PathBuildExpr::Step> steps;
    for (size_t ri : pv.rel_indexes) steps.push_back({rels[ri].slot, rels[ri].var_length});
    path_items.emplace_back(pv.slot,
                            std::make_shared<PathBuildExpr>(nodes[pv.first_node].slot, std::move(steps),
                                                            pv.part->path_variable, pv.part->location));
    available.insert(pv.slot);
  }
  if (!path_items.empty()) plan = logical::Project(std::move(path_items), std::move(plan));
  apply_filters();
  for (Pred& p : preds) {
    if (!p.used) {
      // Every variable is bound by now; a predicate left over reads something out of scope.
      p.used = true;
      plan = logical::Filter(p.expr, std::move(plan));
    }
  }
  PatternResult result;
  result.plan = std::move(plan);
  result.new_slots = std::move(new_slots);
  return result;
}

PlanPtr Compiler::PlanSubPattern(const std::vector<const ast::PatternPart*>& parts, const ast::Expr* where) {
  bool saved_reads = plan_reads_store_;
  PatternResult r = PlanPattern(logical::Start(), parts, where, nullptr);
  plan_reads_store_ = saved_reads;
  optimizer::OptimizerContext octx{&out_->symbols, catalog_.dated_property};
  return MapToPhysical(*optimizer::Optimize(std::move(r.plan), octx));
}

PlanPtr Compiler::PlanSubQuery(const ast::Query& q) {
  const Scope saved_scope = scope_;
  LogicalPtr saved_plan = plan_;
  const bool saved_reads = plan_reads_store_;
  std::vector<LogicalPtr> parts;
  for (const ast::SingleQuery& part : q.parts) {
    scope_ = saved_scope;
    std::vector<std::string> columns;
    std::vector<int> slots;
    PlanSingleQuery(part, &columns, &slots);
    parts.push_back(plan_);
  }
  // Whether (or how often) the inside finds rows is all that matters, so the parts of a UNION ALL
  // simply follow one another; a UNION (distinct) would need the columns compared.
  LogicalPtr plan = parts[0];
  if (parts.size() > 1) {
    if (!q.union_all) {
      Fail("UnsupportedFeature", "UNION inside EXISTS { } or COUNT { } is not supported; use UNION ALL",
           q.parts[1].location, QueryError::Kind::kSemanticError);
    }
    std::vector<std::vector<int>> from(parts.size());
    plan = logical::Union(std::move(parts), std::move(from), {}, false);
  }
  scope_ = saved_scope;
  plan_ = std::move(saved_plan);
  plan_reads_store_ = saved_reads;
  optimizer::OptimizerContext octx{&out_->symbols, catalog_.dated_property};
  return MapToPhysical(*optimizer::Optimize(std::move(plan), octx));
}

}  // namespace lodestone::query
