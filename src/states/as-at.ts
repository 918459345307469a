/**
 * The States as at a date: their UN names (data/un-state-names.csv) and their status under the
 * UN Convention against Corruption or against Transnational Organized Crime
 * (data/treaty-status.csv). Both files ship with nv and are read from the package at run time;
 * data/SOURCES.md says where they come from and how far they reach.
 */
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InternalError } from '../errors.js';

export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));
export const TREATY_FILE = 'data/treaty-status.csv';
export const NAMES_FILE = 'data/un-state-names.csv';
/** The last day the treaty data was checked against its sources (data/treaty-status.SOURCES.md). */
export const TREATY_DATA_AS_OF = '2026-12-04';

export const CONVENTIONS = ['UNCAC', 'UNTOC'] as const;
export type Convention = (typeof CONVENTIONS)[number];

export type TreatyStatus = 'party' | 'signatory' | 'neither';

export interface StatusAsAt {
  status: TreatyStatus;
  /**
   * Set when the data knows the State's joining only within a window that holds the date: it
   * may or may not have been a party on that day. `status` is then what it was if not.
   */
  uncertain?: { from: string; to: string | null; note: string };
}

interface TreatyRow {
  signed: string;
  party_since: string;
  party_window_from: string;
  party_window_to: string;
  note: string;
}

interface NameRow {
  iso3: string;
  name: string;
  valid_from: string;
  valid_to: string;
  un_status: string;
}

/** A CSV file of data/ (`data/NAME.csv`) as rows keyed by its header. */
export function readCsv<T>(file: string): T[] {
  try {
    return parse(readFileSync(join(DATA_DIR, file.slice('data/'.length))), {
      columns: true,
      skip_empty_lines: true,
    }) as T[];
  } catch (e) {
    throw new InternalError(`nv's own data file ${file} cannot be read (${(e as Error).message}).`);
  }
}

let treaties: Map<string, TreatyRow> | undefined;
let names: Map<string, NameRow[]> | undefined;

function treatyRows(): Map<string, TreatyRow> {
  treaties ??= new Map(
    readCsv<TreatyRow & { iso3: string; treaty: string }>(TREATY_FILE).map((r) => [
      `${r.iso3}:${r.treaty.toUpperCase()}`,
      r,
    ]),
  );
  return treaties;
}

function nameRows(): Map<string, NameRow[]> {
  if (names) return names;
  names = new Map();
  for (const r of readCsv<NameRow>(NAMES_FILE)) {
    const list = names.get(r.iso3) ?? [];
    list.push(r);
    names.set(r.iso3, list);
  }
  return names;
}

/**
 * A State's status under a convention on a date (yyyy-mm-dd), as check-treaty-status.py computes
 * it: a party from the day its instrument was deposited; within a window of possible deposit
 * days, uncertain; a signatory from its signature; otherwise neither.
 */
export function treatyStatusOn(iso3: string, convention: Convention, isoDate: string): StatusAsAt {
  const r = treatyRows().get(`${iso3}:${convention}`);
  if (!r) throw new InternalError(`${TREATY_FILE} has no row for ${iso3} and ${convention}.`);
  if (r.party_since && r.party_since <= isoDate) return { status: 'party' };
  if (!r.party_since && r.party_window_to && r.party_window_to <= isoDate) return { status: 'party' };
  const before: TreatyStatus = r.signed && r.signed <= isoDate ? 'signatory' : 'neither';
  if (!r.party_since && r.party_window_from && r.party_window_from <= isoDate)
    return {
      status: before,
      uncertain: { from: r.party_window_from, to: r.party_window_to || null, note: r.note },
    };
  return { status: before };
}

export interface NameAsAt {
  /** The UN short name on that day, e.g. "Turkey" in 2012, "Türkiye" in 2025. */
  name: string;
  /** A Member State (else a non-member observer State or entity) on that day. */
  unMember: boolean;
}

/** A State's UN name on a date; undefined if it was neither a Member nor an observer then. */
export function stateNameOn(iso3: string, isoDate: string): NameAsAt | undefined {
  const row = nameRows()
    .get(iso3)
    ?.find((r) => r.valid_from <= isoDate && (!r.valid_to || isoDate <= r.valid_to));
  return row && { name: row.name, unMember: row.un_status === 'member' };
}

/** Every UN name a State has had since 2000, oldest first. */
export function formerNames(iso3: string): string[] {
  return [...new Set((nameRows().get(iso3) ?? []).map((r) => r.name))];
}

/**
 * The running-text form of a former UN name, following UNTERM's "(the)" markers: "the Czech
 * Republic", "the former Yugoslav Republic of Macedonia". Current names take theirs from UN_STATES.
 */
const FORMER_WITH_ARTICLE: Record<string, string> = {
  'Czech Republic': 'the Czech Republic',
  Netherlands: 'the Netherlands',
  'Libyan Arab Jamahiriya': 'the Libyan Arab Jamahiriya',
  'The former Yugoslav Republic of Macedonia': 'the former Yugoslav Republic of Macedonia',
};

export function formerNameInText(name: string): string {
  return FORMER_WITH_ARTICLE[name] ?? name;
}
