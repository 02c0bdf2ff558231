// Reading and updating clauses.

#include "query/parser/transformer.h"

namespace lodestone::query::internal {

ast::ClausePtr Transformer::TransformClause(P::ClauseContext* ctx) {
  if (auto* c = ctx->matchClause()) return TransformMatch(c);
  if (auto* c = ctx->unwindClause()) return TransformUnwind(c);
  if (auto* c = ctx->withClause()) return TransformWith(c);
  if (auto* c = ctx->returnClause()) return TransformReturn(c);
  if (auto* c = ctx->createClause()) return TransformCreate(c);
  if (auto* c = ctx->mergeClause()) return TransformMerge(c);
  if (auto* c = ctx->setClause()) return TransformSet(c);
  if (auto* c = ctx->removeClause()) return TransformRemove(c);
  if (auto* c = ctx->callClause()) return TransformCall(c);
  return TransformDelete(ctx->deleteClause());
}

ast::ClausePtr Transformer::TransformCall(P::CallClauseContext* ctx) {
  auto clause = std::make_unique<ast::CallClause>(Loc(ctx));
  P::ProcedureNameContext* name = ctx->procedureName();
  clause->procedure_location = Loc(name);
  for (P::SymbolicNameContext* part : name->symbolicName()) {
    if (!clause->procedure.empty()) clause->procedure += '.';
    clause->procedure += Name(part);
  }
  clause->explicit_arguments = ctx->LPAREN() != nullptr;
  for (P::ExpressionContext* arg : ctx->expression()) clause->arguments.push_back(TransformExpression(arg));
  if (P::YieldItemsContext* yield = ctx->yieldItems()) {
    clause->has_yield = true;
    clause->yield_all = yield->STAR() != nullptr;
    for (P::YieldItemContext* item_ctx : yield->yieldItem()) {
      ast::YieldItem item;
      item.variable = Name(item_ctx->variable());
      item.variable_location = Loc(item_ctx->variable());
      if (P::ProcedureResultFieldContext* field = item_ctx->procedureResultField()) {
        item.field = Name(field->symbolicName());
        item.field_location = Loc(field);
      } else {
        item.field = item.variable;
        item.field_location = item.variable_location;
      }
      clause->yield_items.push_back(std::move(item));
    }
    clause->where = TransformWhere(yield->where());
  }
  return clause;
}

ast::ExprPtr Transformer::TransformWhere(P::WhereContext* ctx) {
  if (ctx == nullptr) return nullptr;
  ++pattern_predicate_allowed_;
  ast::ExprPtr predicate = TransformExpression(ctx->expression());
  --pattern_predicate_allowed_;
  return predicate;
}

ast::ClausePtr Transformer::TransformMatch(P::MatchClauseContext* ctx) {
  auto clause = std::make_unique<ast::MatchClause>(Loc(ctx));
  clause->optional = ctx->OPTIONAL() != nullptr;
  clause->pattern = TransformPattern(ctx->pattern());
  for (const ast::PatternPart& part : clause->pattern) CheckNoParameterMaps(part, "MATCH");
  if (P::ValidTimeContext* valid = ctx->validTime()) {
    ast::ValidTime time;
    time.location = Loc(valid->getStart());
    if (auto* at = dynamic_cast<P::ValidAtContext*>(valid)) {
      time.kind = ast::ValidTime::Kind::kAt;
      time.at = TransformExpression(at->expression());
    } else {
      auto* during = dynamic_cast<P::ValidDuringContext*>(valid);
      time.kind = ast::ValidTime::Kind::kDuring;
      time.from = TransformExpression(during->expression(0));
      time.to = TransformExpression(during->expression(1));
    }
    clause->valid_time = std::move(time);
  }
  clause->where = TransformWhere(ctx->where());
  return clause;
}

ast::ClausePtr Transformer::TransformUnwind(P::UnwindClauseContext* ctx) {
  auto clause = std::make_unique<ast::UnwindClause>(Loc(ctx));
  clause->list = TransformExpression(ctx->expression());
  clause->variable = Name(ctx->variable());
  clause->variable_location = Loc(ctx->variable());
  return clause;
}

ast::ProjectionBody Transformer::TransformProjectionBody(P::ProjectionBodyContext* ctx) {
  ast::ProjectionBody body;
  body.distinct = ctx->DISTINCT() != nullptr;
  P::ProjectionItemsContext* items = ctx->projectionItems();
  body.include_existing = items->STAR() != nullptr;
  for (P::ProjectionItemContext* item_ctx : items->projectionItem()) {
    ast::ProjectionItem item;
    item.expression = TransformExpression(item_ctx->expression());
    item.text = locator_.Text(item_ctx->expression());
    if (P::VariableContext* alias = item_ctx->variable()) {
      item.alias = Name(alias);
      item.alias_location = Loc(alias);
    }
    body.items.push_back(std::move(item));
  }
  if (P::OrderContext* order = ctx->order()) {
    for (P::SortItemContext* sort_ctx : order->sortItem()) {
      ast::SortItem sort;
      sort.expression = TransformExpression(sort_ctx->expression());
      sort.descending = sort_ctx->DESC() != nullptr || sort_ctx->DESCENDING() != nullptr;
      body.order_by.push_back(std::move(sort));
    }
  }
  if (P::SkipContext* skip = ctx->skip()) body.skip = TransformExpression(skip->expression());
  if (P::LimitContext* limit = ctx->limit()) body.limit = TransformExpression(limit->expression());
  return body;
}

ast::ClausePtr Transformer::TransformWith(P::WithClauseContext* ctx) {
  auto clause = std::make_unique<ast::WithClause>(Loc(ctx));
  clause->body = TransformProjectionBody(ctx->projectionBody());
  clause->where = TransformWhere(ctx->where());
  return clause;
}

ast::ClausePtr Transformer::TransformReturn(P::ReturnClauseContext* ctx) {
  auto clause = std::make_unique<ast::ReturnClause>(Loc(ctx));
  clause->body = TransformProjectionBody(ctx->projectionBody());
  return clause;
}

ast::ClausePtr Transformer::TransformCreate(P::CreateClauseContext* ctx) {
  auto clause = std::make_unique<ast::CreateClause>(Loc(ctx));
  clause->pattern = TransformPattern(ctx->pattern());
  for (const ast::PatternPart& part : clause->pattern) CheckCreatable(part, "CREATE");
  return clause;
}

ast::ClausePtr Transformer::TransformMerge(P::MergeClauseContext* ctx) {
  auto clause = std::make_unique<ast::MergeClause>(Loc(ctx));
  clause->pattern = TransformPatternPart(ctx->patternPart());
  CheckCreatable(clause->pattern, "MERGE");
  CheckNoParameterMaps(clause->pattern, "MERGE");
  for (P::MergeActionContext* action : ctx->mergeAction()) {
    if (auto* on_create = dynamic_cast<P::OnCreateContext*>(action)) {
      for (ast::SetItem& item : TransformSetItems(on_create->setClause()))
        clause->on_create.push_back(std::move(item));
    } else {
      auto* on_match = dynamic_cast<P::OnMatchContext*>(action);
      for (ast::SetItem& item : TransformSetItems(on_match->setClause()))
        clause->on_match.push_back(std::move(item));
    }
  }
  return clause;
}

std::vector<ast::SetItem> Transformer::TransformSetItems(P::SetClauseContext* ctx) {
  std::vector<ast::SetItem> items;
  for (P::SetItemContext* item_ctx : ctx->setItem()) {
    ast::SetItem item;
    item.location = Loc(item_ctx);
    if (auto* c = dynamic_cast<P::SetPropertyContext*>(item_ctx)) {
      item.kind = ast::SetItem::Kind::kProperty;
      item.target = TransformPropertyExpression(c->propertyExpression());
      item.value = TransformExpression(c->expression());
    } else if (auto* all = dynamic_cast<P::SetAllPropertiesContext*>(item_ctx)) {
      item.kind = ast::SetItem::Kind::kReplaceProperties;
      item.variable = Name(all->variable());
      item.variable_location = Loc(all->variable());
      item.value = TransformExpression(all->expression());
    } else if (auto* merge = dynamic_cast<P::MergePropertiesContext*>(item_ctx)) {
      item.kind = ast::SetItem::Kind::kMergeProperties;
      item.variable = Name(merge->variable());
      item.variable_location = Loc(merge->variable());
      item.value = TransformExpression(merge->expression());
    } else {
      auto* labels = dynamic_cast<P::SetLabelsContext*>(item_ctx);
      item.kind = ast::SetItem::Kind::kLabels;
      item.variable = Name(labels->variable());
      item.variable_location = Loc(labels->variable());
      item.labels = TransformLabels(labels->nodeLabels());
    }
    items.push_back(std::move(item));
  }
  return items;
}

ast::ClausePtr Transformer::TransformSet(P::SetClauseContext* ctx) {
  auto clause = std::make_unique<ast::SetClause>(Loc(ctx));
  clause->items = TransformSetItems(ctx);
  return clause;
}

ast::ClausePtr Transformer::TransformRemove(P::RemoveClauseContext* ctx) {
  auto clause = std::make_unique<ast::RemoveClause>(Loc(ctx));
  for (P::RemoveItemContext* item_ctx : ctx->removeItem()) {
    ast::RemoveItem item;
    item.location = Loc(item_ctx);
    if (auto* labels = dynamic_cast<P::RemoveLabelsContext*>(item_ctx)) {
      item.kind = ast::RemoveItem::Kind::kLabels;
      item.variable = Name(labels->variable());
      item.variable_location = Loc(labels->variable());
      item.labels = TransformLabels(labels->nodeLabels());
    } else {
      auto* property = dynamic_cast<P::RemovePropertyContext*>(item_ctx);
      item.kind = ast::RemoveItem::Kind::kProperty;
      item.target = TransformPropertyExpression(property->propertyExpression());
    }
    clause->items.push_back(std::move(item));
  }
  return clause;
}

ast::ClausePtr Transformer::TransformDelete(P::DeleteClauseContext* ctx) {
  auto clause = std::make_unique<ast::DeleteClause>(Loc(ctx));
  clause->detach = ctx->DETACH() != nullptr;
  for (P::ExpressionContext* e : ctx->expression()) {
    ast::ExprPtr expr = TransformExpression(e);
    if (expr->kind() == ast::ExprKind::kHasLabels) {
      Fail(SyntaxErrorCode::kInvalidDelete, expr->location(),
           "DELETE removes whole nodes and relationships, not labels: to remove a label, write "
           "REMOVE " +
               locator_.Text(e));
    }
    clause->expressions.push_back(std::move(expr));
  }
  return clause;
}

}  // namespace lodestone::query::internal
