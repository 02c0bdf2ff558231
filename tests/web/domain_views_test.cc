// The web API over the real domain views (web/server/domain_views.cc) on the seed: the routes answer in
// docs/api.md's shapes, and POST /api/import validates exactly as `lodestone import` (nothing written
// unless every record is valid; problems with their line and field).
#include <gtest/gtest.h>

#include "domain/import.h"
#include "domain/functions.h"
#include "domain/lifecycle.h"
#include "tests/support/scratch_database.h"
#include "web/server/api.h"

namespace lodestone::web {
namespace {

using nlohmann::json;

class DomainViewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status s = scratch_.Open();
    ASSERT_TRUE(s.ok()) << s.ToString();
    db_ = &scratch_.get();
    ASSERT_TRUE(domain::RegisterDomainFunctions(db_->functions()).ok());
    auto r = domain::LoadSeed(*db_, "seed", /*dataset=*/false);
    ASSERT_FALSE(r.failed) << r.Summary();
    views_ = DomainViews();
    assets_ = DirectoryAssets(scratch_.dir().Sub("none"));
    ApiOptions ao;
    ao.token = "t0ken";
    ao.today = [] { return *Date::Parse("2026-11-28"); };
    api_ = std::make_unique<Api>(*db_, *views_, *assets_, ao);
  }
  json Get(const std::string& target, unsigned expect = 200) {
    Request req{http::verb::get, target, 11};
    Response r = api_->Handle(req);
    EXPECT_EQ(r.result_int(), expect) << target << ": " << r.body();
    return json::parse(r.body());
  }
  Response Import(const std::string& body) {
    Request req{http::verb::post, "/api/import", 11};
    req.set(http::field::content_type, "application/x-ndjson");
    req.set(http::field::authorization, "Bearer t0ken");
    req.body() = body;
    req.prepare_payload();
    return api_->Handle(req);
  }

  lodestone::testing::ScratchDatabase scratch_;
  Database* db_ = nullptr;
  std::unique_ptr<Views> views_;
  std::unique_ptr<AssetSource> assets_;
  std::unique_ptr<Api> api_;
};

TEST_F(DomainViewsTest, TimelineEntitySearchSchema) {
  json t = Get("/api/timeline?limit=1000");
  EXPECT_GT(t["total"].get<int>(), 10);
  EXPECT_FALSE(t["events"].empty());
  EXPECT_FALSE(t["periods"].empty());
  EXPECT_TRUE(t["next"].is_null());
  json china = Get("/api/timeline?actor=actor/china");
  EXPECT_LT(china["total"].get<int>(), t["total"].get<int>());
  Get("/api/timeline?actor=actor%2Fchina&label=Nope", 400);
  json e = Get("/api/entity/actor/china");
  EXPECT_EQ(e["key"], "actor/china");
  EXPECT_EQ(e["name"], "China");
  Get("/api/entity/actor/nobody", 404);
  json s = Get("/api/search?q=chin");
  ASSERT_FALSE(s["results"].empty());
  EXPECT_EQ(s["results"][0]["key"], "actor/china");
  json only_events = Get("/api/search?q=rare&label=Event&limit=3");
  EXPECT_LE(only_events["results"].size(), 3u);
  for (const json& r : only_events["results"]) EXPECT_EQ(r["labels"][0], "Event");
  json schema = Get("/api/schema");
  EXPECT_FALSE(schema["labels"].empty());
}

TEST_F(DomainViewsTest, ImportWritesValidRecords) {
  Response r = Import(
      R"({"node": "actor/testland", "labels": ["Actor"], "props": {"name": "<script>alert(1)</script>", "actor_kind": "country"}, "sources": ["source/article-hu-xing-2026-01-17"]})"
      "\n");
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  json b = json::parse(r.body());
  EXPECT_EQ(b["created"], 1);
  EXPECT_TRUE(b["record_time"].is_string());
  json e = Get("/api/entity/actor/testland");
  EXPECT_EQ(e["name"], "<script>alert(1)</script>");  // kept as text
  // The same again changes nothing.
  r = Import(R"({"node": "actor/testland", "labels": ["Actor"], "props": {"name": "<script>alert(1)</script>", "actor_kind": "country"}, "sources": ["source/article-hu-xing-2026-01-17"]})"
             "\n");
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(json::parse(r.body())["unchanged"], 1);
}

TEST_F(DomainViewsTest, AnInvalidImportWritesNothing) {
  json before = Get("/healthz");
  Response r = Import(
      R"({"node": "actor/ok-one", "labels": ["Actor"], "props": {"name": "Fine", "actor_kind": "country"}, "sources": ["source/article-hu-xing-2026-01-17"]})"
      "\n"
      R"({"event": "event/bad", "date": "2025-13-45", "title": "Bad date", "event_kind": "meating"})"
      "\n");
  ASSERT_EQ(r.result_int(), 400u) << r.body();
  json err = json::parse(r.body())["error"];
  EXPECT_EQ(err["detail"], "InvalidImport");
  ASSERT_FALSE(err["problems"].empty());
  EXPECT_EQ(err["problems"][0]["line"], 2);
  Get("/api/entity/actor/ok-one", 404);
  EXPECT_EQ(Get("/healthz")["nodes"], before["nodes"]);
  r = Import("not json\n");
  EXPECT_EQ(r.result_int(), 400u) << r.body();
}

}  // namespace
}  // namespace lodestone::web
