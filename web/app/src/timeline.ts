// The timeline: events as points (day precision) or as bands over the interval their date denotes
// (month, quarter, half, year), and controls', agreements' and projects' periods as bars made of their
// lifecycle segments. An imprecise segment boundary is drawn as a hatched band over its interval, so
// "suspended in November 2025" is shown as somewhere in November, not as 1 November.
//
// Item contents are DOM elements built with textContent, never HTML strings: vis-timeline appends an
// element as is, while a string would go through innerHTML (after its xss filter).

import { Timeline, type TimelineOptions } from "vis-timeline/esnext";
import { DataSet } from "vis-data/esnext";
import moment from "moment";
import "vis-timeline/styles/vis-timeline-graph2d.min.css";

import type { TimelineEvent, TimelinePeriod, TimelineResponse, Segment, ApiDate } from "./api";
import { h } from "./dom";
import { formatDate, ms, precisionNote } from "./dates";
import type { LaneMode } from "./state";
import { patchClustering } from "./cluster-fix";

const DAY = 86400000;
const YEAR = 365.25 * DAY;

export const STATUS_LABEL: Record<string, string> = {
  announced: "announced",
  proposed: "proposed",
  in_force: "in force",
  suspended: "suspended",
  lifted: "lifted",
  active: "active",
};

/** What an analyst reads for a date's precision ("known only to the month"). */
export const PRECISION_WORD: Record<string, string> = { month: "month", quarter: "quarter", half: "half-year", year: "year" };
const LABEL_ORDER = ["Event", "Control", "Agreement", "Project"];
const LABEL_PLURAL: Record<string, string> = { Event: "Events", Control: "Controls", Agreement: "Agreements", Project: "Projects" };

export function humanKind(kind: string | null | undefined): string {
  return kind ? kind.replace(/_/g, " ") : "other";
}

interface Item {
  id: string;
  group: string;
  subgroup: string;
  type: "point" | "range" | "box";
  start: number;
  end?: number;
  content: HTMLElement;
  className: string;
}

interface Group {
  id: string;
  content: HTMLElement;
  order: number;
  subgroupStack: Record<string, boolean>;
  subgroupOrder: (a: any, b: any) => number;
}

interface Lane {
  id: string;
  name: string;
  order: number;
  hint?: string;
}

/** One entity on the timeline: an event or a period. */
export type Entry = { type: "event"; key: string; data: TimelineEvent } | { type: "period"; key: string; data: TimelinePeriod };

export function entriesOf(res: TimelineResponse): Entry[] {
  return [
    ...res.events.map((e): Entry => ({ type: "event", key: e.key, data: e })),
    ...res.periods.map((p): Entry => ({ type: "period", key: p.key, data: p })),
  ];
}

export function entryStart(e: Entry): number {
  return e.type === "event" ? ms(e.data.date.start) : ms(e.data.segments[0]?.from.start ?? "1970-01-01");
}

export function entryTitle(e: Entry): string {
  return e.type === "event" ? e.data.title : e.data.name;
}

function lanesOf(e: Entry, mode: LaneMode, orderByActor: Map<string, number>): Lane[] {
  const label = e.type === "event" ? "Event" : e.data.label;
  if (mode === "type") {
    const i = LABEL_ORDER.indexOf(label);
    return [{ id: `type:${label}`, name: LABEL_PLURAL[label] ?? label, order: i < 0 ? 99 : i }];
  }
  if (mode === "kind") {
    const i = LABEL_ORDER.indexOf(label);
    return [{
      id: `kind:${label}:${e.data.kind ?? ""}`,
      name: humanKind(e.data.kind),
      hint: label,
      order: (i < 0 ? 99 : i) * 1000 + (e.data.kind ? e.data.kind.charCodeAt(0) : 999),
    }];
  }
  const seen = new Set<string>();
  const lanes: Lane[] = [];
  for (const a of e.data.actors) {
    if (seen.has(a.key)) continue;
    seen.add(a.key);
    lanes.push({ id: `actor:${a.key}`, name: a.name, order: orderByActor.get(a.key) ?? 9999 });
  }
  if (!lanes.length) lanes.push({ id: "actor:", name: "(no actor)", order: 100000 });
  return lanes;
}

/** What changed since the record time the analyst picked (docs/api.md, GET /api/changes). */
export type Change = "added" | "changed";
export const CHANGE_LABEL: Record<Change, string> = { added: "new", changed: "changed" };

// Every item is focusable and says what it is: its accessible name is the text it shows (badges included)
// followed by what the tooltip adds; Enter or Space opens it (vis-timeline selects on click only).
function itemContent(entry: Entry, text: string, extraClass = "", tip = "", onOpen?: (key: string) => void, change?: Change,
  prefix: Node[] = []): HTMLElement {
  const el = h("span", { class: `item-text ${extraClass}`.trim(), "data-key": entry.key, "data-type": entry.type, title: tip || null },
    change ? h("span", { class: `chg-badge chg-${change}` }, CHANGE_LABEL[change]) : null, change ? " " : null,
    prefix.length ? [...prefix, " "] : null, text);
  if (onOpen) {
    el.tabIndex = 0;
    el.setAttribute("role", "button");
    const more = tip.split("\n").filter((line) => line && line !== text).join(", ");
    el.setAttribute("aria-label", `${(el.textContent ?? "").replace(/\s+/g, " ").trim()}${more ? `; ${more}` : ""}`);
    el.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        ev.stopPropagation();
        onOpen(entry.key);
      }
    });
  }
  return el;
}

function dateTip(d: ApiDate): string {
  return `${formatDate(d)} (${precisionNote(d)})`;
}

export interface Built {
  items: Item[];
  groups: Group[];
  keyOfItem: Map<string, string>;
  itemsOfKey: Map<string, string[]>;
  extent: { start: number; end: number } | null;
  eventExtent: { start: number; end: number } | null;
}

/** Turns the API's events and periods into vis-timeline items and lanes. */
export function build(res: TimelineResponse, mode: LaneMode, now = Date.now(), ctx: BuildContext = {}): Built {
  const entries = entriesOf(res);
  // Actor lanes: busiest first.
  const counts = new Map<string, number>();
  for (const e of entries) for (const a of e.data.actors) counts.set(a.key, (counts.get(a.key) ?? 0) + 1);
  const orderByActor = new Map([...counts].sort((a, b) => b[1] - a[1]).map(([k], i) => [k, i]));

  let maxMs = now;
  let minMs = Infinity;
  let evMin = Infinity, evMax = -Infinity;
  for (const e of entries) {
    if (e.type === "event") {
      minMs = Math.min(minMs, ms(e.data.date.start));
      maxMs = Math.max(maxMs, ms(e.data.date.end));
      evMin = Math.min(evMin, ms(e.data.date.start));
      evMax = Math.max(evMax, ms(e.data.date.end));
    } else {
      for (const s of e.data.segments) {
        minMs = Math.min(minMs, ms(s.from.start));
        if (s.to) maxMs = Math.max(maxMs, ms(s.to.end));
      }
    }
  }
  // Open-ended segments run to this edge: well past today and past the last dated thing.
  const edge = maxMs + 5 * YEAR;

  const items: Item[] = [];
  const groups = new Map<string, Group>();
  const laneCounts = new Map<string, number>();
  const keyOfItem = new Map<string, string>();
  const itemsOfKey = new Map<string, string[]>();
  const add = (entry: Entry, it: Omit<Item, "id">, suffix: string) => {
    const id = `${it.group}|${entry.key}|${suffix}`;
    const change = ctx.changes?.get(entry.key);
    items.push({ ...it, id, className: change ? `${it.className} chg chg-${change}` : it.className });
    keyOfItem.set(id, entry.key);
    const list = itemsOfKey.get(entry.key) ?? [];
    list.push(id);
    itemsOfKey.set(entry.key, list);
  };

  for (const entry of entries) {
    for (const lane of lanesOf(entry, mode, orderByActor)) {
      if (!groups.has(lane.id)) {
        groups.set(lane.id, {
          id: lane.id,
          content: h("span", { class: "lane-name", title: lane.hint ? `${lane.hint}: ${lane.name}` : lane.name },
            lane.hint ? h("span", { class: "lane-hint" }, lane.hint) : null, lane.name),
          order: lane.order,
          subgroupStack: { ev: true },
          // Period bars first (one line each), then the events, which stack among themselves.
          subgroupOrder: (a: any, b: any) => subOrder(a.subgroup) - subOrder(b.subgroup),
        });
      }
      laneCounts.set(lane.id, (laneCounts.get(lane.id) ?? 0) + 1);
      if (entry.type === "event") addEvent(entry, lane.id, add, ctx);
      else addPeriod(entry, lane.id, edge, add, ctx);
    }
  }
  for (const [id, g] of groups) {
    g.content.appendChild(h("span", { class: "lane-count" }, String(laneCounts.get(id) ?? 0)));
    g.subgroupStack = { ev: true };
  }
  return {
    items,
    groups: [...groups.values()],
    keyOfItem,
    itemsOfKey,
    extent: Number.isFinite(minMs) ? { start: minMs, end: Math.max(maxMs, now) } : null,
    eventExtent: Number.isFinite(evMin) ? { start: evMin, end: evMax } : null,
  };
}

function subOrder(sub: string | undefined): number {
  return sub === "ev" ? 1 : 0;
}

type Adder = (entry: Entry, it: Omit<Item, "id">, suffix: string) => void;

export interface BuildContext {
  /** Opens an entity (Enter or Space on a focused item). */
  open?: (key: string) => void;
  /** Keys added or changed since the chosen record time. */
  changes?: Map<string, Change>;
}

function addEvent(entry: Entry & { type: "event" }, group: string, add: Adder, ctx: BuildContext) {
  const e = entry.data;
  const d = e.date;
  const tip = `${e.title}\n${dateTip(d)}${e.kind ? `\n${humanKind(e.kind)}` : ""}`;
  const kindClass = `kind-${(e.kind ?? "other").replace(/[^a-z0-9_-]/gi, "")}`;
  const change = ctx.changes?.get(entry.key);
  if (d.precision === "day") {
    add(entry, { group, subgroup: "ev", type: "point", start: ms(d.start), content: itemContent(entry, e.title, "", tip, ctx.open, change), className: `ev ${kindClass}` }, "ev");
  } else {
    // The band covers the whole interval; the title is never cut to fit it: it runs on past the band
    // (vis-timeline then reserves the label's width when it stacks, so labels do not cover each other),
    // after a tag with the date as known ("Q4 2025") and its precision.
    const content = itemContent(entry, e.title, "", tip, ctx.open, change, [h("span", { class: "prec-badge", title: precisionNote(d) },
      formatDate(d), h("span", { class: "prec-word" }, ` · ${PRECISION_WORD[d.precision] ?? d.precision}`))]);
    add(entry, {
      group, subgroup: "ev", type: "range", start: ms(d.start), end: ms(d.end), content,
      className: `ev imprecise prec-${d.precision} ${kindClass}`,
    }, "ev");
  }
}

function segmentTip(name: string, s: Segment): string {
  const status = STATUS_LABEL[s.status] ?? s.status;
  const lines = [name, `${status}: ${formatDate(s.from)} → ${s.to ? formatDate(s.to) : "open-ended"}`];
  if (s.from.precision !== "day") lines.push(`starts ${precisionNote(s.from)}`);
  if (s.to && s.to.precision !== "day") lines.push(`ends ${precisionNote(s.to)}`);
  return lines.join("\n");
}

/** The whole bar: its name, type and every segment (the named piece's tooltip and what a screen reader says). */
function periodTip(p: TimelinePeriod): string {
  return [`${p.name}`, `${p.label}${p.kind ? `, ${humanKind(p.kind)}` : ""}`,
    ...p.segments.map((s) => `${STATUS_LABEL[s.status] ?? s.status}: ${formatDate(s.from)} → ${s.to ? formatDate(s.to) : "open-ended"}`)].join("\n");
}

function addPeriod(entry: Entry & { type: "period" }, group: string, edge: number, add: Adder, ctx: BuildContext) {
  const p = entry.data;
  const sub = `p:${p.key}`;
  type Piece = { s: Segment; start: number; end: number; fringe: boolean; open: boolean; suffix: string; text?: string };
  const pieces: Piece[] = [];
  p.segments.forEach((s, i) => {
    const fromImprecise = s.from.precision !== "day";
    if (fromImprecise) pieces.push({ s, start: ms(s.from.start), end: ms(s.from.end), fringe: true, open: false, suffix: `s${i}f` });
    const coreStart = fromImprecise ? ms(s.from.end) : ms(s.from.start);
    const coreEnd = s.to ? ms(s.to.start) : edge;
    if (coreEnd > coreStart) pieces.push({ s, start: coreStart, end: coreEnd, fringe: false, open: !s.to, suffix: `s${i}` });
    // The closing boundary of the last segment (later segments draw their own opening boundary).
    const last = i === p.segments.length - 1;
    if (last && s.to && s.to.precision !== "day" && ms(s.to.start) >= (fromImprecise ? ms(s.from.end) : coreStart)) {
      pieces.push({ s, start: ms(s.to.start), end: ms(s.to.end), fringe: true, open: false, suffix: `s${i}t` });
    }
  });
  // The name goes on the first solid piece (wide enough to read), else on the first piece; later solid
  // pieces say their status.
  const named = pieces.find((x) => !x.fringe) ?? pieces[0];
  for (const x of pieces) {
    if (x === named) x.text = p.name;
    // When the named piece is off screen, a later piece still says whose bar it is.
    else if (!x.fringe && x.s !== named?.s) x.text = `${STATUS_LABEL[x.s.status] ?? x.s.status} · ${p.name}`;
    else x.text = "";
  }
  const change = ctx.changes?.get(entry.key);
  for (const x of pieces) {
    const st = x.s.status.replace(/[^a-z0-9_-]/gi, "");
    // The named piece's label is never cut to the piece: on a narrow bar it runs on past it. Only the
    // named piece is a stop for the keyboard (one per bar).
    const isNamed = x === named;
    add(entry, {
      group, subgroup: sub, type: "range", start: x.start, end: x.end,
      content: itemContent(entry, x.text ?? "", x.fringe ? "fringe-text" : "", isNamed ? periodTip(p) : segmentTip(p.name, x.s), isNamed ? ctx.open : undefined,
        isNamed ? change : undefined),
      className: `seg st-${st} lbl-${p.label}${x.fringe ? " fringe" : ""}${x.open ? " open-end" : ""}${isNamed ? " named" : ""}`,
    }, x.suffix);
  }
}

// Crowded events merge into a cluster showing their count. vis-timeline places clusters per lane, not per
// subgroup, so clustering is on only where a lane holds nothing but events (lanes by type or by kind);
// in lanes by actor a cluster would cover the period bars.
const CLUSTER = {
  maxItems: 8,
  showStipes: true,
  fitOnDoubleClick: true,
  titleTemplate: "{count} events close together: zoom in (or double-click) to separate them",
  // Only events on known days: a band over a month or a half-year is a span, not a crowd of points.
  clusterCriteria: (a: any, b: any) => a.subgroup === "ev" && b.subgroup === "ev" && a.type === "point" && b.type === "point",
};

export interface TimelineView {
  /** Draws the data. The first call creates the vis Timeline with `initial(built)` as its window. */
  setData(res: TimelineResponse, mode: LaneMode, initial?: (b: Built) => { start: number; end: number } | null,
    changes?: Map<string, Change>): Built;
  select(key: string | null): void;
  setWindow(start: number, end: number): void;
  getWindow(): { start: number; end: number } | null;
  fit(): void;
  zoom(factor: number): void;
  pan(fraction: number): void;
  destroy(): void;
}

export function createTimeline(
  container: HTMLElement,
  opts: { onSelect: (key: string | null) => void; onWindow: (start: number, end: number) => void },
): TimelineView {
  const items = new DataSet<Item>([]);
  const groups = new DataSet<Group>([]);
  let built: Built | null = null;
  let timeline: Timeline | null = null;
  let selected: string | null = null;

  const options: TimelineOptions = {
    moment: (date: any) => moment(date).utc(),
    orientation: { axis: "top", item: "top" },
    stack: true,
    stackSubgroups: true,
    groupOrder: "order",
    margin: { item: { horizontal: 2, vertical: 4 }, axis: 4 },
    zoomMin: 14 * DAY,
    zoomMax: 60 * YEAR,
    verticalScroll: true,
    horizontalScroll: false,
    height: "100%",
    showCurrentTime: true,
    selectable: true,
    multiselect: false,
    showTooltips: false,
    locale: "en",
    cluster: CLUSTER,
  } as TimelineOptions;

  // The Timeline is created with its data and its window. vis-timeline fits the window once, on its first
  // redraw, to `start`/`end` when given (else to all items); created earlier, with a window set later, it
  // could overwrite the window from the URL when the machine is slow.
  function create(start: number, end: number): Timeline {
    const t = new Timeline(container, items as any, groups as any, { ...options, start, end } as TimelineOptions);
    // The lane labels scroll: reachable by keyboard, so the lanes below can be brought into view.
    const lanesPanel = container.querySelector(".vis-panel.vis-left");
    lanesPanel?.setAttribute("tabindex", "0");
    lanesPanel?.setAttribute("aria-label", "Lanes (scroll with the arrow keys)");
    lanesPanel?.setAttribute("role", "region");
    patchClustering(t);
    t.on("select", (props: { items: string[]; event: Event }) => {
      const id = props.items[0];
      if (id === undefined) return;
      const key = built?.keyOfItem.get(String(id)) ?? null;
      if (key) opts.onSelect(key);
    });
    // vis-timeline keeps its root at visibility: hidden until the first "changed" (a redraw) after its
    // initial "rangechanged" (200 ms after the window is set). When nothing redraws after that (data
    // that arrives fast, no resize), the timeline stays invisible until the user touches it: redraw once.
    let shown = false;
    t.on("rangechanged", (props: { start: Date; end: Date; byUser: boolean }) => {
      if (!shown) {
        shown = true;
        t.redraw();
      }
      opts.onWindow(props.start.valueOf(), props.end.valueOf());
    });
    return t;
  }

  const view: TimelineView = {
    setData(res, mode, initial, changes) {
      built = build(res, mode, Date.now(), { open: opts.onSelect, changes });
      items.clear();
      groups.clear();
      groups.add(built.groups);
      items.add(built.items);
      const cluster = mode === "actor" ? false : CLUSTER;
      if (!timeline) {
        const w = initial?.(built) ?? built.extent ?? { start: Date.now() - YEAR, end: Date.now() + YEAR / 4 };
        options.cluster = cluster as any;
        timeline = create(w.start, w.end);
      } else {
        timeline.setOptions({ cluster } as TimelineOptions);
      }
      view.select(selected);
      return built;
    },
    select(key) {
      selected = key;
      const ids = key && built ? built.itemsOfKey.get(key) ?? [] : [];
      timeline?.setSelection(ids);
    },
    setWindow(start, end) {
      timeline?.setWindow(start, end, { animation: false });
    },
    getWindow() {
      if (!timeline) return null;
      const w = timeline.getWindow();
      return { start: w.start.valueOf(), end: w.end.valueOf() };
    },
    fit() {
      if (built?.extent) {
        const pad = (built.extent.end - built.extent.start) * 0.03 + 30 * DAY;
        view.setWindow(built.extent.start - pad, built.extent.end + pad);
      }
    },
    zoom(factor) {
      if (factor < 1) timeline?.zoomIn(1 - factor);
      else timeline?.zoomOut(Math.min(1, factor - 1));
    },
    pan(fraction) {
      const w = view.getWindow();
      if (!w) return;
      const d = (w.end - w.start) * fraction;
      view.setWindow(w.start + d, w.end + d);
    },
    destroy() {
      timeline?.destroy();
    },
  };
  return view;
}
