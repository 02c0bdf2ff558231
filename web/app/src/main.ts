// Lodestone's page: wires the URL state, the filters, the timeline, the side panel and the query console.

import "./styles.css";
import { api, ApiError, fetchTimeline, type ChangesResponse, type TimelineResponse } from "./api";
import { h, replace, $ } from "./dom";
import { formatDate, formatInstant, isoDay, ms } from "./dates";
import { createTimeline, entriesOf, entryStart, entryTitle, humanKind, CHANGE_LABEL, type Built, type Change } from "./timeline";
import { downloadBlob, svgToPng, timelineSvg } from "./export";
import { createPanel } from "./panel";
import { createConsole } from "./console";
import { createFilters } from "./filters";
import { parseState, stateToSearch, sameFilters, timelineParams, type ViewState } from "./state";

const DAY = 86400000;

let state: ViewState = parseState(location.search);
let data: TimelineResponse | null = null;
let changes: ChangesResponse | null = null;
let changeOf = new Map<string, Change>();
let built: Built | null = null;
let loadCtrl: AbortController | null = null;
let applyingWindow = false;
const actorNames = new Map<string, string>();

const banner = $("#banner");
const empty = $("#empty");
const summary = $("#summary");
const listEl = $("#item-list");
const changesEl = $("#changes");
const sinceSelect = $("#since-select") as HTMLSelectElement;
const panelEl = $("#panel");
const narrow = window.matchMedia("(max-width: 760px)");

// ---- navigation: every change of view goes through the URL ---------------------------------------------

function navigate(patch: Partial<ViewState>, opts: { replace?: boolean } = {}) {
  const next = { ...state, ...patch };
  const url = location.pathname + stateToSearch(next) + location.hash;
  if (opts.replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  const prev = state;
  state = next;
  apply(prev, next);
}

window.addEventListener("popstate", () => {
  const prev = state;
  state = parseState(location.search);
  apply(prev, state);
});

function apply(prev: ViewState, next: ViewState) {
  filters.sync(next);
  syncExports();
  syncSince();
  if (!sameFilters(prev, next) || prev.since !== next.since) {
    load(prev.from !== next.from || prev.to !== next.to);
  } else if (prev.lanes !== next.lanes && data) {
    render(data);
  }
  if (next.win && (prev.win?.start !== next.win.start || prev.win?.end !== next.win.end)) setWindowFromState();
  if (prev.sel !== next.sel) showSelection();
}

function setWindowFromState() {
  if (!state.win) return;
  const cur = timeline.getWindow();
  if (!cur) return; // created later with the URL's window
  const want = { start: ms(state.win.start), end: ms(state.win.end) };
  if (Math.abs(cur.start - want.start) < DAY && Math.abs(cur.end - want.end) < DAY) return;
  applyingWindow = true;
  timeline.setWindow(want.start, want.end);
  applyingWindow = false;
}

function showSelection() {
  timeline.select(state.sel);
  if (state.sel) {
    // Chosen from the list, the panel or the query results (keyboard reachable): move focus to the panel.
    const focus = !!(document.activeElement as HTMLElement | null)?.closest?.("#item-list, #panel, #query-result");
    panel.show(state.sel, focus);
    if (narrow.matches) panelEl.scrollIntoView({ block: "start" });
  } else {
    panel.hide();
  }
  document.body.classList.toggle("has-panel", !!state.sel);
}

// ---- components --------------------------------------------------------------------------------------

const timeline = createTimeline($("#timeline"), {
  onSelect: (key) => {
    if (key !== state.sel) navigate({ sel: key });
  },
  onWindow: (start, end) => {
    if (applyingWindow) return;
    const win = { start: isoDay(start), end: isoDay(end + DAY - 1) };
    if (win.start === state.win?.start && win.end === state.win?.end) return;
    // Panning and zooming would flood the history: the window is replaced, not pushed.
    state = { ...state, win };
    history.replaceState(null, "", location.pathname + stateToSearch(state) + location.hash);
  },
});

const panel = createPanel(panelEl, {
  open: (key) => navigate({ sel: key }),
  close: () => navigate({ sel: null }),
  filterByActor: (key, name) => {
    actorNames.set(key, name);
    if (!state.actors.includes(key)) navigate({ actors: [...state.actors, key] });
  },
});

const filters = createFilters({
  navigate,
  current: () => state,
  actorName: (key) => actorNames.get(key) ?? key,
  rememberActor: (key, name) => actorNames.set(key, name),
});

createConsole($("#console"), (key) => navigate({ sel: key }));

// ---- loading and drawing the timeline ------------------------------------------------------------------

function showBanner(err: unknown) {
  const msg = err instanceof ApiError ? err.summary : String(err);
  replace(banner,
    h("strong", null, err instanceof ApiError && err.status === 0 ? "The server cannot be reached. " : "The timeline could not be loaded. "),
    h("span", { class: "banner-msg" }, msg), " ",
    h("button", { type: "button", class: "secondary", onclick: () => load(false) }, "Retry"));
  banner.hidden = false;
}

async function load(fitToRange: boolean) {
  loadCtrl?.abort();
  loadCtrl = new AbortController();
  summary.textContent = "Loading…";
  document.body.classList.add("loading");
  try {
    const changesReq = state.since ? loadChanges(loadCtrl.signal) : Promise.resolve(null);
    const res = await fetchTimeline(timelineParams(state), loadCtrl.signal);
    banner.hidden = true;
    data = res;
    changes = await changesReq;
    changeOf = new Map<string, Change>();
    for (const c of changes?.added ?? []) changeOf.set(c.key, "added");
    for (const c of changes?.changed ?? []) changeOf.set(c.key, "changed");
    showChanges();
    for (const e of entriesOf(res)) for (const a of e.data.actors) if (!actorNames.has(a.key)) actorNames.set(a.key, a.name);
    filters.sync(state);
    // The first render creates the timeline with its window; later ones move the window if need be.
    render(res, (b) => windowFor(b, res, fitToRange));
    if (placedOnce && built) {
      const w = windowFor(built, res, fitToRange);
      if (w) timeline.setWindow(w.start, w.end);
    }
    placedOnce = true;
    if (!performance.getEntriesByName("lodestone:timeline-drawn").length) performance.mark("lodestone:timeline-drawn");
  } catch (e) {
    if ((e as Error).name === "AbortError") return;
    summary.textContent = "";
    showBanner(e);
  } finally {
    document.body.classList.remove("loading");
  }
  resolveActorNames();
}

/** Chips show names; actors given in the URL but not in the data are looked up once. */
function resolveActorNames() {
  for (const key of state.actors) {
    if (actorNames.has(key)) continue;
    api.entity(key).then((e) => {
      actorNames.set(key, e.name);
      filters.sync(state);
    }).catch(() => actorNames.set(key, `${key} (unknown)`));
  }
}

let placedOnce = false;
/**
 * Where the window goes after a load: the URL's window on the first load; the from/to range when it was
 * just changed; else, on the first load, the span of the events (where most detail is; "Fit all" shows
 * everything). Null: leave it where the user put it.
 */
function windowFor(b: Built, res: TimelineResponse, fitToRange: boolean): { start: number; end: number } | null {
  const first = !placedOnce;
  if (first && state.win) return { start: ms(state.win.start), end: ms(state.win.end) };
  if (fitToRange && (state.from || state.to)) {
    const lo = res.from ? ms(res.from.start) : b.extent?.start;
    const hi = res.to ? ms(res.to.end) : b.extent?.end;
    if (lo !== undefined && hi !== undefined) return { start: lo - 7 * DAY, end: hi + 7 * DAY };
  }
  if (first || fitToRange) {
    const ext = b.eventExtent ?? b.extent;
    if (ext) {
      const pad = Math.max((ext.end - ext.start) * 0.04, 20 * DAY);
      return { start: ext.start - pad, end: ext.end + 3 * pad };
    }
  }
  return null;
}

// ---- changed since a record time --------------------------------------------------------------------------

/** GET /api/changes with the view's filters; an error is shown in the changes box, not as a failed load. */
async function loadChanges(signal: AbortSignal): Promise<ChangesResponse | null> {
  const p = timelineParams(state);
  p.set("since", state.since);
  try {
    return await api.changes(p, signal);
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    replace(changesEl, h("p", { class: "error-text" }, `Changes since ${state.since} could not be read: ${e instanceof ApiError ? e.summary : String(e)}`));
    changesEl.hidden = false;
    return null;
  }
}

function showChanges() {
  if (!state.since) {
    changesEl.hidden = true;
    return;
  }
  if (!changes) return; // the error is shown
  const n = (k: number, what: string) => `${k} ${what}`;
  const removed = changes.removed;
  replace(changesEl,
    h("p", null,
      h("strong", null, `Since ${formatInstant(changes.since)}: `),
      h("span", { id: "changes-counts", "data-added": changes.added.length, "data-changed": changes.changed.length, "data-removed": removed.length },
        `${n(changes.added.length, "new")}, ${n(changes.changed.length, "changed")}, ${n(removed.length, "removed")}`),
      changes.commits.length ? ` · ${changes.commits.length} commit${changes.commits.length === 1 ? "" : "s"} after it (last ${formatInstant(changes.until)})` : " · nothing recorded after it",
      " ", h("button", { type: "button", class: "linklike", onclick: () => navigate({ since: "" }) }, "Stop marking changes")),
    removed.length
      ? h("details", { class: "removed" }, h("summary", null, `Removed since then (${removed.length})`),
        h("ul", { id: "removed-list" }, removed.map((r) => h("li", { "data-key": r.key },
          h("span", { class: "chg-badge chg-removed" }, "removed"), " ",
          r.item === "event" ? `${formatDate(r.date)} ${r.title}` : `${r.label}: ${r.name}`))))
      : null);
  changesEl.hidden = false;
}

/**
 * The picker offers commits: choosing one marks what it and the later ones changed, i.e. what changed
 * after the commit before it (the API's `since` is exclusive). The first commit ever is "since 1970".
 */
async function fillSinceChoices() {
  const LIMIT = 20;
  try {
    const res = await api.commits(LIMIT);
    res.commits.forEach((c, i) => {
      const before = res.commits[i + 1]?.record_time ?? (res.commits.length < LIMIT ? "1970-01-01T00:00:00Z" : null);
      if (!before) return;
      sinceSelect.appendChild(h("option", { value: before }, `${formatInstant(c.record_time)} · ${c.origin} · and after`));
    });
  } catch {
    /* the picker keeps (off) and whatever the URL says */
  }
  syncSince();
}

function syncSince() {
  if (state.since && ![...sinceSelect.options].some((o) => o.value === state.since)) {
    sinceSelect.appendChild(h("option", { value: state.since }, `${state.since} (from the link)`));
  }
  sinceSelect.value = state.since;
}

sinceSelect.addEventListener("change", () => navigate({ since: sinceSelect.value }));

// ---- exports -----------------------------------------------------------------------------------------------

function syncExports() {
  for (const format of ["csv", "jsonl"]) {
    const p = timelineParams(state);
    p.set("format", format);
    ($(`#export-${format}`) as HTMLAnchorElement).href = `/api/timeline?${p.toString().replace(/%2F/g, "/")}`;
  }
}

function pictureTitle(): string {
  const w = timeline.getWindow();
  const range = w ? `${isoDay(w.start)} to ${isoDay(w.end)}` : "";
  return `Lodestone timeline ${range}${location.search ? ` · ${decodeURIComponent(location.search)}` : ""}`;
}

$("#export-svg").addEventListener("click", () => {
  const { svg } = timelineSvg($("#timeline"), pictureTitle());
  downloadBlob(new Blob([svg], { type: "image/svg+xml" }), "lodestone-timeline.svg");
  ($("#export-menu") as HTMLDetailsElement).open = false;
});
$("#export-png").addEventListener("click", async () => {
  const { svg, width, height } = timelineSvg($("#timeline"), pictureTitle());
  downloadBlob(await svgToPng(svg, width, height), "lodestone-timeline.png");
  ($("#export-menu") as HTMLDetailsElement).open = false;
});
$("#print").addEventListener("click", () => {
  ($("#export-menu") as HTMLDetailsElement).open = false;
  window.print();
});

function render(res: TimelineResponse, place?: (b: Built) => { start: number; end: number } | null) {
  built = timeline.setData(res, state.lanes, place, changeOf);
  const entries = entriesOf(res).sort((a, b) => entryStart(a) - entryStart(b));
  const n = entries.length;
  summary.replaceChildren(
    h("strong", { id: "item-count", "data-count": n }, `${n} item${n === 1 ? "" : "s"}`),
    `: ${res.events.length} event${res.events.length === 1 ? "" : "s"}, ${res.periods.length} period${res.periods.length === 1 ? "" : "s"}`,
    res.total > n ? ` (of ${res.total}; the rest were not loaded)` : "",
    state.lanes === "actor" ? " · an item with several actors shows in each actor's lane" : "",
  );
  if (!n) {
    replace(empty,
      h("p", null, h("strong", null, "Nothing matches these filters.")),
      h("p", null, "Try fewer actors or kinds, other text, or a wider date range."),
      h("button", { type: "button", class: "secondary", onclick: () => navigate({ actors: [], kinds: [], labels: [], q: "", from: "", to: "", win: null }) }, "Clear all filters"));
    empty.hidden = false;
  } else {
    empty.hidden = true;
  }
  replace(listEl, entries.map((e) => {
    const when = e.type === "event" ? formatDate(e.data.date) : `${formatDate(e.data.segments[0]?.from)} →`;
    const what = e.type === "event" ? humanKind(e.data.kind) : `${e.data.label}, ${humanKind(e.data.kind)}`;
    const change = changeOf.get(e.key);
    return h("li", { "data-key": e.key, "data-change": change ?? null },
      h("button", { type: "button", class: "linklike", onclick: () => navigate({ sel: e.key }) },
        change ? h("span", { class: `chg-badge chg-${change}` }, CHANGE_LABEL[change]) : null, change ? " " : null,
        h("span", { class: "when" }, when), " ", entryTitle(e)),
      h("span", { class: "muted small" }, ` · ${what}`));
  }));
  timeline.select(state.sel);
}

// ---- keyboard and buttons ------------------------------------------------------------------------------

$("#zoom-in").addEventListener("click", () => timeline.zoom(0.5));
$("#zoom-out").addEventListener("click", () => timeline.zoom(2));
$("#pan-left").addEventListener("click", () => timeline.pan(-0.25));
$("#pan-right").addEventListener("click", () => timeline.pan(0.25));
$("#fit").addEventListener("click", () => timeline.fit());
$("#timeline").addEventListener("keydown", (ev) => {
  const k = (ev as KeyboardEvent).key;
  const act: Record<string, () => void> = {
    ArrowLeft: () => timeline.pan(-0.2),
    ArrowRight: () => timeline.pan(0.2),
    "+": () => timeline.zoom(0.5),
    "=": () => timeline.zoom(0.5),
    "-": () => timeline.zoom(2),
    Home: () => timeline.fit(),
  };
  if (act[k]) {
    ev.preventDefault();
    act[k]();
  }
});
document.addEventListener("keydown", (ev) => {
  if (ev.key === "Escape" && state.sel && !(ev.target as HTMLElement)?.closest?.("#actor-input")) navigate({ sel: null });
});

// ---- start -----------------------------------------------------------------------------------------------

if (narrow.matches) ($("#filters-toggle") as HTMLDetailsElement).open = false;
filters.sync(state);
syncExports();
fillSinceChoices();
api.health().then(
  (hres) => {
    const el = $("#health");
    el.className = "health ok";
    el.textContent = `${hres.nodes} nodes · ${hres.relationships} relationships · last recorded ${formatInstant(hres.last_record_time)}`;
  },
  (e) => {
    const el = $("#health");
    el.className = "health bad";
    el.textContent = e instanceof ApiError && e.status === 0 ? "Server unreachable" : `Server: ${(e as Error).message}`;
  },
);
load(true);
showSelection();
