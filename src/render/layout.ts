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
import { faceOf, type FaceName } from './fonts.js';

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

/** A measured string: width in thousandths of an em, and the glyph ids as a hex string. */
export interface Shaped {
  readonly units: number;
  readonly hex: string;
}

/** Measures text in one face; the PDF renderer caches per batch. */
export interface Shaper {
  shape(face: FaceName, text: string): Shaped;
}

export interface DrawItem {
  face: FaceName;
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
  faces: Set<FaceName>;
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
  face: FaceName;
  text: string;
  shaped: Shaped;
  width: number;
  link?: string;
}

interface Word {
  pieces: Piece[];
  width: number;
}

interface Glue {
  pieces: Piece[];
  width: number;
  /** A break point inside a word too long for the line: never stretched. */
  breakOnly?: boolean;
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

const PARAGRAPH_CACHE_LIMIT = 256;

/** Lays out paragraphs for one batch; owns the cache of laid-out paragraphs. */
export class ParagraphBuilder {
  private readonly cache = new Map<string, { rows: Row[]; faces: Set<FaceName> }>();
  /** Faces used by the document being laid out (swapped while a paragraph is built). */
  faces = new Set<FaceName>();

  constructor(private readonly shaper: Shaper) {}

  private piece(face: FaceName, text: string, size: number, link: string | undefined): Piece {
    this.faces.add(face);
    const shaped = this.shaper.shape(face, text);
    const p: Piece = { face, text, shaped, width: (shaped.units * size) / 1000 };
    if (link !== undefined) p.link = link;
    return p;
  }

  /** Words and the glue between them (glues[i] sits between words[i] and words[i + 1]). */
  private tokenize(
    runs: readonly Run[],
    size: number,
    defaultFace: FaceName,
  ): { words: Word[]; glues: Glue[] } {
    const words: Word[] = [];
    const glues: Glue[] = [];
    let word: Piece[] | null = null;
    let glue: Piece[] = [];
    for (const run of runs) {
      const face = run.bold || run.italic ? faceOf(run.bold, run.italic) : defaultFace;
      const text = cleanText(run.text);
      if (text === '') continue;
      for (const part of text.split(/( +)/)) {
        if (part === '') continue;
        if (part.charCodeAt(0) === 32) {
          if (word) {
            words.push(sumWord(word));
            word = null;
          }
          // Spaces before the first word of the paragraph are dropped.
          if (words.length > 0) glue.push(this.piece(face, part, size, run.link));
        } else {
          if (!word) {
            if (words.length > 0) glues.push(sumGlue(glue));
            glue = [];
            word = [];
          }
          word.push(this.piece(face, part, size, run.link));
        }
      }
    }
    if (word) words.push(sumWord(word));
    return { words, glues };
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
          chars.push({ p, ch, w: (this.shaper.shape(p.face, ch).units * size) / 1000 });
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
          pieces.push(this.piece(src.face, text, size, src.link));
        }
        chunks.push(sumWord(pieces));
        start = end;
      }
      const breaks: Glue[] = chunks.slice(1).map(() => ({ pieces: [], width: 0, breakOnly: true }));
      words.splice(i, 1, ...chunks);
      glues.splice(i, 0, ...breaks);
      i += chunks.length - 1;
    }
  }

  /** A paragraph as rows (y = 0; the flow places copies). Identical paragraphs are laid out once per batch. */
  paragraph(runs: readonly Run[], style: Style, defaultFace: FaceName = 'regular'): Row[] {
    let key = `${style.size}|${style.leading}|${style.align}|${style.x}|${style.width}|${defaultFace}`;
    for (const r of runs) key += `\u0000${r.bold ? 'b' : ''}${r.italic ? 'i' : ''}|${r.link ?? ''}|${r.text}`;
    const cached = this.cache.get(key);
    if (cached) {
      for (const f of cached.faces) this.faces.add(f);
      return cached.rows;
    }
    const faces = new Set<FaceName>();
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
    faces: Set<FaceName>,
  ): Row[] {
    const outerFaces = this.faces;
    this.faces = faces;
    try {
      const { words, glues } = this.tokenize(runs, style.size, defaultFace);
      if (words.length === 0) return [{ lines: [{ x: style.x, y: 0, size: style.size, items: [] }] }];
      this.splitLongWords(words, glues, style.width, style.size);
      const breaks =
        style.align === 'justify'
          ? breakOptimal(words, glues, style.width)
          : breakGreedy(words, glues, style.width);
      return breaks.map(([a, b, natural], lineIndex) => {
        const last = lineIndex === breaks.length - 1;
        let stretchable = 0;
        for (let k = a; k < b - 1; k++) if (!(glues[k] as Glue).breakOnly) stretchable++;
        let extra = 0;
        let x = style.x;
        const slack = style.width - natural;
        if (style.align === 'justify' && !last && stretchable > 0) extra = slack / stretchable;
        else if (style.align === 'center') x += slack / 2;
        else if (style.align === 'right') x += slack;
        const items: DrawItem[] = [];
        for (let k = a; k < b; k++) {
          for (const p of (words[k] as Word).pieces) items.push(drawItem(p, 0));
          if (k < b - 1) {
            const g = glues[k] as Glue;
            g.pieces.forEach((p, j) =>
              items.push(drawItem(p, j === g.pieces.length - 1 && !g.breakOnly ? extra : 0)),
            );
          }
        }
        return { lines: [{ x, y: 0, size: style.size, items }] };
      });
    } finally {
      this.faces = outerFaces;
    }
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

type LineBreak = [from: number, to: number, natural: number];

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
      breaks.push([from, i, width]);
      from = i;
      width = (words[i] as Word).width;
    }
  }
  breaks.push([from, words.length, width]);
  return breaks;
}

/**
 * Justified text: the breaks that minimise TeX-like demerits over the paragraph (stretch of each
 * space relative to a normal space, cubed), so that no line gets the very wide gaps first fit
 * leaves before a long word. O(words × words per line).
 */
function breakOptimal(words: Word[], glues: Glue[], max: number): LineBreak[] {
  const n = words.length;
  const wordSum = new Float64Array(n + 1);
  const glueSum = new Float64Array(n);
  const stretchSum = new Int32Array(n);
  for (let i = 0; i < n; i++) wordSum[i + 1] = (wordSum[i] as number) + (words[i] as Word).width;
  let spaceTotal = 0;
  let spaceCount = 0;
  for (let i = 0; i < n - 1; i++) {
    const g = glues[i] as Glue;
    glueSum[i + 1] = (glueSum[i] as number) + g.width;
    stretchSum[i + 1] = (stretchSum[i] as number) + (g.breakOnly ? 0 : 1);
    if (!g.breakOnly) {
      spaceTotal += g.width;
      spaceCount++;
    }
  }
  const space = spaceCount > 0 ? spaceTotal / spaceCount : 1;
  const best = new Float64Array(n + 1);
  const next = new Int32Array(n + 1);
  best[n] = 0;
  for (let i = n - 1; i >= 0; i--) {
    best[i] = Infinity;
    for (let j = i + 1; j <= n; j++) {
      const natural =
        (wordSum[j] as number) - (wordSum[i] as number) + (glueSum[j - 1] as number) - (glueSum[i] as number);
      if (natural > max + 1e-6 && j > i + 1) break;
      let badness = 0;
      if (j < n) {
        const stretchable = (stretchSum[j - 1] as number) - (stretchSum[i] as number);
        const slack = Math.max(0, max - natural);
        const ratio = stretchable > 0 ? slack / stretchable / space : slack > 1 ? 100 : 0;
        badness = Math.min(10000, 100 * ratio * ratio * ratio);
      }
      const demerits = (10 + badness) * (10 + badness) + (best[j] as number);
      if (demerits < (best[i] as number)) {
        best[i] = demerits;
        next[i] = j;
      }
    }
  }
  const breaks: LineBreak[] = [];
  for (let i = 0; i < n; i = next[i] as number) {
    const j = next[i] as number;
    breaks.push([
      i,
      j,
      (wordSum[j] as number) - (wordSum[i] as number) + (glueSum[j - 1] as number) - (glueSum[i] as number),
    ]);
  }
  return breaks;
}

function drawItem(p: Piece, extra: number): DrawItem {
  const item: DrawItem = { face: p.face, shaped: p.shaped, width: p.width, extra };
  if (p.link !== undefined) item.link = p.link;
  return item;
}

function sumWord(pieces: Piece[]): Word {
  let width = 0;
  for (const p of pieces) width += p.width;
  return { pieces, width };
}

function sumGlue(pieces: Piece[]): Glue {
  let width = 0;
  for (const p of pieces) width += p.width;
  return { pieces, width };
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
  const faces = new Set<FaceName>();
  builder.faces = faces;
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
  const faces = new Set<FaceName>();
  builder.faces = faces;
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

/** Lay out a note or a report. */
export function layoutDocument(doc: NvDocument, builder: ParagraphBuilder): NoteLayout {
  return isReport(doc) ? layoutReport(doc, builder) : layoutNote(doc, builder);
}
