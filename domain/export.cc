#include "domain/export.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "domain/schema.h"
#include "query/eval/temporal.h"
#include "util/strings.h"

namespace lodestone::domain {
namespace {

using json = nlohmann::json;

struct NodeItem {
  NodeId id;
  NodeRecord rec;
};
struct RelItemData {
  RelRef ref;
  RelRecord rec;
};

// The nodes and relationships to export, read once.
struct Graph {
  std::vector<NodeItem> nodes;
  std::vector<RelItemData> rels;
  std::unordered_map<NodeId, size_t> index;  // node id -> position in nodes
  const NodeRecord* Node(NodeId id) const {
    auto it = index.find(id);
    return it == index.end() ? nullptr : &nodes[it->second].rec;
  }
};

Status AddNode(ReadView& view, NodeId id, Graph* g) {
  if (g->index.count(id)) return Status::OK();
  NodeRecord r;
  ASSIGN_OR_RETURN(bool found, view.GetNode(id, &r));
  if (!found) return Status::OK();
  g->index[id] = g->nodes.size();
  g->nodes.push_back({id, std::move(r)});
  return Status::OK();
}

// Reads the part of the graph. With `complete`, adds what an import of it needs: both ends of every
// relationship, and the Source nodes the nodes and relationships cite.
Result<Graph> Load(ReadView& view, const Subgraph& part, bool complete) {
  Graph g;
  if (part.whole) {
    auto cur = view.ScanAllNodes();
    for (; cur->Valid(); cur->Next()) RETURN_IF_ERROR(AddNode(view, cur->entry().id, &g));
    RETURN_IF_ERROR(cur->status());
    auto rels = view.ScanAllRels();
    for (; rels->Valid(); rels->Next()) {
      RelItemData d{rels->entry().rel, {}};
      RETURN_IF_ERROR(rels->record(&d.rec));
      g.rels.push_back(std::move(d));
    }
    RETURN_IF_ERROR(rels->status());
    return g;
  }
  for (NodeId id : part.nodes) RETURN_IF_ERROR(AddNode(view, id, &g));
  std::set<RelId> seen;
  for (const RelRef& ref : part.rels) {
    if (!seen.insert(ref.id).second) continue;
    RelItemData d{ref, {}};
    ASSIGN_OR_RETURN(bool found, view.GetRel(ref, &d.rec));
    if (!found) continue;
    g.rels.push_back(std::move(d));
  }
  if (complete) {
    for (const auto& r : g.rels) {
      RETURN_IF_ERROR(AddNode(view, r.ref.src, &g));
      RETURN_IF_ERROR(AddNode(view, r.ref.dst, &g));
    }
    // Sources cited by nodes (SOURCED_FROM) and relationships (their sources property).
    auto sourced = view.names().FindRelType("SOURCED_FROM");
    auto sources_key = view.names().FindPropKey("sources");
    std::vector<NodeId> ids;
    for (const auto& n : g.nodes) ids.push_back(n.id);
    for (NodeId id : ids) {
      if (!sourced) break;
      ScanOptions so;
      so.dir = Direction::kOut;
      so.type = *sourced;
      auto cur = view.ScanAdj(id, so);
      for (; cur->Valid(); cur->Next()) {
        RETURN_IF_ERROR(AddNode(view, cur->entry().other, &g));
        RelItemData d{cur->entry().rel, {}};
        RETURN_IF_ERROR(cur->record(&d.rec));
        if (seen.insert(d.ref.id).second) g.rels.push_back(std::move(d));
      }
      RETURN_IF_ERROR(cur->status());
    }
    if (sources_key) {
      std::vector<std::string> keys;
      for (const auto& r : g.rels) {
        const Value* s = FindProperty(r.rec.props, *sources_key);
        if (!s || !s->is_list()) continue;
        for (const Value& k : s->as_list()) {
          if (k.is_string()) keys.push_back(k.as_string());
        }
      }
      for (const auto& k : keys) {
        ASSIGN_OR_RETURN(auto id, view.FindNode(k));
        if (id) RETURN_IF_ERROR(AddNode(view, *id, &g));
      }
    }
  }
  return g;
}

// A property value in the import format: dates as text.
json ImportJson(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      return nullptr;
    case Value::Kind::kBool:
      return v.as_bool();
    case Value::Kind::kInt:
      return v.as_int();
    case Value::Kind::kFloat:
      return std::isfinite(v.as_float()) ? json(v.as_float()) : json(v.ToString());
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
    case Value::Kind::kList: {
      json a = json::array();
      for (const Value& e : v.as_list()) a.push_back(ImportJson(e));
      return a;
    }
    case Value::Kind::kMap: {
      json o = json::object();
      for (const auto& [k, e] : v.as_map()) o[k] = ImportJson(e);
      return o;
    }
    default:
      return v.ToString();
  }
}

// A value as plain text for CSV cells, GraphML attributes and DOT labels.
std::string PlainText(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      return "";
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
    case Value::Kind::kInt:
      return std::to_string(v.as_int());
    case Value::Kind::kBool:
      return v.as_bool() ? "true" : "false";
    case Value::Kind::kList: {
      std::string s;
      for (const Value& e : v.as_list()) {
        if (!s.empty()) s += ";";
        s += PlainText(e);
      }
      return s;
    }
    default:
      return v.ToString();
  }
}

std::string PrimaryLabel(const NodeRecord& r, const NameResolver& names, const Schema& schema) {
  if (const LabelSpec* l = schema.FindLabelByKey(r.key)) {
    for (LabelId id : r.labels) {
      if (names.LabelName(id) == l->name) return l->name;
    }
  }
  return r.labels.empty() ? "" : names.LabelName(r.labels[0]);
}

std::vector<std::string> LabelsPrimaryFirst(const NodeRecord& r, const NameResolver& names,
                                            const Schema& schema) {
  std::string primary = PrimaryLabel(r, names, schema);
  std::vector<std::string> out;
  if (!primary.empty()) out.push_back(primary);
  for (LabelId id : r.labels) {
    std::string n = names.LabelName(id);
    if (n != primary) out.push_back(n);
  }
  return out;
}

void PutValidity(const Validity& v, json* rec) {
  if (v.empty()) return;
  if (v.size() == 1) {
    (*rec)["valid_from"] = v[0].from ? json(v[0].from->ToString()) : json(nullptr);
    (*rec)["valid_to"] = v[0].to ? json(v[0].to->ToString()) : json(nullptr);
    return;
  }
  json periods = json::array();
  for (const auto& p : v) {
    periods.push_back({{"from", p.from ? json(p.from->ToString()) : json(nullptr)},
                       {"to", p.to ? json(p.to->ToString()) : json(nullptr)}});
  }
  (*rec)["validity"] = periods;
}

const int kLabelOrder = 0;

int LabelRank(const std::string& label) {
  static const std::map<std::string, int> order = {{"Source", 0},  {"Actor", 1},     {"Material", 2},
                                                   {"Control", 3}, {"Agreement", 4}, {"Project", 5},
                                                   {"Event", 7}};
  auto it = order.find(label);
  return it == order.end() ? 6 + kLabelOrder : it->second;
}

// GraphML text: XML-escaped, forbidden control characters as spaces.
std::string XmlText(std::string_view s) { return util::XmlEscape(s, " "); }

std::string DotQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A display name for a node: name, title, or key.
std::string DisplayName(const NodeRecord& r, const NameResolver& names) {
  for (const char* p : {"name", "title"}) {
    if (auto k = names.FindPropKey(p)) {
      const Value* v = FindProperty(r.props, *k);
      if (v && v->is_string()) return v->as_string();
    }
  }
  return r.key.empty() ? "(no key)" : r.key;
}

}  // namespace

Result<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "jsonl") return ExportFormat::kJsonLines;
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "graphml") return ExportFormat::kGraphML;
  if (name == "dot") return ExportFormat::kDot;
  return Status::InvalidArgument("unknown export format '" + std::string(name) +
                                 "'; use jsonl, csv, graphml or dot");
}

Subgraph SubgraphOf(const QueryResult& result) {
  Subgraph s;
  s.whole = false;
  for (const auto& [id, d] : result.nodes) {
    if (!d.deleted) s.nodes.push_back(id);
  }
  std::function<void(const Value&)> walk = [&](const Value& v) {
    switch (v.kind()) {
      case Value::Kind::kRel:
        s.rels.push_back(v.as_rel());
        break;
      case Value::Kind::kPath:
        for (const auto& r : v.as_path().rels) s.rels.push_back(r);
        break;
      case Value::Kind::kList:
        for (const auto& e : v.as_list()) walk(e);
        break;
      case Value::Kind::kMap:
        for (const auto& [k, e] : v.as_map()) walk(e);
        break;
      default:
        break;
    }
  };
  for (const auto& row : result.rows) {
    for (const auto& v : row) walk(v);
  }
  return s;
}

Result<ExportStats> ExportJsonLines(ReadView& view, const Subgraph& part, std::ostream& out) {
  ExportStats stats;
  ASSIGN_OR_RETURN(Schema schema, Schema::ForView(view));
  ASSIGN_OR_RETURN(Graph g, Load(view, part, /*complete=*/true));
  const NameResolver& names = view.names();
  if (!schema.extensions().is_null()) out << json{{"schema", schema.extensions()}}.dump() << "\n";

  auto sourced = names.FindRelType("SOURCED_FROM");
  auto sources_key = names.FindPropKey("sources");
  // Each node's sources (its SOURCED_FROM relationships), sorted by key.
  std::unordered_map<NodeId, std::vector<std::string>> sources;
  // Relationships an event record owns (INVOLVES, AFFECTS, CONCERNS written inside it).
  std::unordered_map<NodeId, std::vector<const RelItemData*>> owned;
  std::vector<const RelItemData*> rel_records;
  for (const auto& r : g.rels) {
    const NodeRecord* src = g.Node(r.ref.src);
    const NodeRecord* dst = g.Node(r.ref.dst);
    if (!src || !dst) continue;
    if (sourced && r.ref.type == *sourced) {
      if (!dst->key.empty()) sources[r.ref.src].push_back(dst->key);
      continue;
    }
    if (src->key.empty() || dst->key.empty()) {
      stats.warnings.push_back(
          "a " + names.RelTypeName(r.ref.type) +
          " relationship touches a node without a key; the import format cannot name it, so it is left out");
      continue;
    }
    std::string type = names.RelTypeName(r.ref.type);
    const LabelSpec* sl = schema.FindLabelByKey(src->key);
    bool event_owned = sl && sl->event_form &&
                       (type == "INVOLVES" || type == "AFFECTS" || type == "CONCERNS") &&
                       r.rec.validity.empty();
    if (event_owned) {
      owned[r.ref.src].push_back(&r);
    } else {
      rel_records.push_back(&r);
    }
  }
  for (auto& [id, s] : sources) std::sort(s.begin(), s.end());
  // Deterministic order (ids differ between databases): by type, then the far end's key, then key.
  for (auto& [id, mine] : owned) {
    std::sort(mine.begin(), mine.end(), [&](const RelItemData* a, const RelItemData* b) {
      if (a->ref.type != b->ref.type) return names.RelTypeName(a->ref.type) < names.RelTypeName(b->ref.type);
      const std::string& ka = g.Node(a->ref.dst)->key;
      const std::string& kb = g.Node(b->ref.dst)->key;
      if (ka != kb) return ka < kb;
      return a->rec.key < b->rec.key;
    });
  }

  // Nodes, Source nodes first, then by label and key; events after the other nodes.
  std::vector<const NodeItem*> order;
  for (const auto& n : g.nodes) {
    if (n.rec.key == kSchemaNodeKey) continue;
    if (n.rec.key.empty()) {
      stats.warnings.push_back("node " + std::to_string(n.id) +
                               " has no key; the import format cannot name it, so it is left out");
      continue;
    }
    order.push_back(&n);
  }
  std::unordered_map<NodeId, int> rank;
  for (const auto* n : order) rank[n->id] = LabelRank(PrimaryLabel(n->rec, names, schema));
  std::sort(order.begin(), order.end(), [&](const NodeItem* a, const NodeItem* b) {
    int ra = rank[a->id], rb = rank[b->id];
    if (ra != rb) return ra < rb;
    return a->rec.key < b->rec.key;
  });

  auto props_json = [&](const PropertyList& props, bool skip_sources) {
    json p = json::object();
    for (const auto& [k, v] : props) {
      std::string name = names.PropKeyName(k);
      if (skip_sources && name == "sources") continue;
      p[name] = ImportJson(v);
    }
    return p;
  };
  auto rel_sources = [&](const RelRecord& r) -> json {
    if (!sources_key) return json::array();
    const Value* s = FindProperty(r.props, *sources_key);
    return s ? ImportJson(*s) : json::array();
  };

  for (const NodeItem* n : order) {
    const NodeRecord& r = n->rec;
    std::string primary = PrimaryLabel(r, names, schema);
    const LabelSpec* spec = schema.FindLabel(primary);
    json rec;
    auto src_it = sources.find(n->id);
    std::vector<std::string> node_sources =
        src_it == sources.end() ? std::vector<std::string>{} : src_it->second;
    if (spec && spec->event_form) {
      rec["event"] = r.key;
      json props = props_json(r.props, false);
      json extra = json::object();
      for (const auto& [k, v] : props.items()) {
        if (k == "title" || k == "date" || k == "event_kind" || k == "summary") {
          rec[k] = v;
        } else {
          extra[k] = v;
        }
      }
      // The order of the event's sources as its relationships keep it, when they agree.
      const auto& mine = owned[n->id];
      std::vector<std::string> ordered = node_sources;
      for (const RelItemData* d : mine) {
        json s = rel_sources(d->rec);
        std::vector<std::string> keys;
        for (const auto& e : s) {
          if (e.is_string()) keys.push_back(e.get<std::string>());
        }
        std::vector<std::string> sorted = keys;
        std::sort(sorted.begin(), sorted.end());
        if (sorted == node_sources) ordered = keys;
        break;
      }
      json involves = json::array(), affects = json::array(), concerns = json::array();
      std::vector<const RelItemData*> inline_rels;
      for (const RelItemData* d : mine) {
        json s = rel_sources(d->rec);
        if (s != json(ordered)) {
          rel_records.push_back(d);  // different sources: written as a relationship record
          continue;
        }
        const NodeRecord* other = g.Node(d->ref.dst);
        std::string type = names.RelTypeName(d->ref.type);
        json p = props_json(d->rec.props, true);
        if (!d->rec.key.empty()) p["key"] = d->rec.key;
        if (type == "INVOLVES") {
          if (p.empty()) {
            involves.push_back(other->key);
          } else {
            p["actor"] = other->key;
            involves.push_back(p);
          }
        } else if (type == "AFFECTS") {
          p["control"] = other->key;
          affects.push_back(p);
        } else if (p.empty()) {
          concerns.push_back(other->key);
        } else {
          p["key"] = other->key;  // never reached for plain CONCERNS; kept for completeness
          concerns.push_back(p);
        }
      }
      if (!involves.empty()) rec["involves"] = involves;
      if (!affects.empty()) rec["affects"] = affects;
      if (!concerns.empty()) rec["concerns"] = concerns;
      rec["sources"] = ordered;
      if (!extra.empty()) rec["props"] = extra;
    } else {
      rec["node"] = r.key;
      rec["labels"] = LabelsPrimaryFirst(r, names, schema);
      rec["props"] = props_json(r.props, false);
      if (!spec || spec->validity == ValidityRule::kStored) PutValidity(r.validity, &rec);
      if (!spec || spec->sources) rec["sources"] = node_sources;
    }
    if (!spec)
      stats.warnings.push_back(r.key + " has label " + primary +
                               ", which the schema does not define; importing it needs a schema extension");
    out << rec.dump() << "\n";
    ++stats.nodes;
  }
  std::sort(rel_records.begin(), rel_records.end(), [&](const RelItemData* a, const RelItemData* b) {
    const auto& ka = g.Node(a->ref.src)->key;
    const auto& kb = g.Node(b->ref.src)->key;
    if (ka != kb) return ka < kb;
    if (a->ref.type != b->ref.type) return names.RelTypeName(a->ref.type) < names.RelTypeName(b->ref.type);
    const auto& ta = g.Node(a->ref.dst)->key;
    const auto& tb = g.Node(b->ref.dst)->key;
    if (ta != tb) return ta < tb;
    return a->rec.key < b->rec.key;
  });
  for (const RelItemData* d : rel_records) {
    json rec;
    rec["rel"] = names.RelTypeName(d->ref.type);
    rec["from"] = g.Node(d->ref.src)->key;
    rec["to"] = g.Node(d->ref.dst)->key;
    if (!d->rec.key.empty()) rec["key"] = d->rec.key;
    rec["props"] = props_json(d->rec.props, true);
    PutValidity(d->rec.validity, &rec);
    rec["sources"] = rel_sources(d->rec);
    out << rec.dump() << "\n";
    ++stats.relationships;
  }
  for (const auto& [id, mine] : owned) stats.relationships += mine.size();
  return stats;
}

Result<ExportStats> ExportGraphML(ReadView& view, const Subgraph& part, std::ostream& out) {
  ExportStats stats;
  ASSIGN_OR_RETURN(Graph g, Load(view, part, false));
  const NameResolver& names = view.names();
  // Attribute types: one per property name, widened when values disagree.
  enum class T { kBool, kLong, kDouble, kString };
  auto type_of = [](const Value& v) {
    switch (v.kind()) {
      case Value::Kind::kBool:
        return T::kBool;
      case Value::Kind::kInt:
        return T::kLong;
      case Value::Kind::kFloat:
        return T::kDouble;
      default:
        return T::kString;
    }
  };
  auto widen = [](T a, T b) {
    if (a == b) return a;
    if ((a == T::kLong && b == T::kDouble) || (a == T::kDouble && b == T::kLong)) return T::kDouble;
    return T::kString;
  };
  std::map<std::string, T> node_attrs, edge_attrs;
  for (const auto& n : g.nodes) {
    for (const auto& [k, v] : n.rec.props) {
      std::string name = names.PropKeyName(k);
      auto it = node_attrs.find(name);
      node_attrs[name] = it == node_attrs.end() ? type_of(v) : widen(it->second, type_of(v));
    }
  }
  for (const auto& r : g.rels) {
    for (const auto& [k, v] : r.rec.props) {
      std::string name = names.PropKeyName(k);
      auto it = edge_attrs.find(name);
      edge_attrs[name] = it == edge_attrs.end() ? type_of(v) : widen(it->second, type_of(v));
    }
  }
  auto type_name = [](T t) {
    switch (t) {
      case T::kBool:
        return "boolean";
      case T::kLong:
        return "long";
      case T::kDouble:
        return "double";
      default:
        return "string";
    }
  };
  auto value_text = [](const Value& v, T t) {
    if (t == T::kDouble && v.is_int()) return std::to_string(v.as_int()) + ".0";
    if (v.is_float()) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", v.as_float());
      return std::string(buf);
    }
    return PlainText(v);
  };
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
         "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  // Fixed attributes first: key, labels, label (what Gephi shows), valid_from, valid_to; type for edges.
  out << "  <key id=\"n_key\" for=\"node\" attr.name=\"key\" attr.type=\"string\"/>\n"
      << "  <key id=\"n_labels\" for=\"node\" attr.name=\"labels\" attr.type=\"string\"/>\n"
      << "  <key id=\"n_label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
      << "  <key id=\"n_valid_from\" for=\"node\" attr.name=\"valid_from\" attr.type=\"string\"/>\n"
      << "  <key id=\"n_valid_to\" for=\"node\" attr.name=\"valid_to\" attr.type=\"string\"/>\n"
      << "  <key id=\"e_type\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n"
      << "  <key id=\"e_label\" for=\"edge\" attr.name=\"label\" attr.type=\"string\"/>\n"
      << "  <key id=\"e_key\" for=\"edge\" attr.name=\"key\" attr.type=\"string\"/>\n"
      << "  <key id=\"e_valid_from\" for=\"edge\" attr.name=\"valid_from\" attr.type=\"string\"/>\n"
      << "  <key id=\"e_valid_to\" for=\"edge\" attr.name=\"valid_to\" attr.type=\"string\"/>\n";
  static const std::set<std::string> reserved = {"key", "labels", "label", "valid_from", "valid_to", "type"};
  auto attr_id = [](const char* prefix, const std::string& name) {
    return std::string(prefix) + "p_" + name;
  };
  for (const auto& [name, t] : node_attrs) {
    out << "  <key id=\"" << XmlText(attr_id("n", name)) << "\" for=\"node\" attr.name=\""
        << XmlText(reserved.count(name) ? "prop_" + name : name) << "\" attr.type=\"" << type_name(t)
        << "\"/>\n";
  }
  for (const auto& [name, t] : edge_attrs) {
    out << "  <key id=\"" << XmlText(attr_id("e", name)) << "\" for=\"edge\" attr.name=\""
        << XmlText(reserved.count(name) ? "prop_" + name : name) << "\" attr.type=\"" << type_name(t)
        << "\"/>\n";
  }
  out << "  <graph id=\"lodestone\" edgedefault=\"directed\">\n";
  auto validity = [&](const char* prefix, const Validity& v) {
    std::string s;
    if (v.empty()) return s;
    if (v.front().from)
      s += "      <data key=\"" + std::string(prefix) + "_valid_from\">" + v.front().from->ToString() +
           "</data>\n";
    if (v.back().to)
      s +=
          "      <data key=\"" + std::string(prefix) + "_valid_to\">" + v.back().to->ToString() + "</data>\n";
    return s;
  };
  for (const auto& n : g.nodes) {
    out << "    <node id=\"n" << n.id << "\">\n";
    if (!n.rec.key.empty()) out << "      <data key=\"n_key\">" << XmlText(n.rec.key) << "</data>\n";
    std::string labels;
    for (LabelId l : n.rec.labels) labels += (labels.empty() ? "" : ";") + names.LabelName(l);
    out << "      <data key=\"n_labels\">" << XmlText(labels) << "</data>\n";
    out << "      <data key=\"n_label\">" << XmlText(DisplayName(n.rec, names)) << "</data>\n";
    out << validity("n", n.rec.validity);
    for (const auto& [k, v] : n.rec.props) {
      std::string name = names.PropKeyName(k);
      out << "      <data key=\"" << XmlText(attr_id("n", name)) << "\">"
          << XmlText(value_text(v, node_attrs[name])) << "</data>\n";
    }
    out << "    </node>\n";
    ++stats.nodes;
  }
  for (const auto& r : g.rels) {
    if (!g.Node(r.ref.src) || !g.Node(r.ref.dst)) continue;
    std::string type = names.RelTypeName(r.ref.type);
    out << "    <edge id=\"e" << r.ref.id << "\" source=\"n" << r.ref.src << "\" target=\"n" << r.ref.dst
        << "\">\n"
        << "      <data key=\"e_type\">" << XmlText(type) << "</data>\n"
        << "      <data key=\"e_label\">" << XmlText(type) << "</data>\n";
    if (!r.rec.key.empty()) out << "      <data key=\"e_key\">" << XmlText(r.rec.key) << "</data>\n";
    out << validity("e", r.rec.validity);
    for (const auto& [k, v] : r.rec.props) {
      std::string name = names.PropKeyName(k);
      out << "      <data key=\"" << XmlText(attr_id("e", name)) << "\">"
          << XmlText(value_text(v, edge_attrs[name])) << "</data>\n";
    }
    out << "    </edge>\n";
    ++stats.relationships;
  }
  out << "  </graph>\n</graphml>\n";
  return stats;
}

Result<ExportStats> ExportDot(ReadView& view, const Subgraph& part, std::ostream& out) {
  ExportStats stats;
  ASSIGN_OR_RETURN(Graph g, Load(view, part, false));
  const NameResolver& names = view.names();
  static const std::map<std::string, const char*> colours = {
      {"Actor", "#cfe2f3"}, {"Control", "#f4cccc"}, {"Agreement", "#d9ead3"}, {"Project", "#fff2cc"},
      {"Event", "#ead1dc"}, {"Source", "#eeeeee"},  {"Material", "#d0e0e3"}};
  out << "digraph lodestone {\n"
      << "  graph [rankdir=LR, fontname=\"Helvetica\", overlap=false];\n"
      << "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", "
         "fontsize=10];\n"
      << "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\"];\n";
  auto id_of = [&](NodeId id) {
    const NodeRecord* r = g.Node(id);
    return DotQuote(r && !r->key.empty() ? r->key : "#" + std::to_string(id));
  };
  for (const auto& n : g.nodes) {
    std::string label = n.rec.labels.empty() ? "" : names.LabelName(n.rec.labels[0]);
    if (const LabelSpec* l = Schema::Default().FindLabelByKey(n.rec.key)) label = l->name;
    auto colour = colours.find(label);
    std::string name = DisplayName(n.rec, names);
    if (name.size() > 60) name = name.substr(0, 57) + "...";
    out << "  " << id_of(n.id) << " [label=" << DotQuote(name + "\n" + label)
        << (colour != colours.end() ? std::string(", fillcolor=\"") + colour->second + "\"" : "")
        << ", tooltip=" << DotQuote(n.rec.key) << "];\n";
    ++stats.nodes;
  }
  for (const auto& r : g.rels) {
    if (!g.Node(r.ref.src) || !g.Node(r.ref.dst)) continue;
    std::string label = names.RelTypeName(r.ref.type);
    if (auto effect = names.FindPropKey("effect")) {
      if (const Value* v = FindProperty(r.rec.props, *effect); v && v->is_string())
        label += "\n" + v->as_string();
    }
    out << "  " << id_of(r.ref.src) << " -> " << id_of(r.ref.dst) << " [label=" << DotQuote(label)
        << (label == "SOURCED_FROM" ? ", style=dashed, color=\"#aaaaaa\"" : "") << "];\n";
    ++stats.relationships;
  }
  out << "}\n";
  return stats;
}

Result<ExportStats> ExportCsv(ReadView& view, const Subgraph& part, std::ostream& nodes, std::ostream& rels) {
  ExportStats stats;
  ASSIGN_OR_RETURN(Graph g, Load(view, part, false));
  const NameResolver& names = view.names();
  std::set<std::string> node_props, rel_props;
  for (const auto& n : g.nodes) {
    for (const auto& [k, v] : n.rec.props) node_props.insert(names.PropKeyName(k));
  }
  for (const auto& r : g.rels) {
    for (const auto& [k, v] : r.rec.props) rel_props.insert(names.PropKeyName(k));
  }
  auto from_to = [](const Validity& v, std::string* from, std::string* to) {
    if (v.empty()) return;
    if (v.front().from) *from = v.front().from->ToString();
    if (v.back().to) *to = v.back().to->ToString();
  };
  nodes << "key,labels,valid_from,valid_to";
  for (const auto& p : node_props) nodes << "," << CsvCell(p);
  nodes << "\n";
  std::vector<const NodeItem*> order;
  for (const auto& n : g.nodes) order.push_back(&n);
  std::sort(order.begin(), order.end(),
            [](const NodeItem* a, const NodeItem* b) { return a->rec.key < b->rec.key; });
  for (const NodeItem* n : order) {
    std::string labels, from, to;
    for (LabelId l : n->rec.labels) labels += (labels.empty() ? "" : ";") + names.LabelName(l);
    from_to(n->rec.validity, &from, &to);
    nodes << CsvCell(n->rec.key) << "," << CsvCell(labels) << "," << from << "," << to;
    std::map<std::string, const Value*> props;
    for (const auto& [k, v] : n->rec.props) props[names.PropKeyName(k)] = &v;
    for (const auto& p : node_props) {
      auto it = props.find(p);
      nodes << "," << (it == props.end() ? "" : CsvCell(PlainText(*it->second)));
    }
    nodes << "\n";
    ++stats.nodes;
  }
  rels << "type,from,to,key,valid_from,valid_to";
  for (const auto& p : rel_props) rels << "," << CsvCell(p);
  rels << "\n";
  for (const auto& r : g.rels) {
    const NodeRecord* s = g.Node(r.ref.src);
    const NodeRecord* d = g.Node(r.ref.dst);
    if (!s || !d) continue;
    std::string from, to;
    from_to(r.rec.validity, &from, &to);
    rels << names.RelTypeName(r.ref.type) << ","
         << CsvCell(s->key.empty() ? "#" + std::to_string(r.ref.src) : s->key) << ","
         << CsvCell(d->key.empty() ? "#" + std::to_string(r.ref.dst) : d->key) << "," << CsvCell(r.rec.key)
         << "," << from << "," << to;
    std::map<std::string, const Value*> props;
    for (const auto& [k, v] : r.rec.props) props[names.PropKeyName(k)] = &v;
    for (const auto& p : rel_props) {
      auto it = props.find(p);
      rels << "," << (it == props.end() ? "" : CsvCell(PlainText(*it->second)));
    }
    rels << "\n";
    ++stats.relationships;
  }
  return stats;
}

}  // namespace lodestone::domain
