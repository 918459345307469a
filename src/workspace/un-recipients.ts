import { UN_STATES, uncacStatusOn } from '../states/index.js';
import { defaultAddressee, type Category } from './recipients.js';

/** Mission and ministry e-mail domains known for a few States (replies are matched on them). */
const KNOWN_DOMAINS: Record<string, string> = {
  AUT: 'bmeia.gv.at',
  DEU: 'diplo.de auswaertiges-amt.de',
  FRA: 'diplomatie.gouv.fr',
  GBR: 'fco.gov.uk',
  MEX: 'sre.gob.mx',
  RUS: 'mid.ru',
  SGP: 'mfa.gov.sg',
  USA: 'state.gov',
};

export interface RecipientLine {
  state: string;
  name: string;
  category: Category;
  addressee: string;
  language: string;
  domains: string;
}

/**
 * The 195 States, each with its category for a UNCAC meeting on `isoDate`: States parties and
 * signatories, and the others invited as observers; addressed to their Permanent Representative
 * (or Permanent Observer) to the United Nations in `city`.
 */
export function recipientsFromUnStates(isoDate: string, city = 'Vienna'): RecipientLine[] {
  return UN_STATES.map((s) => {
    const status = uncacStatusOn(s, isoDate);
    const category: Category = status === 'neither' ? 'observer' : status;
    return {
      state: s.iso3,
      name: s.name,
      category,
      addressee: defaultAddressee(s.inText, s.unMember, city),
      language: 'en',
      domains: KNOWN_DOMAINS[s.iso3] ?? '',
    };
  });
}

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function recipientsCsv(lines: RecipientLine[]): string {
  const cols = ['state', 'name', 'category', 'addressee', 'language', 'domains'] as const;
  return [cols.join(','), ...lines.map((l) => cols.map((c) => csvCell(l[c])).join(','))].join('\n') + '\n';
}
