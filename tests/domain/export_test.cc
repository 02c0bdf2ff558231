#include "domain/export.h"

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/domain/test_util.h"

namespace lodestone::domain {
namespace {

using testing::ProblemsText;
using testing::Snapshot;
using testing::TestDb;

std::string ExportText(TestDb& t, ExportFormat f, const Subgraph& part = {}) {
  std::ostringstream out;
  auto view = t.store().Read();
  Result<ExportStats> s = ExportStats{};
  if (f == ExportFormat::kJsonLines) s = ExportJsonLines(*view, part, out);
  if (f == ExportFormat::kGraphML) s = ExportGraphML(*view, part, out);
  if (f == ExportFormat::kDot) s = ExportDot(*view, part, out);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return out.str();
}

void ExpectSameGraph(TestDb& a, TestDb& b) {
  auto sa = Snapshot(a.store()), sb = Snapshot(b.store());
  EXPECT_EQ(sa.nodes.size(), sb.nodes.size());
  EXPECT_EQ(sa.rels.size(), sb.rels.size());
  for (const auto& n : sa.nodes) EXPECT_TRUE(sb.nodes.count(n)) << "missing after the round trip: " << n;
  for (const auto& n : sb.nodes) EXPECT_TRUE(sa.nodes.count(n)) << "new after the round trip: " << n;
  for (const auto& r : sa.rels) EXPECT_TRUE(sb.rels.count(r)) << "missing after the round trip: " << r;
  for (const auto& r : sb.rels) EXPECT_TRUE(sa.rels.count(r)) << "new after the round trip: " << r;
}

TEST(Export, SeedRoundTripsThroughJsonLines) {
  TestDb a("a");
  ASSERT_FALSE(a.LoadSeed().failed);
  std::string text = ExportText(a, ExportFormat::kJsonLines);
  TestDb b("b");
  ImportReport r = b.Import(text, "export.jsonl");
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  EXPECT_EQ(r.rejected, 0u);
  ExpectSameGraph(a, b);
  // Exporting the copy gives the same text.
  EXPECT_EQ(ExportText(b, ExportFormat::kJsonLines), text);
}

TEST(Export, GeneratedGraphRoundTrips) {
  // A random graph with extension labels, parallel keyed relationships, multi-period validity,
  // events with roles and effects, and every date precision.
  std::mt19937 rng(7);
  std::string text =
      R"({"schema": {"labels": {"Facility": {"prefix": "facility/", "required": ["name"], "properties": {"name": "string", "capacity": "number", "open": "boolean"}}}, "relationships": {"OPERATES": {"from": ["Actor"], "to": ["Facility"], "properties": {"share": "confidence"}}}}})"
      "\n";
  text += R"({"node": "source/s0", "labels": ["Source"], "props": {"title": "S0", "published": "2026"}})"
          "\n";
  text +=
      R"({"node": "source/s1", "labels": ["Source"], "props": {"title": "S1 \"quoted\" <b>", "authors": ["A", "B"]}})"
      "\n";
  const char* dates[] = {"2024", "2024-H2", "2025-Q1", "2025-03", "2025-03-15"};
  for (int i = 0; i < 40; ++i) {
    std::string k = std::to_string(i);
    text += R"({"node": "actor/a)" + k + R"(", "labels": ["Actor"], "props": {"name": "Actor )" + k +
            R"(", "aliases": ["A)" + k + R"("], "confidence": 0.)" + std::to_string(rng() % 9 + 1) +
            R"(}, "valid_from": ")" + dates[rng() % 5] + R"(", "sources": ["source/s)" +
            std::to_string(i % 2) +
            R"("]})"
            "\n";
    text +=
        R"({"node": "facility/f)" + k + R"(", "labels": ["Facility"], "props": {"name": "F )" + k +
        R"(", "capacity": )" + std::to_string(rng() % 1000) + R"(, "open": )" + (i % 2 ? "true" : "false") +
        R"(}, "validity": [{"from": "2020", "to": "2021"}, {"from": "2023-05", "to": null}], "sources": ["source/s0", "source/s1"]})"
        "\n";
  }
  for (int i = 0; i < 60; ++i) {
    int a = static_cast<int>(rng() % 40), f = static_cast<int>(rng() % 40);
    text += R"({"rel": "OPERATES", "from": "actor/a)" + std::to_string(a) + R"(", "to": "facility/f)" +
            std::to_string(f) + R"(", "key": "k)" + std::to_string(i) +
            R"(", "props": {"share": 0.5}, "sources": ["source/s1"]})"
            "\n";
  }
  text +=
      R"({"node": "control/c", "labels": ["Control"], "props": {"name": "C", "announced": "2025-01"}, "sources": ["source/s0"]})"
      "\n";
  text +=
      R"({"event": "event/e1", "date": "2025-02", "title": "Imposed", "event_kind": "imposition", "involves": [{"actor": "actor/a1", "role": "imposer", "confidence": 0.7}, "actor/a2"], "affects": [{"control": "control/c", "effect": "imposes", "note": "n"}], "sources": ["source/s1", "source/s0"], "props": {"location": "L", "date_text": "early"}})"
      "\n";
  text +=
      R"({"event": "event/e2", "date": "2025-Q3", "title": "Suspended", "affects": [{"control": "control/c", "effect": "suspends"}], "sources": ["source/s0"]})"
      "\n";
  text +=
      R"({"rel": "LED_TO", "from": "event/e1", "to": "event/e2", "props": {"confidence": 0.5}, "sources": ["source/s0"]})"
      "\n";
  text +=
      R"({"rel": "INVOLVES", "from": "event/e2", "to": "actor/a3", "valid_from": "2025-08", "sources": ["source/s1"]})"
      "\n";
  TestDb a("a");
  ImportReport r = a.Import(text, "gen.jsonl");
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  std::string exported = ExportText(a, ExportFormat::kJsonLines);
  TestDb b("b");
  r = b.Import(exported, "export.jsonl");
  ASSERT_FALSE(r.failed) << ProblemsText(r);
  ExpectSameGraph(a, b);
}

TEST(Export, GraphMLIsWellFormedXml) {
  TestDb t;
  ASSERT_FALSE(t.LoadSeed().failed);
  std::string xml = ExportText(t, ExportFormat::kGraphML);
  EXPECT_NE(xml.find("<key id=\"np_name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("attr.name=\"confidence\" attr.type=\"double\""), std::string::npos);
  std::string path = t.dir().Sub("seed.graphml");
  std::ofstream(path) << xml;
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) GTEST_SKIP() << "xmllint is not installed";
  EXPECT_EQ(std::system(("xmllint --noout " + path).c_str()), 0) << "xmllint rejected " << path;
}

TEST(Export, DotRendersWithGraphviz) {
  TestDb t;
  ASSERT_FALSE(t.LoadSeed().failed);
  std::string dot = ExportText(t, ExportFormat::kDot);
  EXPECT_EQ(dot.rfind("digraph lodestone {", 0), 0u);
  std::string path = t.dir().Sub("seed.dot");
  std::ofstream(path) << dot;
  if (std::system("command -v dot >/dev/null 2>&1") != 0) GTEST_SKIP() << "graphviz is not installed";
  EXPECT_EQ(std::system(("dot -Tsvg " + path + " -o " + t.dir().Sub("seed.svg")).c_str()), 0);
}

TEST(Export, CsvHasNodesAndRelationships) {
  TestDb t;
  ASSERT_FALSE(t.LoadSeed().failed);
  std::ostringstream nodes, rels;
  auto view = t.store().Read();
  auto s = ExportCsv(*view, {}, nodes, rels);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->nodes, 488u);  // the seed and commodities.jsonl
  EXPECT_EQ(nodes.str().rfind("key,labels,valid_from,valid_to,", 0), 0u);
  EXPECT_EQ(rels.str().rfind("type,from,to,key,valid_from,valid_to,", 0), 0u);
  EXPECT_NE(nodes.str().find("actor/china,Actor,,,"), std::string::npos);
}

TEST(Export, QuerySubgraphImportsOnItsOwn) {
  TestDb t;
  ASSERT_FALSE(t.LoadSeed().failed);
  ExecResult q = t.Query("MATCH (a:Actor {key: 'actor/china'})-[r:IMPOSED]->(c:Control) RETURN a, r, c");
  ASSERT_TRUE(q.ok()) << q.error->formatted;
  Subgraph part = SubgraphOf(q.result);
  // China imposed nine measures: the 2023 technology ban, the April 2025 controls and the seven October
  // 2025 measures.
  EXPECT_EQ(part.rels.size(), 9u);
  std::string text = ExportText(t, ExportFormat::kJsonLines, part);
  TestDb b("b");
  ImportReport r = b.Import(text, "part.jsonl");
  ASSERT_FALSE(r.failed) << ProblemsText(r) << text;
  ExecResult c = b.Query("MATCH (:Actor)-[r:IMPOSED]->(:Control) RETURN count(r)");
  EXPECT_EQ(c.result.rows[0][0].as_int(), 9);
}

}  // namespace
}  // namespace lodestone::domain
