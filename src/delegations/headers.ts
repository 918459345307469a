import { PARTICIPANT_FIELDS, type ParticipantField } from '../participant-fields.js';
import { keyTable, labelKey, labelKeyWithoutAsides } from './normalise.js';

/** What a column of a delegation list holds: a field of the participant table. */
export const FIELDS = PARTICIPANT_FIELDS.map((f) => f.column);
export type Field = ParticipantField['column'];

/**
 * Header spellings seen on delegation lists, from the participant table (`participant-fields.ts`,
 * the one place they are listed). Compared through `labelKey` (case, accents, punctuation and
 * spaces do not matter), so "E-mail", "EMAIL", "e mail:" are one entry. "Title" alone is listed under `title` (the
 * functional title, as in the note: "name(s), title(s)"); `parse.ts` turns such a column into
 * the honorific when every value in it is one (Mr., Ms., H.E. Mr., …).
 */
const SYNONYMS: ReadonlyArray<readonly [Field, readonly string[]]> = PARTICIPANT_FIELDS.map(
  (f) => [f.column, f.headers] as const,
);

const TABLE = keyTable(SYNONYMS);

/** Header keys that may mean the honorific as well as the functional title: decided by the values. */
const MAYBE_HONORIFIC = new Set(['Title', 'Titles', 'Title(s)', 'Titre', 'Título', 'Titel'].map(labelKey));

export interface HeaderMatch {
  field: Field;
  /** "Title" and its translations: the functional title, unless every value is an honorific. */
  maybeHonorific: boolean;
}

/** The field a header names, or undefined. Parts in parentheses are tried without when the whole does not match ("Phone (office)"). */
export function matchHeader(header: string): HeaderMatch | undefined {
  if (isFormulaError(header)) return undefined;
  const key = labelKey(header);
  if (key === '') return undefined;
  const field = TABLE.get(key) ?? TABLE.get(labelKeyWithoutAsides(header));
  if (field === undefined) return undefined;
  return { field, maybeHonorific: field === 'title' && MAYBE_HONORIFIC.has(key) };
}

/** Whether the header is the Russian "ФИО" (family name, given name, patronymic: family name first). */
export function isFamilyFirstHeader(header: string): boolean {
  return ['ФИО', 'Фамилия, имя, отчество', 'Фамилия имя отчество'].map(labelKey).includes(labelKey(header));
}

/** Every spelling known for a field, for messages ("expected a column such as …"). */
export function exampleHeaders(field: Field, count = 3): string[] {
  return SYNONYMS.find(([f]) => f === field)?.[1].slice(0, count) ?? [];
}

/** What a spreadsheet shows for a formula that failed (#NAME?, #REF! …): never a header nor a value. */
export function isFormulaError(value: string): boolean {
  return /^#(?:NAME\?|REF!|VALUE!|N\/A|DIV\/0!|NULL!|NUM!|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|GETTING_DATA)$/i.test(
    value.trim(),
  );
}
