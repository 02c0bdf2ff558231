// Internal to the parser. ANTLR error strategies for the two parsing stages:
//
// - Stage 1 (fast, SLL prediction) uses ANTLR's BailErrorStrategy: the first error cancels the parse,
//   nothing is reported, and stage 2 runs.
// - Stage 2 (full LL prediction) uses DiagnosingErrorStrategy: it also bails at the first error, but
//   first turns it into a ParseFailure whose message says, in words, what was expected. To know that,
//   it remembers every alternative the parser considered and declined at the current token (ANTLR calls
//   sync() before each optional or repeated part), because by the time a mismatch is detected the
//   parser has often already left the rules that could have continued (RETURN a b fails at the end of
//   the statement, but ',' and AS were possible right after 'a').
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "query/parser/antlr_support.h"
#include "query/parser/parse_failure.h"

namespace lodestone::query::internal {

class DiagnosingErrorStrategy : public antlr4::DefaultErrorStrategy {
 public:
  explicit DiagnosingErrorStrategy(const TokenLocator& locator) : locator_(locator) {}

  // The first error, once the parse has been cancelled.
  const std::optional<ParseFailure>& failure() const { return failure_; }

  void reportError(antlr4::Parser* parser, const antlr4::RecognitionException& e) override;
  void recover(antlr4::Parser* parser, std::exception_ptr e) override;
  antlr4::Token* recoverInline(antlr4::Parser* parser) override;
  void sync(antlr4::Parser* parser) override;

 private:
  void Capture(antlr4::Parser* parser, antlr4::Token* offending, const antlr4::misc::IntervalSet& expected);

  const TokenLocator& locator_;
  std::optional<ParseFailure> failure_;
  // Tokens acceptable at token index accumulated_at_, gathered by sync().
  size_t accumulated_at_ = static_cast<size_t>(-1);
  antlr4::misc::IntervalSet accumulated_;
};

}  // namespace lodestone::query::internal
