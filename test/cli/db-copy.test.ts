/**
 * `nv db copy` (issue 9 point 4): the uncac-2012-full example's whole history from its SQLite
 * register into an empty PostgreSQL database, used from another workspace folder (another
 * machine), and back into a new SQLite folder: `nv status --json`, `nv ref list --json` and
 * `nv export participants --format json` identical at each step; every archived file in the
 * database with its bytes.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { nv, tempDir } from '../helpers/cli.js';
import { describePg, dropDatabase, freshDatabase } from '../helpers/postgres.js';

/** What a user compares: the three JSON documents, parsed. */
function views(ws: string, env: Record<string, string> = {}): Record<string, unknown> {
  const run = (args: string[]) => {
    const r = nv([...args, '-w', ws], { cwd: ws, env });
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout) as unknown;
  };
  return {
    status: run(['status', '--json']),
    references: run(['ref', 'list', '--json']),
    participants: run(['export', 'participants', '--format', 'json', '--out', '-']),
  };
}

/** A second machine's workspace: the same files, without the register folder `.nv`. */
function another(ws: string, where: string): string {
  cpSync(ws, where, { recursive: true, filter: (src) => !src.includes(`${ws}/.nv`) });
  expect(existsSync(join(where, '.nv', 'registry.sqlite'))).toBe(false);
  return where;
}

/** Every archived file of a SQLite workspace: SHA-256 (its name) → bytes. */
function archivedFiles(nvFolder: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const root = join(nvFolder, 'archive');
  for (const sub of readdirSync(root))
    for (const f of readdirSync(join(root, sub)))
      if (/^[0-9a-f]{64}(\.[a-z0-9]+)?$/.test(f)) out.set(f.slice(0, 64), readFileSync(join(root, sub, f)));
  return out;
}

describePg('nv db copy: the uncac-2012-full example to PostgreSQL and back', () => {
  let dir: string;
  let ws: string;
  let url: string;
  let before: Record<string, unknown>;

  beforeAll(async () => {
    dir = tempDir();
    expect(nv(['init', 'full', '--example', 'uncac-2012-full', '--yes'], { cwd: dir }).code).toBe(0);
    ws = join(dir, 'full');
    for (const s of [
      ['generate', '--yes', '--format', 'pdf'],
      ['ingest', 'inbox', '--yes'],
      ['delegation', 'import', '--replies'],
    ]) {
      const r = nv([...s, '-w', ws], { cwd: ws });
      expect(r.code, `${s.join(' ')}: ${r.stderr}`).toBe(0);
    }
    before = views(ws);
    url = await freshDatabase('nv_copy');
  }, 300_000);
  afterAll(async () => {
    if (url) await dropDatabase(url);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('copies every row and archived file into the empty database, verified, and says so', async () => {
    const r = nv(['db', 'copy', '--to', url, '--json', '-w', ws], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      rows: Record<string, number>;
      files: number;
      verified: string[];
    };

    const sqlite = new Database(join(ws, '.nv', 'registry.sqlite'), { readonly: true });
    const files = archivedFiles(join(ws, '.nv'));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const [table, n] of Object.entries(report.rows)) {
        const inFile = (sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
        const inDb = Number((await client.query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n);
        expect(n, table).toBe(inFile);
        // The target's audit log has one more entry: the copy's own.
        expect(inDb, table).toBe(inFile + (table === 'audit' ? 1 : 0));
      }
      expect(report.rows.replies).toBe(120);
      expect(report.files).toBe(files.size);
      // Each archived file is in the database, its chunks joined give bytes whose SHA-256 is its name.
      const stored = await client.query<{ sha256: string; digest: string; size: string }>(
        `SELECT a.sha256, a.size, encode(sha256(string_agg(c.bytes, ''::bytea ORDER BY c.n)), 'hex') AS digest
           FROM archive a JOIN archive_chunks c USING (sha256) GROUP BY a.sha256, a.size`,
      );
      expect(stored.rows).toHaveLength(files.size);
      for (const row of stored.rows) {
        expect(row.digest).toBe(row.sha256);
        expect(Number(row.size)).toBe(files.get(row.sha256)?.length);
      }
      const last = await client.query<{ action: string }>(
        'SELECT action FROM audit ORDER BY id DESC LIMIT 1',
      );
      expect(last.rows[0]!.action).toBe('copy-in');
    } finally {
      await client.end();
      sqlite.close();
    }
    expect(report.verified.join(' ')).toMatch(/SHA-256/);
  });

  it('another machine pointed at the database sees the same status, references and participants', () => {
    const other = another(ws, join(dir, 'other'));
    expect(views(other, { NV_DATABASE_URL: url })).toEqual(before);
  });

  it('a second copy into the same database is refused (exit 2), nothing changed', () => {
    const r = nv(['db', 'copy', '--to', url, '-w', ws], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not empty \(it holds \d+ counters, .*\); copy into a new, empty database/);
  });

  it('and back: the database into a new SQLite folder that a workspace uses as its .nv, the same JSON', () => {
    const other = join(dir, 'other');
    const back = another(ws, join(dir, 'back'));
    const r = nv(['db', 'copy', '--to', join(back, '.nv'), '--json', '-w', other], {
      cwd: other,
      env: { NV_DATABASE_URL: url },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(views(back)).toEqual(before);
    // The archive came back byte for byte.
    const original = archivedFiles(join(ws, '.nv'));
    const copied = archivedFiles(join(back, '.nv'));
    expect([...copied.keys()].sort()).toEqual([...original.keys()].sort());
    for (const [sha, bytes] of copied) expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha);
  });

  it('refuses a folder that holds a register already, and a URL that is not postgres', () => {
    const taken = join(dir, 'taken');
    mkdirSync(taken);
    expect(nv(['db', 'copy', '--to', taken, '-w', ws], { cwd: ws }).code).toBe(0);
    const again = nv(['db', 'copy', '--to', taken, '-w', ws], { cwd: ws });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('registry.sqlite exists already; copy into a new folder');
    const http = nv(['db', 'copy', '--to', 'https://example.org/nv', '-w', ws], { cwd: ws });
    expect(http.code).toBe(2);
    expect(http.stderr).toContain('is neither a postgres:// URL nor a folder');
  });
});
