/**
 * Which family draws a character: text is itemised into runs by script (Arabic → Amiri; Han,
 * CJK punctuation, fullwidth forms, kana → Noto Serif SC; other letters → Tinos); characters of
 * no script (spaces, digits, punctuation) stay with the run they are in. When the preferred
 * family has no glyph, the first family that has one draws it.
 */
import { FAMILIES, loadFace, fontId, type Family } from './fonts.js';

/** Arabic letters, marks and presentation forms. */
export function isArabic(cp: number): boolean {
  return (
    (cp >= 0x0600 && cp <= 0x06ff) ||
    (cp >= 0x0750 && cp <= 0x077f) ||
    (cp >= 0x0870 && cp <= 0x08ff) ||
    (cp >= 0xfb50 && cp <= 0xfdff) ||
    (cp >= 0xfe70 && cp <= 0xfefc)
  );
}

/** Han ideographs, CJK punctuation and symbols, kana, fullwidth forms. */
export function isCjk(cp: number): boolean {
  return (
    (cp >= 0x2e80 && cp <= 0x2fdf) ||
    (cp >= 0x3000 && cp <= 0x30ff) ||
    (cp >= 0x3100 && cp <= 0x312f) ||
    (cp >= 0x31c0 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xffef) ||
    (cp >= 0x20000 && cp <= 0x3ffff)
  );
}

/** Characters that take the family of the text around them: spaces, digits, ASCII and general punctuation. */
function isCommon(cp: number): boolean {
  return (
    (cp < 0x80 && !((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a))) ||
    cp === 0xa0 ||
    (cp >= 0x2000 && cp <= 0x206f) ||
    cp === 0x060c /* Arabic comma is Arabic anyway */
  );
}

function preferred(cp: number): Family | null {
  if (isArabic(cp)) return 'amiri';
  if (isCjk(cp)) return 'notoSerifSC';
  if (isCommon(cp)) return null;
  return 'tinos';
}

const hasCache = new Map<Family, Map<number, boolean>>();

/** Whether a family has a glyph for the character (its regular face; the styles cover alike). */
export function familyHas(family: Family, cp: number): boolean {
  let cache = hasCache.get(family);
  if (!cache) hasCache.set(family, (cache = new Map()));
  let has = cache.get(cp);
  if (has === undefined) {
    has = loadFace(fontId(family, 'regular')).glyphId(cp) !== 0;
    cache.set(cp, has);
  }
  return has;
}

/** The non-breaking spaces: drawn as a space when a face has no glyph of their own. */
export const NBSP_LIKE: ReadonlySet<number> = new Set([0xa0, 0x202f, 0x2007]);

/** The first family, in preference order, that draws the character; undefined when none does. */
export function drawingFamily(cp: number, prefer: Family | null = null): Family | undefined {
  const want = preferred(cp) ?? prefer ?? 'tinos';
  if (familyHas(want, cp)) return want;
  for (const f of FAMILIES) if (f !== want && familyHas(f, cp)) return f;
  if (NBSP_LIKE.has(cp)) return want;
  return undefined;
}

/** Whether any family draws the character. */
export function drawable(cp: number): boolean {
  return drawingFamily(cp) !== undefined;
}

export interface FamilyRun {
  family: Family;
  text: string;
}

const SIMPLE = /^[\x20-\x7e]*$/;

/**
 * Split text into runs of one family. `prev` is the family of the text before (characters of
 * no script at the start continue it). Characters no family draws go to Tinos (the precheck
 * refuses them before anything is rendered).
 */
export function itemize(text: string, prev: Family | null = null): readonly FamilyRun[] {
  if (SIMPLE.test(text) && (prev === null || prev === 'tinos')) return [{ family: 'tinos', text }];
  // The words of a batch repeat: each (text, family before) is itemised once.
  const key = `${prev ?? ''}\u0000${text}`;
  let runs = itemized.get(key);
  if (!runs) {
    runs = itemizeNow(text, prev);
    if (itemized.size >= 50_000) itemized.clear();
    itemized.set(key, runs);
  }
  return runs;
}

const itemized = new Map<string, readonly FamilyRun[]>();

function itemizeNow(text: string, prev: Family | null): FamilyRun[] {
  const cps = [...text];
  const fams: Family[] = new Array<Family>(cps.length);
  // Common characters take the family before them, else the one after them.
  let last: Family | null = prev;
  const pending: number[] = [];
  cps.forEach((ch, i) => {
    const cp = ch.codePointAt(0) as number;
    const p = preferred(cp);
    if (p === null) {
      pending.push(i);
      return;
    }
    const f = drawingFamily(cp) ?? 'tinos';
    for (const k of pending) fams[k] = commonFamily(cps[k] as string, last ?? f);
    pending.length = 0;
    fams[i] = f;
    last = f;
  });
  for (const k of pending) fams[k] = commonFamily(cps[k] as string, last ?? 'tinos');
  const runs: FamilyRun[] = [];
  cps.forEach((ch, i) => {
    const f = fams[i] as Family;
    const tail = runs[runs.length - 1];
    if (tail && tail.family === f) tail.text += ch;
    else runs.push({ family: f, text: ch });
  });
  return runs;
}

function commonFamily(ch: string, around: Family): Family {
  const cp = ch.codePointAt(0) as number;
  if (familyHas(around, cp)) return around;
  return drawingFamily(cp) ?? 'tinos';
}
