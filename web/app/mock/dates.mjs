// Dates with precision (docs/schema.md, "Dates with precision"): each denotes a half-open interval of days.

const FORMS = [
  [/^(\d{4})-(\d{2})-(\d{2})$/, "day"],
  [/^(\d{4})-(\d{2})$/, "month"],
  [/^(\d{4})-Q([1-4])$/, "quarter"],
  [/^(\d{4})-H([12])$/, "half"],
  [/^(\d{4})$/, "year"],
];

function iso(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Parses date text; returns {value, precision, start, end, startMs, endMs} or null when malformed. */
export function parseDate(text) {
  if (typeof text !== "string") return null;
  for (const [re, precision] of FORMS) {
    const m = re.exec(text);
    if (!m) continue;
    const y = Number(m[1]);
    let s, e;
    switch (precision) {
      case "day": {
        const mo = Number(m[2]), d = Number(m[3]);
        s = Date.UTC(y, mo - 1, d);
        if (new Date(s).getUTCDate() !== d || mo < 1 || mo > 12) return null;
        e = Date.UTC(y, mo - 1, d + 1);
        break;
      }
      case "month": {
        const mo = Number(m[2]);
        if (mo < 1 || mo > 12) return null;
        s = Date.UTC(y, mo - 1, 1); e = Date.UTC(y, mo, 1);
        break;
      }
      case "quarter": {
        const q = Number(m[2]);
        s = Date.UTC(y, (q - 1) * 3, 1); e = Date.UTC(y, q * 3, 1);
        break;
      }
      case "half": {
        const h = Number(m[2]);
        s = Date.UTC(y, (h - 1) * 6, 1); e = Date.UTC(y, h * 6, 1);
        break;
      }
      default:
        s = Date.UTC(y, 0, 1); e = Date.UTC(y + 1, 0, 1);
    }
    return { value: text, precision, start: iso(s), end: iso(e), startMs: s, endMs: e };
  }
  return null;
}

/** The JSON form of a date in API responses. */
export function dateJson(d) {
  return d ? { value: d.value, precision: d.precision, start: d.start, end: d.end } : null;
}

export function cmpDate(a, b) {
  return a.startMs - b.startMs || a.endMs - b.endMs;
}

const DAY = 86400000;
/** The fact certainly covers day-interval d: latest possible start <= d.start, earliest possible end >= d.end. */
export function certainlyCovers(from, to, d) {
  return from.endMs - DAY <= d.startMs && (!to || to.startMs >= d.endMs);
}
/** The fact possibly touches d. */
export function possiblyTouches(from, to, d) {
  return from.startMs < d.endMs && (!to || to.endMs - DAY > d.startMs);
}
