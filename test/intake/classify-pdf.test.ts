import { PDFDocument, PDFName, type PDFRef } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { THRESHOLDS, classifyPage, classifyPdf } from '../../src/intake/classify-pdf.js';
import { HAS_CORPUS, corpus, corpusManifest, latin1, reply } from './files.js';

describe('the reply fixtures, classified as a person would', () => {
  it('scanned-reply.pdf (a grey JPEG scan by img2pdf) is scanned: one image over the whole page, no text', async () => {
    const bytes = reply('scanned-reply.pdf');
    expect(latin1(bytes)).toContain('/DCTDecode');
    const r = await classifyPdf(bytes);
    expect(r.class).toBe('scanned');
    expect(r.reader).toBe('pdf-lib');
    expect(r.pages).toHaveLength(1);
    const [p] = r.pages;
    expect(p?.imageCoverage).toBeGreaterThanOrEqual(0.99);
    expect(p).toMatchObject({
      class: 'scanned',
      visibleGlyphs: 0,
      invisibleGlyphs: 0,
      textUnderImage: 0,
      images: 1,
    });
    expect(r.reason).toMatch(
      /every page is an image \(1 page\): an image covers 100% of the page, no visible text/,
    );
  });

  it('scanned-ocr.pdf (tesseract) is scanned-ocr: the image covers the page, the text is all invisible (render mode 3)', async () => {
    const r = await classifyPdf(reply('scanned-ocr.pdf'));
    expect(r.class).toBe('scanned-ocr');
    const [p] = r.pages;
    expect(p?.imageCoverage).toBe(1);
    expect(p?.visibleGlyphs).toBe(0);
    expect(p?.invisibleGlyphs).toBeGreaterThan(1000); // the whole note, OCR'd
    expect(p?.textUnderImage).toBe(0);
    expect(r.reason).toMatch(/OCR/);
  });

  it('typed-reply.pdf (exported by LibreOffice) is text-born: ~1,600 visible glyphs, no image', async () => {
    const r = await classifyPdf(reply('typed-reply.pdf'));
    expect(r.class).toBe('text-born');
    const [p] = r.pages;
    expect(p).toMatchObject({ imageCoverage: 0, invisibleGlyphs: 0, images: 0, textUnderImage: 0 });
    expect(p?.visibleGlyphs).toBeGreaterThan(1400);
    expect(p?.visibleGlyphs).toBeLessThan(1800);
  });

  it('typed-logo-signature.pdf is text-born: a logo and a signature image cover under 5% of the page', async () => {
    const r = await classifyPdf(reply('typed-logo-signature.pdf'));
    expect(r.class).toBe('text-born');
    const [p] = r.pages;
    expect(p?.images).toBe(2);
    expect(p?.imageCoverage).toBeGreaterThan(0.005);
    expect(p?.imageCoverage).toBeLessThan(0.05);
    expect(p?.visibleGlyphs).toBeGreaterThan(1400);
    expect(r.reason).toMatch(/2 images covering 2% of the page/);
  });

  it('fax-header-scan.pdf (CCITT G4 page + a fax server text line on top) is scanned: 82 visible glyphs stay under the limit', async () => {
    const bytes = reply('fax-header-scan.pdf');
    expect(latin1(bytes)).toContain('/CCITTFaxDecode');
    const r = await classifyPdf(bytes);
    expect(r.class).toBe('scanned');
    const [p] = r.pages;
    expect(p?.imageCoverage).toBe(1);
    expect(p?.visibleGlyphs).toBe(82);
    expect(p?.visibleGlyphs).toBeLessThanOrEqual(THRESHOLDS.MAX_SCAN_VISIBLE_GLYPHS);
    expect(p?.textUnderImage).toBe(0); // painted after the image: on top, not under
  });

  it('jbig2-scan.pdf (a JBIG2 MMR image) is scanned', async () => {
    const bytes = reply('jbig2-scan.pdf');
    expect(latin1(bytes)).toContain('/JBIG2Decode');
    const r = await classifyPdf(bytes);
    expect(r.class).toBe('scanned');
    expect(r.pages[0]).toMatchObject({ imageCoverage: 1, visibleGlyphs: 0, images: 1 });
  });

  it('form-xobject-scan.pdf (the scan drawn through a Form XObject) is scanned', async () => {
    const bytes = reply('form-xobject-scan.pdf');
    expect(latin1(bytes)).toMatch(/\/Subtype \/Form/);
    const r = await classifyPdf(bytes);
    expect(r.class).toBe('scanned');
    expect(r.pages[0]?.imageCoverage).toBeGreaterThanOrEqual(0.99);
  });

  it('mixed-typed-scanned.pdf goes to review: "mixed: page 1 typed, page 2 scanned"', async () => {
    const r = await classifyPdf(reply('mixed-typed-scanned.pdf'));
    expect(r.class).toBe('review');
    expect(r.reason).toBe('mixed: page 1 typed, page 2 scanned');
    expect(r.pages.map((p) => p.class)).toEqual(['text-born', 'scanned']);
    expect(r.pages[0]?.visibleGlyphs).toBeGreaterThan(1400);
    expect(r.pages[1]?.imageCoverage).toBe(1);
  });

  it('text-under-scan.pdf (typed text with a scan painted over it) goes to review: every glyph lies under the image', async () => {
    const r = await classifyPdf(reply('text-under-scan.pdf'));
    expect(r.class).toBe('review');
    const [p] = r.pages;
    expect(p?.imageCoverage).toBe(1);
    expect(p?.visibleGlyphs).toBeGreaterThan(1400);
    expect(p?.textUnderImage).toBe(p?.visibleGlyphs);
    expect(r.reason).toMatch(
      /^text under an image: 1,\d{3} glyphs of typed text lie under an image covering 100% of the page$/,
    );
  });

  it('outlines.pdf (text turned into paths by Ghostscript) goes to review: no text, no image, only paths', async () => {
    const r = await classifyPdf(reply('outlines.pdf'));
    expect(r.class).toBe('review');
    expect(r.pages[0]).toMatchObject({ visibleGlyphs: 0, invisibleGlyphs: 0, images: 0, imageCoverage: 0 });
    expect(r.pages[0]?.vectorPaths).toBeGreaterThan(100);
    expect(r.reason).toMatch(/outlines/);
  });

  it('encrypted-empty-password.pdf (AES-256, owner password only) opens through pdf.js and is scanned', async () => {
    const bytes = reply('encrypted-empty-password.pdf');
    expect(latin1(bytes)).toContain('/Encrypt');
    const r = await classifyPdf(bytes);
    expect(r).toMatchObject({ class: 'scanned', encrypted: true, reader: 'pdfjs' });
    expect(r.pages[0]).toMatchObject({ imageCoverage: 1, visibleGlyphs: 0, images: 1 });
  });

  it('encrypted-password.pdf (a user password) is unreadable, and says so', async () => {
    const r = await classifyPdf(reply('encrypted-password.pdf'));
    expect(r).toMatchObject({ class: 'unreadable', encrypted: true, pages: [] });
    expect(r.reason).toMatch(/encrypted with a password/);
  });

  it('empty.pdf (0 bytes) and truncated.pdf (cut at 16,000 bytes) are unreadable with the reason', async () => {
    expect(await classifyPdf(reply('empty.pdf'))).toMatchObject({
      class: 'unreadable',
      reason: 'empty file (0 bytes)',
    });
    const t = await classifyPdf(reply('truncated.pdf'));
    expect(t.class).toBe('unreadable');
    expect(t.reason).toMatch(/^truncated: .*16,000 bytes.*%%EOF/);
  });

  it('a PDF behind a few junk bytes (as some gateways deliver it) is read like the original', async () => {
    const original = reply('typed-reply.pdf');
    const junk = new Uint8Array([...Buffer.from('\r\n\r\nJUNK'), ...original]);
    const r = await classifyPdf(junk);
    expect(r.class).toBe('text-born');
    expect(r.pages[0]?.visibleGlyphs).toBe((await classifyPdf(original)).pages[0]?.visibleGlyphs);
  });
});

describe.skipIf(!HAS_CORPUS)(
  'the pdf.js corpus (test/fixtures/pdfjs, copied from ../shared/corpus/pdfjs), checked against its MANIFEST',
  () => {
    const rows = HAS_CORPUS ? corpusManifest() : [];
    it.each(rows)('$file: $expected ($what)', async ({ file, expected }) => {
      const started = performance.now();
      const r = await classifyPdf(corpus(file));
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(r.reason).not.toBe('');
      switch (expected) {
        case 'scanned':
        case 'scanned-ocr':
        case 'text-born':
        case 'unreadable':
          expect(r.class).toBe(expected);
          break;
        case 'not-scanned':
          expect(r.class).not.toMatch(/^scanned/);
          break;
        case 'no-crash':
          expect(['scanned', 'scanned-ocr', 'text-born', 'review', 'unreadable']).toContain(r.class);
          break;
        default:
          throw new Error(`unknown expectation ${expected}`);
      }
    });

    it('scan-bad.pdf: a 300 dpi JPEG covering the page, and its few OCR glyphs invisible', async () => {
      const r = await classifyPdf(corpus('scan-bad.pdf'));
      expect(r.pages[0]).toMatchObject({ imageCoverage: 1, visibleGlyphs: 0, invisibleGlyphs: 6 });
    });

    it('empty.pdf and empty_protected.pdf (AES-256 R6, empty password) are both blank: review, not a scan', async () => {
      const plain = await classifyPdf(corpus('empty.pdf'));
      const locked = await classifyPdf(corpus('empty_protected.pdf'));
      expect(plain).toMatchObject({ class: 'review', encrypted: false, reader: 'pdf-lib' });
      expect(locked).toMatchObject({ class: 'review', encrypted: true, reader: 'pdfjs' });
      expect(locked.reason).toMatch(/^blank/);
    });

    it('tracemonkey.pdf: 14 typed pages, figures under 5% of a page', async () => {
      const r = await classifyPdf(corpus('tracemonkey.pdf'));
      expect(r.pages).toHaveLength(14);
      expect(
        r.pages.every((p) => p.class === 'text-born' && p.imageCoverage < 0.05 && p.visibleGlyphs > 2000),
      ).toBe(true);
    });
  },
);

// ---------------------------------------------------------------------------------------------
// Synthetic pages: one construct each, built with pdf-lib around a hand-written content stream.

interface Build {
  content: string | Uint8Array | (string | Uint8Array)[];
  images?: Record<string, { smask?: boolean; imageMask?: boolean }>;
  forms?: Record<string, { content: string; bbox?: number[]; matrix?: number[]; self?: boolean }>;
  type0Font?: boolean;
  cropBox?: [number, number, number, number];
}

async function pdf(build: Build): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([595, 842]);
  const ctx = doc.context;
  const imageRef = (opts: { smask?: boolean; imageMask?: boolean }): PDFRef => {
    const dict: Record<string, unknown> = {
      Type: 'XObject',
      Subtype: 'Image',
      Width: 2,
      Height: 2,
      BitsPerComponent: opts.imageMask ? 1 : 8,
    };
    if (opts.imageMask) dict['ImageMask'] = true;
    else dict['ColorSpace'] = 'DeviceGray';
    if (opts.smask) {
      dict['SMask'] = ctx.register(
        ctx.stream(new Uint8Array(4), {
          Type: 'XObject',
          Subtype: 'Image',
          Width: 2,
          Height: 2,
          ColorSpace: 'DeviceGray',
          BitsPerComponent: 8,
        }),
      );
    }
    return ctx.register(ctx.stream(new Uint8Array(4), dict as never));
  };
  for (const [name, opts] of Object.entries(build.images ?? {}))
    page.node.setXObject(PDFName.of(name), imageRef(opts));
  const font = ctx.register(
    ctx.obj(
      build.type0Font
        ? { Type: 'Font', Subtype: 'Type0', BaseFont: 'Test', Encoding: 'Identity-H' }
        : { Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica' },
    ),
  );
  page.node.setFontDictionary(PDFName.of('F1'), font);
  for (const [name, form] of Object.entries(build.forms ?? {})) {
    const resources = ctx.obj({ XObject: {} });
    const stream = ctx.stream(form.content, {
      Type: 'XObject',
      Subtype: 'Form',
      BBox: form.bbox ?? [0, 0, 1, 1],
      ...(form.matrix ? { Matrix: form.matrix } : {}),
      Resources: resources,
    });
    const ref = ctx.register(stream);
    const xobjects = resources.lookup(PDFName.of('XObject')) as unknown as {
      set(k: PDFName, v: PDFRef): void;
    };
    for (const [img, opts] of Object.entries(build.images ?? {}))
      xobjects.set(PDFName.of(img), imageRef(opts));
    if (form.self) xobjects.set(PDFName.of(name), ref);
    page.node.setXObject(PDFName.of(name), ref);
  }
  const parts = Array.isArray(build.content) ? build.content : [build.content];
  const refs = parts.map((c) => ctx.register(ctx.stream(c)));
  page.node.set(PDFName.of('Contents'), refs.length === 1 ? (refs[0] as PDFRef) : ctx.obj(refs));
  if (build.cropBox) page.node.set(PDFName.of('CropBox'), ctx.obj(build.cropBox));
  return doc.save({ useObjectStreams: false });
}

const FULL_PAGE = '595 0 0 842 0 0 cm';
const TEXT = (n: number, mode = 0): string => `BT /F1 10 Tf ${mode} Tr 50 700 Td (${'x'.repeat(n)}) Tj ET`;

describe('content-stream constructs (synthetic pages)', () => {
  it('an inline image (BI … ID … EI) over the page is a scan; text after it is still read', async () => {
    const data = new Uint8Array(16).fill(0x45); // "EEEE…": not mistaken for EI, the length is known
    data[5] = 0x49;
    const content = [`q ${FULL_PAGE} BI /W 4 /H 4 /BPC 8 /CS /G ID `, data, `\nEI Q ${TEXT(30)}`].map((p) =>
      typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p),
    );
    const r = await classifyPdf(await pdf({ content: Buffer.concat(content) }));
    expect(r.pages[0]).toMatchObject({ class: 'scanned', imageCoverage: 1, images: 1, visibleGlyphs: 30 });
  });

  it('a scan in strips (10 images, each a tenth of the page) covers the page once', async () => {
    const strips = Array.from({ length: 10 }, (_, i) => `q 595 0 0 84.2 0 ${i * 84.2} cm /Im0 Do Q`).join(
      '\n',
    );
    const r = await classifyPdf(await pdf({ content: strips, images: { Im0: {} } }));
    expect(r.pages[0]).toMatchObject({ class: 'scanned', images: 10 });
    expect(r.pages[0]?.imageCoverage).toBeCloseTo(1, 3);
  });

  it('two full-page images on top of each other count once (union, not sum)', async () => {
    const r = await classifyPdf(
      await pdf({ content: `q ${FULL_PAGE} /Im0 Do /Im0 Do Q`, images: { Im0: {} } }),
    );
    expect(r.pages[0]?.imageCoverage).toBe(1);
  });

  it('a scan rotated by 90° still covers the page', async () => {
    const r = await classifyPdf(
      await pdf({ content: 'q 0 842 -595 0 595 0 cm /Im0 Do Q', images: { Im0: {} } }),
    );
    expect(r.pages[0]).toMatchObject({ class: 'scanned' });
    expect(r.pages[0]?.imageCoverage).toBeGreaterThan(0.99);
  });

  it('a rectangle clip (re W n) limits what an image covers', async () => {
    const r = await classifyPdf(
      await pdf({ content: `q 0 0 100 100 re W n ${FULL_PAGE} /Im0 Do Q`, images: { Im0: {} } }),
    );
    expect(r.pages[0]?.imageCoverage).toBeCloseTo((100 * 100) / (595 * 842), 3);
    expect(r.pages[0]?.class).toBe('review'); // a small image and nothing else
  });

  it('coverage is a share of the CropBox, and what lies outside it does not count', async () => {
    const r = await classifyPdf(
      await pdf({
        content: 'q 300 0 0 842 0 0 cm /Im0 Do Q',
        images: { Im0: {} },
        cropBox: [0, 0, 300, 842],
      }),
    );
    expect(r.pages[0]?.imageCoverage).toBe(1);
    const outside = await classifyPdf(
      await pdf({
        content: 'q 295 0 0 842 300 0 cm /Im0 Do Q',
        images: { Im0: {} },
        cropBox: [0, 0, 300, 842],
      }),
    );
    expect(outside.pages[0]?.imageCoverage).toBe(0);
  });

  it('render modes 3 and 7 are invisible, 0–2 and 4–6 visible', async () => {
    const content = [0, 1, 2, 3, 4, 5, 6, 7].map((mode) => TEXT(10, mode)).join('\n');
    const r = await classifyPdf(await pdf({ content }));
    expect(r.pages[0]).toMatchObject({ visibleGlyphs: 60, invisibleGlyphs: 20 });
  });

  it('glyphs are counted for Tj, TJ, \' and ", two bytes a glyph in a Type0 (Identity-H) font', async () => {
    const simple = 'BT /F1 10 Tf 12 TL (abc) Tj [(de) -120 (fgh)] TJ (ij) \' 1 2 (k\\)l) " <6d6e> Tj ET';
    const r = await classifyPdf(await pdf({ content: simple }));
    expect(r.pages[0]?.visibleGlyphs).toBe(3 + 5 + 2 + 3 + 2);
    const cid = await classifyPdf(
      await pdf({ content: 'BT /F1 10 Tf <0041004200430044> Tj ET', type0Font: true }),
    );
    expect(cid.pages[0]?.visibleGlyphs).toBe(4);
  });

  it('a scan inside nested Form XObjects is found, with each form’s Matrix applied', async () => {
    const r = await classifyPdf(
      await pdf({
        content: `q ${FULL_PAGE} /Fm0 Do Q`,
        images: { Im0: {} },
        forms: { Fm0: { content: 'q 0.5 0 0 0.5 0 0 cm /Im0 Do Q', matrix: [2, 0, 0, 2, 0, 0] } },
      }),
    );
    expect(r.pages[0]).toMatchObject({ class: 'scanned', images: 1 });
    expect(r.pages[0]?.imageCoverage).toBeGreaterThan(0.99);
  });

  it("a Form XObject's BBox clips what it paints", async () => {
    const r = await classifyPdf(
      await pdf({
        content: `q ${FULL_PAGE} /Fm0 Do Q`,
        images: { Im0: {} },
        forms: { Fm0: { content: '/Im0 Do', bbox: [0, 0, 0.5, 1] } },
      }),
    );
    expect(r.pages[0]?.imageCoverage).toBeCloseTo(0.5, 3);
  });

  it('a Form XObject that draws itself ends (no endless recursion)', async () => {
    const r = await classifyPdf(
      await pdf({
        content: `q ${FULL_PAGE} /Fm0 Do Q`,
        images: { Im0: {} },
        forms: { Fm0: { content: '/Im0 Do /Fm0 Do', self: true } },
      }),
    );
    expect(r.pages[0]).toMatchObject({ class: 'scanned', images: 1 });
  });

  it('text under a transparent image (soft mask) or a stencil mask is not hidden; under an opaque one it is', async () => {
    const typed = `${TEXT(300)}\nq ${FULL_PAGE} /Im0 Do Q`;
    const soft = await classifyPdf(await pdf({ content: typed, images: { Im0: { smask: true } } }));
    expect(soft.pages[0]).toMatchObject({ class: 'text-born', textUnderImage: 0 });
    const stencil = await classifyPdf(await pdf({ content: typed, images: { Im0: { imageMask: true } } }));
    expect(stencil.pages[0]).toMatchObject({ class: 'text-born', textUnderImage: 0 });
    const opaque = await classifyPdf(await pdf({ content: typed, images: { Im0: {} } }));
    expect(opaque.pages[0]).toMatchObject({ class: 'review', textUnderImage: 300 });
  });

  it('typed text over a full-page background image (letterhead) is text-born', async () => {
    const r = await classifyPdf(
      await pdf({ content: `q ${FULL_PAGE} /Im0 Do Q\n${TEXT(600)}`, images: { Im0: {} } }),
    );
    expect(r.pages[0]).toMatchObject({
      class: 'text-born',
      imageCoverage: 1,
      visibleGlyphs: 600,
      textUnderImage: 0,
    });
  });

  it('a content stream split over an array of streams is read as one', async () => {
    const r = await classifyPdf(await pdf({ content: [`q ${FULL_PAGE}`, '/Im0 Do Q'], images: { Im0: {} } }));
    expect(r.pages[0]?.imageCoverage).toBe(1);
  });

  it('a blank page is a blank document: review, not a scan', async () => {
    const r = await classifyPdf(await pdf({ content: '' }));
    expect(r.pages[0]?.class).toBe('blank');
    expect(r.class).toBe('review');
    expect(r.reason).toMatch(/^blank/);
  });

  it('garbage in a content stream is skipped, not thrown', async () => {
    const r = await classifyPdf(
      await pdf({ content: `] >> ) ( [ << /X cm Q Q Q q BI ID \x00\xff ${FULL_PAGE} /Nope Do Tj TJ ' "` }),
    );
    expect(['blank', 'review', 'text-born', 'scanned']).toContain(r.pages[0]?.class);
  });
});

describe('classifyPage: the thresholds as a table', () => {
  const m = (imageCoverage: number, visibleGlyphs: number, invisibleGlyphs = 0, textUnderImage = 0) => ({
    imageCoverage,
    visibleGlyphs,
    invisibleGlyphs,
    textUnderImage,
    images: imageCoverage > 0 ? 1 : 0,
    vectorPaths: 0,
  });
  it.each([
    [m(1, 0), 'scanned'],
    [m(0.85, 200), 'scanned'],
    [m(0.849, 0), 'scanned'], // no text at all: a scan placed with margins
    [m(0.5, 0), 'scanned'],
    [m(0.49, 0), 'review'],
    [m(0.85, 201), 'text-born'],
    [m(1, 0, 1500), 'scanned-ocr'],
    [m(1, 30, 0, 1), 'review'],
    [m(0.02, 1500), 'text-born'],
    [m(0, 0, 50), 'review'],
    [m(0, 0), 'blank'],
  ] as const)('%o → %s', (measurements, expected) => {
    expect(classifyPage(measurements).class).toBe(expected);
  });
});

describe('the two readers agree: pdf.js (used for encrypted files) measures what pdf-lib measures', () => {
  it.each([
    'scanned-reply.pdf',
    'scanned-ocr.pdf',
    'typed-reply.pdf',
    'typed-logo-signature.pdf',
    'fax-header-scan.pdf',
    'jbig2-scan.pdf',
    'form-xobject-scan.pdf',
    'mixed-typed-scanned.pdf',
    'text-under-scan.pdf',
    'outlines.pdf',
  ])('%s', async (name) => {
    const bytes = reply(name);
    const viaPdfLib = await classifyPdf(bytes);
    const viaPdfjs = await classifyPdf(bytes, { reader: 'pdfjs' });
    expect(viaPdfjs.reader).toBe('pdfjs');
    expect(viaPdfjs.class).toBe(viaPdfLib.class);
    expect(viaPdfjs.pages.map((p) => p.class)).toEqual(viaPdfLib.pages.map((p) => p.class));
    viaPdfLib.pages.forEach((p, i) => {
      const q = viaPdfjs.pages[i];
      expect(q?.visibleGlyphs).toBe(p.visibleGlyphs);
      expect(q?.invisibleGlyphs).toBe(p.invisibleGlyphs);
      expect(q?.textUnderImage).toBe(p.textUnderImage);
      expect(q?.images).toBe(p.images);
      expect(Math.abs((q?.imageCoverage ?? -1) - p.imageCoverage)).toBeLessThan(0.01);
    });
  });
});
