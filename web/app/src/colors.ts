// The colour and shape of an entity in the graphs. The colours live in styles.css (`--node-<Label>`, the
// timeline's own colours: events as its event points, controls as in-force bars, agreements and projects as
// active bars); a label has a shape too, so colour is not the only thing telling labels apart.

export const LABEL_SHAPE: Record<string, string> = {
  Actor: "ellipse",
  Event: "diamond",
  Control: "round-rectangle",
  Agreement: "hexagon",
  Project: "triangle",
  Announcement: "rectangle",
  Source: "vee",
  Material: "octagon",
  Product: "octagon",
  HsCode: "tag",
  Claim: "star",
  Observation: "barrel",
  Variant: "rhomboid",
};

/** The labels the graph legend explains, in order. */
export const LEGEND_LABELS = ["Actor", "Event", "Control", "Agreement", "Project", "Announcement", "Source", "Material"];

const cache = new Map<string, string>();

/** `--node-<label>` from styles.css, else `--node-other`. */
export function labelColor(label: string): string {
  let c = cache.get(label);
  if (c === undefined) {
    const css = getComputedStyle(document.documentElement);
    c = css.getPropertyValue(`--node-${label}`).trim() || css.getPropertyValue("--node-other").trim() || "#444";
    cache.set(label, c);
  }
  return c;
}
