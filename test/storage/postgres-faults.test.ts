/**
 * Connection faults and TLS against a stand-in PostgreSQL server that speaks just enough of the
 * protocol (no real server needed): it has no TLS, or TLS with a certificate of test/fixtures/tls/;
 * it asks for a password and refuses it. Drives the real `pg` client through nv's connection code.
 */
import { createServer, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { explainFault } from '../../src/storage/postgres/connection.js';
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

/** The server's side after the startup: asks for a password in clear, refuses it. */
function speak(stream: Duplex, secure: boolean) {
  return (data: Buffer) => {
    if (data[0] === 0x70 /* 'p' */) {
      seen.push(`password ${data.subarray(5, data.length - 1).toString()}`);
      const fields = ['SFATAL', 'VFATAL', 'C28P01', 'Mpassword authentication failed for user "nv"'];
      stream.end(message('E', Buffer.from(`${fields.join('\0')}\0\0`)));
    } else {
      seen.push(secure ? 'startup over TLS' : 'startup');
      const cleartext = Buffer.alloc(4);
      cleartext.writeInt32BE(3);
      stream.write(message('R', cleartext));
    }
  };
}

/** A stand-in server: without `tls`, it has no TLS; with it, it answers the SSLRequest with TLS. */
function standIn(tls?: { key: string; cert: string }): Server {
  return createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', (first) => {
      if (first.length === 8 && first.readInt32BE(4) === SSL_REQUEST) {
        seen.push('ssl-request');
        if (!tls) {
          socket.write('N'); // no TLS here
          socket.on('data', speak(socket, false));
          return;
        }
        socket.write('S');
        const secure = new TLSSocket(socket, { isServer: true, ...tls });
        secure.on('error', () => seen.push('tls refused by the client'));
        secure.on('data', speak(secure, true));
        return;
      }
      const plain = speak(socket, false);
      plain(first);
      socket.on('data', plain);
    });
  });
}

const TLS_DIR = join(import.meta.dirname, '..', 'fixtures', 'tls');
const pem = (name: string) => readFileSync(join(TLS_DIR, name), 'utf8');

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

  describe('TLS (the stand-in with a certificate for 127.0.0.1, or for another name)', () => {
    const served: Server[] = [];
    const serve = async (cert: string) => {
      const server = standIn({ key: pem(`${cert}-key.pem`), cert: pem(`${cert}.pem`) });
      served.push(server);
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      return (server.address() as { port: number }).port;
    };
    afterAll(() => served.forEach((s) => s.close()));
    /** Connects; says how far it got: "authentication" (TLS passed) or the TLS refusal. */
    const attempt = async (url: string, ca?: string) => {
      seen.length = 0;
      const settings = postgresSettings(
        { url, ca, source: 'nv.yaml' },
        { workspace, env: { NV_DATABASE_PASSWORD: 'pw' } },
      );
      const e = await refusal(PostgresRegister.open(settings, { workspace }));
      return /authentication failed/.test(e.message) ? 'authentication' : e.message;
    };

    it('verify-full with the CA file (ca: in nv.yaml) connects over TLS', async () => {
      const port = await serve('server');
      expect(
        await attempt(
          `postgres://nv@127.0.0.1:${port}/nvdb?sslmode=verify-full`,
          join(TLS_DIR, 'server.pem'),
        ),
      ).toBe('authentication');
      expect(seen).toEqual(['ssl-request', 'startup over TLS', 'password pw']);
    });

    it('verify-full without that CA refuses the self-signed certificate, naming the database', async () => {
      const port = await serve('server');
      expect(await attempt(`postgres://nv@127.0.0.1:${port}/nvdb?sslmode=verify-full`)).toMatch(
        new RegExp(
          `^The TLS connection to the register database nv@127\\.0\\.0\\.1:${port}/nvdb failed \\(.*self[- ]signed.*\\); check the CA file and sslmode\\.$`,
        ),
      );
      expect(seen).not.toContain('password pw');
    });

    it('a certificate for another name: verify-full refuses it, verify-ca accepts it, require does not check', async () => {
      const port = await serve('other');
      const url = `postgres://nv@127.0.0.1:${port}/nvdb`;
      const ca = join(TLS_DIR, 'other.pem');
      expect(await attempt(`${url}?sslmode=verify-full`, ca)).toMatch(
        /^The TLS connection .* failed \(.*(altname|Hostname|IP).*\)/i,
      );
      expect(await attempt(`${url}?sslmode=verify-ca`, ca)).toBe('authentication');
      expect(await attempt(`${url}?sslmode=require`)).toBe('authentication');
      expect(await attempt(url)).toBe('authentication'); // prefer: TLS, unverified
      expect(seen).toContain('startup over TLS');
    });
  });

  it('any other error leaves the layer with the password taken out of its message and stack', () => {
    const settings = postgresSettings(
      { url: 'postgres://nv:Pw-9x@db.example.org/nv', source: 'NV_DATABASE_URL' },
      { workspace, env: {} },
    );
    const e = explainFault(new Error('syntax error near "Pw-9x"'), settings) as Error;
    expect(e.message).toBe('syntax error near "***"');
    expect(e.stack).not.toContain('Pw-9x');
  });
});
