#include "domain/tabular.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "util/strings.h"

namespace lodestone::domain {
namespace {

using json = nlohmann::json;

std::string Trim(std::string_view s) { return std::string(util::Trim(s)); }

std::vector<std::string> SplitList(const std::string& text, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t next = text.find(sep, pos);
    if (next == std::string::npos) next = text.size();
    std::string item = Trim(std::string_view(text).substr(pos, next - pos));
    if (!item.empty()) out.push_back(std::move(item));
    pos = next + 1;
  }
  return out;
}

// Text from a cell as JSON of the property's type, so the schema check reports a wrong value with
// the usual message.
json Typed(const std::string& text, const PropertySpec* spec, char list_sep) {
  if (!spec) return text;
  switch (spec->type) {
    case PropType::kNumber:
    case PropType::kConfidence:
    case PropType::kInteger: {
      const char* b = text.data();
      const char* e = b + text.size();
      int64_t i;
      auto [p, ec] = std::from_chars(b, e, i);
      if (ec == std::errc() && p == e) return i;
      char* end = nullptr;
      double d = std::strtod(text.c_str(), &end);
      if (end && *end == '\0' && !text.empty()) return d;
      return text;
    }
    case PropType::kBoolean: {
      std::string l = text;
      std::transform(l.begin(), l.end(), l.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (l == "true" || l == "yes") return true;
      if (l == "false" || l == "no") return false;
      return text;
    }
    case PropType::kList:
      return SplitList(text, list_sep);
    default:
      return text;
  }
}

const char* kEventColumns[] = {"date",    "title",    "event_kind", "involves",
                               "affects", "concerns", "sources",    "summary"};
const char* kEventOptional[] = {"key", "event", "location", "date_text", "confidence", "note"};

}  // namespace

std::string Slugify(std::string_view text, size_t max_length) {
  std::string out;
  bool dash = false;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += static_cast<char>(std::tolower(u));
      if (out.size() >= max_length) break;
    } else if (c == '.' && !out.empty() && std::isdigit(static_cast<unsigned char>(out.back()))) {
      out += '.';
    } else {
      dash = true;
    }
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  return out;
}

bool ParseCsv(std::string_view text, char delimiter, std::vector<CsvRow>* rows, Problem* problem) {
  size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  int line = 1;
  while (i < text.size()) {
    CsvRow row;
    row.line = line;
    std::string cell;
    bool in_quotes = false, quoted = false, row_done = false;
    int quote_line = line;
    while (!row_done) {
      if (i >= text.size()) {
        if (in_quotes) {
          *problem =
              Problem{"", quote_line, "",
                      "a quoted field is never closed: a '\"' opened on this line has no matching '\"'"};
          return false;
        }
        row.cells.push_back(std::move(cell));
        row_done = true;
        break;
      }
      char c = text[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            cell += '"';
            i += 2;
          } else {
            in_quotes = false;
            ++i;
          }
        } else {
          if (c == '\n') ++line;
          cell += c;
          ++i;
        }
        continue;
      }
      if (c == '"' && Trim(cell).empty() && !quoted) {
        in_quotes = quoted = true;
        quote_line = line;
        cell.clear();
        ++i;
      } else if (c == delimiter) {
        row.cells.push_back(quoted ? std::move(cell) : Trim(cell));
        cell.clear();
        quoted = false;
        ++i;
      } else if (c == '\r' || c == '\n') {
        row.cells.push_back(quoted ? std::move(cell) : Trim(cell));
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        row_done = true;
      } else {
        cell += c;
        ++i;
      }
    }
    bool blank =
        std::all_of(row.cells.begin(), row.cells.end(), [](const std::string& s) { return s.empty(); });
    if (!blank) rows->push_back(std::move(row));
  }
  return true;
}

namespace {
// "delimiter" or "list_separator": one character.
bool ParseSeparator(const std::string& name, const json& v, char* out, std::string* error) {
  if (!v.is_string() || v.get<std::string>().size() != 1) {
    *error = "\"" + name + "\" is one character, e.g. \",\" or \";\"";
    return false;
  }
  *out = v.get<std::string>()[0];
  return true;
}
}  // namespace

CsvMapping CsvMapping::Events() {
  CsvMapping m;
  m.form_ = "event";
  m.events_default_ = true;
  return m;
}

bool CsvMapping::Parse(std::string_view text, CsvMapping* out, std::string* error) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    *error = "a mapping file is a JSON object: {\"form\": \"node\", \"fields\": {...}} (see docs/import.md)";
    return false;
  }
  CsvMapping m;
  if (!doc.contains("records")) {
    if (!ParseForm(doc, false, &m, error)) return false;
    *out = std::move(m);
    return true;
  }
  // Several records per row: shared settings here, one mapping per part.
  for (const auto& [k, v] : doc.items()) {
    if (k == "delimiter" || k == "list_separator") {
      if (!ParseSeparator(k, v, k == "delimiter" ? &m.delimiter_ : &m.list_separator_, error)) return false;
    } else if (k == "records") {
      if (!v.is_array() || v.empty()) {
        *error =
            "\"records\" is a list of mappings, one per record each row becomes: [{\"form\": \"node\", "
            "\"fields\": {...}}, ...]";
        return false;
      }
    } else if (k != "about") {
      *error = "unknown entry \"" + k +
               "\"; a mapping with \"records\" has records, delimiter, list_separator, about";
      return false;
    }
  }
  size_t n = 0;
  for (const auto& part_doc : doc["records"]) {
    CsvMapping part;
    part.delimiter_ = m.delimiter_;
    part.list_separator_ = m.list_separator_;
    std::string e;
    if (!part_doc.is_object() || !ParseForm(part_doc, true, &part, &e)) {
      *error = "records[" + std::to_string(n) + "]: " + (e.empty() ? "expected a mapping object" : e);
      return false;
    }
    m.parts_.push_back(std::move(part));
    ++n;
  }
  *out = std::move(m);
  return true;
}

bool CsvMapping::ParseForm(const json& doc, bool part, CsvMapping* out, std::string* error) {
  CsvMapping& m = *out;
  for (const auto& [k, v] : doc.items()) {
    if (k == "form") {
      if (!v.is_string() || (v != "node" && v != "rel" && v != "event")) {
        *error = "\"form\" is \"node\", \"rel\" or \"event\"";
        return false;
      }
      m.form_ = v.get<std::string>();
    } else if (!part && (k == "delimiter" || k == "list_separator")) {
      if (!ParseSeparator(k, v, k == "delimiter" ? &m.delimiter_ : &m.list_separator_, error)) return false;
    } else if (part && (k == "for_each" || k == "when")) {
      if (!v.is_string() || v.get<std::string>().empty()) {
        *error = "\"" + k + "\" names a column";
        return false;
      }
      (k == "for_each" ? m.for_each_ : m.when_) = v.get<std::string>();
    } else if (k == "fields") {
      if (!v.is_object() || v.empty()) {
        *error =
            "\"fields\" maps record fields (\"node\", \"labels\", \"props.name\", \"sources\", ...) to "
            "columns";
        return false;
      }
      for (const auto& [field, src] : v.items()) {
        Source s;
        if (src.is_string()) {
          s.kind = Source::Kind::kColumn;
          s.column = src.get<std::string>();
        } else if (src.is_object() && src.size() == 1 && src.contains("column") &&
                   src["column"].is_string()) {
          s.kind = Source::Kind::kColumn;
          s.column = src["column"].get<std::string>();
        } else if (src.is_object() && src.size() == 1 && src.contains("value")) {
          s.kind = Source::Kind::kValue;
          s.value = src["value"];
        } else if (src.is_object() && src.size() == 1 && src.contains("template") &&
                   src["template"].is_string()) {
          s.kind = Source::Kind::kTemplate;
          s.templ = src["template"].get<std::string>();
        } else {
          *error = "fields." + field +
                   ": expected a column name, {\"value\": ...}, or {\"template\": \"actor/{slug:Name}\"}";
          return false;
        }
        m.fields_.emplace_back(field, std::move(s));
      }
    } else if (k == "about") {
    } else {
      *error = "unknown entry \"" + k + "\"; a mapping has form, fields, " +
               (part ? "for_each, when, about" : "delimiter, list_separator, records, about");
      return false;
    }
  }
  if (m.fields_.empty()) {
    *error = "the mapping has no \"fields\"";
    return false;
  }
  return true;
}

int CsvMapping::ColumnIndex(const std::string& name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

bool CsvMapping::BindHeader(const std::vector<std::string>& header, const Schema& schema,
                            std::vector<Problem>* problems) {
  header_ = header;
  for (auto& h : header_) h = Trim(h);
  if (parts_.empty()) return BindPart(schema, problems);
  bool ok = true;
  for (size_t i = 0; i < parts_.size(); ++i) {
    CsvMapping& part = parts_[i];
    part.header_ = header_;
    for (const std::string* col : {&part.for_each_, &part.when_}) {
      if (!col->empty() && ColumnIndex(*col) < 0) {
        problems->push_back({"", 1, *col,
                             "records[" + std::to_string(i) + "] reads column '" + *col +
                                 "', but the header has no such column; it has " + JoinChoices(header_, 40)});
        ok = false;
      }
    }
    ok = part.BindPart(schema, problems) && ok;
  }
  return ok;
}

bool CsvMapping::BindPart(const Schema& schema, std::vector<Problem>* problems) {
  bool ok = true;
  if (events_default_) {
    fields_.clear();
    for (size_t i = 0; i < header_.size(); ++i) {
      const std::string& h = header_[i];
      bool known =
          std::find(std::begin(kEventColumns), std::end(kEventColumns), h) != std::end(kEventColumns) ||
          std::find(std::begin(kEventOptional), std::end(kEventOptional), h) != std::end(kEventOptional);
      const LabelSpec* ev = schema.FindLabel("Event");
      bool prop = !known && ev && (ev->FindProp(h) || schema.FindCommonNodeProp(h));
      if (!known && !prop) {
        std::vector<std::string> cols(std::begin(kEventColumns), std::end(kEventColumns));
        problems->push_back(
            {"", 1, h,
             "unknown column '" + h + "' in an event CSV; expected " + JoinChoices(cols) +
                 " (optionally key, location, date_text, confidence, note); other shapes need a "
                 "mapping file (docs/import.md)"});
        ok = false;
        continue;
      }
      std::string field = h == "key" ? "event"
                          : known && h != "location" && h != "date_text" && h != "confidence" && h != "note"
                              ? h
                              : "props." + h;
      fields_.emplace_back(field, Source{Source::Kind::kColumn, h, nullptr, ""});
    }
    for (const char* need : {"date", "title"}) {
      if (ColumnIndex(need) < 0) {
        problems->push_back({"", 1, need,
                             std::string("an event CSV needs a '") + need +
                                 "' column; its header is: " + JoinChoices(header_, 40)});
        ok = false;
      }
    }
  }
  field_column_.assign(fields_.size(), -1);
  for (size_t i = 0; i < fields_.size(); ++i) {
    const Source& s = fields_[i].second;
    if (s.kind == Source::Kind::kColumn) {
      field_column_[i] = ColumnIndex(s.column);
      if (field_column_[i] < 0) {
        problems->push_back({"", 1, s.column,
                             "the mapping reads column '" + s.column + "' for " + fields_[i].first +
                                 ", but the header has no such column; it has " + JoinChoices(header_, 40)});
        ok = false;
      }
    } else if (s.kind == Source::Kind::kTemplate) {
      size_t pos = 0;
      while ((pos = s.templ.find('{', pos)) != std::string::npos) {
        size_t end = s.templ.find('}', pos);
        if (end == std::string::npos) {
          problems->push_back({"", 1, fields_[i].first, "template '" + s.templ + "' has a '{' without '}'"});
          ok = false;
          break;
        }
        std::string name = s.templ.substr(pos + 1, end - pos - 1);
        if (name.rfind("slug:", 0) == 0 || name.rfind("snake:", 0) == 0)
          name = name.substr(name.find(':') + 1);
        if (name == "item" && !for_each_.empty()) {
          pos = end + 1;
          continue;
        }
        if (ColumnIndex(name) < 0) {
          problems->push_back({"", 1, fields_[i].first,
                               "template '" + s.templ + "' names column '" + name +
                                   "', which the header lacks; it has " + JoinChoices(header_, 40)});
          ok = false;
        }
        pos = end + 1;
      }
    }
  }
  return ok;
}

std::string CsvMapping::Cell(const CsvRow& row, size_t field_index) const {
  int c = field_column_[field_index];
  if (c < 0 || static_cast<size_t>(c) >= row.cells.size()) return "";
  return row.cells[static_cast<size_t>(c)];
}

std::string CsvMapping::Expand(const std::string& templ, const CsvRow& row, const std::string& item,
                               std::string* error) const {
  std::string out;
  size_t pos = 0;
  while (pos < templ.size()) {
    size_t open = templ.find('{', pos);
    if (open == std::string::npos) {
      out += templ.substr(pos);
      break;
    }
    out += templ.substr(pos, open - pos);
    size_t close = templ.find('}', open);
    std::string name = templ.substr(open + 1, close - open - 1);
    bool slug = name.rfind("slug:", 0) == 0;
    bool snake = name.rfind("snake:", 0) == 0;
    if (slug || snake) name = name.substr(name.find(':') + 1);
    int c = ColumnIndex(name);
    std::string v = name == "item" && !for_each_.empty()                  ? item
                    : c >= 0 && static_cast<size_t>(c) < row.cells.size() ? row.cells[static_cast<size_t>(c)]
                                                                          : "";
    if (v.empty()) {
      *error = "column '" + name + "' is empty, so '" + templ + "' cannot be filled in";
      return "";
    }
    if (snake) {
      // "Export licensing requirement" -> "export_licensing_requirement", as enumerations are written.
      std::string s = Slugify(v, 200);
      std::replace(s.begin(), s.end(), '-', '_');
      out += s;
    } else {
      out += slug ? Slugify(v) : v;
    }
    pos = close + 1;
  }
  return out;
}

std::string CsvMapping::ColumnOf(size_t part, const std::string& field) const {
  if (part < parts_.size()) return parts_[part].ColumnOfField(field);
  return ColumnOfField(field);
}

std::string CsvMapping::ColumnOfField(const std::string& field) const {
  std::string base = field;
  size_t bracket = base.find('[');
  if (bracket != std::string::npos) base = base.substr(0, bracket);
  for (const auto& [f, s] : fields_) {
    if (f == base || (base.rfind(f + ".", 0) == 0)) {
      std::string col = s.kind == Source::Kind::kColumn     ? s.column
                        : s.kind == Source::Kind::kTemplate ? s.templ
                                                            : "";
      if (col.empty() || col == field) return field;
      if (events_default_ && col == base) return field;
      return "column '" + col + "' (" + field + ")";
    }
  }
  return field;
}

bool CsvMapping::RowToRecords(const CsvRow& row, const Schema& schema,
                              std::vector<std::pair<size_t, json>>* out,
                              std::vector<Problem>* problems) const {
  if (row.cells.size() != header_.size()) {
    problems->push_back({"", row.line, "",
                         "this row has " + std::to_string(row.cells.size()) + " cells but the header has " +
                             std::to_string(header_.size()) + " columns (a missing or extra '" +
                             std::string(1, delimiter_) + "', or a quote that is not closed?)"});
    return false;
  }
  if (parts_.empty()) {
    json j;
    if (!RowToJson(row, schema, "", &j, problems)) return false;
    out->emplace_back(0, std::move(j));
    return true;
  }
  bool ok = true;
  for (size_t i = 0; i < parts_.size(); ++i) {
    const CsvMapping& part = parts_[i];
    auto cell = [&](const std::string& column) {
      int c = ColumnIndex(column);
      return c >= 0 && static_cast<size_t>(c) < row.cells.size() ? row.cells[static_cast<size_t>(c)]
                                                                 : std::string();
    };
    if (!part.when_.empty() && cell(part.when_).empty()) continue;
    std::vector<std::string> items = {""};
    if (!part.for_each_.empty()) items = SplitList(cell(part.for_each_), list_separator_);
    for (const std::string& item : items) {
      json j;
      if (part.RowToJson(row, schema, item, &j, problems)) {
        out->emplace_back(i, std::move(j));
      } else {
        ok = false;
      }
    }
  }
  return ok;
}

bool CsvMapping::RowToJson(const CsvRow& row, const Schema& schema, const std::string& list_item, json* out,
                           std::vector<Problem>* problems) const {
  // Field values: text from cells and templates, or JSON constants.
  std::vector<std::pair<std::string, json>> values;
  bool ok = true;
  for (size_t i = 0; i < fields_.size(); ++i) {
    const auto& [field, s] = fields_[i];
    if (s.kind == Source::Kind::kValue) {
      values.emplace_back(field, s.value);
      continue;
    }
    std::string text;
    if (s.kind == Source::Kind::kTemplate) {
      std::string error;
      text = Expand(s.templ, row, list_item, &error);
      if (!error.empty()) {
        problems->push_back({"", row.line, field, error});
        ok = false;
        continue;
      }
    } else {
      text = Cell(row, i);
    }
    if (text.empty()) continue;
    values.emplace_back(field, json(text));
  }
  if (!ok) return false;

  json rec = json::object();
  // Property specs by form, for typed conversion of text.
  const LabelSpec* label = nullptr;
  const RelSpec* rel = nullptr;
  if (form_ == "event") label = schema.FindLabel("Event");
  for (const auto& [field, v] : values) {
    if (form_ == "node" && field == "labels") {
      json labels = v.is_string() ? json(SplitList(v.get<std::string>(), list_separator_)) : v;
      if (labels.is_array() && !labels.empty() && labels[0].is_string())
        label = schema.FindLabel(labels[0].get<std::string>());
    }
    if (form_ == "rel" && field == "rel" && v.is_string()) rel = schema.FindRel(v.get<std::string>());
  }
  auto list_of = [&](const json& v) {
    return v.is_string() ? json(SplitList(v.get<std::string>(), list_separator_)) : v;
  };
  for (const auto& [field, v] : values) {
    if (field.rfind("props.", 0) == 0) {
      std::string name = field.substr(6);
      const PropertySpec* spec = label ? label->FindProp(name) : nullptr;
      if (!spec && rel) spec = rel->FindProp(name);
      if (!spec) spec = rel ? schema.FindCommonRelProp(name) : schema.FindCommonNodeProp(name);
      if (!rec.contains("props")) rec["props"] = json::object();
      rec["props"][name] = v.is_string() ? Typed(v.get<std::string>(), spec, list_separator_) : v;
    } else if (field == "labels" || field == "sources" || field == "concerns") {
      rec[field] = list_of(v);
    } else if (form_ == "event" && (field == "involves" || field == "affects")) {
      json items = json::array();
      json list = list_of(v);
      if (!list.is_array()) {
        rec[field] = v;
        continue;
      }
      for (const auto& item : list) {
        if (!item.is_string()) {
          items.push_back(item);
          continue;
        }
        std::string s = item.get<std::string>();
        size_t colon = s.find(':');
        std::string key = Trim(s.substr(0, colon));
        std::string extra = colon == std::string::npos ? "" : Trim(s.substr(colon + 1));
        if (field == "involves") {
          items.push_back(extra.empty() ? json(key) : json{{"actor", key}, {"role", extra}});
        } else {
          if (extra.empty()) {
            problems->push_back(
                {"", row.line, field,
                 "'" + s + "' needs an effect: write control-key:effect, e.g. " + key + ":suspends"});
            ok = false;
            continue;
          }
          items.push_back(json{{"control", key}, {"effect", extra}});
        }
      }
      rec[field] = items;
    } else if (field == "confidence") {
      rec[field] = v.is_string()
                       ? Typed(v.get<std::string>(), schema.FindCommonNodeProp("confidence"), list_separator_)
                       : v;
    } else {
      rec[field] = v;
    }
  }
  if (!ok) return false;
  if (form_ == "event" && !rec.contains("event")) {
    std::string date = rec.contains("date") && rec["date"].is_string() ? rec["date"].get<std::string>() : "";
    std::string title =
        rec.contains("title") && rec["title"].is_string() ? rec["title"].get<std::string>() : "";
    std::string slug = Slugify(title, 50);
    rec["event"] = "event/" + (date.empty() || slug.empty() ? "line-" + std::to_string(row.line)
                                                            : Slugify(date) + "-" + slug);
  }
  if (form_ == "node" && !rec.contains("node")) rec["node"] = nullptr;
  if (form_ == "rel" && !rec.contains("rel")) rec["rel"] = nullptr;
  *out = std::move(rec);
  return true;
}

}  // namespace lodestone::domain
