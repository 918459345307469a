/**
 * Reading a PDF back with poppler, as another program would: `pdftotext` (text in logical order,
 * through each font's ToUnicode map) and `pdffonts` (which fonts, embedded, with a ToUnicode map).
 */
import { execFileSync } from 'node:child_process';

/** The text of a PDF (or of pages first..last) by `pdftotext` (UTF-8; pages end with \f). */
export function pdftotext(
  pdf: string,
  opts: { first?: number; last?: number; layout?: boolean } = {},
): string {
  const args = ['-enc', 'UTF-8'];
  if (opts.first) args.push('-f', String(opts.first));
  if (opts.last) args.push('-l', String(opts.last));
  if (opts.layout) args.push('-layout');
  return execFileSync('pdftotext', [...args, pdf, '-'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  /** Has a ToUnicode map. */
  unicode: boolean;
}

/** The fonts `pdffonts` lists for a PDF. */
export function pdffonts(pdf: string): PdfFont[] {
  const out = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      // name type encoding emb sub uni object ID: the name has no spaces; the type may ("CID TrueType").
      const m = /^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(l);
      if (!m) throw new Error(`pdffonts line not understood: ${l}`);
      return {
        name: m[1]!,
        type: m[2]!,
        embedded: m[4] === 'yes',
        subset: m[5] === 'yes',
        unicode: m[6] === 'yes',
      };
    });
}

/**
 * What in a text read back from a PDF shows a glyph that does not map back to Unicode: U+FFFD,
 * private-use code points, control characters other than tab, newline and form feed, CJK radicals. Returns the
 * offending characters with their code points (empty when every glyph mapped).
 */
export function unmappedCharacters(text: string): string[] {
  const bad = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const control = cp < 0x20 && ch !== '\n' && ch !== '\t' && ch !== '\f';
    const pua = (cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000;
    // A CJK or Kangxi radical (U+2E80–U+2FDF) where a note means the ideograph: the font maps
    // both code points to one glyph and the ToUnicode map picked the radical (人 read back as ⼈).
    const radical = cp >= 0x2e80 && cp <= 0x2fdf;
    if (cp === 0xfffd || control || pua || radical)
      bad.add(`U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  return [...bad];
}

/** The number of pages of a PDF (`pdfinfo`). */
export function pdfPages(pdf: string): number {
  const m = /^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }));
  if (!m) throw new Error(`pdfinfo gave no page count for ${pdf}`);
  return Number(m[1]);
}
