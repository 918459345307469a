/** The delimiters spreadsheets write: comma, semicolon (Excel in most of Europe and Latin America), tab ("Unicode text"), pipe. */
export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

const HEADER_SEARCH_LINES = 10;

/**
 * Excel's own hint, a first line `sep=;`, names the delimiter (Excel writes it on request and
 * reads it back). Returns the delimiter and the length of that line, line break excluded.
 */
export function excelSeparatorLine(text: string): { delimiter: Delimiter; length: number } | undefined {
  const m = /^"?sep=(.)"?[ \t]*(?=\r|\n|$)/i.exec(text);
  if (!m) return undefined;
  const delimiter = m[1] as string;
  return isDelimiter(delimiter) ? { delimiter, length: m[0].length } : undefined;
}

/**
 * Picks the delimiter of a CSV text by counting `,` `;` tab `|` outside quotes in the header
 * line: the first non-empty line that has any of them (among the first ten, so that a title line
 * above the header does not decide). The most frequent wins; a tie goes to the earlier in
 * `DELIMITERS`. A file with one column has none of them: comma.
 */
export function sniffDelimiter(text: string): Delimiter {
  for (const counts of lineCounts(text)) {
    let best: Delimiter | undefined;
    let bestCount = 0;
    for (const d of DELIMITERS) {
      const c = counts.get(d) ?? 0;
      if (c > bestCount) {
        best = d;
        bestCount = c;
      }
    }
    if (best !== undefined) return best;
  }
  return ',';
}

/**
 * Counts of each candidate per line, for the first lines, outside quotes. A quote opens a quoted
 * value only at the start of a value (line start, after a candidate delimiter, or after spaces
 * following one), as csv-parse reads it; elsewhere it is an ordinary character.
 */
function* lineCounts(text: string): Generator<Map<string, number>> {
  let counts = new Map<string, number>();
  let inQuotes = false;
  let atValueStart = true;
  let nonEmpty = false;
  let lines = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      }
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (nonEmpty) {
        yield counts;
        if (++lines >= HEADER_SEARCH_LINES) return;
      }
      counts = new Map();
      nonEmpty = false;
      atValueStart = true;
      continue;
    }
    nonEmpty = true;
    if (ch === '"' && atValueStart) {
      inQuotes = true;
      atValueStart = false;
    } else if (isDelimiter(ch)) {
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
      atValueStart = true;
    } else if (ch !== ' ') {
      atValueStart = false;
    }
  }
  if (nonEmpty) yield counts;
}

function isDelimiter(ch: string): ch is Delimiter {
  return (DELIMITERS as readonly string[]).includes(ch);
}
