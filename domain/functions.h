// The domain's query functions, registered into a database's function catalog at start-up:
//
//   status(control[, date])             a measure's lifecycle status (domain/lifecycle.h)
//   package_status(announcement[, date]) the status of an announcement's measures taken together
//   preferred(node, property)           the preferred of the values sources give for a property
//   variants(node, property)            every value sources give for a property, with its source
//
// docs/query-language.md and docs/schema.md describe them.
#pragma once

#include "query/catalog/function_catalog.h"
#include "store/status.h"

namespace lodestone::domain {

// Registers the functions above into `catalog` (Database::functions()), replacing any of the same
// names. Call after opening a database, before its statements run.
Status RegisterDomainFunctions(query::FunctionCatalog& catalog);

}  // namespace lodestone::domain
