/**
 * Issue 10 point 5: a reply tied to its note through the thread. CU 2012/150 is drafted with
 * `nv dispatch --drafts`; replies naming the recorded Message-IDs (In-Reply-To, References, inside
 * a forwarded message) are ingested through the built CLI and read back with `nv reply show` and
 * from the register itself (SQLite file, then PostgreSQL).
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nv } from '../helpers/cli.js';
import { describePg, dropDatabase, freshDatabase } from '../helpers/postgres.js';
import { draftedWorkspace, mail, type Drafted } from '../replies/mail.js';

interface Item {
  file: string;
  result: string;
  reply: number;
  state: string | null;
  stateSource: string | null;
}

function ingest(ws: string, file: string, extra: string[] = [], env: Record<string, string> = {}): Item {
  const r = nv(['ingest', '--json', '--yes', ...extra, file], { cwd: ws, env });
  expect(r.code, r.stderr).toBe(0);
  const items = (JSON.parse(r.stdout) as { items: Item[] }).items;
  expect(items).toHaveLength(1);
  return items[0]!;
}

interface Shown {
  state: string | null;
  stateSource: string | null;
  answers: string | null;
  problems: string[];
  answered?: { reference: string; recipient: string; messageId: string; status: string };
}

function show(ws: string, id: number, env: Record<string, string> = {}): Shown {
  const r = nv(['reply', 'show', String(id), '--json'], { cwd: ws, env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Shown;
}

describe('a reply answering a dispatched note is tied to it through the thread', () => {
  let d: Drafted;
  beforeAll(async () => {
    d = await draftedWorkspace();
  });
  afterAll(() => rmSync(d.dir, { recursive: true, force: true }));

  const draft = (state: string) => d.drafts.get(state)!;

  it('from a webmail domain nv does not know: State from the thread, the answered note recorded', () => {
    const item = ingest(d.ws, mail(d.ws, 'webmail-reply.eml', draft('ITA')));
    expect(item).toMatchObject({ result: 'added', state: 'ITA', stateSource: 'thread' });
    const shown = show(d.ws, item.reply);
    expect(shown).toMatchObject({ state: 'ITA', stateSource: 'thread', answers: draft('ITA').messageId });
    expect(shown.answered).toMatchObject({
      reference: expect.stringMatching(/^CU 2012\/150/),
      recipient: 'ITA',
      messageId: draft('ITA').messageId,
      status: 'drafted',
    });
    const text = nv(['reply', 'show', String(item.reply)], { cwd: d.ws });
    expect(text.stdout).toMatch(
      new RegExp(
        `State {5}ITA \\(from thread: answers CU 2012/150\\S* to ITA, message <${draft('ITA').messageId.replace(/\./g, '\\.')}> drafted `,
      ),
    );
    const db = new Database(join(d.ws, '.nv', 'registry.sqlite'), { readonly: true });
    try {
      const row = db
        .prepare(
          `SELECT r.state, r.state_source, m.recipient, n.recipient AS note_recipient
             FROM replies r JOIN messages m ON m.message_id = r.answers_message JOIN notes n ON n.id = m.note_id
            WHERE r.id = ?`,
        )
        .get(item.reply);
      expect(row).toEqual({ state: 'ITA', state_source: 'thread', recipient: 'ITA', note_recipient: 'ITA' });
      const audit = db
        .prepare("SELECT detail FROM audit WHERE action = 'ingest' ORDER BY id DESC LIMIT 1")
        .get() as { detail: string };
      expect(JSON.parse(audit.detail)).toMatchObject({ answers: draft('ITA').messageId, state: 'ITA' });
    } finally {
      db.close();
    }
  });

  it('only References naming it, among others, folded over lines with a comment', () => {
    const item = ingest(d.ws, mail(d.ws, 'references-chain.eml', draft('ESP')));
    expect(item).toMatchObject({ state: 'ESP', stateSource: 'thread' });
    expect(show(d.ws, item.reply).answers).toBe(draft('ESP').messageId);
  });

  it('forwarded by the Secretariat’s registry: the thread of the forwarded message counts', () => {
    const item = ingest(d.ws, mail(d.ws, 'forwarded-reply.eml', draft('DEU')));
    expect(item).toMatchObject({ state: 'DEU', stateSource: 'thread' });
    expect(show(d.ws, item.reply).answers).toBe(draft('DEU').messageId);
  });

  it('the thread wins over the sender’s domain, and a problem says they disagree', () => {
    // Sent from Austria's ministry (bmeia.gv.at, AUT's domain) in answer to the note sent to France.
    const path = mail(d.ws, 'webmail-reply.eml', draft('FRA'), 'domain-disagrees.eml', (t) =>
      t.replace('austria.mission.vienna@webmail.example.com', 'registry@bmeia.gv.at'),
    );
    const item = ingest(d.ws, path);
    expect(item).toMatchObject({ state: 'FRA', stateSource: 'thread' });
    const problems = show(d.ws, item.reply).problems.join('\n');
    expect(problems).toContain(
      `the reply answers nv's message to FRA (<${draft('FRA').messageId}>), but its domain (bmeia.gv.at) points to AUT: FRA was taken from the thread`,
    );
  });

  it('the clerk’s --state still wins over the thread, with a problem naming the thread', () => {
    const item = ingest(d.ws, mail(d.ws, 'webmail-reply.eml', draft('AUT'), 'flag.eml'), ['--state', 'DEU']);
    expect(item).toMatchObject({ state: 'DEU', stateSource: 'flag' });
    const shown = show(d.ws, item.reply);
    expect(shown.answers).toBe(draft('AUT').messageId);
    expect(shown.problems.join('\n')).toContain(
      `--state DEU was taken, but the reply answers nv's message to AUT (<${draft('AUT').messageId}>)`,
    );
  });

  it('a reply naming no message of nv’s is resolved as before (domain), answering nothing', () => {
    const path = mail(
      d.ws,
      'webmail-reply.eml',
      { messageId: 'unrelated.1@elsewhere.example', to: 'x@example.org' },
      'no-thread.eml',
      (t) => t.replace('austria.mission.vienna@webmail.example.com', 'registry@diplomatie.gouv.fr'),
    );
    const item = ingest(d.ws, path);
    expect(item).toMatchObject({ state: 'FRA', stateSource: 'domain' });
    expect(show(d.ws, item.reply).answers).toBeNull();
  });
});

describePg('replies and bounces on a PostgreSQL register, through the CLI', () => {
  let d: Drafted;
  let url: string;
  const env = () => ({ NV_DATABASE_URL: url });
  beforeAll(async () => {
    url = await freshDatabase('nv_thread');
    d = await draftedWorkspace({ NV_DATABASE_URL: url });
  });
  afterAll(async () => {
    await dropDatabase(url);
    rmSync(d.dir, { recursive: true, force: true });
  });

  it('a reply from webmail is tied through the thread; a Postfix bounce marks its message bounced', async () => {
    const ita = d.drafts.get('ITA')!;
    const aut = d.drafts.get('AUT')!;
    const item = ingest(d.ws, mail(d.ws, 'webmail-reply.eml', ita), [], env());
    expect(item).toMatchObject({ state: 'ITA', stateSource: 'thread' });
    expect(show(d.ws, item.reply, env()).answered).toMatchObject({ recipient: 'ITA', status: 'drafted' });
    const b = nv(['ingest', '--json', '--yes', mail(d.ws, 'postfix-failed.eml', aut)], {
      cwd: d.ws,
      env: env(),
    });
    expect(b.code, b.stderr).toBe(0);
    expect((JSON.parse(b.stdout) as { bounces: { change: string }[] }).bounces).toEqual([
      expect.objectContaining({ change: 'bounced', recipient: 'AUT' }),
    ]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const reply = await client.query(
        'SELECT r.state, r.state_source, m.recipient FROM replies r JOIN messages m ON m.message_id = r.answers_message',
      );
      expect(reply.rows).toEqual([{ state: 'ITA', state_source: 'thread', recipient: 'ITA' }]);
      const m = await client.query('SELECT status, reason FROM messages WHERE message_id = $1', [
        aut.messageId,
      ]);
      expect(m.rows[0].status).toBe('bounced');
      expect(m.rows[0].reason).toContain(
        '550 5.1.1 <registry@mission.aut.example.org>: Recipient address rejected: User unknown',
      );
      expect((await client.query('SELECT count(*)::int AS n FROM replies')).rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
  });
});
