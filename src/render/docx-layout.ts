/**
 * The DOCX layout of a note verbale, shared by the two DOCX writers in render/docx.ts: the `docx`
 * library (which writes the package's static parts once per language) and the fast serialiser (which
 * writes word/document.xml for every note). Both take their paragraphs from `layoutNote`, so they
 * cannot disagree about what is printed or in which style.
 */
import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  LevelFormat,
  PageNumber,
  Paragraph,
  Tab,
  TextRun,
  type IParagraphStyleOptions,
  type IParagraphStylePropertiesOptions,
  type ParagraphChild,
} from 'docx';
import type { NoteDocument, Run } from './document.js';

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
}

export interface LaidParagraph {
  style: string;
  jc: Jc;
  /** Set on list items: the list's index among the note's lists (0-based) and its kind. */
  list?: { index: number; ordered: boolean };
  runs: LaidRun[];
}

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

/** The note as a flat list of paragraphs, in print order. */
export function layoutNote(doc: NoteDocument): LaidParagraph[] {
  const out: LaidParagraph[] = [];
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
  let listIndex = 0;
  for (const block of doc.body) {
    if (block.type === 'paragraph') {
      out.push({ style: STYLE.body, jc: JC_OF_ALIGN[block.align] ?? 'both', runs: layRuns(block.runs) });
    } else {
      const list = { index: listIndex++, ordered: block.ordered };
      for (const item of block.items) {
        out.push({ style: STYLE.listItem, jc: 'both', list, runs: layRuns(item) });
      }
    }
  }
  if (doc.dateLine !== '') {
    out.push({ style: STYLE.date, jc: 'right', runs: layRuns(plain(doc.dateLine)) });
  }
  if (doc.enclosures > 0) {
    out.push({ style: STYLE.enclosures, jc: 'left', runs: layRuns(plain(`Enclosures: ${doc.enclosures}`)) });
  }
  if (doc.footer !== '') {
    out.push({ style: STYLE.footer, jc: 'center', runs: layRuns(plain(doc.footer)) });
  }
  return out;
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
  const children: ParagraphChild[] = [];
  for (const group of groupRuns(p.runs)) {
    if (group.link === undefined) children.push(...group.runs.map(libraryRun));
    else children.push(new ExternalHyperlink({ link: group.link, children: group.runs.map(libraryRun) }));
  }
  return new Paragraph({
    style: p.style,
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

/**
 * The note as a `docx` library document. render/docx.ts compiles it once per language for the
 * package's static parts; tests compile it to check the fast serialiser writes the same XML.
 * Its core properties (dates) are not used: docProps/core.xml is written by render/docx.ts.
 */
export function buildLibraryDocument(doc: NoteDocument): Document {
  const paragraphs = layoutNote(doc);
  const language = sanitizeText(doc.meta.language).trim();
  return new Document({
    title: sanitizeText(doc.meta.title),
    creator: sanitizeText(doc.meta.author),
    lastModifiedBy: sanitizeText(doc.meta.author),
    revision: 1,
    ...(doc.meta.subject !== undefined ? { subject: sanitizeText(doc.meta.subject) } : {}),
    styles: {
      default: {
        document: {
          run: { font: FONT, size: FONT_SIZE, ...(language !== '' ? { language: { value: language } } : {}) },
          paragraph: widowControl({}),
        },
      },
      paragraphStyles: PARAGRAPH_STYLES,
    },
    numbering: {
      config: [
        {
          reference: NUMBERING.bullet,
          levels: [
            {
              level: 0,
              format: LevelFormat.BULLET,
              text: BULLET_TEXT,
              alignment: AlignmentType.LEFT,
              style: { paragraph: { indent: { left: 720, hanging: 360 } } },
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
              style: { paragraph: { indent: { left: 720, hanging: 360 } } },
            },
          ],
        },
      ],
    },
    sections: [
      {
        properties: {
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
          // Page 1 has its own (empty) header and footer: page numbers start on page 2.
          titlePage: true,
        },
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                style: STYLE.pageNumber,
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['- ', PageNumber.CURRENT, ' -'] })],
              }),
            ],
          }),
          first: new Header({ children: [new Paragraph({})] }),
        },
        footers: {
          default: new Footer({ children: [new Paragraph({})] }),
          first: new Footer({ children: [new Paragraph({})] }),
        },
        children: paragraphs.map(libraryParagraph),
      },
    ],
  });
}
