import { participantValues, type ParticipantValues } from '../participant-fields.js';
import { formatDateRange } from '../dates.js';
import { UserError } from '../errors.js';
import { stateNameIn } from '../states/index.js';
import { labelsFor } from '../text/labels.js';
import { calendarDay, stateStatus, type RegisterFacts, type StateStatus } from '../replies/status.js';
import { textIn } from '../workspace/config.js';
import type { Workspace } from '../workspace/load.js';
import type { Category } from '../workspace/recipients.js';

export const CATEGORY_ORDER: readonly Category[] = ['party', 'signatory', 'observer', 'organization'];

/** The heading of each category in English (text/labels.ts has them in the six languages). */
export const CATEGORY_HEADING: Record<Category, string> = labelsFor('en').list.categories;

/** A participant as the list shows it: the fields of the participant table, and where it stands. */
export type ListedParticipant = {
  id: number;
  /** 1-based order in the list the Government submitted. */
  position: number;
  head: boolean;
  /** As the list of participants prints it: "H.E. Mr. Name FAMILYNAME". */
  displayName: string;
} & ParticipantValues;

export interface ListedDelegation {
  state: string;
  name: string;
  category: Category;
  status: StateStatus;
  listId: number;
  replyId: number | null;
  participants: ListedParticipant[];
}

export interface ConsolidatedList {
  /** The language of the names and headings (one of the six UN languages). */
  language: string;
  meeting: { key: string; title: string; place: string; dates: string };
  /** The meeting the list is restricted to (--meeting), if any. */
  only: { key: string; name: string } | null;
  status: 'accepted' | 'all';
  /** "prepared on the basis of information received as at" this day (yyyy-mm-dd). */
  asAt: string;
  sections: { category: Category; heading: string; delegations: ListedDelegation[] }[];
  counts: { category: Category; heading: string; delegations: number; participants: number }[];
  totals: { delegations: number; participants: number };
}

export interface ConsolidateOptions {
  meeting?: string;
  status?: 'accepted' | 'all';
  /** yyyy-mm-dd; default: the day the last reply on the list was received. */
  asAt?: string;
  /**
   * The language of the list (default en): the category headings, the States' names as the UN
   * writes them in it (a name nv does not know stays as recipients.csv writes it), and the order
   * of that language's collation.
   */
  language?: string;
}

/** "H.E. Mr. Name FAMILYNAME": the family name in capitals, the way UN lists print it (the data stays as written). */
export function displayName(p: {
  honorific: string;
  givenName: string;
  familyName: string;
  fullName: string;
}): string {
  // A Chinese (Han) name is written family name first, without a space, and a Chinese
  // honorific follows it: "王建国先生", "李晓梅女士".
  if (HAN.test(p.familyName) && (!p.givenName || HAN.test(p.givenName))) {
    const name = p.familyName + p.givenName;
    return HAN.test(p.honorific) ? name + p.honorific : [p.honorific, name].filter(Boolean).join(' ');
  }
  const name = p.familyName
    ? [p.givenName, p.familyName.toLocaleUpperCase()].filter(Boolean).join(' ')
    : p.fullName;
  return [p.honorific, name].filter(Boolean).join(' ');
}

const HAN = /^\p{Script=Han}+$/u;

/**
 * The consolidated list of participants, laid out the UN way: sections by category (States
 * parties, signatory States, observer States, organizations), States in the alphabetical order
 * of their UN short name in the list's language, in each delegation the head first and then the others in the
 * order the Government gave them.
 */
export function consolidate(
  ws: Workspace,
  facts: RegisterFacts,
  opts: ConsolidateOptions = {},
): ConsolidatedList {
  const status = opts.status ?? 'accepted';
  const language = opts.language ?? 'en';
  const headings = labelsFor(language).list.categories;
  const m = ws.config.meeting;
  const only = opts.meeting === undefined ? undefined : m.meetings.find((x) => x.key === opts.meeting);
  if (opts.meeting !== undefined && !only)
    throw new UserError(
      `--meeting ${opts.meeting} is not a meeting of nv.yaml; the meetings are ${m.meetings.map((x) => x.key).join(', ')}.`,
    );

  // The meeting's title and place as nv.yaml gives them in the list's language; a list in a
  // language nv.yaml does not give them in is refused rather than printed with another's words.
  const inLanguage = (name: string, plain: string): string => {
    const text = textIn(ws.config, name, plain, language);
    if (text === undefined)
      throw new UserError(
        `nv.yaml gives ${name} per language but not in ${language}, which this list of participants prints; add ${language}: "…" under ${name} in nv.yaml, or export in a language it has.`,
      );
    return text;
  };
  const title = inLanguage('meeting.title', m.title);
  const place = inLanguage('meeting.place', m.place);

  const report = stateStatus(ws, facts);
  const rows = new Map(report.rows.map((r) => [r.state, r]));
  const lists = facts.delegations;
  const delegations: ListedDelegation[] = [];
  for (const list of lists) {
    const row = rows.get(list.state);
    if (!row) continue; // not invited: the known-state rule reports it; it is on no list
    if (status === 'accepted' && row.status !== 'accepted') continue;
    const people = list.participants
      .filter((p) => !only || p.meetings.includes(only.key))
      .map((p) => ({ ...p, head: p.role === 'head' }));
    if (people.length === 0) continue;
    // The head first (the first head, if a list names two), then the submitted order.
    const headIndex = people.findIndex((p) => p.head);
    const ordered =
      headIndex > 0 ? [people[headIndex]!, ...people.filter((_, i) => i !== headIndex)] : people;
    delegations.push({
      state: list.state,
      name: (language === 'en' ? undefined : stateNameIn(list.state, language)) ?? row.name,
      category: row.category,
      status: row.status,
      listId: list.id,
      replyId: list.replyId,
      participants: ordered.map((p) => ({
        id: p.id,
        position: p.position,
        head: p.head,
        displayName: displayName(p),
        ...participantValues(p),
      })),
    });
  }
  const collator = new Intl.Collator(language, { sensitivity: 'base' });
  const byName = (a: ListedDelegation, b: ListedDelegation) =>
    collator.compare(a.name, b.name) || a.state.localeCompare(b.state);
  const sections = CATEGORY_ORDER.map((category) => ({
    category,
    heading: headings[category],
    delegations: delegations.filter((d) => d.category === category).sort(byName),
  })).filter((s) => s.delegations.length > 0);

  const received = report.rows
    .filter((r) => delegations.some((d) => d.state === r.state) && r.reply?.receivedAt)
    .map((r) => r.reply!.receivedAt!)
    .sort();
  const asAt =
    opts.asAt ?? (received.length ? calendarDay(received[received.length - 1]!, m.timezone) : m.deadline);
  return {
    language,
    meeting: { key: m.key, title, place, dates: formatDateRange(m.start, m.end, language) },
    only: only ? { key: only.key, name: only.name } : null,
    status,
    asAt,
    sections,
    counts: CATEGORY_ORDER.map((category) => {
      const ds = delegations.filter((d) => d.category === category);
      return {
        category,
        heading: headings[category],
        delegations: ds.length,
        participants: ds.reduce((n, d) => n + d.participants.length, 0),
      };
    }),
    totals: {
      delegations: delegations.length,
      participants: delegations.reduce((n, d) => n + d.participants.length, 0),
    },
  };
}
