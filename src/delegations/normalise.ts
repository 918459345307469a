import { InternalError } from '../errors.js';

/**
 * Comparison keys for labels people type: column headers, roles, meeting names, honorifics.
 *
 * "Prénom", "PRENOM", "prénom :" and "Pré-nom" must all find the same entry, in every script:
 * compatibility decomposition (full-width letters become ASCII, "ﬁ" becomes "fi"), combining
 * marks dropped (accents, Arabic hamza and harakat, the breve of "й"), Arabic tatweel dropped,
 * lower case, and every run of punctuation, symbols, spaces and format characters removed.
 * The key is for comparison only; no value is ever stored in this form.
 */
export function labelKey(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\u0640/g, '')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\p{Z}\p{C}\s]+/gu, '');
}

/** `labelKey` of the text with every part in parentheses or brackets left out: "Phone (mobile)" → "phone". */
export function labelKeyWithoutAsides(s: string): string {
  return labelKey(s.replace(/\([^)]*\)|\[[^\]]*\]/g, ' '));
}

/** A lookup from label keys to values, built from lists of spellings. */
export function keyTable<T>(entries: ReadonlyArray<readonly [T, readonly string[]]>): Map<string, T> {
  const table = new Map<string, T>();
  for (const [value, spellings] of entries) {
    for (const spelling of spellings) {
      const key = labelKey(spelling);
      const existing = table.get(key);
      if (existing !== undefined && existing !== value) {
        // Two fields claiming one spelling is a bug in the tables, caught by the tests.
        throw new InternalError(
          `label "${spelling}" is listed for both ${String(existing)} and ${String(value)}`,
        );
      }
      table.set(key, value);
    }
  }
  return table;
}
