// lodestone export: the graph (or what a query returns) as JSON Lines, CSV, GraphML or DOT.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "domain/export.h"
#include "domain/functions.h"
#include "domain/lifecycle.h"
#include "query/result_format.h"

namespace lodestone::cli {

void AddExportCommand(CLI::App& app, GlobalOptions& g) {
  struct Args {
    std::string format = "jsonl";
    std::string query;
    std::vector<std::string> params;
    std::string out;
  };
  static Args a;
  auto* cmd = app.add_subcommand(
      "export", "Write the graph, or what a query returns, as JSON Lines, CSV, GraphML or DOT");
  cmd->footer(
      "\nFormats:\n"
      "  jsonl     the import format; `lodestone import` of it into an empty database gives the same graph\n"
      "  csv       nodes.csv and relationships.csv in the directory --out (with --query: the result table)\n"
      "  graphml   for Gephi, yEd and NetworkX\n"
      "  dot       for Graphviz\n"
      "\nWith --query, the nodes, relationships and paths the query returns are exported (JSON Lines adds\n"
      "the ends of each relationship and the sources cited, so that the file imports on its own).\n"
      "\nExamples:\n"
      "  lodestone export --out backup.jsonl\n"
      "  lodestone export --format dot | dot -Tsvg > graph.svg\n"
      "  lodestone export --format graphml --query \"MATCH p=(:Actor {key: 'actor/china'})--() RETURN p\" "
      "--out china.graphml\n"
      "  lodestone export --format csv --query \"MATCH (c:Control) RETURN c.name, status(c)\"\n");
  cmd->add_option("--format", a.format, "jsonl (default), csv, graphml or dot")
      ->check(CLI::IsMember({"jsonl", "csv", "graphml", "dot"}));
  cmd->add_option("-q,--query", a.query, "Export only what this query returns");
  cmd->add_option("--param", a.params, "A query parameter: name=<JSON value> (repeatable)");
  cmd->add_option(
      "-o,--out", a.out,
      "Write to this file (for csv of the whole graph: this directory); default: standard output");
  cmd->callback([&g] {
    auto format = *domain::ParseExportFormat(a.format);
    auto db = OpenDatabase(g, false, false, Use::kOnce, Beside::kRead);
    if (!db) throw CLI::RuntimeError(1);
    GraphStore& store = db->store();
    domain::Subgraph part;
    std::unique_ptr<ReadView> view;
    if (!a.query.empty()) {
      ValueMap params;
      if (!ParseParams(a.params, &params)) throw CLI::RuntimeError(2);
      QueryOptions qo;
      qo.read_only = true;
      auto conn = db->Connect();
      ExecResult r = conn->Execute(a.query, params, qo);
      if (!r.ok()) {
        std::cerr << r.error->formatted << "\n";
        throw CLI::RuntimeError(1);
      }
      if (format == domain::ExportFormat::kCsv) {
        std::string text = FormatResult(r.result, ResultFormat::kCsv);
        if (a.out.empty()) {
          std::cout << text;
        } else {
          std::ofstream f(a.out, std::ios::binary);
          f << text;
          if (!f) {
            std::cerr << "lodestone export: cannot write " << a.out << "\n";
            throw CLI::RuntimeError(1);
          }
          std::cerr << "wrote " << r.result.rows.size() << " row(s) to " << a.out << "\n";
        }
        return;
      }
      part = domain::SubgraphOf(r.result);
      if (part.nodes.empty() && part.rels.empty()) {
        std::cerr
            << "lodestone export: the query returns no nodes, relationships or paths to export; return them "
               "(RETURN n, r, p) or use --format csv for a table\n";
        throw CLI::RuntimeError(1);
      }
      // Read the graph as the query did (KNOWN AT included).
      auto v = store.ReadAsOf(r.result.read_record_time);
      if (!v.ok()) {
        std::cerr << "lodestone export: " << v.status().message() << "\n";
        throw CLI::RuntimeError(1);
      }
      view = std::move(v).value();
    } else {
      view = store.Read();
    }

    Result<domain::ExportStats> stats = domain::ExportStats{};
    if (format == domain::ExportFormat::kCsv) {
      if (a.out.empty()) {
        std::cerr
            << "lodestone export: CSV of the whole graph is two files, nodes.csv and relationships.csv; "
               "name a directory for them with --out DIR\n";
        throw CLI::RuntimeError(2);
      }
      std::error_code ec;
      std::filesystem::create_directories(a.out, ec);
      std::ofstream nodes(std::filesystem::path(a.out) / "nodes.csv", std::ios::binary);
      std::ofstream rels(std::filesystem::path(a.out) / "relationships.csv", std::ios::binary);
      if (!nodes || !rels) {
        std::cerr << "lodestone export: cannot write into " << a.out << "\n";
        throw CLI::RuntimeError(1);
      }
      stats = domain::ExportCsv(*view, part, nodes, rels);
    } else {
      std::ofstream file;
      std::ostream* out = &std::cout;
      if (!a.out.empty()) {
        file.open(a.out, std::ios::binary);
        if (!file) {
          std::cerr << "lodestone export: cannot write " << a.out << "\n";
          throw CLI::RuntimeError(1);
        }
        out = &file;
      }
      if (format == domain::ExportFormat::kJsonLines) stats = domain::ExportJsonLines(*view, part, *out);
      if (format == domain::ExportFormat::kGraphML) stats = domain::ExportGraphML(*view, part, *out);
      if (format == domain::ExportFormat::kDot) stats = domain::ExportDot(*view, part, *out);
      out->flush();
      if (!*out) {
        std::cerr << "lodestone export: writing failed\n";
        throw CLI::RuntimeError(1);
      }
    }
    if (!stats.ok()) {
      std::cerr << "lodestone export: " << stats.status().message() << "\n";
      throw CLI::RuntimeError(1);
    }
    for (const auto& w : stats->warnings) std::cerr << "warning: " << w << "\n";
    if (!a.out.empty()) {
      std::cerr << "exported " << stats->nodes << " node(s) and " << stats->relationships
                << " relationship(s) to " << a.out << "\n";
    }
  });
}

}  // namespace lodestone::cli
