/** Reading nv's own words back from what it wrote, for the six-language tests. */
import { strFromU8 } from 'fflate';
import { allLabels, type LabelLanguage } from '../../src/text/labels.js';

/** Every kind of space as a plain space (no-break spaces are checked where they are meant). */
export function plainSpaces(s: string): string {
  return s.replace(/[\u00A0\u202F]/g, ' ');
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text of a DOCX (body, headers, footers), a line per paragraph. */
export function docxText(files: Record<string, Uint8Array>): string {
  const parts = Object.keys(files)
    .filter((f) => /^word\/(document|header\d*|footer\d*)\.xml$/.test(f))
    .sort();
  return parts
    .map((f) =>
      strFromU8(files[f]!)
        .split(/<\/w:p>/)
        .map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''))
        .join('\n'),
    )
    .join('\n')
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => XML_ENTITIES[e]!);
}

/** The words (four letters or more) of nv's English labels that the labels of `lang` do not also use. */
function labelWords(lang: LabelLanguage): string[] {
  const own = new Set(allLabels(lang).flatMap((l) => l.toLowerCase().match(/\p{L}+/gu) ?? []));
  const english = allLabels('en')
    .map((l) => l.replace(/\{\w+\}/g, ' '))
    .flatMap((l) => l.match(/[A-Za-z]{4,}/g) ?? []);
  return [...new Set(english)].filter((w) => !own.has(w.toLowerCase()));
}

/** The English label words found in `text` (whole words, as the labels write them). */
export function englishLabelWords(text: string, lang: LabelLanguage): string[] {
  return labelWords(lang).filter((w) => new RegExp(`(?<![\\p{L}])${w}(?![\\p{L}])`, 'u').test(text));
}
