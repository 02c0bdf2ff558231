// `lodestone diff` as a user runs it, on the seed: an import's changes and nothing else between two
// record times, the October 2025 package's suspension between two dates, and clear refusals.
#include <cstdio>
#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "tests/cli/run_cli.h"
#include "tests/support/temp_dir.h"

namespace {

using nlohmann::json;

using lodestone::testing::Lodestone;
using lodestone::testing::Ran;
using lodestone::testing::Sh;

const char* kEdits =
    R"j({"event": "event/2026-q1-test-new-measure", "date": "2026-Q1", "title": "A new measure known only to its quarter", "event_kind": "announcement", "involves": [{"actor": "actor/china", "role": "imposer"}], "sources": ["source/article-hu-xing-2026-01-17"]}
{"event": "event/2025-10-cn-malaysia-refinery-discussion", "date": "2025-10", "title": "China and Malaysia discuss a rare earth refinery (retitled)", "event_kind": "discussion", "involves": [{"actor": "actor/china", "role": "party"}, {"actor": "actor/malaysia", "role": "party"}], "affects": [], "concerns": ["project/cn-my-rare-earth-refinery"], "sources": ["source/article-hu-xing-2026-01-17"], "summary": "'the reported discussion between China and Malaysia in October 2025 on a potential partnership to build a refinery, which could involve China's technical and technological assistance.'", "props": {"date_text": "in October 2025", "note": "'reported' — the article relays reports of the discussion"}}
)j";

class CliDiff : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new lodestone::testing::TempDir();
    db_ = dir_->Sub("db");
    Ran init = Sh(Lodestone(db_) + " init");
    ASSERT_EQ(init.status, 0) << init.out;
    std::ofstream(dir_->Sub("edits.jsonl")) << kEdits;
    Ran imp = Sh(Lodestone(db_) + " import " + dir_->Sub("edits.jsonl"));
    ASSERT_EQ(imp.status, 0) << imp.out;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static json Json(const std::string& args) {
    Ran r = Sh(Lodestone(db_) + " diff " + args + " --json", false);
    EXPECT_EQ(r.status, 0) << r.out;
    json j = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }
  static lodestone::testing::TempDir* dir_;
  static std::string db_;
};

lodestone::testing::TempDir* CliDiff::dir_ = nullptr;
std::string CliDiff::db_;

TEST_F(CliDiff, TheLastImportShowsExactlyItsChanges) {
  json d = Json("--last 1");
  ASSERT_EQ(d["commits"].size(), 1u) << d.dump(2);
  EXPECT_EQ(d["commits"][0]["origin"].get<std::string>().rfind("import ", 0), 0u) << d.dump(2);
  EXPECT_NE(d["commits"][0]["origin"].get<std::string>().find("edits.jsonl"), std::string::npos);
  EXPECT_EQ(d["summary"]["changed"], 1);
  EXPECT_EQ(d["summary"]["removed"], 0);
  std::set<std::string> nodes;
  for (const json& c : d["changes"]) {
    if (c["entity"] == "node") {
      nodes.insert(c["change"].get<std::string>() + " " + c["key"].get<std::string>());
    } else {
      EXPECT_EQ(c["change"], "added") << c.dump();
      EXPECT_EQ(c["start"], "event/2026-q1-test-new-measure") << c.dump();
    }
  }
  EXPECT_EQ(nodes, (std::set<std::string>{"added event/2026-q1-test-new-measure",
                                          "changed event/2025-10-cn-malaysia-refinery-discussion"}));
  for (const json& c : d["changes"]) {
    if (c["change"] != "changed") continue;
    ASSERT_EQ(c["properties"].size(), 1u) << c.dump();
    EXPECT_EQ(c["properties"]["title"]["before"],
              "China and Malaysia discuss a partnership to build a rare earth refinery");
    EXPECT_EQ(c["properties"]["title"]["after"],
              "China and Malaysia discuss a rare earth refinery (retitled)");
  }

  // The same range named by record times: after the init commit, up to now.
  json two = Json("--last 2");
  ASSERT_EQ(two["commits"].size(), 2u);
  std::string init_time = two["commits"][0]["record_time"].get<std::string>();
  json known = Json("--known " + init_time);
  EXPECT_EQ(known["changes"], d["changes"]);
  json upto = Json("--known " + init_time + " " + two["commits"][1]["record_time"].get<std::string>());
  EXPECT_EQ(upto["changes"], d["changes"]);

  // The text says the same for a person.
  Ran text = Sh(Lodestone(db_) + " diff --last 1");
  ASSERT_EQ(text.status, 0) << text.out;
  EXPECT_NE(text.out.find("1 changed"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("+ added node event/2026-q1-test-new-measure (:Event)"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("~ changed node event/2025-10-cn-malaysia-refinery-discussion (:Event)"),
            std::string::npos)
      << text.out;
}

TEST_F(CliDiff, BetweenTwoDatesShowsTheOctoberPackagesSuspension) {
  Ran r = Sh(Lodestone(db_) + " diff --valid 2025-10-01 2025-12-01");
  ASSERT_EQ(r.status, 0) << r.out;
  size_t at = r.out.find("Control control/cn-2025-10-five-heavy-rare-earths");
  ASSERT_NE(at, std::string::npos) << r.out;
  std::string block = r.out.substr(at, r.out.find("\nControl ", at + 1) - at);
  EXPECT_NE(block.find("status: (no status yet) -> suspended"), std::string::npos) << block;
  EXPECT_NE(block.find("2025-11-07 suspends"), std::string::npos) << block;
  EXPECT_NE(block.find("held back"), std::string::npos) << block;
  EXPECT_NE(r.out.find("Announcement announcement/mofcom-2025-61"), std::string::npos) << r.out;

  json j = Json("--valid 2025-10-01 2025-12-01 --label Announcement");
  ASSERT_FALSE(j["changes"].empty());
  for (const json& c : j["changes"]) EXPECT_EQ(c["label"], "Announcement");
}

TEST_F(CliDiff, RefusesWhatItCannotReadAndSaysWhy) {
  Ran none = Sh(Lodestone(db_) + " diff");
  EXPECT_EQ(none.status, 2) << none.out;
  EXPECT_NE(none.out.find("--known FROM [TO]"), std::string::npos) << none.out;
  Ran bad_date = Sh(Lodestone(db_) + " diff --valid 2025-10-01 soon");
  EXPECT_EQ(bad_date.status, 2) << bad_date.out;
  EXPECT_NE(bad_date.out.find("--valid TO: 'soon' is not a date"), std::string::npos) << bad_date.out;
  Ran backwards = Sh(Lodestone(db_) + " diff --valid 2025-12-01 2025-10-01");
  EXPECT_EQ(backwards.status, 2) << backwards.out;
  EXPECT_NE(backwards.out.find("must be before"), std::string::npos) << backwards.out;
  Ran bad_time = Sh(Lodestone(db_) + " diff --known yesterday");
  EXPECT_EQ(bad_time.status, 2) << bad_time.out;
  EXPECT_NE(bad_time.out.find("FROM is not a record time: 'yesterday'"), std::string::npos) << bad_time.out;
  Ran reversed = Sh(Lodestone(db_) + " diff --known 2026-02-01 2026-01-01");
  EXPECT_EQ(reversed.status, 2) << reversed.out;
  EXPECT_NE(reversed.out.find("is before FROM"), std::string::npos) << reversed.out;
  Ran both = Sh(Lodestone(db_) + " diff --last 1 --valid 2025-10-01 2025-12-01");
  EXPECT_NE(both.status, 0) << both.out;
  Ran missing = Sh(Lodestone(dir_->Sub("nothing-here")) + " diff --last 1");
  EXPECT_EQ(missing.status, 1) << missing.out;
  EXPECT_NE(missing.out.find("there is no database"), std::string::npos) << missing.out;
}

}  // namespace
