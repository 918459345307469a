/**
 * What a reply document is, as SPEC §5 classes it: `scanned`, `scanned-ocr`, `text-born` (PDFs,
 * see classify-pdf.ts), `office` (DOCX/DOC/ODT/RTF), `image` (TIFF/JPEG/PNG), `data` (CSV and
 * spreadsheets: a delegation list), `unreadable` (empty, corrupt, truncated, password-protected)
 * and `review` (a person must look: mixed pages, text hidden under a scan, blank pages, unknown
 * types). Each class comes with the reason and, for PDFs, the per-page measurements behind it.
 * Never throws: bad bytes are `unreadable` with what is wrong.
 */
import { unzipSync } from 'fflate';
import { OverBudget, intakeBudgets, type IntakeBudgets } from './budgets.js';
import { readInWorker } from './bounded.js';
import type { PageReport } from './classify-pdf.js';
import type { DocumentClass, DocumentClassification, ImageInfo } from './classification.js';
import { sniffFile, type FileKind } from './sniff.js';

export type { PageClass, PageReport } from './classify-pdf.js';

export type { DocumentClass, DocumentClassification, ImageInfo } from './classification.js';

/** Kinds whose reading can be made to cost much (decompression, content walks): read in a bounded worker. */
const BOUNDED_KINDS: ReadonlySet<FileKind> = new Set(['pdf', 'docx', 'odt', 'xlsx', 'ods', 'zip']);

/**
 * Classifies a document within the budgets (budgets.ts): PDFs and ZIP-based files are read in a
 * worker thread with a heap limit, a time limit and a watch on the process's memory, so that no
 * file, and no library reading it, can take the machine down or stop the batch.
 */
export async function classifyDocument(
  bytes: Uint8Array,
  kind: FileKind,
  budgets: IntakeBudgets = intakeBudgets(),
): Promise<DocumentClassification> {
  if (bytes.length > 0 && BOUNDED_KINDS.has(kind)) {
    const result = await readInWorker(bytes, kind, budgets, () => classifyHere(bytes, kind, budgets));
    return 'overBudget' in result ? verdict('unreadable', result.overBudget) : result;
  }
  return classifyHere(bytes, kind, budgets);
}

/** Classifies in this thread (the worker's side; the budgets on pages, operators and inflation hold here too). */
export async function classifyHere(
  bytes: Uint8Array,
  kind: FileKind,
  budgets: IntakeBudgets,
): Promise<DocumentClassification> {
  try {
    return await classifyUnsafe(bytes, kind, budgets);
  } catch (e) {
    if (e instanceof OverBudget) return verdict('unreadable', e.message);
    return verdict('unreadable', `could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Sniffs the bytes (the name only as a hint for text types), then classifies. */
export async function classifyFile(
  bytes: Uint8Array,
  nameHint?: string,
): Promise<DocumentClassification & { kind: FileKind; mime: string }> {
  const sniffed = await sniffFile(bytes, nameHint);
  return { kind: sniffed.kind, mime: sniffed.mime, ...(await classifyDocument(bytes, sniffed.kind)) };
}

function verdict(
  cls: DocumentClass,
  reason: string,
  extra: Partial<DocumentClassification> = {},
): DocumentClassification {
  return { class: cls, reason, pages: [], encrypted: false, ...extra };
}

async function classifyUnsafe(
  bytes: Uint8Array,
  kind: FileKind,
  budgets: IntakeBudgets,
): Promise<DocumentClassification> {
  if (bytes.length === 0) return verdict('unreadable', 'empty file (0 bytes)');
  const zipped = (label: string, mainPart: string, cls: 'office' | 'data', describe?: Describe) =>
    classifyZipped(bytes, { label, mainPart, cls, budgets, ...(describe ? { describe } : {}) });
  switch (kind) {
    case 'pdf': {
      // Loaded where PDFs are read (the worker): the main thread of `nv ingest` never needs pdf-lib.
      const { classifyPdf } = await import('./classify-pdf.js');
      const pdf = await classifyPdf(bytes, { budgets });
      return { class: pdf.class, reason: pdf.reason, pages: pdf.pages, encrypted: pdf.encrypted };
    }
    case 'tiff':
    case 'jpeg':
    case 'png':
      return classifyImage(bytes, kind, budgets);
    case 'docx':
      return zipped('Word document (DOCX)', 'word/document.xml', 'office', countDocxWords);
    case 'odt':
      return zipped('OpenDocument text (ODT)', 'content.xml', 'office');
    case 'xlsx':
      return zipped('Excel workbook (XLSX)', 'xl/workbook.xml', 'data');
    case 'ods':
      return zipped('OpenDocument spreadsheet (ODS)', 'content.xml', 'data');
    case 'doc':
      return verdict('office', 'Word 97–2003 document (DOC)');
    case 'xls':
      return verdict('data', 'Excel 97–2003 workbook (XLS): a delegation list to import');
    case 'rtf':
      return verdict('office', 'RTF document');
    case 'csv': {
      const lines = countLines(bytes);
      return verdict('data', `CSV, ${lines} line${lines === 1 ? '' : 's'}: a delegation list to import`);
    }
    case 'zip': {
      const names = zipEntryNames(bytes);
      if (names === null) return verdict('unreadable', 'damaged ZIP archive');
      return verdict('review', `a ZIP archive of ${names.length} files: unpack it and ingest its files`);
    }
    case 'eml':
      return verdict(
        'review',
        'an e-mail message saved as a file: ingest it as an e-mail (its attachments are the documents)',
      );
    case 'unknown':
      return verdict('review', 'unknown file type: a person must look at it');
  }
}

function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if (b === 0x0a) n++;
  return bytes[bytes.length - 1] === 0x0a ? n : n + 1;
}

// ---------------------------------------------------------------------------------------------
// ZIP containers (DOCX, ODT, XLSX, ODS)

function zipEntryNames(bytes: Uint8Array): string[] | null {
  const names: string[] = [];
  try {
    unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        return false;
      },
    });
  } catch {
    return null;
  }
  return names;
}

type Describe = (xml: string, names: string[]) => string;

function classifyZipped(
  bytes: Uint8Array,
  part: {
    label: string;
    mainPart: string;
    cls: 'office' | 'data';
    budgets: IntakeBudgets;
    describe?: Describe;
  },
): DocumentClassification {
  const { label, mainPart, cls, budgets, describe } = part;
  const limit = budgets.inflatedMb * 1024 * 1024;
  const names: string[] = [];
  let declared = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        if (file.name !== mainPart) return false;
        declared = file.originalSize;
        return declared <= limit;
      },
    });
  } catch (e) {
    return verdict(
      'unreadable',
      `damaged ${label}: its ZIP container cannot be read (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (declared > limit)
    throw new OverBudget('inflatedMb', budgets.inflatedMb, `its ${mainPart} inflates to ${mb(declared)}`);
  const main = files[mainPart];
  if (!main) return verdict('unreadable', `damaged ${label}: it has no ${mainPart}`);
  if (main.length > limit)
    throw new OverBudget('inflatedMb', budgets.inflatedMb, `its ${mainPart} inflates to ${mb(main.length)}`);
  const elements = countElements(main, budgets.operators);
  if (elements > budgets.operators)
    throw new OverBudget('operators', budgets.operators, `its ${mainPart} holds too many XML elements`);
  const what = cls === 'data' ? ': a delegation list to import' : '';
  if (!describe) return verdict(cls, `${label}${what}`);
  return verdict(cls, `${label}: ${describe(new TextDecoder().decode(main), names)}`);
}

const mb = (bytes: number): string =>
  `${(bytes / 1024 / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;

/** Start tags (`<` then a letter) in XML bytes, counted up to just past `stopAfter`. */
function countElements(xml: Uint8Array, stopAfter: number): number {
  let n = 0;
  for (let i = xml.indexOf(0x3c); i >= 0 && i + 1 < xml.length; i = xml.indexOf(0x3c, i + 1)) {
    const next = xml[i + 1] as number;
    if ((next | 0x20) >= 0x61 && (next | 0x20) <= 0x7a && ++n > stopAfter) break;
  }
  return n;
}

/** Words in `<w:t>` runs, and pictures in word/media: a Word file that only holds a pasted scan shows 0 words. */
function countDocxWords(xml: string, names: string[]): string {
  let words = 0;
  for (const m of xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)) {
    // Each run's words apart: the same count as joining the runs with spaces, without the copy.
    for (const w of (m[1] ?? '').split(/\s+/)) if (w !== '') words++;
  }
  const pictures = names.filter((n) => n.startsWith('word/media/')).length;
  return `${words.toLocaleString('en-US')} word${words === 1 ? '' : 's'}, ${pictures} picture${pictures === 1 ? '' : 's'}`;
}

// ---------------------------------------------------------------------------------------------
// Images

function classifyImage(
  bytes: Uint8Array,
  format: 'tiff' | 'jpeg' | 'png',
  budgets: IntakeBudgets,
): DocumentClassification {
  const read =
    format === 'tiff' ? readTiff(bytes, budgets) : format === 'jpeg' ? readJpeg(bytes) : readPng(bytes);
  if (typeof read === 'string') return verdict('unreadable', read);
  const info = read;
  const dpi = info.dpi
    ? ` at ${info.dpi[0] === info.dpi[1] ? info.dpi[0] : `${info.dpi[0]}×${info.dpi[1]}`} dpi`
    : '';
  const parts = [
    `${format.toUpperCase()} image`,
    ...(info.pages > 1 ? [`${info.pages} pages`] : []),
    `${info.width}×${info.height} px${dpi}`,
    ...(info.compression ? [info.compression] : []),
    ...(info.camera ? [`taken with ${info.camera}`] : []),
  ];
  const pages: PageReport[] = Array.from({ length: info.pages }, (_, index) => ({
    index,
    class: 'scanned',
    reason: 'a page of an image file',
    imageCoverage: 1,
    visibleGlyphs: 0,
    invisibleGlyphs: 0,
    textUnderImage: 0,
    images: 1,
    vectorPaths: 0,
  }));
  return verdict('image', parts.join(', '), { pages, image: info });
}

class Reader {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
    readonly base = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  has(offset: number, length: number): boolean {
    return offset >= 0 && this.base + offset + length <= this.bytes.length;
  }
  u8(o: number): number {
    return this.view.getUint8(this.base + o);
  }
  u16(o: number): number {
    return this.view.getUint16(this.base + o, this.littleEndian);
  }
  u32(o: number): number {
    return this.view.getUint32(this.base + o, this.littleEndian);
  }
}

const TIFF_COMPRESSION: Record<number, string> = {
  1: 'uncompressed',
  2: 'CCITT modified Huffman (fax)',
  3: 'CCITT Group 3 (fax)',
  4: 'CCITT Group 4 (fax)',
  5: 'LZW',
  6: 'JPEG (old-style)',
  7: 'JPEG',
  8: 'Deflate',
  32773: 'PackBits',
  32946: 'Deflate',
  34712: 'JPEG 2000',
};

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

/** A TIFF's directories (IFDs): tag → values. Returns a reason string when the structure is damaged. */
function readTiffDirectories(r: Reader, maxPages = 1000): Map<number, number[] | string>[] | string {
  if (!r.has(0, 8)) return 'damaged TIFF: shorter than its header';
  const magic = r.u16(2);
  if (magic !== 42) return `damaged TIFF: bad magic number ${magic}`;
  const pages: Map<number, number[] | string>[] = [];
  const seen = new Set<number>();
  let ifd = r.u32(4);
  while (ifd !== 0) {
    if (seen.has(ifd) || pages.length >= maxPages) break; // a loop in the chain
    seen.add(ifd);
    if (!r.has(ifd, 2)) return `damaged TIFF: directory ${pages.length + 1} lies past the end of the file`;
    const count = r.u16(ifd);
    if (!r.has(ifd + 2, count * 12 + 4)) return `damaged TIFF: directory ${pages.length + 1} is cut off`;
    const tags = new Map<number, number[] | string>();
    for (let i = 0; i < count; i++) {
      const e = ifd + 2 + i * 12;
      const tag = r.u16(e);
      const type = r.u16(e + 2);
      const n = r.u32(e + 4);
      const size = (TYPE_SIZE[type] ?? 0) * n;
      if (size === 0 || n > 100_000) continue;
      const at = size <= 4 ? e + 8 : r.u32(e + 8);
      if (!r.has(at, size)) continue;
      if (type === 2) {
        let s = '';
        for (let k = 0; k < n; k++) {
          const c = r.u8(at + k);
          if (c === 0) break;
          s += String.fromCharCode(c);
        }
        tags.set(tag, s.trim());
        continue;
      }
      const values: number[] = [];
      for (let k = 0; k < n; k++) {
        if (type === 3) values.push(r.u16(at + k * 2));
        else if (type === 4 || type === 9) values.push(r.u32(at + k * 4));
        else if (type === 5 || type === 10) {
          const den = r.u32(at + k * 8 + 4);
          values.push(den === 0 ? 0 : r.u32(at + k * 8) / den);
        } else values.push(r.u8(at + k));
      }
      tags.set(tag, values);
    }
    pages.push(tags);
    ifd = r.has(ifd + 2 + count * 12, 4) ? r.u32(ifd + 2 + count * 12) : 0;
  }
  return pages;
}

function first(tags: Map<number, number[] | string>, tag: number): number | undefined {
  const v = tags.get(tag);
  return Array.isArray(v) ? v[0] : undefined;
}

function readTiff(bytes: Uint8Array, budgets: IntakeBudgets): ImageInfo | string {
  const little = bytes[0] === 0x49;
  const dirs = readTiffDirectories(new Reader(bytes, little), budgets.pages + 1);
  if (typeof dirs === 'string') return dirs;
  if (dirs.length > budgets.pages)
    throw new OverBudget(
      'pages',
      budgets.pages,
      `it has more than ${budgets.pages.toLocaleString('en-US')} pages`,
    );
  const page = dirs[0];
  if (!page) return 'damaged TIFF: no image directory';
  for (const [i, dir] of dirs.entries()) {
    const offsets = dir.get(273) ?? dir.get(324); // strips, or tiles
    const counts = dir.get(279) ?? dir.get(325);
    if (!Array.isArray(offsets) || !Array.isArray(counts) || offsets.length === 0) {
      return `damaged TIFF: page ${i + 1} has no image data`;
    }
    for (let k = 0; k < offsets.length; k++) {
      if ((offsets[k] ?? 0) + (counts[k] ?? 0) > bytes.length) {
        return `truncated TIFF: the image data of page ${i + 1} runs past the end of the file (${bytes.length.toLocaleString('en-US')} bytes)`;
      }
    }
  }
  const width = first(page, 256);
  const height = first(page, 257);
  if (!width || !height) return 'damaged TIFF: no image size';
  const compressionCode = first(page, 259) ?? 1;
  const xres = first(page, 282);
  const yres = first(page, 283);
  const unit = first(page, 296) ?? 2;
  const perInch = unit === 3 ? 2.54 : 1;
  const dpi: [number, number] | null =
    xres && yres && unit !== 1 ? [Math.round(xres * perInch), Math.round(yres * perInch)] : null;
  return {
    format: 'tiff',
    width,
    height,
    pages: dirs.length,
    dpi,
    compression: TIFF_COMPRESSION[compressionCode] ?? `compression ${compressionCode}`,
  };
}

function readJpeg(bytes: Uint8Array): ImageInfo | string {
  const r = new Reader(bytes, false);
  let pos = 2;
  let width = 0;
  let height = 0;
  let dpi: [number, number] | null = null;
  let camera: string | undefined;
  let sawScan = false;
  while (r.has(pos, 4)) {
    if (r.u8(pos) !== 0xff) return 'damaged JPEG: a segment does not start with a marker';
    const marker = r.u8(pos + 1);
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0xd9) break;
    const length = r.u16(pos + 2);
    if (!r.has(pos + 2, length)) return 'truncated JPEG: a segment runs past the end of the file';
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof && length >= 7) {
      height = r.u16(pos + 5);
      width = r.u16(pos + 7);
    } else if (marker === 0xe0 && length >= 14 && latin1(bytes, pos + 4, 5) === 'JFIF\0') {
      const units = r.u8(pos + 11);
      const x = r.u16(pos + 12);
      const y = r.u16(pos + 14);
      if (units === 1 && x > 1) dpi = [x, y];
      if (units === 2 && x > 1) dpi = [Math.round(x * 2.54), Math.round(y * 2.54)];
    } else if (marker === 0xe1 && length >= 16 && latin1(bytes, pos + 4, 6) === 'Exif\0\0') {
      camera = exifCamera(bytes.subarray(pos + 10, pos + 2 + length));
    } else if (marker === 0xda) {
      sawScan = true;
      break;
    }
    pos += 2 + length;
  }
  if (!width || !height) return 'damaged JPEG: no frame header (image size)';
  if (!sawScan) return 'truncated JPEG: no image data';
  // The compressed data runs to the end-of-image marker FF D9; a file cut short has none.
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (tail.lastIndexOf(Buffer.from([0xff, 0xd9])) < pos) {
    return `truncated JPEG: the file (${bytes.length.toLocaleString('en-US')} bytes) ends before its end-of-image marker`;
  }
  return { format: 'jpeg', width, height, pages: 1, dpi, ...(camera ? { camera } : {}) };
}

function exifCamera(tiff: Uint8Array): string | undefined {
  if (tiff.length < 8) return undefined;
  const dirs = readTiffDirectories(new Reader(tiff, tiff[0] === 0x49), 1);
  if (typeof dirs === 'string' || !dirs[0]) return undefined;
  const make = dirs[0].get(0x010f);
  const model = dirs[0].get(0x0110);
  const parts = [make, model].filter((v): v is string => typeof v === 'string' && v !== '');
  if (parts.length === 2 && (parts[1] as string).startsWith(parts[0] as string)) parts.shift();
  return parts.length > 0 ? parts.join(' ').replace(/[^\x20-\x7e]/g, '') : undefined;
}

function latin1(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

function readPng(bytes: Uint8Array): ImageInfo | string {
  const r = new Reader(bytes, false);
  let pos = 8;
  let width = 0;
  let height = 0;
  let dpi: [number, number] | null = null;
  let ended = false;
  while (r.has(pos, 8)) {
    const length = r.u32(pos);
    const type = latin1(bytes, pos + 4, 4);
    if (!r.has(pos + 8, length + 4)) return `truncated PNG: chunk ${type} runs past the end of the file`;
    if (type === 'IHDR' && length >= 8) {
      width = r.u32(pos + 8);
      height = r.u32(pos + 12);
    } else if (type === 'pHYs' && length >= 9 && r.u8(pos + 16) === 1) {
      dpi = [Math.round(r.u32(pos + 8) * 0.0254), Math.round(r.u32(pos + 12) * 0.0254)];
    } else if (type === 'IEND') {
      ended = true;
      break;
    }
    pos += 12 + length;
  }
  if (!width || !height) return 'damaged PNG: no image header (IHDR)';
  if (!ended)
    return `truncated PNG: the file (${bytes.length.toLocaleString('en-US')} bytes) ends before its IEND chunk`;
  return { format: 'png', width, height, pages: 1, dpi };
}
