/**
 * Enclosures appended to a note: the attachment pages are copied once per batch and written
 * verbatim into each note (no parsing or re-saving of the note).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPdfRenderer, renderPdf } from '../../src/render/pdf.js';
import { sampleNote } from './sample-note.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const AGENDA = join(ROOT, 'fixtures', 'uncac-2012', 'attachments', 'annotated-provisional-agenda.pdf');
const INFO = join(ROOT, 'fixtures', 'uncac-2012', 'attachments', 'information-for-participants.pdf');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nv-pdf-attach-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface PageInfo {
  text: string;
  width: number;
  height: number;
  links: Array<{ url?: string; destPage?: number }>;
}

/** Per page: the text (whitespace squashed), the size and the link annotations. */
async function read(bytes: Uint8Array): Promise<PageInfo[]> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, verbosity: 0 }).promise;
  const pages: PageInfo[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    const text = content.items
      .map((it) => ('str' in it ? it.str + (it.hasEOL ? ' ' : '') : ''))
      .join('')
      .replace(/\s+/g, ' ')
      .trim();
    const links: PageInfo['links'] = [];
    for (const a of (await page.getAnnotations()) as Array<Record<string, unknown>>) {
      if (a.subtype !== 'Link') continue;
      const dest = a.dest as unknown[] | undefined;
      links.push({
        ...(typeof a.url === 'string' ? { url: a.url } : {}),
        ...(dest ? { destPage: (await pdf.getPageIndex(dest[0] as { num: number; gen: number })) + 1 } : {}),
      });
    }
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    pages.push({ text, width: x1 - x0, height: y1 - y0, links });
  }
  await pdf.destroy();
  return pages;
}

function save(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function qpdfCheck(path: string): void {
  expect(execFileSync('qpdf', ['--check', path], { encoding: 'utf8' })).toMatch(
    /No syntax or stream encoding errors/,
  );
}

/** `pdffonts` rows: [name, embedded?]. */
function fonts(path: string): Array<[string, boolean]> {
  return execFileSync('pdffonts', [path], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .slice(2)
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      return [cols[0] as string, cols[cols.length - 5] === 'yes'];
    });
}

/** What the note looked like when pdf-lib loaded it, copied the attachment pages in and saved. */
async function pdfLibRoute(note: Uint8Array, attachments: string[]): Promise<Uint8Array> {
  const out = await PDFDocument.load(note, { updateMetadata: false });
  for (const path of attachments) {
    const src = await PDFDocument.load(readFileSync(path), { updateMetadata: false });
    for (const page of await out.copyPages(src, src.getPageIndices())) out.addPage(page);
  }
  return out.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}

/** A PDF written by hand: the objects in order, a classic xref. */
function handWritten(objects: string[]): Uint8Array {
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const stream = (ops: string): string => `<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`;

/**
 * Two 400×300 pages whose MediaBox and font are inherited from the page tree; page 1 links to
 * page 2 (/Dest) and to a web page, and its annotations point back to it (/P).
 */
const LINKED = handWritten([
  '<< /Type /Catalog /Pages 2 0 R >>',
  '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 400 300]' +
    ' /Resources << /Font << /H 5 0 R >> >> >>',
  '<< /Type /Page /Parent 2 0 R /Contents 6 0 R /Annots [8 0 R 9 0 R] >>',
  '<< /Type /Page /Parent 2 0 R /Contents 7 0 R >>',
  '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  stream('BT /H 12 Tf 20 250 Td (Linked page one) Tj ET'),
  stream('BT /H 12 Tf 20 250 Td (Linked page two) Tj ET'),
  '<< /Type /Annot /Subtype /Link /Rect [20 240 150 265] /Border [0 0 0] /Dest [4 0 R /Fit] /P 3 0 R >>',
  '<< /Type /Annot /Subtype /Link /Rect [20 200 150 225] /Border [0 0 0]' +
    ' /A << /S /URI /URI (https://example.org/) >> /P 3 0 R >>',
]);

describe('attachments appended to a note', () => {
  it('appends the enclosures made by nv, as the pdf-lib route did', async () => {
    const d = sampleNote({ enclosures: 2, attachments: [AGENDA, INFO] });
    const notePages = (await read(await renderPdf({ ...d, attachments: [] }))).length;
    const out = await renderPdf(d);
    const path = save('nv-enclosures.pdf', out);
    qpdfCheck(path);

    const pages = await read(out);
    expect(pages.length).toBe(notePages + 2);
    expect(pages[notePages]?.text).toContain('Annotated provisional agenda');
    expect(pages[notePages + 1]?.text).toContain('Information for participants');
    const old = await read(await pdfLibRoute(await renderPdf({ ...d, attachments: [] }), [AGENDA, INFO]));
    expect(pages.map((p) => p.text)).toEqual(old.map((p) => p.text));
    expect(pages.map((p) => [p.width, p.height])).toEqual(old.map((p) => [p.width, p.height]));

    // The note's fonts and the attachments' own (the same two subsets in both), all embedded.
    const list = fonts(path);
    expect(list.length).toBe(
      fonts(save('note-alone.pdf', await renderPdf({ ...d, attachments: [] }))).length + 2,
    );
    expect(list.every(([, embedded]) => embedded)).toBe(true);

    // The note keeps its own catalog and information.
    const raw = Buffer.from(out).toString('latin1');
    expect(raw).toMatch(/^%PDF-1\.7\n%\S+\n1 0 obj\n<< \/Type \/Catalog \/Pages 2 0 R \/Lang \(en-GB\)/);
    const info = await PDFDocument.load(out, { updateMetadata: false });
    expect(info.getTitle()).toBe(d.meta.title);
    expect(info.getProducer()).toBe('nv');
  });

  it('embeds a font program shared by the attachments once', async () => {
    const d = sampleNote({ enclosures: 2, attachments: [AGENDA, INFO] });
    const alone = await renderPdf({ ...d, attachments: [] });
    const out = await renderPdf(d);
    const path = save('shared-fonts.pdf', out);
    qpdfCheck(path);

    // Each attachment embeds the same two DejaVu subsets (made before nv used Tinos): they come along once.
    const count = (bytes: Uint8Array): number =>
      [
        ...Buffer.from(bytes)
          .toString('latin1')
          .matchAll(/\/FontFile2 \d+ 0 R/g),
      ].length;
    const own = fonts(save('shared-fonts-alone.pdf', alone)).length;
    const tags = new Set(
      fonts(path)
        .slice(own)
        .map(([name]) => name),
    );
    expect(tags.size).toBe(2);
    expect(count(out)).toBe(count(alone) + tags.size);
    // Before, both copies were written (about 127 KB).
    expect(out.length).toBeLessThan(110_000);

    const pages = await read(out);
    const n = pages.length - 2;
    expect(pages[n]?.text).toContain('Annotated provisional agenda');
    expect(pages[n + 1]?.text).toContain('Information for participants');
    // Still one page object per page.
    expect(
      [
        ...Buffer.from(out)
          .toString('latin1')
          .matchAll(/\/Type \/Page(?![a-zA-Z])/g),
      ].length,
    ).toBe(pages.length);
  });

  it('brings along inherited resources, annotations and links between the pages of an attachment', async () => {
    const lib = await PDFDocument.create({ updateMetadata: false });
    const helvetica = await lib.embedFont(StandardFonts.Helvetica);
    lib.addPage([595.28, 841.89]).drawText('Made by pdf-lib', { x: 72, y: 700, size: 14, font: helvetica });
    const made = save('made-by-pdf-lib.pdf', await lib.save());
    const linked = save('linked.pdf', LINKED);

    const d = sampleNote({ enclosures: 2, attachments: [linked, made] });
    const out = await renderPdf(d);
    const path = save('linked-enclosures.pdf', out);
    qpdfCheck(path);

    const pages = await read(out);
    const n = pages.length - 3;
    expect(pages.slice(n).map((p) => p.text)).toEqual([
      'Linked page one',
      'Linked page two',
      'Made by pdf-lib',
    ]);
    expect(pages.slice(n).map((p) => [p.width, p.height])).toEqual([
      [400, 300],
      [400, 300],
      [595.28, 841.89],
    ]);
    expect(pages[n]?.links).toEqual([{ destPage: n + 2 }, { url: 'https://example.org/' }]);
    // No second, orphan copy of a page referred to by an annotation.
    const raw = Buffer.from(out).toString('latin1');
    expect([...raw.matchAll(/\/Type \/Page(?![a-zA-Z])/g)].length).toBe(pages.length);

    // Helvetica was not embedded in the attachments and is not now; the note's fonts are.
    const list = fonts(path);
    expect(list.filter(([name]) => name === 'Helvetica')).toEqual([
      ['Helvetica', false],
      ['Helvetica', false],
    ]);
    expect(
      list.filter(([name]) => name !== 'Helvetica').every(([name, emb]) => emb && /DejaVu|Tinos/.test(name)),
    ).toBe(true);
  });

  it('gives a note the same bytes whatever batch it is rendered in, with an /ID that follows the attachments', async () => {
    const a = save('a.pdf', LINKED);
    const docs = [[AGENDA, INFO], [INFO], [], [a, AGENDA], [AGENDA, INFO]].map((attachments, i) =>
      sampleNote({ addressee: `Permanent Mission ${i}`, enclosures: attachments.length, attachments }),
    );
    const batch = await createPdfRenderer(docs);
    const inBatch = await Promise.all(docs.map((d) => batch.render(d)));
    for (const [i, d] of docs.entries()) {
      expect(Buffer.from(await renderPdf(d)).equals(Buffer.from(inBatch[i] as Uint8Array))).toBe(true);
    }

    const id = (bytes: Uint8Array): string =>
      (/\/ID \[<([0-9A-F]{32})>/.exec(Buffer.from(bytes).toString('latin1')) as RegExpExecArray)[1] as string;
    const d = docs[3] as (typeof docs)[number];
    const before = await renderPdf(d);
    // Same objects, one changed byte in a content stream: another /ID.
    save(
      'a.pdf',
      Buffer.from(Buffer.from(LINKED).toString('latin1').replace('page one', 'page One'), 'latin1'),
    );
    const after = await renderPdf(d);
    expect(after.length).toBe(before.length);
    expect(id(after)).not.toBe(id(before));
    expect(id(before)).not.toBe(id(await renderPdf({ ...d, attachments: [] })));
  });

  it('refuses an encrypted attachment with a clear message', async () => {
    const plain = save('plain.pdf', LINKED);
    const secret = join(dir, 'secret.pdf');
    execFileSync('qpdf', ['--encrypt', '', 'owner', '256', '--', plain, secret]);
    await expect(renderPdf(sampleNote({ attachments: [INFO, secret] }))).rejects.toThrow(
      /^Cannot read the attachment .*secret\.pdf: it is encrypted/,
    );
  });
});
