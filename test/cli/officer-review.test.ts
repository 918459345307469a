/**
 * Issue 7, a sceptical review of the officer's side: inputs a real officer produces by mistake
 * are refused with one sentence before anything is allocated or written, never taken for
 * something else with exit 0.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace, nv, tempDir } from '../helpers/cli.js';
import { flat, readPdf } from '../helpers/pdf-text.js';

/** A copy of the example workspace whose nv.yaml has `from` replaced by `to`. */
function withNvYaml(from: string | RegExp, to: string): string {
  const w = exampleWorkspace().ws;
  const path = join(w, 'nv.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace(from, to));
  return w;
}

/** The workspace's own templates/invitation.en.md. */
function writeInvitation(w: string, content: string | Buffer): void {
  mkdirSync(join(w, 'templates'), { recursive: true });
  writeFileSync(join(w, 'templates', 'invitation.en.md'), content);
}

let ws: string;
beforeAll(() => {
  ws = exampleWorkspace().ws;
});

describe('generate options that name nothing', () => {
  it('--only "" (an empty variable in a script) is refused, not read as every recipient', () => {
    for (const only of ['', ' , ']) {
      const r = nv(['-w', ws, 'generate', '--yes', '--only', only, '--json'], { cwd: ws });
      expect(r.code, r.stderr).toBe(2);
      expect(JSON.parse(r.stdout).error.message).toMatch(/^--only names no recipient/);
    }
    expect(existsSync(join(ws, 'out', 'notes'))).toBe(false);
    expect(existsSync(join(ws, '.nv', 'registry.sqlite'))).toBe(false);
  });

  it('--out "" is refused, not read as the current folder', () => {
    const r = nv(['-w', ws, 'generate', '--dry-run', '--out', ''], { cwd: ws });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--out is empty/);
  });
});

describe('reference.format in nv.yaml', () => {
  const withFormat = (format: string) => withNvYaml(/^ {2}format: .*$/m, `  format: "${format}"`);

  it('a typo\'d part ("{yr}") is refused, not printed in every reference', () => {
    const w = withFormat('{series} {yr}/{seq}{variant}/{office}');
    const r = nv(['-w', w, 'generate', '--dry-run'], { cwd: w });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/reference\.format has \{yr\}, which is not a part of a reference/);
  });

  it('a format without {variant} is refused: variants (A) and (B) would bear the same reference', () => {
    const w = withFormat('{series} {year}/{seq}/{office}');
    const r = nv(['-w', w, 'generate', '--dry-run', '--json'], { cwd: w });
    expect(r.code, r.stderr).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(/reference\.format must contain \{variant\}/);
  });
});

describe('values of nv.yaml are printed as written', () => {
  const withFax = (line: string) => withNvYaml(/^ {2}fax: .*$/m, line);

  it('a fax written +431260605841 keeps its "+" (YAML would read a number)', async () => {
    const w = withFax('  fax: +431260605841');
    const r = nv(['-w', w, 'generate', '--yes', '--only', 'AUT', '--format', 'pdf'], { cwd: w });
    expect(r.code, r.stderr).toBe(0);
    const pdf = await readPdf(join(w, 'out/notes/CU-2012-150-A/AUT-Austria.pdf'));
    expect(flat(pdf.pages.join(' '))).toContain('Fax: +431260605841,');
  });

  it('a value left blank ("fax:") is an empty value naming the key to fill in, not "Invalid input"', () => {
    const w = withFax('  fax:');
    const r = nv(['-w', w, 'generate', '--dry-run'], { cwd: w });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/\{\{values\.fax\}\} is empty; fill in values\.fax in nv\.yaml/);
  });
});

describe('a wrong value in nv.yaml is said as a sentence about its key', () => {
  it.each([
    [
      '  first: 150',
      '  first: -3',
      /^nv: nv\.yaml:\d+: reference\.first must be a whole number from 1 up\.$/m,
    ],
    [/^ {2}title: .*$/m, '  title: ""', /^nv: nv\.yaml:\d+: meeting\.title is empty; write a value\.$/m],
    [
      'rules: {}',
      'rules: {deadline: fatal}',
      /^nv: nv\.yaml:\d+: rules\.deadline must be one of error, warning, off\.$/m,
    ],
  ] as [string | RegExp, string, RegExp][])('%s → %s', (from, to, expected) => {
    const w = withNvYaml(from, to);
    const r = nv(['-w', w, 'ref', 'list'], { cwd: w });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).not.toMatch(/Too small|Invalid (input|option)|expected/);
  });
});

describe('a note dated after the deadline it prints', () => {
  it('is refused before a number is spent: an invitation of 25 September asking for a reply by 24 September', () => {
    const w = exampleWorkspace().ws;
    const r = nv(['-w', w, 'generate', '--yes', '--date', '2012-09-25'], { cwd: w });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /^nv: The invitation notes would be dated 2012-09-25 and ask for a reply not later than 2012-09-24, a day already past;/,
    );
    expect(JSON.parse(nv(['-w', w, 'ref', 'list', '--json'], { cwd: w }).stdout)).toEqual({ references: [] });
    expect(nv(['-w', w, 'generate', '--dry-run', '--date', '2012-09-24'], { cwd: w }).code).toBe(0);
  });

  it('a category no variant covers is said in good English ("in the category observer")', () => {
    const w = exampleWorkspace().ws;
    writeInvitation(
      w,
      '---\nsubject: "Invitation"\nkind: circular\nvariants:\n  A: [party, signatory]\n---\nHello {{addressee}}\n',
    );
    const r = nv(['-w', w, 'generate', '--dry-run', '--only', 'AND'], { cwd: w });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('Andorra (recipients.csv:5) is in the category observer, which no variant');
  });
});

describe('recipients.csv as Excel saves it in a French or German locale', () => {
  it('semicolons, a BOM and CRLF line ends are read, a comma inside a field stays in it', async () => {
    const w = exampleWorkspace().ws;
    const path = join(w, 'recipients.csv');
    const text = readFileSync(path, 'utf8')
      .replaceAll(',', ';')
      .replace(
        'Permanent Representative of Austria to the United Nations (Vienna)',
        'Permanent Representative of Austria, Vienna',
      )
      .replace(/\n/g, '\r\n');
    writeFileSync(path, `\uFEFF${text}`);
    const r = nv(['-w', w, 'generate', '--yes', '--only', 'AUT', '--format', 'pdf'], { cwd: w });
    expect(r.code, r.stderr).toBe(0);
    const pdf = await readPdf(join(w, 'out/notes/CU-2012-150-A/AUT-Austria.pdf'));
    expect(flat(pdf.pages.join(' '))).toContain('Permanent Representative of Austria, Vienna');
  });
});

describe('recipients.csv saved as Windows-1252', () => {
  it('is refused at the line of the first byte that is not UTF-8, never printed as "C�te d\'Ivoire"', () => {
    const w = exampleWorkspace().ws;
    const path = join(w, 'recipients.csv');
    const text = readFileSync(path, 'utf8');
    writeFileSync(
      path,
      Buffer.from(text, 'latin1').length ? Buffer.from(text.replaceAll('’', "'"), 'latin1') : '',
    );
    const line = text.slice(0, text.search(/[^\x00-\x7f]/)).split('\n').length;
    const r = nv(['-w', w, 'generate', '--yes', '--only', 'CIV', '--format', 'pdf'], { cwd: w });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`nv: recipients.csv:${line}: this line is not UTF-8 text`);
    expect(existsSync(join(w, 'out', 'notes'))).toBe(false);
  });
});

describe('a workspace template saved as Windows-1252', () => {
  it('is refused at its line by templates check and generate, never printed with "�"', () => {
    const w = exampleWorkspace().ws;
    const body =
      '---\nsubject: "Invitation"\nkind: circular\nvariants:\n  A: [party, signatory, observer, organization]\n---\nHello {{addressee}}, Réunion d’experts\n';
    writeInvitation(w, Buffer.from(body.replace('’', "'"), 'latin1'));
    for (const args of [
      ['templates', 'check'],
      ['generate', '--dry-run'],
    ]) {
      const r = nv(['-w', w, ...args], { cwd: w });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(
        'templates/invitation.en.md:7: this line is not UTF-8 text (the file was saved in another encoding, such as Windows-1252); save the file as UTF-8.',
      );
    }
  });
});

describe('nv init speaks of the flags the officer gave, not of an nv.yaml line', () => {
  const base = [
    'init',
    'ws',
    '--yes',
    '--title',
    'a meeting',
    '--start',
    '2025-12-15',
    '--end',
    '2025-12-19',
  ];
  const rest = ['--deadline', '2025-11-14', '--date', '2025-09-01'];

  it.each([
    [['--first', '0'], 'nv: --first 0 is not accepted; write a whole number from 1 up, e.g. 150.'],
    [
      ['--end', '2025-12-01'],
      "nv: --end 2025-12-01 is before --start 2025-12-15; give the meeting's last day.",
    ],
  ])('%s', (flags, expected) => {
    const dir = tempDir();
    const r = nv([...base, ...rest, ...flags], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toBe(expected);
    expect(existsSync(join(dir, 'ws'))).toBe(false);
  });
});

describe("a template's front matter with a wrong value", () => {
  it("is said as a sentence about the key, not in zod's words", () => {
    const w = exampleWorkspace().ws;
    writeInvitation(
      w,
      '---\nsubject: "Invitation"\nkind: circulr\nvariants:\n  A: [party, signatory, observer, organisation]\n---\nHello\n',
    );
    const r = nv(['-w', w, 'templates', 'check'], { cwd: w });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      'templates/invitation.en.md:3: front matter kind must be one of circular, individual.',
    );
    expect(r.stderr).toContain(
      'templates/invitation.en.md:4: front matter variants.A.3 must be one of party, signatory, observer, organization.',
    );
    expect(r.stderr).not.toMatch(/Invalid option|expected one of/);
  });
});

describe('a deadline-change that changes nothing', () => {
  it('meeting.previous_deadline equal to meeting.deadline is refused, not "changed from 24 September 2012 to 24 September 2012"', () => {
    const w = withNvYaml('  deadline: 2012-09-24', '  deadline: 2012-09-24\n  previous_deadline: 2012-09-24');
    const r = nv(
      ['-w', w, 'generate', '--template', 'deadline-change', '--dry-run', '--date', '2012-09-10'],
      {
        cwd: w,
      },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /^nv: nv\.yaml:\d+: meeting\.previous_deadline is the same day as meeting\.deadline;/,
    );
  });
});
