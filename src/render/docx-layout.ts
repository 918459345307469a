/**
 * The DOCX layout of a note verbale, shared by the two DOCX writers in render/docx.ts: the `docx`
 * library (which writes the package's static parts once per language) and the fast serialiser (which
 * writes word/document.xml for every note). Both take their paragraphs from `layoutNote`, so they
 * cannot disagree about what is printed or in which style.
 */
import type { Bidi } from 'bidi-js';
import { createRequire } from 'node:module';
import {
  enclosuresText,
  isReport,
  type Block,
  type NoteDocument,
  type NvDocument,
  type ReportDocument,
  type Run,
} from './document.js';
import * as T from './typography.js';
import { halfPoints, twips } from './typography.js';

/**
 * Page geometry in twentieths of a point (twips), from render/typography.ts. The top margin is
 * page 1's (the letterhead starts there, as in the PDF); on later pages the header (the page
 * number) ends where the PDF's continuation pages start, so the body starts there too.
 */
export const PAGE = {
  width: twips(T.PAGE_WIDTH),
  height: twips(T.PAGE_HEIGHT),
  top: twips(T.FIRST_PAGE_MARGIN),
  margin: twips(T.MARGIN_LEFT),
  bottom: twips(T.MARGIN_BOTTOM),
  /** Top of the page number's line: its baseline where the PDF draws it. */
  header: twips(T.PAGE_HEIGHT - T.PAGE_NUMBER.baseline - T.PAGE_NUMBER.size),
  footer: twips(T.FOOTER.baseline - T.FOOTER.leading),
} as const;

/**
 * The frame of the note's footer line: the text's width, from the left margin, its top placed so
 * that the baseline of its (first) line is FOOTER.baseline above the bottom of the page, as in the
 * PDF. In an exact line the baseline sits about a fifth of the size above the line's bottom
 * (Tinos' descent is 0.216 em).
 */
export const FOOTER_FRAME = {
  width: twips(T.TEXT_WIDTH),
  y: twips(T.PAGE_HEIGHT - T.FOOTER.baseline - T.FOOTER.leading + 0.2 * T.FOOTER.size),
} as const;

/** The families of `w:rFonts`: Latin, Greek and Cyrillic; Arabic (complex script); Chinese. */
export const FONTS = {
  ascii: T.FAMILY.latin,
  hAnsi: T.FAMILY.latin,
  cs: T.FAMILY.arabic,
  eastAsia: T.FAMILY.chinese,
} as const;
/** Half-points of a note's body. */
export const FONT_SIZE = halfPoints(T.BODY.size);

/** Paragraph style ids written to styles.xml and referenced by every paragraph of the note. */
export const STYLE = {
  letterheadTitle: 'LetterheadTitle',
  letterhead: 'Letterhead',
  reference: 'NoteReference',
  body: 'NoteBody',
  listItem: 'NoteListItem',
  tableText: 'NoteTableText',
  date: 'NoteDate',
  enclosures: 'NoteEnclosures',
  footer: 'NoteFooter',
  pageNumber: 'NotePageNumber',
} as const;

/** Paragraph style ids of a report (the list of participants); headings use Heading1…Heading3. */
export const REPORT_STYLE = {
  masthead: 'ReportMasthead',
  distribution: 'ReportDistribution',
  title: 'ReportTitle',
  subtitle: 'ReportSubtitle',
  body: 'ReportBody',
  listItem: 'ReportListItem',
  tableText: 'ReportTableText',
  header: 'ReportHeader',
  pageNumber: 'ReportPageNumber',
  footer: 'ReportFooter',
} as const;

/** Half-points of a report's body. */
export const REPORT_FONT_SIZE = halfPoints(T.REPORT_STYLE.body.size);
/** Width of the text area in twips. */
export const TEXT_WIDTH = twips(T.TEXT_WIDTH);

// ---------------------------------------------------------------------------------------------
// Languages and scripts.

/** Region of a bare language code, as Word writes `w:lang` (the six UN languages). */
const DEFAULT_REGION: Record<string, string> = {
  en: 'GB',
  fr: 'FR',
  es: 'ES',
  ru: 'RU',
  ar: 'SA',
  zh: 'CN',
};

/** `w:lang` of a document: `val` always; `bidi` for Arabic, `eastAsia` for Chinese. */
export interface DocxLanguage {
  value: string;
  eastAsia?: string;
  bidirectional?: string;
}

/** The `w:lang` of a BCP 47 tag ("ar" -> ar-SA with bidi ar-SA; "zh" -> zh-CN with eastAsia zh-CN). */
export function docxLanguage(tag: string): DocxLanguage | undefined {
  const clean = sanitizeText(tag).trim();
  if (clean === '') return undefined;
  const primary = (clean.split(/[-_]/)[0] as string).toLowerCase();
  const region = DEFAULT_REGION[primary];
  const value = /[-_]/.test(clean) || region === undefined ? clean : `${primary}-${region}`;
  if (primary === 'ar') return { value, bidirectional: value };
  if (primary === 'zh') return { value, eastAsia: value };
  return { value };
}

/** Writing direction and script of a document: Arabic right to left; Chinese East Asian. */
interface Script {
  rtl: boolean;
  eastAsia: boolean;
}

function scriptOf(doc: NvDocument): Script {
  const primary = (doc.meta.language.trim().split(/[-_]/)[0] ?? '').toLowerCase();
  return { rtl: primary === 'ar', eastAsia: primary === 'zh' };
}

/**
 * Characters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko…, presentation forms),
 * and the high surrogates of the astral right-to-left blocks: one character class, a fast scan; a
 * false alarm only costs running the bidi algorithm.
 */
const RTL_CHARACTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\ud802\ud83a\ud83b]/;
/** Han ideographs, kana, CJK punctuation and full-width forms. */
const CJK_CHARACTER = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\ud840-\ud87f][\udc00-\udfff]/;

/** Character style of hyperlink runs (defined by the docx library's default styles). */
export const HYPERLINK_STYLE = 'Hyperlink';

export const NUMBERING = { bullet: 'nv-bullet', ordered: 'nv-ordered' } as const;
export const BULLET_TEXT = '\u2022';
/** "(a)", "(b)"… as UN documents number sub-items (the PDF renderer writes the same). */
export const ORDERED_TEXT = '(%1)';

/** `w:jc` values. */
export type Jc = 'both' | 'left' | 'center' | 'right';

const JC_OF_ALIGN: Record<'justify' | 'left' | 'center' | 'right', Jc> = {
  justify: 'both',
  left: 'left',
  center: 'center',
  right: 'right',
};

/** A run ready to write: sanitised text split into text and tab segments, never empty. */
export interface LaidRun {
  /** Text segments; '\t' stands for a tab (`<w:tab/>`), anything else is text. */
  parts: string[];
  bold: boolean;
  italic: boolean;
  /** Sanitised hyperlink target, or undefined. */
  link: string | undefined;
  /** Size in half-points, when not the style's. */
  size?: number;
  /** Right-to-left text (Arabic): `w:rtl`, so Word sets it in the complex-script font. */
  rtl?: boolean;
  /** East Asian text in a Chinese document: `w:rFonts w:hint="eastAsia"`. */
  eastAsia?: boolean;
}

export interface LaidParagraph {
  table?: undefined;
  style: string;
  /** Alignment; in a right-to-left (`bidi`) paragraph `left` is the start and `right` the end. */
  jc: Jc;
  /** Set on list items: the list's index among the note's lists (0-based) and its kind. */
  list?: { index: number; ordered: boolean };
  runs: LaidRun[];
  keepNext?: boolean;
  keepLines?: boolean;
  pageBreakBefore?: boolean;
  /** Direct spacing in twips, when not the style's. */
  spacing?: { before?: number; after?: number };
  /** Left indent in twips. */
  indentLeft?: number;
  /** A paragraph holding only a page break (written before a table that starts a page). */
  pageBreak?: boolean;
  /** A right-to-left paragraph (`w:bidi`): every paragraph of an Arabic document. */
  bidi?: boolean;
  /** Set on the note's footer line: out of the text flow, in a frame at the bottom of the page. */
  pageBottomFrame?: boolean;
}

/** A table cell: one paragraph. */
export interface LaidCell {
  jc: Jc;
  runs: LaidRun[];
}

export interface LaidTable {
  table: true;
  /** Paragraph style of the cells. */
  style: string;
  /** Direct paragraph spacing of the cells (notes: none after). */
  spacing?: { before?: number; after?: number };
  /** Column widths in twips. */
  widths: number[];
  /** Right-to-left cell paragraphs (an Arabic document). */
  bidi?: boolean;
  header?: LaidCell[];
  rows: LaidCell[][];
}

export type LaidBlock = LaidParagraph | LaidTable;

// Characters not allowed in XML 1.0 (C0 controls other than tab/CR/LF, U+FFFE/U+FFFF, unpaired
// surrogates). Line breaks are turned into spaces: a run never holds a line break (document.ts).
const ILLEGAL_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;

/** Text as it can be written into XML: illegal characters removed, line breaks as spaces. */
export function sanitizeText(text: string): string {
  return text.replace(ILLEGAL_XML, '').replace(LINE_BREAK, ' ');
}

// Characters that make a relationship target an invalid URI for Word: whitespace, controls and
// a few ASCII characters RFC 3986 does not allow. Non-ASCII letters (IRIs) are kept.
const URI_UNSAFE = /[\s"<>\\^`{|}\u007F-\u009F]/g;

/** A hyperlink target safe to write as a relationship Target, or undefined when nothing is left. */
export function sanitizeLink(link: string | undefined): string | undefined {
  if (link === undefined) return undefined;
  const cleaned = link
    .replace(ILLEGAL_XML, '')
    .trim()
    .replace(URI_UNSAFE, (c) => encodeURIComponent(c))
    // A '%' that starts no escape makes the URI invalid (Word then reports the file as damaged).
    .replace(/%(?![0-9A-Fa-f]{2})/g, '%25');
  return cleaned === '' ? undefined : cleaned;
}

/**
 * bidi-js, loaded when a paragraph first holds right-to-left text (an English batch never needs
 * it). It is CommonJS; `require` gives its factory.
 */
const requireModule = createRequire(import.meta.url);
function bidiFactory(): Bidi {
  const m = requireModule('bidi-js') as (() => Bidi) | { default: () => Bidi };
  return typeof m === 'function' ? m() : m.default();
}
let bidi: Bidi | undefined;

const LTR: Script = { rtl: false, eastAsia: false };

/** A run's text split into text and tab segments. */
function laidRun(text: string, run: Run, link: string | undefined, script: Script, rtl: boolean): LaidRun {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 9) {
      if (i > start) parts.push(text.slice(start, i));
      parts.push('\t');
      start = i + 1;
    }
  }
  if (start < text.length) parts.push(text.slice(start));
  const out: LaidRun = { parts, bold: run.bold === true, italic: run.italic === true, link };
  if (rtl) out.rtl = true;
  if (script.eastAsia && CJK_CHARACTER.test(text)) out.eastAsia = true;
  return out;
}

/**
 * A paragraph's runs ready to write. Where the paragraph holds right-to-left text (or is Arabic),
 * runs are split where the direction changes (Unicode Bidirectional Algorithm, bidi-js levels),
 * so that a Latin name, a number or the reference inside Arabic text is its own left-to-right run.
 */
function layRuns(runs: Run[], script: Script = LTR): LaidRun[] {
  const texts = runs.map((r) => sanitizeText(r.text));
  let levels: Uint8Array | undefined;
  if (script.rtl || texts.some((t) => RTL_CHARACTER.test(t))) {
    bidi ??= bidiFactory();
    levels = bidi.getEmbeddingLevels(texts.join(''), script.rtl ? 'rtl' : 'ltr').levels;
  }
  const out: LaidRun[] = [];
  let offset = 0;
  runs.forEach((run, k) => {
    const text = texts[k] as string;
    const base = offset;
    offset += text.length;
    if (text === '') return;
    const link = sanitizeLink(run.link);
    if (levels === undefined) {
      out.push(laidRun(text, run, link, script, false));
      return;
    }
    const odd = (i: number): boolean => ((levels[base + i] ?? 0) & 1) === 1;
    let start = 0;
    while (start < text.length) {
      const rtl = odd(start);
      let end = start + 1;
      while (end < text.length) {
        const low = (text.charCodeAt(end) & 0xfc00) === 0xdc00;
        if (!low && odd(end) !== rtl) break;
        end++;
      }
      out.push(laidRun(text.slice(start, end), run, link, script, rtl));
      start = end;
    }
  });
  return out;
}

function plain(text: string, extra: Partial<Run> = {}): Run[] {
  return [{ text, ...extra }];
}

function finite(v: number | undefined): v is number {
  return v !== undefined && Number.isFinite(v);
}

/** The styles body blocks are written in: a note's or a report's. */
interface BodyStyles {
  body: string;
  listItem: string;
  table: { style: string; spacing?: { after: number } };
  typography: T.BodyTypography;
}

const NOTE_BODY: BodyStyles = {
  body: STYLE.body,
  listItem: STYLE.listItem,
  table: { style: STYLE.tableText },
  typography: T.NOTE_STYLE,
};
const REPORT_BODY: BodyStyles = {
  body: REPORT_STYLE.body,
  listItem: REPORT_STYLE.listItem,
  table: { style: REPORT_STYLE.tableText },
  typography: T.REPORT_STYLE,
};

const CELL_JC: Record<'left' | 'right' | 'center', Jc> = { left: 'left', right: 'right', center: 'center' };

/** Header cells are italic unless their runs are marked. */
function headerRuns(runs: Run[]): Run[] {
  return runs.map((r) => (r.bold || r.italic ? r : { ...r, italic: true }));
}

/**
 * Body blocks as paragraphs and tables, in print order. A group's paragraphs keep their lines
 * together and keep with the next one (all but the last); a page break becomes "page break
 * before" on the next paragraph, or a paragraph with a page break before a table.
 */
function layBlocks(
  blocks: readonly Block[],
  styles: BodyStyles,
  out: LaidBlock[],
  state: { listIndex: number; pendingBreak: boolean; script: Script },
): void {
  const layRuns_ = (runs: Run[]) => layRuns(runs, state.script);
  const push = (b: LaidBlock): void => {
    if (state.pendingBreak) {
      if (b.table) out.push({ style: styles.body, jc: 'left', runs: [], pageBreak: true });
      else b.pageBreakBefore = true;
      state.pendingBreak = false;
    }
    out.push(b);
  };
  for (const block of blocks) {
    switch (block.type) {
      case 'paragraph': {
        const p: LaidParagraph = {
          style: styles.body,
          jc: JC_OF_ALIGN[block.align] ?? 'both',
          runs: layRuns_(block.runs),
        };
        if (block.keepWithNext) p.keepNext = true;
        const spacing: { before?: number; after?: number } = {};
        if (finite(block.spaceAfter)) spacing.after = twips(Math.max(0, block.spaceAfter));
        if (finite(block.spaceBefore)) spacing.before = twips(Math.max(0, block.spaceBefore));
        if (spacing.after !== undefined || spacing.before !== undefined) p.spacing = spacing;
        if (finite(block.indent) && block.indent > 0) p.indentLeft = twips(block.indent);
        if (finite(block.size) && block.size > 0) {
          const size = Math.round(block.size * 2);
          for (const r of p.runs) r.size = size;
        }
        push(p);
        break;
      }
      case 'list': {
        const list = { index: state.listIndex++, ordered: block.ordered };
        block.items.forEach((item, i) => {
          const p: LaidParagraph = { style: styles.listItem, jc: 'both', list, runs: layRuns_(item) };
          // The last item is followed by the paragraph gap, as the PDF does.
          if (i === block.items.length - 1) p.spacing = { after: twips(styles.typography.paragraphGap) };
          push(p);
        });
        break;
      }
      case 'heading':
        push({
          style: `Heading${block.level}`,
          jc: block.align === 'center' ? 'center' : 'left',
          runs: layRuns_(block.runs),
        });
        break;
      case 'table': {
        const widths = block.columns.map((c) =>
          twips(Math.max(0, finite(c.width) ? c.width : 0) * (TEXT_WIDTH / 20)),
        );
        const cells = (row: Run[][], header: boolean): LaidCell[] =>
          block.columns.map((c, i) => ({
            jc: CELL_JC[c.align] ?? 'left',
            runs: layRuns_(header ? headerRuns(row[i] ?? []) : (row[i] ?? [])),
          }));
        const t: LaidTable = {
          table: true,
          style: styles.table.style,
          widths,
          rows: block.rows.map((r) => cells(r, false)),
        };
        if (styles.table.spacing) t.spacing = styles.table.spacing;
        if (block.header.length > 0) t.header = cells(block.header, true);
        if (widths.length > 0 && (t.header || t.rows.length > 0)) push(t);
        break;
      }
      case 'page-break':
        state.pendingBreak = true;
        break;
      case 'group': {
        const from = out.length;
        layBlocks(block.blocks, styles, out, state);
        const last = out.length - 1;
        for (let k = from; k <= last; k++) {
          const b = out[k] as LaidBlock;
          if (b.table || b.pageBreak) continue;
          b.keepLines = true;
          if (k < last) b.keepNext = true;
        }
        break;
      }
    }
  }
}

/** Body blocks of a document, ending on a paragraph (Word wants one after a table). */
function layBody(blocks: readonly Block[], styles: BodyStyles, out: LaidBlock[], script: Script): void {
  layBlocks(blocks, styles, out, { listIndex: 0, pendingBreak: false, script });
}

/** Every paragraph (and table cell) of a right-to-left document is a right-to-left paragraph. */
function markDirection(out: LaidBlock[], script: Script): LaidBlock[] {
  if (script.rtl) for (const b of out) b.bidi = true;
  return out;
}

/** The note as a flat list of paragraphs (and tables), in print order. */
export function layoutNote(doc: NoteDocument): LaidBlock[] {
  const out: LaidBlock[] = [];
  const script = scriptOf(doc);
  doc.letterhead.forEach((line, i) => {
    const p: LaidParagraph = {
      style: i === 0 ? STYLE.letterheadTitle : STYLE.letterhead,
      jc: 'center',
      runs: layRuns(plain(line), script),
    };
    if (i === doc.letterhead.length - 1) p.spacing = { after: twips(T.GAP_AFTER_LETTERHEAD) };
    out.push(p);
  });
  if (doc.referenceLine !== '') {
    out.push({ style: STYLE.reference, jc: 'left', runs: layRuns(plain(doc.referenceLine), script) });
  }
  layBody(doc.body, NOTE_BODY, out, script);
  if (doc.dateLine !== '') {
    out.push({ style: STYLE.date, jc: 'right', runs: layRuns(plain(doc.dateLine), script) });
  }
  if (doc.enclosures > 0) {
    out.push({ style: STYLE.enclosures, jc: 'left', runs: layRuns(plain(enclosuresText(doc)), script) });
  }
  if (doc.footer !== '') {
    out.push({
      style: STYLE.footer,
      jc: 'center',
      runs: layRuns(plain(doc.footer), script),
      pageBottomFrame: true,
    });
  }
  if (out[out.length - 1]?.table) out.push({ style: STYLE.body, jc: 'both', runs: [] });
  return markDirection(out, script);
}

/** Half-points of the masthead's issuer ("United Nations"), larger than the symbol. */
const MASTHEAD_ISSUER_SIZE = halfPoints(T.REPORT.masthead.size);

/** The report in print order: masthead, distribution, title lines, body. */
export function layoutReport(doc: ReportDocument): LaidBlock[] {
  const out: LaidBlock[] = [];
  const script = scriptOf(doc);
  const masthead: LaidRun[] = [];
  if (doc.masthead !== undefined) {
    for (const r of layRuns(plain(doc.masthead), script)) masthead.push({ ...r, size: MASTHEAD_ISSUER_SIZE });
  }
  const symbol = sanitizeText(doc.symbol);
  masthead.push({
    parts: symbol === '' ? ['\t'] : ['\t', symbol],
    bold: false,
    italic: false,
    link: undefined,
  });
  out.push({ style: REPORT_STYLE.masthead, jc: 'left', runs: masthead });
  for (const line of doc.distribution ?? []) {
    out.push({ style: REPORT_STYLE.distribution, jc: 'left', runs: layRuns(plain(line), script) });
  }
  doc.titleLines.forEach((line, i) => {
    out.push({
      style: i === 0 ? REPORT_STYLE.title : REPORT_STYLE.subtitle,
      jc: 'center',
      runs: layRuns(line, script),
    });
  });
  const lastTitle = out[out.length - 1] as LaidParagraph;
  if (doc.titleLines.length > 0) lastTitle.spacing = { after: twips(T.REPORT.gapAfterTitle) };
  layBody(doc.body, REPORT_BODY, out, script);
  if (out[out.length - 1]?.table) out.push({ style: REPORT_STYLE.body, jc: 'left', runs: [] });
  return markDirection(out, script);
}

export function layoutDocument(doc: NvDocument): LaidBlock[] {
  return isReport(doc) ? layoutReport(doc) : layoutNote(doc);
}

// ---------------------------------------------------------------------------------------------
// The docx library's model of the note.

/**
 * Paragraph properties with widow/orphan control on. The library writes `w:widowControl` for styles
 * too (they share its ParagraphProperties) but its style typings leave the option out.
 */

/** Cell margins in twips, as the PDF pads table cells (the same in notes and reports). */
export const CELL_MARGINS = {
  top: twips(T.NOTE_STYLE.table.padY),
  left: twips(T.NOTE_STYLE.table.padX),
  bottom: twips(T.NOTE_STYLE.table.padY),
  right: twips(T.NOTE_STYLE.table.padX),
} as const;

/** Runs with hyperlinks grouped: consecutive runs with the same target share one `w:hyperlink`. */
export function groupRuns(runs: LaidRun[]): Array<{ link: string | undefined; runs: LaidRun[] }> {
  const groups: Array<{ link: string | undefined; runs: LaidRun[] }> = [];
  for (const run of runs) {
    const last = groups[groups.length - 1];
    if (last !== undefined && run.link !== undefined && last.link === run.link) last.runs.push(run);
    else groups.push({ link: run.link, runs: [run] });
  }
  return groups;
}
