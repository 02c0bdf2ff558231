// The DuckDB peer: node run_duckdb.mjs <dataDir> <dbFile> [reps]  -> one JSON line (bench/README.md)
// Loads the CSV files with COPY into typed tables (keys and the adjacency indexes declared), CHECKPOINT,
// then runs the eight queries as prepared statements.
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'fs';
import path from 'path';
import { diskBytes, loadData, measure, now, parameterSets, peakRssBytes, resetPeakRss, usage } from './common.mjs';

const { dir, db, reps } = usage('run_duckdb.mjs');
fs.rmSync(db, { force: true });
fs.rmSync(db + '.wal', { force: true });

const instance = await DuckDBInstance.create(db);
const conn = await instance.connect();
const sql = async (s) => (await conn.runAndReadAll(s)).getRows();

const REL = 'src BIGINT, dst BIGINT';
const TABLES = {
  actor: 'id BIGINT PRIMARY KEY, name VARCHAR UNIQUE, kind VARCHAR',
  event: 'id BIGINT PRIMARY KEY, name VARCHAR, date DATE, etype VARCHAR',
  control: 'id BIGINT PRIMARY KEY, name VARCHAR, valid_from DATE, valid_to DATE',
  agreement: 'id BIGINT PRIMARY KEY, name VARCHAR, signed DATE',
  project: 'id BIGINT PRIMARY KEY, name VARCHAR, start DATE',
  participated: `${REL}, role VARCHAR`,
  related: `${REL}, since DATE, kind VARCHAR`,
  about_control: REL, about_agreement: REL, about_project: REL,
  imposes: REL, targets: REL, party_to: REL, funds: REL,
};

const t0 = now();
for (const [t, cols] of Object.entries(TABLES)) {
  await sql(`CREATE TABLE ${t}(${cols})`);
  await sql(`COPY ${t} FROM '${path.join(dir, t + '.csv')}' (HEADER true)`);
}
await sql('CREATE INDEX participated_src ON participated(src)');
await sql('CREATE INDEX related_src ON related(src)');
await sql('CREATE INDEX related_dst ON related(dst)');
await sql('CHECKPOINT');
const loadMs = now() - t0;
const rssLoad = peakRssBytes();
resetPeakRss();

// Either direction of RELATED, for the traversals.
const NB = 'nb(a, b) AS (SELECT src, dst FROM related UNION ALL SELECT dst, src FROM related)';
const QUERIES = {
  q1_lookup_name: ['SELECT id, kind FROM actor WHERE name = $1', (p) => [p.name]],
  q2_1hop: ['SELECT count(*) FROM participated WHERE src = $1', (p) => [BigInt(p.id)]],
  q3_2hop_coparticipants: [
    'SELECT count(DISTINCT p2.src) FROM participated p1 JOIN participated p2 ON p2.dst = p1.dst WHERE p1.src = $1 AND p2.src <> $1',
    (p) => [BigInt(p.id)]],
  q4_varlen_1_3: [
    `WITH RECURSIVE ${NB}, r(id, d) AS (SELECT $1::BIGINT, 0 UNION SELECT nb.b, r.d + 1 FROM r JOIN nb ON nb.a = r.id WHERE r.d < 3) ` +
    'SELECT count(DISTINCT id) FROM r WHERE id <> $1',
    (p) => [BigInt(p.id)]],
  q5_timeline: [
    'SELECT e.id, e.date FROM participated p JOIN event e ON e.id = p.dst ' +
    'WHERE p.src = $1 AND e.date >= $2::DATE AND e.date < $3::DATE ORDER BY e.date, e.id LIMIT 50',
    (p) => [BigInt(p.id), p.d1, p.d2]],
  q6_controls_in_force: [
    'SELECT count(*) FROM control WHERE valid_from <= $1::DATE AND (valid_to IS NULL OR valid_to > $1::DATE)',
    (p) => [p.d]],
  q7_events_per_month: [
    "SELECT date_trunc('month', date) AS m, count(*) FROM event WHERE date >= DATE '2020-01-01' AND date < DATE '2025-01-01' GROUP BY m ORDER BY m",
    () => []],
  q8_shortest_path: [
    `WITH RECURSIVE ${NB}, r(id, d) AS (SELECT $1::BIGINT, 0 UNION SELECT nb.b, r.d + 1 FROM r JOIN nb ON nb.a = r.id WHERE r.d < 6) ` +
    'SELECT min(d) FROM r WHERE id = $2',
    (p) => [BigInt(p.a), BigInt(p.b)]],
};

const { params, counts } = loadData(dir);
const sets = parameterSets(params);
const out = {
  engine: 'duckdb', version: String((await sql('SELECT version()'))[0][0]), data: path.basename(dir),
  nodes: counts.nodes, edges: counts.edges, threads: Number((await sql("SELECT current_setting('threads')"))[0][0]),
  load_ms: Math.round(loadMs), reps, queries: {}, results: {},
};
for (const [name, [text, bind]] of Object.entries(QUERIES)) {
  const ps = await conn.prepare(text);
  const run = async (p) => {
    ps.clearBindings();
    bind(p).forEach((v, i) => (typeof v === 'bigint' ? ps.bindBigInt(i + 1, v) : ps.bindVarchar(i + 1, v)));
    return (await ps.runAndReadAll()).getRows().map((r) => r.map((v) => (v !== null && typeof v === 'object' ? String(v) : v)));
  };
  const { ms, answers } = await measure(name, sets[name], run, reps);
  out.queries[name] = ms;
  out.results[name] = answers;
}
out.rss_peak_load_bytes = rssLoad;
out.rss_peak_query_bytes = peakRssBytes();
conn.closeSync();
instance.closeSync();
out.disk_bytes = diskBytes(db) + diskBytes(db + '.wal');
console.log(JSON.stringify(out));
