/**
 * test/helpers/postgres-server.mjs: the throwaway PostgreSQL server that .ci/run starts for the
 * tests and that the fault tests (restart, kill) start for themselves. Skipped with a message where
 * PostgreSQL is not installed, except in CI, where it must be.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { startServer, whyNoPostgresServer, type PostgresServer } from '../helpers/postgres-server.mjs';

const HELPER = join(ROOT, 'test', 'helpers', 'postgres-server.mjs');

const why = whyNoPostgresServer();
if (why && process.env.CI) throw new Error(`CI needs a PostgreSQL server for the tests: ${why}`);
if (why) console.warn(`skipped the PostgreSQL server helper tests: ${why}`);

/** One query on a fresh connection. */
async function query(url: string, sql: string, ssl?: pg.ClientConfig['ssl']): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, ...(ssl ? { ssl } : {}) });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The error code of a connection attempt, or 'connected'. */
async function connectOutcome(url: string): Promise<string> {
  try {
    await query(url, 'SELECT 1');
    return 'connected';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}

describe.skipIf(why !== null)('the throwaway PostgreSQL server', () => {
  const started: PostgresServer[] = [];
  const made: string[] = [];
  afterAll(async () => {
    for (const s of started) await s.stop().catch(() => undefined);
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  async function start(opts?: { dir?: string; ssl?: boolean }): Promise<PostgresServer> {
    const s = await startServer(opts);
    started.push(s);
    return s;
  }
  function callerDir(): string {
    const d = mkdtempSync('/tmp/nvpgt-');
    made.push(d);
    return d;
  }

  it('starts a UTF8 server that answers on 127.0.0.1 as the superuser postgres', async () => {
    const s = await start();
    expect(s.url).toBe(`postgres://postgres@127.0.0.1:${s.port}/postgres`);
    const r = await query(
      s.url,
      `SELECT current_user AS u, current_setting('server_encoding') AS e, 1 + 1 AS two`,
    );
    expect(r.rows[0]).toEqual({ u: 'postgres', e: 'UTF8', two: 2 });
  });

  it('restart() keeps the port and the data; kill() then start() keeps committed data', async () => {
    const s = await start();
    await query(s.url, `CREATE TABLE t (v text); INSERT INTO t VALUES ('before restart')`);
    const pidBefore = (await query(s.url, 'SELECT pg_postmaster_start_time() AS t')).rows[0].t;
    await s.restart();
    const after = await query(s.url, 'SELECT v, pg_postmaster_start_time() AS t FROM t');
    expect(after.rows.map((r) => r.v)).toEqual(['before restart']);
    expect(after.rows[0].t).not.toEqual(pidBefore); // a new postmaster on the same URL
    await query(s.url, `INSERT INTO t VALUES ('before kill')`);
    await s.kill();
    expect(await connectOutcome(s.url)).toBe('ECONNREFUSED');
    await s.start();
    expect((await query(s.url, 'SELECT v FROM t ORDER BY v')).rows.map((r) => r.v)).toEqual([
      'before kill',
      'before restart',
    ]);
  });

  it('ssl: true serves TLS with a certificate for localhost that a verifying client accepts', async () => {
    const s = await start({ ssl: true });
    expect(s.caFile).toBeDefined();
    const ca = readFileSync(s.caFile!, 'utf8');
    const r = await query(s.url, 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()', {
      ca,
      rejectUnauthorized: true,
      servername: 'localhost',
    });
    expect(r.rows[0].ssl).toBe(true);
    // And a client that trusts another CA is refused: the verification is real.
    const other = await start({ ssl: true });
    const refused = await query(s.url, 'SELECT 1', {
      ca: readFileSync(other.caFile!, 'utf8'),
      rejectUnauthorized: true,
      servername: 'localhost',
    }).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
  });

  it('stop() leaves the caller’s folder and files; it removes only a folder it made', async () => {
    const dir = callerDir();
    writeFileSync(join(dir, 'mine.txt'), 'the caller’s\n');
    const s = await start({ dir });
    expect(s.dir).toBe(dir);
    await s.stop();
    expect(await connectOutcome(s.url)).toBe('ECONNREFUSED');
    expect(readFileSync(join(dir, 'mine.txt'), 'utf8')).toBe('the caller’s\n');
    expect(existsSync(join(dir, 'server.log'))).toBe(true);

    const own = await start();
    expect(existsSync(own.dir)).toBe(true);
    await own.stop();
    expect(existsSync(own.dir)).toBe(false);
  });

  it('the CLI: "start DIR" prints the URL and leaves the server running; "stop DIR" stops it', async () => {
    const dir = callerDir();
    const up = spawnSync(process.execPath, [HELPER, 'start', dir], { encoding: 'utf8', timeout: 60_000 });
    expect(up.stderr).toBe('');
    expect(up.status).toBe(0);
    const url = up.stdout.trim();
    expect(url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect((await query(url, 'SELECT 42 AS n')).rows[0].n).toBe(42);
    const down = spawnSync(process.execPath, [HELPER, 'stop', dir], { encoding: 'utf8', timeout: 60_000 });
    expect(down.status).toBe(0);
    expect(await connectOutcome(url)).toBe('ECONNREFUSED');
    expect(existsSync(join(dir, 'data', 'PG_VERSION'))).toBe(true);
  });

  it('the CLI says why a server cannot start (the end of its log) and exits 1', () => {
    const dir = callerDir();
    mkdirSync(join(dir, 'data'), { mode: 0o700 });
    writeFileSync(join(dir, 'data', 'PG_VERSION'), '15\n'); // a broken data folder: no postgresql.conf
    const r = spawnSync(process.execPath, [HELPER, 'start', dir], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/pg_ctl .*start failed/);
    expect(r.stderr).toMatch(/last lines of \S*server\.log ---\n.*postgresql\.conf/);
  });
});
