/**
 * Page layout of a note verbale or a report (the list of participants): line breaking,
 * justification and pagination, independent of how the lines are then written (the PDF writer
 * turns each line into one TJ per font change).
 *
 * The body's blocks become flow items: a paragraph's rows (split at a page end with at least two
 * lines on each side), atoms that move whole (table rows, with the table's header row repeated
 * when a row opens a page), page breaks. An item may keep with the next one (headings, all but
 * the last block of a group): before placing it, the flow measures what must stay together (the
 * chain up to the first lines of the item that ends it) and starts a new page when that fits on a
 * new page but not on this one.
 *
 * Units are PDF points; y grows upwards from the bottom of the page.
 */
import {
  enclosuresText,
  isReport,
  pageNumberText,
  type Block,
  type NoteDocument,
  type NvDocument,
  type ReportDocument,
  type Run,
} from './document.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { faceOf, familyOf, fontId, type FaceName, type FontId } from './fonts.js';
import { isCjk, itemize } from './script.js';

import {
  BODY,
  CONTINUATION_TOP,
  FOOTER,
  GAP_AFTER_LETTERHEAD,
  GAP_AFTER_REFERENCE,
  GAP_BEFORE_DATE,
  LETTERHEAD_FIRST,
  LETTERHEAD_OTHER,
  LETTERHEAD_TOP,
  LIST_MARKER_INDENT,
  LIST_TEXT_INDENT,
  MARGIN_BOTTOM,
  MARGIN_LEFT,
  NOTE_STYLE,
  PAGE_NUMBER,
  PAGE_NUMBER_CHARACTERS,
  REPORT,
  REPORT_STYLE,
  TEXT_WIDTH,
} from './typography.js';

// The typography (page geometry, faces, sizes, gaps) is defined once in render/typography.ts.
export { PAGE_HEIGHT, PAGE_WIDTH } from './typography.js';
export { PAGE_NUMBER_CHARACTERS };

/**
 * A shaped string: width in thousandths of an em, the glyph ids (in visual order) as a hex
 * string, and, when shaping moved glyphs (Arabic marks, contextual widths), the TJ elements that
 * draw them in place of `hex`.
 */
export interface Shaped {
  readonly units: number;
  readonly hex: string;
  readonly adjusted?: string;
  readonly gids: readonly number[];
}

/** Shapes text in one face; the PDF renderer caches per batch. `rtl`: glyphs in right-to-left visual order. */
export interface Shaper {
  shape(font: FontId, text: string, rtl: boolean): Shaped;
}

export interface DrawItem {
  font: FontId;
  shaped: Shaped;
  /** Width in points at the line's size. */
  width: number;
  /** Space added after the item (justification), in points. */
  extra: number;
  link?: string;
}

/** One line of text in a single size, drawn from (x, y) on its baseline. */
export interface DrawLine {
  x: number;
  y: number;
  size: number;
  items: DrawItem[];
}

export interface LinkArea {
  rect: [number, number, number, number];
  uri: string;
}

/** A horizontal rule from x1 to x2 at height y, `width` points thick. */
export interface RuleLine {
  x1: number;
  x2: number;
  y: number;
  width: number;
}

export interface LaidPage {
  lines: DrawLine[];
  links: LinkArea[];
  /** Rules (tables, the masthead of a report); notes have none. */
  rules?: RuleLine[];
}

export interface NoteLayout {
  pages: LaidPage[];
  faces: Set<FontId>;
  /** The headings of a report, for the PDF outline (bookmarks). */
  outline?: OutlineEntry[];
}

/**
 * Text as drawn: NFC (a name typed with combining accents then uses the precomposed glyph),
 * tabs and line breaks as spaces, invisible format characters removed. Used both to collect
 * code points for the subset and to lay out, so the two always agree.
 */
export function cleanText(s: string): string {
  let t = s;
  if (/[^\x20-\x7e]/.test(t)) {
    if (/[\u0300-\u036f]/.test(t)) t = t.normalize('NFC');
    t = t
      .replace(/[\t\n\r\f\v\u2028\u2029]/g, ' ')
      .replace(/[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\ufeff]/g, '');
  }
  return t;
}

/** List item marker: "(a)" … "(z)", "(aa)" …, or a bullet. */
export function listMarker(ordered: boolean, index: number): string {
  if (!ordered) return '\u2022';
  return `(${String.fromCharCode(97 + (index % 26)).repeat(Math.floor(index / 26) + 1)})`;
}

type AddText = (face: FaceName, text: string) => void;

/** The face a run is drawn in: its own marks, else the paragraph's default face. */
function runFace(run: Run, defaultFace: FaceName): FaceName {
  return run.bold || run.italic ? faceOf(run.bold, run.italic) : defaultFace;
}

/** Heading runs are bold (italic stays). */
function headingRuns(runs: readonly Run[]): Run[] {
  return runs.map((r) => (r.bold ? r : { ...r, bold: true }));
}

function collectRuns(runs: readonly Run[], defaultFace: FaceName, add: AddText): void {
  for (const run of runs) add(runFace(run, defaultFace), cleanText(run.text));
}

function collectBlocks(blocks: readonly Block[], add: AddText): void {
  for (const block of blocks) {
    switch (block.type) {
      case 'paragraph':
        collectRuns(block.runs, 'regular', add);
        break;
      case 'list':
        block.items.forEach((item, i) => {
          add('regular', listMarker(block.ordered, i));
          collectRuns(item, 'regular', add);
        });
        break;
      case 'heading':
        collectRuns(headingRuns(block.runs), 'bold', add);
        break;
      case 'table':
        for (const cell of block.header) collectRuns(cell, 'italic', add);
        for (const row of block.rows) for (const cell of row) collectRuns(cell, 'regular', add);
        break;
      case 'group':
        collectBlocks(block.blocks, add);
        break;
      case 'page-break':
        break;
    }
  }
}

/** Every piece of text the layout of `doc` can draw, with its face (for the font subset). */
export function collectText(doc: NvDocument, add: AddText): void {
  if (isReport(doc)) {
    add('bold', cleanText(doc.symbol));
    if (doc.masthead !== undefined) add('bold', cleanText(doc.masthead));
    for (const line of doc.distribution ?? []) add('regular', cleanText(line));
    doc.titleLines.forEach((line, i) => collectRuns(line, i === 0 ? 'bold' : 'regular', add));
    collectBlocks(doc.body, add);
    if (doc.footer !== undefined) add('regular', cleanText(doc.footer));
    add('regular', PAGE_NUMBER_CHARACTERS + pageNumberText(doc, ''));
    return;
  }
  doc.letterhead.forEach((line, i) => add(i === 0 ? 'bold' : 'regular', cleanText(line)));
  add('regular', cleanText(doc.referenceLine));
  collectBlocks(doc.body, add);
  add('regular', cleanText(doc.dateLine));
  if (doc.enclosures > 0) add('regular', cleanText(enclosuresText(doc)));
  add('italic', cleanText(doc.footer));
  add('regular', PAGE_NUMBER_CHARACTERS + pageNumberText(doc, ''));
}

interface Piece {
  font: FontId;
  text: string;
  shaped: Shaped;
  width: number;
  /** Bidi embedding level (0 in a left-to-right paragraph without right-to-left text). */
  level: number;
  link?: string;
}

interface Word {
  pieces: Piece[];
  width: number;
}

/**
 * What sits between two words: the spaces of a break opportunity (stretched in justified text),
 * or nothing: between two Chinese characters ('cjk', stretched), after a hyphen or a closing
 * mark ('none'), inside a URL or a word too long for the line ('url': a line that ends there is
 * not stretched), or a hyphenation point ('hyphen': a line that ends there draws a hyphen).
 */
type GlueKind = 'space' | 'cjk' | 'none' | 'url' | 'hyphen';

interface Glue {
  pieces: Piece[];
  width: number;
  kind: GlueKind;
}

/** A hyphenation point between two syllables (shared: glues are never modified). */
const HYPHENATION_POINT: Glue = Object.freeze({ pieces: [], width: 0, kind: 'hyphen' });

function stretches(g: Glue): boolean {
  return g.kind === 'space' || g.kind === 'cjk';
}

interface Style {
  size: number;
  leading: number;
  align: 'justify' | 'left' | 'center' | 'right';
  x: number;
  width: number;
}

/** A paragraph broken into lines; each row is drawn at one baseline (a list marker shares it). */
export interface Row {
  lines: DrawLine[];
}

/**
 * A stretch of one run (a word, or the spaces after it) shaped once per batch: its pieces, and the
 * word or glues made of them (never modified, so shared by every paragraph where it stands).
 */
interface Stretch {
  pieces: Piece[];
  word?: Word;
  glues?: Partial<Record<GlueKind, Glue>>;
}

/** A paragraph laid out, and the faces it draws with. */
interface LaidOut {
  rows: Row[];
  faces: Set<FontId>;
}

const PARAGRAPH_CACHE_LIMIT = 256;
const STRETCH_CACHE_LIMIT = 50_000;

/** Right-to-left characters (Hebrew, Arabic and their presentation forms). */
const RTL_TEXT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
/**
 * Running text whose UAX #14 breaks are exactly after its runs of spaces (see breakOpportunities):
 * ASCII, Latin and Cyrillic letters, no-break spaces (class GL), quotation marks (QU, but see
 * QUOTE_MARK), "-" before a letter, a digit, a space or the end; no "-" before a no-break space, no
 * space-less punctuation that UAX #14 breaks after
 * ("?", "!", "%", dashes… before a letter), no tab. Checked against `linebreak` on generated
 * running text with quotes, guillemets, no-break spaces and punctuation.
 */
const PLAIN_ASCII =
  /^(?:[A-Za-z0-9 ,.;:'"()&@+*=#_\u00a0\u202f\u2018\u2019\u201c\u201d\u00ab\u00bb\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0400-\u0482\u048a-\u04ff]|-(?=[ A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0400-\u0482\u048a-\u04ff]|$)|\/)*$/;
/** Quotation marks (UAX #14 class QU): no break between one and "(" after spaces (rule LB15). */
const QUOTE_MARK = /["'\u2018\u2019\u201c\u201d\u00ab\u00bb]/;
/** A URL inside text: it breaks only after "/" or ".". */
const URL_TEXT = /\b(?:https?:\/\/|www\.)[^\s]+/g;

/**
 * The hyphen drawn where a word is hyphenated: "-", which pdftotext joins back to the word at
 * a line end. Lines never end after a hyphen of the text itself before a letter (a compound
 * such as "open-ended" is not broken), so a "-" ending a line is always nv's.
 */
export const HYPHEN = '-';

/** Languages whose justified text is hyphenated, and their patterns (the `hyphen` package). */
const HYPHEN_PATTERNS: Record<string, string> = { en: 'en-gb', fr: 'fr', es: 'es', ru: 'ru' };

type Hyphenator = (word: string) => string[];
const hyphenators = new Map<string, Hyphenator | null>();

/** The syllables of a word where it may be hyphenated (at least 2 letters before, 3 after a break). */
function hyphenatorFor(language: string): Hyphenator | null {
  const lang = language.toLowerCase().split('-')[0] as string;
  let h = hyphenators.get(lang);
  if (h !== undefined) return h;
  const patterns = HYPHEN_PATTERNS[lang];
  h = null;
  if (patterns) {
    const breaks = liangHyphenator(hyphenPatterns(patterns) as HyphenPatterns);
    const cache = new Map<string, string[]>();
    h = (word) => {
      let parts = cache.get(word);
      if (!parts) {
        const raw = splitAt(word, breaks(word));
        // Merge syllables so that at least two letters stay before and three after a break.
        parts = [];
        for (const p of raw) {
          const prev = parts[parts.length - 1];
          if (prev !== undefined && prev.length < 2) parts[parts.length - 1] = prev + p;
          else parts.push(p);
        }
        while (parts.length > 1 && (parts[parts.length - 1] as string).length < 3) {
          const tail = parts.pop() as string;
          parts[parts.length - 1] += tail;
        }
        if (cache.size > 20_000) cache.clear();
        cache.set(word, parts);
      }
      return parts;
    };
  }
  hyphenators.set(lang, h);
  return h;
}

/** `word` cut at the positions `at` (ascending). */
function splitAt(word: string, at: readonly number[]): string[] {
  if (at.length === 0) return [word];
  const parts = [word.slice(0, at[0])];
  for (let i = 0; i < at.length; i++) parts.push(word.slice(at[i], at[i + 1]));
  return parts;
}

/**
 * The patterns of the `hyphen` package: the levels of each pattern, a trie of the patterns' letters
 * (a node is an object of letters, a pattern index, or both as [node, index]), and exceptions (a
 * word in lower case and its break positions).
 */
type HyphenTrie = { [letter: string]: HyphenTrie | [HyphenTrie, number] | number };
type HyphenPatterns = [number[][], HyphenTrie, Record<string, number[]>?];

/**
 * Where a word of letters may break (positions in UTF-16 units), by Liang's algorithm over the
 * `hyphen` package's patterns: what its `createHyphenator(patterns)(word)` marks with soft hyphens,
 * computed as its hyphenateWord does, without its text reader (nv hands it single words of five or
 * more letters). test/render/hyphen-patterns.test.ts compares the two on the words of every
 * template, example and fixture.
 */
export function liangHyphenator(patterns: HyphenPatterns): (word: string) => number[] {
  const [levelsTable, trie, exceptions = {}] = patterns;
  return (word) => {
    const lowered = word.toLocaleLowerCase();
    if (Object.prototype.hasOwnProperty.call(exceptions, lowered)) return exceptions[lowered] as number[];
    const letters = `.${lowered}.`.split('');
    // Grows as the package's does when a pattern reaches past the word's end (its levels there
    // are NaN, never a break).
    const levels: number[] = new Array<number>(word.length + 1).fill(0);
    for (let start = 0; letters.length - start >= 3; start++) {
      const at = start === 0 ? 0 : start - 1;
      let node: HyphenTrie = trie;
      for (let i = start; i < letters.length; i++) {
        const next: HyphenTrie | [HyphenTrie, number] | number | undefined = node[letters[i] as string];
        if (next === undefined) break;
        let index = -1;
        if (Array.isArray(next)) {
          node = next[0];
          index = next[1];
        } else if (typeof next === 'number') {
          node = {};
          index = next;
        } else node = next;
        if (index < 0) continue;
        const pattern = levelsTable[index] as number[];
        for (let k = 0; k < pattern.length; k++)
          levels[at + k] = Math.max(pattern[k] as number, levels[at + k] as number);
      }
    }
    levels[0] = levels[1] = levels[levels.length - 1] = levels[levels.length - 2] = 0;
    const marks: number[] = [];
    for (let i = 0; i < levels.length; i++) if (((levels[i] as number) & 1) === 1) marks.push(i);
    return marks;
  };
}

const requireModule = createRequire(import.meta.url);

/**
 * The patterns of `hyphen/patterns/<name>.js` (what `require('hyphen/<name>')` hands to the
 * package's hyphenator): the file is one large JavaScript literal, which V8 compiles in 10–30 ms;
 * written as JSON (its keys quoted) it parses in a third of that. Falls back to requiring the file
 * when its text is not of that form. test/render/hyphen-patterns.test.ts checks that both give the
 * same patterns.
 */
export function hyphenPatterns(name: string): unknown {
  const file = requireModule.resolve(`hyphen/patterns/${name}.js`);
  try {
    const text = readFileSync(file, 'utf8');
    const start = text.indexOf('})(this, ');
    const end = text.lastIndexOf(');');
    if (start < 0 || end < start) throw new Error('unexpected form');
    const json = text
      .slice(start + '})(this, '.length, end)
      .replace(/([{,]\s*)([^\s"'{}[\],:]+)\s*:/g, '$1"$2":')
      .replace(/,(\s*[\]}])/g, '$1');
    return JSON.parse(json) as unknown;
  } catch {
    return requireModule(file) as unknown;
  }
}

interface BidiEngine {
  getEmbeddingLevels(text: string, direction?: 'ltr' | 'rtl'): { levels: Uint8Array };
  getMirroredCharacter(ch: string): string | null;
}
let bidiEngine: BidiEngine | undefined;
function bidi(): BidiEngine {
  bidiEngine ??= (requireModule('bidi-js') as () => BidiEngine)();
  return bidiEngine;
}

/** A character mirrored in right-to-left text ("(" drawn as ")"). */
export function mirrored(text: string): string {
  let out = '';
  for (const ch of text) out += bidi().getMirroredCharacter(ch) ?? ch;
  return out;
}

interface LineBreaker {
  nextBreak(): { position: number; required: boolean } | null;
}
let LineBreakerClass: (new (text: string) => LineBreaker) | undefined;

/**
 * Break opportunities of a paragraph by UAX #14 (positions in UTF-16 units, the end included),
 * with three exceptions: a URL breaks only after "/" or "."; outside URLs no break after "/"
 * ("2012/150(A)/DTA/CEB/CSS" and "آب/أغسطس" stay whole); no break after the hyphen of a
 * compound ("open-ended", as before UAX #14, so that a line-end hyphen is always a hyphenation).
 */
export function breakOpportunities(text: string): Map<number, 'url' | 'other'> {
  const out = new Map<number, 'url' | 'other'>();
  if (PLAIN_ASCII.test(text)) {
    // Letters, digits, spaces and the punctuation of running text: UAX #14 breaks after each
    // run of spaces and nowhere else once the exceptions below apply (no break before closing
    // punctuation, after "/", or after the hyphen of a compound). Saves loading the Unicode
    // tables for an English note.
    let lastMark = '';
    for (let i = 1; i < text.length; i++) {
      if (text.charCodeAt(i - 1) !== 32) lastMark = text[i - 1] as string;
      else if (text.charCodeAt(i) !== 32 && !(text[i] === '(' && QUOTE_MARK.test(lastMark)))
        out.set(i, 'other');
    }
    out.set(text.length, 'other');
  } else {
    LineBreakerClass ??= requireModule('linebreak') as new (text: string) => LineBreaker;
    const lb = new LineBreakerClass(text);
    for (let b = lb.nextBreak(); b; b = lb.nextBreak()) {
      const before = text.charCodeAt(b.position - 1);
      if (before === 0x2f /* / */ && b.position < text.length) continue;
      if (before === 0x2d /* - */ && /\p{L}/u.test(text[b.position] ?? '')) continue;
      out.set(b.position, 'other');
    }
  }
  for (const m of text.matchAll(URL_TEXT)) {
    const start = m.index;
    let end = start + m[0].length;
    while (end > start && /[.,;:)]/.test(text[end - 1] as string)) end--;
    for (let i = start + 1; i < end; i++) out.delete(i);
    for (let i = start + 1; i < end; i++) {
      const c = text[i - 1];
      if ((c === '/' || c === '.') && text[i] !== '/') out.set(i, 'url');
    }
  }
  return out;
}

/** Lays out paragraphs for one batch; owns the cache of laid-out paragraphs. */
export class ParagraphBuilder {
  private readonly cache = new Map<string, LaidOut>();
  /**
   * The same paragraphs by their run, for a paragraph of one run laid out more than once: the notes
   * of a batch share the Run objects of their template's paragraphs (text/spaces.ts hands out one
   * per text), so these are found without building the key of their whole text.
   */
  private readonly byRun = new WeakMap<Run, Map<string, LaidOut>>();
  /** Faces used by the document being laid out (swapped while a paragraph is built). */
  faces = new Set<FontId>();
  /** The document's language (BCP 47): hyphenation patterns. */
  language = 'en';
  /** Right-to-left paragraphs (the document's language is Arabic). */
  rtl = false;

  constructor(private readonly shaper: Shaper) {}

  /** Pieces of a left-to-right stretch of one run, by size, face, link and text (see tokenize). */
  private readonly stretches = new Map<string, Map<string, Stretch>>(); // never modified
  private stretchCount = 0;
  /** A word's syllables once hyphenated, by language and piece (the pieces of a batch are shared, see stretches). */
  private readonly syllables = new Map<Hyphenator, WeakMap<Piece, Word[] | null>>();
  private readonly hyphens = new Map<FontId, number>();
  private hyphenUnits(font: FontId): number {
    let u = this.hyphens.get(font);
    if (u === undefined) this.hyphens.set(font, (u = this.shaper.shape(font, HYPHEN, false).units));
    return u;
  }

  private piece(font: FontId, text: string, size: number, link: string | undefined, level: number): Piece {
    this.faces.add(font);
    const rtl = (level & 1) === 1;
    // Mirrored brackets at an odd level; HarfBuzz mirrors those of the runs it shapes (Amiri's,
    // shaped right to left at an odd level, shaping.ts).
    const mirror = rtl && familyOf(font) !== 'amiri';
    const shaped = this.shaper.shape(font, mirror ? mirrored(text) : text, rtl);
    const p: Piece = { font, text, shaped, width: (shaped.units * size) / 1000, level };
    if (link !== undefined) p.link = link;
    return p;
  }

  /** Pieces of a stretch of one run: one per family and bidi level. */
  private pieces(
    out: Piece[],
    text: string,
    style: FaceName,
    link: string | undefined,
    size: number,
    levels: Uint8Array | null,
    offset: number,
  ): void {
    const levelRuns: Array<[string, number]> = [];
    if (!levels) levelRuns.push([text, 0]);
    else {
      let i = 0;
      while (i < text.length) {
        const lv = levels[offset + i] as number;
        let j = i + 1;
        while (j < text.length && levels[offset + j] === lv) j++;
        levelRuns.push([text.slice(i, j), lv]);
        i = j;
      }
    }
    for (const [t, level] of levelRuns) {
      const prev = out.length > 0 ? familyOf((out[out.length - 1] as Piece).font) : null;
      for (const run of itemize(t, prev))
        out.push(this.piece(fontId(run.family, style), run.text, size, link, level));
    }
  }

  /** Words and the glue between them (glues[i] sits between words[i] and words[i + 1]). */
  private tokenize(
    runs: readonly Run[],
    size: number,
    defaultFace: FaceName,
    rtl: boolean,
  ): { words: Word[]; glues: Glue[] } {
    const spans: Array<{ start: number; end: number; face: FaceName; link: string | undefined }> = [];
    let text = '';
    for (const run of runs) {
      const t = cleanText(run.text);
      if (t === '') continue;
      spans.push({
        start: text.length,
        end: text.length + t.length,
        face: run.bold || run.italic ? faceOf(run.bold, run.italic) : defaultFace,
        link: run.link,
      });
      text += t;
    }
    // Spaces before the first word of the paragraph are dropped.
    const lead = /^ */.exec(text)?.[0].length ?? 0;
    const levels =
      rtl || RTL_TEXT.test(text) ? bidi().getEmbeddingLevels(text, rtl ? 'rtl' : 'ltr').levels : null;
    const breaks = breakOpportunities(text);
    const positions = [...breaks.keys()];
    // Found in order but for a URL's breaks: sorted only when needed.
    if (positions.some((p, i) => i > 0 && p < (positions[i - 1] as number))) positions.sort((a, b) => a - b);
    const words: Word[] = [];
    const glues: Glue[] = [];
    /** The stretch from `from` to `to` when it lies in one run; else undefined. */
    const stretch = (from: number, to: number): Stretch | undefined => {
      // A stretch of one run: its pieces depend on its text, face, link and size only, and on
      // the bidi levels of its characters in a paragraph with right-to-left text. The words of a
      // batch repeat (a note's paragraph differs from the next one's by a name), so they are built
      // once per batch, and so are its word and glues.
      const s = spans.find((x) => x.start <= from && to <= x.end);
      if (!s) return undefined;
      const style = `${size}|${s.face}|${s.link ?? ''}`;
      let byText = this.stretches.get(style);
      if (!byText) this.stretches.set(style, (byText = new Map()));
      const t =
        levels === null ? text.slice(from, to) : `${levelRuns(levels, from, to)}|${text.slice(from, to)}`;
      let cached = byText.get(t);
      if (!cached) {
        const pieces: Piece[] = [];
        this.pieces(pieces, text.slice(from, to), s.face, s.link, size, levels, from);
        if (this.stretchCount >= STRETCH_CACHE_LIMIT) {
          for (const m of this.stretches.values()) m.clear();
          this.stretchCount = 0;
        }
        byText.set(t, (cached = { pieces }));
        this.stretchCount++;
      } else for (const p of cached.pieces) this.faces.add(p.font);
      return cached;
    };
    const slice = (from: number, to: number): Piece[] => {
      const out: Piece[] = [];
      for (const s of spans) {
        const a = Math.max(from, s.start);
        const b = Math.min(to, s.end);
        if (a < b) this.pieces(out, text.slice(a, b), s.face, s.link, size, levels, a);
      }
      return out;
    };
    const word = (from: number, to: number): Word => {
      const st = from < to ? stretch(from, to) : undefined;
      return st ? (st.word ??= sumWord(st.pieces)) : sumWord(slice(from, to));
    };
    const glue = (from: number, to: number, kind: GlueKind): Glue => {
      const st = from < to ? stretch(from, to) : undefined;
      if (!st) return sumGlue(slice(from, to), kind);
      const byKind = (st.glues ??= {});
      return (byKind[kind] ??= sumGlue(st.pieces, kind));
    };
    let start = lead;
    for (const pos of positions) {
      if (pos <= start) continue;
      let end = pos;
      while (end > start && text.charCodeAt(end - 1) === 32) end--;
      if (end === start) continue; // spaces only (cannot happen after the first word)
      const kind: GlueKind =
        end < pos
          ? 'space'
          : breaks.get(pos) === 'url'
            ? 'url'
            : isCjk(text.codePointAt(end - 1) as number) || isCjk(text.codePointAt(pos) ?? 0)
              ? 'cjk'
              : 'none';
      words.push(word(start, end));
      if (pos < text.length) glues.push(glue(end, pos, kind));
      start = pos;
    }
    if (start < text.length) {
      let end = text.length;
      while (end > start && text.charCodeAt(end - 1) === 32) end--;
      if (end > start) words.push(word(start, end));
    }
    if (glues.length >= words.length) glues.length = Math.max(0, words.length - 1);
    return { words, glues };
  }

  /**
   * Hyphenation points inside the words of a justified paragraph (a word of one piece, letters
   * only, punctuation after it kept with the last syllable): each becomes a 'hyphen' glue.
   */
  private hyphenate(words: Word[], glues: Glue[], size: number, hyphenate: Hyphenator): void {
    let bySyllables = this.syllables.get(hyphenate);
    if (!bySyllables) this.syllables.set(hyphenate, (bySyllables = new WeakMap()));
    // Rebuilt in one pass (glues[i] sits between words[i] and words[i + 1]).
    const outWords: Word[] = [];
    const outGlues: Glue[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i] as Word;
      if (i > 0) outGlues.push(glues[i - 1] as Glue);
      if (w.pieces.length !== 1) {
        outWords.push(w);
        continue;
      }
      const p = w.pieces[0] as Piece;
      let chunks = bySyllables.get(p);
      if (chunks === undefined) {
        chunks = null;
        const m = /^(\p{L}{5,})(\p{P}*)$/u.exec(p.text);
        if (m && p.level === 0) {
          const parts = hyphenate(m[1] as string).slice();
          if (parts.length >= 2) {
            parts[parts.length - 1] += m[2] as string;
            chunks = parts.map((t) => sumWord([this.piece(p.font, t, size, p.link, 0)]));
          }
        }
        bySyllables.set(p, chunks);
      } else if (chunks) for (const c of chunks) for (const q of c.pieces) this.faces.add(q.font);
      if (!chunks) {
        outWords.push(w);
        continue;
      }
      chunks.forEach((c, k) => {
        if (k > 0) outGlues.push(HYPHENATION_POINT);
        outWords.push(c);
      });
    }
    // Spare glues after the last word (none after tokenize trims them) stay at the end.
    for (let k = Math.max(0, words.length - 1); k < glues.length; k++) outGlues.push(glues[k] as Glue);
    words.splice(0, words.length, ...outWords);
    glues.splice(0, glues.length, ...outGlues);
  }

  /**
   * Cut words wider than the line (long URLs) into pieces that fit: after a "/" or "-" when one
   * falls in the last two thirds of the piece (a URL breaks after a slash), else between any two
   * characters.
   */
  private splitLongWords(words: Word[], glues: Glue[], maxWidth: number, size: number): void {
    for (let i = 0; i < words.length; i++) {
      const w = words[i] as Word;
      if (w.width <= maxWidth + 1e-6) continue;
      const chars: Array<{ p: Piece; ch: string; w: number }> = [];
      for (const p of w.pieces) {
        for (const ch of p.text)
          chars.push({ p, ch, w: (this.shaper.shape(p.font, ch, false).units * size) / 1000 });
      }
      const chunks: Word[] = [];
      let start = 0;
      while (start < chars.length) {
        let end = start;
        let width = 0;
        while (
          end < chars.length &&
          (end === start || width + (chars[end] as { w: number }).w <= maxWidth + 1e-6)
        ) {
          width += (chars[end] as { w: number }).w;
          end++;
        }
        if (end < chars.length) end = preferredBreak(chars, start, end);
        // Regroup the characters into pieces of one face and link.
        const pieces: Piece[] = [];
        let k = start;
        while (k < end) {
          const src = (chars[k] as { p: Piece }).p;
          let text = '';
          while (k < end && (chars[k] as { p: Piece }).p === src) text += (chars[k++] as { ch: string }).ch;
          pieces.push(this.piece(src.font, text, size, src.link, src.level));
        }
        chunks.push(sumWord(pieces));
        start = end;
      }
      const breaks: Glue[] = chunks.slice(1).map(() => ({ pieces: [], width: 0, kind: 'url' }));
      words.splice(i, 1, ...chunks);
      glues.splice(i, 0, ...breaks);
      i += chunks.length - 1;
    }
  }

  /** A paragraph as rows (y = 0; the flow places copies). Identical paragraphs are laid out once per batch. */
  paragraph(runs: readonly Run[], style: Style, defaultFace: FaceName = 'regular'): Row[] {
    const styleKey = `${style.size}|${style.leading}|${style.align}|${style.x}|${style.width}|${defaultFace}|${this.rtl ? 'r' : ''}${style.align === 'justify' ? this.language : ''}`;
    const single = runs.length === 1 ? runs[0] : undefined;
    const known = single && this.byRun.get(single)?.get(styleKey);
    if (known) {
      for (const f of known.faces) this.faces.add(f);
      return known.rows;
    }
    let key = styleKey;
    for (const r of runs) key += `\u0000${r.bold ? 'b' : ''}${r.italic ? 'i' : ''}|${r.link ?? ''}|${r.text}`;
    const cached = this.cache.get(key);
    if (cached) {
      for (const f of cached.faces) this.faces.add(f);
      // Seen twice: a template's paragraph (a one-off, an addressee's, never comes here).
      if (single) {
        let byStyle = this.byRun.get(single);
        if (!byStyle) this.byRun.set(single, (byStyle = new Map()));
        byStyle.set(styleKey, cached);
      }
      return cached.rows;
    }
    const faces = new Set<FontId>();
    const rows = this.layoutParagraph(runs, style, defaultFace, faces);
    for (const f of faces) this.faces.add(f);
    // Bounded: the template's paragraphs come back in every note and are cached again at once;
    // the one-off paragraphs (an addressee's) must not make memory grow with the batch.
    if (this.cache.size >= PARAGRAPH_CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, { rows, faces });
    return rows;
  }

  private layoutParagraph(
    runs: readonly Run[],
    style: Style,
    defaultFace: FaceName,
    faces: Set<FontId>,
  ): Row[] {
    const outerFaces = this.faces;
    this.faces = faces;
    try {
      // In a right-to-left document, a paragraph with right-to-left text runs right to left; one
      // without any (a date in Latin figures, a Latin name, the masthead) keeps its own direction.
      const rtl = this.rtl && runs.some((r) => RTL_TEXT.test(r.text));
      const { words, glues } = this.tokenize(runs, style.size, defaultFace, rtl);
      if (words.length === 0) return [{ lines: [{ x: style.x, y: 0, size: style.size, items: [] }] }];
      this.splitLongWords(words, glues, style.width, style.size);
      let breaks: LineBreak[];
      if (style.align === 'justify') {
        breaks = breakOptimal(words, glues, style.width);
        const hyphenate = hyphenatorFor(this.language);
        // Hyphenate only a paragraph that would otherwise have a loose line.
        if (hyphenate && breaks.some((b, i) => i < breaks.length - 1 && b[3] > LOOSE)) {
          this.hyphenate(words, glues, style.size, hyphenate);
          // The width of the hyphen drawn after each word that ends at a hyphenation point.
          const hyphen = new Float64Array(words.length);
          for (let k = 0; k < glues.length; k++) {
            if ((glues[k] as Glue).kind !== 'hyphen') continue;
            const last = (words[k] as Word).pieces;
            hyphen[k] = (this.hyphenUnits((last[last.length - 1] as Piece).font) * style.size) / 1000;
          }
          breaks = breakOptimal(words, glues, style.width, hyphen);
        }
      } else breaks = breakGreedy(words, glues, style.width);
      return breaks.map(([a, b, natural], lineIndex) => {
        const endGlue = glues[b - 1];
        const last = lineIndex === breaks.length - 1 || endGlue?.kind === 'url';
        let stretchable = 0;
        for (let k = a; k < b - 1; k++) if (stretches(glues[k] as Glue)) stretchable++;
        const extra =
          style.align === 'justify' && !last && stretchable > 0 ? (style.width - natural) / stretchable : 0;
        const items: DrawItem[] = [];
        const levels: number[] = [];
        let embedded = false;
        const push = (p: Piece, e: number): void => {
          items.push(drawItem(p, e));
          levels.push(p.level);
          if (p.level > 0) embedded = true;
        };
        const width = natural;
        for (let k = a; k < b; k++) {
          const pieces = (words[k] as Word).pieces;
          const g = k < b - 1 ? (glues[k] as Glue) : undefined;
          const glueExtra = g !== undefined && stretches(g) ? extra : 0;
          // The stretch goes after the word when its glue draws nothing, else after the glue.
          const last = pieces.length - 1;
          for (let j = 0; j <= last; j++)
            push(pieces[j] as Piece, j === last && g !== undefined && g.pieces.length === 0 ? glueExtra : 0);
          if (g === undefined) continue;
          const lastOfGlue = g.pieces.length - 1;
          for (let j = 0; j <= lastOfGlue; j++) push(g.pieces[j] as Piece, j === lastOfGlue ? glueExtra : 0);
        }
        if (endGlue?.kind === 'hyphen') {
          const lastPiece = (words[b - 1] as Word).pieces;
          const p = lastPiece[lastPiece.length - 1] as Piece;
          const h = this.piece(p.font, HYPHEN, style.size, p.link, p.level);
          push(h, 0);
        }
        const visual = embedded ? reorder(items, levels) : items;
        let x = style.x;
        const slack = style.width - width;
        const align =
          style.align === 'justify'
            ? rtl && (last || stretchable === 0)
              ? 'right'
              : 'left'
            : rtl && style.align !== 'center'
              ? style.align === 'left'
                ? 'right'
                : 'left'
              : style.align;
        if (!(style.align === 'justify' && !last && stretchable > 0)) {
          if (align === 'center') x += slack / 2;
          else if (align === 'right') x += slack;
        }
        return { lines: [{ x, y: 0, size: style.size, items: visual }] };
      });
    } finally {
      this.faces = outerFaces;
    }
  }
}

/** The bidi levels of text[from, to) as runs: "level×length" each, "," between. */
function levelRuns(levels: Uint8Array, from: number, to: number): string {
  let out = '';
  let i = from;
  while (i < to) {
    const level = levels[i] as number;
    let j = i + 1;
    while (j < to && levels[j] === level) j++;
    out += `${out === '' ? '' : ','}${level}x${j - i}`;
    i = j;
  }
  return out;
}

/** Items of a line in visual order: UAX #9 rule L2 (reverse runs at each level from the highest). */
function reorder(items: DrawItem[], levels: number[]): DrawItem[] {
  const out = items.slice();
  const lv = levels.slice();
  let max = 0;
  let minOdd = Infinity;
  for (const l of lv) {
    if (l > max) max = l;
    if (l & 1 && l < minOdd) minOdd = l;
  }
  for (let level = max; level >= minOdd; level--) {
    let i = 0;
    while (i < out.length) {
      if ((lv[i] as number) < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < out.length && (lv[j] as number) >= level) j++;
      reverseRange(out, i, j);
      reverseRange(lv, i, j);
      i = j;
    }
  }
  return out;
}

function reverseRange<T>(a: T[], from: number, to: number): void {
  for (let i = from, j = to - 1; i < j; i++, j--) {
    const t = a[i] as T;
    a[i] = a[j] as T;
    a[j] = t;
  }
}

/** End of a chunk of a long word: after the last "/" (else "-") in its last two thirds, else `end`. */
function preferredBreak(chars: ReadonlyArray<{ ch: string }>, start: number, end: number): number {
  for (const mark of ['/', '-']) {
    for (let k = end; k > start + (end - start) / 3; k--)
      if ((chars[k - 1] as { ch: string }).ch === mark) return k;
  }
  return end;
}

/** [first word, word after the last, natural width, stretch ratio (slack per space / a space)]. */
type LineBreak = [from: number, to: number, natural: number, ratio: number];

/** A line is loose when its spaces stretch by more than this fraction of a space. */
const LOOSE = 0.5;
/** Demerits of a line ending in a hyphen (TeX's \hyphenpenalty). */
const HYPHEN_PENALTY = 50;

/** First fit: as many words as fit on each line (ragged text). */
function breakGreedy(words: Word[], glues: Glue[], max: number): LineBreak[] {
  const breaks: LineBreak[] = [];
  let from = 0;
  let width = (words[0] as Word).width;
  for (let i = 1; i < words.length; i++) {
    const add = (glues[i - 1] as Glue).width + (words[i] as Word).width;
    if (width + add <= max + 1e-6) {
      width += add;
    } else {
      breaks.push([from, i, width, 0]);
      from = i;
      width = (words[i] as Word).width;
    }
  }
  breaks.push([from, words.length, width, 0]);
  return breaks;
}

/**
 * Justified text: the breaks that minimise TeX-like demerits over the paragraph (stretch of each
 * space relative to a normal space, cubed; a hyphen costs HYPHEN_PENALTY), so that no line gets
 * the very wide gaps first fit leaves before a long word. O(words × words per line).
 */
function breakOptimal(words: Word[], glues: Glue[], max: number, hyphenWidth?: Float64Array): LineBreak[] {
  const n = words.length;
  const { wordSum, glueSum, stretchSum, best, next, ratios, widths } = scratchFor(n);
  wordSum[0] = 0;
  glueSum[0] = 0;
  stretchSum[0] = 0;
  for (let i = 0; i < n; i++) wordSum[i + 1] = (wordSum[i] as number) + (words[i] as Word).width;
  let spaceTotal = 0;
  let spaceCount = 0;
  for (let i = 0; i < n - 1; i++) {
    const g = glues[i] as Glue;
    glueSum[i + 1] = (glueSum[i] as number) + g.width;
    stretchSum[i + 1] = (stretchSum[i] as number) + (stretches(g) ? 1 : 0);
    if (g.kind === 'space') {
      spaceTotal += g.width;
      spaceCount++;
    }
  }
  // Without spaces (Chinese), stretch is measured against an average character.
  const space = spaceCount > 0 ? spaceTotal / spaceCount : (wordSum[n] as number) / n || 1;
  best[n] = 0;
  for (let i = n - 1; i >= 0; i--) {
    best[i] = Infinity;
    for (let j = i + 1; j <= n; j++) {
      let natural =
        (wordSum[j] as number) - (wordSum[i] as number) + (glueSum[j - 1] as number) - (glueSum[i] as number);
      const end = j < n ? (glues[j - 1] as Glue) : undefined;
      const hyphen = end?.kind === 'hyphen';
      if (hyphen && hyphenWidth) natural += hyphenWidth[j - 1] as number;
      if (natural > max + 1e-6 && j > i + 1) {
        if (hyphen) continue; // a shorter line may still end at a normal break
        break;
      }
      let badness = 0;
      let ratio = 0;
      if (j < n && end?.kind !== 'url') {
        const stretchable = (stretchSum[j - 1] as number) - (stretchSum[i] as number);
        const slack = Math.max(0, max - natural);
        ratio = stretchable > 0 ? slack / stretchable / space : slack > 1 ? 100 : 0;
        badness = Math.min(10000, 100 * ratio * ratio * ratio);
      }
      const penalty = hyphen ? HYPHEN_PENALTY * HYPHEN_PENALTY : 0;
      const demerits = (10 + badness) * (10 + badness) + penalty + (best[j] as number);
      if (demerits < (best[i] as number)) {
        best[i] = demerits;
        next[i] = j;
        ratios[i] = ratio;
        widths[i] = natural;
      }
    }
  }
  const breaks: LineBreak[] = [];
  for (let i = 0; i < n; i = next[i] as number) {
    breaks.push([i, next[i] as number, widths[i] as number, ratios[i] as number]);
  }
  return breaks;
}

/**
 * The work arrays of breakOptimal, reused from one paragraph to the next (two passes for every
 * justified paragraph of a batch): every entry it reads is written first in the same call.
 */
interface BreakScratch {
  size: number;
  wordSum: Float64Array;
  glueSum: Float64Array;
  stretchSum: Int32Array;
  best: Float64Array;
  next: Int32Array;
  ratios: Float64Array;
  widths: Float64Array;
}
let scratch: BreakScratch | undefined;
function scratchFor(n: number): BreakScratch {
  if (!scratch || scratch.size < n + 1) {
    const size = Math.max(n + 1, 2 * (scratch?.size ?? 256));
    scratch = {
      size,
      wordSum: new Float64Array(size),
      glueSum: new Float64Array(size),
      stretchSum: new Int32Array(size),
      best: new Float64Array(size),
      next: new Int32Array(size),
      ratios: new Float64Array(size),
      widths: new Float64Array(size),
    };
  }
  return scratch;
}

function drawItem(p: Piece, extra: number): DrawItem {
  const item: DrawItem = { font: p.font, shaped: p.shaped, width: p.width, extra };
  if (p.link !== undefined) item.link = p.link;
  return item;
}

function sumWord(pieces: Piece[]): Word {
  let width = 0;
  for (const p of pieces) width += p.width;
  return { pieces, width };
}

function sumGlue(pieces: Piece[], kind: GlueKind): Glue {
  let width = 0;
  for (const p of pieces) width += p.width;
  return { pieces, width, kind };
}

/** What a page carries besides the flowing text, and where that text may go. */
interface PageGeometry {
  /** Top of the text area on pages 2 and after. */
  readonly continuationTop: number;
  /** Lowest baseline area: no text line goes below it. */
  readonly bottom: number;
  /** Draws what a new page carries before its text (its page number in a note, the running header in a report). */
  decorate(page: LaidPage, n: number): void;
}

/** A piece never split across pages (a table row); its lines and rules are offsets from its top. */
interface Atom {
  height: number;
  parts: Array<{ row: Row; dy: number }>;
  rules: Array<{ x1: number; x2: number; dy: number; width: number }>;
}

/**
 * Places rows on pages, top to bottom, keeping two lines of a paragraph together at a break;
 * atoms (table rows) move whole; a table's header row is repeated on each page it continues on.
 */
class Flow {
  readonly pages: LaidPage[] = [];
  /** Top of the free space on the current page. */
  private top = 0;
  private atPageTop = true;

  constructor(
    private readonly geometry: PageGeometry,
    firstPageTop: number,
  ) {
    this.pages.push({ lines: [], links: [] });
    this.top = firstPageTop;
  }

  private get page(): LaidPage {
    return this.pages[this.pages.length - 1] as LaidPage;
  }

  newPage(): void {
    const n = this.pages.length + 1;
    const page: LaidPage = { lines: [], links: [] };
    this.pages.push(page);
    this.geometry.decorate(page, n);
    this.top = this.geometry.continuationTop;
    this.atPageTop = true;
  }

  /** How many lines of `leading` fit below the cursor after `gap`. */
  private capacity(gap: number, leading: number): number {
    const g = this.atPageTop ? 0 : gap;
    return Math.max(0, Math.floor((this.top - g - this.geometry.bottom + 1e-6) / leading));
  }

  /** Height left below the cursor after `gap` (no gap at the top of a page). */
  room(gap: number): number {
    return this.top - (this.atPageTop ? 0 : gap) - this.geometry.bottom;
  }

  /** Height of the text area of a new page. */
  get pageRoom(): number {
    return this.geometry.continuationTop - this.geometry.bottom;
  }

  get isAtPageTop(): boolean {
    return this.atPageTop;
  }

  /**
   * Place a paragraph's rows, splitting it at page ends so that at least two lines stay on each
   * side (paragraphs of fewer than four lines move whole); `keepTogether` never splits.
   */
  place(rows: Row[], style: { size: number; leading: number }, gap: number, keepTogether = false): void {
    let rest = rows;
    let g = gap;
    while (rest.length > 0) {
      const n = rest.length;
      let k = this.capacity(g, style.leading);
      if (k < n) {
        if (keepTogether || n < 4) {
          k = 0;
        } else {
          if (k < 2) k = 0;
          else if (n - k < 2) k = n - 2 >= 2 ? n - 2 : 0;
        }
      } else {
        k = n;
      }
      if (k === 0 && this.atPageTop) k = Math.max(1, Math.min(n, this.capacity(0, style.leading))); // cannot do better
      if (k === 0) {
        this.newPage();
        continue;
      }
      if (!this.atPageTop) this.top -= g;
      for (const row of rest.slice(0, k)) {
        placeRow(this.page, row, this.top - style.size);
        this.top -= style.leading;
      }
      this.atPageTop = false;
      rest = rest.slice(k);
      g = 0;
      if (rest.length > 0) this.newPage();
    }
  }

  /**
   * Place an atom whole: here when it fits, else at the top of the next page (which takes it
   * whatever its height). `header` is drawn first when the atom opens a page.
   */
  placeAtom(atom: Atom, gap: number, header?: Atom): void {
    if (!this.atPageTop && atom.height > this.room(gap) + 1e-6) this.newPage();
    if (this.atPageTop) {
      if (header) this.put(header);
    } else {
      this.top -= gap;
    }
    this.put(atom);
  }

  private put(atom: Atom): void {
    const page = this.page;
    for (const { row, dy } of atom.parts) placeRow(page, row, this.top - dy);
    for (const r of atom.rules) {
      (page.rules ??= []).push({ x1: r.x1, x2: r.x2, y: this.top - r.dy, width: r.width });
    }
    this.top -= atom.height;
    this.atPageTop = false;
  }

  /** The next text starts on a new page (nothing to do at the top of one). */
  pageBreak(): void {
    if (!this.atPageTop) this.newPage();
  }

  /** Absolute placement on the current page (letterhead, footer), outside the flow. */
  placeAt(rows: Row[], baseline: number, leading: number): void {
    rows.forEach((row, i) => placeRow(this.page, row, baseline - i * leading));
  }

  moveTo(top: number): void {
    this.top = top;
    this.atPageTop = false;
  }

  get cursor(): number {
    return this.top;
  }
}

function placeRow(page: LaidPage, row: Row, baseline: number): void {
  // Rows come from the paragraph cache: place copies.
  for (const template of row.lines) {
    const line = { ...template, y: baseline };
    page.lines.push(line);
    collectLinks(page, line);
  }
}

function collectLinks(page: LaidPage, line: DrawLine): void {
  let x = line.x;
  let open: LinkArea | null = null;
  for (const item of line.items) {
    const x2 = x + item.width;
    if (item.link !== undefined) {
      if (open && open.uri === item.link && Math.abs(open.rect[2] - x) < 1e-6) {
        open.rect[2] = x2;
      } else {
        open = { uri: item.link, rect: [x, line.y - line.size * 0.25, x2, line.y + line.size * 0.9] };
        page.links.push(open);
      }
    } else {
      open = null;
    }
    x = x2 + item.extra;
  }
}

// ---------------------------------------------------------------------------------------------
// Blocks to flow items.

interface TextStyle {
  size: number;
  leading: number;
}

/** The typography of a kind of document. */
interface BodyStyle {
  body: TextStyle;
  /** Default space after a paragraph, a list, a table. */
  paragraphGap: number;
  listItemGap: number;
  headings: Record<1 | 2 | 3, TextStyle & { spaceBefore: number; spaceAfter: number }>;
  table: TextStyle & { padX: number; padY: number; spaceBefore: number };
}

/** Leading of a paragraph set in another size: 1.2 times the size, to the half point. */
function leadingOf(size: number): number {
  return Math.round(size * 2.4) / 2;
}

interface RowsItem {
  kind: 'rows';
  rows: Row[];
  style: TextStyle;
  gap: number;
  keepTogether: boolean;
  keepWithNext: boolean;
  /** A heading: an entry of the PDF outline. */
  outline?: { level: 1 | 2 | 3; title: string };
}

interface AtomItem {
  kind: 'atom';
  atom: Atom;
  gap: number;
  keepWithNext: boolean;
  /** Repeated above this atom when it opens a page (a table's header row). */
  header?: Atom;
}

type Item = RowsItem | AtomItem | { kind: 'break' };

function clampIndent(indent: number | undefined): number {
  if (indent === undefined || !Number.isFinite(indent)) return 0;
  return Math.min(Math.max(0, indent), TEXT_WIDTH - 36);
}

function spaceOf(v: number | undefined, fallback: number): number {
  return v === undefined || !Number.isFinite(v) ? fallback : Math.max(0, v);
}

/** The rows of a list item with its marker on the first line, as the notes have always drawn them. */
function listItemRows(
  builder: ParagraphBuilder,
  item: Run[],
  ordered: boolean,
  i: number,
  body: TextStyle,
): Row[] {
  const itemRows = builder.paragraph(item, {
    ...body,
    align: 'justify',
    x: MARGIN_LEFT + LIST_TEXT_INDENT,
    width: TEXT_WIDTH - LIST_TEXT_INDENT,
  });
  const marker = builder.paragraph([{ text: listMarker(ordered, i) }], {
    ...body,
    align: 'left',
    x: MARGIN_LEFT + LIST_MARKER_INDENT,
    width: LIST_TEXT_INDENT - LIST_MARKER_INDENT,
  });
  return [{ lines: [...(marker[0] as Row).lines, ...(itemRows[0] as Row).lines] }, ...itemRows.slice(1)];
}

function tableAtoms(
  builder: ParagraphBuilder,
  table: Extract<Block, { type: 'table' }>,
  style: BodyStyle,
): { header: Atom | undefined; rows: Atom[] } {
  const t = style.table;
  const columns: Array<{ x: number; width: number; align: 'left' | 'right' | 'center' }> = [];
  let x = MARGIN_LEFT;
  for (const c of table.columns) {
    const width = Math.max(0, Number.isFinite(c.width) ? c.width : 0) * TEXT_WIDTH;
    columns.push({ x, width, align: c.align });
    x += width;
  }
  const right = Math.min(x, MARGIN_LEFT + TEXT_WIDTH * 1.5);
  const atom = (cells: Run[][], defaultFace: FaceName): Atom => {
    const parts: Atom['parts'] = [];
    let lines = 1;
    columns.forEach((col, c) => {
      const cell = cells[c] ?? [];
      const rows = builder.paragraph(
        cell,
        {
          size: t.size,
          leading: t.leading,
          align: col.align,
          x: col.x + t.padX,
          width: Math.max(1, col.width - 2 * t.padX),
        },
        defaultFace,
      );
      rows.forEach((row, i) => parts.push({ row, dy: t.padY + t.size + i * t.leading }));
      lines = Math.max(lines, rows.length);
    });
    return { height: 2 * t.padY + lines * t.leading, parts, rules: [] };
  };
  const rule = (a: Atom, atBottom: boolean, width: number): void => {
    a.rules.push({ x1: MARGIN_LEFT, x2: right, dy: atBottom ? a.height : 0, width });
  };
  const header = table.header.length > 0 ? atom(table.header, 'italic') : undefined;
  const rows = table.rows.map((cells) => atom(cells, 'regular'));
  const first = header ?? rows[0];
  if (first) rule(first, false, 0.75);
  if (header) rule(header, true, 0.5);
  const last = rows[rows.length - 1] ?? header;
  if (last) rule(last, true, 0.75);
  return { header, rows };
}

/** Flow items of `blocks`; `state.pending` is the space after the previous block. */
function blockItems(
  builder: ParagraphBuilder,
  blocks: readonly Block[],
  style: BodyStyle,
  state: { pending: number },
  out: Item[],
): void {
  for (const block of blocks) {
    switch (block.type) {
      case 'paragraph': {
        const custom = block.size !== undefined && Number.isFinite(block.size) && block.size > 0;
        const text: TextStyle = custom
          ? { size: block.size as number, leading: leadingOf(block.size as number) }
          : style.body;
        const indent = clampIndent(block.indent);
        const rows = builder.paragraph(block.runs, {
          ...text,
          align: block.align,
          x: MARGIN_LEFT + indent,
          width: TEXT_WIDTH - indent,
        });
        out.push({
          kind: 'rows',
          rows,
          style: text,
          gap: state.pending + spaceOf(block.spaceBefore, 0),
          keepTogether: false,
          keepWithNext: block.keepWithNext === true,
        });
        state.pending = spaceOf(block.spaceAfter, style.paragraphGap);
        break;
      }
      case 'list':
        // Each list item is placed as its own paragraph so that page breaks respect it.
        block.items.forEach((item, i) => {
          out.push({
            kind: 'rows',
            rows: listItemRows(builder, item, block.ordered, i, style.body),
            style: style.body,
            gap: i === 0 ? state.pending : style.listItemGap,
            keepTogether: false,
            keepWithNext: false,
          });
        });
        if (block.items.length > 0) state.pending = style.paragraphGap;
        break;
      case 'heading': {
        const h = style.headings[block.level] ?? style.headings[3];
        const rows = builder.paragraph(
          headingRuns(block.runs),
          {
            size: h.size,
            leading: h.leading,
            align: block.align ?? 'left',
            x: MARGIN_LEFT,
            width: TEXT_WIDTH,
          },
          'bold',
        );
        out.push({
          kind: 'rows',
          rows,
          style: h,
          gap: state.pending + h.spaceBefore,
          keepTogether: true,
          keepWithNext: true,
          outline: { level: block.level, title: cleanText(block.runs.map((r) => r.text).join('')).trim() },
        });
        state.pending = h.spaceAfter;
        break;
      }
      case 'table': {
        const { header, rows } = tableAtoms(builder, block, style);
        let gap = state.pending + spaceOf(block.spaceBefore, style.table.spaceBefore);
        if (header) {
          out.push({ kind: 'atom', atom: header, gap, keepWithNext: rows.length > 0 });
          gap = 0;
        }
        for (const atom of rows) {
          out.push(
            header
              ? { kind: 'atom', atom, gap, keepWithNext: false, header }
              : { kind: 'atom', atom, gap, keepWithNext: false },
          );
          gap = 0;
        }
        if (header || rows.length > 0) state.pending = spaceOf(block.spaceAfter, style.paragraphGap);
        break;
      }
      case 'page-break':
        out.push({ kind: 'break' });
        state.pending = 0;
        break;
      case 'group': {
        const from = out.length;
        blockItems(builder, block.blocks, style, state, out);
        for (let k = from; k < out.length; k++) {
          const item = out[k] as Item;
          if (item.kind === 'break') continue;
          if (k < out.length - 1) item.keepWithNext = true;
          if (item.kind === 'rows') item.keepTogether = true;
        }
        break;
      }
    }
  }
}

function fullHeight(item: RowsItem | AtomItem): number {
  return item.kind === 'rows' ? item.rows.length * item.style.leading : item.atom.height;
}

/** The least of an item that must go on the page with what keeps with it. */
function firstChunk(item: RowsItem | AtomItem): number {
  if (item.kind === 'atom') return item.atom.height;
  const n = item.rows.length;
  return item.keepTogether || n < 4 ? n * item.style.leading : 2 * item.style.leading;
}

/** Height from the top of items[i] to the end of what must stay on its page with it. */
function chainHeight(items: readonly Item[], i: number): number {
  let item = items[i] as RowsItem | AtomItem;
  let height = fullHeight(item);
  for (let k = i + 1; item.keepWithNext && k < items.length; k++) {
    const next = items[k] as Item;
    if (next.kind === 'break') break;
    height += next.gap + (next.keepWithNext ? fullHeight(next) : firstChunk(next));
    item = next;
  }
  return height;
}

/** An entry of the PDF outline: a heading and where it starts (page index from 0, top in points). */
export interface OutlineEntry {
  level: 1 | 2 | 3;
  title: string;
  page: number;
  top: number;
}

function flowItems(flow: Flow, items: readonly Item[], outline: OutlineEntry[] | undefined): void {
  // A page break takes effect when something follows it: none at the end of the body.
  let breakPending = false;
  items.forEach((item, i) => {
    if (item.kind === 'break') {
      breakPending = true;
      return;
    }
    if (breakPending) {
      flow.pageBreak();
      breakPending = false;
    }
    if (item.keepWithNext && !flow.isAtPageTop) {
      // Move to the next page now when what must stay together fits there but not here.
      const need = chainHeight(items, i);
      if (need > flow.room(item.gap) + 1e-6 && need <= flow.pageRoom + 1e-6) flow.newPage();
    }
    if (item.kind === 'rows') {
      flow.place(item.rows, item.style, item.gap, item.keepTogether);
      if (outline && item.outline && item.outline.title !== '') {
        outline.push({
          ...item.outline,
          page: flow.pages.length - 1,
          top: flow.cursor + item.rows.length * item.style.leading,
        });
      }
    } else {
      flow.placeAtom(item.atom, item.gap, item.header);
    }
  });
}

/** Lay out a whole note: letterhead, reference, body, date line, enclosures, page numbers, footer. */
export function layoutNote(doc: NoteDocument, builder: ParagraphBuilder): NoteLayout {
  const faces = new Set<FontId>();
  builder.faces = faces;
  builder.language = doc.meta.language;
  builder.rtl = isRtlLanguage(doc.meta.language);
  const full = { x: MARGIN_LEFT, width: TEXT_WIDTH };
  const flow = new Flow(
    {
      continuationTop: CONTINUATION_TOP,
      bottom: MARGIN_BOTTOM,
      decorate: (page, n) => {
        const rows = builder.paragraph([{ text: pageNumberText(doc, n) }], {
          ...PAGE_NUMBER,
          align: 'center',
          x: MARGIN_LEFT,
          width: TEXT_WIDTH,
        });
        for (const row of rows) placeRow(page, row, PAGE_NUMBER.baseline);
      },
    },
    LETTERHEAD_TOP,
  );

  // Letterhead, centred; the first line larger and bold.
  let top = LETTERHEAD_TOP;
  doc.letterhead.forEach((line, i) => {
    const style = i === 0 ? LETTERHEAD_FIRST : LETTERHEAD_OTHER;
    const rows = builder.paragraph(
      [{ text: line }],
      { ...style, ...full, align: 'center' },
      i === 0 ? 'bold' : 'regular',
    );
    flow.placeAt(rows, top - style.size, style.leading);
    top -= rows.length * style.leading;
  });
  if (doc.letterhead.length > 0) top -= GAP_AFTER_LETTERHEAD;
  const refRows = builder.paragraph([{ text: doc.referenceLine }], { ...BODY, ...full, align: 'left' });
  flow.placeAt(refRows, top - BODY.size, BODY.leading);
  top -= refRows.length * BODY.leading + GAP_AFTER_REFERENCE;
  flow.moveTo(top);

  const items: Item[] = [];
  blockItems(builder, doc.body, NOTE_STYLE, { pending: 0 }, items);
  flowItems(flow, items, undefined);

  // The date line and the enclosures stay together on the last page.
  const closing: Row[] = [
    ...builder.paragraph([{ text: doc.dateLine }], { ...BODY, ...full, align: 'right' }),
  ];
  if (doc.enclosures > 0) {
    const encl = builder.paragraph([{ text: enclosuresText(doc) }], {
      ...BODY,
      ...full,
      align: 'left',
    });
    // An empty row is the gap before "Enclosures", so that the block is kept whole.
    closing.push({ lines: [] }, ...encl);
  }
  flow.place(closing, BODY, GAP_BEFORE_DATE, true);

  // Footer at the bottom of the last page; a long footer grows upwards.
  const footerRows = builder.paragraph(
    [{ text: doc.footer }],
    { ...FOOTER, ...full, align: 'center' },
    'italic',
  );
  if (doc.footer.trim() !== '') {
    flow.placeAt(footerRows, FOOTER.baseline + (footerRows.length - 1) * FOOTER.leading, FOOTER.leading);
  }
  return { pages: flow.pages, faces };
}

// ---------------------------------------------------------------------------------------------
// Reports (the list of participants): the page of a UN document.

/** Outer side of page n (1-based), as a double-sided UN document: right on odd pages, left on even ones. */
function outerSide(n: number): 'left' | 'right' {
  return n % 2 === 0 ? 'left' : 'right';
}

/**
 * Lay out a report: masthead, distribution and title on page 1, then the body; from page 2 the
 * symbol at the top and the page number at the bottom, on the outer side of the page.
 */
export function layoutReport(doc: ReportDocument, builder: ParagraphBuilder): NoteLayout {
  const faces = new Set<FontId>();
  builder.faces = faces;
  builder.language = doc.meta.language;
  builder.rtl = isRtlLanguage(doc.meta.language);
  const full = { x: MARGIN_LEFT, width: TEXT_WIDTH };
  const R = REPORT;
  const flow = new Flow(
    {
      continuationTop: CONTINUATION_TOP,
      bottom: MARGIN_BOTTOM,
      decorate: (page, n) => {
        const h = R.runningHeader;
        const rows = builder.paragraph(
          [{ text: doc.symbol }],
          { size: h.size, leading: h.leading, ...full, align: outerSide(n) },
          'bold',
        );
        rows.forEach((row, i) => placeRow(page, row, h.baseline + (rows.length - 1 - i) * h.leading));
        (page.rules ??= []).push({
          x1: MARGIN_LEFT,
          x2: MARGIN_LEFT + TEXT_WIDTH,
          y: h.baseline - h.ruleDrop,
          width: h.ruleWidth,
        });
      },
    },
    R.mastheadBaseline,
  );

  // Masthead: the issuer on the left, the symbol on the right, a thick rule under both.
  let baseline: number = R.mastheadBaseline;
  let lowest = baseline;
  if (doc.masthead !== undefined && doc.masthead.trim() !== '') {
    const rows = builder.paragraph(
      [{ text: doc.masthead }],
      { ...R.masthead, x: MARGIN_LEFT, width: TEXT_WIDTH * 0.5, align: 'left' },
      'bold',
    );
    flow.placeAt(rows, baseline, R.masthead.leading);
    lowest = Math.min(lowest, baseline - (rows.length - 1) * R.masthead.leading);
  }
  if (doc.symbol.trim() !== '') {
    const hasMasthead = doc.masthead !== undefined && doc.masthead.trim() !== '';
    const width = hasMasthead ? TEXT_WIDTH * 0.5 : TEXT_WIDTH;
    const rows = builder.paragraph(
      [{ text: doc.symbol }],
      { ...R.symbol, x: MARGIN_LEFT + TEXT_WIDTH - width, width, align: 'right' },
      'bold',
    );
    flow.placeAt(rows, baseline, R.symbol.leading);
    lowest = Math.min(lowest, baseline - (rows.length - 1) * R.symbol.leading);
  }
  const ruleY = lowest - R.mastheadRule.drop;
  (flow.pages[0] as LaidPage).rules = [
    { x1: MARGIN_LEFT, x2: MARGIN_LEFT + TEXT_WIDTH, y: ruleY, width: R.mastheadRule.width },
  ];
  let top = ruleY - R.gapAfterRule + R.distribution.leading;
  baseline = ruleY - R.gapAfterRule;
  const d = R.distribution;
  for (const line of doc.distribution ?? []) {
    const rows = builder.paragraph(
      [{ text: line }],
      { size: d.size, leading: d.leading, x: d.x, width: MARGIN_LEFT + TEXT_WIDTH - d.x, align: 'left' },
      'regular',
    );
    flow.placeAt(rows, baseline, d.leading);
    baseline -= rows.length * d.leading;
    top = baseline + d.leading;
  }
  top = Math.min(top, ruleY) - d.leading - R.gapBeforeTitle + d.leading;

  // Title lines, centred: the first bold and larger.
  doc.titleLines.forEach((line, i) => {
    const style = i === 0 ? R.titleFirst : R.titleOther;
    if (i > 0) top -= R.titleLineGap;
    const rows = builder.paragraph(
      line,
      { ...style, ...full, align: 'center' },
      i === 0 ? 'bold' : 'regular',
    );
    flow.placeAt(rows, top - style.size, style.leading);
    top -= rows.length * style.leading;
  });
  flow.moveTo(top - (doc.titleLines.length > 0 ? R.gapAfterTitle : 0));

  const items: Item[] = [];
  blockItems(builder, doc.body, REPORT_STYLE, { pending: 0 }, items);
  const outline: OutlineEntry[] = [];
  flowItems(flow, items, outline);

  // Page numbers from page 2, at the bottom on the outer side; the footer at the bottom left of page 1.
  flow.pages.forEach((page, i) => {
    if (i === 0) {
      if (doc.footer !== undefined && doc.footer.trim() !== '') {
        const f = R.footer;
        const rows = builder.paragraph(
          [{ text: doc.footer }],
          { size: f.size, leading: f.leading, x: MARGIN_LEFT, width: TEXT_WIDTH * 0.6, align: 'left' },
          'regular',
        );
        rows.forEach((row, k) => placeRow(page, row, f.baseline + (rows.length - 1 - k) * f.leading));
      }
      return;
    }
    const p = R.pageNumber;
    const rows = builder.paragraph([{ text: pageNumberText(doc, i + 1) }], {
      size: p.size,
      leading: p.leading,
      ...full,
      align: outerSide(i + 1),
    });
    for (const row of rows) placeRow(page, row, p.baseline);
  });
  return { pages: flow.pages, faces, outline };
}

/** Arabic (and the other right-to-left languages): paragraphs run right to left. */
export function isRtlLanguage(language: string): boolean {
  return /^(ar|he|fa|ur)\b/i.test(language);
}

/** Lay out a note or a report. */
export function layoutDocument(doc: NvDocument, builder: ParagraphBuilder): NoteLayout {
  return isReport(doc) ? layoutReport(doc, builder) : layoutNote(doc, builder);
}
