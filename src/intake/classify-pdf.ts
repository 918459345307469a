/**
 * Is this PDF a scan? Each page's content is walked as a reader paints it (FINDINGS.md, "Telling a
 * scanned PDF from a typed one"), measured with PageMeter, and the page classed from those
 * measurements; the document's class follows from its pages.
 *
 * Readers: pdf-lib for ordinary files (fast: no image is decoded); pdfjs-dist for encrypted files
 * (pdf-lib cannot decrypt) and for files pdf-lib cannot parse (pdf.js repairs more). A file
 * encrypted with a real user password is `unreadable`; so is one neither reader can open.
 * Bad bytes never throw: they give `unreadable` with the reason.
 */
import {
  PDFArray,
  PDFBool,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFStream,
  decodePDFRawStream,
  type PDFContext,
  type PDFObject,
} from 'pdf-lib';
import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { InflationMeter, OverBudget, intakeBudgets, type IntakeBudgets } from './budgets.js';
import { Dict, Name, Str, readContentStream, type Operand } from './content-stream.js';
import { PageMeter, toBox, type Box, type Matrix, type PageMeasurements } from './page-meter.js';
import { findPdfHeader } from './sniff.js';

export type PageClass = 'scanned' | 'scanned-ocr' | 'text-born' | 'blank' | 'review' | 'unreadable';
export type PdfClass = 'scanned' | 'scanned-ocr' | 'text-born' | 'review' | 'unreadable';

export interface PageReport extends PageMeasurements {
  /** 0-based page index. */
  index: number;
  class: PageClass;
  /** Why, in the clerk's words, with the numbers. */
  reason: string;
}

export interface PdfClassification {
  class: PdfClass;
  reason: string;
  pages: PageReport[];
  encrypted: boolean;
  /** Which reader measured the pages (`none` when the file could not be opened). */
  reader: 'pdf-lib' | 'pdfjs' | 'none';
}

/**
 * The thresholds (FINDINGS.md's starting values held on every file measured). Scanned: images
 * cover at least SCAN_COVERAGE of the page, at most MAX_SCAN_VISIBLE_GLYPHS glyphs are visible (a
 * fax header line, a stamp's text) and no visible text lies under an opaque image. Measured on
 * fixtures/replies and the pdf.js corpus: scans cover 0.9998–1.0 with 0–82 visible glyphs; typed
 * pages show 13–6,638 visible glyphs with images covering at most 6% of the page.
 */
export const THRESHOLDS = {
  SCAN_COVERAGE: 0.85,
  /** With no visible text at all, an image covering this much is a scan placed with margins. */
  PARTIAL_SCAN_COVERAGE: 0.5,
  MAX_SCAN_VISIBLE_GLYPHS: 200,
  /**
   * Content operators read at most on one page (Form XObjects included): a typeset page has about
   * 10,000; reading costs 2–5 µs an operator, so a hostile page is cut off within about a second
   * (and classed `review`). The whole document's operators, its pages and the bytes it inflates
   * are budgets (budgets.ts): past them the file is `unreadable`.
   */
  MAX_OPERATORS_PER_PAGE: 300_000,
  /** Nesting of Form XObjects followed at most. */
  MAX_FORM_DEPTH: 12,
} as const;

export interface ClassifyPdfOptions {
  /** `pdfjs` reads every file through pdf.js, as encrypted files are (to compare the two readers). */
  reader?: 'auto' | 'pdfjs';
  /** Pages, operators and bytes inflated this document may cost (default: the current budgets). */
  budgets?: IntakeBudgets;
}

export async function classifyPdf(
  bytes: Uint8Array,
  options: ClassifyPdfOptions = {},
): Promise<PdfClassification> {
  try {
    return await classifyPdfUnsafe(bytes, options);
  } catch (e) {
    if (e instanceof OverBudget) return unreadable(e.message);
    return unreadable(`could not be read: ${message(e)}`);
  }
}

async function classifyPdfUnsafe(bytes: Uint8Array, options: ClassifyPdfOptions): Promise<PdfClassification> {
  if (bytes.length === 0) return unreadable('empty file (0 bytes)');
  if (findPdfHeader(bytes) < 0) return unreadable('not a PDF: no %PDF- header in the first 1,024 bytes');
  if (!containsEofMarker(bytes)) {
    return unreadable(
      `truncated: the file (${bytes.length.toLocaleString('en-US')} bytes) ends before its end-of-file marker (%%EOF)`,
    );
  }

  const budgets = options.budgets ?? intakeBudgets();
  if (options.reader === 'pdfjs') return classifyWithPdfjs(bytes, false, budgets);
  let doc: PDFDocument | null = null;
  let pdfLibError = '';
  try {
    doc = await quietly(() =>
      PDFDocument.load(bytes, {
        ignoreEncryption: true,
        throwOnInvalidObject: false,
        updateMetadata: false,
        parseSpeed: Infinity,
      }),
    );
  } catch (e) {
    pdfLibError = message(e);
  }

  if (doc?.isEncrypted) return classifyWithPdfjs(bytes, true, budgets);
  if (doc) {
    const pages = measureWithPdfLib(doc, budgets);
    if (pages !== null) return fromPages(pages.reports, false, 'pdf-lib', pages.total - pages.reports.length);
    pdfLibError = 'no page tree';
  }
  // pdf-lib could not parse it: pdf.js repairs more (cross-reference tables rebuilt from the objects).
  const viaPdfjs = await classifyWithPdfjs(bytes, false, budgets);
  if (viaPdfjs.class === 'unreadable' && pdfLibError !== '' && viaPdfjs.reader === 'none') {
    return unreadable(`damaged: ${viaPdfjs.reason.replace(/^damaged: /, '')}; pdf-lib: ${pdfLibError}`);
  }
  return viaPdfjs;
}

function unreadable(reason: string, encrypted = false): PdfClassification {
  return { class: 'unreadable', reason, pages: [], encrypted, reader: 'none' };
}

function message(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/\s+/g, ' ').trim().slice(0, 300) || 'unknown error';
}

/** `%%EOF` anywhere: readers accept junk after it, but a file cut short has none. */
function containsEofMarker(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).lastIndexOf('%%EOF') >= 0;
}

/**
 * pdf-lib reports damaged objects with console.warn while parsing; nv's core prints nothing
 * (STYLE.md), so those warnings are held back for the duration of the (synchronous) parse.
 */
async function quietly<T>(run: () => Promise<T>): Promise<T> {
  /* eslint-disable no-console -- silencing a library, not printing */
  const warn = console.warn;
  console.warn = () => {};
  try {
    return await run();
  } finally {
    console.warn = warn;
  }
  /* eslint-enable no-console */
}

// ---------------------------------------------------------------------------------------------
// Page and document classes

export function classifyPage(m: PageMeasurements): { class: PageClass; reason: string } {
  const { SCAN_COVERAGE, PARTIAL_SCAN_COVERAGE, MAX_SCAN_VISIBLE_GLYPHS } = THRESHOLDS;
  const cov = percent(m.imageCoverage);
  const glyphs = (n: number): string => `${n.toLocaleString('en-US')} glyph${n === 1 ? '' : 's'}`;
  if (m.imageCoverage >= SCAN_COVERAGE && m.textUnderImage > 0) {
    return {
      class: 'review',
      reason: `text under an image: ${glyphs(m.textUnderImage)} of typed text lie under an image covering ${cov} of the page`,
    };
  }
  const scanClass = m.invisibleGlyphs > 0 ? 'scanned-ocr' : 'scanned';
  const ocr = m.invisibleGlyphs > 0 ? `, an invisible OCR layer of ${glyphs(m.invisibleGlyphs)}` : '';
  if (m.imageCoverage >= SCAN_COVERAGE && m.visibleGlyphs <= MAX_SCAN_VISIBLE_GLYPHS) {
    const visible =
      m.visibleGlyphs === 0 ? 'no visible text' : `${glyphs(m.visibleGlyphs)} of visible text on top`;
    return { class: scanClass, reason: `an image covers ${cov} of the page, ${visible}${ocr}` };
  }
  if (m.imageCoverage >= PARTIAL_SCAN_COVERAGE && m.visibleGlyphs === 0) {
    return {
      class: scanClass,
      reason: `an image covers ${cov} of the page (with margins), no visible text${ocr}`,
    };
  }
  if (m.visibleGlyphs > 0) {
    const images =
      m.images === 0
        ? 'no image'
        : `${m.images} image${m.images === 1 ? '' : 's'} covering ${cov} of the page`;
    return { class: 'text-born', reason: `${glyphs(m.visibleGlyphs)} of visible text, ${images}` };
  }
  if (m.invisibleGlyphs > 0) {
    return {
      class: 'review',
      reason: `only invisible text (${glyphs(m.invisibleGlyphs)}), images cover ${cov}`,
    };
  }
  if (m.images > 0) {
    return { class: 'review', reason: `no text, and images cover only ${cov} of the page` };
  }
  if (m.vectorPaths > 0) {
    return {
      class: 'review',
      reason: `no text and no image, ${m.vectorPaths.toLocaleString('en-US')} vector paths: text turned into outlines, or a drawing`,
    };
  }
  return { class: 'blank', reason: 'blank: no text, no image, no drawing' };
}

/** "images cover 98–100% of a page, 0–82 visible glyphs a page" */
function summary(pages: PageReport[]): string {
  const range = (values: number[], format: (n: number) => string): string => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    return lo === hi ? format(lo) : `${format(lo)}–${format(hi)}`;
  };
  const count = (n: number): string => n.toLocaleString('en-US');
  const cover = range(
    pages.map((p) => p.imageCoverage),
    percent,
  );
  const visible = range(
    pages.map((p) => p.visibleGlyphs),
    count,
  );
  const invisible = pages.some((p) => p.invisibleGlyphs > 0)
    ? `, ${range(
        pages.map((p) => p.invisibleGlyphs),
        count,
      )} invisible`
    : '';
  return `images cover ${cover} of a page, ${visible} visible glyphs a page${invisible}`;
}

function percent(share: number): string {
  const p = share * 100;
  return `${p > 0 && p < 1 ? p.toFixed(1) : Math.round(p)}%`;
}

const PAGE_WORD: Record<PageClass, string> = {
  'text-born': 'typed',
  scanned: 'scanned',
  'scanned-ocr': 'scanned with OCR',
  blank: 'blank',
  review: 'to review',
  unreadable: 'unreadable',
};

/** "page 1 typed, pages 2–4 scanned" */
function describePages(pages: PageReport[]): string {
  const runs: { from: number; to: number; class: PageClass }[] = [];
  for (const p of pages) {
    const last = runs[runs.length - 1];
    if (last && last.class === p.class && last.to === p.index - 1) last.to = p.index;
    else runs.push({ from: p.index, to: p.index, class: p.class });
  }
  return runs
    .map((r) =>
      r.from === r.to
        ? `page ${r.from + 1} ${PAGE_WORD[r.class]}`
        : `pages ${r.from + 1}–${r.to + 1} ${PAGE_WORD[r.class]}`,
    )
    .join(', ');
}

/**
 * The document's class from its pages. Blank pages do not count (a scan with a blank back page is
 * a scan). All pages scans: `scanned`, or `scanned-ocr` when any carries an OCR layer. All typed:
 * `text-born`. A mix of typed and scanned pages is `review` with the reason
 * "mixed: page 1 typed, page 2 scanned": a clerk decides which page is the note verbale.
 */
export function fromPages(
  pages: PageReport[],
  encrypted: boolean,
  reader: PdfClassification['reader'],
  skipped = 0,
): PdfClassification {
  const result = (cls: PdfClass, reason: string): PdfClassification => ({
    class: cls,
    reason: skipped > 0 ? `${reason} (${skipped} further pages not measured)` : reason,
    pages,
    encrypted,
    reader,
  });
  const n = pages.length;
  const count = `${n} page${n === 1 ? '' : 's'}`;
  if (n === 0) return result('unreadable', 'no pages');
  const content = pages.filter((p) => p.class !== 'blank');
  if (content.length === 0)
    return result(
      'review',
      `blank: no text, no image, no drawing on any page (${count}); it carries no note: look at the original (the wrong side scanned, or a page lost)`,
    );
  const classes = new Set(content.map((p) => p.class));
  const only = (...cs: PageClass[]): boolean => [...classes].every((c) => cs.includes(c));
  const first = content[0] as PageReport;
  const single = content.length === 1 ? `: ${first.reason}` : `: ${summary(content)}`;

  if (only('unreadable')) return result('unreadable', `damaged: ${first.reason}`);
  if (only('scanned', 'scanned-ocr')) {
    if (classes.has('scanned-ocr')) {
      return result('scanned-ocr', `a scan with an OCR text layer (${count})${single}`);
    }
    return result('scanned', `every page is an image (${count})${single}`);
  }
  if (only('text-born')) return result('text-born', `typed (${count})${single}`);
  if (classes.has('unreadable') || classes.has('review')) {
    const troubled = content.filter((p) => p.class === 'unreadable' || p.class === 'review');
    const detail = troubled.map((p) => `page ${p.index + 1}: ${p.reason}`).join('; ');
    return result('review', n === 1 ? first.reason : `${describePages(pages)}; ${detail}`);
  }
  return result('review', `mixed: ${describePages(pages)}`);
}

// ---------------------------------------------------------------------------------------------
// pdf-lib: walk the content streams

interface FontInfo {
  bytesPerGlyph: number;
}

/** Measures the pages (within the bounds), or returns null when the document has no readable page tree. */
function measureWithPdfLib(
  doc: PDFDocument,
  budgets: IntakeBudgets,
): { reports: PageReport[]; total: number } | null {
  let pages;
  try {
    pages = doc.getPages();
  } catch {
    return null;
  }
  if (pages.length === 0) return null;
  checkPages(pages.length, budgets);
  const context = doc.context;
  const reports: PageReport[] = [];
  const inflation = new InflationMeter(budgets.inflatedMb);
  let operatorsLeft: number = budgets.operators;
  for (const [index, page] of pages.entries()) {
    if (operatorsLeft <= 0) throw tooManyOperators(budgets);
    try {
      const node = page.node;
      const crop = pageBox(context, node.getInheritableAttribute(PDFName.of('CropBox')));
      const media = pageBox(context, node.getInheritableAttribute(PDFName.of('MediaBox')));
      const box = (crop && media ? intersectBoxes(crop, media) : (crop ?? media)) ?? A4;
      const meter = new PageMeter(box);
      const pageLimit = Math.min(THRESHOLDS.MAX_OPERATORS_PER_PAGE, operatorsLeft);
      const walker = new ContentWalker(context, meter, pageLimit, inflation);
      const resources = context.lookupMaybe(node.getInheritableAttribute(PDFName.of('Resources')), PDFDict);
      walker.walk(pageContent(context, node.get(PDFName.of('Contents')), inflation), resources, 0);
      operatorsLeft -= walker.operators;
      if (walker.truncated && pageLimit < THRESHOLDS.MAX_OPERATORS_PER_PAGE) throw tooManyOperators(budgets);
      const m = meter.result();
      const cls = walker.truncated
        ? {
            class: 'review' as const,
            reason: `too much content to measure whole (over ${walker.operators.toLocaleString('en-US')} operators)`,
          }
        : classifyPage(m);
      reports.push({ index, ...m, ...cls });
    } catch (e) {
      if (e instanceof OverBudget) throw e;
      reports.push({
        index,
        ...EMPTY_MEASUREMENTS,
        class: 'unreadable',
        reason: `page could not be read: ${message(e)}`,
      });
    }
  }
  return { reports, total: pages.length };
}

function checkPages(count: number, budgets: IntakeBudgets): void {
  if (count > budgets.pages)
    throw new OverBudget('pages', budgets.pages, `it has ${count.toLocaleString('en-US')} pages`);
}

function tooManyOperators(budgets: IntakeBudgets): OverBudget {
  return new OverBudget('operators', budgets.operators, 'its pages draw too much');
}

const A4: Box = { x0: 0, y0: 0, x1: 595.28, y1: 841.89 };
const EMPTY_MEASUREMENTS: PageMeasurements = {
  imageCoverage: 0,
  visibleGlyphs: 0,
  invisibleGlyphs: 0,
  textUnderImage: 0,
  images: 0,
  vectorPaths: 0,
};

function intersectBoxes(a: Box, b: Box): Box | null {
  return toBox([Math.max(a.x0, b.x0), Math.max(a.y0, b.y0), Math.min(a.x1, b.x1), Math.min(a.y1, b.y1)]);
}

function numbersOf(context: PDFContext, value: PDFObject | undefined): number[] {
  const array = value === undefined ? undefined : context.lookup(value);
  if (!(array instanceof PDFArray)) return [];
  const out: number[] = [];
  for (let i = 0; i < array.size(); i++) {
    const item = context.lookup(array.get(i));
    out.push(item instanceof PDFNumber ? item.asNumber() : NaN);
  }
  return out;
}

function pageBox(context: PDFContext, value: PDFObject | undefined): Box | null {
  return toBox(numbersOf(context, value));
}

/** The page's content streams decoded and joined (an array of streams is one stream cut in pieces). */
function pageContent(
  context: PDFContext,
  contents: PDFObject | undefined,
  inflation: InflationMeter,
): Uint8Array {
  const resolved = contents === undefined ? undefined : context.lookup(contents);
  const streams: PDFObject[] = [];
  if (resolved instanceof PDFArray) {
    for (let i = 0; i < resolved.size(); i++) streams.push(context.lookup(resolved.get(i)) as PDFObject);
  } else if (resolved !== undefined) {
    streams.push(resolved);
  }
  const parts = streams
    .filter((s): s is PDFStream => s instanceof PDFStream)
    .map((s) => decodeStream(s, inflation));
  if (parts.length === 1) return parts[0] as Uint8Array;
  const total = parts.reduce((n, p) => n + p.length + 1, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    joined[at + p.length] = 0x0a;
    at += p.length + 1;
  }
  return joined;
}

/** zlib data inflated, at most to what the budget has left (else OverBudget); null when the data is damaged. */
function inflateWithin(data: Uint8Array, inflation: InflationMeter): Uint8Array | null {
  try {
    const out = inflateSync(data, {
      maxOutputLength: Math.max(1, inflation.remaining + 1),
      finishFlush: zlibConstants.Z_SYNC_FLUSH, // a stream cut short gives what it holds, as readers do
    });
    inflation.add(out.length);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') inflation.add(Infinity);
    if (e instanceof OverBudget) throw e;
    return null; // damaged data: pdf-lib's own decoder is more forgiving
  }
}

/** A stream's bytes decoded, counted against the document's inflation budget (never inflated past it). */
function decodeStream(stream: PDFStream, inflation: InflationMeter): Uint8Array {
  if (!(stream instanceof PDFRawStream)) return stream.getContents();
  const raw = stream.contents;
  // An empty stream is empty whatever its filter says (a blank page's /FlateDecode of 0 bytes):
  // pdf-lib would fail on the missing zlib header, pdf.js and Acrobat show a blank page.
  if (raw.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) return new Uint8Array(0);
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const filters =
    filter instanceof PDFName
      ? [filter]
      : filter instanceof PDFArray
        ? filter.asArray().map((f) => stream.dict.context.lookup(f))
        : [];
  if (
    filters.length > 0 &&
    filters.every((f) => f === PDFName.of('FlateDecode')) &&
    !stream.dict.has(PDFName.of('DecodeParms'))
  ) {
    // zlib with a ceiling, layer by layer: a bomb stops at the budget instead of filling the memory.
    let data: Uint8Array | null = raw;
    for (let i = 0; data && i < filters.length; i++) data = inflateWithin(data, inflation);
    if (data) return data;
  }
  const decoded = decodePDFRawStream(stream).decode();
  inflation.add(decoded.length);
  return decoded;
}

class ContentWalker {
  truncated = false;
  operators = 0;
  private readonly fonts = new Map<PDFDict, FontInfo>();
  private readonly formsOpen = new Set<PDFObject>();
  /** Forms drawn many times are decoded once. */
  private readonly decoded = new Map<PDFStream, Uint8Array>();

  constructor(
    private readonly context: PDFContext,
    private readonly meter: PageMeter,
    private readonly maxOperators: number,
    private readonly inflation: InflationMeter,
  ) {}

  walk(content: Uint8Array, resources: PDFDict | undefined, depth: number): void {
    const meter = this.meter;
    let font: FontInfo = { bytesPerGlyph: 1 };
    const glyphsIn = (operand: Operand | undefined): number => {
      if (operand instanceof Str) return Math.ceil(operand.bytes / font.bytesPerGlyph);
      if (Array.isArray(operand)) return operand.reduce<number>((n, item) => n + glyphsIn(item), 0);
      return 0;
    };
    const num = (o: Operand | undefined): number => (typeof o === 'number' ? o : NaN);
    const matrix = (ops: Operand[]): Matrix => {
      const six = ops.slice(-6).map(num);
      return (six.length === 6 ? six : [NaN, 0, 0, 0, 0, 0]) as Matrix;
    };
    const budget = this.maxOperators - this.operators;
    if (budget <= 0) {
      this.truncated = true;
      return;
    }
    const complete = readContentStream(
      content,
      (op, operands) => {
        this.operators++;
        switch (op) {
          case 'q':
            return meter.save();
          case 'Q':
            return meter.restore();
          case 'cm':
            return meter.transform(matrix(operands));
          case 'Tr':
            return meter.setRenderMode(num(operands[0]));
          case 'TL':
            return meter.setLeading(num(operands[0]));
          case 'BT':
            return meter.beginText();
          case 'ET':
            return meter.endText();
          case 'Tm':
            return meter.setTextMatrix(matrix(operands));
          case 'Td':
            return meter.moveText(num(operands[0]), num(operands[1]));
          case 'TD':
            meter.setLeading(-num(operands[1]));
            return meter.moveText(num(operands[0]), num(operands[1]));
          case 'T*':
            return meter.nextLine();
          case 'Tf': {
            const name = operands[0];
            if (name instanceof Name) font = this.font(resources, name.name);
            return;
          }
          case 'Tj':
          case 'TJ':
            return meter.showGlyphs(glyphsIn(operands[operands.length - 1]));
          case "'":
          case '"':
            meter.nextLine();
            return meter.showGlyphs(glyphsIn(operands[operands.length - 1]));
          case 'Do': {
            const name = operands[0];
            if (name instanceof Name) this.paintXObject(resources, name.name, depth);
            return;
          }
          case 'BI': {
            const dict = operands[0];
            const mask = dict instanceof Dict && dict.get('ImageMask') === true;
            return meter.paintImage(!mask);
          }
          case 're':
            return meter.pathRect(num(operands[0]), num(operands[1]), num(operands[2]), num(operands[3]));
          case 'm':
          case 'l':
            return meter.pathPoint(num(operands[0]), num(operands[1]));
          case 'c':
          case 'v':
          case 'y':
            for (let i = 0; i + 1 < operands.length; i += 2)
              meter.pathPoint(num(operands[i]), num(operands[i + 1]));
            return;
          case 'W':
          case 'W*':
            return meter.clipPath();
          case 'n':
            return meter.endPath(false);
          case 'f':
          case 'F':
          case 'f*':
          case 'S':
          case 's':
          case 'B':
          case 'B*':
          case 'b':
          case 'b*':
            return meter.endPath(true);
          case 'sh':
            return meter.paintShading();
          default:
            return;
        }
      },
      budget,
    );
    if (!complete) this.truncated = true;
  }

  private font(resources: PDFDict | undefined, name: string): FontInfo {
    const fonts = this.context.lookupMaybe(resources?.get(PDFName.of('Font')), PDFDict);
    const dict = this.context.lookupMaybe(fonts?.get(PDFName.of(name)), PDFDict);
    if (!dict) return { bytesPerGlyph: 1 };
    let info = this.fonts.get(dict);
    if (!info) {
      // Composite (Type0) fonts take two bytes a glyph with Identity-H and the usual CMaps.
      const subtype = dict.get(PDFName.of('Subtype'));
      info = { bytesPerGlyph: subtype === PDFName.of('Type0') ? 2 : 1 };
      this.fonts.set(dict, info);
    }
    return info;
  }

  private paintXObject(resources: PDFDict | undefined, name: string, depth: number): void {
    const xobjects = this.context.lookupMaybe(resources?.get(PDFName.of('XObject')), PDFDict);
    const ref = xobjects?.get(PDFName.of(name));
    const xobject = ref === undefined ? undefined : this.context.lookup(ref);
    if (!(xobject instanceof PDFStream)) return;
    const dict = xobject.dict;
    const subtype = dict.get(PDFName.of('Subtype'));
    if (subtype === PDFName.of('Image')) {
      const mask = this.context.lookup(dict.get(PDFName.of('ImageMask')));
      const stencil = mask instanceof PDFBool && mask.asBoolean();
      const transparent = dict.has(PDFName.of('SMask')) || dict.has(PDFName.of('Mask'));
      this.meter.paintImage(!stencil && !transparent);
      return;
    }
    if (subtype !== PDFName.of('Form')) return;
    const key: PDFObject = ref instanceof PDFRef ? ref : xobject;
    if (depth >= THRESHOLDS.MAX_FORM_DEPTH || this.formsOpen.has(key)) return; // a cycle or a bomb
    this.formsOpen.add(key);
    this.meter.save();
    try {
      const m = numbersOf(this.context, dict.get(PDFName.of('Matrix')));
      if (m.length === 6) this.meter.transform(m as Matrix);
      const bbox = toBox(numbersOf(this.context, dict.get(PDFName.of('BBox'))), 0);
      if (bbox) this.meter.clipToBox(bbox);
      const own = this.context.lookupMaybe(dict.get(PDFName.of('Resources')), PDFDict);
      let content = this.decoded.get(xobject);
      if (!content) {
        content = decodeStream(xobject, this.inflation);
        this.decoded.set(xobject, content);
      }
      this.walk(content, own ?? resources, depth + 1);
    } finally {
      this.meter.restore();
      this.formsOpen.delete(key);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// pdfjs-dist: encrypted files, and files pdf-lib cannot parse

type PdfjsModule = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsModule: Promise<PdfjsModule> | null = null;
/** Loaded on first use: pdf.js takes ~150 ms to load and most files never need it. */
function loadPdfjs(): Promise<PdfjsModule> {
  pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsModule;
}

async function classifyWithPdfjs(
  bytes: Uint8Array,
  encrypted: boolean,
  budgets: IntakeBudgets,
): Promise<PdfClassification> {
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes), // pdf.js takes ownership of (detaches) its buffer: give it a copy
    password: '',
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
  });
  let doc;
  try {
    doc = await task.promise;
  } catch (e) {
    await task.destroy().catch(() => undefined);
    if (e instanceof Error && e.name === 'PasswordException') {
      return unreadable('encrypted with a password: it cannot be opened without it', true);
    }
    return unreadable(`damaged: ${message(e)}`, encrypted);
  }
  try {
    const reports: PageReport[] = [];
    checkPages(doc.numPages, budgets);
    const count = doc.numPages;
    let operators = 0;
    for (let i = 0; i < count; i++) {
      try {
        const page = await doc.getPage(i + 1);
        const box = toBox(page.view) ?? A4;
        const ops = await page.getOperatorList();
        // pdf.js cannot be stopped inside a page: its pages are bounded by the time and memory
        // budgets (the reader runs in a worker thread), and the document by this count.
        operators += ops.fnArray.length;
        if (operators > budgets.operators) throw tooManyOperators(budgets);
        const meter = new PageMeter(box);
        replayOperatorList(pdfjs.OPS, ops.fnArray, ops.argsArray, meter);
        const m = meter.result();
        reports.push({ index: i, ...m, ...classifyPage(m) });
        page.cleanup();
      } catch (e) {
        if (e instanceof OverBudget) throw e;
        reports.push({
          index: i,
          ...EMPTY_MEASUREMENTS,
          class: 'unreadable',
          reason: `page could not be read: ${message(e)}`,
        });
      }
    }
    const encryptedForReal = encrypted || (await isEncryptedPerPdfjs(doc));
    return fromPages(reports, encryptedForReal, 'pdfjs', doc.numPages - count);
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

async function isEncryptedPerPdfjs(doc: { getMetadata(): Promise<{ info: object }> }): Promise<boolean> {
  try {
    const { info } = await doc.getMetadata();
    return (info as { EncryptFilterName?: unknown }).EncryptFilterName != null;
  } catch {
    return false;
  }
}

type Ops = PdfjsModule['OPS'];

/** pdf.js's operator list, replayed into the same meter (Form XObjects arrive flattened between begin/end). */
function replayOperatorList(OPS: Ops, fnArray: number[], argsArray: unknown[], meter: PageMeter): void {
  const nums = (a: unknown): number[] =>
    Array.isArray(a) || ArrayBuffer.isView(a) ? Array.from(a as ArrayLike<number>) : [];
  const glyphCount = (args: unknown[]): number => {
    const glyphs = args.find((a) => Array.isArray(a)) as unknown[] | undefined;
    return glyphs ? glyphs.filter((g) => g !== null && typeof g === 'object').length : 0;
  };
  const paintAt = (m: number[], opaque: boolean): void => {
    if (m.length !== 6) return;
    meter.save();
    meter.transform(m as Matrix);
    meter.paintImage(opaque);
    meter.restore();
  };
  const paintOps = new Set<number>([
    OPS.stroke,
    OPS.closeStroke,
    OPS.fill,
    OPS.eoFill,
    OPS.fillStroke,
    OPS.eoFillStroke,
    OPS.closeFillStroke,
    OPS.closeEOFillStroke,
  ]);
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = (argsArray[i] ?? []) as unknown[];
    switch (fn) {
      case OPS.save:
        meter.save();
        break;
      case OPS.restore:
        meter.restore();
        break;
      case OPS.transform:
        meter.transform(nums(args) as Matrix);
        break;
      case OPS.paintFormXObjectBegin: {
        meter.save();
        const m = nums(args[0]);
        if (m.length === 6) meter.transform(m as Matrix);
        const bbox = toBox(nums(args[1]), 0);
        if (bbox) meter.clipToBox(bbox);
        break;
      }
      case OPS.paintFormXObjectEnd:
        meter.restore();
        break;
      case OPS.setTextRenderingMode:
        meter.setRenderMode(Number(args[0]));
        break;
      case OPS.setLeading:
        meter.setLeading(Number(args[0]));
        break;
      case OPS.beginText:
        meter.beginText();
        break;
      case OPS.endText:
        meter.endText();
        break;
      case OPS.setTextMatrix: {
        const m = nums(args.length === 1 ? args[0] : args);
        if (m.length === 6) meter.setTextMatrix(m as Matrix);
        break;
      }
      case OPS.moveText:
        meter.moveText(Number(args[0]), Number(args[1]));
        break;
      case OPS.setLeadingMoveText:
        meter.setLeading(-Number(args[1]));
        meter.moveText(Number(args[0]), Number(args[1]));
        break;
      case OPS.nextLine:
        meter.nextLine();
        break;
      case OPS.showText:
      case OPS.showSpacedText:
        meter.showGlyphs(glyphCount(args));
        break;
      case OPS.nextLineShowText:
      case OPS.nextLineSetSpacingShowText:
        meter.nextLine();
        meter.showGlyphs(glyphCount(args));
        break;
      case OPS.paintImageXObject:
      case OPS.paintInlineImageXObject:
        meter.paintImage(true);
        break;
      case OPS.paintImageMaskXObject:
      case OPS.paintSolidColorImageMask:
        meter.paintImage(false);
        break;
      case OPS.paintImageXObjectRepeat: {
        const [, sx, sy, positions] = args as [unknown, number, number, unknown];
        const p = nums(positions);
        for (let k = 0; k + 1 < p.length; k += 2)
          paintAt([sx, 0, 0, sy, p[k] as number, p[k + 1] as number], true);
        break;
      }
      case OPS.paintImageMaskXObjectRepeat: {
        const [, sx, skx, sky, sy, positions] = args as [unknown, number, number, number, number, unknown];
        const p = nums(positions);
        for (let k = 0; k + 1 < p.length; k += 2) {
          paintAt([sx, skx ?? 0, sky ?? 0, sy, p[k] as number, p[k + 1] as number], false);
        }
        break;
      }
      case OPS.paintInlineImageXObjectGroup:
      case OPS.paintImageMaskXObjectGroup: {
        const list = (fn === OPS.paintInlineImageXObjectGroup ? args[1] : args[0]) as
          { transform?: unknown }[] | undefined;
        for (const entry of list ?? [])
          paintAt(nums(entry?.transform), fn === OPS.paintInlineImageXObjectGroup);
        break;
      }
      case OPS.constructPath: {
        // pdf.js 5: [paint operator, path data, [minX, minY, maxX, maxY]]
        const bounds = nums(args[2]);
        if (bounds.length === 4) {
          meter.pathPoint(bounds[0] as number, bounds[1] as number);
          meter.pathPoint(bounds[2] as number, bounds[3] as number);
        }
        meter.endPath(paintOps.has(Number(args[0])));
        break;
      }
      case OPS.clip:
      case OPS.eoClip:
        meter.clipPath();
        break;
      case OPS.endPath:
        meter.endPath(false);
        break;
      case OPS.shadingFill:
        meter.paintShading();
        break;
      default:
        if (paintOps.has(fn as number)) meter.endPath(true);
    }
  }
}
