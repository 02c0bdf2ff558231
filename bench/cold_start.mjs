// Lodestone's cold start: the time `lodestone query` takes as a new process to open a database, plan and
// run one statement (q2 for the hub actor) and exit, with the operating system's file cache warm (the
// runner has just written the database). Run by scripts/run-benchmarks after Lodestone's runner.
//
//   node cold_start.mjs <lodestone> <dbPath> <dataDir> <results.jsonl> [runs]
//
// Checks the answer against the runner's own answer to q2 (hub), and adds `cold_start_ms` (the median)
// and `cold_start_runs` to the runner's line for that data set in results.jsonl.
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { median, now } from './peers/common.mjs';

const [bin, db, dir, results, runsArg] = process.argv.slice(2);
if (!results) {
  console.error('usage: node cold_start.mjs <lodestone> <dbPath> <dataDir> <results.jsonl> [runs]');
  process.exit(2);
}
const runs = Number(runsArg || 5);
const params = JSON.parse(fs.readFileSync(path.join(dir, 'params.json'), 'utf8'));
const statement = `MATCH (:Actor {key: 'actor/${params.hub}'})-[:PARTICIPATED]->(e:Event) RETURN count(e) AS n`;

const lines = fs.readFileSync(results, 'utf8').split('\n').filter((l) => l.trim());
const at = lines.findLastIndex((l) => {
  const r = JSON.parse(l);
  return r.engine === 'lodestone' && r.data === path.basename(dir);
});
if (at < 0) {
  console.error(`cold_start: no line of Lodestone's runner for ${path.basename(dir)} in ${results}`);
  process.exit(1);
}
const line = JSON.parse(lines[at]);

const times = [];
for (let i = 0; i < runs; i++) {
  const t = now();
  const r = spawnSync(bin, ['--db', db, 'query', '--format', 'json', statement], { encoding: 'utf8' });
  times.push(now() - t);
  if (r.status !== 0) {
    console.error(`cold_start: ${bin} query failed (exit ${r.status}):\n${r.stderr}`);
    process.exit(1);
  }
  const answer = JSON.parse(r.stdout);
  const n = answer.rows?.[0]?.[0];
  const expected = line.results?.q2_1hop?.[0];
  if (expected !== undefined && n !== expected) {
    console.error(`cold_start: the CLI answered ${JSON.stringify(answer)}, the runner ${expected}`);
    process.exit(1);
  }
}
line.cold_start_ms = Math.round(median(times) * 10) / 10;
line.cold_start_runs = runs;
lines[at] = JSON.stringify(line);
fs.writeFileSync(results, lines.join('\n') + '\n');
