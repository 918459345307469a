// Summarises a V8 .cpuprofile of `nv export participants` (node --cpu-prof): self time by area
// (nv's own modules by folder, each npm package, Node internals, GC; see bench/ingest-profile.mjs)
// and inclusive time of the export's steps (read the register, consolidate, build the report
// document, lay it out, write the PDF or DOCX), and the functions with the most self time.
//
//   node bench/export-profile.mjs FILE.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { areaOf } from './ingest-profile.mjs';

/**
 * Steps timed inclusively (the step's own code and all it calls, counted once when it recurses):
 * [label, script path suffix, function name]. Only synchronous code is seen under its caller;
 * a step whose name changes in src/ shows 0 here, which says to update this table.
 */
export const STEPS = [
  ['open the workspace (openWorkspace)', '/dist/cli/workspace-option.js', 'openWorkspace'],
  ['read the register: current delegations', '/dist/storage/sqlite/register.js', 'currentDelegations'],
  ['status of every State (stateStatus)', '/dist/replies/status.js', 'stateStatus'],
  ['rules over every participant (assess)', '/dist/replies/status.js', 'assess'],
  ['consolidate (the list in UN order)', '/dist/participants/consolidate.js', 'consolidate'],
  ['report document (participantsReport)', '/dist/participants/report.js', 'participantsReport'],
  ['PDF: lay out the pages (layoutDocument)', '/dist/render/layout.js', 'layoutDocument'],
  ['PDF: break paragraphs into lines (breakOptimal)', '/dist/render/layout.js', 'breakOptimal'],
  ['PDF: content streams (contentStream)', '/dist/render/pdf.js', 'contentStream'],
  ['PDF: write the file (writePdf)', '/dist/render/pdf.js', 'writePdf'],
  ['fonts: subset (subsetFace)', '/dist/render/fonts.js', 'subsetFace'],
  ['DOCX: lay out (docx-layout layoutDocument)', '/dist/render/docx-layout.js', 'layoutDocument'],
  ['DOCX: XML and zip (renderWith)', '/dist/render/docx.js', 'renderWith'],
  ['CSV: participantsCsv', '/dist/participants/export-data.js', 'participantsCsv'],
  ['JSON: participantsJson', '/dist/participants/export-data.js', 'participantsJson'],
  ['write the file (writeFileAtomic)', '/dist/files.js', 'writeFileAtomic'],
];

/** { total ms, areas [[area, ms]], functions [[name, ms]], steps [[label, ms]] } of a profile. */
export function summarise(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stepOf = (f) =>
    STEPS.findIndex(
      ([, url, fn]) =>
        (f.functionName === fn || f.functionName.endsWith(`.${fn}`)) && (f.url ?? '').endsWith(url),
    );
  const steps = STEPS.map(() => 0);
  const memo = new Map();
  const stackSteps = (id) => {
    if (memo.has(id)) return memo.get(id);
    const up = parent.has(id) ? stackSteps(parent.get(id)) : [];
    const k = stepOf(byId.get(id).callFrame);
    const mine = k >= 0 && !up.includes(k) ? [...up, k] : up;
    memo.set(id, mine);
    return mine;
  };
  const self = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    const ms = (dt[i] ?? 0) / 1000;
    self.set(id, (self.get(id) ?? 0) + ms);
    for (const k of stackSteps(id)) steps[k] += ms;
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
  const line = (ms, label) =>
    log(
      `  ${(ms / 1000).toFixed(2).padStart(7)} s ${((100 * ms) / s.total).toFixed(1).padStart(5)} %  ${label}`,
    );
  log(`CPU profile: ${(s.total / 1000).toFixed(2)} s sampled on the main thread`);
  log('\nself time by area:');
  for (const [a, ms] of s.areas.filter(([, ms]) => ms / s.total >= 0.005)) line(ms, a);
  log('\nsteps, inclusive (synchronous code only):');
  for (const [label, ms] of s.steps.filter(([, ms]) => ms > 0)) line(ms, label);
  log('\nfunctions with the most self time:');
  for (const [f, ms] of s.functions) line(ms, f);
}

if (import.meta.filename === resolve(process.argv[1] ?? '')) {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error('usage: node bench/export-profile.mjs FILE.cpuprofile [--top 25]');
  const top = rest.includes('--top') ? Number(rest[rest.indexOf('--top') + 1]) : 25;
  printSummary(summarise(JSON.parse(readFileSync(file, 'utf8')), top));
}
