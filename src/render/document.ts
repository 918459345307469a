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
}

export interface List {
  type: 'list';
  ordered: boolean;
  items: Run[][];
}

export type Block = Paragraph | List;

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
  /** "Enclosures: N" is printed when N > 0. */
  enclosures: number;
  /** PDF files appended after the note in the PDF rendering (absolute paths). */
  attachments: string[];
}

/** All the text of a run list, for tests and plain-text views. */
export function runsText(runs: Run[]): string {
  return runs.map((r) => r.text).join('');
}
