/**
 * Splitting a single "Name" column into given and family names, only where the writing says
 * which is which; names themselves are never re-cased or re-spelled.
 *
 * - "ФИО" columns (Russian: family name, given name, patronymic): the first word is the family name.
 * - "FAMILY, Given": the part before a single comma is the family name.
 * - UN style, "Given FAMILY" or "FAMILY Given": the run of words written in capitals (of two or
 *   more letters) is the family name, when the other words are not all capitals.
 * - Otherwise the name is kept whole, unsplit: nv does not guess which word is the family name
 *   ("Wang Wei", "John Smith" and "Nguyen Van An" follow different orders).
 */
export type NameSplit = { given: string; family: string } | undefined;

export function splitFullName(full: string, order: 'family-first' | 'auto'): NameSplit {
  const name = full.trim();
  if (name === '') return undefined;
  if (order === 'family-first') {
    const m = /^(\S+)\s+(\S[\s\S]*)$/u.exec(name);
    return m ? { family: m[1] as string, given: (m[2] as string).trim() } : undefined;
  }
  const commas = name.split(',');
  if (commas.length === 2) {
    const family = (commas[0] as string).trim();
    const given = (commas[1] as string).trim();
    if (family !== '' && given !== '') return { family, given };
    return undefined;
  }
  const words = name.split(/\s+/u);
  const upper = words.map(isCapitalWord);
  const first = upper.indexOf(true);
  if (first === -1) return undefined;
  let last = first;
  while (last + 1 < words.length && upper[last + 1]) last++;
  // One run of capitals, and at least one word outside it.
  if (upper.slice(last + 1).includes(true)) return undefined;
  const rest = [...words.slice(0, first), ...words.slice(last + 1)];
  if (rest.length === 0) return undefined;
  return { family: words.slice(first, last + 1).join(' '), given: rest.join(' ') };
}

/** A word in capitals: two or more letters, every cased letter upper case ("SMITH", "DE", "O'NEILL", "ИВАНОВ"). */
function isCapitalWord(word: string): boolean {
  const letters = word.match(/\p{L}/gu) ?? [];
  const cased = letters.filter((l) => l.toLowerCase() !== l.toUpperCase());
  return cased.length >= 2 && cased.every((l) => l === l.toUpperCase() && l !== l.toLowerCase());
}
