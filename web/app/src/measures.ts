// The panel's sections for issue 11's model (docs/api.md, GET /api/entity): an announcement and its
// measures (each with its own lifecycle, drawn on one shared axis), a measure's classification, codes,
// jurisdictions and typed causes, claims kept apart from facts, observations as a small chart, and
// disputed values side by side. Every text is set as text; charts are SVG built element by element.

import type {
  Announcement, ApiDate, CausalLink, Claim, DisputedProperty, HsCodeRef, Jurisdiction, Measure, ObservationSeries,
  Segment, SourceDetail, SourceRef,
} from "./api";
import { h, svg, type Child } from "./dom";
import { formatDate, ms, precisionNote } from "./dates";
import { renderValue } from "./values";
import { STATUS_LABEL, humanKind } from "./timeline";

export type Open = (key: string) => void;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export const PACKAGE_LABEL: Record<string, string> = {
  ...STATUS_LABEL,
  partly_in_force: "partly in force",
  mixed: "mixed",
};

const CAUSAL_VERB: Record<string, string> = {
  responds_to: "responds to",
  retaliates_against: "retaliates against",
  anticipates: "anticipates",
  conditional_on: "is conditional on",
  implements: "implements",
  enables: "enables",
};

const BASIS_LABEL: Record<string, string> = {
  targeted: "targeted by name",
  excluded: "excluded",
  exempted: "exempted",
  inferred: "inferred from trade",
  incidental: "incidentally affected",
};

const INSTRUMENT_LABEL: Record<string, string> = { executive_order: "executive order", joint_statement: "joint statement", fact_sheet: "fact sheet" };

function safeUrl(url: string | null | undefined): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}

function link(url: string, text: string): HTMLElement {
  return h("a", { href: url, target: "_blank", rel: "noopener noreferrer external" }, text);
}

function entity(open: Open, key: string, name: string, label?: string): HTMLElement {
  return h("button", { type: "button", class: "linklike entity-link", "data-key": key, title: key, onclick: () => open(key) },
    label ? h("span", { class: `chip lbl lbl-${label}` }, label) : null, name);
}

function statusChip(status: string | null | undefined, labels = STATUS_LABEL): HTMLElement {
  return h("span", { class: `chip status st-${status ?? "unknown"}` }, status ? labels[status] ?? humanKind(status) : "unknown");
}

function confidenceText(c: number | null | undefined): string | null {
  return typeof c === "number" ? `confidence ${c}` : null;
}

function pairs(rows: [string, Child | Child[]][]): HTMLElement {
  const kept = rows.filter(([, v]) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && !v.length));
  return h("dl", { class: "props" }, kept.flatMap(([k, v]) => [h("dt", null, k), h("dd", null, v)]));
}

function sourceLine(s: SourceDetail | SourceRef): HTMLElement {
  const url = safeUrl(s.url);
  const meta = [s.publisher, s.published ? formatDate(s.published) : null].filter(Boolean).join(", ");
  return h("span", { class: "source-line", "data-key": s.key },
    url ? link(url, s.title) : h("span", null, s.title), meta ? h("span", { class: "muted" }, ` (${meta})`) : null);
}

function sourcesLine(list: (SourceDetail | SourceRef)[]): Child {
  if (!list.length) return h("span", { class: "muted" }, "no source");
  return h("span", null, list.flatMap((s, i) => (i ? ["; ", sourceLine(s)] : [sourceLine(s)])));
}

// ---- time axis shared by the charts ------------------------------------------------------------------

interface Tick { t: number; label: string }

/** Ticks on the first of a month, every 1, 2, 3, 6, 12, 24 or 60 months: at most `max` of them. */
function timeTicks(lo: number, hi: number, max: number): Tick[] {
  for (const step of [1, 2, 3, 6, 12, 24, 60, 120]) {
    const ticks: Tick[] = [];
    const d = new Date(lo);
    let y = d.getUTCFullYear(), m = d.getUTCMonth();
    // First tick: the first month on or after lo that is a multiple of the step.
    let idx = y * 12 + m;
    if (Date.UTC(y, m, 1) < lo) idx += 1;
    idx = Math.ceil(idx / step) * step;
    for (;;) {
      y = Math.floor(idx / 12); m = idx % 12;
      const t = Date.UTC(y, m, 1);
      if (t > hi) break;
      ticks.push({ t, label: step >= 12 ? String(y) : m === 0 || !ticks.length ? `${MONTHS[m]} ${y}` : MONTHS[m] });
      idx += step;
      if (ticks.length > max) break;
    }
    if (ticks.length <= max) return ticks;
  }
  return [];
}

/** A tick label near an edge is anchored there, so it is not cut off. */
function anchorAt(px: number, width: number): string {
  return px < 28 ? "start" : px > width - 28 ? "end" : "middle";
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const p = Math.pow(10, Math.floor(Math.log10(raw || 1)));
  for (const f of [1, 2, 2.5, 5, 10]) if (f * p >= raw) return f * p;
  return 10 * p;
}

const compact = new Intl.NumberFormat("en-GB", { notation: "compact", maximumFractionDigits: 1 });
const full = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 3 });

function num(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (v && typeof v === "object" && "$int" in (v as Record<string, unknown>)) return Number((v as { $int: string }).$int);
  return null;
}

function humanUnit(unit: string): string {
  return unit.replace(/_/g, " ");
}

// ---- announcement and measures -----------------------------------------------------------------------

export function announcementSection(a: Announcement, open: Open): HTMLElement {
  const url = safeUrl(a.url);
  const official = a.official === true ? "yes — the text was consulted at the issuer"
    : a.official === false ? "no — known from reports, not the issuer's text" : null;
  const pkg = a.package_status;
  const counts = pkg ? Object.entries(pkg.measures).map(([s, n]) => `${n} ${PACKAGE_LABEL[s] ?? s}`).join(" · ") : "";
  return h("div", { class: "announcement" },
    pkg ? h("p", { class: "package-status" }, "Package status on ", formatDay(pkg.on), ": ", statusChip(pkg.status, PACKAGE_LABEL),
      counts ? h("span", { class: "muted small" }, ` (${counts})`) : null,
      pkg.status === null && Object.keys(pkg.measures).length
        ? h("span", { class: "muted small block" }, "Unknown while a measure's status is: an imprecise date overlaps the day, or a suspension has ended and what followed is not recorded.")
        : null) : null,
    pairs([
      ["instrument", a.instrument_id ? h("strong", { class: "instrument-id" }, a.instrument_id) : null],
      ["kind", a.instrument_kind ? INSTRUMENT_LABEL[a.instrument_kind] ?? humanKind(a.instrument_kind) : null],
      ["issued by", a.issuers.length ? a.issuers.flatMap((i, n) => [n ? ", " : "", entity(open, i.key, i.name), i.role ? h("span", { class: "muted small" }, ` (${humanKind(i.role)})`) : null]) : null],
      ["announced", a.announced ? dateWithNote(a.announced) : null],
      ["published", a.published ? dateWithNote(a.published) : null],
      ["official text", official],
      ["text", url ? link(url, url) : a.url],
    ]));
}

function dateWithNote(d: ApiDate): HTMLElement {
  return h("span", { title: precisionNote(d) }, formatDate(d), d.precision !== "day" ? h("span", { class: "muted small" }, ` (${d.precision})`) : null);
}

function formatDay(day: string): string {
  const t = ms(day);
  if (Number.isNaN(t)) return day;
  const d = new Date(t);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** The measures' lifecycles on one axis: a row per measure, each segment coloured by its status. */
export function measuresChart(measures: Measure[], today: string | null): SVGElement | null {
  const starts: number[] = [], ends: number[] = [];
  for (const m of measures) {
    for (const s of m.segments) {
      starts.push(ms(s.from.start));
      ends.push(s.to ? ms(s.to.end) : ms(s.from.end));
    }
  }
  if (!starts.length) return null;
  const todayT = today ? ms(today) : NaN;
  const open = measures.some((m) => m.segments.some((s) => !s.to));
  let lo = Math.min(...starts), hi = Math.max(...ends);
  if (open && Number.isFinite(todayT)) hi = Math.max(hi, todayT);
  const pad = Math.max((hi - lo) * 0.04, 5 * 86400000);
  lo -= pad; hi += pad;
  const W = 380, left = 8, right = 8, rowH = 34, top = 6, axisH = 18;
  const H = top + measures.length * rowH + axisH;
  const x = (t: number) => left + ((t - lo) / (hi - lo)) * (W - left - right);
  const out = svg("svg", { class: "chart gantt", viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": `Lifecycle of each of the ${measures.length} measures on one time axis` });
  // Axis.
  for (const tk of timeTicks(lo, hi, 6)) {
    out.append(svg("line", { class: "grid", x1: x(tk.t), x2: x(tk.t), y1: top, y2: H - axisH + 2 }),
      svg("text", { class: "tick", x: x(tk.t), y: H - 4, "text-anchor": anchorAt(x(tk.t), W) }, tk.label));
  }
  if (Number.isFinite(todayT) && todayT > lo && todayT < hi) {
    out.append(svg("line", { class: "today", x1: x(todayT), x2: x(todayT), y1: top, y2: H - axisH + 2 },
      svg("title", null, `today, ${formatDay(today!)}`)));
  }
  measures.forEach((m, i) => {
    const y = top + i * rowH;
    const g = svg("g", { class: "gantt-row", "data-key": m.key });
    g.append(svg("text", { class: "row-label", x: left, y: y + 11 }, truncate(m.name, 62), svg("title", null, m.name)));
    for (const s of m.segments) {
      const a = x(ms(s.from.start));
      const b = s.to ? x(ms(s.to.start)) : W - right;
      const tip = `${STATUS_LABEL[s.status] ?? s.status}: ${formatDate(s.from)} → ${s.to ? formatDate(s.to) : "open-ended"}`;
      g.append(svg("rect", { class: `seg st-${s.status}${s.to ? "" : " open-end"}`, x: a, y: y + 15, width: Math.max(2, b - a), height: 13, rx: 2 },
        svg("title", null, `${m.name}\n${tip}`)));
      // An imprecise start: the stretch where the change may have happened.
      if (s.from.precision !== "day") {
        g.append(svg("rect", { class: "fringe", x: a, y: y + 15, width: Math.max(2, x(ms(s.from.end)) - a), height: 13 }));
      }
    }
    out.append(g);
  });
  return out;
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}

function segmentsList(segs: Segment[]): HTMLElement {
  if (!segs.length) return h("p", { class: "muted small" }, "No lifecycle recorded.");
  return h("ol", { class: "segments" }, segs.map((s, i) => {
    // The last stretch ends with a date only when a suspension named its end; what followed is unrecorded.
    const until = i === segs.length - 1 && s.to && s.status === "suspended";
    return h("li", { class: `segment st-${s.status}` },
      h("span", { class: `chip status st-${s.status}` }, STATUS_LABEL[s.status] ?? s.status), " ",
      formatDate(s.from), until ? " until " : " → ", s.to ? formatDate(s.to) : "open-ended",
      until ? h("span", { class: "muted small" }, " (what follows is not recorded)") : null,
      s.from.precision !== "day" ? h("span", { class: "muted small" }, ` (start: ${precisionNote(s.from)})`) : null);
  }));
}

function classification(m: Measure): HTMLElement {
  return pairs([
    ["type", m.intervention_type ? humanKind(m.intervention_type) : m.control_kind ? humanKind(m.control_kind) : null],
    ["MAST code", m.mast_code ? h("code", null, m.mast_code) : null],
    ["evaluation", m.evaluation ? [h("span", { class: `chip eval eval-${m.evaluation}` }, m.evaluation),
      m.evaluated ? h("span", { class: "muted small" }, ` (evaluated ${formatDate(m.evaluated)})`) : null] : null],
    ["scope", m.scope],
  ]);
}

function hsCodes(codes: HsCodeRef[], open: Open): HTMLElement | null {
  if (!codes.length) return null;
  return h("ul", { class: "hs-codes" }, codes.map((c) =>
    h("li", null,
      h("button", { type: "button", class: "linklike hs-code", "data-key": c.key, title: c.key, onclick: () => open(c.key) }, h("code", null, c.code)),
      c.description ? ` ${c.description}` : null,
      c.via ? h("span", { class: "muted small" }, ` (through ${c.via.name})`) : null)));
}

function materialsList(m: Measure, open: Open): Child[] {
  return m.materials.flatMap((x, i) => [
    i ? ", " : "",
    entity(open, x.key, x.name),
    x.form ? h("span", { class: "muted small" }, ` (${humanKind(x.form)}${x.form_of?.length ? ` of ${x.form_of.map((f) => f.name).join(", ")}` : ""})`) : null,
  ]);
}

function jurisdictions(list: Jurisdiction[], open: Open): HTMLElement | null {
  if (!list.length) return null;
  return h("ul", { class: "jurisdictions" }, list.map((j) =>
    h("li", { class: `juris juris-${j.role}` },
      h("span", { class: `chip role role-${j.role}` }, j.role), " ",
      entity(open, j.key, j.name),
      h("span", { class: "muted small" }, " ",
        [j.role === "affected" && j.basis ? BASIS_LABEL[j.basis] ?? humanKind(j.basis) : null,
          j.as ? humanKind(j.as) : null,
          j.licence ? `licence: ${j.licence}` : null,
          confidenceText(j.confidence)].filter(Boolean).join(" · ")))));
}

export function causalList(links: CausalLink[], selfName: string, open: Open): HTMLElement {
  return h("ul", { class: "causal-links" }, links.map((l) => {
    const verb = l.kind ? CAUSAL_VERB[l.kind] ?? humanKind(l.kind) : "is linked to";
    const other = entity(open, l.key, l.name, l.labels[0]);
    const meta = [confidenceText(l.confidence), l.note].filter(Boolean).join(" · ");
    return h("li", { class: `causal causal-${l.direction}`, "data-kind": l.kind ?? "" },
      l.direction === "out"
        ? [h("em", null, "this"), " ", h("strong", null, verb), " ", other]
        : [other, " ", h("strong", null, verb), " ", h("em", { title: selfName }, "this")],
      meta ? h("div", { class: "muted small" }, meta) : null);
  }));
}

/** One measure inside an announcement: its own lifecycle, classification, codes, jurisdictions, causes. */
function measureCard(m: Measure, open: Open): HTMLElement {
  const codes = hsCodes(m.hs_codes, open);
  const juris = jurisdictions(m.jurisdictions, open);
  return h("li", { class: `measure st-${m.status.status ?? "unknown"}`, "data-key": m.key },
    h("div", { class: "measure-head" },
      h("button", { type: "button", class: "linklike entity-link measure-name", "data-key": m.key, title: m.key, onclick: () => open(m.key) }, m.name),
      " ", statusChip(m.status.status)),
    segmentsList(m.segments),
    classification(m),
    m.materials.length ? h("p", { class: "covers" }, h("span", { class: "muted" }, "covers "), materialsList(m, open)) : null,
    codes ? h("div", null, h("span", { class: "muted small" }, "HS codes"), codes) : null,
    juris,
    m.causal_links.length ? causalList(m.causal_links, m.name, open) : null);
}

export function measuresSection(measures: Measure[], today: string | null, open: Open): Child[] {
  if (!measures.length) return [h("p", { class: "muted" }, "No measures recorded for this announcement.")];
  const chart = measuresChart(measures, today);
  return [
    chart ? h("figure", { class: "chart-box" }, chart, legend(measures)) : null,
    h("ol", { class: "measures" }, measures.map((m) => measureCard(m, open))),
  ];
}

function legend(measures: Measure[]): HTMLElement {
  const seen = [...new Set(measures.flatMap((m) => m.segments.map((s) => s.status)))];
  return h("figcaption", { class: "legend" }, seen.map((s) => h("span", null, h("span", { class: `sw sw-${s}` }), " ", STATUS_LABEL[s] ?? s)),
    h("span", null, h("span", { class: "sw sw-today" }), " today"));
}

/** A measure's own panel: the announcement it belongs to, then what it is and whom it concerns. */
export function measureSection(m: Measure, a: Announcement | null | undefined, open: Open): Child[] {
  const codes = hsCodes(m.hs_codes, open);
  const juris = jurisdictions(m.jurisdictions, open);
  return [
    a ? h("p", { class: "part-of" }, "One of ", String(a.measure_count ?? "the"), a.measure_count === 1 ? " measure of " : " measures of ",
      entity(open, a.key, a.instrument_id ?? a.title, "Announcement"),
      a.announced ? h("span", { class: "muted small" }, ` (announced ${formatDate(a.announced)})`) : null) : null,
    classification(m),
    m.materials.length ? h("p", { class: "covers" }, h("span", { class: "muted" }, "covers "), materialsList(m, open)) : null,
    codes ? h("div", null, h("h4", null, "HS codes"), codes) : null,
    juris ? h("div", null, h("h4", null, "Jurisdictions"), juris) : null,
  ];
}

// ---- claims ------------------------------------------------------------------------------------------

export function claimsList(claims: Claim[], self: string, open: Open): HTMLElement {
  return h("ul", { class: "claims" }, claims.map((c) => {
    const others = c.about.filter((a) => a.key !== self);
    return h("li", { class: "claim", "data-key": c.key },
      h("div", { class: "claim-meta" },
        c.stance ? h("span", { class: `chip stance stance-${c.stance}` }, c.stance) : null,
        c.claim_kind ? h("span", { class: "chip" }, c.claim_kind) : null,
        h("button", { type: "button", class: "linklike small", onclick: () => open(c.key) }, "claim record")),
      h("blockquote", null, c.text),
      h("p", { class: "small claim-by" },
        "— ", c.authors.length ? c.authors.join(", ") : "unattributed",
        c.stated ? `, ${formatDate(c.stated)}` : "",
        c.confidence !== null ? h("span", { class: "muted" }, ` · ${confidenceText(c.confidence)}`) : null),
      h("p", { class: "small muted" }, "source: ", sourcesLine(c.sources)),
      others.length ? h("div", { class: "small claim-about" }, h("span", { class: "muted" }, "also about:"),
        h("ul", null, others.map((o) => h("li", null, entity(open, o.key, o.name, o.labels[0]))))) : null,
      c.note ? h("p", { class: "small muted" }, c.note) : null);
  }));
}

// ---- observations ------------------------------------------------------------------------------------

/** A series' id ("cn-exports-magnets-monthly") read as words; else its metric and flow. */
function seriesName(s: ObservationSeries): string {
  return s.series ? s.series.replace(/[-_]+/g, " ") : [humanKind(s.metric), s.flow].filter(Boolean).join(", ");
}

/** One line chart per unit; a line per series, a dot per point (its period's middle). */
export function observationsSection(all: ObservationSeries[], open: Open): Child[] {
  const byUnit = new Map<string, ObservationSeries[]>();
  for (const s of all) byUnit.set(s.unit, [...(byUnit.get(s.unit) ?? []), s]);
  const parts: Child[] = [];
  let colour = 0;
  for (const [unit, list] of byUnit) {
    const first = colour;
    colour += list.length;
    parts.push(h("figure", { class: "chart-box obs", "data-unit": unit }, lineChart(list, unit, first),
      h("figcaption", { class: "legend obs-legend" }, list.map((s, i) =>
        h("div", { class: "series-key", "data-series": s.series ?? "" },
          h("div", null, h("span", { class: `sw ser-${(first + i) % 6}` }), " ", h("span", { class: "series-name" }, seriesName(s))),
          h("div", { class: "muted small" },
            [humanKind(s.metric), s.flow && !s.metric.includes(s.flow) ? s.flow : null, humanUnit(s.unit)].filter(Boolean).join(" · "),
            s.dimensions.flatMap((d) => [" · ", d.role ? `${d.role} ` : "", entity(open, d.key, d.name)])))))));
  }
  const rows = all.flatMap((s) => s.points.map((p) => h("tr", { "data-key": p.key },
    h("td", null, seriesName(s)), h("td", null, formatDate(p.period)),
    h("td", { class: "v-num" }, renderValue(p.value)), h("td", null, humanUnit(s.unit)))));
  const table = h("table", { class: "obs-table" },
    h("thead", null, h("tr", null, ["series", "period", "value", "unit"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", null, rows));
  parts.push(h("details", { class: "obs-data" }, h("summary", null, `The numbers (${rows.length} observations)`),
    h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Observed values" }, table)));
  const sources = dedupe(all.flatMap((s) => s.sources));
  parts.push(sources.length > 2
    ? h("details", { class: "obs-sources small" }, h("summary", null, `Sources (${sources.length})`),
      h("ul", null, sources.map((s) => h("li", null, sourceLine(s)))))
    : h("p", { class: "small muted" }, "Sources: ", sourcesLine(sources)));
  return parts;
}

function dedupe(list: SourceRef[]): SourceRef[] {
  const seen = new Set<string>();
  return list.filter((s) => !seen.has(s.key) && !!seen.add(s.key));
}

function lineChart(list: ObservationSeries[], unit: string, colourBase: number): SVGElement {
  const pts = list.flatMap((s) => s.points.map((p) => ({ s: ms(p.period.start), e: ms(p.period.end), v: num(p.value) })));
  let lo = Math.min(...pts.map((p) => p.s)), hi = Math.max(...pts.map((p) => p.e));
  const values = pts.map((p) => p.v).filter((v): v is number => v !== null);
  let vmin = Math.min(0, ...values), vmax = Math.max(0, ...values);
  if (vmax === vmin) vmax = vmin + 1;
  const step = niceStep(vmax - vmin, 4);
  vmin = Math.floor(vmin / step) * step;
  vmax = Math.ceil(vmax / step) * step;
  const W = 380, H = 190, left = 46, right = 10, top = 20, bottom = 22;
  if (hi - lo < 86400000) hi = lo + 86400000;
  const x = (t: number) => left + ((t - lo) / (hi - lo)) * (W - left - right);
  const y = (v: number) => top + (1 - (v - vmin) / (vmax - vmin)) * (H - top - bottom);
  const out = svg("svg", { class: "chart obs-chart", viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": `Chart of ${list.map(seriesName).join(", ")} in ${humanUnit(unit)}; the numbers are in the table below` });
  out.append(svg("text", { class: "unit-label", x: 4, y: 12 }, humanUnit(unit)));
  for (let v = vmin; v <= vmax + step / 2; v += step) {
    out.append(svg("line", { class: v === 0 ? "grid zero" : "grid", x1: left, x2: W - right, y1: y(v), y2: y(v) }),
      svg("text", { class: "tick", x: left - 4, y: y(v) + 4, "text-anchor": "end" }, compact.format(v)));
  }
  for (const tk of timeTicks(lo, hi, 5)) {
    out.append(svg("line", { class: "grid", x1: x(tk.t), x2: x(tk.t), y1: H - bottom, y2: H - bottom + 4 }),
      svg("text", { class: "tick", x: x(tk.t), y: H - 6, "text-anchor": anchorAt(x(tk.t), W) }, tk.label));
  }
  out.append(svg("line", { class: "axis", x1: left, x2: W - right, y1: H - bottom, y2: H - bottom }));
  list.forEach((s, i) => {
    const cls = `ser-${(colourBase + i) % 6}`;
    const g = svg("g", { class: `series ${cls}`, "data-series": s.series ?? "" });
    const coords = s.points.map((p) => {
      const v = num(p.value);
      return v === null ? null : { x: x((ms(p.period.start) + ms(p.period.end)) / 2), y: y(v), p, v };
    }).filter((c): c is NonNullable<typeof c> => c !== null);
    if (coords.length > 1) g.append(svg("polyline", { class: "line", points: coords.map((c) => `${c.x.toFixed(1)},${c.y.toFixed(1)}`).join(" ") }));
    for (const c of coords) {
      // The period the value is for (a month, a quarter, ...), as a faint bar under the dot.
      g.append(svg("line", { class: "span", x1: x(ms(c.p.period.start)).toFixed(1), x2: x(ms(c.p.period.end)).toFixed(1), y1: c.y.toFixed(1), y2: c.y.toFixed(1) }));
      g.append(svg("circle", { class: "dot", cx: c.x.toFixed(1), cy: c.y.toFixed(1), r: 3, "data-key": c.p.key },
        svg("title", null, `${seriesName(s)}\n${formatDate(c.p.period)}: ${full.format(c.v)} ${humanUnit(unit)}`)));
    }
    out.append(g);
  });
  return out;
}

// ---- disputed values ---------------------------------------------------------------------------------

export function variantsSection(list: DisputedProperty[]): HTMLElement {
  return h("div", { class: "variants" }, list.map((d) =>
    h("div", { class: "variant-group", "data-property": d.property },
      h("h4", null, d.property.replace(/_/g, " ")),
      h("ul", { class: "variant-values" }, d.values.map((v) =>
        h("li", { class: v.preferred ? "variant preferred" : "variant", "data-key": v.key },
          h("div", { class: "variant-value" }, renderValue(v.value)),
          v.preferred ? h("span", { class: "chip preferred-chip", title: "the value the record keeps in the property" }, "★ preferred") : null,
          h("div", { class: "small" }, sourcesLine(v.sources)),
          v.confidence !== null ? h("div", { class: "small muted" }, confidenceText(v.confidence)) : null,
          v.note ? h("div", { class: "small muted" }, v.note) : null))),
      h("p", { class: "small muted" }, "Recorded value: ", renderValue(d.current)))));
}
