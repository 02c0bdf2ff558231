// The mock's GET /api/timeline?format=csv|jsonl, GET /api/changes and GET /api/commits, as the C++ server
// answers them (web/server/timeline_export.cc, docs/api.md). A graph "as recorded at" a time is rebuilt
// from the imports recorded at or before it (one record time per import here).

import { ApiError } from "./graph.mjs";

/** Every item of a timeline query, events and periods in the API's order, each with "item" first. */
export function allItems(graph, params) {
  const p = new URLSearchParams(params);
  p.set("limit", "1000");
  const items = [];
  for (;;) {
    const page = graph.timeline(p);
    for (const e of page.events) items.push({ item: "event", ...e });
    for (const x of page.periods) items.push({ item: "period", ...x });
    if (!page.next) break;
    p.set("cursor", page.next);
  }
  const order = (x) => x.item === "event"
    ? [x.date.start, x.date.end, x.key]
    : [x.segments[0]?.from.start ?? "", x.segments.at(-1)?.to ? x.segments.at(-1).to.end : "~", x.key];
  const cmp = (a, b) => { const A = order(a), B = order(b); for (let i = 0; i < 3; i++) if (A[i] !== B[i]) return A[i] < B[i] ? -1 : 1; return 0; };
  return items.sort(cmp);
}

export const CSV_COLUMNS = ["key", "item", "label", "title", "kind", "date", "precision", "start", "end", "segments", "actors", "sources", "summary"];

function csvField(text, guard) {
  let t = text ?? "";
  if (guard && /^[=+\-@\t\r]/.test(t)) t = "'" + t;
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function toCsv(items) {
  const lines = [CSV_COLUMNS.join(",")];
  for (const it of items) {
    const ev = it.item === "event";
    const segs = ev ? [] : it.segments;
    const date = ev ? it.date : segs[0]?.from;
    const last = segs.at(-1)?.to;
    lines.push([
      csvField(it.key), it.item, csvField(ev ? "Event" : it.label), csvField(ev ? it.title : it.name, true), csvField(it.kind ?? "", true),
      date?.value ?? "", date?.precision ?? "", date?.start ?? "", ev ? it.date.end : last ? last.end : "",
      csvField(segs.map((s) => `${s.status} ${s.from.value} to ${s.to ? s.to.value : "open"}`).join("; "), true),
      csvField(it.actors.map((a) => a.name + (a.role ? ` (${a.role})` : "")).join("; "), true),
      csvField(it.sources.map((s) => s.key).join("; ")),
      csvField(it.summary ?? "", true),
    ].join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

export function toJsonLines(items) {
  return items.map((x) => JSON.stringify(x) + "\n").join("");
}

export function diff(thenItems, nowItems) {
  const before = new Map(thenItems.map((x) => [x.key, x]));
  const ref = (x) => ({ key: x.key, item: x.item, label: x.item === "event" ? "Event" : x.label, title: x.item === "event" ? x.title : x.name });
  const added = [], changed = [];
  for (const x of nowItems) {
    const old = before.get(x.key);
    if (!old) { added.push(ref(x)); continue; }
    before.delete(x.key);
    const fields = [...new Set([...Object.keys(x), ...Object.keys(old)])].filter((f) => JSON.stringify(x[f]) !== JSON.stringify(old[f]));
    if (fields.length) changed.push({ ...ref(x), fields });
  }
  return { added, changed, removed: thenItems.filter((x) => before.has(x.key)) };
}

/** Drops the paging parameters an export or a comparison does not take (400, as the server). */
export function refusePaging(params, what) {
  for (const name of ["limit", "cursor"]) {
    if (params.has(name)) throw new ApiError(400, "BadRequest", "InvalidParameter", `${what} covers every matching item: drop '${name}'`);
  }
}

export function parseRecordTime(text) {
  const t = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(text) ? Date.parse(/T|t| /.test(text) ? (/Z|[+-]\d{2}:\d{2}$/.test(text) ? text : text + "Z") : text + "T00:00:00Z") : NaN;
  if (Number.isNaN(t)) {
    throw new ApiError(400, "BadRequest", "InvalidParameter",
      `'since' is not a record time: '${text}' (expected e.g. 2026-11-28T10:00:00Z, 2026-11-28T10:00:00.5+01:00 or 2026-11-28)`);
  }
  return t;
}
