// Internal to the parser: the exception that carries a syntax error from wherever it is found (token
// checks, the ANTLR error strategy, the transformer) to ParseStatement, which turns it into a
// SyntaxError. It never leaves query/parser/.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "query/ast/source_location.h"
#include "query/parser/parser.h"

namespace lodestone::query::internal {

struct ParseFailure {
  SyntaxErrorCode code = SyntaxErrorCode::kUnexpectedSyntax;
  ast::SourceLocation location;
  std::string message;
  std::vector<std::string> expected;
};

[[noreturn]] inline void Fail(SyntaxErrorCode code, const ast::SourceLocation& location,
                              std::string message) {
  throw ParseFailure{code, location, std::move(message), {}};
}

}  // namespace lodestone::query::internal
