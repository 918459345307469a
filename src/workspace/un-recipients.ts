import { UserError } from '../errors.js';
import {
  NAMES_FILE,
  TREATY_DATA_AS_OF,
  TREATY_FILE,
  UN_STATES,
  nameInText,
  stateNameOn,
  treatyStatusOn,
  type Convention,
} from '../states/index.js';
import { COLUMNS, defaultAddressee, UNCERTAIN, type Category } from './recipients.js';

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
  category: Category | typeof UNCERTAIN;
  category_override: string;
  category_note: string;
  addressee: string;
  language: string;
  domains: string;
  /** Left empty by nv init: the officer writes each mission's addresses. */
  email: string;
  cc: string;
}

/** A State whose category on the date the data cannot tell: the officer settles it. */
export interface UncertainCategory {
  state: string;
  name: string;
  /** Line of recipients.csv. */
  line: number;
  /** The window in which it joined (inclusive); `to` null when the joining is not even confirmed. */
  from: string;
  to: string | null;
  /** Its category if it had not joined yet on the date. */
  ifNotYet: 'signatory' | 'observer';
  note: string;
}

export interface StatesAsAt {
  convention: Convention;
  /** The date the categories and names are computed for: the notes' date. */
  asAt: string;
  data: { treatyStatus: string; treatyDataAsOf: string; names: string };
  counts: Record<Category | typeof UNCERTAIN, number>;
  /** States that were not UN Members or observer States on the date, left out. */
  notYetStates: string[];
  uncertain: UncertainCategory[];
  /** Where nv had to guess: the date lies beyond what the data knows. */
  warnings: string[];
  lines: RecipientLine[];
}

const NAMES_FROM = '2000-01-01';

/**
 * The States on `isoDate`, named as the UN named them that day, each in its category under
 * `convention` on that day: parties, signatories, and the others invited as observers; addressed
 * to their Permanent Representative (or Permanent Observer) to the United Nations in `city`.
 */
export function recipientsAsAt(isoDate: string, convention: Convention, city = 'Vienna'): StatesAsAt {
  if (isoDate < NAMES_FROM)
    throw new UserError(
      `nv's States data begins on ${NAMES_FROM}; notes dated ${isoDate} need a recipients.csv written by hand (see README).`,
    );
  const lines: RecipientLine[] = [];
  const uncertain: UncertainCategory[] = [];
  const notYetStates: string[] = [];
  const counts = { party: 0, signatory: 0, observer: 0, organization: 0, [UNCERTAIN]: 0 };
  for (const s of UN_STATES) {
    const named = stateNameOn(s.iso3, isoDate);
    if (!named) {
      notYetStates.push(s.iso3);
      continue;
    }
    const st = treatyStatusOn(s.iso3, convention, isoDate);
    const known: Category = st.status === 'neither' ? 'observer' : st.status;
    let category: RecipientLine['category'] = known;
    let note = '';
    if (st.uncertain) {
      const { from, to } = st.uncertain;
      category = UNCERTAIN;
      note = to
        ? `the data says it became a party to ${convention} on a day between ${from} and ${to}, and the notes are dated ${isoDate}`
        : `the data says it may have become a party to ${convention} from ${from} (not confirmed), and the notes are dated ${isoDate}`;
      uncertain.push({
        state: s.iso3,
        name: named.name,
        line: lines.length + 2,
        from,
        to,
        ifNotYet: known === 'signatory' ? 'signatory' : 'observer',
        note: st.uncertain.note,
      });
    }
    counts[category]++;
    lines.push({
      state: s.iso3,
      name: named.name,
      category,
      category_override: '',
      category_note: note,
      addressee: defaultAddressee(nameInText(s, named.name) ?? named.name, named.unMember, city),
      language: 'en',
      domains: KNOWN_DOMAINS[s.iso3] ?? '',
      email: '',
      cc: '',
    });
  }
  const warnings =
    isoDate > TREATY_DATA_AS_OF
      ? [
          `The treaty data was last checked on ${TREATY_DATA_AS_OF}; a State that joined ${convention} after that day is not known to nv: check the categories against the UN Treaty Collection.`,
        ]
      : [];
  return {
    convention,
    asAt: isoDate,
    data: { treatyStatus: TREATY_FILE, treatyDataAsOf: TREATY_DATA_AS_OF, names: NAMES_FILE },
    counts,
    notYetStates,
    uncertain,
    warnings,
    lines,
  };
}

/** Settles uncertain categories with the officer's answers (State code → category), as overrides. */
export function settleCategories(lines: RecipientLine[], answers: ReadonlyMap<string, Category>): void {
  for (const l of lines) {
    const a = answers.get(l.state);
    if (a) l.category_override = a;
  }
}

/**
 * The examples' addresses: one per State under a reserved test domain (RFC 2606), never a real
 * mission's, so that the whole example can be dispatched: registry@mission.aut.example.org.
 */
export function exampleAddresses(lines: RecipientLine[]): RecipientLine[] {
  return lines.map((l) => ({ ...l, email: `registry@mission.${l.state.toLowerCase()}.example.org` }));
}

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function recipientsCsv(lines: RecipientLine[]): string {
  const cols = COLUMNS;
  return [cols.join(','), ...lines.map((l) => cols.map((c) => csvCell(l[c])).join(','))].join('\n') + '\n';
}
