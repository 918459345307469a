/**
 * The exactly-once core of `nv dispatch` by SMTP with the register in PostgreSQL (the register is
 * what is under test: its claim of a note, its `sending` → `sent`): a connection that breaks after
 * the hand-over, a `kill -9` right after a `sending` record, two batches of the same reference at
 * once. The server counts what it took: never two messages to one note.
 */
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { exampleWorkspace, nv, nvAsync } from '../helpers/cli.js';
import { dropDatabase, freshDatabase, describePg } from '../helpers/postgres.js';
import { startSmtpServer, type SmtpTestServer } from '../helpers/smtp-server.mjs';
import { received, REF, repeated, useServer } from '../dispatch/smtp-workspace.js';

interface Row {
  recipient: string;
  message_id: string;
  status: string;
  server_reply: string | null;
}

async function rows(url: string): Promise<Row[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (
      await c.query<Row>('SELECT recipient, message_id, status, server_reply FROM messages ORDER BY id')
    ).rows;
  } finally {
    await c.end();
  }
}

describePg('nv dispatch by SMTP, exactly once, on a PostgreSQL register', () => {
  const urls: string[] = [];
  const servers: SmtpTestServer[] = [];

  /** A workspace on a fresh database, its 195 notes generated as PDF, sending to `srv`. */
  async function workspaceOn(
    srv: SmtpTestServer,
  ): Promise<{ ws: string; url: string; env: Record<string, string> }> {
    const url = await freshDatabase('nv_smtp');
    urls.push(url);
    const made = exampleWorkspace().ws;
    const e = { NV_DATABASE_URL: url, NV_SMTP_PASSWORD: srv.password, NV_ACTOR: 'officer-1 Anna' };
    expect(nv(['db', 'migrate'], { cwd: made, env: e }).code).toBe(0);
    const g = nv(['generate', '--yes', '--format', 'pdf'], { cwd: made, env: e });
    expect(g.code, g.stderr).toBe(0);
    useServer(made, srv);
    return { ws: made, url, env: e };
  }

  afterAll(async () => {
    for (const s of servers) await s.stop();
    for (const u of urls) await dropDatabase(u);
  });

  it('a drop after the hand-over and a kill -9 right after a sending record: left sending, not sent again by the rerun; --resolve, then the rest; never twice', async () => {
    const srv = await startSmtpServer({ dropAfterData: [5] });
    servers.push(srv);
    const { ws, env, url } = await workspaceOn(srv);
    const first = nv(['dispatch', REF, '--yes', '--json'], { cwd: ws, env });
    expect(first.code, first.stderr).toBe(1);
    const doubt = (JSON.parse(first.stdout) as { uncertain: { state: string; messageId: string }[] })
      .uncertain;
    expect(doubt).toHaveLength(1);
    expect((await rows(url)).find((r) => r.message_id === doubt[0]!.messageId)!.status).toBe('sending');
    expect((await rows(url)).filter((r) => r.status === 'sent')).toHaveLength(194);

    // Everything to send again (--again), killed right after its first `sending` record.
    const run = nvAsync(['dispatch', REF, '--yes', '--again', '--pace', '600'], { cwd: ws, env });
    const start = Date.now();
    while (Date.now() - start < 30_000) {
      const r = await rows(url);
      if (r.length > 195) break;
      await new Promise((ok) => setTimeout(ok, 5));
    }
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');

    // The rerun sends nothing more of the ones in doubt: listed for the officer.
    const before = srv.messages().length;
    const rerun = nv(['dispatch', REF, '--yes', '--json'], { cwd: ws, env });
    expect(rerun.code).toBe(1);
    const pending = (JSON.parse(rerun.stdout) as { pending: { state: string; messageId: string }[] }).pending;
    expect(pending.map((p) => p.messageId)).toContain(doubt[0]!.messageId);
    expect(srv.messages().length).toBe(before);

    const got = await received(srv);
    const atServer = new Set(got.map((m) => m.messageId));
    for (const p of pending) {
      const as = atServer.has(p.messageId) ? 'sent' : 'failed';
      const r = nv(['dispatch', REF, '--resolve', '--as', as, '--only', p.state], { cwd: ws, env });
      expect(r.code, r.stderr).toBe(0);
    }
    const last = nv(['dispatch', REF, '--yes'], { cwd: ws, env });
    expect(last.code, last.stderr).toBe(0);
    const all = await received(srv);
    expect(repeated(all.map((m) => m.messageId))).toEqual([]);
    // Each note: sent once in the first round; the --again round at most once more, never twice.
    const perRecipient = new Map<string, number>();
    for (const m of all)
      perRecipient.set(m.envelope.to.join(','), (perRecipient.get(m.envelope.to.join(',')) ?? 0) + 1);
    expect(perRecipient.size).toBe(195);
    expect(Math.max(...perRecipient.values())).toBeLessThanOrEqual(2);
    const r = await rows(url);
    expect(r.filter((x) => x.status === 'sending')).toEqual([]);
    // Recorded sent with a server reply: the server has it.
    const taken = new Set(all.map((m) => m.messageId));
    for (const x of r.filter((y) => y.status === 'sent' && y.server_reply?.startsWith('250')))
      expect(taken.has(x.message_id)).toBe(true);
  }, 600_000);

  it('two batches of the same reference at once: the server takes each note once, the register records 195 sent', async () => {
    const srv = await startSmtpServer();
    servers.push(srv);
    const made = await workspaceOn(srv);
    const a = nvAsync(['dispatch', REF, '--yes', '--json'], { cwd: made.ws, env: made.env });
    const b = nvAsync(['dispatch', REF, '--yes', '--json'], { cwd: made.ws, env: made.env });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    type Doc = {
      sent: unknown[];
      skipped: unknown[];
      failed: unknown[];
      uncertain: unknown[];
      pending: unknown[];
    };
    const ja = JSON.parse(ra.stdout) as Doc;
    const jb = JSON.parse(rb.stdout) as Doc;
    for (const [r, j] of [
      [ra, ja],
      [rb, jb],
    ] as const) {
      expect(j.failed, r.stderr).toEqual([]);
      expect(j.uncertain, r.stderr).toEqual([]);
      // A note the other batch was sending when this one ended is listed for the officer (exit 1).
      expect(r.code, r.stderr).toBe(j.pending.length ? 1 : 0);
    }
    expect(ja.sent.length + jb.sent.length).toBe(195);
    const got = await received(srv);
    expect(got).toHaveLength(195);
    expect(repeated(got.map((m) => m.envelope.to.join(',')))).toEqual([]);
    const r = await rows(made.url);
    expect(r.filter((x) => x.status === 'sent')).toHaveLength(195);
    expect(r).toHaveLength(195);
  }, 600_000);
});
