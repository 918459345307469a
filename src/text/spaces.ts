/**
 * Non-breaking spaces where a line break would be wrong, as text rules applied to the document
 * model in its language (the line breaker then never breaks there):
 * - between a day and its month ("15 August", "1er octobre", "15 de agosto", "15 آب/أغسطس" and
 *   inside the Arabic double month name), and in Russian between a year and "года";
 * - before a number that ends a phrase ("resolution 4/2.", "article 5,");
 * - French: U+202F (narrow no-break space) before ; ! ? and U+00A0 before : and inside « »;
 * - Russian: U+00A0 after "№" and before a dash that stands between spaces ("2012 – 2013").
 * The rules only replace or insert spaces: every other character stays as it was, and applying
 * them twice gives what applying them once gave.
 */
import { monthNames } from '../dates.js';
import type { Block, NoteDocument, ReportDocument, Run } from '../render/document.js';

export const NBSP = '\u00A0';
export const NNBSP = '\u202F';
const SPACE_LIKE = /[ \u00A0\u202F]/;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const dayMonthCache = new Map<string, RegExp | null>();
/** "15 August", "1er octobre", "15 de agosto": a day (1–31) before a month name of the language. */
function dayMonthPattern(lang: string): RegExp | null {
  if (dayMonthCache.has(lang)) return dayMonthCache.get(lang)!;
  let re: RegExp | null = null;
  if (lang !== 'zh') {
    const months = monthNames(lang)
      .map((m) => escape(m).replace(/ /g, '[ \\u00A0]'))
      .join('|');
    const de = lang === 'es' ? '(?:de[ \\u00A0])?' : '';
    re = new RegExp(
      `(?<![\\p{L}\\p{N}])(?:[1-9]|[12]\\d|3[01])(?:er)?[ \\u00A0]${de}(?:${months})(?![\\p{L}])`,
      'gu',
    );
  }
  dayMonthCache.set(lang, re);
  return re;
}

/** The spaces of `s` made no-break spaces. */
const glue = (s: string) => s.replace(/ /g, NBSP);

/**
 * A number that ends a phrase, after a word: the space before it. The number is digits with / - –
 * or . inside; the phrase ends at punctuation (not a decimal point), a closing mark, a dash, or
 * the end of the text.
 */
const NUMBER_AT_END =
  /(?<=\p{L}) (?=\d(?:[\d/\-–.]*\d)?(?![\d/\-–]|[.,:]\d)[\u00A0\u202F]?(?:[;!?)\]»”"’–—]|[.,:](?!\d)|$))/gu;

function french(s: string): string {
  return (
    s
      // « and » hold their quotation with U+00A0.
      .replace(/«[ \u00A0\u202F]?/g, `«${NBSP}`)
      .replace(/[ \u00A0\u202F]?»/g, `${NBSP}»`)
      // A space before ; ! ? becomes U+202F; none after a word or a number, before a break, is added.
      .replace(/[ \u00A0\u202F](?=[;!?])/g, NNBSP)
      .replace(/(?<=[\p{L}\p{N}»)\]])(?=[;!?](?:\s|$))/gu, NNBSP)
      // A space before : becomes U+00A0; none after a word, before a break, is added (not in 10:30 or http://).
      .replace(/[ \u00A0\u202F](?=:)/g, NBSP)
      .replace(/(?<=[\p{L}»)\]])(?=:(?:\s|$))/gu, NBSP)
  );
}

function russian(s: string): string {
  return s
    .replace(/№[ \u202F]/g, `№${NBSP}`)
    .replace(/(?<=\d{4}) (?=(?:года|г\.)(?![\p{L}]))/gu, NBSP)
    .replace(/(?<=\S) (?=[–—] )/g, NBSP);
}

/** The primary language of a tag ("fr-CH" → "fr"). */
const primary = (lang: string) => lang.toLowerCase().split(/[-_]/)[0]!;

/** Text with the no-break spaces of its language (a pure function; idempotent). */
export function typographicSpaces(text: string, language: string): string {
  const lang = primary(language);
  let s = text;
  if (lang === 'fr' && /[;:!?«»]/.test(s)) s = french(s);
  if (lang === 'ru') s = russian(s);
  // The other rules are about numbers.
  if (!/\d/.test(s)) return s;
  const dm = dayMonthPattern(lang);
  if (dm) s = s.replace(dm, glue);
  if (lang !== 'zh') s = s.replace(NUMBER_AT_END, NBSP);
  return s;
}

/**
 * The same rules over a run list, across run boundaries ("resolution " plain, "4/2" bold):
 * the runs keep their marks; a space the rules insert goes to the run before it. Link runs are
 * left as they are and end the text the rules see.
 */
export function spaceRuns(runs: Run[], language: string): Run[] {
  const out: Run[] = [];
  let i = 0;
  while (i < runs.length) {
    if (runs[i]!.link !== undefined) {
      out.push(runs[i]!);
      i++;
      continue;
    }
    let j = i;
    while (j < runs.length && runs[j]!.link === undefined) j++;
    out.push(...spaceSegment(runs.slice(i, j), language));
    i = j;
  }
  return out;
}

/**
 * Segments already spaced, by language, marks and text: a batch's notes repeat their template's
 * paragraphs, so the rules run once per paragraph and batch, not once per note. Bounded, as the
 * paragraph cache of the layout; the cached runs are never modified.
 */
const segmentCache = new Map<string, Run[]>();
const SEGMENT_CACHE_LIMIT = 2048;

/** Segments of one run (most paragraphs), by language, marks and text: no key to build. */
const singleCache = new Map<string, Map<string, Run[]>>();

function spaceSegment(runs: Run[], language: string): Run[] {
  if (runs.length === 1) {
    const run = runs[0]!;
    const marks = `${language}\u0000${run.bold ? 'b' : ''}${run.italic ? 'i' : ''}`;
    let byText = singleCache.get(marks);
    if (!byText) singleCache.set(marks, (byText = new Map()));
    const cached = byText.get(run.text);
    if (cached) return cached;
    const spaced = spaceSegmentOnce(runs, language);
    if (byText.size >= SEGMENT_CACHE_LIMIT) byText.clear();
    byText.set(run.text, spaced);
    return spaced;
  }
  let key = language;
  for (const r of runs) key += `\u0000${r.bold ? 'b' : ''}${r.italic ? 'i' : ''}\u0001${r.text}`;
  const cached = segmentCache.get(key);
  if (cached) return cached;
  const spaced = spaceSegmentOnce(runs, language);
  if (segmentCache.size >= SEGMENT_CACHE_LIMIT) segmentCache.clear();
  segmentCache.set(key, spaced);
  return spaced;
}

function spaceSegmentOnce(runs: Run[], language: string): Run[] {
  const source = runs.map((r) => r.text).join('');
  const spaced = typographicSpaces(source, language);
  if (spaced === source) return runs;
  if (spaced.length === source.length && onlySpacesChanged(source, spaced)) {
    // Spaces replaced, nothing inserted: each run keeps its characters' positions.
    let at = 0;
    return runs.map((r) => {
      const text = spaced.slice(at, (at += r.text.length));
      return text === r.text ? r : { ...r, text };
    });
  }
  // The run of each source character.
  const owner: number[] = [];
  runs.forEach((r, k) => {
    for (let n = 0; n < r.text.length; n++) owner.push(k);
  });
  const texts = runs.map(() => '');
  let a = 0;
  for (let b = 0; b < spaced.length; b++) {
    const c = spaced[b]!;
    const inserted =
      a >= source.length || (c !== source[a] && !(SPACE_LIKE.test(c) && SPACE_LIKE.test(source[a]!)));
    const k = inserted ? (owner[Math.max(0, a - 1)] ?? 0) : owner[a]!;
    texts[k] += c;
    if (!inserted) a++;
  }
  return runs.map((r, k) => ({ ...r, text: texts[k]! }));
}

/** Whether every character where `a` and `b` (of one length) differ is a space in both. */
function onlySpacesChanged(a: string, b: string): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y && !(isSpaceLike(x) && isSpaceLike(y))) return false;
  }
  return true;
}

const isSpaceLike = (c: number) => c === 0x20 || c === 0xa0 || c === 0x202f;

function spaceBlock(b: Block, language: string): Block {
  switch (b.type) {
    case 'paragraph':
    case 'heading':
      return { ...b, runs: spaceRuns(b.runs, language) };
    case 'list':
      return { ...b, items: b.items.map((runs) => spaceRuns(runs, language)) };
    case 'table':
      return {
        ...b,
        header: b.header.map((cell) => spaceRuns(cell, language)),
        rows: b.rows.map((row) => row.map((cell) => spaceRuns(cell, language))),
      };
    case 'group':
      return { ...b, blocks: b.blocks.map((x) => spaceBlock(x, language)) };
    case 'page-break':
      return b;
  }
}

/** Every block of a body with the no-break spaces of the language. */
export function spaceBlocks(blocks: Block[], language: string): Block[] {
  return blocks.map((b) => spaceBlock(b, language));
}

/** A note with the no-break spaces of its language in every line it prints. */
export function spaceNote(doc: NoteDocument): NoteDocument {
  const lang = doc.meta.language;
  const t = (s: string) => typographicSpaces(s, lang);
  return {
    ...doc,
    referenceLine: t(doc.referenceLine),
    body: spaceBlocks(doc.body, lang),
    dateLine: t(doc.dateLine),
    ...(doc.enclosuresLine !== undefined ? { enclosuresLine: t(doc.enclosuresLine) } : {}),
  };
}

/** A report (the list of participants) with the no-break spaces of its language. */
export function spaceReport(doc: ReportDocument): ReportDocument {
  const lang = doc.meta.language;
  const t = (s: string) => typographicSpaces(s, lang);
  return {
    ...doc,
    ...(doc.distribution ? { distribution: doc.distribution.map(t) } : {}),
    titleLines: doc.titleLines.map((runs) => spaceRuns(runs, lang)),
    body: spaceBlocks(doc.body, lang),
  };
}
