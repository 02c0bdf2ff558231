// An in-memory graph built from import files (JSON Lines, docs/schema.md "Import record forms"), and the
// JSON answers of docs/api.md computed from it. This is a development and test stand-in for the C++ server:
// it follows the contract, not the engine (no bitemporal store; one record time per import file).

import { readFileSync } from "node:fs";
import { parseDate, dateJson, cmpDate, certainlyCovers, possiblyTouches } from "./dates.mjs";

const PERIOD_LABELS = ["Control", "Agreement", "Project"];
const KIND_PROP = { Event: "event_kind", Control: "control_kind", Agreement: "agreement_kind", Project: "project_kind" };
const DATE_PROPS = new Set(["date", "announced", "published", "valid_from", "valid_to", "evaluated", "stated", "period", "effective", "until"]);
const DAY = 86400000;

export class Graph {
  constructor() {
    this.nodes = new Map(); // key -> {id, key, labels, props, valid_from, valid_to, sources, versions}
    this.rels = []; // {id, type, from, to, key, props, valid_from, valid_to, sources}
    this.nextId = 1;
    this.recordTime = null;
  }

  /**
   * Loads import files as one import: every record gets the same record time, and a record may refer to
   * a node defined anywhere in them (relationships are made once every node is in).
   */
  load(paths, origin, recordTime) {
    this.recordTime = recordTime;
    this.deferred = [];
    for (const path of Array.isArray(paths) ? paths : [paths]) {
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
        else if (rec.schema) return; // schema extensions: the mock checks no schema
        else throw new Error(`${path}:${i + 1}: unknown record form`);
      });
    }
    const deferred = this.deferred;
    this.deferred = null;
    for (const f of deferred) f();
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
    if (this.deferred) {
      this.deferred.push(() => this.#putRel(type, from, to, props, rec));
      return;
    }
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
    const p = node.props;
    if (p.name ?? p.title) return p.name ?? p.title;
    const shorten = (t) => ([...t].length > 90 ? [...t].slice(0, 88).join("") + "…" : t);
    if (node.labels.includes("Claim") && p.text) return shorten(p.text);
    if (node.labels.includes("HsCode") && p.code) return shorten(p.description ? `${p.code} ${p.description}` : p.code);
    if (node.labels.includes("Variant") && p.value !== undefined) return `${p.property}: ${p.value}`;
    if (node.labels.includes("Observation") && p.value !== undefined && p.period) return `${p.metric} ${p.period}: ${p.value} ${p.unit}`;
    return node.key;
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

  /**
   * A measure's (control's) lifecycle, as domain/lifecycle.cc derives it (docs/schema.md): each effect
   * takes hold on its `effective` date, else the event's date; a suspension or lifting before a scheduled
   * entry into force holds that entry back; after a suspension's `until` the status is unknown.
   */
  lifecycle(controlKey) {
    const node = this.nodes.get(controlKey);
    const announced = parseDate(node?.props.announced);
    const events = this.in(controlKey, "AFFECTS")
      .map((r) => {
        const date = parseDate(this.nodes.get(r.from).props.date);
        const effective = parseDate(r.props.effective);
        return { event: r.from, effect: r.props.effect, date, effective, until: parseDate(r.props.until), at: effective ?? date };
      })
      .filter((e) => e.date)
      .sort((a, b) => cmpDate(a.at, b.at) || (a.event < b.event ? -1 : a.event > b.event ? 1 : 0));
    const opens = (e) => e === "imposes" || e === "reinstates";
    const closes = (e) => e === "suspends" || e === "lifts";
    const periods = [];
    const stops = [];
    let open = null;
    let out = null;
    events.forEach((e, i) => {
      const at = e.at;
      if (out?.until && out.until.startMs <= at.startMs) out = null;
      if (e.until && (e.effect !== "suspends" || e.until.startMs <= at.startMs)) return;
      if (opens(e.effect)) {
        if (e.effect === "imposes" && !open && out && e.date.startMs <= out.at.startMs) return; // held back
        if (open) return;
        if (announced && at.endMs <= announced.startMs) return;
        open = { from: at, to: null, closing: null };
        out = null;
      } else if (closes(e.effect)) {
        const stop = { at, status: e.effect === "lifts" ? "lifted" : "suspended", until: e.until, event: e.event };
        if (open) {
          if (open.from.startMs >= at.endMs || at.startMs < open.from.startMs) return; // closes before it opened
          if (cmpDate(at, open.from) === 0 && at.precision === "day") return;
          open.to = at;
          open.closing = e.effect;
          periods.push(open);
          open = null;
        } else {
          const suspended = out?.status === "suspended";
          let decided = !!announced && announced.startMs <= at.startMs;
          for (let j = i + 1; j < events.length && !decided; j++) decided = events[j].effect === "imposes" && events[j].date.startMs <= at.startMs;
          if (!suspended && (out || !decided)) return;
        }
        stops.push(stop);
        out = stop;
      }
    });
    if (open) periods.push(open);
    return { events, periods, stops, announced };
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
    const lc = this.lifecycle(node.key);
    const changes = [
      ...lc.periods.map((p) => ({ status: "in_force", from: p.from, to: p.to })),
      ...lc.stops.map((s) => ({ status: s.status, from: s.at, to: s.until })),
    ].sort((a, b) => cmpDate(a.from, b.from));
    for (let i = 0; i + 1 < changes.length; i++) {
      const c = changes[i];
      if (c.status === "in_force") continue;
      const next = changes[i + 1].from;
      if (!c.to || next.startMs < c.to.startMs) c.to = next;
    }
    const first = changes[0]?.from ?? null;
    let proposal = null;
    for (const e of lc.events) if (e.effect === "proposes" && (!proposal || cmpDate(e.date, proposal) < 0)) proposal = e.date;
    let announced = lc.announced;
    if (announced && first && announced.startMs >= first.startMs) announced = null;
    if (proposal && first && proposal.startMs >= first.startMs) proposal = null;
    if (proposal && announced && proposal.startMs >= announced.startMs) proposal = null;
    const segs = [];
    if (proposal) segs.push({ status: "proposed", from: proposal, to: announced ?? first });
    if (announced) segs.push({ status: "announced", from: announced, to: first });
    for (const c of changes) {
      const last = segs[segs.length - 1];
      if (last && last.status === c.status && c.status !== "in_force" && last.to && cmpDate(last.to, c.from) === 0) {
        last.to = c.to;
        continue;
      }
      segs.push(c);
    }
    return segs.map((sg) => ({ status: sg.status, from: dateJson(sg.from), to: dateJson(sg.to) }));
  }

  /** A control's status on a day (docs/schema.md, "Control lifecycle" rule 4). */
  controlStatus(node, day) {
    const lc = this.lifecycle(node.key);
    if (lc.periods.some((p) => certainlyCovers(p.from, p.to, day))) return "in_force";
    if (lc.periods.some((p) => possiblyTouches(p.from, p.to, day))) return null;
    let last = null;
    let laterPossible = false;
    for (const s of lc.stops) {
      if (s.at.endMs - DAY <= day.startMs) last = s;
      else if (s.at.startMs < day.endMs) laterPossible = true;
    }
    if (laterPossible) return null;
    if (last) return last.until && last.until.startMs < day.endMs ? null : last.status;
    const announced = lc.announced;
    if (announced) {
      if (announced.endMs - DAY <= day.startMs) return "announced";
      if (announced.startMs < day.endMs) return null;
    }
    const prop = lc.events.find((e) => e.effect === "proposes");
    if (prop) return prop.date.endMs - DAY <= day.startMs ? "proposed" : null;
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
    // Issue 11's sections (docs/api.md), as domain/views.cc computes them.
    out.announcement = null;
    out.measures = [];
    out.measure = null;
    if (label === "Announcement") {
      const a = this.announcementJson(node);
      const measures = this.in(key, "ANNOUNCED_IN").map((r) => this.nodes.get(r.from)).filter((m) => m.labels.includes("Control"))
        .map((m) => this.measureJson(m, today));
      measures.sort((x, y) => {
        const kx = `${x.segments[0]?.from.start ?? "9999"}\t${x.key}`, ky = `${y.segments[0]?.from.start ?? "9999"}\t${y.key}`;
        return kx < ky ? -1 : kx > ky ? 1 : 0;
      });
      const counts = {};
      for (const m of measures) counts[m.status.status ?? "unknown"] = (counts[m.status.status ?? "unknown"] ?? 0) + 1;
      a.package_status = { on: today.value, status: packageStatus(measures.map((m) => m.status.status)), measures: counts };
      out.announcement = a;
      out.measures = measures;
    } else if (label === "Control") {
      out.measure = this.measureJson(node, today);
      const ann = this.out(key, "ANNOUNCED_IN").map((r) => r.to).sort();
      if (ann.length) {
        const a = this.announcementJson(this.nodes.get(ann[0]));
        a.measure_count = this.in(ann[0], "ANNOUNCED_IN").length;
        out.announcement = a;
      }
    }
    out.causal_links = this.causalLinks(key);
    out.claims = this.claimsAbout(key);
    out.observations = this.observationsOf(key);
    out.variants = this.variantsOf(node);
    return out;
  }

  // ---- issue 11: announcements, measures, claims, observations, variants ------------------------------

  ref(key) {
    const n = this.nodes.get(key);
    return { key, name: this.nameOf(n), labels: n.labels };
  }

  sourceDetail(k) {
    const s = this.nodes.get(k);
    return {
      key: k, title: s?.props.title ?? k, authors: s?.props.authors ?? [], publisher: s?.props.publisher ?? null,
      published: dateJson(parseDate(s?.props.published)), url: s?.props.url ?? null, source_kind: s?.props.source_kind ?? null,
    };
  }

  announcementJson(node) {
    const p = node.props;
    return {
      key: node.key, title: this.nameOf(node),
      instrument_id: p.instrument_id ?? null, instrument_kind: p.instrument_kind ?? null,
      announced: dateJson(parseDate(p.announced)), published: dateJson(parseDate(p.published)),
      official: typeof p.official === "boolean" ? p.official : null, url: p.url ?? null,
      issuers: this.in(node.key, "ISSUED").sort((a, b) => (a.from < b.from ? -1 : 1))
        .map((r) => ({ key: r.from, name: this.nameOf(this.nodes.get(r.from)), role: r.props.role ?? null })),
    };
  }

  measureJson(node, today) {
    const p = node.props;
    const m = { key: node.key, name: this.nameOf(node) };
    for (const k of ["control_kind", "intervention_type", "mast_code", "evaluation", "scope"]) m[k] = p[k] ?? null;
    m.evaluated = dateJson(parseDate(p.evaluated));
    m.announced = dateJson(parseDate(p.announced));
    m.status = { on: today.value, status: this.controlStatus(node, today) };
    m.segments = this.segments(node);
    const hs = [];
    const seen = new Set();
    const hsItem = (k, via) => {
      if (seen.has(k)) return;
      seen.add(k);
      const c = this.nodes.get(k);
      hs.push({ key: k, code: c.props.code ?? k.slice(k.indexOf("/") + 1), description: c.props.description ?? null, level: c.props.level ?? null, via });
    };
    const materials = [];
    const covers = this.out(node.key, "COVERS").sort((a, b) => (a.to < b.to ? -1 : 1));
    for (const r of covers) if (this.nodes.get(r.to).labels.includes("HsCode")) hsItem(r.to, null);
    for (const r of covers) {
      const o = this.nodes.get(r.to);
      if (o.labels.includes("HsCode")) continue;
      const item = { key: o.key, name: this.nameOf(o), label: o.labels[0] };
      if (o.labels.includes("Product")) {
        item.form = o.props.form ?? null;
        item.form_of = this.out(o.key, "FORM_OF").map((f) => ({ key: f.to, name: this.nameOf(this.nodes.get(f.to)) }));
        for (const c of this.out(o.key, "CLASSIFIED_AS")) hsItem(c.to, { key: o.key, name: this.nameOf(o) });
      }
      materials.push(item);
    }
    hs.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    m.hs_codes = hs;
    m.materials = materials;
    const jur = [];
    const byFrom = (a, b) => (a.from < b.from ? -1 : 1);
    const byTo = (a, b) => (a.to < b.to ? -1 : 1);
    for (const r of this.in(node.key, "IMPOSED").sort(byFrom)) {
      jur.push({ key: r.from, name: this.nameOf(this.nodes.get(r.from)), role: "implementing", as: r.props.role ?? null, basis: null, licence: null,
        confidence: r.props.confidence ?? null, note: r.props.note ?? null });
    }
    for (const r of this.out(node.key, "TARGETS").sort(byTo)) {
      jur.push({ key: r.to, name: this.nameOf(this.nodes.get(r.to)), role: "affected", as: null, basis: r.props.basis ?? "targeted",
        licence: r.props.licence ?? null, confidence: r.props.confidence ?? null, note: r.props.note ?? null });
    }
    m.jurisdictions = jur;
    m.causal_links = this.causalLinks(node.key);
    return m;
  }

  causalLinks(key) {
    const items = [];
    for (const [dir, rels] of [["out", this.out(key, "CAUSAL_LINK")], ["in", this.in(key, "CAUSAL_LINK")]]) {
      const list = rels.map((r) => ({ r, other: dir === "out" ? r.to : r.from }))
        .sort((a, b) => ((a.r.props.kind ?? "") + "\t" + a.other < (b.r.props.kind ?? "") + "\t" + b.other ? -1 : 1));
      for (const { r, other } of list) {
        items.push({ direction: dir, kind: r.props.kind ?? null, ...this.ref(other), confidence: r.props.confidence ?? null,
          note: r.props.note ?? null, sources: (r.sources ?? []).map((k) => this.sourceDetail(k)) });
      }
    }
    return items;
  }

  claimsAbout(key) {
    return this.in(key, "ABOUT").map((r) => this.nodes.get(r.from)).filter((c) => c.labels.includes("Claim"))
      .map((c) => ({
        key: c.key, text: c.props.text ?? "", authors: c.props.authors ?? [], claim_kind: c.props.claim_kind ?? null,
        stance: c.props.stance ?? null, stated: dateJson(parseDate(c.props.stated)), confidence: c.props.confidence ?? null,
        note: c.props.note ?? null, sources: c.sources.map((k) => this.sourceDetail(k)),
        about: this.out(c.key, "ABOUT").map((a) => this.ref(a.to)).sort((a, b) => (a.key < b.key ? -1 : 1)),
        _day: parseDate(c.props.stated)?.startMs ?? Infinity,
      }))
      .sort((a, b) => a._day - b._day || (a.key < b.key ? -1 : 1))
      .map(({ _day, ...c }) => c);
  }

  observationsOf(key) {
    const groups = new Map();
    for (const r of this.in(key, "OBSERVES")) {
      const o = this.nodes.get(r.from);
      if (!o.labels.includes("Observation")) continue;
      const period = parseDate(o.props.period);
      if (typeof o.props.value !== "number" || !period) continue;
      const { metric = "", unit = "", flow = "", series = "" } = o.props;
      const g = (series || `\u0001${metric}\t${flow}`) + "\t" + unit;
      if (!groups.has(g)) {
        groups.set(g, { head: { series: series || null, metric, unit, flow: flow || null }, roles: new Set(), dims: new Map(), sources: new Map(), points: [] });
      }
      const s = groups.get(g);
      if (r.props.role) s.roles.add(r.props.role);
      for (const d of this.out(o.key, "OBSERVES")) {
        if (d.to === key) continue;
        const dk = `${d.props.role ?? ""}\t${d.to}`;
        if (!s.dims.has(dk)) s.dims.set(dk, { ...this.ref(d.to), role: d.props.role ?? null });
      }
      for (const k of o.sources) if (!s.sources.has(k)) s.sources.set(k, this.sourceRefs({ sources: [k] })[0]);
      const point = { key: o.key, period: dateJson(period), value: o.props.value };
      if (typeof o.props.confidence === "number") point.confidence = o.props.confidence;
      s.points.push({ period, point });
    }
    return [...groups.keys()].sort().map((g) => {
      const s = groups.get(g);
      s.points.sort((a, b) => cmpDate(a.period, b.period) || (a.point.key < b.point.key ? -1 : 1));
      return {
        ...s.head, roles: [...s.roles].sort(),
        dimensions: [...s.dims.keys()].sort().map((k) => s.dims.get(k)),
        points: s.points.map((p) => p.point),
        sources: [...s.sources.keys()].sort().map((k) => s.sources.get(k)),
      };
    });
  }

  variantsOf(node) {
    const byProp = new Map();
    for (const r of this.in(node.key, "VARIANT_OF")) {
      const v = this.nodes.get(r.from);
      if (!v.labels.includes("Variant") || !v.props.property) continue;
      const list = byProp.get(v.props.property) ?? [];
      list.push({ key: v.key, value: v.props.value ?? null, preferred: v.props.preferred === true, confidence: v.props.confidence ?? null,
        note: v.props.note ?? null, sources: v.sources.map((k) => this.sourceDetail(k)) });
      byProp.set(v.props.property, list);
    }
    return [...byProp.keys()].sort().map((prop) => ({
      property: prop,
      current: tagProps({ [prop]: node.props[prop] ?? null })[prop],
      values: byProp.get(prop).sort((a, b) => (b.preferred - a.preferred) || ((b.confidence ?? -1) - (a.confidence ?? -1)) || (a.key < b.key ? -1 : 1)),
    }));
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

/** domain::PackageStatus: all the same, that status; some in force, partly_in_force; else mixed; null if any unknown. */
function packageStatus(list) {
  if (!list.length || list.some((x) => x === null)) return null;
  if (list.every((x) => x === list[0])) return list[0];
  return list.includes("in_force") ? "partly_in_force" : "mixed";
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
