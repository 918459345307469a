import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

import { InternalError, UserError } from '../errors.js';

/**
 * CSV that is safe to open in Excel and LibreOffice Calc.
 *
 * The danger: a spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` (and, in some
 * programs or import settings, after a tab, a CR or leading spaces) as a formula, so a participant
 * named `=HYPERLINK("http://x","click")` becomes a live link, and a phone number like
 * `+41-22-917-1234` is reported to become the number -2132 in Excel.
 *
 * The choice: every such cell gets U+2060 WORD JOINER in front (`FORMULA_GUARD`). It is an
 * invisible format character, not a space: trimming leaves it (JavaScript's trim, LibreOffice's
 * "Trim spaces"), and a cell that starts with it is not a formula; `+41 22 917 1234` is shown as
 * `+41 22 917 1234`, and `=HYPERLINK(…)` as its text.
 * The same guard keeps a number-like phone from being turned into a number: a leading zero
 * (`0612345678` would show as 612345678) or twelve digits and more (scientific notation).
 *
 * Options weighed (LibreOffice 7.4 checked headless: CSV → .fods, cell types and formulas read
 * from the XML, and CSV → PDF → PNG to see what is displayed; the record is in
 * fixtures/delegations/README.md):
 * - an apostrophe (`'+41 22 917 1234`, csv-stringify's `escape_formulas`, the usual advice):
 *   Excel hides it, but LibreOffice's CSV import shows it as a literal `'` in the cell, so the
 *   phone number is not shown intact; and Excel drops it when the file is saved again, which
 *   re-arms the formula (OWASP www-community issue #517).
 * - a leading tab or space: shown as blank space in LibreOffice, trimmed by import options
 *   ("Trim spaces") and by some programs before they look for a formula; the tab is itself
 *   one of the characters that start a formula in some programs.
 * - leaving phone-shaped values (`+` digits, spaces, `()./-`) raw: LibreOffice keeps
 *   `+41 22 917 1234` as text but takes `+41229171234` and `0612345678` as numbers (the `+` and
 *   the zero are lost), and Excel is reported to evaluate `+41-22-917-1234` (-2132).
 * - `="+41 22 917 1234"`: a formula on purpose; no.
 * - U+2060 (chosen): LibreOffice imports the cell as text (no formula, with "Evaluate formulas"
 *   on or off), shows `+41 22 917 1234` with nothing visible before it, and a phone without
 *   spaces keeps its `+` and leading zero. What it costs: the cell's text holds an invisible
 *   character, which a program that reads the CSV must remove: `parseSafeCsv` does, and
 *   `unguardCell` is the rule. Not checked here: Excel itself (not available on this machine).
 *   Expected there: U+2060 is not a formula character, so the cell is a constant; being part of
 *   the cell's text it survives a save (unlike the apostrophe); and as a default-ignorable code
 *   point it is drawn as nothing.
 *
 * Output: UTF-8 with a BOM (so that Excel reads UTF-8, not the ANSI code page), comma, CRLF,
 * every value in double quotes. Deterministic: the same table gives the same string.
 */
export const FORMULA_GUARD = '\u2060';

/** Characters that start a formula, or become one of `= + - @` under compatibility normalisation (full-width, small, superscript forms). */
const FORMULA_START = new Set(['=', '+', '-', '@', '\u2212', '\u207b', '\u208b']);

/**
 * Whether a cell needs the guard: after any leading whitespace and invisible format characters,
 * it starts with a formula character; or it starts with tab, CR or LF; or it is a number that a
 * spreadsheet would alter (leading zero, 12 digits or more).
 *
 * A cell that starts with the guard itself followed by such a cell needs it too, since the leading
 * run includes format characters: that is what makes `unguardCell` an exact inverse.
 */
export function needsGuard(value: string): boolean {
  const lead = /^[\s\p{Cf}]*/u.exec(value)?.[0] ?? '';
  if (/[\t\r\n]/.test(lead)) return true;
  const rest = value.slice(lead.length);
  const first = String.fromCodePoint(rest.codePointAt(0) ?? 0x20);
  if (FORMULA_START.has(first) || FORMULA_START.has(first.normalize('NFKC'))) return true;
  return /^0\d/.test(rest) || /^\d{12,}$/.test(rest);
}

/** The cell as written to the CSV: with the guard in front when it needs one. Lone surrogates become U+FFFD. */
export function guardCell(value: string): string {
  const v = wellFormed(value);
  return needsGuard(v) ? FORMULA_GUARD + v : v;
}

/** The inverse of `guardCell`: the guard is removed only where `guardCell` would have put it. */
export function unguardCell(cell: string): string {
  if (cell.startsWith(FORMULA_GUARD) && needsGuard(cell.slice(FORMULA_GUARD.length)))
    return cell.slice(FORMULA_GUARD.length);
  return cell;
}

/**
 * Writes a table as spreadsheet-safe CSV (see the module comment). Every row must have as many
 * cells as the header, and the header at least one: a CSV line cannot hold zero cells.
 */
export function toSafeCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  if (header.length === 0) throw new InternalError('toSafeCsv: the header has no column');
  rows.forEach((row, i) => {
    if (row.length !== header.length) {
      throw new InternalError(`toSafeCsv: row ${i + 1} has ${row.length} cells, the header ${header.length}`);
    }
  });
  return stringify(
    [header, ...rows].map((row) => row.map(guardCell)),
    { bom: true, delimiter: ',', record_delimiter: 'windows', quoted: true, quoted_empty: true },
  );
}

/**
 * Reads back what `toSafeCsv` wrote: the same header and rows (`parseSafeCsv(toSafeCsv(h, r))`
 * gives `{header: h, rows: r}` for any table of well-formed strings). For the secretariat's own
 * programs and the tests. Throws UserError when the text is not such a CSV.
 */
export function parseSafeCsv(input: string | Uint8Array): { header: string[]; rows: string[][] } {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input);
    } catch {
      throw new UserError(
        'The CSV is not valid UTF-8: it was not written by nv, or was saved again in another encoding.',
      );
    }
  }
  if (text.startsWith('\ufeff')) text = text.slice(1);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: ',',
      quote: '"',
      escape: '"',
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as string[][];
  } catch (e) {
    if (e instanceof CsvError) throw new UserError(`The CSV cannot be read back: ${e.message}`);
    throw e;
  }
  const [header, ...rows] = records.map((r) => r.map(unguardCell));
  if (!header) throw new UserError('The CSV is empty: it has no header line.');
  return { header, rows };
}

function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
