// lodestone import: load JSON Lines, CSV and query scripts into the database as one transaction.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "cli/commands.h"
#include "domain/functions.h"
#include "domain/import.h"
#include "domain/lifecycle.h"

namespace lodestone::cli {
namespace {

std::string UserName() {
  const char* user = std::getenv("USER");
  return user && *user ? user : "unknown";
}

// A progress bar on stderr, redrawn at most ten times a second (the importer throttles its calls).
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  ~ProgressBar() { Clear(); }
  void Update(const domain::ImportProgress& p) {
    if (!enabled_) return;
    constexpr int kWidth = 30;
    double f = p.total ? static_cast<double>(p.done) / static_cast<double>(p.total) : 1.0;
    if (f > 1) f = 1;
    int filled = static_cast<int>(f * kWidth);
    std::string bar(static_cast<size_t>(filled), '#');
    bar += std::string(static_cast<size_t>(kWidth - filled), '.');
    std::fprintf(stderr, "\r  %-20s [%s] %3d%%", p.phase.c_str(), bar.c_str(), static_cast<int>(f * 100));
    std::fflush(stderr);
    shown_ = true;
  }
  void Clear() {
    if (!shown_) return;
    std::fprintf(stderr, "\r%70s\r", "");
    std::fflush(stderr);
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
};

const char* KindWord(domain::Change::Kind k, bool dry) {
  switch (k) {
    case domain::Change::Kind::kCreated:
      return dry ? "would create" : "created";
    case domain::Change::Kind::kUpdated:
      return dry ? "would update" : "updated";
    case domain::Change::Kind::kUnchanged:
      return "unchanged";
    case domain::Change::Kind::kRejected:
      return "rejected";
  }
  return "";
}

}  // namespace

void AddImportCommand(CLI::App& app, GlobalOptions& g) {
  struct Args {
    std::vector<std::string> files;
    bool skip_bad = false;
    bool dry_run = false;
    std::string mapping;
    std::vector<std::string> schemas;
    size_t max_problems = 50;
    bool verbose = false;
    std::string server;
    std::string token_file;
  };
  static Args a;
  // POST /api/import on the server that holds the database (docs/api.md): the same importer, run there.
  static auto import_through_server = [] {
    if (a.files.size() != 1 || !a.schemas.empty() || !a.mapping.empty() || a.dry_run || a.skip_bad) {
      std::cerr
          << "lodestone import: with --server, give one JSON Lines file (or - for standard input) and no "
             "--schema, --mapping, --dry-run or --skip-bad; the server's API takes records only. For the "
             "rest, stop the server and import into the database\n";
      throw CLI::RuntimeError(2);
    }
    const std::string& f = a.files[0];
    bool jsonl = f == "-" || (f.size() > 6 && f.compare(f.size() - 6, 6, ".jsonl") == 0) ||
                 (f.size() > 7 && f.compare(f.size() - 7, 7, ".ndjson") == 0);
    if (!jsonl) {
      std::cerr << "lodestone import: with --server the file must be JSON Lines (.jsonl, .ndjson or -); got "
                << f << "\n";
      throw CLI::RuntimeError(2);
    }
    if (a.token_file.empty()) {
      std::cerr << "lodestone import: --server needs --token-file, the file holding the token the server was "
                   "started with\n";
      throw CLI::RuntimeError(2);
    }
    std::string token;
    if (!ReadToken(a.token_file, &token, "import")) throw CLI::RuntimeError(2);
    std::ostringstream ss;
    if (f == "-") {
      ss << std::cin.rdbuf();
    } else {
      std::ifstream in(f, std::ios::binary);
      if (!in) {
        std::cerr << "lodestone import: cannot read " << f << "\n";
        throw CLI::RuntimeError(1);
      }
      ss << in.rdbuf();
    }
    auto reply = HttpPost(a.server, "/api/import", "application/x-ndjson", token, ss.str());
    if (!reply.ok()) {
      std::cerr << "lodestone import: " << reply.status().message() << "\n";
      throw CLI::RuntimeError(1);
    }
    nlohmann::json body = nlohmann::json::parse(reply->body, nullptr, false);
    if (reply->status != 200 || !body.is_object()) {
      std::string message = reply->body;
      if (body.is_object() && body.contains("error") && body["error"].is_object()) {
        const auto& e = body["error"];
        message = e.value("message", std::string());
        if (e.contains("problems") && e["problems"].is_array()) {
          for (const auto& p : e["problems"]) {
            std::cerr << f << ", line " << p.value("line", 0)
                      << (p.contains("field") ? ", field " + p.value("field", std::string()) : "") << ": "
                      << p.value("message", std::string()) << "\n";
          }
        }
      }
      std::cerr << "lodestone import: the server at " << a.server << " answered " << reply->status << ": "
                << message << "\n";
      throw CLI::RuntimeError(1);
    }
    std::cout << "created " << body.value("created", 0) << ", updated " << body.value("updated", 0)
              << ", unchanged " << body.value("unchanged", 0) << ", rejected " << body.value("rejected", 0)
              << " (through " << a.server;
    if (body.contains("record_time") && body["record_time"].is_string()) {
      std::cout << ", recorded " << body["record_time"].get<std::string>();
    }
    std::cout << ")\n";
  };
  auto* cmd = app.add_subcommand(
      "import", "Import JSON Lines, CSV and query-script files as one transaction (docs/import.md)");
  cmd->footer(
      "\nFiles are recognised by their extension:\n"
      "  .jsonl, .ndjson   records in the import format: {\"node\": ...}, {\"rel\": ...}, {\"event\": ...}\n"
      "  .csv              events (columns date, title, event_kind, involves, affects, concerns, sources,\n"
      "                    summary), or any shape with a mapping file (--mapping, or NAME.mapping.json)\n"
      "  .cypher, .cql     statements separated by ';', run after the records, in the same transaction\n"
      "  -                 JSON Lines from standard input\n"
      "\n"
      "Everything is checked before anything is written; by default one bad record writes nothing.\n"
      "Importing the same file again changes nothing; an edited record becomes a new version.\n"
      "Exit status: 0 written (or nothing to change), 1 nothing written, 3 written with records rejected\n"
      "(--skip-bad).\n"
      "\nExamples:\n"
      "  lodestone import events.jsonl\n"
      "  lodestone import --dry-run new-controls.jsonl fixes.cypher\n"
      "  lodestone import --mapping actors.mapping.json actors.csv\n"
      "  lodestone import events.jsonl --server http://127.0.0.1:8080 --token-file token   (while it "
      "serves)\n");
  cmd->add_option("FILE", a.files,
                  "Files to import, in order (none with --schema: apply only the extension)");
  cmd->add_flag("--skip-bad", a.skip_bad,
                "Write the good records and report the bad ones (default: a bad record writes nothing)");
  cmd->add_flag("-n,--dry-run", a.dry_run,
                "Check and show what would be created, changed and left alone; write nothing");
  cmd->add_option("--mapping", a.mapping,
                  "Mapping file for the CSV files (default: NAME.mapping.json next to NAME.csv)");
  cmd->add_option("--schema", a.schemas,
                  "A schema extension file to apply first (repeatable; docs/schema.md)");
  cmd->add_option("--max-problems", a.max_problems, "Print at most this many problems (default 50)");
  cmd->add_flag("-v,--verbose", a.verbose, "List every record that was created or updated");
  cmd->add_option(
      "--server", a.server,
      "Send the records to this running `lodestone serve` (http://HOST:PORT) instead of opening the "
      "database: for when the server holds it. One JSON Lines file (or -); needs --token-file");
  cmd->add_option("--token-file", a.token_file,
                  "With --server: the file holding the server's token (its --token-file)");
  cmd->callback([&g] {
    if (!a.server.empty()) {
      import_through_server();
      return;
    }
    if (!a.token_file.empty()) {
      std::cerr << "lodestone import: --token-file goes with --server (the server to send the records to)\n";
      throw CLI::RuntimeError(2);
    }
    if (a.files.empty() && a.schemas.empty()) {
      std::cerr << "lodestone import: name the files to import, e.g. `lodestone import events.jsonl` (see "
                   "--help)\n";
      throw CLI::RuntimeError(2);
    }
    std::vector<domain::ImportInput> inputs;
    for (const auto& f : a.files) {
      if (f == "-") {
        domain::ImportInput in;
        in.name = "(standard input)";
        std::ostringstream ss;
        ss << std::cin.rdbuf();
        in.text = ss.str();
        inputs.push_back(std::move(in));
        continue;
      }
      auto in = domain::ReadImportFile(f, a.mapping);
      if (!in.ok()) {
        std::cerr << "lodestone import: " << in.status().message() << "\n";
        throw CLI::RuntimeError(1);
      }
      inputs.push_back(std::move(in).value());
    }
    domain::ImportOptions opt;
    opt.skip_bad = a.skip_bad;
    opt.dry_run = a.dry_run;
    opt.collect_changes = a.dry_run || a.verbose;
    std::string names;
    for (const auto& f : a.schemas) names += (names.empty() ? "" : ", ") + f;
    for (const auto& f : a.files) names += (names.empty() ? "" : ", ") + f;
    opt.origin = "import " + names + " by " + UserName();
    for (const auto& s : a.schemas) {
      std::ifstream in(s);
      if (!in) {
        std::cerr << "lodestone import: cannot read the schema extension " << s << "\n";
        throw CLI::RuntimeError(1);
      }
      std::ostringstream ss;
      ss << in.rdbuf();
      opt.schema_extensions.emplace_back(s, ss.str());
    }
    ProgressBar bar(isatty(STDERR_FILENO));
    opt.progress = [&bar](const domain::ImportProgress& p) { bar.Update(p); };

    auto db = OpenDatabase(g, false, false);
    if (!db) throw CLI::RuntimeError(1);
    domain::ImportReport r = domain::Import(*db, inputs, opt);
    bar.Clear();

    size_t shown = 0;
    for (const auto& p : r.problems) {
      if (shown++ == a.max_problems) {
        std::cerr << "... and " << (r.problems.size() - a.max_problems) << " more problem(s)\n";
        break;
      }
      std::cerr << p.ToString() << "\n";
    }
    for (const auto& w : r.warnings) std::cerr << "warning: " << w.ToString() << "\n";
    if (opt.collect_changes) {
      for (const auto& c : r.changes) {
        if (c.kind == domain::Change::Kind::kUnchanged || c.kind == domain::Change::Kind::kRejected) continue;
        std::cout << KindWord(c.kind, a.dry_run) << " " << c.what << "  (" << c.file << " line " << c.line
                  << ")\n";
        for (const auto& d : c.details) std::cout << "    " << d << "\n";
      }
    }
    if (r.failed) {
      std::cerr << "nothing was written";
      if (!r.problems.empty()) {
        std::cerr << ": " << r.problems.size() << " problem(s)";
        if (r.rejected) std::cerr << " in " << r.rejected << " record(s)";
        if (!a.skip_bad && r.rejected && r.rejected < r.records) {
          std::cerr << " (fix them, or use --skip-bad to write the " << (r.records - r.rejected)
                    << " good record(s))";
        }
      }
      std::cerr << "\n";
      throw CLI::RuntimeError(1);
    }
    std::cout << (a.dry_run ? "dry run, nothing written: would have " : "") << r.Summary();
    if (!a.dry_run && r.bulk) std::cout << " (bulk load)";
    std::cout << "\n";
    if (a.verbose) {
      for (const auto& [phase, seconds] : r.phases)
        std::fprintf(stderr, "  %-18s %.3f s\n", phase.c_str(), seconds);
    }
    if (r.rejected) throw CLI::RuntimeError(3);
  });
}

}  // namespace lodestone::cli
