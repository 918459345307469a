/**
 * Issue 8, "What shows it is done", for each of the six UN languages, on the
 * uncac-2012-multilingual example: a note and a list page rendered to PNG (pdftoppm -r 50) and
 * compared with the golden PNGs kept in test/render/golden/languages/ (within 0.5 % of the
 * pixels; `UPDATE_SNAPSHOTS=1 npx vitest run test/render/languages-golden.test.ts` writes them:
 * look at them before committing), and read back with pdftotext: every glyph maps back to
 * Unicode, the text comes out in logical order with the addressee, the reference (intact inside
 * Arabic text) and every participant's name. The DOCX of each language opened in LibreOffice
 * (skipped with a message where it is absent): converted, read back, Arabic right to left.
 *
 * Skipped, with a message, while this nv has no `nv init --example uncac-2012-multilingual`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { nv, tempDir } from '../helpers/cli.js';
import { expectPageMatchesGolden } from '../helpers/golden.js';
import { convertToPdf, fontFiles, whyNoLibreOffice } from '../helpers/libreoffice.mjs';
import { pdfLines, squeeze, type PdfLine } from '../helpers/pdf-lines.mjs';
import { pdffonts, pdfPages, pdftotext, unmappedCharacters } from '../helpers/poppler.js';

const EXAMPLE = 'uncac-2012-multilingual';
const LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
type Language = (typeof LANGUAGES)[number];
const GOLDEN = join(import.meta.dirname, 'golden', 'languages');

// Whether this nv has the example decides, at collection time, whether the suite runs.
const home = tempDir();
const made = nv(['init', 'ml', '--example', EXAMPLE, '--yes'], { cwd: home });
const noExample =
  made.code === 0
    ? null
    : `nv init --example ${EXAMPLE} is not available yet (issue 8): the six-language golden and read-back checks are skipped`;
if (noExample) console.warn(`skipped: ${noExample}`);
const noLo = whyNoLibreOffice();
if (noLo) console.warn(`skipped: ${noLo}`);

interface Recipient {
  state: string;
  addressee: string;
  language: string;
}
interface Generated {
  notes: { state: string; reference: string; files: string[] }[];
}
interface Listed {
  sections: { delegations: { participants: { displayName: string }[] }[] }[];
}

const hasArabic = (s: string) => /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/.test(s);

/**
 * Lines of the multi-line paragraphs (poppler's blocks) in which Arabic is written: for each,
 * whether its last line is set against the right margin and short of the left one (right to left)
 * rather than the other way round.
 */
function arabicBlocks(lines: PdfLine[]): { rightAligned: boolean; text: string }[] {
  const blocks = new Map<string, PdfLine[]>();
  for (const l of lines) {
    const k = `${l.page}:${l.block}`;
    const block = blocks.get(k) ?? [];
    // A mark drawn with a text rise (a fatha over a shadda) comes back from poppler as a line of
    // its own, a point or two off its line's baseline: it belongs to that line.
    const prev = block[block.length - 1];
    if (prev && Math.abs(prev.yMin - l.yMin) < 2) {
      block[block.length - 1] = {
        ...prev,
        text: `${prev.text} ${l.text}`,
        xMin: Math.min(prev.xMin, l.xMin),
        xMax: Math.max(prev.xMax, l.xMax),
      };
    } else block.push(l);
    blocks.set(k, block);
  }
  const out = [];
  for (const ls of blocks.values()) {
    if (ls.length < 2 || ls.filter((l) => hasArabic(l.text)).length * 2 < ls.length) continue;
    const body = ls.slice(0, -1);
    const last = ls[ls.length - 1]!;
    const right = Math.max(...body.map((l) => l.xMax));
    const left = Math.min(...body.map((l) => l.xMin));
    if (last.xMax - last.xMin > 0.8 * (right - left)) continue; // a full last line says nothing
    out.push({
      rightAligned: Math.abs(last.xMax - right) < 3 && last.xMin - left > 10,
      // Where, since poppler gives the words of an Arabic line in visual order.
      text: `page ${last.page}, y ${last.yMin.toFixed(0)}: last line x ${last.xMin.toFixed(0)}–${last.xMax.toFixed(0)}, paragraph x ${left.toFixed(0)}–${right.toFixed(0)}`,
    });
  }
  return out;
}

describe.skipIf(noExample)(`the six languages of the ${EXAMPLE} example`, () => {
  const ws = join(home, 'ml');
  const note = {} as Record<Language, { pdf: string; docx: string; reference: string; addressee: string }>;
  const list = {} as Record<Language, { pdf: string; docx: string; names: string[] }>;

  beforeAll(() => {
    const recipients = parse(readFileSync(join(ws, 'recipients.csv'), 'utf8'), {
      columns: true,
      bom: true,
    }) as Recipient[];
    const pick = new Map<Language, Recipient>();
    for (const l of LANGUAGES) {
      const r = recipients.find((x) => x.language === l);
      if (r) pick.set(l, r);
    }
    expect([...pick.keys()].sort(), 'a recipient written to in each language').toEqual([...LANGUAGES].sort());

    const run = (args: string[]) => {
      const r = nv([...args, '-w', ws], { cwd: ws });
      expect(r.code, `nv ${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r;
    };
    // Every recipient, as a user would (the replies in the example answer these notes).
    const gen = JSON.parse(run(['generate', '--yes', '--json', '--format', 'docx,pdf']).stdout) as Generated;
    for (const [l, r] of pick) {
      const n = gen.notes.find((x) => x.state === r.state)!;
      const docx = join(
        ws,
        n.files.find((f) => f.endsWith('.docx'))!,
      );
      note[l] = {
        docx,
        pdf: docx.replace(/\.docx$/, '.pdf'),
        reference: n.reference,
        addressee: r.addressee,
      };
    }

    // The delegation lists the example carries: replies in inbox/, lists (with a State column) in
    // lists/. Exported with --status all: the example's States have not replied yet.
    if (existsSync(join(ws, 'inbox'))) {
      run(['ingest', 'inbox', '--yes']);
      run(['delegation', 'import', '--replies']);
    }
    if (existsSync(join(ws, 'lists'))) run(['delegation', 'import', 'lists']);
    for (const l of LANGUAGES) {
      const base = join(ws, 'out', `participants-${l}`);
      run([
        'export',
        'participants',
        '--language',
        l,
        '--status',
        'all',
        '--format',
        'pdf',
        '--out',
        `${base}.pdf`,
      ]);
      run([
        'export',
        'participants',
        '--language',
        l,
        '--status',
        'all',
        '--format',
        'docx',
        '--out',
        `${base}.docx`,
      ]);
      const json = nv(
        [
          'export',
          'participants',
          '-w',
          ws,
          '--language',
          l,
          '--status',
          'all',
          '--format',
          'json',
          '--out',
          '-',
        ],
        {
          cwd: ws,
        },
      );
      const listed = JSON.parse(json.stdout) as Listed;
      const names = listed.sections.flatMap((s) =>
        s.delegations.flatMap((d) => d.participants.map((p) => p.displayName)),
      );
      expect(names.length, `participants on the ${l} list`).toBeGreaterThan(0);
      list[l] = { pdf: `${base}.pdf`, docx: `${base}.docx`, names };
    }
  });

  describe.each(LANGUAGES)('%s', (l) => {
    it('the note: page 1 matches its golden PNG', () => {
      expectPageMatchesGolden(note[l].pdf, 1, join(GOLDEN, `note-${l}.png`));
    });

    it('the list of participants: page 1 (the cover) and page 2 match their golden PNGs', () => {
      expectPageMatchesGolden(list[l].pdf, 1, join(GOLDEN, `list-${l}-p1.png`));
      if (pdfPages(list[l].pdf) > 1)
        expectPageMatchesGolden(list[l].pdf, 2, join(GOLDEN, `list-${l}-p2.png`));
    });

    it('the note reads back: every glyph mapped, the addressee and the reference in logical order, fonts embedded with ToUnicode', () => {
      const text = pdftotext(note[l].pdf);
      expect(unmappedCharacters(text)).toEqual([]);
      expect(text).toContain(note[l].reference);
      expect(squeeze(text)).toContain(squeeze(note[l].addressee));
      expect(pdffonts(note[l].pdf).filter((f) => !f.embedded || !f.unicode)).toEqual([]);
    });

    it("the list reads back: every glyph mapped, every participant's name", () => {
      const text = pdftotext(list[l].pdf);
      expect(unmappedCharacters(text)).toEqual([]);
      const flat = squeeze(text);
      expect(list[l].names.filter((n) => !flat.includes(squeeze(n)))).toEqual([]);
      expect(pdffonts(list[l].pdf).filter((f) => !f.embedded || !f.unicode)).toEqual([]);
    });
  });

  it('Arabic: the paragraphs of the note are set right to left, the reference intact inside them', () => {
    const blocks = arabicBlocks(pdfLines(note.ar.pdf));
    expect(blocks.length, 'multi-line Arabic paragraphs with a short last line').toBeGreaterThan(0);
    expect(blocks.filter((b) => !b.rightAligned).map((b) => b.text)).toEqual([]);
    const text = pdftotext(note.ar.pdf);
    expect(text).toContain(note.ar.reference);
    expect(text.split('\n').some((line) => hasArabic(line) && line.includes(note.ar.reference))).toBe(true);
  });

  describe.skipIf(noLo)('the DOCX opened in LibreOffice', () => {
    const pdf = {} as Record<string, string>;
    beforeAll(() => {
      const files = LANGUAGES.flatMap((l) => [note[l].docx, list[l].docx]);
      const out = convertToPdf(files);
      files.forEach((f, i) => (pdf[f] = out[i]!));
    }, 300_000);

    it.each(LANGUAGES)('%s: the note and the list convert and read back, every glyph mapped', (l) => {
      const text = pdftotext(pdf[note[l].docx]!);
      expect(unmappedCharacters(text)).toEqual([]);
      expect(text).toContain(note[l].reference);
      // LibreOffice maps its lam-alef ligatures back to Unicode in visual order (alef, then lam):
      // its matter, not nv's; lam and alef are left out of its Arabic comparisons.
      const loose = (s: string) =>
        l === 'ar' ? squeeze(s).replace(/[\u0622\u0623\u0625\u0627\u0644]/g, '') : squeeze(s);
      expect(loose(text)).toContain(loose(note[l].addressee));
      const listText = loose(pdftotext(pdf[list[l].docx]!));
      expect(list[l].names.filter((n) => !listText.includes(loose(n)))).toEqual([]);
    });

    it("sets each language in nv's faces: Amiri for Arabic, Noto Serif SC for Chinese, Tinos for the others", () => {
      const { found } = fontFiles();
      const faces = (f: string) => pdffonts(pdf[f]!).map((x) => x.name.replace(/^[A-Z]{6}\+/, ''));
      const want: [Language, string, RegExp][] = [
        ['ar', 'Amiri', /^Amiri/],
        ['zh', 'Noto Serif SC', /^NotoSerifSC/],
        ['en', 'Tinos', /^Tinos/],
        ['fr', 'Tinos', /^Tinos/],
        ['ru', 'Tinos', /^Tinos/],
        ['es', 'Tinos', /^Tinos/],
      ];
      for (const [l, family, re] of want) {
        if (!found[family]) continue; // the package is not installed: LibreOffice cannot have it
        expect(
          faces(note[l].docx).some((f) => re.test(f)),
          `${l}: ${faces(note[l].docx).join(', ')}`,
        ).toBe(true);
      }
    });

    it('Arabic: LibreOffice sets the paragraphs right to left (w:bidi), the reference intact', () => {
      const lo = pdf[note.ar.docx]!;
      const blocks = arabicBlocks(pdfLines(lo));
      expect(blocks.length, 'multi-line Arabic paragraphs with a short last line').toBeGreaterThan(0);
      expect(blocks.filter((b) => !b.rightAligned).map((b) => b.text)).toEqual([]);
      expect(pdftotext(lo)).toContain(note.ar.reference);
    });
  });
});
