// What changed between two times (domain/diff.h): between two record times exactly what the commits in
// between added, changed and removed, with their origins; between two valid-time dates the measures,
// packages, agreements and projects whose state moved, on the seed.
#include "domain/diff.h"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "tests/domain/test_util.h"

namespace lodestone::domain {
namespace {

using lodestone::testing::ProblemsText;
using lodestone::testing::TestDb;

// A new event known only to its quarter, and an existing event retitled (all else as in the seed).
const char* kAddedEvent =
    R"j({"event": "event/2026-q1-test-new-measure", "date": "2026-Q1", )j"
    R"j("title": "A new measure known only to its quarter", "event_kind": "announcement", )j"
    R"j("involves": [{"actor": "actor/china", "role": "imposer"}], "sources": ["source/article-hu-xing-2026-01-17"]})j";
const char* kRetitledEvent =
    R"j({"event": "event/2025-10-cn-malaysia-refinery-discussion", "date": "2025-10", )j"
    R"j("title": "China and Malaysia discuss a rare earth refinery (retitled)", "event_kind": "discussion", )j"
    R"j("involves": [{"actor": "actor/china", "role": "party"}, {"actor": "actor/malaysia", "role": "party"}], )j"
    R"j("affects": [], "concerns": ["project/cn-my-rare-earth-refinery"], )j"
    R"j("sources": ["source/article-hu-xing-2026-01-17"], "summary": "'the reported discussion between China and )j"
    R"j(Malaysia in October 2025 on a potential partnership to build a refinery, which could involve China's )j"
    R"j(technical and technological assistance.'", "props": {"date_text": "in October 2025", )j"
    R"j("note": "'reported' — the article relays reports of the discussion"}})j";

const char* kSeedTitle = "China and Malaysia discuss a partnership to build a rare earth refinery";

uint64_t Micros(const char* iso) { return static_cast<uint64_t>(DateTime::Parse(iso)->micros); }

class DiffTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.SetClock("2026-01-01T00:00:00Z");
    auto r = db_.LoadSeed(/*dataset=*/true);
    ASSERT_FALSE(r.failed) << ProblemsText(r);
  }
  RecordedDiff Recorded(uint64_t from, uint64_t to, DiffFilter filter = {}) {
    auto d = DiffRecorded(db_.store(), from, to, filter);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? *d : RecordedDiff{};
  }
  ValidDiff Valid(const char* from, const char* to, DiffFilter filter = {}) {
    auto view = db_.store().Read();
    auto d = DiffValid(*view, *Date::Parse(from), *Date::Parse(to), filter);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? *d : ValidDiff{};
  }
  void ImportAt(const char* iso, const std::string& text, const std::string& origin) {
    db_.SetClock(iso);
    ImportOptions o;
    o.origin = origin;
    auto r = db_.Import(text, "edits.jsonl", o);
    ASSERT_FALSE(r.failed) << ProblemsText(r);
  }
  static const RecordedChange* Find(const RecordedDiff& d, const std::string& key) {
    for (const RecordedChange& c : d.changes) {
      if (!c.relationship && c.key == key) return &c;
    }
    return nullptr;
  }

  TestDb db_;
};

TEST_F(DiffTest, BetweenTwoRecordTimesShowsExactlyWhatAnImportChanged) {
  const uint64_t seeded = Micros("2026-01-01T00:00:00Z");
  ImportAt("2026-02-01T09:00:00Z", std::string(kAddedEvent) + "\n" + kRetitledEvent + "\n",
           "import edits.jsonl by alice");
  RecordedDiff d = Recorded(seeded, UINT64_MAX);
  EXPECT_EQ(d.to, Micros("2026-02-01T09:00:00Z"));
  ASSERT_EQ(d.commits.size(), 1u);
  EXPECT_EQ(d.commits[0].origin, "import edits.jsonl by alice");

  // The new event, with every property it was given; the retitled one, with its title only.
  const RecordedChange* added = Find(d, "event/2026-q1-test-new-measure");
  ASSERT_NE(added, nullptr) << RecordedDiffText(d);
  EXPECT_EQ(added->kind, ChangeKind::kAdded);
  EXPECT_EQ(added->labels, std::vector<std::string>{"Event"});
  auto title = std::find_if(added->properties.begin(), added->properties.end(),
                            [](const PropertyChange& p) { return p.name == "title"; });
  ASSERT_NE(title, added->properties.end());
  EXPECT_TRUE(title->before.is_null());
  EXPECT_EQ(title->after.as_string(), "A new measure known only to its quarter");
  ASSERT_EQ(added->commits.size(), 1u);
  EXPECT_EQ(added->commits[0].origin, "import edits.jsonl by alice");

  const RecordedChange* retitled = Find(d, "event/2025-10-cn-malaysia-refinery-discussion");
  ASSERT_NE(retitled, nullptr) << RecordedDiffText(d);
  EXPECT_EQ(retitled->kind, ChangeKind::kChanged);
  ASSERT_EQ(retitled->properties.size(), 1u) << RecordedDiffText(d);
  EXPECT_EQ(retitled->properties[0].name, "title");
  EXPECT_EQ(retitled->properties[0].before.as_string(), kSeedTitle);
  EXPECT_EQ(retitled->properties[0].after.as_string(),
            "China and Malaysia discuss a rare earth refinery (retitled)");
  EXPECT_FALSE(retitled->validity_changed);

  // Nothing else: two nodes, and the new event's relationships (to its actor and its source), all added.
  size_t nodes = 0;
  for (const RecordedChange& c : d.changes) {
    if (!c.relationship) {
      ++nodes;
      continue;
    }
    EXPECT_EQ(c.kind, ChangeKind::kAdded) << RecordedDiffText(d);
    EXPECT_EQ(c.start, "event/2026-q1-test-new-measure") << RecordedDiffText(d);
  }
  EXPECT_EQ(nodes, 2u) << RecordedDiffText(d);
  std::set<std::string> rel_types;
  for (const RecordedChange& c : d.changes) {
    if (c.relationship) rel_types.insert(c.type + " " + c.end);
  }
  EXPECT_TRUE(rel_types.count("INVOLVES actor/china")) << RecordedDiffText(d);
  EXPECT_EQ(d.total, d.changes.size());
  EXPECT_EQ(d.added + d.changed + d.removed, d.total);
  EXPECT_EQ(d.changed, 1u);

  // The range ending before the import holds none of it; the one starting after it neither.
  EXPECT_EQ(Recorded(seeded, Micros("2026-01-31T00:00:00Z")).total, 0u);
  EXPECT_TRUE(Recorded(Micros("2026-02-01T09:00:00Z"), UINT64_MAX).commits.empty());

  // The text names the commit and shows the title's old and new value.
  std::string text = RecordedDiffText(d);
  EXPECT_NE(text.find("import edits.jsonl by alice"), std::string::npos) << text;
  EXPECT_NE(text.find("title: '" + std::string(kSeedTitle) +
                      "' -> 'China and Malaysia discuss a rare earth refinery (retitled)'"),
            std::string::npos)
      << text;
}

TEST_F(DiffTest, AChangeUndoneWithinTheRangeIsNotListedAndEachCommitIsNamed) {
  const uint64_t seeded = Micros("2026-01-01T00:00:00Z");
  ImportAt("2026-02-01T09:00:00Z", std::string(kRetitledEvent) + "\n", "import a by alice");
  ImportAt("2026-02-02T09:00:00Z", std::string(kAddedEvent) + "\n", "import b by bob");
  // Undo the retitling: the seed's record again.
  std::string original = kRetitledEvent;
  const std::string retitled = "China and Malaysia discuss a rare earth refinery (retitled)";
  original.replace(original.find(retitled), retitled.size(), kSeedTitle);
  ImportAt("2026-02-03T09:00:00Z", original + "\n", "import c by carol");

  RecordedDiff all = Recorded(seeded, UINT64_MAX);
  EXPECT_EQ(all.commits.size(), 3u);
  EXPECT_EQ(Find(all, "event/2025-10-cn-malaysia-refinery-discussion"), nullptr) << RecordedDiffText(all);
  const RecordedChange* added = Find(all, "event/2026-q1-test-new-measure");
  ASSERT_NE(added, nullptr);
  ASSERT_EQ(added->commits.size(), 1u);
  EXPECT_EQ(added->commits[0].origin, "import b by bob");

  // Up to the first import only, the retitling shows.
  RecordedDiff first = Recorded(seeded, Micros("2026-02-01T09:00:00Z"));
  ASSERT_NE(Find(first, "event/2025-10-cn-malaysia-refinery-discussion"), nullptr);
  EXPECT_EQ(first.total, 1u) << RecordedDiffText(first);
  // And between the last two commits, the retitling undone.
  RecordedDiff last = Recorded(Micros("2026-02-02T09:00:00Z"), UINT64_MAX);
  const RecordedChange* undone = Find(last, "event/2025-10-cn-malaysia-refinery-discussion");
  ASSERT_NE(undone, nullptr);
  EXPECT_EQ(undone->properties.at(0).before.as_string(),
            "China and Malaysia discuss a rare earth refinery (retitled)");
  EXPECT_EQ(undone->commits.at(0).origin, "import c by carol");
}

TEST_F(DiffTest, RemovedNodesAndRelationshipsShowWhatTheyHeld) {
  db_.SetClock("2026-03-01T00:00:00Z");
  auto r =
      db_.Query("MATCH (e:Event {key: 'event/2025-10-cn-malaysia-refinery-discussion'}) DETACH DELETE e");
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  RecordedDiff d = Recorded(Micros("2026-01-01T00:00:00Z"), UINT64_MAX);
  const RecordedChange* removed = Find(d, "event/2025-10-cn-malaysia-refinery-discussion");
  ASSERT_NE(removed, nullptr) << RecordedDiffText(d);
  EXPECT_EQ(removed->kind, ChangeKind::kRemoved);
  auto title = std::find_if(removed->properties.begin(), removed->properties.end(),
                            [](const PropertyChange& p) { return p.name == "title"; });
  ASSERT_NE(title, removed->properties.end());
  EXPECT_TRUE(title->after.is_null());
  EXPECT_EQ(title->before.as_string(), kSeedTitle);
  // Its relationships went with it, each named by its ends.
  size_t rels = 0;
  for (const RecordedChange& c : d.changes) {
    if (!c.relationship) continue;
    ++rels;
    EXPECT_EQ(c.kind, ChangeKind::kRemoved);
    EXPECT_TRUE(c.start == removed->key || c.end == removed->key) << c.start << " " << c.end;
  }
  EXPECT_GE(rels, 3u) << RecordedDiffText(d);  // two actors, a project, a source
  EXPECT_EQ(d.removed, d.total);
}

TEST_F(DiffTest, FiltersAndTheLimitKeepTheCounts) {
  const uint64_t seeded = Micros("2026-01-01T00:00:00Z");
  ImportAt("2026-02-01T09:00:00Z", std::string(kAddedEvent) + "\n" + kRetitledEvent + "\n",
           "import by alice");
  RecordedDiff all = Recorded(seeded, UINT64_MAX);
  ASSERT_GE(all.total, 3u);

  DiffFilter events;
  events.labels = {"Event"};
  EXPECT_EQ(Recorded(seeded, UINT64_MAX, events).total, 2u);
  DiffFilter involves;
  involves.labels = {"INVOLVES"};
  RecordedDiff inv = Recorded(seeded, UINT64_MAX, involves);
  ASSERT_GE(inv.total, 1u);
  for (const RecordedChange& c : inv.changes) EXPECT_EQ(c.type, "INVOLVES");
  DiffFilter prefix;
  prefix.key_prefix = "event/2026-q1";
  RecordedDiff p = Recorded(seeded, UINT64_MAX, prefix);
  EXPECT_EQ(p.total, all.total - 1);  // all but the retitled event
  DiffFilter one;
  one.limit = 1;
  RecordedDiff limited = Recorded(seeded, UINT64_MAX, one);
  EXPECT_EQ(limited.changes.size(), 1u);
  EXPECT_EQ(limited.total, all.total);
  EXPECT_TRUE(limited.truncated());
  EXPECT_NE(RecordedDiffText(limited).find("more change(s) not listed"), std::string::npos);

  // Rows for the procedure diff.recorded: one per listed change, with exactly the documented columns.
  auto rows = RecordedDiffRows(all);
  ASSERT_EQ(rows.size(), all.changes.size());
  for (const ValueMap& row : rows) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : row) keys.push_back(k);
    std::vector<std::string> columns = RecordedDiffColumns();
    std::sort(columns.begin(), columns.end());
    EXPECT_EQ(keys, columns);
    EXPECT_EQ(row.at("origin").as_string(), "import by alice");
  }

  // A range that ends before it starts is refused, saying so.
  auto bad = DiffRecorded(db_.store(), Micros("2026-02-01T00:00:00Z"), seeded, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("before it starts"), std::string::npos);
}

TEST_F(DiffTest, BetweenTwoValidDatesTheOctoberPackageIsSuspended) {
  ValidDiff d = Valid("2025-10-01", "2025-12-01");
  auto find = [&](const std::string& key) -> const ValidChange* {
    for (const ValidChange& c : d.changes) {
      if (c.key == key) return &c;
    }
    return nullptr;
  };
  // Announced on 9 October for 8 November, suspended on 7 November: it never entered into force.
  const ValidChange* five = find("control/cn-2025-10-five-heavy-rare-earths");
  ASSERT_NE(five, nullptr) << ValidDiffText(d);
  EXPECT_FALSE(five->status_before.has_value());
  EXPECT_EQ(five->status_after.value_or("(none)"), "suspended");
  EXPECT_TRUE(five->began.empty());
  bool held_back = false, suspends = false;
  for (const LifecycleStep& s : five->steps) {
    held_back |= s.effect == "imposes" && s.held_back && s.at.ToString() == "2025-11-08";
    suspends |= s.effect == "suspends" && s.at.ToString() == "2025-11-07";
  }
  EXPECT_TRUE(held_back) << ValidDiffText(d);
  EXPECT_TRUE(suspends) << ValidDiffText(d);
  // In force from its day of issue until the suspension.
  const ValidChange* abroad = find("control/cn-2025-10-rare-earth-items-abroad-china-origin");
  ASSERT_NE(abroad, nullptr) << ValidDiffText(d);
  EXPECT_EQ(abroad->status_after.value_or("(none)"), "suspended");
  ASSERT_EQ(abroad->began.size(), 1u);
  EXPECT_EQ(abroad->began[0].on.ToString(), "2025-10-09");
  EXPECT_TRUE(abroad->began[0].certain);
  ASSERT_EQ(abroad->ended.size(), 1u);
  EXPECT_EQ(abroad->ended[0].on.ToString(), "2025-11-07");
  // Its package: no status before its announcement, suspended after.
  const ValidChange* package = find("announcement/mofcom-2025-61");
  ASSERT_NE(package, nullptr) << ValidDiffText(d);
  EXPECT_FALSE(package->status_before.has_value());
  EXPECT_EQ(package->status_after.value_or("(none)"), "suspended");
  // The April 2025 controls were in force throughout: not listed.
  EXPECT_EQ(find("control/cn-2025-04-rare-earth-export-controls"), nullptr);
  // Every listed measure did move: a different status, or something took hold in between.
  for (const ValidChange& c : d.changes) {
    if (c.label != "Control") continue;
    EXPECT_TRUE(c.status_before != c.status_after || !c.steps.empty() || !c.began.empty() || !c.ended.empty())
        << c.key;
  }
  std::string text = ValidDiffText(d);
  EXPECT_NE(text.find("control/cn-2025-10-five-heavy-rare-earths"), std::string::npos);
  EXPECT_NE(text.find("held back"), std::string::npos) << text;

  // Filters, rows, and a range the wrong way round.
  DiffFilter controls;
  controls.labels = {"Announcement"};
  for (const ValidChange& c : Valid("2025-10-01", "2025-12-01", controls).changes)
    EXPECT_EQ(c.label, "Announcement");
  EXPECT_EQ(ValidDiffRows(d).size(), d.changes.size());
  auto view = db_.store().Read();
  auto bad = DiffValid(*view, *Date::Parse("2025-12-01"), *Date::Parse("2025-10-01"), {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("must be before"), std::string::npos);
}

// The language form: CALL diff.recorded / diff.valid give the rows of the same diff.
TEST_F(DiffTest, TheProceduresGiveTheSameChangesAsTheDiff) {
  ImportAt("2026-02-01T09:00:00Z", std::string(kAddedEvent) + "\n" + kRetitledEvent + "\n",
           "import edits.jsonl by alice");
  RecordedDiff d = Recorded(Micros("2026-01-01T00:00:00Z"), UINT64_MAX);
  ExecResult r = db_.Query(
      "CALL diff.recorded(datetime('2026-01-01T00:00:00Z')) YIELD change, entity, key, origin "
      "RETURN change, entity, key, origin");
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  ASSERT_EQ(r.result.rows.size(), d.total);
  std::multiset<std::string> got, want;
  for (const auto& row : r.result.rows) {
    got.insert(row[0].as_string() + " " + row[1].as_string() + " " +
               (row[2].is_null() ? "" : row[2].as_string()));
    EXPECT_EQ(row[3].as_string(), "import edits.jsonl by alice");
  }
  for (const RecordedChange& c : d.changes)
    want.insert(std::string(ChangeKindName(c.kind)) + (c.relationship ? " relationship " : " node ") + c.key);
  EXPECT_EQ(got, want);
  // A string naming a date means the end of that day, as KNOWN AT reads it: nothing after 2026-02-01.
  r = db_.Query("CALL diff.recorded('2026-02-01') YIELD key RETURN count(key) AS n");
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  EXPECT_EQ(r.result.rows[0][0].as_int(), 0);

  r = db_.Query(
      "CALL diff.valid(date('2025-10-01'), date('2025-12-01')) YIELD key, status_after "
      "WHERE key = 'control/cn-2025-10-five-heavy-rare-earths' RETURN status_after");
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  ASSERT_EQ(r.result.rows.size(), 1u);
  EXPECT_EQ(r.result.rows[0][0].as_string(), "suspended");

  r = db_.Query("CALL diff.valid('2025-12-01', '2025-10-01')");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error->formatted.find("diff.valid"), std::string::npos) << r.error->formatted;
  r = db_.Query("CALL diff.recorded(42)");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error->formatted.find("must be a date-time, a date or a string"), std::string::npos)
      << r.error->formatted;
}

TEST_F(DiffTest, ParsesTheApiParametersAndNamesTheOneAtFault) {
  using P = std::multimap<std::string, std::string>;
  auto r =
      ParseDiffRequest(P{{"mode", "valid"}, {"from", "2025-10-01"}, {"to", "2025-12"}, {"label", "Control"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->valid);
  EXPECT_EQ(r->to_date.ToString(), "2025-12");
  EXPECT_EQ(r->filter.labels, std::vector<std::string>{"Control"});
  EXPECT_EQ(r->filter.limit, 200u);
  auto message = [](const P& p) {
    auto x = ParseDiffRequest(p);
    return x.ok() ? std::string("(accepted)") : x.status().message();
  };
  EXPECT_NE(message({}).find("'mode' is required"), std::string::npos);
  EXPECT_NE(message({{"mode", "both"}, {"from", "x"}}).find("'mode' may not be 'both'"), std::string::npos);
  EXPECT_NE(message({{"mode", "recorded"}}).find("'from'"), std::string::npos);
  EXPECT_NE(message({{"mode", "recorded"}, {"from", "yesterday"}}).find("'from' is not a record time"),
            std::string::npos);
  EXPECT_NE(message({{"mode", "valid"}, {"from", "2025-10-01"}}).find("'to'"), std::string::npos);
  EXPECT_NE(message({{"mode", "valid"}, {"from", "2025-13"}, {"to", "2026"}}).find("'from': '2025-13'"),
            std::string::npos);
  EXPECT_NE(message({{"mode", "recorded"}, {"from", "2026-02-01"}, {"to", "2026-01-01"}}).find("before"),
            std::string::npos);
  EXPECT_NE(message({{"mode", "recorded"}, {"from", "2026-01-01"}, {"limit", "0"}}).find("'limit'"),
            std::string::npos);
  EXPECT_NE(message({{"mode", "recorded"}, {"from", "2026-01-01"}, {"since", "x"}})
                .find("unknown parameter 'since'"),
            std::string::npos);
}

}  // namespace
}  // namespace lodestone::domain
