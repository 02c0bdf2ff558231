// Limits of the query language: how big and how deeply nested a statement may be, and how far
// traversals may reach. One home for every such number; docs/query-language.md quotes them.
//
// The ANTLR parser, the transformer, the AST's destructors and printer, and the binder and planner
// after them all recurse over the syntax tree. Rather than make every one of those walks iterative,
// the front end refuses input that would make any of them recurse too deeply, before parsing starts
// where it can, and always with a message that says which limit was hit. Every number here is a
// promise to the code after the parser: it may recurse this deep without checking.
#pragma once

#include <cstddef>
#include <cstdint>

namespace lodestone::query {

// Largest statement, in bytes of UTF-8. Far beyond any hand-written query; a generated query that
// needs more should pass its data as parameters.
inline constexpr size_t kMaxStatementBytes = size_t{1} << 20;  // 1 MiB

// Largest script (ParseScript), in bytes. Each statement must also fit kMaxStatementBytes.
inline constexpr size_t kMaxScriptBytes = size_t{64} << 20;  // 64 MiB

// Deepest nesting of ( [ { and CASE ... END, checked on the tokens before parsing. Each level costs
// the recursive-descent parser about 15 stack frames (one per precedence level of the expression
// grammar), so the deepest statement allowed needs at most kParserStackBytes of stack.
inline constexpr int kMaxNestingDepth = 200;

// Stack that parsing the deepest statement allowed needs, with margin, including under
// AddressSanitizer (checked by tests/query/parser/limits_test.cc on a thread with exactly this stack,
// in both builds). A release build needs under 2 MiB; the sanitizer build's larger frames need more
// for 199 nested EXISTS blocks. Threads that parse queries need at least this much; the default 8 MiB
// of a Linux thread is enough.
inline constexpr size_t kParserStackBytes = size_t{4} << 20;  // 4 MiB

// Tallest expression tree (Expr::height()). Long operator chains are parsed by loops, not recursion,
// but still become left-deep trees (1+1+1... nests to the left), so their height is checked while
// they are built. AND/OR/XOR runs are single n-ary nodes and do not count towards it.
inline constexpr uint32_t kMaxExpressionHeight = 1000;

// The longest path a variable-length relationship without an upper bound (-[*]->, -[*2..]->) or a
// shortest-path search may follow. A bound written in the query may not exceed it either.
inline constexpr int64_t kMaxTraversalHops = 64;

}  // namespace lodestone::query
