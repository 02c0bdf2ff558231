import { chromium } from "playwright-core";
const url = process.argv[2] ?? "http://127.0.0.1:8099/";
const out = process.argv[3] ?? "/tmp/shot.png";
const w = Number(process.argv[4] ?? 1280), hgt = Number(process.argv[5] ?? 800);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
const page = await browser.newPage({ viewport: { width: w, height: hgt } });
page.on("console", (m) => console.log("console", m.type(), m.text()));
page.on("pageerror", (e) => console.log("pageerror", e.message));
await page.exposeFunction("__cspv", (s) => console.log("CSP", s));
await page.addInitScript(() => document.addEventListener("securitypolicyviolation", (e) => window.__cspv(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`)));
await page.goto(url);
await page.waitForTimeout(1500);
if (process.argv[6]) { await page.click(process.argv[6]); await page.waitForTimeout(1500); }
await page.screenshot({ path: out, fullPage: process.argv[7] === "full" });
await browser.close();
