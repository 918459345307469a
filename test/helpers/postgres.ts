/**
 * A PostgreSQL server for the tests that need one (the register contract on PostgreSQL, `nv db`,
 * concurrency and faults).
 *
 * `.ci/run` starts a throwaway server and sets NV_TEST_DATABASE_URL to a superuser's URL on it
 * (`postgres://postgres@127.0.0.1:PORT/postgres`); each test takes a fresh database of its own
 * with `freshDatabase()`. Outside CI, without NV_TEST_DATABASE_URL, those tests skip with a
 * message; in CI a missing server is a failure, never a skip.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { describe } from 'vitest';

/** The superuser URL of the test server, or undefined when there is none. */
export function adminUrl(): string | undefined {
  const url = process.env.NV_TEST_DATABASE_URL;
  if (url) return url;
  if (process.env.CI)
    throw new Error(
      'NV_TEST_DATABASE_URL is not set: in CI, .ci/run starts a PostgreSQL server for the tests and sets it.',
    );
  return undefined;
}

let announced = false;

/** `describe` when a test server is there; otherwise skips, saying why (once per file). */
export function describePg(name: string, body: () => void): void {
  if (adminUrl()) {
    describe(name, body);
    return;
  }
  if (!announced) {
    announced = true;
    console.warn(
      `skipped "${name}": no PostgreSQL server for the tests (set NV_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres, see the README).`,
    );
  }
  describe.skip(name, body);
}

/** The URL of `base` with another database name. */
export function withDatabase(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs one statement as the test server's superuser. */
export async function adminQuery(sql: string, database = 'postgres'): Promise<pg.QueryResult> {
  const url = adminUrl();
  if (!url) throw new Error('no PostgreSQL test server');
  const client = new pg.Client({ connectionString: withDatabase(url, database) });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the test server (UTF8); returns its URL. */
export async function freshDatabase(prefix = 'nv_test'): Promise<string> {
  const url = adminUrl();
  if (!url) throw new Error('no PostgreSQL test server');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`);
  return withDatabase(url, name);
}

/** Drops a database made by `freshDatabase`, closing its connections first. */
export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`not a test database: ${name}`);
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** A port on 127.0.0.1 that nothing listens on (for "cannot reach the server"). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  await new Promise((ok) => server.close(ok));
  return port;
}
