#!/usr/bin/env node
// Bench: every PDF of pdf.js's test suite copied in ../shared/corpus/pdfjs (when present) and the
// reply fixtures, each ingested by the built `nv ingest` in its own process: the class, whether it
// is what MANIFEST.tsv expects, wall seconds and peak RSS (/usr/bin/time). A bench may read
// ../shared; the tests never do.
//
//   node bench/intake-corpus.mjs [--label before|after] [--json out.json]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const NV = join(ROOT, 'bin', 'nv.js');
const CORPUS = resolve(ROOT, '..', 'shared', 'corpus', 'pdfjs');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);

const expected = new Map();
if (existsSync(join(CORPUS, 'MANIFEST.tsv'))) {
  for (const line of readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1)) {
    const [file, want] = line.split('\t');
    if (file) expected.set(join(CORPUS, file), want);
  }
}
const files = [
  ...expected.keys(),
  ...readdirSync(join(ROOT, 'fixtures', 'replies'))
    .filter((f) => f.endsWith('.pdf'))
    .map((f) => join(ROOT, 'fixtures', 'replies', f)),
];

const dir = mkdtempSync(join(tmpdir(), 'nv-corpus-'));
const init = spawnSync(process.execPath, [NV, 'init', 'ws', '--example', 'uncac-2012', '--yes'], { cwd: dir });
if (init.status !== 0) throw new Error(init.stderr.toString());
const ws = join(dir, 'ws');

const ok = (want, cls) =>
  !want ||
  want === 'no-crash' ||
  want === cls ||
  (want === 'not-scanned' && !['scanned', 'scanned-ocr'].includes(cls));
const rows = [];
for (const file of files) {
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', 'TIME %e %M', process.execPath, NV, 'ingest', '-w', ws, '--json', '--yes', '--channel', 'post',
      '--state', 'AUT', '--received', '2012-09-20 10:00', file],
    { cwd: ws, encoding: 'utf8', timeout: 300_000 },
  );
  const t = /TIME ([\d.]+) (\d+)/.exec(r.stderr);
  let cls = `exit ${r.status}`;
  try {
    cls = JSON.parse(r.stdout).items[0].documents.map((d) => d.class).join(',');
  } catch {}
  const want = expected.get(file);
  rows.push({ file: file.split('/').pop(), exit: r.status, class: cls, want: want ?? '', ok: r.status === 0 && ok(want, cls), seconds: Number(t?.[1]), peakMb: Math.round(Number(t?.[2]) / 1024) });
}
const sorted = rows.map((r) => r.seconds).sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
for (const r of rows) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.seconds.toFixed(2)} s ${String(r.peakMb).padStart(4)} MB  ${r.class.padEnd(12)} ${r.want.padEnd(12)} ${r.file}`);
console.log(`${opt('--label', '')} ${rows.length} files, ${rows.filter((r) => !r.ok).length} failures, median ${median.toFixed(2)} s, max ${sorted[sorted.length - 1].toFixed(2)} s, peak RSS max ${Math.max(...rows.map((r) => r.peakMb))} MB`);
if (opt('--json')) writeFileSync(opt('--json'), JSON.stringify({ label: opt('--label', ''), median, rows }, null, 2));
