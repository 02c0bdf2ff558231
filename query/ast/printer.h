// S-expression rendering of the AST, for golden tests and debugging (EXPLAIN can show it too).
// The format is documented in docs/query-grammar-notes.md; it is stable enough for golden files but
// not an interchange format: do not parse it.
//
//   MATCH (a:Actor)-[:IMPOSED]->(c) VALID AT date('2025-10') WHERE c.kind = 'export_control' RETURN c
//   => (query (match (path (node a :Actor) (rel -> :IMPOSED) (node c))
//               :valid-at (call date "2025-10") :where (= (. c kind) "export_control"))
//             (return c))        (printed on one line)
#pragma once

#include <string>

#include "query/ast/clause.h"
#include "query/ast/expr.h"
#include "query/ast/pattern.h"
#include "query/ast/statement.h"

namespace lodestone::ast {

std::string ToString(const Expr& expr);
std::string ToString(const PatternPart& part);
std::string ToString(const Clause& clause);
std::string ToString(const Query& query);
std::string ToString(const Statement& statement);

// A string literal as the printer writes it: double quotes, with \" \\ \n \t \r and \uXXXX escapes.
std::string QuoteString(const std::string& value);

}  // namespace lodestone::ast
