// URL pieces for the web server: splitting a request target, percent-decoding, query strings, and the
// one check that decides whether a path may name a file of the page.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace lodestone::web {

// Decodes %XX escapes (and, with plus_is_space, '+' as a space, as in query strings). Nullopt when an
// escape is malformed ("%zz", a lone '%') or the result holds a NUL byte.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// A request target split at the first '?': the path as sent (still encoded) and the query after it.
struct Target {
  std::string_view path;
  std::string_view query;
};
Target SplitTarget(std::string_view target);

// Parses "a=1&b=x%20y&a=2" into name -> value pairs (names may repeat). Nullopt on a malformed escape.
std::optional<std::multimap<std::string, std::string>> ParseQuery(std::string_view query);

// Whether a raw (undecoded) request path may name a file of the page, and if so the file's name
// relative to the asset root ("index.html", "assets/index-x1.js"). Only [A-Za-z0-9_.-] segments
// separated by single '/' are accepted: no escapes at all (so no %2e%2e or %2f), no backslash, no
// empty, "." or ".." segment, no segment starting with '.'. "/" names "index.html".
std::optional<std::string> AssetPath(std::string_view raw_path);

}  // namespace lodestone::web
