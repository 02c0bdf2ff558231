// Write operators: CREATE, MERGE, SET, REMOVE, DELETE. All write through the statement's transaction,
// whose view they read again, so later clauses see what earlier ones wrote.
#include <algorithm>

#include "query/exec/plan.h"

namespace lodestone::query {
namespace {

WriteTxn& Txn(ExecContext& ctx) {
  if (!ctx.txn()) {
    throw QueryException(QueryError::Kind::kReadOnly, "WriteInReadOnlyStatement",
                         "this statement writes, but it runs read-only");
  }
  return *ctx.txn();
}

void Check(const Status& s, ast::SourceLocation loc) {
  if (!s.ok()) ThrowStatus(s, loc);
}

Date DateProperty(const Value& v, const std::string& name, ast::SourceLocation loc) {
  if (v.is_date()) return v.as_date();
  if (v.is_string()) {
    auto d = Date::Parse(v.as_string());
    if (d.ok()) return *d;
    ThrowArgument(name + ": " + d.status().message(), loc, "InvalidDate");
  }
  ThrowType(name + " holds a date (e.g. date('2025-10')), not " + TypeName(v) + " " + v.ToString(), loc,
            "InvalidPropertyType");
}

void SetValidFrom(Validity* v, std::optional<Date> d) {
  if (v->empty()) v->push_back(Period{});
  v->front().from = d;
  if (v->size() == 1 && !v->front().from && !v->front().to) v->clear();
}

void SetValidTo(Validity* v, std::optional<Date> d) {
  if (v->empty()) v->push_back(Period{});
  v->back().to = d;
  if (v->size() == 1 && !v->front().from && !v->front().to) v->clear();
}

void CheckStorable(const Value& v, const std::string& name, ast::SourceLocation loc) {
  if (!v.IsStorable()) {
    ThrowType("property '" + name + "' cannot hold a " + TypeName(v) + " value; store a key or an id instead",
              loc, "InvalidPropertyType");
  }
}

// Assigns one property (null removes it); reserved names set the key or valid time. Returns whether
// anything counts as a property set.
template <typename Record>
bool Assign(ExecContext& ctx, Record& r, const std::string& name, std::optional<PropKeyId> key,
            const Value& v, ast::SourceLocation loc) {
  if (name == kKeyProperty) {
    if (v.is_null()) {
      bool had = !r.key.empty();
      r.key.clear();
      return had;
    }
    if (!v.is_string())
      ThrowType("the key property holds a key like 'actor/china', not " + TypeName(v), loc,
                "InvalidPropertyType");
    r.key = v.as_string();
    return true;
  }
  if (name == kValidFromProperty || name == kValidToProperty) {
    std::optional<Date> d;
    if (!v.is_null()) d = DateProperty(v, name, loc);
    if (name == kValidFromProperty) {
      SetValidFrom(&r.validity, d);
    } else {
      SetValidTo(&r.validity, d);
    }
    return true;
  }
  CheckStorable(v, name, loc);
  PropKeyId id = key ? *key : ctx.InternPropKeyName(name);
  bool had = FindProperty(r.props, id) != nullptr;
  SetProperty(&r.props, id, v);
  return !v.is_null() || had;
}

template <typename Record>
void AssignMap(ExecContext& ctx, Record& r, const ValueMap& m, ast::SourceLocation loc) {
  for (const auto& [k, v] : m) {
    if (Assign(ctx, r, k, std::nullopt, v, loc) && !v.is_null()) ctx.stats().properties_set++;
  }
}

ValueMap MapArg(ExecContext& ctx, const Value& v, ast::SourceLocation loc) {
  if (v.is_null()) return {};
  if (v.is_map()) return v.as_map();
  if (v.is_node() || v.is_rel()) return EntityProperties(ctx, v, loc);
  ThrowType("expected a map of properties, not " + TypeName(v) + " " + v.ToString(), loc,
            "InvalidPropertyType");
}

NodeId MustNode(ExecContext& ctx, const Value& v, const char* what, ast::SourceLocation loc) {
  if (v.is_null()) {
    throw QueryException(QueryError::Kind::kSemanticError, "CreatingRelationshipWithNullNode",
                         std::string("cannot create a relationship ") + what + " a null node", loc);
  }
  if (!v.is_node())
    ThrowType(std::string("expected a node ") + what + " the relationship, not " + TypeName(v), loc);
  if (ctx.deleted_nodes.count(v.as_node().id)) {
    throw QueryException(
        QueryError::Kind::kEntityNotFound, "DeletedEntityAccess",
        std::string("cannot create a relationship ") + what + " a node deleted earlier in this statement",
        loc);
  }
  return v.as_node().id;
}

}  // namespace

void ApplyCreate(ExecContext& ctx, Row& row, const CreateSpec& spec) {
  WriteTxn& txn = Txn(ctx);
  for (const CreateNodeSpec& n : spec.nodes) {
    if (n.bound) {
      MustNode(ctx, row[static_cast<size_t>(n.slot)], "from", {});
      continue;
    }
    NodeRecord r;
    for (uint32_t s : n.label_symbols) r.labels.push_back(ctx.InternLabel(s));
    std::sort(r.labels.begin(), r.labels.end());
    r.labels.erase(std::unique(r.labels.begin(), r.labels.end()), r.labels.end());
    if (n.properties) {
      ValueMap m = MapArg(ctx, n.properties->Eval(ctx, row), n.properties->location());
      AssignMap(ctx, r, m, n.properties->location());
    }
    ctx.stats().labels_added += static_cast<int64_t>(r.labels.size());
    auto id = txn.CreateNode(std::move(r));
    if (!id.ok()) ThrowStatus(id.status(), n.properties ? n.properties->location() : ast::SourceLocation{});
    ctx.stats().nodes_created++;
    row[static_cast<size_t>(n.slot)] = Value(NodeRef{*id});
  }
  for (const CreateRelSpec& rs : spec.rels) {
    NodeId from = MustNode(ctx, row[static_cast<size_t>(rs.from)], "from", {});
    NodeId to = MustNode(ctx, row[static_cast<size_t>(rs.to)], "to", {});
    RelRecord r;
    if (rs.properties) {
      ValueMap m = MapArg(ctx, rs.properties->Eval(ctx, row), rs.properties->location());
      AssignMap(ctx, r, m, rs.properties->location());
    }
    auto rel = txn.CreateRel(from, ctx.InternRelType(rs.type_symbol), to, std::move(r));
    if (!rel.ok()) ThrowStatus(rel.status());
    ctx.stats().relationships_created++;
    row[static_cast<size_t>(rs.slot)] = Value(*rel);
  }
  for (const auto& [slot, e] : spec.paths) row[static_cast<size_t>(slot)] = e->Eval(ctx, row);
}

namespace {

bool IsReservedProperty(const std::string& name) {
  return name == kKeyProperty || name == kValidFromProperty || name == kValidToProperty;
}

// The property items of SET and REMOVE, the same for nodes and relationships.
template <typename Record>
void ApplyPropertyItem(ExecContext& ctx, Row& row, const SetSpec& item, Record& r) {
  switch (item.kind) {
    case SetSpec::Kind::kProperty: {
      Value v = item.value->Eval(ctx, row);
      std::optional<PropKeyId> key;
      if (!IsReservedProperty(item.prop_name)) key = ctx.InternPropKey(item.prop_symbol);
      if (Assign(ctx, r, item.prop_name, key, v, item.loc) && !v.is_null()) ctx.stats().properties_set++;
      break;
    }
    case SetSpec::Kind::kRemoveProperty:
      if (IsReservedProperty(item.prop_name)) {
        Assign(ctx, r, item.prop_name, std::nullopt, Value(), item.loc);
      } else if (auto key = ctx.prop_key(item.prop_symbol)) {
        SetProperty(&r.props, *key, Value());
      }
      break;
    case SetSpec::Kind::kReplace: {
      ValueMap m = MapArg(ctx, item.value->Eval(ctx, row), item.loc);
      r.props.clear();
      r.validity.clear();
      AssignMap(ctx, r, m, item.loc);
      break;
    }
    case SetSpec::Kind::kMerge:
      AssignMap(ctx, r, MapArg(ctx, item.value->Eval(ctx, row), item.loc), item.loc);
      break;
    case SetSpec::Kind::kLabels:
    case SetSpec::Kind::kRemoveLabels:
      break;  // nodes only: ApplySet handles them
  }
}

[[noreturn]] void ThrowUpdateDeleted(const char* what, ast::SourceLocation loc) {
  throw QueryException(QueryError::Kind::kEntityNotFound, "DeletedEntityAccess",
                       std::string("cannot update a ") + what + " deleted earlier in this statement", loc);
}

}  // namespace

void ApplySet(ExecContext& ctx, Row& row, const SetSpec& item) {
  WriteTxn& txn = Txn(ctx);
  Value target = item.target->Eval(ctx, row);
  if (target.is_null()) return;  // SET on a missing OPTIONAL MATCH binding does nothing
  bool labels = item.kind == SetSpec::Kind::kLabels || item.kind == SetSpec::Kind::kRemoveLabels;
  if (target.is_node()) {
    NodeId id = target.as_node().id;
    if (ctx.deleted_nodes.count(id)) ThrowUpdateDeleted("node", item.loc);
    const NodeRecord* cur = ctx.Node(id);
    if (!cur) return;
    NodeRecord r = *cur;
    if (item.kind == SetSpec::Kind::kLabels) {
      for (uint32_t s : item.label_symbols) {
        LabelId l = ctx.InternLabel(s);
        if (!r.HasLabel(l)) {
          r.labels.insert(std::lower_bound(r.labels.begin(), r.labels.end(), l), l);
          ctx.stats().labels_added++;
        }
      }
    } else if (item.kind == SetSpec::Kind::kRemoveLabels) {
      for (uint32_t s : item.label_symbols) {
        auto l = ctx.label(s);
        if (l && r.HasLabel(*l)) {
          r.labels.erase(std::find(r.labels.begin(), r.labels.end(), *l));
          ctx.stats().labels_removed++;
        }
      }
    } else {
      ApplyPropertyItem(ctx, row, item, r);
    }
    Check(txn.UpdateNode(id, std::move(r)), item.loc);
    ctx.ForgetNode(id);
    return;
  }
  if (target.is_rel()) {
    const RelRef& ref = target.as_rel();
    if (ctx.deleted_rels.count(ref.id)) ThrowUpdateDeleted("relationship", item.loc);
    if (labels) ThrowType("relationships have a type, not labels", item.loc);
    RelRecord r;
    if (!ctx.RelRecordOf(ref, &r)) return;
    ApplyPropertyItem(ctx, row, item, r);
    Check(txn.UpdateRel(ref, std::move(r)), item.loc);
    return;
  }
  ThrowType(
      "SET and REMOVE work on nodes and relationships, not on " + TypeName(target) + " " + target.ToString(),
      item.loc, "InvalidArgumentType");
}

namespace {

class CreateOp final : public Operator {
 public:
  CreateOp(const CreateSpec* spec, std::unique_ptr<Operator> input) : spec_(spec), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override { input_->Open(ctx, row); }
  bool Next(ExecContext& ctx, Row& row) override {
    if (!input_->Next(ctx, row)) return false;
    ApplyCreate(ctx, row, *spec_);
    return true;
  }

 private:
  const CreateSpec* spec_;
  std::unique_ptr<Operator> input_;
};

class CreateNode final : public PlanNode {
 public:
  explicit CreateNode(CreateSpec s) : spec(std::move(s)) {}
  std::string Describe() const override {
    return "Create " + std::to_string(spec.nodes.size()) + " node pattern(s), " +
           std::to_string(spec.rels.size()) + " relationship(s)";
  }
  CreateSpec spec;

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<CreateOp>(&spec, Child(0, p));
  }
};

class SetOp final : public Operator {
 public:
  SetOp(const std::vector<SetSpec>* items, std::unique_ptr<Operator> input)
      : items_(items), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override { input_->Open(ctx, row); }
  bool Next(ExecContext& ctx, Row& row) override {
    if (!input_->Next(ctx, row)) return false;
    for (const SetSpec& item : *items_) ApplySet(ctx, row, item);
    return true;
  }

 private:
  const std::vector<SetSpec>* items_;
  std::unique_ptr<Operator> input_;
};

class SetNode final : public PlanNode {
 public:
  explicit SetNode(std::vector<SetSpec> i) : items(std::move(i)) {}
  std::string Describe() const override {
    return "SetProperties (" + std::to_string(items.size()) + " item(s))";
  }
  std::vector<SetSpec> items;

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<SetOp>(&items, Child(0, p));
  }
};

void DeleteRel(ExecContext& ctx, const RelRef& rel, ast::SourceLocation loc) {
  if (ctx.deleted_rels.count(rel.id)) return;
  RelRecord r;
  if (!ctx.RelRecordOf(rel, &r)) return;
  Check(Txn(ctx).DeleteRel(rel), loc);
  ctx.deleted_rels.insert(rel.id);
  ctx.stats().relationships_deleted++;
}

void DeleteNode(ExecContext& ctx, NodeId id, bool detach, ast::SourceLocation loc) {
  if (ctx.deleted_nodes.count(id)) return;
  if (!ctx.Node(id)) return;
  if (detach) {
    std::vector<RelRef> rels;
    auto cur = ctx.view().ScanAdj(id, {});
    for (; cur->Valid(); cur->Next()) rels.push_back(cur->entry().rel);
    if (!cur->status().ok()) ThrowStatus(cur->status(), loc);
    for (const RelRef& r : rels) DeleteRel(ctx, r, loc);
  } else {
    auto cur = ctx.view().ScanAdj(id, {});
    if (cur->Valid()) {
      // Later rows may still delete the relationships; decide when the statement ends.
      ctx.deferred_deletes.push_back(id);
      ctx.deleted_nodes.insert(id);
      return;
    }
  }
  Check(Txn(ctx).DeleteNode(id, false), loc);
  ctx.ForgetNode(id);
  ctx.deleted_nodes.insert(id);
  ctx.stats().nodes_deleted++;
}

class DeleteOp final : public Operator {
 public:
  DeleteOp(const std::vector<ExprPtr>* targets, bool detach, std::unique_ptr<Operator> input)
      : targets_(targets), detach_(detach), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override { input_->Open(ctx, row); }
  bool Next(ExecContext& ctx, Row& row) override {
    if (!input_->Next(ctx, row)) return false;
    // Relationships first, so that DELETE n, r on a node and its relationship succeeds.
    std::vector<std::pair<Value, ast::SourceLocation>> nodes;
    for (const auto& t : *targets_) {
      Value v = t->Eval(ctx, row);
      if (v.is_null()) continue;
      if (v.is_rel()) {
        DeleteRel(ctx, v.as_rel(), t->location());
      } else if (v.is_node()) {
        nodes.emplace_back(v, t->location());
      } else if (v.is_path()) {
        for (const RelRef& r : v.as_path().rels) DeleteRel(ctx, r, t->location());
        for (const NodeRef& n : v.as_path().nodes) nodes.emplace_back(Value(n), t->location());
      } else {
        ThrowType("DELETE removes nodes, relationships and paths, not " + TypeName(v) + " " + v.ToString(),
                  t->location(), "InvalidArgumentType");
      }
    }
    for (const auto& [v, loc] : nodes) DeleteNode(ctx, v.as_node().id, detach_, loc);
    return true;
  }

 private:
  const std::vector<ExprPtr>* targets_;
  bool detach_;
  std::unique_ptr<Operator> input_;
};

class DeleteNodeP final : public PlanNode {
 public:
  DeleteNodeP(std::vector<ExprPtr> t, bool d) : targets(std::move(t)), detach(d) {}
  std::string Describe() const override {
    std::string s = detach ? "DetachDelete" : "Delete";
    for (size_t i = 0; i < targets.size(); ++i) s += (i ? ", " : " ") + targets[i]->ToString();
    return s;
  }
  std::vector<ExprPtr> targets;
  bool detach;

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<DeleteOp>(&targets, detach, Child(0, p));
  }
};

class MergeNodeP;

class MergeOp final : public Operator {
 public:
  MergeOp(const MergeNodeP* node, std::unique_ptr<Operator> match, std::unique_ptr<Operator> input)
      : node_(node), match_(std::move(match)), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override {
    input_->Open(ctx, row);
    pending_.clear();
    next_ = 0;
  }
  bool Next(ExecContext& ctx, Row& row) override;

 private:
  const MergeNodeP* node_;
  std::unique_ptr<Operator> match_;
  std::unique_ptr<Operator> input_;
  std::vector<Row> pending_;
  size_t next_ = 0;
};

class MergeNodeP final : public PlanNode {
 public:
  MergeNodeP(CreateSpec c, std::vector<SetSpec> oc, std::vector<SetSpec> om)
      : create(std::move(c)), on_create(std::move(oc)), on_match(std::move(om)) {}
  std::string Describe() const override { return "Merge"; }
  CreateSpec create;
  std::vector<SetSpec> on_create, on_match;

 protected:
  // children[0]: input; children[1]: the match.
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<MergeOp>(this, Child(1, p), Child(0, p));
  }
};

bool MergeOp::Next(ExecContext& ctx, Row& row) {
  for (;;) {
    if (next_ < pending_.size()) {
      row = std::move(pending_[next_++]);
      for (const SetSpec& s : node_->on_match) ApplySet(ctx, row, s);
      return true;
    }
    if (!input_->Next(ctx, row)) return false;
    // Read every match first, then write: the writes must not disturb the reads.
    pending_.clear();
    next_ = 0;
    Row probe = row;
    match_->Open(ctx, probe);
    while (match_->Next(ctx, probe)) {
      ctx.Tick();
      pending_.push_back(probe);
    }
    if (!pending_.empty()) continue;
    ApplyCreate(ctx, row, node_->create);
    for (const SetSpec& s : node_->on_create) ApplySet(ctx, row, s);
    return true;
  }
}

}  // namespace

PlanPtr MakeCreate(CreateSpec spec, PlanPtr input) {
  auto n = std::make_shared<CreateNode>(std::move(spec));
  n->children.push_back(std::move(input));
  return n;
}

PlanPtr MakeSet(std::vector<SetSpec> items, PlanPtr input) {
  auto n = std::make_shared<SetNode>(std::move(items));
  n->children.push_back(std::move(input));
  return n;
}

PlanPtr MakeDelete(std::vector<ExprPtr> targets, bool detach, PlanPtr input) {
  auto n = std::make_shared<DeleteNodeP>(std::move(targets), detach);
  n->children.push_back(std::move(input));
  return n;
}

PlanPtr MakeMerge(PlanPtr match, CreateSpec create, std::vector<SetSpec> on_create,
                  std::vector<SetSpec> on_match, PlanPtr input) {
  auto n = std::make_shared<MergeNodeP>(std::move(create), std::move(on_create), std::move(on_match));
  n->children.push_back(std::move(input));
  n->children.push_back(std::move(match));
  return n;
}

}  // namespace lodestone::query
