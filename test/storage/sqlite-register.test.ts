import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { openRegister } from '../../src/storage/open.js';
import { SqliteRegister } from '../../src/storage/sqlite/register.js';
import { MIGRATIONS } from '../../src/storage/sqlite/schema.js';
import { builtModules } from '../helpers/unit-dist.js';
import { ACTOR, registerContract, request } from './register-contract.js';

registerContract('SqliteRegister', async (path) => new SqliteRegister(path));

const dir = mkdtempSync(join(tmpdir(), 'nv-unit-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteRegister', () => {
  it('opens in WAL mode with a busy timeout, and records the schema version', async () => {
    const path = join(dir, 'pragmas', 'registry.sqlite');
    const reg = new SqliteRegister(path);
    expect(reg.db.pragma('journal_mode', { simple: true })).toBe('wal');
    // A short silent wait; the long wait for another process's lock is announced (test/cli/faults).
    expect(reg.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    expect(reg.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    await reg.close();
  });

  it('a counter set back by hand below a used number is a UserError naming the fix, not a UNIQUE failure', async () => {
    const path = join(dir, 'set-back.sqlite');
    const reg = new SqliteRegister(path);
    await reg.ensureDispatches([request('a'), request('b')], ACTOR);
    reg.db.prepare("UPDATE counters SET next = 150 WHERE series = 'CU' AND year = 2012").run();
    await expect(reg.ensureDispatches([request('c')], ACTOR)).rejects.toThrow(UserError);
    await expect(reg.ensureDispatches([request('c')], ACTOR)).rejects.toThrow(
      /CU 2012\/151 is already allocated .*run "nv ref set-next 152 --series CU --year 2012"/,
    );
    expect(await reg.listDispatches()).toHaveLength(2);
    await reg.setNext('CU', 2012, 152, ACTOR);
    expect((await reg.ensureDispatches([request('c')], ACTOR))[0]!.dispatch.seq).toBe(152);
    await reg.close();
  });

  it('refuses a register written by a newer nv', async () => {
    const path = join(dir, 'newer.sqlite');
    await new SqliteRegister(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => new SqliteRegister(path)).toThrow(UserError);
    expect(() => new SqliteRegister(path)).toThrow(/newer nv/);
  });

  it('is what openRegister opens, unless NV_DATABASE_URL names PostgreSQL', async () => {
    const path = join(dir, 'open', 'registry.sqlite');
    const reg = await openRegister(path, {});
    expect(reg).toBeInstanceOf(SqliteRegister);
    await reg.close();
    await expect(openRegister(path, { NV_DATABASE_URL: 'postgres://db/nv' })).rejects.toThrow(UserError);
  });
});

/** A child process that runs `script` (an ES module) with `args`, collecting its output. */
function child(
  script: string,
  args: string[],
): {
  proc: ChildProcess;
  out: () => string;
  done: Promise<{ code: number | null; signal: string | null; stderr: string }>;
} {
  const proc = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((res) =>
    proc.on('close', (code, signal) => res({ code, signal, stderr })),
  );
  return { proc, out: () => stdout, done };
}

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('SqliteRegister across processes', () => {
  let allocate: string;

  beforeAll(() => {
    const [registerUrl] = builtModules([
      'storage/sqlite/register',
      'storage/sqlite/schema',
      'storage/sqlite/archive',
      'storage/register',
      'errors',
    ]);
    // argv: path, worker name, count (0: until killed), notes per dispatch. Opens the register,
    // says "ready", waits for "go" on stdin, then allocates one individual dispatch per key,
    // printing each number once its transaction has committed.
    allocate = join(dir, 'allocate.mjs');
    writeFileSync(
      allocate,
      `
import { SqliteRegister } from ${JSON.stringify(registerUrl)};
const [path, worker, count, notes] = process.argv.slice(2);
const reg = new SqliteRegister(path);
const actor = { user: 'worker-' + worker, command: 'nv generate --template reminder' };
const recipients = Array.from({ length: Number(notes) }, (_, i) => ({ recipient: 'R' + i, variant: '' }));
process.stdout.write('ready\\n');
process.stdin.once('data', async () => {
  for (let i = 0; Number(count) === 0 || i < Number(count); i++) {
    const [r] = await reg.ensureDispatches([{
      key: 'reminder/' + worker + '/' + i, series: 'CU', year: 2012, kind: 'individual',
      template: 'reminder', date: '2012-10-01', notes: recipients, firstSeq: 150,
    }], actor);
    process.stdout.write(r.dispatch.seq + '\\n');
  }
  await reg.close();
});
`,
    );
  });

  it('4 processes allocating 200 numbers each at once get 800 unique numbers without a gap', async () => {
    const path = join(dir, 'concurrent', 'registry.sqlite');
    const workers = ['w1', 'w2', 'w3', 'w4'].map((w) => child(allocate, [path, w, '200', '1']));
    await until(
      () => workers.every((w) => w.out().startsWith('ready\n')),
      'the workers to open the register',
    );
    for (const w of workers) w.proc.stdin!.end('go\n');
    const results = await Promise.all(workers.map((w) => w.done));
    expect(results.map((r) => [r.code, r.stderr])).toEqual(workers.map(() => [0, '']));

    const printed = workers.map((w) => w.out().split('\n').slice(1).filter(Boolean).map(Number));
    // Each worker saw its own numbers rise.
    for (const p of printed) {
      expect(p).toHaveLength(200);
      expect(p.every((n, i) => i === 0 || n > p[i - 1]!)).toBe(true);
    }
    const all = printed.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 800 }, (_, i) => 150 + i));
    // The workers did interleave: no worker took its 200 numbers in one block.
    expect(printed.filter((p) => p.at(-1)! - p[0]! === 199).length).toBeLessThan(4);

    const reg = new SqliteRegister(path);
    const stored = await reg.listDispatches();
    expect(stored.map((d) => d.seq)).toEqual(all);
    expect(new Set(stored.map((d) => d.key)).size).toBe(800);
    expect(await reg.peekNext('CU', 2012, 150)).toBe(950);
    const allocations = (await reg.audit(10_000)).filter((e) => e.action === 'allocate');
    expect(allocations).toHaveLength(800);
    expect(new Set(allocations.map((e) => e.user))).toEqual(
      new Set(['worker-w1', 'worker-w2', 'worker-w3', 'worker-w4']),
    );
    await reg.close();
  });

  it('a process killed with SIGKILL while allocating leaves no gap and no half-recorded dispatch', async () => {
    const path = join(dir, 'killed', 'registry.sqlite');
    // 200 notes per dispatch: most of the time is spent inside the transaction.
    const w = child(allocate, [path, 'k', '0', '200']);
    await until(() => w.out().startsWith('ready\n'), 'the worker to open the register');
    w.proc.stdin!.write('go\n');
    await until(() => w.out().split('\n').length > 40, 'the worker to allocate some numbers');
    w.proc.kill('SIGKILL');
    const r = await w.done;
    expect(r.signal).toBe('SIGKILL');

    const printed = w.out().split('\n').slice(1).filter(Boolean).map(Number);
    const reg = new SqliteRegister(path);
    const stored = await reg.listDispatches();
    const seqs = stored.map((d) => d.seq);
    // Every number it reported is there; at most one more committed before it could print it.
    expect(seqs.slice(0, printed.length)).toEqual(printed);
    expect(seqs.length - printed.length).toBeLessThanOrEqual(1);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => 150 + i));
    for (const d of stored) expect(await reg.notesOf(d.id)).toHaveLength(200);
    expect((await reg.audit(10_000)).filter((e) => e.action === 'allocate')).toHaveLength(seqs.length);

    const last = seqs.at(-1)!;
    expect(await reg.peekNext('CU', 2012, 150)).toBe(last + 1);
    const [next] = await reg.ensureDispatches([request('after-the-crash', { kind: 'individual' })], ACTOR);
    expect(next!.dispatch.seq).toBe(last + 1);
    await reg.close();
  });
});
