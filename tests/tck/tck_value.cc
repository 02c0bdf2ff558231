#include "tests/tck/tck_value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "query/database.h"

namespace lodestone::tck {

TckValue::TckValue() = default;
TckValue::TckValue(const TckValue&) = default;
TckValue::TckValue(TckValue&&) noexcept = default;
TckValue& TckValue::operator=(const TckValue&) = default;
TckValue& TckValue::operator=(TckValue&&) noexcept = default;
TckValue::~TckValue() = default;

TckValue TckValue::Bool(bool v) {
  TckValue t;
  t.kind = Kind::kBool;
  t.b = v;
  return t;
}
TckValue TckValue::Int(int64_t v) {
  TckValue t;
  t.kind = Kind::kInt;
  t.i = v;
  return t;
}
TckValue TckValue::Float(double v) {
  TckValue t;
  t.kind = Kind::kFloat;
  t.f = v;
  return t;
}
TckValue TckValue::String(std::string v) {
  TckValue t;
  t.kind = Kind::kString;
  t.s = std::move(v);
  return t;
}
TckValue TckValue::List(std::vector<TckValue> items) {
  TckValue t;
  t.kind = Kind::kList;
  t.items = std::move(items);
  return t;
}

namespace {

void SortEntries(std::vector<std::pair<std::string, TckValue>>* entries) {
  std::stable_sort(entries->begin(), entries->end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
}

}  // namespace

TckValue TckValue::Map(std::vector<std::pair<std::string, TckValue>> entries) {
  TckValue t;
  t.kind = Kind::kMap;
  t.entries = std::move(entries);
  SortEntries(&t.entries);
  return t;
}
TckValue TckValue::Node(std::vector<std::string> labels,
                        std::vector<std::pair<std::string, TckValue>> props) {
  TckValue t;
  t.kind = Kind::kNode;
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  t.labels = std::move(labels);
  t.entries = std::move(props);
  SortEntries(&t.entries);
  return t;
}
TckValue TckValue::Rel(std::string type, std::vector<std::pair<std::string, TckValue>> props) {
  TckValue t;
  t.kind = Kind::kRel;
  t.s = std::move(type);
  t.entries = std::move(props);
  SortEntries(&t.entries);
  return t;
}
TckValue TckValue::Path(std::vector<TckValue> nodes, std::vector<TckValue> rels, std::vector<bool> forward) {
  TckValue t;
  t.kind = Kind::kPath;
  for (size_t k = 0; k < nodes.size(); ++k) {
    t.items.push_back(std::move(nodes[k]));
    if (k < rels.size()) t.items.push_back(std::move(rels[k]));
  }
  t.forward = std::move(forward);
  return t;
}

// ---- parsing ----

namespace {

bool IsIdentStart(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80;
}
bool IsIdentPart(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k) {
    char x = a[k];
    char y = b[k];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

using Props = std::vector<std::pair<std::string, TckValue>>;

class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in) {}

  Result<TckValue> ParseAll() {
    auto v = ParseValue();
    if (!v.ok()) return v;
    SkipSpace();
    if (pos_ != in_.size()) return Error("unexpected text after the value");
    return v;
  }

 private:
  Status Error(const std::string& what) const {
    return Status::InvalidArgument(what + " at offset " + std::to_string(pos_) + " of `" + std::string(in_) +
                                   "`");
  }
  bool AtEnd() const { return pos_ >= in_.size(); }
  char Peek(size_t ahead = 0) const { return pos_ + ahead < in_.size() ? in_[pos_ + ahead] : '\0'; }
  void SkipSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) ++pos_;
  }
  bool Consume(char c) {
    SkipSpace();
    if (Peek() != c || AtEnd()) return false;
    ++pos_;
    return true;
  }
  Status Expect(char c) {
    if (!Consume(c)) return Error(std::string("expected '") + c + "'");
    return Status::OK();
  }

  Result<TckValue> ParseValue() {
    SkipSpace();
    if (AtEnd()) return Error("expected a value");
    const char c = Peek();
    if (c == '\'' || c == '"') {
      auto s = ParseQuoted();
      if (!s.ok()) return s.status();
      return TckValue::String(std::move(s).value());
    }
    if (c == '[') {
      size_t save = pos_;
      ++pos_;
      SkipSpace();
      bool rel = Peek() == ':';
      pos_ = save;
      return rel ? ParseRel() : ParseList();
    }
    if (c == '{') {
      auto props = ParseProps();
      if (!props.ok()) return props.status();
      return TckValue::Map(std::move(props).value());
    }
    if (c == '(') return ParseNode();
    if (c == '<') return ParsePath();
    if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) return ParseNumber();
    if (IsIdentStart(c)) {
      size_t start = pos_;
      while (!AtEnd() && IsIdentPart(Peek())) ++pos_;
      std::string_view word = in_.substr(start, pos_ - start);
      if (EqualsIgnoreCase(word, "null")) return TckValue::Null();
      if (EqualsIgnoreCase(word, "true")) return TckValue::Bool(true);
      if (EqualsIgnoreCase(word, "false")) return TckValue::Bool(false);
      if (word == "NaN") return TckValue::Float(std::numeric_limits<double>::quiet_NaN());
      if (word == "Inf" || word == "Infinity")
        return TckValue::Float(std::numeric_limits<double>::infinity());
      pos_ = start;
      return Error("unknown word '" + std::string(word) + "'");
    }
    return Error(std::string("unexpected '") + c + "'");
  }

  Result<TckValue> ParseNumber() {
    const size_t start = pos_;
    bool negative = false;
    if (Peek() == '-' || Peek() == '+') {
      negative = Peek() == '-';
      ++pos_;
    }
    if (IsIdentStart(Peek())) {
      size_t word_start = pos_;
      while (!AtEnd() && IsIdentPart(Peek())) ++pos_;
      std::string_view word = in_.substr(word_start, pos_ - word_start);
      if (word == "Inf" || word == "Infinity") {
        return TckValue::Float(negative ? -std::numeric_limits<double>::infinity()
                                        : std::numeric_limits<double>::infinity());
      }
      if (word == "NaN") return TckValue::Float(std::numeric_limits<double>::quiet_NaN());
      pos_ = start;
      return Error("malformed number");
    }
    const size_t digits_start = pos_;
    bool is_float = false;
    bool any_digit = false;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9') {
      ++pos_;
      any_digit = true;
    }
    if (Peek() == '.' && Peek(1) >= '0' && Peek(1) <= '9') {
      is_float = true;
      ++pos_;
      while (!AtEnd() && Peek() >= '0' && Peek() <= '9') {
        ++pos_;
        any_digit = true;
      }
    } else if (Peek() == '.' && any_digit && !(Peek(1) >= '0' && Peek(1) <= '9')) {
      // "1." is not a number of the notation.
      return Error("malformed number");
    }
    if (!any_digit) {
      pos_ = start;
      return Error("malformed number");
    }
    if (Peek() == 'e' || Peek() == 'E') {
      is_float = true;
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!(Peek() >= '0' && Peek() <= '9')) return Error("malformed exponent");
      while (!AtEnd() && Peek() >= '0' && Peek() <= '9') ++pos_;
    }
    if (IsIdentPart(Peek())) return Error("malformed number");
    std::string text(in_.substr(digits_start, pos_ - digits_start));
    if (!is_float) {
      if (negative) text.insert(text.begin(), '-');
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || ptr != text.data() + text.size()) {
        pos_ = start;
        return Error("integer out of range");
      }
      return TckValue::Int(v);
    }
    if (text.front() == '.') text.insert(text.begin(), '0');
    double v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc::result_out_of_range) {
      // Overflow to infinity or underflow to zero, as a literal of the language would.
      v = std::strtod(text.c_str(), nullptr);
    } else if (ec != std::errc() || ptr != text.data() + text.size()) {
      pos_ = start;
      return Error("malformed float");
    }
    return TckValue::Float(negative ? -v : v);
  }

  Result<std::string> ParseQuoted() {
    const char quote = Peek();
    ++pos_;
    std::string out;
    while (true) {
      if (AtEnd()) return Error("unterminated string");
      char c = in_[pos_++];
      if (c == quote) return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (AtEnd()) return Error("unterminated string");
      char e = in_[pos_++];
      switch (e) {
        case '\\':
          out += '\\';
          break;
        case '\'':
          out += '\'';
          break;
        case '"':
          out += '"';
          break;
        case '/':
          out += '/';
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          auto hex = [&](uint32_t* cp) -> bool {
            if (pos_ + 4 > in_.size()) return false;
            auto [ptr, ec] = std::from_chars(in_.data() + pos_, in_.data() + pos_ + 4, *cp, 16);
            if (ec != std::errc() || ptr != in_.data() + pos_ + 4) return false;
            pos_ += 4;
            return true;
          };
          uint32_t cp = 0;
          if (!hex(&cp)) return Error("malformed \\u escape");
          if (cp >= 0xD800 && cp < 0xDC00 && Peek() == '\\' && Peek(1) == 'u') {
            pos_ += 2;
            uint32_t low = 0;
            if (!hex(&low) || low < 0xDC00 || low >= 0xE000) return Error("malformed surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(&out, cp);
          break;
        }
        default:
          --pos_;
          return Error(std::string("unknown escape \\") + e);
      }
    }
  }

  // A label, type or key: an identifier or a `backtick-quoted` name (`` for a backtick).
  Result<std::string> ParseName() {
    SkipSpace();
    if (Peek() == '`') {
      ++pos_;
      std::string out;
      while (true) {
        if (AtEnd()) return Error("unterminated `name`");
        char c = in_[pos_++];
        if (c == '`') {
          if (Peek() == '`') {
            out += '`';
            ++pos_;
            continue;
          }
          return out;
        }
        out += c;
      }
    }
    if (!IsIdentStart(Peek())) return Error("expected a name");
    size_t start = pos_;
    while (!AtEnd() && IsIdentPart(Peek())) ++pos_;
    return std::string(in_.substr(start, pos_ - start));
  }

  Result<Props> ParseProps() {
    RETURN_IF_ERROR(Expect('{'));
    Props props;
    if (Consume('}')) return props;
    while (true) {
      SkipSpace();
      std::string key;
      if (Peek() == '\'' || Peek() == '"') {
        auto k = ParseQuoted();
        if (!k.ok()) return k.status();
        key = std::move(k).value();
      } else {
        auto k = ParseName();
        if (!k.ok()) return k.status();
        key = std::move(k).value();
      }
      for (const auto& [existing, unused] : props) {
        if (existing == key) return Error("repeated key '" + key + "'");
      }
      RETURN_IF_ERROR(Expect(':'));
      auto v = ParseValue();
      if (!v.ok()) return v.status();
      props.emplace_back(std::move(key), std::move(v).value());
      if (Consume('}')) return props;
      RETURN_IF_ERROR(Expect(','));
    }
  }

  Result<TckValue> ParseList() {
    RETURN_IF_ERROR(Expect('['));
    std::vector<TckValue> items;
    if (Consume(']')) return TckValue::List(std::move(items));
    while (true) {
      auto v = ParseValue();
      if (!v.ok()) return v;
      items.push_back(std::move(v).value());
      if (Consume(']')) return TckValue::List(std::move(items));
      RETURN_IF_ERROR(Expect(','));
    }
  }

  Result<TckValue> ParseNode() {
    RETURN_IF_ERROR(Expect('('));
    std::vector<std::string> labels;
    while (Consume(':')) {
      auto name = ParseName();
      if (!name.ok()) return name.status();
      labels.push_back(std::move(name).value());
    }
    auto props = ParseOptionalProps();
    if (!props.ok()) return props.status();
    RETURN_IF_ERROR(Expect(')'));
    return TckValue::Node(std::move(labels), std::move(props).value());
  }

  // A property map if one follows, else none.
  Result<Props> ParseOptionalProps() {
    SkipSpace();
    if (Peek() != '{') return Props{};
    return ParseProps();
  }

  Result<TckValue> ParseRel() {
    RETURN_IF_ERROR(Expect('['));
    RETURN_IF_ERROR(Expect(':'));
    auto type = ParseName();
    if (!type.ok()) return type.status();
    auto props = ParseOptionalProps();
    if (!props.ok()) return props.status();
    RETURN_IF_ERROR(Expect(']'));
    return TckValue::Rel(std::move(type).value(), std::move(props).value());
  }

  Result<TckValue> ParsePath() {
    RETURN_IF_ERROR(Expect('<'));
    std::vector<TckValue> nodes;
    std::vector<TckValue> rels;
    std::vector<bool> forward;
    auto first = ParseNode();
    if (!first.ok()) return first;
    nodes.push_back(std::move(first).value());
    while (true) {
      SkipSpace();
      if (Consume('>')) break;
      bool fwd;
      if (Peek() == '-') {
        ++pos_;
        fwd = true;
      } else if (Peek() == '<' && Peek(1) == '-') {
        pos_ += 2;
        fwd = false;
      } else {
        return Error("expected '-[', '<-[' or '>' in a path");
      }
      auto rel = ParseRel();
      if (!rel.ok()) return rel;
      if (fwd) {
        if (!(Consume('-') && Peek() == '>')) return Error("expected ']->' in a path");
        ++pos_;
      } else {
        RETURN_IF_ERROR(Expect('-'));
      }
      auto node = ParseNode();
      if (!node.ok()) return node;
      rels.push_back(std::move(rel).value());
      forward.push_back(fwd);
      nodes.push_back(std::move(node).value());
    }
    return TckValue::Path(std::move(nodes), std::move(rels), std::move(forward));
  }

  std::string_view in_;
  size_t pos_ = 0;
};

// ---- formatting ----

std::string FormatName(std::string_view name) {
  bool plain = !name.empty() && IsIdentStart(name.front());
  for (char c : name) plain = plain && IsIdentPart(c);
  if (plain) return std::string(name);
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

std::string FormatString(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  return out + "'";
}

std::string FormatFloat(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Inf" : "-Inf";
  if (d == 0) return "0.0";  // also -0.0
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  std::string out(buf, ptr);
  if (out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

void Format(const TckValue& v, bool sort_lists, std::string* out);

void FormatProps(const std::vector<std::pair<std::string, TckValue>>& entries, bool sort_lists,
                 std::string* out) {
  *out += '{';
  bool first = true;
  for (const auto& [k, val] : entries) {
    if (!first) *out += ", ";
    first = false;
    *out += FormatName(k);
    *out += ": ";
    Format(val, sort_lists, out);
  }
  *out += '}';
}

void FormatNode(const TckValue& v, bool sort_lists, std::string* out) {
  *out += '(';
  for (const auto& l : v.labels) *out += ":" + FormatName(l);
  if (!v.entries.empty()) {
    if (!v.labels.empty()) *out += ' ';
    FormatProps(v.entries, sort_lists, out);
  }
  *out += ')';
}

void FormatRel(const TckValue& v, bool sort_lists, std::string* out) {
  *out += "[:" + FormatName(v.s);
  if (!v.entries.empty()) {
    *out += ' ';
    FormatProps(v.entries, sort_lists, out);
  }
  *out += ']';
}

void Format(const TckValue& v, bool sort_lists, std::string* out) {
  switch (v.kind) {
    case TckValue::Kind::kNull:
      *out += "null";
      return;
    case TckValue::Kind::kBool:
      *out += v.b ? "true" : "false";
      return;
    case TckValue::Kind::kInt:
      *out += std::to_string(v.i);
      return;
    case TckValue::Kind::kFloat:
      *out += FormatFloat(v.f);
      return;
    case TckValue::Kind::kString:
      *out += FormatString(v.s);
      return;
    case TckValue::Kind::kList: {
      std::vector<std::string> parts;
      parts.reserve(v.items.size());
      for (const auto& item : v.items) {
        std::string p;
        Format(item, sort_lists, &p);
        parts.push_back(std::move(p));
      }
      if (sort_lists) std::sort(parts.begin(), parts.end());
      *out += '[';
      for (size_t k = 0; k < parts.size(); ++k) {
        if (k > 0) *out += ", ";
        *out += parts[k];
      }
      *out += ']';
      return;
    }
    case TckValue::Kind::kMap:
      FormatProps(v.entries, sort_lists, out);
      return;
    case TckValue::Kind::kNode:
      FormatNode(v, sort_lists, out);
      return;
    case TckValue::Kind::kRel:
      FormatRel(v, sort_lists, out);
      return;
    case TckValue::Kind::kPath: {
      *out += '<';
      for (size_t k = 0; k < v.items.size(); ++k) {
        if (k % 2 == 0) {
          FormatNode(v.items[k], sort_lists, out);
        } else {
          const bool fwd = v.forward[k / 2];
          *out += fwd ? "-" : "<-";
          FormatRel(v.items[k], sort_lists, out);
          *out += fwd ? "->" : "-";
        }
      }
      *out += '>';
      return;
    }
  }
}

Result<std::vector<std::pair<std::string, TckValue>>> FromEngineProps(
    const std::map<std::string, Value>& props, const QueryResult& result) {
  std::vector<std::pair<std::string, TckValue>> out;
  for (const auto& [k, v] : props) {
    auto t = FromEngineValue(v, result);
    if (!t.ok()) return t.status();
    out.emplace_back(k, std::move(t).value());
  }
  return out;
}

Result<TckValue> NodeFromEngine(NodeId id, const QueryResult& result) {
  auto it = result.nodes.find(id);
  if (it == result.nodes.end()) {
    return Status::Internal("node " + std::to_string(id) + " is in a row but not in the result's nodes");
  }
  auto props = FromEngineProps(it->second.properties, result);
  if (!props.ok()) return props.status();
  return TckValue::Node(it->second.labels, std::move(props).value());
}

Result<TckValue> RelFromEngine(RelId id, const QueryResult& result) {
  auto it = result.relationships.find(id);
  if (it == result.relationships.end()) {
    return Status::Internal("relationship " + std::to_string(id) +
                            " is in a row but not in the result's relationships");
  }
  auto props = FromEngineProps(it->second.properties, result);
  if (!props.ok()) return props.status();
  return TckValue::Rel(it->second.type, std::move(props).value());
}

}  // namespace

Result<TckValue> ParseTckValue(std::string_view text) { return Parser(text).ParseAll(); }

std::string FormatTckValue(const TckValue& v, bool sort_lists) {
  std::string out;
  Format(v, sort_lists, &out);
  return out;
}

bool TckEqual(const TckValue& a, const TckValue& b, bool ignore_list_order) {
  return FormatTckValue(a, ignore_list_order) == FormatTckValue(b, ignore_list_order);
}

Result<TckValue> FromEngineValue(const Value& v, const QueryResult& result) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      return TckValue::Null();
    case Value::Kind::kBool:
      return TckValue::Bool(v.as_bool());
    case Value::Kind::kInt:
      return TckValue::Int(v.as_int());
    case Value::Kind::kFloat:
      return TckValue::Float(v.as_float());
    case Value::Kind::kString:
      return TckValue::String(v.as_string());
    case Value::Kind::kDate:
      return TckValue::String(v.as_date().ToString());
    case Value::Kind::kDateTime:
      return TckValue::String(v.as_datetime().IsoString());
    case Value::Kind::kDuration:
      return TckValue::String(v.as_duration().ToString());
    case Value::Kind::kLocalTime:
      return TckValue::String(v.as_localtime().ToString());
    case Value::Kind::kTime:
      return TckValue::String(v.as_time().ToString());
    case Value::Kind::kLocalDateTime:
      return TckValue::String(v.as_localdatetime().ToString());
    case Value::Kind::kList: {
      std::vector<TckValue> items;
      for (const Value& item : v.as_list()) {
        auto t = FromEngineValue(item, result);
        if (!t.ok()) return t;
        items.push_back(std::move(t).value());
      }
      return TckValue::List(std::move(items));
    }
    case Value::Kind::kMap: {
      std::vector<std::pair<std::string, TckValue>> entries;
      for (const auto& [k, item] : v.as_map()) {
        auto t = FromEngineValue(item, result);
        if (!t.ok()) return t;
        entries.emplace_back(k, std::move(t).value());
      }
      return TckValue::Map(std::move(entries));
    }
    case Value::Kind::kNode:
      return NodeFromEngine(v.as_node().id, result);
    case Value::Kind::kRel:
      return RelFromEngine(v.as_rel().id, result);
    case Value::Kind::kPath: {
      const PathValue& p = v.as_path();
      if (p.nodes.size() != p.rels.size() + 1) {
        return Status::Internal("a path with " + std::to_string(p.nodes.size()) + " nodes and " +
                                std::to_string(p.rels.size()) + " relationships");
      }
      std::vector<TckValue> nodes;
      std::vector<TckValue> rels;
      std::vector<bool> forward;
      for (size_t k = 0; k < p.nodes.size(); ++k) {
        auto n = NodeFromEngine(p.nodes[k].id, result);
        if (!n.ok()) return n;
        nodes.push_back(std::move(n).value());
        if (k == p.rels.size()) break;
        const RelRef& r = p.rels[k];
        const NodeId from = p.nodes[k].id;
        const NodeId to = p.nodes[k + 1].id;
        if (r.src == from && r.dst == to) {
          forward.push_back(true);
        } else if (r.dst == from && r.src == to) {
          forward.push_back(false);
        } else {
          return Status::Internal("relationship " + std::to_string(r.id) + " of a path does not join nodes " +
                                  std::to_string(from) + " and " + std::to_string(to));
        }
        auto rel = RelFromEngine(r.id, result);
        if (!rel.ok()) return rel;
        rels.push_back(std::move(rel).value());
      }
      return TckValue::Path(std::move(nodes), std::move(rels), std::move(forward));
    }
  }
  return Status::Internal("a value of unknown kind");
}

Result<Value> ToEngineValue(const TckValue& v) {
  switch (v.kind) {
    case TckValue::Kind::kNull:
      return Value();
    case TckValue::Kind::kBool:
      return Value(v.b);
    case TckValue::Kind::kInt:
      return Value(v.i);
    case TckValue::Kind::kFloat:
      return Value(v.f);
    case TckValue::Kind::kString:
      return Value(v.s);
    case TckValue::Kind::kList: {
      ValueList items;
      for (const auto& item : v.items) {
        auto e = ToEngineValue(item);
        if (!e.ok()) return e;
        items.push_back(std::move(e).value());
      }
      return Value(std::move(items));
    }
    case TckValue::Kind::kMap: {
      ValueMap entries;
      for (const auto& [k, item] : v.entries) {
        auto e = ToEngineValue(item);
        if (!e.ok()) return e;
        entries.emplace(k, std::move(e).value());
      }
      return Value(std::move(entries));
    }
    case TckValue::Kind::kNode:
    case TckValue::Kind::kRel:
    case TckValue::Kind::kPath:
      return Status::InvalidArgument("a node, relationship or path cannot be a parameter: " +
                                     FormatTckValue(v));
  }
  return Status::Internal("a value of unknown kind");
}

}  // namespace lodestone::tck
