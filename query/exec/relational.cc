// The relational operators: Filter, Project, Aggregate, Distinct, Sort, Skip, Limit, Unwind, Optional, Union,
// Eager.
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
  SortNode(std::vector<SortKey> k, ExprPtr s, ExprPtr l, bool ordered)
      : keys(std::move(k)), skip(std::move(s)), limit(std::move(l)), input_ordered(ordered && limit) {}
  std::string Describe() const override {
    return (limit ? "Top" : "Sort") + DescribeSort(keys, skip, limit, input_ordered);
  }
  std::vector<SortKey> keys;
  ExprPtr skip, limit;
  bool input_ordered;

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
        // Every row from here on has a first key at least as far along (in the key's direction) as
        // this one's: none can be kept. Rows whose key is not a date come before the dated ones
        // (ExpandSpec::with_undated) and in no order.
        if (node_->input_ordered && k[0].is_date()) {
          const int c = OrderCompare(k[0], rows_.front().first[0]);
          if (keys[0].descending ? c < 0 : c > 0) break;
        }
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

}  // namespace

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

std::string DescribeSort(const std::vector<SortKey>& keys, const ExprPtr& skip, const ExprPtr& limit,
                         bool input_ordered) {
  std::string s;
  for (size_t i = 0; i < keys.size(); ++i) {
    s += (i ? ", " : " ") + keys[i].expr->ToString() + (keys[i].descending ? " DESC" : "");
  }
  if (limit) s += " LIMIT " + (skip ? skip->ToString() + " + " : "") + limit->ToString();
  if (input_ordered) s += " (input in order of " + keys[0].expr->ToString() + ")";
  return s;
}

PlanPtr MakeSort(std::vector<SortKey> keys, ExprPtr skip, ExprPtr limit, PlanPtr input, bool input_ordered) {
  return WithInput<SortNode>(std::move(input), std::move(keys), std::move(skip), std::move(limit),
                             input_ordered);
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

}  // namespace lodestone::query
