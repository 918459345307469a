#!/usr/bin/env node
// Issue 8's speed check, side by side in one run on one machine:
//   1. `nv generate` of the 195 English notes of the uncac-2012 example, DOCX + PDF;
//   2. `nv generate` of 195 notes in the six UN languages, DOCX + PDF: the uncac-2012-multilingual
//      example (when this nv has it; otherwise said and skipped) written to the 195 States, see
//      multilingual() (~32 notes a language);
//   3. LibreOffice converting the same 195 English DOCX to PDF, one soffice call, with nv's fonts.
// Median wall clock of --runs runs (whole command, Node start-up included; the runs of the three
// jobs interleaved), peak RSS by /usr/bin/time. Needs `npm run build`.
//
//   node bench/languages.mjs [--runs 3] [--no-libreoffice] [--example uncac-2012-multilingual]
//                            [--baseline DIR] [--record]
//
// --baseline DIR: another checkout of nv, built (e.g. `git worktree add DIR 2fed428 && cd DIR &&
// npm ci`), whose `nv generate` of the same 195 English notes runs interleaved with this one's:
// issue 8's "within 10 % of today's time".
//
// --record appends the results, with the machine, date and commit, to bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { machine, revision } from './context.mjs';
import { convertToPdf, fontFiles, ROOT, whyNoLibreOffice } from '../test/helpers/libreoffice.mjs';

const NV = join(ROOT, 'bin', 'nv.js');
const OUT = join(ROOT, 'bench', 'out', 'languages');
const LANGS = ['ar', 'en', 'es', 'fr', 'ru', 'zh'];
const N = 195;
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const noLo = args.includes('--no-libreoffice') ? '--no-libreoffice given' : whyNoLibreOffice();
const record = args.includes('--record');
const MULTI = args.includes('--example') ? args[args.indexOf('--example') + 1] : 'uncac-2012-multilingual';
const env = { ...process.env, CI: 'true' };
const BASELINE = args.includes('--baseline') ? resolve(args[args.indexOf('--baseline') + 1]) : null;
const TIME = ['/usr/bin/time', '-f', 'BENCH %e %M %U %S'];
// The machine may be shared: its load when the runs start (the section's heading gives it at the end).
const loadAtStart = loadavg()[0];

function parseTime(r, what) {
  const m = /BENCH ([\d.]+) (\d+) ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
  if (r.status !== 0 || !m)
    throw new Error(`${what} failed (${r.status}):\n${(r.stderr ?? '').slice(-2000)}`);
  return { wall: Number(m[1]), rssMb: Number(m[2]) / 1024, cpu: Number(m[3]) + Number(m[4]) };
}

/** `nv init --example name` into dir; false when this nv has no such example. */
function init(dir, name, nv = NV) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const r = spawnSync(process.execPath, [nv, 'init', dir, '--example', name, '--yes'], {
    env,
    encoding: 'utf8',
  });
  return r.status === 0;
}

const readCsv = (file) => parse(readFileSync(file, 'utf8'), { columns: true, bom: true });

/**
 * The multilingual example (its nv.yaml with titles and places per language, its templates) written
 * to the 195 States of uncac-2012: the example's own recipients keep their row (addressee in their
 * language); the others are dealt out in turn over the languages the example writes in (their
 * addressee stays the English one).
 */
function multilingual(dir) {
  if (!init(dir, MULTI)) return null;
  const en = join(OUT, 'ws-en-recipients');
  if (!init(en, 'uncac-2012')) throw new Error('nv init --example uncac-2012 failed');
  const file = join(dir, 'recipients.csv');
  const own = readCsv(file);
  const byState = new Map(own.map((r) => [r.state, r]));
  const langs = LANGS.filter((l) => own.some((r) => r.language === l));
  const rows = readCsv(join(en, 'recipients.csv'))
    .slice(0, N)
    .map((r, i) => byState.get(r.state) ?? { ...r, language: langs[i % langs.length] });
  writeFileSync(file, stringify(rows, { header: true, columns: Object.keys(own[0]) }));
  const count = {};
  for (const r of rows) count[r.language] = (count[r.language] ?? 0) + 1;
  return {
    rows: rows.length,
    langs,
    own: own.length,
    count: LANGS.filter((l) => count[l])
      .map((l) => `${l} ${count[l]}`)
      .join(', '),
  };
}

function timedGenerate(ws, expected, nv = NV) {
  const r = spawnSync(
    TIME[0],
    [...TIME.slice(1), process.execPath, nv, 'generate', '-w', ws, '--yes', '--json', '--format', 'docx,pdf'],
    {
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    },
  );
  const t = parseTime(r, `nv generate -w ${ws}`);
  const j = JSON.parse(r.stdout);
  if (j.totals.files !== expected) throw new Error(`wrote ${j.totals.files} files, expected ${expected}`);
  return t;
}

const samples = { base: [], en: [], multi: [], lo: [] };
let multiInfo = null;
let multiSkipped = '';
let englishDocx = [];
for (let i = 0; i < runs; i++) {
  // The baseline and this nv run back to back, in turn first and second, so that neither gains from
  // its place (a warm page cache, the machine's load drifting through the round).
  const english = () => {
    const en = join(OUT, 'ws-en');
    if (!init(en, 'uncac-2012')) throw new Error('nv init --example uncac-2012 failed');
    samples.en.push(timedGenerate(en, 2 * N));
    const dir = join(en, 'out', 'notes');
    englishDocx = readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.docx'))
      .map((f) => join(dir, f));
  };
  if (i % 2 === 1) english();
  if (BASELINE) {
    const nv = join(BASELINE, 'bin', 'nv.js');
    const base = join(OUT, 'ws-base');
    if (!init(base, 'uncac-2012', nv)) throw new Error(`${nv} init --example uncac-2012 failed`);
    samples.base.push(timedGenerate(base, 2 * N, nv));
  }
  if (i % 2 === 0) english();

  if (!multiSkipped) {
    const ml = join(OUT, 'ws-multi');
    multiInfo = multilingual(ml);
    if (!multiInfo)
      multiSkipped = `this nv has no \`nv init --example ${MULTI}\` (issue 8's multilingual example not merged yet)`;
    else samples.multi.push(timedGenerate(ml, 2 * multiInfo.rows));
  }

  if (!noLo) {
    const out = join(OUT, 'lo');
    rmSync(out, { recursive: true, force: true });
    let t;
    convertToPdf(englishDocx, { outDir: out, wrap: TIME, onResult: (r) => (t = parseTime(r, 'soffice')) });
    samples.lo.push(t);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/**
 * The ratios of two jobs run in the same round (back to back), their median and range: on a machine
 * whose speed drifts from round to round, the steadier comparison than the ratio of the medians.
 */
const paired = (a, b, key) => {
  const r = a.map((x, i) => x[key] / b[i][key]);
  return `${median(r).toFixed(2)}× (${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)})`;
};
const rows = [];
const row = (label, s) => {
  if (!s.length) return;
  const r = {
    label,
    wall: median(s.map((x) => x.wall)),
    rss: Math.max(...s.map((x) => x.rssMb)),
    cpu: median(s.map((x) => x.cpu)),
    runs: s.map((x) => x.wall),
  };
  rows.push(r);
  console.log(
    `${label.padEnd(72)} ${r.wall.toFixed(2).padStart(7)} s  ${r.cpu.toFixed(2).padStart(7)} s CPU  ${r.rss.toFixed(0).padStart(5)} MB   (${r.runs.map((w) => w.toFixed(2)).join(', ')})`,
  );
  return r;
};
const base = row(
  `baseline (${BASELINE ? revision(BASELINE) : ''}): nv generate, ${N} English notes, DOCX + PDF`,
  samples.base,
);
const en = row(`nv generate, ${N} English notes, DOCX + PDF`, samples.en);
const multi = row(`nv generate, ${multiInfo?.rows ?? N} notes in six languages, DOCX + PDF`, samples.multi);
const lo = row(
  `LibreOffice: the same ${englishDocx.length} English DOCX to PDF (one soffice call)`,
  samples.lo,
);
const notes = [
  `machine load (1-minute average): ${loadAtStart.toFixed(1)} when the runs started, ${loadavg()[0].toFixed(1)} when they ended`,
];
if (base)
  notes.push(
    `English, this nv / baseline: wall ${(en.wall / base.wall).toFixed(2)}×, CPU ${(en.cpu / base.cpu).toFixed(2)}× (issue 8's bound: 1.10×); round by round (median, range): wall ${paired(samples.en, samples.base, 'wall')}, CPU ${paired(samples.en, samples.base, 'cpu')}`,
  );
if (multiInfo && multiInfo.langs.length < LANGS.length)
  notes.push(
    `the multilingual example writes in ${multiInfo.langs.join(', ')} only: the notes were dealt out over those`,
  );
if (multi)
  notes.push(
    `six languages / English: ${(multi.wall / en.wall).toFixed(2)}× (issue 8's bound: 1.5×); CPU ${(multi.cpu / en.cpu).toFixed(2)}×; round by round (median, range): wall ${paired(samples.multi, samples.en, 'wall')}, CPU ${paired(samples.multi, samples.en, 'cpu')}`,
  );
else notes.push(`six languages: skipped: ${multiSkipped}`);
if (multiInfo)
  notes.push(
    `six-language batch: the ${multiInfo.own} recipients of ${MULTI} as written, the other States dealt out over its languages (their addressee in English): ${multiInfo.count}`,
  );
if (lo)
  notes.push(
    `LibreOffice / nv (${N} English notes, nv writing DOCX + PDF): wall ${(lo.wall / en.wall).toFixed(1)}×, CPU ${(lo.cpu / en.cpu).toFixed(1)}×`,
  );
else notes.push(`LibreOffice: skipped: ${noLo}`);
const { found, missing } = fontFiles();
notes.push(
  `nv's fonts in node_modules (given to LibreOffice): ${Object.keys(found).join(', ') || 'none'}${missing.length ? `; not installed: ${missing.join(', ')}` : ''}`,
);
for (const n of notes) console.log(n);

if (record) {
  const md = [
    `\n## languages: 195 English notes, 195 in six languages, LibreOffice — ${machine()}`,
    '',
    `\`node bench/languages.mjs ${args.filter((a) => a !== '--record').join(' ')}\` on ${revision(ROOT)}. Median of ${runs} runs, the jobs interleaved, the baseline and this nv back to back in turn first (wall clock of the whole command, Node start-up included; CPU = user + system of the process and its children; peak RSS by /usr/bin/time). On a shared machine CPU time, and the ratios taken round by round, are the steadier figures.`,
    '',
    '| job | wall (s) | CPU (s) | peak RSS (MB) | runs, wall (s) |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.rss.toFixed(0)} | ${r.runs.map((w) => w.toFixed(2)).join(', ')} |`,
    ),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
  appendFileSync(join(ROOT, 'bench', 'RESULTS.md'), md);
}
