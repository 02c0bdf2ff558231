// Bad input on the measure model: each mistake is an error naming the file, line and field, and
// nothing is written; with skip_bad the bad records alone are left out and listed.
#include <gtest/gtest.h>

#include "tests/domain/test_util.h"

namespace lodestone::domain {
namespace {

using testing::TestDb;

// A source, two actors, an announcement and a measure: what the cases below build on.
constexpr const char* kBase = R"({"node": "source/s", "labels": ["Source"], "props": {"title": "A notice"}}
{"node": "actor/atlantis", "labels": ["Actor"], "props": {"name": "Atlantis"}, "sources": ["source/s"]}
{"node": "announcement/n1", "labels": ["Announcement"], "props": {"title": "Notice 1", "announced": "2025-04-04"}, "sources": ["source/s"]}
{"node": "control/m1", "labels": ["Control"], "props": {"name": "Licence on orichalcum", "announced": "2025-04-04"}, "sources": ["source/s"]}
{"node": "hs/2805", "labels": ["HsCode"], "props": {"code": "2805", "description": "Alkali or alkaline-earth metals; rare-earth metals"}, "sources": ["source/s"]}
)";

struct Case {
  const char* what;
  const char* records;  // appended to kBase, from line 6 on
  int line;
  const char* field;
  const char* words;
};

TEST(BadInput, EachMistakeIsNamedAndNothingIsWritten) {
  const Case cases[] = {
      {"entry into force before the announcement",
       R"({"event": "event/early", "date": "2025-03-01", "title": "In force", "affects": [{"control": "control/m1", "effect": "imposes"}], "sources": ["source/s"]})",
       6, "affects[0]", "before it was announced (2025-04-04)"},
      {"a scheduled entry into force before the announcement",
       R"({"event": "event/a", "date": "2025-04-04", "title": "Announced", "affects": [{"control": "control/m1", "effect": "imposes", "effective": "2025-04-01"}], "sources": ["source/s"]})",
       6, "affects[0]", "before it was announced"},
      {"a suspension of a measure never announced or imposed",
       R"({"node": "control/m2", "labels": ["Control"], "props": {"name": "Never announced"}, "sources": ["source/s"]}
{"event": "event/s", "date": "2025-05-01", "title": "Suspended", "affects": [{"control": "control/m2", "effect": "suspends"}], "sources": ["source/s"]})",
       7, "affects[0]", "has no entry into force announced"},
      {"until on an entry into force",
       R"({"event": "event/a", "date": "2025-04-04", "title": "Announced", "affects": [{"control": "control/m1", "effect": "imposes", "until": "2026-01-01"}], "sources": ["source/s"]})",
       6, "affects[0]", "only a suspension (suspends) has one"},
      {"an HS code that is not six digits",
       R"({"node": "hs/280530", "labels": ["HsCode"], "props": {"code": "28053", "description": "Rare-earth metals"}, "sources": ["source/s"]})",
       6, "props.code", "an HS code of 6 digits"},
      {"an HS key that does not match its code",
       R"({"node": "hs/280530", "labels": ["HsCode"], "props": {"code": "280531", "description": "Rare-earth metals"}, "sources": ["source/s"]})",
       6, "node", "expected \"hs/280531\""},
      {"a measure covering a malformed HS code",
       R"({"rel": "COVERS", "from": "control/m1", "to": "hs/28053", "sources": ["source/s"]})", 6, "to",
       "hs/28053 is not a valid HsCode key: after hs/ comes an HS code of 6 digits"},
      {"a claim with no source",
       R"({"node": "claim/c1", "labels": ["Claim"], "props": {"text": "Controls raise prices", "authors": ["A. Author"]}})",
       6, "sources", "every record cites where it comes from"},
      {"a disputed value given without a source",
       R"({"node": "variant/v1", "labels": ["Variant"], "props": {"property": "announced", "value": "2025-04-03"}})",
       6, "sources", "every record cites where it comes from"},
      {"a disputed value of a property the node does not have",
       R"({"node": "variant/v1", "labels": ["Variant"], "props": {"property": "colour", "value": "red"}, "sources": ["source/s"]}
{"rel": "VARIANT_OF", "from": "variant/v1", "to": "control/m1", "sources": ["source/s"]})",
       7, "to", "variant/v1 gives a value of 'colour' for control/m1, which a Control node does not have"},
      {"a disputed date that is not a date",
       R"({"node": "variant/v1", "labels": ["Variant"], "props": {"property": "announced", "value": "last spring"}, "sources": ["source/s"]}
{"rel": "VARIANT_OF", "from": "variant/v1", "to": "control/m1", "sources": ["source/s"]})",
       7, "to", "'last spring' is not a date"},
      {"a MAST code that is not one",
       R"({"node": "control/m3", "labels": ["Control"], "props": {"name": "X", "mast_code": "Q31"}, "sources": ["source/s"]})",
       6, "props.mast_code", "a MAST code"},
      {"a jurisdiction's basis outside the list",
       R"({"rel": "TARGETS", "from": "control/m1", "to": "actor/atlantis", "props": {"basis": "named"}, "sources": ["source/s"]})",
       6, "props.basis", "targeted, excluded, exempted, inferred or incidental"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    TestDb t;
    auto r = t.Import(std::string(kBase) + c.records + "\n", "bad.jsonl");
    ASSERT_TRUE(r.failed) << c.what;
    ASSERT_FALSE(r.problems.empty());
    const Problem& p = r.problems[0];
    EXPECT_EQ(p.file, "bad.jsonl");
    EXPECT_EQ(p.line, c.line) << p.ToString();
    EXPECT_EQ(p.field, c.field) << p.ToString();
    EXPECT_NE(p.message.find(c.words), std::string::npos) << p.ToString();
    // Nothing was written.
    EXPECT_TRUE(testing::Snapshot(t.store()).nodes.empty());
  }
}

TEST(BadInput, SkipBadWritesTheRestAndListsTheBad) {
  TestDb t;
  ImportOptions opt;
  opt.skip_bad = true;
  auto r = t.Import(
      std::string(kBase) +
          R"({"node": "hs/28053", "labels": ["HsCode"], "props": {"code": "28053", "description": "x"}, "sources": ["source/s"]})"
          "\n"
          R"({"node": "claim/c1", "labels": ["Claim"], "props": {"text": "Controls raise prices"}, "sources": ["source/s"]})"
          "\n",
      "mixed.jsonl", opt);
  EXPECT_FALSE(r.failed) << testing::ProblemsText(r);
  EXPECT_EQ(r.rejected, 1u);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].line, 6);
  auto q =
      t.Query("MATCH (n) WHERE n.key IN ['claim/c1', 'hs/28053', 'control/m1'] RETURN n.key ORDER BY n.key");
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q.result.rows.size(), 2u);
  EXPECT_EQ(q.result.rows[0][0].as_string(), "claim/c1");
  EXPECT_EQ(q.result.rows[1][0].as_string(), "control/m1");
}

}  // namespace
}  // namespace lodestone::domain
