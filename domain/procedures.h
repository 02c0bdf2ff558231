// The domain's procedures, registered into a database's procedure catalog at start-up:
//
//   diff.recorded(from[, to])   what the commits recorded in (from, to] added, changed or removed
//   diff.valid(from, to)        measures, packages, agreements and projects whose state changed
//                               between two valid-time dates
//
// docs/diff.md describes their columns; domain/diff.h computes them.
#pragma once

#include "query/catalog/procedure_catalog.h"
#include "query/database.h"
#include "store/graph_store.h"
#include "store/status.h"

namespace lodestone::domain {

// Registers the procedures above into `catalog`; they read `store`'s commit log, so `store` must
// outlive the catalog's statements (both belong to one Database).
Status RegisterDomainProcedures(query::ProcedureCatalog& catalog, GraphStore& store);

// Everything the domain adds to a database's language: RegisterDomainFunctions (domain/functions.h)
// and RegisterDomainProcedures. Call after opening a database, before its statements run.
Status RegisterDomain(Database& db);

}  // namespace lodestone::domain
