/**
 * The whole loop of issue 10 through the built CLI, with nothing but the real paths: the officer
 * sends CU 2012/150 by SMTP to a real server (smtp-server in a child process); a mission answers
 * from a webmail address nv does not know, quoting the message it received; another mission's
 * server returns a delivery report; the clerk ingests both. The reply is tied to its State by the
 * thread, the bounce marks the message bounced, and `nv status` shows sent, bounced, replied and
 * accepted; `--undelivered` lists the State to reach another way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nv } from '../helpers/cli.js';
import { startSmtpServer, type SmtpTestServer } from '../helpers/smtp-server.mjs';
import { generatedWorkspace, messageRows, received, REF, useServer } from '../dispatch/smtp-workspace.js';
import { mail } from '../replies/mail.js';

const env = { NV_SMTP_PASSWORD: 'test-smtp-password', NV_ACTOR: 'officer-1' };
const STATES = ['AUT', 'FRA', 'DEU', 'ITA'];

interface Row {
  state: string;
  status: string;
  reply: { id: number } | null;
  delivery: { status: string; messageId: string; reason: string | null; channel: string } | null;
}

describe('dispatch by SMTP, then a reply through the thread and a bounce, seen by nv status', () => {
  let ws: string;
  let srv: SmtpTestServer;
  const sentTo = new Map<string, { messageId: string; to: string }>();

  beforeAll(async () => {
    ws = generatedWorkspace();
    srv = await startSmtpServer({});
    useServer(ws, srv);
    const d = nv(['dispatch', REF, '--only', STATES.join(','), '--yes', '--json'], { cwd: ws, env });
    expect(d.code, d.stderr).toBe(0);
    for (const r of await received(srv)) {
      const state = messageRows(ws).find((m) => m.message_id === r.messageId)!.recipient;
      sentTo.set(state, { messageId: r.messageId, to: r.envelope.to[0]! });
    }
  }, 300_000);
  afterAll(async () => {
    await srv?.stop();
  });

  it('the server took one message per State, each recorded sent', () => {
    expect([...sentTo.keys()].sort()).toEqual([...STATES].sort());
    expect(
      messageRows(ws)
        .map((m) => [m.recipient, m.channel, m.status])
        .sort(),
    ).toEqual(STATES.map((s) => [s, 'smtp', 'sent']).sort());
  });

  it('a reply from an unknown webmail domain answering FRA’s message is FRA’s (thread); DEU’s bounce marks it bounced', () => {
    const reply = mail(ws, 'webmail-reply.eml', sentTo.get('FRA')!, 'fra-reply.eml');
    const bounce = mail(ws, 'postfix-failed.eml', sentTo.get('DEU')!, 'deu-bounce.eml');
    const r = nv(['ingest', '--yes', '--json', reply, bounce], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      totals: { added: number; bounces: number };
      items: { reply?: number; state?: string | null; stateSource?: string | null }[];
    };
    expect(report.totals).toMatchObject({ added: 1, bounces: 1 });
    expect(report.items).toHaveLength(1); // the bounce is no reply
    expect(report.items[0]).toMatchObject({ state: 'FRA', stateSource: 'thread' });
    const added = { id: report.items[0]!.reply! };

    const show = nv(['reply', 'show', String(added.id), '--json'], { cwd: ws });
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({
      state: 'FRA',
      stateSource: 'thread',
      answered: {
        messageId: sentTo.get('FRA')!.messageId,
        recipient: 'FRA',
        reference: 'CU 2012/150(A)/DTA/CEB/CSS',
        status: 'sent',
      },
    });
    const deu = messageRows(ws).find((m) => m.recipient === 'DEU')!;
    expect(deu.status).toBe('bounced');
    expect(deu.reason).toMatch(/5\.1\.1/);
    expect(deu.server_reply).toMatch(/^250/); // what the server said when it took it stays

    const accept = nv(['reply', 'set', String(added.id), '--accept', '--reason', 'signed original seen'], {
      cwd: ws,
    });
    expect(accept.code, accept.stderr).toBe(0);
  });

  it('nv status shows sent, bounced, replied and accepted per State; --undelivered lists DEU only', () => {
    const s = nv(['status', '--json'], { cwd: ws });
    expect(s.code, s.stderr).toBe(0);
    const rows = new Map((JSON.parse(s.stdout) as { rows: Row[] }).rows.map((r) => [r.state, r]));
    expect(rows.get('FRA')).toMatchObject({
      status: 'accepted',
      delivery: { status: 'sent', channel: 'smtp' },
    });
    expect(rows.get('FRA')!.reply).not.toBeNull();
    expect(rows.get('DEU')).toMatchObject({
      status: 'no-reply',
      reply: null,
      delivery: { status: 'bounced' },
    });
    expect(rows.get('DEU')!.delivery!.reason).toMatch(/5\.1\.1/);
    for (const st of ['AUT', 'ITA'])
      expect(rows.get(st)).toMatchObject({
        status: 'no-reply',
        delivery: { status: 'sent', messageId: sentTo.get(st)!.messageId },
      });

    const u = nv(['status', '--undelivered', '--json'], { cwd: ws });
    expect(u.code, u.stderr).toBe(0);
    const listed = (JSON.parse(u.stdout) as { states: { state: string; why: string }[] }).states;
    // DEU bounced; the States never dispatched (no message) are listed too, FRA (replied) and
    // AUT/ITA (sent) are not.
    expect(listed.find((x) => x.state === 'DEU')).toMatchObject({ why: 'bounced' });
    expect(listed.map((x) => x.state)).not.toEqual(expect.arrayContaining(['FRA']));
    expect(listed.filter((x) => ['AUT', 'ITA', 'FRA'].includes(x.state))).toEqual([]);
    const text = nv(['status', '--undelivered'], { cwd: ws });
    expect(text.stdout).toMatch(/^DEU .*bounced/m);
  });
});
