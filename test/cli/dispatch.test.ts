/**
 * `nv dispatch <ref> --drafts DIR` through the built CLI on the examples: one .eml per recipient,
 * each parsed back with mailparser and held against the workspace (recipients.csv, nv.yaml) and
 * the register (the SQLite file read directly); every refusal comes before anything is written.
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace, nv, tempDir } from '../helpers/cli.js';
import { addresses, messageRows } from '../dispatch/smtp-workspace.js';

const REF = 'CU 2012/150';

/** Every file under `dir`, relative to it, sorted. */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

function auditActions(ws: string, action: string): number {
  const db = new Database(join(ws, '.nv', 'registry.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM audit WHERE action = ?').get(action) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('nv dispatch --drafts on the uncac-2012 example', () => {
  let ws: string;
  let parsed: Map<string, { mail: ParsedMail; file: string }>;
  let firstRun: { written: { state: string; file: string; messageId: string }[]; messages: number };

  beforeAll(async () => {
    ({ ws } = exampleWorkspace());
    const g = nv(['generate', '--yes', '--format', 'pdf'], { cwd: ws });
    expect(g.code, g.stderr).toBe(0);
    const r = nv(['dispatch', REF, '--drafts', 'out/drafts', '--yes', '--json'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    firstRun = JSON.parse(r.stdout) as typeof firstRun;
    parsed = new Map();
    for (const f of files(join(ws, 'out', 'drafts'))) {
      const mail = await simpleParser(readFileSync(join(ws, 'out', 'drafts', f)));
      parsed.set(f, { mail, file: f });
    }
  }, 300_000);

  it('writes 195 .eml drafts, one per recipient, and records each as drafted under its Message-ID', () => {
    expect(parsed.size).toBe(195);
    expect([...parsed.keys()].every((f) => f.endsWith('.eml'))).toBe(true);
    expect(firstRun.messages).toBe(195);
    const rows = messageRows(ws);
    expect(rows).toHaveLength(195);
    expect(new Set(rows.map((r) => r.recipient)).size).toBe(195);
    expect(rows.every((r) => r.status === 'drafted' && r.channel === 'drafts')).toBe(true);
    expect(auditActions(ws, 'message-drafted')).toBe(195);
  });

  it('each draft: To from recipients.csv, From and Reply-To from nv.yaml, the reference in the subject, X-Unsent, the Message-ID recorded', () => {
    const rows = new Map(messageRows(ws).map((r) => [r.recipient, r]));
    const csv = readFileSync(join(ws, 'recipients.csv'), 'utf8');
    for (const { mail, file } of parsed.values()) {
      const code = file.split('/').pop()!.slice(0, 3);
      const row = rows.get(code)!;
      expect(row, file).toBeDefined();
      const to = addresses(mail.to);
      expect(to, file).toEqual([`registry@mission.${code.toLowerCase()}.example.org`]);
      expect(csv).toContain(`,${to[0]},`);
      expect(JSON.parse(row.to)).toEqual(to);
      expect(addresses(mail.from)).toEqual(['uncac.cop@unodc.example.org']);
      expect(mail.from!.value[0]!.name).toBe('Conference Secretariat');
      expect(addresses(mail.replyTo)).toEqual(['uncac.cop@unodc.example.org']);
      expect(mail.subject, file).toMatch(
        /^Note verbale CU 2012\/150\([AB]\)\/DTA\/CEB\/CSS – first open-ended/,
      );
      expect(mail.subject).toBe(row.subject);
      expect(mail.headers.get('x-unsent')).toBe('1');
      expect(mail.messageId).toBe(`<${row.message_id}>`);
      expect(row.message_id).toMatch(
        new RegExp(`^nv\\.CU\\.2012\\.150\\.${code}\\.[0-9a-f]{12}@unodc\\.example\\.org$`),
      );
      expect(mail.text).toContain('Please find attached note verbale CU 2012/150');
    }
  });

  it("attaches the note's PDF byte for byte (the file the register recorded) and the enclosures", () => {
    const rows = new Map(messageRows(ws).map((r) => [r.recipient, r]));
    for (const { mail, file } of parsed.values()) {
      const code = file.split('/').pop()!.slice(0, 3);
      const [pdfPath] = Object.keys(JSON.parse(rows.get(code)!.files) as Record<string, string>);
      const pdf = mail.attachments.find((a) => a.filename === pdfPath!.split('/').pop());
      expect(pdf, file).toBeDefined();
      expect(pdf!.content.equals(readFileSync(join(ws, pdfPath!))), file).toBe(true);
      expect(pdf!.contentType).toBe('application/pdf');
      const rest = mail.attachments.filter((a) => a !== pdf);
      expect(rest.map((a) => a.filename)).toEqual([
        'information-for-participants.pdf',
        'annotated-provisional-agenda.pdf',
      ]);
      for (const a of rest)
        expect(a.content.equals(readFileSync(join(ws, 'attachments', a.filename!)))).toBe(true);
    }
  });

  it('a rerun writes nothing new; --again drafts the named recipient again under a new Message-ID', () => {
    const before = files(join(ws, 'out', 'drafts')).map((f) => [
      f,
      statSync(join(ws, 'out', 'drafts', f)).mtimeMs,
    ]);
    const r = nv(['dispatch', REF, '--drafts', 'out/drafts', '--yes', '--json'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ messages: 0, alreadyDrafted: 195, written: [] });
    expect(
      files(join(ws, 'out', 'drafts')).map((f) => [f, statSync(join(ws, 'out', 'drafts', f)).mtimeMs]),
    ).toEqual(before);
    expect(messageRows(ws)).toHaveLength(195);
    const words = nv(['dispatch', REF, '--drafts', 'out/drafts', '--yes'], { cwd: ws });
    expect(words.stderr).toContain(
      'Nothing to draft: the 195 recipient(s) were drafted before (--again drafts them again).',
    );

    const again = nv(
      ['dispatch', REF, '--drafts', 'out/drafts', '--only', 'AUT', '--again', '--yes', '--json'],
      {
        cwd: ws,
      },
    );
    expect(again.code, again.stderr).toBe(0);
    const rows = messageRows(ws).filter((m) => m.recipient === 'AUT');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.message_id).not.toBe(rows[1]!.message_id);
    expect(files(join(ws, 'out', 'drafts')).filter((f) => f.includes('AUT-'))).toEqual([
      'CU-2012-150-A/AUT-Austria.2.eml',
      'CU-2012-150-A/AUT-Austria.eml',
    ]);
  });

  it("nv ref show lists each note's messages: status, when, Message-ID (words and --json)", () => {
    const rows = messageRows(ws).filter((m) => m.recipient === 'FRA');
    const words = nv(['ref', 'show', REF], { cwd: ws });
    expect(words.code, words.stderr).toBe(0);
    expect(words.stdout).toMatch(
      new RegExp(
        `drafted \\S+Z  <${rows[0]!.message_id.replace(/\./g, '\\.')}>  registry@mission\\.fra\\.example\\.org`,
      ),
    );
    const json = nv(['ref', 'show', REF, '--json'], { cwd: ws });
    const fra = (
      JSON.parse(json.stdout) as { recipients: { recipient: string; messages: unknown[] }[] }
    ).recipients.find((x) => x.recipient === 'FRA')!;
    expect(fra.messages).toEqual([
      expect.objectContaining({ status: 'drafted', messageId: rows[0]!.message_id, channel: 'drafts' }),
    ]);
  });
});

describe('nv dispatch refuses before anything is written', () => {
  it('--dry-run shows the plan (messages, recipients, attachments, total size) and writes nothing', () => {
    const { ws } = exampleWorkspace();
    expect(nv(['generate', '--yes', '--format', 'pdf', '--only', 'AUT,FRA'], { cwd: ws }).code).toBe(0);
    const r = nv(['dispatch', REF, '--drafts', 'out/drafts', '--dry-run', '--json'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      dryRun: boolean;
      messages: number;
      recipients: { state: string; to: string[]; attachments: string[]; bytes: number }[];
      totalBytes: number;
    };
    expect(plan).toMatchObject({ dryRun: true, messages: 2 });
    expect(plan.recipients.map((x) => [x.state, x.to, x.attachments.length])).toEqual([
      ['AUT', ['registry@mission.aut.example.org'], 3],
      ['FRA', ['registry@mission.fra.example.org'], 3],
    ]);
    expect(plan.totalBytes).toBe(plan.recipients.reduce((s, x) => s + x.bytes, 0));
    expect(plan.totalBytes).toBeGreaterThan(0);
    const words = nv(['dispatch', REF, '--drafts', 'out/drafts', '--dry-run'], { cwd: ws });
    expect(words.stderr).toContain('Dry run: 2 message(s) for CU 2012/150(A)/DTA/CEB/CSS into out/drafts');
    expect(existsSync(join(ws, 'out', 'drafts'))).toBe(false);
    expect(messageRows(ws)).toEqual([]);
  });

  it('a missing dispatch.from: exit 2, nothing written', () => {
    const { ws } = exampleWorkspace();
    expect(nv(['generate', '--yes', '--format', 'pdf', '--only', 'AUT'], { cwd: ws }).code).toBe(0);
    const yaml = join(ws, 'nv.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/\ndispatch:\n(  .*\n)+/, '\n'));
    const r = nv(['dispatch', REF, '--drafts', 'out/drafts', '--yes'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nv.yaml has no dispatch.from');
    expect(existsSync(join(ws, 'out', 'drafts'))).toBe(false);
    expect(messageRows(ws)).toEqual([]);
  });

  it('a bad address in recipients.csv: exit 2 at file:line:column, nothing written', () => {
    const { ws } = exampleWorkspace();
    expect(nv(['generate', '--yes', '--format', 'pdf', '--only', 'AUT'], { cwd: ws }).code).toBe(0);
    const csv = join(ws, 'recipients.csv');
    const text = readFileSync(csv, 'utf8');
    const line = text.split('\n').findIndex((l) => l.startsWith('AUT,')) + 1;
    writeFileSync(
      csv,
      text.replace('registry@mission.aut.example.org', 'Austria <registry@mission.aut.example.org>'),
    );
    const r = nv(['dispatch', REF, '--drafts', 'out/drafts', '--yes', '--json'], { cwd: ws });
    expect(r.code).toBe(2);
    expect((JSON.parse(r.stdout) as { error: { message: string } }).error.message).toBe(
      `recipients.csv:${line}:9: "Austria <registry@mission.aut.example.org>" in the email column is not an e-mail address; write one address such as registry@mission.example.org (no name, no angle brackets), several separated by ";".`,
    );
    expect(existsSync(join(ws, 'out', 'drafts'))).toBe(false);
    expect(messageRows(ws)).toEqual([]);
  });

  it('a note not generated yet, or whose PDF changed on disk: exit 2 naming the recipient and "nv generate", nothing written', () => {
    const { ws } = exampleWorkspace();
    expect(nv(['generate', '--yes', '--format', 'docx', '--only', 'AUT,FRA'], { cwd: ws }).code).toBe(0);
    const r = nv(['dispatch', REF, '--drafts', 'out/drafts', '--yes'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'The note to Austria (AUT) under CU 2012/150(A)/DTA/CEB/CSS has not been generated as a PDF yet; run "nv generate --template invitation" first.',
    );
    expect(r.stderr).toContain('France (FRA)');
    expect(existsSync(join(ws, 'out', 'drafts'))).toBe(false);

    expect(nv(['generate', '--yes', '--format', 'pdf', '--only', 'AUT,FRA'], { cwd: ws }).code).toBe(0);
    const pdf = join(ws, 'out', 'notes', 'CU-2012-150-A', 'FRA-France.pdf');
    writeFileSync(pdf, Buffer.concat([readFileSync(pdf), Buffer.from('\n% edited\n')]));
    const changed = nv(['dispatch', REF, '--drafts', 'out/drafts', '--yes'], { cwd: ws });
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain(
      'The PDF of the note to France (FRA) under CU 2012/150(A)/DTA/CEB/CSS (out/notes/CU-2012-150-A/FRA-France.pdf) is not the file nv generated (it was changed since); run "nv generate --template invitation" to write it again.',
    );
    rmSync(pdf);
    const gone = nv(['dispatch', REF, '--drafts', 'out/drafts', '--yes'], { cwd: ws });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('(out/notes/CU-2012-150-A/FRA-France.pdf) is missing');
    expect(existsSync(join(ws, 'out', 'drafts'))).toBe(false);
    expect(messageRows(ws)).toEqual([]);
  });
});

describe('nv dispatch on the multilingual example', () => {
  it('a French and an Arabic recipient get the covering text and subject in their language', async () => {
    const dir = tempDir();
    expect(nv(['init', 'ml', '--example', 'uncac-2012-multilingual', '--yes'], { cwd: dir }).code).toBe(0);
    const ws = join(dir, 'ml');
    const g = nv(['generate', '--yes', '--format', 'pdf', '--only', 'FRA,EGY'], { cwd: ws });
    expect(g.code, g.stderr).toBe(0);
    const r = nv(['dispatch', REF, '--drafts', 'out/drafts', '--yes', '--json'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    const written = (JSON.parse(r.stdout) as { written: { state: string; file: string }[] }).written;
    const mail = async (state: string) =>
      simpleParser(readFileSync(join(ws, written.find((w) => w.state === state)!.file)));
    const fra = await mail('FRA');
    expect(fra.subject).toMatch(/^Note verbale CU 2012\/150\(A\)\/DTA\/CEB\/CSS – première réunion/);
    expect(fra.text).toContain(
      'Veuillez trouver ci-joint la note verbale CU 2012/150(A)/DTA/CEB/CSS relative à la première réunion',
    );
    expect(addresses(fra.cc)).toEqual(['protocol@mission.fra.example.org']);
    expect(fra.headers.get('content-language')).toBe('fr');
    const egy = await mail('EGY');
    expect(egy.subject).toMatch(/^مذكرة شفوية CU 2012\/150\(A\)\/DTA\/CEB\/CSS – اجتماع الخبراء/);
    expect(egy.text).toContain('تجدون طيه المذكرة الشفوية CU 2012/150(A)/DTA/CEB/CSS بشأن اجتماع الخبراء');
    expect(egy.cc).toBeUndefined();
  }, 120_000);
});
