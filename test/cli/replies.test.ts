import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace, nv, ROOT, tempDir } from '../helpers/cli.js';
import { flat, readPdf } from '../helpers/pdf-text.js';

const REPLIES = join(ROOT, 'fixtures', 'replies');
const fx = (name: string) => join(REPLIES, name);

interface Item {
  file: string;
  result: 'added' | 'existing' | 'skipped' | 'refused';
  reason?: string;
  reply: number;
  state: string | null;
  channel: string | null;
  receivedAt: string | null;
  status: string;
  why: string;
  documents: { name: string | null; class: string }[];
}
interface Finding {
  rule: string;
  severity: string;
  state: string | null;
  reply: number | null;
  waived: boolean;
}

function ingest(ws: string, args: string[]): Item[] {
  const r = nv(['ingest', '-w', ws, '--json', ...args], { cwd: ws });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { items: Item[] }).items;
}

function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function walk(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('nv ingest and the rules on the reply fixtures', () => {
  let ws: string;
  let emails: Item[];

  beforeAll(() => {
    ws = exampleWorkspace().ws;
    expect(nv(['generate', '-w', ws, '--yes', '--format', 'pdf'], { cwd: ws }).code).toBe(0);
    emails = ingest(ws, [
      REPLIES + '/reply-scanned.eml',
      fx('reply-typed.eml'),
      fx('reply-docx.eml'),
      fx('new-york-2330.eml'),
      fx('vienna-2359.eml'),
      fx('bad-date.eml'),
      fx('forwarded.eml'),
      fx('hostile-names.eml'),
    ]);
  });

  const byFile = (name: string) => emails.find((i) => i.file.endsWith(name))!;

  it('a scanned note by e-mail is accepted; the typed PDF and the DOCX by e-mail are refused', () => {
    expect(byFile('reply-scanned.eml')).toMatchObject({ state: 'AUT', channel: 'email', status: 'accepted' });
    expect(byFile('reply-typed.eml')).toMatchObject({ state: 'AUT', status: 'refused' });
    expect(byFile('reply-typed.eml').documents.map((d) => d.class)).toEqual(['text-born']);
    expect(byFile('reply-docx.eml')).toMatchObject({ state: 'AUT', status: 'refused' });
    expect(byFile('reply-docx.eml').documents.map((d) => d.class)).toEqual(['office']);
  });

  it('the same typed PDF sent by fax is accepted', () => {
    // A workspace of its own: here the same bytes already came as an e-mail attachment, and the
    // same bytes twice are one reply.
    const own = exampleWorkspace().ws;
    const [fax] = ingest(own, [
      fx('typed-reply.pdf'),
      '--channel',
      'fax',
      '--state',
      'Belgium',
      '--received',
      '2012-09-20 10:00',
    ]);
    expect(fax).toMatchObject({
      state: 'BEL',
      channel: 'fax',
      status: 'accepted',
      receivedAt: '2012-09-20T10:00:00+02:00',
    });
    expect(fax!.documents.map((d) => d.class)).toEqual(['text-born']);
  });

  it('a reply sent at 23:30 New York time on the deadline day is late; 23:59 Vienna time is on time', () => {
    expect(byFile('new-york-2330.eml')).toMatchObject({
      state: 'SGP',
      status: 'late',
      receivedAt: '2012-09-25T05:30:09+02:00',
    });
    expect(byFile('vienna-2359.eml')).toMatchObject({
      state: 'DEU',
      status: 'accepted',
      receivedAt: '2012-09-24T23:59:07+02:00',
    });
  });

  it('an unreadable Date: is said, not invented: the reply waits for the clerk', () => {
    expect(byFile('bad-date.eml')).toMatchObject({ state: 'FRA', receivedAt: null, status: 'needs-review' });
  });

  it('a reply forwarded by the registry counts as the Government’s message', () => {
    expect(byFile('forwarded.eml')).toMatchObject({
      state: 'MEX',
      status: 'accepted',
      receivedAt: '2012-09-24T18:20:44+02:00',
    });
    expect(byFile('forwarded.eml').documents.map((d) => d.class)).toEqual(['scanned']);
  });

  it('nv reply show gives the measurements behind a class, page by page', () => {
    const [mixed] = ingest(ws, [
      fx('mixed-typed-scanned.pdf'),
      '--channel',
      'fax',
      '--state',
      'ITA',
      '--received',
      '2012-09-19 15:00',
    ]);
    const r = nv(['reply', 'show', String(mixed!.reply), '-w', ws], { cwd: ws });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mixed-typed-scanned.pdf: review — mixed: page 1 typed, page 2 scanned');
    expect(r.stdout).toMatch(/page 1: text-born; images cover 0\.0 %, \d{3,} visible and 0 invisible glyphs/);
    expect(r.stdout).toMatch(
      /page 2: scanned; images cover (99\.\d|100\.0) %, 0 visible and 0 invisible glyphs/,
    );
  });

  it('hostile attachment names are kept as data and never become paths', () => {
    const h = byFile('hostile-names.eml');
    expect(h.status).toBe('needs-review');
    expect(h.documents.map((d) => d.name)).toContain('../../etc/passwd');
    const files = walk(ws);
    expect(files.every((f) => resolve(f).startsWith(resolve(ws)))).toBe(true);
    expect(files.filter((f) => f.includes('passwd'))).toEqual([]);
    expect(
      files
        .filter((f) => f.includes('.nv/archive/'))
        .every((f) => /\/[0-9a-f]{2}\/[0-9a-f]{64}(\.[a-z]+)?$/.test(f)),
    ).toBe(true);
  });

  it('corrupt, empty and password-protected files are recorded replies with a finding, never a crash', () => {
    const items = ingest(ws, [
      fx('empty.pdf'),
      fx('truncated.pdf'),
      fx('encrypted-password.pdf'),
      '--channel',
      'post',
      '--state',
      'CAN',
      '--received',
      '2012-09-21 09:00',
    ]);
    expect(items.map((i) => i.documents.map((d) => d.class))).toEqual([
      ['unreadable'],
      expect.arrayContaining(['unreadable']),
      ['unreadable'],
    ]);
    // truncated.pdf came already, attached to hostile-names.eml: the same bytes are that reply.
    expect(items[1]!.result).toBe('existing');
    const v = nv(['validate', '-w', ws, '--json'], { cwd: ws });
    const findings = (JSON.parse(v.stdout) as { findings: Finding[] }).findings;
    for (const i of items)
      expect(findings.some((f) => f.rule === 'unreadable-file' && f.reply === i.reply)).toBe(true);
  });

  it('nothing is lost: after ingesting everything twice, the archive holds each original once and status counts each reply once', () => {
    const before = nv(['status', '-w', ws, '--json'], { cwd: ws });
    const replies = (JSON.parse(before.stdout) as { totals: { replies: number } }).totals.replies;
    const again = ingest(ws, [
      fx('reply-scanned.eml'),
      fx('reply-typed.eml'),
      fx('reply-docx.eml'),
      fx('new-york-2330.eml'),
      fx('vienna-2359.eml'),
      fx('bad-date.eml'),
      fx('forwarded.eml'),
      fx('hostile-names.eml'),
    ]);
    expect(again.every((i) => i.result === 'existing')).toBe(true);
    expect(again.map((i) => i.reply)).toEqual(emails.map((i) => i.reply));
    const after = JSON.parse(nv(['status', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      totals: { replies: number };
    };
    expect(after.totals.replies).toBe(replies);
    const archived = walk(join(ws, '.nv', 'archive'));
    for (const name of ['reply-scanned.eml', 'hostile-names.eml', 'typed-reply.pdf', 'forwarded.eml']) {
      const hash = sha(fx(name));
      const copies = archived.filter((f) => f.includes(hash));
      expect(copies, name).toHaveLength(1);
      expect(readFileSync(copies[0]!).equals(readFileSync(fx(name)))).toBe(true);
    }
  });

  it('nv status: one row per invited State, with the note sent and the reply that counts', () => {
    const r = nv(['status', '-w', ws, '--json'], { cwd: ws });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      rows: { state: string; status: string; notes: { reference: string }[]; reply: { id: number } | null }[];
      totals: Record<string, number>;
    };
    expect(j.rows).toHaveLength(195);
    const aut = j.rows.find((x) => x.state === 'AUT')!;
    expect(aut.status).toBe('accepted'); // the scanned copy counts, the refused typed ones do not
    expect(aut.notes.map((n) => n.reference)).toEqual(['CU 2012/150(A)/DTA/CEB/CSS']);
    expect(j.rows.find((x) => x.state === 'SGP')!.status).toBe('late');
    expect(j.rows.find((x) => x.state === 'AFG')!.status).toBe('no-reply');
    expect(
      j.totals['no-reply']! +
        j.totals.accepted! +
        j.totals.late! +
        j.totals.refused! +
        j.totals['needs-review']!,
    ).toBe(195);
  });

  it('nv status --missing lists the States to remind, and the reminder reaches exactly them', () => {
    const missing = JSON.parse(nv(['status', '-w', ws, '--missing', '--json'], { cwd: ws }).stdout) as {
      rows: { state: string }[];
    };
    const codes = missing.rows.map((r) => r.state);
    expect(codes).not.toContain('AUT');
    expect(codes).toContain('AFG');
    const g = nv(
      [
        'generate',
        '-w',
        ws,
        '--yes',
        '--json',
        '--template',
        'reminder',
        '--only-missing',
        '--format',
        'pdf',
        '--date',
        '2012-09-10',
      ],
      { cwd: ws },
    );
    expect(g.code, g.stderr).toBe(0);
    const notes = (JSON.parse(g.stdout) as { notes: { state: string }[] }).notes.map((n) => n.state);
    expect(notes.sort()).toEqual([...codes].sort());
  });

  it('an acknowledgement thanks each State whose reply counts, for its reply of that day', async () => {
    const g = nv(
      [
        'generate',
        '-w',
        ws,
        '--yes',
        '--json',
        '--template',
        'acknowledgement',
        '--only',
        'AUT,DEU',
        '--format',
        'pdf',
        '--date',
        '2012-09-26',
      ],
      { cwd: ws },
    );
    expect(g.code, g.stderr).toBe(0);
    const notes = (JSON.parse(g.stdout) as { notes: { state: string; files: string[] }[] }).notes;
    expect(notes.map((n) => n.state)).toEqual(['AUT', 'DEU']);
    const text = flat((await readPdf(join(ws, notes[0]!.files[0]!))).pages.join(' '));
    expect(text).toContain(
      "acknowledge receipt of the Government's response of 20 September 2012 to his note CU 2012/150(A)/DTA/CEB/CSS of 15 August 2012",
    );
    // A State without a reply that counts is refused by name, before anything is allocated.
    const none = nv(
      [
        'generate',
        '-w',
        ws,
        '--yes',
        '--template',
        'acknowledgement',
        '--only',
        'AFG',
        '--date',
        '2012-09-26',
      ],
      { cwd: ws },
    );
    expect(none.code).toBe(2);
  });

  it('decisions by flags: set the State, accept despite a finding with a reason; validate exits 0 only when no error remains', () => {
    const hostile = byFile('hostile-names.eml').reply;
    const set = nv(['reply', 'set', String(hostile), '--state', 'Brazil', '-w', ws, '--json'], { cwd: ws });
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ state: 'BRA', stateSource: 'clerk' });
    const noReason = nv(['reply', 'set', String(hostile), '--accept', '-w', ws], { cwd: ws });
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/A decision needs its reason/);
    const late = byFile('new-york-2330.eml').reply;
    const acc = nv(
      [
        'reply',
        'set',
        String(late),
        '--accept',
        '--reason',
        'the mission had warned us by telephone',
        '-w',
        ws,
        '--json',
      ],
      { cwd: ws },
    );
    expect(JSON.parse(acc.stdout)).toMatchObject({ status: 'accepted', decision: 'accepted' });
    const v = nv(['validate', '-w', ws, '--json'], { cwd: ws });
    const findings = (JSON.parse(v.stdout) as { findings: Finding[] }).findings;
    expect(findings.find((f) => f.rule === 'deadline' && f.reply === late)!.waived).toBe(true);
    expect(v.code).toBe(1); // other errors remain
  });
});

describe('validate and status in CI', () => {
  it('on the example workspace give stable documents and the documented exit codes', () => {
    const { ws } = exampleWorkspace();
    const v1 = nv(['validate', '-w', ws, '--json'], { cwd: ws });
    expect(v1.code).toBe(0);
    expect(JSON.parse(v1.stdout)).toEqual({
      ok: true,
      summary: { errors: 0, warnings: 0, waived: 0, strict: false },
      findings: [],
    });
    ingest(ws, [fx('reply-typed.eml'), fx('reply-scanned.eml')]);
    const v2 = nv(['validate', '-w', ws, '--json'], { cwd: ws });
    const v3 = nv(['validate', '-w', ws, '--json'], { cwd: ws });
    expect(v2.code).toBe(1);
    expect(v2.stdout).toBe(v3.stdout);
    const s1 = nv(['status', '-w', ws, '--json'], { cwd: ws });
    const s2 = nv(['status', '-w', ws, '--json'], { cwd: ws });
    expect(s1.code).toBe(0);
    expect(s1.stdout).toBe(s2.stdout);
  });

  it('a warning fails validate only with --strict; a rule can be switched off in nv.yaml', () => {
    const { ws } = exampleWorkspace();
    // A reply citing a reference the register never sent: a `reference` warning.
    const eml = readFileSync(fx('reply-scanned.eml'), 'latin1').replace(
      /^Subject: .*$/m,
      'Subject: Reply to CU 2012/149/DTA/CEB/CSS',
    );
    const dir = tempDir();
    writeFileSync(join(dir, 'reply.eml'), eml, 'latin1');
    ingest(ws, [join(dir, 'reply.eml')]);
    expect(nv(['validate', '-w', ws], { cwd: ws }).code).toBe(0);
    const strict = nv(['validate', '-w', ws, '--strict', '--json'], { cwd: ws });
    expect(strict.code).toBe(1);
    expect(
      (JSON.parse(strict.stdout) as { findings: Finding[] }).findings.map((f) => [f.rule, f.severity]),
    ).toEqual([['reference', 'warning']]);
    const yaml = readFileSync(join(ws, 'nv.yaml'), 'utf8').replace('rules: {}', 'rules:\n  reference: off');
    writeFileSync(join(ws, 'nv.yaml'), yaml);
    expect(nv(['validate', '-w', ws, '--strict'], { cwd: ws }).code).toBe(0);
  });

  it('without a terminal, a scan without --channel is refused naming the flag (exit 1), and nothing is stored', () => {
    const { ws } = exampleWorkspace();
    const r = nv(['ingest', '-w', ws, fx('fax.tif')], { cwd: ws });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /fax\.tif: it is a TIFF file, not an e-mail, so nv cannot tell how it came; pass --channel fax or --channel post/,
    );
    expect(existsSync(join(ws, '.nv', 'archive'))).toBe(false);
  });

  it('a folder with a link back up the tree is read once, without looping', () => {
    const { ws } = exampleWorkspace();
    const inbox = join(tempDir(), 'inbox');
    mkdirSync(join(inbox, 'sub'), { recursive: true });
    writeFileSync(join(inbox, 'sub', 'reply.eml'), readFileSync(fx('reply-scanned.eml')));
    symlinkSync(inbox, join(inbox, 'sub', 'loop'));
    const items = ingest(ws, [inbox]);
    expect(items.map((i) => i.result)).toEqual(['added', 'skipped']);
    expect(items[1]).toMatchObject({
      file: expect.stringMatching(/sub\/loop$/) as unknown,
      reason: expect.stringMatching(/already read/) as unknown,
    });
  });

  it('a path that does not exist is exit 2 and nothing is ingested', () => {
    const { ws } = exampleWorkspace();
    mkdirSync(join(ws, 'inbox'));
    const r = nv(['ingest', '-w', ws, fx('reply-scanned.eml'), 'inbox/nope.eml'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/inbox\/nope\.eml does not exist/);
    expect(existsSync(join(ws, '.nv', 'archive'))).toBe(false);
  });
});
