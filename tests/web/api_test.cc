// The web API as plain functions (web/server/api.h): every route, error, limit, token rule and the
// headers every response carries, without sockets.
#include "web/server/api.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"
#include "tests/web/test_views.h"
#include "web/server/timeline_export.h"
#include "web/server/url.h"

namespace lodestone::web {
namespace {

using nlohmann::json;
using testing::FakeViews;

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WritePage(std::filesystem::path(dir_.Sub("page")) / "dist");
    assets_ = DirectoryAssets(dir_.Sub("page/dist"));
    db_ = testing::MakeDatabase(dir_.Sub("db"));
    Make({});
  }
  void Make(ApiOptions o) {
    if (!o.today) o.today = [] { return *Date::Parse("2026-11-28"); };
    api_ = std::make_unique<Api>(*db_, views_, *assets_, std::move(o));
  }

  Response Get(const std::string& target, http::verb verb = http::verb::get) {
    Request req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    return api_->Handle(req);
  }
  Response Post(const std::string& target, const std::string& body,
                const std::string& type = "application/json", const std::string& auth = "") {
    Request req{http::verb::post, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!type.empty()) req.set(http::field::content_type, type);
    if (!auth.empty()) req.set(http::field::authorization, auth);
    req.body() = body;
    req.prepare_payload();
    return api_->Handle(req);
  }
  Response Query(const std::string& text, const json& params = json::object()) {
    return Post("/api/query", json{{"query", text}, {"params", params}}.dump());
  }
  static json Body(const Response& r) { return json::parse(r.body()); }
  static void ExpectError(const Response& r, int status, const std::string& detail) {
    EXPECT_EQ(r.result_int(), static_cast<unsigned>(status)) << r.body();
    ASSERT_EQ(r[http::field::content_type], "application/json; charset=utf-8");
    json b = Body(r);
    EXPECT_EQ(b["error"]["status"], status);
    EXPECT_EQ(b["error"]["kind"], std::string(Api::KindOf(status)));
    EXPECT_EQ(b["error"]["detail"], detail) << r.body();
    EXPECT_TRUE(b["error"]["message"].is_string());
  }

  lodestone::testing::TempDir dir_;
  FakeViews views_;
  std::unique_ptr<AssetSource> assets_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Api> api_;
};

void ExpectSecurityHeaders(const Response& r) {
  EXPECT_EQ(
      r["Content-Security-Policy"],
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
      "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
  EXPECT_EQ(r["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(r["Referrer-Policy"], "no-referrer");
}

TEST_F(ApiTest, HealthzCountsTheGraph) {
  Response r = Get("/healthz");
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  json b = Body(r);
  EXPECT_EQ(b["status"], "ok");
  EXPECT_EQ(b["nodes"], 3);
  EXPECT_EQ(b["relationships"], 0);
  EXPECT_TRUE(b["last_record_time"].is_string());
  EXPECT_TRUE(b["topology_cache_bytes"].is_number_unsigned());  // its size: TopologyCacheTest
  EXPECT_EQ(r[http::field::cache_control], "no-store");
  EXPECT_EQ(r[http::field::content_length], std::to_string(r.body().size()));
  ExpectSecurityHeaders(r);
}

TEST_F(ApiTest, EveryResponseCarriesTheSecurityHeaders) {
  for (auto r : {Get("/"), Get("/assets/app-abc123.js"), Get("/nope"), Get("/api/nope"), Post("/healthz", ""),
                 Get("/api/timeline?from=bad"), Query("MATCH (n) RETURN n LIMIT 1"), Query("RETURN ("),
                 Post("/api/import", "{}", "application/x-ndjson"), Get("/api/entity/actor/nobody")}) {
    SCOPED_TRACE(r.body().substr(0, 80));
    ExpectSecurityHeaders(r);
    EXPECT_EQ(r[http::field::server], "lodestone");
  }
}

TEST_F(ApiTest, UnknownRoutesAre404) {
  ExpectError(Get("/api/nope"), 404, "NoSuchRoute");
  ExpectError(Get("/api"), 404, "NoSuchRoute");
  ExpectError(Post("/api/nope", "{}"), 404, "NoSuchRoute");
  ExpectError(Get("/nope.html"), 404, "NoSuchFile");
  ExpectError(Get("/assets/missing-123.js"), 404, "NoSuchFile");
  ExpectError(Get("/some/client/route"), 404, "NoSuchFile");
}

TEST_F(ApiTest, WrongMethodIs405WithAllow) {
  Response r = Post("/healthz", "");
  ExpectError(r, 405, "WrongMethod");
  EXPECT_EQ(r[http::field::allow], "GET, HEAD");
  r = Get("/api/query");
  ExpectError(r, 405, "WrongMethod");
  EXPECT_EQ(r[http::field::allow], "POST");
  ExpectError(Get("/api/import"), 405, "WrongMethod");
  ExpectError(Get("/api/timeline", http::verb::delete_), 405, "WrongMethod");
  ExpectError(Get("/", http::verb::put), 405, "WrongMethod");
}

TEST_F(ApiTest, BadTargetIs400) { ExpectError(Get("http://example.com/healthz"), 400, "BadTarget"); }

TEST_F(ApiTest, TimelinePassesDecodedParameters) {
  Response r = Get(
      "/api/timeline?actor=actor%2Fchina&actor=actor/us&q=rare+earth&label=Control&from=2025-10&to=2026-Q1");
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(Body(r)["events"], json::array());
  const Params& p = views_.last_params;
  EXPECT_EQ(p.count("actor"), 2u);
  EXPECT_EQ(p.find("actor")->second, "actor/china");
  EXPECT_EQ(p.find("q")->second, "rare earth");
  EXPECT_EQ(p.find("from")->second, "2025-10");
  EXPECT_EQ(p.find("limit")->second, "200");  // the default
}

TEST_F(ApiTest, TimelineLimitIsCappedAndChecked) {
  ASSERT_EQ(Get("/api/timeline?limit=5000").result_int(), 200u);
  EXPECT_EQ(views_.last_params.find("limit")->second, "1000");
  ASSERT_EQ(Get("/api/timeline?limit=7").result_int(), 200u);
  EXPECT_EQ(views_.last_params.find("limit")->second, "7");
  ExpectError(Get("/api/timeline?limit=0"), 400, "InvalidParameter");
  ExpectError(Get("/api/timeline?limit=-1"), 400, "InvalidParameter");
  ExpectError(Get("/api/timeline?limit=ten"), 400, "InvalidParameter");
  ExpectError(Get("/api/timeline?limit=99999999999999999999"), 400, "InvalidParameter");
}

TEST_F(ApiTest, TimelineRefusesBadDates) {
  ExpectError(Get("/api/timeline?from=2025-13"), 400, "InvalidDate");
  ExpectError(Get("/api/timeline?to=yesterday"), 400, "InvalidDate");
  ExpectError(Get("/api/timeline?from=2025-Q5"), 400, "InvalidDate");
  for (const char* ok : {"2025-10-30", "2025-10", "2026-Q1", "2026-H1", "2025"}) {
    EXPECT_EQ(Get(std::string("/api/timeline?from=") + ok).result_int(), 200u) << ok;
  }
  EXPECT_EQ(Get("/api/timeline?from=&to=").result_int(), 200u);  // empty means not given
}

TEST_F(ApiTest, MalformedEscapesAre400) {
  ExpectError(Get("/api/timeline?q=%zz"), 400, "BadQueryString");
  ExpectError(Get("/api/timeline?q=%00"), 400, "BadQueryString");
  ExpectError(Get("/api/entity/actor%2"), 400, "BadKey");
}

TEST_F(ApiTest, EntityKeysKeepTheirSlashAndArePercentDecoded) {
  Response r = Get("/api/entity/actor/china");
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(views_.last_key, "actor/china");
  EXPECT_EQ(views_.last_today, *Date::Parse("2026-11-28"));
  // Data is sent as JSON text, never pre-rendered as HTML.
  EXPECT_EQ(Body(r)["name"], "<script>alert(1)</script>");
  r = Get("/api/entity/actor/c%C3%B4te%20d%27ivoire");
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(views_.last_key, "actor/côte d'ivoire");
  EXPECT_EQ(Get("/api/entity/actor%2Fchina").result_int(), 200u);
  // '+' in a path is a plus, not a space.
  Get("/api/entity/a+b");
  EXPECT_EQ(views_.last_key, "a+b");
}

TEST_F(ApiTest, UnknownEntityIs404) {
  ExpectError(Get("/api/entity/actor/nobody"), 404, "NoSuchEntity");
  ExpectError(Get("/api/entity/"), 404, "NoSuchEntity");
}

TEST_F(ApiTest, SearchNeedsTextAndCapsTheLimit) {
  ExpectError(Get("/api/search"), 400, "MissingParameter");
  ExpectError(Get("/api/search?q=%20%20"), 400, "MissingParameter");
  ASSERT_EQ(Get("/api/search?q=chin").result_int(), 200u);
  EXPECT_EQ(views_.last_q, "chin");
  EXPECT_EQ(views_.last_limit, 10u);
  ASSERT_EQ(Get("/api/search?q=%E4%B8%AD&limit=2000&label=Actor&label=Event").result_int(), 200u);
  EXPECT_EQ(views_.last_q, "中");
  EXPECT_EQ(views_.last_limit, 1000u);
  EXPECT_EQ(views_.last_labels, (std::vector<std::string>{"Actor", "Event"}));
  ExpectError(Get("/api/search?q=x&limit=x"), 400, "InvalidParameter");
}

TEST_F(ApiTest, SchemaAnswers) {
  Response r = Get("/api/schema");
  ASSERT_EQ(r.result_int(), 200u);
  EXPECT_TRUE(Body(r).contains("labels"));
}

TEST_F(ApiTest, AViewThatThrowsIs500) { ExpectError(Get("/api/timeline?boom=1"), 500, "Bug"); }

TEST_F(ApiTest, QueryReturnsColumnsAndTaggedRows) {
  Response r = Query(
      "MATCH (a:Actor) WHERE a.name STARTS WITH $p RETURN a.name AS name, a, date('2025-10') AS d ORDER BY "
      "name",
      json{{"p", "Ch"}});
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  json b = Body(r);
  EXPECT_EQ(b["columns"], json::array({"name", "a", "d"}));
  ASSERT_EQ(b["rows"].size(), 1u);
  EXPECT_EQ(b["rows"][0][0], "China");
  EXPECT_EQ(b["rows"][0][1]["$node"]["key"], "actor/china");
  EXPECT_EQ(b["rows"][0][2], json({{"$date", "2025-10"}}));
  EXPECT_EQ(b["truncated"], false);
  EXPECT_TRUE(b["elapsed_ms"].is_number());
  EXPECT_TRUE(b["stats"].is_object());
}

TEST_F(ApiTest, QueryParametersUseTheTaggedForms) {
  Response r = Query("RETURN $d AS d, $n AS n",
                     json{{"d", {{"$date", "2026-Q1"}}}, {"n", {{"$int", "9007199254740993"}}}});
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(Body(r)["rows"][0][0], json({{"$date", "2026-Q1"}}));
  EXPECT_EQ(Body(r)["rows"][0][1], json({{"$int", "9007199254740993"}}));
  ExpectError(Query("RETURN $d", json{{"d", {{"$date", "2026-Q9"}}}}), 400, "InvalidParameter");
  ExpectError(Post("/api/query", R"({"query": "RETURN 1", "params": [1]})"), 400, "InvalidParameter");
}

TEST_F(ApiTest, QuerySyntaxErrorHasLineAndColumn) {
  Response r = Query("MATCH (n)\nWHERE RETURN n");
  EXPECT_EQ(r.result_int(), 400u);
  json e = Body(r)["error"];
  EXPECT_EQ(e["status"], 400);
  EXPECT_EQ(e["kind"], "SyntaxError");
  EXPECT_EQ(e["line"], 2);
  EXPECT_EQ(e["column"], 7);
  EXPECT_TRUE(e["formatted"].is_string());
}

TEST_F(ApiTest, QueryIsReadOnly) {
  Response r = Query("CREATE (:Actor {key: 'actor/x', name: 'X'})");
  EXPECT_EQ(r.result_int(), 403u) << r.body();
  EXPECT_EQ(Body(r)["error"]["kind"], "ReadOnly");
  EXPECT_EQ(Body(r)["error"]["status"], 403);
  EXPECT_EQ(Query("MATCH (a:Actor) SET a.name = 'x'").result_int(), 403u);
  EXPECT_EQ(Query("CREATE INDEX ON :Actor(name)").result_int(), 403u);
  EXPECT_EQ(Body(Get("/healthz"))["nodes"], 3);
}

TEST_F(ApiTest, QueryRowLimit) {
  ApiOptions o;
  o.query_max_rows = 2;
  Make(o);
  EXPECT_EQ(Query("MATCH (a:Actor) RETURN a LIMIT 2").result_int(), 200u);
  Response r = Query("MATCH (a:Actor) RETURN a");
  EXPECT_EQ(r.result_int(), 400u) << r.body();
  EXPECT_EQ(Body(r)["error"]["kind"], "LimitExceeded");
}

TEST_F(ApiTest, QueryTimeoutIs504) {
  ApiOptions o;
  o.query_timeout = std::chrono::milliseconds(20);
  Make(o);
  Response r = Query("UNWIND range(1, 5000000) AS x UNWIND range(1, 100) AS y RETURN count(*)");
  EXPECT_EQ(r.result_int(), 504u) << r.body();
  EXPECT_EQ(Body(r)["error"]["kind"], "Timeout");
}

TEST_F(ApiTest, QueryBodyIsChecked) {
  ExpectError(Post("/api/query", "{\"query\": 1}"), 400, "MissingQuery");
  ExpectError(Post("/api/query", "[]"), 400, "MissingQuery");
  ExpectError(Post("/api/query", "{not json"), 400, "InvalidJson");
  ExpectError(Post("/api/query", "{\"query\": \"  \"}"), 400, "EmptyQuery");
  ExpectError(Post("/api/query", "{\"query\": \"RETURN 1\"}", "text/plain"), 415, "WrongContentType");
  ExpectError(Post("/api/query", "{\"query\": \"RETURN 1\"}", ""), 415, "WrongContentType");
  EXPECT_EQ(Post("/api/query", "{\"query\": \"RETURN 1\"}", "Application/JSON; charset=utf-8").result_int(),
            200u);
}

TEST_F(ApiTest, BodiesBeyondTheLimitAre413) {
  ApiOptions o;
  o.query_body_limit = 100;
  o.import_body_limit = 200;
  o.token = "s3cret";
  Make(o);
  std::string big = json{{"query", "RETURN '" + std::string(200, 'x') + "'"}}.dump();
  ExpectError(Post("/api/query", big), 413, "BodyTooLarge");
  // Checked from the header alone, before a body is read.
  RequestHeader h;
  h.method(http::verb::post);
  h.target("/api/query");
  h.set(http::field::content_type, "application/json");
  h.set(http::field::content_length, "101");
  auto early = api_->Precheck(h);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->result_int(), 413u);
  h.set(http::field::content_length, "100");
  EXPECT_FALSE(api_->Precheck(h));
  EXPECT_EQ(api_->BodyLimit(h), 100u);
  h.target("/api/import");
  EXPECT_EQ(api_->BodyLimit(h), 200u);
  h.target("/api/timeline");
  EXPECT_EQ(api_->BodyLimit(h), 0u);
  ExpectError(Post("/api/import", std::string(201, '\n'), "application/x-ndjson", "Bearer s3cret"), 413,
              "BodyTooLarge");
  // GET routes take no body.
  Request get{http::verb::get, "/healthz", 11};
  get.body() = "x";
  get.prepare_payload();
  EXPECT_EQ(api_->Handle(get).result_int(), 413u);
}

TEST_F(ApiTest, ImportIsOffWithoutAToken) {
  ExpectError(Post("/api/import", "{}\n", "application/x-ndjson"), 403, "WritingOff");
  ExpectError(Post("/api/import", "{}\n", "application/x-ndjson", "Bearer anything"), 403, "WritingOff");
  EXPECT_TRUE(views_.last_import.empty());
}

TEST_F(ApiTest, ImportNeedsTheRightToken) {
  ApiOptions o;
  o.token = "s3cret-token";
  Make(o);
  Response r = Post("/api/import", "{}\n", "application/x-ndjson");
  ExpectError(r, 401, "MissingToken");
  EXPECT_NE(r[http::field::www_authenticate], "");
  ExpectError(Post("/api/import", "{}\n", "application/x-ndjson", "Basic czNjcmV0"), 401, "MissingToken");
  ExpectError(Post("/api/import", "{}\n", "application/x-ndjson", "Bearer s3cret-toke"), 401, "WrongToken");
  ExpectError(Post("/api/import", "{}\n", "application/x-ndjson", "Bearer s3cret-token2"), 401, "WrongToken");
  ExpectError(Post("/api/import", "{}\n", "application/x-ndjson", "Bearer "), 401, "MissingToken");
  EXPECT_TRUE(views_.last_import.empty());
  // The token is checked before the content type.
  ExpectError(Post("/api/import", "{}\n", "application/json", "Bearer s3cret-token"), 415,
              "WrongContentType");
  r = Post("/api/import", "{\"node\": \"a\"}\n", "application/x-ndjson", "bearer  s3cret-token ");
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(Body(r)["created"], 1);
  EXPECT_EQ(views_.last_import, "{\"node\": \"a\"}\n");
  EXPECT_EQ(views_.last_origin, "import via the web API");
}

TEST_F(ApiTest, ThePageIsServedWithItsCachePolicy) {
  Response r = Get("/");
  ASSERT_EQ(r.result_int(), 200u);
  EXPECT_EQ(r[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(r[http::field::cache_control], "no-cache");
  EXPECT_NE(r.body().find("<title>Lodestone</title>"), std::string::npos);
  EXPECT_EQ(Get("/index.html").body(), r.body());
  r = Get("/assets/app-abc123.js");
  ASSERT_EQ(r.result_int(), 200u);
  EXPECT_EQ(r[http::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(r[http::field::cache_control], "public, max-age=31536000, immutable");
  EXPECT_EQ(Get("/assets/app-abc123.css")[http::field::content_type], "text/css; charset=utf-8");
  r = Get("/favicon.svg");
  ASSERT_EQ(r.result_int(), 200u);
  EXPECT_EQ(r[http::field::content_type], "image/svg+xml");
  ExpectSecurityHeaders(r);
}

TEST_F(ApiTest, HeadSendsTheLengthWithoutTheBody) {
  Response get = Get("/");
  Response head = Get("/", http::verb::head);
  EXPECT_EQ(head.result_int(), 200u);
  EXPECT_TRUE(head.body().empty());
  EXPECT_EQ(head[http::field::content_length], std::to_string(get.body().size()));
}

TEST_F(ApiTest, TraversalIsRefused) {
  for (const char* t :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt", "/assets%2f..%2f..%2fsecret.txt", "/..%2fsecret.txt",
        "/..\\secret.txt", "/assets\\..\\..\\secret.txt", "/..%5csecret.txt", "/.%2e/secret.txt",
        "//etc/passwd", "/assets//app-abc123.js", "/./index.html", "/assets/link.js",
        "/assets/app-abc123.js%00", "/%00", "/.git/config", "/index.html/"}) {
    SCOPED_TRACE(t);
    Response r = Get(t);
    EXPECT_EQ(r.result_int(), 404u);
    EXPECT_EQ(r.body().find("TOP SECRET"), std::string::npos);
  }
}

TEST_F(ApiTest, AMissingPageSaysSo) {
  auto empty = DirectoryAssets(dir_.Sub("nowhere"));
  Api api(*db_, views_, *empty, {});
  Request req{http::verb::get, "/", 11};
  Response r = api.Handle(req);
  ExpectError(r, 404, "NoBuild");
}

TEST_F(ApiTest, KeepAliveFollowsTheRequest) {
  Request req{http::verb::get, "/healthz", 11};
  EXPECT_TRUE(api_->Handle(req).keep_alive());
  req.keep_alive(false);
  EXPECT_FALSE(api_->Handle(req).keep_alive());
  Request old{http::verb::get, "/healthz", 10};
  EXPECT_FALSE(api_->Handle(old).keep_alive());
}

// ---- url.h ----

TEST(UrlTest, PercentDecode) {
  EXPECT_EQ(PercentDecode("a%2Fb%20c", false), "a/b c");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("%e4%b8%ad", false), "中");
  EXPECT_FALSE(PercentDecode("%", false));
  EXPECT_FALSE(PercentDecode("%4", false));
  EXPECT_FALSE(PercentDecode("%zz", false));
  EXPECT_FALSE(PercentDecode("a%00b", false));
}

TEST(UrlTest, ParseQuery) {
  auto q = ParseQuery("a=1&b=x%20y&a=2&&c&d=");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->count("a"), 2u);
  EXPECT_EQ(q->find("b")->second, "x y");
  EXPECT_EQ(q->find("c")->second, "");
  EXPECT_EQ(q->find("d")->second, "");
  EXPECT_FALSE(ParseQuery("a=%g1"));
  EXPECT_TRUE(ParseQuery("")->empty());
}

TEST(UrlTest, AssetPath) {
  EXPECT_EQ(AssetPath("/"), "index.html");
  EXPECT_EQ(AssetPath("/index.html"), "index.html");
  EXPECT_EQ(AssetPath("/assets/index-Ab_1.js"), "assets/index-Ab_1.js");
  for (const char* bad : {"", "x", "/..", "/a/../b", "/a/./b", "/a//b", "/a/", "/.hidden", "/a%2fb", "/a\\b",
                          "/a b", "/%2e%2e"}) {
    EXPECT_FALSE(AssetPath(bad)) << bad;
  }
}

}  // namespace
}  // namespace lodestone::web

namespace lodestone::web {
namespace {

using nlohmann::json;

json Event(const std::string& key, const std::string& title, const std::string& day) {
  json date{{"value", day}, {"precision", "day"}, {"start", day}, {"end", day}};
  return json{{"item", "event"},          {"key", key},
              {"title", title},           {"date", date},
              {"kind", "talks"},          {"actors", json::array()},
              {"sources", json::array()}, {"summary", nullptr}};
}

TEST(TimelineExport, CsvQuotesFieldsAndDisarmsFormulas) {
  json items = json::array({Event("event/a", "=HYPERLINK(\"x\")", "2025-01-02"),
                            Event("event/b", "Talks, \"round 2\"\nin Geneva", "2025-01-03")});
  std::string csv = TimelineCsv(items);
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
            "key,item,label,title,kind,date,precision,start,end,segments,actors,sources,summary");
  EXPECT_NE(
      csv.find("event/a,event,Event,\"'=HYPERLINK(\"\"x\"\")\",talks,2025-01-02,day,2025-01-02,2025-01-02"),
      std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\"Talks, \"\"round 2\"\"\nin Geneva\""), std::string::npos) << csv;
  EXPECT_EQ(TimelineJsonLines(items), items[0].dump() + "\n" + items[1].dump() + "\n");
}

TEST(TimelineExport, DiffListsAddedChangedAndRemoved) {
  json then =
      json::array({Event("event/kept", "Same", "2025-01-01"), Event("event/retitled", "Old", "2025-01-02"),
                   Event("event/gone", "Gone", "2025-01-03")});
  json now =
      json::array({Event("event/kept", "Same", "2025-01-01"), Event("event/retitled", "New", "2025-01-02"),
                   Event("event/new", "New one", "2025-01-04")});
  json d = DiffTimelineItems(then, now);
  ASSERT_EQ(d["added"].size(), 1u);
  EXPECT_EQ(d["added"][0],
            json({{"key", "event/new"}, {"item", "event"}, {"label", "Event"}, {"title", "New one"}}));
  ASSERT_EQ(d["changed"].size(), 1u);
  EXPECT_EQ(d["changed"][0]["key"], "event/retitled");
  EXPECT_EQ(d["changed"][0]["fields"], json::array({"title"}));
  ASSERT_EQ(d["removed"].size(), 1u);
  EXPECT_EQ(d["removed"][0], then[2]);
}

}  // namespace
}  // namespace lodestone::web
