/** Types of pdf-lines.mjs (plain JavaScript so that bench/*.mjs can import it too). */
export interface PdfLine {
  page: number;
  /** The index of the line's block on its page. */
  block: number;
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}
export interface LineCountRow {
  text: string;
  a: number | null;
  b: number | null;
}
export interface LineCountComparison {
  total: number;
  equal: number;
  share: number;
  rows: LineCountRow[];
  mismatches: LineCountRow[];
}
/** The lines of a PDF in poppler's reading order (`pdftotext -bbox-layout`). */
export declare function pdfLines(pdf: string, opts?: { first?: number; last?: number }): PdfLine[];
export declare function parseBboxLayout(html: string): PdfLine[];
/** The text of each non-empty paragraph of a DOCX's body, in order. */
export declare function docxParagraphs(docx: string): string[];
export declare function squeeze(s: string): string;
/** How many lines each paragraph takes in `lines`; null when not found whole. */
export declare function lineCounts(
  paragraphs: string[],
  lines: PdfLine[],
  opts?: { skip?: number },
): (number | null)[];
export declare function compareLineCounts(
  paragraphs: string[],
  linesA: PdfLine[],
  linesB: PdfLine[],
): LineCountComparison;
