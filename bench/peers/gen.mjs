// Copied unchanged (apart from these three lines) from the reference harness's peers/gen.mjs, shared with
// the team at shared/peers/. It is the reference for bench/gen (the C++ port): gen_test.cc checks that
// both write the same bytes. Do not edit it; change both together if the data must change.
// Deterministic policy-event graph generator (prototype). Usage: node gen.mjs <targetEdges> <outDir> [seed]
// PRNG: mulberry32 (32-bit, trivially portable to C++ with uint32_t arithmetic).
import fs from 'fs';
const E = Number(process.argv[2] || 10000), OUT = process.argv[3] || `data_${E}`, SEED = Number(process.argv[4] || 42);
fs.mkdirSync(OUT, { recursive: true });
let s = SEED >>> 0;
const rnd = () => { s = (s + 0x6D2B79F5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const ri = (n) => Math.floor(rnd() * n);
const A = Math.max(50, Math.round(E * 0.05)), V = Math.round(E * 0.30), C = Math.max(10, Math.round(E * 0.01)),
      G = Math.max(5, Math.round(E * 0.005)), P = Math.max(10, Math.round(E * 0.01)), R = Math.round(E * 0.12);
const gcd = (a, b) => b ? gcd(b, a % b) : a;
let MUL = 1000003; while (gcd(MUL, A) !== 1) MUL += 2;
const actorOfRank = (r) => (r * MUL + 7) % A;               // hub = rank 0; ids decorrelated from degree
const pickActor = () => actorOfRank(Math.floor(A * Math.pow(rnd(), 2.5)));  // power-law-ish popularity
const D0 = Date.UTC(2000, 0, 1), SPAN = Math.round((Date.UTC(2026, 11, 31) - D0) / 864e5);
const day = (d) => new Date(D0 + d * 864e5).toISOString().slice(0, 10);
const skewDay = () => Math.floor(SPAN * Math.sqrt(rnd()));   // more activity in later years
const KINDS = ['government', 'agency', 'company', 'ngo', 'intl_org', 'person'];
const ETYPES = ['announcement', 'meeting', 'sanction', 'signing', 'review', 'statement', 'investment', 'dispute'];
const w = (f) => { const chunks = []; return { push: (l) => chunks.push(l), end: () => fs.writeFileSync(`${OUT}/${f}`, chunks.join('\n') + '\n') }; };
const cnt = {};
const file = (f, header) => { const o = w(f); o.push(header); cnt[f] = 0; return { push: (l) => { o.push(l); cnt[f]++; }, end: o.end }; };
const actors = file('actor.csv', 'id,name,kind');
for (let i = 0; i < A; i++) actors.push(`${i},actor_${String(i).padStart(7, '0')},${KINDS[ri(KINDS.length)]}`);
actors.end();
const events = file('event.csv', 'id,name,date,etype');
const controls = file('control.csv', 'id,name,valid_from,valid_to');
const agreements = file('agreement.csv', 'id,name,signed');
const projects = file('project.csv', 'id,name,start');
const part = file('participated.csv', 'src,dst,role');
const aboutC = file('about_control.csv', 'src,dst'), aboutG = file('about_agreement.csv', 'src,dst'), aboutP = file('about_project.csv', 'src,dst');
const rel = file('related.csv', 'src,dst,since,kind');
const imposes = file('imposes.csv', 'src,dst'), targets = file('targets.csv', 'src,dst'), partyTo = file('party_to.csv', 'src,dst'), funds = file('funds.csv', 'src,dst');
for (let i = 0; i < C; i++) { const f = skewDay(); const to = rnd() < 0.4 ? '' : day(Math.min(SPAN, f + 30 + ri(3650)));
  controls.push(`${i},control_${i},${day(f)},${to}`); imposes.push(`${pickActor()},${i}`);
  const t = 1 + ri(5), seen = new Set(); for (let k = 0; k < t; k++) { const a = pickActor(); if (!seen.has(a)) { seen.add(a); targets.push(`${i},${a}`); } } }
for (let i = 0; i < G; i++) { agreements.push(`${i},agreement_${i},${day(skewDay())}`);
  const t = 2 + ri(5), seen = new Set(); for (let k = 0; k < t; k++) { const a = pickActor(); if (!seen.has(a)) { seen.add(a); partyTo.push(`${a},${i}`); } } }
for (let i = 0; i < P; i++) { projects.push(`${i},project_${i},${day(skewDay())}`);
  const t = 1 + ri(3), seen = new Set(); for (let k = 0; k < t; k++) { const a = pickActor(); if (!seen.has(a)) { seen.add(a); funds.push(`${a},${i}`); } } }
for (let i = 0; i < V; i++) {
  events.push(`${i},event_${i},${day(skewDay())},${ETYPES[ri(ETYPES.length)]}`);
  const k = Math.min(8, 1 + Math.floor(-Math.log(1 - rnd()) * 1.2)), seen = new Set();
  for (let j = 0; j < k; j++) { const a = pickActor(); if (!seen.has(a)) { seen.add(a); part.push(`${a},${i},${j === 0 ? 'lead' : 'party'}`); } }
  const u = rnd(); if (u < 0.5) aboutC.push(`${i},${ri(C)}`); else if (u < 0.75) aboutG.push(`${i},${ri(G)}`); else aboutP.push(`${i},${ri(P)}`);
}
const relSeen = new Set();
for (let i = 0; i < R; i++) { const a = pickActor(), b = pickActor(); if (a === b) continue; const key = a * A + b; if (relSeen.has(key)) continue; relSeen.add(key);
  rel.push(`${a},${b},${day(skewDay())},${['ally', 'member_of', 'subsidiary', 'counterpart'][ri(4)]}`); }
for (const o of [events, controls, agreements, projects, part, aboutC, aboutG, aboutP, rel, imposes, targets, partyTo, funds]) o.end();
// Query parameters: deterministic, mixture of hub / mid / tail actors.
const params = { hub: actorOfRank(0), mid: actorOfRank(Math.floor(A / 20)), tail: actorOfRank(A - 1),
  names: Array.from({ length: 20 }, () => ri(A)), pathPairs: Array.from({ length: 5 }, () => [pickActor(), pickActor()]),
  dates: Array.from({ length: 5 }, () => day(skewDay())) };
fs.writeFileSync(`${OUT}/params.json`, JSON.stringify(params));
const edgeFiles = ['participated.csv', 'about_control.csv', 'about_agreement.csv', 'about_project.csv', 'related.csv', 'imposes.csv', 'targets.csv', 'party_to.csv', 'funds.csv'];
const nEdges = edgeFiles.reduce((a, f) => a + cnt[f], 0), nNodes = A + V + C + G + P;
fs.writeFileSync(`${OUT}/counts.json`, JSON.stringify({ nodes: nNodes, edges: nEdges, ...cnt }));
console.log(JSON.stringify({ target: E, nodes: nNodes, edges: nEdges, actors: A, events: V, related: cnt['related.csv'] }));
