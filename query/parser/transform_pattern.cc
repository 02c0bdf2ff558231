// Patterns: paths, nodes, relationships, and what CREATE / MERGE / MATCH accept of them.

#include "query/parser/transformer.h"

namespace lodestone::query::internal {

std::vector<ast::PatternPart> Transformer::TransformPattern(P::PatternContext* ctx) {
  std::vector<ast::PatternPart> parts;
  for (P::PatternPartContext* part : ctx->patternPart()) parts.push_back(TransformPatternPart(part));
  return parts;
}

ast::PatternPart Transformer::TransformPatternPart(P::PatternPartContext* ctx) {
  ast::PatternPart part = TransformAnonymousPatternPart(ctx->anonymousPatternPart());
  part.location = Loc(ctx);
  if (P::VariableContext* variable = ctx->variable()) {
    part.path_variable = Name(variable);
    part.path_variable_location = Loc(variable);
  }
  return part;
}

ast::PatternPart Transformer::TransformAnonymousPatternPart(P::AnonymousPatternPartContext* ctx) {
  if (P::ShortestPathPatternContext* shortest = ctx->shortestPathPattern()) return TransformShortestPath(shortest);
  ast::PatternPart part;
  part.location = Loc(ctx);
  TransformPatternElement(ctx->patternElement(), part);
  return part;
}

ast::PatternPart Transformer::TransformShortestPath(P::ShortestPathPatternContext* ctx) {
  ast::PatternPart part;
  part.location = Loc(ctx);
  part.path_function =
      ctx->SHORTESTPATH() ? ast::PathFunction::kShortestPath : ast::PathFunction::kAllShortestPaths;
  TransformPatternElement(ctx->patternElement(), part);
  return part;
}

void Transformer::TransformPatternElement(P::PatternElementContext* ctx, ast::PatternPart& part) {
  // ( ( (a)-->(b) ) ): the parentheses around a path carry no meaning. Nesting is bounded by the
  // token checks, so this recursion is too.
  while (ctx->patternElement() != nullptr) ctx = ctx->patternElement();
  part.nodes.push_back(TransformNodePattern(ctx->nodePattern()));
  for (P::PatternElementChainContext* chain : ctx->patternElementChain()) {
    part.relationships.push_back(TransformRelationshipPattern(chain->relationshipPattern()));
    part.nodes.push_back(TransformNodePattern(chain->nodePattern()));
  }
}

ast::PatternPart Transformer::TransformRelationshipsPattern(P::RelationshipsPatternContext* ctx) {
  ast::PatternPart part;
  part.location = Loc(ctx);
  part.nodes.push_back(TransformNodePattern(ctx->nodePattern()));
  for (P::PatternElementChainContext* chain : ctx->patternElementChain()) {
    part.relationships.push_back(TransformRelationshipPattern(chain->relationshipPattern()));
    part.nodes.push_back(TransformNodePattern(chain->nodePattern()));
  }
  return part;
}

std::vector<std::string> Transformer::TransformLabels(P::NodeLabelsContext* ctx) {
  std::vector<std::string> labels;
  if (ctx == nullptr) return labels;
  for (P::NodeLabelContext* label : ctx->nodeLabel()) labels.push_back(Name(label->labelName()));
  return labels;
}

ast::ExprPtr Transformer::TransformProperties(P::PropertiesContext* ctx) {
  if (ctx == nullptr) return nullptr;
  if (P::MapLiteralContext* map = ctx->mapLiteral()) return TransformMap(map);
  return TransformParameter(ctx->parameter());
}

ast::NodePattern Transformer::TransformNodePattern(P::NodePatternContext* ctx) {
  ast::NodePattern node;
  node.location = Loc(ctx);
  if (P::VariableContext* variable = ctx->variable()) {
    node.variable = Name(variable);
    node.variable_location = Loc(variable);
  }
  node.labels = TransformLabels(ctx->nodeLabels());
  node.properties = TransformProperties(ctx->properties());
  return node;
}

ast::RelationshipPattern Transformer::TransformRelationshipPattern(P::RelationshipPatternContext* ctx) {
  ast::RelationshipPattern rel;
  rel.location = Loc(ctx);
  const bool left = ctx->leftArrow() != nullptr;
  const bool right = ctx->rightArrow() != nullptr;
  rel.direction = left == right ? ast::Direction::kEither : (left ? ast::Direction::kLeft : ast::Direction::kRight);
  P::RelationshipDetailContext* detail = ctx->relationshipDetail();
  if (detail == nullptr) return rel;
  if (P::VariableContext* variable = detail->variable()) {
    rel.variable = Name(variable);
    rel.variable_location = Loc(variable);
  }
  if (P::RelationshipTypesContext* types = detail->relationshipTypes()) {
    for (P::RelTypeNameContext* type : types->relTypeName()) rel.types.push_back(Name(type));
  }
  if (P::RangeLiteralContext* range = detail->rangeLiteral()) {
    ast::VariableLength length;
    bool seen_dots = false;
    for (antlr4::tree::ParseTree* child : range->children) {
      if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child)) {
        if (terminal->getSymbol()->getType() == P::DOTDOT) seen_dots = true;
        continue;
      }
      auto* integer = dynamic_cast<P::IntegerLiteralContext*>(child);
      const int64_t value = ParseInteger(integer->getStart(), false);
      (seen_dots ? length.max : length.min) = value;
    }
    if (!seen_dots) length.max = length.min;  // *2 means exactly 2; * leaves both open
    rel.length = length;
  }
  rel.properties = TransformProperties(detail->properties());
  return rel;
}

void Transformer::CheckCreatable(const ast::PatternPart& part, const char* clause) {
  const std::string name = clause;
  if (part.path_function != ast::PathFunction::kNone) {
    Fail(SyntaxErrorCode::kUnexpectedSyntax, part.location,
         name + " cannot create a shortest path: write the path out node by node");
  }
  for (const ast::RelationshipPattern& rel : part.relationships) {
    if (rel.types.size() != 1) {
      Fail(SyntaxErrorCode::kNoSingleRelationshipType, rel.location,
           name + " needs exactly one type for each relationship, such as -[:PARTY_TO]->" +
               (rel.types.empty() ? "" : "; it cannot choose between alternatives like :A|B"));
    }
    // MERGE may leave the direction open (it then matches either way and creates left to right).
    if (rel.direction == ast::Direction::kEither && name == "CREATE") {
      Fail(SyntaxErrorCode::kRequiresDirectedRelationship, rel.location,
           name + " needs a direction for each relationship: write -[...]-> or <-[...]-");
    }
    if (rel.length) {
      Fail(SyntaxErrorCode::kCreatingVarLength, rel.location,
           name + " cannot create a variable-length relationship (*): create each relationship on its own");
    }
  }
}

void Transformer::CheckNoParameterMaps(const ast::PatternPart& part, const char* clause) {
  const auto check = [clause](const ast::ExprPtr& properties) {
    if (properties && properties->kind() == ast::ExprKind::kParameter) {
      Fail(SyntaxErrorCode::kInvalidParameterUse, properties->location(),
           std::string(clause) +
               " cannot take a parameter as a whole property map: write the properties out, such as "
               "{name: $name}");
    }
  };
  for (const ast::NodePattern& node : part.nodes) check(node.properties);
  for (const ast::RelationshipPattern& rel : part.relationships) check(rel.properties);
}

}  // namespace lodestone::query::internal
