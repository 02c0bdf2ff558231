#include <fstream>

#include <gtest/gtest.h>

#include "domain/records.h"
#include "domain/schema.h"
#include "domain/tabular.h"
#include "tests/domain/test_util.h"

namespace lodestone::domain {
namespace {

using testing::ProblemsText;
using testing::TestDb;

const char* kSources =
    R"({"node": "source/a", "labels": ["Source"], "props": {"title": "An article", "published": "2025-12-01", "source_kind": "article"}})"
    "\n";

std::string Base() {
  return std::string(kSources) +
         R"({"node": "actor/x", "labels": ["Actor"], "props": {"name": "Xland", "actor_kind": "country"}, "sources": ["source/a"]})"
         "\n"
         R"({"node": "actor/y", "labels": ["Actor"], "props": {"name": "Yland", "actor_kind": "country"}, "sources": ["source/a"]})"
         "\n"
         R"({"node": "control/c", "labels": ["Control"], "props": {"name": "C controls", "control_kind": "export_control"}, "sources": ["source/a"]})"
         "\n"
         R"({"rel": "IMPOSED", "from": "actor/x", "to": "control/c", "props": {"role": "state"}, "valid_from": "2025-04", "sources": ["source/a"]})"
         "\n";
}

uint64_t Count(TestDb& t, const std::string& q) {
  ExecResult r = t.Query(q);
  EXPECT_TRUE(r.ok()) << (r.error ? r.error->formatted : "");
  return r.ok() && !r.result.rows.empty() ? static_cast<uint64_t>(r.result.rows[0][0].as_int()) : 0;
}

TEST(Import, SeedLoadsAndIsIdempotent) {
  TestDb t;
  ImportReport r = t.LoadSeed();
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  // seed/lodestone-seed.jsonl (533 records) and seed/commodities.jsonl (767), loaded as one import.
  EXPECT_EQ(r.records, 1300u);
  EXPECT_EQ(r.created, 1300u);
  EXPECT_EQ(r.rejected, 0u);
  EXPECT_TRUE(r.committed);
  auto stats = *t.store().Stats();
  EXPECT_EQ(stats.nodes, 488u);  // seed/README.md: 176 in the seed, 488 with commodities.jsonl
  EXPECT_EQ(Count(t, "MATCH ()-[r]->() WHERE type(r) <> 'SOURCED_FROM' RETURN count(r)"), 916u);
  // Every node but the 51 Source nodes cites at least one source, some several.
  EXPECT_EQ(Count(t, "MATCH (s:Source) RETURN count(s)"), 51u);
  EXPECT_GT(Count(t, "MATCH ()-[r:SOURCED_FROM]->() RETURN count(r)"), 437u);
  EXPECT_EQ(Count(t, "MATCH (n) WHERE NOT n:Source AND NOT (n)-[:SOURCED_FROM]->() RETURN count(n)"), 0u);
  EXPECT_EQ(stats.commits, 1u);

  t.SetClock("2026-02-01T00:00:00Z");
  ImportReport again = t.LoadSeed();
  ASSERT_FALSE(again.failed) << ProblemsText(again);
  EXPECT_EQ(again.created, 0u);
  EXPECT_EQ(again.updated, 0u);
  EXPECT_EQ(again.unchanged, 1300u);
  EXPECT_FALSE(again.committed);
  EXPECT_EQ(t.store().Stats()->commits, 1u);
}

TEST(Import, SeedDerivesControlPeriodsAndIndexes) {
  TestDb t;
  ASSERT_FALSE(t.LoadSeed().failed);
  ExecResult r = t.Query(
      "MATCH (c:Control) RETURN c.key, c.valid_from, c.valid_to, status(c, date('2025-12-01')) ORDER BY "
      "c.key");
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  ASSERT_EQ(r.result.rows.size(), 11u);
  auto row = [&](size_t i) {
    std::string s;
    for (const auto& v : r.result.rows[i]) s += v.ToString() + " ";
    return s;
  };
  EXPECT_EQ(row(0),
            "'control/cn-2023-12-rare-earth-technology-export-ban' date('2023-12-21') null 'in_force' ");
  EXPECT_EQ(row(1), "'control/cn-2025-04-rare-earth-export-controls' date('2025-04-04') null 'in_force' ");
  // Announced on 9 October with entry into force on 8 November, suspended on 7 November (the day before)
  // by Announcement No. 70: never in force, so the empty period at its announcement day.
  EXPECT_EQ(row(2),
            "'control/cn-2025-10-five-heavy-rare-earths' date('2025-10-09') date('2025-10-09') 'suspended' ");
  EXPECT_EQ(row(3),
            "'control/cn-2025-10-lithium-battery-and-graphite-anode' date('2025-10-09') date('2025-10-09') "
            "'suspended' ");
  // Scheduled for 1 December, suspended before.
  EXPECT_EQ(row(4),
            "'control/cn-2025-10-rare-earth-de-minimis-and-direct-product' date('2025-10-09') "
            "date('2025-10-09') 'suspended' ");
  EXPECT_EQ(row(5),
            "'control/cn-2025-10-rare-earth-equipment-and-materials' date('2025-10-09') date('2025-10-09') "
            "'suspended' ");
  // In force on the day of issue, suspended in November: suspended on 2025-12-01.
  EXPECT_EQ(row(6),
            "'control/cn-2025-10-rare-earth-items-abroad-china-origin' date('2025-10-09') date('2025-11-07') "
            "'suspended' ");
  EXPECT_EQ(
      row(7),
      "'control/cn-2025-10-rare-earth-technologies' date('2025-10-09') date('2025-11-07') 'suspended' ");
  EXPECT_EQ(row(8),
            "'control/cn-2025-10-superhard-materials' date('2025-10-09') date('2025-10-09') 'suspended' ");
  // Never in force: the empty period at the day of its proposal, which VALID AT never matches.
  EXPECT_EQ(row(9), "'control/g7-rare-earth-price-floor' date('2026-01-12') date('2026-01-12') null ");
  EXPECT_EQ(row(10),
            "'control/us-2025-09-bis-affiliates-rule' date('2025-09-29') date('2025-11-10') 'suspended' ");
  // VALID AT uses the derived periods: on 20 October the 2023 ban, the April controls, the two October
  // measures in force from the day of issue and the US Affiliates Rule; not the five scheduled ones.
  ExecResult in_force = t.Query("MATCH (c:Control) VALID AT date('2025-10-20') RETURN c.key ORDER BY c.key");
  ASSERT_TRUE(in_force.ok()) << in_force.error->formatted;
  std::vector<std::string> keys;
  for (const auto& in_force_row : in_force.result.rows) keys.push_back(in_force_row[0].as_string());
  EXPECT_EQ(keys, (std::vector<std::string>{"control/cn-2023-12-rare-earth-technology-export-ban",
                                            "control/cn-2025-04-rare-earth-export-controls",
                                            "control/cn-2025-10-rare-earth-items-abroad-china-origin",
                                            "control/cn-2025-10-rare-earth-technologies",
                                            "control/us-2025-09-bis-affiliates-rule"}));
  // The domain's indexes are declared.
  auto view = t.store().Read();
  auto actor = view->names().FindLabel("Actor");
  auto name = view->names().FindPropKey("name");
  ASSERT_TRUE(actor && name);
  auto idx = view->names().FindIndex(*actor, *name);
  ASSERT_TRUE(idx);
  EXPECT_EQ(idx->kind, Value::Kind::kString);
}

struct ErrorCase {
  const char* name;
  std::string text;
  int line;
  const char* field;
  const char* words;
};

TEST(Import, EveryErrorClassNamesLineAndField) {
  std::vector<ErrorCase> cases = {
      {"malformed JSON", Base() + "{\"node\": \"actor/z\", \"labels\": [\"Actor\"\n", 6, "",
       "not valid JSON"},
      {"unknown form",
       Base() + R"({"thing": "actor/z"})"
                "\n",
       6, "", "unknown record form"},
      {"unknown label",
       Base() +
           R"({"node": "actor/z", "labels": ["Actress"], "props": {"name": "Z"}, "sources": ["source/a"]})"
           "\n",
       6, "labels[0]", "'Actress' is not a label; expected one of Actor"},
      {"unknown kind",
       Base() +
           R"({"event": "event/e", "date": "2025-10-30", "title": "Talks", "event_kind": "meating", "sources": ["source/a"]})"
           "\n",
       6, "event_kind", "'meating' is not an event kind; expected one of imposition, suspension"},
      {"missing required",
       Base() +
           R"({"node": "actor/z", "labels": ["Actor"], "props": {"actor_kind": "country"}, "sources": ["source/a"]})"
           "\n",
       6, "props.name", "required property 'name' of Actor is missing"},
      {"dangling reference",
       Base() +
           R"({"rel": "PARTNERS_WITH", "from": "actor/x", "to": "actor/nowhere", "sources": ["source/a"]})"
           "\n",
       6, "to", "actor/nowhere is not defined"},
      {"dangling source",
       Base() +
           R"({"node": "actor/z", "labels": ["Actor"], "props": {"name": "Z"}, "sources": ["source/missing"]})"
           "\n",
       6, "sources[0]", "source source/missing is not defined"},
      {"bad date",
       Base() + R"({"event": "event/e", "date": "2025-13", "title": "Talks", "sources": ["source/a"]})"
                "\n",
       6, "date", "'2025-13' is not a date; expected YYYY-MM-DD"},
      {"bad validity",
       Base() +
           R"({"node": "actor/z", "labels": ["Actor"], "props": {"name": "Z"}, "valid_from": "2025-05", "valid_to": "2025-02", "sources": ["source/a"]})"
           "\n",
       6, "valid_to", "before valid_from"},
      {"wrong end label",
       Base() + R"({"rel": "IMPOSED", "from": "actor/x", "to": "actor/y", "sources": ["source/a"]})"
                "\n",
       6, "to", "IMPOSED runs from Actor to Control; actor/y is an Actor"},
      {"derived property",
       Base() +
           R"({"node": "control/d", "labels": ["Control"], "props": {"name": "D", "status": "in_force"}, "sources": ["source/a"]})"
           "\n",
       6, "props.status", "derived"},
      {"derived validity",
       Base() +
           R"({"node": "control/d", "labels": ["Control"], "props": {"name": "D"}, "valid_from": "2025", "sources": ["source/a"]})"
           "\n",
       6, "valid_from", "come from the events"},
      {"key prefix",
       Base() +
           R"({"node": "actor/z", "labels": ["Control"], "props": {"name": "Z"}, "sources": ["source/a"]})"
           "\n",
       6, "node", "does not match label Control"},
      {"defined twice",
       Base() +
           R"({"node": "actor/x", "labels": ["Actor"], "props": {"name": "X again"}, "sources": ["source/a"]})"
           "\n",
       6, "node", "actor/x is defined twice; first at t.jsonl line 2"},
      {"unknown property",
       Base() +
           R"({"node": "actor/z", "labels": ["Actor"], "props": {"name": "Z", "colour": "red"}, "sources": ["source/a"]})"
           "\n",
       6, "props.colour", "unknown property 'colour' for Actor"},
      {"no sources",
       Base() + R"({"node": "actor/z", "labels": ["Actor"], "props": {"name": "Z"}})"
                "\n",
       6, "sources", "non-empty list of source keys"},
      {"bad effect",
       Base() +
           R"({"event": "event/e", "date": "2025-10-30", "title": "T", "affects": [{"control": "control/c", "effect": "cancels"}], "sources": ["source/a"]})"
           "\n",
       6, "affects[0].effect", "'cancels' is not an effect"},
      {"lifecycle",
       Base() +
           R"({"event": "event/e", "date": "2025-10-30", "title": "T", "affects": [{"control": "control/c", "effect": "suspends"}], "sources": ["source/a"]})"
           "\n",
       6, "affects[0]", "not in force"},
      {"confidence",
       Base() +
           R"({"node": "actor/z", "labels": ["Actor"], "props": {"name": "Z", "confidence": 1.5}, "sources": ["source/a"]})"
           "\n",
       6, "props.confidence", "from 0 to 1"},
  };
  for (const auto& c : cases) {
    TestDb t;
    ImportReport r = t.Import(c.text, "t.jsonl");
    EXPECT_TRUE(r.failed) << c.name;
    EXPECT_FALSE(r.committed) << c.name;
    ASSERT_FALSE(r.problems.empty()) << c.name;
    const Problem& p = r.problems[0];
    EXPECT_EQ(p.file, "t.jsonl") << c.name;
    EXPECT_EQ(p.line, c.line) << c.name << ": " << p.ToString();
    EXPECT_EQ(p.field, c.field) << c.name << ": " << p.ToString();
    EXPECT_NE(p.message.find(c.words), std::string::npos) << c.name << ": " << p.ToString();
    // Nothing was written.
    EXPECT_EQ(t.store().Stats()->nodes, 0u) << c.name;
  }
}

TEST(Import, ProblemReadsLikeASentence) {
  Problem p{"events.csv", 12, "event_kind",
            "'meating' is not an event kind; expected one of imposition, suspension"};
  EXPECT_EQ(p.ToString(),
            "events.csv, line 12, field event_kind: 'meating' is not an event kind; expected one of "
            "imposition, suspension");
}

TEST(Import, EditWritesANewVersion) {
  TestDb t;
  t.SetClock("2026-01-10T00:00:00Z");
  ASSERT_FALSE(t.Import(Base()).failed);
  t.SetClock("2026-01-20T00:00:00Z");
  std::string edited = Base();
  edited.replace(edited.find("Xland"), 5, "Exland");
  ImportReport r = t.Import(edited);
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  EXPECT_EQ(r.created, 0u);
  EXPECT_EQ(r.updated, 1u);
  EXPECT_EQ(r.unchanged, 4u);
  bool found = false;
  for (const auto& c : r.changes) {
    if (c.kind != Change::Kind::kUpdated) continue;
    found = true;
    EXPECT_EQ(c.what, "node actor/x");
    ASSERT_EQ(c.details.size(), 1u);
    EXPECT_EQ(c.details[0], "props.name: 'Xland' -> 'Exland'");
  }
  EXPECT_TRUE(found);
  auto id = *t.store().Read()->FindNode("actor/x");
  auto history = *t.store().NodeHistory(*id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].origin, "import");
  // The graph as recorded before the edit still says Xland.
  ExecResult before =
      t.Query("KNOWN AT datetime('2026-01-15T00:00:00Z') MATCH (a:Actor {key: 'actor/x'}) RETURN a.name");
  ASSERT_TRUE(before.ok()) << before.error->formatted;
  EXPECT_EQ(before.result.rows[0][0].as_string(), "Xland");
}

TEST(Import, SkipBadWritesTheGoodRecords) {
  TestDb t;
  std::string text =
      Base() +
      R"({"node": "actor/z", "labels": ["Actor"], "props": {"name": "Z"}, "sources": ["source/nope"]})"
      "\n"
      R"({"rel": "PARTNERS_WITH", "from": "actor/x", "to": "actor/z", "sources": ["source/a"]})"
      "\n"
      R"({"rel": "PARTNERS_WITH", "from": "actor/x", "to": "actor/y", "sources": ["source/a"]})"
      "\n";
  ImportOptions opt;
  opt.skip_bad = true;
  ImportReport r = t.Import(text, "t.jsonl", opt);
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  EXPECT_TRUE(r.committed);
  EXPECT_EQ(r.created, 6u);
  EXPECT_EQ(r.rejected, 2u);  // actor/z, and the relationship to it
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].line, 6);
  EXPECT_EQ(r.problems[1].line, 7);
  EXPECT_FALSE(t.store().Read()->FindNode("actor/z")->has_value());
  EXPECT_EQ(Count(t, "MATCH (:Actor)-[r:PARTNERS_WITH]-(:Actor) RETURN count(DISTINCT r)"), 1u);
}

TEST(Import, DryRunWritesNothingAndTellsWhatWouldChange) {
  TestDb t;
  ASSERT_FALSE(t.Import(Base()).failed);
  std::string text =
      Base() + R"({"node": "actor/z", "labels": ["Actor"], "props": {"name": "Z"}, "sources": ["source/a"]})"
               "\n";
  text.replace(text.find("Yland"), 5, "Why");
  ImportOptions opt;
  opt.dry_run = true;
  uint64_t commits = t.store().Stats()->commits;
  ImportReport r = t.Import(text, "t.jsonl", opt);
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(r.created, 1u);
  EXPECT_EQ(r.updated, 1u);
  EXPECT_EQ(r.unchanged, 4u);
  EXPECT_EQ(t.store().Stats()->commits, commits);
  EXPECT_FALSE(t.store().Read()->FindNode("actor/z")->has_value());
}

TEST(Import, EventFormExpandsAndOwnsItsRelationships) {
  TestDb t;
  std::string ev1 =
      R"({"event": "event/e", "date": "2025-10-30", "title": "T", "event_kind": "imposition", "involves": ["actor/x", {"actor": "actor/y", "role": "target"}], "affects": [{"control": "control/c", "effect": "imposes"}], "sources": ["source/a"]})"
      "\n";
  ImportReport r = t.Import(Base() + ev1);
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  EXPECT_EQ(
      Count(t, "MATCH (:Event {key: 'event/e'})-[r]->() WHERE type(r) <> 'SOURCED_FROM' RETURN count(r)"),
      3u);
  EXPECT_EQ(
      Count(t, "MATCH (:Event)-[r:INVOLVES {role: 'target'}]->(:Actor {key: 'actor/y'}) RETURN count(r)"),
      1u);
  ExecResult s = t.Query("MATCH (c:Control) RETURN status(c, date('2025-11-01')), c.valid_from");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.result.rows[0][0].as_string(), "in_force");
  // The edited event no longer involves actor/y and no longer affects the control.
  std::string ev2 =
      R"({"event": "event/e", "date": "2025-10-30", "title": "T", "event_kind": "meeting", "involves": ["actor/x"], "sources": ["source/a"]})"
      "\n";
  r = t.Import(Base() + ev2);
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  EXPECT_EQ(r.updated, 1u);
  EXPECT_EQ(r.controls_recomputed, 1u);
  EXPECT_EQ(
      Count(t, "MATCH (:Event {key: 'event/e'})-[r]->() WHERE type(r) <> 'SOURCED_FROM' RETURN count(r)"),
      1u);
  s = t.Query("MATCH (c:Control) RETURN status(c, date('2025-11-01')), c.valid_from");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s.result.rows[0][0].is_null());
  EXPECT_EQ(s.result.rows[0][1].ToString(), "date('1970-01-01')");  // never in force: an empty period
}

TEST(Import, SymmetricRelationshipsAreOneRelationship) {
  TestDb t;
  std::string a = Base() +
                  R"({"rel": "PARTNERS_WITH", "from": "actor/x", "to": "actor/y", "sources": ["source/a"]})"
                  "\n";
  ASSERT_FALSE(t.Import(a).failed);
  std::string b = Base() +
                  R"({"rel": "PARTNERS_WITH", "from": "actor/y", "to": "actor/x", "sources": ["source/a"]})"
                  "\n";
  ImportReport r = t.Import(b);
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  EXPECT_EQ(r.created, 0u);
  EXPECT_EQ(r.unchanged, 6u);
  EXPECT_EQ(Count(t, "MATCH ()-[r:PARTNERS_WITH]->() RETURN count(r)"), 1u);
}

TEST(Import, ParallelRelationshipsNeedKeys) {
  TestDb t;
  std::string two =
      Base() +
      R"({"node": "project/p", "labels": ["Project"], "props": {"name": "P"}, "sources": ["source/a"]})"
      "\n"
      R"({"rel": "PARTICIPATES_IN", "from": "actor/x", "to": "project/p", "key": "funding", "props": {"role": "funder"}, "sources": ["source/a"]})"
      "\n"
      R"({"rel": "PARTICIPATES_IN", "from": "actor/x", "to": "project/p", "key": "building", "props": {"role": "lead"}, "sources": ["source/a"]})"
      "\n";
  ImportReport r = t.Import(two);
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  EXPECT_EQ(Count(t, "MATCH (:Actor)-[r:PARTICIPATES_IN]->(:Project) RETURN count(r)"), 2u);
  std::string dup =
      two +
      R"({"rel": "PARTICIPATES_IN", "from": "actor/x", "to": "project/p", "key": "funding", "sources": ["source/a"]})"
      "\n";
  r = t.Import(dup);
  ASSERT_TRUE(r.failed);
  EXPECT_NE(r.problems[0].message.find("duplicate PARTICIPATES_IN actor/x -> project/p (key funding)"),
            std::string::npos);
}

TEST(Import, EventCsv) {
  TestDb t;
  ASSERT_FALSE(t.Import(Base()).failed);
  std::string csv =
      "date,title,event_kind,involves,affects,concerns,sources,summary\n"
      "2025-04-04,X imposes C,imposition,actor/x;actor/y:target,control/c:imposes,,source/a,\"Curbs, with a "
      "comma\"\n"
      "2025-06,Talks,talks,actor/x;actor/y,control/c:eases,,source/a,\n";
  ImportReport r = t.Import(csv, "events.csv", {}, InputKind::kCsv);
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  EXPECT_EQ(r.created, 2u);
  ExecResult e = t.Query("MATCH (e:Event) RETURN e.key, e.summary ORDER BY e.date");
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e.result.rows.size(), 2u);
  EXPECT_EQ(e.result.rows[0][0].as_string(), "event/2025-04-04-x-imposes-c");
  EXPECT_EQ(e.result.rows[0][1].as_string(), "Curbs, with a comma");
  // Importing the same CSV again changes nothing (keys come from date and title).
  r = t.Import(csv, "events.csv", {}, InputKind::kCsv);
  EXPECT_EQ(r.unchanged, 2u);
  EXPECT_EQ(r.created, 0u);
}

TEST(Import, BadCsvRows) {
  TestDb t;
  ASSERT_FALSE(t.Import(Base()).failed);
  std::string csv =
      "date,title,event_kind,involves,affects,concerns,sources,summary\n"
      "2025-04-04,Too few cells\n"
      "2025-05,Bad kind,meating,actor/x,,,source/a,\n"
      "2025-06,No effect,talks,actor/x,control/c,,source/a,\n";
  ImportReport r = t.Import(csv, "events.csv", {}, InputKind::kCsv);
  ASSERT_TRUE(r.failed);
  ASSERT_EQ(r.problems.size(), 3u) << ProblemsText(r);
  EXPECT_EQ(r.problems[0].line, 2);
  EXPECT_NE(r.problems[0].message.find("has 2 cells but the header has 8 columns"), std::string::npos);
  EXPECT_EQ(r.problems[1].line, 3);
  EXPECT_EQ(r.problems[1].field, "event_kind");
  EXPECT_EQ(r.problems[2].line, 4);
  EXPECT_EQ(r.problems[2].field, "affects");
  EXPECT_NE(r.problems[2].message.find("needs an effect"), std::string::npos);
  // An unknown column is a problem with the header.
  r = t.Import("date,title,colour\n2025,x,red\n", "odd.csv", {}, InputKind::kCsv);
  ASSERT_TRUE(r.failed);
  EXPECT_EQ(r.problems[0].line, 1);
  EXPECT_NE(r.problems[0].message.find("unknown column 'colour'"), std::string::npos);
  // An unclosed quote.
  r = t.Import("date,title\n2025,\"never closed\n", "q.csv", {}, InputKind::kCsv);
  ASSERT_TRUE(r.failed);
  EXPECT_EQ(r.problems[0].line, 2);
}

TEST(Import, CsvThroughAMapping) {
  TestDb t;
  ASSERT_FALSE(t.Import(kSources).failed);
  ImportInput in;
  in.name = "countries.csv";
  in.kind = InputKind::kCsv;
  in.text = "Country;ISO;Other names;Since\nKazakhstan;KZ;Qazaqstan,KZ;1991-12-16\nMongolia;MN;;\n";
  in.mapping = R"({"form": "node", "delimiter": ";", "list_separator": ",",
    "fields": {"node": {"template": "actor/{slug:Country}"}, "labels": {"value": ["Actor"]},
               "props.name": "Country", "props.actor_kind": {"value": "country"}, "props.iso_code": "ISO",
               "props.aliases": "Other names", "valid_from": "Since", "sources": {"value": ["source/a"]}}})";
  in.mapping_name = "countries.mapping.json";
  ImportOptions opt;
  ImportReport r = Import(t.db(), {in}, opt);
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  EXPECT_EQ(r.created, 2u);
  ExecResult q =
      t.Query("MATCH (a:Actor {key: 'actor/kazakhstan'}) RETURN a.aliases, a.valid_from, a.iso_code");
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q.result.rows.size(), 1u);
  EXPECT_EQ(q.result.rows[0][0].ToString(), "['Qazaqstan', 'KZ']");
  EXPECT_EQ(q.result.rows[0][1].ToString(), "date('1991-12-16')");
  // A bad value names the column it came from.
  in.text = "Country;ISO;Other names;Since\nAtlantis;AT;;long ago\n";
  r = Import(t.db(), {in}, opt);
  ASSERT_TRUE(r.failed);
  EXPECT_EQ(r.problems[0].line, 2);
  EXPECT_EQ(r.problems[0].field, "column 'Since' (valid_from)");
  // A mapping that reads a missing column.
  in.mapping = R"({"form": "node", "fields": {"node": "Key", "labels": {"value": ["Actor"]}}})";
  r = Import(t.db(), {in}, opt);
  ASSERT_TRUE(r.failed);
  EXPECT_NE(r.problems[0].message.find("reads column 'Key'"), std::string::npos);
}

TEST(Import, QueryScriptsRunInTheSameTransaction) {
  TestDb t;
  ImportInput records{"base.jsonl", Base(), InputKind::kJsonLines, std::nullopt, ""};
  ImportInput script{
      "fix.cypher",
      "MATCH (a:Actor {key: 'actor/x'}) SET a.note = 'checked';\nMATCH (a:Actor) RETURN count(a);\n",
      InputKind::kScript, std::nullopt, ""};
  ImportReport r = Import(t.db(), {records, script}, {});
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  EXPECT_EQ(r.statements, 2u);
  EXPECT_EQ(t.store().Stats()->commits, 1u);
  ExecResult q = t.Query("MATCH (a:Actor {key: 'actor/x'}) RETURN a.note");
  EXPECT_EQ(q.result.rows[0][0].as_string(), "checked");
  // A failing statement writes nothing at all, records included.
  TestDb u;
  ImportInput bad{"bad.cypher", "MATCH (a:Actor)\nRETURN a.name / 0 + 'x';\n", InputKind::kScript,
                  std::nullopt, ""};
  r = Import(u.db(), {records, bad}, {});
  ASSERT_TRUE(r.failed);
  EXPECT_EQ(r.problems[0].file, "bad.cypher");
  EXPECT_EQ(u.store().Stats()->nodes, 0u);
  // A syntax error is found before anything runs.
  ImportInput syntax{"syntax.cypher", "MATCH (a:Actor)\nRETURN a.name,;\n", InputKind::kScript, std::nullopt,
                     ""};
  r = Import(u.db(), {records, syntax}, {});
  ASSERT_TRUE(r.failed);
  EXPECT_EQ(r.problems[0].line, 2);
}

TEST(Import, SchemaExtensionTravelsWithTheData) {
  TestDb t;
  std::string text =
      std::string(
          R"({"schema": {"labels": {"Facility": {"prefix": "facility/", "required": ["name"], "properties": {"name": "string", "capacity_tpy": "number"}}}, "relationships": {"OPERATES": {"from": ["Actor"], "to": ["Facility"]}}}})") +
      "\n" + Base() +
      R"({"node": "facility/f", "labels": ["Facility"], "props": {"name": "F", "capacity_tpy": 5000}, "sources": ["source/a"]})"
      "\n"
      R"({"rel": "OPERATES", "from": "actor/x", "to": "facility/f", "sources": ["source/a"]})"
      "\n";
  ImportReport r = t.Import(text);
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  EXPECT_TRUE(r.schema_extended);
  EXPECT_EQ(r.created, 7u);
  // Later imports know the extension from the database.
  ImportReport later = t.Import(
      Base() +
      R"({"node": "facility/g", "labels": ["Facility"], "props": {"name": "G"}, "sources": ["source/a"]})"
      "\n");
  ASSERT_FALSE(later.failed) << ProblemsText(later);
  EXPECT_FALSE(later.schema_extended);
  auto schema = Schema::ForView(*t.store().Read());
  ASSERT_TRUE(schema.ok());
  EXPECT_NE(schema->FindLabel("Facility"), nullptr);
  // A record of the extended label without the extension is refused.
  TestDb u;
  r = u.Import(
      Base() +
      R"({"node": "facility/f", "labels": ["Facility"], "props": {"name": "F"}, "sources": ["source/a"]})"
      "\n");
  ASSERT_TRUE(r.failed);
  EXPECT_NE(r.problems[0].message.find("'Facility' is not a label"), std::string::npos);
}

TEST(Import, ReadsObjectsAsBeforeTheFastParser) {
  // Members are checked in name order, a repeated name keeps its last value, and values in messages
  // are printed as nlohmann::json prints them (also integers beyond 64 bits, which only it reads).
  TestDb t;
  ImportReport r = t.Import(
      Base() +
          R"({"zeta": 1, "node": "actor/z", "labels": ["Actor"], "alpha": 2, "props": {"name": "Z"}, "sources": ["source/a"]})"
          "\n"
          R"({"node": "actor/w", "labels": ["Actor"], "props": {"name": "W", "confidence": 123456789012345678901234567890}, "sources": ["source/a"]})"
          "\n"
          R"({"node": "actor/v", "labels": ["Actor"], "props": {"name": "V", "actor_kind": [1, {"b": true}]}, "sources": ["source/a"]})"
          "\n",
      "t.jsonl");
  ASSERT_TRUE(r.failed);
  ASSERT_EQ(r.problems.size(), 4u) << ProblemsText(r);
  EXPECT_EQ(r.problems[0].field, "alpha");
  EXPECT_EQ(r.problems[1].field, "zeta");
  EXPECT_EQ(r.problems[2].ToString(),
            "t.jsonl, line 7, field props.confidence: confidence is a number from 0 to 1, found "
            "1.2345678901234568e+29");
  EXPECT_EQ(r.problems[3].ToString(),
            "t.jsonl, line 8, field props.actor_kind: expected one of country, bloc, government_body, "
            "state_owned_enterprise, "
            "company, person or organization, found [1,{\"b\":true}]");
  TestDb u;
  r = u.Import(
      Base() +
          R"({"node": "actor/z", "labels": ["Actor"], "props": {"name": "First", "name": "Last"}, "sources": ["source/a"]})"
          "\n",
      "t.jsonl");
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  ExecResult q = u.Query("MATCH (a:Actor {key: 'actor/z'}) RETURN a.name");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q.result.rows[0][0].as_string(), "Last");
}

// Actors, PARTNERS_WITH between them, a control and an event that imposes it.
std::string BulkText(int actors) {
  std::string text = kSources;
  for (int i = 0; i < actors; ++i) {
    text += R"({"node": "actor/a)" + std::to_string(i) + R"(", "labels": ["Actor"], "props": {"name": "A )" +
            std::to_string(i) +
            R"(", "actor_kind": "company"}, "sources": ["source/a"]})"
            "\n";
  }
  for (int i = 1; i < actors; ++i) {
    text += R"({"rel": "PARTNERS_WITH", "from": "actor/a)" + std::to_string(i - 1) + R"(", "to": "actor/a)" +
            std::to_string(i) + R"(", "valid_from": "2025-0)" + std::to_string(1 + i % 9) +
            R"(", "sources": ["source/a"]})"
            "\n";
  }
  text +=
      R"({"node": "control/c", "labels": ["Control"], "props": {"name": "C", "announced": "2025-01"}, "sources": ["source/a"]})"
      "\n"
      R"({"event": "event/e", "date": "2025-02-03", "title": "T", "affects": [{"control": "control/c", "effect": "imposes"}], "involves": ["actor/a1"], "sources": ["source/a"]})"
      "\n";
  return text;
}

TEST(Import, BulkPathMatchesTheTransactionPathOnEveryCore) {
  // Big enough that references are checked, and entries encoded, on several threads.
  std::string text = BulkText(2500);
  TestDb bulk("bulk"), txn("txn");
  ImportOptions b;
  b.bulk_min_records = 1000;
  ImportReport rb = bulk.Import(text, "g.jsonl", b);
  ASSERT_FALSE(rb.failed) << ProblemsText(rb);
  EXPECT_TRUE(rb.bulk);
  ImportOptions x;
  x.allow_bulk = false;
  ImportReport rx = txn.Import(text, "g.jsonl", x);
  ASSERT_FALSE(rx.failed) << ProblemsText(rx);
  EXPECT_EQ(rb.created, rx.created);
  auto sb = testing::Snapshot(bulk.store()), sx = testing::Snapshot(txn.store());
  EXPECT_EQ(sb.nodes, sx.nodes);
  EXPECT_EQ(sb.rels, sx.rels);
  // The same ids in both: entities are numbered in record order whichever thread encodes them.
  auto vb = bulk.store().Read(), vx = txn.store().Read();
  for (const char* key : {"source/a", "actor/a0", "actor/a1249", "actor/a2499", "control/c", "event/e"}) {
    EXPECT_EQ(**vb->FindNode(key), **vx->FindNode(key)) << key;
  }
  EXPECT_EQ(vb->names().FindPropKey("actor_kind"), vx->names().FindPropKey("actor_kind"));
  EXPECT_EQ(vb->names().FindRelType("PARTNERS_WITH"), vx->names().FindRelType("PARTNERS_WITH"));
}

TEST(Import, BulkPathMatchesTheTransactionPath) {
  std::string text = kSources;
  for (int i = 0; i < 300; ++i) {
    text += R"({"node": "actor/a)" + std::to_string(i) + R"(", "labels": ["Actor"], "props": {"name": "A )" +
            std::to_string(i) +
            R"(", "actor_kind": "company"}, "sources": ["source/a"]})"
            "\n";
  }
  for (int i = 1; i < 300; ++i) {
    text += R"({"rel": "PARTNERS_WITH", "from": "actor/a)" + std::to_string(i - 1) + R"(", "to": "actor/a)" +
            std::to_string(i) + R"(", "valid_from": "2025-0)" + std::to_string(1 + i % 9) +
            R"(", "sources": ["source/a"]})"
            "\n";
  }
  text +=
      R"({"node": "control/c", "labels": ["Control"], "props": {"name": "C", "announced": "2025-01"}, "sources": ["source/a"]})"
      "\n"
      R"({"event": "event/e", "date": "2025-02-03", "title": "T", "affects": [{"control": "control/c", "effect": "imposes"}], "involves": ["actor/a1"], "sources": ["source/a"]})"
      "\n";
  TestDb bulk("bulk"), txn("txn");
  ImportOptions b;
  b.bulk_min_records = 10;
  ImportReport rb = bulk.Import(text, "g.jsonl", b);
  ASSERT_FALSE(rb.failed) << ProblemsText(rb);
  EXPECT_TRUE(rb.bulk);
  ImportOptions x;
  x.allow_bulk = false;
  ImportReport rx = txn.Import(text, "g.jsonl", x);
  ASSERT_FALSE(rx.failed) << ProblemsText(rx);
  EXPECT_FALSE(rx.bulk);
  EXPECT_EQ(rb.created, rx.created);
  auto sb = testing::Snapshot(bulk.store()), sx = testing::Snapshot(txn.store());
  EXPECT_EQ(sb.nodes, sx.nodes);
  EXPECT_EQ(sb.rels, sx.rels);
  // Both databases end with the domain schema version of this build (a store meta value, outside the
  // snapshots), each written in the import's one commit.
  EXPECT_EQ(*DomainVersion(bulk.store()), kDomainVersion);
  EXPECT_EQ(*DomainVersion(txn.store()), kDomainVersion);
  EXPECT_EQ(txn.store().Stats()->commits, 1u);
  auto commits = *bulk.store().Commits(10);
  ASSERT_EQ(commits.size(), 1u);
  EXPECT_EQ(commits[0].nodes_changed, bulk.store().Stats()->nodes);
  EXPECT_EQ(commits[0].rels_changed, bulk.store().Stats()->relationships);
  EXPECT_EQ(bulk.store().Stats()->nodes, txn.store().Stats()->nodes);
  EXPECT_EQ(bulk.store().Stats()->relationships, txn.store().Stats()->relationships);
  // Indexes, the time index and the timelines work after a bulk load.
  ExecResult q = bulk.Query("MATCH (a:Actor {name: 'A 7'}) RETURN a.key");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q.result.rows.size(), 1u);
  q = bulk.Query("MATCH (c:Control) RETURN c.valid_from, status(c, date('2025-03-01'))");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q.result.rows[0][0].ToString(), "date('2025-02-03')");
  EXPECT_EQ(q.result.rows[0][1].as_string(), "in_force");
  auto view = bulk.store().Read();
  auto a1 = *view->FindNode("actor/a1");
  auto cur = view->ScanSubjectTime(*a1, {}, {}, TimeOrder::kOldestFirst);
  ASSERT_TRUE(cur->Valid());
  // Importing again goes through the transaction path and changes nothing.
  ImportReport again = bulk.Import(text, "g.jsonl", b);
  ASSERT_FALSE(again.failed) << ProblemsText(again);
  EXPECT_FALSE(again.bulk);
  EXPECT_EQ(again.created, 0u);
  EXPECT_EQ(again.updated, 0u);
  EXPECT_FALSE(again.committed);
  // In a database that has its version already (as init makes it), a bulk load is exactly one commit.
  TestDb inited("inited");
  ASSERT_TRUE(DeclareIndexes(inited.db()).ok());
  uint64_t before = inited.store().Stats()->commits;
  ImportReport ri = inited.Import(text, "g.jsonl", b);
  ASSERT_FALSE(ri.failed) << ProblemsText(ri);
  EXPECT_TRUE(ri.bulk);
  EXPECT_EQ(inited.store().Stats()->commits, before + 1);
  EXPECT_EQ(*DomainVersion(inited.store()), kDomainVersion);
  auto si = testing::Snapshot(inited.store());
  EXPECT_EQ(si.nodes, sx.nodes);
  EXPECT_EQ(si.rels, sx.rels);
}

TEST(Import, SlugsAndKeys) {
  EXPECT_EQ(Slugify("Trump and Xi meet in Busan!"), "trump-and-xi-meet-in-busan");
  EXPECT_EQ(Slugify("2025-10-30"), "2025-10-30");
  EXPECT_TRUE(ValidKeySyntax("actor/china"));
  EXPECT_TRUE(ValidKeySyntax("event/2025-10-30-a.b_c"));
  EXPECT_FALSE(ValidKeySyntax("Actor/china"));
  EXPECT_FALSE(ValidKeySyntax("actor/"));
  EXPECT_FALSE(ValidKeySyntax("actor/Chi na"));
}

}  // namespace
}  // namespace lodestone::domain
