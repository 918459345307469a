import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { classifyDocument, classifyFile } from '../../src/intake/classify-document.js';
import { reply } from './files.js';

describe('every reply fixture file, as a person would class it', () => {
  it.each([
    ['scanned-reply.pdf', 'pdf', 'scanned'],
    ['scanned-ocr.pdf', 'pdf', 'scanned-ocr'],
    ['typed-reply.pdf', 'pdf', 'text-born'],
    ['typed-logo-signature.pdf', 'pdf', 'text-born'],
    ['fax-header-scan.pdf', 'pdf', 'scanned'],
    ['jbig2-scan.pdf', 'pdf', 'scanned'],
    ['form-xobject-scan.pdf', 'pdf', 'scanned'],
    ['mixed-typed-scanned.pdf', 'pdf', 'review'],
    ['text-under-scan.pdf', 'pdf', 'review'],
    ['outlines.pdf', 'pdf', 'review'],
    ['encrypted-empty-password.pdf', 'pdf', 'scanned'],
    ['encrypted-password.pdf', 'pdf', 'unreadable'],
    ['truncated.pdf', 'pdf', 'unreadable'],
    ['empty.pdf', 'unknown', 'unreadable'],
    ['fax.tif', 'tiff', 'image'],
    ['photo.jpg', 'jpeg', 'image'],
    ['reply.docx', 'docx', 'office'],
    ['reply-scanned.eml', 'eml', 'review'],
  ])('%s: %s → %s', async (name, kind, cls) => {
    const r = await classifyFile(reply(name), name);
    expect(r.kind).toBe(kind);
    expect(r.class).toBe(cls);
    expect(r.reason.length).toBeGreaterThan(5);
  });
});

describe('images', () => {
  it('fax.tif: one page, 1728×2292 px at 204×196 dpi, CCITT Group 4', async () => {
    const r = await classifyDocument(reply('fax.tif'), 'tiff');
    expect(r.class).toBe('image');
    expect(r.image).toEqual({
      format: 'tiff',
      width: 1728,
      height: 2292,
      pages: 1,
      dpi: [204, 196],
      compression: 'CCITT Group 4 (fax)',
    });
    expect(r.reason).toBe('TIFF image, 1728×2292 px at 204×196 dpi, CCITT Group 4 (fax)');
    expect(r.pages).toEqual([expect.objectContaining({ index: 0, imageCoverage: 1, visibleGlyphs: 0 })]);
  });

  it('photo.jpg: the camera from EXIF', async () => {
    const r = await classifyDocument(reply('photo.jpg'), 'jpeg');
    expect(r.class).toBe('image');
    expect(r.image).toMatchObject({
      format: 'jpeg',
      width: 867,
      height: 1200,
      pages: 1,
      camera: 'Apple iPhone 4S',
    });
    expect(r.reason).toMatch(/taken with Apple iPhone 4S/);
  });

  it('a multi-page TIFF counts its pages', async () => {
    const r = await classifyDocument(twoPageTiff(), 'tiff');
    expect(r.class).toBe('image');
    expect(r.image?.pages).toBe(2);
    expect(r.pages).toHaveLength(2);
    expect(r.reason).toMatch(/^TIFF image, 2 pages, 8×8 px at 200 dpi, uncompressed$/);
  });

  it('a PNG with its resolution', async () => {
    const r = await classifyDocument(PNG_1X1_72DPI, 'png');
    expect(r).toMatchObject({ class: 'image', image: { format: 'png', width: 1, height: 1, dpi: [72, 72] } });
  });

  it.each([
    ['fax.tif', 'tiff', 12_000, /TIFF/],
    ['photo.jpg', 'jpeg', 30_000, /^truncated JPEG/],
  ] as const)('%s cut short is unreadable', async (name, kind, length, reason) => {
    const r = await classifyDocument(reply(name).subarray(0, length), kind);
    expect(r.class).toBe('unreadable');
    expect(r.reason).toMatch(reason);
  });

  it('a PNG cut short is unreadable', async () => {
    const r = await classifyDocument(PNG_1X1_72DPI.subarray(0, PNG_1X1_72DPI.length - 12), 'png');
    expect(r).toMatchObject({ class: 'unreadable', reason: expect.stringMatching(/^truncated PNG/) });
  });
});

describe('office documents and data', () => {
  it('reply.docx: office, with its word count', async () => {
    const r = await classifyDocument(reply('reply.docx'), 'docx');
    expect(r.class).toBe('office');
    expect(r.reason).toMatch(/^Word document \(DOCX\): 2\d\d words, 0 pictures$/);
  });

  it('a DOCX cut short is unreadable', async () => {
    const r = await classifyDocument(reply('reply.docx').subarray(0, 4000), 'docx');
    expect(r.class).toBe('unreadable');
    expect(r.reason).toMatch(/^damaged Word document/);
  });

  it('a ZIP that says DOCX but has no word/document.xml is unreadable', async () => {
    const r = await classifyDocument(zipSync({ 'word/styles.xml': strToU8('<x/>') }), 'docx');
    expect(r).toMatchObject({
      class: 'unreadable',
      reason: 'damaged Word document (DOCX): it has no word/document.xml',
    });
  });

  it('DOC, RTF and ODT are office; CSV, XLSX and XLS are data', async () => {
    expect((await classifyDocument(Buffer.from('{\\rtf1 x}'), 'rtf')).class).toBe('office');
    expect((await classifyDocument(new Uint8Array(8), 'doc')).class).toBe('office');
    const odt = zipSync({
      mimetype: strToU8('application/vnd.oasis.opendocument.text'),
      'content.xml': strToU8('<x/>'),
    });
    expect((await classifyDocument(odt, 'odt')).class).toBe('office');
    const csv = await classifyDocument(
      Buffer.from('Name;E-mail\nMaria Huber;maria.huber@bmeia.gv.at\n'),
      'csv',
    );
    expect(csv).toMatchObject({ class: 'data', reason: 'CSV, 2 lines: a delegation list to import' });
    const xlsx = zipSync({ 'xl/workbook.xml': strToU8('<workbook/>') });
    expect((await classifyDocument(xlsx, 'xlsx')).class).toBe('data');
    expect((await classifyDocument(new Uint8Array(8), 'xls')).class).toBe('data');
  });

  it('a ZIP, an e-mail file and an unknown type go to review; an empty file is unreadable', async () => {
    expect(
      (await classifyDocument(zipSync({ 'a.pdf': strToU8('x'), 'b.pdf': strToU8('y') }), 'zip')).reason,
    ).toBe('a ZIP archive of 2 files: unpack it and ingest its files');
    expect((await classifyDocument(reply('reply-typed.eml'), 'eml')).class).toBe('review');
    expect((await classifyDocument(Buffer.from('hello'), 'unknown')).class).toBe('review');
    expect(await classifyDocument(new Uint8Array(0), 'docx')).toMatchObject({
      class: 'unreadable',
      reason: 'empty file (0 bytes)',
    });
  });
});

// A 1×1 grey PNG with a pHYs chunk of 2835 px/m (72 dpi).
const PNG_1X1_72DPI = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACXBIWXMAAAsTAAALEwEAmpwYAAAACklEQVR4nGNgAAAAAgABc3UBGAAAAABJRU5ErkJggg==',
    'base64',
  ),
);

/** Two uncompressed 8×8 grey pages at 200 dpi, little-endian. */
function twoPageTiff(): Uint8Array {
  const page = 64;
  const entries = 8;
  const ifdSize = 2 + entries * 12 + 4;
  const buf = Buffer.alloc(8 + 2 * (page + ifdSize + 16));
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  let at = 8;
  let previousNext = 4;
  for (let p = 0; p < 2; p++) {
    const data = at;
    at += page;
    const res = at;
    buf.writeUInt32LE(200, res);
    buf.writeUInt32LE(1, res + 4);
    at += 8;
    const ifd = at;
    buf.writeUInt32LE(ifd, previousNext);
    buf.writeUInt16LE(entries, ifd);
    const tags: [number, number, number, number][] = [
      [256, 3, 1, 8],
      [257, 3, 1, 8],
      [258, 3, 1, 8],
      [259, 3, 1, 1],
      [273, 4, 1, data],
      [279, 4, 1, page],
      [282, 5, 1, res],
      [283, 5, 1, res],
    ];
    tags.forEach(([tag, type, count, value], i) => {
      const e = ifd + 2 + i * 12;
      buf.writeUInt16LE(tag, e);
      buf.writeUInt16LE(type, e + 2);
      buf.writeUInt32LE(count, e + 4);
      if (type === 3) buf.writeUInt16LE(value, e + 8);
      else buf.writeUInt32LE(value, e + 8);
    });
    previousNext = ifd + 2 + entries * 12;
    buf.writeUInt32LE(0, previousNext);
    at = ifd + ifdSize;
  }
  return new Uint8Array(buf.subarray(0, at));
}
