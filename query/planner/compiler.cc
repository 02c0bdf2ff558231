#include <algorithm>

#include "query/optimizer/optimizer.h"
#include "query/planner/compiler_impl.h"

namespace lodestone::query {

void Compiler::CompileStatement(const ast::Statement& s) {
  out_->mode = s.mode;
  if (s.known_at) {
    BindOptions o;
    o.context = "KNOWN AT";
    ExprPtr e;
    try {
      e = Bind(*s.known_at, o);
    } catch (const CompileError& err) {
      if (err.detail == "UndefinedVariable") {
        Fail("NonConstantExpression",
             "KNOWN AT takes a constant date-time or a parameter, like datetime('2026-01-10T12:00:00Z')",
             s.known_at->location());
      }
      throw;
    }
    if (!e->IsConstant()) {
      Fail("NonConstantExpression", "KNOWN AT takes a constant date-time or a parameter",
           s.known_at->location());
    }
    out_->known_at = std::move(e);
  }
  if (s.schema) {
    out_->schema =
        ast::SchemaCommand{s.schema->kind, s.schema->location, s.schema->label, s.schema->properties};
    out_->writes = true;
    return;
  }
  const ast::Query& q = *s.query;
  if (q.parts.size() == 1) {
    PlanSingleQuery(q.parts[0], &out_->columns, &out_->column_slots);
    out_->logical = plan_;
  } else {
    std::vector<LogicalPtr> plans;
    std::vector<std::vector<int>> from;
    std::vector<std::string> columns;
    for (size_t i = 0; i < q.parts.size(); ++i) {
      scope_.Clear();
      plan_reads_store_ = false;
      std::vector<std::string> cols;
      std::vector<int> slots;
      PlanSingleQuery(q.parts[i], &cols, &slots);
      if (i == 0) {
        columns = cols;
      } else if (cols != columns) {
        Fail("DifferentColumnsInUnion",
             "every part of a UNION must return the same columns, in the same order", q.parts[i].location);
      }
      plans.push_back(plan_);
      from.push_back(std::move(slots));
    }
    std::vector<int> out;
    for (size_t i = 0; i < columns.size(); ++i) out.push_back(NewSlot());
    out_->columns = columns;
    out_->column_slots = out;
    out_->logical = logical::Union(std::move(plans), std::move(from), std::move(out), !q.union_all);
  }
  if (out_->known_at && out_->writes) {
    Fail("InvalidClauseComposition", "a statement read KNOWN AT an earlier time cannot write",
         s.known_at_location, QueryError::Kind::kSemanticError);
  }
  optimizer::OptimizerContext octx{&out_->symbols, catalog_.dated_property};
  out_->logical = optimizer::Optimize(out_->logical, octx);
  out_->root = MapToPhysical(*out_->logical);
  out_->width = next_slot_;
  out_->plan_nodes = out_->root->Number(0);
}

CompileResult Compile(const ast::Statement& statement, const PlannerCatalog& catalog) {
  auto out = std::make_shared<CompiledStatement>();
  try {
    Compiler c(catalog, out.get());
    c.CompileStatement(statement);
  } catch (const CompileError& e) {
    QueryError err;
    err.kind = e.kind;
    err.detail = e.detail;
    err.message = e.message;
    err.compile_time = true;
    err.line = static_cast<int>(e.where.line);
    err.column = static_cast<int>(e.where.column);
    return {nullptr, std::move(err)};
  }
  return {std::move(out), std::nullopt};
}

}  // namespace lodestone::query
