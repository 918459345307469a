/**
 * nv's connection settings against a real PostgreSQL server with TLS and password authentication
 * (scram-sha-256), of the test's own: sslmode=verify-full with the server's CA connects over TLS,
 * a CA that did not sign the certificate is refused with one sentence; the password from
 * NV_DATABASE_PASSWORD is used, a wrong one is refused naming the user and never the password.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { openPool } from '../../src/storage/postgres/connection.js';
import { postgresSettings } from '../../src/storage/postgres/settings.js';
import { startServer, whyNoPostgresServer, type PostgresServer } from '../helpers/postgres-server.mjs';

const why = whyNoPostgresServer();
if (why && process.env.CI) throw new Error(`CI needs a PostgreSQL server for the tests: ${why}`);
if (why) console.warn(`skipped TLS and password authentication against a real server: ${why}`);

const PASSWORD = 'Corr3ct-H0rse-4-nv';

(why ? describe.skip : describe)('a real server with TLS and password authentication', () => {
  let server: PostgresServer;
  const workspace = mkdtempSync(join(tmpdir(), 'nv-unit-realauth-'));

  beforeAll(async () => {
    server = await startServer({ ssl: true });
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE ROLE nv LOGIN PASSWORD '${PASSWORD}'`);
    await admin.query('CREATE DATABASE nv OWNER nv');
    await admin.end();
    // Every TCP connection but the superuser's must give a password (scram-sha-256).
    const hba = join(server.dir, 'data', 'pg_hba.conf');
    writeFileSync(hba, '');
    appendFileSync(
      hba,
      'local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n',
    );
    const asRoot = process.getuid?.() === 0;
    const reload = asRoot
      ? spawnSync(
          'runuser',
          [
            '-u',
            'postgres',
            '--',
            'psql',
            '-h',
            '127.0.0.1',
            '-p',
            String(server.port),
            '-U',
            'postgres',
            '-c',
            'SELECT pg_reload_conf()',
          ],
          { cwd: '/' },
        )
      : spawnSync('psql', [
          '-h',
          '127.0.0.1',
          '-p',
          String(server.port),
          '-U',
          'postgres',
          '-c',
          'SELECT pg_reload_conf()',
        ]);
    expect(reload.status, String(reload.stderr)).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const settings = (query: string, env: NodeJS.ProcessEnv) =>
    postgresSettings(
      { url: `postgres://nv@localhost:${server.port}/nv?${query}`, source: 'NV_DATABASE_URL' },
      { workspace, env },
    );

  /** Whether this connection is encrypted, as the server sees it. */
  async function overTls(query: string, env: NodeJS.ProcessEnv): Promise<boolean> {
    const pool = await openPool(settings(query, env), 1);
    try {
      const r = await pool.query<{ ssl: boolean }>(
        'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
      );
      return r.rows[0]!.ssl;
    } finally {
      await pool.end();
    }
  }

  it('verify-full with the server CA connects over TLS, with the password from NV_DATABASE_PASSWORD', async () => {
    expect(
      await overTls(`sslmode=verify-full&sslrootcert=${server.caFile}`, { NV_DATABASE_PASSWORD: PASSWORD }),
    ).toBe(true);
    expect(await overTls('sslmode=disable', { NV_DATABASE_PASSWORD: PASSWORD })).toBe(false);
    expect(await overTls('sslmode=prefer', { NV_DATABASE_PASSWORD: PASSWORD })).toBe(true);
  });

  it('a CA that did not sign the server certificate is refused in one sentence', async () => {
    const otherCa = join(workspace, 'other-ca.pem');
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(workspace, 'k.pem'),
      '-out',
      otherCa,
      '-days',
      '2',
      '-subj',
      '/CN=Other CA',
    ]);
    expect(made.status).toBe(0);
    const failure = await overTls(`sslmode=verify-full&sslrootcert=${otherCa}`, {
      NV_DATABASE_PASSWORD: PASSWORD,
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as Error).message).toMatch(
      /^The TLS connection to the register database nv@localhost:\d+\/nv failed \(.+\); check the CA file and sslmode\.$/,
    );
  });

  it('a wrong password is refused naming the user, never the password', async () => {
    const wrong = 'Wr0ng-Secret-Value';
    const failure = await overTls('sslmode=disable', { NV_DATABASE_PASSWORD: wrong }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(UserError);
    const text = (failure as Error).message + String((failure as Error).stack);
    expect((failure as Error).message).toMatch(
      /^The register database refused nv@localhost:\d+\/nv: authentication failed .*NV_DATABASE_PASSWORD\.$/,
    );
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(PASSWORD);
  });
});
