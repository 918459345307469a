/**
 * Reference numbers as the office writes them: `{series} {year}/{seq}{variant}/{office}` by
 * default, e.g. "CU 2012/150(A)/DTA/CEB/CSS".
 */
export interface ReferenceParts {
  series: string;
  year: number;
  seq: number;
  /** "A", "B", … or "" for none. */
  variant: string;
  office: string;
}

export const DEFAULT_FORMAT = '{series} {year}/{seq}{variant}/{office}';

export function formatReference(format: string, p: ReferenceParts): string {
  return format.replace(/\{(series|year|seq|variant|office)\}/g, (_, k: string) => {
    switch (k) {
      case 'series':
        return p.series;
      case 'year':
        return String(p.year);
      case 'seq':
        return String(p.seq);
      case 'variant':
        return p.variant ? `(${p.variant})` : '';
      default:
        return p.office;
    }
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regular expression that finds references of this format and office in free text. */
export function referencePattern(format: string, office: string, series?: string): RegExp {
  let src = '';
  let last = 0;
  for (const m of format.matchAll(/\{(series|year|seq|variant|office)\}/g)) {
    src += escapeRegExp(format.slice(last, m.index)).replace(/ /g, '\\s*');
    const k = m[1];
    src +=
      k === 'series'
        ? `(?<series>${series ? escapeRegExp(series) : '[A-Z][A-Z0-9]*'})`
        : k === 'year'
          ? '(?<year>\\d{4})'
          : k === 'seq'
            ? '(?<seq>\\d{1,6})'
            : k === 'variant'
              ? // Replies often write a space before the variant: "CU 2012/150 (A)".
                '(?:\\s*\\((?<variant>[A-Z])\\))?'
              : `(?<office>${escapeRegExp(office).replace(/\//g, '\\s*/\\s*')})`;
    last = m.index! + m[0].length;
  }
  src += escapeRegExp(format.slice(last));
  // What follows the sequence number and variant (e.g. "/DTA/CEB/CSS") may be left out in replies.
  const cut = src.indexOf('(?<office>');
  if (cut > 0) {
    const sep = src.lastIndexOf(')?', cut) + 2;
    src = `${src.slice(0, sep)}(?:${src.slice(sep)})?`;
  }
  return new RegExp(src, 'gi');
}

/** Reads a reference written in the given format ("CU 2012/150(A)/DTA/CEB/CSS"); also accepts "CU 2012/150". */
export function parseReference(text: string, format: string, office: string): ReferenceParts | undefined {
  const re = referencePattern(format, office);
  re.lastIndex = 0;
  const m = re.exec(text.trim());
  if (!m || !m.groups) return undefined;
  return {
    series: m.groups.series!.toUpperCase(),
    year: Number(m.groups.year),
    seq: Number(m.groups.seq),
    variant: (m.groups.variant ?? '').toUpperCase(),
    office: m.groups.office ?? office,
  };
}

/** The folder name of a reference: "CU-2012-150-A". */
export function referenceSlug(p: ReferenceParts): string {
  return [p.series, p.year, p.seq, p.variant].filter((x) => x !== '').join('-');
}
