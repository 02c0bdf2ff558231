#include "query/parser/antlr_support.h"

namespace lodestone::query::internal {

antlr4::Token* TokenLocator::Previous(const antlr4::Token* token) const {
  for (size_t i = token->getTokenIndex(); i-- > 0;) {
    antlr4::Token* t = tokens_.get(i);
    if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL) return t;
  }
  return nullptr;
}

ast::SourceLocation TokenLocator::At(const antlr4::Token* token) const {
  if (token->getType() == antlr4::Token::EOF) {
    const antlr4::Token* prev = Previous(token);
    const size_t end = prev ? prev->getStopIndex() + 1 : 0;
    return source_.Locate(base_ + end, base_ + end);
  }
  return source_.Locate(base_ + token->getStartIndex(), base_ + token->getStopIndex() + 1);
}

ast::SourceLocation TokenLocator::Span(const antlr4::Token* first, const antlr4::Token* last) const {
  if (first->getType() == antlr4::Token::EOF) return At(first);
  size_t end = last->getStopIndex() + 1;
  if (last->getType() == antlr4::Token::EOF || end < first->getStartIndex()) end = first->getStopIndex() + 1;
  return source_.Locate(base_ + first->getStartIndex(), base_ + end);
}

ast::SourceLocation TokenLocator::Of(antlr4::ParserRuleContext* ctx) const {
  return Span(ctx->getStart(), ctx->getStop() ? ctx->getStop() : ctx->getStart());
}

std::string TokenLocator::Text(antlr4::ParserRuleContext* ctx) const {
  const ast::SourceLocation loc = Of(ctx);
  return std::string(source_.text().substr(loc.offset, loc.length));
}

}  // namespace lodestone::query::internal
