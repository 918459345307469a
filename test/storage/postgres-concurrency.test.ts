/**
 * Several processes allocating numbers at once, as several officers' `nv generate` do, against one
 * register: per key, ensureDispatches → the note's file written → recordNotesWritten with the
 * file's SHA-256. Then the same with processes killed (SIGKILL) at random moments and rerun with
 * the same keys. One contract, two implementations: PostgreSQL (one database) and SQLite (one file).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegister } from '../../src/storage/open.js';
import type { Register } from '../../src/storage/register.js';
import { migratePostgres } from '../../src/storage/postgres/schema.js';
import { postgresSettings } from '../../src/storage/postgres/settings.js';
import { builtModules } from '../helpers/unit-dist.js';
import { describePg, dropDatabase, freshDatabase } from '../helpers/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'nv-unit-conc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WORKERS = ['w1', 'w2', 'w3', 'w4'];
const PER_WORKER = 500;
const FIRST = 150;
const SERIES = 'CU';
const YEAR = 2031;

let worker: string;
beforeAll(() => {
  const [openUrl] = builtModules([
    'storage/open',
    'storage/postgres/register',
    'storage/postgres/connection',
    'storage/postgres/archive',
    'storage/postgres/schema',
    'storage/postgres/settings',
    'storage/sqlite/register',
    'storage/register',
    'errors',
  ]);
  // argv: workspace, worker name, count. The register is the workspace's SQLite file, or the
  // database of NV_DATABASE_URL. Per key: the dispatch (found or allocated), its note's file
  // (content derived from the number) unless the file on disk is the one recorded, the record of
  // the file's SHA-256; then prints the number.
  worker = join(dir, 'generate-worker.mjs');
  writeFileSync(
    worker,
    `
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRegister } from ${JSON.stringify(openUrl)};
const [workspace, name, count] = process.argv.slice(2);
const reg = await openRegister(join(workspace, '.nv', 'registry.sqlite'), process.env, { workspace });
const actor = { user: 'officer-' + name, command: 'nv generate --template reminder' };
const sha = (b) => createHash('sha256').update(b).digest('hex');
mkdirSync(join(workspace, 'out'), { recursive: true });
for (let i = 0; i < Number(count); i++) {
  const key = 'reminder/' + name + '/' + i;
  const [r] = await reg.ensureDispatches([{
    key, series: ${JSON.stringify(SERIES)}, year: ${YEAR}, kind: 'individual', template: 'reminder',
    date: '2031-10-01', notes: [{ recipient: 'S' + i, variant: '' }], firstSeq: ${FIRST},
  }], actor);
  if (r.allocated) process.stdout.write('allocated ' + r.dispatch.seq + '\\n');
  const note = r.notes[0];
  const rel = 'out/CU-${YEAR}-' + r.dispatch.seq + '.txt';
  const path = join(workspace, rel);
  const recorded = note.files[rel];
  if (!(recorded && existsSync(path) && sha(readFileSync(path)) === recorded)) {
    // A number allocated by a run that was killed before its note was recorded.
    if (!r.allocated) process.stdout.write('resumed ' + r.dispatch.seq + '\\n');
    const bytes = Buffer.from('Note verbale CU ${YEAR}/' + r.dispatch.seq + ' for ' + key + '\\n'.repeat(1 + (r.dispatch.seq % 7)));
    writeFileSync(path + '.tmp', bytes);
    renameSync(path + '.tmp', path);
    await reg.recordNotesWritten([{ noteId: note.id, inputHash: sha(key), files: { [rel]: sha(bytes) } }], actor);
  }
  process.stdout.write(r.dispatch.seq + '\\n');
}
await reg.close();
`,
  );
});

interface Child {
  proc: ChildProcess;
  out: () => string;
  done: Promise<{ code: number | null; signal: string | null; stderr: string }>;
}

function run(workspace: string, name: string, env: NodeJS.ProcessEnv): Child {
  const proc = spawn(process.execPath, [worker, workspace, name, String(PER_WORKER)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((res) =>
    proc.on('close', (code, signal) => res({ code, signal, stderr })),
  );
  return { proc, out: () => stdout, done };
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** A pseudo-random generator with a seed (the moments and victims of the kills), logged on failure. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** What every test checks of the register and the files once all four workers completed. */
async function checkComplete(reg: Register, workspace: string): Promise<number[]> {
  const dispatches = (await reg.listDispatches()).filter((d) => d.series === SERIES && d.year === YEAR);
  const seqs = dispatches.map((d) => d.seq).sort((a, b) => a - b);
  const total = WORKERS.length * PER_WORKER;
  expect(seqs).toEqual(Array.from({ length: total }, (_, i) => FIRST + i));
  expect(new Set(dispatches.map((d) => d.key)).size).toBe(total);
  expect(await reg.peekNext(SERIES, YEAR, FIRST)).toBe(FIRST + total);
  let files = 0;
  for (const d of dispatches) {
    const notes = await reg.notesOf(d.id);
    expect(notes).toHaveLength(1);
    const [note] = notes;
    expect(note!.writtenAt, `note of ${d.seq}`).not.toBeNull();
    for (const [rel, sha] of Object.entries(note!.files)) {
      expect(rel).toBe(`out/CU-${YEAR}-${d.seq}.txt`);
      expect(
        createHash('sha256')
          .update(readFileSync(join(workspace, rel)))
          .digest('hex'),
      ).toBe(sha);
      files++;
    }
  }
  expect(files).toBe(total);
  const allocations = (await reg.audit()).filter(
    (a) => a.action === 'allocate' && a.detail.series === SERIES && a.detail.year === YEAR,
  );
  expect(allocations).toHaveLength(total);
  expect(new Set(allocations.map((a) => a.user))).toEqual(new Set(WORKERS.map((w) => `officer-${w}`)));
  return seqs;
}

/** Runs the four workers at once to completion; returns each worker's printed numbers. */
async function allAtOnce(workspace: string, env: NodeJS.ProcessEnv): Promise<number[][]> {
  const children = WORKERS.map((w) => run(workspace, w, env));
  const results = await Promise.all(children.map((c) => c.done));
  expect(results.map((r) => [r.code, r.stderr])).toEqual(children.map(() => [0, '']));
  return children.map((c) =>
    c
      .out()
      .split('\n')
      .filter((l) => /^\d+$/.test(l))
      .map(Number),
  );
}

/**
 * Runs the four workers, killing a random running one (SIGKILL) at a random moment `kills` times,
 * each killed worker started again with the same keys, until all four complete. Returns how many
 * kills landed.
 */
async function withKills(workspace: string, env: NodeJS.ProcessEnv, kills: number, seed: number) {
  const rand = random(seed);
  const children = new Map(WORKERS.map((w) => [w, run(workspace, w, env)]));
  const all = [...children.values()];
  const exited = new Map<string, boolean>();
  const watch = (w: string, c: Child) =>
    void c.done.then((r) => {
      if (children.get(w) === c && r.signal === null) exited.set(w, true);
    });
  for (const [w, c] of children) watch(w, c);
  let landed = 0;
  for (let k = 0; k < kills; k++) {
    const running = WORKERS.filter((w) => !exited.has(w));
    if (running.length === 0) break;
    const victim = running[Math.floor(rand() * running.length)]!;
    const c = children.get(victim)!;
    // Once it is at work (it has allocated a few numbers in this run), at a random moment.
    while (c.out().split('\n').length < 4 && !exited.has(victim)) await sleep(5);
    await sleep(rand() * 300);
    // Every other kill aims at the moment between a number's allocation and its note's record.
    const end = Date.now() + 2000;
    if (k % 2 === 1)
      while (!/(^|\n)allocated \d+\n$/.test(c.out()) && !exited.has(victim) && Date.now() < end)
        await sleep(1);
    c.proc.kill('SIGKILL');
    const r = await c.done;
    if (r.signal === 'SIGKILL') landed++;
    else expect([r.code, r.stderr]).toEqual([0, '']);
    if (r.signal === 'SIGKILL') {
      const again = run(workspace, victim, env);
      children.set(victim, again);
      all.push(again);
      watch(victim, again);
    }
  }
  const results = await Promise.all([...children.values()].map((c) => c.done));
  expect(
    results.map((r) => [r.code, r.stderr]),
    `seed ${seed}`,
  ).toEqual(WORKERS.map(() => [0, '']));
  const resumed = all.reduce((n, c) => n + (c.out().match(/^resumed /gm)?.length ?? 0), 0);
  return { landed, resumed };
}

function register(
  name: string,
  open: () => Promise<{ env: NodeJS.ProcessEnv; reg: (ws: string) => Promise<Register> }>,
) {
  const fresh = () => {
    const ws = join(dir, `${name}-${Math.random().toString(36).slice(2, 8)}`);
    mkdirSync(join(ws, '.nv'), { recursive: true });
    return ws;
  };

  it(`${name}: 4 processes allocating 500 numbers each get 2,000 distinct, gap-free numbers, each note's file recorded`, async () => {
    const { env, reg: openReg } = await open();
    const ws = fresh();
    const started = Date.now();
    const printed = await allAtOnce(ws, env);
    const seconds = (Date.now() - started) / 1000;
    for (const p of printed) {
      expect(p).toHaveLength(PER_WORKER);
      expect(p.every((n, i) => i === 0 || n > p[i - 1]!)).toBe(true);
    }
    // The workers interleaved: no worker took its numbers in one block.
    expect(printed.filter((p) => p.at(-1)! - p[0]! === PER_WORKER - 1).length).toBeLessThan(4);
    const reg = await openReg(ws);
    try {
      const seqs = await checkComplete(reg, ws);
      expect(printed.flat().sort((a, b) => a - b)).toEqual(seqs);
    } finally {
      await reg.close();
    }
    console.info(`${name}: 2,000 allocations by 4 processes in ${seconds.toFixed(1)} s`);
  }, 120_000);

  it(`${name}: the same with kill -9 of random processes at random moments and reruns: no gap, no duplicate, every file matching its record`, async () => {
    const { env, reg: openReg } = await open();
    const ws = fresh();
    const seed = Date.now() % 100_000;
    const started = Date.now();
    const { landed, resumed } = await withKills(ws, env, 8, seed);
    const seconds = (Date.now() - started) / 1000;
    // The kills really happened: at least some processes died by SIGKILL mid-way.
    expect(landed, `seed ${seed}`).toBeGreaterThanOrEqual(3);
    const reg = await openReg(ws);
    try {
      await checkComplete(reg, ws);
      // One file per number, no temporary file left behind by a killed process.
      expect(readdirSync(join(ws, 'out')).filter((f) => !/^CU-\d+-\d+\.txt$/.test(f))).toEqual([]);
      expect(readdirSync(join(ws, 'out'))).toHaveLength(WORKERS.length * PER_WORKER);
    } finally {
      await reg.close();
    }
    console.info(
      `${name}: ${landed} processes killed (${resumed} numbers allocated before a kill completed by the rerun), 2,000 allocations complete in ${seconds.toFixed(1)} s (seed ${seed})`,
    );
  }, 120_000);
}

describe('allocation by several processes: SQLite', () => {
  const env = { ...process.env };
  delete env.NV_DATABASE_URL;
  register('SQLite', async () => ({
    env,
    reg: (ws) => openRegister(join(ws, '.nv', 'registry.sqlite'), env, { workspace: ws }),
  }));
});

describePg('allocation by several processes: PostgreSQL', () => {
  const made: string[] = [];
  afterAll(async () => {
    for (const u of made) await dropDatabase(u);
  });
  register('PostgreSQL', async () => {
    const url = await freshDatabase('nv_conc');
    made.push(url);
    const env = { ...process.env, NV_DATABASE_URL: url };
    await migratePostgres(postgresSettings({ url, source: 'NV_DATABASE_URL' }, { workspace: dir, env }), {
      user: 'test',
      command: 'nv db migrate',
    });
    return { env, reg: (ws) => openRegister(join(ws, '.nv', 'registry.sqlite'), env, { workspace: ws }) };
  });
});
