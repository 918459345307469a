#!/usr/bin/env node
// Benchmark: `nv generate` of 200 and 2,000 notes (DOCX and PDF), wall time and peak memory,
// side by side in the same run with LibreOffice converting the same 200 DOCX to PDF (the route
// secretariats take today). Needs `npm run build`; LibreOffice (Debian libreoffice-writer-nogui)
// for the comparison, /usr/bin/time for peak memory.
//
//   node bench/generate.mjs [--runs 3] [--no-libreoffice] [--record]
//
// --record appends the results, with the machine and date, to bench/RESULTS.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { convertToPdf, sofficePath } from '../test/helpers/libreoffice.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const NV = join(ROOT, 'bin', 'nv.js');
const OUT = join(ROOT, 'bench', 'out');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const withLo = !args.includes('--no-libreoffice') && sofficePath() !== null;
const record = args.includes('--record');

function timed(cmd, argv, opts = {}) {
  // GNU time prints "elapsed maxrss" on its own last line of stderr.
  const r = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %M', cmd, ...argv], { encoding: 'utf8', ...opts });
  const m = /BENCH ([\d.]+) (\d+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || !m)
    throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return { wall: Number(m[1]), rssMb: Number(m[2]) / 1024, stdout: r.stdout };
}

/** The example workspace with `n` recipients: its 195 States, then organizations up to n. */
function workspace(n) {
  const dir = join(OUT, `ws-${n}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  execFileSync(process.execPath, [NV, 'init', dir, '--example', 'uncac-2012', '--yes'], {
    env: { ...process.env, CI: 'true' },
  });
  const csv = readFileSync(join(dir, 'recipients.csv'), 'utf8').trimEnd().split('\n');
  const lines = csv.slice(0, 1 + Math.min(n, 195));
  // By the header's column names, so that a column added to recipients.csv stays empty here.
  const columns = csv[0].split(',');
  for (let i = lines.length - 1; i < n; i++) {
    const row = {
      state: `ORG${String(i).padStart(4, '0')}`,
      name: `Intergovernmental Organization No. ${i}`,
      category: 'organization',
      addressee: `Executive Secretary of the Intergovernmental Organization No. ${i}`,
      language: 'en',
    };
    lines.push(columns.map((c) => row[c] ?? '').join(','));
  }
  writeFileSync(join(dir, 'recipients.csv'), lines.join('\n') + '\n');
  return dir;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const results = [];
function measure(label, fn) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(fn(i));
  const wall = median(samples.map((s) => s.wall));
  const rss = Math.max(...samples.map((s) => s.rssMb));
  results.push({ label, wall, rss, samples: samples.map((s) => s.wall) });
  console.log(
    `${label.padEnd(58)} ${wall.toFixed(2).padStart(7)} s  ${rss.toFixed(0).padStart(5)} MB   (${samples.map((s) => s.wall.toFixed(2)).join(', ')})`,
  );
}

for (const n of [200, 2000]) {
  for (const format of ['docx,pdf', 'pdf', 'docx']) {
    if (n === 2000 && format !== 'docx,pdf') continue;
    measure(`nv generate, ${n} notes, ${format.replace(',', ' + ')}`, () => {
      const ws = workspace(n);
      const r = timed(process.execPath, [NV, 'generate', '-w', ws, '--yes', '--json', '--format', format], {
        env: { ...process.env, CI: 'true' },
      });
      const j = JSON.parse(r.stdout);
      const expected = n * format.split(',').length;
      if (j.totals.files !== expected) throw new Error(`wrote ${j.totals.files} files, expected ${expected}`);
      return r;
    });
  }
}
measure('nv generate again, 200 notes, nothing changed', () => {
  const ws = join(OUT, 'ws-200');
  return timed(process.execPath, [NV, 'generate', '-w', ws, '--yes', '--json'], {
    env: { ...process.env, CI: 'true' },
  });
});

// What stays alive, as opposed to what the collector has not reclaimed yet: the largest heap
// left after a full (mark-compact) collection during a fresh run, per thread, from --trace-gc.
const live = {};
for (const n of [200, 2000]) {
  const ws = workspace(n);
  const r = spawnSync(process.execPath, ['--trace-gc', NV, 'generate', '-w', ws, '--yes'], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    maxBuffer: 64 * 2 ** 20,
  });
  const byIsolate = {};
  for (const m of r.stdout.matchAll(
    /\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \(/g,
  ))
    byIsolate[m[1]] = Math.max(byIsolate[m[1]] ?? 0, Number(m[2]));
  live[n] = Object.values(byIsolate);
}

if (withLo) {
  const docxDir = join(OUT, 'ws-200', 'out', 'notes');
  const docx = readdirSync(docxDir, { recursive: true })
    .filter((f) => String(f).endsWith('.docx'))
    .map((f) => join(docxDir, String(f)));
  measure(`LibreOffice: the same ${docx.length} DOCX to PDF (one soffice call)`, () => {
    const out = join(OUT, 'lo');
    rmSync(out, { recursive: true, force: true });
    // With nv's fonts from node_modules in a throw-away HOME and profile (test/helpers/libreoffice.mjs).
    let r;
    convertToPdf(docx, {
      outDir: out,
      wrap: ['/usr/bin/time', '-f', 'BENCH %e %M'],
      onResult: (x) => (r = x),
    });
    const m = /BENCH ([\d.]+) (\d+)\s*$/.exec(r.stderr);
    return { wall: Number(m[1]), rssMb: Number(m[2]) / 1024 };
  });
}

const nv200 = results.find((r) => r.label.startsWith('nv generate, 200 notes, docx + pdf'));
const lo = results.find((r) => r.label.startsWith('LibreOffice'));
const nv2000 = results.find((r) => r.label.startsWith('nv generate, 2000 notes'));
const lines = [];
if (lo) lines.push(`LibreOffice / nv (200 notes, DOCX + PDF): ${(lo.wall / nv200.wall).toFixed(1)}×`);
lines.push(
  `peak memory 2,000 vs 200 notes: ${nv2000.rss.toFixed(0)} MB vs ${nv200.rss.toFixed(0)} MB (${(nv2000.rss / nv200.rss).toFixed(2)}×)`,
);
const liveText = (n) =>
  live[n].length ? live[n].map((x) => `${x.toFixed(1)} MB`).join(' + ') : 'no full GC';
lines.push(
  `largest live heap after a full GC, per thread (main, then the DOCX thread): 200 notes ${liveText(200)}; 2,000 notes ${liveText(2000)}`,
);
for (const l of lines) console.log(l);

if (record) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const md = [
    `\n## generate — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    '',
    `Median of ${runs} runs (wall clock of the whole command, Node start-up included; peak RSS by /usr/bin/time).`,
    '',
    '| job | wall (s) | peak RSS (MB) | runs (s) |',
    '| --- | ---: | ---: | --- |',
    ...results.map(
      (r) =>
        `| ${r.label} | ${r.wall.toFixed(2)} | ${r.rss.toFixed(0)} | ${r.samples.map((s) => s.toFixed(2)).join(', ')} |`,
    ),
    '',
    ...lines.map((l) => `- ${l}`),
    '',
  ].join('\n');
  appendFileSync(join(ROOT, 'bench', 'RESULTS.md'), md);
}
