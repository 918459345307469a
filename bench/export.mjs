#!/usr/bin/env node
// Benchmark: the consolidated list of participants of 10,000 people of the 195 invited States.
// In one run: build; generate, seeded, one delegation list per State (bench/export-lists.mjs:
// UTF-8 with BOM, Windows-1252 and -1251 with semicolons, UTF-16LE tab-separated; English,
// French, Spanish and Russian headers; accents and Cyrillic); then, in a fresh example workspace
// each time, time with /usr/bin/time (wall clock, peak RSS; CI=true):
//
//   nv delegation import -w WS <folder of 195 files> --json
//   nv validate -w WS --json                      (exit 1 is expected: planted findings)
//   nv export participants -w WS --status all --format pdf|docx|csv|json --out FILE
//
// and the PDF export alone at 1,000 and 5,000 participants, to show how time and memory scale.
// Every output is checked: the JSON against the generated lists (every field of every person, the
// UN order), the CSV record by record (parsed with csv-parse), the PDF (pdfinfo pages; pdftotext
// holds every display name, in order) and the DOCX (its text holds every display name, in order),
// and the findings of validate against what was planted. Needs poppler-utils (pdfinfo,
// pdftotext) and /usr/bin/time.
//
//   node bench/export.mjs [--runs 3] [--count 10000] [--sizes 1000,5000] [--seed 2012]
//                         [--no-build] [--profile] [--keep] [--record]
//
// --profile (or a missed target: the PDF of 10,000 in 5 s) also runs the PDF export under
// `node --cpu-prof` and prints where the time goes (bench/export-profile.mjs); --record appends
// the results, with the machine and date, to bench/RESULTS.md; --keep keeps the workspaces
// (bench/out/export-ws-N) for a look.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { generateLists } from './export-lists.mjs';
import { printSummary, summarise } from './export-profile.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const NV = join(ROOT, 'bin', 'nv.js');
const OUT = join(ROOT, 'bench', 'out');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const runs = Number(opt('--runs', 3)) || 3;
const count = Number(opt('--count', 10000));
const sizes = String(opt('--sizes', '1000,5000'))
  .split(',')
  .map(Number)
  .filter((n) => n > 0 && n !== count);
const seed = Number(opt('--seed', 2012));
const record = args.includes('--record');
const profile = args.includes('--profile');
const TARGET_S = 5;
const FORMATS = ['pdf', 'docx', 'csv', 'json'];
const env = { ...process.env, CI: 'true' };
const fmt = (n) => n.toLocaleString('en-US');
const sh = (cmd, ...a) => spawnSync(cmd, a, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';

let buildNote = null;
if (!args.includes('--no-build')) {
  process.stdout.write('building (npx tsc -p tsconfig.build.json)… ');
  // tsc emits dist/ even when it reports type errors: say so, and measure what it emitted.
  const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (b.status !== 0) {
    const errors = (b.stdout + b.stderr).split('\n').filter((l) => /error TS\d+/.test(l));
    if (errors.length === 0) throw new Error(`tsc failed:\n${b.stdout}${b.stderr}`);
    const files = [...new Set(errors.map((l) => l.replace(/\(.*$/, '')))];
    buildNote = `tsc reported ${errors.length} type error(s) (${files.join(', ')}); dist/ was emitted anyway and measured`;
    console.log(`\n  warning: ${buildNote}\n  ${errors.slice(0, 5).join('\n  ')}`);
  } else console.log('done');
}
const commit = sh('git', 'rev-parse', '--short', 'HEAD');
const dirty = sh('git', 'status', '--porcelain', '--untracked-files=no', '--', 'src').length > 0;

// The lists: one folder of 195 files per size, regenerated each run of the script (deterministic, < 1 s).
const counts = [...sizes, count].sort((a, b) => a - b);
const lists = new Map();
for (const n of counts) {
  const t0 = performance.now();
  const g = generateLists({
    count: n,
    seed,
    out: join(OUT, `export-lists-${n}`),
    recipientsCsv: join(ROOT, 'fixtures', 'uncac-2012', 'recipients.csv'),
  });
  g.dir = join(OUT, `export-lists-${n}`);
  lists.set(n, g);
  const per = g.files.map((f) => f.participants).sort((a, b) => a - b);
  console.log(
    `lists of ${fmt(n)}: ${g.files.length} files, ${(g.bytes / 1e6).toFixed(2)} MB, ${per[0]}–${per.at(-1)} a State (median ${per[per.length >> 1]}), ${g.missingEmail} without e-mail, ${g.duplicates} listed twice (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
}
const big = lists.get(count);

function timed(argv, { ok = [0], node = [] } = {}) {
  // GNU time prints "elapsed maxrss user system" on its own last line of stderr.
  const r = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %M %U %S', process.execPath, ...node, NV, ...argv], {
    encoding: 'utf8',
    env,
    cwd: ROOT,
    maxBuffer: 1 << 30,
  });
  const m = /BENCH ([\d.]+) (\d+) ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  if (!ok.includes(r.status) || !m)
    throw new Error(
      `nv ${argv.join(' ')} failed (exit ${r.status}):\n${r.stderr.replace(/(Command exited.*\n)?BENCH.*\s*$/, '').slice(-3000)}`,
    );
  return {
    wall: Number(m[1]),
    rssMb: Number(m[2]) / 1024,
    cpu: Number(m[3]) + Number(m[4]),
    status: r.status,
    stdout: r.stdout,
  };
}

function freshWorkspace(n) {
  const dir = join(OUT, `export-ws-${n}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  execFileSync(process.execPath, [NV, 'init', dir, '--example', 'uncac-2012', '--yes'], {
    env,
    stdio: 'ignore',
  });
  return dir;
}

// ---- checks: each throws with what differs ----

const ENCODING_REPORTED = {
  'utf-8': 'utf-8-bom',
  'utf-16le': 'utf-16le',
  'windows-1252': 'windows-1252',
  'windows-1251': 'windows-1251',
};

function checkImport(g, stdout) {
  const j = JSON.parse(stdout);
  const byFile = new Map(g.files.map((f) => [f.file, f]));
  if (j.imported.length !== g.files.length)
    throw new Error(`import: ${j.imported.length} lists, expected ${g.files.length}`);
  let warnings = 0;
  const encodings = {};
  for (const r of j.imported) {
    const f = byFile.get(basename(r.file));
    if (!f) throw new Error(`import: unexpected file ${r.file}`);
    if (r.state !== f.code || r.participants !== f.participants)
      throw new Error(
        `import of ${f.file}: ${r.participants} of ${r.state}, expected ${f.participants} of ${f.code}`,
      );
    if (!r.encoding.startsWith(ENCODING_REPORTED[f.encoding]))
      throw new Error(`import of ${f.file}: read as ${r.encoding}, written as ${f.encoding}`);
    const k = `${r.encoding}${r.assumed ? ' (assumed)' : ''}`;
    encodings[k] = (encodings[k] ?? 0) + 1;
    for (const w of r.warnings)
      if (!/no e-mail address/.test(w)) throw new Error(`import: unexpected warning ${w}`);
    warnings += r.warnings.length;
  }
  if (warnings !== g.missingEmail)
    throw new Error(`import: ${warnings} warnings, expected ${g.missingEmail} (participants without e-mail)`);
  return { encodings };
}

function checkValidate(g, r) {
  const j = JSON.parse(r.stdout);
  const by = {};
  for (const f of j.findings) by[f.rule] = (by[f.rule] ?? 0) + 1;
  const want = { 'delegation-contact': g.missingEmail, 'duplicate-participant': g.duplicates };
  for (const k of Object.keys(want)) if (!want[k]) delete want[k];
  if (JSON.stringify(Object.entries(by).sort()) !== JSON.stringify(Object.entries(want).sort()))
    throw new Error(`validate: findings ${JSON.stringify(by)}, expected ${JSON.stringify(want)}`);
  if (r.status !== (g.missingEmail > 0 ? 1 : 0)) throw new Error(`validate: exit ${r.status}`);
  return { findings: j.findings.length, by, exit: r.status };
}

const CATEGORIES = ['party', 'signatory', 'observer'];

/** The JSON export against the generated lists; returns the participants in the order of the list. */
function checkJson(g, bytes) {
  const j = JSON.parse(bytes.toString('utf8'));
  if (j.totals.participants !== g.count || j.totals.delegations !== g.files.length)
    throw new Error(
      `json: ${JSON.stringify(j.totals)}, expected ${g.count} participants of ${g.files.length} delegations`,
    );
  const cat = new Map(g.files.map((f) => [f.code, f.category]));
  const sections = j.sections.map((s) => s.category);
  const expectSections = CATEGORIES.filter((c) => g.files.some((f) => f.category === c));
  if (sections.join() !== expectSections.join())
    throw new Error(`json: sections ${sections}, expected ${expectSections}`);
  const flat = [];
  const bad = [];
  for (const s of j.sections) {
    const names = s.delegations.map((d) => d.name);
    const sorted = [...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
    if (names.join('|') !== sorted.join('|'))
      bad.push(`${s.category}: States not in English alphabetical order`);
    for (const d of s.delegations) {
      if (cat.get(d.state) !== s.category) bad.push(`${d.state} under ${s.category}`);
      const gen = g.states[d.state];
      const head = gen.findIndex((p) => p.role === 'head');
      const want = head > 0 ? [gen[head], ...gen.filter((_, i) => i !== head)] : gen;
      if (d.participants.length !== want.length)
        bad.push(`${d.state}: ${d.participants.length} people, sent ${want.length}`);
      for (const [i, p] of d.participants.entries()) {
        const w = want[i];
        if (!w) continue;
        for (const k of Object.keys(w)) {
          const got = k === 'meetings' ? p[k].join() : String(p[k]).replace(/\r\n/g, '\n');
          const exp = k === 'meetings' ? w[k].join() : w[k];
          if (got !== exp)
            bad.push(`${d.state} #${i + 1} ${k}: ${JSON.stringify(got)}, sent ${JSON.stringify(exp)}`);
        }
        if (p.head !== (i === 0)) bad.push(`${d.state} #${i + 1}: head ${p.head}`);
        flat.push({ state: d.state, ...p });
      }
    }
  }
  if (bad.length)
    throw new Error(
      `json: ${bad.length} difference(s) from the lists sent:\n  ${bad.slice(0, 12).join('\n  ')}`,
    );
  return flat;
}

function checkCsv(bytes, flat) {
  const rows = parseCsv(bytes, { bom: true, columns: true, relax_column_count: false });
  if (rows.length !== flat.length) throw new Error(`csv: ${rows.length} records, expected ${flat.length}`);
  // U+2060 WORD JOINER guards cells a spreadsheet would run or alter (fixtures/delegations/README.md).
  const unguard = (s) => s.replace(/^\u2060/, '');
  const bad = [];
  let guarded = 0;
  for (const [i, r] of rows.entries()) {
    const p = flat[i];
    if (r.phone.startsWith('\u2060')) guarded++;
    for (const [col, key] of [
      ['state', 'state'],
      ['given_name', 'givenName'],
      ['family_name', 'familyName'],
      ['email', 'email'],
      ['phone', 'phone'],
      ['title', 'title'],
    ])
      if (unguard(r[col]).replace(/\r\n/g, '\n') !== p[key].replace(/\r\n/g, '\n'))
        bad.push(`record ${i + 2} ${col}: ${JSON.stringify(r[col])}, JSON ${JSON.stringify(p[key])}`);
  }
  if (bad.length)
    throw new Error(`csv: ${bad.length} difference(s) from the JSON:\n  ${bad.slice(0, 12).join('\n  ')}`);
  const multiline = rows.filter((r) => /\n/.test(r.title)).length;
  return { records: rows.length, lines: bytes.toString('utf8').split('\n').length - 1, guarded, multiline };
}

/** How many of the names occur in the text in order (each after the previous), and the first one missing. */
function inOrder(text, names) {
  const t = text.replace(/\s+/g, ' ');
  let at = 0;
  let found = 0;
  let missing;
  for (const n of names) {
    const k = t.indexOf(n.replace(/\s+/g, ' '), at);
    if (k === -1) {
      missing ??= n;
      continue;
    }
    found++;
    at = k + n.length;
  }
  return { found, missing };
}

function checkPdf(file, flat) {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const names = flat.map((p) => p.displayName);
  const norm = text.replace(/\s+/g, ' ');
  for (const [which, n] of [
    ['first', names[0]],
    ['last', names.at(-1)],
  ])
    if (!norm.includes(n.replace(/\s+/g, ' ')))
      throw new Error(`pdf: the ${which} participant, ${n}, is not in pdftotext's text`);
  const o = inOrder(text, names);
  if (o.found !== names.length)
    throw new Error(
      `pdf: ${o.found} of ${names.length} display names found in order; first missing: ${o.missing}`,
    );
  return { pages, first: names[0], last: names.at(-1) };
}

function checkDocx(bytes, flat) {
  const files = unzipSync(new Uint8Array(bytes));
  const xml = strFromU8(files['word/document.xml']);
  const unescape = (s) =>
    s.replace(/&(lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-f]+));/gi, (_, e, d, h) =>
      d
        ? String.fromCodePoint(Number(d))
        : h
          ? String.fromCodePoint(parseInt(h, 16))
          : { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e],
    );
  const paragraphs = xml
    .split(/<\/w:p>/)
    .map((p) => [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescape(m[1])).join(''));
  const o = inOrder(
    paragraphs.join('\n'),
    flat.map((p) => p.displayName),
  );
  if (o.found !== flat.length)
    throw new Error(
      `docx: ${o.found} of ${flat.length} display names found in order; first missing: ${o.missing}`,
    );
  return { paragraphs: paragraphs.length };
}

// ---- the runs ----

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const rows = new Map(); // label → samples
const loads = [];
const facts = {}; // what the checks said, for the bullets
const hashes = new Map(); // "n format" → set of sha256 over the runs
function sample(label, fn) {
  loads.push(loadavg()[0]);
  const s = fn();
  if (!rows.has(label)) rows.set(label, []);
  rows.get(label).push(s);
  console.log(
    `  ${label.padEnd(62)} ${s.wall.toFixed(2).padStart(6)} s  ${s.cpu.toFixed(2).padStart(6)} s CPU  ${s.rssMb.toFixed(0).padStart(5)} MB  load ${loads.at(-1).toFixed(2)}`,
  );
  return s;
}
const sha = (b) => createHash('sha256').update(b).digest('hex');
const labels = {
  import: (n) => `nv delegation import, 195 files, ${fmt(n)} participants`,
  validate: (n) => `nv validate, ${fmt(n)} participants (every rule)`,
  export: (n, f) => `nv export participants --format ${f}, ${fmt(n)}`,
};

const startupLabel = 'nv --version (Node start-up and CLI only, for scale)';
for (let run = 1; run <= runs; run++) {
  console.log(`run ${run} of ${runs}`);
  sample(startupLabel, () => timed(['--version']));
  for (const n of counts) {
    const g = lists.get(n);
    const ws = freshWorkspace(n);
    sample(labels.import(n), () => {
      const r = timed(['delegation', 'import', '-w', ws, g.dir, '--json']);
      Object.assign((facts[n] ??= {}), checkImport(g, r.stdout));
      return r;
    });
    // The JSON first (untimed when it is not measured): the other formats are checked against it.
    const jsonFile = join(ws, 'participants.json');
    const exportArgs = (f, file) => [
      'export',
      'participants',
      '-w',
      ws,
      '--status',
      'all',
      '--format',
      f,
      '--out',
      file,
    ];
    let flat;
    if (n !== count) {
      execFileSync(process.execPath, [NV, ...exportArgs('json', jsonFile)], { env, stdio: 'ignore' });
      flat = checkJson(g, readFileSync(jsonFile));
    }
    const formats = n === count ? ['json', ...FORMATS.filter((f) => f !== 'json')] : ['pdf'];
    if (n === count)
      sample(labels.validate(n), () => {
        const r = timed(['validate', '-w', ws, '--json'], { ok: [0, 1] });
        facts.validate = checkValidate(g, r);
        return r;
      });
    for (const f of formats) {
      const file = join(ws, `participants.${f}`);
      sample(labels.export(n, f), () => {
        const r = timed(exportArgs(f, file));
        const bytes = readFileSync(file);
        const key = `${n} ${f}`;
        if (!hashes.has(key)) hashes.set(key, new Set());
        hashes.get(key).add(sha(bytes));
        const fact = ((facts[n] ??= {})[f] = { bytes: bytes.length });
        if (f === 'json') flat = checkJson(g, bytes);
        else if (f === 'csv') Object.assign(fact, checkCsv(bytes, flat));
        else if (f === 'pdf') Object.assign(fact, checkPdf(file, flat));
        else if (f === 'docx') Object.assign(fact, checkDocx(bytes, flat));
        return r;
      });
    }
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
    `${r.label.padEnd(62)} ${r.wall.toFixed(2).padStart(6)} s  ${r.cpu.toFixed(2).padStart(6)} s CPU  ${r.rss.toFixed(0).padStart(5)} MB   (${r.samples.map((s) => s.toFixed(2)).join(', ')})`,
  );

const get = (label) => results.find((r) => r.label === label);
const pdfBig = get(labels.export(count, 'pdf'));
const F = facts[count];
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const pdfRows = counts.map((n) => ({ n, r: get(labels.export(n, 'pdf')), f: facts[n].pdf }));
const encodings = Object.entries(F.encodings)
  .sort((a, b) => b[1] - a[1])
  .map(([k, v]) => `${v} ${k}`)
  .join(', ');
const nondeterministic = [...hashes.entries()].filter(([, s]) => s.size > 1).map(([k]) => k);
const startup = get(startupLabel);
const perK = (a, b, digits = 3) => (((a - b) / (count - counts[0])) * 1000).toFixed(digits);
const perState = big.files.map((f) => f.participants).sort((a, b) => a - b);
const lines = [
  `PDF of ${fmt(count)} participants: ${pdfBig.wall.toFixed(2)} s (${F.pdf.pages} pages, ${mb(F.pdf.bytes)}, ${pdfBig.rss.toFixed(0)} MB peak); target under ${TARGET_S} s: ${pdfBig.wall < TARGET_S ? 'met' : 'missed'}`,
  `PDF scaling, ${pdfRows.map((x) => fmt(x.n)).join(' / ')} participants: wall ${pdfRows.map((x) => x.r.wall.toFixed(2)).join(' / ')} s, CPU ${pdfRows.map((x) => x.r.cpu.toFixed(2)).join(' / ')} s, peak ${pdfRows.map((x) => x.r.rss.toFixed(0)).join(' / ')} MB, ${pdfRows.map((x) => fmt(x.f.pages)).join(' / ')} pages; each further 1,000 participants (${fmt(counts[0])} to ${fmt(count)}): +${perK(pdfBig.wall, pdfRows[0].r.wall)} s wall, +${perK(pdfBig.cpu, pdfRows[0].r.cpu)} s CPU, +${perK(pdfBig.rss, pdfRows[0].r.rss, 1)} MB; start-up alone (nv --version) ${startup.wall.toFixed(2)} s, ${startup.rss.toFixed(0)} MB`,
  `lists: bench/export-lists.mjs, seed ${seed}: ${big.files.length} files, ${mb(big.bytes)}, ${perState[0]}–${perState.at(-1)} participants a State (median ${perState[perState.length >> 1]}); read as ${encodings}; every file, State and count as generated`,
  `validate: exit ${facts.validate.exit}, ${facts.validate.findings} findings, exactly those planted (${Object.entries(
    facts.validate.by,
  )
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')})`,
  `checked each run: the JSON holds every participant with every field as sent (${fmt(count)}, head first, States in UN order); the CSV parses (csv-parse) to ${fmt(F.csv.records)} records matching the JSON (${fmt(F.csv.lines)} lines: ${F.csv.multiline} titles over two lines; ${fmt(F.csv.guarded)} phones guarded with U+2060), ${mb(F.csv.bytes)}; pdftotext and the DOCX text hold all ${fmt(count)} display names in order, first "${F.pdf.first}", last "${F.pdf.last}"; DOCX ${mb(F.docx.bytes)}, JSON ${mb(F.json.bytes)}`,
  nondeterministic.length
    ? `bytes differ between runs (fresh workspaces) for: ${nondeterministic.join(', ')}`
    : `every output byte-identical across the ${runs} runs (fresh workspaces)`,
  `load average (1 min) at the start of each measurement: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} (other sessions share the ${sh('nproc')} cores)`,
];
console.log();
for (const l of lines) console.log(l);

let profileLines = [];
if (profile || pdfBig.wall >= TARGET_S) {
  const dir = join(OUT, 'export-prof');
  rmSync(dir, { recursive: true, force: true });
  const ws = freshWorkspace(count);
  execFileSync(process.execPath, [NV, 'delegation', 'import', '-w', ws, big.dir, '--json'], {
    env,
    stdio: 'ignore',
  });
  console.log(`\nprofiling one PDF export of ${fmt(count)} (node --cpu-prof)…`);
  const file = join(ws, 'participants.pdf');
  const r = timed(['export', 'participants', '-w', ws, '--status', 'all', '--format', 'pdf', '--out', file], {
    node: ['--cpu-prof', '--cpu-prof-dir', dir],
  });
  const prof = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const s = summarise(JSON.parse(readFileSync(join(dir, prof), 'utf8')), 25);
  console.log(`(${r.wall.toFixed(2)} s wall under the profiler; ${join(dir, prof)})`);
  printSummary(s);
  const pct = (ms) => `${((100 * ms) / s.total).toFixed(0)} %`;
  profileLines = [
    `CPU profile of one PDF export of ${fmt(count)} (${(s.total / 1000).toFixed(1)} s sampled on the main thread, ${r.wall.toFixed(2)} s wall under the profiler), self time: ${s.areas
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

if (!args.includes('--keep'))
  for (const n of counts) rmSync(join(OUT, `export-ws-${n}`), { recursive: true, force: true });

if (record) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const md = [
    `\n## export — ${new Date().toISOString().slice(0, 10)}, ${sh('nproc')} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    '',
    `Median of ${runs} run${runs === 1 ? '' : 's'} (wall clock of the whole command, Node start-up included; CPU = user + system; peak RSS by /usr/bin/time; CI=true). ` +
      `Each run: a fresh example workspace (uncac-2012) per size, the ${big.files.length} delegation lists imported in one command, ` +
      `then \`nv validate\` and \`nv export participants --status all\` in four formats at ${fmt(count)}, the PDF alone at ${sizes.map(fmt).join(' and ')}.`,
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
