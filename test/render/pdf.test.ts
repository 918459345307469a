import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block, NoteDocument } from '../../src/render/document.js';
import { createPdfRenderer, renderPdf } from '../../src/render/pdf.js';
import { sampleNote } from './sample-note.js';

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  font: string;
}

async function extract(bytes: Uint8Array): Promise<{ pages: Item[][]; info: Record<string, unknown> }> {
  // pdf.js may take over the buffer it is given: pass a copy.
  const pdf = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, verbosity: 0 }).promise;
  const pages: Item[][] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    await page.getOperatorList(); // resolves the fonts in commonObjs
    const items: Item[] = [];
    for (const it of content.items) {
      if (!('str' in it)) continue;
      // An end of line becomes a line break in the text, as a reader would copy it.
      const str = it.str + (it.hasEOL ? '\n' : '');
      if (str === '') continue;
      const font = page.commonObjs.get(it.fontName) as { name: string };
      items.push({ str, x: it.transform[4], y: it.transform[5], width: it.width, font: font.name });
    }
    pages.push(items);
  }
  const meta = await pdf.getMetadata();
  await pdf.destroy();
  return { pages, info: meta.info as Record<string, unknown> };
}

/** Hyphens at a line end (justified text is hyphenated) and hard hyphens alike are left out. */
const squash = (s: string): string => s.replace(/-\s*/g, '').replace(/\s+/g, ' ').trim();
const noSpace = (s: string): string => s.replace(/-/g, '').replace(/\s+/g, '');
const text = (items: Item[]): string => items.map((i) => i.str).join('');

function blockText(block: Block): string {
  if (block.type === 'paragraph') return block.runs.map((r) => r.text).join('');
  if (block.type !== 'list') throw new Error(`No text for a ${block.type} block in these tests`);
  return block.items
    .map(
      (item, i) =>
        `${block.ordered ? `(${String.fromCharCode(97 + i)})` : '•'} ${item.map((r) => r.text).join('')}`,
    )
    .join(' ');
}

const NAMES = ["Côte d'Ivoire", 'Türkiye', 'Российская Федерация', 'Ελλάδα'];
const namesParagraph: Block = {
  type: 'paragraph',
  align: 'justify',
  runs: [
    { text: 'Delegations: ' },
    { text: NAMES.join(', '), italic: true },
    { text: '; ' },
    { text: 'Бразилия и Ελληνική Δημοκρατία', bold: true, italic: true },
    { text: '.' },
  ],
};

let dir: string;
let doc: NoteDocument;
let bytes: Uint8Array;
let pages: Item[][];
let info: Record<string, unknown>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nv-pdf-'));
  doc = sampleNote({
    addressee: 'Permanent Mission of Türkiye to the United Nations (Vienna)',
    enclosures: 2,
    extra: [namesParagraph],
  });
  bytes = await renderPdf(doc);
  ({ pages, info } = await extract(bytes));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('renderPdf', () => {
  it('lays the note out on two A4 pages', () => {
    expect(pages.length).toBe(2);
    const out = join(dir, 'note.pdf');
    writeFileSync(out, bytes);
    expect(execFileSync('pdfinfo', [out], { encoding: 'utf8' })).toMatch(
      /Page size:\s+595\.28 x 841\.89 pts \(A4\)/,
    );
  });

  it('extracts the whole text in reading order', () => {
    // Page number (top of page 2) and footer (bottom of the last page) are outside the flow.
    const flow = pages.map((p, i) => p.filter((it) => (i === 0 || it.y < 790) && it.y > 60));
    const expected = [
      ...doc.letterhead,
      doc.referenceLine,
      ...doc.body.map(blockText),
      doc.dateLine,
      `Enclosures: ${doc.enclosures}`,
    ].join(' ');
    expect(noSpace(flow.map(text).join(''))).toBe(noSpace(expected));
    // With spaces: every paragraph on one page reads exactly as written.
    const all = squash(pages.map((p) => p.map((i) => i.str).join('')).join(' '));
    for (const block of doc.body.slice(0, 2)) expect(all).toContain(squash(blockText(block)));
  });

  it('draws Latin with diacritics, Cyrillic and Greek with extractable text', () => {
    const all = squash(
      pages
        .flat()
        .map((i) => i.str)
        .join(''),
    );
    for (const name of NAMES) expect(all).toContain(name);
    expect(all).toContain('Бразилия и Ελληνική Δημοκρατία');
    expect(all).toContain('Permanent Mission of Türkiye to the United Nations (Vienna)');
  });

  it('sets bold and italic runs in the bold and italic faces', () => {
    const fontOf = (s: string): string | undefined => pages.flat().find((i) => i.str.includes(s))?.font;
    expect(fontOf('22 to 23 October')).toMatch(/^[A-Z]{6}\+Tinos-Bold$/);
    expect(fontOf('24 September 2012')).toMatch(/^[A-Z]{6}\+Tinos-Bold$/);
    expect(fontOf('Российская')).toMatch(/^[A-Z]{6}\+Tinos-Italic$/);
    expect(fontOf('Бразилия')).toMatch(/^[A-Z]{6}\+Tinos-BoldItalic$/);
    expect(fontOf('Secretary-General')).toMatch(/^[A-Z]{6}\+Tinos-Regular$/);
    expect(fontOf('UNODC')).toMatch(/^[A-Z]{6}\+Tinos-Bold$/);
    expect(fontOf('Making the world safer')).toMatch(/^[A-Z]{6}\+Tinos-Italic$/);
  });

  it('prints the letterhead centred on page 1 and the footer on the last page only', () => {
    const first = pages[0] as Item[];
    const unodc = first.find((i) => i.str === 'UNODC') as Item;
    expect(unodc).toBeDefined();
    expect(Math.abs(unodc.x + unodc.width / 2 - 595.28 / 2)).toBeLessThan(1);
    expect(first[0]?.str).toBe('UNODC');
    expect(text(first)).toContain('United Nations Office on Drugs and Crime');
    expect(text(first)).not.toContain('Making the world safer');
    const footer = (pages[1] as Item[]).filter((i) => i.y < 60);
    expect(squash(text(footer))).toBe(doc.footer);
  });

  it('numbers pages from page 2', () => {
    expect((pages[0] as Item[]).some((i) => /^\s*-\s*\d+\s*-\s*$/.test(i.str))).toBe(false);
    const top = (pages[1] as Item[]).filter((i) => i.y > 790);
    expect(text(top).replace(/\s+/g, ' ').trim()).toBe('- 2 -');
  });

  it('justifies body lines to both margins and right-aligns the date line', () => {
    const first = pages[0] as Item[];
    const lines = new Map<number, Item[]>();
    for (const it of first) lines.set(it.y, [...(lines.get(it.y) ?? []), it]);
    const bodyLines = [...lines.values()].filter((l) => text(l).length > 60 && (l[0] as Item).x === 72);
    const ends = bodyLines.map((l) => Math.max(...l.map((i) => i.x + i.width)));
    // Most full lines end at the right margin (595.28 - 72); last lines of paragraphs do not.
    expect(ends.filter((e) => Math.abs(e - 523.28) < 0.5).length).toBeGreaterThan(bodyLines.length / 2);
    expect(ends.every((e) => e <= 523.28 + 0.5)).toBe(true);
    const date = (pages[1] as Item[]).find((i) => i.str.includes('15 August 2012')) as Item;
    expect(date.x + date.width).toBeCloseTo(523.28, 0);
    const encl = (pages[1] as Item[]).find((i) => i.str.startsWith('Enclosures')) as Item;
    expect(encl.x).toBe(72);
    expect(encl.y).toBeLessThan(date.y);
  });

  it('writes the document information from the model, never from the clock', () => {
    expect(info.Title).toBe(doc.meta.title);
    expect(info.Author).toBe(doc.meta.author);
    expect(info.Subject).toBe(doc.meta.subject);
    expect(info.Creator).toBe('nv');
    expect(info.Producer).toBe('nv');
    expect(info.Language).toBe('en-GB');
    expect(info.CreationDate).toBe('D:20120815000000Z');
    expect(info.ModDate).toBe('D:20120815000000Z');
  });

  it('is byte-identical when rendered again, alone or in a batch', async () => {
    expect(Buffer.from(await renderPdf(doc)).equals(Buffer.from(bytes))).toBe(true);
    const renderer = await createPdfRenderer([doc]);
    expect(Buffer.from(await renderer.render(doc)).equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(bytes).toString('latin1')).toMatch(/\/ID \[<[0-9A-F]{32}> <[0-9A-F]{32}>\]/);
  });

  it('passes qpdf --check and embeds every font as a tagged subset', () => {
    const out = join(dir, 'check.pdf');
    writeFileSync(out, bytes);
    expect(execFileSync('qpdf', ['--check', out], { encoding: 'utf8' })).toMatch(
      /No syntax or stream encoding errors/,
    );
    const fonts = execFileSync('pdffonts', [out], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBe(4);
    for (const line of fonts) {
      expect(line).toMatch(
        /^[A-Z]{6}\+Tinos-(Regular|Bold|Italic|BoldItalic)\s+CID TrueType\s+Identity-H\s+yes yes yes/,
      );
    }
  });

  it('renders readable pixels (the text is not blank)', () => {
    const out = join(dir, 'pixels.pdf');
    writeFileSync(out, bytes);
    const pgm = execFileSync('pdftoppm', ['-gray', '-r', '30', '-f', '1', '-l', '1', out]);
    // "P5 width height 255", then one byte per pixel: a page of text has many inked pixels.
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 30)) as RegExpExecArray;
    const pixels = pgm.subarray(header[0].length);
    expect(pixels.length).toBe(Number(header[1]) * Number(header[2]));
    const inked = pixels.filter((v) => v < 160).length;
    expect(inked / pixels.length).toBeGreaterThan(0.03);
  });
});

describe('createPdfRenderer', () => {
  it('gives a note the same bytes whatever batch it is rendered in', async () => {
    const docs = ['Austria', 'Belgium', 'Côte d’Ivoire'].map((s) =>
      sampleNote({ addressee: `Permanent Mission of ${s}` }),
    );
    const batch = await createPdfRenderer(docs);
    const inBatch = await Promise.all(docs.map((d) => batch.render(d)));
    for (const [i, d] of docs.entries()) {
      const alone = await renderPdf(d);
      expect(Buffer.from(alone).equals(Buffer.from(inBatch[i]!))).toBe(true);
    }
    const tags = inBatch.map((b) =>
      [
        ...Buffer.from(b)
          .toString('latin1')
          .matchAll(/\/BaseFont \/([A-Z]{6})\+/g),
      ]
        .map((m) => m[1])
        .join(),
    );
    // Notes written in the base repertoire share their subsets; "ô" brings a subset of its own.
    expect(tags[0]).toBe(tags[1]);
    expect(tags[2]).not.toBe(tags[0]);
  });

  it('renders a batch with varying addressees', async () => {
    const docs = ['Austria', 'Côte d’Ivoire', 'the Russian Federation (Российская Федерация)'].map((s) =>
      sampleNote({ addressee: `Permanent Mission of ${s}` }),
    );
    const renderer = await createPdfRenderer(docs);
    expect(renderer.missingCharacters).toEqual([]);
    const outs = await Promise.all(docs.map((d) => renderer.render(d)));
    const tags = outs.map((b) =>
      [
        ...Buffer.from(b)
          .toString('latin1')
          .matchAll(/\/BaseFont \/([A-Z]{6})\+/g),
      ].map((m) => m[1]),
    );
    expect(tags.every((t) => t.length > 0)).toBe(true);
    for (const [i, out] of outs.entries()) {
      const { pages: p } = await extract(out);
      expect(
        squash(
          p
            .flat()
            .map((it) => it.str)
            .join(''),
        ),
      ).toContain(
        squash(
          `Permanent Mission of ${['Austria', 'Côte d’Ivoire', 'the Russian Federation (Российская Федерация)'][i]}`,
        ),
      );
    }
  });

  it('renders a document that was not in the prepared batch', async () => {
    const renderer = await createPdfRenderer([sampleNote()]);
    const other = sampleNote({ addressee: 'Ελληνική Δημοκρατία — Ξ' });
    const out = await renderer.render(other);
    const { pages: p } = await extract(out);
    expect(
      squash(
        p
          .flat()
          .map((it) => it.str)
          .join(''),
      ),
    ).toContain('Ελληνική Δημοκρατία — Ξ');
  });

  it('reports characters none of the fonts can draw', async () => {
    const renderer = await createPdfRenderer([sampleNote({ addressee: '日本 ཀ 😀' })]);
    expect(renderer.missingCharacters).toEqual(['ཀ', '😀']);
  });

  it('breaks a word longer than the line without losing characters', async () => {
    const long = 'x'.repeat(30) + '/' + 'y'.repeat(120);
    const d = sampleNote({
      extra: [{ type: 'paragraph', align: 'justify', runs: [{ text: `See ${long} here.` }] }],
    });
    const { pages: p } = await extract(await renderPdf(d));
    expect(
      noSpace(
        p
          .flat()
          .map((it) => it.str)
          .join(''),
      ),
    ).toContain(noSpace(`See ${long} here.`));
  });

  it('writes link annotations for runs with a link', async () => {
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).toContain(
      '/URI (http://www.unodc.org/unodc/en/treaties/CAC/em-internationalcooperation.html)',
    );
    expect(raw).toContain('/URI (mailto:UNCAC.COP@unodc.org)');
  });

  it('handles a note with no letterhead, an empty body and no footer', async () => {
    const d: NoteDocument = { ...sampleNote(), letterhead: [], body: [], footer: '', enclosures: 0 };
    const out = await renderPdf(d);
    const { pages: p } = await extract(out);
    expect(p.length).toBe(1);
    expect(squash(text(p[0] as Item[]))).toBe('Reference: CU 2012/150(A)/DTA/CEB/CSS 15 August 2012');
  });

  it('moves the date line and enclosures to a new page rather than splitting them', async () => {
    // Enough short paragraphs to fill page 1 exactly to the bottom margin.
    const body: Block[] = Array.from({ length: 60 }, (_, i) => ({
      type: 'paragraph' as const,
      align: 'left' as const,
      runs: [{ text: `Line ${i + 1}` }],
    }));
    for (let n = 28; n <= 34; n++) {
      const d: NoteDocument = { ...sampleNote({ enclosures: 1 }), body: body.slice(0, n) };
      const { pages: p } = await extract(await renderPdf(d));
      const last = p[p.length - 1] as Item[];
      expect(text(last)).toContain('15 August 2012');
      expect(text(last)).toContain('Enclosures: 1');
      expect(text(last)).toContain(d.footer);
    }
  });
});

describe('attachments', () => {
  async function attachment(name: string, label: string, pageCount: number): Promise<string> {
    const pdf = await PDFDocument.create({ updateMetadata: false });
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    for (let i = 0; i < pageCount; i++) {
      pdf.addPage([595.28, 841.89]).drawText(`${label} page ${i + 1}`, { x: 72, y: 700, size: 14, font });
    }
    const path = join(dir, name);
    writeFileSync(path, await pdf.save());
    return path;
  }

  it('appends the pages of each attachment after the note', async () => {
    const a = await attachment('agenda.pdf', 'Agenda', 2);
    const b = await attachment('info.pdf', 'Information', 1);
    const d = sampleNote({ enclosures: 2, attachments: [a, b] });
    const renderer = await createPdfRenderer([d]);
    const out = await renderer.render(d);
    const { pages: p, info: i } = await extract(out);
    expect(p.length).toBe(5);
    expect(text(p[2] as Item[])).toBe('Agenda page 1');
    expect(text(p[3] as Item[])).toBe('Agenda page 2');
    expect(text(p[4] as Item[])).toBe('Information page 1');
    expect(i.Title).toBe(d.meta.title);
    expect(i.Producer).toBe('nv');
    expect(i.CreationDate).toBe('D:20120815000000Z');
    const path = join(dir, 'merged.pdf');
    writeFileSync(path, out);
    expect(execFileSync('qpdf', ['--check', path], { encoding: 'utf8' })).toMatch(
      /No syntax or stream encoding errors/,
    );
    // Deterministic, and the attachment is parsed once per batch.
    expect(Buffer.from(await renderer.render(d)).equals(Buffer.from(out))).toBe(true);
    expect(Buffer.from(await renderPdf(d)).equals(Buffer.from(out))).toBe(true);
  });

  it('names the attachment that cannot be read', async () => {
    const missing = join(dir, 'no-such-file.pdf');
    await expect(renderPdf(sampleNote({ attachments: [missing] }))).rejects.toThrow(missing);
    const junk = join(dir, 'junk.pdf');
    writeFileSync(junk, 'this is not a PDF');
    await expect(renderPdf(sampleNote({ attachments: [junk] }))).rejects.toThrow(
      /Cannot read the attachment .*junk\.pdf/,
    );
  });
});
