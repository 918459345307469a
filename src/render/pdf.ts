/**
 * PDF rendering of a NoteDocument or a ReportDocument (the list of participants), built for batches.
 *
 * Where the time goes in the usual pdf-lib route is font work repeated per document (parse,
 * shape every string, subset, deflate, embed: ~60 ms a note; see FINDINGS.md). Here a batch
 * does the font work once: the code points of every document are collected first, each face is
 * subset once, and its five PDF objects (Type0, CIDFontType2 with a W array, FontDescriptor,
 * FontFile2, ToUnicode) are serialised once and written verbatim into every file. Each
 * document then costs its layout, its content streams (raw operators, hex glyph ids, one TJ per
 * font change, justification by TJ adjustments because Tw does not apply to Identity-H fonts)
 * and a hand-written xref. pdf-lib is loaded only when a note has PDF attachments to append:
 * their pages are copied and serialised once per batch, then written verbatim into each note.
 *
 * Output is deterministic: no clock, dates from doc.meta.created, /ID a hash of the content.
 * Reports use the same machinery: their tables and masthead add rules (stroked lines after the
 * text of a page) and their headings an outline (bookmarks); a note has neither, so its bytes are
 * what they were before reports existed.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { isReport, type NvDocument } from './document.js';
import {
  FONT_IDS,
  familyOf,
  loadFace,
  subsetGlyphs,
  type FontFace,
  type FontId,
  type FontSubset,
} from './fonts.js';
import { GlyphCoverage } from './precheck.js';
import { NBSP_LIKE } from './script.js';
import { loadShaping, shapeRun, shapingLoaded } from './shaping.js';
import {
  type Shaper,
  PAGE_HEIGHT,
  PAGE_WIDTH,
  layoutDocument,
  ParagraphBuilder,
  type DrawItem,
  type DrawLine,
  type LaidPage,
  type NoteLayout,
  type OutlineEntry,
  type Shaped,
} from './layout.js';

export interface PdfBatchRenderer {
  /** A note (with its attachments appended) or a report. */
  render(doc: NvDocument): Promise<Uint8Array> | Uint8Array;
  /** Characters used by the batch that no font of nv draws (they would print as an empty box). */
  readonly missingCharacters: readonly string[];
}

/** Prepare once per batch: the shared font subsets are made and glyph widths measured once. */
export async function createPdfRenderer(docs: readonly NvDocument[]): Promise<PdfBatchRenderer> {
  return new BatchRenderer(docs);
}

/** Convenience for one document. */
export async function renderPdf(doc: NvDocument): Promise<Uint8Array> {
  return new BatchRenderer([doc]).render(doc);
}

/**
 * Thrown by the shaper when the layout reaches text in a face HarfBuzz shapes (Amiri) before
 * HarfBuzz is loaded: the renderer loads it then and lays the document out again. A batch without
 * Arabic never loads it, and no document is scanned beforehand to find out.
 */
class ShapingNotLoaded extends Error {}

/** One embedded face: the subset and its PDF objects, reused by every document of the batch. */
class PreparedFont {
  readonly resource: string;
  private readonly fontFile: Buffer;
  private readonly toUnicode: Buffer;
  private readonly widthsArray: string;
  private readonly baseFont: string;
  private readonly objectCache = new Map<number, Buffer[]>();

  constructor(
    readonly name: FontId,
    private readonly subset: FontSubset,
  ) {
    this.resource = RESOURCE[name];
    const face = subset.face;
    this.baseFont = `${subset.tag}+${face.postscriptName}`;
    // zlib's default level: half the time of level 9 on a font program, 0.3 % larger (measured on
    // Tinos, Amiri and Noto Serif SC subsets); a batch in six languages makes a few dozen subsets.
    this.fontFile = deflateSync(subset.program, { level: 6 });
    this.toUnicode = deflateSync(Buffer.from(toUnicodeCMap(subset.toUnicode), 'latin1'), { level: 6 });
    this.widthsArray = widthsArray(subset.widths);
  }

  /** The five objects, numbered from `base`: Type0, CIDFont, FontDescriptor, FontFile2, ToUnicode. */
  objects(base: number): Buffer[] {
    let objs = this.objectCache.get(base);
    if (objs) return objs;
    const { face, program } = this.subset;
    const scale = (v: number): number => Math.round((v * 1000) / face.unitsPerEm);
    const flags =
      2 /* serif */ |
      4 /* symbolic: Cyrillic and Greek lie outside the standard Latin set */ |
      (face.italicAngle !== 0 ? 64 : 0);
    const bbox = face.bbox.map(scale).join(' ');
    objs = [
      Buffer.from(
        `<< /Type /Font /Subtype /Type0 /BaseFont /${this.baseFont} /Encoding /Identity-H` +
          ` /DescendantFonts [${base + 1} 0 R] /ToUnicode ${base + 4} 0 R >>`,
        'latin1',
      ),
      Buffer.from(
        `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${this.baseFont}` +
          ` /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>` +
          ` /FontDescriptor ${base + 2} 0 R /CIDToGIDMap /Identity /DW 1000 /W ${this.widthsArray} >>`,
        'latin1',
      ),
      Buffer.from(
        `<< /Type /FontDescriptor /FontName /${this.baseFont} /Flags ${flags} /FontBBox [${bbox}]` +
          ` /ItalicAngle ${num(face.italicAngle)} /Ascent ${scale(face.ascent)} /Descent ${scale(face.descent)}` +
          ` /CapHeight ${scale(face.capHeight)} /StemV ${face.bold ? 140 : 80} /FontFile2 ${base + 3} 0 R >>`,
        'latin1',
      ),
      streamObject(this.fontFile, `/Length1 ${program.length} /Filter /FlateDecode`),
      streamObject(this.toUnicode, '/Filter /FlateDecode'),
    ];
    this.objectCache.set(base, objs);
    return objs;
  }
}

/** Stream object body as buffers: dictionary + data + endstream, each object one Buffer[] entry. */
function streamObject(data: Buffer, dict: string): Buffer {
  return Buffer.concat([
    Buffer.from(`<< /Length ${data.length} ${dict} >>\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream', 'latin1'),
  ]);
}

/** Four upper-case hex digits, from a table filled as glyph ids and UTF-16 units come up. */
const HEX4: Array<string | undefined> = [];
function hex4(n: number): string {
  let h = HEX4[n];
  if (h === undefined) {
    h = n.toString(16).toUpperCase().padStart(4, '0');
    if (n >= 0 && n < 0x10000 && Number.isInteger(n)) HEX4[n] = h;
  }
  return h;
}

/** Numbers as PDF writes them: at most 3 decimals, no exponent, no "-0". */
function num(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  return r === 0 ? '0' : String(r);
}

function widthsArray(widths: ReadonlyMap<number, number>): string {
  const gids = [...widths.keys()].sort((a, b) => a - b);
  let out = '[';
  let i = 0;
  while (i < gids.length) {
    const start = gids[i] as number;
    const run: number[] = [];
    while (i < gids.length && gids[i] === start + run.length)
      run.push(widths.get(gids[i++] as number) as number);
    out += `${start} [${run.join(' ')}] `;
  }
  return `${out.trimEnd()}]`;
}

function utf16Hex(cp: number): string {
  if (cp < 0x10000) return hex4(cp);
  const v = cp - 0x10000;
  return hex4(0xd800 + (v >> 10)) + hex4(0xdc00 + (v & 0x3ff));
}

function toUnicodeCMap(map: ReadonlyMap<number, string>): string {
  const entries = [...map.entries()].sort((a, b) => a[0] - b[0]);
  let body = '';
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    body += `${chunk.length} beginbfchar\n`;
    for (const [gid, text] of chunk) {
      let dst = '';
      for (const ch of text) dst += utf16Hex(ch.codePointAt(0) as number);
      body += `<${hex4(gid)}> <${dst}>\n`;
    }
    body += 'endbfchar\n';
  }
  return (
    '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n' +
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n' +
    '/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n' +
    '1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n' +
    body +
    'endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n'
  );
}

/** A PDF text string: literal when printable ASCII, else UTF-16BE with a byte order mark. */
function pdfString(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return `(${s.replace(/[\\()]/g, '\\$&')})`;
  let hex = 'FEFF';
  for (let i = 0; i < s.length; i++) hex += hex4(s.charCodeAt(i));
  return `<${hex}>`;
}

function pdfDate(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new Error('The document creation date is invalid');
  const p = (n: number): string => String(n).padStart(2, '0');
  return (
    `(D:${String(d.getUTCFullYear()).padStart(4, '0')}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}` +
    `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z)`
  );
}

/** A URI as a 7-bit PDF string (non-ASCII characters percent-encoded). */
function uriString(uri: string): string {
  return pdfString(uri.replace(/[^\x20-\x7e]/gu, (c) => encodeURIComponent(c)));
}

/**
 * What each glyph stands for, for the ToUnicode CMap: its cmap code point, else (a form or a
 * ligature only shaping reaches) the characters shaping made it from; the first seen wins.
 */
const shapedText = new Map<FontId, Map<number, string>>();

export function glyphText(face: FontFace, gid: number): string | undefined {
  const shaped = shapedText.get(face.name)?.get(gid);
  if (shaped !== undefined) return shaped;
  const cp = face.codePointOf(gid);
  return cp === undefined ? undefined : String.fromCodePoint(cp);
}

/** Width and glyph lookups for the batch; every distinct (face, text, direction) is shaped once. */
class BatchShaper implements Shaper {
  private readonly cache = new Map<string, Shaped>();
  private readonly glyphs = new Map<FontId, Map<number, { gid: number; units: number }>>();

  private glyph(font: FontId, cp: number): { gid: number; units: number } {
    let byCp = this.glyphs.get(font);
    if (!byCp) this.glyphs.set(font, (byCp = new Map()));
    let g = byCp.get(cp);
    if (!g) {
      const f = loadFace(font);
      let gid = f.glyphId(cp);
      // A non-breaking space the face lacks is drawn as its space.
      if (gid === 0 && NBSP_LIKE.has(cp)) gid = f.glyphId(32);
      // Same rounding as the subset's W array (fonts.ts), so layout and viewer agree.
      g = { gid, units: Math.round((f.advance(gid) * 1000) / f.unitsPerEm) };
      byCp.set(cp, g);
    }
    return g;
  }

  shape(font: FontId, text: string, rtl: boolean): Shaped {
    const key = `${font}${rtl ? '<' : '>'}${text}`;
    let shaped = this.cache.get(key);
    if (shaped) return shaped;
    shaped =
      familyOf(font) === 'amiri' ? this.shapeComplex(font, text, rtl) : this.shapeSimple(font, text, rtl);
    if (this.cache.size >= 50_000) this.cache.clear(); // bounded, whatever the batch
    this.cache.set(key, shaped);
    return shaped;
  }

  private shapeSimple(font: FontId, text: string, rtl: boolean): Shaped {
    const gids: number[] = [];
    let units = 0;
    for (const ch of text) {
      const g = this.glyph(font, ch.codePointAt(0) as number);
      gids.push(g.gid);
      units += g.units;
    }
    if (rtl) gids.reverse();
    let hex = '';
    for (const gid of gids) hex += hex4(gid);
    return { hex, units, gids };
  }

  /**
   * Shaped by HarfBuzz (shaping.ts): glyphs in visual order. Where the shaped advance or offset
   * differs from the glyph's own width, TJ adjustments move the pen; a mark HarfBuzz moves up or
   * down (GPOS mark-to-mark: a damma stacked over a shadda) is drawn with a text rise, as TJ
   * cannot move vertically.
   */
  private shapeComplex(font: FontId, text: string, rtl: boolean): Shaped {
    if (!shapingLoaded()) throw new ShapingNotLoaded();
    const face = loadFace(font);
    let texts = shapedText.get(font);
    if (!texts) shapedText.set(font, (texts = new Map()));
    const scale = 1000 / face.unitsPerEm;
    const gids: number[] = [];
    let hex = '';
    let adjusted = '';
    let moved = false;
    let units = 0;
    for (const g of shapeRun(font, text, rtl)) {
      const gid = g.gid;
      gids.push(gid);
      // A glyph shaping inserted without a character of its own (Amiri's connection glyphs)
      // reads back as U+200D ZERO WIDTH JOINER: invisible, and it does not break the word.
      if (!texts.has(gid)) texts.set(gid, g.text !== '' ? g.text : '\u200d');
      const own = Math.round(face.advance(gid) * scale);
      const advance = Math.round(g.xAdvance * scale);
      const offset = Math.round(g.xOffset * scale);
      const rise = Math.round(g.yOffset * scale);
      units += advance;
      hex += hex4(gid);
      if (offset !== 0) {
        adjusted += ` ${-offset}`;
        moved = true;
      }
      // A mark raised or lowered (a damma over a shadda, a kasra under one): drawn with a text
      // rise, which lineOperators writes in points at the line's size.
      if (rise !== 0) {
        adjusted += `${RISE}${rise}${RISE}<${hex4(gid)}>${RISE}0${RISE}`;
        moved = true;
      } else adjusted += `<${hex4(gid)}>`;
      const after = advance - own - offset;
      if (after !== 0) {
        adjusted += ` ${-after}`;
        moved = true;
      }
    }
    return moved ? { hex, units, gids, adjusted } : { hex, units, gids };
  }
}

type PdfLibDocument = import('pdf-lib').PDFDocument;

/**
 * The pages of one list of attachments, copied once per batch with pdf-lib and serialised as
 * objects 3…lastObject: every note with that list writes these bytes verbatim between its page
 * tree (object 2, the /Parent of every enclosure page) and its own other objects (numbered from
 * lastObject + 1), so the note is never parsed nor saved again.
 */
interface Enclosures {
  /** `n 0 obj … endobj` of objects 3…lastObject, back to back. */
  readonly body: Buffer;
  /** Offset in `body` of each object, object 3 first. */
  readonly offsets: readonly number[];
  /** Object numbers of the enclosure pages, in order. */
  readonly pages: readonly number[];
  readonly lastObject: number;
  /** Folded into the /ID: the SHA-256 of each attachment file. */
  readonly idSalt: string;
}

const NO_ENCLOSURES: Enclosures = {
  body: Buffer.alloc(0),
  offsets: [],
  pages: [],
  lastObject: 2,
  idSalt: '',
};

/**
 * Every subset holds the glyphs of this repertoire (printable ASCII and the usual typographic
 * marks) its face has, plus the document's own other glyphs ("ô", Cyrillic…). A note's fonts, and so its bytes,
 * depend on the note alone and not on the batch it was rendered in; most notes of a batch share
 * one subset per face, so the font work is still done about once per batch.
 */
const BASE_REPERTOIRE: readonly number[] = (() => {
  const cps: number[] = [];
  for (let c = 0x20; c <= 0x7e; c++) cps.push(c);
  cps.push(0xa0, 0x2013, 0x2014, 0x2018, 0x2019, 0x201c, 0x201d, 0x2026);
  return cps;
})();

const baseGlyphs = new Map<FontId, readonly number[]>();
function baseGlyphsOf(font: FontId): readonly number[] {
  let gids = baseGlyphs.get(font);
  if (!gids) {
    const face = loadFace(font);
    // Amiri and Noto Serif SC too: notes that differ only by a number or a date share a subset.
    gids = [...new Set(BASE_REPERTOIRE.map((cp) => face.glyphId(cp)))].filter((g) => g !== 0);
    baseGlyphs.set(font, gids);
  }
  return gids;
}
const baseGlyphSets = new Map<FontId, ReadonlySet<number>>();
function baseGlyphSetOf(font: FontId): ReadonlySet<number> {
  let set = baseGlyphSets.get(font);
  if (!set) baseGlyphSets.set(font, (set = new Set(baseGlyphsOf(font))));
  return set;
}

/**
 * The faces of a line and their glyphs beyond the base repertoire, once per line of the
 * paragraph cache (its items are shared by the notes of a batch).
 */
const lineGlyphs = new WeakMap<readonly DrawItem[], ReadonlyArray<[FontId, readonly number[]]>>();
function glyphsOfLine(items: readonly DrawItem[]): ReadonlyArray<[FontId, readonly number[]]> {
  let faces = lineGlyphs.get(items);
  if (!faces) {
    const byFont = new Map<FontId, number[]>();
    for (const item of items) {
      let gids = byFont.get(item.font);
      if (!gids) byFont.set(item.font, (gids = []));
      for (const gid of extraGlyphs(item.font, item.shaped)) gids.push(gid);
    }
    faces = [...byFont];
    lineGlyphs.set(items, faces);
  }
  return faces;
}

/**
 * The glyphs of a shaped string beyond its face's base repertoire, once per shaped string (the
 * shaper hands out one object per face, text and direction, so the words of a batch repeat).
 */
const shapedExtras = new WeakMap<Shaped, readonly number[]>();
const NO_GLYPHS: readonly number[] = [];
function extraGlyphs(font: FontId, shaped: Shaped): readonly number[] {
  let extra = shapedExtras.get(shaped);
  if (!extra) {
    const base = baseGlyphSetOf(font);
    const out = shaped.gids.filter((gid) => !base.has(gid));
    extra = out.length > 0 ? out : NO_GLYPHS;
    shapedExtras.set(shaped, extra);
  }
  return extra;
}

class BatchRenderer implements PdfBatchRenderer {
  private readonly prepared = new Map<string, PreparedFont>();
  private readonly layout = new ParagraphBuilder(new BatchShaper());
  readonly missingCharacters: readonly string[];
  private readonly attachments = new Map<string, Promise<{ doc: PdfLibDocument; digest: string }>>();
  private readonly enclosures = new Map<string, Promise<Enclosures>>();

  constructor(docs: readonly NvDocument[]) {
    // What no font can draw (the precheck refuses it before anything is rendered).
    const coverage = new GlyphCoverage();
    const missing = new Set<string>();
    for (const doc of docs) for (const u of coverage.undrawable(doc)) missing.add(u.char);
    this.missingCharacters = [...missing].sort(
      (a, b) => (a.codePointAt(0) as number) - (b.codePointAt(0) as number),
    );
  }

  /** Per face the document draws, its subset: the base repertoire and the glyphs the layout placed. */
  private fontsFor(layout: NoteLayout): Map<FontId, PreparedFont> {
    const perFont = new Map<FontId, Set<number>>();
    for (const page of layout.pages)
      for (const line of page.lines)
        for (const [font, gids] of glyphsOfLine(line.items)) {
          let set = perFont.get(font);
          if (!set) perFont.set(font, (set = new Set()));
          for (const gid of gids) set.add(gid);
        }
    const fonts = new Map<FontId, PreparedFont>();
    for (const [font, gids] of perFont) {
      const base = baseGlyphsOf(font);
      const extra = [...gids].sort((a, b) => a - b);
      const key = `${font}:${extra.join(',')}`;
      let prepared = this.prepared.get(key);
      if (!prepared) {
        const face = loadFace(font);
        prepared = new PreparedFont(
          font,
          subsetGlyphs(face, [...base, ...extra], (gid) => glyphText(face, gid)),
        );
        if (this.prepared.size > 1_000) this.prepared.clear();
        this.prepared.set(key, prepared);
      }
      fonts.set(font, prepared);
    }
    return fonts;
  }

  render(doc: NvDocument): Promise<Uint8Array> | Uint8Array {
    if (isReport(doc) || doc.attachments.length === 0) return this.renderNote(doc, NO_ENCLOSURES);
    return this.renderWithAttachments(doc, doc.attachments);
  }

  /** The document's bytes; HarfBuzz is loaded (once) when its layout first reaches Arabic. */
  private renderNote(doc: NvDocument, enclosures: Enclosures): Buffer | Promise<Buffer> {
    try {
      return this.renderLoaded(doc, enclosures);
    } catch (e) {
      if (!(e instanceof ShapingNotLoaded)) throw e;
      return loadShaping().then(() => this.renderLoaded(doc, enclosures));
    }
  }

  private renderLoaded(doc: NvDocument, enclosures: Enclosures): Buffer {
    const layout = layoutDocument(doc, this.layout);
    return renderNote(doc, layout, this.fontsFor(layout), enclosures);
  }

  private async renderWithAttachments(doc: NvDocument, attachments: readonly string[]): Promise<Uint8Array> {
    const key = attachments.join('\u0000');
    let enclosures = this.enclosures.get(key);
    if (!enclosures) {
      enclosures = this.copyEnclosures(attachments);
      this.enclosures.set(key, enclosures);
    }
    return this.renderNote(doc, await enclosures);
  }

  /**
   * The pages of the attachments, in order, copied into a fresh pdf-lib context whose objects 1
   * and 2 are left for the note's catalog and page tree, then serialised once. Everything the
   * pages reference comes along (resources, fonts, annotations…); references from one page of an
   * attachment to another (an annotation's /P, a link's /Dest) lead to the copied page.
   */
  private async copyEnclosures(paths: readonly string[]): Promise<Enclosures> {
    const sources = await Promise.all(paths.map((p) => this.attachment(p)));
    const { PDFContext, PDFObjectCopier, PDFName } = await import('pdf-lib/dist/pdf-lib.esm.min.js');
    const context = PDFContext.create();
    const [catalog, tree] = [context.nextRef(), context.nextRef()];
    if (
      catalog.objectNumber !== 1 ||
      tree.objectNumber !== 2 ||
      context.enumerateIndirectObjects().length !== 0
    ) {
      throw new Error('Internal error: the enclosure objects must start at 3');
    }
    const pages: number[] = [];
    for (const src of sources) {
      const copier = PDFObjectCopier.for(src.doc.context, context);
      const copies = src.doc.getPages().map((page) => ({ page, ref: context.nextRef() }));
      // pdf-lib would copy a page again, without /Parent, when something refers to it: map the
      // attachment's pages to their copies first.
      const traversed = (copier as unknown as { traversedObjects?: unknown }).traversedObjects;
      if (traversed instanceof Map) for (const { page, ref } of copies) traversed.set(page.ref, ref);
      for (const { page, ref } of copies) {
        const copy = copier.copy(page.node);
        copy.set(PDFName.of('Parent'), tree);
        context.assign(ref, copy);
        pages.push(ref.objectNumber);
      }
    }

    const lib = await import('pdf-lib/dist/pdf-lib.esm.min.js');
    const { objects, numbers, last } = deduplicate(
      lib,
      new Map(context.enumerateIndirectObjects().map(([ref, obj]) => [ref.objectNumber, obj])),
      context.largestObjectNumber,
      pages,
    );
    const chunks: Buffer[] = [];
    const offsets: number[] = [];
    let pos = 0;
    for (let n = 3; n <= last; n++) {
      // A reference to an object missing from the attachment is kept, pointing to null.
      const obj = objects.get(n);
      const head = `${n} 0 obj\n`;
      const size = obj ? obj.sizeInBytes() : 4;
      const chunk = Buffer.allocUnsafe(head.length + size + 8);
      chunk.write(head, 0, 'latin1');
      const written = obj
        ? obj.copyBytesInto(chunk, head.length)
        : chunk.write('null', head.length, 'latin1');
      if (written !== size) throw new Error(`Internal error: object ${n} of the enclosures changed size`);
      chunk.write('\nendobj\n', head.length + size, 'latin1');
      offsets.push(pos);
      chunks.push(chunk);
      pos += chunk.length;
    }
    return {
      body: Buffer.concat(chunks),
      offsets,
      pages: pages.map((n) => numbers.get(n) as number),
      lastObject: last,
      idSalt: sources.map((s) => s.digest).join(','),
    };
  }

  /** Each attachment is read and parsed once per batch. */
  private attachment(path: string): Promise<{ doc: PdfLibDocument; digest: string }> {
    let p = this.attachments.get(path);
    if (!p) {
      p = (async () => {
        const { PDFDocument } = await import('pdf-lib/dist/pdf-lib.esm.min.js');
        try {
          const bytes = await readFile(path);
          const doc = await PDFDocument.load(bytes, { updateMetadata: false });
          return { doc, digest: createHash('sha256').update(bytes).digest('hex') };
        } catch (err) {
          // pdf-lib refuses encrypted files (its EncryptedPDFError, an ES5 class, fails instanceof).
          const message = (err as Error).message;
          const reason = /\bis encrypted\b/.test(message)
            ? 'it is encrypted (password-protected); attach a copy without protection'
            : message;
          throw new Error(`Cannot read the attachment ${path}: ${reason}`, { cause: err });
        }
      })();
      this.attachments.set(path, p);
    }
    return p;
  }
}

type PdfLib = typeof import('pdf-lib');
type PdfObject = import('pdf-lib').PDFObject;

/**
 * Merges the identical objects of the copied enclosures (attachments made by nv each embed the
 * same font subsets): objects whose bytes are the same once their references follow the merges
 * found so far are one, the first kept, until nothing more merges (a shared font program makes
 * its descriptor identical, then its CIDFont, then its Type0 font). Pages and annotations (an
 * annotation belongs to one page) are never merged. The objects left are renumbered from 3 in
 * their order; `numbers` maps every old number to its new one.
 */
function deduplicate(
  lib: PdfLib,
  objects: ReadonlyMap<number, PdfObject>,
  largest: number,
  pages: readonly number[],
): { objects: Map<number, PdfObject>; numbers: Map<number, number>; last: number } {
  const { PDFArray, PDFDict, PDFName, PDFRef, PDFStream } = lib;
  const keep = new Set(pages);
  for (const n of pages) {
    const page = objects.get(n);
    let annots = page instanceof PDFDict ? page.get(PDFName.of('Annots')) : undefined;
    if (annots instanceof PDFRef) annots = objects.get(annots.objectNumber);
    if (annots instanceof PDFArray) {
      for (const a of annots.asArray()) if (a instanceof PDFRef) keep.add(a.objectNumber);
    }
  }
  for (const [n, obj] of objects) {
    if (obj instanceof PDFDict && obj.get(PDFName.of('Type')) === PDFName.of('Annot')) keep.add(n);
  }

  /** Rewrites, in place, the references held by `obj` (its direct dictionaries and arrays). */
  const remap = (obj: PdfObject | undefined, to: (n: number) => number): void => {
    const ref = (v: PdfObject): PdfObject | undefined => {
      if (!(v instanceof PDFRef)) {
        remap(v, to);
        return undefined;
      }
      const n = to(v.objectNumber);
      return n === v.objectNumber ? undefined : PDFRef.of(n, v.generationNumber);
    };
    if (obj instanceof PDFStream) remap(obj.dict, to);
    else if (obj instanceof PDFDict) {
      for (const [k, v] of obj.entries()) {
        const r = ref(v);
        if (r) obj.set(k, r);
      }
    } else if (obj instanceof PDFArray) {
      for (let i = 0; i < obj.size(); i++) {
        const r = ref(obj.get(i));
        if (r) obj.set(i, r);
      }
    }
  };

  const merged = new Map<number, number>();
  const target = (n: number): number => {
    for (let m = merged.get(n); m !== undefined; m = merged.get(n)) n = m;
    return n;
  };
  for (;;) {
    const seen = new Map<string, number>();
    let found = false;
    for (const [n, obj] of [...objects].sort((a, b) => a[0] - b[0])) {
      if (keep.has(n) || merged.has(n)) continue;
      const bytes = Buffer.alloc(obj.sizeInBytes());
      obj.copyBytesInto(bytes, 0);
      const key = createHash('sha256').update(bytes).digest('base64');
      const first = seen.get(key);
      if (first === undefined) seen.set(key, n);
      else {
        merged.set(n, first);
        found = true;
      }
    }
    if (!found) break;
    for (const [n, obj] of objects) if (!merged.has(n)) remap(obj, target);
  }

  const numbers = new Map<number, number>();
  let last = 2;
  for (let n = 3; n <= largest; n++) if (!merged.has(n)) numbers.set(n, ++last);
  for (const n of merged.keys()) numbers.set(n, numbers.get(target(n)) as number);
  const renumbered = new Map<number, PdfObject>();
  for (const [n, obj] of objects) {
    if (merged.has(n)) continue;
    remap(obj, (m) => numbers.get(m) ?? m);
    renumbered.set(numbers.get(n) as number, obj);
  }
  return { objects: renumbered, numbers, last };
}

function renderNote(
  doc: NvDocument,
  layout: NoteLayout,
  fonts: ReadonlyMap<FontId, PreparedFont>,
  enclosures: Enclosures,
): Buffer {
  const used = FONT_IDS.filter((f) => fonts.has(f)).map((f) => fonts.get(f) as PreparedFont);

  // Object numbers: 1 catalog, 2 page tree, 3…lastObject the enclosures (if any), then the
  // info, five per font, then per page: the page, its content stream and its link annotations.
  const objects: Buffer[] = [];
  const infoNum = enclosures.lastObject + 1;
  const fontBase = infoNum + 1;
  const firstPage = fontBase + 5 * used.length;
  let next = firstPage;
  const pageNums: number[] = [];
  const pageBodies: Buffer[][] = [];
  const fontRefs = used.map((f, i) => `/${f.resource} ${fontBase + 5 * i} 0 R`).join(' ');
  for (const page of layout.pages) {
    const pageNum = next;
    const contentNum = next + 1;
    const annots = page.links.map((_, i) => contentNum + 1 + i);
    next = contentNum + 1 + annots.length;
    pageNums.push(pageNum);
    const body: Buffer[] = [
      Buffer.from(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}]` +
          ` /Resources << /Font << ${fontRefs} >> >> /Contents ${contentNum} 0 R` +
          (annots.length > 0 ? ` /Annots [${annots.map((n) => `${n} 0 R`).join(' ')}]` : '') +
          ' >>',
        'latin1',
      ),
      contentObject(page),
    ];
    for (const link of page.links) {
      body.push(
        Buffer.from(
          `<< /Type /Annot /Subtype /Link /Rect [${link.rect.map(num).join(' ')}] /Border [0 0 0]` +
            ` /A << /S /URI /URI ${uriString(link.uri)} >> >>`,
          'latin1',
        ),
      );
    }
    pageBodies.push(body);
  }

  const { meta } = doc;
  const kids = [...pageNums, ...enclosures.pages];
  const outline = outlineObjects(layout.outline ?? [], next, pageNums);
  objects.push(
    Buffer.from(
      `<< /Type /Catalog /Pages 2 0 R /Lang ${pdfString(meta.language)}` +
        (outline.length > 0 ? ` /Outlines ${next} 0 R /PageMode /UseOutlines` : '') +
        ' /ViewerPreferences << /DisplayDocTitle true >> >>',
      'latin1',
    ),
    Buffer.from(
      `<< /Type /Pages /Kids [${kids.map((n) => `${n} 0 R`).join(' ')}] /Count ${kids.length} >>`,
      'latin1',
    ),
    Buffer.from(
      `<< /Title ${pdfString(meta.title)} /Author ${pdfString(meta.author)}` +
        (meta.subject ? ` /Subject ${pdfString(meta.subject)}` : '') +
        ` /Creator (nv) /Producer (nv) /CreationDate ${pdfDate(meta.created)} /ModDate ${pdfDate(meta.created)} >>`,
      'latin1',
    ),
  );
  used.forEach((f, i) => objects.push(...f.objects(fontBase + 5 * i)));
  for (const body of pageBodies) objects.push(...body);
  objects.push(...outline);
  return writePdf(objects, enclosures);
}

/**
 * Content stream objects by page: the pages after the first are mostly the same in every note of
 * a batch (the template's paragraphs, placed alike), so each is written and deflated once. A page
 * is known by its lines' items (the paragraph cache hands out the same items, and a line's
 * operators depend on its items alone, see lineOps) and their positions, and by its rules: a
 * short key, where the operators themselves run to kilobytes.
 */
const contentObjects = new Map<string, Buffer>();
const CONTENT_CACHE_LIMIT = 64;
const lineIds = new WeakMap<readonly DrawItem[], number>();
let nextLineId = 0;

function contentObject(page: LaidPage): Buffer {
  let key = '';
  for (const line of page.lines) {
    if (line.items.length === 0) continue;
    let id = lineIds.get(line.items);
    if (id === undefined) lineIds.set(line.items, (id = nextLineId++));
    key += `${id} ${num(line.x)} ${num(line.y)}\n`;
  }
  for (const r of page.rules ?? []) key += `r ${num(r.width)} ${num(r.x1)} ${num(r.y)} ${num(r.x2)}\n`;
  let obj = contentObjects.get(key);
  if (!obj) {
    obj = streamObject(deflateSync(contentStream(page), { level: 1 }), '/Filter /FlateDecode');
    if (contentObjects.size >= CONTENT_CACHE_LIMIT) contentObjects.clear();
    contentObjects.set(key, obj);
  }
  return obj;
}

interface OutlineNode {
  entry: OutlineEntry;
  num: number;
  children: OutlineNode[];
  /** Open items: every descendant is visible. */
  count: number;
}

/**
 * The outline (bookmarks) of a report's headings, numbered from `first` (the outline dictionary),
 * a level-2 heading under the level-1 heading before it, and so on; every item open.
 */
function outlineObjects(
  entries: readonly OutlineEntry[],
  first: number,
  pageNums: readonly number[],
): Buffer[] {
  if (entries.length === 0) return [];
  const root: OutlineNode = {
    entry: { level: 1, title: '', page: 0, top: 0 },
    num: first,
    children: [],
    count: 0,
  };
  const stack: Array<{ level: number; node: OutlineNode }> = [{ level: 0, node: root }];
  const order: OutlineNode[] = [];
  let next = first + 1;
  for (const entry of entries) {
    while ((stack[stack.length - 1] as { level: number }).level >= entry.level) stack.pop();
    const node: OutlineNode = { entry, num: next++, children: [], count: 0 };
    (stack[stack.length - 1] as { node: OutlineNode }).node.children.push(node);
    stack.push({ level: entry.level, node });
    order.push(node);
  }
  const count = (node: OutlineNode): number => {
    node.count = 0;
    for (const child of node.children) node.count += 1 + count(child);
    return node.count;
  };
  count(root);
  const parentOf = new Map<OutlineNode, OutlineNode>();
  const link = (node: OutlineNode): void => {
    for (const child of node.children) {
      parentOf.set(child, node);
      link(child);
    }
  };
  link(root);
  const firstLast = (node: OutlineNode): string => {
    const a = node.children[0];
    const b = node.children[node.children.length - 1];
    return a && b ? ` /First ${a.num} 0 R /Last ${b.num} 0 R /Count ${node.count}` : '';
  };
  const out: Buffer[] = [Buffer.from(`<< /Type /Outlines${firstLast(root)} >>`, 'latin1')];
  for (const node of order) {
    const parent = parentOf.get(node) as OutlineNode;
    const siblings = parent.children;
    const i = siblings.indexOf(node);
    const prev = siblings[i - 1];
    const after = siblings[i + 1];
    const page = pageNums[node.entry.page] as number;
    out.push(
      Buffer.from(
        `<< /Title ${pdfString(node.entry.title)} /Parent ${parent.num} 0 R` +
          (prev ? ` /Prev ${prev.num} 0 R` : '') +
          (after ? ` /Next ${after.num} 0 R` : '') +
          firstLast(node) +
          ` /Dest [${page} 0 R /XYZ 0 ${num(node.entry.top + 4)} null] >>`,
        'latin1',
      ),
    );
  }
  return out;
}

/**
 * In a shaped string's TJ fragment, a text rise (thousandths of the font size) between two of these:
 * lineOperators turns it into points at the line's size.
 */
const RISE = '\u0001';
const RISE_MARK = /\u0001(-?\d+)\u0001/g;

/** Resource names of the faces in every page's /Font dictionary (fixed, so line operators can be cached). */
const RESOURCE = Object.fromEntries(FONT_IDS.map((id, i) => [id, `F${i + 1}`])) as Record<FontId, string>;

/**
 * Operators of a line, keyed by its items: lines of a paragraph shared by many notes of the
 * batch (the paragraph cache hands out the same items) are written once. Each line sets its own
 * font so that the string does not depend on the line before.
 */
const lineOps = new WeakMap<readonly DrawItem[], Buffer>();
const BT = Buffer.from('BT\n', 'latin1');
const ET = Buffer.from('ET\n', 'latin1');

/**
 * The page's text as operators: one BT, a Tm per line, a Tf per font change, one TJ per font run.
 * Assembled as bytes from each line's cached bytes (a page runs to some 20 KB; built as one string
 * it would be concatenated, flattened and converted again for every note).
 */
function contentStream(page: LaidPage): Buffer {
  const parts: Buffer[] = [BT];
  for (const line of page.lines) {
    if (line.items.length === 0) continue;
    let ops = lineOps.get(line.items);
    if (ops === undefined) {
      ops = Buffer.from(lineOperators(line), 'latin1');
      lineOps.set(line.items, ops);
    }
    parts.push(Buffer.from(`1 0 0 1 ${num(line.x)} ${num(line.y)} Tm\n`, 'latin1'), ops);
  }
  parts.push(ET);
  if (page.rules && page.rules.length > 0) {
    let out = 'q 0 G\n';
    for (const r of page.rules)
      out += `${num(r.width)} w ${num(r.x1)} ${num(r.y)} m ${num(r.x2)} ${num(r.y)} l S\n`;
    out += 'Q\n';
    parts.push(Buffer.from(out, 'latin1'));
  }
  return Buffer.concat(parts);
}

/** Whether `s` ends in 0–9 (what /\d$/ tests, without scanning a long TJ string). */
function lineOperators(line: DrawLine): string {
  let out = '';
  let font = '';
  let tj = '';
  let hex = '';
  for (const item of line.items) {
    const resource = RESOURCE[item.font];
    if (resource !== font) {
      if (hex !== '') tj += `<${hex}>`;
      if (tj !== '') out += `[${tj}] TJ\n`;
      tj = hex = '';
      out += `/${resource} ${line.size} Tf\n`;
      font = resource;
    }
    if (item.shaped.adjusted !== undefined) {
      if (hex !== '') tj += `<${hex}>`;
      const adjusted = item.shaped.adjusted;
      // A text rise ends the TJ array and starts another: Ts cannot stand inside one.
      tj += adjusted.includes(RISE)
        ? adjusted.replace(RISE_MARK, (_, r: string) => `] TJ\n${num((Number(r) * line.size) / 1000)} Ts\n[`)
        : adjusted;
      hex = '';
    } else hex += item.shaped.hex;
    if (item.extra !== 0) {
      // TJ numbers are thousandths of the font size, negative to move right. The number follows
      // the hex string closed just before it, never another number: no space between them.
      tj += `<${hex}>${num((-item.extra * 1000) / line.size)}`;
      hex = '';
    }
  }
  if (hex !== '') tj += `<${hex}>`;
  if (tj !== '') out += `[${tj}] TJ\n`;
  return out;
}

/**
 * Header, the objects in order, a classic xref table, and a trailer with a content /ID.
 * `objects` are the note's: the catalog (1) and page tree (2), then the document information and
 * the rest, numbered from `enclosures.lastObject + 1`; the enclosures' objects, already
 * serialised, sit between (3…lastObject). The /ID hashes the note's objects and the
 * attachments' digests.
 */
function writePdf(objects: Buffer[], enclosures: Enclosures): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let pos = (parts[0] as Buffer).length;
  const hash = createHash('sha256');
  const size = objects.length + enclosures.offsets.length + 1;
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  const entry = (offset: number): string => `${String(offset).padStart(10, '0')} 00000 n \n`;
  objects.forEach((body, i) => {
    if (i === 2 && enclosures.offsets.length > 0) {
      for (const offset of enclosures.offsets) xref += entry(pos + offset);
      parts.push(enclosures.body);
      pos += enclosures.body.length;
    }
    xref += entry(pos);
    const num = i < 2 ? i + 1 : enclosures.lastObject + i - 1;
    const head = Buffer.from(`${num} 0 obj\n`, 'latin1');
    const tail = Buffer.from('\nendobj\n', 'latin1');
    parts.push(head, body, tail);
    hash.update(body);
    pos += head.length + body.length + tail.length;
  });
  hash.update(enclosures.idSalt);
  const id = hash.digest('hex').slice(0, 32).toUpperCase();
  parts.push(
    Buffer.from(
      `${xref}trailer\n<< /Size ${size} /Root 1 0 R /Info ${enclosures.lastObject + 1} 0 R /ID [<${id}> <${id}>] >>\n` +
        `startxref\n${pos}\n%%EOF\n`,
      'latin1',
    ),
  );
  return Buffer.concat(parts);
}
