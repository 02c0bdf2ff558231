// The neighbourhood graph of an entity (cytoscape, loaded on demand so it is not in the first bundle).
// Cytoscape draws on a canvas and styles it through the CSSOM, which CSP allows; the one thing it would
// do that `style-src 'self'` forbids is insert a <style> element (`.__________cytoscape_container
// { position: relative }`). It skips that when an element with the id below exists, so we provide one and
// ship the rule in styles.css instead.

import cytoscape from "cytoscape";
import type { EntityResponse } from "./api";

const SENTINEL_ID = "__________cytoscape_stylesheet";

const COLORS: Record<string, string> = {
  Actor: "#1f5fa8",
  Control: "#b3261e",
  Agreement: "#1d7a46",
  Project: "#7a4fb0",
  Event: "#9a6700",
  Source: "#5f6368",
  Material: "#00707a",
};

function short(s: string, n = 34): string {
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}

export function renderGraph(container: HTMLElement, e: EntityResponse, open: (key: string) => void): () => void {
  if (!document.getElementById(SENTINEL_ID)) {
    const meta = document.createElement("meta");
    meta.id = SENTINEL_ID;
    meta.name = "cytoscape-stylesheet";
    meta.content = "provided by styles.css";
    document.head.appendChild(meta);
  }
  const nodes = new Map<string, { key: string; name: string; label: string }>();
  nodes.set(e.key, { key: e.key, name: e.name, label: e.labels[0] ?? "" });
  for (const n of e.neighbours.nodes) nodes.set(n.key, { key: n.key, name: n.name, label: n.labels[0] ?? "" });
  const seen = new Set<string>();
  const edges = e.neighbours.relationships
    .filter((r) => nodes.has(r.from) && nodes.has(r.to))
    .filter((r) => {
      const k = `${r.type}|${r.from}|${r.to}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map((r, i) => ({ data: { id: `e${i}`, source: r.from, target: r.to, type: r.type } }));

  const cy = cytoscape({
    container,
    elements: [
      ...[...nodes.values()].map((n) => ({
        data: { id: n.key, name: short(n.name), color: COLORS[n.label] ?? "#444", center: n.key === e.key ? 1 : 0 },
      })),
      ...edges,
    ],
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(color)",
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
    layout: {
      name: "concentric",
      concentric: (n: any) => (n.data("center") ? 2 : 1),
      levelWidth: () => 1,
      minNodeSpacing: 18,
      animate: false,
    } as any,
    boxSelectionEnabled: false,
    minZoom: 0.3,
    maxZoom: 3,
  });
  // A few nodes would be fitted at a huge zoom; keep labels at a readable size.
  if (cy.zoom() > 1.4) {
    cy.zoom(1.4);
    cy.center();
  }
  cy.on("tap", "node", (ev: any) => {
    const key = ev.target.id();
    if (key !== e.key) open(key);
  });
  return () => cy.destroy();
}
