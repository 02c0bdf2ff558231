#!/usr/bin/env node
// npm run e2e: runs the browser tests against LODESTONE_URL, or, when it is unset, builds the page and
// starts the mock server on a free port first (and stops it afterwards).
//
//   npm run e2e                                        # mock
//   LODESTONE_URL=http://127.0.0.1:8080 npm run e2e    # a running `lodestone serve`
//
// Env: CHROMIUM_PATH (default /usr/bin/chromium), E2E_SKIP_BUILD=1 (use the existing dist/ with the
// mock), LODESTONE_TOKEN (lets the XSS test import its fixture into a real server).

import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let mock = null;
const env = { ...process.env };

if (!env.LODESTONE_URL) {
  if (env.E2E_SKIP_BUILD !== "1") {
    const b = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
    if (b.status !== 0) process.exit(b.status ?? 1);
  }
  const { startMock } = await import("../mock/server.mjs");
  mock = await startMock({ port: 0, dist: join(root, "dist"), today: env.MOCK_TODAY ?? "2026-11-28" });
  env.LODESTONE_URL = mock.url;
  console.log(`# mock server at ${mock.url}`);
} else {
  console.log(`# testing ${env.LODESTONE_URL}`);
}

const child = spawn(process.execPath, ["--test", "--test-concurrency=1", "--test-reporter=spec", join(root, "e2e/page.test.mjs")], {
  cwd: root, env, stdio: "inherit",
});
const code = await new Promise((resolve) => child.on("exit", (c, sig) => resolve(c ?? (sig ? 1 : 0))));
mock?.server.close();
process.exit(code);
