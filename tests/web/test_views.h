// Test doubles for the web server's tests: views with canned answers (web/server/views.h), a page in a
// scratch directory, and a database with a few nodes.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "query/database.h"
#include "web/server/views.h"

namespace lodestone::web::testing {

using nlohmann::json;

class FakeViews : public Views {
 public:
  Result<json> Timeline(ReadView&, const Params& params) override {
    std::lock_guard lock(mu);
    last_params = params;
    if (params.count("slow"))
      std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(params.find("slow")->second)));
    if (params.count("boom")) throw std::runtime_error("boom");
    return json{{"from", nullptr},          {"to", nullptr}, {"events", json::array()},
                {"periods", json::array()}, {"total", 0},    {"next", nullptr}};
  }
  Result<json> Entity(GraphStore&, ReadView&, std::string_view key, Date today) override {
    std::lock_guard lock(mu);
    last_key = std::string(key);
    last_today = today;
    if (key != "actor/china" && key != "actor/côte d'ivoire") {
      return Status::NotFound("no entity has the key '" + std::string(key) + "'");
    }
    return json{{"key", key}, {"name", "<script>alert(1)</script>"}};
  }
  Result<json> Search(ReadView&, std::string_view q, const std::vector<std::string>& labels,
                      size_t limit) override {
    std::lock_guard lock(mu);
    last_q = std::string(q);
    last_labels = labels;
    last_limit = limit;
    return json{{"results", json::array()}};
  }
  Result<json> Schema(ReadView&) override { return json{{"labels", json::array()}}; }
  ImportOutcome Import(Database&, std::string_view body, const std::string& origin) override {
    std::lock_guard lock(mu);
    last_import = std::string(body);
    last_origin = origin;
    return {200, json{{"created", 1}, {"updated", 0}, {"unchanged", 0}, {"rejected", 0}}};
  }

  std::mutex mu;
  Params last_params;
  std::string last_key, last_q, last_import, last_origin;
  std::vector<std::string> last_labels;
  size_t last_limit = 0;
  Date last_today;
};

// A page in `root`: index.html, favicon.svg, assets/app-abc123.js, and a secret file beside the root.
inline void WritePage(const std::filesystem::path& root) {
  std::filesystem::create_directories(root / "assets");
  auto write = [](const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  };
  write(root / "index.html",
        "<!doctype html><title>Lodestone</title><script type=module src=/assets/app-abc123.js></script>");
  write(root / "favicon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
  write(root / "assets" / "app-abc123.js", "console.log('lodestone');");
  write(root / "assets" / "app-abc123.css", "body{margin:0}");
  write(root.parent_path() / "secret.txt", "TOP SECRET");
  std::filesystem::create_symlink(root.parent_path() / "secret.txt", root / "assets" / "link.js");
}

// A database with three actors.
inline std::unique_ptr<Database> MakeDatabase(const std::string& path) {
  StoreOptions o;
  o.create_if_missing = true;
  auto db = Database::Open(path, o);
  if (!db.ok()) throw std::runtime_error(db.status().message());
  auto conn = (*db)->Connect();
  auto r = conn->Execute(
      "CREATE (:Actor {key: 'actor/china', name: 'China'}), (:Actor {key: 'actor/us', name: 'United "
      "States'}), "
      "(:Actor {key: 'actor/japan', name: 'Japan'})");
  if (!r.ok()) throw std::runtime_error(r.error->formatted);
  return std::move(db).value();
}

}  // namespace lodestone::web::testing
