// Turns `callgrind_annotate --inclusive=yes` output of `lodestone_store_bench --probe=N` into a Markdown
// table of instructions per operation, store beside raw.
//   callgrind_annotate --inclusive=yes --threshold=100 cg.out | node bench/probe_table.mjs N BATCHES
import fs from 'fs';

const n = Number(process.argv[2]), batches = Number(process.argv[3] || 20);
const text = fs.readFileSync(0, 'utf8');
const totals = {};
for (const line of text.split('\n')) {
  const m = line.match(/^\s*([\d,]+) \(\s*[\d.]+%\)\s+[^=\s]\S*store_bench\.cc:[^[]*?::Probe(\w+?)(Store|Raw)\(/);
  if (!m) continue;
  const key = m[2] + m[3];
  const v = Number(m[1].replace(/,/g, ''));
  totals[key] = Math.max(totals[key] ?? 0, v);  // the function's own inclusive line is its largest
}
const rows = [
  ['point_read', 'PointRead', n, 'per read'],
  ['adj_scan', 'AdjScan', n, 'per scan'],
  ['adj_scan_hub', 'AdjScanHub', Math.max(1, Math.floor(n / 64)), 'per scan'],
  ['bulk_insert', 'BulkInsert', batches, 'per batch'],
];
const fmt = (x) => (x >= 1e6 ? (x / 1e6).toFixed(2) + ' M' : Math.round(x).toLocaleString('en-US'));
const out = ['| operation | store instructions | raw instructions | store ÷ raw (instructions) |', '|---|---:|---:|---:|'];
for (const [name, key, count, unit] of rows) {
  const s = totals[key + 'Store'], r = totals[key + 'Raw'];
  if (!s || !r) continue;
  out.push(`| ${name} | ${fmt(s / count)} ${unit} | ${fmt(r / count)} ${unit} | **${(s / r).toFixed(2)}** |`);
}
if (out.length === 2) {
  console.error('probe_table: no Probe functions found in the callgrind output');
  process.exit(1);
}
console.log(out.join('\n'));
