/**
 * HarfBuzz (the shaper of nv's PDF since issue 8's speed work) against fontkit (the shaper
 * before it, kept as the tests' oracle): every Arabic string of the multilingual example, of
 * the built-in Arabic templates and of nv's own Arabic words (labels, dates, State names,
 * honorifics), shaped in each Amiri face by both, glyph for glyph.
 *
 * Where they differ, HarfBuzz is right and the oracle is adjusted, each for a reason given below:
 * fontkit applies no bidi mirroring in a right-to-left run ("(فيينا)" came out with its brackets
 * turned outwards), so it is given the mirrored text; HarfBuzz puts a shadda before the other
 * harakat of its letter (shaddaFirst); two differences are listed in `explained`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { faceFilePath, loadFace, type FontId } from '../../src/render/fonts.js';
import { breakOpportunities, mirrored } from '../../src/render/layout.js';
import { itemize } from '../../src/render/script.js';
import { loadShaping, shapeRun, shapesRightToLeft } from '../../src/render/shaping.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FACES: readonly FontId[] = ['amiri-regular', 'amiri-bold', 'amiri-italic', 'amiri-boldItalic'];

function textFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) textFiles(path, out);
    else if (/\.(md|ya?ml|csv|txt|ts)$/.test(name)) out.push(path);
  }
  return out;
}

/**
 * Every word nv shapes from a line with Arabic: the line's Amiri runs (as the layout itemises
 * them) cut at its break opportunities, trailing spaces trimmed (as the layout tokenises).
 */
function arabicStrings(): string[] {
  const files = [
    ...textFiles(join(ROOT, 'fixtures', 'uncac-2012-multilingual')),
    ...textFiles(join(ROOT, 'templates')).filter((f) => f.endsWith('.ar.md')),
    ...textFiles(join(ROOT, 'src')),
  ];
  const out = new Set<string>();
  for (const file of files)
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!/[\u0600-\u06ff]/.test(line)) continue;
      // Fields of CSV lines and string literals of the source are strings of their own.
      for (const run of line.split(/[,"'`|]/).flatMap((field) => itemize(field.trim()))) {
        if (run.family !== 'amiri') continue;
        let start = 0;
        for (const pos of [...breakOpportunities(run.text).keys()].sort((a, b) => a - b)) {
          const word = run.text.slice(start, pos).replace(/ +$/, '');
          if (word !== '') out.add(word);
          start = pos;
        }
      }
    }
  return [...out];
}

interface Glyph {
  gid: number;
  xAdvance: number;
  xOffset: number;
  yOffset: number;
  text: string;
}

/**
 * fontkit as nv used it (visual order, a left-to-right run reversed at an odd level), given the
 * text mirrored at an odd level: fontkit mirrors nothing, nv mirrored the other runs itself.
 * The characters a mirrored glyph stands for are the typed ones.
 */
function fontkitShape(font: fontkit.Font, text: string, rtl: boolean): Glyph[] {
  const backwards = rtl || shapesRightToLeft(text);
  const run = font.layout(shaddaFirst(backwards ? mirrored(text) : text));
  const glyphs = run.glyphs.map((g, i) => {
    const t = String.fromCodePoint(...g.codePoints);
    return {
      gid: g.id,
      xAdvance: run.positions[i]!.xAdvance,
      xOffset: run.positions[i]!.xOffset,
      yOffset: run.positions[i]!.yOffset,
      text: backwards ? mirrored(t) : t,
    };
  });
  if (backwards && run.direction !== 'rtl') glyphs.reverse();
  return glyphs;
}

/**
 * HarfBuzz, like Uniscribe, puts a shadda before the other harakat of its letter (fatha, kasra…)
 * before shaping, whatever order they were typed in, so that Amiri draws a fatha over the shadda
 * and a kasra under it (its glyph for fatha-over-shadda); fontkit shapes the typed order. The
 * oracle gets the text in HarfBuzz's order.
 */
function shaddaFirst(text: string): string {
  return text.replace(/[\u064b-\u0652]{2,}/g, (m) =>
    [...m].sort((a, b) => Number(b === '\u0651') - Number(a === '\u0651')).join(''),
  );
}

/**
 * The two differences left, or null:
 * - "tatweel": the tatweel of "(هـ)" stands for U+0640 in the ToUnicode map (HarfBuzz keeps it a
 *   cluster of its own; fontkit gave it no character); the glyphs are the same;
 * - "teh-teh-lam": an initial teh before a medial teh and a lam ("تتلقَّ", the one word of the
 *   corpus) takes another of Amiri's contextual teh forms (HarfBuzz's 45 units narrower); every
 *   other glyph is the same. HarfBuzz is the shaper Amiri is made and tested with.
 */
function explained(text: string, got: Glyph[], want: Glyph[]): string | null {
  const untext = (gs: Glyph[]): string => JSON.stringify(gs.map((g) => ({ ...g, text: g.gid })));
  if (
    text.includes('\u0640') &&
    untext(got) === untext(want) &&
    got.every((g, i) => g.text === want[i]!.text || (want[i]!.text === '' && g.text === '\u0640'))
  )
    return 'tatweel';
  if (
    text.includes('\u062a\u062a\u0644') &&
    got.length === want.length &&
    got.every(
      (g, i) => JSON.stringify(g) === JSON.stringify(want[i]) || (g.text === 'ت' && want[i]!.text === 'ت'),
    )
  )
    return 'teh-teh-lam';
  return null;
}

describe('HarfBuzz shapes Arabic as fontkit did', () => {
  const strings = arabicStrings();
  beforeAll(async () => {
    await loadShaping();
  });

  it('finds the Arabic of the multilingual example, its delegation lists and the templates', () => {
    expect(strings.length).toBeGreaterThan(300);
    // A delegation list name (lists/egypt.csv) and the double month name of the dates.
    expect(strings.some((s) => /أغسطس/.test(s))).toBe(true);
    const egypt = readFileSync(join(ROOT, 'fixtures/uncac-2012-multilingual/lists/egypt.csv'), 'utf8');
    const name = egypt
      .split('\n')
      .flatMap((l) => l.split(','))
      .find((f) => /[\u0600-\u06ff]/.test(f))!;
    expect(strings).toContain(itemize(name.trim()).find((r) => r.family === 'amiri')!.text);
  });

  for (const face of FACES) {
    it(`${face}: the same glyph ids, advances, offsets and text for every string`, () => {
      const oracle = fontkit.create(readFileSync(faceFilePath(face))) as fontkit.Font;
      const mismatches: string[] = [];
      const explainedBy = new Map<string, number>();
      let same = 0;
      let glyphs = 0;
      for (const text of strings) {
        for (const rtl of shapesRightToLeft(text) ? [true] : [false, true]) {
          const want = fontkitShape(oracle, text, rtl);
          const got = shapeRun(face, text, rtl);
          glyphs += got.length;
          if (JSON.stringify(got) === JSON.stringify(want)) same++;
          else {
            const why = explained(text, got, want);
            if (why) explainedBy.set(why, (explainedBy.get(why) ?? 0) + 1);
            else
              mismatches.push(
                `${JSON.stringify(text)} rtl=${rtl}\n  hb ${JSON.stringify(got)}\n  fk ${JSON.stringify(want)}`,
              );
          }
        }
      }
      expect(`${mismatches.length}\n${mismatches.slice(0, 10).join('\n')}`).toBe('0\n');
      expect(same).toBeGreaterThan(strings.length * 0.95);
      expect([...explainedBy.values()].reduce((a, b) => a + b, 0)).toBeLessThan(5);
      expect(glyphs).toBeGreaterThan(3_000);
    });
  }

  it('mirrors the brackets of a right-to-left run, which fontkit did not', () => {
    const face = loadFace('amiri-regular');
    const open = face.glyphId(0x28);
    const close = face.glyphId(0x29);
    const got = shapeRun('amiri-regular', '(فيينا)', true);
    // Visual order, left to right: the closing bracket drawn as "(", the opening one as ")";
    // each stands for the character typed, so text is extracted in logical order.
    expect(got[0]).toMatchObject({ gid: open, text: ')' });
    expect(got[got.length - 1]).toMatchObject({ gid: close, text: '(' });
    const old = (fontkit.create(readFileSync(faceFilePath('amiri-regular'))) as fontkit.Font).layout(
      '(فيينا)',
    );
    expect(old.glyphs[0]!.id).toBe(close);
  });
});
