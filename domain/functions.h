// The domain's query functions, registered into the query engine at start-up:
//
//   status(control[, date])             a measure's lifecycle status (domain/lifecycle.h)
//   package_status(announcement[, date]) the status of an announcement's measures taken together
//   preferred(node, property)           the preferred of the values sources give for a property
//   variants(node, property)            every value sources give for a property, with its source
//
// docs/query-language.md and docs/schema.md describe them.
#pragma once

namespace lodestone::domain {

// Registers the functions above. Call once at start-up, before queries run.
void RegisterDomainFunctions();

}  // namespace lodestone::domain
