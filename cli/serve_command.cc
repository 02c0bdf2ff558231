// lodestone serve: the web page and the JSON API of docs/api.md over HTTP/1.1 (web/server/).
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "web/server/api.h"
#include "web/server/server.h"
#include "web/server/views.h"

namespace lodestone::cli {

namespace {

// The token is the file's content without surrounding whitespace.
bool ReadToken(const std::string& path, std::string* token) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "lodestone serve: cannot read the token file " << path << "\n";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string t = ss.str();
  size_t b = t.find_first_not_of(" \t\r\n"), e = t.find_last_not_of(" \t\r\n");
  *token = b == std::string::npos ? "" : t.substr(b, e - b + 1);
  if (token->empty()) {
    std::cerr << "lodestone serve: the token file " << path << " is empty\n";
    return false;
  }
  if (token->find_first_of(" \t\r\n") != std::string::npos) {
    std::cerr << "lodestone serve: the token in " << path << " must be one word\n";
    return false;
  }
  return true;
}

}  // namespace

void AddServeCommand(CLI::App& app, GlobalOptions& g) {
  struct Args {
    web::ServerOptions server;
    std::string token_file;
    std::string assets;
    int query_timeout_ms = 10'000;
    uint64_t max_rows = 10'000;
    uint64_t import_limit_mib = 32;
  };
  static Args a;
  a.server.worker_threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  auto* s = app.add_subcommand("serve", "Serve the web page and the JSON API (docs/api.md) over HTTP");
  s->add_option("--bind", a.server.bind, "Address to listen on")->capture_default_str();
  s->add_option("--port", a.server.port, "Port to listen on (0: any free port)")->capture_default_str();
  s->add_option("--threads", a.server.worker_threads, "Worker threads answering requests (queries run there)")
      ->check(CLI::Range(1, 256));
  s->add_option("--io-threads", a.server.io_threads, "Threads doing network I/O")->check(CLI::Range(1, 64))->capture_default_str();
  s->add_option("--token-file", a.token_file,
                "File holding the bearer token POST /api/import needs; without it writing is off");
  s->add_option("--assets", a.assets, "Serve the page from this directory (a web/app/dist) instead of the built-in copy");
  s->add_option("--max-connections", a.server.max_connections, "Connections beyond this get 429")->capture_default_str();
  s->add_option("--query-timeout", a.query_timeout_ms, "Time limit of POST /api/query, in milliseconds")->capture_default_str();
  s->add_option("--max-rows", a.max_rows, "Row limit of POST /api/query")->capture_default_str();
  s->add_option("--import-limit", a.import_limit_mib, "Largest POST /api/import body, in MiB")->capture_default_str();
  s->callback([&g] {
    web::ApiOptions api_options;
    if (!a.token_file.empty() && !ReadToken(a.token_file, &api_options.token)) throw CLI::RuntimeError(2);
    api_options.query_timeout = std::chrono::milliseconds(a.query_timeout_ms);
    api_options.query_max_rows = a.max_rows;
    api_options.import_body_limit = a.import_limit_mib << 20;

    auto db = OpenDatabase(g, false, false, Use::kMany);
    if (!db) throw CLI::RuntimeError(1);
    auto assets = a.assets.empty() ? web::EmbeddedAssets() : web::DirectoryAssets(a.assets);
    auto views = web::DomainViews();
    {
      web::Api api(*db, *views, *assets, api_options);
      web::Server server(api, a.server);
      Status st = server.Start();
      if (!st.ok()) {
        std::cerr << "lodestone serve: " << st.message() << "\n";
        throw CLI::RuntimeError(1);
      }
      std::cout << "lodestone: listening on http://" << (a.server.bind.find(':') != std::string::npos ? "[" + a.server.bind + "]" : a.server.bind)
                << ":" << server.port() << "/ (database " << g.db << "; page: " << assets->Describe()
                << "; writing " << (api_options.token.empty() ? "off" : "on, with the token") << ")" << std::endl;
      server.Wait();
      std::cout << "lodestone: stopped after " << server.requests_served() << " responses; closing the database"
                << std::endl;
    }
    db.reset();  // closes RocksDB cleanly before exit
  });
}

}  // namespace lodestone::cli
