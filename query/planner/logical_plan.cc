#include "query/planner/logical_plan.h"

namespace lodestone::query {
namespace {

LogicalPtr Op(LogicalOpKind kind, LogicalPtr input) {
  auto op = std::make_shared<LogicalOp>();
  op->kind = kind;
  if (input) op->children.push_back(std::move(input));
  return op;
}

std::string Items(const std::vector<std::pair<int, ExprPtr>>& items) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : " ") + items[i].second->ToString();
  return s;
}

std::string ScanBy(const LogicalOp& op) {
  switch (op.scan.kind) {
    case ScanSpec::Kind::kAll:
      return "every node";
    case ScanSpec::Kind::kLabel:
      return "label";
    case ScanSpec::Kind::kIndexSeek:
      return "index on ." + op.scan_prop;
    case ScanSpec::Kind::kKey:
      return "key " + op.scan.key->ToString();
    case ScanSpec::Kind::kTime:
      return "time on ." + op.scan_prop;
    case ScanSpec::Kind::kSlot:
      return "argument";
  }
  return "?";
}

}  // namespace

std::string LogicalOp::Describe() const {
  switch (kind) {
    case LogicalOpKind::kStart:
      return "Start";
    case LogicalOpKind::kNodeScan:
      return "Scan (" + var + (scan.has_label ? ":" + scan_label : "") + ") by " + ScanBy(*this) +
             (scan.valid_at ? " VALID AT " + scan.valid_at->ToString() : "");
    case LogicalOpKind::kExpand: {
      std::string s = "Expand " + expand.description;
      if (expand.var_length)
        s += " *" + std::to_string(expand.min_hops) + ".." + std::to_string(expand.max_hops);
      if (expand.distinct_ends) s += " (distinct ends)";
      if (expand.by_time) s += " (by time)";
      if (expand.valid_at) s += " VALID AT " + expand.valid_at->ToString();
      return s;
    }
    case LogicalOpKind::kShortestPath:
      return std::string(shortest.all ? "AllShortestPaths " : "ShortestPath ") + shortest.description;
    case LogicalOpKind::kFilter:
      return "Filter " + expr->ToString();
    case LogicalOpKind::kProject:
      return "Project" + Items(items);
    case LogicalOpKind::kAggregate: {
      std::string s = "Aggregate";
      for (size_t i = 0; i < aggregates.size(); ++i) s += (i ? ", " : " ") + aggregates[i].description;
      if (!items.empty()) s += " BY" + Items(items);
      return s;
    }
    case LogicalOpKind::kDistinct:
      return "Distinct";
    case LogicalOpKind::kSort:
      return "Sort" + DescribeSort(sort_keys, skip, limit, input_ordered);
    case LogicalOpKind::kSkip:
      return "Skip " + expr->ToString();
    case LogicalOpKind::kLimit:
      return "Limit " + expr->ToString();
    case LogicalOpKind::kUnwind:
      return "Unwind " + expr->ToString() + " AS " + var;
    case LogicalOpKind::kOptional:
      return "Optional";
    case LogicalOpKind::kUnion:
      return flag ? "Union" : "UnionAll";
    case LogicalOpKind::kEager:
      return "Eager";
    case LogicalOpKind::kCreate:
      return "Create";
    case LogicalOpKind::kMerge:
      return "Merge";
    case LogicalOpKind::kSet:
      return "Set";
    case LogicalOpKind::kDelete:
      return flag ? "DetachDelete" : "Delete";
    case LogicalOpKind::kProcedureCall:
      return DescribeProcedureCall(call);
    case LogicalOpKind::kCount:
      return DescribeCount(count);
  }
  return "?";
}

std::string LogicalOp::Explain() const {
  std::string out;
  std::function<void(const LogicalOp&, int)> walk = [&](const LogicalOp& op, int depth) {
    out += std::string(static_cast<size_t>(depth) * 2, ' ') + op.Describe() + "\n";
    for (const auto& c : op.children) walk(*c, depth + 1);
  };
  walk(*this, 0);
  return out;
}

void LogicalOp::ForEachExpr(const std::function<void(const Expr&)>& fn) const {
  auto each = [&](const ExprPtr& e) {
    if (e) fn(*e);
  };
  each(scan.lower);
  each(scan.upper);
  each(scan.key);
  each(scan.valid_at);
  each(count.scan.lower);
  each(count.scan.upper);
  each(count.scan.valid_at);
  for (const auto& key : count.keys) each(key.second);
  each(expand.valid_at);
  each(expand.time_lower);
  each(expand.time_upper);
  each(expr);
  for (const auto& item : items) each(item.second);
  for (const auto& a : aggregates) {
    each(a.arg);
    each(a.param);
  }
  for (const auto& k : sort_keys) each(k.expr);
  each(skip);
  each(limit);
  for (const auto& n : create.nodes) each(n.properties);
  for (const auto& r : create.rels) each(r.properties);
  for (const auto& path : create.paths) each(path.second);
  for (const auto* list : {&sets, &on_match}) {
    for (const auto& s : *list) {
      each(s.target);
      each(s.value);
    }
  }
  for (const auto& t : targets) each(t);
  for (const auto& a : call.args) each(a);
}

namespace logical {

LogicalPtr Start() { return Op(LogicalOpKind::kStart, nullptr); }

LogicalPtr NodeScan(int slot, std::string var, ScanSpec spec, std::string label, std::string prop,
                    LogicalPtr input) {
  auto op = Op(LogicalOpKind::kNodeScan, std::move(input));
  op->slot = slot;
  op->var = std::move(var);
  op->scan = std::move(spec);
  op->scan_label = std::move(label);
  op->scan_prop = std::move(prop);
  return op;
}

LogicalPtr Expand(ExpandSpec spec, LogicalPtr input) {
  auto op = Op(LogicalOpKind::kExpand, std::move(input));
  op->expand = std::move(spec);
  return op;
}

LogicalPtr ShortestPath(ShortestPathSpec spec, LogicalPtr input) {
  auto op = Op(LogicalOpKind::kShortestPath, std::move(input));
  op->shortest = std::move(spec);
  return op;
}

LogicalPtr Filter(ExprPtr predicate, LogicalPtr input) {
  auto op = Op(LogicalOpKind::kFilter, std::move(input));
  op->expr = std::move(predicate);
  return op;
}

LogicalPtr Project(std::vector<std::pair<int, ExprPtr>> items, LogicalPtr input) {
  auto op = Op(LogicalOpKind::kProject, std::move(input));
  op->items = std::move(items);
  return op;
}

LogicalPtr Aggregate(std::vector<std::pair<int, ExprPtr>> keys, std::vector<AggregateSpec> aggs,
                     LogicalPtr input) {
  auto op = Op(LogicalOpKind::kAggregate, std::move(input));
  op->items = std::move(keys);
  op->aggregates = std::move(aggs);
  return op;
}

LogicalPtr Distinct(std::vector<int> slots, LogicalPtr input) {
  auto op = Op(LogicalOpKind::kDistinct, std::move(input));
  op->slots = std::move(slots);
  return op;
}

LogicalPtr Sort(std::vector<SortKey> keys, ExprPtr skip, ExprPtr limit, LogicalPtr input) {
  auto op = Op(LogicalOpKind::kSort, std::move(input));
  op->sort_keys = std::move(keys);
  op->skip = std::move(skip);
  op->limit = std::move(limit);
  return op;
}

LogicalPtr Skip(ExprPtr count, LogicalPtr input) {
  auto op = Op(LogicalOpKind::kSkip, std::move(input));
  op->expr = std::move(count);
  return op;
}

LogicalPtr Limit(ExprPtr count, LogicalPtr input, bool drain_writes) {
  auto op = Op(LogicalOpKind::kLimit, std::move(input));
  op->expr = std::move(count);
  op->flag = drain_writes;
  return op;
}

LogicalPtr Unwind(int slot, std::string var, ExprPtr list, LogicalPtr input) {
  auto op = Op(LogicalOpKind::kUnwind, std::move(input));
  op->slot = slot;
  op->var = std::move(var);
  op->expr = std::move(list);
  return op;
}

LogicalPtr Optional(LogicalPtr inner, std::vector<int> null_slots, LogicalPtr input) {
  auto op = Op(LogicalOpKind::kOptional, std::move(input));
  op->children.push_back(std::move(inner));
  op->slots = std::move(null_slots);
  return op;
}

LogicalPtr Union(std::vector<LogicalPtr> parts, std::vector<std::vector<int>> from_slots,
                 std::vector<int> out_slots, bool distinct) {
  auto op = Op(LogicalOpKind::kUnion, nullptr);
  op->children = std::move(parts);
  op->from_slots = std::move(from_slots);
  op->slots = std::move(out_slots);
  op->flag = distinct;
  return op;
}

LogicalPtr Eager(LogicalPtr input) { return Op(LogicalOpKind::kEager, std::move(input)); }

LogicalPtr Create(CreateSpec spec, LogicalPtr input) {
  auto op = Op(LogicalOpKind::kCreate, std::move(input));
  op->create = std::move(spec);
  return op;
}

LogicalPtr Merge(LogicalPtr match, CreateSpec create, std::vector<SetSpec> on_create,
                 std::vector<SetSpec> on_match, LogicalPtr input) {
  auto op = Op(LogicalOpKind::kMerge, std::move(input));
  op->children.push_back(std::move(match));
  op->create = std::move(create);
  op->sets = std::move(on_create);
  op->on_match = std::move(on_match);
  return op;
}

LogicalPtr Set(std::vector<SetSpec> items, LogicalPtr input) {
  auto op = Op(LogicalOpKind::kSet, std::move(input));
  op->sets = std::move(items);
  return op;
}

LogicalPtr Delete(std::vector<ExprPtr> targets, bool detach, LogicalPtr input) {
  auto op = Op(LogicalOpKind::kDelete, std::move(input));
  op->targets = std::move(targets);
  op->flag = detach;
  return op;
}

LogicalPtr ProcedureCall(ProcedureCallSpec spec, LogicalPtr input) {
  auto op = Op(LogicalOpKind::kProcedureCall, std::move(input));
  op->call = std::move(spec);
  return op;
}

LogicalPtr Count(CountSpec spec, LogicalPtr input) {
  auto op = Op(LogicalOpKind::kCount, std::move(input));
  op->count = std::move(spec);
  return op;
}

}  // namespace logical
}  // namespace lodestone::query
