/**
 * The format-neutral document model. Templates produce it; render/docx.ts and render/pdf.ts
 * each turn it into bytes, so a layout change is made once.
 */

/** A run of text with its marks. `text` never contains a line break. */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  /** A hyperlink target; the run's text is what is shown. */
  link?: string;
}

export interface Paragraph {
  type: 'paragraph';
  runs: Run[];
  /** Body paragraphs are justified; the last line of a justified paragraph is left-aligned. */
  align: 'justify' | 'left' | 'center' | 'right';
  /** Left indent of every line, in points (default 0). */
  indent?: number;
  /**
   * Space before and after, in points. Defaults: 0 before; after, the document's paragraph gap
   * (8 pt in a note, 6 pt in a report). The space between two blocks is the first one's space
   * after plus the second one's space before (as Word adds them); none at the top of a page.
   */
  spaceBefore?: number;
  spaceAfter?: number;
  /** Font size in points (default the body size: 12 pt in a note, 10 pt in a report). */
  size?: number;
  /** Never the last block on a page: moves to the next page with the start of the next block. */
  keepWithNext?: boolean;
}

export interface List {
  type: 'list';
  ordered: boolean;
  items: Run[][];
}

/**
 * A heading, bold: level 1 for a section ("States parties"), 2 for a sub-section (a State), 3
 * below that. Never split, never the last block on a page (kept with the start of the next one).
 * DOCX: the built-in styles Heading1…Heading3 (navigation pane, outline).
 */
export interface Heading {
  type: 'heading';
  level: 1 | 2 | 3;
  runs: Run[];
  /** Default 'left'. */
  align?: 'left' | 'center';
}

export interface TableColumn {
  /** Fraction of the text width (the columns of a table usually add up to 1 or less). */
  width: number;
  align: 'left' | 'right' | 'center';
}

/**
 * A ruled table as UN documents set them: a rule above and below the header row and one under the
 * last row, no vertical lines. Cell text wraps within its column; a row is never split across
 * pages; the header row is repeated at the top of each page the table continues on. Header cells
 * are italic unless their runs say otherwise. DOCX: a real table (w:tbl), the header row marked
 * as a repeated header row, rows that cannot split.
 */
export interface Table {
  type: 'table';
  columns: TableColumn[];
  /** One cell per column, or [] for a table without a header row. */
  header: Run[][];
  /** Each row has one cell (a run list) per column. */
  rows: Run[][][];
  /** Space before and after, in points (defaults 6 and the paragraph gap). */
  spaceBefore?: number;
  spaceAfter?: number;
}

/** The next block starts on a new page (nothing happens at the top of a page). */
export interface PageBreak {
  type: 'page-break';
}

/**
 * Blocks kept on one page when they fit on one (a person's lines; a State's heading with its first
 * person): the group moves whole to the next page rather than being split. A group taller than a
 * page is split as its blocks would be. DOCX: "keep with next" on every paragraph of the group but
 * the last and "keep lines together" on all of them.
 */
export interface Group {
  type: 'group';
  blocks: Block[];
}

export type Block = Paragraph | List | Heading | Table | PageBreak | Group;

export interface DocumentMeta {
  /** PDF /Title and DOCX dc:title, e.g. "Note verbale CU 2012/150(A)/DTA/CEB/CSS – Austria". */
  title: string;
  /** PDF /Author and DOCX dc:creator, e.g. "United Nations Office on Drugs and Crime". */
  author: string;
  /** BCP 47 language tag, e.g. "en" or "en-GB". */
  language: string;
  subject?: string;
  /** Fixed creation time: SOURCE_DATE_EPOCH, else the note's date. Never the wall clock. */
  created: Date;
}

/**
 * A note verbale laid out as the seed: letterhead, reference line, body (justified), the date
 * line, the footer line; A4, page numbers from page 2, "Enclosures: N" on the last page.
 */
export interface NoteDocument {
  kind?: 'note';
  meta: DocumentMeta;
  /** Letterhead lines, centred at the top of page 1, the first one larger (e.g. "UNODC"). */
  letterhead: string[];
  /** The reference line as printed, e.g. "Reference: CU 2012/150(A)/DTA/CEB/CSS". */
  referenceLine: string;
  body: Block[];
  /** The place and date line, right-aligned after the body, e.g. "Vienna, 15 August 2012" or "15 August 2012". */
  dateLine: string;
  /** The footer line at the bottom of the last page, e.g. "Making the world safer from drugs, crime and terrorism". */
  footer: string;
  /** The number of enclosures; the enclosures line is printed when N > 0. */
  enclosures: number;
  /**
   * The enclosures line as printed, in the note's language ("Enclosures: 2", "Pièces jointes : 2",
   * "المرفقات: 2", "附件：2"). Set by the note builder; without it, the English line.
   */
  enclosuresLine?: string;
  /** The page number from page 2, "{n}" standing for the number ("- {n} -"). Default "- {n} -". */
  pageNumber?: string;
  /** PDF files appended after the note in the PDF rendering (absolute paths). */
  attachments: string[];
}

/**
 * A UN document such as the list of participants of a meeting: the masthead on page 1 (the
 * issuer on the left, the document symbol on the right, a thick rule, the distribution lines),
 * the title lines centred, then the body. From page 2 the symbol is printed at the top of each
 * page and the page number at the bottom, both on the outer side (left on even pages, right on
 * odd pages), as UN documents print them. No date line, no enclosures. A4, 10 pt body text.
 */
export interface ReportDocument {
  kind: 'report';
  meta: DocumentMeta;
  /** The document symbol, e.g. "CAC/COSP/EG.1/2012/INF/2". */
  symbol: string;
  /** Printed top left of page 1, e.g. "United Nations". */
  masthead?: string;
  /** Lines under the masthead rule on the right of page 1, e.g. ["Distr.: General", "24 October 2012", "English only"]. */
  distribution?: string[];
  /** Centred under the masthead; the first line bold and larger (e.g. the meeting), the others as their runs say. */
  titleLines: Run[][];
  body: Block[];
  /** Printed small at the bottom left of page 1 (where UN documents print the job number). */
  footer?: string;
  /** The page number from page 2, "{n}" standing for the number. Default "{n}". */
  pageNumber?: string;
  /** Printed after a heading repeated at the top of a page, in the list's language ("(continued)", "(suite)"). */
  continued?: string;
}

/** Any document the renderers accept. */
export type NvDocument = NoteDocument | ReportDocument;

export function isReport(doc: NvDocument): doc is ReportDocument {
  return doc.kind === 'report';
}

/** The enclosures line a note prints ("" when it has none). */
export function enclosuresText(doc: NoteDocument): string {
  if (doc.enclosures <= 0) return '';
  return doc.enclosuresLine ?? `Enclosures: ${doc.enclosures}`;
}

/** A page number as the document prints it: its `pageNumber` pattern with {n} filled. */
export function pageNumberText(doc: NvDocument, n: number | string): string {
  const pattern = doc.pageNumber ?? (isReport(doc) ? '{n}' : '- {n} -');
  return pattern.replace('{n}', String(n));
}

/** All the text of a run list, for tests and plain-text views. */
export function runsText(runs: Run[]): string {
  return runs.map((r) => r.text).join('');
}
