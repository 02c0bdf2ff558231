// Read operators: scans, traversals, relational operators.
#include <algorithm>
#include <cmath>
#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "query/exec/plan.h"
#include "query/limits.h"

namespace lodestone::query {

// ---------------------------------------------------------------- plan nodes, explain, profile

namespace {

class ProfiledOp final : public Operator {
 public:
  ProfiledOp(std::unique_ptr<Operator> inner, ProfileCounters* counters)
      : inner_(std::move(inner)), c_(counters) {}
  void Open(ExecContext& ctx, Row& row) override {
    auto t0 = std::chrono::steady_clock::now();
    inner_->Open(ctx, row);
    c_->time += std::chrono::steady_clock::now() - t0;
  }
  bool Next(ExecContext& ctx, Row& row) override {
    auto t0 = std::chrono::steady_clock::now();
    bool more = inner_->Next(ctx, row);
    c_->time += std::chrono::steady_clock::now() - t0;
    if (more) ++c_->rows;
    return more;
  }

 private:
  std::unique_ptr<Operator> inner_;
  ProfileCounters* c_;
};

}  // namespace

std::unique_ptr<Operator> PlanNode::Instantiate(std::vector<ProfileCounters>* profile) const {
  auto op = Make(profile);
  if (profile && index >= 0 && static_cast<size_t>(index) < profile->size()) {
    return std::make_unique<ProfiledOp>(std::move(op), &(*profile)[static_cast<size_t>(index)]);
  }
  return op;
}

int PlanNode::Number(int first) {
  index = first++;
  for (auto& c : children) first = c->Number(first);
  return first;
}

std::string PlanNode::Explain(const std::vector<ProfileCounters>* profile) const {
  std::string out;
  std::function<void(const PlanNode&, int)> walk = [&](const PlanNode& n, int depth) {
    out += std::string(static_cast<size_t>(depth) * 2, ' ') + "+ " + n.Describe();
    if (profile && n.index >= 0 && static_cast<size_t>(n.index) < profile->size()) {
      const auto& c = (*profile)[static_cast<size_t>(n.index)];
      char buf[96];
      std::snprintf(buf, sizeof buf, "  [rows=%llu, time=%.3f ms]", static_cast<unsigned long long>(c.rows),
                    std::chrono::duration<double, std::milli>(c.time).count());
      out += buf;
    }
    out += "\n";
    for (const auto& c : n.children) walk(*c, depth + 1);
  };
  walk(*this, 0);
  return out;
}

namespace {

std::string DirArrow(Dir d, const std::string& types) {
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

int64_t CountArg(ExecContext& ctx, const Expr& e, const char* what) {
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

// ---------------------------------------------------------------- Start

class StartOp final : public Operator {
 public:
  void Open(ExecContext&, Row&) override { done_ = false; }
  bool Next(ExecContext&, Row&) override {
    if (done_) return false;
    done_ = true;
    return true;
  }

 private:
  bool done_ = false;
};

class StartNode final : public PlanNode {
 public:
  std::string Describe() const override { return "Start"; }

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>*) const override {
    return std::make_unique<StartOp>();
  }
};

// ---------------------------------------------------------------- date windows

// The bound, in start days, of the dates a comparison with `d` can be true for (value_ops.h: a date
// compares as the interval it denotes, and equals itself):
//   x >= d  needs x's first day >= d's last day, or x == d: start >= d.start
//   x >  d  needs x's first day >  d's last day:             start >= d.end
//   x <  d  needs x's last day  <  d's first day:            start <  d.start
//   x <= d  needs x's last day  <= d's first day, or x == d: start <  d.start + 1
// For a lower bound the result is inclusive; for an upper bound, exclusive.
int32_t DateWindowBound(Date d, bool lower, bool inclusive) {
  if (lower) return inclusive ? d.start_day() : d.end_day();
  return inclusive ? d.start_day() + 1 : d.start_day();
}

// The window of start days for a time-index scan; nullopt when a bound is null (nothing compares true).
std::optional<DateRange> EvalDateWindow(ExecContext& ctx, Row& row, const Expr* lower, bool lower_inclusive,
                                        const Expr* upper, bool upper_inclusive) {
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

// ---------------------------------------------------------------- NodeScan

class NodeScanNode;

class NodeScanOp final : public Operator {
 public:
  NodeScanOp(const NodeScanNode* node, std::unique_ptr<Operator> input)
      : node_(node), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override {
    input_->Open(ctx, row);
    cursor_.reset();
    single_.reset();
  }
  bool Next(ExecContext& ctx, Row& row) override;

 private:
  bool Start(ExecContext& ctx, Row& row);
  bool Accept(ExecContext& ctx, NodeId id, const Validity* validity, const std::vector<LabelId>* labels);

  const NodeScanNode* node_;
  std::unique_ptr<Operator> input_;
  std::unique_ptr<NodeCursor> cursor_;
  std::unique_ptr<DatedCursor> dated_;
  std::optional<NodeId> single_;
  std::optional<LabelId> label_;
  std::optional<Date> valid_at_;
  std::optional<PropKeyId> date_key_;  // time scans: the date property they know the value of
  std::optional<Date> lower_, upper_;  // time scans: what each date is compared with
};

class NodeScanNode final : public PlanNode {
 public:
  NodeScanNode(int sl, std::string v, ScanSpec sp, std::string label, std::string prop)
      : slot(sl),
        var(std::move(v)),
        spec(std::move(sp)),
        label_name(std::move(label)),
        prop_name(std::move(prop)) {}
  std::string Describe() const override {
    std::string s;
    // The bounds as an interval: [a, b), (a, +inf) and so on.
    const std::string bounds =
        (spec.lower ? (spec.lower_inclusive ? "[" : "(") + spec.lower->ToString() : "(-inf") + ", " +
        (spec.upper ? spec.upper->ToString() + (spec.upper_inclusive ? "]" : ")") : "+inf)");
    switch (spec.kind) {
      case ScanSpec::Kind::kAll:
        s = "AllNodesScan (" + var + ")";
        break;
      case ScanSpec::Kind::kLabel:
        s = "NodeByLabelScan (" + var + ")";
        break;
      case ScanSpec::Kind::kIndexSeek:
        s = "NodeIndexSeek (" + var + ") " + bounds;
        break;
      case ScanSpec::Kind::kKey:
        s = "NodeByKey (" + var + ") " + spec.key->ToString();
        break;
      case ScanSpec::Kind::kTime:
        s = "NodeByTimeRange (" + var + ") " + bounds;
        break;
      case ScanSpec::Kind::kSlot:
        s = "Argument (" + var + ")";
        break;
    }
    if (spec.has_label) s += " :" + label_name;
    if (!prop_name.empty()) s += " ." + prop_name;
    if (spec.valid_at) s += " VALID AT " + spec.valid_at->ToString();
    return s;
  }
  int slot;
  std::string var;
  ScanSpec spec;
  std::string label_name, prop_name;  // for Describe

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<NodeScanOp>(this, Child(0, p));
  }
};

std::optional<Value> ToIndexKind(const Value& v, Value::Kind kind) {
  if (v.kind() == kind) return v;
  if (kind == Value::Kind::kFloat && v.is_int()) return Value(static_cast<double>(v.as_int()));
  if (kind == Value::Kind::kInt && v.is_float()) {
    double d = v.as_float();
    if (std::isnan(d)) return std::nullopt;
    return v;  // handled by the caller by rounding the bound
  }
  return std::nullopt;
}

bool NodeScanOp::Accept(ExecContext& ctx, NodeId id, const Validity* validity,
                        const std::vector<LabelId>* labels) {
  const ScanSpec& s = node_->spec;
  if (s.has_label && (s.kind == ScanSpec::Kind::kKey || s.kind == ScanSpec::Kind::kAll ||
                      s.kind == ScanSpec::Kind::kTime || s.kind == ScanSpec::Kind::kSlot)) {
    if (!label_) return false;
    if (labels) {
      if (std::find(labels->begin(), labels->end(), *label_) == labels->end()) return false;
    } else {
      auto has = ctx.view().HasLabel(id, *label_);
      if (!has.ok()) ThrowStatus(has.status());
      if (!*has) return false;
    }
  }
  if (valid_at_) {
    if (!validity) {
      const NodeRecord* r = ctx.Node(id);
      if (!r) return false;
      validity = &r->validity;
    }
    if (!CertainlyValidAt(*validity, *valid_at_)) return false;
  }
  return true;
}

bool NodeScanOp::Start(ExecContext& ctx, Row& row) {
  const ScanSpec& s = node_->spec;
  ReadView& view = ctx.view();
  label_ = s.has_label ? ctx.label(s.label_symbol) : std::nullopt;
  valid_at_.reset();
  if (s.valid_at) valid_at_ = AsValidTimeDate(s.valid_at->Eval(ctx, row), s.valid_at->location());
  cursor_.reset();
  dated_.reset();
  single_.reset();
  switch (s.kind) {
    case ScanSpec::Kind::kAll:
      cursor_ = view.ScanAllNodes();
      return true;
    case ScanSpec::Kind::kLabel:
      if (!label_) return false;
      cursor_ = view.ScanLabel(*label_);
      return true;
    case ScanSpec::Kind::kSlot: {
      const Value& v = row[static_cast<size_t>(node_->slot)];
      if (v.is_null()) return false;
      if (!v.is_node()) ThrowType("expected a node in " + node_->var + ", not " + TypeName(v));
      single_ = v.as_node().id;
      return true;
    }
    case ScanSpec::Kind::kKey: {
      Value k = s.key->Eval(ctx, row);
      if (!k.is_string()) return false;
      auto id = view.FindNode(k.as_string());
      if (!id.ok()) ThrowStatus(id.status());
      if (!*id) return false;
      single_ = **id;
      return true;
    }
    case ScanSpec::Kind::kIndexSeek: {
      if (!label_) return false;
      auto key = ctx.prop_key(s.prop_symbol);
      if (!key) return false;
      auto spec = view.names().FindIndex(*label_, *key);
      if (!spec) {
        // The index went away after planning: fall back to a label scan; the filter above stays.
        cursor_ = view.ScanLabel(*label_);
        return true;
      }
      IndexRange range;
      range.lower_inclusive = s.lower_inclusive;
      range.upper_inclusive = s.upper_inclusive;
      for (auto [e, out] : {std::pair{s.lower.get(), &range.lower}, std::pair{s.upper.get(), &range.upper}}) {
        if (!e) continue;
        Value v = e->Eval(ctx, row);
        if (v.is_null()) return false;  // a comparison with null is never true
        auto conv = ToIndexKind(v, spec->kind);
        if (!conv) return false;  // values of another type never compare true
        if (spec->kind == Value::Kind::kInt && conv->is_float()) {
          double d = conv->as_float();
          bool is_lower = out == &range.lower;
          // Round inward: n >= 2.5 means n >= 3; n <= 2.5 means n <= 2.
          double r = is_lower ? std::ceil(d) : std::floor(d);
          if (r != d) (is_lower ? range.lower_inclusive : range.upper_inclusive) = true;
          if (r > 9.2e18 || r < -9.2e18) return false;
          conv = Value(static_cast<int64_t>(r));
        }
        if (spec->kind == Value::Kind::kDate) {
          // Dates with precision compare three-valued; seek the window of start days that holds every
          // date the comparison can be true for (DateWindow), and let the filter decide.
          bool is_lower = out == &range.lower;
          int32_t day =
              DateWindowBound(conv->as_date(), is_lower, is_lower ? s.lower_inclusive : s.upper_inclusive);
          *out = Value(Date::Containing(day, DatePrecision::kDay));
          (is_lower ? range.lower_inclusive : range.upper_inclusive) = is_lower;
          continue;
        }
        *out = *conv;
      }
      cursor_ = view.SeekIndex(*label_, *key, range);
      return true;
    }
    case ScanSpec::Kind::kTime: {
      // The comparisons the planner dropped: a bound that is null or not a date makes them null
      // (false) for every node, as the filter would have found.
      lower_.reset();
      upper_.reset();
      for (auto [e, out] : {std::pair{s.lower.get(), &lower_}, std::pair{s.upper.get(), &upper_}}) {
        if (!e) continue;
        Value v = e->Eval(ctx, row);
        if (!v.is_date()) return false;
        *out = v.as_date();
      }
      DateRange r;
      if (lower_) r.from_day = DateWindowBound(*lower_, true, s.lower_inclusive);
      if (upper_) r.to_day = DateWindowBound(*upper_, false, s.upper_inclusive);
      dated_ = view.ScanTime(r);
      date_key_ = ctx.prop_key(s.prop_symbol);
      return true;
    }
  }
  return false;
}

bool NodeScanOp::Next(ExecContext& ctx, Row& row) {
  for (;;) {
    ctx.Tick();
    if (single_) {
      NodeId id = *single_;
      single_.reset();
      if (node_->spec.kind == ScanSpec::Kind::kKey || node_->spec.kind == ScanSpec::Kind::kSlot) {
        if (node_->spec.kind == ScanSpec::Kind::kSlot && !ctx.Node(id)) {
          if (ctx.deleted_nodes.count(id)) continue;
        }
        if (!Accept(ctx, id, nullptr, nullptr)) continue;
      }
      row[static_cast<size_t>(node_->slot)] = Value(NodeRef{id});
      return true;
    }
    if (cursor_) {
      if (cursor_->Valid()) {
        const NodeEntry& e = cursor_->entry();
        NodeId id = e.id;
        const Validity* validity = e.validity;
        bool ok = Accept(ctx, id, validity, nullptr);
        cursor_->Next();
        if (!ok) continue;
        row[static_cast<size_t>(node_->slot)] = Value(NodeRef{id});
        return true;
      }
      if (!cursor_->status().ok()) ThrowStatus(cursor_->status());
      cursor_.reset();
    }
    if (dated_) {
      if (dated_->Valid()) {
        const DatedEntry& e = dated_->entry();
        NodeId id = e.node;
        Date date = e.date;
        const ScanSpec& s = node_->spec;
        if (lower_ && DateLess(*lower_, date, !s.lower_inclusive) != Tri::kTrue) {
          dated_->Next();
          continue;
        }
        if (upper_ && DateLess(date, *upper_, !s.upper_inclusive) != Tri::kTrue) {
          dated_->Next();
          continue;
        }
        bool ok = Accept(ctx, id, nullptr, e.labels);
        dated_->Next();
        if (!ok) continue;
        // The index holds the date: expressions on it need not read the node.
        if (date_key_) ctx.HintProperty(id, *date_key_, Value(date));
        row[static_cast<size_t>(node_->slot)] = Value(NodeRef{id});
        return true;
      }
      if (!dated_->status().ok()) ThrowStatus(dated_->status());
      dated_.reset();
    }
    if (!input_->Next(ctx, row)) return false;
    Start(ctx, row);
  }
}

// ---------------------------------------------------------------- Expand

std::optional<Direction> StoreDir(Dir d) {
  if (d == Dir::kOut) return Direction::kOut;
  if (d == Dir::kIn) return Direction::kIn;
  return std::nullopt;
}

bool RelIn(const Value& v, RelId id) {
  if (v.is_rel()) return v.as_rel().id == id;
  if (v.is_list()) {
    for (const Value& e : v.as_list()) {
      if (e.is_rel() && e.as_rel().id == id) return true;
    }
  }
  return false;
}

class ExpandNode;

// Scans the relationships of one node for a set of types, one typed prefix scan per type.
class TypedScan {
 public:
  void Start(ExecContext& ctx, NodeId node, Dir dir, const std::vector<uint32_t>& type_symbols,
             std::optional<NodeId> other) {
    node_ = node;
    dir_ = dir;
    other_ = other;
    types_.clear();
    any_type_ = type_symbols.empty();
    for (uint32_t s : type_symbols) {
      if (auto t = ctx.rel_type(s)) types_.push_back(*t);
    }
    next_type_ = 0;
    cursor_.reset();
    exhausted_ = !any_type_ && types_.empty();
  }
  // The next entry, or null when done.
  const AdjEntry* Next(ExecContext& ctx) {
    for (;;) {
      if (cursor_) {
        if (started_) cursor_->Next();
        started_ = true;
        if (cursor_->Valid()) return &cursor_->entry();
        if (!cursor_->status().ok()) ThrowStatus(cursor_->status());
        cursor_.reset();
      }
      if (exhausted_) return nullptr;
      ScanOptions o;
      o.dir = StoreDir(dir_);
      if (!any_type_) {
        o.type = types_[next_type_++];
        if (other_ && o.dir) o.other = other_;
        exhausted_ = next_type_ >= types_.size();
      } else {
        exhausted_ = true;
      }
      cursor_ = ctx.view().ScanAdj(node_, o);
      started_ = false;
    }
  }
  AdjCursor* cursor() { return cursor_.get(); }

 private:
  NodeId node_ = 0;
  Dir dir_ = Dir::kOut;
  std::optional<NodeId> other_;
  std::vector<RelTypeId> types_;
  bool any_type_ = true;
  size_t next_type_ = 0;
  std::unique_ptr<AdjCursor> cursor_;
  bool started_ = false;
  bool exhausted_ = true;
};

class ExpandOp final : public Operator {
 public:
  ExpandOp(const ExpandNode* node, std::unique_ptr<Operator> input) : node_(node), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override {
    input_->Open(ctx, row);
    active_ = false;
    stack_.clear();
  }
  bool Next(ExecContext& ctx, Row& row) override;

 private:
  bool NextSingle(ExecContext& ctx, Row& row);
  bool NextByTime(ExecContext& ctx, Row& row);
  bool NextVarLength(ExecContext& ctx, Row& row);
  bool NextDistinctEnds(ExecContext& ctx, Row& row);
  bool RelOk(ExecContext& ctx, Row& row, const AdjEntry& e, AdjCursor* cursor);
  bool StartRow(ExecContext& ctx, Row& row);

  const ExpandNode* node_;
  std::unique_ptr<Operator> input_;
  bool active_ = false;
  std::unique_ptr<DatedCursor> dated_;
  std::vector<RelTypeId> time_types_;
  std::optional<PropKeyId> date_key_;
  NodeId from_ = 0;
  std::optional<NodeId> target_;
  std::optional<Date> valid_at_;
  TypedScan scan_;
  // Variable length: depth-first over trails.
  struct Frame {
    NodeId node;
    std::unique_ptr<TypedScan> scan;
  };
  std::vector<Frame> stack_;
  std::vector<RelRef> path_rels_;
  bool emit_start_ = false;
  // Distinct ends: breadth-first.
  std::deque<std::pair<NodeId, int64_t>> queue_;
  std::unordered_set<NodeId> seen_;
  std::vector<NodeId> found_;
  size_t found_next_ = 0;
};

class ExpandNode final : public PlanNode {
 public:
  explicit ExpandNode(ExpandSpec s) : spec(std::move(s)) {}
  std::string Describe() const override {
    std::string s = spec.var_length
                        ? (spec.distinct_ends ? "VarLengthExpand(distinct ends) " : "VarLengthExpand ")
                    : spec.by_time ? "ExpandByTime "
                                   : (spec.into ? "Expand(Into) " : "Expand ");
    s += spec.description;
    if (spec.var_length) {
      s += " *" + std::to_string(spec.min_hops) + ".." + std::to_string(spec.max_hops);
    }
    if (spec.by_time) {
      s += " date in [" + (spec.time_lower ? spec.time_lower->ToString() : "-inf") + ", " +
           (spec.time_upper ? spec.time_upper->ToString() : "+inf") + ")";
    }
    if (spec.valid_at) s += " VALID AT " + spec.valid_at->ToString();
    return s;
  }
  ExpandSpec spec;

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<ExpandOp>(this, Child(0, p));
  }
};

bool ExpandOp::RelOk(ExecContext&, Row& row, const AdjEntry& e, AdjCursor* cursor) {
  for (int s : node_->spec.distinct_from) {
    if (RelIn(row[static_cast<size_t>(s)], e.rel.id)) return false;
  }
  if (valid_at_) {
    RelRecord r;
    Status st = cursor->record(&r);
    if (!st.ok()) ThrowStatus(st);
    if (!CertainlyValidAt(r.validity, *valid_at_)) return false;
  }
  return true;
}

bool ExpandOp::StartRow(ExecContext& ctx, Row& row) {
  const ExpandSpec& s = node_->spec;
  const Value& from = row[static_cast<size_t>(s.from)];
  if (from.is_null()) return false;
  if (!from.is_node()) ThrowType("expected a node to expand from, not " + TypeName(from));
  from_ = from.as_node().id;
  target_.reset();
  if (s.into) {
    const Value& to = row[static_cast<size_t>(s.to)];
    if (to.is_null()) return false;
    if (!to.is_node()) ThrowType("expected a node, not " + TypeName(to));
    target_ = to.as_node().id;
  }
  valid_at_.reset();
  if (s.valid_at) valid_at_ = AsValidTimeDate(s.valid_at->Eval(ctx, row), s.valid_at->location());
  return true;
}

bool ExpandOp::Next(ExecContext& ctx, Row& row) {
  if (node_->spec.by_time) return NextByTime(ctx, row);
  if (!node_->spec.var_length) return NextSingle(ctx, row);
  if (node_->spec.distinct_ends) return NextDistinctEnds(ctx, row);
  return NextVarLength(ctx, row);
}

bool ExpandOp::NextSingle(ExecContext& ctx, Row& row) {
  const ExpandSpec& s = node_->spec;
  for (;;) {
    ctx.Tick();
    if (active_) {
      if (const AdjEntry* e = scan_.Next(ctx)) {
        if (target_ && e->other != *target_) continue;
        if (!RelOk(ctx, row, *e, scan_.cursor())) continue;
        row[static_cast<size_t>(s.rel)] = Value(e->rel);
        if (!s.into) row[static_cast<size_t>(s.to)] = Value(NodeRef{e->other});
        return true;
      }
      active_ = false;
    }
    if (!input_->Next(ctx, row)) return false;
    if (!StartRow(ctx, row)) continue;
    scan_.Start(ctx, from_, s.dir, s.type_symbols, target_);
    active_ = true;
  }
}

bool ExpandOp::NextByTime(ExecContext& ctx, Row& row) {
  const ExpandSpec& s = node_->spec;
  for (;;) {
    ctx.Tick();
    if (dated_) {
      if (dated_->Valid()) {
        const DatedEntry& e = dated_->entry();
        bool type_ok = s.type_symbols.empty() ||
                       std::find(time_types_.begin(), time_types_.end(), e.type) != time_types_.end();
        bool dir_ok = s.dir == Dir::kBoth || (s.dir == Dir::kOut) == (e.dir == Direction::kOut);
        AdjEntry a;
        a.dir = e.dir;
        a.other = e.node;
        a.rel = e.dir == Direction::kOut ? RelRef{e.rel, from_, e.node, e.type}
                                         : RelRef{e.rel, e.node, from_, e.type};
        Date date = e.date;
        dated_->Next();
        if (!type_ok || !dir_ok) continue;
        bool distinct = true;
        for (int slot : s.distinct_from) {
          if (RelIn(row[static_cast<size_t>(slot)], a.rel.id)) distinct = false;
        }
        if (!distinct) continue;
        if (valid_at_) {
          RelRecord r;
          if (!ctx.RelRecordOf(a.rel, &r) || !CertainlyValidAt(r.validity, *valid_at_)) continue;
        }
        if (date_key_) ctx.HintProperty(a.other, *date_key_, Value(date));
        row[static_cast<size_t>(s.rel)] = Value(a.rel);
        row[static_cast<size_t>(s.to)] = Value(NodeRef{a.other});
        return true;
      }
      if (!dated_->status().ok()) ThrowStatus(dated_->status());
      dated_.reset();
    }
    if (!input_->Next(ctx, row)) return false;
    if (!StartRow(ctx, row)) continue;
    auto window = EvalDateWindow(ctx, row, s.time_lower.get(), s.time_lower_inclusive, s.time_upper.get(),
                                 s.time_upper_inclusive);
    if (!window) continue;
    time_types_.clear();
    for (uint32_t sym : s.type_symbols) {
      if (auto t = ctx.rel_type(sym)) time_types_.push_back(*t);
    }
    if (!s.type_symbols.empty() && time_types_.empty()) continue;
    date_key_ = ctx.prop_key(s.date_symbol);
    dated_ = ctx.view().ScanSubjectTime(from_, *window);
  }
}

bool ExpandOp::NextVarLength(ExecContext& ctx, Row& row) {
  const ExpandSpec& s = node_->spec;
  auto emit = [&](NodeId end) {
    ValueList rels;
    rels.reserve(path_rels_.size());
    for (const RelRef& r : path_rels_) rels.push_back(Value(r));
    if (s.reverse_list) std::reverse(rels.begin(), rels.end());
    row[static_cast<size_t>(s.rel)] = Value(std::move(rels));
    if (!s.into) row[static_cast<size_t>(s.to)] = Value(NodeRef{end});
  };
  for (;;) {
    ctx.Tick();
    if (!active_) {
      if (!input_->Next(ctx, row)) return false;
      if (!StartRow(ctx, row)) continue;
      stack_.clear();
      path_rels_.clear();
      stack_.push_back({from_, nullptr});
      active_ = true;
      if (s.min_hops == 0 && (!target_ || *target_ == from_)) {
        emit(from_);
        return true;
      }
      continue;
    }
    if (stack_.empty()) {
      active_ = false;
      continue;
    }
    Frame& f = stack_.back();
    int64_t depth = static_cast<int64_t>(stack_.size()) - 1;
    if (depth >= s.max_hops) {
      stack_.pop_back();
      if (!path_rels_.empty()) path_rels_.pop_back();
      continue;
    }
    if (!f.scan) {
      f.scan = std::make_unique<TypedScan>();
      f.scan->Start(ctx, f.node, s.dir, s.type_symbols, std::nullopt);
    }
    const AdjEntry* e = f.scan->Next(ctx);
    if (!e) {
      stack_.pop_back();
      if (!path_rels_.empty()) path_rels_.pop_back();
      continue;
    }
    bool reused =
        std::any_of(path_rels_.begin(), path_rels_.end(), [&](const RelRef& r) { return r.id == e->rel.id; });
    if (reused || !RelOk(ctx, row, *e, f.scan->cursor())) continue;
    RelRef rel = e->rel;
    NodeId other = e->other;
    path_rels_.push_back(rel);
    stack_.push_back({other, nullptr});
    if (depth + 1 >= s.min_hops && (!target_ || *target_ == other)) {
      emit(other);
      return true;
    }
  }
}

bool ExpandOp::NextDistinctEnds(ExecContext& ctx, Row& row) {
  const ExpandSpec& s = node_->spec;
  for (;;) {
    ctx.Tick();
    if (active_ && found_next_ < found_.size()) {
      row[static_cast<size_t>(s.rel)] = Value();
      row[static_cast<size_t>(s.to)] = Value(NodeRef{found_[found_next_++]});
      return true;
    }
    if (!input_->Next(ctx, row)) return false;
    if (!StartRow(ctx, row)) continue;
    // Breadth-first: every node within max_hops, each once. The start node is not reported (the
    // planner uses this only where the query excludes it).
    seen_.clear();
    found_.clear();
    found_next_ = 0;
    seen_.insert(from_);
    std::vector<NodeId> frontier{from_}, next;
    TypedScan scan;
    for (int64_t depth = 0; depth < s.max_hops && !frontier.empty(); ++depth) {
      next.clear();
      for (NodeId n : frontier) {
        scan.Start(ctx, n, s.dir, s.type_symbols, std::nullopt);
        while (const AdjEntry* e = scan.Next(ctx)) {
          ctx.Tick();
          if (valid_at_ && !RelOk(ctx, row, *e, scan.cursor())) continue;
          if (seen_.insert(e->other).second) {
            next.push_back(e->other);
            if (depth + 1 >= s.min_hops) found_.push_back(e->other);
          }
        }
      }
      frontier.swap(next);
    }
    ctx.Charge(static_cast<int64_t>(seen_.size()) * 16);
    active_ = true;
  }
}

// ---------------------------------------------------------------- ShortestPath

class ShortestPathNode;

class ShortestPathOp final : public Operator {
 public:
  ShortestPathOp(const ShortestPathNode* node, std::unique_ptr<Operator> input)
      : node_(node), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override {
    input_->Open(ctx, row);
    results_.clear();
    next_ = 0;
  }
  bool Next(ExecContext& ctx, Row& row) override;

 private:
  void Search(ExecContext& ctx, NodeId from, NodeId to);
  const ShortestPathNode* node_;
  std::unique_ptr<Operator> input_;
  std::vector<PathValue> results_;
  size_t next_ = 0;
};

class ShortestPathNode final : public PlanNode {
 public:
  explicit ShortestPathNode(ShortestPathSpec s) : spec(std::move(s)) {}
  std::string Describe() const override {
    return std::string(spec.all ? "AllShortestPaths " : "ShortestPath ") + spec.description + " *" +
           std::to_string(spec.min_hops) + ".." + std::to_string(spec.max_hops);
  }
  ShortestPathSpec spec;

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<ShortestPathOp>(this, Child(0, p));
  }
};

Dir Reverse(Dir d) { return d == Dir::kOut ? Dir::kIn : d == Dir::kIn ? Dir::kOut : Dir::kBoth; }

void ShortestPathOp::Search(ExecContext& ctx, NodeId from, NodeId to) {
  const ShortestPathSpec& s = node_->spec;
  results_.clear();
  next_ = 0;
  if (from == to) {
    if (s.min_hops == 0) results_.push_back(PathValue{{NodeRef{from}}, {}});
    return;
  }
  // Breadth-first from both ends, a layer at a time on the smaller side. parents[x] lists how x was
  // reached in the search from that side, at its shortest distance.
  struct Step {
    NodeId prev;
    RelRef rel;
  };
  std::unordered_map<NodeId, std::vector<Step>> parents[2];
  std::unordered_map<NodeId, int64_t> dist[2];
  std::vector<NodeId> frontier[2] = {{from}, {to}};
  dist[0][from] = 0;
  dist[1][to] = 0;
  Dir dirs[2] = {s.dir, Reverse(s.dir)};
  int64_t depth[2] = {0, 0};
  std::vector<NodeId> meets;
  TypedScan scan;
  while (!frontier[0].empty() && !frontier[1].empty() && depth[0] + depth[1] < s.max_hops) {
    int side = frontier[0].size() <= frontier[1].size() ? 0 : 1;
    std::vector<NodeId> next;
    int64_t d = depth[side] + 1;
    for (NodeId n : frontier[side]) {
      scan.Start(ctx, n, dirs[side], s.type_symbols, std::nullopt);
      while (const AdjEntry* e = scan.Next(ctx)) {
        ctx.Tick();
        auto [it, fresh] = dist[side].try_emplace(e->other, d);
        if (fresh) next.push_back(e->other);
        if (it->second == d) parents[side][e->other].push_back({n, e->rel});
      }
    }
    depth[side] = d;
    frontier[side].swap(next);
    for (NodeId n : frontier[side]) {
      if (dist[1 - side].count(n)) meets.push_back(n);
    }
    if (!meets.empty()) break;
  }
  ctx.Charge(static_cast<int64_t>(dist[0].size() + dist[1].size()) * 48);
  if (meets.empty()) return;
  // Half-paths from the start to a meeting node and from it to the end.
  std::function<void(int, NodeId, std::vector<std::pair<NodeId, RelRef>>&,
                     std::vector<std::vector<std::pair<NodeId, RelRef>>>&)>
      halves = [&](int side, NodeId n, std::vector<std::pair<NodeId, RelRef>>& acc,
                   std::vector<std::vector<std::pair<NodeId, RelRef>>>& out) {
        auto it = parents[side].find(n);
        if (it == parents[side].end()) {
          out.push_back(acc);
          return;
        }
        for (const Step& st : it->second) {
          acc.push_back({st.prev, st.rel});
          halves(side, st.prev, acc, out);
          acc.pop_back();
          if (!s.all && !out.empty()) return;
        }
      };
  std::sort(meets.begin(), meets.end());
  meets.erase(std::unique(meets.begin(), meets.end()), meets.end());
  for (NodeId m : meets) {
    std::vector<std::vector<std::pair<NodeId, RelRef>>> left, right;
    std::vector<std::pair<NodeId, RelRef>> acc;
    halves(0, m, acc, left);
    halves(1, m, acc, right);
    for (const auto& l : left) {
      for (const auto& r : right) {
        PathValue p;
        // left holds (prev, rel) walking back to the start.
        for (auto it = l.rbegin(); it != l.rend(); ++it) {
          p.nodes.push_back(NodeRef{it->first});
          p.rels.push_back(it->second);
        }
        p.nodes.push_back(NodeRef{m});
        for (const auto& [next, rel] : r) {
          p.rels.push_back(rel);
          p.nodes.push_back(NodeRef{next});
        }
        if (static_cast<int64_t>(p.rels.size()) >= s.min_hops) results_.push_back(std::move(p));
        if (!s.all && !results_.empty()) return;
      }
    }
  }
}

bool ShortestPathOp::Next(ExecContext& ctx, Row& row) {
  const ShortestPathSpec& s = node_->spec;
  for (;;) {
    if (next_ < results_.size()) {
      const PathValue& p = results_[next_++];
      if (s.rels >= 0) {
        ValueList rels;
        for (const RelRef& r : p.rels) rels.push_back(Value(r));
        row[static_cast<size_t>(s.rels)] = Value(std::move(rels));
      }
      if (s.path >= 0) row[static_cast<size_t>(s.path)] = Value(p);
      return true;
    }
    if (!input_->Next(ctx, row)) return false;
    const Value &a = row[static_cast<size_t>(s.from)], &b = row[static_cast<size_t>(s.to)];
    if (!a.is_node() || !b.is_node()) {
      results_.clear();
      next_ = 0;
      continue;
    }
    Search(ctx, a.as_node().id, b.as_node().id);
  }
}

// ---------------------------------------------------------------- Filter, Project

class FilterOp final : public Operator {
 public:
  FilterOp(const Expr* pred, std::unique_ptr<Operator> input) : pred_(pred), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override { input_->Open(ctx, row); }
  bool Next(ExecContext& ctx, Row& row) override {
    while (input_->Next(ctx, row)) {
      ctx.Tick();
      if (pred_->EvalPredicate(ctx, row) == Tri::kTrue) return true;
    }
    return false;
  }

 private:
  const Expr* pred_;
  std::unique_ptr<Operator> input_;
};

class FilterNode final : public PlanNode {
 public:
  explicit FilterNode(ExprPtr p) : pred(std::move(p)) {}
  std::string Describe() const override { return "Filter " + pred->ToString(); }
  ExprPtr pred;

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<FilterOp>(pred.get(), Child(0, p));
  }
};

class ProjectOp final : public Operator {
 public:
  ProjectOp(const std::vector<std::pair<int, ExprPtr>>* items, std::unique_ptr<Operator> input)
      : items_(items), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override { input_->Open(ctx, row); }
  bool Next(ExecContext& ctx, Row& row) override {
    if (!input_->Next(ctx, row)) return false;
    // Evaluate everything first: an item may read a slot another item writes (WITH b AS a, a AS b).
    values_.clear();
    for (const auto& [slot, e] : *items_) values_.push_back(e->Eval(ctx, row));
    for (size_t i = 0; i < values_.size(); ++i)
      row[static_cast<size_t>((*items_)[i].first)] = std::move(values_[i]);
    return true;
  }

 private:
  const std::vector<std::pair<int, ExprPtr>>* items_;
  std::unique_ptr<Operator> input_;
  std::vector<Value> values_;
};

class ProjectNode final : public PlanNode {
 public:
  explicit ProjectNode(std::vector<std::pair<int, ExprPtr>> i) : items(std::move(i)) {}
  std::string Describe() const override {
    std::string s = "Project";
    for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : " ") + items[i].second->ToString();
    return s;
  }
  std::vector<std::pair<int, ExprPtr>> items;

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<ProjectOp>(&items, Child(0, p));
  }
};

// ---------------------------------------------------------------- Aggregate

struct KeyHash {
  size_t operator()(const std::vector<Value>& k) const {
    size_t h = 0;
    for (const Value& v : k) h = h * 31 + HashValue(v);
    return h;
  }
};
struct KeyEq {
  bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!Equivalent(a[i], b[i])) return false;
    }
    return true;
  }
};

struct AggState {
  int64_t count = 0;
  bool int_sum = true;
  int64_t isum = 0;
  double fsum = 0;
  double mean = 0, m2 = 0;                                                      // Welford, for stDev
  Value best;                                                                   // min / max
  ValueList items;                                                              // collect, percentiles
  std::unique_ptr<std::unordered_set<Value, ValueHash, ValueEquivalent>> seen;  // DISTINCT
};

class AggregateNode;

class AggregateOp final : public Operator {
 public:
  AggregateOp(const AggregateNode* node, std::unique_ptr<Operator> input)
      : node_(node), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override;
  bool Next(ExecContext& ctx, Row& row) override;

 private:
  void Update(ExecContext& ctx, Row& row, const AggregateSpec& spec, AggState& st);
  Value Finish(ExecContext& ctx, Row& row, const AggregateSpec& spec, AggState& st);
  const AggregateNode* node_;
  std::unique_ptr<Operator> input_;
  std::unordered_map<std::vector<Value>, std::vector<AggState>, KeyHash, KeyEq> groups_;
  std::vector<std::vector<Value>> order_;  // groups in first-seen order
  size_t next_ = 0;
  bool done_ = false;
};

class AggregateNode final : public PlanNode {
 public:
  AggregateNode(std::vector<std::pair<int, ExprPtr>> k, std::vector<AggregateSpec> a)
      : keys(std::move(k)), aggs(std::move(a)) {}
  std::string Describe() const override {
    std::string s = "Aggregate";
    for (size_t i = 0; i < aggs.size(); ++i) s += (i ? ", " : " ") + aggs[i].description;
    if (!keys.empty()) {
      s += " BY";
      for (size_t i = 0; i < keys.size(); ++i) s += (i ? ", " : " ") + keys[i].second->ToString();
    }
    return s;
  }
  std::vector<std::pair<int, ExprPtr>> keys;
  std::vector<AggregateSpec> aggs;

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<AggregateOp>(this, Child(0, p));
  }
};

void AggregateOp::Update(ExecContext& ctx, Row& row, const AggregateSpec& spec, AggState& st) {
  if (spec.kind == AggKind::kCountStar) {
    ++st.count;
    return;
  }
  Value v = spec.arg->Eval(ctx, row);
  if (v.is_null()) return;
  if (spec.distinct) {
    if (!st.seen) st.seen = std::make_unique<std::unordered_set<Value, ValueHash, ValueEquivalent>>();
    if (!st.seen->insert(v).second) return;
    ctx.Charge(ApproxBytes(v));
  }
  switch (spec.kind) {
    case AggKind::kCount:
      ++st.count;
      break;
    case AggKind::kSum:
    case AggKind::kAvg:
      if (!v.is_number())
        ThrowType(
            std::string(spec.kind == AggKind::kSum ? "sum" : "avg") + "() needs numbers, not " + TypeName(v),
            spec.arg->location());
      ++st.count;
      if (v.is_int() && st.int_sum) {
        if (__builtin_add_overflow(st.isum, v.as_int(), &st.isum)) {
          st.int_sum = false;
          st.fsum = static_cast<double>(st.isum) + static_cast<double>(v.as_int());
        }
      } else {
        if (st.int_sum) {
          st.int_sum = false;
          st.fsum = static_cast<double>(st.isum);
        }
        st.fsum += v.as_number();
      }
      if (spec.kind == AggKind::kAvg) {
        double x = v.as_number();
        double delta = x - st.mean;
        st.mean += delta / static_cast<double>(st.count);
      }
      break;
    case AggKind::kMin:
    case AggKind::kMax: {
      if (st.best.is_null()) {
        st.best = v;
        break;
      }
      int c = OrderCompare(v, st.best);
      if ((spec.kind == AggKind::kMin && c < 0) || (spec.kind == AggKind::kMax && c > 0)) st.best = v;
      break;
    }
    case AggKind::kCollect:
      ctx.Charge(ApproxBytes(v));
      st.items.push_back(std::move(v));
      break;
    case AggKind::kStDev:
    case AggKind::kStDevP: {
      if (!v.is_number()) ThrowType("stDev() needs numbers, not " + TypeName(v), spec.arg->location());
      ++st.count;
      double x = v.as_number(), delta = x - st.mean;
      st.mean += delta / static_cast<double>(st.count);
      st.m2 += delta * (x - st.mean);
      break;
    }
    case AggKind::kPercentileCont:
    case AggKind::kPercentileDisc:
      if (!v.is_number())
        ThrowType("percentile functions need numbers, not " + TypeName(v), spec.arg->location());
      ctx.Charge(40);
      st.items.push_back(std::move(v));
      break;
    case AggKind::kCountStar:
      break;
  }
}

Value AggregateOp::Finish(ExecContext& ctx, Row& row, const AggregateSpec& spec, AggState& st) {
  switch (spec.kind) {
    case AggKind::kCount:
    case AggKind::kCountStar:
      return Value(st.count);
    case AggKind::kSum:
      if (st.count == 0) return Value(int64_t{0});
      return st.int_sum ? Value(st.isum) : Value(st.fsum);
    case AggKind::kAvg:
      if (st.count == 0) return Value();
      return Value(st.int_sum ? static_cast<double>(st.isum) / static_cast<double>(st.count) : st.mean);
    case AggKind::kMin:
    case AggKind::kMax:
      return st.best;
    case AggKind::kCollect:
      return Value(std::move(st.items));
    case AggKind::kStDev:
      if (st.count < 2) return Value(0.0);
      return Value(std::sqrt(st.m2 / static_cast<double>(st.count - 1)));
    case AggKind::kStDevP:
      if (st.count == 0) return Value(0.0);
      return Value(std::sqrt(st.m2 / static_cast<double>(st.count)));
    case AggKind::kPercentileCont:
    case AggKind::kPercentileDisc: {
      Value pv = spec.param->Eval(ctx, row);
      if (!pv.is_number())
        ThrowType("the percentile must be a number between 0.0 and 1.0", spec.param->location());
      double p = pv.as_number();
      if (p < 0 || p > 1) {
        ThrowArgument("the percentile must be between 0.0 and 1.0, not " + pv.ToString(),
                      spec.param->location(), "NumberOutOfRange");
      }
      if (st.items.empty()) return Value();
      std::sort(st.items.begin(), st.items.end(),
                [](const Value& a, const Value& b) { return OrderCompare(a, b) < 0; });
      size_t n = st.items.size();
      if (spec.kind == AggKind::kPercentileDisc) {
        size_t idx = p == 0 ? 0 : static_cast<size_t>(std::ceil(p * static_cast<double>(n))) - 1;
        return st.items[std::min(idx, n - 1)];
      }
      double pos = p * static_cast<double>(n - 1);
      size_t lo = static_cast<size_t>(std::floor(pos)), hi = static_cast<size_t>(std::ceil(pos));
      double frac = pos - static_cast<double>(lo);
      return Value(st.items[lo].as_number() + (st.items[hi].as_number() - st.items[lo].as_number()) * frac);
    }
  }
  return Value();
}

void AggregateOp::Open(ExecContext& ctx, Row& row) {
  input_->Open(ctx, row);
  groups_.clear();
  order_.clear();
  next_ = 0;
  done_ = false;
  std::vector<Value> key;
  // The group of the previous row: rows often come in runs of one group (a count without keys, a
  // scan in date order grouped by month), which then skip the hash lookup. Elements of an
  // unordered_map keep their address when it rehashes.
  const std::vector<Value>* last_key = nullptr;
  std::vector<AggState>* last_states = nullptr;
  KeyEq same;
  while (input_->Next(ctx, row)) {
    ctx.Tick();
    key.clear();
    for (const auto& [slot, e] : node_->keys) key.push_back(e->Eval(ctx, row));
    if (!last_key || !same(*last_key, key)) {
      auto it = groups_.find(key);
      if (it == groups_.end()) {
        it = groups_.emplace(key, std::vector<AggState>(node_->aggs.size())).first;
        order_.push_back(key);
        ctx.Charge(64 + 2 * ApproxBytes(key.empty() ? Value() : Value(ValueList(key))) +
                   static_cast<int64_t>(node_->aggs.size()) * 96);
        // The row's other slots are needed again by percentile parameters; they are constants.
      }
      last_key = &it->first;
      last_states = &it->second;
    }
    for (size_t i = 0; i < node_->aggs.size(); ++i) Update(ctx, row, node_->aggs[i], (*last_states)[i]);
  }
  // No grouping keys and no rows: one row of empty aggregates (count 0, sum 0, collect []).
  if (node_->keys.empty() && groups_.empty()) {
    groups_.emplace(std::vector<Value>{}, std::vector<AggState>(node_->aggs.size()));
    order_.push_back({});
  }
}

bool AggregateOp::Next(ExecContext& ctx, Row& row) {
  if (next_ >= order_.size()) return false;
  const std::vector<Value>& key = order_[next_++];
  auto& states = groups_[key];
  for (size_t i = 0; i < node_->keys.size(); ++i) row[static_cast<size_t>(node_->keys[i].first)] = key[i];
  for (size_t i = 0; i < node_->aggs.size(); ++i) {
    row[static_cast<size_t>(node_->aggs[i].slot)] = Finish(ctx, row, node_->aggs[i], states[i]);
  }
  return true;
}

// ---------------------------------------------------------------- Distinct

class DistinctOp final : public Operator {
 public:
  DistinctOp(const std::vector<int>* slots, std::unique_ptr<Operator> input)
      : slots_(slots), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override {
    input_->Open(ctx, row);
    seen_.clear();
  }
  bool Next(ExecContext& ctx, Row& row) override {
    while (input_->Next(ctx, row)) {
      ctx.Tick();
      std::vector<Value> key;
      key.reserve(slots_->size());
      for (int s : *slots_) key.push_back(row[static_cast<size_t>(s)]);
      int64_t bytes = 0;
      for (const Value& v : key) bytes += ApproxBytes(v);
      if (seen_.insert(std::move(key)).second) {
        ctx.Charge(bytes + 32);
        return true;
      }
    }
    return false;
  }

 private:
  const std::vector<int>* slots_;
  std::unique_ptr<Operator> input_;
  std::unordered_set<std::vector<Value>, KeyHash, KeyEq> seen_;
};

class DistinctNode final : public PlanNode {
 public:
  explicit DistinctNode(std::vector<int> s) : slots(std::move(s)) {}
  std::string Describe() const override { return "Distinct"; }
  std::vector<int> slots;

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<DistinctOp>(&slots, Child(0, p));
  }
};

// ---------------------------------------------------------------- Sort, Skip, Limit

class SortNode;

class SortOp final : public Operator {
 public:
  SortOp(const SortNode* node, std::unique_ptr<Operator> input) : node_(node), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override;
  bool Next(ExecContext&, Row& row) override {
    if (next_ >= rows_.size()) return false;
    row = std::move(rows_[next_++].second);
    return true;
  }

 private:
  const SortNode* node_;
  std::unique_ptr<Operator> input_;
  std::vector<std::pair<std::vector<Value>, Row>> rows_;
  size_t next_ = 0;
};

class SortNode final : public PlanNode {
 public:
  SortNode(std::vector<SortKey> k, ExprPtr s, ExprPtr l)
      : keys(std::move(k)), skip(std::move(s)), limit(std::move(l)) {}
  std::string Describe() const override {
    std::string s = limit ? "Top" : "Sort";
    for (size_t i = 0; i < keys.size(); ++i) {
      s += (i ? ", " : " ") + keys[i].expr->ToString() + (keys[i].descending ? " DESC" : "");
    }
    if (limit) s += " LIMIT " + (skip ? skip->ToString() + " + " : "") + limit->ToString();
    return s;
  }
  std::vector<SortKey> keys;
  ExprPtr skip, limit;

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<SortOp>(this, Child(0, p));
  }
};

void SortOp::Open(ExecContext& ctx, Row& row) {
  input_->Open(ctx, row);
  rows_.clear();
  next_ = 0;
  const auto& keys = node_->keys;
  auto less = [&keys](const std::pair<std::vector<Value>, Row>& a,
                      const std::pair<std::vector<Value>, Row>& b) {
    for (size_t i = 0; i < keys.size(); ++i) {
      int c = OrderCompare(a.first[i], b.first[i]);
      if (c != 0) return keys[i].descending ? c > 0 : c < 0;
    }
    return false;
  };
  std::optional<size_t> keep;
  if (node_->limit) {
    int64_t k =
        CountArg(ctx, *node_->limit, "LIMIT") + (node_->skip ? CountArg(ctx, *node_->skip, "SKIP") : 0);
    keep = static_cast<size_t>(k);
  }
  while (input_->Next(ctx, row)) {
    ctx.Tick();
    std::vector<Value> k;
    k.reserve(keys.size());
    for (const auto& key : keys) k.push_back(key.expr->Eval(ctx, row));
    if (keep) {
      if (*keep == 0) continue;
      if (rows_.size() == *keep) {
        // A max-heap of the best `keep` rows: replace the worst when this one is better.
        std::pair<std::vector<Value>, Row> cand{std::move(k), row};
        if (!less(cand, rows_.front())) continue;
        std::pop_heap(rows_.begin(), rows_.end(), less);
        rows_.back() = std::move(cand);
        std::push_heap(rows_.begin(), rows_.end(), less);
        continue;
      }
      rows_.emplace_back(std::move(k), row);
      std::push_heap(rows_.begin(), rows_.end(), less);
      ctx.Charge(ApproxBytes(row) * 2);
      continue;
    }
    ctx.Charge(ApproxBytes(row) * 2);
    rows_.emplace_back(std::move(k), row);
  }
  std::stable_sort(rows_.begin(), rows_.end(), less);
}

class SkipLimitOp final : public Operator {
 public:
  SkipLimitOp(const Expr* count, bool is_limit, bool drain, std::unique_ptr<Operator> input)
      : count_(count), limit_(is_limit), drain_(drain), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override {
    n_ = CountArg(ctx, *count_, limit_ ? "LIMIT" : "SKIP");
    seen_ = 0;
    if (!limit_ || n_ > 0 || drain_) input_->Open(ctx, row);
  }
  bool Next(ExecContext& ctx, Row& row) override {
    if (limit_) {
      if (seen_ >= n_) {
        // Writes below a LIMIT happen for every row, returned or not.
        if (drain_) {
          while (input_->Next(ctx, row)) ctx.Tick();
          drain_ = false;
        }
        return false;
      }
      if (!input_->Next(ctx, row)) return false;
      ++seen_;
      return true;
    }
    while (seen_ < n_) {
      if (!input_->Next(ctx, row)) return false;
      ++seen_;
    }
    return input_->Next(ctx, row);
  }

 private:
  const Expr* count_;
  bool limit_;
  bool drain_;
  std::unique_ptr<Operator> input_;
  int64_t n_ = 0, seen_ = 0;
};

class SkipLimitNode final : public PlanNode {
 public:
  SkipLimitNode(ExprPtr c, bool l, bool d) : count(std::move(c)), is_limit(l), drain(d) {}
  std::string Describe() const override { return (is_limit ? "Limit " : "Skip ") + count->ToString(); }
  ExprPtr count;
  bool is_limit;
  bool drain;

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<SkipLimitOp>(count.get(), is_limit, drain, Child(0, p));
  }
};

// ---------------------------------------------------------------- Unwind

class UnwindOp final : public Operator {
 public:
  UnwindOp(int slot, const Expr* list, std::unique_ptr<Operator> input)
      : slot_(slot), list_(list), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override {
    input_->Open(ctx, row);
    items_.clear();
    next_ = 0;
  }
  bool Next(ExecContext& ctx, Row& row) override {
    for (;;) {
      if (next_ < items_.size()) {
        row[static_cast<size_t>(slot_)] = items_[next_++];
        return true;
      }
      if (!input_->Next(ctx, row)) return false;
      ctx.Tick();
      Value v = list_->Eval(ctx, row);
      items_.clear();
      next_ = 0;
      if (v.is_null()) continue;
      if (v.is_list()) {
        items_ = v.as_list();
      } else {
        items_.push_back(std::move(v));
      }
    }
  }

 private:
  int slot_;
  const Expr* list_;
  std::unique_ptr<Operator> input_;
  ValueList items_;
  size_t next_ = 0;
};

class UnwindNode final : public PlanNode {
 public:
  UnwindNode(int s, std::string v, ExprPtr l) : slot(s), var(std::move(v)), list(std::move(l)) {}
  std::string Describe() const override { return "Unwind " + list->ToString() + " AS " + var; }
  int slot;
  std::string var;
  ExprPtr list;

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<UnwindOp>(slot, list.get(), Child(0, p));
  }
};

// ---------------------------------------------------------------- Optional

class OptionalOp final : public Operator {
 public:
  OptionalOp(std::unique_ptr<Operator> inner, const std::vector<int>* nulls, std::unique_ptr<Operator> input)
      : inner_(std::move(inner)), nulls_(nulls), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override {
    input_->Open(ctx, row);
    in_inner_ = false;
  }
  bool Next(ExecContext& ctx, Row& row) override {
    for (;;) {
      if (in_inner_) {
        if (inner_->Next(ctx, row)) {
          found_ = true;
          return true;
        }
        in_inner_ = false;
        if (!found_) {
          for (int s : *nulls_) row[static_cast<size_t>(s)] = Value();
          return true;
        }
      }
      if (!input_->Next(ctx, row)) return false;
      inner_->Open(ctx, row);
      in_inner_ = true;
      found_ = false;
    }
  }

 private:
  std::unique_ptr<Operator> inner_;
  const std::vector<int>* nulls_;
  std::unique_ptr<Operator> input_;
  bool in_inner_ = false;
  bool found_ = false;
};

class OptionalNode final : public PlanNode {
 public:
  explicit OptionalNode(std::vector<int> n) : nulls(std::move(n)) {}
  std::string Describe() const override { return "Optional"; }
  std::vector<int> nulls;

 protected:
  // children[0]: input; children[1]: inner.
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<OptionalOp>(Child(1, p), &nulls, Child(0, p));
  }
};

// ---------------------------------------------------------------- Union

class UnionOp final : public Operator {
 public:
  UnionOp(std::vector<std::unique_ptr<Operator>> parts, const std::vector<std::vector<int>>* from,
          const std::vector<int>* out, bool distinct)
      : parts_(std::move(parts)), from_(from), out_(out), distinct_(distinct) {}
  void Open(ExecContext& ctx, Row& row) override {
    current_ = 0;
    seen_.clear();
    outer_ = row;
    if (!parts_.empty()) parts_[0]->Open(ctx, row);
  }
  bool Next(ExecContext& ctx, Row& row) override {
    while (current_ < parts_.size()) {
      if (parts_[current_]->Next(ctx, row)) {
        const auto& from = (*from_)[current_];
        std::vector<Value> vals;
        for (int s : from) vals.push_back(row[static_cast<size_t>(s)]);
        if (distinct_) {
          if (!seen_.insert(vals).second) continue;
          ctx.Charge(ApproxBytes(Value(ValueList(vals))));
        }
        for (size_t i = 0; i < out_->size(); ++i) row[static_cast<size_t>((*out_)[i])] = std::move(vals[i]);
        return true;
      }
      if (++current_ < parts_.size()) {
        row = outer_;
        parts_[current_]->Open(ctx, row);
      }
    }
    return false;
  }

 private:
  std::vector<std::unique_ptr<Operator>> parts_;
  const std::vector<std::vector<int>>* from_;
  const std::vector<int>* out_;
  bool distinct_;
  size_t current_ = 0;
  Row outer_;
  std::unordered_set<std::vector<Value>, KeyHash, KeyEq> seen_;
};

class UnionNode final : public PlanNode {
 public:
  UnionNode(std::vector<std::vector<int>> f, std::vector<int> o, bool d)
      : from(std::move(f)), out(std::move(o)), distinct(d) {}
  std::string Describe() const override { return distinct ? "Union" : "UnionAll"; }
  std::vector<std::vector<int>> from;
  std::vector<int> out;
  bool distinct;

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    std::vector<std::unique_ptr<Operator>> parts;
    for (size_t i = 0; i < children.size(); ++i) parts.push_back(Child(i, p));
    return std::make_unique<UnionOp>(std::move(parts), &from, &out, distinct);
  }
};

// ---------------------------------------------------------------- Eager

class EagerOp final : public Operator {
 public:
  explicit EagerOp(std::unique_ptr<Operator> input) : input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override {
    input_->Open(ctx, row);
    rows_.clear();
    next_ = 0;
    while (input_->Next(ctx, row)) {
      ctx.Tick();
      ctx.Charge(ApproxBytes(row));
      rows_.push_back(row);
    }
  }
  bool Next(ExecContext&, Row& row) override {
    if (next_ >= rows_.size()) return false;
    row = std::move(rows_[next_++]);
    return true;
  }

 private:
  std::unique_ptr<Operator> input_;
  std::vector<Row> rows_;
  size_t next_ = 0;
};

class EagerNode final : public PlanNode {
 public:
  std::string Describe() const override { return "Eager"; }

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<EagerOp>(Child(0, p));
  }
};

template <typename T, typename... A>
PlanPtr WithInput(PlanPtr input, A&&... args) {
  auto n = std::make_shared<T>(std::forward<A>(args)...);
  n->children.push_back(std::move(input));
  return n;
}

std::string TypeList(const std::vector<std::string>& names) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) s += (i ? "|:" : ":") + names[i];
  return s;
}

}  // namespace

PlanPtr MakeStart() { return std::make_shared<StartNode>(); }

PlanPtr MakeNodeScan(int slot, std::string var, ScanSpec spec, std::string label, std::string prop,
                     PlanPtr input) {
  return WithInput<NodeScanNode>(std::move(input), slot, std::move(var), std::move(spec), std::move(label),
                                 std::move(prop));
}

PlanPtr MakeExpand(ExpandSpec spec, PlanPtr input) {
  return WithInput<ExpandNode>(std::move(input), std::move(spec));
}

PlanPtr MakeShortestPath(ShortestPathSpec spec, PlanPtr input) {
  return WithInput<ShortestPathNode>(std::move(input), std::move(spec));
}

PlanPtr MakeFilter(ExprPtr predicate, PlanPtr input) {
  return WithInput<FilterNode>(std::move(input), std::move(predicate));
}

PlanPtr MakeProject(std::vector<std::pair<int, ExprPtr>> items, PlanPtr input) {
  return WithInput<ProjectNode>(std::move(input), std::move(items));
}

PlanPtr MakeAggregate(std::vector<std::pair<int, ExprPtr>> keys, std::vector<AggregateSpec> aggs,
                      PlanPtr input) {
  return WithInput<AggregateNode>(std::move(input), std::move(keys), std::move(aggs));
}

PlanPtr MakeDistinct(std::vector<int> slots, PlanPtr input) {
  return WithInput<DistinctNode>(std::move(input), std::move(slots));
}

PlanPtr MakeSort(std::vector<SortKey> keys, ExprPtr skip, ExprPtr limit, PlanPtr input) {
  return WithInput<SortNode>(std::move(input), std::move(keys), std::move(skip), std::move(limit));
}

PlanPtr MakeSkip(ExprPtr count, PlanPtr input) {
  return WithInput<SkipLimitNode>(std::move(input), std::move(count), false, false);
}
PlanPtr MakeLimit(ExprPtr count, PlanPtr input, bool drain_writes) {
  return WithInput<SkipLimitNode>(std::move(input), std::move(count), true, drain_writes);
}

PlanPtr MakeUnwind(int slot, std::string var, ExprPtr list, PlanPtr input) {
  return WithInput<UnwindNode>(std::move(input), slot, std::move(var), std::move(list));
}

PlanPtr MakeOptional(PlanPtr inner, std::vector<int> null_slots, PlanPtr input) {
  auto n = std::make_shared<OptionalNode>(std::move(null_slots));
  n->children.push_back(std::move(input));
  n->children.push_back(std::move(inner));
  return n;
}

PlanPtr MakeUnion(std::vector<PlanPtr> parts, std::vector<std::vector<int>> from_slots,
                  std::vector<int> out_slots, bool distinct) {
  auto n = std::make_shared<UnionNode>(std::move(from_slots), std::move(out_slots), distinct);
  n->children = std::move(parts);
  return n;
}

PlanPtr MakeEager(PlanPtr input) { return WithInput<EagerNode>(std::move(input)); }

std::string DescribeArrow(Dir d, const std::vector<std::string>& names) {
  return DirArrow(d, TypeList(names));
}

}  // namespace lodestone::query
