/**
 * Several machines on one PostgreSQL register, through the built CLI: each a workspace folder of
 * its own (same nv.yaml and recipients, `.nv` not shared), the same NV_DATABASE_URL.
 * - three clerks ingesting the same 300 e-mails at the same moment;
 * - an officer's batch and a clerk's ingest at the same time.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { nv, nvAsync, tempDir } from '../helpers/cli.js';
import { adminQuery, describePg, dropDatabase, freshDatabase } from '../helpers/postgres.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The rows of one statement on the database of `url` (a test database on the test server). */
async function query<T>(url: string, sql: string): Promise<T[]> {
  return (await adminQuery(sql, new URL(url).pathname.slice(1))).rows as T[];
}

interface IngestReport {
  items: { file: string; result: string; reply?: number }[];
  totals: Record<string, number>;
}

describePg('several machines on one PostgreSQL register', () => {
  let dir: string;
  const made: string[] = [];
  beforeAll(() => {
    dir = tempDir('nv-conc-');
  });
  afterAll(async () => {
    for (const u of made) await dropDatabase(u);
    rmSync(dir, { recursive: true, force: true });
  });

  /** A migrated database and `n` workspace folders of the uncac-2012-full example pointed at it. */
  async function machines(n: number, prefix: string) {
    const url = await freshDatabase('nv_conc');
    made.push(url);
    const env = (who: string) => ({ NV_DATABASE_URL: url, NV_ACTOR: who });
    const folders = Array.from({ length: n }, (_, i) => {
      const name = `${prefix}-${i + 1}`;
      const r = nv(['init', name, '--example', 'uncac-2012-full', '--yes'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      return join(dir, name);
    });
    const m = nv(['db', 'migrate'], { cwd: folders[0]!, env: env('officer') });
    expect(m.code, m.stderr).toBe(0);
    return { url, env, folders };
  }

  it('three clerks ingesting the same 300 e-mails at once: 300 replies, each once, every byte in the archive, each message new in exactly one report', async () => {
    const { url, env, folders } = await machines(3, 'clerk');
    // 300 distinct messages: the example's 120 replies, each copy with a header and a Message-ID of its own.
    const inbox = join(folders[0]!, 'inbox');
    const originals = readdirSync(inbox).sort();
    const mail = join(dir, 'mailbox');
    mkdirSync(mail);
    const expected = new Map<string, string>();
    for (let n = 0; n < 300; n++) {
      const name = originals[n % originals.length]!;
      const text = readFileSync(join(inbox, name), 'latin1');
      const copy = `X-Copy: ${n}\r\n${text.replace(/^(Message-ID:\s*<)/im, `$1copy-${n}.`)}`;
      const file = join(mail, `${String(n).padStart(3, '0')}-${name}`);
      writeFileSync(file, copy, 'latin1');
      expected.set(file, sha256(Buffer.from(copy, 'latin1')));
    }
    expect(new Set(expected.values()).size).toBe(300);

    const runs = folders.map((ws, i) =>
      nvAsync(['ingest', mail, '--yes', '--json'], { cwd: ws, env: env(`clerk-${i + 1}`) }),
    );
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const reports = results.map((r) => JSON.parse(r.stdout) as IngestReport);

    // Each message is new in exactly one report, already in in the other two, under one reply.
    const added = reports.map((rep) => rep.items.filter((i) => i.result === 'added').length);
    for (const [file] of expected) {
      const seen = reports.map((rep) => rep.items.find((i) => i.file === file));
      expect(seen.map((i) => i?.result).sort(), file).toEqual(['added', 'existing', 'existing']);
      expect(new Set(seen.map((i) => i!.reply)).size, file).toBe(1);
    }
    expect(added.reduce((a, b) => a + b)).toBe(300);
    for (const rep of reports)
      expect(rep.totals).toMatchObject({
        files: 300,
        added: expect.any(Number),
        existing: expect.any(Number),
      });
    for (const rep of reports) expect(rep.totals.added! + rep.totals.existing!).toBe(300);

    const replies = await query<{ sha256: string }>(url, 'SELECT sha256 FROM replies');
    expect(replies).toHaveLength(300);
    expect(new Set(replies.map((r) => r.sha256))).toEqual(new Set(expected.values()));
    // Every e-mail's bytes, and every document taken from them, in the archive: chunks joined give its SHA-256.
    const archived = await query<{ sha256: string; joined: string; size: number; chunks: number }>(
      url,
      `SELECT a.sha256, a.size::int AS size, count(c.n)::int AS chunks,
              encode(sha256(string_agg(c.bytes, ''::bytea ORDER BY c.n)), 'hex') AS joined
         FROM archive a JOIN archive_chunks c ON c.sha256 = a.sha256 GROUP BY a.sha256, a.size`,
    );
    const bySha = new Map(archived.map((a) => [a.sha256, a]));
    for (const [file, sha] of expected) {
      expect(bySha.get(sha)?.joined, file).toBe(sha);
      expect(bySha.get(sha)?.size).toBe(readFileSync(file).length);
    }
    for (const a of archived) expect(a.joined).toBe(a.sha256);
    const documents = await query<{ sha256: string }>(url, 'SELECT DISTINCT sha256 FROM documents');
    expect(documents.length).toBeGreaterThan(0);
    for (const d of documents) expect(bySha.has(d.sha256), d.sha256).toBe(true);
    console.info(`3 clerks × 300 e-mails: new per clerk ${added.join(' + ')} = 300`);
  }, 120_000);

  it("an officer's batch and a clerk's ingest at the same time: both complete, neither waits for the register, both results recorded", async () => {
    const { url, env, folders } = await machines(2, 'desk');
    const [officer, clerk] = folders as [string, string];
    const generate = nvAsync(['generate', '--yes'], { cwd: officer, env: env('officer-1 Anna') });
    const ingest = nvAsync(['ingest', 'inbox', '--yes', '--json'], { cwd: clerk, env: env('clerk-1 Marie') });
    const [g, i] = await Promise.all([generate.done, ingest.done]);
    expect(g.code, g.stderr).toBe(0);
    expect(i.code, i.stderr).toBe(0);
    for (const r of [g, i]) expect(r.stdout + r.stderr).not.toMatch(/waiting for the register/i);
    expect(g.stdout + g.stderr).toMatch(/195 note\(s\) written/);
    expect((JSON.parse(i.stdout) as IngestReport).totals).toMatchObject({ files: 120, added: 120 });

    const notes = await query<{ n: number; written: number }>(
      url,
      'SELECT count(*)::int AS n, count(written_at)::int AS written FROM notes',
    );
    expect(notes).toEqual([{ n: 195, written: 195 }]);
    const replies = await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM replies');
    expect(replies).toEqual([{ n: 120 }]);
    const actors = await query<{ user: string; action: string }>(
      url,
      `SELECT DISTINCT "user", action FROM audit WHERE action = 'allocate' OR "user" LIKE 'clerk%' ORDER BY 1, 2`,
    );
    expect(actors.filter((a) => a.action === 'allocate').map((a) => a.user)).toEqual(['officer-1 Anna']);
    expect(actors.some((a) => a.user === 'clerk-1 Marie')).toBe(true);
  });
});
