// The lodestone binary as a user runs it: init (twice, from another directory), import of a broken
// file, export to DOT (rendered by Graphviz), GraphML (checked by xmllint) and JSON Lines (round trip).
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "tests/cli/run_cli.h"
#include "tests/support/temp_dir.h"

namespace {

using lodestone::testing::Lodestone;
using lodestone::testing::Ran;
using lodestone::testing::Sh;

bool Have(const char* tool) { return Sh(std::string("command -v ") + tool).status == 0; }

TEST(Cli, InitLoadsTheSeedOnceFromAnyDirectory) {
  lodestone::testing::TempDir dir;
  std::string db = dir.Sub("db");
  Ran first = Sh("cd / && " + Lodestone(db) + " init");
  ASSERT_EQ(first.status, 0) << first.out;
  // The seed, the commodity ontology and the dataset: 533 + 767 + 269 records.
  EXPECT_NE(first.out.find("seed: created 1569, updated 0, unchanged 0, rejected 0"), std::string::npos)
      << first.out;
  Ran again = Sh(Lodestone(db) + " init");
  ASSERT_EQ(again.status, 0) << again.out;
  EXPECT_NE(again.out.find("created 0, updated 0, unchanged 1569"), std::string::npos) << again.out;
  Ran q = Sh(
      Lodestone(db) +
      " query --format csv \"MATCH (c:Control) RETURN c.key, status(c, date('2025-12-01')) ORDER BY c.key\"");
  ASSERT_EQ(q.status, 0) << q.out;
  // In force from 9 October 2025, suspended on 7 November; and one scheduled for 8 November, suspended
  // before.
  EXPECT_NE(q.out.find("\ncontrol/cn-2025-10-rare-earth-items-abroad-china-origin,suspended\n"),
            std::string::npos)
      << q.out;
  EXPECT_NE(q.out.find("\ncontrol/cn-2025-10-five-heavy-rare-earths,suspended\n"), std::string::npos)
      << q.out;
  EXPECT_NE(q.out.find("\ncontrol/cn-2025-04-rare-earth-export-controls,in_force\n"), std::string::npos)
      << q.out;
  // The dataset's measures: the December 2024 ban on exports to the US, suspended on 9 November 2025.
  EXPECT_NE(q.out.find("\ncontrol/cn-2024-12-us-gallium-germanium-antimony-superhard-ban,suspended\n"),
            std::string::npos)
      << q.out;
}

TEST(Cli, InitWithoutTheDataset) {
  lodestone::testing::TempDir dir;
  std::string db = dir.Sub("db");
  Ran first = Sh(Lodestone(db) + " init --no-dataset");
  ASSERT_EQ(first.status, 0) << first.out;
  EXPECT_NE(first.out.find("seed: created 1300, updated 0, unchanged 0, rejected 0"), std::string::npos)
      << first.out;
  // Adding the dataset later adds exactly its records and changes none of the seed's.
  Ran full = Sh(Lodestone(db) + " init");
  ASSERT_EQ(full.status, 0) << full.out;
  EXPECT_NE(full.out.find("seed: created 269, updated 0, unchanged 1300"), std::string::npos) << full.out;
}

TEST(Cli, ACacheSizeBeyondRangeIsRefused) {
  lodestone::testing::TempDir dir;
  std::string db = dir.Sub("db");
  Ran huge = Sh(Lodestone(db) + " --cache-mib 17592186044416 stats");  // 2^44 MiB: 2^64 bytes
  EXPECT_NE(huge.status, 0);
  EXPECT_NE(huge.out.find("--cache-mib"), std::string::npos) << huge.out;
  EXPECT_NE(huge.out.find("1048576"), std::string::npos) << huge.out;
}

TEST(Cli, BrokenImportWritesNothingAndSaysWhere) {
  lodestone::testing::TempDir dir;
  std::string db = dir.Sub("db");
  ASSERT_EQ(Sh(Lodestone(db) + " init").status, 0);
  std::string file = dir.Sub("broken.jsonl");
  std::ofstream(file)
      << R"({"node": "actor/kz", "labels": ["Actor"], "props": {"name": "Kazakhstan", "actor_kind": "cuntry"}, "sources": ["source/ref-general-background"]})"
         "\n"
      << R"({"node": "actor/mn", "labels": ["Actor"], "props": {"name": "Mongolia"}, "sources": ["source/ref-general-background"]})"
         "\n";
  Ran r = Sh(Lodestone(db) + " import " + file);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("broken.jsonl, line 1, field props.actor_kind: 'cuntry' is not an actor kind; "
                       "expected one of country"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("nothing was written"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--skip-bad"), std::string::npos) << r.out;
  Ran dry = Sh(Lodestone(db) + " import --dry-run --skip-bad " + file);
  EXPECT_NE(dry.out.find("would create node actor/mn"), std::string::npos) << dry.out;
  Ran skip = Sh(Lodestone(db) + " import --skip-bad " + file);
  EXPECT_EQ(skip.status, 3) << skip.out;
  EXPECT_NE(skip.out.find("created 1, updated 0, unchanged 0, rejected 1"), std::string::npos) << skip.out;
}

TEST(Cli, ExportsRenderAndRoundTrip) {
  lodestone::testing::TempDir dir;
  std::string db = dir.Sub("db"), copy = dir.Sub("copy");
  ASSERT_EQ(Sh(Lodestone(db) + " init").status, 0);
  if (Have("dot")) {
    Ran dot = Sh(Lodestone(db) + " export --format dot | dot -Tsvg -o " + dir.Sub("g.svg"));
    EXPECT_EQ(dot.status, 0) << dot.out;
  }
  ASSERT_EQ(Sh(Lodestone(db) + " export --format graphml --out " + dir.Sub("g.graphml")).status, 0);
  if (Have("xmllint")) {
    Ran xml = Sh("xmllint --noout " + dir.Sub("g.graphml"));
    EXPECT_EQ(xml.status, 0) << xml.out;
  }
  ASSERT_EQ(Sh(Lodestone(db) + " export --out " + dir.Sub("a.jsonl")).status, 0);
  ASSERT_EQ(Sh(Lodestone(copy) + " init --no-seed").status, 0);
  Ran imp = Sh(Lodestone(copy) + " import " + dir.Sub("a.jsonl"));
  ASSERT_EQ(imp.status, 0) << imp.out;
  ASSERT_EQ(Sh(Lodestone(copy) + " export --out " + dir.Sub("b.jsonl")).status, 0);
  Ran diff = Sh("cmp " + dir.Sub("a.jsonl") + " " + dir.Sub("b.jsonl"));
  EXPECT_EQ(diff.status, 0) << diff.out;
  Ran csv = Sh(Lodestone(db) + " export --format csv --out " + dir.Sub("csv") + " && head -1 " +
               dir.Sub("csv/nodes.csv"));
  EXPECT_NE(csv.out.find("key,labels,valid_from,valid_to"), std::string::npos) << csv.out;
  Ran rows =
      Sh(Lodestone(db) +
         " export --format csv --query \"MATCH (c:Control) RETURN c.key AS control ORDER BY control\"");
  EXPECT_NE(rows.out.find("control\ncontrol/cn-2023-08-gallium-germanium-export-controls\ncontrol/"
                          "cn-2023-12-graphite-export-controls\n"
                          "control/cn-2023-12-rare-earth-technology-export-ban\n"),
            std::string::npos)
      << rows.out;
}

}  // namespace
