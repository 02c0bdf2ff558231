// S-expression printer. Recursion depth is bounded by the parser's limits (query/limits.h).

#include "query/ast/printer.h"

#include <charconv>
#include <cstdio>

namespace lodestone::ast {

namespace {

// A name as the printer writes it: bare when it is a plain identifier, else in backticks (`my name`), so
// that the output stays unambiguous.
std::string N(std::string_view name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (plain) return std::string(name);
  std::string out = "`";
  for (char c : name) {
    out += c;
    if (c == '`') out += '`';
  }
  return out + "`";
}

class Printer {
 public:
  std::string Take() { return std::move(out_); }

  void Expression(const Expr& expr);
  void Path(const PatternPart& part);
  void ClauseNode(const Clause& clause);
  void QueryNode(const Query& query);
  void StatementNode(const Statement& statement);

 private:
  void Open(std::string_view head) {
    out_ += '(';
    out_ += head;
  }
  void Close() { out_ += ')'; }
  void Space() { out_ += ' '; }
  void Word(std::string_view w) {
    out_ += ' ';
    out_ += w;
  }
  void Child(const Expr& e) {
    Space();
    Expression(e);
  }
  void OptionalChild(const ExprPtr& e) {
    Space();
    if (e) {
      Expression(*e);
    } else {
      out_ += '_';
    }
  }
  // " :key expr" when e is set.
  void Keyword(std::string_view key, const ExprPtr& e) {
    if (!e) return;
    Word(key);
    Child(*e);
  }
  void Literal(const LiteralValue& value);
  void Node(const NodePattern& node);
  void Relationship(const RelationshipPattern& rel);
  void Body(const ProjectionBody& body);
  void SetItems(const std::vector<SetItem>& items);

  std::string out_;
};

void Printer::Literal(const LiteralValue& value) {
  if (std::holds_alternative<std::monostate>(value)) {
    out_ += "null";
  } else if (const bool* b = std::get_if<bool>(&value)) {
    out_ += *b ? "true" : "false";
  } else if (const int64_t* i = std::get_if<int64_t>(&value)) {
    out_ += std::to_string(*i);
  } else if (const double* d = std::get_if<double>(&value)) {
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, *d);
    std::string text(buffer, ec == std::errc() ? end : buffer);
    // Keep floats recognisable as floats: 1.0 prints as 1.0, not 1.
    if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
    out_ += text;
  } else {
    out_ += QuoteString(std::get<std::string>(value));
  }
}

void Printer::Expression(const Expr& expr) {
  switch (expr.kind()) {
    case ExprKind::kLiteral:
      return Literal(expr.As<LiteralExpr>().value);
    case ExprKind::kParameter:
      out_ += '$';
      {
        const std::string& name = expr.As<ParameterExpr>().name;
        const bool numbered = !name.empty() && name.find_first_not_of("0123456789") == std::string::npos;
        out_ += numbered ? name : N(name);
      }
      return;
    case ExprKind::kVariable:
      out_ += N(expr.As<VariableExpr>().name);
      return;
    case ExprKind::kProperty: {
      const auto& e = expr.As<PropertyExpr>();
      Open(".");
      Child(*e.object);
      Word(N(e.key));
      return Close();
    }
    case ExprKind::kHasLabels: {
      const auto& e = expr.As<HasLabelsExpr>();
      Open("labels");
      Child(*e.object);
      for (const std::string& l : e.labels) Word(":" + N(l));
      return Close();
    }
    case ExprKind::kSubscript: {
      const auto& e = expr.As<SubscriptExpr>();
      Open("index");
      Child(*e.object);
      Child(*e.index);
      return Close();
    }
    case ExprKind::kSlice: {
      const auto& e = expr.As<SliceExpr>();
      Open("slice");
      Child(*e.object);
      OptionalChild(e.from);
      OptionalChild(e.to);
      return Close();
    }
    case ExprKind::kList: {
      Open("list");
      for (const ExprPtr& e : expr.As<ListExpr>().elements) Child(*e);
      return Close();
    }
    case ExprKind::kMap: {
      Open("map");
      for (const MapExpr::Entry& entry : expr.As<MapExpr>().entries) {
        Space();
        Open(N(entry.key));
        Child(*entry.value);
        Close();
      }
      return Close();
    }
    case ExprKind::kUnary: {
      const auto& e = expr.As<UnaryExpr>();
      Open(UnaryOpName(e.op));
      Child(*e.operand);
      return Close();
    }
    case ExprKind::kBinary: {
      const auto& e = expr.As<BinaryExpr>();
      Open(BinaryOpName(e.op));
      Child(*e.left);
      Child(*e.right);
      return Close();
    }
    case ExprKind::kLogical: {
      const auto& e = expr.As<LogicalExpr>();
      Open(LogicalOpName(e.op));
      for (const ExprPtr& operand : e.operands) Child(*operand);
      return Close();
    }
    case ExprKind::kComparison: {
      const auto& e = expr.As<ComparisonExpr>();
      if (e.ops.size() == 1) {
        Open(CompareOpName(e.ops[0]));
        Child(*e.operands[0]);
        Child(*e.operands[1]);
        return Close();
      }
      Open("compare");
      Child(*e.operands[0]);
      for (size_t i = 0; i < e.ops.size(); ++i) {
        Word(CompareOpName(e.ops[i]));
        Child(*e.operands[i + 1]);
      }
      return Close();
    }
    case ExprKind::kFunctionCall: {
      const auto& e = expr.As<FunctionCallExpr>();
      Open("call");
      Word(e.QualifiedName());
      if (e.distinct) Word(":distinct");
      for (const ExprPtr& arg : e.arguments) Child(*arg);
      return Close();
    }
    case ExprKind::kCountStar:
      out_ += "(count-star)";
      return;
    case ExprKind::kCase: {
      const auto& e = expr.As<CaseExpr>();
      Open("case");
      if (e.subject) Child(*e.subject);
      for (const CaseExpr::When& w : e.whens) {
        Space();
        Open("when");
        Child(*w.when);
        Child(*w.then);
        Close();
      }
      if (e.else_value) {
        Space();
        Open("else");
        Child(*e.else_value);
        Close();
      }
      return Close();
    }
    case ExprKind::kListComprehension: {
      const auto& e = expr.As<ListComprehensionExpr>();
      Open("list-comp");
      Word(N(e.variable));
      Child(*e.list);
      Keyword(":where", e.predicate);
      Keyword(":project", e.projection);
      return Close();
    }
    case ExprKind::kQuantifier: {
      const auto& e = expr.As<QuantifierExpr>();
      Open(QuantifierKindName(e.quantifier));
      Word(N(e.variable));
      Child(*e.list);
      Keyword(":where", e.predicate);
      return Close();
    }
    case ExprKind::kReduce: {
      const auto& e = expr.As<ReduceExpr>();
      Open("reduce");
      Word(N(e.accumulator));
      Child(*e.initial);
      Word(N(e.variable));
      Child(*e.list);
      Child(*e.step);
      return Close();
    }
    case ExprKind::kMapProjection: {
      const auto& e = expr.As<MapProjectionExpr>();
      Open("map-proj");
      Word(N(e.subject));
      for (const MapProjectionExpr::Item& item : e.items) {
        switch (item.kind) {
          case MapProjectionExpr::ItemKind::kProperty:
            Word("." + N(item.key));
            break;
          case MapProjectionExpr::ItemKind::kAllProperties:
            Word(".*");
            break;
          case MapProjectionExpr::ItemKind::kVariable:
            Word(N(item.key));
            break;
          case MapProjectionExpr::ItemKind::kLiteral:
            Space();
            Open(N(item.key));
            Child(*item.value);
            Close();
            break;
        }
      }
      return Close();
    }
    case ExprKind::kPattern: {
      Open("pattern");
      Space();
      Path(*expr.As<PatternExpr>().pattern);
      return Close();
    }
    case ExprKind::kPatternComprehension: {
      const auto& e = expr.As<PatternComprehensionExpr>();
      Open("pattern-comp");
      Space();
      Path(*e.pattern);
      Keyword(":where", e.predicate);
      Keyword(":project", e.projection);
      return Close();
    }
    case ExprKind::kExists: {
      const auto& e = expr.As<ExistsExpr>();
      Open(e.count ? "count-subquery" : "exists");
      for (const PatternPart& part : e.pattern) {
        Space();
        Path(part);
      }
      Keyword(":where", e.predicate);
      if (e.query) {
        Space();
        QueryNode(*e.query);
      }
      return Close();
    }
  }
}

void Printer::Node(const NodePattern& node) {
  Open("node");
  if (!node.variable.empty()) Word(N(node.variable));
  for (const std::string& l : node.labels) Word(":" + N(l));
  if (node.properties) Child(*node.properties);
  Close();
}

void Printer::Relationship(const RelationshipPattern& rel) {
  Open("rel");
  Word(DirectionName(rel.direction));
  if (!rel.variable.empty()) Word(N(rel.variable));
  if (!rel.types.empty()) {
    std::string types;
    for (const std::string& t : rel.types) {
      types += types.empty() ? ":" : "|";
      types += N(t);
    }
    Word(types);
  }
  if (rel.length) {
    std::string len = "*";
    if (rel.length->min) len += std::to_string(*rel.length->min);
    if (rel.length->min != rel.length->max || !rel.length->min) {
      len += "..";
      if (rel.length->max) len += std::to_string(*rel.length->max);
    }
    // * alone prints as "*.." so that "*" and "*2" stay distinguishable: *.. = any, *2 = exactly 2.
    Word(len);
  }
  if (rel.properties) Child(*rel.properties);
  Close();
}

void Printer::Path(const PatternPart& part) {
  switch (part.path_function) {
    case PathFunction::kNone:
      Open("path");
      break;
    case PathFunction::kShortestPath:
      Open("shortest-path");
      break;
    case PathFunction::kAllShortestPaths:
      Open("all-shortest-paths");
      break;
  }
  if (!part.path_variable.empty()) {
    Word(N(part.path_variable));
    Word("=");
  }
  for (size_t i = 0; i < part.nodes.size(); ++i) {
    if (i > 0) {
      Space();
      Relationship(part.relationships[i - 1]);
    }
    Space();
    Node(part.nodes[i]);
  }
  Close();
}

void Printer::Body(const ProjectionBody& body) {
  if (body.distinct) Word(":distinct");
  if (body.include_existing) Word("*");
  for (const ProjectionItem& item : body.items) {
    Space();
    if (item.has_alias()) {
      Open("as");
      Child(*item.expression);
      Word(N(item.alias));
      Close();
    } else {
      Expression(*item.expression);
    }
  }
  if (!body.order_by.empty()) {
    Word(":order-by");
    for (const SortItem& s : body.order_by) {
      Space();
      Open(s.descending ? "desc" : "asc");
      Child(*s.expression);
      Close();
    }
  }
  Keyword(":skip", body.skip);
  Keyword(":limit", body.limit);
}

void Printer::SetItems(const std::vector<SetItem>& items) {
  for (const SetItem& item : items) {
    Space();
    switch (item.kind) {
      case SetItem::Kind::kProperty:
        Open("set-property");
        Child(*item.target);
        Child(*item.value);
        break;
      case SetItem::Kind::kReplaceProperties:
        Open("set-all");
        Word(N(item.variable));
        Child(*item.value);
        break;
      case SetItem::Kind::kMergeProperties:
        Open("set-merge");
        Word(N(item.variable));
        Child(*item.value);
        break;
      case SetItem::Kind::kLabels:
        Open("set-labels");
        Word(N(item.variable));
        for (const std::string& l : item.labels) Word(":" + N(l));
        break;
    }
    Close();
  }
}

void Printer::ClauseNode(const Clause& clause) {
  switch (clause.kind()) {
    case ClauseKind::kMatch: {
      const auto& c = clause.As<MatchClause>();
      Open(c.optional ? "optional-match" : "match");
      for (const PatternPart& part : c.pattern) {
        Space();
        Path(part);
      }
      if (c.valid_time) {
        if (c.valid_time->kind == ValidTime::Kind::kAt) {
          Keyword(":valid-at", c.valid_time->at);
        } else {
          Keyword(":valid-during", c.valid_time->from);
          Child(*c.valid_time->to);
        }
      }
      Keyword(":where", c.where);
      return Close();
    }
    case ClauseKind::kUnwind: {
      const auto& c = clause.As<UnwindClause>();
      Open("unwind");
      Child(*c.list);
      Word(N(c.variable));
      return Close();
    }
    case ClauseKind::kWith: {
      const auto& c = clause.As<WithClause>();
      Open("with");
      Body(c.body);
      Keyword(":where", c.where);
      return Close();
    }
    case ClauseKind::kReturn:
      Open("return");
      Body(clause.As<ReturnClause>().body);
      return Close();
    case ClauseKind::kCreate:
      Open("create");
      for (const PatternPart& part : clause.As<CreateClause>().pattern) {
        Space();
        Path(part);
      }
      return Close();
    case ClauseKind::kMerge: {
      const auto& c = clause.As<MergeClause>();
      Open("merge");
      Space();
      Path(c.pattern);
      if (!c.on_create.empty()) {
        Space();
        Open("on-create");
        SetItems(c.on_create);
        Close();
      }
      if (!c.on_match.empty()) {
        Space();
        Open("on-match");
        SetItems(c.on_match);
        Close();
      }
      return Close();
    }
    case ClauseKind::kSet:
      Open("set");
      SetItems(clause.As<SetClause>().items);
      return Close();
    case ClauseKind::kRemove:
      Open("remove");
      for (const RemoveItem& item : clause.As<RemoveClause>().items) {
        Space();
        if (item.kind == RemoveItem::Kind::kProperty) {
          Open("remove-property");
          Child(*item.target);
        } else {
          Open("remove-labels");
          Word(N(item.variable));
          for (const std::string& l : item.labels) Word(":" + N(l));
        }
        Close();
      }
      return Close();
    case ClauseKind::kDelete: {
      const auto& c = clause.As<DeleteClause>();
      Open(c.detach ? "detach-delete" : "delete");
      for (const ExprPtr& e : c.expressions) Child(*e);
      return Close();
    }
    case ClauseKind::kCall: {
      const auto& c = clause.As<CallClause>();
      Open("procedure-call");
      Word(c.procedure);
      if (c.explicit_arguments) {
        Space();
        Open("args");
        for (const ExprPtr& e : c.arguments) Child(*e);
        Close();
      }
      if (c.yield_all) Word(":yield-all");
      if (!c.yield_items.empty()) {
        Space();
        Open("yield");
        for (const YieldItem& item : c.yield_items) {
          Word(item.field == item.variable ? N(item.field) : N(item.field) + "->" + N(item.variable));
        }
        Close();
      }
      Keyword(":where", c.where);
      return Close();
    }
  }
}

void Printer::QueryNode(const Query& query) {
  const bool is_union = query.parts.size() > 1;
  if (is_union) Open(query.union_all ? "union-all" : "union");
  for (const SingleQuery& part : query.parts) {
    if (is_union) Space();
    Open("query");
    for (const ClausePtr& clause : part.clauses) {
      Space();
      ClauseNode(*clause);
    }
    Close();
  }
  if (is_union) Close();
}

void Printer::StatementNode(const Statement& statement) {
  int closes = 0;
  if (statement.mode != StatementMode::kExecute) {
    Open(statement.mode == StatementMode::kExplain ? "explain " : "profile ");
    ++closes;
  }
  if (statement.known_at) {
    Open("known-at");
    Child(*statement.known_at);
    Space();
    ++closes;
  }
  if (statement.query) {
    QueryNode(*statement.query);
  } else if (statement.schema) {
    const SchemaCommand& s = *statement.schema;
    Open(s.kind == SchemaCommand::Kind::kCreateIndex ? "create-index" : "drop-index");
    Word(":" + N(s.label));
    for (const std::string& p : s.properties) Word(N(p));
    Close();
  }
  for (int i = 0; i < closes; ++i) Close();
}

}  // namespace

std::string QuoteString(const std::string& value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
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
        if (c < 0x20 || c == 0x7f) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04X", c);
          out += buffer;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

std::string ToString(const Expr& expr) {
  Printer p;
  p.Expression(expr);
  return p.Take();
}

std::string ToString(const PatternPart& part) {
  Printer p;
  p.Path(part);
  return p.Take();
}

std::string ToString(const Clause& clause) {
  Printer p;
  p.ClauseNode(clause);
  return p.Take();
}

std::string ToString(const Query& query) {
  Printer p;
  p.QueryNode(query);
  return p.Take();
}

std::string ToString(const Statement& statement) {
  Printer p;
  p.StatementNode(statement);
  return p.Take();
}

}  // namespace lodestone::ast
