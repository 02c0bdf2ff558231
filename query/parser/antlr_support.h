// Internal to the parser (included only by query/parser/*.cc): the glue between ANTLR's runtime and
// Lodestone's own types. Nothing declared here may appear in a public header.
#pragma once

#include <string>
#include <string_view>

#include <antlr4-runtime.h>

#include "LodestoneLexer.h"
#include "LodestoneParser.h"
#include "query/ast/source_location.h"
#include "query/parser/source_text.h"

namespace lodestone::query::internal {

using grammar::LodestoneLexer;
using grammar::LodestoneParser;

// An ANTLR input stream over code points that SourceText already decoded (ANTLRInputStream would decode
// the UTF-8 again, and throw on invalid input instead of reporting it).
class CodePointStream : public antlr4::ANTLRInputStream {
 public:
  CodePointStream(const std::u32string& code_points, size_t begin, size_t end) {
    _data.assign(code_points.begin() + static_cast<std::ptrdiff_t>(begin),
                 code_points.begin() + static_cast<std::ptrdiff_t>(end));
    p = 0;
  }
};

// Maps tokens and contexts of one statement (which starts at code point `base` of the source) to
// SourceLocations and source text.
class TokenLocator {
 public:
  TokenLocator(const SourceText& source, size_t base, antlr4::BufferedTokenStream& tokens)
      : source_(source), base_(base), tokens_(tokens) {}

  // A token's location. The end-of-input token is placed right after the last real token, where a
  // caret makes sense ("expected ')' ... found end of input").
  ast::SourceLocation At(const antlr4::Token* token) const;
  // From the start of `first` to the end of `last`.
  ast::SourceLocation Span(const antlr4::Token* first, const antlr4::Token* last) const;
  ast::SourceLocation Of(antlr4::ParserRuleContext* ctx) const;
  // The exact source text of a context, comments and spacing inside it included.
  std::string Text(antlr4::ParserRuleContext* ctx) const;

  // The code points of a token, and the location of code points [from, to) within it.
  std::u32string_view CodePoints(const antlr4::Token* token) const {
    return std::u32string_view(source_.code_points())
        .substr(base_ + token->getStartIndex(), token->getStopIndex() + 1 - token->getStartIndex());
  }
  ast::SourceLocation Within(const antlr4::Token* token, size_t from, size_t to) const {
    return source_.Locate(base_ + token->getStartIndex() + from, base_ + token->getStartIndex() + to);
  }

  const SourceText& source() const { return source_; }
  antlr4::BufferedTokenStream& tokens() const { return tokens_; }
  // The last token before `token` on the default channel, or null.
  antlr4::Token* Previous(const antlr4::Token* token) const;

 private:
  const SourceText& source_;
  size_t base_;
  antlr4::BufferedTokenStream& tokens_;
};

}  // namespace lodestone::query::internal
