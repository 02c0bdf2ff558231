// Statements, queries, UNION, schema commands, and the rules about clause order.

#include "query/parser/transformer.h"

namespace lodestone::query::internal {

std::unique_ptr<ast::Statement> Transformer::TransformStatement(P::StatementContext* ctx) {
  auto statement = std::make_unique<ast::Statement>();
  statement->location = Loc(ctx);
  statement->text = locator_.Text(ctx);
  if (ctx->EXPLAIN()) statement->mode = ast::StatementMode::kExplain;
  if (ctx->PROFILE()) statement->mode = ast::StatementMode::kProfile;
  if (P::KnownAtContext* known = ctx->knownAt()) {
    statement->known_at_location = Loc(known->KNOWN());
    statement->known_at = TransformExpression(known->expression());
  }
  if (ctx->query()) {
    statement->query = TransformQuery(ctx->query(), /*in_subquery=*/false);
  } else {
    statement->schema = TransformSchemaCommand(ctx->schemaCommand());
  }
  return statement;
}

std::unique_ptr<ast::Query> Transformer::TransformQuery(P::QueryContext* ctx, bool in_subquery) {
  auto query = std::make_unique<ast::Query>();
  query->parts.push_back(TransformSingleQuery(ctx->singleQuery(), in_subquery));
  const std::vector<P::UnionPartContext*> unions = ctx->unionPart();
  for (size_t i = 0; i < unions.size(); ++i) {
    const bool all = unions[i]->ALL() != nullptr;
    if (i == 0) {
      query->union_all = all;
    } else if (all != query->union_all) {
      Fail(SyntaxErrorCode::kInvalidClauseComposition, Loc(unions[i]->UNION()),
           "UNION and UNION ALL cannot be mixed in one query: use UNION ALL throughout to keep duplicates, "
           "or UNION throughout to remove them");
    }
    query->parts.push_back(TransformSingleQuery(unions[i]->singleQuery(), in_subquery));
  }
  return query;
}

ast::SingleQuery Transformer::TransformSingleQuery(P::SingleQueryContext* ctx, bool in_subquery) {
  ast::SingleQuery single;
  single.location = Loc(ctx);
  for (P::ClauseContext* clause_ctx : ctx->clause()) {
    single.clauses.push_back(TransformClause(clause_ctx));
  }

  // Clause order. The grammar accepts any sequence so that these errors can say what is wrong.
  const std::vector<ast::ClausePtr>& clauses = single.clauses;
  for (size_t i = 0; i < clauses.size(); ++i) {
    const ast::Clause& clause = *clauses[i];
    if (in_subquery && clause.IsUpdating()) {
      Fail(SyntaxErrorCode::kInvalidClauseComposition, clause.location(),
           std::string(ast::ClauseKindName(clause.kind())) +
               " cannot be used inside EXISTS { } or COUNT { }: a subquery there may only read the graph");
    }
    if (clause.kind() == ast::ClauseKind::kReturn && i + 1 < clauses.size()) {
      Fail(SyntaxErrorCode::kInvalidClauseComposition, clauses[i + 1]->location(),
           std::string(ast::ClauseKindName(clauses[i + 1]->kind())) +
               " cannot follow RETURN: RETURN must be the last clause (use WITH to pass results on to "
               "further clauses)");
    }
  }
  // A CALL alone is a standalone call: its arguments may come from the parameters (CALL db.labels) and
  // it may YIELD *. Inside a query, both would leave unclear which variables the call binds.
  const bool standalone_call =
      !in_subquery && clauses.size() == 1 && clauses[0]->kind() == ast::ClauseKind::kCall;
  for (const ast::ClausePtr& clause : clauses) {
    if (clause->kind() != ast::ClauseKind::kCall || standalone_call) continue;
    const auto& call = clause->As<ast::CallClause>();
    if (call.yield_all) {
      Fail(SyntaxErrorCode::kUnexpectedSyntax, call.location(),
           "YIELD * is allowed only when CALL is the whole query; inside a query, name the columns to yield: "
           "YIELD a, b");
    }
    if (!call.explicit_arguments) {
      Fail(SyntaxErrorCode::kInvalidArgumentPassingMode, call.procedure_location,
           "inside a query a procedure's arguments must be written in parentheses: CALL " + call.procedure +
               "(...); only a CALL that is the whole query takes them from the parameters");
    }
  }
  const ast::Clause& last = *clauses.back();
  if (!in_subquery && !standalone_call && last.kind() != ast::ClauseKind::kReturn && !last.IsUpdating()) {
    const std::string name(ast::ClauseKindName(last.kind()));
    const std::string what = last.kind() == ast::ClauseKind::kMatch && last.As<ast::MatchClause>().optional
                                 ? "OPTIONAL MATCH"
                                 : name;
    Fail(SyntaxErrorCode::kInvalidClauseComposition, last.location(),
         "a query cannot end with " + what +
             ": finish it with RETURN (for example RETURN *) or with an updating clause such as CREATE, "
             "MERGE, SET, REMOVE or DELETE");
  }
  return single;
}

std::unique_ptr<ast::SchemaCommand> Transformer::TransformSchemaCommand(P::SchemaCommandContext* ctx) {
  auto command = std::make_unique<ast::SchemaCommand>();
  command->kind = ctx->DROP() ? ast::SchemaCommand::Kind::kDropIndex : ast::SchemaCommand::Kind::kCreateIndex;
  command->location = Loc(ctx);
  command->label = Name(ctx->labelName());
  for (P::PropertyKeyNameContext* key : ctx->propertyKeyName()) command->properties.push_back(Name(key));
  return command;
}

}  // namespace lodestone::query::internal
