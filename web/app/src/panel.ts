// The side panel: one entity (an event, a control, an actor, ...) from /api/entity/{key}: its date and
// precision or lifecycle, properties, sources, related entities, neighbourhood graph, own timeline and
// record-time versions. Every text is set as text.

import { api, ApiError, type EntityResponse, type SourceRef, type ApiDate, type Segment } from "./api";
import { h, replace, type Child } from "./dom";
import { formatDate, formatInstant, parseDateText, precisionNote } from "./dates";
import { renderValue } from "./values";
import { downloadBlob, fileSafe } from "./export";
import type { GraphView } from "./graph";
import { STATUS_LABEL, humanKind } from "./timeline";
import {
  announcementSection, causalList, claimsList, measureSection, measuresSection, observationsSection, variantsSection,
} from "./measures";

export interface PanelDeps {
  open: (key: string) => void;
  close: () => void;
  filterByActor: (key: string, name: string) => void;
}

const SKIP_PROPS = new Set(["name", "title"]);
// Properties the sections above the table already show.
const SHOWN_ABOVE: Record<string, string[]> = {
  Announcement: ["instrument_id", "instrument_kind", "announced", "published", "official", "url"],
  Control: ["intervention_type", "mast_code", "evaluation", "evaluated", "scope"],
};

export function createPanel(root: HTMLElement, deps: PanelDeps) {
  let ctrl: AbortController | null = null;
  let graph: GraphView | null = null;
  let shown: string | null = null;

  function entityButton(key: string, name: string, labels?: string[]): HTMLElement {
    return h("button", { type: "button", class: "linklike entity-link", "data-key": key, title: key, onclick: () => deps.open(key) },
      labels?.length ? h("span", { class: `chip lbl lbl-${labels[0]}` }, labels[0]) : null, name);
  }

  function header(title: string, labels: string[], key: string): HTMLElement {
    return h("header", { class: "panel-head" },
      h("div", { class: "panel-labels" }, labels.map((l) => h("span", { class: `chip lbl lbl-${l}` }, l))),
      h("h2", { id: "panel-title", tabindex: "-1" }, title),
      h("code", { class: "key" }, key),
      h("button", { type: "button", class: "icon close", "aria-label": "Close the panel", title: "Close (Esc)", onclick: () => deps.close() }, "×"),
    );
  }

  function section(title: string, ...body: (Child | Child[])[]): HTMLElement {
    return h("section", { class: "panel-section" }, h("h3", null, title), ...body);
  }

  function dateBlock(d: ApiDate): HTMLElement {
    return h("p", { class: "date-line" },
      h("strong", null, formatDate(d)), " ",
      h("span", { class: `chip prec prec-${d.precision}` }, d.precision), " ",
      h("span", { class: "muted" }, `(${d.value}; ${precisionNote(d)})`));
  }

  function segmentsBlock(segs: Segment[]): HTMLElement {
    // The last stretch ends with a date only when a suspension named its end; what followed is unrecorded.
    const until = (s: Segment, i: number) => i === segs.length - 1 && !!s.to && s.status === "suspended";
    return h("ol", { class: "segments" }, segs.map((s, i) =>
      h("li", { class: `segment st-${s.status}` },
        h("span", { class: `chip status st-${s.status}` }, STATUS_LABEL[s.status] ?? s.status), " ",
        formatDate(s.from), until(s, i) ? " until " : " → ", s.to ? formatDate(s.to) : "open-ended",
        until(s, i) ? h("span", { class: "muted small" }, " (what follows is not recorded)") : null,
        (s.from.precision !== "day" || (s.to && s.to.precision !== "day"))
          ? h("span", { class: "muted small" }, ` (${[s.from.precision !== "day" ? `start: ${precisionNote(s.from)}` : "", s.to && s.to.precision !== "day" ? `end: ${precisionNote(s.to)}` : ""].filter(Boolean).join("; ")})`)
          : null)));
  }

  function sourceItem(s: SourceRef): HTMLElement {
    const meta = [s.publisher, s.published ? formatDate(s.published) : null, s.authors?.length ? s.authors.join(", ") : null].filter(Boolean).join(" · ");
    const safeUrl = s.url && /^https?:\/\//i.test(s.url) ? s.url : null;
    return h("li", { class: "source", "data-key": s.key },
      safeUrl
        ? h("a", { href: safeUrl, target: "_blank", rel: "noopener noreferrer external", class: "source-title" }, s.title)
        : h("span", { class: "source-title" }, s.title),
      meta ? h("div", { class: "muted small" }, meta) : null,
      h("div", null, h("button", { type: "button", class: "linklike small", onclick: () => deps.open(s.key) }, "source record")),
    );
  }

  function related(e: EntityResponse): HTMLElement {
    const byKey = new Map(e.neighbours.nodes.map((n) => [n.key, n]));
    const groups = new Map<string, { dir: string; items: HTMLElement[] }>();
    for (const r of e.neighbours.relationships) {
      const out = r.from === e.key;
      const other = byKey.get(out ? r.to : r.from);
      if (!other) continue;
      const heading = out ? `${r.type} →` : `← ${r.type}`;
      const g = groups.get(heading) ?? { dir: heading, items: [] };
      const props = Object.entries(r.properties ?? {}).filter(([k]) => ["role", "effect", "status", "domain"].includes(k));
      g.items.push(h("li", null, entityButton(other.key, other.name, other.labels),
        props.length ? h("span", { class: "muted small" }, " ", props.map(([k, v]) => `${k}: ${String(v)}`).join(", ")) : null));
      groups.set(heading, g);
    }
    if (!groups.size) return h("p", { class: "muted" }, "No related entities.");
    return h("div", { class: "related" }, [...groups.values()].map((g) =>
      h("div", { class: "rel-group" }, h("h4", null, g.dir), h("ul", null, g.items))));
  }

  function propsTable(props: Record<string, unknown>, shown: string[] = []): HTMLElement {
    const rows = Object.entries(props).filter(([k]) => !SKIP_PROPS.has(k) && !shown.includes(k));
    if (!rows.length) return h("p", { class: "muted" }, "No further properties.");
    return h("dl", { class: "props" }, rows.flatMap(([k, v]) => [h("dt", null, k.replace(/_/g, " ")), h("dd", null, renderValue(v, deps.open))]));
  }

  function versions(e: EntityResponse): HTMLElement {
    if (!e.versions?.length) return h("p", { class: "muted" }, "No versions recorded.");
    const rows = e.versions.map((v, i) => {
      const prev = i > 0 ? e.versions[i - 1].properties : null;
      const changed = prev ? Object.keys({ ...prev, ...v.properties }).filter((k) => JSON.stringify(prev[k]) !== JSON.stringify(v.properties[k])) : null;
      return h("tr", null,
        h("td", null, formatInstant(v.record_time)),
        h("td", null, v.to_record_time ? formatInstant(v.to_record_time) : h("span", { class: "chip current" }, "current")),
        h("td", null, v.origin),
        h("td", null, changed === null ? "first version" : changed.length ? `changed: ${changed.join(", ")}` : "no property change"));
    });
    return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Versions" }, h("table", { class: "versions" },
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "recorded"), h("th", { scope: "col" }, "superseded"), h("th", { scope: "col" }, "origin"), h("th", { scope: "col" }, "what"))),
      h("tbody", null, rows)));
  }

  function ownTimeline(e: EntityResponse): HTMLElement {
    if (!e.timeline?.length) return h("p", { class: "muted" }, "No events.");
    return h("ol", { class: "entity-timeline" }, e.timeline.map((ev) =>
      h("li", { class: ev.key === e.key ? "current" : null },
        h("span", { class: "when", title: precisionNote(ev.date) }, formatDate(ev.date)), " ",
        ev.key === e.key ? h("strong", null, ev.title) : entityButton(ev.key, ev.title),
        ev.kind ? h("span", { class: "muted small" }, ` · ${humanKind(ev.kind)}`) : null)));
  }

  function render(e: EntityResponse) {
    const label = e.labels[0] ?? "";
    const parts: Child[] = [header(e.name, e.labels, e.key)];
    const when: Child[] = [];
    // An event's date: a date object if the server adds one, else the `date` property (tagged or plain).
    const top = (e as unknown as { date?: ApiDate }).date;
    const raw = e.properties.date as { $date?: string } | string | undefined;
    const date = top?.precision ? top : parseDateText(typeof raw === "string" ? raw : raw?.$date ?? "");
    if (date) when.push(dateBlock(date));
    if (e.status) when.push(h("p", null, "Status on ", formatDateText(e.status.on), ": ",
      h("span", { class: `chip status st-${e.status.status ?? "unknown"}` }, e.status.status ? STATUS_LABEL[e.status.status] ?? e.status.status : "unknown (an imprecise date overlaps today)")));
    if (e.segments?.length) when.push(segmentsBlock(e.segments));
    else if (e.validity?.some((v) => v.from || v.to)) {
      when.push(h("ul", { class: "validity" }, e.validity.map((v) => h("li", null, "valid ", v.from ? formatDate(v.from) : "since always", " → ", v.to ? formatDate(v.to) : "open-ended"))));
    }
    if (when.length) parts.push(section(label === "Event" ? "Date" : "When", when));
    if (typeof e.properties.summary === "string") parts.push(h("p", { class: "summary" }, e.properties.summary));
    if (label === "Actor") {
      parts.push(h("p", null, h("button", { type: "button", class: "secondary", onclick: () => deps.filterByActor(e.key, e.name) }, `Show only ${e.name} on the timeline`)));
    }
    // Issue 11: an announcement and its measures, a measure's details, causes, numbers, disputed values.
    if (e.announcement && label === "Announcement") {
      parts.push(section("Announcement", announcementSection(e.announcement, deps.open)));
      parts.push(h("section", { class: "panel-section measures-section" }, h("h3", null, `Measures (${e.measures?.length ?? 0})`),
        measuresSection(e.measures ?? [], e.announcement.package_status?.on ?? null, deps.open)));
    }
    if (e.measure) parts.push(h("section", { class: "panel-section measure-section" }, h("h3", null, "Measure"), measureSection(e.measure, e.announcement, deps.open)));
    if (e.causal_links?.length) parts.push(section(`Causes and consequences (${e.causal_links.length})`, causalList(e.causal_links, e.name, deps.open)));
    if (e.observations?.length) {
      parts.push(h("section", { class: "panel-section observations-section" },
        h("h3", null, `Observations (${e.observations.length} series)`), observationsSection(e.observations, deps.open)));
    }
    if (e.variants?.length) {
      parts.push(h("section", { class: "panel-section variants-section" }, h("h3", null, `Disputed values (${e.variants.length})`),
        h("p", { class: "small muted" }, "Sources disagree; each value with its source and confidence."), variantsSection(e.variants)));
    }
    parts.push(section("Properties", propsTable(e.properties, SHOWN_ABOVE[label] ?? [])));
    if (e.claims?.length) {
      parts.push(h("section", { class: "panel-section claims-section" },
        h("h3", null, `Claims (${e.claims.length})`),
        h("p", { class: "small muted" }, "Analysis attributed to its authors, kept apart from the facts above."),
        claimsList(e.claims, e.key, deps.open)));
    }
    parts.push(section(`Sources (${e.sources.length})`, e.sources.length ? h("ul", { class: "sources" }, e.sources.map(sourceItem)) : h("p", { class: "muted" }, "No sources.")));
    parts.push(section(`Related (${e.neighbours.nodes.length})`, related(e)));
    const graphBox = h("div", { class: "graph", role: "img", "aria-label": `Neighbourhood graph of ${e.name}: ${e.neighbours.nodes.length} related entities, listed above` });
    const pngButton = h("button", { type: "button", class: "secondary small-btn", id: "graph-png", disabled: true,
      onclick: async () => {
        if (graph) downloadBlob(await graph.png(), `lodestone-${fileSafe(e.key)}-graph.png`);
      } }, "Download graph as PNG");
    parts.push(section("Neighbourhood", graphBox,
      h("p", { class: "muted small graph-help" }, "Click a node to open it; scroll to zoom. ", pngButton)));
    parts.push(section(`Timeline (${e.timeline?.length ?? 0})`, ownTimeline(e)));
    parts.push(section(`Versions (${e.versions?.length ?? 0})`, versions(e)));
    replace(root, ...parts);
    root.hidden = false;
    if (e.neighbours.nodes.length) {
      import("./graph").then(({ renderGraph }) => {
        if (shown !== e.key) return;
        graph = renderGraph(graphBox, e, deps.open);
        pngButton.disabled = false;
      }).catch((err) => replace(graphBox, h("p", { class: "error" }, `The graph could not be drawn: ${err.message}`)));
    } else {
      replace(graphBox, h("p", { class: "muted" }, "No neighbours to draw."));
    }
  }

  return {
    async show(key: string, focus = false) {
      if (shown === key && !root.hidden) return;
      shown = key;
      ctrl?.abort();
      graph?.destroy();
      graph = null;
      ctrl = new AbortController();
      root.hidden = false;
      root.setAttribute("aria-busy", "true");
      replace(root, header("Loading…", [], key), h("p", { class: "muted", role: "status" }, "Loading the entity…"));
      try {
        const e = await api.entity(key, ctrl.signal);
        if (shown !== key) return;
        render(e);
      } catch (err) {
        if ((err as Error).name === "AbortError") return;
        const msg = err instanceof ApiError ? err.summary : String(err);
        replace(root, header(key, [], key), h("div", { class: "error", role: "alert" }, h("strong", null, "Could not load this entity. "), msg));
      } finally {
        root.removeAttribute("aria-busy");
      }
      if (focus) (root.querySelector("#panel-title") as HTMLElement | null)?.focus();
    },
    hide() {
      shown = null;
      ctrl?.abort();
      graph?.destroy();
      graph = null;
      root.hidden = true;
      replace(root);
    },
    get key() {
      return shown;
    },
  };
}

function formatDateText(day: string): string {
  const d = parseDateText(day);
  return d ? formatDate(d) : day;
}
