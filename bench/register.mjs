#!/usr/bin/env node
// Issue 9's benchmark: the register on SQLite and on PostgreSQL, side by side in one run.
//   1. Allocations per second: one process allocating N numbers, then 4 processes × N at once, each
//      allocation as `nv generate` makes it for an individual note (ensureDispatches of one
//      individual dispatch with one note, then recordNotesWritten of that note: two transactions).
//      Each measurement in a fresh register: a new SQLite file, a new migrated PostgreSQL database.
//      The processes open their register and warm up first; the clock runs from "go" to the last
//      one's end. Checked each time: the numbers are 1…total, none twice, none missing, every note
//      recorded as written.
//   2. `nv ingest` of the 1,000 e-mails of bench/ingest-mails.mjs into a fresh example workspace,
//      on SQLite and on PostgreSQL (NV_DATABASE_URL, after `nv db migrate`), then the same ingest
//      again (everything already in): wall, CPU and peak RSS of nv by /usr/bin/time, and the CPU
//      the PostgreSQL server spent for it (its processes' times in /proc). Checked each time: 1,000
//      added, then 1,000 existing, and the replies recorded the same on both.
// The engines alternate (odd runs SQLite first, even runs PostgreSQL first); medians of the runs.
// Uses the built modules and CLI (dist/): builds first unless --no-build.
//
//   node bench/register.mjs [--runs 3] [--alloc-runs 5] [--n 500] [--procs 4] [--count 1000]
//                           [--seed 2012] [--no-build] [--no-ingest] [--record]
//
// PostgreSQL: a throwaway server started here (test/helpers/postgres-server.mjs: initdb in /tmp, a
// free port, fsync=off), stopped at the end; or NV_BENCH_DATABASE_URL, the URL of a superuser on a
// server of yours (databases nvbench_* are created and dropped on it). NV_DATABASE_URL and
// NV_TEST_DATABASE_URL are never used. SQLite: WAL, synchronous=NORMAL (no fsync at commit either).
// Results: printed, and written to bench/out/register.json; --record appends a section to
// bench/RESULTS.md. The mailbox is made once (ImageMagick `convert` for the scans, the first time).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { machine, revision } from './context.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const NV = join(ROOT, 'bin', 'nv.js');
const OUT = join(ROOT, 'bench', 'out');
const WORK = join(OUT, 'register');
const MAILS = join(OUT, 'ingest-mails');
const ENGINES = ['sqlite', 'postgresql'];
const NAME = { sqlite: 'SQLite', postgresql: 'PostgreSQL' };
const ACTOR = { user: 'bench', command: 'node bench/register.mjs' };
const dist = (path) => import(pathToFileURL(join(ROOT, 'dist', path)).href);

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The environment of every nv process: this one's without any register URL of the caller's. */
function baseEnv() {
  const env = { ...process.env, CI: 'true', NV_ACTOR: 'bench' };
  for (const k of ['NV_DATABASE_URL', 'NV_DATABASE_PASSWORD', 'PGPASSWORD', 'NV_TEST_DATABASE_URL'])
    delete env[k];
  return env;
}

// ---------------------------------------------------------------------------------------------
// Worker: one allocating process (node bench/register.mjs --worker JSON)

/** One allocation as `nv generate` makes it for an individual note: number, then note written. */
async function allocate(register, key, series) {
  const [r] = await register.ensureDispatches(
    [
      {
        key,
        series,
        year: 2012,
        kind: 'individual',
        template: 'bench',
        date: '2012-08-15',
        notes: [{ recipient: 'AUT', variant: '' }],
        firstSeq: 1,
      },
    ],
    ACTOR,
  );
  const hash = createHash('sha256').update(key).digest('hex');
  await register.recordNotesWritten(
    [{ noteId: r.notes[0].id, inputHash: hash, files: { [`out/${series}-${r.dispatch.seq}.pdf`]: hash } }],
    ACTOR,
  );
  return r.dispatch.seq;
}

async function worker({ sqlitePath, workspace, url, n, id }) {
  // Statements sent to PostgreSQL (each one a round trip): counted on the driver's Client.
  // and the time spent waiting for their answers.
  let statements = 0;
  let waiting = 0;
  if (url) {
    const { Client } = (await import('pg')).default;
    const query = Client.prototype.query;
    Client.prototype.query = function (...a) {
      statements++;
      const t = performance.now();
      const p = query.apply(this, a);
      const done = () => (waiting += performance.now() - t);
      p?.then?.(done, done);
      return p;
    };
  }
  const { openRegister } = await dist('storage/open.js');
  const register = await openRegister(sqlitePath, url ? { NV_DATABASE_URL: url } : {}, { workspace });
  // Warm up (connections, prepared statements, JIT) in a series of its own.
  for (let i = 0; i < 5; i++) await allocate(register, `warm-${id}-${i}`, `W${id}`);
  console.log('ready');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line === 'go') break;
  lines.close();
  const ms = [];
  const seqs = [];
  const before = statements;
  const waitedBefore = waiting;
  const start = performance.timeOrigin + performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    seqs.push(await allocate(register, `bench-${id}-${i}`, 'CU'));
    ms.push(performance.now() - t);
  }
  const end = performance.timeOrigin + performance.now();
  const perAllocation = (statements - before) / n;
  const waited = (waiting - waitedBefore) / n;
  await register.close();
  console.log(JSON.stringify({ ms, seqs, start, end, statements: perAllocation, waited }));
}

if (args[0] === '--worker') {
  await worker(JSON.parse(args[1]));
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: the server, fresh databases, the server's CPU

const runs = Number(opt('--runs', 3)) || 3;
const allocRuns = Number(opt('--alloc-runs', 5)) || 5;
const N = Number(opt('--n', 500)) || 500;
const PROCS = Number(opt('--procs', 4)) || 4;
const count = Number(opt('--count', 1000)) || 1000;
const seed = Number(opt('--seed', 2012));
const record = args.includes('--record');
const noIngest = args.includes('--no-ingest');

const pg = (await import('pg')).default;
let server = null;
let adminUrl = process.env.NV_BENCH_DATABASE_URL;
if (!adminUrl) {
  const { startServer } = await import('../test/helpers/postgres-server.mjs');
  process.stdout.write('PostgreSQL: starting a throwaway server… ');
  server = await startServer();
  adminUrl = server.url;
  console.log(`port ${server.port}`);
}
const withDb = (url, db) => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};
async function admin(sql) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}
const serverVersion = (await admin('SHOW server_version')).rows[0].server_version;
const fsync = (await admin('SHOW fsync')).rows[0].fsync;
const syncCommit = (await admin('SHOW synchronous_commit')).rows[0].synchronous_commit;
let dbCounter = 0;
async function freshDatabase() {
  const name = `nvbench_${process.pid}_${++dbCounter}`;
  await admin(`CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`);
  return { name, url: withDb(adminUrl, name) };
}
const dropDatabase = (name) => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
/** CPU seconds of the server so far: the postmaster, the children it reaped, those alive. */
function serverCpu() {
  if (!server) return NaN;
  const pid = Number(readFileSync(join(server.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const stat = (p) => {
    const s = readFileSync(`/proc/${p}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
  };
  const own = stat(pid);
  // utime, stime, cutime, cstime are fields 14–17 (index 11–14 here).
  let ticks = [11, 12, 13, 14].reduce((s, i) => s + Number(own[i]), 0);
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const f = stat(e);
      if (Number(f[1]) === pid) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / CLK_TCK;
}

// ---------------------------------------------------------------------------------------------
// Build, mailbox

let buildNote = '';
if (!args.includes('--no-build')) {
  process.stdout.write('building… ');
  const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`npm run build failed:\n${b.stdout}${b.stderr}`);
  console.log('done');
} else buildNote = ' (dist/ as built before: --no-build)';
const { openRegister } = await dist('storage/open.js');
const { migrateRegister } = await dist('storage/migrate.js');

let mails = null;
if (!noIngest) {
  const { generateMails } = await import('./ingest-mails.mjs');
  process.stdout.write('mailbox… ');
  mails = await generateMails({ count, seed, out: MAILS });
  console.log(`${fmt(mails.count)} messages, ${(mails.bytes / 1e6).toFixed(0)} MB`);
}

/** A fresh register of each kind: where it is and how nv reaches it. */
async function freshRegister(engine, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, '.nv'), { recursive: true });
  const sqlitePath = join(dir, '.nv', 'registry.sqlite');
  if (engine === 'sqlite') return { sqlitePath, workspace: dir, url: null, drop: async () => {} };
  const db = await freshDatabase();
  await migrateRegister({ root: dir, sqlitePath }, ACTOR, { NV_DATABASE_URL: db.url });
  return { sqlitePath, workspace: dir, url: db.url, db: db.name, drop: () => dropDatabase(db.name) };
}

// ---------------------------------------------------------------------------------------------
// 1. Allocations per second

/** Starts `procs` workers on one register, lets them go at once; allocations a second. */
async function allocations(engine, procs) {
  const target = await freshRegister(engine, join(WORK, `alloc-${engine}`));
  const cfg = (id) => JSON.stringify({ ...target, drop: undefined, n: N, id });
  const workers = Array.from({ length: procs }, (_, id) => {
    const child = spawn(process.execPath, [import.meta.filename, '--worker', cfg(id)], {
      env: baseEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const ready = new Promise((ok, fail) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.startsWith('ready\n')) ok();
      });
      child.on('exit', (code) => fail(new Error(`worker ${id} ended (${code}) before ready:\n${err}`)));
    });
    const done = new Promise((ok, fail) =>
      child.on('exit', (code) =>
        code === 0
          ? ok(JSON.parse(out.slice('ready\n'.length)))
          : fail(new Error(`worker ${id} failed (${code}):\n${err.slice(-2000)}`)),
      ),
    );
    done.catch(() => {});
    return { child, ready, done };
  });
  try {
    await Promise.all(workers.map((w) => w.ready));
    const load = loadavg()[0];
    for (const w of workers) w.child.stdin.write('go\n');
    const results = await Promise.all(workers.map((w) => w.done));
    // From the first process's first allocation to the last one's last (start-up and exit left out).
    const wall = (Math.max(...results.map((r) => r.end)) - Math.min(...results.map((r) => r.start))) / 1000;
    // The numbers: 1…procs × N, each once; every note recorded as written.
    const register = await openRegister(
      target.sqlitePath,
      target.url ? { NV_DATABASE_URL: target.url } : {},
      { workspace: target.workspace },
    );
    try {
      const seqs = (await register.listDispatches())
        .filter((d) => d.series === 'CU')
        .map((d) => d.seq)
        .sort((a, b) => a - b);
      const total = procs * N;
      const mine = results.flatMap((r) => r.seqs).sort((a, b) => a - b);
      if (seqs.length !== total || seqs.some((s, i) => s !== i + 1) || mine.join() !== seqs.join())
        throw new Error(`${engine}, ${procs} processes: numbers not 1…${total} each once`);
      const unwritten = (await register.sentNotes()).filter((s) => s.writtenAt === null).length;
      if (unwritten) throw new Error(`${engine}: ${unwritten} notes not recorded as written`);
    } finally {
      await register.close();
    }
    return {
      perSecond: (procs * N) / wall,
      wall,
      msMedian: median(results.flatMap((r) => r.ms)),
      statements: median(results.map((r) => r.statements)),
      waited: median(results.map((r) => r.waited)),
      // The mean time of an allocation in each process (the median above leaves out the slow ones).
      meanMs: median(results.map((r) => (r.end - r.start) / N)),
      load,
    };
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill();
    await target.drop();
  }
}

/** One statement's round trip to the server: `SELECT $1` on one connection, median ms of 500. */
async function roundTrip() {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const ms = [];
    for (let i = 0; i < 520; i++) {
      const t = performance.now();
      await c.query('SELECT $1::int AS i', [i]);
      if (i >= 20) ms.push(performance.now() - t);
    }
    return median(ms);
  } finally {
    await c.end();
  }
}

const order = (run) => (run % 2 ? ENGINES : [...ENGINES].reverse());
const alloc = {}; // `${procs}/${engine}` → samples
const trips = []; // ms of one round trip, once a run
console.log(`\nallocations: ${fmt(N)} a process, 1 and ${PROCS} processes, ${allocRuns} runs`);
for (let run = 1; run <= allocRuns; run++) {
  trips.push(await roundTrip());
  console.log(`  run ${run}  one statement's round trip to PostgreSQL: ${trips.at(-1).toFixed(3)} ms median`);
  for (const procs of [1, PROCS]) {
    for (const engine of order(run)) {
      const s = await allocations(engine, procs);
      (alloc[`${procs}/${engine}`] ??= []).push(s);
      console.log(
        `  run ${run}  ${procs} × ${fmt(N)}  ${NAME[engine].padEnd(10)} ${fmt(s.perSecond).padStart(6)} a second  ${s.wall.toFixed(2).padStart(6)} s  ${s.msMedian.toFixed(2).padStart(6)} ms median  load ${s.load.toFixed(1)}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Ingest of the mailbox

function timed(argv, env) {
  const r = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %M %U %S', process.execPath, NV, ...argv], {
    encoding: 'utf8',
    env,
    maxBuffer: 1 << 30,
  });
  const m = /BENCH ([\d.]+) (\d+) ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || !m)
    throw new Error(`nv ${argv.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return {
    wall: Number(m[1]),
    rssMb: Number(m[2]) / 1024,
    cpu: Number(m[3]) + Number(m[4]),
    stdout: r.stdout,
  };
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
/** The server's CPU for `fn` (its backends are reaped when nv disconnects: wait a moment for it). */
async function withServerCpu(engine, fn) {
  const before = engine === 'postgresql' ? serverCpu() : NaN;
  const r = fn();
  if (engine === 'postgresql') await sleep(300);
  return { ...r, serverCpu: engine === 'postgresql' ? serverCpu() - before : NaN };
}

function duBytes(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((s, e) => s + duBytes(join(path, e)), 0);
}

/** What the register recorded of the replies, without ids and times: equal on both engines. */
function repliesDigest(replies) {
  const h = createHash('sha256');
  for (const r of [...replies].sort((a, b) => a.sha256.localeCompare(b.sha256))) {
    const { id, ingestedAt, documents, ...rest } = r;
    void id;
    void ingestedAt;
    h.update(JSON.stringify(rest));
    for (const d of documents) {
      const { id: docId, ...doc } = d;
      void docId;
      h.update(JSON.stringify(doc));
    }
  }
  return h.digest('hex').slice(0, 16);
}

const ingest = {}; // `${first|again}/${engine}` → samples
const facts = {}; // engine → { replies, documents, digest, size } of the last run
async function ingestRun(engine) {
  const ws = join(WORK, `ingest-${engine}`);
  rmSync(ws, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const env = baseEnv();
  const init = spawnSync(process.execPath, [NV, 'init', ws, '--example', 'uncac-2012', '--yes'], {
    env,
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`nv init failed: ${init.stderr}`);
  let db = null;
  if (engine === 'postgresql') {
    db = await freshDatabase();
    env.NV_DATABASE_URL = db.url;
    const m = spawnSync(process.execPath, [NV, 'db', 'migrate', '-w', ws], { env, encoding: 'utf8' });
    if (m.status !== 0) throw new Error(`nv db migrate failed: ${m.stderr}`);
  }
  try {
    const paths = mails.folders.map((f) => join(MAILS, f));
    const argv = ['ingest', ...paths, '-w', ws, '--yes', '--json'];
    const out = {};
    for (const pass of ['first', 'again']) {
      const load = loadavg()[0];
      const s = await withServerCpu(engine, () => timed(argv, env));
      const t = JSON.parse(s.stdout).totals;
      const want = pass === 'first' ? { added: count, existing: 0 } : { added: 0, existing: count };
      if (t.files !== count || t.added !== want.added || t.existing !== want.existing)
        throw new Error(`${engine} ${pass}: ${JSON.stringify(t)}, expected ${JSON.stringify(want)}`);
      delete s.stdout;
      out[pass] = { ...s, load };
    }
    const register = await openRegister(
      join(ws, '.nv', 'registry.sqlite'),
      db ? { NV_DATABASE_URL: db.url } : {},
      {
        workspace: ws,
      },
    );
    try {
      const replies = await register.listReplies({ includeRemoved: true });
      const counts = await register.counts();
      const size =
        engine === 'sqlite'
          ? duBytes(join(ws, '.nv'))
          : Number((await admin(`SELECT pg_database_size('${db.name}') AS n`)).rows[0].n);
      facts[engine] = {
        replies: replies.length,
        documents: counts.documents,
        digest: repliesDigest(replies),
        size,
      };
      if (replies.length !== count)
        throw new Error(`${engine}: ${replies.length} replies, expected ${count}`);
    } finally {
      await register.close();
    }
    return out;
  } finally {
    if (db) await dropDatabase(db.name);
    rmSync(ws, { recursive: true, force: true });
  }
}

if (!noIngest) {
  console.log(`\ningest of ${fmt(count)} e-mails, then again, ${runs} runs`);
  for (let run = 1; run <= runs; run++) {
    for (const engine of order(run)) {
      const r = await ingestRun(engine);
      for (const pass of ['first', 'again']) {
        const s = r[pass];
        (ingest[`${pass}/${engine}`] ??= []).push(s);
        console.log(
          `  run ${run}  ${pass.padEnd(5)}  ${NAME[engine].padEnd(10)} ${s.wall.toFixed(2).padStart(6)} s  ${s.cpu.toFixed(2).padStart(6)} s CPU  server ${Number.isNaN(s.serverCpu) ? '   –  ' : s.serverCpu.toFixed(2).padStart(6)} s CPU  ${s.rssMb.toFixed(0).padStart(4)} MB  load ${s.load.toFixed(1)}`,
        );
      }
    }
    if (facts.sqlite && facts.postgresql && facts.sqlite.digest !== facts.postgresql.digest)
      throw new Error(
        `the replies differ: SQLite ${JSON.stringify(facts.sqlite)}, PostgreSQL ${JSON.stringify(facts.postgresql)}`,
      );
  }
}

if (server) await server.stop();

// ---------------------------------------------------------------------------------------------
// Report

const allocRows = [1, PROCS].map((procs) => {
  const m = Object.fromEntries(
    ENGINES.map((e) => {
      const s = alloc[`${procs}/${e}`];
      return [
        e,
        {
          perSecond: median(s.map((x) => x.perSecond)),
          ms: median(s.map((x) => x.msMedian)),
          runs: s.map((x) => x.perSecond),
        },
      ];
    }),
  );
  return { procs, ...m };
});
const ingestRows = noIngest
  ? []
  : ['first', 'again'].flatMap((pass) =>
      ENGINES.map((e) => {
        const s = ingest[`${pass}/${e}`];
        return {
          pass,
          engine: e,
          wall: median(s.map((x) => x.wall)),
          cpu: median(s.map((x) => x.cpu)),
          serverCpu: median(s.map((x) => x.serverCpu)),
          rss: Math.max(...s.map((x) => x.rssMb)),
          runs: s.map((x) => x.wall),
        };
      }),
    );
const loads = [...Object.values(alloc).flat(), ...Object.values(ingest).flat()].map((s) => s.load);

const allocLabel = (procs) =>
  procs === 1 ? `1 process × ${fmt(N)}` : `${procs} processes × ${fmt(N)} at once`;
const ingestLabel = (pass) =>
  pass === 'first'
    ? `nv ingest, ${fmt(count)} e-mails (${fmt(mails.pdfs + mails.csvs)} attachments, ${(mails.bytes / 1e6).toFixed(0)} MB)`
    : `nv ingest again, the same ${fmt(count)} (all existing)`;
const dash = (x, d = 2) => (Number.isNaN(x) ? '–' : x.toFixed(d));
const allocTable = [
  '| allocations (number + note written) | SQLite, a second | PostgreSQL, a second | PostgreSQL / SQLite | ms each, SQLite / PostgreSQL | runs SQLite | runs PostgreSQL |',
  '| --- | ---: | ---: | ---: | ---: | --- | --- |',
  ...allocRows.map(
    (r) =>
      `| ${allocLabel(r.procs)} | ${fmt(r.sqlite.perSecond)} | ${fmt(r.postgresql.perSecond)} | ${(r.postgresql.perSecond / r.sqlite.perSecond).toFixed(2)}× | ${r.sqlite.ms.toFixed(2)} / ${r.postgresql.ms.toFixed(2)} | ${r.sqlite.runs.map(fmt).join(', ')} | ${r.postgresql.runs.map(fmt).join(', ')} |`,
  ),
];
const ingestTable = [
  '| job | register | wall (s) | nv CPU (s) | server CPU (s) | nv peak RSS (MB) | runs, wall (s) |',
  '| --- | --- | ---: | ---: | ---: | ---: | --- |',
  ...ingestRows.map(
    (r) =>
      `| ${ingestLabel(r.pass)} | ${NAME[r.engine]} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${dash(r.serverCpu)} | ${r.rss.toFixed(0)} | ${r.runs.map((x) => x.toFixed(2)).join(', ')} |`,
  ),
];
const pgLine = server
  ? `PostgreSQL ${serverVersion}, a throwaway server on 127.0.0.1 (test/helpers/postgres-server.mjs: fsync ${fsync}, synchronous_commit ${syncCommit}), over TCP; SQLite in-process, WAL, synchronous=NORMAL`
  : `PostgreSQL ${serverVersion} at NV_BENCH_DATABASE_URL (fsync ${fsync}, synchronous_commit ${syncCommit}); SQLite in-process, WAL, synchronous=NORMAL`;
const statements = median(alloc[`1/postgresql`].map((x) => x.statements));
const trip = median(trips);
const share = (procs) => median(alloc[`${procs}/postgresql`].map((x) => x.waited / x.meanMs));
const bullets = [
  pgLine,
  `PostgreSQL: ${statements} statements an allocation, each a round trip to the server (counted on the driver); one statement's round trip (\`SELECT $1\`, one connection) ${trip.toFixed(3)} ms median (runs ${trips.map((t) => t.toFixed(3)).join(', ')}): ${(statements * trip).toFixed(1)} ms; nv spends ${(100 * share(1)).toFixed(0)} % of an allocation's time (mean) waiting for the answers to its statements (${(100 * share(PROCS)).toFixed(0)} % with ${PROCS} processes, where the answer to \`SELECT … FOR UPDATE\` waits for the counter row another transaction holds)`,
  `allocations checked each run: the numbers 1…${fmt(N)} (one process) and 1…${fmt(PROCS * N)} (${PROCS} processes), each once, no gap, every note recorded as written`,
  ...(noIngest
    ? []
    : [
        `ingest checked each run: ${fmt(count)} added, then ${fmt(count)} existing; the replies recorded (${fmt(facts.sqlite.replies)} replies, ${fmt(facts.sqlite.documents)} documents) the same on both, fields and documents (digest ${facts.sqlite.digest})`,
        `register after the ingest: SQLite .nv/ (file + archive) ${(facts.sqlite.size / 1e6).toFixed(0)} MB, PostgreSQL database ${(facts.postgresql.size / 1e6).toFixed(0)} MB (archive in it)`,
      ]),
  `load average (1 min) at the start of each measurement: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (other sessions share the ${cpus().length} cores)`,
];
console.log(`\n${allocTable.join('\n')}\n`);
if (!noIngest) console.log(`${ingestTable.join('\n')}\n`);
for (const b of bullets) console.log(`- ${b}`);

mkdirSync(OUT, { recursive: true });
writeFileSync(
  join(OUT, 'register.json'),
  `${JSON.stringify({ machine: machine(), revision: revision(ROOT), n: N, procs: PROCS, count, trips, alloc, ingest, allocRows, ingestRows, facts, bullets }, null, 2)}\n`,
);
console.log(`\nwritten: ${join(OUT, 'register.json')}`);

if (record) {
  const command = `node bench/register.mjs${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
  const md = [
    `\n## Issue 9: the register on SQLite and PostgreSQL — ${machine()}`,
    '',
    `\`${command}\` on ${revision(ROOT)}${buildNote}. Both registers side by side in one run, alternating (odd runs SQLite first), each measurement in a fresh register; medians. ` +
      `Allocations: each one as \`nv generate\` makes it for an individual note (ensureDispatches of one dispatch with one note, then recordNotesWritten: two transactions), ` +
      `processes started and warmed up before the clock starts (median of ${allocRuns} runs). ` +
      (noIngest
        ? ''
        : `Ingest: the mailbox of bench/ingest-mails.mjs (seed ${seed}) into a fresh example workspace, wall clock of the whole command (Node start-up included), ` +
          `nv's CPU (user + system) and peak RSS by /usr/bin/time, the server's CPU from its processes in /proc (median of ${runs} runs).`),
    '',
    ...allocTable,
    '',
    ...(noIngest ? [] : [...ingestTable, '']),
    ...bullets.map((b) => `- ${b}`),
    '',
  ].join('\n');
  appendFileSync(join(ROOT, 'bench', 'RESULTS.md'), md);
  console.log('appended to bench/RESULTS.md');
}
