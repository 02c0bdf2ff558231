// Malformed input in bulk: every mutation of every round-trip case must produce an AST or a well-formed
// error (in-range location, a message), never a crash, a hang or an escaped exception. Deterministic
// (fixed seed), so a failure reproduces. Also: parsing from several threads at once.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "query/ast/ast.h"
#include "query/parser/parser.h"

namespace lodestone::query {
namespace {

struct Case {
  const char* text;
  const char* expected;
};

const Case kCases[] = {
#include "parser_cases.inc"
};

void CheckWellFormed(const std::string& text) {
  ParseResult r = ParseStatement(text);
  if (r.ok()) {
    ast::ToString(*r.statement);  // walks the whole tree
    return;
  }
  const SyntaxError& e = *r.error;
  EXPECT_FALSE(e.message.empty()) << text;
  EXPECT_GE(e.location.line, 1u) << text;
  EXPECT_GE(e.location.column, 1u) << text;
  EXPECT_LE(e.location.offset, text.size()) << text;
  EXPECT_NE(e.code, SyntaxErrorCode::kInternal) << text << "\n" << e.formatted;
  EXPECT_EQ(e.formatted.rfind("syntax error at line ", 0), 0u) << text;
}

TEST(RobustnessTest, MutatedStatementsGiveAnAstOrAnError) {
  std::mt19937 random(20260110);
  const std::string alphabet = "()[]{}<>-=:.,;|*$'\"`/ \nabcMATCHRETURNWHERE0123456789";
  for (const Case& c : kCases) {
    const std::string seed = c.text;
    for (int i = 0; i < 40; ++i) {
      std::string text = seed;
      const int edits = 1 + static_cast<int>(random() % 3);
      for (int k = 0; k < edits && !text.empty(); ++k) {
        const size_t at = random() % text.size();
        switch (random() % 3) {
          case 0: text.erase(at, 1); break;
          case 1: text.insert(at, 1, alphabet[random() % alphabet.size()]); break;
          default: text.erase(at, std::min<size_t>(text.size() - at, 1 + random() % 8)); break;
        }
      }
      CheckWellFormed(text);
    }
  }
}

TEST(RobustnessTest, TruncationsOfEveryCase) {
  for (const Case& c : kCases) {
    const std::string text = c.text;
    for (size_t n = 0; n < text.size(); n += 3) CheckWellFormed(text.substr(0, n));
  }
}

TEST(RobustnessTest, ConcurrentParsing) {
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &failures] {
      for (int round = 0; round < 5; ++round) {
        for (size_t i = static_cast<size_t>(t); i < std::size(kCases); i += 2) {
          ParseResult r = ParseStatement(kCases[i].text);
          if (!r.ok() || ast::ToString(*r.statement) != kCases[i].expected) ++failures[static_cast<size_t>(t)];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

}  // namespace
}  // namespace lodestone::query
