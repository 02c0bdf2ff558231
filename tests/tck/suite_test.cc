// Reads the whole vendored suite: every feature parses, every scenario id is unique, every step is
// one the runner knows (procedure declarations aside), and every value in every result, parameter
// and side-effect table is readable.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/tck/compare.h"
#include "tests/tck/gherkin.h"
#include "tests/tck/runner.h"
#include "tests/tck/side_effects.h"
#include "tests/tck/tck_value.h"

namespace lodestone::tck {
namespace {

namespace fs = std::filesystem;

std::vector<Feature> LoadAll() {
  std::vector<Feature> out;
  const fs::path root = LODESTONE_TCK_DIR;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root / "features")) {
    if (e.path().extension() == ".feature") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& p : files) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    auto f = ParseFeature(s.str(), fs::relative(p, root).generic_string());
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    if (f.ok()) out.push_back(std::move(f).value());
  }
  return out;
}

TEST(Suite, EveryFeatureParsesAndEveryTableIsReadable) {
  const std::vector<Feature> features = LoadAll();
  EXPECT_GE(features.size(), 200u);
  std::set<std::string> ids;
  size_t scenarios = 0;
  size_t procedure_scenarios = 0;
  for (const Feature& f : features) {
    for (const Scenario& s : f.scenarios) {
      ++scenarios;
      EXPECT_TRUE(ids.insert(s.id).second) << "duplicate id " << s.id;
      bool has_procedure = false;
      for (const Step& step : s.steps) {
        const StepType st = ClassifyStep(step.text);
        EXPECT_NE(st.type, StepType::Type::kUnknown) << s.id << ": " << step.text;
        switch (st.type) {
          case StepType::Type::kProcedure:
            has_procedure = true;
            break;
          case StepType::Type::kResult: {
            ASSERT_TRUE(step.table) << s.id;
            auto t = ParseExpectedTable(*step.table);
            EXPECT_TRUE(t.ok()) << s.id << ": " << t.status().ToString();
            break;
          }
          case StepType::Type::kParameters:
            ASSERT_TRUE(step.table) << s.id;
            for (const auto& row : step.table->rows) {
              ASSERT_EQ(row.size(), 2u) << s.id;
              auto v = ParseTckValue(row[1]);
              EXPECT_TRUE(v.ok()) << s.id << ": " << v.status().ToString();
              if (v.ok()) {
                EXPECT_TRUE(ToEngineValue(*v).ok()) << s.id;
              }
            }
            break;
          case StepType::Type::kSideEffects: {
            ASSERT_TRUE(step.table) << s.id;
            auto e = ParseSideEffects(*step.table);
            EXPECT_TRUE(e.ok()) << s.id << ": " << e.status().ToString();
            break;
          }
          case StepType::Type::kHavingExecuted:
          case StepType::Type::kQuery:
          case StepType::Type::kControlQuery:
            EXPECT_TRUE(step.doc_string) << s.id;
            break;
          default:
            break;
        }
      }
      procedure_scenarios += has_procedure ? 1 : 0;
    }
  }
  EXPECT_GE(scenarios, 3000u);
  std::cout << features.size() << " features, " << scenarios << " scenarios (" << procedure_scenarios
            << " declare test procedures)\n";
}

TEST(Suite, TierOneListsExistingFeatures) {
  const fs::path root = LODESTONE_TCK_DIR;
  std::ifstream in(root / "tier1.txt");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    EXPECT_TRUE(fs::exists(root / line)) << line;
    ++n;
  }
  EXPECT_GT(n, 0);
}

}  // namespace
}  // namespace lodestone::tck
