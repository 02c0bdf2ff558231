// lodestone serve: the web page and the JSON API of docs/api.md over HTTP/1.1 (web/server/).
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "domain/procedures.h"
#include "web/server/api.h"
#include "web/server/server.h"
#include "web/server/views.h"

namespace lodestone::cli {
namespace {

// A read replica's catch-up loop: reads the primary's new commits every `interval` on a thread of its
// own, and reports how far it has come for /healthz.
class Replica {
 public:
  Replica(GraphStore& store, std::chrono::milliseconds interval) : store_(store), interval_(interval) {
    caught_up_at_ = NowMicros();
    last_record_time_ = store_.last_commit_time();
    thread_ = std::thread([this] { Run(); });
  }
  ~Replica() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  // The replica holds every commit the primary acknowledged before `caught_up_at`; `lag_ms` is how
  // long ago that was (at most about the interval plus one catch-up while all is well).
  nlohmann::json Report() const {
    std::lock_guard lock(mu_);
    uint64_t now = NowMicros();
    nlohmann::json j{
        {"replica_last_record_time",
         last_record_time_ ? nlohmann::json(DateTime{static_cast<int64_t>(last_record_time_)}.ToString())
                           : nlohmann::json(nullptr)},
        {"caught_up_at", DateTime{static_cast<int64_t>(caught_up_at_)}.ToString()},
        {"lag_ms", static_cast<double>(now > caught_up_at_ ? now - caught_up_at_ : 0) / 1000.0},
        {"catch_up_interval_ms", interval_.count()}};
    if (!error_.empty()) {
      j["status"] = "behind";
      j["catch_up_error"] = error_;
    }
    return j;
  }

 private:
  static uint64_t NowMicros() {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  }

  void Run() {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
      lock.unlock();
      uint64_t started = NowMicros();
      auto r = store_.CatchUp();
      lock.lock();
      if (r.ok()) {
        caught_up_at_ = started;
        last_record_time_ = *r;
        error_.clear();
      } else {
        error_ = r.status().message();
      }
    }
  }

  GraphStore& store_;
  const std::chrono::milliseconds interval_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  uint64_t caught_up_at_ = 0;
  uint64_t last_record_time_ = 0;
  std::string error_;
  std::thread thread_;
};

}  // namespace

void AddServeCommand(CLI::App& app, GlobalOptions& g) {
  struct Args {
    web::ServerOptions server;
    std::string token_file;
    std::string assets;
    int query_timeout_ms = 10'000;
    uint64_t max_rows = 10'000;
    uint64_t import_limit_mib = 32;
    std::string replica_of;
    int catch_up_ms = 100;
  };
  static Args a;
  a.server.worker_threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  auto* s = app.add_subcommand("serve", "Serve the web page and the JSON API (docs/api.md) over HTTP");
  s->add_option("--bind", a.server.bind, "Address to listen on")->capture_default_str();
  s->add_option("--port", a.server.port, "Port to listen on (0: any free port)")->capture_default_str();
  s->add_option("--threads", a.server.worker_threads, "Worker threads answering requests (queries run there)")
      ->check(CLI::Range(1, 256));
  s->add_option("--io-threads", a.server.io_threads, "Threads doing network I/O")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  s->add_option("--token-file", a.token_file,
                "File holding the bearer token POST /api/import needs; without it writing is off");
  s->add_option("--assets", a.assets,
                "Serve the page from this directory (a web/app/dist) instead of the built-in copy");
  s->add_option("--max-connections", a.server.max_connections, "Connections beyond this get 429")
      ->capture_default_str();
  s->add_option("--query-timeout", a.query_timeout_ms, "Time limit of POST /api/query, in milliseconds")
      ->capture_default_str();
  s->add_option("--max-rows", a.max_rows, "Row limit of POST /api/query")->capture_default_str();
  s->add_option("--import-limit", a.import_limit_mib, "Largest POST /api/import body, in MiB")
      ->capture_default_str();
  s->add_option("--replica-of", a.replica_of,
                "Serve the page and the read API as a read replica of the database at PATH, which another "
                "process (the primary's `lodestone serve`) holds; writes are refused (instead of --db)");
  s->add_option("--catch-up-interval", a.catch_up_ms,
                "With --replica-of: read the primary's new commits this often, in milliseconds")
      ->check(CLI::Range(10, 600'000))
      ->capture_default_str();
  s->callback([&g] {
    if (!a.replica_of.empty() && !a.token_file.empty()) {
      std::cerr << "lodestone serve: a replica takes no writes; give --token-file to the server that holds "
                << a.replica_of << "\n";
      throw CLI::RuntimeError(2);
    }
    web::ApiOptions api_options;
    if (!a.token_file.empty() && !ReadToken(a.token_file, &api_options.token, "serve")) {
      throw CLI::RuntimeError(2);
    }
    api_options.query_timeout = std::chrono::milliseconds(a.query_timeout_ms);
    api_options.query_max_rows = a.max_rows;
    api_options.import_body_limit = a.import_limit_mib << 20;

    std::unique_ptr<Database> db;
    std::unique_ptr<Replica> replica;
    if (a.replica_of.empty()) {
      db = OpenDatabase(g, false, false, Use::kMany);
      if (!db) throw CLI::RuntimeError(1);
    } else {
      StoreOptions o = StoreOptionsFor(g, Use::kMany);
      o.secondary = true;
      auto opened = Database::Open(a.replica_of, o);
      if (!opened.ok()) {
        std::cerr << "lodestone serve: " << opened.status().message() << "\n";
        throw CLI::RuntimeError(1);
      }
      db = std::move(opened).value();
      if (Status fs = domain::RegisterDomain(*db); !fs.ok()) {
        std::cerr << "lodestone serve: " << fs.message() << "\n";
        throw CLI::RuntimeError(1);
      }
      replica = std::make_unique<Replica>(db->store(), std::chrono::milliseconds(a.catch_up_ms));
      api_options.replica_of = a.replica_of;
      api_options.replica_status = [r = replica.get()] { return r->Report(); };
    }
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
      std::cout << "lodestone: listening on http://"
                << (a.server.bind.find(':') != std::string::npos ? "[" + a.server.bind + "]" : a.server.bind)
                << ":" << server.port() << "/ (database " << (replica ? a.replica_of : g.db)
                << "; page: " << assets->Describe() << "; "
                << (replica ? "read replica, catching up every " + std::to_string(a.catch_up_ms) + " ms"
                            : std::string("writing ") +
                                  (api_options.token.empty() ? "off" : "on, with the token"))
                << ")" << std::endl;
      server.Wait();
      replica.reset();  // stops catching up before the views go
      std::cout << "lodestone: stopped after " << server.requests_served()
                << " responses; closing the database" << std::endl;
    }
    db.reset();  // closes RocksDB cleanly before exit
  });
}

}  // namespace lodestone::cli
