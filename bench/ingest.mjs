#!/usr/bin/env node
// Benchmark: `nv ingest` of 250, 500 and 1,000 e-mailed replies (each with one to three scanned
// notes of 1–4 pages, now and then a CSV delegation list) into fresh example workspaces, and a
// second ingest of the same 1,000 (all already there): wall time and peak memory. The mailbox is
// generated, seeded, by bench/ingest-mails.mjs into bench/out/ingest-mails/ (made once, reused
// while the generator and seed are the same). Builds the project first; needs ImageMagick
// (`convert`, for the scan images, once) and /usr/bin/time for peak memory.
//
//   node bench/ingest.mjs [--runs 3] [--count 1000] [--seed 2012] [--no-build] [--profile] [--keep] [--record]
//
// --profile (or a missed target: 1,000 messages in 30 s) also runs one ingest of the whole
// mailbox under `node --cpu-prof` and prints where the time goes (bench/ingest-profile.mjs);
// --record appends the results, with the machine and date, to bench/RESULTS.md; --keep keeps the
// workspaces (bench/out/ingest-ws-N) for a look.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { generateMails } from './ingest-mails.mjs';
import { printSummary, summarise } from './ingest-profile.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const NV = join(ROOT, 'bin', 'nv.js');
const OUT = join(ROOT, 'bench', 'out');
const MAILS = join(OUT, 'ingest-mails');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const runs = Number(opt('--runs', 3)) || 3;
const count = Number(opt('--count', 1000));
const seed = Number(opt('--seed', 2012));
const record = args.includes('--record');
const profile = args.includes('--profile');
const TARGET_S = 30;
const env = { ...process.env, CI: 'true' };
const fmt = (n) => n.toLocaleString('en-US');

if (!(count > 0 && count % 4 === 0)) throw new Error('--count must be a multiple of 4');
let buildNote = null;
if (!args.includes('--no-build')) {
  process.stdout.write('building… ');
  // tsc emits dist/ even when it reports type errors: say so, and measure what it emitted.
  const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (b.status !== 0) {
    const errors = (b.stdout + b.stderr).split('\n').filter((l) => /error TS\d+/.test(l));
    if (errors.length === 0) throw new Error(`npm run build failed:\n${b.stdout}${b.stderr}`);
    const files = [...new Set(errors.map((l) => l.replace(/\(.*$/, '')))];
    buildNote = `tsc reported ${errors.length} type error(s) (${files.join(', ')}); dist/ was emitted anyway and measured`;
    console.log(`\n  warning: ${buildNote}\n  ${errors.slice(0, 5).join('\n  ')}`);
  } else console.log('done');
}
const git = (...a) => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
const commit = git('rev-parse', '--short', 'HEAD');
const dirty = git('status', '--porcelain', '--untracked-files=no', '--', 'src').length > 0;

process.stdout.write('mailbox… ');
const t0 = performance.now();
const mails = await generateMails({ count, seed, out: MAILS });
console.log(
  `${fmt(mails.count)} messages from ${mails.states} States, ${(mails.bytes / 1e6).toFixed(0)} MB (${((performance.now() - t0) / 1000).toFixed(1)} s): ${fmt(mails.pdfs)} scanned PDFs of ${fmt(mails.pages)} pages, ${mails.csvs} CSV lists`,
);

/** The first n messages: the folders that hold them (the mailbox comes in four folders). */
function subset(n) {
  const folders = mails.folders.slice(0, Math.ceil(n / mails.batch));
  const files = mails.files.slice(0, n);
  const docs = files.flatMap((f) => f.documents);
  return {
    n,
    paths: folders.map((f) => join(MAILS, f)),
    files,
    pdfs: docs.filter((d) => d.kind === 'pdf').length,
    csvs: docs.filter((d) => d.kind === 'csv').length,
    pages: docs.reduce((s, d) => s + d.pages, 0),
    mb: files.reduce((s, f) => s + f.size, 0) / 1e6,
  };
}

function timed(cmd, argv) {
  // GNU time prints "elapsed maxrss user system" on its own last line of stderr.
  const r = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %M %U %S', cmd, ...argv], {
    encoding: 'utf8',
    env,
    maxBuffer: 1 << 30,
  });
  const m = /BENCH ([\d.]+) (\d+) ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || !m)
    throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return {
    wall: Number(m[1]),
    rssMb: Number(m[2]) / 1024,
    cpu: Number(m[3]) + Number(m[4]),
    stdout: r.stdout,
  };
}

function freshWorkspace(n) {
  const dir = join(OUT, `ingest-ws-${n}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  execFileSync(process.execPath, [NV, 'init', dir, '--example', 'uncac-2012', '--yes'], {
    env,
    stdio: 'ignore',
  });
  return dir;
}

/** Files under the workspace's archive (.nv/archive/ab/…). */
function archived(ws) {
  const root = join(ws, '.nv', 'archive');
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

const facts = {}; // what the last 1,000-message ingest said, for the bullets

/** Checks `nv ingest --json` against what was generated; throws on any difference. */
function check(set, stdout, expect) {
  const j = JSON.parse(stdout);
  const t = j.totals;
  const want = expect === 'added' ? { added: set.n, existing: 0 } : { added: 0, existing: set.n };
  if (t.files !== set.n || t.added !== want.added || t.existing !== want.existing)
    throw new Error(
      `ingest of ${set.n}: ${JSON.stringify(t)}, expected ${JSON.stringify({ files: set.n, ...want })}`,
    );
  if (expect === 'existing') return j;
  const classes = {};
  const sources = {};
  const statuses = {};
  let wrongState = 0;
  for (const [i, it] of j.items.entries()) {
    const gen = set.files.find((f) => it.file.endsWith(f.file)) ?? set.files[i];
    for (const d of it.documents) {
      const k = `${d.kind} ${d.class}`;
      classes[k] = (classes[k] ?? 0) + 1;
      const ok = (d.kind === 'pdf' && d.class === 'scanned') || (d.kind === 'csv' && d.class === 'data');
      if (!ok)
        throw new Error(
          `${it.file}: ${d.name} is ${d.kind} ${d.class} (${d.reason}), expected pdf scanned or csv data`,
        );
    }
    if (it.documents.length !== gen.documents.length)
      throw new Error(`${it.file}: ${it.documents.length} documents, generated ${gen.documents.length}`);
    if (it.state && it.state !== gen.state) wrongState++;
    sources[it.stateSource ?? 'none'] = (sources[it.stateSource ?? 'none'] ?? 0) + 1;
    statuses[it.status] = (statuses[it.status] ?? 0) + 1;
  }
  if (classes['pdf scanned'] !== set.pdfs || (classes['csv data'] ?? 0) !== set.csvs)
    throw new Error(
      `ingest of ${set.n}: ${JSON.stringify(classes)}, generated ${set.pdfs} PDFs and ${set.csvs} CSVs`,
    );
  if (wrongState) throw new Error(`ingest of ${set.n}: ${wrongState} replies given to the wrong State`);
  Object.assign(facts, { classes, sources, statuses });
  return j;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const sets = [count / 4, count / 2, count].map(subset);
const rows = new Map(); // label → samples
const loads = [];
function sample(label, fn) {
  loads.push(loadavg()[0]);
  const s = fn();
  if (!rows.has(label)) rows.set(label, []);
  rows.get(label).push(s);
  console.log(
    `  ${label.padEnd(68)} ${s.wall.toFixed(2).padStart(7)} s  ${s.cpu.toFixed(2).padStart(6)} s CPU  ${s.rssMb.toFixed(0).padStart(5)} MB  load ${loads.at(-1).toFixed(2)}`,
  );
}

const label = (s) =>
  `nv ingest, ${fmt(s.n)} messages (${fmt(s.pdfs + s.csvs)} attachments, ${fmt(s.pages)} pages, ${s.mb.toFixed(0)} MB)`;
const againLabel = `nv ingest again, the same ${fmt(count)} (all existing)`;
for (let run = 1; run <= runs; run++) {
  console.log(`run ${run} of ${runs}`);
  for (const set of sets) {
    let ws;
    sample(label(set), () => {
      ws = freshWorkspace(set.n);
      const r = timed(process.execPath, [NV, 'ingest', ...set.paths, '-w', ws, '--yes', '--json']);
      check(set, r.stdout, 'added');
      return r;
    });
    const inArchive = archived(ws);
    const expected = set.n + set.pdfs + set.csvs;
    if (inArchive !== expected)
      throw new Error(`archive of ${set.n}: ${inArchive} files, expected ${expected}`);
    if (set.n === count)
      sample(againLabel, () => {
        const r = timed(process.execPath, [NV, 'ingest', ...set.paths, '-w', ws, '--yes', '--json']);
        check(set, r.stdout, 'existing');
        if (archived(ws) !== expected) throw new Error('the second ingest changed the archive');
        return r;
      });
  }
}
loads.push(loadavg()[0]);

const results = [...rows.entries()].map(([l, samples]) => ({
  label: l,
  wall: median(samples.map((s) => s.wall)),
  cpu: median(samples.map((s) => s.cpu)),
  rss: Math.max(...samples.map((s) => s.rssMb)),
  samples: samples.map((s) => s.wall),
}));
console.log();
for (const r of results)
  console.log(
    `${r.label.padEnd(68)} ${r.wall.toFixed(2).padStart(7)} s  ${r.cpu.toFixed(2).padStart(6)} s CPU  ${r.rss.toFixed(0).padStart(5)} MB   (${r.samples.map((s) => s.toFixed(2)).join(', ')})`,
  );

const [small, mid, full] = results;
const again = results.find((r) => r.label === againLabel);
const big = sets[2];
const lines = [
  `${fmt(count)} messages in ${full.wall.toFixed(1)} s: ${((1000 * full.wall) / count).toFixed(1)} ms a message, ${(big.mb / full.wall).toFixed(1)} MB/s of mail, ${((big.pdfs + big.csvs) / full.wall).toFixed(0)} attachments/s; target under ${TARGET_S} s: ${full.wall < TARGET_S ? 'met' : 'missed'}`,
  `wall ${fmt(count / 2)} / ${fmt(count / 4)}: ${(mid.wall / small.wall).toFixed(2)}×, ${fmt(count)} / ${fmt(count / 2)}: ${(full.wall / mid.wall).toFixed(2)}×; CPU (user + system) ${(mid.cpu / small.cpu).toFixed(2)}×, ${(full.cpu / mid.cpu).toFixed(2)}× (start-up included; CPU can exceed wall: libuv and GC threads)`,
  `peak memory ${fmt(count / 4)} / ${fmt(count / 2)} / ${fmt(count)} messages: ${small.rss.toFixed(0)} / ${mid.rss.toFixed(0)} / ${full.rss.toFixed(0)} MB (${fmt(count)} vs ${fmt(count / 4)}: ${(full.rss / small.rss).toFixed(2)}×)`,
  `second ingest of the same ${fmt(count)}: ${again.wall.toFixed(2)} s, ${again.rss.toFixed(0)} MB, every message reported existing, archive unchanged`,
  `checked each run: every PDF classified scanned (${fmt(big.pdfs)}), every CSV data (${big.csvs}), archive = messages + attachments; States: ${Object.entries(
    facts.sources,
  )
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${fmt(v)} by ${k}`)
    .join(', ')}, none wrong; statuses: ${Object.entries(facts.statuses)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${fmt(v)} ${k}`)
    .join(', ')}`,
  `load average (1 min) at the start of each measurement: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} (other sessions share the ${cpus().length} cores)`,
];
console.log();
for (const l of lines) console.log(l);

let profileLines = [];
if (profile || full.wall >= TARGET_S) {
  const dir = join(OUT, 'ingest-prof');
  rmSync(dir, { recursive: true, force: true });
  const ws = freshWorkspace(count);
  console.log(`\nprofiling one ingest of ${fmt(count)} (node --cpu-prof)…`);
  const r = timed(process.execPath, [
    '--cpu-prof',
    '--cpu-prof-dir',
    dir,
    NV,
    'ingest',
    ...big.paths,
    '-w',
    ws,
    '--yes',
    '--json',
  ]);
  check(big, r.stdout, 'added');
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const s = summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')), 25);
  console.log(`(${r.wall.toFixed(2)} s wall under the profiler; ${join(dir, file)})`);
  printSummary(s);
  const pct = (ms) => `${((100 * ms) / s.total).toFixed(0)} %`;
  profileLines = [
    `CPU profile of one ${fmt(count)} ingest (${(s.total / 1000).toFixed(1)} s sampled on the main thread), self time: ${s.areas
      .filter(([, ms]) => ms / s.total >= 0.03)
      .map(([a, ms]) => `${a} ${pct(ms)}`)
      .join(', ')}`,
    `the same, by step (inclusive): ${s.steps
      .filter(([, ms]) => ms / s.total >= 0.02)
      .sort((x, y) => y[1] - x[1])
      .map(([l, ms]) => `${l} ${pct(ms)}`)
      .join('; ')}`,
  ];
}

// The workspaces hold a copy of every message and attachment (~1.7 × the mailbox): keep them only on request.
if (!args.includes('--keep'))
  for (const n of [...sets.map((x) => x.n), count])
    rmSync(join(OUT, `ingest-ws-${n}`), { recursive: true, force: true });

if (record) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const md = [
    `\n## ingest — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    '',
    `Median of ${runs} run${runs === 1 ? '' : 's'} (wall clock of the whole command, Node start-up included; CPU = user + system; peak RSS by /usr/bin/time). ` +
      `Mailbox: bench/ingest-mails.mjs, seed ${seed}: replies from the ${mails.states} invited States, one to three scanned notes ` +
      `(grey 150 dpi JPEG pages, 1–4 a PDF) and now and then a CSV list, base64; each count in a fresh example workspace.`,
    '',
    '| job | wall (s) | CPU (s) | peak RSS (MB) | runs (s) |',
    '| --- | ---: | ---: | ---: | --- |',
    ...results.map(
      (r) =>
        `| ${r.label} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.rss.toFixed(0)} | ${r.samples.map((s) => s.toFixed(2)).join(', ')} |`,
    ),
    '',
    ...lines.map((l) => `- ${l}`),
    `- built from commit ${commit || '?'}${dirty ? ' with uncommitted changes in src/' : ''}${buildNote ? `; ${buildNote}` : ''}`,
    ...profileLines.map((l) => `- ${l}`),
    '',
  ].join('\n');
  appendFileSync(join(ROOT, 'bench', 'RESULTS.md'), md);
  console.log('\nappended to bench/RESULTS.md');
}
