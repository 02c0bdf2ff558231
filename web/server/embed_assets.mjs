#!/usr/bin/env node
// Writes a C++ source holding every file of the built page (web/app/dist), for web/server/assets.h:
//
//   node embed_assets.mjs DIST_DIR OUTPUT.cc
//
// With no DIST_DIR ("-") the table is empty (a build without npm; `serve --assets DIR` still works).
// Bytes are written as string literals: printable ASCII as is, everything else as 3-digit octal escapes
// (octal escapes end after three digits, so no following character is ever swallowed).

import { readdirSync, readFileSync, writeFileSync, existsSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

const [distArg, output] = process.argv.slice(2);
if (!output) {
  console.error("usage: embed_assets.mjs DIST_DIR|- OUTPUT.cc");
  process.exit(2);
}

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(full));
    else if (e.isFile()) out.push(full);
  }
  return out;
}

function literal(buf) {
  const lines = [];
  let line = "";
  for (const b of buf) {
    let piece;
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c && b !== 0x3f) piece = String.fromCharCode(b);
    else piece = "\\" + b.toString(8).padStart(3, "0");
    line += piece;
    if (line.length >= 120) {
      lines.push(`"${line}"`);
      line = "";
    }
  }
  if (line || !lines.length) lines.push(`"${line}"`);
  return lines.join("\n    ");
}

const files = distArg && distArg !== "-" && existsSync(distArg) && statSync(distArg).isDirectory()
  ? walk(distArg).sort()
  : [];
if (distArg && distArg !== "-" && !files.some((f) => f.endsWith(`${sep}index.html`))) {
  console.error(`embed_assets: ${distArg} has no index.html; run npm run build in web/app`);
  process.exit(1);
}

let src = `// Generated at build time by web/server/embed_assets.mjs from web/app/dist. Do not edit.
#include "web/server/assets.h"

namespace lodestone::web {
namespace {
`;
const rows = [];
files.forEach((f, i) => {
  const name = relative(distArg, f).split(sep).join("/");
  // The server only ever asks for such names (web/server/url.h, AssetPath); anything else is a mistake.
  if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(name) || name.split("/").some((s) => s.startsWith("."))) {
    console.error(`embed_assets: ${name}: a file name the server would never serve`);
    process.exit(1);
  }
  const data = readFileSync(f);
  src += `// ${name} (${data.length} bytes)\nconst char kFile${i}[] =\n    ${literal(data)};\n`;
  rows.push(`    {"${name}", kFile${i}, ${data.length}},`);
});
src += `}  // namespace

`;
if (rows.length) {
  src += `extern const EmbeddedAsset kEmbeddedAssets[] = {\n${rows.join("\n")}\n};\n`;
} else {
  src += `extern const EmbeddedAsset kEmbeddedAssets[] = {{"", "", 0}};\n`;
}
src += `extern const size_t kEmbeddedAssetCount = ${rows.length};

}  // namespace lodestone::web
`;
// Only touch the output when it changes, so an unchanged page recompiles nothing.
if (!existsSync(output) || readFileSync(output, "utf8") !== src) writeFileSync(output, src);
