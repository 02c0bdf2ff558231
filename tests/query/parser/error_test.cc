// Syntax errors: where they are reported, what they say, and what they say was expected. The messages
// are part of the user interface: a change here should be a deliberate improvement.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "query/parser/parser.h"

namespace lodestone::query {
namespace {

struct ErrorCase {
  const char* text;
  uint32_t line;
  uint32_t column;
  SyntaxErrorCode code;
  const char* message;
  std::vector<std::string> expected;
};

// One case per entry reads better than one field per line.
// clang-format off
const ErrorCase kErrors[] = {
    // Missing closing parenthesis of a node pattern.
    {"MATCH (n RETURN n", 1, 10, SyntaxErrorCode::kUnexpectedSyntax,
     "expected ')' to close the node pattern opened at 1:7, found 'RETURN'", {"')'"}},
    // Missing expression after WHERE.
    {"MATCH (n) WHERE RETURN n", 1, 17, SyntaxErrorCode::kUnexpectedSyntax,
     "expected an expression after 'WHERE', found 'RETURN'", {"an expression"}},
    // A string literal before the error keeps its own quotes.
    {"RETURN 'China' 'x'", 1, 16, SyntaxErrorCode::kUnexpectedSyntax,
     "expected AS, ORDER BY, SKIP, LIMIT, UNION, ',', another clause or end of input after the string 'China', "
     "found the string 'x'",
     {"AS", "ORDER BY", "SKIP", "LIMIT", "UNION", "','", "another clause", "end of input"}},
    // Missing RETURN items.
    {"MATCH (n) RETURN", 1, 17, SyntaxErrorCode::kUnexpectedSyntax,
     "expected what to return, such as n, n.name AS name or * after 'RETURN', found end of input",
     {"what to return, such as n, n.name AS name or *"}},
    // Unterminated string.
    {"MATCH (n) WHERE n.name = 'China RETURN n", 1, 26, SyntaxErrorCode::kUnterminated,
     "this string is never closed: add the closing ' (inside the string, write \\' for a literal ')", {}},
    // Bad relationship arrow.
    {"MATCH (a)->(b) RETURN a", 1, 11, SyntaxErrorCode::kUnexpectedSyntax,
     "expected a relationship such as -->, <--, -- or -[r:TYPE]-> after '-', found '>'",
     {"a relationship such as -->, <--, -- or -[r:TYPE]->"}},
    {"MATCH (a)-[:T->(b) RETURN a", 1, 14, SyntaxErrorCode::kUnexpectedSyntax,
     "expected a relationship such as -->, <--, -- or -[r:TYPE]-> after 'T', found '-'",
     {"a relationship such as -->, <--, -- or -[r:TYPE]->"}},
    // WHERE after RETURN: keyword in the wrong place, with a hint.
    {"MATCH (n) RETURN n WHERE n.x = 1", 1, 20, SyntaxErrorCode::kUnexpectedSyntax,
     "expected AS, ORDER BY, SKIP, LIMIT, UNION, ',', another clause or end of input after 'n', found 'WHERE'; "
     "WHERE belongs to MATCH or WITH: to filter what you return, write WITH ... WHERE ... before RETURN",
     {"AS", "ORDER BY", "SKIP", "LIMIT", "UNION", "','", "another clause", "end of input"}},
    // Misspelt keyword.
    {"MATCH (n) RETRUN n", 1, 11, SyntaxErrorCode::kUnexpectedSyntax,
     "expected VALID, WHERE, UNION, ',', '-', '<', another clause or end of input after ')', found 'RETRUN'; "
     "did you mean RETURN?",
     {"VALID", "WHERE", "UNION", "','", "'-'", "'<'", "another clause", "end of input"}},
    // Unclosed function call, list, map, CASE.
    {"MATCH (n) RETURN count(n", 1, 25, SyntaxErrorCode::kUnexpectedSyntax,
     "expected ',' or ')' to close the argument list of count() opened at 1:23, found end of input", {"','", "')'"}},
    {"RETURN [1, 2", 1, 13, SyntaxErrorCode::kUnexpectedSyntax,
     "expected ',' or ']' to close the list opened at 1:8, found end of input", {"','", "']'"}},
    {"RETURN {a: 1", 1, 13, SyntaxErrorCode::kUnexpectedSyntax,
     "expected ',' or '}' to close the map opened at 1:8, found end of input", {"','", "'}'"}},
    {"RETURN CASE WHEN 1 THEN 2", 1, 26, SyntaxErrorCode::kUnexpectedSyntax,
     "expected END to close the CASE expression opened at 1:8, found end of input", {"END"}},
    // Missing pieces.
    {"MATCH (n) RETURN n ORDER n", 1, 26, SyntaxErrorCode::kUnexpectedSyntax,
     "expected BY after 'ORDER', found 'n'", {"BY"}},
    {"MATCH (n:) RETURN n", 1, 10, SyntaxErrorCode::kUnexpectedSyntax,
     "expected a label name after ':', found ')'", {"a label name"}},
    {"RETURN 1 +", 1, 11, SyntaxErrorCode::kUnexpectedSyntax,
     "expected an expression after '+', found end of input", {"an expression"}},
    {"KNOWN date('2025') MATCH (n) RETURN n", 1, 7, SyntaxErrorCode::kUnexpectedSyntax,
     "expected AT after 'KNOWN', found 'date'", {"AT"}},
    {"MATCH (n) VALID AT RETURN n", 1, 20, SyntaxErrorCode::kUnexpectedSyntax,
     "expected an expression after 'AT', found 'RETURN'", {"an expression"}},
    // The time clauses in the wrong place.
    {"MATCH (n) WHERE n.x = 1 VALID AT date('2025') RETURN n", 1, 25, SyntaxErrorCode::kUnexpectedSyntax,
     "expected UNION, another clause or end of input after '1', found 'VALID'; VALID AT / VALID DURING go right "
     "after the patterns of a MATCH, before its WHERE",
     {"UNION", "another clause", "end of input"}},
    {"MATCH (n) KNOWN AT date('2025') RETURN n", 1, 11, SyntaxErrorCode::kUnexpectedSyntax,
     "expected VALID, WHERE, UNION, ',', '-', '<', another clause or end of input after ')', found 'KNOWN'; KNOWN AT "
     "goes once at the very start of the statement (after EXPLAIN or PROFILE)",
     {"VALID", "WHERE", "UNION", "','", "'-'", "'<'", "another clause", "end of input"}},
    // Errors found while the parser was still choosing between constructs (list literal or list
    // comprehension, node pattern or parenthesized expression): the alternatives still alive say what
    // was acceptable.
    {"RETURN [,] AS literal", 1, 9, SyntaxErrorCode::kUnexpectedSyntax,
     "expected an expression or ']' to close the square bracket opened at 1:8, found ','",
     {"an expression", "']'"}},
    {"RETURN list[idx,]", 1, 16, SyntaxErrorCode::kUnexpectedSyntax,
     "expected ']' to close the square bracket opened at 1:12, found ','", {"']'"}},
    {"MATCH (match) RETURN match", 1, 8, SyntaxErrorCode::kUnexpectedSyntax,
     "expected a name or ')' to close the parenthesis opened at 1:7, found 'match'; MATCH is a reserved word: to "
     "use it as a name, quote it with backticks: `match`",
     {"a name", "')'"}},
    // Habits from other languages.
    {"MATCH (n) WHERE n.x == 1 RETURN n", 1, 22, SyntaxErrorCode::kUnexpectedSyntax,
     "expected an expression after '=', found '='; equality is a single '='", {"an expression"}},
    {"MATCH (n) WHERE n.x = 1 && n.y = 2 RETURN n", 1, 25, SyntaxErrorCode::kInvalidUnicodeCharacter,
     "unexpected character '&' (U+0026); to combine conditions, use AND", {}},
    {"SELECT * FROM n", 1, 1, SyntaxErrorCode::kUnexpectedSyntax,
     "expected EXPLAIN, PROFILE, KNOWN, DROP or a clause such as MATCH, CREATE or RETURN, found 'SELECT'; this is "
     "not SQL: a query reads like MATCH (n:Label) WHERE ... RETURN n.name",
     {"EXPLAIN", "PROFILE", "KNOWN", "DROP", "a clause such as MATCH, CREATE or RETURN"}},
    {"MATCH (n) RETURN n LIMIT 10 ORDER BY n.x", 1, 29, SyntaxErrorCode::kUnexpectedSyntax,
     "expected UNION, another clause or end of input after '10', found 'ORDER'; the order is ORDER BY, then SKIP, "
     "then LIMIT",
     {"UNION", "another clause", "end of input"}},
    // A reserved word used as a name.
    {"MATCH (n) WITH n AS match RETURN 1", 1, 21, SyntaxErrorCode::kUnexpectedSyntax,
     "expected a name after 'AS', found 'match'; MATCH is a reserved word: to use it as a name, quote it with "
     "backticks: `match`",
     {"a name"}},
    // Clause order.
    {"MATCH (n)", 1, 1, SyntaxErrorCode::kInvalidClauseComposition,
     "a query cannot end with MATCH: finish it with RETURN (for example RETURN *) or with an updating clause such "
     "as CREATE, MERGE, SET, REMOVE or DELETE",
     {}},
    {"RETURN 1 MATCH (n) RETURN n", 1, 10, SyntaxErrorCode::kInvalidClauseComposition,
     "MATCH cannot follow RETURN: RETURN must be the last clause (use WITH to pass results on to further clauses)",
     {}},
    {"RETURN 1 AS a UNION ALL RETURN 2 AS a UNION RETURN 3 AS a", 1, 39, SyntaxErrorCode::kInvalidClauseComposition,
     "UNION and UNION ALL cannot be mixed in one query: use UNION ALL throughout to keep duplicates, or UNION "
     "throughout to remove them",
     {}},
    // What CREATE, MERGE, MATCH and DELETE accept.
    {"CREATE (a)-[:T]-(b)", 1, 11, SyntaxErrorCode::kRequiresDirectedRelationship,
     "CREATE needs a direction for each relationship: write -[...]-> or <-[...]-", {}},
    {"CREATE (a)-->(b)", 1, 11, SyntaxErrorCode::kNoSingleRelationshipType,
     "CREATE needs exactly one type for each relationship, such as -[:PARTY_TO]->", {}},
    {"MERGE (a)-[:A|B]->(b)", 1, 10, SyntaxErrorCode::kNoSingleRelationshipType,
     "MERGE needs exactly one type for each relationship, such as -[:PARTY_TO]->; it cannot choose between "
     "alternatives like :A|B",
     {}},
    {"CREATE ()-[:T*2]->()", 1, 10, SyntaxErrorCode::kCreatingVarLength,
     "CREATE cannot create a variable-length relationship (*): create each relationship on its own", {}},
    {"MATCH (n $p) RETURN n", 1, 10, SyntaxErrorCode::kInvalidParameterUse,
     "MATCH cannot take a parameter as a whole property map: write the properties out, such as {name: $name}", {}},
    {"MATCH (n) DELETE n:Person", 1, 18, SyntaxErrorCode::kInvalidDelete,
     "DELETE removes whole nodes and relationships, not labels: to remove a label, write REMOVE n:Person", {}},
    {"MATCH (n) WHERE EXISTS { MATCH (n)-->(m) SET m.x = 1 } RETURN n", 1, 42,
     SyntaxErrorCode::kInvalidClauseComposition,
     "SET cannot be used inside EXISTS { } or COUNT { }: a subquery there may only read the graph", {}},
    {"MATCH (n) RETURN (n)-->()", 1, 18, SyntaxErrorCode::kUnexpectedPattern,
     "a pattern such as (n)-->() can only be used as a condition in WHERE or inside exists(...); to collect what "
     "it matches use a pattern comprehension like [p = (n)-->() | p]",
     {}},
    // Literals.
    {"RETURN 9223372036854775808", 1, 8, SyntaxErrorCode::kIntegerOverflow,
     "the integer 9223372036854775808 is out of range: integers must lie between -9223372036854775808 and "
     "9223372036854775807 (write 9223372036854775808.0 for a floating-point number)",
     {}},
    {"RETURN -0x8000000000000001", 1, 9, SyntaxErrorCode::kIntegerOverflow,
     "the integer -0x8000000000000001 is out of range: integers must lie between -9223372036854775808 and "
     "9223372036854775807",
     {}},
    {"RETURN 1.34E999", 1, 8, SyntaxErrorCode::kFloatingPointOverflow,
     "the number 1.34E999 is too large for a 64-bit floating-point value (about 1.8e308 at most)", {}},
    {"RETURN 9223372h54775808", 1, 8, SyntaxErrorCode::kInvalidNumberLiteral,
     "'9223372h54775808' is not a valid number: numbers are written like 42, 3.14, 6.02e23, 0x1F or 0o17, and "
     "names cannot start with a digit",
     {}},
    {"RETURN 'a\\qb'", 1, 10, SyntaxErrorCode::kInvalidEscape,
     "invalid escape sequence '\\q' in a string: the escapes are \\\\ \\' \\\" \\b \\f \\n \\r \\t \\uXXXX and "
     "\\UXXXXXXXX (write \\\\ for a backslash)",
     {}},
    {"RETURN '\\uH'", 1, 9, SyntaxErrorCode::kInvalidEscape,
     "invalid Unicode escape '\\u': \\u must be followed by exactly 4 hexadecimal digits", {}},
    {"RETURN 42 \xE2\x80\x94 41", 1, 11, SyntaxErrorCode::kInvalidUnicodeCharacter,
     "unexpected character '\xE2\x80\x94' (U+2014); did you mean '-'?", {}},
    {"MATCH (n) RETURN n /* never closed", 1, 20, SyntaxErrorCode::kUnterminated,
     "this comment is never closed: add */", {}},
    {"MATCH (`n) RETURN n", 1, 8, SyntaxErrorCode::kUnterminated,
     "this quoted name is never closed: add the closing backtick `", {}},
    // Several statements where one is expected.
    {"MATCH (n) RETURN n; MATCH (m) RETURN m", 1, 21, SyntaxErrorCode::kUnexpectedSyntax,
     "expected end of input after ';', found 'MATCH'; only one statement is accepted here (a script may hold "
     "several)",
     {"end of input"}},
    // Unsupported clauses are named as such.
    {"FOREACH (x IN [1] | CREATE ())", 1, 1, SyntaxErrorCode::kUnexpectedSyntax,
     "expected EXPLAIN, PROFILE, KNOWN, DROP or a clause such as MATCH, CREATE or RETURN, found 'FOREACH'; "
     "Lodestone does not support FOREACH: use UNWIND, then the updating clause",
     {"EXPLAIN", "PROFILE", "KNOWN", "DROP", "a clause such as MATCH, CREATE or RETURN"}},
    // Nothing at all.
    {"  // only a comment\n", 1, 1, SyntaxErrorCode::kEmptyStatement,
     "the statement is empty: write a query such as MATCH (n) RETURN n", {}},
};
// clang-format on

TEST(SyntaxErrorTest, MessagesLocationsAndExpectations) {
  for (const ErrorCase& c : kErrors) {
    ParseResult r = ParseStatement(c.text);
    ASSERT_FALSE(r.ok()) << "accepted: " << c.text;
    const SyntaxError& e = *r.error;
    EXPECT_EQ(e.message, c.message) << "for: " << c.text;
    EXPECT_EQ(e.location.line, c.line) << "for: " << c.text;
    EXPECT_EQ(e.location.column, c.column) << "for: " << c.text;
    EXPECT_EQ(SyntaxErrorCodeName(e.code), SyntaxErrorCodeName(c.code)) << "for: " << c.text;
    EXPECT_EQ(e.expected, c.expected) << "for: " << c.text;
  }
}

TEST(SyntaxErrorTest, FormattedReportShowsTheLineAndACaret) {
  ParseResult r = ParseStatement("MATCH (n) WHERE RETURN n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->formatted,
            "syntax error at line 1, column 17: expected an expression after 'WHERE', found 'RETURN'\n"
            "  MATCH (n) WHERE RETURN n\n"
            "                  ^");
}

TEST(SyntaxErrorTest, CaretOnTheRightLineOfAMultiLineStatement) {
  ParseResult r = ParseStatement("MATCH (n)\nWHERE n.name = 'x' AND\nRETURN n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->formatted,
            "syntax error at line 3, column 1: expected an expression after 'AND', found 'RETURN'\n"
            "  RETURN n\n"
            "  ^");
}

TEST(SyntaxErrorTest, CaretCountsCharactersNotBytesAndKeepsTabs) {
  ParseResult r = ParseStatement("MATCH (n {name: 'Zürich'})\tRETURN n.");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->location.column, 37u);
  EXPECT_EQ(r.error->formatted,
            "syntax error at line 1, column 37: expected a property name after '.', found end of input\n"
            "  MATCH (n {name: 'Zürich'})\tRETURN n.\n"
            "  " +
                std::string(26, ' ') + "\t" + std::string(9, ' ') + "^");
}

TEST(SyntaxErrorTest, LongLinesAreShownAsAnExcerptAroundTheCaret) {
  const std::string list = "[" + std::string(300, '1') + "]";
  ParseResult r = ParseStatement("RETURN " + list + " + " + list + " +");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->location.column, 617u);  // just past the final "+", on a 616-character line
  const std::string excerpt = std::string(57, '1') + "] +";  // the 60 characters before the caret
  EXPECT_EQ(r.error->formatted,
            "syntax error at line 1, column 617: expected an expression after '+', found end of input\n"
            "  ..." +
                excerpt +
                "\n"
                "  " +
                std::string(3 + excerpt.size(), ' ') + "^");
}

TEST(SyntaxErrorTest, InvalidUtf8IsReportedNotThrown) {
  ParseResult r = ParseStatement("RETURN '\xff'");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, SyntaxErrorCode::kInvalidEncoding);
  EXPECT_EQ(r.error->location.column, 9u);
}

// Everything the TCK lists under "Fail on ..." for these constructs is rejected at parse time.
TEST(SyntaxErrorTest, RejectsInvalidLiteralsAndPatterns) {
  for (const char* text :
       {"RETURN [, ] AS literal", "RETURN [[[]] AS literal", "RETURN {1B2c3e67:1} AS literal",
        "RETURN {k1#k: 1} AS literal", "RETURN {k1.k: 1} AS literal", "RETURN {, } AS literal",
        "RETURN {1} AS literal", "RETURN {[]} AS literal", "RETURN {{}} AS literal", "RETURN 0x AS literal",
        "RETURN 0x1A2b3j4D5E6f7 AS literal", "RETURN 0o1000000000000000000000 AS literal",
        "MATCH (a)-[:LIKES..]->(c) RETURN c", "MATCH (a)-[:LIKES*-2]->(c) RETURN c",
        "MATCH ()-[r:FOO $param]->() RETURN r", "MERGE (n $param) RETURN n", "CREATE (a)<-[:FOO]->(b)"}) {
    EXPECT_FALSE(ParseStatement(text).ok()) << text;
  }
}

}  // namespace
}  // namespace lodestone::query
