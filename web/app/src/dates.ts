// Dates with precision: display text and the interval a date denotes (docs/schema.md).

import type { ApiDate } from "./api";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY_MS = 86400000;

export function ms(day: string): number {
  return Date.parse(day + "T00:00:00Z");
}

function dayText(t: number): string {
  const d = new Date(t);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "30 Oct 2025", "Oct 2025", "Q1 2026", "H1 2026", "2025". */
export function formatDate(d: ApiDate | null | undefined): string {
  if (!d) return "—";
  const s = new Date(ms(d.start));
  const y = s.getUTCFullYear();
  switch (d.precision) {
    case "day": return dayText(ms(d.start));
    case "month": return `${MONTHS[s.getUTCMonth()]} ${y}`;
    case "quarter": return `Q${Math.floor(s.getUTCMonth() / 3) + 1} ${y}`;
    case "half": return `H${s.getUTCMonth() < 6 ? 1 : 2} ${y}`;
    case "year": return String(y);
    default: return d.value;
  }
}

/** "month precision: 1 Oct 2025 – 31 Oct 2025" (the end shown inclusive). */
export function precisionNote(d: ApiDate): string {
  if (d.precision === "day") return "exact day";
  return `${d.precision} precision: somewhere in ${dayText(ms(d.start))} – ${dayText(ms(d.end) - DAY_MS)}`;
}

const FORMS: [RegExp, ApiDate["precision"]][] = [
  [/^(\d{4})-(\d{2})-(\d{2})$/, "day"],
  [/^(\d{4})-(\d{2})$/, "month"],
  [/^(\d{4})-Q([1-4])$/, "quarter"],
  [/^(\d{4})-H([12])$/, "half"],
  [/^(\d{4})$/, "year"],
];

function iso(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** Parses date text as the API accepts it ("2025-10-30", "2025-10", "2026-Q1", "2026-H1", "2025"). */
export function parseDateText(text: string): ApiDate | null {
  const v = text.trim().toUpperCase().replace(/^(\d{4})-([QH])/, "$1-$2");
  for (const [re, precision] of FORMS) {
    const m = re.exec(v);
    if (!m) continue;
    const y = Number(m[1]);
    let s: number, e: number;
    if (precision === "day") {
      const mo = Number(m[2]), d = Number(m[3]);
      s = Date.UTC(y, mo - 1, d);
      if (mo < 1 || mo > 12 || new Date(s).getUTCDate() !== d) return null;
      e = s + DAY_MS;
    } else if (precision === "month") {
      const mo = Number(m[2]);
      if (mo < 1 || mo > 12) return null;
      s = Date.UTC(y, mo - 1, 1); e = Date.UTC(y, mo, 1);
    } else if (precision === "quarter") {
      const q = Number(m[2]); s = Date.UTC(y, (q - 1) * 3, 1); e = Date.UTC(y, q * 3, 1);
    } else if (precision === "half") {
      const hh = Number(m[2]); s = Date.UTC(y, (hh - 1) * 6, 1); e = Date.UTC(y, hh * 6, 1);
    } else {
      s = Date.UTC(y, 0, 1); e = Date.UTC(y + 1, 0, 1);
    }
    return { value: v, precision, start: iso(s), end: iso(e) };
  }
  return null;
}

export function isoDay(t: number): string {
  return iso(t);
}

/** Record times: "2026-11-28 10:00 UTC". */
export function formatInstant(s: string | null | undefined): string {
  if (!s) return "—";
  const t = Date.parse(s);
  if (Number.isNaN(t)) return s;
  return new Date(t).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
