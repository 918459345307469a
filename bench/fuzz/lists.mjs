// Fuzzing `nv delegation import` with mutated and crafted delegation lists (issue 7, "Hostile and
// oversized input"). Each list is imported by the built CLI in its own process, in one example
// workspace, under /usr/bin/time; a run is
//   - a crash when it exits with anything but 0, 1 or 2, is killed, or prints "internal error";
//   - over budget when its peak RSS passes 500 MB or it takes more than 60 s.
// The crafted kinds are those seen in the issue, built by code: a CSV of 1,000,000 rows, of
// 200,000 rows, one 50 MB line, a 1 MB line; XLSX whose sheet inflates to 200 MB and to 1 GB, a
// row numbered 2×10^9, one merge over the whole sheet, 100,000 merged ranges, 500,000 cells.
// The mutated kinds take the fixtures of fixtures/delegations and flip, drop, duplicate and insert
// bytes, quotes, delimiters and line breaks (seeded: the same seed gives the same files).
//
//   npm run build && node bench/fuzz/lists.mjs [--mutations 120] [--seed 7]
// Writes every run to bench/fuzz/lists-runs.csv and appends a summary to bench/RESULTS.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { zipSync } from 'fflate';

const ROOT = resolve(import.meta.dirname, '..', '..');
const NV = join(ROOT, 'bin', 'nv.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const MUTATIONS = arg('mutations', 120);
let seed = arg('seed', 7) >>> 0;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (a) => a[Math.floor(random() * a.length)];

const HEADER = 'State,Honorific,Given name,Family name,Title,Ministry,Role,E-mail,Telephone,Meetings';
const person = (i) =>
  `Austria,Mr.,Given${i},FAMILY${i},Counsellor,Ministry,${i ? 'member' : 'head'},p${i}@bmj.gv.at,+43 1 ${i},UNCAC`;

function csvRows(n) {
  const parts = [HEADER];
  for (let i = 0; i < n; i++) parts.push(person(i));
  return Buffer.from(parts.join('\r\n') + '\r\n');
}

const enc = (s) => new TextEncoder().encode(s);
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';

/** A workbook whose sheet is `body` (the XML inside <worksheet>), at the usual paths. */
function workbook(body) {
  return zipSync(
    {
      '[Content_Types].xml': enc(
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
      ),
      '_rels/.rels': enc(
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
      'xl/workbook.xml': enc(
        `<workbook ${NS} xmlns:r="${REL}"><sheets><sheet name="L" sheetId="1" r:id="r1"/></sheets></workbook>`,
      ),
      'xl/_rels/workbook.xml.rels': enc(
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
      'xl/worksheets/sheet1.xml':
        typeof body === 'string' ? enc(`<worksheet ${NS}>${body}</worksheet>`) : body,
    },
    { level: 9 },
  );
}

const cell = (ref, v) => `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
const headerRow = `<row r="1">${HEADER.split(',')
  .map((h, i) => cell(`${String.fromCharCode(65 + i)}1`, h))
  .join('')}</row>`;
const personRow = (r) =>
  `<row r="${r}">${person(r)
    .split(',')
    .map((v, i) => cell(`${String.fromCharCode(65 + i)}${r}`, v))
    .join('')}</row>`;

/** A sheet that inflates to about `mb` MB: a valid list, then a comment of spaces (compresses ~1000:1). */
function inflating(mb) {
  const head = enc(`<worksheet ${NS}><sheetData>${headerRow}${personRow(2)}</sheetData><!--`);
  const tail = enc('--></worksheet>');
  const out = new Uint8Array(head.length + mb * 1048576 + tail.length).fill(0x20);
  out.set(head, 0);
  out.set(tail, out.length - tail.length);
  return workbook(out);
}

function crafted() {
  const many = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join('');
  return [
    ['csv 1,000,000 rows', 'csv', () => csvRows(1_000_000)],
    ['csv 200,000 rows', 'csv', () => csvRows(200_000)],
    [
      'csv one 50 MB line',
      'csv',
      () => Buffer.concat([Buffer.from(`${HEADER}\r\n`), Buffer.alloc(50 * 1048576, 'x')]),
    ],
    ['csv one 1 MB line', 'csv', () => Buffer.from(`${HEADER}\r\n${'Austria,'.repeat(131072)}\r\n`)],
    [
      'csv 2,000,000 empty values',
      'csv',
      () => Buffer.from(`${HEADER}\r\n${`${','.repeat(60)}\r\n`.repeat(40_000)}`),
    ],
    ['xlsx inflating to 200 MB', 'xlsx', () => inflating(200)],
    ['xlsx inflating to 1 GB', 'xlsx', () => inflating(1024)],
    [
      'xlsx row numbered 2×10^9',
      'xlsx',
      () =>
        workbook(
          `<sheetData>${headerRow}${personRow(2)}<row r="2000000000">${cell('A2000000000', 'x')}</row></sheetData>`,
        ),
    ],
    [
      'xlsx one merge over the whole sheet',
      'xlsx',
      () =>
        workbook(
          `<sheetData>${headerRow}${personRow(2)}</sheetData><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells>`,
        ),
    ],
    [
      'xlsx 100,000 merged ranges',
      'xlsx',
      () =>
        workbook(
          `<sheetData>${headerRow}${personRow(2)}</sheetData><mergeCells>${many(100_000, (i) => `<mergeCell ref="K${i + 1}:L${i + 1}"/>`)}</mergeCells>`,
        ),
    ],
    [
      'xlsx 500,000 cells',
      'xlsx',
      () =>
        workbook(
          `<sheetData>${headerRow}${many(50_000, (i) => `<row r="${i + 2}">${many(10, (c) => `<c r="${String.fromCharCode(65 + c)}${i + 2}"><v>${c}</v></c>`)}</row>`)}</sheetData>`,
        ),
    ],
    [
      'xlsx 30,000 valid rows',
      'xlsx',
      () => workbook(`<sheetData>${headerRow}${many(30_000, (i) => personRow(i + 2))}</sheetData>`),
    ],
    [
      'xlsx not a zip past its header',
      'xlsx',
      () => new Uint8Array([0x50, 0x4b, 3, 4, ...enc('[Content_Types].xml'), 1, 2, 3]),
    ],
  ];
}

/** A fixture with a few random edits: bytes flipped, dropped, duplicated, or CSV syntax inserted. */
function mutate(bytes) {
  let b = Buffer.from(bytes);
  const edits = 1 + Math.floor(random() * 8);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * Math.max(1, b.length));
    const kind = Math.floor(random() * 6);
    if (kind === 0) b[at] = Math.floor(random() * 256);
    else if (kind === 1)
      b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + Math.floor(random() * 64))]);
    else if (kind === 2)
      b = Buffer.concat([
        b.subarray(0, at),
        Buffer.from(
          pick(['"', ',', ';', '\t', '\r', '\n', '""', '\r\n', '\0', '#NAME?', '=1+1', 'Name,Family name']),
        ),
        b.subarray(at),
      ]);
    else if (kind === 3) b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + 200), b.subarray(at)]);
    else if (kind === 4) b = b.subarray(0, at);
    else
      b = Buffer.concat([
        b.subarray(0, at),
        Buffer.from([0xc3 + Math.floor(random() * 30), 0x80 + Math.floor(random() * 64)]),
        b.subarray(at),
      ]);
  }
  return b;
}

const dir = mkdtempSync(join(tmpdir(), 'nv-fuzz-lists-'));
execFileSync(process.execPath, [NV, 'init', 'ws', '--example', 'uncac-2012', '--yes'], {
  cwd: dir,
  stdio: 'ignore',
});
const FIXTURES = join(ROOT, 'fixtures', 'delegations');
const seeds = readdirSync(FIXTURES)
  .filter((f) => /\.(csv|txt|xlsx)$/.test(f))
  .map((f) => ({ name: f, bytes: readFileSync(join(FIXTURES, f)) }));

const cases = crafted().map(([name, ext, make]) => ({ name, ext, make, kind: 'crafted' }));
for (let i = 0; i < MUTATIONS; i++) {
  const s = pick(seeds);
  const bytes = mutate(s.bytes);
  cases.push({
    name: `mutated ${s.name} #${i}`,
    ext: s.name.split('.').pop(),
    make: () => bytes,
    kind: 'mutated',
  });
}

const runs = [];
for (const [i, c] of cases.entries()) {
  const file = join(dir, `case-${i}.${c.ext}`);
  writeFileSync(file, c.make());
  const start = process.hrtime.bigint();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', process.execPath, NV, 'delegation', 'import', '-w', 'ws', file, '--state', 'AUT', '--json'],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 1 << 28,
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    },
  );
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const lines = (r.stderr ?? '').trim().split('\n');
  const rss = Number(lines.pop()) / 1024;
  const stderr = lines.join('\n');
  // /usr/bin/time reports the child's exit status in its own.
  const code = r.status;
  const crash =
    r.signal !== null ||
    ![0, 1, 2].includes(code) ||
    /internal error|    at /i.test(stderr) ||
    (code !== 0 && !/^\{/.test(r.stdout.trim()) && !/nv: /.test(stderr) && stderr === '');
  const over = rss > 500 || wall > 60;
  // What nv said: the first problem at its file:line:column, else its first line.
  const said = stderr.split('\n').filter((l) => l.trim() !== '' && !/^Command exited/.test(l));
  const first = (said.find((l) => /:\d+:\d+: /.test(l)) ?? said[0] ?? '').trim();
  runs.push({ name: c.name, kind: c.kind, code, wall, rss, crash, over, first: first.slice(0, 160) });
  console.log(
    `${crash ? 'CRASH ' : over ? 'OVER  ' : ''}${c.name}: exit ${code}, ${wall.toFixed(2)} s, ${rss.toFixed(0)} MB ${crash || over ? stderr.slice(0, 400) : ''}`,
  );
}

const csvOut = ['case,kind,exit,wall_s,peak_rss_mb,crash,over_budget,first_line'];
for (const r of runs)
  csvOut.push(
    [
      r.name,
      r.kind,
      r.code,
      r.wall.toFixed(2),
      r.rss.toFixed(0),
      r.crash,
      r.over,
      JSON.stringify(r.first),
    ].join(','),
  );
writeFileSync(join(ROOT, 'bench', 'fuzz', 'lists-runs.csv'), csvOut.join('\n') + '\n');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const summary = (kind) => {
  const rs = runs.filter((r) => kind === undefined || r.kind === kind);
  const codes = [0, 1, 2].map((c) => `${rs.filter((r) => r.code === c).length}×${c}`).join(', ');
  return `| ${kind ?? 'all'} | ${rs.length} | ${rs.filter((r) => r.crash).length} | ${rs.filter((r) => r.over).length} | ${codes} | ${median(rs.map((r) => r.wall)).toFixed(2)} | ${Math.max(...rs.map((r) => r.wall)).toFixed(2)} | ${median(rs.map((r) => r.rss)).toFixed(0)} | ${Math.max(...rs.map((r) => r.rss)).toFixed(0)} |`;
};
const crafts = runs
  .filter((r) => r.kind === 'crafted')
  .map(
    (r) =>
      `| ${r.name} | ${r.code} | ${r.wall.toFixed(2)} | ${r.rss.toFixed(0)} | ${r.first.replace(/\|/g, '\\|').replace(/^.*?:\d+:\d+: /, '')} |`,
  );
appendFileSync(
  join(ROOT, 'bench', 'RESULTS.md'),
  `\n## fuzz: delegation lists — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n\n` +
    `\`node bench/fuzz/lists.mjs --mutations ${MUTATIONS}\`: each list imported by the built CLI in its own process (default budgets); every run in \`bench/fuzz/lists-runs.csv\`. A crash is an exit other than 0/1/2, a signal or an internal error; over budget is a peak RSS above 500 MB or more than 60 s.\n\n` +
    '| runs | n | crashes | over budget | exit codes | median wall (s) | max wall (s) | median peak RSS (MB) | max peak RSS (MB) |\n| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n' +
    [summary('crafted'), summary('mutated'), summary()].join('\n') +
    '\n\nThe crafted lists, one by one:\n\n| list | exit | wall (s) | peak RSS (MB) | what nv said |\n| --- | ---: | ---: | ---: | --- |\n' +
    crafts.join('\n') +
    '\n',
);
const bad = runs.filter((r) => r.crash || r.over).length;
console.log(
  `${runs.length} runs, ${runs.filter((r) => r.crash).length} crashes, ${runs.filter((r) => r.over).length} over budget`,
);
process.exitCode = bad ? 1 : 0;
