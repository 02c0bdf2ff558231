#include "tests/tck/gherkin.h"

#include <gtest/gtest.h>

namespace lodestone::tck {
namespace {

Feature Parse(const std::string& text, const std::string& path = "features/x/X.feature") {
  auto f = ParseFeature(text, path);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return f.ok() ? std::move(f).value() : Feature{};
}

TEST(Gherkin, ScenarioWithDocStringAndTable) {
  Feature f = Parse(R"(#encoding: utf-8
# a comment
Feature: X1 - Things

  Scenario: [1] Return something
    Given an empty graph
    And having executed:
      """
      CREATE (:A {name: 'a'})
      """
    When executing query:
      """
      MATCH (n)
        RETURN n
      """
    Then the result should be, in any order:
      | n                |
      | (:A {name: 'a'}) |
    And no side effects
)");
  EXPECT_EQ(f.name, "X1 - Things");
  ASSERT_EQ(f.scenarios.size(), 1u);
  const Scenario& s = f.scenarios[0];
  EXPECT_EQ(s.id, "features/x/X.feature: [1] Return something");
  EXPECT_EQ(s.example, 0);
  EXPECT_EQ(s.line, 5);
  ASSERT_EQ(s.steps.size(), 5u);
  EXPECT_EQ(s.steps[0].kind, Step::Kind::kGiven);
  EXPECT_EQ(s.steps[0].text, "an empty graph");
  EXPECT_EQ(s.steps[1].kind, Step::Kind::kGiven);  // And after Given
  EXPECT_EQ(s.steps[1].keyword, "And");
  EXPECT_EQ(*s.steps[1].doc_string, "CREATE (:A {name: 'a'})");
  EXPECT_EQ(s.steps[2].kind, Step::Kind::kWhen);
  EXPECT_EQ(*s.steps[2].doc_string, "MATCH (n)\n  RETURN n");  // dedented by the fence's indentation
  EXPECT_EQ(s.steps[3].kind, Step::Kind::kThen);
  ASSERT_TRUE(s.steps[3].table.has_value());
  EXPECT_EQ(s.steps[3].table->rows, (std::vector<std::vector<std::string>>{{"n"}, {"(:A {name: 'a'})"}}));
  EXPECT_EQ(s.steps[4].kind, Step::Kind::kThen);
  EXPECT_FALSE(s.steps[4].table.has_value());
}

TEST(Gherkin, OutlineExpandsEachExampleRow) {
  Feature f = Parse(R"(Feature: Outlines
  @tagged
  Scenario Outline: [2] Add <a> and <b>
    Given any graph
    When executing query:
      """
      RETURN <a> + <b> AS sum, '<notacolumn>' AS x
      """
    Then the result should be, in any order:
      | sum   | x              |
      | <sum> | '<notacolumn>' |

    Examples:
      | a | b | sum |
      | 1 | 2 | 3   |
      | 2 | 2 | 4   |

    @more
    Examples: more
      | a   | b | sum |
      | 1.5 | 1 | 2.5 |
)");
  ASSERT_EQ(f.scenarios.size(), 3u);
  const Scenario& s1 = f.scenarios[0];
  EXPECT_EQ(s1.name, "[2] Add <a> and <b>");
  EXPECT_EQ(s1.expanded_name, "[2] Add 1 and 2");
  EXPECT_EQ(s1.example, 1);
  EXPECT_EQ(s1.id, "features/x/X.feature: [2] Add <a> and <b> [example 1]");
  EXPECT_EQ(*s1.steps[1].doc_string, "RETURN 1 + 2 AS sum, '<notacolumn>' AS x");
  EXPECT_EQ(s1.steps[2].table->rows[1], (std::vector<std::string>{"3", "'<notacolumn>'"}));
  EXPECT_EQ(s1.tags, std::vector<std::string>{"@tagged"});
  EXPECT_EQ(s1.line, 15);

  EXPECT_EQ(f.scenarios[1].id, "features/x/X.feature: [2] Add <a> and <b> [example 2]");
  EXPECT_EQ(*f.scenarios[1].steps[1].doc_string, "RETURN 2 + 2 AS sum, '<notacolumn>' AS x");

  // Numbering continues across Examples blocks; the block's tags are added.
  const Scenario& s3 = f.scenarios[2];
  EXPECT_EQ(s3.example, 3);
  EXPECT_EQ(s3.id, "features/x/X.feature: [2] Add <a> and <b> [example 3]");
  EXPECT_EQ(*s3.steps[1].doc_string, "RETURN 1.5 + 1 AS sum, '<notacolumn>' AS x");
  EXPECT_EQ(s3.steps[2].table->rows[1][0], "2.5");
  EXPECT_EQ(s3.tags, (std::vector<std::string>{"@tagged", "@more"}));
}

TEST(Gherkin, SubstitutedValuesAreNotSubstitutedAgain) {
  Feature f = Parse(R"(Feature: F
  Scenario Outline: o
    When executing query:
      """
      RETURN <a>, <b>
      """
    Then the result should be empty
    Examples:
      | a   | b |
      | <b> | 1 |
)");
  ASSERT_EQ(f.scenarios.size(), 1u);
  EXPECT_EQ(*f.scenarios[0].steps[0].doc_string, "RETURN <b>, 1");
}

TEST(Gherkin, BackgroundStepsComeFirst) {
  Feature f = Parse(R"(Feature: F
  Background:
    Given an empty graph
    And having executed:
      """
      CREATE ()
      """

  Scenario: one
    When executing query:
      """
      MATCH (n) RETURN n
      """
    Then the result should be empty

  Scenario: two
    And parameters are:
      | x | 1 |
    Then the result should be empty
)");
  ASSERT_EQ(f.scenarios.size(), 2u);
  ASSERT_EQ(f.scenarios[0].steps.size(), 4u);
  EXPECT_EQ(f.scenarios[0].steps[0].text, "an empty graph");
  EXPECT_EQ(*f.scenarios[0].steps[1].doc_string, "CREATE ()");
  EXPECT_EQ(f.scenarios[0].steps[2].text, "executing query:");
  ASSERT_EQ(f.scenarios[1].steps.size(), 4u);
  // "And" first in a scenario takes the kind of the background's last step.
  EXPECT_EQ(f.scenarios[1].steps[2].kind, Step::Kind::kGiven);
}

TEST(Gherkin, TableCellEscapes) {
  auto cells = SplitTableRow(R"(  | a\|b | c\\d |  'x\n' | \'q\' |  |)");
  ASSERT_TRUE(cells.ok()) << cells.status().ToString();
  EXPECT_EQ(*cells, (std::vector<std::string>{"a|b", "c\\d", "'x\n'", "\\'q\\'", ""}));

  // The suite doubles backslashes in cells: \\\\ is \\ after Gherkin, which the value notation reads as \.
  auto suite_style = SplitTableRow(R"(| 'a\\\\b\'' |)");
  ASSERT_TRUE(suite_style.ok());
  EXPECT_EQ((*suite_style)[0], R"('a\\b\'')");

  EXPECT_FALSE(SplitTableRow("| a | b").ok());
  EXPECT_FALSE(SplitTableRow("a | b |").ok());
}

TEST(Gherkin, TableInAFeatureWithEscapedPipes) {
  Feature f = Parse(R"(Feature: F
  Scenario: pipes
    When executing query:
      """
      RETURN 'a|b' AS s
      """
    Then the result should be, in order:
      | s       |
      | 'a\|b'  |
)");
  ASSERT_EQ(f.scenarios.size(), 1u);
  EXPECT_EQ(f.scenarios[0].steps[1].table->rows[1][0], "'a|b'");
}

TEST(Gherkin, DocStringsKeepCommentsBlankLinesAndEscapedFences) {
  Feature f = Parse(
      "Feature: F\n"
      "  Scenario: s\n"
      "    When executing query:\n"
      "\t\"\"\"\n"
      "\tMATCH (n)\n"
      "\n"
      "\t# not a comment\n"
      "\tRETURN '\\\"\\\"\\\"' AS q\n"
      "\t\"\"\"\n"
      "    Then the result should be empty\n");
  ASSERT_EQ(f.scenarios.size(), 1u);
  EXPECT_EQ(*f.scenarios[0].steps[0].doc_string, "MATCH (n)\n\n# not a comment\nRETURN '\"\"\"' AS q");
}

TEST(Gherkin, BacktickFencesAndContentType) {
  Feature f = Parse(
      "Feature: F\n"
      "  Scenario: s\n"
      "    When executing query:\n"
      "      ```cypher\n"
      "      RETURN 1\n"
      "      ```\n"
      "    Then the result should be empty\n");
  EXPECT_EQ(*f.scenarios[0].steps[0].doc_string, "RETURN 1");
}

TEST(Gherkin, CrLfLineEnds) {
  Feature f = Parse(
      "Feature: F\r\n"
      "  Scenario: s\r\n"
      "    When executing query:\r\n"
      "      \"\"\"\r\n"
      "      RETURN 1\r\n"
      "      \"\"\"\r\n"
      "    Then the result should be, in order:\r\n"
      "      | 1 |\r\n"
      "      | 1 |\r\n");
  ASSERT_EQ(f.scenarios.size(), 1u);
  EXPECT_EQ(*f.scenarios[0].steps[0].doc_string, "RETURN 1");
  EXPECT_EQ(f.scenarios[0].steps[1].table->rows, (std::vector<std::vector<std::string>>{{"1"}, {"1"}}));
}

TEST(Gherkin, DuplicateNamesGetDistinctIds) {
  Feature f = Parse(R"(Feature: F
  Scenario: same
    Then the result should be empty
  Scenario: same
    Then the result should be empty
  Scenario Outline: same
    Then the result should be empty
    Examples:
      | x |
      | 1 |
)");
  ASSERT_EQ(f.scenarios.size(), 3u);
  EXPECT_EQ(f.scenarios[0].id, "features/x/X.feature: same");
  EXPECT_EQ(f.scenarios[1].id, "features/x/X.feature: same [duplicate 2]");
  EXPECT_EQ(f.scenarios[2].id, "features/x/X.feature: same [duplicate 3] [example 1]");
}

TEST(Gherkin, DescriptionsAndTags) {
  Feature f = Parse(R"(@feature-tag
Feature: F
  Some free text describing the feature.

  @a @b #trailing comment
  Scenario: s
    A description of the scenario.
    Given any graph
    Then the result should be empty
)");
  ASSERT_EQ(f.scenarios.size(), 1u);
  EXPECT_EQ(f.scenarios[0].tags, (std::vector<std::string>{"@feature-tag", "@a", "@b"}));
  EXPECT_EQ(f.scenarios[0].steps.size(), 2u);
}

TEST(Gherkin, Errors) {
  auto unclosed = ParseFeature(
      "Feature: F\n  Scenario: s\n    When executing query:\n      \"\"\"\n      RETURN 1\n", "p");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_NE(unclosed.status().message().find("p:4:"), std::string::npos) << unclosed.status().message();

  EXPECT_FALSE(
      ParseFeature("Feature: F\n  Scenario: s\n    Then x:\n      | a | b |\n      | 1 |\n", "p").ok());
  EXPECT_FALSE(ParseFeature("Feature: F\n    Given any graph\n", "p").ok());
  EXPECT_FALSE(ParseFeature("  Scenario: s\n    Given any graph\n", "p").ok());
  EXPECT_FALSE(ParseFeature("Feature: F\n  Scenario Outline: s\n    Given any graph\n", "p").ok());
  EXPECT_FALSE(ParseFeature("Feature: F\n  Scenario: s\n    Given any graph\n    what is this\n", "p").ok());
  EXPECT_FALSE(ParseFeature("Feature: F\n  Scenario: s\n    | a |\n", "p").ok());
}

}  // namespace
}  // namespace lodestone::tck
