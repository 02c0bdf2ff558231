// Traversals: Expand (one hop, by time, variable length, distinct ends), ShortestPath, and Count (a
// hop or a label's members counted without rows).
#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "query/exec/operators_internal.h"
#include "query/limits.h"
#include "util/strings.h"

namespace lodestone::query {
namespace {

using namespace exec_internal;  // NOLINT: the helpers shared by the operators' files

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

// The distinct ends of a variable-length pattern (ExpandSpec::distinct_ends): every node within
// max_hops of a start node (min_hops is at most 1), each once, without the start itself. Breadth-
// first over the topology cache's arrays with a bitmap of visited nodes when the view has them for
// every type asked and every relationship counts; else with cursors and a hash set. Used by Expand,
// which yields the ends, and by Count, which counts them.
class EndsSearch {
 public:
  // `keep` (may be null) decides whether a relationship may be followed (VALID AT); with it, the
  // search reads RocksDB.
  using Keep = std::function<bool(const AdjEntry&, AdjCursor*)>;
  const std::vector<NodeId>& Run(ExecContext& ctx, const ExpandSpec& s, NodeId from, const Keep* keep) {
    found_.clear();
    if (!keep && InMemory(ctx, s, from)) return found_;
    seen_.clear();
    seen_.insert(from);
    std::vector<NodeId> frontier{from}, next;
    TypedScan scan;
    for (int64_t depth = 0; depth < s.max_hops && !frontier.empty(); ++depth) {
      next.clear();
      for (NodeId n : frontier) {
        scan.Start(ctx, n, s.dir, s.type_symbols, std::nullopt);
        while (const AdjEntry* e = scan.Next(ctx)) {
          ctx.Tick();
          if (keep && !(*keep)(*e, scan.cursor())) continue;
          if (seen_.insert(e->other).second) {
            next.push_back(e->other);
            if (depth + 1 >= s.min_hops) found_.push_back(e->other);
          }
        }
      }
      frontier.swap(next);
    }
    ctx.Charge(static_cast<int64_t>(seen_.size()) * 16);
    return found_;
  }

 private:
  // False (having done nothing) when the view has no cache for every type asked.
  bool InMemory(ExecContext& ctx, const ExpandSpec& s, NodeId from) {
    if (s.type_symbols.empty() || s.min_hops > 1) return false;
    std::vector<ReadView::AdjacencyArrays> arrays;  // in ScanAdj's order: per type, out then in
    for (uint32_t symbol : s.type_symbols) {
      auto type = ctx.rel_type(symbol);
      if (!type) continue;  // no relationship has this type
      for (Direction d : {Direction::kOut, Direction::kIn}) {
        if (auto only = StoreDir(s.dir); only && *only != d) continue;
        auto a = ctx.view().CachedAdjacency(*type, d);
        if (!a) return false;
        if (a->node_bound > 0) arrays.push_back(*a);
      }
    }
    uint64_t bound = from + 1;
    for (const auto& a : arrays) bound = std::max(bound, a.node_bound);
    if (visited_.size() < (bound + 63) / 64) visited_.resize((bound + 63) / 64);
    auto visit = [&](NodeId n) {
      uint64_t& word = visited_[n >> 6];
      const uint64_t bit = uint64_t{1} << (n & 63);
      if (word & bit) return false;
      word |= bit;
      return true;
    };
    visit(from);
    std::vector<NodeId> frontier{from}, next;
    for (int64_t depth = 0; depth < s.max_hops && !frontier.empty(); ++depth) {
      next.clear();
      for (NodeId n : frontier) {
        ctx.Tick();
        for (const auto& a : arrays) {
          if (n >= a.node_bound) continue;
          for (uint32_t i = a.offsets[n], end = a.offsets[n + 1]; i < end; ++i) {
            if (visit(a.other[i])) next.push_back(a.other[i]);
          }
        }
      }
      if (depth + 1 >= s.min_hops) found_.insert(found_.end(), next.begin(), next.end());
      frontier.swap(next);
    }
    // Leave the bitmap clear for the next search. Every visited node but the start is in found_,
    // since distinct ends have at most one hop as the minimum.
    visited_[from >> 6] = 0;
    for (NodeId n : found_) visited_[n >> 6] = 0;
    ctx.Charge(static_cast<int64_t>(found_.size()) * 8 + static_cast<int64_t>(visited_.size()) * 8);
    return true;
  }

  std::unordered_set<NodeId> seen_;
  std::vector<uint64_t> visited_;  // over node ids, all clear between searches
  std::vector<NodeId> found_;
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
  // Distinct ends: breadth-first.
  EndsSearch ends_;
  const std::vector<NodeId>* found_ = nullptr;
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
      if (spec.with_undated) s += " undated first";
      if (spec.newest_first) s += " newest first";
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
        // Of the pattern's types and direction only: the view follows nothing else (TimelineFilter).
        const DatedEntry& e = dated_->entry();
        AdjEntry a;
        a.dir = e.dir;
        a.other = e.node;
        a.rel = e.dir == Direction::kOut ? RelRef{e.rel, from_, e.node, e.type}
                                         : RelRef{e.rel, e.node, from_, e.type};
        std::optional<Date> date;
        if (e.dated) date = e.date;
        dated_->Next();
        bool distinct = true;
        for (int slot : s.distinct_from) {
          if (RelIn(row[static_cast<size_t>(slot)], a.rel.id)) distinct = false;
        }
        if (!distinct) continue;
        if (valid_at_) {
          RelRecord r;
          if (!ctx.RelRecordOf(a.rel, &r) || !CertainlyValidAt(r.validity, *valid_at_)) continue;
        }
        if (date_key_ && date) ctx.HintProperty(a.other, *date_key_, Value(*date));
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
    // A self-loop matches the pattern as any relationship does.
    TimelineFilter follow{{}, StoreDir(s.dir), /*self_loops=*/true, s.with_undated};
    for (uint32_t sym : s.type_symbols) {
      if (auto t = ctx.rel_type(sym)) follow.types.push_back(*t);
    }
    if (!s.type_symbols.empty() && follow.types.empty()) continue;  // none of the types exists
    std::sort(follow.types.begin(), follow.types.end());
    follow.types.erase(std::unique(follow.types.begin(), follow.types.end()), follow.types.end());
    date_key_ = ctx.prop_key(s.date_symbol);
    dated_ = ctx.view().ScanSubjectTime(from_, *window, follow,
                                        s.newest_first ? TimeOrder::kNewestFirst : TimeOrder::kOldestFirst);
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
    if (active_ && found_next_ < found_->size()) {
      row[static_cast<size_t>(s.rel)] = Value();
      row[static_cast<size_t>(s.to)] = Value(NodeRef{(*found_)[found_next_++]});
      return true;
    }
    if (!input_->Next(ctx, row)) return false;
    if (!StartRow(ctx, row)) continue;
    // The start node is not reported (the planner uses this only where the query excludes it).
    EndsSearch::Keep keep = [&](const AdjEntry& e, AdjCursor* cursor) { return RelOk(ctx, row, e, cursor); };
    found_ = &ends_.Run(ctx, s, from_, valid_at_ ? &keep : nullptr);
    found_next_ = 0;
    active_ = true;
  }
}

// ---------------------------------------------------------------- Count

// A pattern counted without producing its rows (CountSpec).
class CountNode;

class CountOp final : public Operator {
 public:
  CountOp(const CountNode* node, std::unique_ptr<Operator> input) : node_(node), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override {
    input_->Open(ctx, row);
    done_ = false;
    groups_.clear();
    group_of_.clear();
    next_group_ = 0;
    counted_.clear();
  }
  bool Next(ExecContext& ctx, Row& row) override;

 private:
  int64_t CountHop(ExecContext& ctx, Row& row);
  int64_t CountMembers(ExecContext& ctx, Row& row);
  int64_t CountDistinctEnds(ExecContext& ctx, Row& row);
  void CountTimes(ExecContext& ctx, Row& row);
  void AddToGroup(ExecContext& ctx, Row& row, int64_t n);
  const CountNode* node_;
  std::unique_ptr<Operator> input_;
  bool done_ = false;
  // kTime: the groups in first-seen order, with their counts; a group's key is its keys' values
  // (one value, or a list of them).
  std::vector<std::pair<Value, int64_t>> groups_;
  std::unordered_map<Value, size_t, ValueHash, ValueEquivalent> group_of_;
  size_t next_group_ = 0;
  // kDistinctEnds: the search, and the ends counted so far over every input row (a bitmap).
  EndsSearch ends_;
  std::vector<uint64_t> counted_;
};

class CountNode final : public PlanNode {
 public:
  explicit CountNode(CountSpec s) : spec(std::move(s)) {}
  std::string Describe() const override { return DescribeCount(spec); }
  CountSpec spec;

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<CountOp>(this, Child(0, p));
  }
};

bool CountOp::Next(ExecContext& ctx, Row& row) {
  const CountSpec& c = node_->spec;
  using Source = CountSpec::Source;
  if (c.source == Source::kTime) {
    if (!done_) {
      done_ = true;
      while (input_->Next(ctx, row)) CountTimes(ctx, row);
    }
    if (next_group_ >= groups_.size()) return false;
    const auto& [key, n] = groups_[next_group_++];
    for (size_t i = 0; i < c.keys.size(); ++i) {
      row[static_cast<size_t>(c.keys[i].first)] = c.keys.size() == 1 ? key : key.as_list()[i];
    }
    for (int slot : c.slots) row[static_cast<size_t>(slot)] = Value(n);
    return true;
  }
  if (done_) return false;
  done_ = true;
  int64_t n = 0;
  while (input_->Next(ctx, row)) {
    switch (c.source) {
      case Source::kHop:
        n += CountHop(ctx, row);
        break;
      case Source::kLabel:
        n += CountMembers(ctx, row);
        break;
      case Source::kDistinctEnds:
        n += CountDistinctEnds(ctx, row);
        break;
      case Source::kTime:
        break;
    }
  }
  for (int slot : c.slots) row[static_cast<size_t>(slot)] = Value(n);
  return true;
}

// Whether node `n` is in a bitmap over node ids (ReadView::CachedLabelBits).
inline bool InBitmap(const std::vector<uint64_t>& bits, NodeId n) {
  return n / 64 < bits.size() && ((bits[n / 64] >> (n % 64)) & 1);
}

// Whether a node carries every label in `labels`: from the cache's bitmaps where it has them (bits,
// parallel to labels), else from the view.
bool CarriesAll(ReadView& view, NodeId node, const std::vector<LabelId>& labels,
                const std::vector<const std::vector<uint64_t>*>& bits) {
  for (size_t i = 0; i < labels.size(); ++i) {
    if (bits[i]) {
      if (!InBitmap(*bits[i], node)) return false;
    } else {
      auto has = view.HasLabel(node, labels[i]);
      if (!has.ok()) ThrowStatus(has.status());
      if (!*has) return false;
    }
  }
  return true;
}

// The labels named by `symbols`, with the cache's bitmaps of them (for CarriesAll); false when a
// label is unknown (no node carries it).
bool LabelsOf(ExecContext& ctx, const std::vector<uint32_t>& symbols, std::vector<LabelId>* labels,
              std::vector<const std::vector<uint64_t>*>* bits) {
  for (uint32_t symbol : symbols) {
    auto label = ctx.label(symbol);
    if (!label) return false;
    labels->push_back(*label);
    bits->push_back(ctx.view().CachedLabelBits(*label));
  }
  return true;
}

int64_t CountOp::CountDistinctEnds(ExecContext& ctx, Row& row) {
  const CountSpec& c = node_->spec;
  const Value& from = row[static_cast<size_t>(c.expand.from)];
  if (from.is_null()) return 0;
  if (!from.is_node()) ThrowType("expected a node to expand from, not " + TypeName(from));
  std::vector<LabelId> labels;
  std::vector<const std::vector<uint64_t>*> bits;
  if (!LabelsOf(ctx, c.to_labels, &labels, &bits)) return 0;
  const std::vector<NodeId>& found = ends_.Run(ctx, c.expand, from.as_node().id, nullptr);
  // DISTINCT over every input row: a bitmap of the ends counted so far (node ids are dense).
  int64_t n = 0;
  const size_t words = counted_.size();
  for (NodeId end : found) {
    ctx.Tick();
    if (!CarriesAll(ctx.view(), end, labels, bits)) continue;
    if (end / 64 >= counted_.size()) counted_.resize(end / 64 + 1);
    uint64_t& word = counted_[end / 64];
    const uint64_t bit = uint64_t{1} << (end % 64);
    if (word & bit) continue;
    word |= bit;
    ++n;
  }
  ctx.Charge(static_cast<int64_t>(counted_.size() - words) * 8);
  return n;
}

int64_t CountOp::CountHop(ExecContext& ctx, Row& row) {
  const CountSpec& c = node_->spec;
  const ExpandSpec& s = c.expand;
  const Value& from = row[static_cast<size_t>(s.from)];
  if (from.is_null()) return 0;
  if (!from.is_node()) ThrowType("expected a node to expand from, not " + TypeName(from));
  const NodeId node = from.as_node().id;
  ReadView& view = ctx.view();
  // The far node's labels: bitmaps where the cache has them, else a test per node.
  std::vector<LabelId> labels;
  std::vector<const std::vector<uint64_t>*> bits;
  if (!LabelsOf(ctx, c.to_labels, &labels, &bits)) return 0;  // no node carries a label asked for
  auto carries = [&](NodeId other) { return CarriesAll(view, other, labels, bits); };
  const Direction dir = s.dir == Dir::kIn ? Direction::kIn : Direction::kOut;
  auto count_type = [&](std::optional<RelTypeId> type) {
    int64_t k = 0;
    if (type) {
      if (auto a = view.CachedAdjacency(*type, dir)) {
        if (node >= a->node_bound) return k;
        for (uint32_t i = a->offsets[node], end = a->offsets[node + 1]; i < end; ++i) {
          if (labels.empty() || carries(a->other[i])) ++k;
        }
        ctx.Tick();
        return k;
      }
    }
    ScanOptions o;
    o.dir = dir;
    o.type = type;
    auto cursor = view.ScanAdj(node, o);
    for (; cursor->Valid(); cursor->Next()) {
      ctx.Tick();
      if (labels.empty() || carries(cursor->entry().other)) ++k;
    }
    if (!cursor->status().ok()) ThrowStatus(cursor->status());
    return k;
  };
  if (s.type_symbols.empty()) return count_type(std::nullopt);
  int64_t n = 0;
  for (uint32_t symbol : s.type_symbols) {
    if (auto type = ctx.rel_type(symbol)) n += count_type(*type);
  }
  return n;
}

int64_t CountOp::CountMembers(ExecContext& ctx, Row& row) {
  const ScanSpec& s = node_->spec.scan;
  auto label = ctx.label(s.label_symbol);
  if (!label) return 0;
  std::optional<Date> at;
  if (s.valid_at) at = AsValidTimeDate(s.valid_at->Eval(ctx, row), s.valid_at->location());
  if (at) {
    if (const auto* index = ctx.view().CachedValidityIndex(*label)) return CountCertainlyValidAt(*index, *at);
  }
  int64_t n = 0;
  auto cursor = ctx.view().ScanLabel(*label);
  for (; cursor->Valid(); cursor->Next()) {
    ctx.Tick();
    if (!at || NodeValidAt(ctx, cursor->entry().id, cursor->entry().validity, *at)) ++n;
  }
  if (!cursor->status().ok()) ThrowStatus(cursor->status());
  return n;
}

void CountOp::CountTimes(ExecContext& ctx, Row& row) {
  const CountSpec& c = node_->spec;
  const ScanSpec& s = c.scan;
  ReadView& view = ctx.view();
  // The scan's label, with the cache's bitmap of it.
  std::vector<LabelId> labels;
  std::vector<const std::vector<uint64_t>*> bits;
  if (s.has_label && !LabelsOf(ctx, {s.label_symbol}, &labels, &bits)) return;  // no node carries it
  std::optional<Date> at;
  if (s.valid_at) at = AsValidTimeDate(s.valid_at->Eval(ctx, row), s.valid_at->location());
  const std::optional<TimeBounds> bounds = TimeBounds::Eval(ctx, row, s);
  if (!bounds) return;
  const std::optional<PropKeyId> date_key = ctx.prop_key(s.prop_symbol);
  const size_t slot = static_cast<size_t>(c.scan_slot);
  // The index is in date order: the nodes of one date are a run, and the keys (expressions of the
  // date alone) are evaluated once per run, on its first node.
  std::optional<Date> date;
  bool in_bounds = false;
  int64_t n = 0;
  NodeId first = 0;
  auto end_run = [&] {
    if (n == 0) return;
    row[slot] = Value(NodeRef{first});
    if (date_key) ctx.HintProperty(first, *date_key, Value(*date));
    AddToGroup(ctx, row, n);
    n = 0;
  };
  auto cursor = view.ScanTime(bounds->window);
  for (; cursor->Valid(); cursor->Next()) {
    ctx.Tick();
    const DatedEntry& e = cursor->entry();
    if (!date || !(e.date == *date)) {
      end_run();
      date = e.date;
      in_bounds = bounds->Admits(e.date);
    }
    if (!in_bounds) continue;
    if (!labels.empty()) {
      // The cache's bitmap, else the labels the index read from RocksDB holds, else a lookup. The
      // bitmap is tested here, not through CarriesAll's loop: this runs once per dated node.
      bool has = bits[0]    ? InBitmap(*bits[0], e.node)
                 : e.labels ? std::find(e.labels->begin(), e.labels->end(), labels[0]) != e.labels->end()
                            : CarriesAll(view, e.node, labels, bits);
      if (!has) continue;
    }
    if (at && !NodeValidAt(ctx, e.node, nullptr, *at)) continue;
    if (n++ == 0) first = e.node;
  }
  if (!cursor->status().ok()) ThrowStatus(cursor->status());
  end_run();
}

void CountOp::AddToGroup(ExecContext& ctx, Row& row, int64_t n) {
  const CountSpec& c = node_->spec;
  Value key;
  if (c.keys.size() == 1) {
    key = c.keys[0].second->Eval(ctx, row);
  } else {
    ValueList values;
    for (const auto& k : c.keys) values.push_back(k.second->Eval(ctx, row));
    key = Value(std::move(values));
  }
  // Runs of one group are usually next to each other (months of consecutive dates).
  if (!groups_.empty() && Equivalent(groups_.back().first, key)) {
    groups_.back().second += n;
    return;
  }
  auto [it, added] = group_of_.emplace(key, groups_.size());
  if (added) {
    ctx.Charge(64 + 2 * ApproxBytes(key));
    groups_.emplace_back(std::move(key), 0);
  }
  groups_[it->second].second += n;
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

}  // namespace

PlanPtr MakeExpand(ExpandSpec spec, PlanPtr input) {
  return WithInput<ExpandNode>(std::move(input), std::move(spec));
}

PlanPtr MakeShortestPath(ShortestPathSpec spec, PlanPtr input) {
  return WithInput<ShortestPathNode>(std::move(input), std::move(spec));
}

PlanPtr MakeCount(CountSpec spec, PlanPtr input) {
  return WithInput<CountNode>(std::move(input), std::move(spec));
}

std::string DescribeCount(const CountSpec& spec) {
  const std::string labels = spec.label_names.empty() ? "" : " to :" + util::Join(spec.label_names, ":");
  switch (spec.source) {
    case CountSpec::Source::kLabel:
      return "Count :" + spec.scan_label +
             (spec.scan.valid_at ? " VALID AT " + spec.scan.valid_at->ToString() : "");
    case CountSpec::Source::kHop:
      return "Count " + spec.expand.description + labels;
    case CountSpec::Source::kDistinctEnds:
      return "Count(distinct ends) " + spec.expand.description + " *" + std::to_string(spec.expand.min_hops) +
             ".." + std::to_string(spec.expand.max_hops) + labels;
    case CountSpec::Source::kTime: {
      std::vector<std::string> keys;
      for (const auto& k : spec.keys) keys.push_back(k.second->ToString());
      const ScanSpec& s = spec.scan;
      std::string out = "Count BY " + util::Join(keys, ", ") + " OVER TimeRange (" + spec.scan_var + ") " +
                        DescribeBounds(s) + (s.has_label ? " :" + spec.scan_label : "") + " ." +
                        spec.scan_prop;
      if (s.valid_at) out += " VALID AT " + s.valid_at->ToString();
      return out;
    }
  }
  return "Count";
}

}  // namespace lodestone::query
