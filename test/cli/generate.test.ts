import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  chmodSync,
  appendFileSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace, nv, nvAsync, tempDir } from '../helpers/cli.js';
import { SEED_COMPARE, SEED_NOTE } from '../helpers/fixtures.js';
import { flat, readPdf } from '../helpers/pdf-text.js';

interface GenJson {
  references: { reference: string; variant: string; allocated: boolean; notes: number }[];
  notes: {
    state: string;
    name: string;
    variant: string;
    reference: string;
    status: string;
    files: string[];
  }[];
  totals: { notes: number; written: number; unchanged: number; files: number; allocated: number };
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

function dispatchCount(ws: string): number {
  const file = join(ws, '.nv', 'registry.sqlite');
  if (!existsSync(file)) return 0;
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM dispatches').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const SEED = SEED_NOTE;

describe('nv generate on the uncac-2012 example', () => {
  let ws: string;
  let gen: GenJson;

  beforeAll(() => {
    ws = exampleWorkspace().ws;
    const r = nv(['generate', '-w', ws, '--yes', '--json'], { cwd: ws });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    gen = JSON.parse(r.stdout) as GenJson;
  });

  it('writes 195 DOCX and 195 PDF, under (A) for the 173 parties and signatories and (B) for the 22 others', () => {
    const files = listFiles(join(ws, 'out', 'notes'));
    expect(files.filter((f) => f.endsWith('.pdf'))).toHaveLength(195);
    expect(files.filter((f) => f.endsWith('.docx'))).toHaveLength(195);
    expect(gen.references).toEqual([
      { reference: 'CU 2012/150(A)/DTA/CEB/CSS', variant: 'A', allocated: true, notes: 173 },
      { reference: 'CU 2012/150(B)/DTA/CEB/CSS', variant: 'B', allocated: true, notes: 22 },
    ]);
    expect(gen.notes.filter((n) => n.reference === 'CU 2012/150(A)/DTA/CEB/CSS')).toHaveLength(173);
    expect(gen.notes.find((n) => n.state === 'AUT')!.files).toEqual([
      'out/notes/CU-2012-150-A/AUT-Austria.docx',
      'out/notes/CU-2012-150-A/AUT-Austria.pdf',
    ]);
    expect(gen.notes.find((n) => n.state === 'AND')!.reference).toBe('CU 2012/150(B)/DTA/CEB/CSS');
    expect(gen.totals).toEqual({ notes: 195, written: 195, unchanged: 0, files: 390, allocated: 1 });
  });

  it("the PDF note to Austria carries the seed's text in order, with the addressee, reference and date", async () => {
    const pdf = await readPdf(join(ws, 'out/notes/CU-2012-150-A/AUT-Austria.pdf'));
    const text = pdf.pages.join('\n');
    const note = join(tempDir(), 'aut.txt');
    writeFileSync(note, text);
    const r = spawnSync('python3', [SEED_COMPARE, SEED, note], {
      encoding: 'utf8',
    });
    expect(r.stdout).toMatch(/the note carries 0\.9[89]\d|the note carries 1\.000/);
    expect(r.status).toBe(0);
    expect(flat(text)).toContain(
      'presents his compliments to the Permanent Representative of Austria to the United Nations (Vienna) and has the honour',
    );
    expect(flat(text)).toContain('Reference: CU 2012/150(A)/DTA/CEB/CSS');
    expect(pdf.info.Title).toBe('Note verbale CU 2012/150(A)/DTA/CEB/CSS – Austria');
    expect(pdf.info.Author).toBe('United Nations Office on Drugs and Crime');
    expect(pdf.info.Language).toBe('en');
  });

  it('the meeting dates and the deadline are bold in the PDF and in the DOCX', async () => {
    const pdf = await readPdf(join(ws, 'out/notes/CU-2012-150-A/AUT-Austria.pdf'));
    const boldText = flat(
      pdf.items
        .filter((i) => /Bold/.test(i.font))
        .map((i) => i.str)
        .join(' '),
    );
    expect(boldText).toContain('22 to 23 October 2012');
    expect(boldText).toContain('24 September 2012');
    const regular = flat(
      pdf.items
        .filter((i) => !/Bold/.test(i.font))
        .map((i) => i.str)
        .join(' '),
    );
    expect(regular).not.toContain('24 September 2012');

    const docx = unzipSync(readFileSync(join(ws, 'out/notes/CU-2012-150-A/AUT-Austria.docx')));
    const xml = strFromU8(docx['word/document.xml']!);
    const boldRuns = [
      ...xml.matchAll(/<w:r>(?:(?!<\/w:r>).)*<w:b\/>(?:(?!<\/w:r>).)*<w:t[^>]*>([^<]*)<\/w:t>/gs),
    ].map((m) => m[1]!.replace(/\u00A0/g, ' ')); // dates hold no-break spaces ("23 October")
    expect(boldRuns).toContain('22 to 23 October 2012');
    expect(boldRuns).toContain('24 September 2012');
    expect(xml).toMatch(/<w:pStyle w:val="NoteBody"\/>/);
    expect((xml.match(/<w:p[ >]/g) ?? []).length).toBeGreaterThan(10);
    expect(xml).not.toMatch(/<w:txbxContent/);
  });

  it('variant (B) invites the State as an observer', async () => {
    const pdf = await readPdf(join(ws, 'out/notes/CU-2012-150-B/AND-Andorra.pdf'));
    const text = flat(pdf.pages.join(' '));
    expect(text).toContain('Reference: CU 2012/150(B)/DTA/CEB/CSS');
    expect(text).toContain('is cordially invited to participate as an observer');
    expect(text).toContain('Permanent Representative of Andorra to the United Nations (Vienna)');
  });

  it("names such as Côte d'Ivoire extract exactly; a 2012 note names Turkey, not Türkiye", async () => {
    const civ = await readPdf(join(ws, 'out/notes/CU-2012-150-A/CIV-Cote-dIvoire.pdf'));
    expect(flat(civ.pages.join(' '))).toContain(
      "Permanent Representative of Côte d'Ivoire to the United Nations",
    );
    expect(civ.info.Title).toBe("Note verbale CU 2012/150(A)/DTA/CEB/CSS – Côte d'Ivoire");
    // The UN names of the notes' date (data/un-state-names.csv): Turkey until June 2022.
    const tur = await readPdf(join(ws, 'out/notes/CU-2012-150-A/TUR-Turkey.pdf'));
    expect(flat(tur.pages.join(' '))).toContain('Permanent Representative of Turkey to the United Nations');
    expect(tur.info.Title).toBe('Note verbale CU 2012/150(A)/DTA/CEB/CSS – Turkey');
    expect(flat(tur.pages.join(' '))).not.toContain('Türkiye');
    const cze = await readPdf(join(ws, 'out/notes/CU-2012-150-A/CZE-Czech-Republic.pdf'));
    expect(flat(cze.pages.join(' '))).toContain(
      'Permanent Representative of the Czech Republic to the United Nations',
    );
  });

  it('every PDF passes qpdf --check and has every font embedded; the enclosures are appended', () => {
    const pdfs = listFiles(join(ws, 'out', 'notes')).filter((f) => f.endsWith('.pdf'));
    for (const f of pdfs) {
      const q = spawnSync('qpdf', ['--check', f], { encoding: 'utf8' });
      expect(q.status, `${f}: ${q.stdout}${q.stderr}`).toBe(0);
    }
    for (const f of pdfs.slice(0, 20)) {
      const out = execFileSync('pdffonts', [f], { encoding: 'utf8' });
      const rows = out.trim().split('\n').slice(2);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row, `${f}: ${row}`).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+$/);
    }
    const info = execFileSync('pdfinfo', [join(ws, 'out/notes/CU-2012-150-A/AUT-Austria.pdf')], {
      encoding: 'utf8',
    });
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBeGreaterThanOrEqual(4); // 2-page note + 2 enclosures
  });

  it('a second run allocates nothing and rewrites nothing', () => {
    const files = listFiles(join(ws, 'out', 'notes'));
    const before = new Map(files.map((f) => [f, statSync(f).mtimeMs]));
    const r = nv(['generate', '-w', ws, '--yes', '--json'], { cwd: ws });
    expect(r.code).toBe(0);
    const again = JSON.parse(r.stdout) as GenJson;
    expect(again.totals).toEqual({ notes: 195, written: 0, unchanged: 195, files: 0, allocated: 0 });
    expect(again.references.every((x) => !x.allocated)).toBe(true);
    for (const [f, m] of before) expect(statSync(f).mtimeMs).toBe(m);
    expect(dispatchCount(ws)).toBe(1);
  });

  it('a deleted or altered file is written again under the same number', () => {
    const pdf = join(ws, 'out/notes/CU-2012-150-A/AUT-Austria.pdf');
    const original = readFileSync(pdf);
    appendFileSync(pdf, 'tampered');
    const r = nv(['generate', '-w', ws, '--yes', '--json', '--only', 'AUT'], { cwd: ws });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as GenJson;
    expect(j.totals.written).toBe(1);
    expect(j.notes[0]!.reference).toBe('CU 2012/150(A)/DTA/CEB/CSS');
    expect(readFileSync(pdf).equals(original)).toBe(true);
  });

  it('nv ref list shows the one number and its variants', () => {
    const r = nv(['ref', 'list', '-w', ws, '--json'], { cwd: ws });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      references: { references: string[]; notes: number; status: string }[];
    };
    expect(j.references).toEqual([
      expect.objectContaining({
        references: ['CU 2012/150(A)/DTA/CEB/CSS', 'CU 2012/150(B)/DTA/CEB/CSS'],
        notes: 195,
        status: 'active',
      }),
    ]);
  });
});

describe('nv generate --dry-run', () => {
  it('checks everything and shows the plan; allocates and writes nothing', () => {
    const { ws } = exampleWorkspace();
    const r = nv(['generate', '-w', ws, '--dry-run', '--json'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      dryRun: true,
      template: 'invitation',
      kind: 'circular',
      date: '2012-08-15',
      notes: 195,
      formats: ['docx', 'pdf'],
      out: 'out/notes',
      toAllocate: 1,
      references: [
        {
          references: ['CU 2012/150(A)/DTA/CEB/CSS', 'CU 2012/150(B)/DTA/CEB/CSS'],
          existing: false,
          notes: 195,
        },
      ],
      refusedReplies: [],
      leftOut: [],
      languages: [
        {
          language: 'en',
          template: 'templates/invitation.en.md (built-in)',
          notes: 195,
          recipients: expect.any(Array),
        },
      ],
    });
    expect(dispatchCount(ws)).toBe(0);
    expect(listFiles(join(ws, 'out'))).toEqual([]);
  });
});

describe('generation is reproducible', () => {
  it('the same inputs give byte-identical files, in two workspaces', () => {
    const a = exampleWorkspace().ws;
    const b = exampleWorkspace().ws;
    for (const w of [a, b]) {
      const r = nv(['generate', '-w', w, '--yes', '--only', 'AUT,RUS,CIV'], {
        cwd: w,
        env: { SOURCE_DATE_EPOCH: '1345000000' },
      });
      expect(r.code, r.stderr).toBe(0);
    }
    const fa = listFiles(join(a, 'out')).map((f) => f.slice(a.length));
    expect(fa).toHaveLength(6);
    for (const f of fa) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
  });
});

describe('bad input: exit 2, one clear sentence, nothing allocated', () => {
  function expectRefused(ws: string, args: string[], message: RegExp) {
    const r = nv(['generate', '-w', ws, '--yes', ...args], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(dispatchCount(ws)).toBe(0);
    expect(listFiles(join(ws, 'out'))).toEqual([]);
  }

  it('an unknown placeholder in a workspace template names file:line and the names that exist', () => {
    const { ws } = exampleWorkspace();
    const t = readFileSync(join(import.meta.dirname, '../../templates/invitation.en.md'), 'utf8');
    writeFileSync(join(ws, 'templates', 'invitation.en.md'), t.replace('{{deadline}}', '{{dedline}}'));
    expectRefused(
      ws,
      [],
      /templates\/invitation\.en\.md:\d+: unknown placeholder \{\{dedline\}\}; the names that exist are .*deadline/,
    );
  });

  it('a recipient without a template in its language', () => {
    const { ws } = exampleWorkspace();
    const csv = readFileSync(join(ws, 'recipients.csv'), 'utf8').replace(
      'FRA,France,party,,,Permanent Representative of France to the United Nations (Vienna),en,',
      'FRA,France,party,,,Représentant permanent de la France auprès de l’Organisation des Nations Unies (Vienne),fr,',
    );
    writeFileSync(join(ws, 'recipients.csv'), csv);
    expectRefused(
      ws,
      [],
      /France \(recipients\.csv:\d+\) is to be written to in "fr", but there is no template invitation\.fr\.md/,
    );
  });

  it('an invalid nv.yaml names the line', () => {
    const { ws } = exampleWorkspace();
    const y = readFileSync(join(ws, 'nv.yaml'), 'utf8').replace(
      'deadline: 2012-09-24',
      'deadline: 2012-09-31',
    );
    writeFileSync(join(ws, 'nv.yaml'), y);
    const line = y.split('\n').findIndex((l) => l.includes('2012-09-31')) + 1;
    expectRefused(ws, [], new RegExp(`nv\\.yaml:${line}: meeting\\.deadline is not a calendar date`));
  });

  it('an output folder that cannot be written', () => {
    const { ws } = exampleWorkspace();
    const ro = join(tempDir(), 'ro');
    execFileSync('mkdir', ['-p', ro]);
    chmodSync(ro, 0o500);
    // root ignores permissions: use a path under a regular file instead, which nobody can create.
    const blocked = join(ws, 'recipients.csv', 'out');
    expectRefused(
      ws,
      ['--out', process.getuid?.() === 0 ? blocked : ro],
      /The output folder .* cannot be written/,
    );
  });
});

describe('interruptions and concurrency', () => {
  it('a batch killed half-way (kill -9) is completed by the same command under the same number, with no half-written file', async () => {
    const { ws } = exampleWorkspace();
    const { child, done } = nvAsync(['generate', '-w', ws, '--yes', '--json'], {
      cwd: ws,
      env: { NV_THROTTLE_MS: '20' },
    });
    const dirA = join(ws, 'out', 'notes', 'CU-2012-150-A');
    await new Promise<void>((res) => {
      const t = setInterval(() => {
        if (listFiles(dirA).filter((f) => f.endsWith('.pdf')).length >= 20) {
          clearInterval(t);
          child.kill('SIGKILL');
          res();
        }
      }, 5);
    });
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    const partial = listFiles(join(ws, 'out')).filter((f) => /\.(pdf|docx)$/.test(f)).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(390);

    const r = nv(['generate', '-w', ws, '--yes', '--json'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as GenJson;
    expect(j.references.map((x) => [x.reference, x.allocated])).toEqual([
      ['CU 2012/150(A)/DTA/CEB/CSS', false],
      ['CU 2012/150(B)/DTA/CEB/CSS', false],
    ]);
    const files = listFiles(join(ws, 'out'));
    expect(files.filter((f) => /\.(pdf|docx)$/.test(f))).toHaveLength(390);
    expect(files.filter((f) => !/\.(pdf|docx)$/.test(f))).toEqual([]); // no temporary left
    for (const f of files.filter((x) => x.endsWith('.pdf'))) {
      expect(spawnSync('qpdf', ['--check', f]).status, f).toBe(0);
    }
    expect(dispatchCount(ws)).toBe(1);
  });

  it('two runs started at once never share a number', async () => {
    const { ws } = exampleWorkspace();
    // The invitation first, so that reminders can refer to it.
    expect(
      nv(['generate', '-w', ws, '--yes', '--format', 'pdf', '--only', 'AUT,BEL,CAN,DNK'], { cwd: ws }).code,
    ).toBe(0);
    const a = nvAsync(
      [
        'generate',
        '-w',
        ws,
        '--yes',
        '--json',
        '--template',
        'reminder',
        '--only',
        'AUT,BEL',
        '--format',
        'pdf',
        '--date',
        '2012-09-10',
      ],
      { cwd: ws },
    );
    const b = nvAsync(
      [
        'generate',
        '-w',
        ws,
        '--yes',
        '--json',
        '--template',
        'reminder',
        '--only',
        'CAN,DNK',
        '--format',
        'pdf',
        '--date',
        '2012-09-10',
      ],
      { cwd: ws },
    );
    const same = nvAsync(
      [
        'generate',
        '-w',
        ws,
        '--yes',
        '--json',
        '--template',
        'reminder',
        '--only',
        'AUT,BEL',
        '--format',
        'pdf',
        '--date',
        '2012-09-10',
      ],
      { cwd: ws },
    );
    const [ra, rb, rs] = await Promise.all([a.done, b.done, same.done]);
    for (const r of [ra, rb, rs]) expect(r.code, r.stderr).toBe(0);
    const refs = (r: typeof ra) => (JSON.parse(r.stdout) as GenJson).notes.map((n) => n.reference);
    const all = [...refs(ra), ...refs(rb)];
    expect(new Set(all).size).toBe(4);
    expect(all.sort()).toEqual(
      ['CU 2012/151', 'CU 2012/152', 'CU 2012/153', 'CU 2012/154'].map((x) => `${x}/DTA/CEB/CSS`),
    );
    // The same command twice at once takes the same numbers, never new ones.
    expect(refs(rs).sort()).toEqual(refs(ra).sort());
    expect(dispatchCount(ws)).toBe(5);
  });
});
