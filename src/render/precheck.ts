/**
 * What the PDF renderer will need, checked before anything is allocated or written: that every
 * enclosure opens, and that every character a document draws is in its font. The renderer itself
 * is not changed; these run the same loaders it runs (pdf-lib for the enclosures, the fonts'
 * cmaps for the text: a character is drawable when one of the three families has it).
 */
import { readFile } from 'node:fs/promises';
import type { NvDocument } from './document.js';
import { FAMILY_LABEL } from './fonts.js';
import { cleanText, collectText } from './layout.js';
import { drawable } from './script.js';

/**
 * Why an enclosure cannot be appended to a note, in words for the officer, or undefined when it
 * opens. Objects pdf-lib cannot parse are refused here (the renderer would leave them out and
 * the enclosure would print incomplete).
 */
export async function enclosureProblem(path: string): Promise<string | undefined> {
  const { PDFDocument } = await import('pdf-lib/dist/pdf-lib.esm.min.js');
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return `it cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
    if (doc.getPageCount() === 0) return 'it has no pages';
    // Copying the pages walks every object they reference, as the renderer will.
    const copy = await PDFDocument.create({ updateMetadata: false });
    await copy.copyPages(doc, doc.getPageIndices());
    return undefined;
  } catch (e) {
    // pdf-lib's EncryptedPDFError is an ES5 class: instanceof fails, its message does not.
    const message = (e as Error).message;
    if (/\bis encrypted\b/.test(message))
      return 'it is encrypted (password-protected); enclose a copy without protection';
    const offset = /"offset":(\d+)|offset=(\d+)/.exec(message);
    const detail = offset
      ? `damaged at byte ${offset[1] ?? offset[2]}`
      : message.split('\n')[0]!.replace(/\.$/, '');
    return `it is not a readable PDF (${detail}); export or save it again as PDF`;
  }
}

export interface Undrawable {
  /** The character, as drawn (after NFC and the renderer's clean-up). */
  char: string;
}

/** The fonts of nv's PDF, for a message: "Tinos, Amiri and Noto Serif SC". */
export const FONTS_LABEL = `${FAMILY_LABEL.tinos}, ${FAMILY_LABEL.amiri} and ${FAMILY_LABEL.notoSerifSC}`;

/** Remembers the characters already looked up (a batch repeats its texts). */
export class GlyphCoverage {
  private readonly known = new Map<number, boolean>();
  /** Texts already found drawable in this batch. */
  private readonly drawableTexts = new Set<string>();

  /** The characters of `doc` no font can draw (each once, in order of first use). */
  undrawable(doc: NvDocument): Undrawable[] {
    const out: Undrawable[] = [];
    const seen = new Set<string>();
    collectText(doc, (_face, text) => this.scan(text, out, seen));
    return out;
  }

  /** The characters of a text no font can draw. */
  undrawableIn(text: string): string[] {
    const out: Undrawable[] = [];
    this.scan(cleanText(text), out, new Set());
    return out.map((u) => u.char);
  }

  private scan(text: string, out: Undrawable[], seen: Set<string>): void {
    if (SIMPLE.test(text) || this.drawableTexts.has(text)) return;
    let allDrawable = true;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let ok = this.known.get(cp);
      if (ok === undefined) this.known.set(cp, (ok = drawable(cp)));
      if (!ok) allDrawable = false;
      if (!ok && !seen.has(ch)) {
        seen.add(ch);
        out.push({ char: ch });
      }
    }
    // A template's paragraphs come back in every note: each text is scanned once per batch.
    if (allDrawable) {
      if (this.drawableTexts.size >= 4096) this.drawableTexts.clear();
      this.drawableTexts.add(text);
    }
  }
}

/** Printable ASCII: Tinos draws all of it. */
const SIMPLE = /^[\x20-\x7e]*$/;

/** "U+0642" */
export function codePointLabel(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
