#include "web/server/api.h"

#include <algorithm>
#include <cctype>
#include <exception>

#include "query/result_format.h"
#include "util/strings.h"
#include "web/server/feed.h"
#include "web/server/timeline_export.h"
#include "web/server/url.h"

namespace lodestone::web {

using nlohmann::json;

namespace {

enum class BodyKind { kNone, kQuery, kImport };

using util::EqualsIgnoreCase;
using util::Trim;  // header values hold no CR or LF, so trimming those too changes nothing

// The media type of a Content-Type value, without parameters ("application/json; charset=utf-8").
std::string_view MediaType(std::string_view content_type) {
  return Trim(content_type.substr(0, content_type.find(';')));
}

// Compares in time that depends only on the lengths, so the token cannot be guessed byte by byte.
bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Date TodayUtc() {
  auto secs =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  return Date::Containing(static_cast<int32_t>(secs / 86400), DatePrecision::kDay);
}

// Parses a `limit` parameter: a positive integer, capped at 1000 (docs/api.md, "Pagination").
std::optional<size_t> ParseLimit(const Params& params, size_t dflt, std::string* error) {
  auto it = params.find("limit");
  if (it == params.end() || it->second.empty()) return dflt;
  const std::string& v = it->second;
  size_t n = 0;
  if (v.size() > 12 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      (n = std::stoull(v)) == 0) {
    *error = "'limit' must be a positive integer, not '" + v + "'";
    return std::nullopt;
  }
  return std::min<size_t>(n, 1000);
}

int StatusFor(QueryError::Kind kind) {
  switch (kind) {
    case QueryError::Kind::kReadOnly:
      return 403;
    case QueryError::Kind::kTimeout:
      return 504;
    case QueryError::Kind::kStorageError:
      return 503;
    case QueryError::Kind::kInternalError:
      return 500;
    default:
      return 400;
  }
}

}  // namespace

struct Api::Route {
  std::string_view path;
  bool prefix;
  std::string_view allow;  // "GET, HEAD" or "POST"; empty: any method (the handler answers)
  Handler handler;
  BodyKind body;
};

namespace {
constexpr std::string_view kGet = "GET, HEAD";
constexpr std::string_view kPost = "POST";
}  // namespace

const Api::Route* Api::FindRoute(std::string_view path) const {
  static const Route kRoutes[] = {
      {"/healthz", false, kGet, &Api::Health, BodyKind::kNone},
      {"/api/timeline", false, kGet, &Api::Timeline, BodyKind::kNone},
      {"/api/changes", false, kGet, &Api::Changes, BodyKind::kNone},
      {"/api/commits", false, kGet, &Api::Commits, BodyKind::kNone},
      {"/api/diff", false, kGet, &Api::Diff, BodyKind::kNone},
      {"/feed.atom", false, kGet, &Api::Feed, BodyKind::kNone},
      {"/api/entity/", true, kGet, &Api::Entity, BodyKind::kNone},
      {"/api/search", false, kGet, &Api::Search, BodyKind::kNone},
      {"/api/schema", false, kGet, &Api::Schema, BodyKind::kNone},
      {"/api/query", false, kPost, &Api::Query, BodyKind::kQuery},
      {"/api/import", false, kPost, &Api::Import, BodyKind::kImport},
      {"/api/", true, "", &Api::NoRoute, BodyKind::kNone},
      {"/api", false, "", &Api::NoRoute, BodyKind::kNone},
      {"/", true, kGet, &Api::Static, BodyKind::kNone},
  };
  for (const Route& r : kRoutes) {
    if (r.prefix ? path.substr(0, r.path.size()) == r.path : path == r.path) return &r;
  }
  return nullptr;
}

Api::Api(Database& db, Views& views, const AssetSource& assets, ApiOptions options)
    : db_(db), views_(views), assets_(assets), options_(std::move(options)) {}

std::string_view Api::KindOf(int status) {
  switch (status) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 408:
      return "RequestTimeout";
    case 413:
      return "PayloadTooLarge";
    case 415:
      return "UnsupportedMediaType";
    case 429:
      return "TooManyRequests";
    case 431:
      return "RequestHeaderFieldsTooLarge";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "Timeout";
    default:
      return "Error";
  }
}

Response JsonResponse(unsigned version, const json& body, http::status status) {
  Response res{status, version};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() = Dump(body);
  return res;
}

Response Api::Error(unsigned version, int status, std::string_view detail, std::string_view message,
                    const json& extra) {
  json err{{"status", status}, {"kind", KindOf(status)}, {"detail", detail}, {"message", message}};
  for (auto it = extra.begin(); it != extra.end(); ++it) err[it.key()] = it.value();
  return JsonResponse(version, json{{"error", err}}, static_cast<http::status>(status));
}

void Api::Finish(Response& res, bool keep_alive, bool head) {
  res.set(http::field::server, "lodestone");
  res.set("Content-Security-Policy", kContentSecurityPolicy);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Cross-Origin-Opener-Policy", "same-origin");
  res.keep_alive(keep_alive);
  if (head) {
    size_t n = res.body().size();
    res.body().clear();
    res.content_length(n);
  } else {
    res.prepare_payload();
  }
}

std::optional<Response> Api::CheckToken(const RequestHeader& h) const {
  unsigned v = h.version();
  if (options_.token.empty()) {
    return Error(v, 403, "WritingOff", "writing is off: the server was started without --token-file");
  }
  std::string_view auth = Trim(h[http::field::authorization]);
  constexpr std::string_view kBearer = "bearer ";
  if (auth.size() < kBearer.size() || !EqualsIgnoreCase(auth.substr(0, kBearer.size()), kBearer)) {
    Response r = Error(v, 401, "MissingToken", "this endpoint needs 'Authorization: Bearer <token>'");
    r.set(http::field::www_authenticate, "Bearer realm=\"lodestone\"");
    return r;
  }
  if (!SameSecret(Trim(auth.substr(kBearer.size())), options_.token)) {
    Response r = Error(v, 401, "WrongToken", "the bearer token is not the one this server was started with");
    r.set(http::field::www_authenticate, "Bearer realm=\"lodestone\", error=\"invalid_token\"");
    return r;
  }
  return std::nullopt;
}

uint64_t Api::BodyLimit(const RequestHeader& h) const {
  const Route* r = FindRoute(SplitTarget(h.target()).path);
  if (!r) return 0;
  switch (r->body) {
    case BodyKind::kQuery:
      return options_.query_body_limit;
    case BodyKind::kImport:
      return options_.import_body_limit;
    case BodyKind::kNone:
      return 0;
  }
  return 0;
}

std::optional<Response> Api::Precheck(const RequestHeader& h) const {
  unsigned v = h.version();
  std::string_view target = h.target();
  if (target.empty() || target[0] != '/') {
    return Error(v, 400, "BadTarget", "the request target must be a path starting with '/'");
  }
  std::string_view path = SplitTarget(target).path;
  const Route* r = FindRoute(path);
  if (!r || r->handler == &Api::NoRoute) {
    return Error(v, 404, "NoSuchRoute", "no route for " + std::string(path));
  }
  bool allowed = r->allow == kGet ? (h.method() == http::verb::get || h.method() == http::verb::head)
                                  : h.method() == http::verb::post;
  if (!allowed) {
    Response res = Error(
        v, 405, "WrongMethod",
        std::string(path) + " accepts " + std::string(r->allow) + ", not " + std::string(h.method_string()));
    res.set(http::field::allow, r->allow);
    return res;
  }
  if (r->body == BodyKind::kImport) {
    if (!options_.replica_of.empty()) {
      return Error(v, 403, "ReadReplica",
                   "this server is a read replica of the database at " + options_.replica_of +
                       " and takes no writes; send them to the server that holds that database");
    }
    if (auto e = CheckToken(h)) return e;
  }
  if (r->body != BodyKind::kNone) {
    std::string_view type = MediaType(h[http::field::content_type]);
    bool ok = r->body == BodyKind::kQuery ? EqualsIgnoreCase(type, "application/json")
                                          : EqualsIgnoreCase(type, "application/x-ndjson") ||
                                                EqualsIgnoreCase(type, "application/jsonl") ||
                                                EqualsIgnoreCase(type, "application/x-jsonlines");
    if (!ok) {
      return Error(v, 415, "WrongContentType",
                   std::string("expected Content-Type ") +
                       (r->body == BodyKind::kQuery ? "application/json" : "application/x-ndjson") +
                       ", got '" + std::string(h[http::field::content_type]) + "'");
    }
  }
  uint64_t limit = BodyLimit(h);
  auto length = h.find(http::field::content_length);
  if (length != h.end()) {
    std::string_view n = length->value();
    bool digits = !n.empty() && n.size() <= 19 &&
                  std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) return Error(v, 400, "BadContentLength", "Content-Length is not a number");
    if (std::stoull(std::string(n)) > limit) {
      return Error(v, 413, "BodyTooLarge",
                   limit == 0 ? std::string(path) + " takes no body"
                              : "the body is larger than " + std::to_string(limit) + " bytes, the limit of " +
                                    std::string(path));
    }
  }
  return std::nullopt;
}

Response Api::Handle(const Request& req) const {
  bool head = req.method() == http::verb::head;
  Response res;
  try {
    if (auto early = Precheck(req.base())) {
      res = std::move(*early);
    } else if (req.body().size() > BodyLimit(req.base())) {
      res = Error(req.version(), 413, "BodyTooLarge",
                  "the body is larger than " + std::to_string(BodyLimit(req.base())) + " bytes");
    } else {
      Target t = SplitTarget(req.target());
      const Route* r = FindRoute(t.path);
      res = (this->*(r->handler))(req, t.path, t.query);
    }
  } catch (const std::exception& e) {
    res = Error(req.version(), 500, "Bug", std::string("internal error: ") + e.what());
  } catch (...) {
    res = Error(req.version(), 500, "Bug", "internal error");
  }
  Finish(res, req.keep_alive(), head);
  return res;
}

namespace {

Response FromStatus(unsigned v, const Status& st) {
  switch (st.code()) {
    case Status::Code::kInvalidArgument:
      return Api::Error(v, 400, "InvalidParameter", st.message());
    case Status::Code::kNotFound:
      return Api::Error(v, 404, "NoSuchEntity", st.message());
    case Status::Code::kTimeout:
      return Api::Error(v, 504, "Timeout", st.message());
    case Status::Code::kResourceExhausted:
      return Api::Error(v, 400, "LimitExceeded", st.message());
    case Status::Code::kBusy:
      return Api::Error(v, 503, "Busy", st.message());
    default:
      return Api::Error(v, 500, std::string(Status::CodeName(st.code())), st.message());
  }
}

std::optional<Response> ParseParams(unsigned v, std::string_view query, Params* out) {
  auto p = ParseQuery(query);
  if (!p) return Api::Error(v, 400, "BadQueryString", "the query string has a malformed %-escape");
  *out = std::move(*p);
  return std::nullopt;
}

}  // namespace

Response Api::Health(const Request& req, std::string_view, std::string_view) const {
  auto st = db_.store().Counts();  // not Stats(): a health check must not scan
  if (!st.ok()) return FromStatus(req.version(), st.status());
  json last = st->last_record_time ? json(DateTime{static_cast<int64_t>(st->last_record_time)}.ToString())
                                   : json(nullptr);
  json body{{"status", "ok"},
            {"nodes", st->nodes},
            {"relationships", st->relationships},
            {"last_record_time", last},
            {"topology_cache_bytes", db_.store().topology_cache_bytes()}};
  if (!options_.replica_of.empty()) {
    body["replica_of"] = options_.replica_of;
    if (options_.replica_status) body.update(options_.replica_status());
  }
  return JsonResponse(req.version(), body);
}

namespace {

// The `from`/`to` of a timeline query must be dates (400 InvalidDate, before the view is asked).
std::optional<Response> CheckTimelineDates(unsigned v, const Params& params) {
  for (const char* name : {"from", "to"}) {
    for (auto [it, end] = params.equal_range(name); it != end; ++it) {
      if (it->second.empty()) continue;
      if (!Date::Parse(it->second).ok()) {
        return Api::Error(v, 400, "InvalidDate",
                          "'" + std::string(name) + "' is not a date: '" + it->second +
                              "' (expected 2025-10-30, 2025-10, 2026-Q1, 2026-H1 or 2025)");
      }
    }
  }
  return std::nullopt;
}

// Removes a parameter that may be given once and returns its value ("" when absent).
std::optional<std::string> TakeOnce(Params& params, const std::string& name, std::string* error) {
  if (params.count(name) > 1) {
    *error = "'" + name + "' may be given only once";
    return std::nullopt;
  }
  auto it = params.find(name);
  std::string value = it == params.end() ? "" : it->second;
  params.erase(name);
  return value;
}

// The whole timeline is read at once: a page's `limit` and `cursor` mean nothing there.
std::optional<Response> RefusePaging(unsigned v, const Params& params, std::string_view what) {
  for (const char* name : {"limit", "cursor"}) {
    if (params.count(name)) {
      return Api::Error(v, 400, "InvalidParameter",
                        std::string(what) + " covers every matching item: drop '" + name + "'");
    }
  }
  return std::nullopt;
}

std::string RecordTimeText(uint64_t micros) {
  return micros ? DateTime{static_cast<int64_t>(micros)}.ToString() : std::string();
}

}  // namespace

Response Api::Timeline(const Request& req, std::string_view, std::string_view query) const {
  unsigned v = req.version();
  Params params;
  if (auto e = ParseParams(v, query, &params)) return *e;
  if (auto e = CheckTimelineDates(v, params)) return *e;
  std::string err;
  auto format = TakeOnce(params, "format", &err);
  if (!format) return Error(v, 400, "InvalidParameter", err);
  if (!format->empty() && *format != "json") {
    if (*format != "csv" && *format != "jsonl") {
      return Error(v, 400, "InvalidParameter", "'format' must be json, csv or jsonl, not '" + *format + "'");
    }
    if (auto e = RefusePaging(v, params, "an export")) return *e;
    auto view = db_.store().Read();
    auto items = AllTimelineItems(views_, *view, params);
    if (!items.ok()) return FromStatus(v, items.status());
    Response res{http::status::ok, v};
    bool csv = *format == "csv";
    res.set(http::field::content_type,
            csv ? "text/csv; charset=utf-8; header=present" : "application/x-ndjson; charset=utf-8");
    res.set(http::field::content_disposition,
            std::string("attachment; filename=\"lodestone-timeline.") + (csv ? "csv" : "jsonl") + "\"");
    res.set(http::field::cache_control, "no-store");
    res.body() = csv ? TimelineCsv(*items) : TimelineJsonLines(*items);
    return res;
  }
  auto limit = ParseLimit(params, 200, &err);
  if (!limit) return Error(v, 400, "InvalidParameter", err);
  params.erase("limit");
  params.emplace("limit", std::to_string(*limit));
  auto view = db_.store().Read();
  auto r = views_.Timeline(*view, params);
  if (!r.ok()) return FromStatus(v, r.status());
  return JsonResponse(v, *r);
}

Response Api::Changes(const Request& req, std::string_view, std::string_view query) const {
  unsigned v = req.version();
  Params params;
  if (auto e = ParseParams(v, query, &params)) return *e;
  std::string err;
  auto since_text = TakeOnce(params, "since", &err);
  if (!since_text) return Error(v, 400, "InvalidParameter", err);
  if (since_text->empty()) {
    return Error(v, 400, "MissingParameter",
                 "the parameter 'since' (a record time, e.g. 2026-11-28T10:00:00Z) is required");
  }
  auto since = DateTime::Parse(*since_text);
  if (!since.ok()) {
    return Error(v, 400, "InvalidParameter",
                 "'since' is not a record time: '" + *since_text +
                     "' (expected e.g. 2026-11-28T10:00:00Z, 2026-11-28T10:00:00.5+01:00 or 2026-11-28)");
  }
  if (since->micros < 0)
    return Error(v, 400, "InvalidParameter", "'since' is before 1970: '" + *since_text + "'");
  if (auto e = CheckTimelineDates(v, params)) return *e;
  if (auto e = RefusePaging(v, params, "/api/changes")) return *e;
  // The commits after `since`, and both snapshots, read first: a commit landing meanwhile shows in none.
  auto commits = db_.store().Commits(1000);
  if (!commits.ok()) return FromStatus(v, commits.status());
  auto now_view = db_.store().Read();
  auto then_view = db_.store().ReadAsOf(static_cast<uint64_t>(since->micros));
  if (!then_view.ok()) return FromStatus(v, then_view.status());
  auto now_items = AllTimelineItems(views_, *now_view, params);
  if (!now_items.ok()) return FromStatus(v, now_items.status());
  auto then_items = AllTimelineItems(views_, **then_view, params);
  if (!then_items.ok()) return FromStatus(v, then_items.status());
  json body = DiffTimelineItems(*then_items, *now_items);
  json after = json::array();
  uint64_t last = 0;
  for (const CommitInfo& c : *commits) {
    last = std::max(last, c.record_time);
    if (c.record_time <= static_cast<uint64_t>(since->micros)) continue;
    after.push_back(json{{"record_time", RecordTimeText(c.record_time)}, {"origin", c.origin}});
  }
  body["since"] = DateTime{since->micros}.ToString();
  body["until"] = last ? json(RecordTimeText(last)) : json(nullptr);
  body["commits"] = std::move(after);
  return JsonResponse(v, body);
}

Response Api::Commits(const Request& req, std::string_view, std::string_view query) const {
  unsigned v = req.version();
  Params params;
  if (auto e = ParseParams(v, query, &params)) return *e;
  for (const auto& [name, value] : params) {
    if (name != "limit")
      return Error(v, 400, "InvalidParameter", "unknown parameter '" + name + "'; /api/commits takes limit");
  }
  std::string err;
  auto limit = ParseLimit(params, 20, &err);
  if (!limit) return Error(v, 400, "InvalidParameter", err);
  auto commits = db_.store().Commits(*limit);
  if (!commits.ok()) return FromStatus(v, commits.status());
  json list = json::array();
  for (const CommitInfo& c : *commits) {
    list.push_back(json{{"record_time", RecordTimeText(c.record_time)},
                        {"origin", c.origin},
                        {"nodes_changed", c.nodes_changed},
                        {"relationships_changed", c.rels_changed}});
  }
  return JsonResponse(v, json{{"commits", std::move(list)}});
}

Response Api::Diff(const Request& req, std::string_view, std::string_view query) const {
  unsigned v = req.version();
  Params params;
  if (auto e = ParseParams(v, query, &params)) return *e;
  auto r = views_.Diff(db_.store(), params);
  if (!r.ok()) return FromStatus(v, r.status());
  return JsonResponse(v, *r);
}

namespace {

// "http://HOST" from the request's Host header when it is a plain host[:port]; empty otherwise (links
// are then relative to the feed's own address).
std::string BaseUrl(const Request& req) {
  auto it = req.find(http::field::host);
  if (it == req.end()) return "";
  std::string_view host = it->value();
  if (host.empty() || host.size() > 255 || !std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' ||
               c == ']';
      })) {
    return "";
  }
  return "http://" + std::string(host);
}

// Who wrote a commit: the name after " by " in its origin ("import x.jsonl by alice").
std::string AuthorOf(const std::string& origin) {
  size_t by = origin.rfind(" by ");
  if (by == std::string::npos || by + 4 >= origin.size()) return "Lodestone";
  return origin.substr(by + 4);
}

}  // namespace

Response Api::Feed(const Request& req, std::string_view, std::string_view query) const {
  unsigned v = req.version();
  Params params;
  if (auto e = ParseParams(v, query, &params)) return *e;
  for (const auto& [name, value] : params) {
    if (name != "limit" && name != "label" && name != "key_prefix") {
      return Error(v, 400, "InvalidParameter",
                   "unknown parameter '" + name + "'; /feed.atom takes limit, label and key_prefix");
    }
  }
  std::string err;
  auto limit = ParseLimit(params, 20, &err);
  if (!limit) return Error(v, 400, "InvalidParameter", err);
  if (params.count("key_prefix") > 1)
    return Error(v, 400, "InvalidParameter", "'key_prefix' may be given only once");
  params.erase("limit");
  params.emplace("limit", std::to_string(std::min<size_t>(*limit, 100)));
  auto r = views_.Feed(db_.store(), params);
  if (!r.ok()) return FromStatus(v, r.status());
  std::string base = BaseUrl(req);
  std::string self = base + "/feed.atom" + (query.empty() ? "" : "?" + std::string(query));
  AtomHead head;
  head.id = base.empty() ? "urn:lodestone:feed" + (query.empty() ? "" : ":" + std::string(query)) : self;
  head.title = "Lodestone: recorded changes";
  head.self = self;
  head.alternate = base + "/";
  std::vector<AtomEntry> entries;
  for (const json& e : (*r)["entries"]) {
    AtomEntry a;
    a.id = "urn:lodestone:commit:" + e["record_time"].get<std::string>();
    a.title = e["title"].get<std::string>();
    a.updated = e["record_time"].get<std::string>();
    a.link = base + "/?since=" + e["since"].get<std::string>();
    a.author = AuthorOf(e["origin"].get<std::string>());
    a.text = e["text"].get<std::string>();
    entries.push_back(std::move(a));
  }
  uint64_t last = db_.store().last_commit_time();
  head.updated = !entries.empty() ? entries.front().updated : DateTime{static_cast<int64_t>(last)}.ToString();
  Response res{http::status::ok, v};
  res.set(http::field::content_type, "application/atom+xml; charset=utf-8");
  res.set(http::field::cache_control, "no-cache");
  res.body() = AtomFeed(head, entries);
  return res;
}

Response Api::Entity(const Request& req, std::string_view path, std::string_view) const {
  unsigned v = req.version();
  auto key = PercentDecode(path.substr(std::string_view("/api/entity/").size()), false);
  if (!key) return Error(v, 400, "BadKey", "the key in the path has a malformed %-escape");
  if (key->empty()) return Error(v, 404, "NoSuchEntity", "give a key: /api/entity/actor/china");
  auto view = db_.store().Read();
  auto r = views_.Entity(db_.store(), *view, *key, options_.today ? options_.today() : TodayUtc());
  if (!r.ok()) return FromStatus(v, r.status());
  return JsonResponse(v, *r);
}

Response Api::Search(const Request& req, std::string_view, std::string_view query) const {
  unsigned v = req.version();
  Params params;
  if (auto e = ParseParams(v, query, &params)) return *e;
  auto q = params.find("q");
  std::string text = q == params.end() ? "" : std::string(Trim(q->second));
  if (text.empty()) return Error(v, 400, "MissingParameter", "the parameter 'q' is required");
  std::string err;
  auto limit = ParseLimit(params, 10, &err);
  if (!limit) return Error(v, 400, "InvalidParameter", err);
  std::vector<std::string> labels;
  for (auto [it, end] = params.equal_range("label"); it != end; ++it) labels.push_back(it->second);
  auto view = db_.store().Read();
  auto r = views_.Search(*view, text, labels, *limit);
  if (!r.ok()) return FromStatus(v, r.status());
  return JsonResponse(v, *r);
}

Response Api::Schema(const Request& req, std::string_view, std::string_view) const {
  auto view = db_.store().Read();
  auto r = views_.Schema(*view);
  if (!r.ok()) return FromStatus(req.version(), r.status());
  return JsonResponse(req.version(), *r);
}

Response Api::Query(const Request& req, std::string_view, std::string_view) const {
  unsigned v = req.version();
  json body = json::parse(req.body(), nullptr, false);
  if (body.is_discarded()) return Error(v, 400, "InvalidJson", "the body is not valid JSON");
  if (!body.is_object() || !body.contains("query") || !body["query"].is_string()) {
    return Error(v, 400, "MissingQuery", "the body needs a string field 'query'");
  }
  const std::string& text = body["query"].get_ref<const std::string&>();
  if (Trim(text).empty()) return Error(v, 400, "EmptyQuery", "the query is empty");
  ValueMap params;
  if (body.contains("params") && !body["params"].is_null()) {
    if (!body["params"].is_object()) return Error(v, 400, "InvalidParameter", "'params' must be an object");
    for (auto it = body["params"].begin(); it != body["params"].end(); ++it) {
      auto value = ValueFromJson(it.value());
      if (!value.ok())
        return Error(v, 400, "InvalidParameter", "parameter $" + it.key() + ": " + value.status().message());
      params[it.key()] = std::move(value).value();
    }
  }
  QueryOptions o;
  o.read_only = true;
  o.timeout = options_.query_timeout;
  o.max_rows = options_.query_max_rows;
  o.max_memory_bytes = options_.query_max_memory_bytes;
  o.origin = "web query";
  auto conn = db_.Connect();
  ExecResult r = conn->Execute(text, params, o);
  if (!r.ok()) {
    int status = StatusFor(r.error->kind);
    return JsonResponse(v, ErrorToJson(*r.error, status), static_cast<http::status>(status));
  }
  const QueryResult& q = r.result;
  json rows = json::array();
  for (const auto& row : q.rows) {
    json out = json::array();
    for (const Value& value : row) out.push_back(ValueToJson(value, &q));
    rows.push_back(std::move(out));
  }
  json res{{"columns", q.columns},
           {"rows", std::move(rows)},
           {"stats", json::object()},
           {"elapsed_ms", static_cast<double>(q.elapsed.count()) / 1000.0},
           {"truncated", false}};
  if (!q.plan.empty()) res["plan"] = q.plan;
  return JsonResponse(v, res);
}

Response Api::Import(const Request& req, std::string_view, std::string_view) const {
  Views::ImportOutcome out = views_.Import(db_, req.body(), "import via the web API");
  return JsonResponse(req.version(), out.body, static_cast<http::status>(out.status));
}

Response Api::Static(const Request& req, std::string_view path, std::string_view) const {
  unsigned v = req.version();
  auto name = AssetPath(path);
  if (!name) return Error(v, 404, "NoSuchFile", "no such file: " + std::string(path));
  auto file = assets_.Find(*name);
  if (!file) {
    if (*name == "index.html") {
      return Error(v, 404, "NoBuild", "the page is missing from " + assets_.Describe());
    }
    return Error(v, 404, "NoSuchFile", "no such file: " + std::string(path));
  }
  Response res{http::status::ok, v};
  res.set(http::field::content_type, file->content_type);
  // Vite's assets are content-hashed and never change; the page itself must be revalidated.
  if (name->rfind("assets/", 0) == 0) {
    res.set(http::field::cache_control, "public, max-age=31536000, immutable");
  } else if (*name == "favicon.svg") {
    res.set(http::field::cache_control, "public, max-age=86400");
  } else {
    res.set(http::field::cache_control, "no-cache");
  }
  res.body().assign(file->data.data(), file->data.size());
  return res;
}

Response Api::NoRoute(const Request& req, std::string_view path, std::string_view) const {
  return Error(req.version(), 404, "NoSuchRoute", "no route for " + std::string(path));
}

}  // namespace lodestone::web
