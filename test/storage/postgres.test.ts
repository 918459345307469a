/**
 * What only the PostgreSQL register does: migrations and the version check, connection faults
 * named without the password, the chunked archive, and several processes' pools at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NewDelegationList, ParticipantInput } from '../../src/delegations/lists.js';
import { UserError } from '../../src/errors.js';
import { CHUNK_SIZE } from '../../src/storage/postgres/archive.js';
import { PostgresRegister } from '../../src/storage/postgres/register.js';
import { TABLES } from '../../src/storage/register.js';
import { MIGRATIONS, migratePostgres } from '../../src/storage/postgres/schema.js';
import { postgresSettings } from '../../src/storage/postgres/settings.js';
import { adminQuery, closedPort, describePg, dropDatabase, freshDatabase } from '../helpers/postgres.js';
import { request } from './register-contract.js';

const ACTOR = { user: 'clerk-2 Marie', command: 'nv test' };
const workspace = mkdtempSync(join(tmpdir(), 'nv-unit-pg-'));
const settingsOf = (url: string) =>
  postgresSettings({ url, source: 'NV_DATABASE_URL' }, { workspace, env: {} });
const openPg = (url: string) => PostgresRegister.open(settingsOf(url), { workspace });
const dbName = (url: string) => new URL(url).pathname.slice(1);

async function refusal(p: Promise<unknown>): Promise<UserError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UserError);
  return e as UserError;
}

describePg('PostgresRegister', () => {
  const made: string[] = [];
  let url: string;
  let reg: PostgresRegister;

  const fresh = async () => {
    const u = await freshDatabase('nv_pg');
    made.push(u);
    return u;
  };

  beforeAll(async () => {
    url = await fresh();
    await migratePostgres(settingsOf(url), ACTOR);
    reg = await openPg(url);
  });
  afterAll(async () => {
    await reg?.close();
    for (const u of made) await dropDatabase(u);
    rmSync(workspace, { recursive: true, force: true });
  });

  it('nv db migrate applies the migrations once, recording version and actor; a second run changes nothing', async () => {
    const u = await fresh();
    expect(await migratePostgres(settingsOf(u), ACTOR)).toEqual({ from: 0, to: MIGRATIONS.length });
    expect(await migratePostgres(settingsOf(u), ACTOR)).toEqual({
      from: MIGRATIONS.length,
      to: MIGRATIONS.length,
    });
    const rows = (await adminQuery('SELECT version, applied_by FROM nv_schema ORDER BY version', dbName(u)))
      .rows;
    expect(rows).toEqual(MIGRATIONS.map((_, i) => ({ version: i + 1, applied_by: 'clerk-2 Marie' })));
    const tables = (
      await adminQuery(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        dbName(u),
      )
    ).rows.map((r: { tablename: string }) => r.tablename);
    expect(tables).toEqual([
      'archive',
      'archive_chunks',
      'audit',
      'counters',
      'delegation_lists',
      'dispatches',
      'documents',
      'messages',
      'notes',
      'nv_schema',
      'participants',
      'replies',
    ]);
  });

  it('a database never migrated is refused, naming both versions and "nv db migrate"', async () => {
    const u = await fresh();
    const e = await refusal(openPg(u));
    expect(e.message).toBe(
      `The register database postgres@127.0.0.1:${new URL(u).port}/${dbName(u)} has schema version 0, this nv needs ${MIGRATIONS.length}: run "nv db migrate".`,
    );
  });

  it('a database written by a newer nv is refused on open and by migrate, naming both versions', async () => {
    const u = await fresh();
    await migratePostgres(settingsOf(u), ACTOR);
    await adminQuery("INSERT INTO nv_schema VALUES (99, '2030-01-01', 'future')", dbName(u));
    const e = await refusal(openPg(u));
    expect(e.message).toMatch(
      `was written by a newer nv (schema 99, this nv knows ${MIGRATIONS.length}); upgrade nv.`,
    );
    expect((await refusal(migratePostgres(settingsOf(u), ACTOR))).message).toMatch(/schema 99.*upgrade nv/);
  });

  it('a server that cannot be reached names host, port and database, never the password', async () => {
    const port = await closedPort();
    const settings = settingsOf(`postgres://nv:TopSecret-42@127.0.0.1:${port}/nvshared`);
    expect(settings.location).toBe(`PostgreSQL nv@127.0.0.1:${port}/nvshared`);
    const e = await refusal(PostgresRegister.open(settings, { workspace }));
    expect(e.message).toBe(
      `nv cannot reach the register database at 127.0.0.1:${port}/nvshared (ECONNREFUSED); check that the server runs and NV_DATABASE_URL.`,
    );
    expect(JSON.stringify({ m: e.message, h: e.hint, s: e.stack })).not.toContain('TopSecret');
  });

  it('a database that does not exist is named', async () => {
    const u = new URL(url);
    u.pathname = '/nv_no_such_database';
    const e = await refusal(openPg(u.toString()));
    expect(e.message).toMatch(/nv_no_such_database does not exist/);
  });

  it('the archive stores a 3 MiB file streamed in 256 KiB chunks and reads it back chunk by chunk', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 123);
    const sha = createHash('sha256').update(bytes).digest('hex');
    // Pieces of an odd size, as a file stream gives them.
    async function* pieces() {
      for (let i = 0; i < bytes.length; i += 100_000) yield bytes.subarray(i, i + 100_000);
    }
    await reg.archive.put(sha, pieces(), { extension: 'pdf' });
    const stored = await adminQuery(
      `SELECT n, length(bytes) AS len FROM archive_chunks WHERE sha256 = '${sha}' ORDER BY n`,
      dbName(url),
    );
    expect(stored.rows.length).toBe(Math.ceil(bytes.length / CHUNK_SIZE));
    expect(stored.rows.every((r: { len: number }) => r.len <= CHUNK_SIZE)).toBe(true);

    const hash = createHash('sha256');
    let chunks = 0;
    let size = 0;
    for await (const c of reg.archive.read(sha)) {
      expect(c.byteLength).toBeLessThanOrEqual(CHUNK_SIZE);
      hash.update(c);
      size += c.byteLength;
      chunks++;
    }
    expect(chunks).toBe(13);
    expect(size).toBe(bytes.length);
    expect(hash.digest('hex')).toBe(sha);
    expect(await reg.archive.has(sha)).toBe(true);

    // A second put of the same bytes changes nothing.
    await reg.archive.put(sha, bytes, { extension: 'pdf' });
    const files = [];
    for await (const f of reg.archive.list()) files.push(f);
    expect(files).toContainEqual({ sha256: sha, size: bytes.length, extension: 'pdf' });

    const local = await reg.archive.localPath(sha);
    expect(local).toBe(join(workspace, '.nv', 'cache', 'archive', sha.slice(0, 2), `${sha}.pdf`));
    expect(createHash('sha256').update(readFileSync(local)).digest('hex')).toBe(sha);
  });

  it('the archive refuses bytes whose SHA-256 is not the one given, and stores nothing', async () => {
    const sha = 'ab'.repeat(32);
    const e = await refusal(reg.archive.put(sha, Buffer.from('not those bytes'), { extension: 'txt' }));
    expect(e.message).toContain(sha);
    expect(await reg.archive.has(sha)).toBe(false);
    expect(
      (await refusal((async () => reg.archive.read(sha)[Symbol.asyncIterator]().next())())).message,
    ).toContain(sha);
  });

  it('a connection lost in the middle of a transaction says nothing was recorded, and nothing is', async () => {
    const bytes = randomBytes(CHUNK_SIZE * 3);
    const sha = createHash('sha256').update(bytes).digest('hex');
    async function* killedMidway() {
      yield bytes.subarray(0, CHUNK_SIZE);
      // The server ends this session (as a restart would) while the put's transaction is open.
      await adminQuery(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName(url)}' AND state = 'idle in transaction'`,
      );
      yield bytes.subarray(CHUNK_SIZE);
    }
    const e = await refusal(reg.archive.put(sha, killedMidway(), { extension: 'bin' }));
    expect(e.message).toMatch(
      /^The connection to the register database postgres@127\.0\.0\.1:\d+\/nv_pg_\w+ was lost \(.+\); nothing of this transaction was recorded: run the command again\.$/,
    );
    expect(await reg.archive.has(sha)).toBe(false);
    // The pool recovers: the same put again completes.
    await reg.archive.put(sha, bytes, { extension: 'bin' });
    expect(await reg.archive.has(sha)).toBe(true);
  });

  it('four pools allocating at once get distinct, gap-free numbers, each with its audit entry', async () => {
    const pools = await Promise.all([0, 1, 2, 3].map(() => openPg(url)));
    try {
      await Promise.all(
        pools.map(async (r, p) => {
          for (let i = 0; i < 25; i++)
            await r.ensureDispatches(
              [
                {
                  key: `race-${p}-${i}`,
                  series: 'RACE',
                  year: 2030,
                  kind: 'individual',
                  template: 'invitation',
                  date: '2030-01-01',
                  notes: [{ recipient: 'AUT', variant: '' }],
                  firstSeq: 1,
                },
              ],
              ACTOR,
            );
        }),
      );
    } finally {
      await Promise.all(pools.map((r) => r.close()));
    }
    const seqs = (await reg.listDispatches()).filter((d) => d.series === 'RACE').map((d) => d.seq);
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await reg.peekNext('RACE', 2030, 1)).toBe(101);
    const allocations = (await reg.audit()).filter(
      (a) => a.action === 'allocate' && a.detail.series === 'RACE',
    );
    expect(allocations).toHaveLength(100);
    expect(allocations.every((a) => a.user === 'clerk-2 Marie')).toBe(true);
  });

  it('three pools adding the same reply at once record it once', async () => {
    const pools = await Promise.all([0, 1, 2].map(() => openPg(url)));
    const reply = {
      sha256: 'cd'.repeat(32),
      fileKind: 'eml',
      originalName: 'reply.eml',
      channel: 'email' as const,
      state: 'AUT',
      stateSource: 'domain',
      receivedAt: '2030-01-02T10:00:00Z',
      receivedSource: 'received-header',
      receivedProblem: null,
      sender: 'a@b.at',
      senderDomain: 'b.at',
      subject: 'x',
      messageId: '<m@b.at>',
      answers: null,
      cited: [],
      problems: [],
      documents: [],
    };
    try {
      const results = await Promise.all(pools.map((r) => r.addReply(reply, ACTOR)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.reply.id)).size).toBe(1);
    } finally {
      await Promise.all(pools.map((r) => r.close()));
    }
    const n = await adminQuery(
      `SELECT count(*)::int AS n FROM replies WHERE sha256 = '${reply.sha256}'`,
      dbName(url),
    );
    expect(n.rows[0].n).toBe(1);
  });

  it('exportRows and importRows move every table unchanged into an empty database, ids kept, identities past them', async () => {
    await reg.setNext('CU', 2012, 150, ACTOR);
    const [made] = await reg.ensureDispatches([request('copy-1')], ACTOR);
    await reg.voidDispatch(made!.dispatch.id, 'typo', ACTOR);
    const e = await refusal(reg.voidDispatch(made!.dispatch.id, 'again', ACTOR));
    expect(e.message).toBe('That reference is already void; nothing was changed.');
    const { reply } = await reg.addReply(
      {
        sha256: 'ef'.repeat(32),
        fileKind: 'pdf',
        originalName: 'scan.pdf',
        channel: 'fax',
        state: 'AND',
        stateSource: 'clerk',
        receivedAt: null,
        receivedSource: null,
        receivedProblem: null,
        sender: null,
        senderDomain: null,
        subject: null,
        messageId: null,
        answers: null,
        cited: ['CU 2012/150'],
        problems: [],
        documents: [
          {
            sha256: 'ef'.repeat(32),
            name: 'scan.pdf',
            declaredType: 'application/pdf',
            fileKind: 'pdf',
            size: 5_000_000_000,
            class: 'scanned',
            reason: 'images only',
            measurements: { pages: 2 },
            forwarded: false,
          },
        ],
      },
      ACTOR,
    );
    const person: ParticipantInput = {
      line: 2,
      honorific: 'Ms.',
      givenName: 'Anna',
      familyName: 'Berg',
      fullName: 'Ms. Anna Berg',
      title: '',
      organization: '',
      role: 'head',
      email: '',
      phone: '',
      meetings: [],
    };
    const list = (sha: string): NewDelegationList => ({
      state: 'AND',
      replyId: reply.id,
      sha256: sha,
      sourceName: 'list.csv',
      encoding: 'utf-8',
      delimiter: ',',
      warnings: [],
      participants: [person],
    });
    await reg.importDelegations([list('1'.repeat(64))], ACTOR);
    const [second] = await reg.importDelegations([list('2'.repeat(64))], ACTOR);
    expect(second!.replaced).not.toBeNull();
    expect((await reg.delegationHistory('AND')).map((l) => l.supersededBy)).toEqual([null, second!.list.id]);

    const target = await fresh();
    await migratePostgres(settingsOf(target), ACTOR);
    const copy = await openPg(target);
    try {
      await copy.importRows((t) => reg.exportRows(t), ACTOR);
      const before = await reg.counts();
      const after = await copy.counts();
      expect(after).toEqual({ ...before, audit: before.audit + 1 });
      for (const t of TABLES) {
        const rows = async (r: PostgresRegister) => {
          const out = [];
          for await (const b of r.exportRows(t)) out.push(...b);
          return out;
        };
        const copied = await rows(copy);
        expect(t === 'audit' ? copied.slice(0, -1) : copied).toEqual(await rows(reg));
      }
      const [last] = await copy.audit(1);
      expect(last).toMatchObject({ action: 'copy-in', user: 'clerk-2 Marie', detail: { counts: before } });
      expect((await copy.getReply(reply.id))?.documents[0]?.size).toBe(5_000_000_000);
      // New rows get ids past the copied ones.
      const { reply: next } = await copy.addReply(
        { ...(await reg.getReply(reply.id))!, sha256: '12'.repeat(32) },
        ACTOR,
      );
      expect(next.id).toBe(Math.max(...(await copy.listReplies()).map((r) => r.id)));
      expect(next.id).toBeGreaterThan(reply.id);
      const again = await refusal(copy.importRows((t) => reg.exportRows(t), ACTOR));
      expect(again.message).toMatch(/is not empty \(it holds .*replies/);
    } finally {
      await copy.close();
    }
  });

  it('four pools asking for the same key at once allocate one number', async () => {
    const pools = await Promise.all([0, 1, 2, 3].map(() => openPg(url)));
    const ask = (r: PostgresRegister) =>
      r.ensureDispatches(
        [
          {
            key: 'same-key',
            series: 'SAME',
            year: 2030,
            kind: 'circular',
            template: 'invitation',
            date: '2030-01-01',
            notes: [{ recipient: 'AUT', variant: '' }],
            firstSeq: 7,
          },
        ],
        ACTOR,
      );
    try {
      const results = (await Promise.all(pools.map(ask))).map((r) => r[0]!);
      expect(results.filter((r) => r.allocated)).toHaveLength(1);
      expect(new Set(results.map((r) => r.dispatch.seq))).toEqual(new Set([7]));
    } finally {
      await Promise.all(pools.map((r) => r.close()));
    }
    expect(await reg.peekNext('SAME', 2030, 7)).toBe(8);
  });

  it('two pools importing lists of the same State at once leave one current list and the other in history', async () => {
    const pools = await Promise.all([0, 1].map(() => openPg(url)));
    const list = (sha: string): NewDelegationList => ({
      state: 'NOR',
      replyId: null,
      sha256: sha,
      sourceName: null,
      encoding: 'utf-8',
      delimiter: ',',
      warnings: [],
      participants: [],
    });
    try {
      await Promise.all(pools.map((r, i) => r.importDelegations([list(String(i + 3).repeat(64))], ACTOR)));
    } finally {
      await Promise.all(pools.map((r) => r.close()));
    }
    const history = await reg.delegationHistory('NOR');
    expect(history).toHaveLength(2);
    expect(history[0]!.supersededBy).toBeNull();
    expect(history[1]!.supersededBy).toBe(history[0]!.id);
    expect((await reg.currentDelegations()).filter((l) => l.state === 'NOR')).toHaveLength(1);
  });

  it('three pools putting the same file at once store its chunks once', async () => {
    const bytes = randomBytes(CHUNK_SIZE * 4 + 1);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const pools = await Promise.all([0, 1, 2].map(() => openPg(url)));
    try {
      await Promise.all(pools.map((r) => r.archive.put(sha, bytes, { extension: 'eml' })));
    } finally {
      await Promise.all(pools.map((r) => r.close()));
    }
    const chunks = await adminQuery(
      `SELECT count(*)::int AS n, sum(length(bytes))::int AS size FROM archive_chunks WHERE sha256 = '${sha}'`,
      dbName(url),
    );
    expect(chunks.rows[0]).toEqual({ n: 5, size: bytes.length });
  });

  it('a server ending the session mid-allocation: one sentence, nothing recorded, the rerun takes the same number', async () => {
    await reg.setNext('LOST', 2030, 40, ACTOR);
    const req = {
      key: 'lost-1',
      series: 'LOST',
      year: 2030,
      kind: 'circular' as const,
      template: 'invitation',
      date: '2030-01-01',
      notes: [{ recipient: 'AUT', variant: '' }],
      firstSeq: 1,
    };
    // Another session holds the counter row, so nv's transaction waits on it, open: then the
    // server ends nv's session (as a restart does) while it waits.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT * FROM counters WHERE series = 'LOST' FOR UPDATE");
      const pending = reg.ensureDispatches([req], ACTOR).then(
        () => undefined,
        (e: unknown) => e,
      );
      for (let i = 0; i < 200; i++) {
        const killed = await holder.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
        );
        if (killed.rowCount) break;
        await new Promise((ok) => setTimeout(ok, 10));
      }
      const e = await pending;
      expect(e).toBeInstanceOf(UserError);
      expect((e as Error).message).toMatch(
        /^The connection to the register database .* was lost \(57P01\); nothing of this transaction was recorded: run the command again\.$/,
      );
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    expect(await reg.findActiveDispatchByKey('lost-1')).toBeUndefined();
    expect(await reg.peekNext('LOST', 2030, 1)).toBe(40);
    const [again] = await reg.ensureDispatches([req], ACTOR);
    expect(again!.dispatch.seq).toBe(40);
  });
});
