// Graphs (cytoscape, loaded on demand so it is not in the first bundle): an entity's neighbourhood in the
// panel, and the nodes, relationships and paths a query returns in the console.
//
// Cytoscape draws on a canvas and styles it through the CSSOM, which CSP allows; the one thing it would
// do that `style-src 'self'` forbids is insert a <style> element (`.__________cytoscape_container
// { position: relative }`). It skips that when an element with the id below exists, so we provide one and
// ship the rule in styles.css instead.

import cytoscape from "cytoscape";
import { api, type EntityResponse } from "./api";
import { LABEL_SHAPE, labelColor } from "./colors";

const SENTINEL_ID = "__________cytoscape_stylesheet";

export interface GraphNode {
  /** The entity key, or "#id" for a node without one (it cannot be opened). */
  key: string;
  name: string;
  label: string;
}
export interface GraphEdge {
  from: string;
  to: string;
  type: string;
}
export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface GraphView {
  /** The whole graph as a PNG, on white, twice the screen's resolution. */
  png(): Promise<Blob>;
  /** Adds an entity's neighbours (fetched from the API) and lays the graph out again. */
  expand(key: string): Promise<number>;
  nodeCount(): number;
  destroy(): void;
}

function short(s: string, n = 34): string {
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}

function ensureSentinel() {
  if (document.getElementById(SENTINEL_ID)) return;
  const meta = document.createElement("meta");
  meta.id = SENTINEL_ID;
  meta.name = "cytoscape-stylesheet";
  meta.content = "provided by styles.css";
  document.head.appendChild(meta);
}

function nodeData(n: GraphNode, center: boolean) {
  return {
    data: {
      id: n.key, name: short(n.name), label: n.label, color: labelColor(n.label),
      shape: LABEL_SHAPE[n.label] ?? "ellipse", center: center ? 1 : 0,
    },
  };
}

function edgeId(e: GraphEdge): string {
  return `${e.type}|${e.from}|${e.to}`;
}

/** Draws a graph. `center` is drawn larger, in the middle; a tap on another node opens it. */
export function drawGraph(container: HTMLElement, model: GraphModel,
  opts: { open: (key: string) => void; center?: string; expandOnDoubleTap?: boolean; layout?: "concentric" | "cose" }): GraphView {
  ensureSentinel();
  const keys = new Set(model.nodes.map((n) => n.key));
  const seen = new Set<string>();
  const edges = model.edges.filter((r) => keys.has(r.from) && keys.has(r.to) && !seen.has(edgeId(r)) && seen.add(edgeId(r)));
  const cy = cytoscape({
    container,
    elements: [
      ...model.nodes.map((n) => nodeData(n, n.key === opts.center)),
      ...edges.map((r) => ({ data: { id: edgeId(r), source: r.from, target: r.to, type: r.type } })),
    ],
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(color)",
          shape: "data(shape)" as any,
          label: "data(name)",
          "font-size": 9,
          "text-wrap": "wrap",
          "text-max-width": "110px",
          "text-valign": "bottom",
          "text-margin-y": 3,
          color: "#1b1b1b",
          width: 14,
          height: 14,
        },
      },
      { selector: "node[center = 1]", style: { width: 24, height: 24, "border-width": 3, "border-color": "#111", "font-weight": "bold" } },
      {
        selector: "edge",
        style: {
          width: 1.2,
          "line-color": "#9aa0a6",
          "target-arrow-color": "#9aa0a6",
          "target-arrow-shape": "triangle",
          "curve-style": "bezier",
          label: "data(type)",
          "font-size": 7,
          color: "#555",
          "text-rotation": "autorotate",
          "text-background-color": "#fff",
          "text-background-opacity": 0.8,
        },
      },
    ],
    layout: layoutOf(opts.layout ?? "concentric"),
    boxSelectionEnabled: false,
    minZoom: 0.2,
    maxZoom: 3,
  });
  const keepReadable = () => {
    // A few nodes would be fitted at a huge zoom; keep labels at a readable size.
    if (cy.zoom() > 1.4) {
      cy.zoom(1.4);
      cy.center();
    }
  };
  keepReadable();
  // The browser tests find nodes' places on the canvas through this.
  (container as HTMLElement & { cy?: cytoscape.Core }).cy = cy;
  // Cytoscape keeps where its container is on the page and refreshes that only when the window scrolls
  // or resizes. The container moves without either when the panel beside the console opens, and
  // clicks would then land where the nodes were: refresh it before each press and each wheel turn.
  for (const type of ["pointerdown", "wheel"]) {
    container.addEventListener(type, () => cy.resize(), { capture: true, passive: true });
  }
  const count = () => container.setAttribute("data-nodes", String(cy.nodes().length));
  count();
  cy.on("tap", "node", (ev: any) => {
    const key = ev.target.id();
    if (key !== opts.center && !key.startsWith("#")) opts.open(key);
  });
  const view: GraphView = {
    png: async () => cy.png({ output: "blob-promise", bg: "#ffffff", full: true, scale: 2 }) as unknown as Promise<Blob>,
    async expand(key) {
      const e = await api.entity(key);
      const added = mergeNeighbours(cy, e);
      cy.layout(layoutOf(opts.layout ?? "concentric")).run();
      keepReadable();
      count();
      return added;
    },
    nodeCount: () => cy.nodes().length,
    destroy: () => cy.destroy(),
  };
  if (opts.expandOnDoubleTap) {
    cy.on("dbltap", "node", (ev: any) => {
      const key = ev.target.id();
      if (!key.startsWith("#")) view.expand(key).catch(() => undefined);
    });
  }
  return view;
}

function layoutOf(name: "concentric" | "cose"): cytoscape.LayoutOptions {
  if (name === "cose") return { name: "cose", animate: false, nodeRepulsion: () => 40000, idealEdgeLength: () => 90, randomize: false } as any;
  return {
    name: "concentric",
    concentric: (n: any) => (n.data("center") ? 2 : 1),
    levelWidth: () => 1,
    minNodeSpacing: 18,
    animate: false,
  } as any;
}

/** Adds an entity's neighbours and their relationships; returns how many nodes were new. */
function mergeNeighbours(cy: cytoscape.Core, e: EntityResponse): number {
  let added = 0;
  const all = [{ key: e.key, name: e.name, labels: e.labels }, ...e.neighbours.nodes];
  for (const n of all) {
    if (cy.getElementById(n.key).nonempty()) continue;
    cy.add(nodeData({ key: n.key, name: n.name, label: n.labels[0] ?? "" }, false));
    added++;
  }
  for (const r of e.neighbours.relationships) {
    const edge = { from: r.from, to: r.to, type: r.type };
    if (cy.getElementById(edgeId(edge)).nonempty()) continue;
    if (cy.getElementById(r.from).empty() || cy.getElementById(r.to).empty()) continue;
    cy.add({ data: { id: edgeId(edge), source: r.from, target: r.to, type: r.type } });
  }
  return added;
}

/** An entity's neighbourhood, for the panel. */
export function renderGraph(container: HTMLElement, e: EntityResponse, open: (key: string) => void): GraphView {
  return drawGraph(container, {
    nodes: [{ key: e.key, name: e.name, label: e.labels[0] ?? "" },
      ...e.neighbours.nodes.map((n) => ({ key: n.key, name: n.name, label: n.labels[0] ?? "" }))],
    edges: e.neighbours.relationships.map((r) => ({ from: r.from, to: r.to, type: r.type })),
  }, { open, center: e.key });
}
