// Statements: what ParseStatement returns. A statement is either a query (one or more single queries
// joined by UNION / UNION ALL) or a schema command, optionally under EXPLAIN or PROFILE, and a query
// may be read "as known at" an earlier record time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "query/ast/clause.h"
#include "query/ast/expr.h"
#include "query/ast/source_location.h"

namespace lodestone::ast {

// Clauses in source order; never empty.
struct SingleQuery {
  SourceLocation location;
  std::vector<ClausePtr> clauses;
};

// parts[0] UNION [ALL] parts[1] UNION [ALL] ...; at least one part. The language does not allow
// mixing UNION and UNION ALL in one query (the parser rejects it), so one flag says which it is.
struct Query {
  std::vector<SingleQuery> parts;
  bool union_all = false;  // meaningful only when parts.size() > 1
};

// CREATE INDEX ON :Label(property) / DROP INDEX ON :Label(property). properties has at least one
// element (several for a composite index, if the storage layer ever offers one).
struct SchemaCommand {
  enum class Kind : uint8_t { kCreateIndex, kDropIndex };
  Kind kind = Kind::kCreateIndex;
  SourceLocation location;
  std::string label;
  std::vector<std::string> properties;
};

enum class StatementMode : uint8_t {
  kExecute,  // no prefix
  kExplain,  // EXPLAIN: plan only, nothing runs
  kProfile,  // PROFILE: run and report per-operator rows and time
};

struct Statement {
  // The whole statement (without a trailing ';'), and its text: for a script, the slice of the script.
  SourceLocation location;
  std::string text;
  StatementMode mode = StatementMode::kExecute;

  // KNOWN AT <expr>: read the graph as recorded at that time (record-time travel). Null: now.
  // Applies to the whole statement, including every part of a UNION and every EXISTS subquery.
  ExprPtr known_at;
  SourceLocation known_at_location;  // the KNOWN keyword

  // Exactly one of these is set.
  std::unique_ptr<Query> query;
  std::unique_ptr<SchemaCommand> schema;
};

}  // namespace lodestone::ast
