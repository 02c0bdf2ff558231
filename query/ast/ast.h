// Lodestone's query AST in one include. See docs/query-grammar-notes.md for the overall shape.
#pragma once

#include "query/ast/clause.h"           // IWYU pragma: export
#include "query/ast/expr.h"             // IWYU pragma: export
#include "query/ast/pattern.h"          // IWYU pragma: export
#include "query/ast/printer.h"          // IWYU pragma: export
#include "query/ast/source_location.h"  // IWYU pragma: export
#include "query/ast/statement.h"        // IWYU pragma: export
