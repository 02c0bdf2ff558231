// lodestone query: run one statement (or a script file) and print the result.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "query/result_format.h"

namespace lodestone::cli {

bool ParseParams(const std::vector<std::string>& specs, ValueMap* out) {
  for (const auto& spec : specs) {
    size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "lodestone: --param expects name=<JSON value>, e.g. --param 'd=\"2025-12-01\"' or --param "
                   "n=5; got '"
                << spec << "'\n";
      return false;
    }
    std::string name = spec.substr(0, eq), text = spec.substr(eq + 1);
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error&) {
      // A bare word is taken as a string: --param who=actor/china
      j = text;
    }
    auto v = ValueFromJson(j);
    if (!v.ok()) {
      std::cerr << "lodestone: --param " << name << ": " << v.status().message() << "\n";
      return false;
    }
    (*out)[name] = std::move(v).value();
  }
  return true;
}

void AddQueryCommand(CLI::App& app, GlobalOptions& g) {
  struct Args {
    std::string text;
    std::string file;
    std::vector<std::string> params;
    std::string format = "table";
    int timeout_ms = 30000;
    uint64_t max_rows = 1000000;
    bool stats = false;
  };
  static Args a;
  auto* q = app.add_subcommand("query", "Run a statement (or a script with -f) and print the result");
  q->add_option("STATEMENT", a.text, "The statement, e.g. \"MATCH (c:Control) RETURN c.name\"");
  q->add_option("-f,--file", a.file,
                "Read statements from a file; several statements, separated by ';', run as one transaction");
  q->add_option("--param", a.params,
                "A parameter: name=<JSON value> (repeatable); dates as {\"$date\": \"2025-10\"}");
  q->add_option("--format", a.format, "Output: table, json, csv or jsonl")
      ->check(CLI::IsMember({"table", "json", "csv", "jsonl"}));
  q->add_option("--timeout", a.timeout_ms, "Stop after this many milliseconds (0: no limit)");
  q->add_option("--max-rows", a.max_rows, "Refuse results with more rows than this");
  q->add_flag("--stats", a.stats, "Print what the statement changed and how long it took");
  q->callback([&g] {
    if (a.text.empty() == a.file.empty()) {
      std::cerr << "lodestone query: give a statement or -f FILE (one of them)\n";
      throw CLI::RuntimeError(2);
    }
    ValueMap params;
    if (!ParseParams(a.params, &params)) throw CLI::RuntimeError(2);
    std::string text = a.text;
    if (!a.file.empty()) {
      std::ifstream in(a.file);
      if (!in) {
        std::cerr << "lodestone: cannot read " << a.file << "\n";
        throw CLI::RuntimeError(1);
      }
      std::ostringstream ss;
      ss << in.rdbuf();
      text = ss.str();
    }
    auto db = OpenDatabase(g, false, false, Use::kOnce, Beside::kRead);
    if (!db) throw CLI::RuntimeError(1);
    auto conn = db->Connect();
    QueryOptions opts;
    opts.timeout = std::chrono::milliseconds(a.timeout_ms);
    opts.max_rows = a.max_rows;
    const char* user = std::getenv("USER");
    opts.origin = std::string("query by ") + (user ? user : "cli");
    ExecResult r =
        a.file.empty() ? conn->Execute(text, params, opts) : conn->ExecuteScript(text, params, opts);
    if (!r.ok()) {
      std::cerr << (a.file.empty() ? "" : a.file + ": ") << r.error->formatted << "\n";
      throw CLI::RuntimeError(1);
    }
    if (!r.result.plan.empty()) std::cout << r.result.plan;
    if (!r.result.columns.empty()) std::cout << FormatResult(r.result, *ParseResultFormat(a.format));
    const QueryStats& s = r.result.stats;
    if (a.stats || (s.ContainsUpdates() && a.format == "table")) {
      std::cerr << "nodes created: " << s.nodes_created << ", deleted: " << s.nodes_deleted
                << "; relationships created: " << s.relationships_created
                << ", deleted: " << s.relationships_deleted << "; properties set: " << s.properties_set
                << "; labels added: " << s.labels_added << ", removed: " << s.labels_removed << "\n";
    }
    if (a.stats) std::cerr << "time: " << static_cast<double>(r.result.elapsed.count()) / 1000.0 << " ms\n";
  });
}

}  // namespace lodestone::cli
