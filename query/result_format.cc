#include "query/result_format.h"

#include <cmath>
#include <sstream>

#include "query/eval/temporal.h"

namespace lodestone {
namespace {

using json = nlohmann::json;

constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;

json DateJson(Date d) { return json{{"$date", d.ToString()}}; }

json NodeJson(NodeId id, const QueryResult* r) {
  json n{{"id", id}};
  if (r) {
    auto it = r->nodes.find(id);
    if (it != r->nodes.end()) {
      const NodeData& d = it->second;
      if (!d.key.empty()) n["key"] = d.key;
      n["labels"] = d.labels;
      json props = json::object();
      for (const auto& [k, v] : d.properties) props[k] = ValueToJson(v, r);
      n["properties"] = props;
      if (d.deleted) n["deleted"] = true;
    }
  }
  return n;
}

json RelJson(const RelRef& rel, const QueryResult* r) {
  json j{{"id", rel.id}, {"start", rel.src}, {"end", rel.dst}};
  if (r) {
    auto it = r->relationships.find(rel.id);
    if (it != r->relationships.end()) {
      j["type"] = it->second.type;
      if (!it->second.key.empty()) j["key"] = it->second.key;
      json props = json::object();
      for (const auto& [k, v] : it->second.properties) props[k] = ValueToJson(v, r);
      j["properties"] = props;
    }
  }
  return j;
}

std::string CsvQuote(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Display width of UTF-8 text, counting code points.
size_t Width(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

json ValueToJson(const Value& v, const QueryResult* r) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      return nullptr;
    case Value::Kind::kBool:
      return v.as_bool();
    case Value::Kind::kInt: {
      int64_t i = v.as_int();
      if (i > kMaxSafeInteger || i < -kMaxSafeInteger) return json{{"$int", std::to_string(i)}};
      return i;
    }
    case Value::Kind::kFloat: {
      double d = v.as_float();
      if (std::isnan(d)) return json{{"$float", "NaN"}};
      if (std::isinf(d)) return json{{"$float", d > 0 ? "Infinity" : "-Infinity"}};
      return d;
    }
    case Value::Kind::kString:
      return v.as_string();
    case Value::Kind::kDate:
      return DateJson(v.as_date());
    case Value::Kind::kDateTime:
      return json{{"$datetime", v.as_datetime().ToString()}};
    case Value::Kind::kDuration:
      return json{{"$duration", v.as_duration().ToString()}};
    case Value::Kind::kLocalTime:
      return json{{"$localtime", v.as_localtime().ToString()}};
    case Value::Kind::kTime:
      return json{{"$time", v.as_time().ToString()}};
    case Value::Kind::kLocalDateTime:
      return json{{"$localdatetime", v.as_localdatetime().ToString()}};
    case Value::Kind::kList: {
      json a = json::array();
      for (const Value& e : v.as_list()) a.push_back(ValueToJson(e, r));
      return a;
    }
    case Value::Kind::kMap: {
      json o = json::object();
      for (const auto& [k, e] : v.as_map()) o[k] = ValueToJson(e, r);
      return o;
    }
    case Value::Kind::kNode:
      return json{{"$node", NodeJson(v.as_node().id, r)}};
    case Value::Kind::kRel:
      return json{{"$rel", RelJson(v.as_rel(), r)}};
    case Value::Kind::kPath: {
      json nodes = json::array(), rels = json::array();
      for (const auto& n : v.as_path().nodes) nodes.push_back(json{{"$node", NodeJson(n.id, r)}});
      for (const auto& x : v.as_path().rels) rels.push_back(json{{"$rel", RelJson(x, r)}});
      return json{{"$path", {{"nodes", nodes}, {"relationships", rels}}}};
    }
  }
  return nullptr;
}

Result<Value> ValueFromJson(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return Value();
    case json::value_t::boolean:
      return Value(j.get<bool>());
    case json::value_t::number_integer:
      return Value(j.get<int64_t>());
    case json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX))
        return Status::InvalidArgument("integer " + j.dump() + " is too large");
      return Value(static_cast<int64_t>(u));
    }
    case json::value_t::number_float:
      return Value(j.get<double>());
    case json::value_t::string:
      return Value(j.get<std::string>());
    case json::value_t::array: {
      ValueList l;
      for (const auto& e : j) {
        auto v = ValueFromJson(e);
        if (!v.ok()) return v.status();
        l.push_back(std::move(v).value());
      }
      return Value(std::move(l));
    }
    case json::value_t::object: {
      if (j.size() == 1) {
        const std::string k = j.begin().key();
        const json& inner = j.begin().value();
        if (k == "$date" && inner.is_string()) {
          auto d = Date::Parse(inner.get<std::string>());
          if (!d.ok()) return d.status();
          return Value(*d);
        }
        if (k == "$datetime" && inner.is_string()) {
          auto d = DateTime::Parse(inner.get<std::string>());
          if (d.ok()) return Value(*d);
          return query::TemporalFromText("datetime", inner.get<std::string>());
        }
        for (const char* type : {"duration", "localtime", "time", "localdatetime"}) {
          if (k == std::string("$") + type && inner.is_string())
            return query::TemporalFromText(type, inner.get<std::string>());
        }
        if (k == "$int" && inner.is_string()) {
          try {
            size_t used;
            long long i = std::stoll(inner.get<std::string>(), &used);
            if (used != inner.get<std::string>().size()) throw std::invalid_argument("trailing");
            return Value(static_cast<int64_t>(i));
          } catch (const std::exception&) {
            return Status::InvalidArgument("'" + inner.get<std::string>() + "' is not an integer");
          }
        }
        if (k == "$float" && inner.is_string()) {
          std::string f = inner.get<std::string>();
          if (f == "NaN") return Value(std::nan(""));
          if (f == "Infinity") return Value(HUGE_VAL);
          if (f == "-Infinity") return Value(-HUGE_VAL);
          return Status::InvalidArgument("'" + f + "' is not NaN, Infinity or -Infinity");
        }
        if (k == "$node" || k == "$rel" || k == "$path") {
          return Status::InvalidArgument(
              "nodes, relationships and paths cannot be passed in; pass their keys");
        }
      }
      ValueMap m;
      for (const auto& [k, e] : j.items()) {
        auto v = ValueFromJson(e);
        if (!v.ok()) return v.status();
        m[k] = std::move(v).value();
      }
      return Value(std::move(m));
    }
    default:
      return Status::InvalidArgument("unsupported JSON value " + j.dump());
  }
}

std::string ValueToText(const Value& v, const QueryResult* r) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kString:
      return v.as_string();
    case Value::Kind::kDate:
      return v.as_date().ToString();
    case Value::Kind::kDateTime:
      return v.as_datetime().ToString();
    case Value::Kind::kDuration:
    case Value::Kind::kLocalTime:
    case Value::Kind::kTime:
    case Value::Kind::kLocalDateTime:
      return query::TemporalText(v);
    case Value::Kind::kNode: {
      std::string s = "(";
      if (r) {
        auto it = r->nodes.find(v.as_node().id);
        if (it != r->nodes.end()) {
          for (const auto& l : it->second.labels) s += ":" + l;
          if (!it->second.key.empty()) return s + " " + it->second.key + ")";
          auto name = it->second.properties.find("name");
          if (name != it->second.properties.end()) return s + " " + name->second.ToString() + ")";
        }
      }
      return s + (s.size() > 1 ? " #" : "#") + std::to_string(v.as_node().id) + ")";
    }
    case Value::Kind::kRel: {
      std::string type;
      if (r) {
        auto it = r->relationships.find(v.as_rel().id);
        if (it != r->relationships.end()) type = ":" + it->second.type;
      }
      return "[" + type + " #" + std::to_string(v.as_rel().id) + "]";
    }
    case Value::Kind::kList: {
      std::string s = "[";
      bool first = true;
      for (const Value& e : v.as_list()) {
        if (!first) s += ", ";
        first = false;
        s += e.is_string() ? QuoteString(e.as_string()) : ValueToText(e, r);
      }
      return s + "]";
    }
    case Value::Kind::kPath: {
      std::string s;
      const PathValue& p = v.as_path();
      for (size_t i = 0; i < p.nodes.size(); ++i) {
        s += ValueToText(Value(p.nodes[i]), r);
        if (i < p.rels.size()) s += "-" + ValueToText(Value(p.rels[i]), r) + "-";
      }
      return s;
    }
    default:
      return v.ToString();
  }
}

Result<ResultFormat> ParseResultFormat(std::string_view name) {
  if (name == "table") return ResultFormat::kTable;
  if (name == "json") return ResultFormat::kJson;
  if (name == "csv") return ResultFormat::kCsv;
  if (name == "jsonl") return ResultFormat::kJsonLines;
  return Status::InvalidArgument("unknown format '" + std::string(name) + "'; use table, json, csv or jsonl");
}

std::string FormatResult(const QueryResult& r, ResultFormat format) {
  std::ostringstream out;
  switch (format) {
    case ResultFormat::kJson: {
      json rows = json::array();
      for (const auto& row : r.rows) {
        json jr = json::array();
        for (const auto& v : row) jr.push_back(ValueToJson(v, &r));
        rows.push_back(jr);
      }
      out << json{{"columns", r.columns}, {"rows", rows}}.dump(2) << "\n";
      break;
    }
    case ResultFormat::kJsonLines:
      for (const auto& row : r.rows) {
        json o = json::object();
        for (size_t i = 0; i < row.size(); ++i) o[r.columns[i]] = ValueToJson(row[i], &r);
        out << o.dump() << "\n";
      }
      break;
    case ResultFormat::kCsv:
      for (size_t i = 0; i < r.columns.size(); ++i) out << (i ? "," : "") << CsvQuote(r.columns[i]);
      out << "\n";
      for (const auto& row : r.rows) {
        for (size_t i = 0; i < row.size(); ++i) {
          out << (i ? "," : "") << (row[i].is_null() ? "" : CsvQuote(ValueToText(row[i], &r)));
        }
        out << "\n";
      }
      break;
    case ResultFormat::kTable: {
      if (r.columns.empty()) break;
      std::vector<std::vector<std::string>> cells;
      std::vector<size_t> widths;
      for (const auto& c : r.columns) widths.push_back(Width(c));
      for (const auto& row : r.rows) {
        std::vector<std::string> line;
        for (size_t i = 0; i < row.size(); ++i) {
          std::string t = ValueToText(row[i], &r);
          for (char& ch : t) {
            if (ch == '\n' || ch == '\t') ch = ' ';
          }
          widths[i] = std::max(widths[i], Width(t));
          line.push_back(std::move(t));
        }
        cells.push_back(std::move(line));
      }
      auto rule = [&] {
        out << "+";
        for (size_t w : widths) out << std::string(w + 2, '-') << "+";
        out << "\n";
      };
      auto line = [&](const std::vector<std::string>& vals) {
        out << "|";
        for (size_t i = 0; i < vals.size(); ++i)
          out << " " << vals[i] << std::string(widths[i] - Width(vals[i]), ' ') << " |";
        out << "\n";
      };
      rule();
      line(r.columns);
      rule();
      for (const auto& c : cells) line(c);
      rule();
      out << r.rows.size() << (r.rows.size() == 1 ? " row" : " rows") << "\n";
      break;
    }
  }
  return out.str();
}

json ErrorToJson(const QueryError& e, int status) {
  json err{{"status", status},
           {"kind", std::string(QueryError::KindName(e.kind))},
           {"detail", e.detail},
           {"message", e.message},
           {"formatted", e.formatted.empty() ? e.message : e.formatted}};
  if (e.line > 0) {
    err["line"] = e.line;
    err["column"] = e.column;
  }
  return json{{"error", err}};
}

}  // namespace lodestone
