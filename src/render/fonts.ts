/**
 * The faces of the PDF, read straight from their TrueType tables, and a subsetter that writes
 * one font program per face per batch.
 *
 * Three families from npm (OFL): Tinos (Latin, Greek, Cyrillic; metric-compatible with Times New
 * Roman, so Word's DOCX and nv's PDF break lines alike), Amiri (Arabic) and Noto Serif SC
 * (Chinese, ~15 MB a weight: read only when a document draws a character no other family has).
 * A face is a family in a style; Noto Serif SC has no italic, its italic styles are its upright
 * weights.
 *
 * Why not fontkit: loading it costs ~90 ms before a single note is drawn, and Latin, Cyrillic
 * and Chinese need only the cmap (code point → glyph), the advance widths and a subset of
 * `glyf`. Arabic (joining forms, ligatures, marks) is shaped by HarfBuzz (shaping.ts), which
 * returns glyph ids of the same files. Glyph ids are kept as they are in the original font (unused glyphs become empty and
 * the tables end at the highest glyph used), so the PDF can use CIDToGIDMap /Identity and no
 * composite glyph needs rewriting.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

/** A style: what a run's bold and italic marks ask for. */
export type FaceName = 'regular' | 'bold' | 'italic' | 'boldItalic';

export const FACE_NAMES: readonly FaceName[] = ['regular', 'bold', 'italic', 'boldItalic'];

export type Family = 'tinos' | 'amiri' | 'notoSerifSC';

export const FAMILIES: readonly Family[] = ['tinos', 'amiri', 'notoSerifSC'];

/** The family names as a word processor knows them (the DOCX names the same). */
export const FAMILY_LABEL: Record<Family, string> = {
  tinos: 'Tinos',
  amiri: 'Amiri',
  notoSerifSC: 'Noto Serif SC',
};

/** A concrete face: family and style, e.g. "tinos-bold". */
export type FontId = `${Family}-${FaceName}`;

const FONT_FILES: Record<Family, Record<FaceName, string>> = {
  tinos: {
    regular: '@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf',
    bold: '@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf',
    italic: '@expo-google-fonts/tinos/400Regular_Italic/Tinos_400Regular_Italic.ttf',
    boldItalic: '@expo-google-fonts/tinos/700Bold_Italic/Tinos_700Bold_Italic.ttf',
  },
  amiri: {
    regular: '@expo-google-fonts/amiri/400Regular/Amiri_400Regular.ttf',
    bold: '@expo-google-fonts/amiri/700Bold/Amiri_700Bold.ttf',
    italic: '@expo-google-fonts/amiri/400Regular_Italic/Amiri_400Regular_Italic.ttf',
    boldItalic: '@expo-google-fonts/amiri/700Bold_Italic/Amiri_700Bold_Italic.ttf',
  },
  notoSerifSC: {
    regular: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
    bold: '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
    italic: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
    boldItalic: '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
  },
};

/** Every face, in the order the PDF names them (F1…). Chinese italics are its upright faces. */
export const FONT_IDS: readonly FontId[] = [
  'tinos-regular',
  'tinos-bold',
  'tinos-italic',
  'tinos-boldItalic',
  'amiri-regular',
  'amiri-bold',
  'amiri-italic',
  'amiri-boldItalic',
  'notoSerifSC-regular',
  'notoSerifSC-bold',
];

/** The face of a family in a style (Noto Serif SC: italic → regular, bold italic → bold). */
export function fontId(family: Family, style: FaceName): FontId {
  if (family === 'notoSerifSC')
    return style === 'bold' || style === 'boldItalic' ? 'notoSerifSC-bold' : 'notoSerifSC-regular';
  return `${family}-${style}`;
}

export function familyOf(id: FontId): Family {
  return id.slice(0, id.indexOf('-')) as Family;
}

export function faceOf(bold: boolean | undefined, italic: boolean | undefined): FaceName {
  if (bold) return italic ? 'boldItalic' : 'bold';
  return italic ? 'italic' : 'regular';
}

/** A parsed TrueType font: only what the PDF renderer reads. */
export interface FontFace {
  readonly name: FontId;
  readonly postscriptName: string;
  readonly unitsPerEm: number;
  /** hhea ascender and descender, in font units. */
  readonly ascent: number;
  readonly descent: number;
  readonly capHeight: number;
  readonly italicAngle: number;
  readonly bbox: readonly [number, number, number, number];
  readonly bold: boolean;
  readonly numGlyphs: number;
  /** Glyph id for a code point; 0 (.notdef) when the font has none. */
  glyphId(codePoint: number): number;
  /** Advance width in font units. */
  advance(glyphId: number): number;
  /** The smallest code point the cmap maps to a glyph, or undefined (a glyph only shaping reaches). */
  codePointOf(glyphId: number): number | undefined;
  /**
   * The file's bytes at their offsets, for the subsetter. Every table is there but `glyf` in a
   * large file (Noto Serif SC, ~15 MB a weight), where only the glyphs passed to loadGlyphs are.
   */
  readonly data: Buffer;
  readonly tables: ReadonlyMap<string, { offset: number; length: number }>;
  /** Reads these glyphs' outlines into `data` when they are not there yet. */
  loadGlyphs(gids: Iterable<number>): void;
  /** The whole file (for HarfBuzz), `glyf` read in full if it was not. */
  wholeData(): Buffer;
  /** How many bytes of the file have been read (the bench and tests). */
  readonly bytesRead: number;
}

const faceCache = new Map<FontId, FontFace>();

/** The font file's path, resolved from the installed package (works from src/ and dist/). */
export function faceFilePath(id: FontId): string {
  const require = createRequire(import.meta.url);
  const family = familyOf(id);
  const style = id.slice(family.length + 1) as FaceName;
  return require.resolve(FONT_FILES[family][style]);
}

/**
 * Files above this size are read table by table, `glyf` glyph by glyph as the documents need
 * them: a Chinese note draws a few hundred of Noto Serif SC's 65,000 glyphs.
 */
const READ_WHOLE_BELOW = 4 * 1024 * 1024;

/** Parse one face; cached for the life of the process (a few ms per face). */
export function loadFace(id: FontId): FontFace {
  let face = faceCache.get(id);
  if (!face) {
    const path = faceFilePath(id);
    try {
      face = parseTrueType(id, new FontFile(path));
    } catch (err) {
      throw new Error(`Cannot read the font file ${path}: ${(err as Error).message}`, { cause: err });
    }
    faceCache.set(id, face);
  }
  return face;
}

/** A font file's bytes, at their offsets: all of a small file; of a large one, what was asked for. */
class FontFile {
  readonly data: Buffer;
  bytesRead = 0;
  /** The file's byte ranges not read yet ([start, end), sorted, disjoint); empty once whole. */
  private missing: Array<[number, number]> = [];

  constructor(
    private readonly path: string,
    bytes?: Buffer,
  ) {
    if (bytes) {
      this.data = bytes;
      this.bytesRead = bytes.length;
      return;
    }
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      // Zero-filled by the allocator's untouched pages: only what is read costs memory.
      this.data = Buffer.alloc(size);
      this.missing = [[0, size]];
      if (size < READ_WHOLE_BELOW) {
        this.fill(fd, 0, size);
        return;
      }
      this.fill(fd, 0, Math.min(size, 12));
      const numTables = this.data.readUInt16BE(4);
      this.fill(fd, 12, Math.min(size, 12 + 16 * numTables));
      for (let i = 0; i < numTables; i++) {
        const rec = 12 + 16 * i;
        if (this.data.toString('latin1', rec, rec + 4) === 'glyf') continue;
        const start = this.data.readUInt32BE(rec + 8);
        this.fill(fd, start, Math.min(size, start + this.data.readUInt32BE(rec + 12)));
      }
    } finally {
      closeSync(fd);
    }
  }

  private read(fd: number, start: number, end: number): void {
    let at = start;
    while (at < end) {
      const n = readSync(fd, this.data, at, end - at, at);
      if (n === 0) throw new Error(`the file ends at byte ${at}, before ${end}`);
      at += n;
      this.bytesRead += n;
    }
  }

  /** Makes sure these byte ranges ([start, end)) of the file are in `data`. */
  ensure(ranges: Array<[number, number]>): void {
    if (this.missing.length === 0) return;
    const wanted = ranges.filter(([a, b]) => b > a && this.missing.some(([s, e]) => a < e && b > s));
    if (wanted.length === 0) return;
    wanted.sort((x, y) => x[0] - y[0]);
    const fd = openSync(this.path, 'r');
    try {
      // Neighbouring glyphs are read in one call.
      let [start, end] = wanted[0] as [number, number];
      for (const [a, b] of wanted.slice(1)) {
        if (a <= end + 4096) end = Math.max(end, b);
        else {
          this.fill(fd, start, end);
          [start, end] = [a, b];
        }
      }
      this.fill(fd, start, end);
    } finally {
      closeSync(fd);
    }
  }

  /** Reads the parts of [start, end) still missing, and marks them read. */
  private fill(fd: number, start: number, end: number): void {
    const next: Array<[number, number]> = [];
    for (const [s, e] of this.missing) {
      const a = Math.max(s, start);
      const b = Math.min(e, end);
      if (a >= b) {
        next.push([s, e]);
        continue;
      }
      this.read(fd, a, b);
      if (s < a) next.push([s, a]);
      if (b < e) next.push([b, e]);
    }
    this.missing = next;
  }

  /** Whether every byte of the file is in `data`. */
  get complete(): boolean {
    return this.missing.length === 0;
  }

  whole(): Buffer {
    this.ensure(this.missing.map(([s, e]) => [s, e] as [number, number]));
    return this.data;
  }
}

export function parseTrueType(name: FontId, source: Buffer | FontFile): FontFace {
  const file = source instanceof FontFile ? source : new FontFile(name, source);
  const data = file.data;
  const tables = new Map<string, { offset: number; length: number }>();
  const numTables = data.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    tables.set(data.toString('latin1', rec, rec + 4), {
      offset: data.readUInt32BE(rec + 8),
      length: data.readUInt32BE(rec + 12),
    });
  }
  const table = (tag: string): number => {
    const t = tables.get(tag);
    if (!t) throw new Error(`The font ${name} has no '${tag}' table`);
    return t.offset;
  };

  const head = table('head');
  const unitsPerEm = data.readUInt16BE(head + 18);
  const bbox: [number, number, number, number] = [
    data.readInt16BE(head + 36),
    data.readInt16BE(head + 38),
    data.readInt16BE(head + 40),
    data.readInt16BE(head + 42),
  ];
  const macStyle = data.readUInt16BE(head + 44);
  const longLoca = data.readInt16BE(head + 50) === 1;

  const hhea = table('hhea');
  const ascent = data.readInt16BE(hhea + 4);
  const descent = data.readInt16BE(hhea + 6);
  const numberOfHMetrics = data.readUInt16BE(hhea + 34);
  const numGlyphs = data.readUInt16BE(table('maxp') + 4);
  const hmtx = table('hmtx');
  const post = tables.get('post');
  const italicAngle = post ? data.readInt32BE(post.offset + 4) / 65536 : 0;

  const loca = table('loca');
  const glyf = table('glyf');
  const glyphOffset = (gid: number): number =>
    longLoca ? data.readUInt32BE(loca + 4 * gid) : 2 * data.readUInt16BE(loca + 2 * gid);

  const { lookup: cmapLookup, forEach: cmapForEach } = parseCmap(data, table('cmap'));
  const advance = (gid: number): number =>
    data.readUInt16BE(hmtx + 4 * (gid < numberOfHMetrics ? gid : numberOfHMetrics - 1));

  // DejaVu's OS/2 table is version 1, which has no sCapHeight: take the height of "H".
  const os2 = tables.get('OS/2');
  let capHeight = 0;
  if (os2 && data.readUInt16BE(os2.offset) >= 2 && os2.length >= 90) {
    capHeight = data.readInt16BE(os2.offset + 88);
  } else {
    const h = cmapLookup(0x48);
    const start = glyphOffset(h);
    file.ensure([[glyf + start, glyf + glyphOffset(h + 1)]]);
    if (h && glyphOffset(h + 1) > start) capHeight = data.readInt16BE(glyf + start + 8);
  }

  /** Glyph id → its code point + 1 (0: none), built on first use. */
  let reverse: Uint32Array | undefined;
  /** The glyphs whose outlines loadGlyphs has read (a face read in part). */
  const loaded = new Uint8Array(file.complete ? 0 : numGlyphs);
  return {
    name,
    postscriptName: readPostscriptName(data, tables.get('name')) ?? name,
    unitsPerEm,
    ascent,
    descent,
    capHeight: capHeight || Math.round(ascent * 0.7),
    italicAngle,
    bbox,
    bold: (macStyle & 1) === 1,
    numGlyphs,
    glyphId: (cp) => {
      const gid = cmapLookup(cp);
      return gid < numGlyphs ? gid : 0;
    },
    advance,
    codePointOf: (gid) => {
      if (!reverse) {
        // A typed array rather than a Map: Noto Serif SC maps ~30 000 code points.
        const r = new Uint32Array(numGlyphs);
        // The smallest code point, but a unified ideograph before a Kangxi radical or a
        // compatibility ideograph drawn by the same glyph ("月", not "⽉").
        cmapForEach((cp, g) => {
          if (g <= 0 || g >= numGlyphs) return;
          const had = (r[g] as number) - 1;
          if (had < 0 || (isCompatibilityForm(had) && !isCompatibilityForm(cp))) r[g] = cp + 1;
        });
        reverse = r;
      }
      const entry = gid >= 0 && gid < numGlyphs ? (reverse[gid] as number) : 0;
      return entry === 0 ? undefined : entry - 1;
    },
    data,
    tables,
    loadGlyphs: (gids) => {
      if (file.complete) return;
      const wanted: number[] = [];
      for (const gid of gids) if (gid >= 0 && gid < numGlyphs && loaded[gid] !== 1) wanted.push(gid);
      file.ensure(wanted.map((gid) => [glyf + glyphOffset(gid), glyf + glyphOffset(gid + 1)]));
      for (const gid of wanted) loaded[gid] = 1;
    },
    wholeData: () => file.whole(),
    get bytesRead() {
      return file.bytesRead;
    },
  };
}

/** Kangxi and CJK radicals, compatibility ideographs: never the text a shared glyph stands for. */
function isCompatibilityForm(cp: number): boolean {
  return (cp >= 0x2e80 && cp <= 0x2fdf) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f);
}

interface Cmap {
  lookup(cp: number): number;
  /** Every mapping, code points in increasing order. */
  forEach(fn: (cp: number, gid: number) => void): void;
}

/** Code point → glyph id from the best Unicode subtable (format 12, else 4). */
function parseCmap(data: Buffer, cmap: number): Cmap {
  const n = data.readUInt16BE(cmap + 2);
  let fmt4 = -1;
  let fmt12 = -1;
  for (let i = 0; i < n; i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = data.readUInt16BE(rec);
    const encoding = data.readUInt16BE(rec + 2);
    const sub = cmap + data.readUInt32BE(rec + 4);
    const format = data.readUInt16BE(sub);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12 && fmt12 < 0) fmt12 = sub;
    if (format === 4 && fmt4 < 0) fmt4 = sub;
  }
  if (fmt12 >= 0) {
    const groups = data.readUInt32BE(fmt12 + 12);
    return {
      lookup: (cp) => {
        let lo = 0;
        let hi = groups - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          const g = fmt12 + 16 + 12 * mid;
          const start = data.readUInt32BE(g);
          if (cp < start) hi = mid - 1;
          else if (cp > data.readUInt32BE(g + 4)) lo = mid + 1;
          else return data.readUInt32BE(g + 8) + (cp - start);
        }
        return 0;
      },
      forEach: (fn) => {
        for (let i = 0; i < groups; i++) {
          const g = fmt12 + 16 + 12 * i;
          const start = data.readUInt32BE(g);
          const end = data.readUInt32BE(g + 4);
          const first = data.readUInt32BE(g + 8);
          for (let cp = start; cp <= end; cp++) fn(cp, first + (cp - start));
        }
      },
    };
  }
  if (fmt4 < 0) throw new Error('The font has no Unicode cmap');
  const segX2 = data.readUInt16BE(fmt4 + 6);
  const ends = fmt4 + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const rangeOffsets = deltas + segX2;
  const inSegment = (mid: number, cp: number): number => {
    const start = data.readUInt16BE(starts + 2 * mid);
    const delta = data.readUInt16BE(deltas + 2 * mid);
    const ro = data.readUInt16BE(rangeOffsets + 2 * mid);
    if (ro === 0) return (cp + delta) & 0xffff;
    const gid = data.readUInt16BE(rangeOffsets + 2 * mid + ro + 2 * (cp - start));
    return gid === 0 ? 0 : (gid + delta) & 0xffff;
  };
  return {
    lookup: (cp) => {
      if (cp > 0xffff) return 0;
      let lo = 0;
      let hi = segX2 / 2 - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const end = data.readUInt16BE(ends + 2 * mid);
        if (cp > end) {
          lo = mid + 1;
          continue;
        }
        if (cp < data.readUInt16BE(starts + 2 * mid)) {
          hi = mid - 1;
          continue;
        }
        return inSegment(mid, cp);
      }
      return 0;
    },
    forEach: (fn) => {
      for (let mid = 0; mid < segX2 / 2; mid++) {
        const start = data.readUInt16BE(starts + 2 * mid);
        const end = data.readUInt16BE(ends + 2 * mid);
        for (let cp = start; cp <= end && cp < 0xffff; cp++) fn(cp, inSegment(mid, cp));
      }
    },
  };
}

function readPostscriptName(
  data: Buffer,
  name: { offset: number; length: number } | undefined,
): string | undefined {
  if (!name) return undefined;
  const count = data.readUInt16BE(name.offset + 2);
  const strings = name.offset + data.readUInt16BE(name.offset + 4);
  for (let i = 0; i < count; i++) {
    const rec = name.offset + 6 + 12 * i;
    if (data.readUInt16BE(rec + 6) !== 6) continue;
    const platform = data.readUInt16BE(rec);
    const len = data.readUInt16BE(rec + 8);
    const off = strings + data.readUInt16BE(rec + 10);
    if (platform === 1) return data.toString('latin1', off, off + len);
    if (platform === 3 || platform === 0) {
      let s = '';
      for (let j = 0; j < len; j += 2) s += String.fromCharCode(data.readUInt16BE(off + j));
      return s;
    }
  }
  return undefined;
}

/** A face cut down to the glyphs a batch uses, with what the PDF font objects need. */
export interface FontSubset {
  readonly face: FontFace;
  /** Six capital letters derived from the glyph set, e.g. "KQWMZB" (PDF 32000 9.6.4). */
  readonly tag: string;
  /** The TrueType program (uncompressed). */
  readonly program: Buffer;
  /** Glyph id → the text it stands for (a ligature: its characters), for the ToUnicode CMap. */
  readonly toUnicode: ReadonlyMap<number, string>;
  /** Glyph id → advance in thousandths of an em, rounded: the PDF W array and the layout both use it. */
  readonly widths: ReadonlyMap<number, number>;
}

/** Subset a face for a set of code points (each drawn by its cmap glyph). */
export function subsetFace(face: FontFace, codePoints: Iterable<number>): FontSubset {
  const text = new Map<number, string>();
  for (const cp of [...new Set(codePoints)].sort((a, b) => a - b)) {
    const gid = face.glyphId(cp);
    if (gid !== 0 && !text.has(gid)) text.set(gid, String.fromCodePoint(cp));
  }
  return subsetGlyphs(face, text.keys(), (gid) => text.get(gid));
}

/**
 * Subset a face to glyph ids (as shaping chose them). Deterministic: the output depends only on
 * the face, the set (iteration order does not matter) and `textOf`.
 */
export function subsetGlyphs(
  face: FontFace,
  glyphIds: Iterable<number>,
  textOf: (gid: number) => string | undefined,
): FontSubset {
  const toUnicode = new Map<number, string>();
  const wanted = new Set<number>([0]);
  for (const gid of glyphIds) {
    if (gid <= 0 || gid >= face.numGlyphs) continue;
    wanted.add(gid);
    const t = textOf(gid);
    if (t !== undefined && t !== '') toUnicode.set(gid, t);
  }

  const { data, tables } = face;
  const t = (tag: string): { offset: number; length: number } => {
    const e = tables.get(tag);
    if (!e) throw new Error(`The font ${face.name} has no '${tag}' table`);
    return e;
  };
  const head = t('head').offset;
  const longLoca = data.readInt16BE(head + 50) === 1;
  const loca = t('loca').offset;
  const glyf = t('glyf').offset;
  const glyphRange = (gid: number): [number, number] =>
    longLoca
      ? [data.readUInt32BE(loca + 4 * gid), data.readUInt32BE(loca + 4 * gid + 4)]
      : [2 * data.readUInt16BE(loca + 2 * gid), 2 * data.readUInt16BE(loca + 2 * gid + 2)];

  // Composite glyphs (accented letters) draw other glyphs: include those too.
  face.loadGlyphs(wanted);
  const queue = [...wanted];
  while (queue.length > 0) {
    const gid = queue.pop() as number;
    face.loadGlyphs([gid]);
    const [start, end] = glyphRange(gid);
    if (end - start < 10 || data.readInt16BE(glyf + start) >= 0) continue;
    let p = glyf + start + 10;
    for (;;) {
      const flags = data.readUInt16BE(p);
      const component = data.readUInt16BE(p + 2);
      if (!wanted.has(component) && component < face.numGlyphs) {
        wanted.add(component);
        queue.push(component);
      }
      p += 4 + (flags & 0x0001 ? 4 : 2);
      if (flags & 0x0008) p += 2;
      else if (flags & 0x0040) p += 4;
      else if (flags & 0x0080) p += 8;
      if (!(flags & 0x0020)) break;
    }
  }

  const gids = [...wanted].sort((a, b) => a - b);
  const count = (gids[gids.length - 1] as number) + 1;

  // glyf + long loca, glyph ids unchanged.
  const newLoca = Buffer.alloc(4 * (count + 1));
  const pieces: Buffer[] = [];
  let size = 0;
  for (let gid = 0; gid < count; gid++) {
    newLoca.writeUInt32BE(size, 4 * gid);
    if (!wanted.has(gid)) continue;
    const [start, end] = glyphRange(gid);
    if (end <= start) continue;
    const piece = data.subarray(glyf + start, glyf + end);
    pieces.push(piece);
    size += piece.length;
    const pad = (4 - (piece.length % 4)) % 4;
    if (pad) {
      pieces.push(Buffer.alloc(pad));
      size += pad;
    }
  }
  newLoca.writeUInt32BE(size, 4 * count);
  const newGlyf = Buffer.concat(pieces, size);

  // hmtx: one full metric per glyph up to the last one kept; unused glyphs get zeros.
  const newHmtx = Buffer.alloc(4 * count);
  const hmtx = t('hmtx').offset;
  const numberOfHMetrics = data.readUInt16BE(t('hhea').offset + 34);
  const widths = new Map<number, number>();
  for (const gid of gids) {
    const aw = face.advance(gid);
    const lsb =
      gid < numberOfHMetrics
        ? data.readInt16BE(hmtx + 4 * gid + 2)
        : data.readInt16BE(hmtx + 4 * numberOfHMetrics + 2 * (gid - numberOfHMetrics));
    newHmtx.writeUInt16BE(aw, 4 * gid);
    newHmtx.writeInt16BE(lsb, 4 * gid + 2);
    widths.set(gid, Math.round((aw * 1000) / face.unitsPerEm));
  }

  const newHead = Buffer.from(data.subarray(head, head + t('head').length));
  newHead.writeUInt32BE(0, 8); // checkSumAdjustment, set below
  newHead.writeInt16BE(1, 50); // long loca
  const newHhea = Buffer.from(data.subarray(t('hhea').offset, t('hhea').offset + t('hhea').length));
  newHhea.writeUInt16BE(count, 34);
  const newMaxp = Buffer.from(data.subarray(t('maxp').offset, t('maxp').offset + t('maxp').length));
  newMaxp.writeUInt16BE(count, 4);

  // The tables a CIDFontType2 program needs (PDF 32000 9.9); fontkit's subsetter writes the same
  // set plus nothing else. cmap, name and post are not used with CIDToGIDMap /Identity.
  const out = new Map<string, Buffer>([
    ['glyf', newGlyf],
    ['head', newHead],
    ['hhea', newHhea],
    ['hmtx', newHmtx],
    ['loca', newLoca],
    ['maxp', newMaxp],
  ]);
  for (const tag of ['cvt ', 'fpgm', 'prep', 'OS/2']) {
    const e = tables.get(tag);
    if (e) out.set(tag, data.subarray(e.offset, e.offset + e.length));
  }
  const program = writeSfnt(out);

  const tagHash = createHash('sha256').update(face.postscriptName).update(gids.join(',')).digest();
  let tag = '';
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + ((tagHash[i] as number) % 26));

  return { face, tag, program, toUnicode, widths };
}

function checksum(buf: Buffer): number {
  let sum = 0;
  const whole = buf.length & ~3;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  for (let i = 0; i < whole; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  if (whole < buf.length) {
    const tail = Buffer.alloc(4);
    buf.copy(tail, 0, whole);
    sum = (sum + tail.readUInt32BE(0)) >>> 0;
  }
  return sum;
}

function writeSfnt(tables: Map<string, Buffer>): Buffer {
  const tags = [...tables.keys()].sort();
  const n = tags.length;
  let entrySelector = 0;
  while (1 << (entrySelector + 1) <= n) entrySelector++;
  const searchRange = 16 * (1 << entrySelector);
  const dirSize = 12 + 16 * n;
  let total = dirSize;
  for (const tag of tags) total += ((tables.get(tag) as Buffer).length + 3) & ~3;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(0x00010000, 0);
  out.writeUInt16BE(n, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(n * 16 - searchRange, 10);
  let offset = dirSize;
  let headOffset = -1;
  tags.forEach((tag, i) => {
    const body = tables.get(tag) as Buffer;
    const rec = 12 + 16 * i;
    out.write(tag, rec, 'latin1');
    out.writeUInt32BE(checksum(body), rec + 4);
    out.writeUInt32BE(offset, rec + 8);
    out.writeUInt32BE(body.length, rec + 12);
    body.copy(out, offset);
    if (tag === 'head') headOffset = offset;
    offset += (body.length + 3) & ~3;
  });
  if (headOffset >= 0) out.writeUInt32BE((0xb1b0afba - checksum(out)) >>> 0, headOffset + 8);
  return out;
}
