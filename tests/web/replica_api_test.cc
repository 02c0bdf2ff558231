// The API of a read replica (ApiOptions::replica_of): /healthz reports how far it has caught up, and
// a write is refused with 403 ReadReplica naming the primary's database, before the token is looked at.
#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"
#include "tests/web/test_views.h"
#include "web/server/api.h"

namespace lodestone::web {
namespace {

using nlohmann::json;

class ReplicaApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WritePage(std::filesystem::path(dir_.Sub("page")) / "dist");
    assets_ = DirectoryAssets(dir_.Sub("page/dist"));
    db_ = testing::MakeDatabase(dir_.Sub("db"));
  }
  Response Handle(const ApiOptions& o, http::verb verb, const std::string& target,
                  const std::string& body = "") {
    Api api(*db_, views_, *assets_, o);
    Request req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (verb == http::verb::post) {
      req.set(http::field::content_type, "application/x-ndjson");
      req.set(http::field::authorization, "Bearer the-token");
      req.body() = body;
      req.prepare_payload();
    }
    return api.Handle(req);
  }

  lodestone::testing::TempDir dir_;
  testing::FakeViews views_;
  std::unique_ptr<AssetSource> assets_;
  std::unique_ptr<Database> db_;
};

TEST_F(ReplicaApiTest, HealthzAddsTheReplicasState) {
  ApiOptions o;
  o.replica_of = "data/lodestone.db";
  o.replica_status = [] { return json{{"lag_ms", 12.5}, {"caught_up_at", "2026-12-06T03:00:00Z"}}; };
  Response r = Handle(o, http::verb::get, "/healthz");
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  json b = json::parse(r.body());
  EXPECT_EQ(b["status"], "ok");
  EXPECT_EQ(b["replica_of"], "data/lodestone.db");
  EXPECT_EQ(b["lag_ms"], 12.5);
  EXPECT_EQ(b["caught_up_at"], "2026-12-06T03:00:00Z");
  EXPECT_TRUE(b.contains("nodes"));
  // The primary's /healthz has none of it.
  json primary = json::parse(Handle({}, http::verb::get, "/healthz").body());
  EXPECT_FALSE(primary.contains("replica_of"));
  EXPECT_FALSE(primary.contains("lag_ms"));
}

TEST_F(ReplicaApiTest, AWriteIsRefusedNamingThePrimary) {
  ApiOptions o;
  o.replica_of = "data/lodestone.db";
  o.token = "the-token";  // even with the right token
  Response r = Handle(o, http::verb::post, "/api/import", "{}\n");
  EXPECT_EQ(r.result_int(), 403u) << r.body();
  json b = json::parse(r.body());
  EXPECT_EQ(b["error"]["detail"], "ReadReplica");
  EXPECT_NE(b["error"]["message"].get<std::string>().find("data/lodestone.db"), std::string::npos)
      << r.body();
  EXPECT_TRUE(views_.last_import.empty());  // nothing reached the importer
}

}  // namespace
}  // namespace lodestone::web
