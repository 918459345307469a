/**
 * Issue 10 point 5: bounces. Delivery reports as Postfix, Exchange and Gmail write them (RFC 3464),
 * a delay, an older free-form "Returned mail", and a report on a message nv never sent, each made
 * for a Message-ID `nv dispatch --drafts` recorded and ingested through the built CLI; the
 * register (SQLite file) says what became of each message.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nv } from '../helpers/cli.js';
import { draftedWorkspace, mail, type Drafted } from '../replies/mail.js';

interface Bounce {
  file: string;
  change: string;
  kind: string;
  recipient?: string;
  status?: string;
  reason: string | null;
  summary: string;
  sha256: string;
  ingestedBefore: boolean;
}

interface Report {
  items: unknown[];
  bounces: Bounce[];
  totals: Record<string, number>;
}

describe('nv ingest recognises bounces: not replies, their message marked bounced with the reason', () => {
  let d: Drafted;
  beforeAll(async () => {
    d = await draftedWorkspace();
  });
  afterAll(() => rmSync(d.dir, { recursive: true, force: true }));

  const draft = (state: string) => d.drafts.get(state)!;
  const ingest = (path: string): Report => {
    const r = nv(['ingest', '--json', '--yes', path], { cwd: d.ws });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Report;
  };
  const query = <T>(sql: string, ...args: unknown[]): T[] => {
    const db = new Database(join(d.ws, '.nv', 'registry.sqlite'), { readonly: true });
    try {
      return db.prepare(sql).all(...args) as T[];
    } finally {
      db.close();
    }
  };
  const message = (state: string) =>
    query<{ status: string; reason: string | null; status_at: string }>(
      'SELECT status, reason, status_at FROM messages WHERE message_id = ?',
      draft(state).messageId,
    )[0]!;
  const replies = () => query<{ n: number }>('SELECT count(*) AS n FROM replies')[0]!.n;

  it('Postfix: the message becomes bounced with the server’s words; no reply; the report archived and named in the audit log', () => {
    const path = mail(d.ws, 'postfix-failed.eml', draft('AUT'));
    const report = ingest(path);
    expect(report.items).toEqual([]);
    expect(report.totals).toMatchObject({ added: 0, bounces: 1 });
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(report.bounces).toEqual([
      expect.objectContaining({
        change: 'bounced',
        kind: 'failed',
        recipient: 'AUT',
        status: 'bounced',
        sha256: sha,
        ingestedBefore: false,
      }),
    ]);
    const m = message('AUT');
    expect(m.status).toBe('bounced');
    expect(m.reason).toContain(
      'registry@mission.aut.example.org: 550 5.1.1 <registry@mission.aut.example.org>: Recipient address rejected: User unknown',
    );
    expect(m.reason).toContain(`reported by mx1.unodc.example.org; delivery report sha256 ${sha}`);
    expect(replies()).toBe(0);
    expect(existsSync(join(d.ws, '.nv', 'archive', sha.slice(0, 2), `${sha}.eml`))).toBe(true);
    const [audit] = query<{ action: string; detail: string }>(
      "SELECT action, detail FROM audit WHERE action = 'message-bounced' ORDER BY id DESC LIMIT 1",
    );
    expect(JSON.parse(audit!.detail)).toMatchObject({
      recipient: 'AUT',
      messageId: draft('AUT').messageId,
      from: 'drafted',
      reason: expect.stringContaining(sha),
    });
  });

  it('the same bounce again changes nothing and says so', () => {
    const before = message('AUT');
    const path = mail(d.ws, 'postfix-failed.eml', draft('AUT'));
    const report = ingest(path);
    expect(report.bounces).toEqual([
      expect.objectContaining({ change: 'already-bounced', ingestedBefore: true }),
    ]);
    expect(message('AUT')).toEqual(before);
    const text = nv(['ingest', '--yes', path], { cwd: d.ws });
    expect(text.code).toBe(0);
    expect(text.stderr).toContain('Delivery reports (not replies):');
    expect(text.stderr).toMatch(
      /already recorded .*was recorded bounced already .*this report was ingested before/,
    );
    expect(
      query<{ n: number }>("SELECT count(*) AS n FROM audit WHERE action = 'message-bounced'")[0]!.n,
    ).toBe(1);
  });

  it('Exchange (the returned message attached, In-Reply-To too): bounced, with its 5.1.10', () => {
    const report = ingest(mail(d.ws, 'exchange-failed.eml', draft('FRA')));
    expect(report.bounces[0]).toMatchObject({ change: 'bounced', recipient: 'FRA' });
    expect(message('FRA')).toMatchObject({ status: 'bounced' });
    expect(message('FRA').reason).toContain(
      '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    );
    expect(replies()).toBe(0);
  });

  it('Gmail (headers returned, a folded Diagnostic-Code): bounced', () => {
    const report = ingest(mail(d.ws, 'gmail-failed.eml', draft('DEU')));
    expect(report.bounces[0]).toMatchObject({ change: 'bounced', recipient: 'DEU' });
    expect(message('DEU').reason).toContain(
      '550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking',
    );
  });

  it('an older "Returned mail" from postmaster with the message attached: bounced', () => {
    const report = ingest(mail(d.ws, 'legacy-returned.eml', draft('ESP')));
    expect(report.bounces[0]).toMatchObject({ change: 'bounced', recipient: 'ESP' });
    expect(message('ESP')).toMatchObject({ status: 'bounced' });
    expect(replies()).toBe(0);
  });

  it('a delay (4.4.1) is reported and changes nothing', () => {
    const report = ingest(mail(d.ws, 'postfix-delayed.eml', draft('ITA')));
    expect(report.bounces[0]).toMatchObject({ change: 'unchanged', kind: 'delayed', recipient: 'ITA' });
    expect(report.bounces[0]!.summary).toContain('is delayed');
    expect(report.bounces[0]!.summary).toContain('Status 4.4.1');
    expect(message('ITA')).toMatchObject({ status: 'drafted', reason: null });
  });

  it('a bounce naming no message nv dispatched is reported as such: not a reply, nothing changed', () => {
    const statuses = () => query<{ status: string }>('SELECT status FROM messages ORDER BY id');
    const before = statuses();
    const path = mail(
      d.ws,
      'postfix-failed.eml',
      { messageId: 'CAF=abc123@mail.example.net', to: 'someone@example.net' },
      'unknown.eml',
    );
    const report = ingest(path);
    expect(report.items).toEqual([]);
    expect(report.bounces).toEqual([
      expect.objectContaining({ change: 'no-message', kind: 'failed', reason: null }),
    ]);
    expect(report.bounces[0]!.summary).toContain(
      '<CAF=abc123@mail.example.net>, which is no message nv dispatched',
    );
    expect(statuses()).toEqual(before);
    expect(replies()).toBe(0);
    const text = nv(['ingest', '--yes', path], { cwd: d.ws });
    expect(text.stderr).toContain('no message of nv’s');
  });

  it('a bounce the registry forwards (the report attached to its own e-mail): bounced, not a reply filed under the State by the report’s thread', () => {
    const path = mail(d.ws, 'forwarded-bounce.eml', draft('ITA'));
    const report = ingest(path);
    expect(report.items).toEqual([]);
    expect(report.bounces).toEqual([
      expect.objectContaining({ change: 'bounced', kind: 'failed', recipient: 'ITA', status: 'bounced' }),
    ]);
    expect(message('ITA')).toMatchObject({ status: 'bounced' });
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(message('ITA').reason).toContain('550 5.1.10 RESOLVER.ADR.RecipientNotFound');
    expect(message('ITA').reason).toContain(`delivery report sha256 ${sha}`);
    expect(replies()).toBe(0);
    // The same report forwarded with a Government's scanned note beside it is no bounce: the clerk
    // sees a reply (its thread ties it to ITA) with the report among its messages.
    const withScan = mail(d.ws, 'forwarded-bounce.eml', draft('ITA'), 'forwarded-bounce-and-scan.eml', (t) =>
      t.replace(
        '--fwd-bounce-boundary--',
        '--fwd-bounce-boundary\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="note.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcOkw7zDtsOfCg==\r\n--fwd-bounce-boundary--',
      ),
    );
    const second = ingest(withScan);
    expect(second.bounces).toEqual([]);
    expect(replies()).toBe(1);
  });
});
