// A full or failing disk under the importer and the HTTP API (store/fault_injection.h): the import
// stops with a clear error and writes nothing, the API answers 503 with a message rather than crashing,
// and the database reopens with every earlier commit.
#include <gtest/gtest.h>

#include "domain/functions.h"
#include "domain/import.h"
#include "store/fault_injection.h"
#include "tests/support/temp_dir.h"
#include "web/server/api.h"
#include "web/server/views.h"

namespace lodestone::web {
namespace {

using nlohmann::json;

constexpr const char* kFirst =
    R"({"node": "source/test", "labels": ["Source"], "props": {"title": "A test", "source_kind": "article", "published": "2026-01-17"}}
{"node": "actor/china", "labels": ["Actor"], "props": {"name": "China", "actor_kind": "country"}, "sources": ["source/test"]})";
constexpr const char* kSecond =
    R"({"node": "actor/japan", "labels": ["Actor"], "props": {"name": "Japan", "actor_kind": "country"}, "sources": ["source/test"]})";

class DiskFaultApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions o;
    o.create_if_missing = true;
    auto store = faults_.Open(path_, o);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    db_ = Database::Wrap(std::move(store).value());
    ASSERT_TRUE(domain::RegisterDomainFunctions(db_->functions()).ok());
    domain::ImportReport first = Import(kFirst);
    ASSERT_FALSE(first.failed) << (first.problems.empty() ? "" : first.problems[0].ToString());
    ApiOptions a;
    a.token = "secret";
    a.today = [] { return *Date::Parse("2026-11-28"); };
    api_ = std::make_unique<Api>(*db_, *views_, *assets_, a);
  }

  domain::ImportReport Import(const std::string& jsonl) {
    domain::ImportInput in{"second.jsonl", jsonl, domain::InputKind::kJsonLines, {}, {}};
    return domain::Import(*db_, {in}, {});
  }
  Response Post(const std::string& target, const std::string& body, const std::string& type) {
    Request req{http::verb::post, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, type);
    req.set(http::field::authorization, "Bearer secret");
    req.body() = body;
    req.prepare_payload();
    return api_->Handle(req);
  }
  // The keys of the actors, read after reopening the database on a working disk.
  std::vector<std::string> ActorsAfterReopen() {
    api_.reset();
    db_.reset();
    faults_.Heal();
    StoreOptions o;
    auto db = Database::Open(path_, o);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    if (!db.ok()) return {};
    auto r = (*db)->Connect()->Execute("MATCH (a:Actor) RETURN a.key ORDER BY a.key");
    EXPECT_TRUE(r.ok()) << r.error->formatted;
    std::vector<std::string> keys;
    for (const auto& row : r.result.rows) keys.push_back(row[0].as_string());
    return keys;
  }

  lodestone::testing::TempDir dir_;
  std::string path_ = dir_.Sub("db");
  FaultInjection faults_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Views> views_ = DomainViews();
  std::unique_ptr<AssetSource> assets_ = EmbeddedAssets();
  std::unique_ptr<Api> api_;
};

TEST_F(DiskFaultApiTest, AnImportOnAFullDiskSaysSoAndWritesNothing) {
  faults_.FailWritesAfter(0, FaultInjection::Fault::kNoSpace);
  domain::ImportReport r = Import(kSecond);
  EXPECT_TRUE(r.failed);
  EXPECT_TRUE(r.storage_failed);
  EXPECT_FALSE(r.committed);
  ASSERT_FALSE(r.problems.empty());
  EXPECT_NE(r.problems.back().message.find("No space left on device"), std::string::npos)
      << r.problems.back().ToString();
  EXPECT_EQ(ActorsAfterReopen(), std::vector<std::string>{"actor/china"});
}

TEST_F(DiskFaultApiTest, TheServerAnswers503ToAnImportOnAFullDisk) {
  faults_.FailWritesAfter(0, FaultInjection::Fault::kNoSpace);
  Response r = Post("/api/import", kSecond, "application/x-ndjson");
  ASSERT_EQ(r.result_int(), 503u) << r.body();
  json b = json::parse(r.body());
  EXPECT_EQ(b["error"]["detail"], "StorageFailed");
  EXPECT_NE(b["error"]["message"].get<std::string>().find("nothing was written"), std::string::npos)
      << r.body();
  EXPECT_NE(b["error"]["message"].get<std::string>().find("No space left on device"), std::string::npos)
      << r.body();
  // Reads are still answered.
  Response q =
      Post("/api/query", json{{"query", "MATCH (a:Actor) RETURN count(a) AS n"}}.dump(), "application/json");
  EXPECT_EQ(q.result_int(), 200u) << q.body();
  EXPECT_EQ(ActorsAfterReopen(), std::vector<std::string>{"actor/china"});
}

TEST_F(DiskFaultApiTest, AnImportOnAFailingDiskIs503AndTheNextOneWorksOnceItIsBack) {
  faults_.FailWritesAfter(0, FaultInjection::Fault::kIOError);
  Response r = Post("/api/import", kSecond, "application/x-ndjson");
  ASSERT_EQ(r.result_int(), 503u) << r.body();
  EXPECT_EQ(json::parse(r.body())["error"]["detail"], "StorageFailed");
  // RocksDB stops writing after an I/O error until the database is reopened.
  EXPECT_EQ(ActorsAfterReopen(), std::vector<std::string>{"actor/china"});
}

}  // namespace
}  // namespace lodestone::web
