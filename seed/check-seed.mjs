#!/usr/bin/env node
// Checks a Lodestone seed file (JSON Lines, the import format of docs/schema.md) against the default
// schema. No dependencies. Usage:
//
//   node seed/check-seed.mjs [FILE]                 check (default: seed/lodestone-seed.jsonl next to this script)
//   node seed/check-seed.mjs [FILE] --summary       also print counts by label, relationship type and event kind
//   node seed/check-seed.mjs [FILE] --periods [--at DATE]
//                                                   also print each control's derived in-force periods and its
//                                                   status at DATE (default: today)
//
// Every problem is printed as FILE:LINE: message. Exit status: 0 clean, 1 errors, 2 usage or unreadable file.
// Warnings (printed with "warning:") do not fail the check.

import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

// ------------------------------------------------------------------------------------------------ schema
// Keep in step with docs/schema.md.
const COMMON_PROPS = ["note", "confidence", "aliases", "date_text"];
const LABELS = {
  Actor: {
    prefix: "actor/", required: ["name"],
    props: ["name", "actor_kind", "iso_code", "office"],
    enums: { actor_kind: ["country", "bloc", "government_body", "state_owned_enterprise", "company", "person", "organization"] },
  },
  Control: {
    prefix: "control/", required: ["name"],
    props: ["name", "control_kind", "materials", "announced", "scope"],
    enums: { control_kind: ["export_control", "export_licensing", "export_ban", "import_restriction", "tariff", "price_floor", "quota", "investment_screening"] },
    dates: ["announced"],
    derived: ["status"],
  },
  Agreement: {
    prefix: "agreement/", required: ["name"],
    props: ["name", "agreement_kind", "location"],
    enums: { agreement_kind: ["talks", "summit", "ministerial", "framework", "mou", "truce", "joint_venture", "partnership"] },
  },
  Project: {
    prefix: "project/", required: ["name"],
    props: ["name", "project_kind", "location", "status"],
    enums: {
      project_kind: ["refinery", "mine", "processing_plant", "magnet_plant", "initiative", "strategy", "fund"],
      status: ["proposed", "explored", "planned", "under_construction", "active", "completed", "suspended", "cancelled"],
    },
  },
  Event: {
    prefix: "event/", required: ["title", "date"],
    props: ["title", "date", "event_kind", "summary", "location"],
    enums: { event_kind: ["imposition", "suspension", "reinstatement", "lifting", "talks", "meeting", "announcement", "discussion", "signing", "investment", "statement", "trade_data"] },
    dates: ["date"],
  },
  Source: {
    prefix: "source/", required: ["title"],
    props: ["title", "url", "publisher", "authors", "published", "source_kind"],
    enums: { source_kind: ["article", "official", "news", "outside_reference", "background"] },
    dates: ["published"],
  },
  Material: {
    prefix: "material/", required: ["name"],
    props: ["name", "symbol", "group", "material_kind"],
    enums: { material_kind: ["group", "element", "compound", "product"] },
  },
};
const EFFECTS = ["imposes", "suspends", "lifts", "reinstates", "amends", "eases", "tightens", "proposes"];
const OPENS = new Set(["imposes", "reinstates"]);
const CLOSES = new Set(["suspends", "lifts"]);
// type -> list of [from labels, to labels]; props allowed besides note/confidence/date_text; required props
const RELS = {
  IMPOSED: { ends: [[["Actor"], ["Control"]]], props: ["role"] },
  TARGETS: { ends: [[["Control"], ["Actor"]]], props: [] },
  COVERS: { ends: [[["Control", "Agreement", "Project"], ["Material"]]], props: [] },
  PARTY_TO: { ends: [[["Actor"], ["Agreement"]]], props: ["role"] },
  PARTICIPATES_IN: { ends: [[["Actor"], ["Project"]]], props: ["role"] },
  PARTNERS_WITH: { ends: [[["Actor"], ["Actor"]]], props: ["domain", "status"] },
  MEMBER_OF: { ends: [[["Actor"], ["Actor"]]], props: ["role"] },
  PART_OF: { ends: [[["Project"], ["Project"]], [["Material"], ["Material"]]], props: [] },
  INVOLVES: { ends: [[["Event"], ["Actor"]]], props: ["role"] },
  AFFECTS: { ends: [[["Event"], ["Control"]]], props: ["effect"], required: ["effect"] },
  CONCERNS: { ends: [[["Event"], ["Agreement", "Project"]]], props: [] },
  LED_TO: { ends: [[["Event"], ["Event"]]], props: [] },
};
const REL_COMMON_PROPS = ["note", "confidence", "date_text"];
const KEY_RE = /^([a-z]+)\/[a-z0-9._-]+$/;

// ------------------------------------------------------------------------------------------------ dates
// A date with precision denotes a half-open interval of days [start, end), as day numbers since 1970-01-01.
const DATE_RE = /^(\d{4})(?:-(?:(0[1-9]|1[0-2])(?:-(\d{2}))?|Q([1-4])|H([12])))?$/;
function dayNum(y, m, d) { return Date.UTC(y, m - 1, d) / 86400000; }
function parseDate(s) {
  if (typeof s !== "string") return null;
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const y = +m[1];
  if (m[3]) {
    const mo = +m[2], d = +m[3];
    const start = dayNum(y, mo, d);
    if (new Date(start * 86400000).getUTCDate() !== d) return null; // e.g. 2025-02-30
    return { text: s, precision: "day", start, end: start + 1 };
  }
  if (m[2]) { const mo = +m[2]; return { text: s, precision: "month", start: dayNum(y, mo, 1), end: dayNum(y, mo + 1, 1) }; }
  if (m[4]) { const q = +m[4]; return { text: s, precision: "quarter", start: dayNum(y, 3 * q - 2, 1), end: dayNum(y, 3 * q + 1, 1) }; }
  if (m[5]) { const h = +m[5]; return { text: s, precision: "half", start: dayNum(y, 6 * h - 5, 1), end: dayNum(y, 6 * h + 1, 1) }; }
  return { text: s, precision: "year", start: dayNum(y, 1, 1), end: dayNum(y + 1, 1, 1) };
}
// Three-valued a < b: true if a ends at or before b starts, false if a starts at or after b ends, else null.
function before(a, b) { if (a.end <= b.start) return true; if (a.start >= b.end) return false; return null; }
function cmpDate(a, b) { return a.start - b.start || a.end - b.end; }

// ------------------------------------------------------------------------------------------------ args
const args = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
let file = join(here, "lodestone-seed.jsonl");
let showSummary = false, showPeriods = false, atText = new Date().toISOString().slice(0, 10);
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--summary") showSummary = true;
  else if (a === "--periods") showPeriods = true;
  else if (a === "--at") { atText = args[++i]; showPeriods = true; }
  else if (a === "-h" || a === "--help") { console.log("usage: node seed/check-seed.mjs [FILE] [--summary] [--periods [--at DATE]]"); process.exit(0); }
  else if (a.startsWith("-")) { console.error(`unknown option ${a}`); process.exit(2); }
  else file = a;
}
const at = parseDate(atText);
if (!at) { console.error(`--at: not a date: ${atText}`); process.exit(2); }

let text;
try { text = readFileSync(file, "utf8"); } catch (e) { console.error(`cannot read ${file}: ${e.message}`); process.exit(2); }
const shown = relative(process.cwd(), file) || file;

// ------------------------------------------------------------------------------------------------ check
let errors = 0, warnings = 0;
function err(line, msg) { errors++; console.log(`${shown}:${line}: ${msg}`); }
function warn(line, msg) { warnings++; console.log(`${shown}:${line}: warning: ${msg}`); }

const nodes = new Map();        // key -> {labels, props, line}
const relSeen = new Map();      // "TYPE from to key" -> line
const relCount = {};            // type -> n
const lifecycle = new Map();    // control key -> [{date, effect, event, line}]
const eventKinds = {};

const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isStr = (v) => typeof v === "string" && v.length > 0;

function checkConfidence(line, where, v) {
  if (v === undefined) return;
  if (typeof v !== "number" || !(v >= 0 && v <= 1)) err(line, `${where}: confidence must be a number in [0, 1], got ${JSON.stringify(v)}`);
}

function checkSources(line, where, sources, latestAllowed) {
  if (!Array.isArray(sources) || sources.length === 0) { err(line, `${where}: "sources" must be a non-empty list of source keys`); return; }
  const seen = new Set();
  for (const s of sources) {
    if (!isStr(s)) { err(line, `${where}: source ${JSON.stringify(s)} is not a key`); continue; }
    if (seen.has(s)) err(line, `${where}: source ${s} listed twice`);
    seen.add(s);
    const n = nodes.get(s);
    if (!n) err(line, `${where}: source ${s} is not defined on an earlier line`);
    else if (!n.labels.includes("Source")) err(line, `${where}: ${s} is not a Source node`);
  }
  if (latestAllowed) {
    // A dated fact should not start after every one of its sources was published.
    const pubs = sources.map((s) => nodes.get(s)?.props?.published).filter(Boolean).map(parseDate).filter(Boolean);
    if (pubs.length && pubs.length === sources.length && pubs.every((p) => latestAllowed.start >= p.end))
      err(line, `${where}: dated ${latestAllowed.text}, after all of its sources were published`);
  }
}

function checkProps(line, where, props, allowed, enums = {}, dates = [], required = [], derived = []) {
  if (!isObj(props)) { err(line, `${where}: "props" must be an object`); return; }
  for (const r of required) if (props[r] === undefined || props[r] === null || props[r] === "") err(line, `${where}: required property "${r}" is missing`);
  for (const [k, v] of Object.entries(props)) {
    if (derived.includes(k)) { err(line, `${where}: "${k}" is derived from lifecycle events and must not be set`); continue; }
    if (!allowed.includes(k)) { err(line, `${where}: unknown property "${k}" (allowed: ${allowed.join(", ")})`); continue; }
    if (v === null) { err(line, `${where}: property "${k}" is null; omit it instead`); continue; }
    if (enums[k] && !enums[k].includes(v)) err(line, `${where}: ${k} "${v}" is not one of ${enums[k].join(", ")}`);
    if (dates.includes(k) && !parseDate(v)) err(line, `${where}: ${k} "${v}" is not a date (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Hn)`);
    if (k === "aliases" && !(Array.isArray(v) && v.every(isStr))) err(line, `${where}: aliases must be a list of strings`);
    if (k === "authors" && !(Array.isArray(v) && v.every(isStr))) err(line, `${where}: authors must be a list of strings`);
    if (k === "confidence") checkConfidence(line, where, v);
    if (["name", "title", "note", "summary", "date_text", "publisher", "url", "location", "role", "iso_code", "symbol", "group"].includes(k) && !isStr(v))
      err(line, `${where}: ${k} must be a non-empty string`);
  }
}

function checkValidity(line, where, rec) {
  let from = null, to = null;
  for (const f of ["valid_from", "valid_to"]) {
    const v = rec[f];
    if (v === undefined || v === null) continue;
    const d = parseDate(v);
    if (!d) err(line, `${where}: ${f} "${v}" is not a date (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Hn)`);
    if (f === "valid_from") from = d; else to = d;
  }
  if (from && to) {
    if (to.start < from.start || to.end < from.end) err(line, `${where}: valid_to ${to.text} is before valid_from ${from.text}`);
    else if (from.precision === "day" && to.precision === "day" && to.start === from.start) err(line, `${where}: empty validity [${from.text}, ${to.text})`);
  }
  return from;
}

function labelOf(key) { return nodes.get(key)?.labels ?? null; }

function addRel(line, where, type, from, to, props, key) {
  const spec = RELS[type];
  if (!spec) { err(line, `${where}: unknown relationship type "${type}" (allowed: ${Object.keys(RELS).join(", ")})`); return; }
  const fl = labelOf(from), tl = labelOf(to);
  if (!fl) err(line, `${where}: "from" ${JSON.stringify(from)} is not defined on an earlier line`);
  if (!tl) err(line, `${where}: "to" ${JSON.stringify(to)} is not defined on an earlier line`);
  if (fl && tl && !spec.ends.some(([fs, ts]) => fl.some((l) => fs.includes(l)) && tl.some((l) => ts.includes(l)) && (type !== "PART_OF" || fl[0] === tl[0])))
    err(line, `${where}: ${type} may not run from ${fl.join("|")} to ${tl.join("|")} (allowed: ${spec.ends.map(([a, b]) => `${a.join("|")} -> ${b.join("|")}`).join("; ")})`);
  if (from === to && from !== undefined) err(line, `${where}: ${type} from a node to itself`);
  checkProps(line, where, props, [...spec.props, ...REL_COMMON_PROPS], type === "AFFECTS" ? { effect: EFFECTS } : {}, [], spec.required ?? []);
  if (key !== undefined && !isStr(key)) err(line, `${where}: "key" must be a non-empty string`);
  const id = `${type} ${from} ${to} ${key ?? ""}`;
  if (relSeen.has(id)) err(line, `${where}: duplicate ${type} ${from} -> ${to}${key ? ` (key ${key})` : ""}; first on line ${relSeen.get(id)} (use "key" to distinguish parallel relationships)`);
  relSeen.set(id, line);
  relCount[type] = (relCount[type] ?? 0) + 1;
}

const lines = text.split("\n");
if (lines.length && lines[lines.length - 1] === "") lines.pop();
lines.forEach((raw, i) => {
  const line = i + 1;
  if (raw.trim() === "") { err(line, "blank line"); return; }
  let rec;
  try { rec = JSON.parse(raw); } catch (e) { err(line, `not valid JSON: ${e.message}`); return; }
  if (!isObj(rec)) { err(line, "a record must be a JSON object"); return; }
  const forms = ["node", "rel", "event"].filter((f) => f in rec);
  if (forms.length !== 1) { err(line, `a record must have exactly one of "node", "rel", "event" (found ${forms.length ? forms.join(", ") : "none"})`); return; }

  if (forms[0] === "node") {
    const key = rec.node, where = isStr(key) ? key : "node";
    for (const k of Object.keys(rec)) if (!["node", "labels", "props", "valid_from", "valid_to", "sources"].includes(k)) err(line, `${where}: unknown field "${k}"`);
    const m = isStr(key) ? KEY_RE.exec(key) : null;
    if (!m) { err(line, `${where}: key ${JSON.stringify(key)} must be prefix/slug (lowercase letters, digits, ".", "_", "-")`); return; }
    if (nodes.has(key)) { err(line, `${key}: defined twice (first on line ${nodes.get(key).line})`); return; }
    const labels = rec.labels;
    if (!Array.isArray(labels) || labels.length === 0) { err(line, `${key}: "labels" must be a non-empty list`); return; }
    for (const l of labels) if (!LABELS[l] || l === "Event") err(line, `${key}: unknown node label "${l}"${l === "Event" ? " (events use the event form)" : ""}`);
    const spec = LABELS[labels[0]];
    if (!spec) return;
    if (m[0].slice(0, spec.prefix.length) !== spec.prefix) err(line, `${key}: label ${labels[0]} needs key prefix ${spec.prefix}`);
    checkProps(line, key, rec.props ?? {}, [...spec.props, ...COMMON_PROPS], spec.enums, spec.dates ?? [], spec.required, spec.derived ?? []);
    if (labels[0] === "Source") {
      if ("sources" in rec) err(line, `${key}: Source nodes take no "sources"`);
      if ("valid_from" in rec || "valid_to" in rec) err(line, `${key}: Source nodes take no validity`);
    } else {
      const from = checkValidity(line, key, rec);
      checkSources(line, key, rec.sources, from);
    }
    nodes.set(key, { labels, props: rec.props ?? {}, line });
    return;
  }

  if (forms[0] === "rel") {
    const where = `${rec.rel ?? "rel"} ${rec.from} -> ${rec.to}`;
    for (const k of Object.keys(rec)) if (!["rel", "from", "to", "key", "props", "valid_from", "valid_to", "sources"].includes(k)) err(line, `${where}: unknown field "${k}"`);
    addRel(line, where, rec.rel, rec.from, rec.to, rec.props ?? {}, rec.key);
    const from = checkValidity(line, where, rec);
    checkSources(line, where, rec.sources, from);
    if (rec.rel === "AFFECTS") warn(line, `${where}: AFFECTS is normally written in the event's "affects" list`);
    return;
  }

  // event
  const key = rec.event, where = isStr(key) ? key : "event";
  for (const k of Object.keys(rec)) if (!["event", "date", "title", "event_kind", "involves", "affects", "concerns", "sources", "summary", "props"].includes(k)) err(line, `${where}: unknown field "${k}"`);
  const m = isStr(key) ? KEY_RE.exec(key) : null;
  if (!m || !key.startsWith("event/")) { err(line, `${where}: event key must be event/slug`); return; }
  if (nodes.has(key)) { err(line, `${key}: defined twice (first on line ${nodes.get(key).line})`); return; }
  const date = parseDate(rec.date);
  if (!date) err(line, `${key}: date ${JSON.stringify(rec.date)} is not a date (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Hn)`);
  const ev = { title: rec.title, date: rec.date, event_kind: rec.event_kind, summary: rec.summary, ...(rec.props ?? {}) };
  if (rec.summary === undefined) delete ev.summary;
  if (rec.event_kind === undefined) delete ev.event_kind;
  if ("props" in rec && !isObj(rec.props)) err(line, `${key}: "props" must be an object`);
  for (const k of Object.keys(rec.props ?? {})) if (["title", "date", "event_kind", "summary"].includes(k)) err(line, `${key}: "${k}" belongs at the top level, not in props`);
  checkProps(line, key, ev, [...LABELS.Event.props, ...COMMON_PROPS], LABELS.Event.enums, [], LABELS.Event.required);
  checkSources(line, key, rec.sources, date);
  nodes.set(key, { labels: ["Event"], props: ev, line });
  eventKinds[rec.event_kind ?? "(none)"] = (eventKinds[rec.event_kind ?? "(none)"] ?? 0) + 1;

  const list = (f) => {
    if (rec[f] === undefined) return [];
    if (!Array.isArray(rec[f])) { err(line, `${key}: "${f}" must be a list`); return []; }
    return rec[f];
  };
  for (const inv of list("involves")) {
    if (isStr(inv)) { addRel(line, `${key} involves ${inv}`, "INVOLVES", key, inv, {}); continue; }
    if (!isObj(inv) || !isStr(inv.actor)) { err(line, `${key}: an "involves" item is an actor key or {"actor": key, "role": ...}`); continue; }
    const { actor, ...props } = inv;
    addRel(line, `${key} involves ${actor}`, "INVOLVES", key, actor, props);
  }
  let effects = 0;
  for (const af of list("affects")) {
    if (!isObj(af) || !isStr(af.control)) { err(line, `${key}: an "affects" item is {"control": key, "effect": ...}`); continue; }
    const { control, ...props } = af;
    addRel(line, `${key} affects ${control}`, "AFFECTS", key, control, props);
    if (date && EFFECTS.includes(af.effect) && labelOf(control)?.includes("Control")) {
      if (!lifecycle.has(control)) lifecycle.set(control, []);
      lifecycle.get(control).push({ date, effect: af.effect, event: key, line });
      effects++;
    }
  }
  const kindEffect = { imposition: "imposes", suspension: "suspends", reinstatement: "reinstates", lifting: "lifts" }[rec.event_kind];
  if (kindEffect && !list("affects").some((a) => a?.effect === kindEffect)) warn(line, `${key}: a ${rec.event_kind} event usually AFFECTS a control with effect "${kindEffect}"`);
  for (const c of list("concerns")) {
    if (!isStr(c)) { err(line, `${key}: a "concerns" item is an agreement or project key`); continue; }
    addRel(line, `${key} concerns ${c}`, "CONCERNS", key, c, {});
  }
  if ((rec.involves ?? []).length === 0) warn(line, `${key}: involves no actor`);
});

// ------------------------------------------------------------------------------------------------ lifecycles
// In-force periods: imposes/reinstates open a period, suspends/lifts close it (docs/schema.md, "Lifecycle").
function periodsOf(control) {
  const evs = [...(lifecycle.get(control) ?? [])].sort((a, b) => cmpDate(a.date, b.date));
  const periods = []; let open = null; let last = null; const problems = [];
  for (const e of evs) {
    if (OPENS.has(e.effect)) {
      if (open) problems.push([e.line, `${control}: ${e.effect} by ${e.event} while already in force since ${open.from.text}`]);
      else open = { from: e.date, to: null, opened_by: e.event };
    } else if (CLOSES.has(e.effect)) {
      if (!open) problems.push([e.line, `${control}: ${e.effect} by ${e.event} but the control is not in force`]);
      else {
        if (before(open.from, e.date) === false) problems.push([e.line, `${control}: closed (${e.date.text}) before it opened (${open.from.text})`]);
        open.to = e.date; open.closed_by = e.event; open.closing = e.effect; periods.push(open); open = null;
      }
    }
    last = e;
  }
  if (open) periods.push(open);
  return { periods, events: evs, problems };
}
// A period [from, to) whose bounds carry precision: the true start F lies somewhere in from's interval and the
// true (exclusive) end T somewhere in to's interval. The period certainly covers all of d when the latest
// possible start is on or before d's first day and the earliest possible end is on or after d's end; it
// possibly touches d when the earliest start is before d's end and the latest end is after d's first day.
function certainlyCovers(p, d) { return p.from.end - 1 <= d.start && (!p.to || p.to.start >= d.end); }
function possiblyTouches(p, d) { return p.from.start < d.end && (!p.to || p.to.end - 1 > d.start); }
// Status at a date: in_force, suspended, lifted, announced, proposed, none, or unknown (...)
// when a period's imprecise bound overlaps d.
function statusAt(control, d) {
  const { periods, events } = periodsOf(control);
  for (const p of periods) {
    if (certainlyCovers(p, d)) return "in_force";
    if (possiblyTouches(p, d)) return `unknown (in force [${p.from.text}, ${p.to ? p.to.text : "…"}) overlaps ${d.text})`;
  }
  const past = periods.filter((p) => p.to && p.to.end - 1 <= d.start);
  if (past.length) return past[past.length - 1].closing === "lifts" ? "lifted" : "suspended";
  const announced = parseDate(nodes.get(control).props.announced ?? "");
  if (announced && announced.end - 1 <= d.start) return "announced";
  if (announced && announced.start < d.end) return `unknown (announced ${announced.text} overlaps ${d.text})`;
  const proposals = events.filter((e) => e.effect === "proposes");
  if (proposals.some((e) => e.date.end - 1 <= d.start)) return "proposed";
  if (proposals.some((e) => e.date.start < d.end)) return `unknown (proposed ${proposals[0].date.text} overlaps ${d.text})`;
  return "none (no lifecycle event yet)";
}

for (const [control, _] of lifecycle) {
  for (const [line, msg] of periodsOf(control).problems) err(line, msg);
}
for (const [key, n] of nodes) {
  if (!n.labels.includes("Control")) continue;
  const evs = lifecycle.get(key) ?? [];
  if (evs.length === 0) warn(n.line, `${key}: no lifecycle event AFFECTS this control, so its status cannot be derived`);
  const announced = parseDate(n.props.announced ?? "");
  const first = periodsOf(key).periods[0];
  if (announced && first && before(first.from, announced) === true) warn(n.line, `${key}: in force (${first.from.text}) before it was announced (${announced.text})`);
}

// ------------------------------------------------------------------------------------------------ report
const byLabel = {};
for (const n of nodes.values()) byLabel[n.labels[0]] = (byLabel[n.labels[0]] ?? 0) + 1;
const nNodes = Object.values(byLabel).reduce((a, b) => a + b, 0);
const nRels = Object.values(relCount).reduce((a, b) => a + b, 0);

if (showSummary) {
  console.log(`\nnodes: ${nNodes}`);
  for (const [l, c] of Object.entries(byLabel).sort()) console.log(`  ${l.padEnd(16)} ${c}`);
  console.log(`relationships: ${nRels} (including INVOLVES, AFFECTS and CONCERNS written inside events)`);
  for (const [t, c] of Object.entries(relCount).sort()) console.log(`  ${t.padEnd(16)} ${c}`);
  console.log(`events by kind:`);
  for (const [t, c] of Object.entries(eventKinds).sort()) console.log(`  ${t.padEnd(16)} ${c}`);
}
if (showPeriods) {
  console.log(`\ncontrol in-force periods, status at ${at.text}:`);
  for (const [key, n] of nodes) {
    if (!n.labels.includes("Control")) continue;
    const { periods } = periodsOf(key);
    const ps = periods.map((p) => `[${p.from.text}, ${p.to ? p.to.text : "…"})`).join(" ") || "(never in force)";
    console.log(`  ${key}\n    periods: ${ps}\n    status:  ${statusAt(key, at)}`);
  }
}
console.log(`\n${shown}: ${lines.length} records, ${nNodes} nodes, ${nRels} relationships; ${errors} error(s), ${warnings} warning(s)`);
process.exit(errors ? 1 : 0);
