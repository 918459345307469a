/**
 * The names of the States as the United Nations writes them in Arabic, Chinese, French, Russian
 * and Spanish (data/un-state-names-i18n.csv, read from the package at run time; English names are
 * those of un-states.ts and recipients.csv). Each row says where its name comes from: `cldr`, the
 * region name of the Unicode CLDR (Intl.DisplayNames, CLDR 48); `un`, the UN's own short name
 * where it differs ("Fédération de Russie", not "Russie").
 */
import { readCsv } from './as-at.js';

export const NAMES_I18N_FILE = 'data/un-state-names-i18n.csv';

interface Row {
  iso3: string;
  language: string;
  name: string;
  source: 'un' | 'cldr';
}

let table: Map<string, Row> | undefined;

function rows(): Map<string, Row> {
  table ??= new Map(readCsv<Row>(NAMES_I18N_FILE).map((r) => [`${r.iso3}:${r.language}`, r]));
  return table;
}

/**
 * A State's name in one of the UN languages other than English ("AUT", "fr" → "Autriche");
 * undefined for English, another language, or a code that is not a State's.
 */
export function stateNameIn(iso3: string, language: string): string | undefined {
  return rows().get(`${iso3}:${language}`)?.name;
}

/** Where a name of stateNameIn comes from: the UN's own form or the CLDR's. */
export function stateNameSource(iso3: string, language: string): 'un' | 'cldr' | undefined {
  return rows().get(`${iso3}:${language}`)?.source;
}

/** Every [ISO3, name] the UN writes differently from the CLDR, in the five languages other than English. */
export function unNamesI18n(): [string, string][] {
  return [...rows().values()].filter((r) => r.source === 'un').map((r) => [r.iso3, r.name]);
}
