// Renders the API's JSON values (docs/api.md "Values") compactly as DOM: tagged dates, nodes,
// relationships, paths, big integers and non-finite floats. Everything is text; nodes are buttons that
// open the entity.

import { h, type Child } from "./dom";

export type OpenEntity = (key: string) => void;

type Tagged = Record<string, any>;

function isTag(v: unknown, tag: string): v is Tagged {
  return typeof v === "object" && v !== null && !Array.isArray(v) && tag in v && Object.keys(v).length === 1;
}

function nodeName(n: Tagged): string {
  const p = n.properties ?? {};
  return String(p.name ?? p.title ?? n.key ?? `#${n.id}`);
}

export function renderValue(v: unknown, open?: OpenEntity, depth = 0): Child {
  if (v === null || v === undefined) return h("span", { class: "v-null" }, "null");
  if (typeof v === "string") return h("span", { class: "v-str" }, v);
  if (typeof v === "number") return h("span", { class: "v-num" }, String(v));
  if (typeof v === "boolean") return h("span", { class: "v-bool" }, String(v));
  if (Array.isArray(v)) {
    if (depth > 3) return h("span", { class: "v-more" }, `[${v.length} items]`);
    const parts: Child[] = [];
    v.forEach((x, i) => {
      if (i) parts.push(h("span", { class: "v-sep" }, ", "));
      parts.push(renderValue(x, open, depth + 1));
    });
    return h("span", { class: "v-list" }, "[", parts, "]");
  }
  if (typeof v === "object") {
    if (isTag(v, "$date")) return h("span", { class: "v-date" }, String(v.$date));
    if (isTag(v, "$datetime")) return h("span", { class: "v-date" }, String(v.$datetime));
    if (isTag(v, "$int")) return h("span", { class: "v-num" }, String(v.$int));
    if (isTag(v, "$float")) return h("span", { class: "v-num" }, String(v.$float));
    if (isTag(v, "$node")) return renderNode(v.$node, open);
    if (isTag(v, "$rel")) return renderRel(v.$rel);
    if (isTag(v, "$path")) {
      const nodes: Tagged[] = v.$path.nodes ?? [];
      const rels: Tagged[] = v.$path.relationships ?? [];
      const parts: Child[] = [];
      nodes.forEach((n, i) => {
        parts.push(renderValue(n, open, depth + 1));
        if (rels[i]) parts.push(renderValue(rels[i], open, depth + 1));
      });
      return h("span", { class: "v-path" }, parts);
    }
    if (depth > 3) return h("span", { class: "v-more" }, "{…}");
    const parts: Child[] = [];
    Object.entries(v as object).forEach(([k, x], i) => {
      if (i) parts.push(h("span", { class: "v-sep" }, ", "));
      parts.push(h("span", { class: "v-key" }, k + ": "), renderValue(x, open, depth + 1));
    });
    return h("span", { class: "v-map" }, "{", parts, "}");
  }
  return h("span", null, String(v));
}

function renderNode(n: Tagged, open?: OpenEntity): Child {
  const labels = (n.labels ?? []).join(":");
  const name = nodeName(n);
  const title = `${labels} ${n.key ?? ""} — ${Object.keys(n.properties ?? {}).length} properties`;
  const body = [h("span", { class: "v-label" }, labels), " ", h("span", { class: "v-name" }, name)];
  if (open && n.key) {
    return h("button", { type: "button", class: "v-node linklike", title, "data-key": n.key, onclick: () => open(n.key) }, body);
  }
  return h("span", { class: "v-node", title }, body);
}

function renderRel(r: Tagged): Child {
  const props = r.properties ?? {};
  const extra = Object.keys(props).length ? ` {${Object.keys(props).join(", ")}}` : "";
  return h("span", { class: "v-rel", title: `relationship #${r.id} from #${r.start} to #${r.end}` }, `[:${r.type}${extra}]`);
}
