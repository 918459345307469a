// Summarises a V8 .cpuprofile (node --cpu-prof): self time by area (nv's own modules by folder,
// each npm package, Node internals, GC) and the functions with the most self time.
//
//   node bench/ingest-profile.mjs FILE.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Where a call frame's code lives, for grouping: "nv src/intake", "mailparser", "node:internal", "native fsync", "(garbage collector)". */
export function areaOf(frame) {
  const url = frame.url ?? '';
  // Native bindings (fs, crypto, zlib) have no script: name them by function ("native fsync").
  if (!url)
    return frame.functionName.startsWith('(') ? frame.functionName : `native ${frame.functionName || '?'}`;
  if (url.startsWith('node:')) return 'node:internal';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = /\/dist\/([^/]+)(?:\/([^/]+))?/.exec(url);
  if (dist) return `nv src/${dist[2] && !dist[2].endsWith('.js') ? dist[1] : dist[1].replace(/\.js$/, '')}`;
  if (/\/bin\/nv\.js$/.test(url)) return 'nv bin';
  return url.replace(/^file:\/\//, '');
}

/**
 * Steps of `nv ingest` timed inclusively (the step's own code and all it calls), for the
 * synchronous functions: [label, script path suffix, function name]. Asynchronous work (mailparser's
 * streams, awaits) runs outside its caller's stack and is seen in the areas instead.
 */
export const STEPS = [
  ['read the files (fs.readFileSync)', 'node:fs', 'readFileSync'],
  ['archive: write and fsync each file (writeFileAtomic)', '/dist/files.js', 'writeFileAtomic'],
  ['SHA-256 of messages (files.sha256)', '/dist/files.js', 'sha256'],
  ['sniff text (sniff.asText)', '/dist/intake/sniff.js', 'asText'],
  [
    'PDF: pdf-lib parses the objects (PDFParser.parseIndirectObject)',
    '/pdf-lib/cjs/core/parser/PDFParser.js',
    'PDFParser.parseIndirectObject',
  ],
  ['PDF: measure pages (measureWithPdfLib)', '/dist/intake/classify-pdf.js', 'measureWithPdfLib'],
  ['State from the texts (guessState)', '/dist/replies/resolve-state.js', 'guessState'],
  ['register: findReplyBySha', '/dist/storage/sqlite/register.js', 'findReplyBySha'],
  ['register: addReply', '/dist/storage/sqlite/register.js', 'addReply'],
  ['rules and status after ingest (assess)', '/dist/replies/status.js', 'assess'],
];

/** { total ms, by area [[area, ms]], top functions [[name, ms]], steps [[label, ms]] } of a profile. */
export function summarise(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stepOf = (f) =>
    STEPS.findIndex(([, url, fn]) => f.functionName === fn && (f.url ?? '').endsWith(url));
  const steps = STEPS.map(() => 0);
  const stepsOfNode = new Map(); // node id → step indexes on its stack (memoised)
  const stackSteps = (id) => {
    if (stepsOfNode.has(id)) return stepsOfNode.get(id);
    const up = parent.has(id) ? stackSteps(parent.get(id)) : [];
    const k = stepOf(byId.get(id).callFrame);
    const mine = k >= 0 && !up.includes(k) ? [...up, k] : up;
    stepsOfNode.set(id, mine);
    return mine;
  };
  const self = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0) / 1000);
    for (const k of stackSteps(id)) steps[k] += (dt[i] ?? 0) / 1000;
  }
  const byArea = new Map();
  const byFn = new Map();
  let total = 0;
  for (const [id, ms] of self) {
    const f = byId.get(id).callFrame;
    total += ms;
    const area = areaOf(f);
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
    const file = (f.url ?? '').replace(/^.*\/(node_modules|dist)\//, '$1/').replace(/^file:\/\//, '');
    const key = `${f.functionName || '(anonymous)'}  ${file}${file ? `:${f.lineNumber + 1}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + ms);
  }
  const sort = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return {
    total,
    areas: sort(byArea),
    functions: sort(byFn).slice(0, top),
    steps: STEPS.map(([label], k) => [label, steps[k]]),
  };
}

export function printSummary(s, log = console.log) {
  log(`CPU profile: ${(s.total / 1000).toFixed(2)} s sampled`);
  log('\nself time by area:');
  for (const [a, ms] of s.areas.filter(([, ms]) => ms / s.total >= 0.005))
    log(`  ${(ms / 1000).toFixed(2).padStart(7)} s ${((100 * ms) / s.total).toFixed(1).padStart(5)} %  ${a}`);
  log('\nsteps, inclusive (synchronous code only):');
  for (const [label, ms] of s.steps)
    log(
      `  ${(ms / 1000).toFixed(2).padStart(7)} s ${((100 * ms) / s.total).toFixed(1).padStart(5)} %  ${label}`,
    );
  log('\nfunctions with the most self time:');
  for (const [f, ms] of s.functions)
    log(`  ${(ms / 1000).toFixed(2).padStart(7)} s ${((100 * ms) / s.total).toFixed(1).padStart(5)} %  ${f}`);
}

if (import.meta.filename === resolve(process.argv[1] ?? '')) {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error('usage: node bench/ingest-profile.mjs FILE.cpuprofile [--top 25]');
  const top = rest.includes('--top') ? Number(rest[rest.indexOf('--top') + 1]) : 25;
  printSummary(summarise(JSON.parse(readFileSync(file, 'utf8')), top));
}
