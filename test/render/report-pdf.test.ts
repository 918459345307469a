/**
 * The list of participants (a ReportDocument) in PDF: read back with pdf.js in reading order,
 * checked with qpdf and pdffonts, and its page breaks checked on the page text: a person's lines
 * are never split, a heading never ends a page, a table's header row is repeated and its rows are
 * never split.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block, NoteDocument, ReportDocument, Run } from '../../src/render/document.js';
import { createPdfRenderer, renderPdf } from '../../src/render/pdf.js';
import { sampleNote } from './sample-note.js';
import { reportOf, sampleReport, type SampleCategory } from './sample-report.js';

interface Line {
  page: number;
  x: number;
  y: number;
  text: string;
  font: string;
}

interface Read {
  lines: Line[];
  numPages: number;
  outline: Array<{ title: string; items: Array<{ title: string }> }>;
}

/** Text lines of every page, in content order (items of one baseline joined). */
async function read(bytes: Uint8Array): Promise<Read> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, verbosity: 0 }).promise;
  const lines: Line[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    await page.getOperatorList();
    let current: Line | undefined;
    for (const it of content.items) {
      if (!('str' in it)) continue;
      const y = Math.round(it.transform[5] * 100) / 100;
      if (!current || current.y !== y) {
        const font = (page.commonObjs.get(it.fontName) as { name: string }).name;
        current = { page: n, x: it.transform[4], y, text: '', font };
        lines.push(current);
      }
      current.text += it.str;
    }
  }
  const outline = ((await pdf.getOutline()) ?? []) as Read['outline'];
  const numPages = pdf.numPages;
  await pdf.destroy();
  for (const l of lines) l.text = l.text.replace(/\s+/g, ' ').trim();
  return { lines: lines.filter((l) => l.text !== ''), numPages, outline };
}

/** Unique names, titles and organizations; every 7th title is long enough to wrap. */
function categories(states: number, perState: (i: number) => number): SampleCategory[] {
  let k = 0;
  const delegation = (s: number) => ({
    state: `State ${String(s).padStart(3, '0')} Ελλάδα`,
    people: Array.from({ length: perState(s) }, () => {
      const i = k++;
      return {
        name: `${i % 3 === 0 ? 'H.E. Mr.' : 'Ms.'} Имя${i} FAMILYNAME${i}`,
        title:
          `T${i} ` +
          (i % 7 === 0
            ? 'Director-General, Department of International Legal Cooperation and Mutual Legal Assistance in Criminal Matters, Central Authority end'
            : 'Counsellor'),
        organization: `O${i} Ministère de la Justice`,
      };
    }),
  });
  const all = Array.from({ length: states }, (_, s) => delegation(s));
  return [
    { heading: 'States parties', delegations: all.slice(0, Math.ceil(states * 0.8)) },
    { heading: 'Signatory States', delegations: all.slice(Math.ceil(states * 0.8)) },
  ];
}

let dir: string;
let doc: ReportDocument;
let bytes: Uint8Array;
let pdf: Read;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nv-report-pdf-'));
  doc = reportOf(categories(40, (s) => 1 + (s % 9)));
  bytes = await renderPdf(doc);
  pdf = await read(bytes);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pageOf = (needle: string | RegExp): number => {
  const line = pdf.lines.find((l) =>
    typeof needle === 'string' ? l.text.includes(needle) : needle.test(l.text),
  );
  if (!line) throw new Error(`not found: ${String(needle)}`);
  return line.page;
};

describe('a report in PDF', () => {
  it('reads back in order: masthead, distribution, title, cover table, headings, people', () => {
    const text = pdf.lines.map((l) => l.text).join(' ');
    const expected = [
      'United Nations',
      'CAC/COSP/EG.1/2012/INF/2',
      'Distr.: General',
      '22 October 2012',
      'English only',
      'Conference of the States Parties to the United Nations Convention against Corruption',
      'Open-ended intergovernmental expert meeting on international cooperation',
      'Vienna, 22 and 23 October 2012',
      'Prepared on the basis of information received as at 24 September 2012',
      'Category States Participants',
      'States parties 32',
      'Signatory States 8',
      'Total 40',
      'List of participants',
      'States parties',
      'State 000 Ελλάδα',
      'H.E. Mr. Имя0 FAMILYNAME0',
      'T0 Director-General',
      'O0 Ministère de la Justice',
      'State 001 Ελλάδα',
      'Ms. Имя1 FAMILYNAME1',
      'Ms. Имя2 FAMILYNAME2',
      'Signatory States',
      'State 032 Ελλάδα',
    ];
    let at = 0;
    for (const s of expected) {
      const i = text.indexOf(s, at);
      expect(i, `"${s}" after position ${at}`).toBeGreaterThanOrEqual(0);
      at = i + s.length;
    }
    // Every person, in order, each on three (or more) lines.
    const names = pdf.lines.filter((l) => /FAMILYNAME\d+$/.test(l.text)).map((l) => l.text);
    const total = doc.body.filter((b) => b.type === 'group').length;
    expect(names.length).toBe(total);
    names.forEach((n, i) => expect(n).toMatch(new RegExp(`Имя${i} FAMILYNAME${i}$`)));
  });

  it('prints the symbol at the top and the page number at the bottom of pages 2…, on the outer side', () => {
    expect(pdf.numPages).toBeGreaterThan(4);
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = pdf.lines.filter((l) => l.page === n);
      const top = page.filter((l) => l.y > 841.89 - 55);
      const bottom = page.filter((l) => l.y < 50);
      if (n === 1) {
        expect(top.map((l) => l.text)).toEqual([]);
        expect(bottom.map((l) => l.text)).toEqual(['V.12-56789 (E)']);
        continue;
      }
      expect(top.map((l) => l.text)).toEqual(['CAC/COSP/EG.1/2012/INF/2']);
      expect(top[0]?.font).toMatch(/Tinos-Bold$/);
      expect(bottom.map((l) => l.text)).toEqual([String(n)]);
      const left = (l: Line | undefined) => Math.abs((l as Line).x - 72) < 0.5;
      expect(left(top[0]), `header of page ${n}`).toBe(n % 2 === 0);
      expect(left(bottom[0]), `page number of page ${n}`).toBe(n % 2 === 0);
    }
  });

  it('starts the list on a new page after the cover (page break)', () => {
    expect(pageOf('Total 40')).toBe(1);
    expect(pageOf('List of participants')).toBe(2);
    const page2 = pdf.lines.filter((l) => l.page === 2 && l.y < 841.89 - 55);
    expect(page2[0]?.text).toBe('List of participants');
    expect(page2[0]?.font).toMatch(/Bold$/);
  });

  it('never splits a person across pages, nor a State from its first person', () => {
    let k = 0;
    for (const category of categories(40, (s) => 1 + (s % 9))) {
      for (const d of category.delegations) {
        expect(pageOf(d.state), d.state).toBe(pageOf(`FAMILYNAME${k}`));
        for (let j = 0; j < d.people.length; j++, k++) {
          const page = pageOf(new RegExp(`FAMILYNAME${k}$`));
          expect(pageOf(new RegExp(`^T${k} `)), `title of person ${k}`).toBe(page);
          expect(pageOf(`O${k} Ministère`), `organization of person ${k}`).toBe(page);
          if (k % 7 === 0) {
            // The long title wraps; its last line stays on the page too.
            const title = pdf.lines.findIndex((l) => l.text.startsWith(`T${k} `));
            expect((pdf.lines[title + 1] as Line).page).toBe(page);
            expect((pdf.lines[title + 1] as Line).text).toMatch(/end$|Authority$/);
          }
        }
      }
    }
    // Some pages end with room to spare: groups moved rather than split.
    expect(k).toBeGreaterThan(150);
  });

  it('never ends a page with a heading', () => {
    const headings = new Set(['States parties', 'Signatory States', 'List of participants']);
    for (let n = 1; n < pdf.numPages; n++) {
      const body = pdf.lines.filter((l) => l.page === n && l.y >= 60 && l.y < 841.89 - 55);
      const last = body[body.length - 1] as Line;
      expect(
        headings.has(last.text) || /^State \d+/.test(last.text),
        `last line of page ${n}: ${last.text}`,
      ).toBe(false);
    }
  });

  it('draws headings, names and text in the right faces, with every script extractable', () => {
    const line = (t: string) => pdf.lines.find((l) => l.text === t) as Line;
    expect(line('States parties').font).toMatch(/Tinos-Bold$/);
    expect(line('State 000 Ελλάδα').font).toMatch(/Tinos-Bold$/);
    expect(line('H.E. Mr. Имя0 FAMILYNAME0').font).toMatch(/\+Tinos-Regular$/);
    expect(line('Prepared on the basis of information received as at 24 September 2012').font).toMatch(
      /Tinos-Italic$/,
    );
    // Person lines are indented; State names are not.
    expect(line('H.E. Mr. Имя0 FAMILYNAME0').x).toBeCloseTo(72 + 18, 3);
    expect(line('State 000 Ελλάδα').x).toBeCloseTo(72, 3);
  });

  it('has an outline: the categories, each with its States', () => {
    expect(pdf.outline.map((o) => o.title)).toEqual([
      'List of participants',
      'States parties',
      'Signatory States',
    ]);
    expect(pdf.outline[1]?.items.length).toBe(32);
    expect(pdf.outline[1]?.items[0]?.title).toBe('State 000 Ελλάδα');
    expect(pdf.outline[2]?.items.map((i) => i.title)).toContain('State 039 Ελλάδα');
  });

  it('passes qpdf --check and embeds every font as a tagged subset', () => {
    const out = join(dir, 'report.pdf');
    writeFileSync(out, bytes);
    expect(execFileSync('qpdf', ['--check', out], { encoding: 'utf8' })).toMatch(
      /No syntax or stream encoding errors/,
    );
    const fonts = execFileSync('pdffonts', [out], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBe(3);
    for (const line of fonts) {
      expect(line).toMatch(
        /^[A-Z]{6}\+Tinos-(Regular|Bold|Italic)\s+CID TrueType\s+Identity-H\s+yes yes yes/,
      );
    }
  });

  it('gives the same bytes again, alone or in a batch with notes', async () => {
    expect(Buffer.from(await renderPdf(doc)).equals(Buffer.from(bytes))).toBe(true);
    const note: NoteDocument = sampleNote({ addressee: 'Permanent Mission of Türkiye' });
    const renderer = await createPdfRenderer([note, doc, sampleReport(30, 10)]);
    const noteAlone = await renderPdf(note);
    expect(Buffer.from(await renderer.render(doc)).equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(await renderer.render(note)).equals(Buffer.from(noteAlone))).toBe(true);
  });

  it('renders pages with ink on them', () => {
    const out = join(dir, 'pixels.pdf');
    writeFileSync(out, bytes);
    for (const page of ['1', '3']) {
      const pgm = execFileSync('pdftoppm', ['-gray', '-r', '30', '-f', page, '-l', page, out]);
      const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 30)) as RegExpExecArray;
      const pixels = pgm.subarray(header[0].length);
      expect(pixels.filter((v) => v < 160).length / pixels.length).toBeGreaterThan(0.02);
    }
  });
});

describe('tables', () => {
  const cell = (text: string): Run[] => [{ text }];
  const long = (i: number) =>
    `R${i} ` +
    (i % 5 === 0 ? 'a long cell that has to wrap within its column, over several lines, ' : '') +
    `E${i}`;
  const table: Block = {
    type: 'table',
    columns: [
      { width: 0.3, align: 'left' },
      { width: 0.2, align: 'right' },
      { width: 0.2, align: 'center' },
    ],
    header: [cell('Name'), cell('Count'), cell('Centre')],
    rows: Array.from({ length: 150 }, (_, i) => [cell(long(i)), cell(String(i)), cell(`c${i}`)]),
  };
  const report = (body: Block[]): ReportDocument => ({ ...sampleReport(1, 1), body });

  it('repeats the header row on each page and never splits a row', async () => {
    const r = await read(await renderPdf(report([table])));
    const pages = [...new Set(r.lines.filter((l) => /^R\d+/.test(l.text)).map((l) => l.page))];
    expect(pages.length).toBeGreaterThan(2);
    for (const n of pages) {
      const body = r.lines.filter((l) => l.page === n && l.y >= 60 && l.y < 841.89 - 55);
      const first = body.findIndex((l) => l.text.startsWith('Name'));
      const firstRow = body.findIndex((l) => /^R\d+/.test(l.text));
      expect(first, `header on page ${n}`).toBeGreaterThanOrEqual(0);
      expect(first).toBeLessThan(firstRow);
      expect((body[first] as Line).font).toMatch(/Italic$/);
    }
    for (let i = 0; i < 150; i++) {
      const start = r.lines.find((l) => l.text.startsWith(`R${i} `)) as Line;
      const end = r.lines.find((l) => new RegExp(`\\bE${i}\\b`).test(l.text)) as Line;
      expect(end.page, `row ${i}`).toBe(start.page);
    }
  });

  it('aligns cells in their columns and wraps text within a column', async () => {
    const r = await read(await renderPdf(report([{ ...table, rows: table.rows.slice(0, 6) }])));
    const rowLines = r.lines.filter((l) => /^R0\b|^a long|^R1\b/.test(l.text));
    expect(rowLines.length).toBeGreaterThan(0);
    const textWidth = 595.28 - 144;
    // Left column: text starts at the left margin plus the cell padding and stays within 30 %.
    for (const l of r.lines.filter((x) => /^R\d|cell|lines/.test(x.text))) {
      expect(l.x).toBeGreaterThanOrEqual(72 + 4 - 0.01);
      expect(l.x).toBeLessThan(72 + textWidth * 0.3);
    }
    const row0 = r.lines.filter((l) => l.text.startsWith('R0 ') || /^(over|lines|E0)/.test(l.text));
    expect(row0.length).toBeGreaterThan(1);
  });

  it('draws the rules: above and under the header, under the last row', async () => {
    const raw = await renderPdf(report([{ ...table, rows: table.rows.slice(0, 3) }]));
    const out = join(dir, 'rules.pdf');
    writeFileSync(out, raw);
    const page = execFileSync('qpdf', ['--qdf', '--object-streams=disable', out, '-'], {
      encoding: 'latin1',
    });
    const rules = [...page.matchAll(/([\d.]+) w [\d.]+ ([\d.]+) m [\d.]+ [\d.]+ l S/g)].map((m) => m[1]);
    // Page 1: the masthead rule and the table's three rules.
    expect(rules).toEqual(['1.5', '0.75', '0.5', '0.75']);
  });
});

describe('notes with the new blocks', () => {
  it('draws a heading, a table and a group in a note, and leaves plain notes as they were', async () => {
    const body: Block[] = [
      { type: 'heading', level: 1, runs: [{ text: 'Annex' }] },
      {
        type: 'table',
        columns: [
          { width: 0.6, align: 'left' },
          { width: 0.4, align: 'right' },
        ],
        header: [[{ text: 'Item' }], [{ text: 'Amount' }]],
        rows: [[[{ text: 'Côte d’Ivoire' }], [{ text: '12' }]]],
      },
      {
        type: 'group',
        blocks: [{ type: 'paragraph', align: 'left', runs: [{ text: 'Kept together' }], indent: 36 }],
      },
    ];
    const r = await read(await renderPdf({ ...sampleNote(), body }));
    const texts = r.lines.map((l) => l.text);
    expect(texts).toEqual(
      expect.arrayContaining(['Annex', 'Item Amount', 'Côte d’Ivoire 12', 'Kept together']),
    );
    expect((r.lines.find((l) => l.text === 'Kept together') as Line).x).toBeCloseTo(72 + 36, 3);
  });
});
