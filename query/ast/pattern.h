// Graph patterns: (a:Actor {name: 'x'})-[r:IMPOSED]->(c:Control), as used by MATCH, OPTIONAL MATCH,
// CREATE, MERGE, pattern predicates, pattern comprehensions and EXISTS { }.
//
// Patterns are plain value types (movable structs) owned by their clause or expression; they own their
// property-map expressions. An empty variable name means "anonymous": the binder invents a name if it
// needs one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "query/ast/expr.h"
#include "query/ast/source_location.h"

namespace lodestone::ast {

// (variable:Label1:Label2 {key: expr}) or (variable $props).
struct NodePattern {
  SourceLocation location;  // the '('
  std::string variable;     // empty: anonymous
  SourceLocation variable_location;
  std::vector<std::string> labels;  // all must hold (conjunction), source order
  // A MapExpr or a ParameterExpr (only CREATE accepts a parameter: the parser rejects it in MATCH and
  // MERGE). Nullable: no properties written.
  ExprPtr properties;
};

// The arrow as written, read from the left node to the right node of the pair it joins.
enum class Direction : uint8_t {
  kRight,   // (a)-->(b), (a)-[]->(b)
  kLeft,    // (a)<--(b), (a)<-[]-(b)
  kEither,  // (a)--(b), (a)-[]-(b), and (a)<-->(b) (both heads mean "either" too)
};
std::string_view DirectionName(Direction direction);

// The *min..max of a variable-length relationship. Absent bounds are nullopt: * is {nullopt, nullopt},
// *2 is {2, 2}, *1..3 is {1, 3}, *..3 is {nullopt, 3}, *2.. is {2, nullopt}. Defaults (1 and
// unbounded) are the binder's to apply. Bounds are non-negative (the grammar has no sign here).
struct VariableLength {
  std::optional<int64_t> min;
  std::optional<int64_t> max;
};

// -[variable:T1|T2 *1..3 {key: expr}]->
struct RelationshipPattern {
  SourceLocation location;  // the first character of the arrow
  std::string variable;     // empty: anonymous
  SourceLocation variable_location;
  std::vector<std::string> types;  // alternatives (disjunction); empty: any type
  Direction direction = Direction::kEither;
  std::optional<VariableLength> length;  // set for a variable-length relationship
  ExprPtr properties;                    // MapExpr or ParameterExpr, nullable (see NodePattern)
};

enum class PathFunction : uint8_t {
  kNone,
  kShortestPath,      // shortestPath((a)-[*]-(b))
  kAllShortestPaths,  // allShortestPaths((a)-[*]-(b))
};

// One connected path: nodes[0] rels[0] nodes[1] rels[1] ... nodes[n]; always
// nodes.size() == relationships.size() + 1 >= 1. relationships[i] joins nodes[i] and nodes[i+1].
// Parentheses around a path, allowed by the grammar, leave no trace.
struct PatternPart {
  SourceLocation location;
  std::string path_variable;  // p = (...)...; empty if none
  SourceLocation path_variable_location;
  PathFunction path_function = PathFunction::kNone;
  std::vector<NodePattern> nodes;
  std::vector<RelationshipPattern> relationships;
};

}  // namespace lodestone::ast
