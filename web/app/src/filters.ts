// The filter bar: an actor combobox over /api/search with removable chips, a kinds menu (types and kinds),
// free text, a date range and the lane mode. It reads and writes a ViewState; main.ts owns navigation.

import { api } from "./api";
import { h, replace, $, debounce } from "./dom";
import { parseDateText } from "./dates";
import { humanKind } from "./timeline";
import type { LaneMode, ViewState } from "./state";

export const KINDS: Record<string, string[]> = {
  Event: ["imposition", "suspension", "reinstatement", "lifting", "talks", "meeting", "announcement", "discussion",
    "signing", "investment", "statement", "trade_data"],
  Control: ["export_control", "export_licensing", "export_ban", "import_restriction", "tariff", "price_floor", "quota",
    "investment_screening"],
  Agreement: ["talks", "summit", "ministerial", "framework", "mou", "truce", "joint_venture", "partnership"],
  Project: ["refinery", "mine", "processing_plant", "magnet_plant", "initiative", "strategy", "fund"],
};
const LABELS = Object.keys(KINDS);

export interface FilterDeps {
  navigate: (patch: Partial<ViewState>) => void;
  current: () => ViewState;
  actorName: (key: string) => string;
  rememberActor: (key: string, name: string) => void;
}

export function createFilters(deps: FilterDeps) {
  const form = $("#filters") as HTMLFormElement;
  const actorInput = $("#actor-input") as HTMLInputElement;
  const options = $("#actor-options");
  const chips = $("#actor-chips");
  const kindsList = $("#kinds-list");
  const kindsSummary = $("#kinds-summary");
  const qInput = $("#q-input") as HTMLInputElement;
  const fromInput = $("#from-input") as HTMLInputElement;
  const toInput = $("#to-input") as HTMLInputElement;
  const lanes = $("#lanes-select") as HTMLSelectElement;
  const filterError = $("#filter-error");
  let results: { key: string; name: string; matched: string }[] = [];
  let active = -1;
  let searchCtrl: AbortController | null = null;

  // Kinds menu: one checkbox per type, then the kinds of each type.
  const typeBoxes = LABELS.map((l) => h("input", { type: "checkbox", value: l, "data-role": "label", id: `label-${l}` }));
  const kindBoxes: HTMLInputElement[] = [];
  replace(kindsList,
    h("fieldset", null, h("legend", null, "Types"),
      LABELS.map((l, i) => h("label", { class: "check", for: `label-${l}` }, typeBoxes[i], l))),
    LABELS.map((l) => h("fieldset", null, h("legend", null, `${l} kinds`),
      KINDS[l].map((k) => {
        const box = h("input", { type: "checkbox", value: k, "data-role": "kind", id: `kind-${l}-${k}` });
        kindBoxes.push(box);
        return h("label", { class: "check", for: `kind-${l}-${k}` }, box, humanKind(k));
      }))));
  kindsList.addEventListener("change", (ev) => {
    const box = ev.target as HTMLInputElement;
    if (box.dataset.role === "kind") for (const b of kindBoxes) if (b.value === box.value) b.checked = box.checked;
    const kinds = [...new Set(kindBoxes.filter((b) => b.checked).map((b) => b.value))];
    const labels = typeBoxes.filter((b) => b.checked).map((b) => b.value);
    deps.navigate({ kinds, labels });
  });

  function closeOptions() {
    options.hidden = true;
    actorInput.setAttribute("aria-expanded", "false");
    actorInput.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function renderOptions() {
    if (!results.length) {
      replace(options, h("li", { class: "none", role: "option", "aria-disabled": "true" }, "No actor matches."));
    } else {
      replace(options, results.map((r, i) => h("li", {
        id: `actor-opt-${i}`, role: "option", "aria-selected": i === active ? "true" : "false", "data-key": r.key,
        class: i === active ? "active" : null,
        onmousedown: (ev: MouseEvent) => { ev.preventDefault(); pick(i); },
      }, h("span", null, r.name), r.matched !== "name" ? h("span", { class: "muted small" }, ` (${r.matched})`) : null)));
    }
    options.hidden = false;
    actorInput.setAttribute("aria-expanded", "true");
    if (active >= 0) actorInput.setAttribute("aria-activedescendant", `actor-opt-${active}`);
    else actorInput.removeAttribute("aria-activedescendant");
  }

  const search = debounce(async (text: string) => {
    searchCtrl?.abort();
    if (!text.trim()) { closeOptions(); return; }
    searchCtrl = new AbortController();
    try {
      const res = await api.search(text.trim(), 25, searchCtrl.signal);
      results = res.results.filter((r) => r.labels.includes("Actor")).slice(0, 10);
      for (const r of results) deps.rememberActor(r.key, r.name);
      active = results.length ? 0 : -1;
      if (document.activeElement === actorInput) renderOptions();
    } catch (e) {
      if ((e as Error).name === "AbortError") return;
      results = [];
      replace(options, h("li", { class: "none error-text", role: "option", "aria-disabled": "true" }, `Search failed: ${(e as Error).message}`));
      options.hidden = false;
    }
  }, 150);

  function pick(i: number) {
    const r = results[i];
    if (!r) return;
    actorInput.value = "";
    closeOptions();
    const cur = deps.current().actors;
    if (!cur.includes(r.key)) deps.navigate({ actors: [...cur, r.key] });
  }

  actorInput.addEventListener("input", () => search(actorInput.value));
  actorInput.addEventListener("blur", () => setTimeout(closeOptions, 100));
  actorInput.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!results.length) return;
      ev.preventDefault();
      active = (active + (ev.key === "ArrowDown" ? 1 : results.length - 1)) % results.length;
      renderOptions();
    } else if (ev.key === "Enter") {
      if (!options.hidden && active >= 0) {
        ev.preventDefault();
        pick(active);
      }
    } else if (ev.key === "Escape") {
      closeOptions();
    }
  });

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const from = fromInput.value.trim();
    const to = toInput.value.trim();
    const fd = from ? parseDateText(from) : null;
    const td = to ? parseDateText(to) : null;
    fromInput.toggleAttribute("aria-invalid", !!from && !fd);
    toInput.toggleAttribute("aria-invalid", !!to && !td);
    if ((from && !fd) || (to && !td)) {
      filterError.textContent = `Not a date: ${[from && !fd ? `"${from}"` : "", to && !td ? `"${to}"` : ""].filter(Boolean).join(" and ")}.`;
      return;
    }
    if (fd && td && fd.start >= td.end) {
      filterError.textContent = "The range ends before it starts.";
      return;
    }
    filterError.textContent = "";
    deps.navigate({ q: qInput.value.trim(), from: fd?.value ?? "", to: td?.value ?? "", win: null });
  });
  lanes.addEventListener("change", () => deps.navigate({ lanes: lanes.value as LaneMode }));
  $("#reset").addEventListener("click", () => {
    filterError.textContent = "";
    deps.navigate({ actors: [], kinds: [], labels: [], q: "", from: "", to: "", win: null });
  });

  return {
    /** Shows a state in the controls. */
    sync(s: ViewState) {
      replace(chips, s.actors.map((key) => {
        const name = deps.actorName(key);
        return h("li", { class: "chip actor-chip", "data-key": key }, name,
          h("button", {
            type: "button", class: "chip-remove", "aria-label": `Remove ${name}`, title: `Remove ${name}`,
            onclick: () => deps.navigate({ actors: deps.current().actors.filter((k) => k !== key) }),
          }, "×"));
      }));
      for (const b of kindBoxes) b.checked = s.kinds.includes(b.value);
      for (const b of typeBoxes) b.checked = s.labels.includes(b.value);
      const n = s.kinds.length + s.labels.length;
      kindsSummary.textContent = n ? [...s.labels, ...s.kinds.map(humanKind)].join(", ") : "All kinds";
      if (document.activeElement !== qInput) qInput.value = s.q;
      fromInput.value = s.from;
      toInput.value = s.to;
      fromInput.removeAttribute("aria-invalid");
      toInput.removeAttribute("aria-invalid");
      lanes.value = s.lanes;
    },
  };
}
