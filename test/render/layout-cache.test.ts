/**
 * The layout's batch caches (a paragraph by its text and by its Run object, a word's or a glue's
 * pieces by style and text, and by bidi levels in right-to-left text) never change a line: every
 * note of a batch in six languages is laid out as it is alone, with a fresh ParagraphBuilder. The
 * notes are the six-language test notes addressed to the 195 States of the uncac-2012 example and
 * the multilingual example's own addressees, their other paragraphs shared Run objects as the
 * notes of a batch share them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Block, NoteDocument } from '../../src/render/document.js';
import type { FontId } from '../../src/render/fonts.js';
import { ParagraphBuilder, layoutNote, type Shaped, type Shaper } from '../../src/render/layout.js';
import { LANGUAGES, noteIn, type Language } from './six-languages.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Widths that vary by character (so that lines are loose or tight, and words get hyphenated). */
const proportional: Shaper = {
  shape: (font: FontId, text: string, rtl: boolean): Shaped => {
    let units = 0;
    for (const ch of text) units += 280 + ((ch.codePointAt(0) as number) % 7) * 70;
    return { units, hex: `${font}:${rtl ? '<' : '>'}${text}`, gids: [] };
  },
};

const addressees = (file: string): Array<{ addressee: string; language: string }> =>
  parse(readFileSync(resolve(ROOT, file), 'utf8'), { columns: true, bom: true }) as Array<{
    addressee: string;
    language: string;
  }>;

/** The note in `language` to `addressee`: its intro's bold run replaced, every other block shared. */
function noteTo(base: NoteDocument, addressee: string): NoteDocument {
  const [intro, ...rest] = base.body as [Extract<Block, { type: 'paragraph' }>, ...Block[]];
  const runs = intro.runs.map((r) => (r.bold ? { ...r, text: addressee } : r));
  return { ...base, body: [{ ...intro, runs }, ...rest] };
}

/** Every line as drawn: position, size, and each item's font, glyphs, width and stretch. */
const drawn = (doc: NoteDocument, builder: ParagraphBuilder): string =>
  JSON.stringify(
    layoutNote(doc, builder).pages.map((p) =>
      p.lines.map((l) => [l.x, l.y, l.size, l.items.map((i) => [i.font, i.shaped.hex, i.width, i.extra])]),
    ),
  );

describe('layout caches of a batch', () => {
  it('lay out every note of a six-language batch as it is laid out alone', () => {
    const english = addressees('fixtures/uncac-2012/recipients.csv').map((r) => r.addressee);
    const own = addressees('fixtures/uncac-2012-multilingual/recipients.csv');
    const bases = new Map(LANGUAGES.map((l) => [l, noteIn(l)]));
    const docs: NoteDocument[] = [];
    for (const language of LANGUAGES) {
      const base = bases.get(language) as NoteDocument;
      const theirs = own.filter((r) => r.language === language).map((r) => r.addressee);
      // Latin names inside Arabic text too (other bidi levels than in English paragraphs).
      for (const a of [...theirs, ...english.slice(0, language === 'en' ? english.length : 20)])
        docs.push(noteTo(base, a));
    }
    expect(docs.length).toBeGreaterThan(195 + 5 * 20);
    const batch = new ParagraphBuilder(proportional);
    // Twice: the second time every paragraph is found in the caches.
    const first = docs.map((d) => drawn(d, batch));
    const second = docs.map((d) => drawn(d, batch));
    docs.forEach((doc, i) => {
      const alone = drawn(doc, new ParagraphBuilder(proportional));
      expect(first[i], `note ${i} (${doc.meta.language})`).toBe(alone);
      expect(second[i], `note ${i} (${doc.meta.language}), from the caches`).toBe(alone);
    });
  });

  it('lay out a shared run again in another style', () => {
    const doc = noteIn('en' satisfies Language);
    const batch = new ParagraphBuilder(proportional);
    const runs = (doc.body[1] as Extract<Block, { type: 'paragraph' }>).runs;
    const justified = { size: 12, leading: 14.5, align: 'justify' as const, x: 72, width: 451.28 };
    const left = { ...justified, align: 'left' as const };
    const narrow = { ...justified, width: 300 };
    for (const style of [justified, left, narrow, justified, left, narrow]) {
      expect(JSON.stringify(batch.paragraph(runs, style))).toBe(
        JSON.stringify(new ParagraphBuilder(proportional).paragraph(runs, style)),
      );
    }
  });
});
