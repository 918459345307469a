/**
 * Faults of a PostgreSQL register, through the built CLI: the server restarts in the middle of a
 * batch (a server of the test's own, started with test/helpers/postgres-server.mjs), and a
 * database that does not exist.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exampleWorkspace, nv, nvAsync } from '../helpers/cli.js';
import { adminUrl, describePg, withDatabase } from '../helpers/postgres.js';
import { startServer } from '../helpers/postgres-server.mjs';

const PASSWORD = 'Rst-secret-4711';

/** The URL with a password in it (the test servers trust 127.0.0.1 and ignore it). */
function withPassword(url: string): string {
  const u = new URL(url);
  u.password = PASSWORD;
  return u.toString();
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/**
 * What the register says is written is on disk with that SHA-256; every dispatch has its notes.
 * Returns how many notes are recorded as written.
 */
async function nothingHalfRecorded(url: string, ws: string): Promise<number> {
  const notes = await query<{ dispatch_id: number; files: string; written_at: string | null }>(
    url,
    'SELECT dispatch_id, files, written_at FROM notes',
  );
  const dispatches = await query<{ id: number; n: number }>(
    url,
    'SELECT d.id, count(n.id)::int AS n FROM dispatches d LEFT JOIN notes n ON n.dispatch_id = d.id GROUP BY d.id',
  );
  expect(dispatches.length).toBeGreaterThan(0);
  for (const d of dispatches) expect(d.n, `notes of dispatch ${d.id}`).toBeGreaterThan(0);
  expect(notes).toHaveLength(195);
  let written = 0;
  for (const n of notes) {
    const files = JSON.parse(n.files) as Record<string, string>;
    if (n.written_at === null) continue;
    written++;
    expect(Object.keys(files).sort()).toHaveLength(2);
    for (const [rel, sha] of Object.entries(files))
      expect(
        createHash('sha256')
          .update(readFileSync(join(ws, rel)))
          .digest('hex'),
        rel,
      ).toBe(sha);
  }
  return written;
}

describePg('a PostgreSQL register with faults, through the CLI', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  const dirs: string[] = [];
  beforeAll(async () => {
    server = await startServer({});
  });
  afterAll(async () => {
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('the server restarts in the middle of a batch: exit 2, one sentence naming the database, nothing half-recorded; the same command again completes it under the same numbers', async () => {
    let attempt = 0;
    let failed: { stdout: string; stderr: string; code: number | null } | undefined;
    let ws = '';
    let url = '';
    // The restart must land while nv writes the batch; a run that finished first is tried again.
    while (!failed && attempt < 4) {
      attempt++;
      const name = `nv_restart_${attempt}`;
      await query(server.url, `CREATE DATABASE ${name}`);
      url = withPassword(withDatabase(server.url, name));
      const made = exampleWorkspace();
      dirs.push(made.dir);
      ws = made.ws;
      const env = { NV_DATABASE_URL: url, NV_ACTOR: 'officer-1 Anna' };
      expect(nv(['db', 'migrate'], { cwd: ws, env }).code).toBe(0);
      // A session of the test's own watches the batch being recorded; once the first notes are,
      // it holds the notes table so that nv's next recording waits, open, when the server restarts.
      const watcher = new pg.Client({ connectionString: url });
      watcher.on('error', () => undefined);
      await watcher.connect();
      const count = async (sql: string) => Number((await watcher.query(sql)).rows[0].n);
      const run = nvAsync(['generate', '--yes'], { cwd: ws, env });
      let finished = false;
      void run.done.then(() => (finished = true));
      while (!finished && (await count('SELECT count(*) AS n FROM notes WHERE written_at IS NOT NULL')) === 0)
        await sleep(10);
      if (!finished) {
        await watcher.query('BEGIN');
        await watcher.query('LOCK TABLE notes IN EXCLUSIVE MODE');
        while (
          !finished &&
          (await count(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          )) === 0
        )
          await sleep(10);
        if (!finished) await server.restart();
      }
      await watcher.end().catch(() => undefined);
      const r = await run.done;
      if (r.code !== 0) failed = r;
    }
    expect(failed, 'a restart that landed in the middle of the batch').toBeDefined();
    const { code, stdout, stderr } = failed!;
    expect(code, stderr).toBe(2);
    const database = `postgres@127.0.0.1:${server.port}/nv_restart_${attempt}`;
    // One sentence naming the database: no stack trace, no password.
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^nv: [^\n]*register database[^\n]*\.\n$/);
    expect(stderr).toContain(database);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout + stderr).not.toContain(PASSWORD);

    const env = { NV_DATABASE_URL: url, NV_ACTOR: 'officer-1 Anna' };
    const writtenBefore = await nothingHalfRecorded(url, ws);
    expect(writtenBefore).toBeLessThan(195);
    const before = nv(['ref', 'list', '--json'], { cwd: ws, env });
    expect(before.code, before.stderr).toBe(0);

    const again = nv(['generate', '--yes', '--json'], { cwd: ws, env });
    expect(again.code, again.stderr).toBe(0);
    const totals = (JSON.parse(again.stdout) as { totals: Record<string, number> }).totals;
    expect(totals).toMatchObject({ notes: 195, allocated: 0 });
    expect(totals.written! + totals.unchanged!).toBe(195);
    expect(totals.unchanged).toBe(writtenBefore);

    const after = nv(['ref', 'list', '--json'], { cwd: ws, env });
    expect(after.stdout).toBe(before.stdout);
    expect(await nothingHalfRecorded(url, ws)).toBe(195);
    console.info(
      `restart landed mid-batch on attempt ${attempt}: ${writtenBefore} of 195 notes recorded before it, the rest by the rerun; nv said: ${stderr.trim()}`,
    );
  }, 120_000);

  it('a database that does not exist: exit 2 naming host, port and database, never the password', () => {
    const made = exampleWorkspace();
    dirs.push(made.dir);
    const url = withPassword(withDatabase(adminUrl()!, 'nv_no_such_database'));
    const { host } = new URL(url);
    for (const json of [false, true]) {
      const r = nv(['ref', 'list', ...(json ? ['--json'] : [])], {
        cwd: made.ws,
        env: { NV_DATABASE_URL: url },
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `The register database postgres@${host}/nv_no_such_database does not exist; create it (createdb) or correct NV_DATABASE_URL.`,
      );
      expect(r.stdout + r.stderr).not.toContain(PASSWORD);
      if (json)
        expect(JSON.parse(r.stdout)).toMatchObject({
          error: { code: 'user', message: expect.stringContaining(`${host}/nv_no_such_database`) },
        });
    }
  });
});
