// Shared by the Node.js peer runners (run_duckdb.mjs, run_kuzu.mjs): the eight queries' parameter sets,
// canonical answers, the timing protocol and the output line. bench/README.md describes all of it; the
// SQLite runner (sqlite_runner.cc) and Lodestone's runner follow the same rules.
import fs from 'fs';
import path from 'path';

export const now = () => Number(process.hrtime.bigint()) / 1e6;

// The data directory's parameters and counts.
export function loadData(dir) {
  const params = JSON.parse(fs.readFileSync(path.join(dir, 'params.json'), 'utf8'));
  const counts = JSON.parse(fs.readFileSync(path.join(dir, 'counts.json'), 'utf8'));
  return { params, counts };
}

export const actorName = (i) => 'actor_' + String(i).padStart(7, '0');

// The parameter sets of every query, in the order their times and answers are reported.
//   q1: the first 10 of params.names, as actor names      q2..q5: hub, mid, tail (params.hub/mid/tail)
//   q5: the window [2015-01-01, 2020-01-01)               q6: params.dates
//   q7: one run, no parameters                            q8: params.pathPairs
export function parameterSets(P) {
  const actors = [P.hub, P.mid, P.tail];
  return {
    q1_lookup_name: P.names.slice(0, 10).map((i) => ({ name: actorName(i) })),
    q2_1hop: actors.map((id) => ({ id })),
    q3_2hop_coparticipants: actors.map((id) => ({ id })),
    q4_varlen_1_3: actors.map((id) => ({ id })),
    q5_timeline: actors.map((id) => ({ id, d1: '2015-01-01', d2: '2020-01-01' })),
    q6_controls_in_force: P.dates.map((d) => ({ d })),
    q7_events_per_month: [{}],
    q8_shortest_path: P.pathPairs.map(([a, b]) => ({ a, b })),
  };
}

// How each query's answer is made comparable: the shape, and the type of each column.
//   scalar: the first column of the first row, null when there is no row (or it is null)
//   sorted: every row, sorted;  ordered: every row in the query's own order (its ORDER BY is total)
export const SHAPES = {
  q1_lookup_name: { shape: 'sorted', types: ['int', 'str'] },
  q2_1hop: { shape: 'scalar', types: ['int'] },
  q3_2hop_coparticipants: { shape: 'scalar', types: ['int'] },
  q4_varlen_1_3: { shape: 'scalar', types: ['int'] },
  q5_timeline: { shape: 'ordered', types: ['int', 'date'] },
  q6_controls_in_force: { shape: 'scalar', types: ['int'] },
  q7_events_per_month: { shape: 'ordered', types: ['month', 'int'] },
  q8_shortest_path: { shape: 'scalar', types: ['int'] },
};

const isoDay = (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
const CONVERT = {
  int: (v) => Number(v),
  str: (v) => String(v),
  date: isoDay,
  month: (v) => isoDay(v).slice(0, 7),
};

// Orders JSON values as nlohmann::json does (null < number < string; arrays element by element), so
// that sorted answers agree with the C++ runners'.
export function compareJson(a, b) {
  const rank = (v) => (v === null ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' ? 2 : Array.isArray(v) ? 4 : 5);
  const ra = rank(a), rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 4) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareJson(a[i], b[i]);
      if (c) return c;
    }
    return a.length - b.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

// rows: arrays of column values as the engine returned them.
export function canonical(query, rows) {
  const { shape, types } = SHAPES[query];
  const conv = rows.map((r) => r.map((v, i) => (v === null || v === undefined ? null : CONVERT[types[i]](v))));
  if (shape === 'scalar') return conv.length && conv[0].length ? conv[0][0] : null;
  if (shape === 'sorted') conv.sort(compareJson);
  return conv;
}

export const median = (a) => {
  const s = [...a].sort((x, y) => x - y), n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

// The timing protocol: one untimed pass over the parameter sets (its answers are reported), then
// `reps` timed passes (fewer when the first pass took seconds); each set's time is the median, in ms.
// run(p) executes the query with parameter set p and resolves to its rows, fully materialised.
export async function measure(query, sets, run, reps) {
  const answers = [];
  const t0 = now();
  for (const p of sets) answers.push(canonical(query, await run(p)));
  const first = now() - t0;
  const n = first > 5000 ? 1 : first > 1000 ? Math.min(reps, 3) : reps;
  const times = sets.map(() => []);
  for (let rep = 0; rep < n; rep++) {
    for (const [i, p] of sets.entries()) {
      const t = now();
      await run(p);
      times[i].push(now() - t);
    }
  }
  return { ms: times.map((t) => Math.round(median(t) * 1000) / 1000), answers };
}

// Memory, measured as the C++ runners measure it (runner_protocol.h): the process's peak resident set
// in bytes (VmHWM; Node.js's own runtime included), and a reset that starts a new peak.
export function peakRssBytes() {
  const m = /VmHWM:\s*(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}
export function resetPeakRss() {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux: the query peak then includes the load's
  }
}

// Bytes of a file or directory tree (missing: 0).
export function diskBytes(p) {
  try {
    const st = fs.statSync(p);
    if (!st.isDirectory()) return st.size;
    return fs.readdirSync(p).reduce((a, f) => a + diskBytes(path.join(p, f)), 0);
  } catch {
    return 0;
  }
}

export function usage(script, extra = '') {
  if (process.argv.length < 4) {
    console.error(`usage: node ${script} <dataDir> <dbPath> [reps]${extra}`);
    process.exit(2);
  }
  return { dir: path.resolve(process.argv[2]), db: path.resolve(process.argv[3]), reps: Math.max(1, Number(process.argv[4] || 5)) };
}
