// Browser plumbing for the e2e tests: Debian's Chromium through playwright-core (no browser download), a
// page that records console errors, page errors, CSP violations and dialogs, and screenshots.

import { chromium } from "playwright-core";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BASE = (process.env.LODESTONE_URL ?? "http://127.0.0.1:8099").replace(/\/+$/, "");
export const ARTIFACTS = process.env.E2E_ARTIFACTS ?? join(dirname(fileURLToPath(import.meta.url)), "artifacts");
mkdirSync(ARTIFACTS, { recursive: true });

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** A persistent context in a fresh profile directory, so no state leaks between runs. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "lodestone-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    viewport: { width: 1280, height: 800 },
  });
  // Every page reports CSP violations through this binding (added before any page script runs).
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const w = /** @type {any} */ (window);
      (w.__cspViolations ??= []).push(`${e.violatedDirective} blocked ${e.blockedURI || "(inline)"} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens a page that collects problems: console errors and warnings, page errors, failed requests, dialogs. */
export async function openPage(context, { width = 1280, height = 800, allowErrors = [] } = {}) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  const problems = [];
  const dialogs = [];
  page.on("console", (m) => {
    if (m.type() !== "error" && m.type() !== "warning") return;
    const text = m.text();
    if (allowErrors.some((re) => re.test(text))) return;
    problems.push(`console.${m.type()}: ${text}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("dialog", async (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  page.on("requestfailed", (r) => {
    const err = r.failure()?.errorText ?? "";
    if (err.includes("ERR_ABORTED")) return; // superseded fetches are aborted on purpose
    if (allowErrors.some((re) => re.test(r.url()) || re.test(err))) return;
    problems.push(`request failed: ${r.url()} ${err}`);
  });
  return {
    page,
    problems,
    dialogs,
    async cspViolations() {
      return page.evaluate(() => /** @type {any} */ (window).__cspViolations ?? []).catch(() => []);
    },
    /** Everything that went wrong on the page; the tests assert it is empty. */
    async allProblems() {
      return [...problems, ...dialogs.map((d) => `dialog ${d}`), ...(await this.cspViolations()).map((v) => `CSP: ${v}`)];
    },
  };
}

export async function shot(page, name, fullPage = false) {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

export async function apiGet(path) {
  const res = await fetch(BASE + path, { headers: { Accept: "application/json" } });
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Every item of a timeline query, following `next`. */
export async function apiTimeline(params = "") {
  const p = new URLSearchParams(params);
  p.set("limit", "1000");
  const all = { events: [], periods: [], total: 0 };
  for (;;) {
    const page = await apiGet(`/api/timeline?${p}`);
    all.events.push(...page.events);
    all.periods.push(...page.periods);
    all.total = page.total;
    if (!page.next) break;
    p.set("cursor", page.next);
  }
  all.keys = new Set([...all.events, ...all.periods].map((x) => x.key));
  return all;
}
