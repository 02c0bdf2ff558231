// Literals and names: number ranges, string escapes, quoted names.

#include <charconv>
#include <cmath>
#include <limits>

#include "query/parser/transformer.h"

namespace lodestone::query::internal {

namespace {

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int HexValue(char32_t c) {
  if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
  if (c >= U'a' && c <= U'f') return static_cast<int>(c - U'a' + 10);
  if (c >= U'A' && c <= U'F') return static_cast<int>(c - U'A' + 10);
  return -1;
}

std::string Utf8(std::u32string_view text) {
  std::string out;
  for (char32_t c : text) AppendUtf8(out, c);
  return out;
}

}  // namespace

int64_t Transformer::ParseInteger(antlr4::Token* token, bool negated) {
  const std::string text = token->getText();
  int base = 10;
  size_t skip = 0;
  if (token->getType() == P::HexInteger) base = 16, skip = 2;
  if (token->getType() == P::OctalInteger) base = 8, skip = 2;
  uint64_t magnitude = 0;
  const char* begin = text.data() + skip;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(begin, end, magnitude, base);
  const uint64_t limit = negated ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (ec != std::errc() || ptr != end || magnitude > limit) {
    Fail(SyntaxErrorCode::kIntegerOverflow, Loc(token),
         "the integer " + std::string(negated ? "-" : "") + text +
             " is out of range: integers must lie between -9223372036854775808 and 9223372036854775807" +
             (base == 10 ? " (write " + text + ".0 for a floating-point number)" : std::string()));
  }
  if (negated) return magnitude == (uint64_t{1} << 63) ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(magnitude);
  return static_cast<int64_t>(magnitude);
}

ast::ExprPtr Transformer::TransformNumber(P::NumberLiteralContext* ctx, bool negated) {
  if (P::IntegerLiteralContext* integer = ctx->integerLiteral()) {
    return Finish(std::make_unique<ast::LiteralExpr>(ParseInteger(integer->getStart(), negated), Loc(ctx)));
  }
  antlr4::Token* token = ctx->FloatLiteral()->getSymbol();
  const std::string text = token->getText();
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) {
    // Too small to represent rounds to zero; too large is an error.
    const size_t e = text.find_first_of("eE");
    if (e == std::string::npos || e + 1 >= text.size() || text[e + 1] != '-') {
      Fail(SyntaxErrorCode::kFloatingPointOverflow, Loc(token),
           "the number " + text + " is too large for a 64-bit floating-point value (about 1.8e308 at most)");
    }
    value = 0;
  } else if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) {
    Fail(SyntaxErrorCode::kInvalidNumberLiteral, Loc(token), "'" + text + "' is not a valid number");
  }
  return Finish(std::make_unique<ast::LiteralExpr>(negated ? -value : value, Loc(ctx)));
}

std::string Transformer::DecodeString(antlr4::Token* token) {
  const std::u32string_view cps = locator_.CodePoints(token);
  std::string out;
  out.reserve(cps.size());
  // Without the quotes.
  for (size_t i = 1; i + 1 < cps.size(); ++i) {
    const char32_t c = cps[i];
    if (c != U'\\') {
      AppendUtf8(out, c);
      continue;
    }
    const size_t start = i;
    const char32_t e = cps[++i];  // the lexer guarantees a character after a backslash
    switch (e) {
      case U'\\': out += '\\'; break;
      case U'\'': out += '\''; break;
      case U'"': out += '"'; break;
      case U'b': case U'B': out += '\b'; break;
      case U'f': case U'F': out += '\f'; break;
      case U'n': case U'N': out += '\n'; break;
      case U'r': case U'R': out += '\r'; break;
      case U't': case U'T': out += '\t'; break;
      case U'u':
      case U'U': {
        const size_t digits = e == U'u' ? 4 : 8;
        char32_t cp = 0;
        size_t k = 0;
        for (; k < digits && i + 1 + k + 1 < cps.size(); ++k) {
          const int v = HexValue(cps[i + 1 + k]);
          if (v < 0) break;
          cp = cp * 16 + static_cast<char32_t>(v);
        }
        const std::string written = Utf8(cps.substr(start, 2 + k));
        if (k < digits) {
          Fail(SyntaxErrorCode::kInvalidEscape, locator_.Within(token, start, i + 1 + k),
               "invalid Unicode escape '" + written + "': \\" + std::string(1, static_cast<char>(e)) +
                   " must be followed by exactly " + std::to_string(digits) + " hexadecimal digits");
        }
        i += digits;
        // A UTF-16 surrogate pair written as two \u escapes (as Java-style sources do) is one character.
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < cps.size() && cps[i + 1] == U'\\' && cps[i + 2] == U'u') {
          char32_t low = 0;
          bool ok = true;
          for (size_t d = 0; d < 4; ++d) {
            const int v = HexValue(cps[i + 3 + d]);
            ok = ok && v >= 0;
            low = low * 16 + static_cast<char32_t>(v < 0 ? 0 : v);
          }
          if (ok && low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
          Fail(SyntaxErrorCode::kInvalidEscape, locator_.Within(token, start, i + 1),
               "invalid Unicode escape '" + written + "': it does not name a character");
        }
        AppendUtf8(out, cp);
        break;
      }
      default:
        Fail(SyntaxErrorCode::kInvalidEscape, locator_.Within(token, start, i + 1),
             "invalid escape sequence '\\" + Utf8(cps.substr(i, 1)) +
                 "' in a string: the escapes are \\\\ \\' \\\" \\b \\f \\n \\r \\t \\uXXXX and \\UXXXXXXXX "
                 "(write \\\\ for a backslash)");
    }
  }
  return out;
}

ast::ExprPtr Transformer::TransformLiteral(P::LiteralContext* ctx) {
  if (P::NumberLiteralContext* number = ctx->numberLiteral()) return TransformNumber(number, false);
  if (antlr4::tree::TerminalNode* string = ctx->StringLiteral()) {
    return Finish(std::make_unique<ast::LiteralExpr>(DecodeString(string->getSymbol()), Loc(ctx)));
  }
  if (ctx->TRUE()) return Finish(std::make_unique<ast::LiteralExpr>(true, Loc(ctx)));
  if (ctx->FALSE()) return Finish(std::make_unique<ast::LiteralExpr>(false, Loc(ctx)));
  if (ctx->NULL_()) return Finish(std::make_unique<ast::LiteralExpr>(std::monostate(), Loc(ctx)));
  if (P::MapLiteralContext* map = ctx->mapLiteral()) return TransformMap(map);
  auto list = std::make_unique<ast::ListExpr>(Loc(ctx));
  for (P::ExpressionContext* element : ctx->listLiteral()->expression()) {
    list->elements.push_back(TransformExpression(element));
  }
  return Finish(std::move(list));
}

ast::ExprPtr Transformer::TransformMap(P::MapLiteralContext* ctx) {
  auto map = std::make_unique<ast::MapExpr>(Loc(ctx));
  for (P::MapEntryContext* entry_ctx : ctx->mapEntry()) {
    ast::MapExpr::Entry entry;
    entry.key = Name(entry_ctx->propertyKeyName());
    entry.key_location = Loc(entry_ctx->propertyKeyName());
    entry.value = TransformExpression(entry_ctx->expression());
    map->entries.push_back(std::move(entry));
  }
  return Finish(std::move(map));
}

std::string Transformer::Name(P::SymbolicNameContext* ctx) {
  if (antlr4::tree::TerminalNode* escaped = ctx->EscapedIdentifier()) {
    const std::string text = escaped->getText();
    std::string name;
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      name += text[i];
      if (text[i] == '`') ++i;  // `` stands for one backtick
    }
    return name;
  }
  return ctx->getText();
}

std::string Transformer::Name(P::SchemaNameContext* ctx) {
  if (P::SymbolicNameContext* symbolic = ctx->symbolicName()) return Name(symbolic);
  return ctx->getText();
}

}  // namespace lodestone::query::internal
