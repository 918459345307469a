/**
 * A connection lost while COMMIT is on its way: the server may or may not have committed, and
 * nv says exactly that (not "nothing was recorded"). A proxy between nv and a real server drops
 * the connection when it sees the COMMIT.
 */
import { createConnection, createServer, type Server } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { inTransaction, openPool } from '../../src/storage/postgres/connection.js';
import { postgresSettings } from '../../src/storage/postgres/settings.js';
import { adminQuery, describePg, dropDatabase, freshDatabase } from '../helpers/postgres.js';

/** A TCP proxy to `target` that closes both sides when a client message holds `word` (once armed). */
function proxy(target: URL, word: string): { server: Server; arm: () => void } {
  let armed = false;
  const server = createServer((client) => {
    const upstream = createConnection(Number(target.port), target.hostname);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.on('data', (d) => {
      if (armed && d.includes(word)) {
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(d);
    });
    upstream.on('data', (d) => client.write(d));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return { server, arm: () => (armed = true) };
}

describePg('a connection lost while committing', () => {
  let url: string;
  let p: ReturnType<typeof proxy>;
  let port: number;
  beforeAll(async () => {
    url = await freshDatabase('nv_commit');
    const name = new URL(url).pathname.slice(1);
    await adminQuery('CREATE TABLE t (x integer)', name);
    p = proxy(new URL(url), 'COMMIT\0'); // not "READ COMMITTED" of the BEGIN
    await new Promise<void>((r) => p.server.listen(0, '127.0.0.1', r));
    port = (p.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    p?.server.close();
    if (url) await dropDatabase(url);
  });

  it('says the transaction may or may not be recorded, and to run the command again', async () => {
    const through = new URL(url);
    through.port = String(port);
    through.searchParams.set('sslmode', 'disable');
    const workspace = mkdtempSync(join(tmpdir(), 'nv-unit-commit-'));
    const settings = postgresSettings({ url: through.toString(), source: 'NV_DATABASE_URL' }, { workspace });
    const pool = await openPool(settings, 1);
    p.arm();
    const failure = await inTransaction(pool, settings, async (c) => {
      await c.query('INSERT INTO t VALUES (1)');
    }).catch((e: unknown) => e);
    await pool.end().catch(() => undefined);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as Error).message).toMatch(
      /^The connection to the register database .* was lost while committing \(.+\); the server may or may not have recorded that transaction: run the command again, it finds what was recorded and records nothing twice\.$/,
    );
  });
});
