import { labelKey } from './normalise.js';

/**
 * Honorifics on a UN list of participants are written `Mr.`, `Ms.`, `Mrs.`, `Dr.`, `Prof.`, and
 * `H.E. Mr.` / `H.E. Ms.` for an excellency. English forms are normalised to these spellings
 * ("mr" → "Mr.", "HE Mr" → "H.E. Mr.", "His Excellency" → "H.E. Mr."); forms of other
 * languages (`Sr.`, `Sra.`, `M.`, `Mme`, `г-н`, `السيد`, `先生` …) are kept exactly as written.
 */
export interface Honorific {
  /** The honorific to store: normalised English form, or the text as written (trimmed). */
  value: string;
  /** False when nv does not know the form: it is kept as written, and a warning says so. */
  known: boolean;
}

const ENGLISH: ReadonlyMap<string, string> = new Map([
  ['mr', 'Mr.'],
  ['mister', 'Mr.'],
  ['ms', 'Ms.'],
  ['mrs', 'Mrs.'],
  ['miss', 'Miss'],
  ['dr', 'Dr.'],
  ['doctor', 'Dr.'],
  ['prof', 'Prof.'],
  ['professor', 'Prof.'],
  ['hon', 'Hon.'],
  ['honourable', 'Hon.'],
  ['honorable', 'Hon.'],
]);

/** Non-English forms known to be honorifics: kept as written. Compared through `labelKey`. */
// prettier-ignore
const KEPT_AS_WRITTEN = new Set(
  [
    // Spanish
    'Sr.', 'Sra.', 'Srta.', 'D.', 'Dña.', 'Dra.', 'Excmo. Sr.', 'Excma. Sra.', 'S.E. Sr.', 'S.E. Sra.', 'Don', 'Doña',
    'Señor', 'Señora', 'Lic.', 'Licda.', 'Ing.', 'Embajador', 'Embajadora',
    // French
    'M.', 'Mme', 'Mme.', 'Mlle', 'Me', 'S.E. M.', 'S.E. Mme', 'Pr', 'Monsieur', 'Madame', 'Son Excellence', 'Ambassadeur',
    // Russian
    'г-н', 'г-жа', 'г.', 'госпожа', 'господин', 'Его Превосходительство', 'Ее Превосходительство', 'Её Превосходительство',
    'Е.П. г-н', 'Е.П. г-жа', 'д-р', 'проф.',
    // Arabic
    'السيد', 'السيدة', 'سعادة', 'معالي', 'الدكتور', 'الدكتورة', 'سعادة السيد', 'سعادة السيدة', 'معالي السيد', 'الأستاذ',
    // German
    'Herr', 'Frau', 'Hr.', 'Fr.', 'S.E. Herr', 'S.E. Frau', 'Botschafter', 'Botschafterin', 'Dr. Herr', 'Herr Dr.', 'Frau Dr.',
    // Portuguese
    'Sr.ª', 'Exmo. Sr.', 'Exma. Sra.', 'Senhor', 'Senhora', 'Embaixador', 'Embaixadora', 'Dr.ª',
    // Chinese
    '先生', '女士', '阁下', '博士', '教授',
    // English words nv does not rewrite
    'Ambassador', 'Amb.', 'Judge', 'Justice', 'Sir', 'Dame', 'Lord', 'Lady', 'Rev.', 'Sheikh', 'Sheikha',
  ].map(labelKey),
);

export function normaliseHonorific(raw: string): Honorific {
  const value = raw.trim();
  if (value === '') return { value: '', known: true };
  const english = englishHonorific(value);
  if (english !== undefined) return { value: english, known: true };
  return { value, known: KEPT_AS_WRITTEN.has(labelKey(value)) };
}

/** Whether a value reads as an honorific (used to tell a "Title" column of Mr./Ms. from one of job titles). */
export function isHonorific(raw: string): boolean {
  const h = normaliseHonorific(raw);
  return h.known && h.value !== '';
}

/**
 * Reads "H.E. Mr.", "HE Mr", "his excellency", "Prof. Dr." … Every word must be known, or the
 * value is not an English honorific (undefined).
 */
function englishHonorific(value: string): string | undefined {
  const words = value
    .toLowerCase()
    .split(/[\s.,/]+/)
    .filter((w) => w !== '');
  const out: string[] = [];
  let excellency = false;
  let impliedGender: string | undefined;
  let i = 0;
  if (words[0] === 'h' && words[1] === 'e') {
    excellency = true;
    i = 2;
  } else if (words[0] === 'he') {
    excellency = true;
    i = 1;
  } else if ((words[0] === 'his' || words[0] === 'her') && words[1] === 'excellency') {
    excellency = true;
    impliedGender = words[0] === 'his' ? 'Mr.' : 'Ms.';
    i = 2;
  } else if (words[0] === 'excellency') {
    excellency = true;
    i = 1;
  }
  for (; i < words.length; i++) {
    const form = ENGLISH.get(words[i] as string);
    if (form === undefined) return undefined;
    if (!out.includes(form)) out.push(form);
  }
  if (excellency) {
    if (out.length === 0 && impliedGender !== undefined) out.push(impliedGender);
    out.unshift('H.E.');
  }
  return out.length === 0 ? undefined : out.join(' ');
}
