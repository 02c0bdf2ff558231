// The web API over the real domain views (web/server/domain_views.cc) on the seed: the routes answer in
// docs/api.md's shapes, and POST /api/import validates exactly as `lodestone import` (nothing written
// unless every record is valid; problems with their line and field).
#include <set>
#include <sstream>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <gtest/gtest.h>

#include "domain/functions.h"
#include "domain/import.h"
#include "domain/lifecycle.h"
#include "tests/support/scratch_database.h"
#include "web/server/api.h"
#include "web/server/timeline_export.h"

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
    Response r = Raw(target);
    EXPECT_EQ(r.result_int(), expect) << target << ": " << r.body();
    return json::parse(r.body());
  }
  Response Raw(const std::string& target) {
    Request req{http::verb::get, target, 11};
    return api_->Handle(req);
  }
  // Every key /api/timeline gives for `filters`, following `next`.
  std::set<std::string> TimelineKeys(const std::string& filters) {
    std::set<std::string> keys;
    std::string cursor;
    for (;;) {
      json page = Get("/api/timeline?limit=1000&" + filters + (cursor.empty() ? "" : "&cursor=" + cursor));
      for (const json& e : page["events"]) keys.insert(e["key"].get<std::string>());
      for (const json& p : page["periods"]) keys.insert(p["key"].get<std::string>());
      if (!page["next"].is_string()) break;
      cursor = page["next"].get<std::string>();
    }
    return keys;
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
  r = Import(
      R"({"node": "actor/testland", "labels": ["Actor"], "props": {"name": "<script>alert(1)</script>", "actor_kind": "country"}, "sources": ["source/article-hu-xing-2026-01-17"]})"
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

// RFC 4180: fields separated by commas, quoted when they hold a comma, quote or line break.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        rows.back().back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        rows.back().back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.emplace_back(1);
      ++i;
    } else {
      rows.back().back() += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

TEST_F(DomainViewsTest, TimelineExportsEveryFilteredItemAsCsvAndJsonLines) {
  const std::string filters = "actor=actor/china&from=2025";
  std::set<std::string> expected = TimelineKeys(filters);
  ASSERT_GT(expected.size(), 5u);

  Response csv = Raw("/api/timeline?format=csv&" + filters);
  ASSERT_EQ(csv.result_int(), 200u) << csv.body();
  EXPECT_EQ(csv[http::field::content_type], "text/csv; charset=utf-8; header=present");
  EXPECT_EQ(csv[http::field::content_disposition], "attachment; filename=\"lodestone-timeline.csv\"");
  auto rows = ParseCsv(csv.body());
  ASSERT_EQ(rows.size(), expected.size() + 1);
  EXPECT_EQ(rows[0],
            std::vector<std::string>(std::begin(kTimelineCsvColumns), std::end(kTimelineCsvColumns)));
  std::set<std::string> got;
  std::string last_start;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), rows[0].size()) << "row " << i;
    got.insert(rows[i][0]);
    EXPECT_TRUE(rows[i][1] == "event" || rows[i][1] == "period") << rows[i][1];
    EXPECT_GE(rows[i][7], last_start) << "rows in date order";
    last_start = rows[i][7];
  }
  EXPECT_EQ(got, expected);

  Response jsonl = Raw("/api/timeline?format=jsonl&" + filters);
  ASSERT_EQ(jsonl.result_int(), 200u) << jsonl.body();
  EXPECT_EQ(jsonl[http::field::content_type], "application/x-ndjson; charset=utf-8");
  EXPECT_EQ(jsonl[http::field::content_disposition], "attachment; filename=\"lodestone-timeline.jsonl\"");
  std::istringstream lines(jsonl.body());
  std::set<std::string> from_lines;
  for (std::string line; std::getline(lines, line);) {
    json item = json::parse(line);
    EXPECT_TRUE(item["item"] == "event" ? item.contains("date") : item.contains("segments")) << line;
    from_lines.insert(item["key"].get<std::string>());
  }
  EXPECT_EQ(from_lines, expected);

  // A bad format, or paging with an export, is a 400 that says what was expected.
  json bad = Get("/api/timeline?format=xml", 400);
  EXPECT_EQ(bad["error"]["detail"], "InvalidParameter");
  EXPECT_NE(bad["error"]["message"].get<std::string>().find("json, csv or jsonl"), std::string::npos);
  EXPECT_EQ(Get("/api/timeline?format=csv&limit=5", 400)["error"]["detail"], "InvalidParameter");
  EXPECT_EQ(Get("/api/timeline?format=csv&format=jsonl", 400)["error"]["detail"], "InvalidParameter");
  EXPECT_EQ(Get("/api/timeline?format=csv&from=2025-13", 400)["error"]["detail"], "InvalidDate");
  // format=json is the ordinary answer.
  EXPECT_TRUE(Get("/api/timeline?format=json&" + filters)["events"].is_array());
}

TEST_F(DomainViewsTest, ChangesSinceARecordTimeMarkAddedAndChangedItems) {
  json health = Get("/healthz");
  const std::string since = health["last_record_time"].get<std::string>();
  // Nothing recorded after the last commit.
  json none = Get("/api/changes?since=" + since);
  EXPECT_TRUE(none["added"].empty());
  EXPECT_TRUE(none["changed"].empty());
  EXPECT_TRUE(none["removed"].empty());
  EXPECT_TRUE(none["commits"].empty());

  // A new event known only to its quarter, and an existing event retitled (everything else as in the seed).
  const std::string added =
      R"j({"event": "event/2026-q1-test-new-measure", "date": "2026-Q1", )j"
      R"j("title": "A new measure known only to its quarter", "event_kind": "announcement", )j"
      R"j("involves": [{"actor": "actor/china", "role": "imposer"}], "sources": ["source/article-hu-xing-2026-01-17"]})j";
  const std::string retitled =
      R"j({"event": "event/2025-10-cn-malaysia-refinery-discussion", "date": "2025-10", )j"
      R"j("title": "China and Malaysia discuss a rare earth refinery (retitled)", "event_kind": "discussion", )j"
      R"j("involves": [{"actor": "actor/china", "role": "party"}, {"actor": "actor/malaysia", "role": "party"}], )j"
      R"j("affects": [], "concerns": ["project/cn-my-rare-earth-refinery"], )j"
      R"j("sources": ["source/article-hu-xing-2026-01-17"], "summary": "'the reported discussion between China and )j"
      R"j(Malaysia in October 2025 on a potential partnership to build a refinery, which could involve China's )j"
      R"j(technical and technological assistance.'", "props": {"date_text": "in October 2025", )j"
      R"j("note": "'reported' — the article relays reports of the discussion"}})j";
  Response r = Import(added + "\n" + retitled + "\n");
  ASSERT_EQ(r.result_int(), 200u) << r.body();

  json c = Get("/api/changes?since=" + since + "&actor=actor/china");
  ASSERT_EQ(c["added"].size(), 1u) << c.dump();
  EXPECT_EQ(c["added"][0]["key"], "event/2026-q1-test-new-measure");
  EXPECT_EQ(c["added"][0]["item"], "event");
  EXPECT_EQ(c["added"][0]["title"], "A new measure known only to its quarter");
  bool found = false;
  for (const json& x : c["changed"]) {
    if (x["key"] != "event/2025-10-cn-malaysia-refinery-discussion") continue;
    found = true;
    EXPECT_EQ(x["fields"], json::array({"title"})) << x.dump();
  }
  EXPECT_TRUE(found) << c.dump();
  EXPECT_TRUE(c["removed"].empty()) << c.dump();
  ASSERT_EQ(c["commits"].size(), 1u);
  EXPECT_EQ(c["commits"][0]["origin"], "import via the web API");
  EXPECT_EQ(c["since"], since);
  EXPECT_EQ(c["until"], c["commits"][0]["record_time"]);
  // The filters apply: the new event involves China, not Japan.
  json japan = Get("/api/changes?since=" + since + "&actor=actor/japan");
  for (const json& x : japan["added"]) EXPECT_NE(x["key"], "event/2026-q1-test-new-measure");

  // Before the first commit, everything is new.
  json all = Get("/api/changes?since=2000-01-01&label=Control");
  EXPECT_EQ(all["added"].size(), TimelineKeys("label=Control").size());

  // The commits, newest first.
  json commits = Get("/api/commits?limit=2");
  ASSERT_EQ(commits["commits"].size(), 2u);
  EXPECT_EQ(commits["commits"][0]["origin"], "import via the web API");
  EXPECT_EQ(commits["commits"][1]["record_time"], since);

  // Bad input: a 400 that says what was expected.
  EXPECT_EQ(Get("/api/changes", 400)["error"]["detail"], "MissingParameter");
  json bad = Get("/api/changes?since=yesterday", 400);
  EXPECT_EQ(bad["error"]["detail"], "InvalidParameter");
  EXPECT_NE(bad["error"]["message"].get<std::string>().find("2026-11-28T10:00:00Z"), std::string::npos);
  EXPECT_EQ(Get("/api/changes?since=" + since + "&limit=3", 400)["error"]["detail"], "InvalidParameter");
  EXPECT_EQ(Get("/api/changes?since=" + since + "&label=Nope", 400)["error"]["detail"], "InvalidParameter");
  EXPECT_EQ(Get("/api/commits?since=x", 400)["error"]["detail"], "InvalidParameter");
}

// The seed's record of an event, retitled with `title` (everything else as in the seed).
std::string RetitledEvent(const std::string& title) {
  return R"j({"event": "event/2025-10-cn-malaysia-refinery-discussion", "date": "2025-10", "title": )j" +
         json(title).dump() +
         R"j(, "event_kind": "discussion", "involves": [{"actor": "actor/china", "role": "party"}, )j"
         R"j({"actor": "actor/malaysia", "role": "party"}], "affects": [], "concerns": ["project/cn-my-rare-earth-refinery"], )j"
         R"j("sources": ["source/article-hu-xing-2026-01-17"], "summary": "'the reported discussion between China and )j"
         R"j(Malaysia in October 2025 on a potential partnership to build a refinery, which could involve China's )j"
         R"j(technical and technological assistance.'", "props": {"date_text": "in October 2025", )j"
         R"j("note": "'reported' — the article relays reports of the discussion"}})j"
         "\n";
}

TEST_F(DomainViewsTest, DiffBetweenRecordTimesAndBetweenValidDates) {
  const std::string since = Get("/healthz")["last_record_time"].get<std::string>();
  const std::string title = "China & Malaysia discuss a <refinery> \"again\"";
  ASSERT_EQ(Import(RetitledEvent(title)).result_int(), 200u);

  json d = Get("/api/diff?mode=recorded&from=" + since);
  EXPECT_EQ(d["mode"], "recorded");
  EXPECT_EQ(d["from"], since);
  ASSERT_EQ(d["changes"].size(), 1u) << d.dump();
  const json& c = d["changes"][0];
  EXPECT_EQ(c["change"], "changed");
  EXPECT_EQ(c["entity"], "node");
  EXPECT_EQ(c["key"], "event/2025-10-cn-malaysia-refinery-discussion");
  EXPECT_EQ(c["properties"]["title"]["before"],
            "China and Malaysia discuss a partnership to build a rare earth refinery");
  EXPECT_EQ(c["properties"]["title"]["after"], title);
  EXPECT_EQ(c["commits"][0]["origin"], "import via the web API");
  EXPECT_EQ(d["summary"]["total"], 1);
  // Ending before the import: the seed's commit, and nothing of the import.
  json before = Get("/api/diff?mode=recorded&from=2000-01-01&to=" + since);
  ASSERT_FALSE(before["commits"].empty()) << before.dump();
  for (const json& commit : before["commits"]) EXPECT_NE(commit["origin"], "import via the web API");

  json v =
      Get("/api/diff?mode=valid&from=2025-10-01&to=2025-12-01&label=Control&key_prefix=control/cn-2025-10");
  EXPECT_EQ(v["mode"], "valid");
  bool five = false;
  for (const json& x : v["changes"]) {
    EXPECT_EQ(x["label"], "Control");
    EXPECT_EQ(x["key"].get<std::string>().rfind("control/cn-2025-10", 0), 0u);
    if (x["key"] != "control/cn-2025-10-five-heavy-rare-earths") continue;
    five = true;
    EXPECT_EQ(x["status"]["before"], nullptr);
    EXPECT_EQ(x["status"]["after"], "suspended");
  }
  EXPECT_TRUE(five) << v.dump();

  // Bad input: a 400 naming the parameter.
  json missing = Get("/api/diff?mode=valid&from=2025-10-01", 400);
  EXPECT_EQ(missing["error"]["detail"], "InvalidParameter");
  EXPECT_NE(missing["error"]["message"].get<std::string>().find("'to'"), std::string::npos);
  EXPECT_EQ(Get("/api/diff?from=2025-10-01", 400)["error"]["detail"], "InvalidParameter");
  EXPECT_EQ(Get("/api/diff?mode=recorded&from=" + since + "&limit=x", 400)["error"]["detail"],
            "InvalidParameter");
  EXPECT_EQ(Get("/api/diff?mode=valid&from=2025-12-01&to=2025-10-01", 400)["error"]["detail"],
            "InvalidParameter");
}

// The entries of an Atom document, parsed as XML.
boost::property_tree::ptree ParseXml(const std::string& text) {
  std::istringstream in(text);
  boost::property_tree::ptree tree;
  boost::property_tree::read_xml(in, tree);
  return tree;
}

TEST_F(DomainViewsTest, AtomFeedHasOneEntryPerCommitEscaped) {
  const std::string title = "China & Malaysia discuss a <refinery> \"again\"";
  ASSERT_EQ(Import(RetitledEvent(title)).result_int(), 200u);
  json commits = Get("/api/commits");

  Request req{http::verb::get, "/feed.atom", 11};
  req.set(http::field::host, "lodestone.example:8080");
  Response r = api_->Handle(req);
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(r[http::field::content_type], "application/atom+xml; charset=utf-8");
  boost::property_tree::ptree feed;
  ASSERT_NO_THROW(feed = ParseXml(r.body()).get_child("feed")) << r.body();
  EXPECT_EQ(feed.get<std::string>("<xmlattr>.xmlns"), "http://www.w3.org/2005/Atom");
  EXPECT_EQ(feed.get<std::string>("id"), "http://lodestone.example:8080/feed.atom");
  std::vector<boost::property_tree::ptree> entries;
  for (const auto& [name, child] : feed) {
    if (name == "entry") entries.push_back(child);
  }
  // One entry per commit, newest first, each with an id, a time and a link to the page marking it.
  ASSERT_EQ(entries.size(), commits["commits"].size()) << r.body();
  EXPECT_EQ(feed.get<std::string>("updated"), commits["commits"][0]["record_time"].get<std::string>());
  std::set<std::string> ids;
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string rt = commits["commits"][i]["record_time"].get<std::string>();
    EXPECT_EQ(entries[i].get<std::string>("updated"), rt);
    ids.insert(entries[i].get<std::string>("id"));
    EXPECT_EQ(
        entries[i].get<std::string>("link.<xmlattr>.href").rfind("http://lodestone.example:8080/?since=", 0),
        0u);
  }
  EXPECT_EQ(ids.size(), entries.size());
  const auto& newest = entries[0];
  EXPECT_EQ(newest.get<std::string>("title"), "import via the web API: 0 added, 1 changed, 0 removed");
  // The title with its ampersand, angle brackets and quotes comes back exactly as written.
  const std::string content = newest.get<std::string>("content");
  EXPECT_NE(content.find("-> '" + title + "'"), std::string::npos) << content;
  EXPECT_EQ(r.body().find("<refinery>"), std::string::npos);

  // Filters keep the commits that changed what they name: announcements came with the seed only.
  Response only = Raw("/feed.atom?label=Announcement");
  ASSERT_EQ(only.result_int(), 200u) << only.body();
  size_t n = 0;
  const boost::property_tree::ptree only_tree = ParseXml(only.body());
  for (const auto& [name, child] : only_tree.get_child("feed")) n += name == "entry";
  EXPECT_EQ(n, 1u) << only.body();
  EXPECT_EQ(Raw("/feed.atom?since=x").result_int(), 400u);
  EXPECT_EQ(Raw("/feed.atom?limit=0").result_int(), 400u);
}

}  // namespace
}  // namespace lodestone::web
