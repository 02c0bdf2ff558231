// NodeScan: the operator that starts a pattern (every node, a label, an index seek, a key, a time range).
#include <algorithm>
#include <cmath>
#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "query/exec/operators_internal.h"
#include "query/limits.h"

namespace lodestone::query {
namespace {

using namespace exec_internal;  // NOLINT: the helpers shared by the operators' files

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
  std::optional<TimeBounds> bounds_;   // time scans: what each date is compared with
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
    const std::string bounds = DescribeBounds(spec);
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
  return !valid_at_ || NodeValidAt(ctx, id, validity, *valid_at_);
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
      bounds_ = TimeBounds::Eval(ctx, row, s);
      if (!bounds_) return false;
      dated_ = view.ScanTime(bounds_->window);
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
        if (!bounds_->Admits(date)) {
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

}  // namespace

PlanPtr MakeNodeScan(int slot, std::string var, ScanSpec spec, std::string label, std::string prop,
                     PlanPtr input) {
  return WithInput<NodeScanNode>(std::move(input), slot, std::move(var), std::move(spec), std::move(label),
                                 std::move(prop));
}

}  // namespace lodestone::query
