// A deliberately small subset of the query language for the mock API, enough for the page's console and
// its tests: MATCH patterns (nodes with a label and property map, relationships with types and direction),
// WHERE with comparisons/AND/OR/NOT/CONTAINS/STARTS WITH/IS NULL, RETURN [DISTINCT] items with AS, count(),
// labels(), type(), ORDER BY, LIMIT. Errors carry line and column as docs/api.md says. The real language is
// the C++ engine's; this only has to answer like it for these forms.

import { ApiError, tagProps } from "./graph.mjs";
import { parseDate } from "./dates.mjs";

const DATE_PROPS = new Set(["date", "announced", "published", "valid_from", "valid_to"]);

const KEYWORDS = new Set(["MATCH", "WHERE", "RETURN", "AND", "OR", "NOT", "ORDER", "BY", "ASC", "DESC", "LIMIT", "AS",
  "CONTAINS", "STARTS", "ENDS", "WITH", "IS", "NULL", "TRUE", "FALSE", "DISTINCT", "OPTIONAL", "SKIP"]);
const WRITES = new Set(["CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE"]);
const ROW_LIMIT = 1000;

function tokenize(text) {
  const toks = [];
  let i = 0, line = 1, col = 1;
  const adv = (n) => { for (let k = 0; k < n; k++) { if (text[i] === "\n") { line++; col = 1; } else col++; i++; } };
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { adv(1); continue; }
    if (c === "/" && text[i + 1] === "/") { while (i < text.length && text[i] !== "\n") adv(1); continue; }
    const at = { line, col, offset: i };
    let m;
    if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i)))) {
      const up = m[0].toUpperCase();
      toks.push({ ...at, type: KEYWORDS.has(up) || WRITES.has(up) ? "kw" : "ident", value: KEYWORDS.has(up) || WRITES.has(up) ? up : m[0], text: m[0] });
      adv(m[0].length);
    } else if ((m = /^`([^`]*)`/.exec(text.slice(i)))) {
      toks.push({ ...at, type: "ident", value: m[1], text: m[0] }); adv(m[0].length);
    } else if ((m = /^\d+(\.\d+)?/.exec(text.slice(i)))) {
      toks.push({ ...at, type: "num", value: Number(m[0]), text: m[0] }); adv(m[0].length);
    } else if (c === "'" || c === '"') {
      let j = i + 1, s = "";
      while (j < text.length && text[j] !== c) { if (text[j] === "\\" && j + 1 < text.length) j++; s += text[j]; j++; }
      if (j >= text.length) syntax(text, at, "the string starting here is not closed");
      toks.push({ ...at, type: "str", value: s, text: text.slice(i, j + 1) }); adv(j + 1 - i);
    } else if ((m = /^(<>|<=|>=|->|<-|[()[\]{}:,.\-<>=*|+])/.exec(text.slice(i)))) {
      toks.push({ ...at, type: "p", value: m[0], text: m[0] }); adv(m[0].length);
    } else {
      syntax(text, at, `unexpected character '${c}'`);
    }
  }
  toks.push({ line, col, offset: i, type: "eof", value: "<end>", text: "end of input" });
  return toks;
}

function caret(text, line, col) {
  const src = text.split("\n")[line - 1] ?? "";
  return `  ${src}\n  ${" ".repeat(Math.max(0, col - 1))}^`;
}

function syntax(text, at, message) {
  throw new ApiError(400, "SyntaxError", "UnexpectedSyntax", message, {
    line: at.line, column: at.col,
    formatted: `syntax error at line ${at.line}, column ${at.col}: ${message}\n${caret(text, at.line, at.col)}`,
  });
}

function semantic(text, at, detail, message) {
  throw new ApiError(400, "SemanticError", detail, message, {
    line: at.line, column: at.col,
    formatted: `semantic error at line ${at.line}, column ${at.col}: ${message}\n${caret(text, at.line, at.col)}`,
  });
}

class Parser {
  constructor(text) {
    this.text = text;
    this.toks = tokenize(text);
    this.i = 0;
    this.anon = 0;
  }
  peek(k = 0) { return this.toks[this.i + k]; }
  next() { return this.toks[this.i++]; }
  is(v, k = 0) { const t = this.peek(k); return (t.type === "kw" || t.type === "p") && t.value === v; }
  accept(v) { if (this.is(v)) return this.next(); return null; }
  fail(what) {
    const t = this.peek();
    syntax(this.text, t, `expected ${what}, found ${t.type === "eof" ? "the end of the query" : `'${t.text}'`}`);
  }
  expect(v, what = `'${v}'`) { return this.accept(v) ?? this.fail(what); }
  ident(what = "a name") { const t = this.peek(); if (t.type === "ident") return this.next(); this.fail(what); }

  query() {
    const first = this.peek();
    if (first.type === "kw" && WRITES.has(first.value))
      throw new ApiError(403, "Forbidden", "WriteRefused", `this endpoint is read-only: '${first.text}' writes`, { line: first.line, column: first.col });
    this.expect("MATCH", "MATCH");
    const patterns = [this.pattern()];
    while (this.accept(",")) patterns.push(this.pattern());
    let where = null;
    if (this.accept("WHERE")) where = this.expr("an expression after 'WHERE'");
    for (const t of this.toks) if (t.type === "kw" && WRITES.has(t.value))
      throw new ApiError(403, "Forbidden", "WriteRefused", `this endpoint is read-only: '${t.text}' writes`, { line: t.line, column: t.col });
    this.expect("RETURN", where ? "'RETURN'" : "'WHERE' or 'RETURN'");
    const distinct = !!this.accept("DISTINCT");
    const items = [this.returnItem()];
    while (this.accept(",")) items.push(this.returnItem());
    const order = [];
    if (this.accept("ORDER")) {
      this.expect("BY");
      do {
        const e = this.expr("an expression after 'ORDER BY'");
        const desc = !!this.accept("DESC");
        if (!desc) this.accept("ASC");
        order.push({ e, desc });
      } while (this.accept(","));
    }
    let limit = null;
    if (this.accept("LIMIT")) {
      const t = this.next();
      if (t.type !== "num") { this.i--; this.fail("a number after 'LIMIT'"); }
      limit = t.value;
    }
    if (this.peek().type !== "eof") this.fail("the end of the query");
    return { patterns, where, distinct, items, order, limit };
  }

  pattern() {
    const nodes = [this.nodePat()];
    const rels = [];
    while (this.is("-") || this.is("<-")) {
      rels.push(this.relPat());
      nodes.push(this.nodePat());
    }
    return { nodes, rels };
  }

  nodePat() {
    const at = this.expect("(", "'(' to start a node pattern");
    let v = null, label = null;
    const props = [];
    if (this.peek().type === "ident") v = this.next().value;
    if (this.accept(":")) label = this.ident("a label after ':'").value;
    if (this.accept("{")) {
      do {
        const k = this.ident("a property name").value;
        this.expect(":");
        props.push([k, this.literal()]);
      } while (this.accept(","));
      this.expect("}");
    }
    this.expect(")", "')' to close the node pattern");
    return { v: v ?? `_n${this.anon++}`, label, props, at };
  }

  relPat() {
    let dir = "any";
    if (this.accept("<-")) dir = "in";
    else this.expect("-");
    let v = null;
    const types = [];
    if (this.accept("[")) {
      if (this.peek().type === "ident") v = this.next().value;
      if (this.accept(":")) {
        types.push(this.ident("a relationship type").value);
        while (this.accept("|")) { this.accept(":"); types.push(this.ident("a relationship type").value); }
      }
      this.expect("]", "']' to close the relationship pattern");
    }
    if (this.accept("->")) {
      if (dir === "in") this.fail("'-' (a relationship cannot point both ways)");
      dir = "out";
    } else this.expect("-", "'-' or '->'");
    return { v: v ?? `_r${this.anon++}`, types, dir };
  }

  literal() {
    const t = this.next();
    if (t.type === "str" || t.type === "num") return t.value;
    if (t.type === "kw" && t.value === "TRUE") return true;
    if (t.type === "kw" && t.value === "FALSE") return false;
    if (t.type === "kw" && t.value === "NULL") return null;
    this.i--;
    this.fail("a literal value");
  }

  returnItem() {
    const start = this.peek();
    const e = this.expr("an expression after 'RETURN'");
    const end = this.toks[this.i - 1];
    let name = this.text.slice(start.offset, end.offset + end.text.length);
    if (this.accept("AS")) name = this.ident("a name after 'AS'").value;
    return { e, name };
  }

  expr(what) {
    if (this.peek().type === "eof" || this.is("RETURN") || this.is(")") || this.is(",")) this.fail(what);
    return this.or();
  }
  or() { let l = this.and(); while (this.accept("OR")) l = { op: "or", l, r: this.and() }; return l; }
  and() { let l = this.not(); while (this.accept("AND")) l = { op: "and", l, r: this.not() }; return l; }
  not() { if (this.accept("NOT")) return { op: "not", e: this.not() }; return this.cmp(); }
  cmp() {
    const l = this.atom();
    for (const op of ["=", "<>", "<=", ">=", "<", ">", "CONTAINS"]) if (this.accept(op)) return { op, l, r: this.atom() };
    if (this.accept("STARTS")) { this.expect("WITH"); return { op: "starts", l, r: this.atom() }; }
    if (this.accept("ENDS")) { this.expect("WITH"); return { op: "ends", l, r: this.atom() }; }
    if (this.accept("IS")) { const neg = !!this.accept("NOT"); this.expect("NULL"); return { op: neg ? "notnull" : "isnull", e: l }; }
    return l;
  }
  atom() {
    const t = this.peek();
    if (t.type === "str" || t.type === "num" || (t.type === "kw" && ["TRUE", "FALSE", "NULL"].includes(t.value)))
      return { lit: this.literal() };
    if (this.accept("(")) { const e = this.expr("an expression"); this.expect(")"); return e; }
    if (t.type === "ident") {
      this.next();
      if (this.accept("(")) {
        const fn = t.value.toLowerCase();
        let arg = null;
        if (this.accept("*")) arg = { star: true };
        else if (!this.is(")")) arg = this.expr("an argument");
        this.expect(")", "')' to close the call");
        if (!["count", "labels", "type", "tolower", "toupper", "keys", "id"].includes(fn))
          semantic(this.text, t, "UnknownFunction", `unknown function '${t.value}'`);
        return { fn, arg, at: t };
      }
      if (this.accept(".")) return { v: t.value, prop: this.ident("a property name after '.'").value, at: t };
      return { v: t.value, at: t };
    }
    this.fail("an expression");
  }
}

function collectVars(e, out) {
  if (!e) return out;
  if (e.v) out.push(e);
  for (const k of ["l", "r", "e", "arg"]) if (e[k]) collectVars(e[k], out);
  return out;
}

/** Runs a query; returns the docs/api.md result object or throws ApiError. */
export function runQuery(graph, text) {
  if (typeof text !== "string" || !text.trim()) throw new ApiError(400, "BadRequest", "EmptyQuery", "the query is empty");
  const t0 = performance.now();
  const p = new Parser(text);
  const q = p.query();
  const bound = new Set();
  for (const pat of q.patterns) {
    for (const n of pat.nodes) bound.add(n.v);
    for (const r of pat.rels) bound.add(r.v);
  }
  const aliases = new Set(q.items.map((i) => i.name));
  const check = (e, allowAliases) => {
    for (const v of collectVars(e, [])) {
      if (!bound.has(v.v) && !(allowAliases && aliases.has(v.v))) semantic(text, v.at, "UndefinedVariable", `variable '${v.v}' is not defined`);
    }
  };
  check(q.where, false);
  for (const i of q.items) check(i.e, false);
  for (const o of q.order) check(o.e, true);

  // Matching: backtracking over patterns, binding node keys and relationship objects.
  let rows = [{}];
  for (const pat of q.patterns) {
    const next = [];
    for (const row of rows) matchPattern(graph, pat, 0, row, next);
    rows = next;
  }
  if (q.where) rows = rows.filter((r) => evalExpr(graph, q.where, r) === true);

  const aggregate = q.items.some((i) => i.e.fn === "count");
  let out;
  if (aggregate) {
    const groups = new Map();
    for (const r of rows) {
      const keyVals = q.items.map((i) => (i.e.fn === "count" ? null : evalExpr(graph, i.e, r)));
      const k = JSON.stringify(keyVals.map((v) => valueJson(graph, v)));
      if (!groups.has(k)) groups.set(k, { keyVals, rows: [] });
      groups.get(k).rows.push(r);
    }
    if (!groups.size && q.items.every((i) => i.e.fn === "count")) groups.set("", { keyVals: [], rows: [] });
    out = [...groups.values()].map((g) => ({
      vals: q.items.map((i, n) => {
        if (i.e.fn !== "count") return g.keyVals[n];
        if (i.e.arg?.star) return g.rows.length;
        return g.rows.filter((r) => evalExpr(graph, i.e.arg, r) != null).length;
      }),
      r: g.rows[0] ?? {},
    }));
  } else {
    out = rows.map((r) => ({ vals: q.items.map((i) => evalExpr(graph, i.e, r)), r }));
  }
  {
    if (q.order.length) {
      out.sort((a, b) => {
        for (const o of q.order) {
          const va = evalOrder(graph, o.e, a, q), vb = evalOrder(graph, o.e, b, q);
          const c = compare(va, vb);
          if (c) return o.desc ? -c : c;
        }
        return 0;
      });
    }
    out = out.map((x) => x.vals);
  }
  let json = out.map((row) => row.map((v) => valueJson(graph, v)));
  if (q.distinct) {
    const seen = new Set();
    json = json.filter((r) => { const k = JSON.stringify(r); if (seen.has(k)) return false; seen.add(k); return true; });
  }
  if (q.limit != null) json = json.slice(0, q.limit);
  const truncated = json.length > ROW_LIMIT;
  if (truncated) json = json.slice(0, ROW_LIMIT);
  return {
    columns: q.items.map((i) => i.name),
    rows: json,
    stats: {},
    elapsed_ms: Math.round((performance.now() - t0) * 1000) / 1000,
    truncated,
  };
}

function evalOrder(graph, e, x, q) {
  const text = e.v !== undefined ? (e.prop ? `${e.v}.${e.prop}` : e.v) : null;
  const idx = text ? q.items.findIndex((i) => i.name === text) : -1;
  if (idx >= 0) return x.vals[idx];
  return evalExpr(graph, e, x.r);
}

function nodeOk(graph, pat, key, row) {
  if (pat.v in row && row[pat.v].node !== key) return false;
  const n = graph.nodes.get(key);
  if (pat.label && !n.labels.includes(pat.label)) return false;
  for (const [k, v] of pat.props) if (n.props[k] !== v) return false;
  return true;
}

function matchPattern(graph, pat, idx, row, out) {
  if (idx === 0) {
    const n0 = pat.nodes[0];
    const cands = n0.v in row ? [row[n0.v].node] : [...graph.nodes.keys()];
    for (const key of cands) {
      if (!nodeOk(graph, n0, key, row)) continue;
      const r2 = { ...row, [n0.v]: { node: key } };
      if (pat.rels.length === 0) out.push(r2);
      else matchPattern(graph, pat, 1, r2, out);
    }
    return;
  }
  const rp = pat.rels[idx - 1];
  const prev = row[pat.nodes[idx - 1].v].node;
  const np = pat.nodes[idx];
  const used = new Set(Object.values(row).filter((b) => b.rel).map((b) => b.rel.id));
  for (const rel of graph.rels) {
    if (rp.types.length && !rp.types.includes(rel.type)) continue;
    if (used.has(rel.id)) continue;
    const ends = [];
    if ((rp.dir === "out" || rp.dir === "any") && rel.from === prev) ends.push(rel.to);
    if ((rp.dir === "in" || rp.dir === "any") && rel.to === prev) ends.push(rel.from);
    for (const other of ends) {
      if (rp.v in row && row[rp.v].rel !== rel) continue;
      if (!nodeOk(graph, np, other, row)) continue;
      const r2 = { ...row, [rp.v]: { rel }, [np.v]: { node: other } };
      if (idx === pat.rels.length) out.push(r2);
      else matchPattern(graph, pat, idx + 1, r2, out);
    }
  }
}

function evalExpr(graph, e, row) {
  if ("lit" in e) return e.lit;
  if (e.v !== undefined) {
    const b = row[e.v];
    if (!b) return null;
    if (e.prop === undefined) return b;
    const props = b.node ? graph.nodes.get(b.node).props : b.rel.props;
    const holder = b.node ? graph.nodes.get(b.node) : b.rel;
    let v = props[e.prop];
    if (v === undefined && (e.prop === "valid_from" || e.prop === "valid_to")) v = holder[e.prop] ?? undefined;
    if (v === undefined) return null;
    return DATE_PROPS.has(e.prop) && parseDate(v) ? { $date: v } : v;
  }
  if (e.fn) {
    const a = e.arg && !e.arg.star ? evalExpr(graph, e.arg, row) : null;
    switch (e.fn) {
      case "labels": return a?.node ? graph.nodes.get(a.node).labels : null;
      case "type": return a?.rel ? a.rel.type : null;
      case "keys": return a?.node ? Object.keys(graph.nodes.get(a.node).props) : a?.rel ? Object.keys(a.rel.props) : null;
      case "id": return a?.node ? graph.nodes.get(a.node).id : a?.rel ? a.rel.id : null;
      case "tolower": return typeof a === "string" ? a.toLowerCase() : null;
      case "toupper": return typeof a === "string" ? a.toUpperCase() : null;
      default: return null;
    }
  }
  switch (e.op) {
    case "and": { const l = evalExpr(graph, e.l, row), r = evalExpr(graph, e.r, row); return l === false || r === false ? false : l === true && r === true ? true : null; }
    case "or": { const l = evalExpr(graph, e.l, row), r = evalExpr(graph, e.r, row); return l === true || r === true ? true : l === false && r === false ? false : null; }
    case "not": { const v = evalExpr(graph, e.e, row); return v == null ? null : !v; }
    case "isnull": return evalExpr(graph, e.e, row) == null;
    case "notnull": return evalExpr(graph, e.e, row) != null;
  }
  const l = evalExpr(graph, e.l, row), r = evalExpr(graph, e.r, row);
  if (l == null || r == null) return null;
  switch (e.op) {
    case "=": return JSON.stringify(valueJson(graph, l)) === JSON.stringify(valueJson(graph, r));
    case "<>": return JSON.stringify(valueJson(graph, l)) !== JSON.stringify(valueJson(graph, r));
    case "<": return compare(l, r) < 0;
    case ">": return compare(l, r) > 0;
    case "<=": return compare(l, r) <= 0;
    case ">=": return compare(l, r) >= 0;
    case "CONTAINS": if (l?.$date) return null; return typeof l === "string" && typeof r === "string" ? l.includes(r) : null;
    case "starts": return typeof l === "string" && typeof r === "string" ? l.startsWith(r) : null;
    case "ends": return typeof l === "string" && typeof r === "string" ? l.endsWith(r) : null;
  }
  return null;
}

function compare(a, b) {
  if (a?.$date !== undefined) a = a.$date;
  if (b?.$date !== undefined) b = b.$date;
  if (a == null && b == null) return 0;
  if (a == null) return 1;
  if (b == null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function valueJson(graph, v) {
  if (v == null) return null;
  if (v.node) {
    const n = graph.nodes.get(v.node);
    return { $node: { id: n.id, key: n.key, labels: n.labels, properties: tagProps(n.props) } };
  }
  if (v.rel) {
    const r = v.rel;
    return { $rel: { id: r.id, type: r.type, start: graph.nodes.get(r.from).id, end: graph.nodes.get(r.to).id, properties: tagProps(r.props) } };
  }
  return v;
}
