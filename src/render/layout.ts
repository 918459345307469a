/**
 * Page layout of a note verbale: line breaking, justification and pagination, independent of
 * how the lines are then written (the PDF writer turns each line into one TJ per font change).
 *
 * Units are PDF points; y grows upwards from the bottom of the page.
 */
import { isReport, type Block, type NoteDocument, type NvDocument, type ReportDocument, type Run } from './document.js';
import { faceOf, type FaceName } from './fonts.js';

export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
const MARGIN_LEFT = 72;
const MARGIN_RIGHT = 72;
const MARGIN_BOTTOM = 72;
const TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;

const BODY = { size: 12, leading: 14.5 };
const PARAGRAPH_GAP = 8;
const LIST_ITEM_GAP = 6;
const LIST_MARKER_INDENT = 18;
const LIST_TEXT_INDENT = 45;
const LETTERHEAD_TOP = PAGE_HEIGHT - 50;
const LETTERHEAD_FIRST = { size: 16, leading: 20 };
const LETTERHEAD_OTHER = { size: 11, leading: 14 };
const GAP_AFTER_LETTERHEAD = 30;
const GAP_AFTER_REFERENCE = 22;
const GAP_BEFORE_DATE = 22;
/** Top of the text area on pages 2 and after. */
const CONTINUATION_TOP = PAGE_HEIGHT - 72;
const PAGE_NUMBER = { size: 10, leading: 12, baseline: PAGE_HEIGHT - 45 };
const FOOTER = { size: 9, leading: 11, baseline: 40 };
/** Code points any page number can use. */
export const PAGE_NUMBER_CHARACTERS = '- 0123456789';

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

export interface LaidPage {
  lines: DrawLine[];
  links: LinkArea[];
}

export interface NoteLayout {
  pages: LaidPage[];
  faces: Set<FaceName>;
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

function enclosuresText(n: number): string {
  return `Enclosures: ${n}`;
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
    add('regular', PAGE_NUMBER_CHARACTERS);
    return;
  }
  doc.letterhead.forEach((line, i) => add(i === 0 ? 'bold' : 'regular', cleanText(line)));
  add('regular', cleanText(doc.referenceLine));
  collectBlocks(doc.body, add);
  add('regular', cleanText(doc.dateLine));
  if (doc.enclosures > 0) add('regular', enclosuresText(doc.enclosures));
  add('italic', cleanText(doc.footer));
  add('regular', PAGE_NUMBER_CHARACTERS);
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

/** Places rows on pages, top to bottom, keeping two lines of a paragraph together at a break. */
class Flow {
  readonly pages: LaidPage[] = [];
  /** Top of the free space on the current page. */
  private top = 0;
  private atPageTop = true;

  constructor(
    private readonly builder: ParagraphBuilder,
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
    const rows = this.builder.paragraph([{ text: `- ${n} -` }], {
      ...PAGE_NUMBER,
      align: 'center',
      x: MARGIN_LEFT,
      width: TEXT_WIDTH,
    });
    for (const row of rows) placeRow(page, row, PAGE_NUMBER.baseline);
    this.top = CONTINUATION_TOP;
    this.atPageTop = true;
  }

  /** How many lines of `leading` fit below the cursor after `gap`. */
  private capacity(gap: number, leading: number): number {
    const g = this.atPageTop ? 0 : gap;
    return Math.max(0, Math.floor((this.top - g - MARGIN_BOTTOM + 1e-6) / leading));
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

function blockRows(builder: ParagraphBuilder, block: Block): { rows: Row[]; itemStarts: number[] } {
  if (block.type === 'paragraph') {
    return {
      rows: builder.paragraph(block.runs, { ...BODY, align: block.align, x: MARGIN_LEFT, width: TEXT_WIDTH }),
      itemStarts: [0],
    };
  }
  const rows: Row[] = [];
  const itemStarts: number[] = [];
  block.items.forEach((item, i) => {
    const itemRows = builder.paragraph(item, {
      ...BODY,
      align: 'justify',
      x: MARGIN_LEFT + LIST_TEXT_INDENT,
      width: TEXT_WIDTH - LIST_TEXT_INDENT,
    });
    const marker = builder.paragraph([{ text: listMarker(block.ordered, i) }], {
      ...BODY,
      align: 'left',
      x: MARGIN_LEFT + LIST_MARKER_INDENT,
      width: LIST_TEXT_INDENT - LIST_MARKER_INDENT,
    });
    itemStarts.push(rows.length);
    rows.push({ lines: [...(marker[0] as Row).lines, ...(itemRows[0] as Row).lines] }, ...itemRows.slice(1));
  });
  return { rows, itemStarts };
}

/** Lay out a whole note: letterhead, reference, body, date line, enclosures, page numbers, footer. */
export function layoutNote(doc: NoteDocument, builder: ParagraphBuilder): NoteLayout {
  const faces = new Set<FaceName>();
  builder.faces = faces;
  const full = { x: MARGIN_LEFT, width: TEXT_WIDTH };
  const flow = new Flow(builder, LETTERHEAD_TOP);

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

  let first = true;
  for (const block of doc.body) {
    const { rows, itemStarts } = blockRows(builder, block);
    // Each list item is placed as its own paragraph so that page breaks respect it.
    itemStarts.forEach((start, i) => {
      const end = itemStarts[i + 1] ?? rows.length;
      const gap = first ? 0 : i === 0 ? PARAGRAPH_GAP : LIST_ITEM_GAP;
      flow.place(rows.slice(start, end), BODY, gap);
      first = false;
    });
  }

  // The date line and the enclosures stay together on the last page.
  const closing: Row[] = [
    ...builder.paragraph([{ text: doc.dateLine }], { ...BODY, ...full, align: 'right' }),
  ];
  if (doc.enclosures > 0) {
    const encl = builder.paragraph([{ text: enclosuresText(doc.enclosures) }], {
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
