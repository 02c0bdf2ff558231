// The HTTP API of docs/api.md and the page's files, as pure request -> response functions: no sockets
// here (web/server/server.h does the I/O), so every route, limit and rule is testable as a call.
//
//   Api api(db, views, assets, options);
//   if (auto early = api.Precheck(header)) send(*early);      // on the I/O thread, before any body
//   Response res = api.Handle(request);                        // on a worker thread
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "query/database.h"
#include "web/server/assets.h"
#include "web/server/views.h"

namespace lodestone::web {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using RequestHeader = http::request_header<>;
using Response = http::response<http::string_body>;

// The policy every response carries (docs/api.md, "Hardening").
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

struct ApiOptions {
  // The bearer token POST /api/import needs; empty: writing is off (403).
  std::string token;
  // POST /api/query.
  std::chrono::milliseconds query_timeout{10'000};
  uint64_t query_max_rows = 10'000;
  uint64_t query_max_memory_bytes = uint64_t{256} << 20;
  // Request body limits (413 beyond them).
  uint64_t query_body_limit = uint64_t{1} << 20;
  uint64_t import_body_limit = uint64_t{32} << 20;
  // The day entity status is given for; today (UTC) when unset.
  std::function<Date()> today;
  // A read replica (`serve --replica-of PATH`): PATH, named when a write is refused (403
  // `ReadReplica`). Empty on the server that writes.
  std::string replica_of;
  // A replica's /healthz adds what this returns: how far it has caught up.
  std::function<nlohmann::json()> replica_status;
};

class Api {
 public:
  Api(Database& db, Views& views, const AssetSource& assets, ApiOptions options);

  // Checks a request by its header alone, before its body is read: unknown route (404), wrong method
  // (405), token (401/403), content type (415), declared body size (413). Returns the error response,
  // or nullopt when the body should be read.
  std::optional<Response> Precheck(const RequestHeader& header) const;
  // The largest body the request's route accepts (0 for routes that take none).
  uint64_t BodyLimit(const RequestHeader& header) const;
  // Answers a complete request. Never throws: a bug becomes a 500.
  Response Handle(const Request& request) const;

  // An error response with the body of docs/api.md: {"error": {status, kind, detail, message, ...}}.
  static Response Error(unsigned version, int status, std::string_view detail, std::string_view message,
                        const nlohmann::json& extra = nlohmann::json::object());
  // Adds the headers every response carries (CSP, nosniff, no-referrer, Server) and sets keep-alive
  // and Content-Length. For HEAD the body is dropped but its length kept.
  static void Finish(Response& res, bool keep_alive, bool head = false);
  // The standard kind name of a status ("NotFound" for 404).
  static std::string_view KindOf(int status);

  const ApiOptions& options() const { return options_; }

 private:
  struct Route;
  using Handler = Response (Api::*)(const Request&, std::string_view path, std::string_view query) const;
  const Route* FindRoute(std::string_view path) const;
  std::optional<Response> CheckToken(const RequestHeader& header) const;

  Response Health(const Request&, std::string_view, std::string_view) const;
  Response Timeline(const Request&, std::string_view, std::string_view) const;
  Response Changes(const Request&, std::string_view, std::string_view) const;
  Response Commits(const Request&, std::string_view, std::string_view) const;
  Response Diff(const Request&, std::string_view, std::string_view) const;
  Response Feed(const Request&, std::string_view, std::string_view) const;
  Response Entity(const Request&, std::string_view, std::string_view) const;
  Response Search(const Request&, std::string_view, std::string_view) const;
  Response Schema(const Request&, std::string_view, std::string_view) const;
  Response Query(const Request&, std::string_view, std::string_view) const;
  Response Import(const Request&, std::string_view, std::string_view) const;
  Response Static(const Request&, std::string_view, std::string_view) const;
  Response NoRoute(const Request&, std::string_view, std::string_view) const;

  Database& db_;
  Views& views_;
  const AssetSource& assets_;
  ApiOptions options_;
};

// A JSON response (200 unless told).
Response JsonResponse(unsigned version, const nlohmann::json& body, http::status status = http::status::ok);

}  // namespace lodestone::web
