// An in-memory graph built from import files (JSON Lines, docs/schema.md "Import record forms"), and the
// JSON answers of docs/api.md computed from it. This is a development and test stand-in for the C++ server:
// it follows the contract, not the engine (no bitemporal store; one record time per import file).

import { readFileSync } from "node:fs";
import { parseDate, dateJson, cmpDate, certainlyCovers, possiblyTouches } from "./dates.mjs";

const PERIOD_LABELS = ["Control", "Agreement", "Project"];
const KIND_PROP = { Event: "event_kind", Control: "control_kind", Agreement: "agreement_kind", Project: "project_kind" };
const DATE_PROPS = new Set(["date", "announced", "published", "valid_from", "valid_to"]);

export class Graph {
  constructor() {
    this.nodes = new Map(); // key -> {id, key, labels, props, valid_from, valid_to, sources, versions}
    this.rels = []; // {id, type, from, to, key, props, valid_from, valid_to, sources}
    this.nextId = 1;
    this.recordTime = null;
  }

  /** Loads one import file; every record in it gets the same record time. */
  load(path, origin, recordTime) {
    this.recordTime = recordTime;
    const lines = readFileSync(path, "utf8").split("\n");
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      let rec;
      try {
        rec = JSON.parse(line);
      } catch (e) {
        throw new Error(`${path}:${i + 1}: ${e.message}`);
      }
      if (rec.node) this.#putNode(rec.node, rec.labels, rec.props ?? {}, rec, origin, recordTime);
      else if (rec.rel) this.#putRel(rec.rel, rec.from, rec.to, rec.props ?? {}, rec);
      else if (rec.event) this.#putEvent(rec, origin, recordTime);
      else throw new Error(`${path}:${i + 1}: unknown record form`);
    });
  }

  #putNode(key, labels, props, rec, origin, recordTime) {
    const existing = this.nodes.get(key);
    const version = { record_time: recordTime, to_record_time: null, origin: `import ${origin}`, properties: props };
    if (existing) {
      existing.versions[existing.versions.length - 1].to_record_time = recordTime;
      existing.versions.push(version);
      Object.assign(existing, { labels, props, valid_from: rec.valid_from ?? null, valid_to: rec.valid_to ?? null });
      existing.sources = rec.sources ?? [];
      this.rels = this.rels.filter((r) => !(r.type === "SOURCED_FROM" && r.from === key));
      for (const s of existing.sources) this.#putRel("SOURCED_FROM", key, s, {}, {});
      return existing;
    }
    const node = {
      id: this.nextId++, key, labels, props,
      valid_from: rec.valid_from ?? null, valid_to: rec.valid_to ?? null,
      sources: rec.sources ?? [], versions: [version],
    };
    this.nodes.set(key, node);
    for (const s of node.sources) this.#putRel("SOURCED_FROM", key, s, {}, {});
    return node;
  }

  #putRel(type, from, to, props, rec) {
    if (!this.nodes.has(from) || !this.nodes.has(to)) throw new Error(`relationship ${type} ${from} -> ${to}: unknown node`);
    const key = rec.key ?? null;
    const existing = this.rels.find((r) => r.type === type && r.from === from && r.to === to && r.key === key);
    const fields = { props, valid_from: rec.valid_from ?? null, valid_to: rec.valid_to ?? null, sources: rec.sources ?? [] };
    if (existing) Object.assign(existing, fields);
    else this.rels.push({ id: this.nextId++, type, from, to, key, ...fields });
  }

  #putEvent(rec, origin, recordTime) {
    const props = { title: rec.title, date: rec.date };
    if (rec.event_kind) props.event_kind = rec.event_kind;
    if (rec.summary) props.summary = rec.summary;
    Object.assign(props, rec.props ?? {});
    this.#putNode(rec.event, ["Event"], props, { sources: rec.sources }, origin, recordTime);
    for (const inv of rec.involves ?? []) {
      const o = typeof inv === "string" ? { actor: inv } : inv;
      const { actor, ...p } = o;
      this.#putRel("INVOLVES", rec.event, actor, p, { sources: rec.sources });
    }
    for (const a of rec.affects ?? []) {
      const { control, ...p } = a;
      this.#putRel("AFFECTS", rec.event, control, p, { sources: rec.sources });
    }
    for (const c of rec.concerns ?? []) this.#putRel("CONCERNS", rec.event, c, {}, { sources: rec.sources });
  }

  // ---- helpers -------------------------------------------------------------------------------------

  label(node) {
    return node.labels[0];
  }
  nameOf(node) {
    return node.props.name ?? node.props.title ?? node.key;
  }
  out(key, type) {
    return this.rels.filter((r) => r.from === key && (!type || r.type === type));
  }
  in(key, type) {
    return this.rels.filter((r) => r.to === key && (!type || r.type === type));
  }

  sourceRefs(node) {
    return node.sources.map((k) => {
      const s = this.nodes.get(k);
      return { key: k, title: s?.props.title ?? k, url: s?.props.url ?? null };
    });
  }

  /** The event's timeline item (docs/api.md, GET /api/timeline, `events`). */
  eventItem(node) {
    const date = parseDate(node.props.date);
    return {
      key: node.key,
      title: node.props.title,
      date: dateJson(date),
      kind: node.props.event_kind ?? null,
      summary: node.props.summary ?? null,
      actors: this.out(node.key, "INVOLVES").map((r) => {
        const a = this.nodes.get(r.to);
        const item = { key: a.key, name: this.nameOf(a) };
        if (r.props.role) item.role = r.props.role;
        return item;
      }),
      affects: this.out(node.key, "AFFECTS").map((r) => ({ key: r.to, name: this.nameOf(this.nodes.get(r.to)), effect: r.props.effect })),
      sources: this.sourceRefs(node),
    };
  }

  /** Lifecycle events of a control, sorted by date (start, then end). */
  lifecycle(controlKey) {
    return this.in(controlKey, "AFFECTS")
      .map((r) => ({ event: r.from, effect: r.props.effect, date: parseDate(this.nodes.get(r.from).props.date) }))
      .sort((a, b) => cmpDate(a.date, b.date));
  }

  /** Segments of a period: a control's lifecycle (docs/schema.md "Control lifecycle"), or an agreement's or project's validity. */
  segments(node) {
    const label = this.label(node);
    if (label === "Control") return this.#controlSegments(node);
    if (label === "Agreement" || label === "Project") {
      const from = parseDate(node.valid_from);
      if (!from) return [];
      return [{ status: "active", from: dateJson(from), to: dateJson(parseDate(node.valid_to)) }];
    }
    return [];
  }

  #controlSegments(node) {
    const evs = this.lifecycle(node.key);
    const segs = [];
    let cur = null; // {status, from}
    const open = (status, date) => {
      if (cur) segs.push({ status: cur.status, from: dateJson(cur.from), to: dateJson(date) });
      cur = { status, from: date };
    };
    const announced = parseDate(node.props.announced);
    const firstOpen = evs.find((e) => e.effect === "imposes" || e.effect === "reinstates");
    const firstPropose = evs.find((e) => e.effect === "proposes");
    if (firstPropose && (!firstOpen || cmpDate(firstPropose.date, firstOpen.date) < 0)) open("proposed", firstPropose.date);
    if (announced && (!firstOpen || announced.startMs < firstOpen.date.startMs)) {
      if (!cur || cmpDate(cur.from, announced) < 0) open("announced", announced);
    }
    for (const e of evs) {
      if ((e.effect === "imposes" || e.effect === "reinstates") && cur?.status !== "in_force") open("in_force", e.date);
      else if ((e.effect === "suspends" || e.effect === "lifts") && cur?.status === "in_force")
        open(e.effect === "suspends" ? "suspended" : "lifted", e.date);
    }
    if (cur) segs.push({ status: cur.status, from: dateJson(cur.from), to: null });
    return segs;
  }

  /** A control's status on a day (docs/schema.md, "Control lifecycle" rule 4). */
  controlStatus(node, day) {
    const evs = this.lifecycle(node.key);
    const periods = [];
    let open = null;
    for (const e of evs) {
      if ((e.effect === "imposes" || e.effect === "reinstates") && !open) open = { from: e.date, to: null };
      else if ((e.effect === "suspends" || e.effect === "lifts") && open) {
        open.to = e.date; open.closing = e.effect; periods.push(open); open = null;
      }
    }
    if (open) periods.push(open);
    if (periods.some((p) => certainlyCovers(p.from, p.to, day))) return "in_force";
    if (periods.some((p) => possiblyTouches(p.from, p.to, day))) return null;
    const past = periods.filter((p) => p.to && p.to.endMs <= day.startMs);
    if (past.length) return past[past.length - 1].closing === "suspends" ? "suspended" : "lifted";
    const announced = parseDate(node.props.announced);
    if (announced && announced.endMs <= day.endMs) return "announced";
    const prop = evs.find((e) => e.effect === "proposes");
    if (prop) return prop.date.endMs <= day.endMs ? "proposed" : null;
    return null;
  }

  periodActors(node) {
    const label = this.label(node);
    const list = [];
    const add = (key, role) => {
      const a = this.nodes.get(key);
      if (!list.some((x) => x.key === key && x.role === role)) list.push({ key, name: this.nameOf(a), role });
    };
    if (label === "Control") {
      for (const r of this.in(node.key, "IMPOSED")) add(r.from, r.props.role ?? "imposed");
      for (const r of this.out(node.key, "TARGETS")) add(r.to, "target");
    } else if (label === "Agreement") {
      for (const r of this.in(node.key, "PARTY_TO")) add(r.from, r.props.role ?? "party");
    } else if (label === "Project") {
      for (const r of this.in(node.key, "PARTICIPATES_IN")) add(r.from, r.props.role ?? "participant");
    }
    return list;
  }

  /** The period's timeline item (docs/api.md, GET /api/timeline, `periods`), or null when it has no segments. */
  periodItem(node) {
    const segments = this.segments(node);
    if (!segments.length) return null;
    const label = this.label(node);
    return {
      key: node.key, label, name: node.props.name,
      kind: node.props[KIND_PROP[label]] ?? null,
      actors: this.periodActors(node),
      segments,
      sources: this.sourceRefs(node),
    };
  }

  // ---- endpoints -----------------------------------------------------------------------------------

  health() {
    return {
      status: "ok",
      nodes: this.nodes.size,
      relationships: this.rels.length,
      last_record_time: this.recordTime,
    };
  }

  /** GET /api/timeline. `params` is a URLSearchParams. Throws ApiError on bad parameters. */
  timeline(params) {
    const from = optDate(params, "from");
    const to = optDate(params, "to");
    const actors = params.getAll("actor");
    const labels = params.getAll("label");
    for (const l of labels) if (!KIND_PROP[l]) throw new ApiError(400, "BadRequest", "InvalidParameter", `unknown label '${l}' (expected Event, Control, Agreement or Project)`);
    const kinds = params.getAll("kind");
    const q = (params.get("q") ?? "").toLowerCase();
    const { limit, offset } = paging(params);
    const lo = from ? from.startMs : -Infinity;
    const hi = to ? to.endMs : Infinity;

    const items = [];
    for (const node of this.nodes.values()) {
      const label = this.label(node);
      if (label === "Event") {
        const d = parseDate(node.props.date);
        if (!d || d.endMs <= lo || d.startMs >= hi) continue;
        const item = this.eventItem(node);
        if (!this.#matches(label, item, actors, labels, kinds, q, node)) continue;
        items.push({ type: "event", item, s: d.startMs, e: d.endMs });
      } else if (PERIOD_LABELS.includes(label)) {
        const item = this.periodItem(node);
        if (!item) continue;
        const touches = item.segments.some((sg) => {
          const s = Date.parse(sg.from.start);
          const e = sg.to ? Date.parse(sg.to.end) : Infinity;
          return s < hi && e > lo;
        });
        if (!touches) continue;
        if (!this.#matches(label, item, actors, labels, kinds, q, node)) continue;
        const first = item.segments[0];
        items.push({ type: "period", item, s: Date.parse(first.from.start), e: Date.parse(first.from.end) });
      }
    }
    items.sort((a, b) => a.s - b.s || a.e - b.e || (a.item.key < b.item.key ? -1 : 1));
    const page = items.slice(offset, offset + limit);
    return {
      from: dateJson(from),
      to: dateJson(to),
      events: page.filter((x) => x.type === "event").map((x) => x.item),
      periods: page.filter((x) => x.type === "period").map((x) => x.item),
      total: items.length,
      next: offset + limit < items.length ? encodeCursor(offset + limit) : null,
    };
  }

  #matches(label, item, actors, labels, kinds, q, node) {
    if (labels.length && !labels.includes(label)) return false;
    if (kinds.length && !kinds.includes(item.kind)) return false;
    if (actors.length && !item.actors.some((a) => actors.includes(a.key))) return false;
    if (q) {
      const text = [node.props.title, node.props.name, node.props.summary].filter(Boolean).join("\n").toLowerCase();
      if (!text.includes(q)) return false;
    }
    return true;
  }

  /** GET /api/entity/{key}. */
  entity(key, today) {
    const node = this.nodes.get(key);
    if (!node) throw new ApiError(404, "NotFound", "NoSuchEntity", `no entity has the key '${key}'`);
    const label = this.label(node);
    const touching = this.rels.filter((r) => (r.from === key || r.to === key) && r.type !== "SOURCED_FROM");
    const nb = new Map();
    for (const r of touching) {
      const other = this.nodes.get(r.from === key ? r.to : r.from);
      if (!nb.has(other.key)) nb.set(other.key, { key: other.key, labels: other.labels, name: this.nameOf(other) });
    }
    const events = new Set();
    if (label === "Event") events.add(key);
    for (const k of nb.keys()) if (this.label(this.nodes.get(k)) === "Event") events.add(k);
    const timeline = [...events]
      .map((k) => this.nodes.get(k))
      .sort((a, b) => cmpDate(parseDate(a.props.date), parseDate(b.props.date)))
      .map((n) => this.eventItem(n));
    const out = {
      key,
      labels: node.labels,
      name: this.nameOf(node),
      properties: tagProps(node.props),
      validity: [{ from: dateJson(parseDate(node.valid_from)), to: dateJson(parseDate(node.valid_to)) }],
      status: null,
      sources: node.sources.map((k) => {
        const s = this.nodes.get(k);
        return {
          key: k, title: s.props.title, authors: s.props.authors ?? [], publisher: s.props.publisher ?? null,
          published: dateJson(parseDate(s.props.published)), url: s.props.url ?? null,
        };
      }),
      neighbours: {
        nodes: [...nb.values()],
        relationships: touching.map((r) => ({ type: r.type, from: r.from, to: r.to, properties: tagProps(r.props) })),
      },
      timeline,
      versions: node.versions.map((v) => ({ ...v, properties: tagProps(v.properties) })),
    };
    if (label === "Control") {
      out.status = { on: today.value, status: this.controlStatus(node, today) };
      out.segments = this.segments(node);
    } else if (label === "Agreement" || label === "Project") {
      out.segments = this.segments(node);
    }
    return out;
  }

  /** GET /api/search. */
  search(params) {
    const q = (params.get("q") ?? "").trim().toLowerCase();
    if (!q) throw new ApiError(400, "BadRequest", "MissingParameter", "the parameter 'q' is required");
    const limit = clampLimit(params.get("limit"), 20);
    const hits = [];
    for (const node of this.nodes.values()) {
      const cands = [];
      if (node.props.name) cands.push([node.props.name, "name"]);
      if (node.props.title && this.label(node) !== "Source") cands.push([node.props.title, "title"]);
      for (const a of node.props.aliases ?? []) cands.push([a, `alias: ${a}`]);
      let best = null;
      for (const [text, matched] of cands) {
        const t = text.toLowerCase();
        const rank = t.startsWith(q) ? 0 : t.includes(q) ? 1 : -1;
        if (rank < 0) continue;
        const score = rank * 2 + (matched.startsWith("alias") ? 1 : 0);
        if (!best || score < best.score) best = { score, matched };
      }
      if (best) hits.push({ key: node.key, name: this.nameOf(node), labels: node.labels, matched: best.matched, score: best.score });
    }
    hits.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
    return { results: hits.slice(0, limit).map(({ score, ...h }) => h) };
  }

  /** GET /api/schema. */
  schema() {
    const labels = new Map();
    const types = new Map();
    const keys = new Set();
    for (const n of this.nodes.values()) {
      for (const l of n.labels) labels.set(l, (labels.get(l) ?? 0) + 1);
      for (const k of Object.keys(n.props)) keys.add(k);
    }
    for (const r of this.rels) {
      types.set(r.type, (types.get(r.type) ?? 0) + 1);
      for (const k of Object.keys(r.props)) keys.add(k);
    }
    return {
      labels: [...labels].map(([name, count]) => ({ name, count })),
      relationship_types: [...types].map(([name, count]) => ({ name, count })),
      property_keys: [...keys].sort(),
      indexes: [{ label: "Actor", property: "name", kind: "STRING" }],
    };
  }
}

export class ApiError extends Error {
  constructor(status, kind, detail, message, extra = {}) {
    super(message);
    Object.assign(this, { status, kind, detail, extra });
  }
  toJSON() {
    return { error: { status: this.status, kind: this.kind, detail: this.detail, message: this.message, ...this.extra } };
  }
}

function optDate(params, name) {
  const v = params.get(name);
  if (v === null || v === "") return null;
  const d = parseDate(v);
  if (!d) throw new ApiError(400, "BadRequest", "InvalidDate", `'${name}' is not a date: '${v}' (expected 2025-10-30, 2025-10, 2026-Q1, 2026-H1 or 2025)`);
  return d;
}

function clampLimit(v, dflt) {
  if (v === null || v === "") return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new ApiError(400, "BadRequest", "InvalidParameter", `'limit' must be a positive integer, not '${v}'`);
  return Math.min(n, 1000);
}

function paging(params) {
  const limit = clampLimit(params.get("limit"), 200);
  const c = params.get("cursor");
  let offset = 0;
  if (c) {
    offset = Number(Buffer.from(c, "base64url").toString("utf8").replace(/^o:/, ""));
    if (!Number.isInteger(offset) || offset < 0) throw new ApiError(400, "BadRequest", "InvalidCursor", "the cursor is not one this server gave");
  }
  return { limit, offset };
}

function encodeCursor(offset) {
  return Buffer.from(`o:${offset}`, "utf8").toString("base64url");
}

/** Property maps use tagged values (docs/api.md, "Values"): dates become {"$date": text}. */
export function tagProps(props) {
  const out = {};
  for (const [k, v] of Object.entries(props)) out[k] = DATE_PROPS.has(k) && parseDate(v) ? { $date: v } : v;
  return out;
}
