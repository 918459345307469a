/**
 * The one typography of nv's documents, read by both renderers: the PDF layout (render/layout.ts,
 * in points) and the DOCX (render/docx-layout.ts, which converts with `twips` and `halfPoints`).
 * Change a value here and the copy cleared for signature (PDF) and the copy dispatched (DOCX) move
 * together.
 *
 * Units are points (1/72 inch). Leadings are exact line heights: the DOCX writes them as
 * `w:spacing w:line=… w:lineRule="exact"`, so Word and LibreOffice put the lines where the PDF does.
 * Gaps add up (the space after a paragraph plus the space before the next), as in Word.
 */

/** A size and its exact line height. */
export interface TextStyle {
  readonly size: number;
  readonly leading: number;
}

// ---------------------------------------------------------------------------------------------
// Faces.

/**
 * Font families, one per script group, as the DOCX names them (`w:rFonts`) and as the PDF embeds
 * them (npm packages @expo-google-fonts/tinos, /amiri, /noto-serif-sc; SIL Open Font License).
 * Tinos is metric-compatible with Times New Roman, so Word without Tinos breaks lines alike.
 */
export const FAMILY = {
  /** Latin, Greek and Cyrillic (`w:ascii`, `w:hAnsi`). */
  latin: 'Tinos',
  /** Arabic (`w:cs`, complex script). */
  arabic: 'Amiri',
  /** Chinese (`w:eastAsia`). */
  chinese: 'Noto Serif SC',
} as const;

// ---------------------------------------------------------------------------------------------
// Page geometry: A4 portrait, 2.54 cm margins.

export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
export const MARGIN_LEFT = 72;
export const MARGIN_RIGHT = 72;
export const MARGIN_BOTTOM = 72;
export const TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/** Distance from the top of the page to the top of the text area on pages 2 and after. */
export const CONTINUATION_MARGIN = 72;
/** Top of the text area on pages 2 and after (PDF y, from the bottom). */
export const CONTINUATION_TOP = PAGE_HEIGHT - CONTINUATION_MARGIN;
/** Distance from the top of page 1 to the top of the first line (the letterhead, the masthead). */
export const FIRST_PAGE_MARGIN = 50;

// ---------------------------------------------------------------------------------------------
// A note verbale.

export const BODY: TextStyle = { size: 12, leading: 14.5 };
/** Space after a paragraph, a list, a table. */
export const PARAGRAPH_GAP = 8;
/** Space between the items of a list. */
export const LIST_ITEM_GAP = 6;
/** From the left margin to a list item's marker, and to its text. */
export const LIST_MARKER_INDENT = 18;
export const LIST_TEXT_INDENT = 45;
/** Top of the letterhead's first line (PDF y). */
export const LETTERHEAD_TOP = PAGE_HEIGHT - FIRST_PAGE_MARGIN;
export const LETTERHEAD_FIRST: TextStyle = { size: 16, leading: 20 };
export const LETTERHEAD_OTHER: TextStyle = { size: 11, leading: 14 };
export const GAP_AFTER_LETTERHEAD = 30;
export const GAP_AFTER_REFERENCE = 22;
/** From the last line of the body to the date line (the body's paragraph gap included). */
export const GAP_BEFORE_DATE = 22;
/** Page number ("- 2 -") on pages 2 and after: baseline 45 pt below the top of the page. */
export const PAGE_NUMBER = { size: 10, leading: 12, baseline: PAGE_HEIGHT - 45 } as const;
/** The note's footer line: italic, baseline 40 pt above the bottom of the page. */
export const FOOTER = { size: 9, leading: 11, baseline: 40 } as const;
/** Code points any page number can use. */
export const PAGE_NUMBER_CHARACTERS = '- 0123456789';

/** Headings and tables inside a body, for a kind of document. */
export interface BodyTypography {
  body: TextStyle;
  /** Default space after a paragraph, a list, a table. */
  paragraphGap: number;
  listItemGap: number;
  headings: Record<1 | 2 | 3, TextStyle & { spaceBefore: number; spaceAfter: number }>;
  table: TextStyle & { padX: number; padY: number; spaceBefore: number };
}

export const NOTE_STYLE: BodyTypography = {
  body: BODY,
  paragraphGap: PARAGRAPH_GAP,
  listItemGap: LIST_ITEM_GAP,
  headings: {
    1: { size: 14, leading: 17, spaceBefore: 12, spaceAfter: 6 },
    2: { size: 12, leading: 14.5, spaceBefore: 10, spaceAfter: 4 },
    3: { size: 12, leading: 14.5, spaceBefore: 6, spaceAfter: 2 },
  },
  table: { size: 11, leading: 13, padX: 4, padY: 2.5, spaceBefore: 6 },
};

// ---------------------------------------------------------------------------------------------
// A report (the list of participants): the page of a UN document.

export const REPORT_STYLE: BodyTypography = {
  body: { size: 10, leading: 12 },
  paragraphGap: 6,
  listItemGap: 3,
  headings: {
    1: { size: 13, leading: 16, spaceBefore: 16, spaceAfter: 8 },
    2: { size: 11, leading: 13.5, spaceBefore: 10, spaceAfter: 3 },
    3: { size: 10, leading: 12, spaceBefore: 6, spaceAfter: 2 },
  },
  table: { size: 9, leading: 11, padX: 4, padY: 2.5, spaceBefore: 6 },
};

export const REPORT = {
  /** Baseline of the masthead line on page 1 (issuer left, symbol right). */
  mastheadBaseline: PAGE_HEIGHT - 62,
  masthead: { size: 16, leading: 19 },
  symbol: { size: 14, leading: 17 },
  /** The thick rule under the masthead, below its baseline. */
  mastheadRule: { drop: 9, width: 1.5 },
  distribution: { size: 10, leading: 12, x: MARGIN_LEFT + TEXT_WIDTH * 0.62 },
  gapAfterRule: 20,
  gapBeforeTitle: 30,
  titleFirst: { size: 14, leading: 17 },
  titleOther: { size: 11, leading: 14 },
  titleLineGap: 4,
  gapAfterTitle: 20,
  /** Running header of pages 2 and after: the symbol on the outer side, a thin rule under it. */
  runningHeader: { size: 9, leading: 11, baseline: PAGE_HEIGHT - 45, ruleDrop: 5, ruleWidth: 0.5 },
  pageNumber: { size: 9, leading: 11, baseline: 40 },
  footer: { size: 8, leading: 10, baseline: 40 },
} as const;

// ---------------------------------------------------------------------------------------------
// Units of the DOCX.

/** Twentieths of a point (twips), rounded: page sizes, margins, indents, spacing, line heights. */
export function twips(points: number): number {
  return Math.round(points * 20);
}

/** Half-points, rounded: font sizes (`w:sz`). */
export function halfPoints(points: number): number {
  return Math.round(points * 2);
}
