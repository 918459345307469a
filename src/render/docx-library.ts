/**
 * The docx library's model of a note verbale or a report (render/docx-layout.ts lays them out):
 * the library writes the DOCX package's static parts (styles, numbering, headers and footers,
 * settings) from it, once per build (render/docx-package.ts), and the tests compare nv's own
 * word/document.xml with the library's. Kept apart from docx-layout.ts so that writing notes does
 * not load the library.
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
  LineRuleType,
  FrameAnchorType,
} from 'docx';
import {
  BULLET_TEXT,
  CELL_MARGINS,
  FONTS,
  FOOTER_FRAME,
  HYPERLINK_STYLE,
  NUMBERING,
  ORDERED_TEXT,
  PAGE,
  REPORT_STYLE,
  STYLE,
  TEXT_WIDTH,
  docxLanguage,
  groupRuns,
  layoutNote,
  layoutReport,
  sanitizeText,
  type LaidBlock,
  type LaidCell,
  type LaidParagraph,
  type LaidRun,
  type Jc,
  type LaidTable,
} from './docx-layout.js';
import { isReport, pageNumberText, type NvDocument, type ReportDocument } from './document.js';
import * as T from './typography.js';
import { halfPoints, twips } from './typography.js';

/** Exact line spacing of `style` (`w:line`, `w:lineRule="exact"`). */
function exactLine(style: T.TextStyle): { line: number; lineRule: typeof LineRuleType.EXACT } {
  return { line: twips(style.leading), lineRule: LineRuleType.EXACT };
}

/** Space after the header's line so that the body of pages 2 and after starts where the PDF's does. */
const HEADER_GAP = twips(
  T.CONTINUATION_MARGIN -
    (T.PAGE_HEIGHT - T.PAGE_NUMBER.baseline - T.PAGE_NUMBER.size) -
    T.PAGE_NUMBER.leading,
);

function widowControl(p: IParagraphStylePropertiesOptions): IParagraphStylePropertiesOptions {
  return { ...p, widowControl: true } as IParagraphStylePropertiesOptions;
}

/** The paragraph style of table cells in the given typography: its size, no space after. */
function tableTextStyle(id: string, name: string, t: T.BodyTypography): IParagraphStyleOptions {
  return {
    id,
    name,
    basedOn: 'Normal',
    next: id,
    run: { size: halfPoints(t.table.size) },
    paragraph: { spacing: { after: 0, ...exactLine(t.table) } },
  };
}

const PARAGRAPH_STYLES: IParagraphStyleOptions[] = [
  {
    id: STYLE.letterheadTitle,
    name: 'Letterhead Title',
    basedOn: 'Normal',
    next: STYLE.letterhead,
    quickFormat: true,
    run: { bold: true, size: halfPoints(T.LETTERHEAD_FIRST.size) },
    paragraph: {
      alignment: AlignmentType.CENTER,
      keepNext: true,
      spacing: { after: 0, ...exactLine(T.LETTERHEAD_FIRST) },
    },
  },
  {
    id: STYLE.letterhead,
    name: 'Letterhead',
    basedOn: 'Normal',
    next: STYLE.reference,
    quickFormat: true,
    run: { size: halfPoints(T.LETTERHEAD_OTHER.size) },
    paragraph: {
      alignment: AlignmentType.CENTER,
      keepNext: true,
      spacing: { after: 0, ...exactLine(T.LETTERHEAD_OTHER) },
    },
  },
  {
    id: STYLE.reference,
    name: 'Note Reference',
    basedOn: 'Normal',
    next: STYLE.body,
    quickFormat: true,
    paragraph: {
      alignment: AlignmentType.LEFT,
      keepNext: true,
      spacing: { before: 0, after: twips(T.GAP_AFTER_REFERENCE) },
    },
  },
  {
    id: STYLE.body,
    name: 'Note Body',
    basedOn: 'Normal',
    next: STYLE.body,
    quickFormat: true,
    paragraph: widowControl({
      alignment: AlignmentType.JUSTIFIED,
      spacing: { after: twips(T.PARAGRAPH_GAP) },
    }),
  },
  {
    id: STYLE.listItem,
    name: 'Note List Item',
    basedOn: STYLE.body,
    next: STYLE.listItem,
    quickFormat: true,
    paragraph: widowControl({
      alignment: AlignmentType.JUSTIFIED,
      spacing: { after: twips(T.LIST_ITEM_GAP) },
    }),
  },
  tableTextStyle(STYLE.tableText, 'Note Table Text', T.NOTE_STYLE),
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
      // The body's last paragraph gap plus this make the PDF's gap before the date.
      spacing: { before: twips(T.GAP_BEFORE_DATE - T.PARAGRAPH_GAP), after: 0 },
    },
  },
  {
    id: STYLE.enclosures,
    name: 'Note Enclosures',
    basedOn: 'Normal',
    next: STYLE.footer,
    quickFormat: true,
    // One empty line between the date and "Enclosures", as the PDF leaves.
    paragraph: {
      alignment: AlignmentType.LEFT,
      keepNext: true,
      spacing: { before: twips(T.BODY.leading), after: 0 },
    },
  },
  {
    id: STYLE.footer,
    name: 'Note Footer',
    basedOn: 'Normal',
    next: 'Normal',
    quickFormat: true,
    run: { italics: true, size: halfPoints(T.FOOTER.size) },
    // In a frame at the bottom of the page (LaidParagraph.pageBottomFrame, FOOTER_FRAME).
    paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 0, after: 0, ...exactLine(T.FOOTER) } },
  },
  {
    id: STYLE.pageNumber,
    name: 'Note Page Number',
    basedOn: 'Normal',
    next: 'Normal',
    run: { size: halfPoints(T.PAGE_NUMBER.size) },
    paragraph: {
      alignment: AlignmentType.CENTER,
      spacing: { after: HEADER_GAP, ...exactLine(T.PAGE_NUMBER) },
    },
  },
];

/** Headings in the given typography: bold, black, kept with the next paragraph. */
function headingStyles(
  t: T.BodyTypography,
): Pick<IStylesOptions['default'] & object, 'heading1' | 'heading2' | 'heading3'> {
  const heading = (level: 1 | 2 | 3) => {
    const h = t.headings[level];
    return {
      run: { bold: true, size: halfPoints(h.size), color: '000000' },
      paragraph: {
        keepNext: true,
        keepLines: true,
        spacing: { before: twips(h.spaceBefore), after: twips(h.spaceAfter), ...exactLine(h) },
        outlineLevel: level - 1,
      },
    };
  };
  return { heading1: heading(1), heading2: heading(2), heading3: heading(3) };
}

const DOCX_ALIGNMENT = {
  both: AlignmentType.JUSTIFIED,
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
} as const;

/**
 * Alignment of a right-to-left paragraph. A LaidParagraph's `jc` is logical there: `left` is the
 * start of the line (the right of the page), as Word and LibreOffice read `w:jc` in a `w:bidi`
 * paragraph. The library swaps LEFT and RIGHT in such a paragraph to keep them on the side of the
 * page they name, so it is given the other one and writes the same `w:jc` as render/docx.ts.
 */
const LOGICAL_ALIGNMENT = {
  both: AlignmentType.JUSTIFIED,
  left: AlignmentType.RIGHT,
  center: AlignmentType.CENTER,
  right: AlignmentType.LEFT,
} as const;

function libraryRun(run: LaidRun): TextRun {
  return new TextRun({
    children: run.parts.map((p) => (p === '\t' ? new Tab() : p)),
    ...(run.link !== undefined ? { style: HYPERLINK_STYLE } : {}),
    ...(run.bold ? { bold: true } : {}),
    ...(run.italic ? { italics: true } : {}),
    ...(run.size !== undefined ? { size: run.size } : {}),
    ...(run.rtl ? { rightToLeft: true } : {}),
    ...(run.eastAsia ? { font: { hint: 'eastAsia' } } : {}),
  });
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
    ...(p.bidi ? { bidirectional: true } : {}),
    ...(p.keepNext ? { keepNext: true } : {}),
    ...(p.keepLines ? { keepLines: true } : {}),
    ...(p.pageBreakBefore ? { pageBreakBefore: true } : {}),
    ...(p.pageBottomFrame
      ? {
          frame: {
            type: 'absolute' as const,
            width: FOOTER_FRAME.width,
            height: 0,
            position: { x: 0, y: FOOTER_FRAME.y },
            anchor: { horizontal: FrameAnchorType.MARGIN, vertical: FrameAnchorType.PAGE },
          },
        }
      : {}),
    ...(p.spacing !== undefined ? { spacing: p.spacing } : {}),
    ...(p.indentLeft !== undefined ? { indent: { left: p.indentLeft } } : {}),
    alignment: p.bidi ? LOGICAL_ALIGNMENT[p.jc] : DOCX_ALIGNMENT[p.jc],
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

function libraryCell(t: LaidTable, cell: LaidCell, width: number, header: boolean): TableCell {
  const p: LaidParagraph = { style: t.style, jc: cell.jc, runs: cell.runs };
  if (t.spacing) p.spacing = t.spacing;
  if (t.bidi) p.bidi = true;
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

/** Marker at 18 pt from the margin, text at 45 pt, as the PDF draws list items. */
const LIST_LEVEL_INDENT = {
  indent: { left: twips(T.LIST_TEXT_INDENT), hanging: twips(T.LIST_TEXT_INDENT - T.LIST_MARKER_INDENT) },
} as const;

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
      top: PAGE.top,
      right: PAGE.margin,
      bottom: PAGE.bottom,
      left: PAGE.margin,
      header: PAGE.header,
      footer: PAGE.footer,
    },
  },
  // Page 1 has its own header and footer: page numbers start on page 2.
  titlePage: true,
};

/** Document-wide options shared by notes and reports. */
function documentOptions(doc: NvDocument, body: T.TextStyle) {
  const language = docxLanguage(doc.meta.language);
  return {
    title: sanitizeText(doc.meta.title),
    creator: sanitizeText(doc.meta.author),
    lastModifiedBy: sanitizeText(doc.meta.author),
    revision: 1,
    ...(doc.meta.subject !== undefined ? { subject: sanitizeText(doc.meta.subject) } : {}),
    // nv's PDF hyphenates justified Latin and Cyrillic text; Word then hyphenates too (by w:lang),
    // so that its lines break closer to the PDF's.
    hyphenation: { autoHyphenation: true },
    documentDefaults: {
      document: {
        run: { font: FONTS, size: halfPoints(body.size), ...(language !== undefined ? { language } : {}) },
        paragraph: widowControl({ spacing: exactLine(body) }),
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
  const { documentDefaults, ...options } = documentOptions(doc, T.BODY);
  return new Document({
    ...options,
    styles: {
      default: { ...documentDefaults, ...headingStyles(T.NOTE_STYLE) },
      paragraphStyles: PARAGRAPH_STYLES,
    },
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
    run: { bold: true, size: halfPoints(T.REPORT.symbol.size) },
    // The library writes tab stops for styles too; its style typings leave them out.
    paragraph: {
      keepNext: true,
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
      border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: '000000', space: 4 } },
      spacing: { after: 300, ...exactLine(T.REPORT.masthead) },
    } as IParagraphStylePropertiesOptions,
  },
  {
    id: REPORT_STYLE.distribution,
    name: 'Report Distribution',
    basedOn: 'Normal',
    next: REPORT_STYLE.title,
    run: { size: halfPoints(T.REPORT.distribution.size) },
    paragraph: {
      keepNext: true,
      indent: { left: twips(T.REPORT.distribution.x - T.MARGIN_LEFT) },
      spacing: { after: 0, ...exactLine(T.REPORT.distribution) },
    },
  },
  {
    id: REPORT_STYLE.title,
    name: 'Report Title',
    basedOn: 'Normal',
    next: REPORT_STYLE.subtitle,
    quickFormat: true,
    run: { bold: true, size: halfPoints(T.REPORT.titleFirst.size) },
    paragraph: {
      alignment: AlignmentType.CENTER,
      keepNext: true,
      spacing: {
        before: twips(T.REPORT.gapBeforeTitle),
        after: twips(T.REPORT.titleLineGap),
        ...exactLine(T.REPORT.titleFirst),
      },
    },
  },
  {
    id: REPORT_STYLE.subtitle,
    name: 'Report Subtitle',
    basedOn: 'Normal',
    next: REPORT_STYLE.body,
    quickFormat: true,
    run: { size: halfPoints(T.REPORT.titleOther.size) },
    paragraph: {
      alignment: AlignmentType.CENTER,
      keepNext: true,
      spacing: { after: twips(T.REPORT.titleLineGap), ...exactLine(T.REPORT.titleOther) },
    },
  },
  {
    id: REPORT_STYLE.body,
    name: 'Report Body',
    basedOn: 'Normal',
    next: REPORT_STYLE.body,
    quickFormat: true,
    paragraph: widowControl({ spacing: { after: twips(T.REPORT_STYLE.paragraphGap) } }),
  },
  {
    id: REPORT_STYLE.listItem,
    name: 'Report List Item',
    basedOn: REPORT_STYLE.body,
    next: REPORT_STYLE.listItem,
    paragraph: widowControl({
      alignment: AlignmentType.JUSTIFIED,
      spacing: { after: twips(T.REPORT_STYLE.listItemGap) },
    }),
  },
  tableTextStyle(REPORT_STYLE.tableText, 'Report Table Text', T.REPORT_STYLE),
  {
    id: REPORT_STYLE.header,
    name: 'Report Header',
    basedOn: 'Normal',
    next: 'Normal',
    run: { bold: true, size: halfPoints(T.REPORT.runningHeader.size) },
    paragraph: {
      border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: '000000', space: 1 } },
      // The body of pages 2 and after starts where the PDF's does.
      spacing: {
        after: twips(T.CONTINUATION_MARGIN - PAGE.header / 20 - T.REPORT.runningHeader.leading),
        ...exactLine(T.REPORT.runningHeader),
      },
    },
  },
  {
    id: REPORT_STYLE.pageNumber,
    name: 'Report Page Number',
    basedOn: 'Normal',
    next: 'Normal',
    run: { size: halfPoints(T.REPORT.pageNumber.size) },
    paragraph: { spacing: exactLine(T.REPORT.pageNumber) },
  },
  {
    id: REPORT_STYLE.footer,
    name: 'Report Footer',
    basedOn: 'Normal',
    next: 'Normal',
    run: { size: halfPoints(T.REPORT.footer.size) },
    paragraph: { spacing: exactLine(T.REPORT.footer) },
  },
];

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
  const { documentDefaults, ...options } = documentOptions(doc, T.REPORT_STYLE.body);
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
      default: { ...documentDefaults, ...headingStyles(T.REPORT_STYLE) },
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
