// ParseStatement and ParseScript: size and encoding checks, token checks (limits, malformed tokens),
// two-stage parsing (SLL, then LL for errors and the rare SLL misprediction), and the transformer.

#include "query/parser/parser.h"

#include <cstdio>
#include <exception>

#include "query/limits.h"
#include "query/parser/antlr_support.h"
#include "query/parser/error_strategy.h"
#include "query/parser/parse_failure.h"
#include "query/parser/source_text.h"
#include "query/parser/transformer.h"

namespace lodestone::query {

std::string_view SyntaxErrorCodeName(SyntaxErrorCode code) {
  switch (code) {
    case SyntaxErrorCode::kUnexpectedSyntax:
      return "UnexpectedSyntax";
    case SyntaxErrorCode::kInvalidNumberLiteral:
      return "InvalidNumberLiteral";
    case SyntaxErrorCode::kIntegerOverflow:
      return "IntegerOverflow";
    case SyntaxErrorCode::kFloatingPointOverflow:
      return "FloatingPointOverflow";
    case SyntaxErrorCode::kInvalidEscape:
      return "InvalidUnicodeLiteral";
    case SyntaxErrorCode::kInvalidUnicodeCharacter:
      return "InvalidUnicodeCharacter";
    case SyntaxErrorCode::kUnterminated:
      return "Unterminated";
    case SyntaxErrorCode::kInvalidRelationshipPattern:
      return "InvalidRelationshipPattern";
    case SyntaxErrorCode::kInvalidClauseComposition:
      return "InvalidClauseComposition";
    case SyntaxErrorCode::kInvalidParameterUse:
      return "InvalidParameterUse";
    case SyntaxErrorCode::kInvalidDelete:
      return "InvalidDelete";
    case SyntaxErrorCode::kNoSingleRelationshipType:
      return "NoSingleRelationshipType";
    case SyntaxErrorCode::kRequiresDirectedRelationship:
      return "RequiresDirectedRelationship";
    case SyntaxErrorCode::kCreatingVarLength:
      return "CreatingVarLength";
    case SyntaxErrorCode::kUnexpectedPattern:
      return "UnexpectedSyntax";
    case SyntaxErrorCode::kInvalidArgumentPassingMode:
      return "InvalidArgumentPassingMode";
    case SyntaxErrorCode::kLimitExceeded:
      return "LimitExceeded";
    case SyntaxErrorCode::kEmptyStatement:
      return "EmptyStatement";
    case SyntaxErrorCode::kInvalidEncoding:
      return "InvalidEncoding";
    case SyntaxErrorCode::kInternal:
      return "Internal";
  }
  return "?";
}

namespace internal {
namespace {

using P = LodestoneParser;

std::string CodePointName(char32_t cp) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(cp));
  return buffer;
}

// A character the lexer has no token for: name it, and guess what was meant for the usual culprits
// (word processors replace '-' and quotes with typographic ones).
std::string DescribeInvalidCharacter(const antlr4::Token* token, char32_t cp) {
  const std::string shown = cp >= 0x20 && cp != 0x7F
                                ? "'" + token->getText() + "' (" + CodePointName(cp) + ")"
                                : "the control character " + CodePointName(cp);
  std::string hint;
  switch (cp) {
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
      hint = "; did you mean '-'?";
      break;
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x2032:
      hint = "; did you mean a plain quote '?";
      break;
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x2033:
      hint = "; did you mean a plain quote \"?";
      break;
    case 0x2192:
      hint = "; did you mean '->'?";
      break;
    case 0x2190:
      hint = "; did you mean '<-'?";
      break;
    case 0x00D7:
      hint = "; did you mean '*'?";
      break;
    case 0x2260:
      hint = "; did you mean '<>'?";
      break;
    case 0x2264:
      hint = "; did you mean '<='?";
      break;
    case 0x2265:
      hint = "; did you mean '>='?";
      break;
    case '#':
      hint = "; comments start with // or /*";
      break;
    case '&':
      hint = "; to combine conditions, use AND";
      break;
    case '!':
      hint = "; to negate a condition, use NOT (and <> or != for 'not equal')";
      break;
    default:
      break;
  }
  return "unexpected character " + shown + hint;
}

// Checks the whole token list before parsing: malformed tokens get precise messages, and nesting deeper
// than kMaxNestingDepth is refused before the recursive parser could overflow the stack on it.
void CheckTokens(const TokenLocator& locator, const std::vector<antlr4::Token*>& tokens) {
  int depth = 0;
  bool any = false;
  for (antlr4::Token* token : tokens) {
    switch (token->getType()) {
      case P::InvalidNumber:
        Fail(SyntaxErrorCode::kInvalidNumberLiteral, locator.At(token),
             "'" + token->getText() +
                 "' is not a valid number: numbers are written like 42, 3.14, 6.02e23, 0x1F or 0o17, and "
                 "names cannot start with a digit");
      case P::UnterminatedString: {
        const std::string quote = token->getText().substr(0, 1);
        Fail(SyntaxErrorCode::kUnterminated, locator.Within(token, 0, 1),
             "this string is never closed: add the closing " + quote + " (inside the string, write \\" +
                 quote + " for a literal " + quote + ")");
      }
      case P::UnterminatedIdentifier:
        Fail(SyntaxErrorCode::kUnterminated, locator.Within(token, 0, 1),
             "this quoted name is never closed: add the closing backtick `");
      case P::UnterminatedComment:
        Fail(SyntaxErrorCode::kUnterminated, locator.Within(token, 0, 2),
             "this comment is never closed: add */");
      case P::InvalidCharacter:
        Fail(SyntaxErrorCode::kInvalidUnicodeCharacter, locator.At(token),
             DescribeInvalidCharacter(token, locator.CodePoints(token)[0]));
      case P::LPAREN:
      case P::LBRACKET:
      case P::LBRACE:
      case P::CASE:
        if (++depth > kMaxNestingDepth) {
          Fail(SyntaxErrorCode::kLimitExceeded, locator.At(token),
               "this statement nests brackets (and CASE expressions) more than " +
                   std::to_string(kMaxNestingDepth) +
                   " levels deep: simplify it, or pass nested data as a parameter");
        }
        break;
      case P::RPAREN:
      case P::RBRACKET:
      case P::RBRACE:
      case P::END:
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
    if (token->getType() != antlr4::Token::EOF && token->getChannel() == antlr4::Token::DEFAULT_CHANNEL)
      any = true;
  }
  if (!any) {
    Fail(SyntaxErrorCode::kEmptyStatement, locator.At(tokens.back()),
         "the statement is empty: write a query such as MATCH (n) RETURN n");
  }
}

// Parses code points [begin, end) of source as one statement. Throws ParseFailure.
std::unique_ptr<ast::Statement> ParseRange(const SourceText& source, size_t begin, size_t end) {
  CodePointStream input(source.code_points(), begin, end);
  LodestoneLexer lexer(&input);
  lexer.removeErrorListeners();  // the lexer has a catch-all token, but never print to the console
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  TokenLocator locator(source, begin, tokens);
  CheckTokens(locator, tokens.getTokens());

  LodestoneParser parser(&tokens);
  parser.removeErrorListeners();
  auto* simulator = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();

  // Stage 1: SLL prediction, bail at the first error. Almost every valid statement ends here.
  simulator->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  P::StatementEntryContext* tree = nullptr;
  try {
    tree = parser.statementEntry();
  } catch (const antlr4::ParseCancellationException&) {
    // Stage 2: full LL prediction; a real syntax error fails here too, and is diagnosed.
    tokens.seek(0);
    parser.reset();
    simulator->setPredictionMode(antlr4::atn::PredictionMode::LL);
    auto strategy = std::make_shared<DiagnosingErrorStrategy>(locator);
    parser.setErrorHandler(strategy);
    try {
      tree = parser.statementEntry();
    } catch (const antlr4::ParseCancellationException&) {
      if (strategy->failure()) throw *strategy->failure();
      Fail(SyntaxErrorCode::kInternal, locator.At(parser.getCurrentToken()),
           "the parser gave up without saying why (this is a bug in Lodestone's parser; please report it "
           "with the statement)");
    }
  }
  Transformer transformer(locator);
  return transformer.TransformStatement(tree->statement());
}

SyntaxError MakeError(const SourceText& source, ParseFailure failure) {
  SyntaxError error;
  error.code = failure.code;
  error.location = failure.location;
  error.message = std::move(failure.message);
  error.expected = std::move(failure.expected);
  error.formatted = FormatReport(source, error.location, error.message);
  return error;
}

SyntaxError InternalError(const SourceText& source, const char* what) {
  ParseFailure failure{SyntaxErrorCode::kInternal,
                       source.Locate(0, 0),
                       std::string("internal error in the query parser (") + what +
                           "); this is a bug in Lodestone: please report it with the statement",
                       {}};
  return MakeError(source, std::move(failure));
}

SyntaxError TooLong(size_t size, size_t limit, const char* what) {
  SyntaxError error;
  error.code = SyntaxErrorCode::kLimitExceeded;
  error.location = ast::SourceLocation{1, 1, 0, 0};
  error.message = std::string("the ") + what + " is too long: " + std::to_string(size) +
                  " bytes, and at most " + std::to_string(limit) +
                  " are accepted; pass large data as parameters instead";
  error.formatted = "syntax error at line 1, column 1: " + error.message;
  return error;
}

std::optional<SyntaxError> CheckSource(const SourceText& source) {
  if (!source.ok()) {
    return MakeError(source,
                     {SyntaxErrorCode::kInvalidEncoding,
                      source.LocateBytes(source.bad_offset(), 0),
                      "the text is not valid UTF-8 (at byte " + std::to_string(source.bad_offset()) + ")",
                      {}});
  }
  return std::nullopt;
}

}  // namespace
}  // namespace internal

ParseResult ParseStatement(std::string_view text) {
  ParseResult result;
  // Checked before decoding, so that a huge input costs nothing more.
  if (text.size() > kMaxStatementBytes) {
    result.error = internal::TooLong(text.size(), kMaxStatementBytes, "statement");
    return result;
  }
  const internal::SourceText source(text);
  if (auto error = internal::CheckSource(source)) {
    result.error = std::move(error);
    return result;
  }
  try {
    result.statement = internal::ParseRange(source, 0, source.code_points().size());
  } catch (internal::ParseFailure& failure) {
    result.error = internal::MakeError(source, std::move(failure));
  } catch (const std::exception& e) {
    result.error = internal::InternalError(source, e.what());
  } catch (...) {
    result.error = internal::InternalError(source, "unknown exception");
  }
  return result;
}

ScriptResult ParseScript(std::string_view text) {
  ScriptResult result;
  if (text.size() > kMaxScriptBytes) {
    result.error = internal::TooLong(text.size(), kMaxScriptBytes, "script");
    return result;
  }
  const internal::SourceText source(text);
  if (auto error = internal::CheckSource(source)) {
    result.error = std::move(error);
    return result;
  }
  try {
    // Split at the ';' tokens: the lexer knows what is inside strings, quoted names and comments.
    internal::CodePointStream input(source.code_points(), 0, source.code_points().size());
    internal::LodestoneLexer lexer(&input);
    lexer.removeErrorListeners();
    antlr4::CommonTokenStream tokens(&lexer);
    tokens.fill();
    size_t begin = 0;
    size_t first = 0;  // where the statement's first real token starts
    bool has_content = false;
    for (antlr4::Token* token : tokens.getTokens()) {
      const bool is_end = token->getType() == antlr4::Token::EOF || token->getType() == internal::P::SEMI;
      if (!is_end) {
        if (!has_content && token->getChannel() == antlr4::Token::DEFAULT_CHANNEL) {
          has_content = true;
          first = token->getStartIndex();
        }
        continue;
      }
      const size_t end = token->getStartIndex();
      if (has_content) {
        const size_t bytes = source.ByteOffset(end) - source.ByteOffset(first);
        if (bytes > kMaxStatementBytes) {
          internal::ParseFailure failure{SyntaxErrorCode::kLimitExceeded,
                                         source.Locate(first, first),
                                         "this statement is too long: " + std::to_string(bytes) +
                                             " bytes, and at most " + std::to_string(kMaxStatementBytes) +
                                             " are accepted; pass large data as parameters instead",
                                         {}};
          throw failure;
        }
        result.statements.push_back(internal::ParseRange(source, begin, end));
      }
      begin = end + 1;
      has_content = false;
    }
  } catch (internal::ParseFailure& failure) {
    result.error = internal::MakeError(source, std::move(failure));
  } catch (const std::exception& e) {
    result.error = internal::InternalError(source, e.what());
  } catch (...) {
    result.error = internal::InternalError(source, "unknown exception");
  }
  return result;
}

}  // namespace lodestone::query
