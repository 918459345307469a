#!/usr/bin/env node
// Fuzz run for replies: crafted hostile files (the bombs of issue 7, built small by bombs.mjs, bare
// and inside e-mails) and mutants of every reply fixture and hand-written e-mail (bytes flipped,
// cut, repeated, dropped, inserted; seeded), each ingested by the built `nv ingest` in its own
// process with the default budgets. A run is a crash when it exits 3, dies of a signal or prints a
// stack; over budget when it outlives the per-document time budget plus a margin. Peak RSS of each
// run from /usr/bin/time. Builds nothing: run `npm run build` first.
//
//   node bench/fuzz/replies.mjs [--mutants 6] [--seed 7] [--record] [--only crafted|mutants]
//
// --record appends the figures to bench/RESULTS.md; the runs are in bench/out/fuzz-replies.json.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { timedIngest } from '../timed-ingest.mjs';
import { deflateSync } from 'node:zlib';
import {
  docxBomb,
  emailWith,
  fanOutPdf,
  inflateBombPdf,
  manyOperatorsPdf,
  manyPagesPdf,
  writePdf,
  zlibOf,
} from './bombs.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');
const NV = join(ROOT, 'bin', 'nv.js');
const OUT = join(ROOT, 'bench', 'out');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const MUTANTS = Number(opt('--mutants', 6));
const SEED = Number(opt('--seed', 7));
const ONLY = opt('--only', '');
/** The default per-document time budget (src/intake/budgets.ts) and the margin a run may take beyond it (start-up, e-mails of several documents). */
const BUDGET_SECONDS = 30;
const RUN_LIMIT_SECONDS = 3 * BUDGET_SECONDS;
const OVER_SECONDS = BUDGET_SECONDS + 20;

// ---------------------------------------------------------------------------------------------
// Inputs

/** Seeded numbers in [0, 1): SHA-256 of seed and counter, the same on every machine. */
function seeded(seed) {
  let n = 0;
  return () => createHash('sha256').update(`${seed}:${n++}`).digest().readUInt32BE(0) / 2 ** 32;
}

function mutate(bytes, rnd) {
  const b = Buffer.from(bytes);
  const at = () => Math.floor(rnd() * Math.max(1, b.length));
  switch (Math.floor(rnd() * 5)) {
    case 0: {
      for (let i = 0, n = 1 + Math.floor(rnd() * 50); i < n; i++) b[at()] = Math.floor(rnd() * 256);
      return ['flip', b];
    }
    case 1:
      return ['cut', b.subarray(0, at())];
    case 2: {
      const s = at();
      const chunk = b.subarray(s, s + 1 + Math.floor(rnd() * 4096));
      return [
        'repeat',
        Buffer.concat([b.subarray(0, s), ...Array(2 + Math.floor(rnd() * 50)).fill(chunk), b.subarray(s)]),
      ];
    }
    case 3: {
      const s = at();
      return ['drop', Buffer.concat([b.subarray(0, s), b.subarray(s + 1 + Math.floor(rnd() * 4096))])];
    }
    default: {
      const s = at();
      const junk = Buffer.from(
        Array.from({ length: 1 + Math.floor(rnd() * 256) }, () => Math.floor(rnd() * 256)),
      );
      return ['insert', Buffer.concat([b.subarray(0, s), junk, b.subarray(s)])];
    }
  }
}

function pngHeader(width, height) {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr[16] = 8;
  ihdr[17] = 2;
  const iend = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, iend]);
}

/** A TIFF whose directory chain points back to itself, and one of 100,000 directories. */
function tiffLoop() {
  const b = Buffer.alloc(8 + 2 + 12 + 4);
  b.write('II', 0, 'latin1');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(8, 4);
  b.writeUInt16LE(1, 8);
  b.writeUInt16LE(256, 10);
  b.writeUInt16LE(3, 12);
  b.writeUInt32LE(1, 14);
  b.writeUInt32LE(100, 18);
  b.writeUInt32LE(8, 22); // next IFD: itself
  return b;
}
function tiffMany(n) {
  const ifd = 2 + 12 + 4;
  const b = Buffer.alloc(8 + n * ifd);
  b.write('II', 0, 'latin1');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(8, 4);
  for (let i = 0; i < n; i++) {
    const o = 8 + i * ifd;
    b.writeUInt16LE(1, o);
    b.writeUInt16LE(256, o + 2);
    b.writeUInt16LE(3, o + 4);
    b.writeUInt32LE(1, o + 6);
    b.writeUInt32LE(100, o + 10);
    b.writeUInt32LE(i + 1 < n ? o + ifd : 0, o + 14);
  }
  return b;
}

function nestedForward(depth) {
  let msg = Buffer.from(
    'From: a@b.example\r\nSubject: inner\r\nDate: Fri, 21 Sep 2012 09:15:40 +0200\r\n\r\nhello\r\n',
  );
  for (let i = 0; i < depth; i++) {
    msg = Buffer.concat([
      Buffer.from(
        `From: fwd${i}@bmeia.gv.at\r\nSubject: Fwd ${i}\r\nDate: Fri, 21 Sep 2012 09:15:40 +0200\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="f${i}"\r\n\r\n--f${i}\r\nContent-Type: message/rfc822\r\n\r\n`,
      ),
      msg,
      Buffer.from(`\r\n--f${i}--\r\n`),
    ]);
  }
  return msg;
}

function crafted() {
  const pdf = (name, bytes) => ({ name: `${name}.pdf`, bytes });
  const bare = [
    pdf('inflate-500mb-encrypted', inflateBombPdf({ mb: 500, encrypt: true })),
    pdf('inflate-2gb-single-layer', inflateBombPdf({ mb: 2048 })),
    pdf('inflate-2gb-two-layers', inflateBombPdf({ mb: 2048, layers: 2 })),
    pdf('inflate-2gb-two-layers-encrypted', inflateBombPdf({ mb: 2048, layers: 2, encrypt: true })),
    pdf('fan-out-1e10', fanOutPdf({ depth: 10, fan: 10 })),
    pdf('fan-out-1e10-encrypted', fanOutPdf({ depth: 10, fan: 10, encrypt: true })),
    pdf('600-pages-300k-operators-encrypted', manyOperatorsPdf({ pages: 600, ops: 300_000, encrypt: true })),
    pdf('600-pages-300k-operators', manyOperatorsPdf({ pages: 600, ops: 300_000 })),
    pdf('5000-pages', manyPagesPdf({ pages: 5000 })),
    pdf('5000-pages-encrypted', manyPagesPdf({ pages: 5000, encrypt: true })),
    pdf(
      'font-stream-2gb-encrypted',
      writePdf(
        [
          { dict: '/Type /Catalog /Pages 2 0 R' },
          { dict: '/Type /Pages /Count 1 /Kids [5 0 R]' },
          {
            dict: '/Type /Font /Subtype /TrueType /BaseFont /Bomb /FirstChar 32 /LastChar 32 /Widths [500] /FontDescriptor 6 0 R',
          },
          { dict: '', stream: Buffer.from('BT /F1 12 Tf 72 700 Td (Reply) Tj ET') },
          {
            dict: '/Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >>',
          },
          {
            dict: '/Type /FontDescriptor /FontName /Bomb /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 7 0 R',
          },
          { dict: '/Filter [/FlateDecode /FlateDecode]', stream: deflateSync(zlibOf(2048), { level: 9 }) },
        ],
        { encrypt: true },
      ),
    ),
    { name: 'runs-2.5m.docx', bytes: docxBomb({ runs: 2_500_000 }) },
    { name: 'png-100000x100000.png', bytes: pngHeader(100_000, 100_000) },
    { name: 'tiff-loop.tif', bytes: tiffLoop() },
    { name: 'tiff-100000-pages.tif', bytes: tiffMany(100_000) },
  ];
  const mails = bare
    .filter((f) => f.name.endsWith('.pdf') || f.name.endsWith('.docx'))
    .slice(0, 8)
    .map((f) => ({
      name: `mail-${f.name}.eml`,
      bytes: emailWith(
        [
          { name: f.name, type: 'application/pdf', bytes: f.bytes },
          { name: 'note.pdf', type: 'application/pdf', bytes: manyPagesPdf({ pages: 1 }) },
        ],
        { subject: `reply ${f.name}` },
      ),
    }));
  const many = Array.from({ length: 2000 }, (_, i) => ({
    name: `n${i}.pdf`,
    type: 'application/pdf',
    bytes: manyPagesPdf({ pages: 1 }),
  }));
  const headerBomb = Buffer.concat([
    Buffer.from('From: a@bmeia.gv.at\r\nDate: Fri, 21 Sep 2012 09:15:40 +0200\r\n'),
    Buffer.from('X-Filler: a\r\n'.repeat(200_000)),
    Buffer.from('\r\nbody\r\n'),
  ]);
  return [
    ...bare,
    ...mails,
    { name: 'mail-2000-attachments.eml', bytes: emailWith(many, { subject: 'many' }) },
    { name: 'mail-forwarded-50-deep.eml', bytes: nestedForward(50) },
    { name: 'mail-200000-headers.eml', bytes: headerBomb },
  ].map((f) => ({ ...f, kind: 'crafted' }));
}

function mutants() {
  const rnd = seeded(SEED);
  const seeds = [
    ...readdirSync(join(ROOT, 'fixtures', 'replies'))
      .filter((f) => /\.(pdf|eml|tif|jpg|png|docx)$/.test(f))
      .map((f) => join(ROOT, 'fixtures', 'replies', f)),
    ...readdirSync(join(ROOT, 'test', 'intake', 'mail')).map((f) => join(ROOT, 'test', 'intake', 'mail', f)),
  ];
  const out = [];
  for (const file of seeds) {
    const bytes = readFileSync(file);
    for (let i = 0; i < MUTANTS; i++) {
      const [how, b] = mutate(bytes, rnd);
      const name = basename(file);
      const dot = name.lastIndexOf('.');
      out.push({ name: `${name.slice(0, dot)}.${how}${i}${name.slice(dot)}`, bytes: b, kind: 'mutant' });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Runs

const dir = mkdtempSync(join(tmpdir(), 'nv-fuzz-'));
const init = spawnSync(process.execPath, [NV, 'init', 'ws', '--example', 'uncac-2012', '--yes'], {
  cwd: dir,
});
if (init.status !== 0) throw new Error(init.stderr.toString());
const ws = join(dir, 'ws');
mkdirSync(join(dir, 'in'));

const inputs = [...(ONLY === 'mutants' ? [] : crafted()), ...(ONLY === 'crafted' ? [] : mutants())];
const runs = [];
for (const input of inputs) {
  const path = join(dir, 'in', input.name);
  writeFileSync(path, input.bytes);
  const channel = input.name.endsWith('.eml') ? [] : ['--channel', 'post'];
  const r = timedIngest(ws, path, channel, { timeoutSeconds: RUN_LIMIT_SECONDS });
  const { code, signal, stderr, seconds } = r;
  let classes = '';
  try {
    classes = JSON.parse(r.stdout)
      .items.flatMap((i) => i.documents.map((d) => d.class))
      .join(',');
  } catch {}
  const crash = code === 3 || signal !== null || /\n\s+at .+:\d+:\d+/.test(stderr);
  const over = r.timedOut || seconds > OVER_SECONDS;
  const run = {
    name: input.name,
    kind: input.kind,
    bytes: input.bytes.length,
    code,
    signal,
    seconds: Math.round(seconds * 100) / 100,
    peakMb: r.peakMb,
    classes,
    crash,
    over,
  };
  if (crash || over) run.stderr = stderr.slice(0, 2000);
  runs.push(run);
  console.log(
    `${crash ? 'CRASH' : over ? 'OVER ' : 'ok   '} ${run.seconds.toFixed(1).padStart(5)} s ${String(run.peakMb).padStart(4)} MB exit ${run.code} ${input.kind.padEnd(7)} ${input.name} ${classes}`,
  );
}

const summary = (list) => {
  const secs = list.map((r) => r.seconds).sort((a, b) => a - b);
  const mem = list.map((r) => r.peakMb ?? 0).sort((a, b) => a - b);
  return {
    runs: list.length,
    crashes: list.filter((r) => r.crash).length,
    over: list.filter((r) => r.over).length,
    exits: Object.entries(list.reduce((m, r) => ({ ...m, [r.code]: (m[r.code] ?? 0) + 1 }), {}))
      .map(([c, n]) => `${n}× exit ${c}`)
      .join(', '),
    medianSeconds: secs[Math.floor(secs.length / 2)] ?? 0,
    maxSeconds: secs[secs.length - 1] ?? 0,
    medianMb: mem[Math.floor(mem.length / 2)] ?? 0,
    maxMb: mem[mem.length - 1] ?? 0,
  };
};
const all = summary(runs);
const byKind = {
  crafted: summary(runs.filter((r) => r.kind === 'crafted')),
  mutant: summary(runs.filter((r) => r.kind === 'mutant')),
};
console.log(JSON.stringify({ all, byKind }, null, 2));
mkdirSync(OUT, { recursive: true });
writeFileSync(
  join(OUT, 'fuzz-replies.json'),
  JSON.stringify({ seed: SEED, mutants: MUTANTS, all, byKind, runs }, null, 2),
);

if (args.includes('--record')) {
  const cpu = cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? '?';
  const line = (label, s) =>
    `| ${label} | ${s.runs} | ${s.crashes} | ${s.over} | ${s.exits} | ${s.medianSeconds.toFixed(1)} / ${s.maxSeconds.toFixed(1)} | ${s.medianMb} / ${s.maxMb} |`;
  const crafted = runs.filter((r) => r.kind === 'crafted');
  appendFileSync(
    join(ROOT, 'bench', 'RESULTS.md'),
    [
      '',
      `## fuzz: replies — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${loadavg()[0].toFixed(1)}`,
      '',
      `\`node bench/fuzz/replies.mjs --mutants ${MUTANTS} --seed ${SEED} --record\`: each file ingested by the built \`nv ingest\` in its own`,
      `process with the default budgets (inflated-mb 256, operators 2,000,000, pages 1,000, seconds 30, memory-mb 400).`,
      `Crash: exit 3, a signal or a stack. Over budget: a run longer than ${OVER_SECONDS} s (killed at ${RUN_LIMIT_SECONDS} s). Peak = peak RSS of the run.`,
      '',
      '| inputs | runs | crashes | over budget | exit codes | seconds median / max | peak MB median / max |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      line('crafted (bombs, bare and in e-mails)', byKind.crafted),
      line(`mutants of the reply fixtures and test e-mails (seed ${SEED})`, byKind.mutant),
      line('all', all),
      '',
      '| crafted file | bytes | exit | seconds | peak MB | classes |',
      '| --- | --- | --- | --- | --- | --- |',
      ...crafted.map(
        (r) =>
          `| ${r.name} | ${r.bytes.toLocaleString('en-US')} | ${r.code} | ${r.seconds.toFixed(1)} | ${r.peakMb} | ${r.classes} |`,
      ),
      '',
    ].join('\n'),
  );
}
