/**
 * Bad bytes never throw and never hang: arbitrary bytes, PDF-shaped garbage, hostile content
 * streams, and the real fixtures cut short or with bytes flipped.
 */
import fc from 'fast-check';
import { PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import {
  classifyDocument,
  classifyFile,
  type DocumentClassification,
} from '../../src/intake/classify-document.js';
import { classifyPdf } from '../../src/intake/classify-pdf.js';
import { parseEml } from '../../src/intake/eml.js';
import { sniffFile, type FileKind } from '../../src/intake/sniff.js';
import { reply } from './files.js';

const CLASSES = ['scanned', 'scanned-ocr', 'text-born', 'office', 'image', 'data', 'unreadable', 'review'];
const KINDS: FileKind[] = [
  'pdf',
  'tiff',
  'jpeg',
  'png',
  'docx',
  'doc',
  'odt',
  'rtf',
  'xlsx',
  'xls',
  'ods',
  'csv',
  'eml',
  'zip',
  'unknown',
];

function wellFormed(r: DocumentClassification): void {
  expect(CLASSES).toContain(r.class);
  expect(typeof r.reason).toBe('string');
  expect(r.reason.length).toBeGreaterThan(0);
  for (const p of r.pages) {
    expect(p.imageCoverage).toBeGreaterThanOrEqual(0);
    expect(p.imageCoverage).toBeLessThanOrEqual(1);
    expect(p.textUnderImage).toBeLessThanOrEqual(p.visibleGlyphs);
  }
}

describe('arbitrary bytes', () => {
  it('sniffFile, classifyDocument (as every kind) and parseEml never throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom(...KINDS), async (bytes, kind) => {
        const sniffed = await sniffFile(bytes, 'x.csv');
        expect(KINDS).toContain(sniffed.kind);
        wellFormed(await classifyDocument(bytes, kind));
        const m = await parseEml(bytes);
        expect(Array.isArray(m.attachments)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('PDF-shaped garbage (a header, random objects, %%EOF) is classified, never thrown', async () => {
    const token = fc.constantFrom(
      '1 0 obj',
      'endobj',
      '<<',
      '>>',
      '/Type /Page',
      '/Type /Pages',
      '/Kids [3 0 R]',
      '/Contents 4 0 R',
      '/Root 2 0 R',
      '/Parent 2 0 R',
      'stream\n',
      '\nendstream',
      'xref\n0 1\n0000000000 65535 f \n',
      'trailer',
      'startxref\n9\n',
      '/Filter /FlateDecode',
      '/Length 99',
      '/Encrypt 5 0 R',
      '(',
      ')',
      '[',
      ']',
      ' ',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(token, fc.string({ maxLength: 8 })), { maxLength: 60 }),
        async (parts) => {
          const bytes = Buffer.from(`%PDF-1.7\n${parts.join(' ')}\n%%EOF\n`, 'latin1');
          wellFormed(await classifyDocument(bytes, 'pdf'));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('hostile content streams (random operators and operands) end, and measure within bounds', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const page = doc.addPage([595, 842]);
    const image = doc.context.register(
      doc.context.stream(new Uint8Array(4), {
        Type: 'XObject',
        Subtype: 'Image',
        Width: 2,
        Height: 2,
        ColorSpace: 'DeviceGray',
        BitsPerComponent: 8,
      }),
    );
    page.node.setXObject(PDFName.of('Im0'), image);
    const contentRef = doc.context.register(doc.context.stream(''));
    page.node.set(PDFName.of('Contents'), contentRef);
    const template = await doc.save({ useObjectStreams: false });

    const op = fc.constantFrom(
      'q',
      'Q',
      'cm',
      'BT',
      'ET',
      'Tj',
      'TJ',
      "'",
      '"',
      'Tr',
      'Td',
      'TD',
      'T*',
      'Tm',
      'Do',
      'BI',
      'ID',
      'EI',
      're',
      'W',
      'n',
      'f',
      'sh',
      'Tf',
    );
    const operand = fc.oneof(
      fc.double({ noNaN: false }).map(String),
      fc.constantFrom(
        '/Im0',
        '/F1',
        '/Nope',
        '(abc)',
        '<00ff>',
        '[',
        ']',
        '<<',
        '>>',
        '(',
        '0',
        '1',
        '595',
        '842',
        '3',
        '7',
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(op, operand), { maxLength: 200 }), async (tokens) => {
        const loaded = await PDFDocument.load(template, { updateMetadata: false });
        const content = loaded.context.stream(tokens.join(' '));
        loaded.getPage(0).node.set(PDFName.of('Contents'), loaded.context.register(content));
        const r = await classifyPdf(await loaded.save({ useObjectStreams: false }));
        expect(r.pages).toHaveLength(1);
        wellFormed(r);
      }),
      { numRuns: 100 },
    );
  });
});

describe('hostile structure', () => {
  it('a page tree that contains itself and a page that is its own parent: classified, not a hang or a crash', async () => {
    const pdf = [
      '%PDF-1.4',
      '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
      '2 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >> endobj',
      '3 0 obj << /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj',
      '4 0 obj << /Length 9 >> stream\nq 1 0 0 1 0 0 cm Q\nendstream endobj',
      'trailer << /Root 1 0 R >>',
      '%%EOF',
    ].join('\n');
    const r = await classifyPdf(Buffer.from(pdf, 'latin1'));
    wellFormed(r);
  });

  it.each([
    [2, 40],
    [200, 8],
  ])(
    'a Form XObject bomb (each form draws the next one %i times, %i deep) ends within seconds',
    async (fanOut, depth) => {
      const objects = [
        '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
        '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
      ];
      objects.push(
        `3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /F 10 0 R >> >> /Contents 4 0 R >> endobj`,
        '4 0 obj << /Length 6 >> stream\n/F Do\nendstream endobj',
      );
      for (let i = 0; i < depth; i++) {
        const next = i + 1 < depth ? `/Resources << /XObject << /F ${11 + i} 0 R >> >>` : '';
        const body = i + 1 < depth ? '/F Do '.repeat(fanOut) : '(x) Tj';
        objects.push(
          `${10 + i} 0 obj << /Type /XObject /Subtype /Form /BBox [0 0 595 842] ${next} /Length ${body.length} >> stream\n${body}\nendstream endobj`,
        );
      }
      // It ends because the walk is cut at the operator limit (the reason says so); how fast is
      // the bench's business (bench/fuzz/replies.mjs), the test's timeout only catches a hang.
      const r = await classifyPdf(
        Buffer.from(['%PDF-1.4', ...objects, 'trailer << /Root 1 0 R >>', '%%EOF'].join('\n'), 'latin1'),
      );
      wellFormed(r);
      if (fanOut > 2)
        expect(r.reason).toMatch(/too much content to measure whole \(over 30\d,\d{3} operators\)/);
    },
    60_000,
  );
});

describe('the real fixtures, damaged', () => {
  const files = [
    'typed-reply.pdf',
    'jbig2-scan.pdf',
    'fax-header-scan.pdf',
    'encrypted-empty-password.pdf',
    'mixed-typed-scanned.pdf',
    'fax.tif',
    'photo.jpg',
    'reply.docx',
    'forwarded.eml',
  ];

  it('cut at any point: classified (usually unreadable), never thrown', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...files),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (name, share) => {
          const bytes = reply(name);
          const cut = bytes.subarray(0, Math.floor(bytes.length * share));
          wellFormed(await classifyFile(cut, name));
          await parseEml(cut);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('with bytes overwritten at random: classified, never thrown', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...files),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
            fc.integer({ min: 0, max: 255 }),
          ),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        async (name, flips) => {
          const bytes = new Uint8Array(reply(name));
          for (const [where, value] of flips) bytes[Math.floor(where * bytes.length)] = value;
          wellFormed(await classifyFile(bytes, name));
          await parseEml(bytes);
        },
      ),
      { numRuns: 60 },
    );
  });
});
