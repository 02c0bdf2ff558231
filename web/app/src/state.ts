// The view lives in the URL's query string so it can be shared, reloaded and walked with back/forward:
//   actor (repeatable), kind (repeatable), label (repeatable), q, from, to   -- the /api/timeline filters
//   lanes = type | actor | kind                                              -- how the timeline is grouped
//   win   = YYYY-MM-DD..YYYY-MM-DD                                           -- the visible window
//   sel   = an entity key                                                    -- what the side panel shows
//   since = a record time (2026-11-28T10:00:00Z)                              -- mark what changed after it

export type LaneMode = "type" | "actor" | "kind";

export interface ViewState {
  actors: string[];
  kinds: string[];
  labels: string[];
  q: string;
  from: string;
  to: string;
  lanes: LaneMode;
  win: { start: string; end: string } | null;
  sel: string | null;
  since: string;
}

export const LANE_MODES: LaneMode[] = ["type", "actor", "kind"];

export function emptyState(): ViewState {
  return { actors: [], kinds: [], labels: [], q: "", from: "", to: "", lanes: "type", win: null, sel: null, since: "" };
}

export function parseState(search: string): ViewState {
  const p = new URLSearchParams(search);
  const s = emptyState();
  s.actors = uniq(p.getAll("actor").filter(Boolean));
  s.kinds = uniq(p.getAll("kind").filter(Boolean));
  s.labels = uniq(p.getAll("label").filter(Boolean));
  s.q = p.get("q") ?? "";
  s.from = p.get("from") ?? "";
  s.to = p.get("to") ?? "";
  const lanes = p.get("lanes");
  if (lanes && (LANE_MODES as string[]).includes(lanes)) s.lanes = lanes as LaneMode;
  const win = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(p.get("win") ?? "");
  if (win && win[1] < win[2]) s.win = { start: win[1], end: win[2] };
  s.sel = p.get("sel") || null;
  s.since = p.get("since") ?? "";
  return s;
}

export function stateToSearch(s: ViewState): string {
  // The filters, as the API takes them, then what only the page keeps.
  const p = timelineParams(s);
  if (s.lanes !== "type") p.set("lanes", s.lanes);
  if (s.win) p.set("win", `${s.win.start}..${s.win.end}`);
  if (s.sel) p.set("sel", s.sel);
  if (s.since) p.set("since", s.since);
  const text = p.toString().replace(/%2F/g, "/");
  return text ? `?${text}` : "";
}

/** The /api/timeline parameters for a view. */
export function timelineParams(s: ViewState): URLSearchParams {
  const p = new URLSearchParams();
  for (const a of s.actors) p.append("actor", a);
  for (const k of s.kinds) p.append("kind", k);
  for (const l of s.labels) p.append("label", l);
  if (s.q) p.set("q", s.q);
  if (s.from) p.set("from", s.from);
  if (s.to) p.set("to", s.to);
  return p;
}

/** True when two states ask the API for the same timeline. */
export function sameFilters(a: ViewState, b: ViewState): boolean {
  return timelineParams(a).toString() === timelineParams(b).toString();
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
