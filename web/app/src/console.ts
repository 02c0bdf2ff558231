// The query console: a textarea, Run (or Ctrl+Enter), POST /api/query, and the result as a table. An error
// with a place (line, column) is marked in the text: the caret moves there and a highlight layer behind
// the textarea marks the character.

import { api, ApiError, type QueryResponse } from "./api";
import { h, replace, $ } from "./dom";
import { renderValue, type OpenEntity } from "./values";
import type { GraphEdge, GraphModel, GraphNode, GraphView } from "./graph";
import { LEGEND_LABELS, LABEL_SHAPE } from "./colors";
import { downloadBlob } from "./export";

export const EXAMPLES: { title: string; query: string }[] = [
  { title: "Actors", query: "MATCH (a:Actor)\nRETURN a.name, a.actor_kind, a\nORDER BY a.name\nLIMIT 20" },
  { title: "Who imposed which control", query: "MATCH (a:Actor)-[r:IMPOSED]->(c:Control)\nRETURN a.name, r.role, c.name, r.valid_from\nORDER BY c.name" },
  { title: "Events from October 2025", query: "MATCH (e:Event)\nWHERE e.date >= '2025-10'\nRETURN e.date, e.title, e.event_kind\nORDER BY e.date" },
  { title: "What affected each control", query: "MATCH (e:Event)-[r:AFFECTS]->(c:Control)\nRETURN c.name, r.effect, e.date, e.title\nORDER BY e.date" },
  { title: "Events per kind", query: "MATCH (e:Event)\nRETURN e.event_kind AS kind, count(*) AS n\nORDER BY n DESC" },
  { title: "A graph: what affected China's controls", query: "MATCH (a:Actor {key: 'actor/china'})-[i:IMPOSED]->(c:Control)<-[r:AFFECTS]-(e:Event)\nRETURN a, i, c, r, e\nLIMIT 40" },
];

/**
 * The nodes and relationships in a query result (nodes, relationships and paths, also inside lists and
 * maps), as a graph. Relationships name their ends by node id; an end the result does not hold is left
 * out with its relationship.
 */
export function resultGraph(rows: unknown[][]): GraphModel & { relsWithoutEnds: number } {
  const nodes = new Map<string, GraphNode>();
  const idToKey = new Map<number, string>();
  const rels: { id: number; start: number; end: number; type: string }[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (depth > 6 || v === null || typeof v !== "object") return;
    if (Array.isArray(v)) return v.forEach((x) => visit(x, depth + 1));
    const o = v as Record<string, any>;
    if (o.$node && typeof o.$node === "object") {
      const n = o.$node;
      const key = typeof n.key === "string" ? n.key : `#${n.id}`;
      idToKey.set(Number(n.id), key);
      const p = n.properties ?? {};
      nodes.set(key, { key, name: String(p.name ?? p.title ?? n.key ?? `#${n.id}`), label: n.labels?.[0] ?? "" });
    } else if (o.$rel && typeof o.$rel === "object") {
      rels.push({ id: Number(o.$rel.id), start: Number(o.$rel.start), end: Number(o.$rel.end), type: String(o.$rel.type) });
    } else if (o.$path && typeof o.$path === "object") {
      visit(o.$path.nodes, depth + 1);
      visit(o.$path.relationships, depth + 1);
    } else {
      for (const x of Object.values(o)) visit(x, depth + 1);
    }
  };
  visit(rows, 0);
  const edges: GraphEdge[] = [];
  let relsWithoutEnds = 0;
  const seen = new Set<number>();
  for (const r of rels) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    const from = idToKey.get(r.start), to = idToKey.get(r.end);
    if (from && to) edges.push({ from, to, type: r.type });
    else relsWithoutEnds++;
  }
  return { nodes: [...nodes.values()], edges, relsWithoutEnds };
}

/** The character offset of (line, column), both 1-based; columns count code points. */
export function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split("\n");
  let off = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length); i++) off += lines[i].length + 1;
  const cur = lines[Math.min(line - 1, lines.length - 1)] ?? "";
  const cps = Array.from(cur).slice(0, Math.max(0, column - 1)).join("");
  return Math.min(off + cps.length, text.length);
}

export function createConsole(root: HTMLElement, open: OpenEntity) {
  const input = $("#query-text", root) as HTMLTextAreaElement;
  const backdrop = $("#query-backdrop", root);
  const runBtn = $("#query-run", root) as HTMLButtonElement;
  const examples = $("#query-examples", root) as HTMLSelectElement;
  const out = $("#query-result", root);
  let ctrl: AbortController | null = null;
  let errorAt: number | null = null;
  let graph: GraphView | null = null;

  for (const [i, ex] of EXAMPLES.entries()) examples.appendChild(h("option", { value: String(i) }, ex.title));
  examples.addEventListener("change", () => {
    const ex = EXAMPLES[Number(examples.value)];
    if (ex) {
      input.value = ex.query;
      clearMark();
      input.focus();
    }
    examples.value = "";
  });

  function paintBackdrop() {
    const text = input.value;
    if (errorAt === null) {
      replace(backdrop, text + "\n");
    } else {
      const at = Math.min(errorAt, text.length);
      const ch = text.slice(at, at + 1);
      const mark = h("mark", { class: "err-mark" }, ch && ch !== "\n" ? ch : " ");
      replace(backdrop, text.slice(0, at), mark, text.slice(at + (ch && ch !== "\n" ? 1 : 0)) + "\n");
    }
    backdrop.scrollTop = input.scrollTop;
    backdrop.scrollLeft = input.scrollLeft;
  }

  function clearMark() {
    errorAt = null;
    input.removeAttribute("aria-invalid");
    paintBackdrop();
  }

  input.addEventListener("input", clearMark);
  input.addEventListener("scroll", () => {
    backdrop.scrollTop = input.scrollTop;
    backdrop.scrollLeft = input.scrollLeft;
  });
  input.addEventListener("keydown", (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") {
      ev.preventDefault();
      run();
    }
  });
  runBtn.addEventListener("click", () => run());

  function showResult(res: QueryResponse) {
    const meta = h("p", { class: "query-meta", role: "status" },
      `${res.rows.length} row${res.rows.length === 1 ? "" : "s"} · ${res.elapsed_ms} ms`,
      res.truncated ? h("strong", { class: "warn" }, " · truncated by the server's row limit") : null);
    if (!res.columns.length || !res.rows.length) {
      replace(out, meta, h("p", { class: "empty" }, "The query returned no rows."));
      return;
    }
    const table = h("table", { class: "result" },
      h("thead", null, h("tr", null, res.columns.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, res.rows.map((row) => h("tr", null, row.map((v) => h("td", null, renderValue(v, open)))))));
    const model = resultGraph(res.rows);
    if (!model.nodes.length) {
      replace(out, meta, h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Query result" }, table));
      return;
    }
    // Nodes, relationships or paths: drawn as a graph beside the table.
    const box = h("div", { class: "graph query-graph", role: "img",
      "aria-label": `The result as a graph: ${model.nodes.length} nodes and ${model.edges.length} relationships, also in the table` });
    const pngButton = h("button", { type: "button", class: "secondary small-btn", disabled: true,
      onclick: async () => { if (graph) downloadBlob(await graph.png(), "lodestone-query-graph.png"); } }, "Download graph as PNG");
    const legend = h("ul", { class: "graph-legend", "aria-label": "Node colours and shapes" },
      LEGEND_LABELS.map((l) =>
        h("li", null, h("span", { class: `node-sw node-${l} shape-${LABEL_SHAPE[l]}`, "aria-hidden": "true" }), l)));
    const figure = h("figure", { class: "query-graph-box" }, box,
      h("figcaption", { class: "muted small" },
        `${model.nodes.length} node${model.nodes.length === 1 ? "" : "s"}, ${model.edges.length} relationship${model.edges.length === 1 ? "" : "s"}`,
        model.relsWithoutEnds ? ` (${model.relsWithoutEnds} more whose ends the result does not hold)` : "",
        ". Click a node to open it, double-click to add its neighbours. ", pngButton, legend));
    replace(out, meta, h("div", { class: "result-split" }, h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Query result" }, table), figure));
    import("./graph").then(({ drawGraph }) => {
      if (!box.isConnected) return;
      graph = drawGraph(box, model, { open, expandOnDoubleTap: true, layout: "cose" });
      pngButton.disabled = false;
    }).catch((err) => replace(box, h("p", { class: "error" }, `The graph could not be drawn: ${err.message}`)));
  }

  function showError(err: ApiError, text: string) {
    const place = err.line ? `line ${err.line}, column ${err.column ?? 1}` : null;
    const parts: HTMLElement[] = [
      h("p", null, h("strong", null, `${err.kind}${err.status ? ` (${err.status})` : ""}: `), err.message),
    ];
    if (place) {
      errorAt = offsetOf(text, err.line!, err.column ?? 1);
      input.setAttribute("aria-invalid", "true");
      paintBackdrop();
      parts.push(h("p", null, h("button", {
        type: "button", class: "linklike goto-error",
        onclick: () => {
          input.focus();
          input.setSelectionRange(errorAt!, Math.min(errorAt! + 1, input.value.length));
        },
      }, `Go to ${place}`)));
      const lineText = text.split("\n")[err.line! - 1] ?? "";
      const caretLine = " ".repeat(Math.max(0, (err.column ?? 1) - 1)) + "^";
      parts.push(h("pre", { class: "caret" }, err.formatted ?? `${place}\n${lineText}\n${caretLine}`));
    } else if (err.formatted) {
      parts.push(h("pre", { class: "caret" }, err.formatted));
    }
    replace(out, h("div", { class: "error", role: "alert", "data-line": err.line ?? null, "data-column": err.column ?? null }, parts));
  }

  async function run() {
    const text = input.value;
    if (!text.trim()) {
      replace(out, h("p", { class: "empty" }, "Write a query first, e.g. pick one from Examples."));
      return;
    }
    ctrl?.abort();
    ctrl = new AbortController();
    graph?.destroy();
    graph = null;
    clearMark();
    runBtn.disabled = true;
    root.setAttribute("aria-busy", "true");
    replace(out, h("p", { class: "muted", role: "status" }, "Running…"));
    try {
      showResult(await api.query(text, {}, ctrl.signal));
    } catch (e) {
      if ((e as Error).name === "AbortError") return;
      showError(e instanceof ApiError ? e : new ApiError(0, "Error", String(e)), text);
    } finally {
      runBtn.disabled = false;
      root.removeAttribute("aria-busy");
    }
  }

  paintBackdrop();
  return { run };
}
