#include "domain/functions.h"

#include <algorithm>

#include "domain/lifecycle.h"
#include "domain/records.h"
#include "query/eval/functions.h"
#include "query/eval/value_ops.h"
#include "query/exec/context.h"

namespace lodestone::domain {
namespace {

using query::ExecContext;

// The date a function's optional date argument gives (today without one); nullopt for null.
std::optional<Date> DateArgument(const char* fn, std::vector<Value>& args, size_t i,
                                 ast::SourceLocation loc) {
  if (args.size() <= i) return Today();
  const Value& d = args[i];
  if (d.is_null()) return std::nullopt;
  if (d.is_date()) return d.as_date();
  if (d.is_string()) {
    auto parsed = Date::Parse(d.as_string());
    if (!parsed.ok()) query::ThrowArgument(std::string(fn) + "(): " + parsed.status().message(), loc);
    return *parsed;
  }
  if (d.is_datetime()) return Date::Containing(d.as_datetime().Day(), DatePrecision::kDay);
  query::ThrowType(std::string(fn) + "() expects a date as its argument " + std::to_string(i + 1) + ", not " +
                       query::TypeName(d) + " " + d.ToString(),
                   loc);
}

// The node a function's first argument names (a type error for anything else); null when it no
// longer exists.
const NodeRecord* NodeArgument(ExecContext& ctx, const char* fn, const char* what, const Value& v,
                               ast::SourceLocation loc) {
  if (!v.is_node()) {
    query::ThrowType(
        std::string(fn) + "() expects " + what + " node, not " + query::TypeName(v) + " " + v.ToString(),
        loc);
  }
  return ctx.Node(v.as_node().id);
}

bool HasLabel(ExecContext& ctx, const NodeRecord* rec, const char* label) {
  auto id = ctx.view().names().FindLabel(label);
  return rec && id && rec->HasLabel(*id);
}

std::optional<std::string> StatusOf(ExecContext& ctx, NodeId id, Date on, ast::SourceLocation loc) {
  auto lc = ReadLifecycle(ctx.view(), id);
  if (!lc.ok()) query::ThrowStatus(lc.status(), loc);
  return StatusAt(*lc, on);
}

Value FnStatus(ExecContext& ctx, std::vector<Value>& args, ast::SourceLocation loc) {
  if (args[0].is_null()) return Value();
  const NodeRecord* control = NodeArgument(ctx, "status", "a control", args[0], loc);
  auto on = DateArgument("status", args, 1, loc);
  if (!on || !HasLabel(ctx, control, "Control")) return Value();
  auto s = StatusOf(ctx, args[0].as_node().id, *on, loc);
  return s ? Value(*s) : Value();
}

// The nodes at the other end of `node`'s incoming relationships of `type`, with those relationships.
template <typename Visit>
void ForIncoming(ExecContext& ctx, NodeId node, const char* type, ast::SourceLocation loc, Visit visit) {
  auto t = ctx.view().names().FindRelType(type);
  if (!t) return;
  ScanOptions opts;
  opts.dir = Direction::kIn;
  opts.type = *t;
  auto cur = ctx.view().ScanAdj(node, opts);
  for (; cur->Valid(); cur->Next()) {
    RelRecord rel;
    if (Status s = cur->record(&rel); !s.ok()) query::ThrowStatus(s, loc);
    visit(cur->entry().other, rel);
  }
  if (!cur->status().ok()) query::ThrowStatus(cur->status(), loc);
}

Value FnPackageStatus(ExecContext& ctx, std::vector<Value>& args, ast::SourceLocation loc) {
  if (args[0].is_null()) return Value();
  auto on = DateArgument("package_status", args, 1, loc);
  if (!on) return Value();
  if (!HasLabel(ctx, NodeArgument(ctx, "package_status", "an announcement", args[0], loc), "Announcement"))
    return Value();
  std::vector<NodeId> measures;
  ForIncoming(ctx, args[0].as_node().id, "ANNOUNCED_IN", loc,
              [&](NodeId m, const RelRecord&) { measures.push_back(m); });
  std::sort(measures.begin(), measures.end());
  measures.erase(std::unique(measures.begin(), measures.end()), measures.end());
  std::vector<std::optional<std::string>> statuses;
  for (NodeId m : measures) statuses.push_back(StatusOf(ctx, m, *on, loc));
  auto s = PackageStatus(statuses);
  return s ? Value(*s) : Value();
}

// One source's value of a disputed property: a Variant node.
struct VariantValue {
  Value value;
  double confidence = 1;
  bool preferred = false;
  std::string key;
};

// A property's own value on the node, and the values its Variants give.
struct Disputed {
  Value own;
  std::vector<VariantValue> variants;  // preferred first, then by confidence, then by key
};

// The variants of `node`'s property `prop`, values converted to the type the node's own value has
// (a date written as text in a Variant is a date).
Disputed VariantsOf(ExecContext& ctx, const char* fn, std::vector<Value>& args, ast::SourceLocation loc) {
  const NodeRecord* node = NodeArgument(ctx, fn, "a", args[0], loc);
  if (!args[1].is_string()) {
    query::ThrowType(std::string(fn) + "() expects a property name as its second argument, not " +
                         query::TypeName(args[1]),
                     loc);
  }
  Disputed out;
  if (!node) return out;
  const std::string& prop = args[1].as_string();
  const NameResolver& names = ctx.view().names();
  auto property_key = names.FindPropKey("property"), value_key = names.FindPropKey("value"),
       preferred_key = names.FindPropKey("preferred"), confidence_key = names.FindPropKey("confidence"),
       own_key = names.FindPropKey(prop);
  if (const Value* own = own_key ? FindProperty(node->props, *own_key) : nullptr) out.own = *own;
  bool as_date = out.own.is_date();
  ForIncoming(ctx, args[0].as_node().id, "VARIANT_OF", loc, [&](NodeId v, const RelRecord&) {
    const NodeRecord* rec = ctx.Node(v);
    if (!rec || !property_key || !value_key) return;
    const Value* p = FindProperty(rec->props, *property_key);
    const Value* value = FindProperty(rec->props, *value_key);
    if (!p || !p->is_string() || p->as_string() != prop || !value) return;
    VariantValue out_value;
    out_value.value = *value;
    if (as_date && value->is_string()) {
      if (auto d = ParseDateText(value->as_string()); d.ok()) out_value.value = Value(*d);
    }
    if (preferred_key) {
      const Value* pr = FindProperty(rec->props, *preferred_key);
      out_value.preferred = pr && pr->is_bool() && pr->as_bool();
    }
    if (confidence_key) {
      const Value* c = FindProperty(rec->props, *confidence_key);
      if (c && c->is_int()) out_value.confidence = static_cast<double>(c->as_int());
      if (c && c->is_float()) out_value.confidence = c->as_float();
    }
    out_value.key = rec->key;
    out.variants.push_back(std::move(out_value));
  });
  // Preferred first, then by confidence, then by key: the order the panel shows them in.
  std::sort(out.variants.begin(), out.variants.end(), [](const VariantValue& a, const VariantValue& b) {
    if (a.preferred != b.preferred) return a.preferred;
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    return a.key < b.key;
  });
  return out;
}

Value FnPreferred(ExecContext& ctx, std::vector<Value>& args, ast::SourceLocation loc) {
  if (args[0].is_null() || args[1].is_null()) return Value();
  Disputed d = VariantsOf(ctx, "preferred", args, loc);
  // No variants: the property's one value.
  return d.variants.empty() ? d.own : d.variants.front().value;
}

Value FnVariants(ExecContext& ctx, std::vector<Value>& args, ast::SourceLocation loc) {
  if (args[0].is_null() || args[1].is_null()) return Value();
  ValueList list;
  for (auto& v : VariantsOf(ctx, "variants", args, loc).variants) {
    ValueMap m;
    m["value"] = std::move(v.value);
    m["confidence"] = Value(v.confidence);
    m["preferred"] = Value(v.preferred);
    m["variant"] = Value(v.key);
    list.emplace_back(std::move(m));
  }
  return Value(std::move(list));
}

}  // namespace

Status RegisterDomainFunctions(query::FunctionCatalog& catalog) {
  using query::FunctionInfo;
  using query::NullBehavior;
  using query::Volatility;
  // status() and package_status() read the graph and, without a date, today's date: never folded.
  FunctionInfo status{
      "status",
      FnStatus,
      1,
      2,
      "status(control[, date]) :: STRING",
      "a measure's (a control's) status on the date (today without one): in_force, suspended, "
      "lifted, announced or proposed; null when unknown (an imprecise date overlaps it, or a "
      "suspension has ended with nothing recorded after it) or when the measure has no status yet"};
  status.volatility = Volatility::kVolatile;
  FunctionInfo package{
      "package_status",
      FnPackageStatus,
      1,
      2,
      "package_status(announcement[, date]) :: STRING",
      "the status of an announcement's measures taken together on the date (today without one): "
      "their common status when they all have the same, partly_in_force when some are in force, "
      "otherwise mixed; null when a measure's status is unknown"};
  package.volatility = Volatility::kVolatile;
  FunctionInfo preferred{
      "preferred",
      FnPreferred,
      2,
      2,
      "preferred(node, property) :: ANY",
      "the preferred value of a property that sources disagree on (the Variant marked preferred, "
      "else the most confident); the property's own value when it has no variants"};
  FunctionInfo variants{
      "variants",
      FnVariants,
      2,
      2,
      "variants(node, property) :: LIST<MAP>",
      "every value sources give for a property, as {value, confidence, preferred, variant}, "
      "preferred first; empty when the property is not disputed"};
  for (FunctionInfo* f : {&status, &package, &preferred, &variants})
    RETURN_IF_ERROR(catalog.Register(std::move(*f)));
  return Status::OK();
}

}  // namespace lodestone::domain
