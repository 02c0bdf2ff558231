// Turning ANTLR's view of a syntax error (an offending token, a set of acceptable token types, a stack
// of rule contexts) into a sentence a newcomer can act on.
//
// The rules, in order:
// 1. If the parser had just started a construct at the offending token (say, an expression after
//    WHERE), name the construct: "expected an expression after 'WHERE', found 'RETURN'".
// 2. Otherwise list what was acceptable, in words, grouping the long lists: every token that can start
//    an expression becomes "an expression", the clause keywords "another clause", operators are left
//    out. If a closing bracket was acceptable, say which bracket it closes: "expected ')' to close the
//    node pattern opened at 1:7".
// 3. Add a hint for a few common mistakes: a keyword used as a name, a misspelt keyword, WHERE after
//    RETURN, a malformed relationship arrow.
// Rule names of Lodestone.g4 are used here; rename them together.

#include "query/parser/error_strategy.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace lodestone::query::internal {

namespace {

using P = LodestoneParser;
using antlr4::Token;
using antlr4::misc::IntervalSet;

std::string Truncate(std::string text, size_t max = 30) {
  const size_t newline = text.find('\n');
  if (newline != std::string::npos) text = text.substr(0, newline) + "...";
  if (text.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    text = text.substr(0, cut) + "...";
  }
  return text;
}

bool IsKeyword(size_t type) { return type >= P::EXPLAIN && type <= P::ALLSHORTESTPATHS; }

bool IsSoftKeyword(size_t type) {
  switch (type) {
    case P::ALL:
    case P::ANY:
    case P::NONE:
    case P::SINGLE:
    case P::COUNT:
    case P::EXISTS:
    case P::REDUCE:
    case P::SHORTESTPATH:
    case P::ALLSHORTESTPATHS:
    case P::ASC:
    case P::ASCENDING:
    case P::DESC:
    case P::DESCENDING:
    case P::BY:
    case P::INDEX:
    case P::DROP:
    case P::DETACH:
    case P::CALL:
    case P::YIELD:
    case P::EXPLAIN:
    case P::PROFILE:
    case P::KNOWN:
    case P::VALID:
    case P::DURING:
    case P::AT:
      return true;
    default:
      return false;
  }
}

std::string KeywordText(const antlr4::dfa::Vocabulary& vocabulary, size_t type) {
  std::string name = vocabulary.getSymbolicName(type);
  if (!name.empty() && name.back() == '_') name.pop_back();  // SKIP_, NULL_
  return name;
}

constexpr std::array kClauseStarts = {P::MATCH, P::OPTIONAL, P::UNWIND, P::WITH,   P::RETURN, P::CREATE,
                                      P::MERGE, P::SET,      P::REMOVE, P::DETACH, P::DELETE, P::CALL};
constexpr std::array kOperators = {P::PLUS,   P::MINUS, P::STAR,     P::SLASH, P::PERCENT,  P::CARET,
                                   P::EQ,     P::NEQ,   P::LT,       P::GT,    P::LE,       P::GE,
                                   P::REGEQ,  P::AND,   P::OR,       P::XOR,   P::IN,       P::IS,
                                   P::STARTS, P::ENDS,  P::CONTAINS, P::DOT,   P::LBRACKET, P::COLON};

// What the offending token is, for "found ...".
std::string DescribeFound(const Token* token) {
  switch (token->getType()) {
    case Token::EOF:
      return "end of input";
    case P::SEMI:
      return "';' (the end of the statement)";
    case P::StringLiteral:
      return "the string " + Truncate(token->getText(), 24);
    default:
      return "'" + Truncate(token->getText()) + "'";
  }
}

// What an expected token type is, in words.
std::string ExpectedWord(const antlr4::dfa::Vocabulary& vocabulary, size_t type) {
  switch (type) {
    case Token::EOF:
      return "end of input";
    case P::Identifier:
    case P::EscapedIdentifier:
      return "a name";
    case P::StringLiteral:
      return "a string";
    case P::DecimalInteger:
    case P::HexInteger:
    case P::OctalInteger:
      return "an integer";
    case P::FloatLiteral:
      return "a number";
    case P::ORDER:
      return "ORDER BY";
    case P::NEQ:
      return "'<>'";
    default:
      break;
  }
  if (IsKeyword(type)) return KeywordText(vocabulary, type);
  std::string literal = vocabulary.getLiteralName(type);
  return literal.empty() ? vocabulary.getDisplayName(type) : literal;
}

// Levenshtein distance, for "did you mean RETURN?".
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      const bool same = std::toupper(static_cast<unsigned char>(a[i - 1])) == b[j - 1];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

bool IsExpressionRule(size_t rule) {
  switch (rule) {
    case P::RuleExpression:
    case P::RuleOrExpression:
    case P::RuleXorExpression:
    case P::RuleAndExpression:
    case P::RuleNotExpression:
    case P::RuleComparisonExpression:
    case P::RulePredicateExpression:
    case P::RuleAddExpression:
    case P::RuleMultiplyExpression:
    case P::RulePowerExpression:
    case P::RuleUnaryExpression:
    case P::RulePostfixExpression:
    case P::RuleAtom:
    case P::RuleLiteral:
    case P::RuleProjectionItem:
      return true;
    default:
      return false;
  }
}

// A description of a construct that the parser was starting when it failed, or empty.
std::string StartedConstruct(antlr4::ParserRuleContext* ctx) {
  const size_t rule = ctx->getRuleIndex();
  if (IsExpressionRule(rule)) return "an expression";
  auto* parent = dynamic_cast<antlr4::ParserRuleContext*>(ctx->parent);
  const size_t parent_rule = parent ? parent->getRuleIndex() : static_cast<size_t>(-1);
  switch (rule) {
    case P::RuleProjectionBody:
    case P::RuleProjectionItems:
      if (parent_rule == P::RuleWithClause) return "what to pass on, such as n, count(*) AS c or *";
      return "what to return, such as n, n.name AS name or *";
    case P::RulePattern:
    case P::RulePatternPart:
    case P::RuleAnonymousPatternPart:
    case P::RulePatternElement:
      return "a pattern such as (n) or (a)-[:R]->(b)";
    case P::RuleNodePattern:
      return "a node pattern such as (n)";
    case P::RuleRelationshipPattern:
    case P::RuleLeftArrow:
    case P::RuleRightArrow:
    case P::RuleDash:
      return "a relationship such as -->, <--, -- or -[r:TYPE]->";
    case P::RuleVariable:
    case P::RuleSymbolicName:
      return "a name";
    case P::RuleLabelName:
    case P::RuleNodeLabel:
    case P::RuleNodeLabels:
      return "a label name";
    case P::RuleRelTypeName:
      return "a relationship type name";
    case P::RulePropertyKeyName:
      return "a property name";
    case P::RuleSetItem:
      return "something to set, such as n.name = 'x', n += {k: 1} or n:Label";
    case P::RuleRemoveItem:
      return "something to remove, such as n.name or n:Label";
    case P::RuleSingleQuery:
    case P::RuleClause:
      return "a clause such as MATCH, WITH or RETURN";
    case P::RuleQuery:
      return "a query such as MATCH (n) RETURN n";
    case P::RuleOrder:
    case P::RuleSortItem:
      return "an expression to sort by";
    case P::RuleIntegerLiteral:
      return "an integer";
    case P::RuleMapEntry:
      return "a map entry such as key: value";
    case P::RuleCaseAlternative:
      return "WHEN";
    case P::RuleValidTime:
      return "AT or DURING after VALID";
    case P::RuleMapProjectionItem:
      return "a map projection item such as .name, .* or key: value";
    case P::RuleProcedureName:
      return "a procedure name such as db.labels";
    case P::RuleYieldItems:
    case P::RuleYieldItem:
    case P::RuleProcedureResultField:
      return "what to yield, such as label or label AS l";
    default:
      return "";
  }
}

// What an opening bracket token opened, found in the context that holds it; when no context holds it
// yet (the parser was still predicting what it opens), named after the bracket itself.
std::string OpenedConstruct(antlr4::ParserRuleContext* innermost, antlr4::Token* open) {
  const size_t open_index = open->getTokenIndex();
  for (antlr4::tree::ParseTree* node = innermost; node != nullptr; node = node->parent) {
    auto* ctx = dynamic_cast<antlr4::ParserRuleContext*>(node);
    if (ctx == nullptr) continue;
    bool holds = false;
    for (antlr4::tree::ParseTree* child : ctx->children) {
      auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child);
      if (terminal && terminal->getSymbol()->getTokenIndex() == open_index) holds = true;
    }
    if (!holds) continue;
    if (dynamic_cast<P::ParenthesizedContext*>(ctx)) return "parenthesized expression";
    if (dynamic_cast<P::CountStarContext*>(ctx)) return "count(*)";
    if (auto* f = dynamic_cast<P::FunctionInvocationContext*>(ctx)) {
      return "argument list of " + Truncate(f->functionName()->getText()) + "()";
    }
    if (auto* q = dynamic_cast<P::QuantifierContext*>(ctx)) {
      return Truncate(q->getStart()->getText()) + "(...) expression";
    }
    switch (ctx->getRuleIndex()) {
      case P::RuleNodePattern:
        return "node pattern";
      case P::RuleRelationshipDetail:
        return "relationship pattern";
      case P::RulePatternElement:
        return "parenthesized pattern";
      case P::RuleListLiteral:
        return "list";
      case P::RuleMapLiteral:
        return "map";
      case P::RuleListComprehension:
        return "list comprehension";
      case P::RulePatternComprehension:
        return "pattern comprehension";
      case P::RuleReduceExpression:
        return "reduce(...) expression";
      case P::RuleExistsSubquery:
        return ctx->getStart()->getType() == P::COUNT ? "COUNT block" : "EXISTS block";
      case P::RuleMapProjection:
        return "map projection";
      case P::RuleShortestPathPattern:
        return Truncate(ctx->getStart()->getText()) + "(...)";
      case P::RuleSchemaCommand:
        return "property list";
      case P::RulePostfix:
        return "index";
      case P::RuleCaseExpression:
        return "CASE expression";
      default:
        break;
    }
    break;
  }
  switch (open->getType()) {
    case P::LPAREN:
      return "parenthesis";
    case P::LBRACKET:
      return "square bracket";
    case P::LBRACE:
      return "brace";
    default:
      return "CASE expression";
  }
}

size_t CloserOf(size_t open) {
  switch (open) {
    case P::LPAREN:
      return P::RPAREN;
    case P::LBRACKET:
      return P::RBRACKET;
    case P::LBRACE:
      return P::RBRACE;
    case P::CASE:
      return P::END;
    default:
      return 0;
  }
}

std::string JoinOr(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

// The tokens that can start an expression, computed once from the (static, shared) ATN. Deliberately
// never freed, like the ATN itself.
const IntervalSet& ExpressionStarts(antlr4::Parser* parser) {
  static const IntervalSet* starts = [parser] {
    const antlr4::atn::ATN& atn = parser->getATN();
    return new IntervalSet(atn.nextTokens(atn.ruleToStartState[P::RuleExpression]));
  }();
  return *starts;
}

// Tokens acceptable after an ATN state, following the prediction context up through the rules that
// would return there. Reaching the end of the decision's own rule adds what may follow that rule in
// the actual parse (`outer`).
void AddFollow(const antlr4::atn::ATN& atn, antlr4::atn::ATNState* state,
               const Ref<antlr4::atn::PredictionContext>& context, const IntervalSet& outer, IntervalSet& out,
               int depth) {
  const IntervalSet& next = atn.nextTokens(state);
  out.addAll(next);
  out.remove(Token::EPSILON);
  if (!next.contains(Token::EPSILON)) return;
  if (context == nullptr || context->isEmpty() || depth > 64) {
    out.addAll(outer);
    return;
  }
  for (size_t i = 0; i < context->size(); ++i) {
    const size_t return_state = context->getReturnState(i);
    if (return_state == antlr4::atn::PredictionContext::EMPTY_RETURN_STATE) {
      out.addAll(outer);
    } else {
      AddFollow(atn, atn.states[return_state], context->getParent(i), outer, out, depth + 1);
    }
  }
}

}  // namespace

void DiagnosingErrorStrategy::sync(antlr4::Parser* parser) {
  if (failure_) return;
  const size_t index = parser->getCurrentToken()->getTokenIndex();
  if (index != accumulated_at_) {
    accumulated_ = IntervalSet();
    accumulated_at_ = index;
  }
  const antlr4::atn::ATN& atn = parser->getATN();
  accumulated_.addAll(atn.nextTokens(atn.states[parser->getState()]));
}

void DiagnosingErrorStrategy::reportError(antlr4::Parser* parser, const antlr4::RecognitionException& e) {
  if (failure_) return;
  IntervalSet expected;
  // A no-viable-alternative error may be detected several tokens after the decision started; its
  // expected set describes the decision's first token, not the offending one, so it is not used then.
  const auto* no_viable = dynamic_cast<const antlr4::NoViableAltException*>(&e);
  if (no_viable == nullptr || no_viable->getStartToken() == e.getOffendingToken()) {
    expected = e.getExpectedTokens();
  } else if (antlr4::atn::ATNConfigSet* alive = no_viable->getDeadEndConfigs()) {
    // The configurations the prediction still had when it met the offending token: what each of them
    // could have matched there is what was acceptable.
    const antlr4::atn::ATN& atn = parser->getATN();
    antlr4::ParserRuleContext* ctx = parser->getContext();
    const IntervalSet outer =
        ctx ? atn.getExpectedTokens(atn.ruleToStopState[ctx->getRuleIndex()]->stateNumber, ctx)
            : IntervalSet();
    for (const Ref<antlr4::atn::ATNConfig>& config : alive->configs) {
      AddFollow(atn, config->state, config->context, outer, expected, 0);
    }
  }
  Capture(parser, e.getOffendingToken() ? e.getOffendingToken() : parser->getCurrentToken(), expected);
}

void DiagnosingErrorStrategy::recover(antlr4::Parser*, std::exception_ptr) {
  throw antlr4::ParseCancellationException();
}

antlr4::Token* DiagnosingErrorStrategy::recoverInline(antlr4::Parser* parser) {
  if (!failure_) Capture(parser, parser->getCurrentToken(), parser->getExpectedTokens());
  throw antlr4::ParseCancellationException();
}

void DiagnosingErrorStrategy::Capture(antlr4::Parser* parser, Token* offending, const IntervalSet& expected) {
  const antlr4::dfa::Vocabulary& vocabulary = parser->getVocabulary();
  const size_t offending_index = offending->getTokenIndex();

  IntervalSet acceptable = expected;
  if (accumulated_at_ == offending_index) acceptable.addAll(accumulated_);
  acceptable.remove(Token::EPSILON);

  const Token* previous = locator_.Previous(offending);
  // A string literal's text has its own quotes: "after 'China'", not "after ''China''".
  const std::string after = previous == nullptr ? ""
                            : previous->getType() == P::StringLiteral
                                ? " after the string " + Truncate(previous->getText(), 24)
                                : " after '" + Truncate(previous->getText()) + "'";
  const std::string found = DescribeFound(offending);

  // 1. A construct started at the offending token.
  std::string construct;
  antlr4::ParserRuleContext* innermost = parser->getContext();
  for (antlr4::tree::ParseTree* node = innermost; node != nullptr; node = node->parent) {
    auto* ctx = dynamic_cast<antlr4::ParserRuleContext*>(node);
    if (ctx == nullptr || ctx->getStart() == nullptr) continue;
    if (ctx->getStart()->getTokenIndex() != offending_index) break;
    std::string description = StartedConstruct(ctx);
    if (!description.empty()) construct = description;
  }
  // A malformed arrow is reported as such wherever the parser noticed it.
  bool in_relationship = false;
  if (innermost != nullptr) {
    const size_t rule = innermost->getRuleIndex();
    in_relationship = rule == P::RuleRelationshipPattern || rule == P::RuleDash || rule == P::RuleLeftArrow ||
                      rule == P::RuleRightArrow;
  }
  if (in_relationship && construct.empty()) construct = StartedConstruct(innermost);

  // 2. Acceptable tokens in words.
  std::vector<std::string> words;
  const auto add = [&words](const std::string& word) {
    if (std::find(words.begin(), words.end(), word) == words.end()) words.push_back(word);
  };
  IntervalSet rest = acceptable;
  if (rest.contains(static_cast<size_t>(P::StringLiteral))) {
    add("an expression");
    rest = rest.subtract(ExpressionStarts(parser));
  }
  size_t operators = 0;
  for (size_t op : kOperators) operators += rest.contains(op) ? 1 : 0;
  if (operators >= 5) {
    for (size_t op : kOperators) rest.remove(op);
  }
  if (rest.contains(static_cast<size_t>(P::Identifier))) {
    add("a name");
    rest.remove(static_cast<size_t>(P::Identifier));
    rest.remove(static_cast<size_t>(P::EscapedIdentifier));
    for (size_t t = P::EXPLAIN; t <= P::ALLSHORTESTPATHS; ++t) {
      if (IsSoftKeyword(t)) rest.remove(t);
    }
  }
  size_t clause_starts = 0;
  for (size_t t : kClauseStarts) clause_starts += rest.contains(t) ? 1 : 0;
  const bool another_clause = clause_starts >= 4;
  if (another_clause) {
    for (size_t t : kClauseStarts) rest.remove(t);
  }
  // ASC and DESC stand for their long spellings too.
  if (rest.contains(static_cast<size_t>(P::ASC))) rest.remove(static_cast<size_t>(P::ASCENDING));
  if (rest.contains(static_cast<size_t>(P::DESC))) rest.remove(static_cast<size_t>(P::DESCENDING));
  const bool end_of_input = rest.contains(Token::EOF);
  if (end_of_input) {
    rest.remove(Token::EOF);
    rest.remove(static_cast<size_t>(P::SEMI));
  }

  // The innermost bracket still open before the offending token, if its closer is acceptable.
  std::string closer_note;
  std::string closer_word;
  {
    std::vector<Token*> open;
    for (size_t i = 0; i < offending_index; ++i) {
      Token* t = locator_.tokens().get(i);
      if (t->getChannel() != Token::DEFAULT_CHANNEL) continue;
      const size_t type = t->getType();
      if (CloserOf(type) != 0) {
        open.push_back(t);
      } else if (!open.empty() &&
                 (type == P::RPAREN || type == P::RBRACKET || type == P::RBRACE || type == P::END)) {
        if (CloserOf(open.back()->getType()) == type) open.pop_back();
      }
    }
    if (!open.empty()) {
      const size_t closer = CloserOf(open.back()->getType());
      if (acceptable.contains(closer)) {
        rest.remove(closer);
        closer_word = ExpectedWord(vocabulary, closer);
        closer_note = " to close the " + OpenedConstruct(innermost, open.back()) + " opened at " +
                      locator_.At(open.back()).ToString();
      }
    }
  }
  if (!closer_word.empty()) {
    // Closing the bracket is almost always the fix; keep only the comma beside it.
    const bool comma = rest.contains(static_cast<size_t>(P::COMMA));
    rest = IntervalSet();
    if (comma) rest.add(P::COMMA);
  }
  for (size_t type : rest.toList()) add(ExpectedWord(vocabulary, type));
  if (another_clause)
    add(previous == nullptr ? "a clause such as MATCH, CREATE or RETURN" : "another clause");
  if (!closer_word.empty()) add(closer_word);
  if (end_of_input) add("end of input");

  ParseFailure failure;
  failure.location = locator_.At(offending);
  if (!construct.empty()) {
    failure.expected = {construct};
    failure.message = "expected " + construct + after + ", found " + found;
  } else if (!words.empty() && words.size() <= 9) {
    failure.expected = words;
    failure.message =
        "expected " + JoinOr(words) + (closer_note.empty() ? after : closer_note) + ", found " + found;
  } else {
    failure.expected = words;
    failure.message = "unexpected " + found + after;
  }

  // 3. Hints.
  const size_t found_type = offending->getType();
  const bool wants_name =
      std::find(failure.expected.begin(), failure.expected.end(), "a name") != failure.expected.end() ||
      construct.find("name") != std::string::npos || failure.expected.empty();
  std::string upper = offending->getText();
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const size_t previous_type = previous != nullptr ? previous->getType() : 0;
  if (found_type == P::Identifier && upper == "FOREACH") {
    failure.message += "; Lodestone does not support FOREACH: use UNWIND, then the updating clause";
  } else if (found_type == P::Identifier && upper == "LOAD") {
    failure.message += "; Lodestone does not support LOAD CSV: use lodestone import";
  } else if (found_type == P::Identifier && (upper == "SELECT" || upper == "FROM")) {
    failure.message += "; this is not SQL: a query reads like MATCH (n:Label) WHERE ... RETURN n.name";
  } else if (found_type == P::EQ && previous_type == P::EQ) {
    failure.message += "; equality is a single '='";
  } else if (found_type == P::PIPE && previous_type == P::PIPE) {
    failure.message += "; to combine conditions, use OR";
  } else if ((found_type == P::ORDER || found_type == P::SKIP_) &&
             (previous_type == P::RPAREN || previous_type == P::DecimalInteger ||
              previous_type == P::Identifier || previous_type == P::DOLLAR || previous_type == P::DESC ||
              previous_type == P::ASC)) {
    failure.message += "; the order is ORDER BY, then SKIP, then LIMIT";
  } else if (previous_type == P::SEMI) {
    failure.message += "; only one statement is accepted here (a script may hold several)";
  } else if (IsKeyword(found_type) && !IsSoftKeyword(found_type) && wants_name) {
    failure.message += "; " + KeywordText(vocabulary, found_type) +
                       " is a reserved word: to use it as a name, quote it with backticks: `" +
                       offending->getText() + "`";
  } else if (found_type == P::Identifier && offending->getText().size() >= 3) {
    // One typo in a short word, two in a longer one.
    std::string best;
    size_t best_distance = offending->getText().size() < 5 ? 2 : 3;
    for (size_t type : acceptable.toList()) {
      if (!IsKeyword(type)) continue;
      const std::string keyword = KeywordText(vocabulary, type);
      if (keyword.size() < 3) continue;
      const size_t distance = EditDistance(offending->getText(), keyword);
      // On a tie, prefer the keyword with the same first letter (DSC: DESC rather than ASC).
      const bool same_start = keyword[0] == upper[0];
      if (distance < best_distance ||
          (!best.empty() && distance == best_distance && same_start && best[0] != upper[0])) {
        best_distance = distance, best = keyword;
      }
    }
    if (!best.empty()) failure.message += "; did you mean " + best + "?";
  } else if (found_type == P::VALID &&
             std::find(failure.expected.begin(), failure.expected.end(), "VALID") == failure.expected.end()) {
    failure.message += "; VALID AT / VALID DURING go right after the patterns of a MATCH, before its WHERE";
  } else if (found_type == P::KNOWN) {
    failure.message += "; KNOWN AT goes once at the very start of the statement (after EXPLAIN or PROFILE)";
  } else if (found_type == P::WHERE) {
    // Which clause is the WHERE stuck to? The last clause keyword outside any bracket.
    int depth = 0;
    size_t last_clause = 0;
    for (size_t i = 0; i < offending_index; ++i) {
      const Token* t = locator_.tokens().get(i);
      const size_t type = t->getType();
      if (type == P::LPAREN || type == P::LBRACKET || type == P::LBRACE) ++depth;
      if (type == P::RPAREN || type == P::RBRACKET || type == P::RBRACE) --depth;
      if (depth == 0 && std::find(kClauseStarts.begin(), kClauseStarts.end(), type) != kClauseStarts.end()) {
        last_clause = type;
      }
    }
    if (last_clause == P::RETURN) {
      failure.message +=
          "; WHERE belongs to MATCH or WITH: to filter what you return, write "
          "WITH ... WHERE ... before RETURN";
    } else if (last_clause != P::MATCH && last_clause != P::OPTIONAL && last_clause != P::WITH &&
               last_clause != 0) {
      failure.message += "; WHERE can only follow MATCH, OPTIONAL MATCH or WITH";
    }
  }
  failure_ = std::move(failure);
}

}  // namespace lodestone::query::internal
