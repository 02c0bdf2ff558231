// lodestone shell: an interactive shell with line editing and history (libedit).
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <editline/readline.h>
#include <unistd.h>

#include "cli/commands.h"
#include "query/catalog/function_catalog.h"
#include "query/result_format.h"
#include "util/strings.h"

namespace lodestone::cli {
namespace {

std::string Trim(std::string_view s) { return std::string(util::Trim(s)); }

const char* kHelp = R"(Statements end with ';' and may span lines. Examples:
  MATCH (c:Control) RETURN c.name, status(c) AS status_today;
  MATCH (c:Control) VALID AT date('2025-12-01') RETURN c.name;
  MATCH (e:Event) WHERE e.date >= date('2026-Q1') RETURN e.title, e.date ORDER BY e.date;
  KNOWN AT datetime('2026-01-10T00:00:00Z') MATCH (n) RETURN count(n);
  EXPLAIN MATCH (a:Actor {name: 'China'})-[:IMPOSED]->(c) RETURN c;

Shell commands:
  :help               this text
  :help functions     every function, with its signature
  :schema             labels, relationship types, property keys and indexes, with counts
  :format FORMAT      table (default), json, csv or jsonl
  :param NAME=JSON    set a parameter, e.g. :param d={"$date": "2025-12-01"} or :param name="China"
  :params             list the parameters
  :clear              forget the parameters
  :quit               leave (Ctrl-D works too)
)";

// True when `text` ends with ';' outside strings and comments.
bool Complete(const std::string& text) {
  char quote = 0;
  bool line_comment = false, block_comment = false;
  bool last_semicolon = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (line_comment) {
      if (c == '\n') line_comment = false;
      continue;
    }
    if (block_comment) {
      if (c == '*' && next == '/') {
        block_comment = false;
        ++i;
      }
      continue;
    }
    if (quote) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      quote = c;
      last_semicolon = false;
    } else if (c == '/' && next == '/') {
      line_comment = true;
    } else if (c == '/' && next == '*') {
      block_comment = true;
    } else if (c == ';') {
      last_semicolon = true;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      last_semicolon = false;
    }
  }
  return last_semicolon && !quote && !block_comment;
}

void PrintSchema(Database& db) {
  auto view = db.store().Read();
  const NameResolver& names = view->names();
  std::cout << "Labels:\n";
  auto labels = names.LabelNames();
  for (size_t i = 0; i < labels.size(); ++i) {
    auto n = view->CountLabel(static_cast<LabelId>(i));
    if (!labels[i].empty() && n.ok() && *n > 0) std::cout << "  :" << labels[i] << "  (" << *n << ")\n";
  }
  auto conn = db.Connect();
  ExecResult r =
      conn->Execute("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type", {}, {});
  std::cout << "Relationship types:\n";
  if (r.ok()) {
    for (const auto& row : r.result.rows)
      std::cout << "  :" << row[0].as_string() << "  (" << row[1].as_int() << ")\n";
  }
  std::cout << "Property keys:\n  ";
  bool first = true;
  for (const auto& k : names.PropKeyNames()) {
    if (k.empty()) continue;
    std::cout << (first ? "" : ", ") << k;
    first = false;
  }
  std::cout << "\nIndexes:\n";
  for (const IndexSpec& s : names.Indexes()) {
    std::cout << "  :" << names.LabelName(s.label) << "(" << names.PropKeyName(s.key) << ") "
              << Value::KindName(s.kind) << "\n";
  }
}

}  // namespace

void AddShellCommand(CLI::App& app, GlobalOptions& g) {
  auto* sh = app.add_subcommand("shell", "An interactive shell: statements end with ';', :help for help");
  sh->callback([&g] {
    auto db = OpenDatabase(g, false, false, Use::kMany, Beside::kRead);
    if (!db) throw CLI::RuntimeError(1);
    auto conn = db->Connect();
    bool tty = isatty(STDIN_FILENO);
    std::string history_file;
    if (const char* home = std::getenv("HOME")) history_file = std::string(home) + "/.lodestone_history";
    if (tty && !history_file.empty()) read_history(history_file.c_str());
    ResultFormat format = ResultFormat::kTable;
    ValueMap params;
    if (tty) std::cout << "lodestone shell on " << g.db << " — :help for help, :quit to leave\n";
    if (tty && db->store().secondary()) {
      std::cout
          << "another lodestone process holds the database: this shell reads beside it (each statement sees "
             "what it committed before) and cannot write\n";
    }
    std::string buffer;
    for (;;) {
      const char* prompt = buffer.empty() ? "lodestone> " : "       ...> ";
      char* raw = tty ? readline(prompt) : nullptr;
      std::string line;
      if (tty) {
        if (!raw) break;
        line = raw;
        std::free(raw);
      } else if (!std::getline(std::cin, line)) {
        break;
      }
      std::string t = Trim(line);
      if (buffer.empty() && !t.empty() && t[0] == ':') {
        if (tty) add_history(line.c_str());
        if (t == ":quit" || t == ":exit" || t == ":q") break;
        if (t == ":help") {
          std::cout << kHelp;
        } else if (t == ":help functions") {
          for (const auto& f : db->functions().All())
            std::cout << "  " << f->signature << "\n      " << f->summary << "\n";
        } else if (t == ":schema") {
          PrintSchema(*db);
        } else if (t.rfind(":format", 0) == 0) {
          auto f = ParseResultFormat(Trim(t.substr(7)));
          if (!f.ok()) {
            std::cout << f.status().message() << "\n";
          } else {
            format = *f;
          }
        } else if (t.rfind(":param ", 0) == 0) {
          ParseParams({Trim(t.substr(7))}, &params);
        } else if (t == ":params") {
          for (const auto& [k, v] : params) std::cout << "  $" << k << " = " << v.ToString() << "\n";
        } else if (t == ":clear") {
          params.clear();
        } else {
          std::cout << "unknown shell command " << t << "; :help lists them\n";
        }
        continue;
      }
      if (t.empty() && buffer.empty()) continue;
      buffer += line + "\n";
      if (!Complete(buffer)) continue;
      if (tty) {
        std::string h = buffer;
        while (!h.empty() && h.back() == '\n') h.pop_back();
        add_history(h.c_str());
      }
      QueryOptions opts;
      const char* user = std::getenv("USER");
      opts.origin = std::string("shell by ") + (user ? user : "unknown");
      if (db->store().secondary()) {
        // Beside another process: first read what it committed up to now. The connection keeps a
        // view between statements, and catching up waits for every view to close.
        conn.reset();
        if (auto c = db->store().CatchUp(); !c.ok()) std::cout << c.status().message() << "\n";
        conn = db->Connect();
      }
      ExecResult r = conn->ExecuteScript(buffer, params, opts);
      buffer.clear();
      if (!r.ok()) {
        std::cout << r.error->formatted << "\n";
        continue;
      }
      if (!r.result.plan.empty()) std::cout << r.result.plan;
      if (!r.result.columns.empty()) std::cout << FormatResult(r.result, format);
      const QueryStats& s = r.result.stats;
      if (s.ContainsUpdates()) {
        std::cout << "created " << s.nodes_created << " nodes, " << s.relationships_created
                  << " relationships; deleted " << s.nodes_deleted << " nodes, " << s.relationships_deleted
                  << " relationships; set " << s.properties_set << " properties\n";
      }
      std::printf("(%.2f ms)\n", static_cast<double>(r.result.elapsed.count()) / 1000.0);
      std::fflush(stdout);
    }
    if (tty && !history_file.empty()) write_history(history_file.c_str());
  });
}

}  // namespace lodestone::cli
