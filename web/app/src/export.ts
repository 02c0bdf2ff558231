// Exports of the current view: files downloaded from the page, and the timeline as a picture.
//
// The picture is what the timeline shows now: its lanes, time axis and drawn items, redrawn as SVG from
// their places on screen (vis-timeline draws HTML, not SVG). The PNG is that SVG drawn on a canvas; the
// image is loaded from a data: URL, which the page's CSP allows (`img-src 'self' data:`).

const SVG_NS = "http://www.w3.org/2000/svg";

export function downloadBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "item";
}

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * The lines of text an element shows, each with its place: words grouped by the line box they are on. Words
 * that the element clips (a title cut with an ellipsis) are left out, and the line then ends with "…".
 */
function textLines(root: Element): { x: number; y: number; text: string }[] {
  const lines: { x: number; y: number; text: string; cut?: boolean }[] = [];
  const clip = getComputedStyle(root).overflowX === "hidden" ? root.getBoundingClientRect() : null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent ?? "";
    const re = /\S+/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      const r = range.getBoundingClientRect();
      if (!r.width) continue;
      const last = lines[lines.length - 1];
      if (clip && r.right > clip.right + 1) {
        if (last && !last.cut) {
          last.text += " …";
          last.cut = true;
        }
        continue;
      }
      if (last && Math.abs(last.y - r.bottom) < 3 && r.left >= last.x) last.text += " " + m[0];
      else lines.push({ x: r.left, y: r.bottom, text: m[0] });
    }
  }
  return lines;
}

function visible(r: DOMRect, box: DOMRect): boolean {
  return r.width > 0 && r.height > 0 && r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
}

/** The timeline as drawn now, as an SVG document (text). */
export function timelineSvg(container: HTMLElement, title: string): { svg: string; width: number; height: number } {
  const box = container.getBoundingClientRect();
  const head = 28;
  const width = Math.round(box.width);
  const height = Math.round(box.height) + head;
  const root = el("svg", { xmlns: SVG_NS, width, height, viewBox: `0 0 ${width} ${height}`, "font-family": "DejaVu Sans, Arial, sans-serif" });
  const defs = el("defs", {});
  const hatch = el("pattern", { id: "hatch", width: 8, height: 8, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
  hatch.appendChild(el("rect", { width: 8, height: 8, fill: "#ffffff" }));
  hatch.appendChild(el("rect", { width: 3, height: 8, fill: "#9db8dc" }));
  defs.appendChild(hatch);
  root.appendChild(defs);
  root.appendChild(el("rect", { width, height, fill: "#ffffff" }));
  root.appendChild(el("text", { x: 8, y: 19, "font-size": 14, "font-weight": 700, fill: "#1b1f24" }, title));
  const g = el("g", { transform: `translate(${-box.left}, ${head - box.top})` });
  root.appendChild(g);
  const center = container.querySelector(".vis-panel.vis-center")?.getBoundingClientRect() ?? box;

  // Lanes: their names and the lines between them.
  for (const lane of container.querySelectorAll(".vis-labelset .vis-label")) {
    const r = lane.getBoundingClientRect();
    if (!visible(r, box)) continue;
    g.appendChild(el("line", { x1: box.left, x2: box.right, y1: r.bottom, y2: r.bottom, stroke: "#d0d7de" }));
    for (const l of textLines(lane)) g.appendChild(el("text", { x: l.x, y: l.y - 3, "font-size": 11, fill: "#1b1f24" }, l.text));
  }
  // The axis: major and minor grid lines and their labels.
  for (const line of container.querySelectorAll(".vis-time-axis .vis-grid")) {
    const r = line.getBoundingClientRect();
    if (r.left < center.left || r.left > center.right) continue;
    const major = line.classList.contains("vis-major");
    g.appendChild(el("line", { x1: r.left, x2: r.left, y1: r.top, y2: center.bottom, stroke: major ? "#b8c0c8" : "#e5e8eb" }));
  }
  for (const t of container.querySelectorAll(".vis-time-axis .vis-text")) {
    const r = t.getBoundingClientRect();
    if (!visible(r, center) && !visible(r, box)) continue;
    if (r.left < center.left) continue;
    g.appendChild(el("text", { x: r.left + 4, y: r.bottom - 5, "font-size": 11, fill: "#55606e" }, t.textContent ?? ""));
  }
  // Items: bands, bars and points, then their text; those drawn on top (a bar's name, an imprecise event's
  // label) last, as on screen.
  const z = (e: Element) => Number(getComputedStyle(e).zIndex) || 0;
  const items = [...container.querySelectorAll(".vis-item")].map((e, i) => ({ e, i, z: z(e) }))
    .sort((a, b) => a.z - b.z || a.i - b.i).map((x) => x.e);
  for (const item of items) {
    const r = item.getBoundingClientRect();
    if (!visible(r, center)) continue;
    const cs = getComputedStyle(item);
    const x = Math.max(r.left, center.left);
    const w = Math.min(r.right, center.right) - x;
    if (item.classList.contains("vis-dot")) {
      g.appendChild(el("circle", { cx: r.left + r.width / 2, cy: r.top + r.height / 2, r: Math.max(r.width, 8) / 2, fill: cs.borderTopColor }));
      continue;
    }
    if (item.classList.contains("vis-point")) {
      // A point's text sits beside its dot; it has no box of its own.
    } else {
      const hatched = cs.backgroundImage !== "none";
      const fill = hatched ? "url(#hatch)" : cs.backgroundColor;
      const rect = el("rect", { x, y: r.top, width: Math.max(w, 1), height: r.height, rx: 3, fill, stroke: cs.borderTopColor, "stroke-width": 1 });
      if (cs.borderTopStyle === "dashed") rect.setAttribute("stroke-dasharray", "4 3");
      if (item.classList.contains("fringe") || item.classList.contains("imprecise")) rect.setAttribute("fill", hatched ? "url(#hatch)" : fill);
      if (item.classList.contains("st-suspended") && !item.classList.contains("fringe")) rect.setAttribute("fill", cs.borderTopColor);
      g.appendChild(rect);
    }
    const content = item.querySelector(".item-text") ?? item.querySelector(".vis-item-content");
    if (!content) continue;
    const cr = content.getBoundingClientRect();
    if (cr.width && getComputedStyle(content).backgroundColor !== "rgba(0, 0, 0, 0)" && item.classList.contains("vis-range")) {
      g.appendChild(el("rect", { x: cr.left, y: cr.top, width: Math.min(cr.width, center.right - cr.left), height: cr.height, fill: "#ffffff", "fill-opacity": 0.9, rx: 3 }));
    }
    const color = getComputedStyle(content).color;
    for (const l of textLines(content)) {
      if (l.x > center.right) continue;
      g.appendChild(el("text", { x: l.x, y: l.y - 3, "font-size": 11, fill: color }, l.text));
    }
  }
  return { svg: new XMLSerializer().serializeToString(root), width, height };
}

/** Draws an SVG document on a canvas, at twice its size, and returns it as a PNG. */
export function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = width * scale;
      canvas.height = height * scale;
      const ctx = canvas.getContext("2d");
      if (!ctx) return reject(new Error("no canvas"));
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0, width, height);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("the PNG could not be made"))), "image/png");
    };
    img.onerror = () => reject(new Error("the SVG could not be drawn"));
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
  });
}
