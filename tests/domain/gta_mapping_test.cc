// docs/gta/: the documented mapping of a GTA-shaped CSV export (one row per intervention) imports
// the example file into announcements, measures, jurisdictions with their basis, HS codes and
// lifecycle events, and a malformed row is named by line and column.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "domain/tabular.h"
#include "query/result_format.h"
#include "tests/domain/test_util.h"

namespace lodestone::domain {
namespace {

using testing::TestDb;

std::string Doc(const std::string& name) {
  std::ifstream in(std::string(LODESTONE_SOURCE_DIR) + "/docs/gta/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The actors the example's jurisdictions name, keyed by the slug of their GTA names.
constexpr const char* kActors =
    R"({"node": "source/t", "labels": ["Source"], "props": {"title": "Test actors"}}
{"node": "actor/atlantis", "labels": ["Actor"], "props": {"name": "Atlantis"}, "sources": ["source/t"]}
{"node": "actor/lemuria", "labels": ["Actor"], "props": {"name": "Lemuria"}, "sources": ["source/t"]}
{"node": "actor/mu", "labels": ["Actor"], "props": {"name": "Mu"}, "sources": ["source/t"]}
)";

std::vector<std::vector<std::string>> Rows(TestDb& t, const std::string& q) {
  auto r = t.Query(q);
  EXPECT_TRUE(r.ok()) << q << ": " << (r.error ? r.error->message : "");
  std::vector<std::vector<std::string>> out;
  for (const auto& row : r.result.rows) {
    std::vector<std::string> cells;
    for (const Value& v : row) cells.push_back(ValueToText(v, &r.result));
    out.push_back(cells);
  }
  return out;
}

ImportReport ImportGta(TestDb& t, const std::string& csv) {
  ImportInput actors{"actors.jsonl", kActors, InputKind::kJsonLines, std::nullopt, ""};
  ImportInput gta{"gta.csv", csv, InputKind::kCsv, Doc("gta-interventions.mapping.json"),
                  "gta-interventions.mapping.json"};
  ImportOptions opt;
  opt.origin = "import gta.csv";
  return Import(t.db(), {actors, gta}, opt);
}

TEST(GtaMapping, TheExampleBecomesMeasuresOfTheirAnnouncements) {
  TestDb t;
  ASSERT_FALSE(t.LoadSeed().failed);  // the HS codes
  ImportReport r = ImportGta(t, Doc("gta-interventions.example.csv"));
  ASSERT_FALSE(r.failed) << testing::ProblemsText(r);
  // Two state acts, three interventions: the shared announcement and source are read once.
  EXPECT_EQ(
      Rows(t,
           "MATCH (c:Control)-[:ANNOUNCED_IN]->(a:Announcement) WHERE c.key STARTS WITH 'control/gta-' "
           "RETURN a.key, c.key, c.intervention_type, c.mast_code, c.evaluation ORDER BY c.key"),
      (std::vector<std::vector<std::string>>{
          {"announcement/gta-90001", "control/gta-190001", "export_licensing_requirement", "P33", "red"},
          {"announcement/gta-90001", "control/gta-190002", "export_ban", "P31", "red"},
          {"announcement/gta-90002", "control/gta-190003", "general_licence", "P33", "green"}}));
  // Each measure has its own lifecycle from its dates.
  EXPECT_EQ(Rows(t,
                 "MATCH (c:Control) WHERE c.key STARTS WITH 'control/gta-' RETURN c.key, status(c, "
                 "date('2025-06-01')), "
                 "status(c, date('2025-12-01')) ORDER BY c.key"),
            (std::vector<std::vector<std::string>>{{"control/gta-190001", "in_force", "in_force"},
                                                   {"control/gta-190002", "in_force", "lifted"},
                                                   {"control/gta-190003", "null", "announced"}}));
  EXPECT_EQ(
      Rows(t,
           "MATCH (a:Announcement {key: 'announcement/gta-90001'}) RETURN package_status(a, "
           "date('2025-04-15')), "
           "package_status(a, date('2025-06-01')), package_status(a, date('2025-10-01')), a.official"),
      (std::vector<std::vector<std::string>>{{"partly_in_force", "in_force", "partly_in_force", "true"}}));
  // Jurisdictions with their basis, HS codes covered.
  EXPECT_EQ(Rows(t,
                 "MATCH (c:Control {key: 'control/gta-190001'})-[t:TARGETS]->(a:Actor) RETURN a.key, t.basis "
                 "ORDER BY a.key, t.basis"),
            (std::vector<std::vector<std::string>>{
                {"actor/lemuria", "inferred"}, {"actor/lemuria", "targeted"}, {"actor/mu", "inferred"}}));
  EXPECT_EQ(Rows(t,
                 "MATCH (c:Control {key: 'control/gta-190001'})-[:COVERS]->(h:HsCode) RETURN h.code ORDER BY "
                 "h.code"),
            (std::vector<std::vector<std::string>>{{"280530"}, {"850511"}}));
  EXPECT_EQ(Rows(t, "MATCH (:Actor {key: 'actor/atlantis'})-[:ISSUED]->(a:Announcement) RETURN count(a)"),
            (std::vector<std::vector<std::string>>{{"2"}}));
  // Importing the same file again changes nothing.
  ImportReport again = ImportGta(t, Doc("gta-interventions.example.csv"));
  ASSERT_FALSE(again.failed) << testing::ProblemsText(again);
  EXPECT_EQ(again.created + again.updated, 0u);
}

TEST(GtaMapping, AMalformedRowIsNamedAndNothingIsWritten) {
  TestDb t;
  ASSERT_FALSE(t.LoadSeed().failed);
  auto before = testing::Snapshot(t.store());
  std::string csv = Doc("gta-interventions.example.csv");
  // A five-digit HS code on the third line.
  size_t at = csv.find("280530", csv.find("190002"));
  csv.replace(at, 6, "28053");
  ImportReport r = ImportGta(t, csv);
  ASSERT_TRUE(r.failed);
  ASSERT_FALSE(r.problems.empty());
  EXPECT_EQ(r.problems[0].file, "gta.csv");
  EXPECT_EQ(r.problems[0].line, 3);
  EXPECT_EQ(r.problems[0].field, "to") << r.problems[0].ToString();
  EXPECT_NE(r.problems[0].message.find("hs/28053 is not a valid HsCode key"), std::string::npos)
      << r.problems[0].ToString();
  EXPECT_EQ(testing::Snapshot(t.store()).nodes, before.nodes);
}

}  // namespace
}  // namespace lodestone::domain
