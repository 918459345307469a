/**
 * Issue 7, "The officer": what a note says is what the officer meant, or nv stops before a
 * number is spent. Driven through the built CLI; the documents and the register are read back.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace, nv, ROOT, tempDir } from '../helpers/cli.js';
import { flat, readPdf } from '../helpers/pdf-text.js';

function docxXml(path: string, part = 'word/document.xml'): string {
  return strFromU8(unzipSync(readFileSync(path))[part]!);
}

function register<T>(ws: string, sql: string): T[] {
  const db = new Database(join(ws, '.nv', 'registry.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

function ok(ws: string, args: string[]): string {
  const r = nv(['-w', ws, ...args], { cwd: ws });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

describe('the date a note bears is the date it is generated for', () => {
  let ws: string;

  beforeAll(() => {
    ws = exampleWorkspace().ws;
    ok(ws, ['generate', '--yes', '--only', 'AUT,BEL', '--format', 'pdf']);
    ok(ws, ['generate', '--yes', '--template', 'reminder', '--only', 'AUT', '--date', '2012-09-10']);
  });

  it('a reminder generated with --date 2012-09-10 says 10 September 2012 in its PDF text and metadata', async () => {
    const pdf = await readPdf(join(ws, 'out/notes/CU-2012-151/AUT-Austria.pdf'));
    const text = flat(pdf.pages.join(' '));
    // The date line, just before the footer; 15 August 2012 (notes.date) only as the invitation's date.
    expect(text).toContain('10 September 2012 Making the world safer');
    expect(text.match(/15 August 2012/g)).toHaveLength(1);
    expect(text).toContain('his note CU 2012/150(A)/DTA/CEB/CSS of 15 August 2012');
    expect(String(pdf.info.CreationDate)).toMatch(/^D:20120910/);
  });

  it('its DOCX says the same, in the text and in the core properties', () => {
    const file = join(ws, 'out/notes/CU-2012-151/AUT-Austria.docx');
    const xml = docxXml(file).replace(/\u00A0/g, ' '); // dates hold no-break spaces ("10 September")
    expect(xml).toContain('>10 September 2012<');
    expect(xml.match(/15 August 2012/g)).toHaveLength(1);
    expect(docxXml(file, 'docProps/core.xml')).toContain('2012-09-10T00:00:00Z</dcterms:created>');
  });

  it('the register records the same date', () => {
    expect(register<{ date: string }>(ws, "SELECT date FROM dispatches WHERE template = 'reminder'")).toEqual(
      [{ date: '2012-09-10' }],
    );
  });

  it('a note dated before the invitation it refers to is refused before a number is spent', () => {
    const r = nv(
      ['-w', ws, 'generate', '--yes', '--template', 'reminder', '--only', 'BEL', '--date', '2012-08-01'],
      {
        cwd: ws,
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Belgium (recipients.csv:');
    expect(r.stderr).toContain('give --date 2012-08-15 or later');
    expect(register(ws, "SELECT * FROM dispatches WHERE template = 'reminder'")).toHaveLength(1);
  });
});

describe('a placeholder whose value is empty stops nv before a number is spent', () => {
  let ws: string;

  beforeAll(() => {
    ws = exampleWorkspace().ws;
    const yaml = join(ws, 'nv.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^ {2}fax: .*$/m, '  fax: ""'));
  });

  it('templates check names values.fax for each template that uses it', () => {
    const r = nv(['-w', ws, 'templates', 'check'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'templates/invitation.en.md (built-in), line 33: {{values.fax}} is empty; fill in values.fax in nv.yaml',
    );
    expect(r.stderr).toMatch(/reminder\.en\.md \(built-in\), line \d+: \{\{values\.fax\}\} is empty/);
    expect(r.stderr).not.toContain('acknowledgement.en.md'); // it has no fax
  });

  it('generate --dry-run and generate refuse with the key to fill in, and allocate nothing', () => {
    for (const args of [['--dry-run'], ['--yes']]) {
      const r = nv(['-w', ws, 'generate', ...args], { cwd: ws });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('fill in values.fax in nv.yaml');
      expect(r.stderr).not.toMatch(/\n.*\n.*\n.*\n/); // one sentence (and a hint), not one per recipient
    }
    expect(
      existsSync(join(ws, '.nv', 'registry.sqlite')) ? register(ws, 'SELECT * FROM dispatches') : [],
    ).toEqual([]);
  });

  it('a template may mark the placeholder optional in its front matter', () => {
    mkdirSync(join(ws, 'templates'), { recursive: true });
    writeFileSync(
      join(ws, 'templates', 'notice.en.md'),
      '---\nsubject: Notice\nkind: individual\noptional: [values.fax]\n---\nTo the {{addressee}}. Fax: {{values.fax}}\n',
    );
    expect(nv(['-w', ws, 'templates', 'check', 'notice'], { cwd: ws }).code).toBe(0);
    const r = nv(
      ['-w', ws, 'generate', '--yes', '--template', 'notice', '--only', 'AUT', '--format', 'pdf'],
      {
        cwd: ws,
      },
    );
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('everything is checked before a number is allocated', () => {
  const allocations = (ws: string) => {
    const list = JSON.parse(ok(ws, ['ref', 'list', '--json'])) as { references: unknown[] };
    const log = JSON.parse(ok(ws, ['ref', 'log', '--json'])) as { entries: { action: string }[] };
    return {
      references: list.references.length,
      allocations: log.entries.filter((e) => e.action === 'allocate').length,
    };
  };

  it.each([
    ['a damaged enclosure', 'truncated.pdf', 'it is not a readable PDF (damaged at byte'],
    ['an encrypted enclosure', 'encrypted-password.pdf', 'it is encrypted (password-protected)'],
    ['a file that is not a PDF', 'empty.pdf', 'it is not a readable PDF'],
  ])('%s: exit 2, one sentence naming the file, nothing allocated', (_, fixture, reason) => {
    const { ws } = exampleWorkspace();
    copyFileSync(
      join(ROOT, 'fixtures', 'replies', fixture),
      join(ws, 'attachments', 'information-for-participants.pdf'),
    );
    for (const args of [['--dry-run'], ['--yes', '--only', 'AUT']]) {
      const r = nv(['-w', ws, 'generate', ...args], { cwd: ws });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(
        'The enclosure attachments/information-for-participants.pdf of the template "invitation" cannot be appended to the notes: ' +
          reason,
      );
      expect(r.stderr).not.toMatch(/internal error|at file:/);
    }
    expect(allocations(ws)).toEqual({ references: 0, allocations: 0 });
    expect(existsSync(join(ws, 'out', 'notes'))).toBe(false);
    const check = nv(['-w', ws, 'templates', 'check', 'invitation'], { cwd: ws });
    expect(check.code).toBe(2);
    expect(check.stderr).toContain(
      'templates/invitation.en.md (built-in): the attachment attachments/information-for-participants.pdf cannot be appended to the notes: ' +
        reason,
    );
  });

  it('a character no font can draw (Tibetan: in none of Tinos, Amiri, Noto Serif SC) is named with its code point, recipient and line, before allocation', () => {
    const { ws } = exampleWorkspace();
    const csv = join(ws, 'recipients.csv');
    writeFileSync(
      csv,
      readFileSync(csv, 'utf8').replace(
        'Permanent Representative of Austria',
        'Permanent Representative of Austria ཀ',
      ),
    );
    const line =
      readFileSync(csv, 'utf8')
        .split('\n')
        .findIndex((l) => l.startsWith('AUT,')) + 1;
    const r = nv(['-w', ws, 'generate', '--yes'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `The note to Austria would print "ཀ" (U+0F40), from recipients.csv:${line}, which none of the PDF's fonts (Tinos, Amiri and Noto Serif SC) can draw`,
    );
    expect(allocations(ws)).toEqual({ references: 0, allocations: 0 });
    // The DOCX alone draws nothing with nv's font: it is generated.
    expect(nv(['-w', ws, 'generate', '--yes', '--format', 'docx', '--only', 'AUT'], { cwd: ws }).code).toBe(
      0,
    );
  });

  it('a character of nv.yaml that every note prints is one sentence naming its line, not one per note', () => {
    const { ws } = exampleWorkspace();
    const yaml = join(ws, 'nv.yaml');
    writeFileSync(
      yaml,
      readFileSync(yaml, 'utf8').replace('place: Vienna, Austria', 'place: Vienna, Austria 😀'),
    );
    const line =
      readFileSync(yaml, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('😀')) + 1;
    const r = nv(['-w', ws, 'generate', '--dry-run'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      `The note to Afghanistan (and 194 other note(s)) would print "😀" (U+1F600), from nv.yaml:${line}, which none of the PDF's fonts (Tinos, Amiri and Noto Serif SC) can draw`,
    );
  });
});

describe('a register whose counter was set back by hand', () => {
  it('is exit 2 before allocation, with the nv ref set-next that fixes it', () => {
    const { ws } = exampleWorkspace();
    const reminder = (date: string) => [
      'generate',
      '--template',
      'reminder',
      '--only',
      'AUT',
      '--date',
      date,
    ];
    ok(ws, ['generate', '--yes', '--only', 'AUT', '--format', 'pdf']);
    ok(ws, [...reminder('2012-09-10'), '--yes', '--format', 'pdf']);
    const db = new Database(join(ws, '.nv', 'registry.sqlite'));
    db.prepare('UPDATE counters SET next = 150').run();
    db.close();
    for (const args of [['--dry-run'], ['--yes']]) {
      const r = nv(['-w', ws, ...reminder('2012-09-11'), ...args], { cwd: ws });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('CU 2012/151 is already allocated');
      expect(r.stderr).toContain('run "nv ref set-next 152" and generate again');
      expect(r.stderr).not.toMatch(/UNIQUE|internal error/);
    }
    ok(ws, ['ref', 'set-next', '152']);
    ok(ws, [...reminder('2012-09-11'), '--yes', '--format', 'pdf']);
    expect(register<{ seq: number }>(ws, 'SELECT seq FROM dispatches ORDER BY seq')).toEqual([
      { seq: 150 },
      { seq: 151 },
      { seq: 152 },
    ]);
  });
});

describe('reminders with --only-missing and a refused reply', () => {
  interface PlanJson {
    notes: number;
    refusedReplies: { state: string; name: string; received: string | null; why: string }[];
    leftOut: { state: string; reason: string }[];
  }
  let ws: string;

  beforeAll(() => {
    ws = exampleWorkspace().ws;
    ok(ws, ['generate', '--yes', '--only', 'AUT,BEL,DEU', '--format', 'pdf']);
    // Austria: a typed note by e-mail of 21 September (refused); Germany: a scanned one (accepted).
    const replies = join(ROOT, 'fixtures', 'replies');
    const r = nv(
      ['-w', ws, 'ingest', '--json', join(replies, 'reply-typed.eml'), join(replies, 'vienna-2359.eml')],
      {
        cwd: ws,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const items = (JSON.parse(r.stdout) as { items: { state: string; status: string }[] }).items;
    expect(items.map((i) => [i.state, i.status])).toEqual([
      ['AUT', 'refused'],
      ['DEU', 'accepted'],
    ]);
  });

  const args = [
    'generate',
    '--template',
    'reminder',
    '--only',
    'AUT,BEL,DEU',
    '--only-missing',
    '--date',
    '2012-09-24',
  ];

  it('the plan says which State gets the text for a refused reply, and why', () => {
    const plan = JSON.parse(ok(ws, [...args, '--dry-run', '--json'])) as PlanJson;
    expect(plan.notes).toBe(2); // Austria and Belgium; Germany replied
    expect(plan.refusedReplies).toEqual([
      {
        state: 'AUT',
        name: 'Austria',
        reply: 1,
        received: '2012-09-21',
        why: 'e-mailed without a scanned copy of the note',
      },
    ]);
    // Germany, named with --only, has replied: left out, and said.
    expect(plan.leftOut).toEqual([
      { state: 'DEU', name: 'Germany', reason: 'it has replied (received 2012-09-24)' },
    ]);
    const human = nv(['-w', ws, ...args, '--dry-run'], { cwd: ws });
    expect(human.stderr).toContain('Austria: its reply #1 of 2012-09-21 was refused');
  });

  it('Austria is told what came, when, why it was refused and how to send it; Belgium that nothing came', async () => {
    const out = JSON.parse(ok(ws, [...args, '--format', 'pdf', '--yes', '--json'])) as {
      notes: { state: string; files: string[] }[];
      refusedReplies: unknown[];
    };
    expect(out.notes.map((n) => n.state).sort()).toEqual(['AUT', 'BEL']);
    expect(out.refusedReplies).toHaveLength(1);
    const text = async (state: string) =>
      flat((await readPdf(join(ws, out.notes.find((n) => n.state === state)!.files[0]!))).pages.join(' '));
    const aut = await text('AUT');
    expect(aut).not.toContain('has not yet received');
    expect(aut).toContain(
      'acknowledges receipt, on 21 September 2012, of a communication from the Government sent by e-mail',
    );
    expect(aut).toContain(
      'could not be accepted, as only scanned copies of notes verbales are accepted by e-mail',
    );
    expect(aut).toContain('as a scanned copy of the signed note verbale to e-mail: UNCAC.COP@unodc.org');
    const bel = await text('BEL');
    expect(bel).toContain('The Secretariat has not yet received information on the composition');
    expect(bel).not.toContain('could not be accepted');
  });

  it('an acknowledgement bears the date it is generated for, never one before the reply', async () => {
    const early = nv(
      ['-w', ws, 'generate', '--template', 'acknowledgement', '--date', '2012-09-20', '--yes'],
      { cwd: ws },
    );
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('The reply of Germany (recipients.csv:');
    expect(early.stderr).toContain('give --date 2012-09-24 or later');
    const out = JSON.parse(
      ok(ws, [
        'generate',
        '--template',
        'acknowledgement',
        '--date',
        '2012-09-27',
        '--format',
        'pdf',
        '--yes',
        '--json',
      ]),
    ) as { notes: { state: string; files: string[] }[] };
    expect(out.notes.map((n) => n.state)).toEqual(['DEU']); // Austria's reply was refused
    const text = flat((await readPdf(join(ws, out.notes[0]!.files[0]!))).pages.join(' '));
    expect(text).toContain("acknowledge receipt of the Government's response of 24 September 2012");
    expect(text).toContain('27 September 2012 Making the world safer');
  });

  it('a workspace reminder with no text for a refused reply leaves the State out and says why', () => {
    mkdirSync(join(ws, 'templates'), { recursive: true });
    writeFileSync(
      join(ws, 'templates', 'reminder.en.md'),
      '---\nsubject: Reminder\nkind: individual\naudience: missing\n---\nTo the {{addressee}}: the Secretariat has not yet received information.\n',
    );
    const plan = JSON.parse(
      ok(ws, [
        'generate',
        '--template',
        'reminder',
        '--only',
        'AUT,BEL,DEU',
        '--date',
        '2012-09-26',
        '--dry-run',
        '--json',
      ]),
    ) as PlanJson;
    expect(plan.notes).toBe(1);
    expect(plan.leftOut).toContainEqual({
      state: 'AUT',
      name: 'Austria',
      reason:
        'its reply (#1 of 2012-09-21) was refused: e-mailed without a scanned copy of the note; templates/reminder.en.md has no text for a refused reply (a "::: if refusal.reason" section)',
    });
  });
});

/** Whether this machine lets the tests mount a small tmpfs (root in a container that permits it). */
function canMountTmpfs(): boolean {
  const dir = tempDir('nv-mount-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!canMountTmpfs())('a disk that fills up while generating (a real tmpfs)', () => {
  let ws: string;
  let out: string;
  afterAll(() => {
    spawnSync('umount', [out]);
  });

  it('is exit 2 with one sentence (folder, how much more), and the next run completes the batch', () => {
    ws = exampleWorkspace().ws;
    out = tempDir('nv-full-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=300k', 'tmpfs', out]);
    const states = 'AUT,BEL,DEU,FRA,ITA,ESP,MEX,SGP,JPN,CAN';
    const args = ['generate', '--yes', '--only', states, '--format', 'pdf', '--out', out];
    const full = nv(['-w', ws, ...args], { cwd: ws });
    expect(full.code).toBe(2);
    expect(full.stderr.trim().split('\n')).toHaveLength(1);
    expect(full.stderr).toMatch(
      new RegExp(
        `^nv: The disk holding ${out} is full \\([\\d.]+ (bytes|KB|MB) free\\): about [\\d.]+ (KB|MB) more are needed for the \\d+ file\\(s\\) not yet written\\. Free some space there`,
      ),
    );
    expect(full.stderr).toContain('run the same command again: it completes CU 2012/150(A)/DTA/CEB/CSS');
    expect(full.stderr).not.toMatch(/internal error|SqliteError|at file:/);

    execFileSync('mount', ['-o', 'remount,size=8m', out]);
    const again = JSON.parse(ok(ws, [...args, '--json'])) as { totals: { allocated: number; notes: number } };
    expect(again.totals).toMatchObject({ allocated: 0, notes: 10 });
    const files = readdirSync(join(out, 'CU-2012-150-A'));
    expect(files.filter((f) => f.endsWith('.pdf'))).toHaveLength(10);
    expect(files.filter((f) => f.startsWith('.nv-tmp'))).toEqual([]);
    expect(register(ws, 'SELECT * FROM dispatches')).toHaveLength(1);
  });

  it('DOCX and PDF of a real batch (written by the second thread): the same sentence, and every file the register records is the file on disk', () => {
    const w = exampleWorkspace().ws;
    const dir = tempDir('nv-full2-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=700k', 'tmpfs', dir]);
    try {
      // 20 notes, above the batch size where DOCX rendering and all writing move to a second thread.
      const states = 'AUT,BEL,DEU,FRA,ITA,ESP,MEX,SGP,JPN,CAN,BRA,CHL,DNK,FIN,GRC,IND,KEN,NOR,PER,SWE';
      const args = ['generate', '--yes', '--only', states, '--format', 'docx,pdf', '--out', dir];
      const full = nv(['-w', w, ...args], { cwd: w });
      expect(full.code, full.stderr).toBe(2);
      expect(full.stderr.trim().split('\n')).toHaveLength(1);
      expect(full.stderr).toMatch(
        new RegExp(
          `^nv: The disk holding ${dir} is full \\([\\d.]+ (bytes|KB|MB) free\\): about [\\d.]+ (KB|MB) more are needed for the \\d+ file\\(s\\) not yet written\\.`,
        ),
      );
      expect(full.stderr).not.toMatch(/internal error|notes failed|at file:/);
      // What the register holds as written is on disk with those bytes.
      const recorded = register<{ files: string }>(w, 'SELECT files FROM notes WHERE written_at IS NOT NULL');
      expect(recorded.length).toBeLessThan(20);
      for (const r of recorded)
        for (const [file, hash] of Object.entries(JSON.parse(r.files) as Record<string, string>))
          expect(
            createHash('sha256')
              .update(readFileSync(resolve(w, file)))
              .digest('hex'),
          ).toBe(hash);

      execFileSync('mount', ['-o', 'remount,size=8m', dir]);
      const again = JSON.parse(ok(w, [...args, '--json'])) as {
        totals: { allocated: number; notes: number };
      };
      expect(again.totals).toMatchObject({ allocated: 0, notes: 20 });
      const files = readdirSync(join(dir, 'CU-2012-150-A'));
      expect(files.filter((f) => f.endsWith('.pdf'))).toHaveLength(20);
      expect(files.filter((f) => f.endsWith('.docx'))).toHaveLength(20);
      expect(files.filter((f) => f.startsWith('.nv-tmp'))).toEqual([]);
      const third = JSON.parse(ok(w, [...args, '--json'])) as {
        totals: { written: number; unchanged: number };
      };
      expect(third.totals).toMatchObject({ written: 0, unchanged: 20 });
    } finally {
      spawnSync('umount', [dir]);
    }
  });
});

describe.skipIf(!canMountTmpfs())('a register whose disk fills up (a real tmpfs under .nv)', () => {
  const mounted: string[] = [];
  afterAll(() => {
    for (const m of mounted) spawnSync('umount', [m]);
  });

  it(
    'at every size: exit 0 or 2 (never an internal error), and the next run completes under one number',
    {
      timeout: 300_000,
    },
    () => {
      const { ws } = exampleWorkspace();
      ok(ws, ['ref', 'list']); // creates the register
      const state = join(ws, '.nv');
      const saved = tempDir('nv-register-');
      execFileSync('cp', ['-a', `${state}/.`, saved]);
      const only = 'AUT,BEL,DEU,FRA,ITA,ESP,MEX,SGP,JPN,CAN,BRA,IND,CHN,NGA,EGY,KEN';
      const args = ['generate', '--yes', '--only', only, '--format', 'pdf'];
      const seen = new Set<string>();
      // From a disk that cannot even take the allocation, page by page, to one that takes the batch.
      // (Below the register's own size plus a little, SQLite cannot even open it: not this test's case.)
      const start = Math.ceil(statSync(join(saved, 'registry.sqlite')).size / 4096) * 4;
      for (let kb = start; kb <= start + 512 && !seen.has('done'); kb += 4) {
        execFileSync('rm', ['-rf', join(ws, 'out')]);
        execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', state]);
        mounted.push(state);
        execFileSync('cp', ['-a', `${saved}/.`, state]);
        const r = nv(['-w', ws, ...args], { cwd: ws });
        expect([0, 2], `${kb} KB: ${r.stderr}`).toContain(r.code);
        expect(r.stderr).not.toMatch(/internal error|SqliteError|at file:/);
        if (r.code === 0) seen.add('done');
        if (r.code !== 0) {
          expect(r.stderr, `${kb} KB`).toMatch(/^nv: The disk holding \S*\.nv is full/);
          execFileSync('mount', ['-o', 'remount,size=8m', state]);
          // Whether the number was spent before the disk filled: the register says (read once
          // there is room again: SQLite needs some to open a WAL database even for reading).
          const recorded = register<{ seq: number }>(ws, 'SELECT seq FROM dispatches').length;
          seen.add(recorded === 0 ? 'before' : 'after');
          const again = JSON.parse(ok(ws, [...args, '--json'])) as { totals: { notes: number } };
          expect(again.totals.notes).toBe(16);
        }
        expect(register<{ seq: number }>(ws, 'SELECT seq FROM dispatches')).toEqual([{ seq: 150 }]);
        execFileSync('umount', [state]);
        mounted.pop();
      }
      // Both cases were met: full before the allocation, and full after it (recording the notes).
      expect([...seen].sort()).toEqual(['after', 'before', 'done']);
    },
  );
});
