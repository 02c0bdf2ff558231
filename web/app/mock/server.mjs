#!/usr/bin/env node
// Mock Lodestone server: serves the built page (dist/) and the JSON API of docs/api.md from the fixtures,
// with the Content-Security-Policy the real server sends, so the browser tests catch CSP violations.
//
//   node mock/server.mjs [--port 8099] [--host 127.0.0.1] [--dist dist] [--today 2026-11-28] [--delay-ms 0]
//
// Env: PORT, HOST, MOCK_TODAY, MOCK_DELAY_MS likewise. Prints "mock listening on http://HOST:PORT" once ready.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Graph, ApiError } from "./graph.mjs";
import { parseDate } from "./dates.mjs";
import { runQuery } from "./query.mjs";
import { allItems, diff, parseRecordTime, refusePaging, toCsv, toJsonLines } from "./export.mjs";

const here = dirname(fileURLToPath(import.meta.url));

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

function arg(name, env, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  if (i > 0 && process.argv[i + 1] !== undefined) return process.argv[i + 1];
  return process.env[env] ?? dflt;
}

// The imports, in record-time order: [files, origin, record time].
const IMPORTS = [
  [[join(here, "fixtures/seed.jsonl"), join(here, "fixtures/commodities.jsonl")], "seed/lodestone-seed.jsonl", "2026-11-28T10:00:00Z"],
  [join(here, "fixtures/extra.jsonl"), "web/app/mock/fixtures/extra.jsonl", "2026-11-28T11:30:00Z"],
];

/** The graph with the imports recorded at or before `asOf` (ms; all of them by default). */
export function loadGraph(asOf = Infinity) {
  const g = new Graph();
  for (const [files, origin, time] of IMPORTS) if (Date.parse(time) <= asOf) g.load(files, origin, time);
  return g;
}

export function startMock({ port = 0, host = "127.0.0.1", dist = join(here, "../dist"), today, delayMs = 0 } = {}) {
  const graph = loadGraph();
  const todayDate = parseDate(today ?? new Date().toISOString().slice(0, 10));
  const distRoot = resolve(dist);

  const baseHeaders = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
  };

  function sendJson(res, status, body, extra = {}) {
    const data = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { ...baseHeaders, "Content-Type": "application/json; charset=utf-8", "Content-Length": data.length, "Cache-Control": "no-store", ...extra });
    res.end(data);
  }

  function sendError(res, err) {
    if (!(err instanceof ApiError)) {
      console.error(err);
      err = new ApiError(500, "InternalError", "Bug", `internal error: ${err.message}`);
    }
    sendJson(res, err.status, err.toJSON(), err.status === 405 ? { Allow: err.extra.allow ?? "GET" } : {});
  }

  async function readBody(req, max = 1 << 20) {
    const chunks = [];
    let size = 0;
    for await (const c of req) {
      size += c.length;
      if (size > max) throw new ApiError(413, "PayloadTooLarge", "BodyTooLarge", `the body is larger than ${max} bytes`);
      chunks.push(c);
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  async function api(req, res, url) {
    const path = url.pathname;
    const method = req.method;
    const only = (m) => {
      if (method !== m) throw new ApiError(405, "MethodNotAllowed", "WrongMethod", `${path} accepts ${m}, not ${method}`, { allow: m });
    };
    if (path === "/healthz") { only("GET"); return sendJson(res, 200, graph.health()); }
    if (path === "/api/timeline") {
      only("GET");
      const p = new URLSearchParams(url.searchParams);
      const format = p.get("format") ?? "";
      p.delete("format");
      if (!format || format === "json") return sendJson(res, 200, graph.timeline(p));
      if (format !== "csv" && format !== "jsonl") throw new ApiError(400, "BadRequest", "InvalidParameter", `'format' must be json, csv or jsonl, not '${format}'`);
      refusePaging(p, "an export");
      const items = allItems(graph, p);
      const data = Buffer.from(format === "csv" ? toCsv(items) : toJsonLines(items));
      res.writeHead(200, {
        ...baseHeaders, "Content-Length": data.length, "Cache-Control": "no-store",
        "Content-Type": format === "csv" ? "text/csv; charset=utf-8; header=present" : "application/x-ndjson; charset=utf-8",
        "Content-Disposition": `attachment; filename="lodestone-timeline.${format}"`,
      });
      return res.end(data);
    }
    if (path === "/api/changes") {
      only("GET");
      const p = new URLSearchParams(url.searchParams);
      const since = p.get("since");
      p.delete("since");
      if (!since) throw new ApiError(400, "BadRequest", "MissingParameter", "the parameter 'since' (a record time, e.g. 2026-11-28T10:00:00Z) is required");
      const t = parseRecordTime(since);
      refusePaging(p, "/api/changes");
      const body = diff(allItems(loadGraph(t), p), allItems(graph, p));
      const commits = IMPORTS.filter(([, , time]) => Date.parse(time) > t).reverse().map(([, origin, time]) => ({ record_time: time, origin: `import ${origin}` }));
      return sendJson(res, 200, { ...body, since: new Date(t).toISOString().replace(".000Z", "Z"), until: graph.recordTime, commits });
    }
    if (path === "/api/commits") {
      only("GET");
      const commits = IMPORTS.slice().reverse().map(([, origin, time]) => ({ record_time: time, origin: `import ${origin}`, nodes_changed: 0, relationships_changed: 0 }));
      return sendJson(res, 200, { commits: commits.slice(0, Number(url.searchParams.get("limit") ?? 20)) });
    }
    if (path === "/api/search") { only("GET"); return sendJson(res, 200, graph.search(url.searchParams)); }
    if (path === "/api/schema") { only("GET"); return sendJson(res, 200, graph.schema()); }
    if (path.startsWith("/api/entity/")) {
      only("GET");
      const key = decodeURIComponent(path.slice("/api/entity/".length));
      return sendJson(res, 200, graph.entity(key, todayDate));
    }
    if (path === "/api/query") {
      only("POST");
      const ct = req.headers["content-type"] ?? "";
      if (!/^application\/json\b/i.test(ct)) throw new ApiError(415, "UnsupportedMediaType", "WrongContentType", `expected Content-Type application/json, got '${ct}'`);
      let body;
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        throw new ApiError(400, "BadRequest", "InvalidJson", "the body is not valid JSON");
      }
      if (typeof body?.query !== "string") throw new ApiError(400, "BadRequest", "MissingQuery", "the body needs a string field 'query'");
      return sendJson(res, 200, runQuery(graph, body.query));
    }
    if (path === "/api/import") {
      only("POST");
      throw new ApiError(403, "Forbidden", "WritingOff", "writing is off: the server was started without --token-file");
    }
    throw new ApiError(404, "NotFound", "NoSuchRoute", `no route for ${path}`);
  }

  async function file(req, res, url) {
    if (req.method !== "GET" && req.method !== "HEAD") throw new ApiError(405, "MethodNotAllowed", "WrongMethod", "only GET and HEAD", { allow: "GET, HEAD" });
    let rel = decodeURIComponent(url.pathname);
    if (rel.includes("\0")) throw new ApiError(400, "BadRequest", "BadPath", "bad path");
    if (rel.endsWith("/")) rel += "index.html";
    const full = normalize(join(distRoot, rel));
    if (full !== distRoot && !full.startsWith(distRoot + sep)) throw new ApiError(404, "NotFound", "NoSuchFile", "no such file");
    let data;
    try {
      if (!(await stat(full)).isFile()) throw new Error("not a file");
      data = await readFile(full);
    } catch {
      if (rel === "/index.html") throw new ApiError(404, "NotFound", "NoBuild", "dist/index.html is missing: run `npm run build` first");
      throw new ApiError(404, "NotFound", "NoSuchFile", `no such file: ${url.pathname}`);
    }
    const type = TYPES[extname(full)] ?? "application/octet-stream";
    // Vite's hashed assets never change; the page itself must be revalidated.
    const cache = rel.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    res.writeHead(200, { ...baseHeaders, "Content-Type": type, "Content-Length": data.length, "Cache-Control": cache });
    res.end(req.method === "HEAD" ? undefined : data);
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://mock.invalid");
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      if (url.pathname === "/healthz" || url.pathname.startsWith("/api/")) await api(req, res, url);
      else await file(req, res, url);
    } catch (e) {
      sendError(res, e);
    }
  });

  return new Promise((resolveStart) => {
    server.listen(Number(port), host, () => {
      const addr = server.address();
      resolveStart({ server, graph, url: `http://${host}:${addr.port}` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { url } = await startMock({
    port: arg("port", "PORT", 8099),
    host: arg("host", "HOST", "127.0.0.1"),
    dist: arg("dist", "MOCK_DIST", join(here, "../dist")),
    today: arg("today", "MOCK_TODAY", undefined),
    delayMs: Number(arg("delay-ms", "MOCK_DELAY_MS", 0)),
  });
  console.log(`mock listening on ${url}`);
  const stop = () => process.exit(0);
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
