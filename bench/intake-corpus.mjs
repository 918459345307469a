#!/usr/bin/env node
// Bench: every PDF of pdf.js's test suite copied in ../shared/corpus/pdfjs (when present) and the
// reply fixtures, each ingested by the built `nv ingest` in its own process: the class, whether it
// is what MANIFEST.tsv expects, wall seconds and peak RSS (/usr/bin/time). A bench may read
// ../shared; the tests never do.
//
//   node bench/intake-corpus.mjs [--label before|after] [--json out.json] [--record]
//
// --record appends the summary line and the table to bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { timedIngest } from './timed-ingest.mjs';

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
const init = spawnSync(process.execPath, [NV, 'init', 'ws', '--example', 'uncac-2012', '--yes'], {
  cwd: dir,
});
if (init.status !== 0) throw new Error(init.stderr.toString());
const ws = join(dir, 'ws');

const ok = (want, cls) =>
  !want ||
  want === 'no-crash' ||
  want === cls ||
  (want === 'not-scanned' && !['scanned', 'scanned-ocr'].includes(cls));
const rows = [];
for (const file of files) {
  const r = timedIngest(ws, file, ['--channel', 'post']);
  let cls = `exit ${r.code}`;
  try {
    cls = JSON.parse(r.stdout)
      .items[0].documents.map((d) => d.class)
      .join(',');
  } catch {}
  const want = expected.get(file);
  rows.push({
    file: file.split('/').pop(),
    exit: r.code,
    class: cls,
    want: want ?? '',
    ok: r.code === 0 && ok(want, cls),
    seconds: r.seconds,
    cpuSeconds: r.cpuSeconds,
    peakMb: r.peakMb,
  });
}
const sorted = rows.map((r) => r.seconds).sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const cpuSorted = rows.map((r) => r.cpuSeconds).sort((a, b) => a - b);
const cpuMedian = cpuSorted[Math.floor(cpuSorted.length / 2)];
for (const r of rows)
  console.log(
    `${r.ok ? 'ok  ' : 'FAIL'} ${r.seconds.toFixed(2)} s ${String(r.peakMb).padStart(4)} MB  ${r.class.padEnd(12)} ${r.want.padEnd(12)} ${r.file}`,
  );
const summary = `${rows.length} files, ${rows.filter((r) => !r.ok).length} failures, wall median ${median.toFixed(2)} s (max ${sorted[sorted.length - 1].toFixed(2)} s), CPU median ${cpuMedian.toFixed(2)} s, peak RSS max ${Math.max(...rows.map((r) => r.peakMb))} MB`;
console.log(`${opt('--label', '')} ${summary}`);
if (args.includes('--record')) {
  const cpuName = cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? '?';
  appendFileSync(
    join(ROOT, 'bench', 'RESULTS.md'),
    [
      '',
      `## intake corpus ${opt('--label', '')} — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpuName}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${loadavg()[0].toFixed(1)}`,
      '',
      '`node bench/intake-corpus.mjs --record`: each PDF ingested by the built `nv ingest` in its own process (one file a process:',
      'start-up, workspace and register included).',
      '',
      summary,
      '',
      '| file | expected | class | wall s | CPU s | peak MB |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) =>
          `| ${r.file} | ${r.want} | ${r.class} | ${r.seconds.toFixed(2)} | ${r.cpuSeconds.toFixed(2)} | ${r.peakMb} |`,
      ),
      '',
    ].join('\n'),
  );
}
if (opt('--json'))
  writeFileSync(opt('--json'), JSON.stringify({ label: opt('--label', ''), median, rows }, null, 2));
