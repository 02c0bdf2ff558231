// Exporting the graph, or the part of it a query returns (docs/import.md, "Exporting").
//
//   jsonl    the import format: importing the export into an empty database gives the same graph
//            (keys, labels, properties, validity, relationships; SOURCED_FROM as each record's
//            "sources"; events in the event form; the schema extensions as a schema record)
//   csv      nodes.csv and relationships.csv (or, for a query, its result table)
//   graphml  for Gephi, yEd, NetworkX: typed attributes declared with <key>
//   dot      for Graphviz: `lodestone export --format dot | dot -Tsvg > graph.svg`
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "query/database.h"

namespace lodestone::domain {

enum class ExportFormat { kJsonLines, kCsv, kGraphML, kDot };
Result<ExportFormat> ParseExportFormat(std::string_view name);  // "jsonl", "csv", "graphml", "dot"

// Which part of the graph to export; `whole` means everything.
struct Subgraph {
  bool whole = true;
  std::vector<NodeId> nodes;
  std::vector<RelRef> rels;
};

struct ExportStats {
  uint64_t nodes = 0;
  uint64_t relationships = 0;
  std::vector<std::string> warnings;  // e.g. nodes without a key, which the import format cannot name
};

// The subgraph a query's rows mention (nodes, relationships, paths, also inside lists and maps).
// For JSON Lines the ends of every relationship and the Source nodes cited are added, so that the
// export imports on its own.
Subgraph SubgraphOf(const QueryResult& result);

Result<ExportStats> ExportJsonLines(ReadView& view, const Subgraph& part, std::ostream& out);
Result<ExportStats> ExportGraphML(ReadView& view, const Subgraph& part, std::ostream& out);
Result<ExportStats> ExportDot(ReadView& view, const Subgraph& part, std::ostream& out);
Result<ExportStats> ExportCsv(ReadView& view, const Subgraph& part, std::ostream& nodes,
                              std::ostream& relationships);

}  // namespace lodestone::domain
