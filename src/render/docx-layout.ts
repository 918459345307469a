/**
 * The DOCX layout of a note verbale, shared by the two DOCX writers in render/docx.ts: the `docx`
 * library (which writes the package's static parts once per language) and the fast serialiser (which
 * writes word/document.xml for every note). Both take their paragraphs from `layoutNote`, so they
 * cannot disagree about what is printed or in which style.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  LevelFormat,
  PageNumber,
  PageBreak,
  Paragraph,
  Tab,
  TabStopType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
  type IBorderOptions,
  type IStylesOptions,
  type IParagraphStyleOptions,
  type IParagraphStylePropertiesOptions,
  type ParagraphChild,
} from 'docx';
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

/** Page geometry in twentieths of a point (twips). A4 portrait, 2.54 cm margins. */
export const PAGE = {
  width: 11906,
  height: 16838,
  margin: 1440,
  header: 708,
  footer: 708,
} as const;

export const FONT = 'Times New Roman';
/** Half-points: 12 pt. */
export const FONT_SIZE = 24;

/** Paragraph style ids written to styles.xml and referenced by every paragraph of the note. */
export const STYLE = {
  letterheadTitle: 'LetterheadTitle',
  letterhead: 'Letterhead',
  reference: 'NoteReference',
  body: 'NoteBody',
  listItem: 'NoteListItem',
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

/** Half-points: 10 pt, the body size of a report. */
export const REPORT_FONT_SIZE = 20;
/** Width of the text area in twips. */
export const TEXT_WIDTH = PAGE.width - 2 * PAGE.margin;

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
}

export interface LaidParagraph {
  table?: undefined;
  style: string;
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

function layRuns(runs: Run[]): LaidRun[] {
  const out: LaidRun[] = [];
  for (const run of runs) {
    const text = sanitizeText(run.text);
    if (text === '') continue;
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
    out.push({ parts, bold: run.bold === true, italic: run.italic === true, link: sanitizeLink(run.link) });
  }
  return out;
}

function plain(text: string, extra: Partial<Run> = {}): Run[] {
  return [{ text, ...extra }];
}

/** Twips of a length in points (rounded). */
function twips(points: number): number {
  return Math.round(points * 20);
}

function finite(v: number | undefined): v is number {
  return v !== undefined && Number.isFinite(v);
}

/** The styles body blocks are written in: a note's or a report's. */
interface BodyStyles {
  body: string;
  listItem: string;
  table: { style: string; spacing?: { after: number } };
}

const NOTE_BODY: BodyStyles = {
  body: STYLE.body,
  listItem: STYLE.listItem,
  table: { style: STYLE.body, spacing: { after: 0 } },
};
const REPORT_BODY: BodyStyles = {
  body: REPORT_STYLE.body,
  listItem: REPORT_STYLE.listItem,
  table: { style: REPORT_STYLE.tableText },
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
  state: { listIndex: number; pendingBreak: boolean },
): void {
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
          runs: layRuns(block.runs),
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
        for (const item of block.items)
          push({ style: styles.listItem, jc: 'both', list, runs: layRuns(item) });
        break;
      }
      case 'heading':
        push({
          style: `Heading${block.level}`,
          jc: block.align === 'center' ? 'center' : 'left',
          runs: layRuns(block.runs),
        });
        break;
      case 'table': {
        const widths = block.columns.map((c) =>
          twips(Math.max(0, finite(c.width) ? c.width : 0) * (TEXT_WIDTH / 20)),
        );
        const cells = (row: Run[][], header: boolean): LaidCell[] =>
          block.columns.map((c, i) => ({
            jc: CELL_JC[c.align] ?? 'left',
            runs: layRuns(header ? headerRuns(row[i] ?? []) : (row[i] ?? [])),
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
function layBody(blocks: readonly Block[], styles: BodyStyles, out: LaidBlock[]): void {
  layBlocks(blocks, styles, out, { listIndex: 0, pendingBreak: false });
}

/** The note as a flat list of paragraphs (and tables), in print order. */
export function layoutNote(doc: NoteDocument): LaidBlock[] {
  const out: LaidBlock[] = [];
  doc.letterhead.forEach((line, i) => {
    out.push({
      style: i === 0 ? STYLE.letterheadTitle : STYLE.letterhead,
      jc: 'center',
      runs: layRuns(plain(line)),
    });
  });
  if (doc.referenceLine !== '') {
    out.push({ style: STYLE.reference, jc: 'left', runs: layRuns(plain(doc.referenceLine)) });
  }
  layBody(doc.body, NOTE_BODY, out);
  if (doc.dateLine !== '') {
    out.push({ style: STYLE.date, jc: 'right', runs: layRuns(plain(doc.dateLine)) });
  }
  if (doc.enclosures > 0) {
    out.push({ style: STYLE.enclosures, jc: 'left', runs: layRuns(plain(enclosuresText(doc))) });
  }
  if (doc.footer !== '') {
    out.push({ style: STYLE.footer, jc: 'center', runs: layRuns(plain(doc.footer)) });
  }
  if (out[out.length - 1]?.table) out.push({ style: STYLE.body, jc: 'both', runs: [] });
  return out;
}

/** Half-points of the masthead's issuer ("United Nations"), larger than the symbol. */
const MASTHEAD_ISSUER_SIZE = 32;

/** The report in print order: masthead, distribution, title lines, body. */
export function layoutReport(doc: ReportDocument): LaidBlock[] {
  const out: LaidBlock[] = [];
  const masthead: LaidRun[] = [];
  if (doc.masthead !== undefined) {
    for (const r of layRuns(plain(doc.masthead))) masthead.push({ ...r, size: MASTHEAD_ISSUER_SIZE });
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
    out.push({ style: REPORT_STYLE.distribution, jc: 'left', runs: layRuns(plain(line)) });
  }
  doc.titleLines.forEach((line, i) => {
    out.push({
      style: i === 0 ? REPORT_STYLE.title : REPORT_STYLE.subtitle,
      jc: 'center',
      runs: layRuns(line),
    });
  });
  const lastTitle = out[out.length - 1] as LaidParagraph;
  if (doc.titleLines.length > 0) lastTitle.spacing = { after: 400 };
  layBody(doc.body, REPORT_BODY, out);
  if (out[out.length - 1]?.table) out.push({ style: REPORT_STYLE.body, jc: 'left', runs: [] });
  return out;
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
function widowControl(p: IParagraphStylePropertiesOptions): IParagraphStylePropertiesOptions {
  return { ...p, widowControl: true } as IParagraphStylePropertiesOptions;
}

const PARAGRAPH_STYLES: IParagraphStyleOptions[] = [
  {
    id: STYLE.letterheadTitle,
    name: 'Letterhead Title',
    basedOn: 'Normal',
    next: STYLE.letterhead,
    quickFormat: true,
    run: { bold: true, size: 32 },
    paragraph: { alignment: AlignmentType.CENTER, keepNext: true, spacing: { after: 60 } },
  },
  {
    id: STYLE.letterhead,
    name: 'Letterhead',
    basedOn: 'Normal',
    next: STYLE.reference,
    quickFormat: true,
    paragraph: { alignment: AlignmentType.CENTER, keepNext: true, spacing: { after: 0 } },
  },
  {
    id: STYLE.reference,
    name: 'Note Reference',
    basedOn: 'Normal',
    next: STYLE.body,
    quickFormat: true,
    paragraph: { alignment: AlignmentType.LEFT, keepNext: true, spacing: { before: 480, after: 480 } },
  },
  {
    id: STYLE.body,
    name: 'Note Body',
    basedOn: 'Normal',
    next: STYLE.body,
    quickFormat: true,
    paragraph: widowControl({ alignment: AlignmentType.JUSTIFIED, spacing: { after: 240 } }),
  },
  {
    id: STYLE.listItem,
    name: 'Note List Item',
    basedOn: STYLE.body,
    next: STYLE.listItem,
    quickFormat: true,
    paragraph: widowControl({ alignment: AlignmentType.JUSTIFIED, spacing: { after: 240 } }),
  },
  {
    id: STYLE.date,
    name: 'Note Date',
    basedOn: 'Normal',
    next: STYLE.enclosures,
    quickFormat: true,
    paragraph: {
      alignment: AlignmentType.RIGHT,
      keepNext: true,
      keepLines: true,
      spacing: { before: 480, after: 240 },
    },
  },
  {
    id: STYLE.enclosures,
    name: 'Note Enclosures',
    basedOn: 'Normal',
    next: STYLE.footer,
    quickFormat: true,
    paragraph: { alignment: AlignmentType.LEFT, keepNext: true, spacing: { before: 240, after: 240 } },
  },
  {
    id: STYLE.footer,
    name: 'Note Footer',
    basedOn: 'Normal',
    next: 'Normal',
    quickFormat: true,
    run: { italics: true, size: 18 },
    paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 720 } },
  },
  {
    id: STYLE.pageNumber,
    name: 'Note Page Number',
    basedOn: 'Normal',
    next: 'Normal',
    paragraph: { alignment: AlignmentType.CENTER },
  },
];

const DOCX_ALIGNMENT = {
  both: AlignmentType.JUSTIFIED,
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
} as const;

function libraryRun(run: LaidRun): TextRun {
  return new TextRun({
    children: run.parts.map((p) => (p === '\t' ? new Tab() : p)),
    ...(run.link !== undefined ? { style: HYPERLINK_STYLE } : {}),
    ...(run.bold ? { bold: true } : {}),
    ...(run.italic ? { italics: true } : {}),
    ...(run.size !== undefined ? { size: run.size } : {}),
  });
}

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

function libraryParagraph(p: LaidParagraph): Paragraph {
  if (p.pageBreak) return new Paragraph({ children: [new PageBreak()] });
  const children: ParagraphChild[] = [];
  for (const group of groupRuns(p.runs)) {
    if (group.link === undefined) children.push(...group.runs.map(libraryRun));
    else children.push(new ExternalHyperlink({ link: group.link, children: group.runs.map(libraryRun) }));
  }
  return new Paragraph({
    style: p.style,
    ...(p.keepNext ? { keepNext: true } : {}),
    ...(p.keepLines ? { keepLines: true } : {}),
    ...(p.pageBreakBefore ? { pageBreakBefore: true } : {}),
    ...(p.spacing !== undefined ? { spacing: p.spacing } : {}),
    ...(p.indentLeft !== undefined ? { indent: { left: p.indentLeft } } : {}),
    alignment: DOCX_ALIGNMENT[p.jc],
    ...(p.list !== undefined
      ? {
          numbering: {
            reference: p.list.ordered ? NUMBERING.ordered : NUMBERING.bullet,
            level: 0,
            instance: p.list.index,
          },
        }
      : {}),
    children,
  });
}

const NONE: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'auto' };
/** Table rules in eighths of a point: 0.75 pt above the header and under the last row, 0.5 pt under the header. */
const TABLE_RULE: IBorderOptions = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
const HEADER_RULE: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
/** Cell margins in twips (4 pt left and right, 2.5 pt above and below), as the PDF draws them. */
export const CELL_MARGINS = { top: 50, left: 80, bottom: 50, right: 80 } as const;

function libraryCell(t: LaidTable, cell: LaidCell, width: number, header: boolean): TableCell {
  const p: LaidParagraph = { style: t.style, jc: cell.jc, runs: cell.runs };
  if (t.spacing) p.spacing = t.spacing;
  return new TableCell({
    children: [libraryParagraph(p)],
    width: { size: width, type: WidthType.DXA },
    ...(header ? { borders: { bottom: HEADER_RULE } } : {}),
  });
}

function libraryTable(t: LaidTable): Table {
  const row = (cells: LaidCell[], header: boolean): TableRow =>
    new TableRow({
      ...(header ? { tableHeader: true } : {}),
      cantSplit: true,
      children: cells.map((c, i) => libraryCell(t, c, t.widths[i] ?? 0, header)),
    });
  return new Table({
    width: { size: t.widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: t.widths,
    layout: TableLayoutType.FIXED,
    borders: {
      top: TABLE_RULE,
      bottom: TABLE_RULE,
      left: NONE,
      right: NONE,
      insideHorizontal: NONE,
      insideVertical: NONE,
    },
    margins: CELL_MARGINS,
    rows: [...(t.header ? [row(t.header, true)] : []), ...t.rows.map((r) => row(r, false))],
  });
}

function libraryBlock(b: LaidBlock): Paragraph | Table {
  return b.table ? libraryTable(b) : libraryParagraph(b);
}

const LIST_LEVEL_INDENT = { indent: { left: 720, hanging: 360 } } as const;

const NUMBERING_CONFIG = [
  {
    reference: NUMBERING.bullet,
    levels: [
      {
        level: 0,
        format: LevelFormat.BULLET,
        text: BULLET_TEXT,
        alignment: AlignmentType.LEFT,
        style: { paragraph: LIST_LEVEL_INDENT },
      },
    ],
  },
  {
    reference: NUMBERING.ordered,
    levels: [
      {
        level: 0,
        format: LevelFormat.LOWER_LETTER,
        text: ORDERED_TEXT,
        alignment: AlignmentType.LEFT,
        style: { paragraph: LIST_LEVEL_INDENT },
      },
    ],
  },
];

const PAGE_PROPERTIES = {
  page: {
    size: { width: PAGE.width, height: PAGE.height },
    margin: {
      top: PAGE.margin,
      right: PAGE.margin,
      bottom: PAGE.margin,
      left: PAGE.margin,
      header: PAGE.header,
      footer: PAGE.footer,
    },
  },
  // Page 1 has its own header and footer: page numbers start on page 2.
  titlePage: true,
};

/** Document-wide options shared by notes and reports. */
function documentOptions(doc: NvDocument, size: number) {
  const language = sanitizeText(doc.meta.language).trim();
  return {
    title: sanitizeText(doc.meta.title),
    creator: sanitizeText(doc.meta.author),
    lastModifiedBy: sanitizeText(doc.meta.author),
    revision: 1,
    ...(doc.meta.subject !== undefined ? { subject: sanitizeText(doc.meta.subject) } : {}),
    documentDefaults: {
      document: {
        run: { font: FONT, size, ...(language !== '' ? { language: { value: language } } : {}) },
        paragraph: widowControl({}),
      },
    },
  };
}

/**
 * The note as a `docx` library document. render/docx.ts compiles it once per language for the
 * package's static parts; tests compile it to check the fast serialiser writes the same XML.
 * Its core properties (dates) are not used: docProps/core.xml is written by render/docx.ts.
 */
export function buildLibraryDocument(doc: NvDocument): Document {
  if (isReport(doc)) return buildLibraryReport(doc);
  const { documentDefaults, ...options } = documentOptions(doc, FONT_SIZE);
  return new Document({
    ...options,
    styles: { default: documentDefaults, paragraphStyles: PARAGRAPH_STYLES },
    numbering: { config: NUMBERING_CONFIG },
    sections: [
      {
        properties: PAGE_PROPERTIES,
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                style: STYLE.pageNumber,
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: pageNumberChildren(doc) })],
              }),
            ],
          }),
          first: new Header({ children: [new Paragraph({})] }),
        },
        footers: {
          default: new Footer({ children: [new Paragraph({})] }),
          first: new Footer({ children: [new Paragraph({})] }),
        },
        children: layoutNote(doc).map(libraryBlock),
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Reports.

const REPORT_PARAGRAPH_STYLES: IParagraphStyleOptions[] = [
  {
    id: REPORT_STYLE.masthead,
    name: 'Report Masthead',
    basedOn: 'Normal',
    next: REPORT_STYLE.distribution,
    run: { bold: true, size: 28 },
    // The library writes tab stops for styles too; its style typings leave them out.
    paragraph: {
      keepNext: true,
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
      border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: '000000', space: 4 } },
      spacing: { after: 300 },
    } as IParagraphStylePropertiesOptions,
  },
  {
    id: REPORT_STYLE.distribution,
    name: 'Report Distribution',
    basedOn: 'Normal',
    next: REPORT_STYLE.title,
    paragraph: { keepNext: true, indent: { left: Math.round(TEXT_WIDTH * 0.62) }, spacing: { after: 0 } },
  },
  {
    id: REPORT_STYLE.title,
    name: 'Report Title',
    basedOn: 'Normal',
    next: REPORT_STYLE.subtitle,
    quickFormat: true,
    run: { bold: true, size: 28 },
    paragraph: { alignment: AlignmentType.CENTER, keepNext: true, spacing: { before: 600, after: 80 } },
  },
  {
    id: REPORT_STYLE.subtitle,
    name: 'Report Subtitle',
    basedOn: 'Normal',
    next: REPORT_STYLE.body,
    quickFormat: true,
    run: { size: 22 },
    paragraph: { alignment: AlignmentType.CENTER, keepNext: true, spacing: { after: 80 } },
  },
  {
    id: REPORT_STYLE.body,
    name: 'Report Body',
    basedOn: 'Normal',
    next: REPORT_STYLE.body,
    quickFormat: true,
    paragraph: widowControl({ spacing: { after: 120 } }),
  },
  {
    id: REPORT_STYLE.listItem,
    name: 'Report List Item',
    basedOn: REPORT_STYLE.body,
    next: REPORT_STYLE.listItem,
    paragraph: widowControl({ alignment: AlignmentType.JUSTIFIED, spacing: { after: 60 } }),
  },
  {
    id: REPORT_STYLE.tableText,
    name: 'Report Table Text',
    basedOn: 'Normal',
    next: REPORT_STYLE.tableText,
    run: { size: 18 },
    paragraph: { spacing: { after: 0 } },
  },
  {
    id: REPORT_STYLE.header,
    name: 'Report Header',
    basedOn: 'Normal',
    next: 'Normal',
    run: { bold: true, size: 18 },
    paragraph: { border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: '000000', space: 1 } } },
  },
  {
    id: REPORT_STYLE.pageNumber,
    name: 'Report Page Number',
    basedOn: 'Normal',
    next: 'Normal',
    run: { size: 18 },
  },
  {
    id: REPORT_STYLE.footer,
    name: 'Report Footer',
    basedOn: 'Normal',
    next: 'Normal',
    run: { size: 16 },
  },
];

/** Headings as the PDF draws them: bold, black, 13, 11 and 10 pt, kept with the next paragraph. */
const REPORT_HEADINGS: Pick<IStylesOptions['default'] & object, 'heading1' | 'heading2' | 'heading3'> = {
  heading1: {
    run: { bold: true, size: 26, color: '000000' },
    paragraph: { keepNext: true, keepLines: true, spacing: { before: 320, after: 160 }, outlineLevel: 0 },
  },
  heading2: {
    run: { bold: true, size: 22, color: '000000' },
    paragraph: { keepNext: true, keepLines: true, spacing: { before: 200, after: 60 }, outlineLevel: 1 },
  },
  heading3: {
    run: { bold: true, size: 20, color: '000000' },
    paragraph: { keepNext: true, keepLines: true, spacing: { before: 120, after: 40 }, outlineLevel: 2 },
  },
};

function headerParagraph(style: string, jc: Jc, children: ParagraphChild[]): Paragraph {
  return new Paragraph({ style, alignment: DOCX_ALIGNMENT[jc], children });
}

/**
 * The report as a `docx` library document: page 1 has the masthead in the body, an empty header
 * and the footer line; later pages carry the symbol in the header and the page number in the
 * footer, on the outer side (odd pages right, even pages left).
 */
/** The page number field inside the document's page-number pattern ("- {n} -"). */
function pageNumberChildren(doc: NvDocument): (string | typeof PageNumber.CURRENT)[] {
  const [before, after] = pageNumberText(doc, '\u0000').split('\u0000') as [string, string];
  return [before, PageNumber.CURRENT, after].filter((c) => c !== '');
}

function buildLibraryReport(doc: ReportDocument): Document {
  const { documentDefaults, ...options } = documentOptions(doc, REPORT_FONT_SIZE);
  const symbol = sanitizeText(doc.symbol);
  const symbolHeader = (jc: Jc): Header =>
    new Header({ children: [headerParagraph(REPORT_STYLE.header, jc, [new TextRun(symbol)])] });
  const pageFooter = (jc: Jc): Footer =>
    new Footer({
      children: [
        headerParagraph(REPORT_STYLE.pageNumber, jc, [new TextRun({ children: pageNumberChildren(doc) })]),
      ],
    });
  return new Document({
    ...options,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: { ...documentDefaults, ...REPORT_HEADINGS },
      paragraphStyles: REPORT_PARAGRAPH_STYLES,
    },
    numbering: { config: NUMBERING_CONFIG },
    sections: [
      {
        properties: PAGE_PROPERTIES,
        headers: {
          default: symbolHeader('right'),
          even: symbolHeader('left'),
          first: new Header({ children: [new Paragraph({})] }),
        },
        footers: {
          default: pageFooter('right'),
          even: pageFooter('left'),
          first: new Footer({
            children: [
              headerParagraph(REPORT_STYLE.footer, 'left', [new TextRun(sanitizeText(doc.footer ?? ''))]),
            ],
          }),
        },
        children: layoutReport(doc).map(libraryBlock),
      },
    ],
  });
}
