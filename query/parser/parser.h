// The query front end: text in, AST (query/ast/) or a syntax error out.
//
// Thread safety: ParseStatement and ParseScript may be called from any number of threads at once (each
// call has its own lexer and parser; ANTLR's shared prediction caches are internally synchronised).
// Exceptions: none escape; every failure, including internal ones, is a SyntaxError.
// Cost: parsing is linear in practice (two-stage SLL then LL prediction); see docs/query-grammar-notes.md.
// Limits: query/limits.h; input beyond them is an error, never a crash.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/ast/source_location.h"
#include "query/ast/statement.h"

namespace lodestone::query {

// Which rule of the language a syntax error breaks. The names follow the error codes of the
// language's compatibility suite where one exists, so a test runner can compare them.
enum class SyntaxErrorCode {
  kUnexpectedSyntax,              // the grammar does not allow this token here
  kInvalidNumberLiteral,          // 12ab, 0x, 0o9
  kIntegerOverflow,               // integer literal outside int64
  kFloatingPointOverflow,         // 1e999
  kInvalidEscape,                 // '\q' or a bad \u escape in a string
  kInvalidUnicodeCharacter,       // a character the language has no use for (e.g. an em dash)
  kUnterminated,                  // string, quoted name or comment without its end
  kInvalidRelationshipPattern,    // e.g. a negative or reversed variable-length range
  kInvalidClauseComposition,      // clause order, UNION mixed with UNION ALL, updates inside EXISTS
  kInvalidParameterUse,           // MATCH (n $props): parameters as property maps only in CREATE
  kInvalidDelete,                 // DELETE n:Label
  kNoSingleRelationshipType,      // CREATE/MERGE needs exactly one relationship type
  kRequiresDirectedRelationship,  // CREATE/MERGE needs -> or <-
  kCreatingVarLength,             // CREATE/MERGE cannot create a variable-length relationship
  kUnexpectedPattern,             // a bare pattern used as a value outside WHERE / exists()
  kInvalidArgumentPassingMode,    // CALL proc without parentheses inside a query
  kLimitExceeded,                 // query/limits.h
  kEmptyStatement,                // nothing but whitespace and comments
  kInvalidEncoding,               // not UTF-8
  kInternal,                      // a bug in the front end; the message says so
};
std::string_view SyntaxErrorCodeName(SyntaxErrorCode code);

struct SyntaxError {
  SyntaxErrorCode code = SyntaxErrorCode::kUnexpectedSyntax;
  // Where the problem is (the offending token; for a script, relative to the whole script).
  ast::SourceLocation location;
  // One sentence, no location, no trailing period:
  //   "expected an expression after 'WHERE', found 'RETURN'"
  std::string message;
  // What would have been accepted at that point, in words ("an expression", "')'", "BY"). Empty when
  // the error is not about a missing piece (e.g. an integer overflow).
  std::vector<std::string> expected;
  // The full report for a terminal or a log: headline with line and column, the source line, a caret.
  //   syntax error at line 1, column 17: expected an expression after 'WHERE', found 'RETURN'
  //     MATCH (n) WHERE RETURN n
  //                     ^
  std::string formatted;
};

struct ParseResult {
  std::unique_ptr<ast::Statement> statement;  // set on success
  std::optional<SyntaxError> error;           // set on failure
  bool ok() const { return statement != nullptr; }
};

// Parses one statement. A single trailing ';' is allowed; anything after it is an error (use
// ParseScript for several statements).
ParseResult ParseStatement(std::string_view text);

struct ScriptResult {
  // The statements parsed, in order, each with its location and text within the script. On an error,
  // the statements before the failing one.
  std::vector<std::unique_ptr<ast::Statement>> statements;
  std::optional<SyntaxError> error;  // the first error; parsing stops there
  bool ok() const { return !error.has_value(); }
};

// Parses statements separated by ';' (semicolons inside strings, quoted names and comments do not
// separate). Empty statements (";;", a trailing ';') are skipped; an empty script has no statements.
ScriptResult ParseScript(std::string_view text);

}  // namespace lodestone::query
