#!/usr/bin/env node
// Checks Lodestone seed files (JSON Lines, the import format of docs/schema.md) against the default
// schema. No dependencies. Usage:
//
//   node seed/check-seed.mjs [FILE ...]             check (default: seed/lodestone-seed.jsonl and, when they
//                                                   exist, seed/commodities.jsonl and seed/dataset.jsonl)
//   node seed/check-seed.mjs [FILE ...] --summary   also print counts by label, relationship type and event kind
//   node seed/check-seed.mjs [FILE ...] --periods [--at DATE]
//                                                   also print each control's derived in-force periods and its
//                                                   status at DATE (default: today)
//
// Several files are checked as one stream, as one import: a reference may point to a key defined in
// any of them, on any line. Every problem is printed as FILE:LINE: message. Exit status: 0 clean,
// 1 errors, 2 usage or unreadable file. Warnings (printed with "warning:") do not fail the check.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

// ------------------------------------------------------------------------------------------------ schema
// Keep in step with domain/default_schema.json and docs/schema.md. Same shape as default_schema.json:
// a property is a type name or {enum: [...]}; a label's validity is "stored" (default), "none" or "derived".
const SCHEMA = {
  common_node_properties: { note: "string", confidence: "confidence", aliases: "list", date_text: "string" },
  common_relationship_properties: { note: "string", confidence: "confidence", date_text: "string" },
  labels: {
    Source: {
      prefix: "source/", sources: false, validity: "none", required: ["title"],
      properties: {
        title: "string", url: "string", publisher: "string", authors: "list", published: "date",
        source_kind: { enum: ["article", "official", "news", "outside_reference", "background"] },
      },
    },
    Actor: {
      prefix: "actor/", required: ["name"],
      properties: {
        name: "string",
        actor_kind: { enum: ["country", "bloc", "government_body", "state_owned_enterprise", "company", "person", "organization"] },
        iso_code: "string", office: "string",
      },
    },
    Material: {
      prefix: "material/", required: ["name"],
      properties: { name: "string", symbol: "string", group: "string", material_kind: { enum: ["group", "element", "compound", "product"] } },
    },
    Product: {
      prefix: "product/", required: ["name"],
      properties: {
        name: "string",
        form: { enum: ["ore_concentrate", "oxide", "compound", "salt", "metal", "alloy", "powder", "magnet", "scrap", "technology", "equipment", "other"] },
        tariff_lines: "list", control_list_numbers: "list",
      },
    },
    HsCode: {
      prefix: "hs/", key_property: "code", required: ["code", "description"],
      properties: { code: "hs_code", description: "string", level: { enum: ["chapter", "heading", "subheading"] }, edition: "string" },
    },
    Announcement: {
      prefix: "announcement/", validity: "none", required: ["title"],
      properties: {
        title: "string", instrument_id: "string",
        instrument_kind: { enum: ["announcement", "regulation", "law", "executive_order", "proclamation", "decision", "notice", "catalogue", "joint_statement", "fact_sheet", "memorandum", "statement"] },
        announced: "date", published: "date", official: "boolean", url: "string",
      },
    },
    Control: {
      prefix: "control/", validity: "derived", required: ["name"],
      properties: {
        name: "string",
        control_kind: { enum: ["export_control", "export_licensing", "export_ban", "import_restriction", "tariff", "price_floor", "quota", "investment_screening"] },
        materials: "string", announced: "date", scope: "string",
        intervention_type: {
          enum: ["export_ban", "export_licensing_requirement", "export_quota", "export_tax", "local_supply_requirement", "export_related_measure_nes",
            "foreign_customer_limit", "import_tariff", "import_ban", "import_licensing_requirement", "fdi_entry_and_ownership_rule",
            "capital_injection_and_equity_stake", "financial_grant", "state_loan", "price_stabilisation", "production_subsidy", "trade_finance", "general_licence"],
        },
        mast_code: "mast_code",
        evaluation: { enum: ["red", "amber", "green"] },
        evaluated: "date",
      },
      derived: ["status"],
    },
    Agreement: {
      prefix: "agreement/", required: ["name"],
      properties: { name: "string", agreement_kind: { enum: ["talks", "summit", "ministerial", "framework", "mou", "truce", "joint_venture", "partnership"] }, location: "string" },
    },
    Project: {
      prefix: "project/", required: ["name"],
      properties: {
        name: "string",
        project_kind: { enum: ["refinery", "mine", "processing_plant", "magnet_plant", "initiative", "strategy", "fund"] },
        location: "string",
        status: { enum: ["proposed", "explored", "planned", "under_construction", "active", "completed", "suspended", "cancelled"] },
      },
    },
    Event: {
      prefix: "event/", form: "event", validity: "none", required: ["title", "date"],
      properties: {
        title: "string", date: "date",
        event_kind: { enum: ["imposition", "suspension", "reinstatement", "lifting", "talks", "meeting", "announcement", "discussion", "signing", "investment", "statement", "trade_data"] },
        summary: "string", location: "string",
      },
    },
    Claim: {
      prefix: "claim/", validity: "none", required: ["text"],
      properties: {
        text: "string", authors: "list",
        claim_kind: { enum: ["assessment", "explanation", "prediction", "recommendation"] },
        stance: { enum: ["positive", "negative", "neutral", "mixed"] },
        stated: "date",
      },
    },
    Observation: {
      prefix: "observation/", validity: "none", required: ["metric", "value", "unit", "period"],
      properties: {
        metric: "string", value: "number", unit: "string", period: "date", series: "string",
        flow: { enum: ["export", "import", "production", "reserves", "price", "capacity", "other"] },
      },
    },
    Variant: {
      prefix: "variant/", validity: "none", required: ["property", "value"],
      properties: { property: "string", value: "scalar", preferred: "boolean" },
    },
  },
  relationships: {
    IMPOSED: { from: ["Actor"], to: ["Control"], properties: { role: "string" } },
    TARGETS: { from: ["Control"], to: ["Actor"], properties: { basis: { enum: ["targeted", "excluded", "exempted", "inferred", "incidental"] }, licence: "string" } },
    COVERS: { from: ["Control", "Agreement", "Project"], to: ["Material", "Product", "HsCode"] },
    PARTY_TO: { from: ["Actor"], to: ["Agreement"], properties: { role: "string" } },
    PARTICIPATES_IN: { from: ["Actor"], to: ["Project"], properties: { role: "string" } },
    PARTNERS_WITH: { from: ["Actor"], to: ["Actor"], properties: { domain: "string", status: "string" } },
    MEMBER_OF: { from: ["Actor"], to: ["Actor"], properties: { role: "string" } },
    PART_OF: { from: ["Project", "Material", "HsCode"], to: ["Project", "Material", "HsCode"], same_label: true },
    INVOLVES: { from: ["Event"], to: ["Actor"], properties: { role: "string" } },
    AFFECTS: {
      from: ["Event"], to: ["Control"], required: ["effect"],
      properties: { effect: { enum: ["imposes", "reinstates", "suspends", "lifts", "amends", "eases", "tightens", "proposes"] }, effective: "date", until: "date" },
    },
    CONCERNS: { from: ["Event"], to: ["Agreement", "Project", "Announcement", "Control"] },
    LED_TO: { from: ["Event"], to: ["Event"] },
    ANNOUNCED_IN: { from: ["Control"], to: ["Announcement"] },
    ISSUED: { from: ["Actor"], to: ["Announcement"], properties: { role: "string" } },
    FORM_OF: { from: ["Product"], to: ["Material"] },
    CLASSIFIED_AS: { from: ["Product"], to: ["HsCode"] },
    CAUSAL_LINK: {
      from: ["Event", "Announcement", "Control", "Agreement", "Project"], to: ["Event", "Announcement", "Control", "Agreement", "Project"], required: ["kind"],
      properties: { kind: { enum: ["responds_to", "retaliates_against", "anticipates", "conditional_on", "implements", "enables"] } },
    },
    ABOUT: { from: ["Claim"], to: ["*"] },
    OBSERVES: { from: ["Observation"], to: ["Actor", "Material", "Product", "HsCode"], required: ["role"], properties: { role: { enum: ["reporter", "partner", "product"] } } },
    VARIANT_OF: { from: ["Variant"], to: ["*"] },
  },
};
const OPENS = new Set(["imposes", "reinstates"]);
const CLOSES = new Set(["suspends", "lifts"]);
// Where a fact comes from: the article (or an official text, or news) states it; an outside reference or
// background knowledge was added by the seed author (docs/schema.md, "Provenance and confidence").
const DIRECT_SOURCE_KINDS = new Set(["article", "official", "news"]);
const KEY_RE = /^([a-z]+)\/[a-z0-9._-]+$/;

const labelSpec = (l) => SCHEMA.labels[l];
const nodeProps = (l) => ({ ...SCHEMA.common_node_properties, ...labelSpec(l).properties });
const relProps = (t) => ({ ...SCHEMA.common_relationship_properties, ...(SCHEMA.relationships[t].properties ?? {}) });
const typeOf = (def) => (typeof def === "string" ? def : "enum");

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
const DATE_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Hn";
// Three-valued a < b: true if a ends at or before b starts, false if a starts at or after b ends, else null.
function before(a, b) { if (a.end <= b.start) return true; if (a.start >= b.end) return false; return null; }
function cmpDate(a, b) { return a.start - b.start || a.end - b.end; }
const lastDay = (d) => d.end - 1;

// ------------------------------------------------------------------------------------------------ args
const args = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const files = [];
let showSummary = false, showPeriods = false, atText = new Date().toISOString().slice(0, 10);
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--summary") showSummary = true;
  else if (a === "--periods") showPeriods = true;
  else if (a === "--at") { atText = args[++i]; showPeriods = true; }
  else if (a === "-h" || a === "--help") { console.log("usage: node seed/check-seed.mjs [FILE ...] [--summary] [--periods [--at DATE]]"); process.exit(0); }
  else if (a.startsWith("-")) { console.error(`unknown option ${a}`); process.exit(2); }
  else files.push(a);
}
if (files.length === 0) {
  files.push(join(here, "lodestone-seed.jsonl"));
  for (const extra of ["commodities.jsonl", "dataset.jsonl"]) {
    if (existsSync(join(here, extra))) files.push(join(here, extra));
  }
}
const at = parseDate(atText);
if (!at) { console.error(`--at: not a date: ${atText}`); process.exit(2); }

// Every record of every file, in order: {file (as shown), line, raw}.
const inputs = [];
for (const f of files) {
  let text;
  try { text = readFileSync(f, "utf8"); } catch (e) { console.error(`cannot read ${f}: ${e.message}`); process.exit(2); }
  const shown = relative(process.cwd(), f) || f;
  const lines = text.split("\n");
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  lines.forEach((raw, i) => inputs.push({ file: shown, line: i + 1, raw }));
}

// ------------------------------------------------------------------------------------------------ check
// A place is {file, line}; messages are printed as FILE:LINE: message.
let errors = 0, warnings = 0;
const fmt = (p) => `${p.file}:${p.line}`;
function err(p, msg) { errors++; console.log(`${fmt(p)}: ${msg}`); }
function warn(p, msg) { warnings++; console.log(`${fmt(p)}: warning: ${msg}`); }

const nodes = new Map();        // key -> {labels, props, place, sources, confidence}
const relSeen = new Map();      // "TYPE from to key" -> place
const relCount = {};            // type -> n
const rels = [];                // {type, from, to, props, place}
const lifecycle = new Map();    // control key -> [{date, effective, until, effect, event, place}]
const eventKinds = {};

const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isStr = (v) => typeof v === "string" && v.length > 0;
const isHsCode = (v) => typeof v === "string" && /^(\d{2}|\d{4}|\d{6})$/.test(v);
const isMastCode = (v) => typeof v === "string" && /^[A-P]\d{0,3}$/.test(v);

// Pass 1: parse every record and register every node (node and event forms), so that references may
// point anywhere in the stream.
const records = [];
for (const inp of inputs) {
  const p = { file: inp.file, line: inp.line };
  if (inp.raw.trim() === "") { err(p, "blank line"); continue; }
  let rec;
  try { rec = JSON.parse(inp.raw); } catch (e) { err(p, `not valid JSON: ${e.message}`); continue; }
  if (!isObj(rec)) { err(p, "a record must be a JSON object"); continue; }
  const forms = ["node", "rel", "event"].filter((f) => f in rec);
  if ("schema" in rec) { err(p, "schema extensions are not checked by this script (use lodestone import --dry-run)"); continue; }
  if (forms.length !== 1) { err(p, `a record must have exactly one of "node", "rel", "event" (found ${forms.length ? forms.join(", ") : "none"})`); continue; }
  const form = forms[0];
  records.push({ rec, form, place: p });
  if (form === "rel") continue;
  const key = form === "node" ? rec.node : rec.event;
  if (!isStr(key) || !KEY_RE.test(key)) continue; // reported in pass 2
  if (nodes.has(key)) { err(p, `${key}: defined twice (first at ${fmt(nodes.get(key).place)})`); rec.__duplicate = true; continue; }
  const labels = form === "node" ? (Array.isArray(rec.labels) ? rec.labels : []) : ["Event"];
  const props = form === "node"
    ? (isObj(rec.props) ? rec.props : {})
    : { title: rec.title, date: rec.date, event_kind: rec.event_kind, summary: rec.summary, ...(isObj(rec.props) ? rec.props : {}) };
  for (const k of Object.keys(props)) if (props[k] === undefined) delete props[k];
  nodes.set(key, { labels, props, place: p, sources: Array.isArray(rec.sources) ? rec.sources : [], form });
}

function checkConfidence(p, where, v) {
  if (v === undefined) return;
  if (typeof v !== "number" || !(v >= 0 && v <= 1)) err(p, `${where}: confidence must be a number in [0, 1], got ${JSON.stringify(v)}`);
}

// The kinds of the sources a record cites.
function sourceKinds(sources) {
  return (Array.isArray(sources) ? sources : []).map((s) => nodes.get(s)?.props?.source_kind).filter(Boolean);
}
// A fact resting only on outside references or background knowledge must say how sure it is.
function checkOutsideConfidence(p, where, sources, confidence) {
  const kinds = sourceKinds(sources);
  if (kinds.length === 0 || kinds.some((k) => DIRECT_SOURCE_KINDS.has(k))) return;
  if (!(typeof confidence === "number" && confidence < 1))
    warn(p, `${where}: rests only on outside references or background knowledge but has no confidence below 1`);
}

function checkSources(p, where, sources, latestAllowed) {
  if (!Array.isArray(sources) || sources.length === 0) { err(p, `${where}: "sources" must be a non-empty list of source keys`); return; }
  const seen = new Set();
  for (const s of sources) {
    if (!isStr(s)) { err(p, `${where}: source ${JSON.stringify(s)} is not a key`); continue; }
    if (seen.has(s)) err(p, `${where}: source ${s} listed twice`);
    seen.add(s);
    const n = nodes.get(s);
    if (!n) err(p, `${where}: source ${s} is not defined in any of the files`);
    else if (!n.labels.includes("Source")) err(p, `${where}: ${s} is not a Source node`);
  }
  if (latestAllowed) {
    // A dated fact should not start after every one of its sources was published.
    const pubs = sources.map((s) => nodes.get(s)?.props?.published).filter(Boolean).map(parseDate).filter(Boolean);
    if (pubs.length && pubs.length === sources.length && pubs.every((q) => latestAllowed.start >= q.end))
      err(p, `${where}: dated ${latestAllowed.text}, after all of its sources were published`);
  }
}

// Checks one value against a property definition of the schema.
function checkValue(p, where, k, v, def) {
  const t = typeOf(def);
  const bad = (what) => err(p, `${where}: ${k} ${JSON.stringify(v)} is not ${what}`);
  switch (t) {
    case "enum": if (!def.enum.includes(v)) err(p, `${where}: ${k} ${JSON.stringify(v)} is not one of ${def.enum.join(", ")}`); break;
    case "string": if (!isStr(v)) err(p, `${where}: ${k} must be a non-empty string`); break;
    case "list": if (!(Array.isArray(v) && v.every(isStr))) err(p, `${where}: ${k} must be a list of non-empty strings`); break;
    case "date": if (!parseDate(v)) bad(`a date (${DATE_FORMS})`); break;
    case "number": if (typeof v !== "number" || !Number.isFinite(v)) bad("a number"); break;
    case "integer": if (!Number.isInteger(v)) bad("an integer"); break;
    case "boolean": if (typeof v !== "boolean") bad("true or false"); break;
    case "confidence": checkConfidence(p, where, v); break;
    case "hs_code": if (!isHsCode(v)) bad('an HS code of 6 digits (a subheading, "850511"), or 4 (a heading) or 2 (a chapter), as a string'); break;
    case "mast_code": if (!isMastCode(v)) bad('a MAST code: a chapter letter A-P and up to three digits ("P33")'); break;
    case "scalar": if (!(isStr(v) || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v)))) bad("a string, a number or true/false"); break;
    default: err(p, `${where}: ${k}: the checker does not know the type ${t}`);
  }
}

function checkProps(p, where, props, allowed, required = [], derived = []) {
  if (!isObj(props)) { err(p, `${where}: "props" must be an object`); return; }
  for (const r of required) if (props[r] === undefined || props[r] === null || props[r] === "") err(p, `${where}: required property "${r}" is missing`);
  for (const [k, v] of Object.entries(props)) {
    if (derived.includes(k)) { err(p, `${where}: "${k}" is derived by Lodestone and must not be set`); continue; }
    if (!(k in allowed)) { err(p, `${where}: unknown property "${k}" (allowed: ${Object.keys(allowed).join(", ")})`); continue; }
    if (v === null) { err(p, `${where}: property "${k}" is null; omit it instead`); continue; }
    checkValue(p, where, k, v, allowed[k]);
  }
}

function checkValidity(p, where, rec, rule) {
  let from = null, to = null;
  for (const f of ["valid_from", "valid_to"]) {
    const v = rec[f];
    if (v === undefined || v === null) continue;
    if (rule === "none") { err(p, `${where}: this label has no validity; remove ${f}`); continue; }
    if (rule === "derived") { err(p, `${where}: a control's validity is derived from its lifecycle events; remove ${f}`); continue; }
    const d = parseDate(v);
    if (!d) err(p, `${where}: ${f} "${v}" is not a date (${DATE_FORMS})`);
    if (f === "valid_from") from = d; else to = d;
  }
  if (from && to) {
    if (to.start < from.start || to.end < from.end) err(p, `${where}: valid_to ${to.text} is before valid_from ${from.text}`);
    else if (from.precision === "day" && to.precision === "day" && to.start === from.start) err(p, `${where}: empty validity [${from.text}, ${to.text})`);
  }
  return from;
}

function labelOf(key) { return nodes.get(key)?.labels ?? null; }
const endOk = (allowed, labels) => allowed.includes("*") || labels.some((l) => allowed.includes(l));

function addRel(p, where, type, from, to, props, key) {
  const spec = SCHEMA.relationships[type];
  if (!spec) { err(p, `${where}: unknown relationship type "${type}" (allowed: ${Object.keys(SCHEMA.relationships).join(", ")})`); return; }
  const fl = labelOf(from), tl = labelOf(to);
  if (!fl) err(p, `${where}: "from" ${JSON.stringify(from)} is not defined in any of the files`);
  if (!tl) err(p, `${where}: "to" ${JSON.stringify(to)} is not defined in any of the files`);
  if (fl && tl) {
    if (!endOk(spec.from, fl) || !endOk(spec.to, tl))
      err(p, `${where}: ${type} may not run from ${fl.join("|")} to ${tl.join("|")} (allowed: ${spec.from.join("|")} -> ${spec.to.join("|")})`);
    else if (spec.same_label && fl[0] !== tl[0]) err(p, `${where}: ${type} joins nodes of the same label (${fl[0]} -> ${tl[0]})`);
  }
  if (from === to && from !== undefined) err(p, `${where}: ${type} from a node to itself`);
  checkProps(p, where, props, relProps(type), spec.required ?? []);
  if (key !== undefined && !isStr(key)) err(p, `${where}: "key" must be a non-empty string`);
  const id = `${type} ${from} ${to} ${key ?? ""}`;
  if (relSeen.has(id)) err(p, `${where}: duplicate ${type} ${from} -> ${to}${key ? ` (key ${key})` : ""}; first at ${fmt(relSeen.get(id))} (use "key" to distinguish parallel relationships)`);
  relSeen.set(id, p);
  relCount[type] = (relCount[type] ?? 0) + 1;
  rels.push({ type, from, to, props: isObj(props) ? props : {}, place: p });
}

// Pass 2: check every record.
for (const { rec, form, place: p } of records) {
  if (form === "node") {
    const key = rec.node, where = isStr(key) ? key : "node";
    for (const k of Object.keys(rec)) if (!["node", "labels", "props", "valid_from", "valid_to", "sources"].includes(k)) err(p, `${where}: unknown field "${k}"`);
    const m = isStr(key) ? KEY_RE.exec(key) : null;
    if (!m) { err(p, `${where}: key ${JSON.stringify(key)} must be prefix/slug (lowercase letters, digits, ".", "_", "-")`); continue; }
    if (rec.__duplicate) continue;
    const labels = rec.labels;
    if (!Array.isArray(labels) || labels.length === 0) { err(p, `${key}: "labels" must be a non-empty list`); continue; }
    for (const l of labels) if (!labelSpec(l) || l === "Event") err(p, `${key}: unknown node label "${l}"${l === "Event" ? " (events use the event form)" : ""}`);
    const spec = labelSpec(labels[0]);
    if (!spec || labels[0] === "Event") continue;
    if (!key.startsWith(spec.prefix)) err(p, `${key}: label ${labels[0]} needs key prefix ${spec.prefix}`);
    const props = rec.props ?? {};
    checkProps(p, key, props, nodeProps(labels[0]), spec.required, spec.derived ?? []);
    if (spec.key_property && isObj(props)) {
      const slug = key.slice(spec.prefix.length);
      if (props[spec.key_property] !== undefined && props[spec.key_property] !== slug)
        err(p, `${key}: the key's slug must be its ${spec.key_property} (${JSON.stringify(props[spec.key_property])})`);
    }
    if (spec.sources === false) {
      if ("sources" in rec) err(p, `${key}: ${labels[0]} nodes take no "sources"`);
      if ("valid_from" in rec || "valid_to" in rec) err(p, `${key}: ${labels[0]} nodes take no validity`);
      continue;
    }
    const from = checkValidity(p, key, rec, spec.validity ?? "stored");
    // The date a node's fact starts, for the check against its sources' publication.
    const dated = from ?? parseDate(props.period) ?? parseDate(props.announced) ?? parseDate(props.stated);
    checkSources(p, key, rec.sources, dated);
    checkOutsideConfidence(p, key, rec.sources, props.confidence);
    continue;
  }

  if (form === "rel") {
    const where = `${rec.rel ?? "rel"} ${rec.from} -> ${rec.to}`;
    for (const k of Object.keys(rec)) if (!["rel", "from", "to", "key", "props", "valid_from", "valid_to", "sources"].includes(k)) err(p, `${where}: unknown field "${k}"`);
    addRel(p, where, rec.rel, rec.from, rec.to, rec.props ?? {}, rec.key);
    const from = checkValidity(p, where, rec, "stored");
    checkSources(p, where, rec.sources, from);
    // ABOUT, OBSERVES and VARIANT_OF attach a claim, an observation or a variant to what it is about:
    // their confidence is the start node's.
    const attaches = ["ABOUT", "OBSERVES", "VARIANT_OF"].includes(rec.rel) ? nodes.get(rec.from)?.props?.confidence : undefined;
    checkOutsideConfidence(p, where, rec.sources, rec.props?.confidence ?? attaches);
    if (rec.rel === "AFFECTS") warn(p, `${where}: AFFECTS is normally written in the event's "affects" list`);
    continue;
  }

  // event
  const key = rec.event, where = isStr(key) ? key : "event";
  for (const k of Object.keys(rec)) if (!["event", "date", "title", "event_kind", "involves", "affects", "concerns", "sources", "summary", "props"].includes(k)) err(p, `${where}: unknown field "${k}"`);
  const m = isStr(key) ? KEY_RE.exec(key) : null;
  if (!m || !key.startsWith("event/")) { err(p, `${where}: event key must be event/slug`); continue; }
  if (rec.__duplicate) continue;
  const date = parseDate(rec.date);
  if (!date) err(p, `${key}: date ${JSON.stringify(rec.date)} is not a date (${DATE_FORMS})`);
  const ev = nodes.get(key).props;
  if ("props" in rec && !isObj(rec.props)) err(p, `${key}: "props" must be an object`);
  for (const k of Object.keys(rec.props ?? {})) if (["title", "date", "event_kind", "summary"].includes(k)) err(p, `${key}: "${k}" belongs at the top level, not in props`);
  checkProps(p, key, ev, nodeProps("Event"), labelSpec("Event").required);
  checkSources(p, key, rec.sources, date);
  checkOutsideConfidence(p, key, rec.sources, ev.confidence);
  eventKinds[rec.event_kind ?? "(none)"] = (eventKinds[rec.event_kind ?? "(none)"] ?? 0) + 1;

  const list = (f) => {
    if (rec[f] === undefined) return [];
    if (!Array.isArray(rec[f])) { err(p, `${key}: "${f}" must be a list`); return []; }
    return rec[f];
  };
  for (const inv of list("involves")) {
    if (isStr(inv)) { addRel(p, `${key} involves ${inv}`, "INVOLVES", key, inv, {}); continue; }
    if (!isObj(inv) || !isStr(inv.actor)) { err(p, `${key}: an "involves" item is an actor key or {"actor": key, "role": ...}`); continue; }
    const { actor, ...props } = inv;
    addRel(p, `${key} involves ${actor}`, "INVOLVES", key, actor, props);
  }
  for (const af of list("affects")) {
    if (!isObj(af) || !isStr(af.control)) { err(p, `${key}: an "affects" item is {"control": key, "effect": ...}`); continue; }
    const { control, ...props } = af;
    const w = `${key} affects ${control}`;
    addRel(p, w, "AFFECTS", key, control, props);
    const effective = props.effective !== undefined ? parseDate(props.effective) : null;
    const until = props.until !== undefined ? parseDate(props.until) : null;
    if (date && effective && before(effective, date) === true) warn(p, `${w}: takes effect (${effective.text}) before the event (${date.text})`);
    const effects = SCHEMA.relationships.AFFECTS.properties.effect.enum;
    if (date && effects.includes(af.effect) && labelOf(control)?.includes("Control")) {
      if (!lifecycle.has(control)) lifecycle.set(control, []);
      lifecycle.get(control).push({ date, effective, until, effect: af.effect, event: key, place: p });
    }
  }
  const kindEffect = { imposition: "imposes", suspension: "suspends", reinstatement: "reinstates", lifting: "lifts" }[rec.event_kind];
  if (kindEffect && !list("affects").some((a) => a?.effect === kindEffect)) warn(p, `${key}: a ${rec.event_kind} event usually AFFECTS a control with effect "${kindEffect}"`);
  for (const c of list("concerns")) {
    if (!isStr(c)) { err(p, `${key}: a "concerns" item is a key of an agreement, project, announcement or control`); continue; }
    addRel(p, `${key} concerns ${c}`, "CONCERNS", key, c, {});
  }
  if ((rec.involves ?? []).length === 0) warn(p, `${key}: involves no actor`);
}

// ------------------------------------------------------------------------------------------------ graph checks
const relsOf = (type) => rels.filter((r) => r.type === type);
const outgoing = new Map(); // key -> [rel]
for (const r of rels) { if (!outgoing.has(r.from)) outgoing.set(r.from, []); outgoing.get(r.from).push(r); }
const out = (key, type) => (outgoing.get(key) ?? []).filter((r) => r.type === type);

for (const [key, n] of nodes) {
  const l = n.labels[0];
  if (l === "HsCode") {
    const code = n.props.code;
    const level = { 2: "chapter", 4: "heading", 6: "subheading" }[code?.length];
    if (isHsCode(code) && n.props.level && n.props.level !== level) err(n.place, `${key}: level "${n.props.level}" does not fit a code of ${code.length} digits (${level})`);
    for (const r of out(key, "PART_OF")) {
      const parent = nodes.get(r.to)?.props?.code;
      if (isHsCode(code) && isHsCode(parent) && !(code.length === parent.length + 2 && code.startsWith(parent)))
        err(r.place, `PART_OF ${key} -> ${r.to}: an HS code is PART_OF the code two digits shorter that it starts with`);
    }
  }
  if (l === "Claim" && out(key, "ABOUT").length === 0) warn(n.place, `${key}: a claim should be ABOUT at least one entity`);
  if (l === "Observation" && out(key, "OBSERVES").length === 0) warn(n.place, `${key}: an observation should OBSERVE a reporter, partner or product`);
  if (l === "Announcement") {
    if (!rels.some((r) => r.type === "ISSUED" && r.to === key)) warn(n.place, `${key}: no actor ISSUED this announcement`);
    const a = parseDate(n.props.announced), pub = parseDate(n.props.published);
    if (a && pub && before(pub, a) === true) warn(n.place, `${key}: published (${pub.text}) before it was announced (${a.text})`);
  }
  if (l === "Control") {
    for (const r of out(key, "ANNOUNCED_IN")) {
      const a = parseDate(nodes.get(r.to)?.props?.announced ?? ""), c = parseDate(n.props.announced ?? "");
      if (a && c && before(c, a) === true) warn(r.place, `${key}: announced (${c.text}) before the announcement it is part of (${a.text})`);
    }
  }
}

// Variants: one source's value each; the node keeps the preferred value in the property itself.
const variantsByFact = new Map(); // "node prop" -> [{key, value, preferred, place}]
for (const [key, n] of nodes) {
  if (n.labels[0] !== "Variant") continue;
  const targets = out(key, "VARIANT_OF");
  if (targets.length !== 1) { (targets.length ? err : warn)(n.place, `${key}: a variant is VARIANT_OF exactly one node (found ${targets.length})`); continue; }
  const target = targets[0].to, t = nodes.get(target);
  if (!t) continue;
  const prop = n.props.property;
  const def = labelSpec(t.labels[0]) ? nodeProps(t.labels[0])[prop] : undefined;
  if (def === undefined) { err(n.place, `${key}: ${target} (${t.labels[0]}) has no property "${prop}"`); continue; }
  if (typeOf(def) === "date" && !parseDate(n.props.value)) err(n.place, `${key}: value ${JSON.stringify(n.props.value)} is not a date, as ${prop} of ${t.labels[0]} is`);
  const id = `${target} ${prop}`;
  if (!variantsByFact.has(id)) variantsByFact.set(id, []);
  variantsByFact.get(id).push({ key, value: n.props.value, preferred: n.props.preferred === true, place: n.place, target, prop });
}
for (const [, vs] of variantsByFact) {
  const { target, prop } = vs[0];
  const preferred = vs.filter((v) => v.preferred);
  if (vs.length < 2) warn(vs[0].place, `${vs[0].key}: the only variant of ${prop} of ${target}; variants record values that sources disagree on`);
  if (preferred.length > 1) err(preferred[1].place, `${preferred[1].key}: a second preferred variant of ${prop} of ${target} (first: ${preferred[0].key})`);
  const actual = nodes.get(target)?.props?.[prop];
  if (preferred.length === 1 && actual !== undefined && actual !== preferred[0].value)
    err(preferred[0].place, `${preferred[0].key}: the preferred value ${JSON.stringify(preferred[0].value)} is not the value ${prop} of ${target} holds (${JSON.stringify(actual)})`);
  if (preferred.length === 0) warn(vs[0].place, `variants of ${prop} of ${target}: none is preferred`);
}

// ------------------------------------------------------------------------------------------------ lifecycles
// The same rules as domain/lifecycle.cc (docs/schema.md, "Control lifecycle"): each effect takes hold on
// its `effective` date, else on the event's date; imposes/reinstates open an in-force period, suspends/lifts
// close it. An entry into force decided on or before a suspension (or lifting) that overtakes it never
// happens (the measure is suspended, never in force). A suspension's `until` is the day it ends; on and
// after it, with no later event, the status is unknown.
function lifecycleOf(control) {
  const announced = parseDate(nodes.get(control)?.props?.announced ?? "");
  const evs = [...(lifecycle.get(control) ?? [])].map((e) => ({ ...e, at: e.effective ?? e.date }))
    .sort((a, b) => cmpDate(a.at, b.at) || (a.event < b.event ? -1 : a.event > b.event ? 1 : 0));
  const periods = [], stops = [], heldBack = [], problems = [];
  let open = null, outOf = null;
  const when = (e) => (e.effective ? `on ${e.at.text} (decided ${e.date.text})` : `(${e.at.text})`);
  evs.forEach((e, i) => {
    const problem = (msg) => problems.push([e.place, `${control}: ${e.event} ${msg}`]);
    if (outOf && outOf.until && outOf.until.start <= e.at.start) outOf = null; // the suspension has ended
    if (e.until && e.effect !== "suspends") { problem(`gives an end date (until) for the effect ${e.effect}; only a suspension (suspends) has one`); return; }
    if (e.until && e.until.start <= e.at.start) { problem(`suspends ${when(e)} until ${e.until.text}, which is not after the suspension takes hold`); return; }
    if (OPENS.has(e.effect)) {
      if (e.effect === "imposes" && !open && outOf && e.date.start <= outOf.at.start) { heldBack.push({ entry: e, stoppedBy: outOf.event }); return; }
      if (open) { problem(`${e.effect} ${when(e)}, which is in force already since ${open.from.text} (opened by ${open.openedBy})`); return; }
      if (announced && e.at.end <= announced.start) { problem(`${e.effect} ${when(e)}, before it was announced (${announced.text}); an entry into force cannot precede the announcement`); return; }
      open = { from: e.at, to: null, openedBy: e.event };
      outOf = null;
    } else if (CLOSES.has(e.effect)) {
      const stop = { at: e.at, status: e.effect === "lifts" ? "lifted" : "suspended", until: e.until, event: e.event };
      if (open) {
        if (before(open.from, e.at) === false || e.at.start < open.from.start) { problem(`closes it ${when(e)} before it was opened (${open.from.text})`); return; }
        if (cmpDate(e.at, open.from) === 0 && e.at.precision === "day") { problem(`closes it on the day it was opened (${e.at.text}), leaving an empty period`); return; }
        open.to = e.at; open.closedBy = e.event; open.closing = e.effect; open.until = e.until;
        periods.push(open); open = null;
      } else {
        const suspended = outOf && outOf.status === "suspended";
        let decided = announced && announced.start <= e.at.start;
        for (let j = i + 1; j < evs.length && !decided; j++) decided = evs[j].effect === "imposes" && evs[j].date.start <= e.at.start;
        if (!suspended && (outOf || !decided)) {
          problem(`${e.effect} ${when(e)}, which is not in force then${outOf ? ` (it was lifted by ${outOf.event})` : " and has no entry into force announced"}`);
          return;
        }
      }
      stops.push(stop);
      outOf = stop;
    }
  });
  if (open) periods.push(open);
  return { periods, stops, heldBack, problems, events: evs, announced };
}
// A period [from, to) whose bounds carry precision: the true start lies somewhere in from's interval and the
// true (exclusive) end somewhere in to's interval. The period certainly covers all of d when the latest
// possible start is on or before d's first day and the earliest possible end is on or after d's end; it
// possibly touches d when the earliest start is before d's end and the latest end is after d's first day.
function certainlyCovers(p, d) { return lastDay(p.from) <= d.start && (!p.to || p.to.start >= d.end); }
function possiblyTouches(p, d) { return p.from.start < d.end && (!p.to || lastDay(p.to) > d.start); }
// Status at a date: in_force, suspended, lifted, announced, proposed, none, or unknown (...).
function statusAt(control, d) {
  const { periods, stops, events, announced } = lifecycleOf(control);
  for (const p of periods) if (certainlyCovers(p, d)) return "in_force";
  for (const p of periods) if (possiblyTouches(p, d)) return `unknown (in force [${p.from.text}, ${p.to ? p.to.text : "…"}) overlaps ${d.text})`;
  let last = null, laterPossible = null;
  for (const s of stops) {
    if (lastDay(s.at) <= d.start) last = s;
    else if (s.at.start < d.end) laterPossible = s;
  }
  if (laterPossible) return `unknown (${laterPossible.status} ${laterPossible.at.text} overlaps ${d.text})`;
  if (last) {
    if (last.until && last.until.start < d.end) return `unknown (suspended until ${last.until.text}; nothing recorded after)`;
    return last.status;
  }
  if (announced && lastDay(announced) <= d.start) return "announced";
  if (announced && announced.start < d.end) return `unknown (announced ${announced.text} overlaps ${d.text})`;
  const proposals = events.filter((e) => e.effect === "proposes");
  if (proposals.some((e) => lastDay(e.at) <= d.start)) return "proposed";
  if (proposals.some((e) => e.at.start < d.end)) return `unknown (proposed ${proposals[0].at.text} overlaps ${d.text})`;
  return "none (no lifecycle event yet)";
}

for (const [control] of lifecycle) for (const [p, msg] of lifecycleOf(control).problems) err(p, msg);
for (const [key, n] of nodes) {
  if (!n.labels.includes("Control")) continue;
  if ((lifecycle.get(key) ?? []).length === 0) warn(n.place, `${key}: no lifecycle event AFFECTS this control, so its status cannot be derived`);
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
    const { periods, heldBack } = lifecycleOf(key);
    const ps = periods.map((p) => `[${p.from.text}, ${p.to ? p.to.text : "…"})`).join(" ") || "(never in force)";
    const held = heldBack.map((h) => `; entry into force ${h.entry.at.text} (${h.entry.event}) overtaken by ${h.stoppedBy}`).join("");
    console.log(`  ${key}\n    periods: ${ps}${held}\n    status:  ${statusAt(key, at)}`);
  }
}
const shown = files.map((f) => relative(process.cwd(), f) || f).join(", ");
console.log(`\n${shown}: ${inputs.length} records, ${nNodes} nodes, ${nRels} relationships; ${errors} error(s), ${warnings} warning(s)`);
process.exit(errors ? 1 : 0);
