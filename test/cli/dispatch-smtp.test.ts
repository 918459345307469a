/**
 * `nv dispatch <ref>` by SMTP, through the built CLI, to a real SMTP server (`smtp-server` in a
 * child process, test/helpers/smtp-server.mjs): the 195 messages of the uncac-2012 example
 * parsed back with mailparser and held against the register and the workspace; refusals (550,
 * 450), dropped connections, `kill -9` of the CLI, a wrong password; `--resolve`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nv, nvAsync } from '../helpers/cli.js';
import { startSmtpServer, type SmtpTestServer } from '../helpers/smtp-server.mjs';
import {
  addDispatchSettings,
  addresses,
  auditText,
  editRecipients,
  generatedWorkspace,
  messageRows,
  received,
  REF,
  repeated,
  useServer,
} from '../dispatch/smtp-workspace.js';

const PASSWORD = 'test-smtp-password';
const env = { NV_SMTP_PASSWORD: PASSWORD, NV_ACTOR: 'officer-1 Anna' };
const servers: SmtpTestServer[] = [];
async function server(options: Parameters<typeof startSmtpServer>[0] = {}): Promise<SmtpTestServer> {
  const s = await startSmtpServer(options);
  servers.push(s);
  return s;
}
afterAll(async () => {
  for (const s of servers) await s.stop();
});

interface SendJson {
  messages: number;
  server: string;
  sent: { state: string; messageId: string; reply: string; tries: number }[];
  failed: { state: string; messageId: string; reply: string; tries: number }[];
  uncertain: { state: string; messageId: string }[];
  pending: { state: string; messageId: string }[];
  alreadySent: number;
  notTried: number;
  error?: { message: string };
}

describe('nv dispatch by SMTP: the uncac-2012 example, 195 messages', () => {
  let ws: string;
  let srv: SmtpTestServer;
  let json: SendJson;
  let code: number | null;

  beforeAll(async () => {
    ws = generatedWorkspace();
    srv = await server();
    useServer(ws, srv);
    // One recipient with a Cc, to see it reach the server and the message.
    editRecipients(
      ws,
      'registry@mission.aut.example.org,\n',
      'registry@mission.aut.example.org,protocol@mission.aut.example.org\n',
    );
    const r = nv(['dispatch', REF, '--yes', '--json'], { cwd: ws, env });
    code = r.code;
    expect(r.code, r.stderr).toBe(0);
    json = JSON.parse(r.stdout) as SendJson;
  }, 300_000);

  it('the server takes 195 messages, one per recipient, and the register records each sent with the server reply', () => {
    expect(code).toBe(0);
    expect(json.sent).toHaveLength(195);
    expect(json.failed).toEqual([]);
    const mails = srv.messages();
    expect(mails).toHaveLength(195);
    const rows = messageRows(ws);
    expect(rows).toHaveLength(195);
    expect(rows.every((r) => r.channel === 'smtp' && r.status === 'sent')).toBe(true);
    for (const r of rows) expect(r.server_reply).toMatch(/^250 OK: queued as \d{6}$/);
    expect(new Set(rows.map((r) => r.recipient)).size).toBe(195);
    // Every message went through the login, as "registry".
    expect(mails.every((m) => m.envelope.user === 'registry')).toBe(true);
  });

  it('each message parsed back: To/Cc from recipients.csv, From/Reply-To from nv.yaml, the reference and the meeting in the subject, the Message-ID recorded, the PDF byte for byte', async () => {
    const rows = new Map(messageRows(ws).map((r) => [r.message_id, r]));
    const got = await received(srv);
    expect(got).toHaveLength(195);
    for (const { mail, messageId, envelope } of got) {
      const row = rows.get(messageId)!;
      expect(row, messageId).toBeDefined();
      const code = row.recipient;
      expect(addresses(mail.to)).toEqual(JSON.parse(row.to));
      expect(addresses(mail.to)).toEqual([`registry@mission.${code.toLowerCase()}.example.org`]);
      expect(addresses(mail.cc)).toEqual(JSON.parse(row.cc));
      expect(envelope.to).toEqual([...(JSON.parse(row.to) as string[]), ...(JSON.parse(row.cc) as string[])]);
      expect(envelope.from).toBe('uncac.cop@unodc.example.org');
      expect(addresses(mail.from)).toEqual(['uncac.cop@unodc.example.org']);
      expect(mail.from!.value[0]!.name).toBe('Conference Secretariat');
      expect(addresses(mail.replyTo)).toEqual(['uncac.cop@unodc.example.org']);
      expect(mail.subject).toBe(row.subject);
      expect(mail.subject).toMatch(
        /^Note verbale CU 2012\/150\([AB]\)\/DTA\/CEB\/CSS – first open-ended intergovernmental expert meeting/,
      );
      // Sent, not a draft.
      expect(mail.headers.get('x-unsent')).toBeUndefined();
      const files = JSON.parse(row.files) as Record<string, string>;
      const pdfPath = Object.keys(files).find((p) => p.endsWith('.pdf'))!;
      const pdf = mail.attachments.find((a) => a.filename === pdfPath.split('/').pop())!;
      expect(pdf, messageId).toBeDefined();
      expect(pdf.contentType).toBe('application/pdf');
      expect(Buffer.compare(pdf.content, readFileSync(join(ws, pdfPath)))).toBe(0);
      expect(mail.attachments.map((a) => a.filename).slice(1)).toEqual([
        'information-for-participants.pdf',
        'annotated-provisional-agenda.pdf',
      ]);
    }
    const aut = got.find((g) => g.messageId.includes('.AUT.'))!;
    expect(addresses(aut.mail.cc)).toEqual(['protocol@mission.aut.example.org']);
    expect(aut.envelope.to).toEqual(['registry@mission.aut.example.org', 'protocol@mission.aut.example.org']);
  });

  it('run again: "Nothing to send", exit 0, the server takes nothing more', () => {
    const r = nv(['dispatch', REF, '--yes'], { cwd: ws, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'Nothing to send: the 195 recipient(s) were sent before (--again sends them again).',
    );
    expect(srv.messages()).toHaveLength(195);
    expect(messageRows(ws)).toHaveLength(195);
  });

  it('the password is nowhere: not in the output, not in the register, not in the audit log', () => {
    const r = nv(['dispatch', REF, '--yes', '--json'], { cwd: ws, env });
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(auditText(ws)).not.toContain(PASSWORD);
    expect(JSON.stringify(messageRows(ws))).not.toContain(PASSWORD);
  });
});

describe('nv dispatch by SMTP: refusals and a connection dropped mid-batch', () => {
  it('550 recorded failed with the server words, 450 twice then sent, a drop before the hand-over retried, a drop after it left sending; a rerun sends only the rest, no Message-ID twice at the server', async () => {
    const ws = generatedWorkspace();
    const srv = await server({
      refuse550: ['registry@mission.aut.example.org'],
      refuse450: { 'registry@mission.fra.example.org': 2 },
      // After 10 messages the connection drops at the next MAIL FROM (not handed over);
      // the 20th message is stored, then the connection drops before the server answers.
      dropAtMail: [10],
      dropAfterData: [20],
    });
    useServer(ws, srv);
    const first = nv(['dispatch', REF, '--yes', '--json'], { cwd: ws, env });
    expect(first.code, first.stderr).toBe(1);
    const j = JSON.parse(first.stdout) as SendJson;
    expect(j.failed.map((f) => f.state)).toEqual(['AUT']);
    expect(j.failed[0]!.reply).toBe(
      '550 5.1.1 <registry@mission.aut.example.org>: Recipient address rejected: mailbox unavailable',
    );
    const fra = j.sent.find((s) => s.state === 'FRA')!;
    expect(fra.tries).toBe(3);
    // The message after the 10th: tried again on a new connection, sent.
    const eleventh = j.sent.find((s) => s.tries === 2)!;
    expect(eleventh).toBeDefined();
    expect(j.uncertain).toHaveLength(1);
    const doubt = j.uncertain[0]!;

    const rows = messageRows(ws);
    const byState = new Map(rows.map((r) => [r.recipient, r]));
    expect(byState.get('AUT')).toMatchObject({ status: 'failed', reason: j.failed[0]!.reply });
    expect(byState.get('FRA')!.status).toBe('sent');
    expect(byState.get(doubt.state)).toMatchObject({ status: 'sending', message_id: doubt.messageId });
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(193);
    // The server did take the message left in doubt: the 20th.
    const afterFirst = await received(srv);
    expect(afterFirst).toHaveLength(194);
    expect(afterFirst[19]!.messageId).toBe(doubt.messageId);
    expect(srv.events()).toEqual(
      expect.arrayContaining([
        { refused: 'registry@mission.fra.example.org', code: 450 },
        { drop: 'mail', after: 10 },
        { drop: 'data', after: 20 },
      ]),
    );
    expect(first.stderr).toBe('');

    // The rerun: AUT tried again (still refused), the one in doubt NOT sent again but listed.
    const rerun = nv(['dispatch', REF, '--yes'], { cwd: ws, env });
    expect(rerun.code).toBe(1);
    expect(rerun.stderr).toContain('0 message(s) sent to smtp://registry@127.0.0.1:');
    expect(rerun.stderr).toContain('1 failed, 193 sent before left alone');
    expect(rerun.stderr).toContain(
      `1 message(s) may or may not have left (a run stopped while sending them); nv does not send them again: nv dispatch "${REF}" --resolve`,
    );
    expect(rerun.stderr).toContain(`${doubt.state}  <${doubt.messageId}>  sending since `);
    expect(srv.messages()).toHaveLength(194);

    // The officer finds it in the server's log: sent.
    const resolved = nv(['dispatch', REF, '--resolve', '--as', 'sent', '--only', doubt.state, '--json'], {
      cwd: ws,
      env,
    });
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(JSON.parse(resolved.stdout)).toMatchObject({
      resolved: [{ state: doubt.state, messageId: doubt.messageId, status: 'sent' }],
    });
    expect(messageRows(ws).find((r) => r.message_id === doubt.messageId)).toMatchObject({
      status: 'sent',
      server_reply: 'confirmed by officer-1 Anna',
    });
    // AUT's address fixed in recipients.csv: the next run sends AUT only.
    editRecipients(ws, 'registry@mission.aut.example.org', 'protocol@mission.aut.example.org');
    const last = nv(['dispatch', REF, '--yes', '--json'], { cwd: ws, env });
    expect(last.code, last.stderr).toBe(0);
    expect((JSON.parse(last.stdout) as SendJson).sent.map((s) => s.state)).toEqual(['AUT']);
    const all = await received(srv);
    expect(all).toHaveLength(195);
    expect(repeated(all.map((m) => m.messageId))).toEqual([]);
    expect(repeated(all.map((m) => m.envelope.to.join(',')))).toEqual([]);
    expect(nv(['dispatch', REF, '--yes'], { cwd: ws, env }).stderr).toContain('Nothing to send');
  }, 300_000);
});

describe('nv dispatch by SMTP: one address of a recipient refused', () => {
  it('the Cc refused (550), the To taken: sent, with the refused address and the server words recorded', async () => {
    const ws = generatedWorkspace();
    const srv = await server({ refuse550: ['gone@mission.aut.example.org'] });
    useServer(ws, srv);
    editRecipients(
      ws,
      'registry@mission.aut.example.org,\n',
      'registry@mission.aut.example.org,gone@mission.aut.example.org\n',
    );
    const r = nv(['dispatch', REF, '--yes', '--only', 'AUT'], { cwd: ws, env });
    expect(r.code, r.stderr).toBe(0);
    expect(messageRows(ws)[0]).toMatchObject({
      status: 'sent',
      reason:
        'gone@mission.aut.example.org refused: 550 5.1.1 <gone@mission.aut.example.org>: Recipient address rejected: mailbox unavailable',
    });
    expect(srv.messages().map((m) => m.envelope.to)).toEqual([['registry@mission.aut.example.org']]);
  });
});

describe('nv dispatch by SMTP: a message in doubt settled while a batch runs', () => {
  it('left sending when the batch began, resolved by the officer meanwhile: not reported in doubt at the end, exit 0', async () => {
    const ws = generatedWorkspace();
    const srv = await server({ dropAfterData: [1] });
    useServer(ws, srv);
    expect(nv(['dispatch', REF, '--yes', '--only', 'AUT'], { cwd: ws, env }).code).toBe(1);
    // A paced batch (one message every 2 s) begins with AUT in doubt…
    const run = nvAsync(['dispatch', REF, '--yes', '--json', '--only', 'AUT,BEL,BRA,FRA', '--pace', '30'], {
      cwd: ws,
      env,
    });
    expect(await until(() => messageRows(ws).length >= 2)).toBe(true);
    // …and the officer settles AUT while it runs.
    const resolved = nv(['dispatch', REF, '--resolve', '--as', 'sent', '--only', 'AUT'], { cwd: ws, env });
    expect(resolved.code, resolved.stderr).toBe(0);
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as SendJson & { skipped: { state: string; status: string }[] };
    expect(j.sent.map((s) => s.state)).toEqual(['BEL', 'BRA', 'FRA']);
    expect(j.pending).toEqual([]);
    expect(j.skipped).toMatchObject([{ state: 'AUT', status: 'sent' }]);
  });
});

/** Waits until `cond` holds, polling. */
async function until(cond: () => boolean, ms = 20_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

function sendingCount(ws: string): number {
  const db = new Database(join(ws, '.nv', 'registry.sqlite'), { readonly: true, timeout: 5_000 });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM messages WHERE status = 'sending'").get() as { n: number })
      .n;
  } finally {
    db.close();
  }
}

describe('nv dispatch by SMTP: kill -9 at random moments', () => {
  it('after kills (at random times, and right after a sending record) and reruns, each recipient received exactly one message or is listed sending; --resolve then a rerun completes it, never twice', async () => {
    const ws = generatedWorkspace();
    const srv = await server();
    useServer(ws, srv);
    const kills: string[] = [];
    for (let k = 0; k < 6; k++) {
      // Paced (20 a second), so that each batch lasts long enough to be killed in the middle.
      const run = nvAsync(['dispatch', REF, '--yes', '--pace', '1200'], { cwd: ws, env });
      if (k % 3 === 0) {
        // At a random moment of the batch.
        await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 1500)));
      } else if (k % 3 === 1) {
        // Right after a new `sending` record: between the claim and the server's answer.
        const before = messageRows(ws).length;
        await until(() => {
          try {
            return messageRows(ws).length > before && sendingCount(ws) > 0;
          } catch {
            return false;
          }
        });
      } else {
        // Right after the server took a message: before (or as) nv records it sent.
        const before = srv.messages().length;
        await until(() => srv.messages().length > before);
      }
      run.child.kill('SIGKILL');
      const r = await run.done;
      kills.push(`${r.signal ?? r.code}`);
      // The invariant at every moment: never two messages to one recipient's note.
      const got = await received(srv);
      expect(repeated(got.map((m) => m.messageId))).toEqual([]);
      expect(repeated(got.map((m) => m.envelope.to.join(',')))).toEqual([]);
    }
    expect(kills.filter((k) => k === 'SIGKILL').length).toBeGreaterThanOrEqual(4);

    // A rerun to the end: every recipient has its one message, or is listed `sending`.
    const rerun = nv(['dispatch', REF, '--yes', '--json'], { cwd: ws, env });
    const j = JSON.parse(rerun.stdout) as SendJson;
    const got = await received(srv);
    const atServer = new Set(got.map((m) => m.messageId));
    const rows = messageRows(ws);
    const inDoubt = rows.filter((r) => r.status === 'sending');
    expect(rerun.code).toBe(inDoubt.length ? 1 : 0);
    expect(j.pending.map((p) => p.messageId).sort()).toEqual(inDoubt.map((r) => r.message_id).sort());
    const recipients = new Set(rows.map((r) => r.recipient));
    expect(recipients.size).toBe(195);
    for (const code of recipients) {
      const mine = rows.filter((r) => r.recipient === code);
      const delivered = mine.filter((r) => atServer.has(r.message_id));
      const doubt = mine.filter((r) => r.status === 'sending');
      expect(delivered.length + doubt.length, code).toBeGreaterThanOrEqual(1);
      expect(delivered.length, code).toBeLessThanOrEqual(1);
      // Sent in the register means received by the server.
      for (const r of mine.filter((x) => x.status === 'sent'))
        expect(atServer.has(r.message_id), code).toBe(true);
    }
    // The officer looks in the server's log: those it took were sent, the others were not.
    const took = inDoubt.filter((r) => atServer.has(r.message_id)).map((r) => r.recipient);
    const lost = inDoubt.filter((r) => !atServer.has(r.message_id)).map((r) => r.recipient);
    if (took.length)
      expect(
        nv(['dispatch', REF, '--resolve', '--as', 'sent', '--only', took.join(',')], { cwd: ws, env }).code,
      ).toBe(0);
    if (lost.length)
      expect(
        nv(['dispatch', REF, '--resolve', '--as', 'failed', '--only', lost.join(',')], { cwd: ws, env }).code,
      ).toBe(0);
    const last = nv(['dispatch', REF, '--yes', '--json'], { cwd: ws, env });
    expect(last.code, last.stderr).toBe(0);
    expect((JSON.parse(last.stdout) as SendJson).sent.map((s) => s.state).sort()).toEqual(lost.sort());
    const final = await received(srv);
    expect(final).toHaveLength(195);
    expect(repeated(final.map((m) => m.messageId))).toEqual([]);
    expect(new Set(final.map((m) => m.envelope.to.join(','))).size).toBe(195);
    expect(messageRows(ws).filter((r) => r.status === 'sent')).toHaveLength(195);
  }, 600_000);
});

describe('nv dispatch by SMTP: the password and the server', () => {
  let ws: string;
  let srv: SmtpTestServer;
  beforeAll(async () => {
    ws = generatedWorkspace();
    srv = await server();
    useServer(ws, srv);
  }, 120_000);

  it('a wrong NV_SMTP_PASSWORD: exit 2, one sentence, nothing sent, nothing left sending, the password nowhere', () => {
    const wrong = 'Wr0ng-s3cret-pw';
    const r = nv(['dispatch', REF, '--yes'], { cwd: ws, env: { ...env, NV_SMTP_PASSWORD: wrong } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^nv: The mail server 127\.0\.0\.1:\d+ refused the login of registry \(535 .*\); put the right password in NV_SMTP_PASSWORD and run the same command again\.\n$/,
    );
    expect(r.stdout + r.stderr).not.toContain(wrong);
    expect(srv.messages()).toHaveLength(0);
    expect(messageRows(ws).filter((m) => m.status === 'sending')).toEqual([]);
    expect(auditText(ws)).not.toContain(wrong);
  });

  it('a login refused in the middle of the batch: the message in hand recorded failed (never handed over), the batch stops, exit 2; the rest is not tried', async () => {
    const other = generatedWorkspace();
    // The first login is taken; after 3 messages the connection drops and the next login is refused.
    const changing = await server({ refuseLoginsAfter: 1, dropAtMail: [3] });
    useServer(other, changing);
    const r = nv(['dispatch', REF, '--yes', '--json'], { cwd: other, env });
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout) as SendJson;
    expect(j.sent).toHaveLength(3);
    expect(j.failed).toHaveLength(1);
    expect(j.failed[0]!.reply).toMatch(/^not handed to the server: 535 /);
    expect(j.notTried).toBe(191);
    expect(j.error!.message).toContain('refused the login of registry');
    const rows = messageRows(other);
    expect(rows.map((m) => m.status)).toEqual(['sent', 'sent', 'sent', 'failed']);
    expect(changing.messages()).toHaveLength(3);
  });

  it('a wrong password in a --smtp URL: exit 2, redacted everywhere (output, audit); the right one there is taken', () => {
    const wrong = 'Url-pw-9x7';
    const url = srv.url.replace('registry@', `registry:${wrong}@`);
    const r = nv(['dispatch', REF, '--yes', '--smtp', url, '--json'], { cwd: ws, env: { NV_ACTOR: 'a' } });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).not.toContain(wrong);
    expect(JSON.parse(r.stdout)).toMatchObject({
      error: { message: expect.stringContaining('refused the login') },
    });
    const ok = nv(
      [
        'dispatch',
        REF,
        '--yes',
        '--only',
        'AUT',
        '--smtp',
        srv.url.replace('registry@', `registry:${PASSWORD}@`),
      ],
      {
        cwd: ws,
        env: { NV_ACTOR: 'a' },
      },
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout + ok.stderr).not.toContain(PASSWORD);
    expect(srv.messages()).toHaveLength(1);
    expect(auditText(ws)).not.toContain(wrong);
    expect(auditText(ws)).not.toContain(PASSWORD);
    expect(auditText(ws)).toContain(`--smtp ${srv.url}`);
  });

  it('a server that wants a login, given no user: exit 2, one sentence saying to name the user; the message in hand recorded failed', () => {
    const other = generatedWorkspace();
    addDispatchSettings(other, ['retry_delay: 0.02']);
    const r = nv(['dispatch', REF, '--yes', '--smtp', srv.url.replace('registry@', '')], { cwd: other, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^nv: The mail server 127\.0\.0\.1:\d+ wants a login \(530 .*\); write the user in the URL \(smtp:\/\/user@host:port\) and the password in NV_SMTP_PASSWORD\.\n$/,
    );
    const rows = messageRows(other);
    expect(rows.map((m) => m.status)).toEqual(['failed']);
    expect(rows[0]!.reason).toMatch(/^not handed to the server: 530 /);
  });

  it('a password in nv.yaml is refused: exit 2, put it in NV_SMTP_PASSWORD', () => {
    const other = generatedWorkspace();
    addDispatchSettings(other, [`smtp: ${srv.url.replace('registry@', 'registry:in-yaml-pw@')}`]);
    const r = nv(['dispatch', REF, '--yes'], { cwd: other, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'nv: nv.yaml writes the mail server password in dispatch.smtp; remove it from nv.yaml and put it in NV_SMTP_PASSWORD.\n',
    );
  });

  it('no way out given: exit 2 saying to give one; --drafts and --smtp together: exit 2', () => {
    const other = generatedWorkspace();
    const r = nv(['dispatch', REF, '--yes'], { cwd: other, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'Say how the messages go out: --drafts DIR writes .eml drafts, --smtp smtp://user@host:587',
    );
    const both = nv(['dispatch', REF, '--yes', '--drafts', 'out/d', '--smtp', srv.url], { cwd: other, env });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--drafts and --smtp (or --pace) are two ways out; give one of them');
    expect(messageRows(other)).toEqual([]);
  });

  it('a server that cannot be reached: exit 2, one sentence, nothing recorded', async () => {
    const other = generatedWorkspace();
    addDispatchSettings(other, ['retry_delay: 0.02']);
    const r = nv(['dispatch', REF, '--yes', '--smtp', 'smtp://registry@127.0.0.1:1'], { cwd: other, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^nv: The mail server 127\.0\.0\.1:1 cannot be reached \(.*ECONNREFUSED.*, 3 tries\); check that it runs and the URL, then run the same command again\.\n$/,
    );
    expect(messageRows(other)).toEqual([]);
  });
});

describe('nv dispatch by SMTP: TLS', () => {
  it('STARTTLS offered on smtp://: taken, the certificate checked against dispatch.smtp.ca; without the CA: exit 2 saying so', async () => {
    const srv = await server({ tls: 'starttls' });
    const ws = generatedWorkspace();
    addDispatchSettings(ws, ['smtp:', `  url: ${srv.url}`, `  ca: ${srv.caFile}`, 'retry_delay: 0.02']);
    const r = nv(['dispatch', REF, '--yes', '--only', 'AUT,FRA'], { cwd: ws, env });
    expect(r.code, r.stderr).toBe(0);
    expect(srv.messages().map((m) => m.envelope.secure)).toEqual([true, true]);
    const bare = generatedWorkspace();
    useServer(bare, srv);
    const refused = nv(['dispatch', REF, '--yes', '--only', 'AUT'], { cwd: bare, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('give its CA as dispatch.smtp.ca in nv.yaml');
    expect(messageRows(bare)).toEqual([]);
  });

  it('smtps://: TLS from the start', async () => {
    const srv = await server({ tls: 'implicit' });
    const ws = generatedWorkspace();
    addDispatchSettings(ws, ['smtp:', `  url: ${srv.url}`, `  ca: ${srv.caFile}`, 'retry_delay: 0.02']);
    const r = nv(['dispatch', REF, '--yes', '--only', 'AUT'], { cwd: ws, env });
    expect(r.code, r.stderr).toBe(0);
    expect(srv.messages()).toHaveLength(1);
  });
});

describe('nv dispatch by SMTP: the enclosures as links', () => {
  it('--enclosures link: the note PDF attached, the enclosures listed as links under the covering text; without a base URL: exit 2', async () => {
    const srv = await server();
    const ws = generatedWorkspace();
    useServer(ws, srv);
    const none = nv(['dispatch', REF, '--yes', '--only', 'AUT', '--enclosures', 'link'], { cwd: ws, env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--enclosures link needs the address the enclosures are published at');
    const r = nv(
      [
        'dispatch',
        REF,
        '--yes',
        '--only',
        'AUT',
        '--enclosures',
        'link',
        '--link-base',
        'https://docs.example.org/cu/',
      ],
      { cwd: ws, env },
    );
    expect(r.code, r.stderr).toBe(0);
    const [got] = await received(srv);
    expect(got!.mail.attachments.map((a) => a.filename)).toEqual(['AUT-Austria.pdf']);
    expect(got!.mail.text).toContain(
      '- https://docs.example.org/cu/information-for-participants.pdf\n- https://docs.example.org/cu/annotated-provisional-agenda.pdf\n',
    );
    expect(got!.mail.text).toContain('Please find attached note verbale CU 2012/150');
  });
});
