/**
 * Connection faults against a stand-in PostgreSQL server that speaks just enough of the protocol
 * (no real server needed): it has no TLS, asks for a password and refuses it. Drives the real
 * `pg` client through nv's connection code.
 */
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { PostgresRegister } from '../../src/storage/postgres/register.js';
import { postgresSettings } from '../../src/storage/postgres/settings.js';

const SSL_REQUEST = 80877103;

/** What the stand-in saw, connection by connection: "ssl-request", "startup", "password <p>". */
const seen: string[] = [];

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function standIn(): Server {
  return createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      if (data.length === 8 && data.readInt32BE(4) === SSL_REQUEST) {
        seen.push('ssl-request');
        socket.write('N'); // no TLS here
      } else if (data[0] === 0x70 /* 'p' */) {
        seen.push(`password ${data.subarray(5, data.length - 1).toString()}`);
        const fields = ['SFATAL', 'VFATAL', 'C28P01', 'Mpassword authentication failed for user "nv"'];
        socket.end(message('E', Buffer.from(`${fields.join('\0')}\0\0`)));
      } else {
        seen.push('startup');
        const cleartext = Buffer.alloc(4);
        cleartext.writeInt32BE(3);
        socket.write(message('R', cleartext));
      }
    });
  });
}

describe('PostgreSQL connection faults (stand-in server)', () => {
  let server: Server;
  let port: number;
  const workspace = mkdtempSync(join(tmpdir(), 'nv-unit-pgfault-'));
  const open = (url: string, env: NodeJS.ProcessEnv = {}) =>
    PostgresRegister.open(postgresSettings({ url, source: 'NV_DATABASE_URL' }, { workspace, env }), {
      workspace,
    });
  const refusal = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  };

  beforeAll(async () => {
    server = standIn();
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((ok) => server.close(ok));
    rmSync(workspace, { recursive: true, force: true });
  });

  it('sslmode=prefer (the default) falls back to a plain connection when the server has no TLS', async () => {
    seen.length = 0;
    await refusal(open(`postgres://nv:WrongPw-77@127.0.0.1:${port}/nvdb`));
    expect(seen).toEqual(['ssl-request', 'startup', 'password WrongPw-77']);
  });

  it('a refused password says so, names user@host:port/database, points to NV_DATABASE_PASSWORD, never shows it', async () => {
    const e = await refusal(
      open(`postgres://nv@127.0.0.1:${port}/nvdb`, { NV_DATABASE_PASSWORD: 'WrongPw-77' }),
    );
    expect(e.message).toBe(
      `The register database refused nv@127.0.0.1:${port}/nvdb: authentication failed (password authentication failed for user "nv"); set the password in NV_DATABASE_PASSWORD.`,
    );
    expect(JSON.stringify({ m: e.message, s: e.stack })).not.toContain('WrongPw');
  });

  it('sslmode=require refuses a server without TLS, naming it', async () => {
    seen.length = 0;
    const e = await refusal(open(`postgres://nv:WrongPw-77@127.0.0.1:${port}/nvdb?sslmode=require`));
    expect(e.message).toBe(
      `The register database server at 127.0.0.1:${port}/nvdb offers no TLS, and sslmode=require requires it; enable TLS on the server or choose another sslmode.`,
    );
    expect(seen).toEqual(['ssl-request']);
  });

  it('no password at all, when the server asks for one, is the same refusal', async () => {
    const e = await refusal(open(`postgres://nv@127.0.0.1:${port}/nvdb`, { HOME: workspace }));
    expect(e.message).toMatch(
      /^The register database refused nv@127\.0\.0\.1:\d+\/nvdb: authentication failed \(.*\); set the password in NV_DATABASE_PASSWORD\.$/,
    );
  });

  it('a server that accepts the connection and never answers is said to be unreachable, after the timeout', async () => {
    const silent = createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    const silentPort = (silent.address() as { port: number }).port;
    try {
      const settings = postgresSettings(
        { url: `postgres://nv:WrongPw-77@127.0.0.1:${silentPort}/nvdb`, source: 'NV_DATABASE_URL' },
        { workspace, env: {} },
      );
      settings.pool.connectionTimeoutMillis = 300;
      const e = await refusal(PostgresRegister.open(settings, { workspace }));
      expect(e.message).toBe(
        `nv cannot reach the register database at 127.0.0.1:${silentPort}/nvdb (no answer in 0.3 s); check that the server runs and NV_DATABASE_URL.`,
      );
    } finally {
      silent.close();
    }
  });
});
