/**
 * `nv db migrate` and the choice of the register, through the built CLI: PostgreSQL named by
 * NV_DATABASE_URL or nv.yaml, the schema checked at start, faults said without the password.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace, nv, ROOT } from '../helpers/cli.js';
import { closedPort, describePg, dropDatabase, freshDatabase } from '../helpers/postgres.js';

describe('nv db migrate and the register setting (no server needed)', () => {
  let dir: string;
  let ws: string;
  beforeAll(() => ({ dir, ws } = exampleWorkspace()));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('on SQLite says the register migrates itself and its schema is current', () => {
    const r = nv(['db', 'migrate'], { cwd: ws });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^The register .*registry\.sqlite migrates itself when opened: its schema is current \(version \d+\)\.$/m,
    );
  });

  it('a server that cannot be reached: exit 2 naming host, port and database, never the password', async () => {
    const port = await closedPort();
    const r = nv(['ref', 'list'], {
      cwd: ws,
      env: { NV_DATABASE_URL: `postgres://nv:Hunter2-secret@127.0.0.1:${port}/nvshared` },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `nv cannot reach the register database at 127.0.0.1:${port}/nvshared (ECONNREFUSED); check that the server runs and NV_DATABASE_URL.`,
    );
    expect(r.stdout + r.stderr).not.toContain('Hunter2');
  });

  it('a password written in nv.yaml is refused (exit 2), pointing to NV_DATABASE_PASSWORD', () => {
    appendFileSync(join(ws, 'nv.yaml'), '\nregister: postgres://nv:Hunter2-secret@127.0.0.1:1/nv\n');
    const r = nv(['ref', 'list'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('NV_DATABASE_PASSWORD');
    expect(r.stdout + r.stderr).not.toContain('Hunter2');
  });
});

describePg('nv on a PostgreSQL register', () => {
  let dir: string;
  let ws: string;
  let url: string;
  beforeAll(async () => {
    ({ dir, ws } = exampleWorkspace());
    url = await freshDatabase('nv_cli');
  });
  afterAll(async () => {
    await dropDatabase(url);
    rmSync(dir, { recursive: true, force: true });
  });
  const env = () => ({ NV_DATABASE_URL: url, NV_ACTOR: 'officer-1 Anna' });
  const target = () => `postgres@${new URL(url).host}${new URL(url).pathname}`;

  it('before nv db migrate, a command stops with exit 2 naming the versions and "nv db migrate"', () => {
    const r = nv(['ref', 'list'], { cwd: ws, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `The register database ${target()} has schema version 0, this nv needs 3: run "nv db migrate".`,
    );
  });

  it('nv db migrate says from → to, then that it is up to date; --json gives both versions', () => {
    const first = nv(['db', 'migrate'], { cwd: ws, env: env() });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`The register database PostgreSQL ${target()}: schema 0 → 3.`);
    const again = nv(['db', 'migrate', '--json'], { cwd: ws, env: env() });
    expect(JSON.parse(again.stdout)).toEqual({
      engine: 'postgresql',
      location: `PostgreSQL ${target()}`,
      from: 3,
      to: 3,
    });
  });

  it('generate allocates in the database, with the actor in the audit log', async () => {
    const r = nv(['generate', '--yes'], { cwd: ws, env: env() });
    expect(r.code).toBe(0);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const d = await client.query('SELECT count(*)::int AS n FROM dispatches');
      expect(d.rows[0].n).toBeGreaterThan(0);
      const a = await client.query(`SELECT DISTINCT "user" FROM audit WHERE action = 'allocate'`);
      expect(a.rows).toEqual([{ user: 'officer-1 Anna' }]);
    } finally {
      await client.end();
    }
    const list = nv(['ref', 'list', '--json'], { cwd: ws, env: env() });
    expect(list.code).toBe(0);
  });

  it('a clerk on another machine opens what a colleague ingested: the bytes are in the database', async () => {
    const eml = join(ROOT, 'fixtures', 'replies', 'reply-typed.eml');
    copyFileSync(eml, join(ws, 'reply.eml'));
    const ingest = nv(['ingest', 'reply.eml', '--yes'], { cwd: ws, env: env() });
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(existsSync(join(ws, '.nv', 'archive'))).toBe(false);
    // Another workspace folder (another machine), the same database.
    const other = exampleWorkspace();
    try {
      const list = nv(['reply', 'list', '--json'], { cwd: other.ws, env: env() });
      const replies = JSON.parse(list.stdout) as { replies: { id: number }[] };
      const id = replies.replies[0]!.id;
      const out = join(other.dir, 'extracted');
      const open = nv(['reply', 'open', String(id), '--extract', out], { cwd: other.ws, env: env() });
      expect(open.code, open.stderr).toBe(0);
      const files = readdirSync(out);
      expect(files.length).toBeGreaterThan(0);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const archived = (await client.query('SELECT sha256 FROM archive')).rows.map(
          (r: { sha256: string }) => r.sha256,
        );
        const sha = (f: string) =>
          createHash('sha256')
            .update(readFileSync(join(out, f)))
            .digest('hex');
        expect(archived).toContain(createHash('sha256').update(readFileSync(eml)).digest('hex'));
        for (const f of files) expect(archived).toContain(sha(f));
      } finally {
        await client.end();
      }
    } finally {
      rmSync(other.dir, { recursive: true, force: true });
    }
  });

  it('a newer schema in the database is refused: upgrade nv, both versions named', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("INSERT INTO nv_schema VALUES (7, '2031-01-01', 'future nv')");
    } finally {
      await client.end();
    }
    const r = nv(['ref', 'list'], { cwd: ws, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`was written by a newer nv (schema 7, this nv knows 3); upgrade nv.`);
  });
});
