import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { isAddrSpec, splitAddresses } from './email-address.js';
import { findState, nameInText, suggestStates, treatyStatusOn, type Convention } from '../states/index.js';

export const CATEGORIES = ['party', 'signatory', 'observer', 'organization'] as const;
export type Category = (typeof CATEGORIES)[number];
/**
 * What `nv init` writes in the category column of a State whose category on the notes' date the
 * data cannot tell (it knows its joining only within a window holding that date). The officer
 * settles it in the category_override column; until then nv generate refuses (the other commands
 * work, counting the State in its category as if it had not joined yet, and say so).
 */
export const UNCERTAIN = 'uncertain';

export interface Recipient {
  /** ISO3 code for a State; the code given in the file for an organization. */
  code: string;
  /** UN short name, e.g. "Côte d'Ivoire". */
  name: string;
  /** The name in running text, e.g. "the Bahamas". */
  inText: string;
  category: Category;
  /** Who the note is addressed to: "Permanent Representative of Austria to the United Nations (Vienna)". */
  addressee: string;
  language: string;
  /** E-mail domains its replies come from. */
  domains: string[];
  /** The addresses its notes are sent to (`email`), and copied to (`cc`); empty when none is known. */
  email: string[];
  cc: string[];
  /** Line of recipients.csv, for messages. */
  line: number;
  /**
   * Set while recipients.csv leaves the category `uncertain`: the sentence naming the State and
   * how to settle it. nv generate refuses with it; `category` is then the State's category if it
   * had not yet joined the convention on the notes' date.
   */
  unsettled?: string;
}

/** The columns of recipients.csv, in the order nv init writes them. */
export const COLUMNS = [
  'state',
  'name',
  'category',
  'category_override',
  'category_note',
  'addressee',
  'language',
  'domains',
  'email',
  'cc',
] as const;

const STATE_EMPTY = 'the state is empty; write its ISO3 code (AUT) or UN name (Austria)';
const ADDRESSEE_EMPTY =
  'the addressee is empty; write e.g. "Permanent Representative of Austria to the United Nations (Vienna)"';

const row = z.strictObject({
  // Empty cells are left out of the row, so "missing" is how an empty cell shows.
  state: z.string({ message: STATE_EMPTY }).min(1, STATE_EMPTY),
  name: z.string().optional(),
  category: z.enum([...CATEGORIES, UNCERTAIN], {
    message: `the category must be one of ${CATEGORIES.join(', ')}`,
  }),
  /** The officer's category, which wins over the one nv computed from the data. */
  category_override: z
    .enum(CATEGORIES, {
      message: `the category_override must be one of ${CATEGORIES.join(', ')}, or empty to keep the category`,
    })
    .optional(),
  /** Why nv could not tell the category (written by nv init), or the officer's own note. */
  category_note: z.string().optional(),
  addressee: z.string({ message: ADDRESSEE_EMPTY }).min(1, ADDRESSEE_EMPTY),
  language: z
    .string()
    .regex(/^[a-z]{2}$/, 'the language must be a two-letter code such as en, fr, es')
    .optional(),
  domains: z.string().optional(),
  email: z.string().optional(),
  cc: z.string().optional(),
});

/**
 * The addresses of an email or cc cell, each an RFC 5322 addr-spec; a problem for each that is not,
 * at `file:line:column` (the column counted as a spreadsheet does, from 1).
 */
function addresses(
  cell: string | undefined,
  where: { file: string; line: number; column: number; name: string },
  problems: string[],
): string[] {
  const list = splitAddresses(cell ?? '');
  for (const a of list)
    if (!isAddrSpec(a))
      problems.push(
        `${where.file}:${where.line}:${where.column}: "${a}" in the ${where.name} column is not an e-mail address; write one address such as registry@mission.example.org (no name, no angle brackets), several separated by ";".`,
      );
  return list;
}

/**
 * Parses recipients.csv. Every problem is reported as `file:line: what is wrong, what to write`,
 * all of them at once.
 */
/** Its category on the date if it had not joined yet (an uncertain joining counts as not yet). */
function categoryUntilSettled(code: string, asAt?: { convention: Convention; date: string }): Category {
  const st = asAt && findState(code) ? treatyStatusOn(code, asAt.convention, asAt.date).status : 'neither';
  return st === 'neither' ? 'observer' : st;
}

/**
 * Reads recipients.csv; every problem at once. `asAt` (the workspace's convention and notes'
 * date) gives an unsettled State the category it has until the officer settles it.
 */
export function parseRecipients(
  text: string,
  file: string,
  defaultLanguage: string,
  asAt?: { convention: Convention; date: string },
): Recipient[] {
  const bytes = Buffer.from(text.replace(/^\uFEFF/, ''), 'utf8');
  // Excel in a French or German locale saves "CSV" with semicolons: the header line says which.
  const headerLine = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/, 1)[0] ?? '';
  const delimiter = headerLine.includes(',') ? ',' : (['\t', ';'].find((d) => headerLine.includes(d)) ?? ',');
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(bytes, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (e) {
    throw new UserError(
      `${file}: cannot be read as CSV (${(e as Error).message}); save it as comma-separated UTF-8.`,
    );
  }
  const [head, ...body] = records;
  if (!head)
    throw new UserError(
      `${file} is empty; write a header line "${COLUMNS.filter((c) => !c.startsWith('category_')).join(',')}" and one line per recipient.`,
    );
  const header = head.record.map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !(COLUMNS as readonly string[]).includes(h));
  const problems: string[] = [];
  if (unknown.length)
    problems.push(
      `${file}:1: unknown column(s) ${unknown.join(', ')}; the columns are ${COLUMNS.join(', ')}.`,
    );
  for (const need of ['state', 'category', 'addressee']) {
    if (!header.includes(need))
      problems.push(`${file}:1: the column "${need}" is missing; add it to the header line.`);
  }
  if (problems.length) throw new UserError(problems[0]!, { details: problems.slice(1) });

  const out: Recipient[] = [];
  const seen = new Map<string, number>();
  // The line where each record starts, counted from the byte where the record before it ended
  // (csv-parse's own line count skips blank lines and miscounts CRLF inside quotes).
  let pos = 0;
  let lineNo = 1;
  const advance = (to: number) => {
    for (; pos < to; pos++) {
      const b = bytes[pos];
      if (b === 0x0a || (b === 0x0d && bytes[pos + 1] !== 0x0a)) lineNo++;
    }
  };
  let prevEnd = head.info.bytes;
  for (const { record, info } of body) {
    advance(prevEnd);
    while (bytes[pos] === 0x0a || bytes[pos] === 0x0d) advance(pos + 1);
    const line = lineNo;
    prevEnd = info.bytes;
    const obj: Record<string, string> = {};
    header.forEach((h, i) => {
      const v = (record[i] ?? '').trim();
      if (v !== '' && !unknown.includes(h)) obj[h] = v;
    });
    const parsed = row.safeParse(obj);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${file}:${line}: ${issue.message}.`);
      continue;
    }
    const r = parsed.data;
    const before = problems.length;
    const email = addresses(
      r.email,
      { file, line, column: header.indexOf('email') + 1, name: 'email' },
      problems,
    );
    const cc = addresses(r.cc, { file, line, column: header.indexOf('cc') + 1, name: 'cc' }, problems);
    if (problems.length > before) continue;
    const category = r.category_override ?? r.category;
    let code: string;
    let name: string;
    let inText: string;
    if (category === 'organization') {
      code = r.state;
      name = r.name ?? r.state;
      inText = name;
    } else {
      const st = findState(r.state);
      if (!st) {
        const near = suggestStates(r.state).map((s) => `${s.iso3} (${s.name})`);
        problems.push(
          `${file}:${line}: "${r.state}" is not a UN Member or observer State; write its ISO3 code or UN name${near.length ? `, e.g. ${near.join(', ')}` : ''}.`,
        );
        continue;
      }
      code = st.iso3;
      name = r.name ?? st.name;
      // A UN name, today's or a former one (as `nv init` writes it for the notes' date), keeps its
      // running-text form: "the Bahamas", "the Netherlands", "the Czech Republic"; another name
      // stands as written.
      inText = nameInText(st, name) ?? name;
    }
    const unsettled =
      category === UNCERTAIN
        ? `${file}:${line}: the category of ${name} (${code}) is uncertain${r.category_note ? ` (${r.category_note.replace(/\.$/, '')})` : ''}; settle it: write party, signatory or observer in its category_override column.`
        : undefined;
    const dup = seen.get(code);
    if (dup !== undefined) {
      problems.push(
        `${file}:${line}: ${name} is already listed on line ${dup}; keep one line per recipient.`,
      );
      continue;
    }
    seen.set(code, line);
    out.push({
      code,
      name,
      inText,
      category: category === UNCERTAIN ? categoryUntilSettled(code, asAt) : category,
      ...(unsettled ? { unsettled } : {}),
      addressee: r.addressee,
      language: r.language ?? defaultLanguage,
      domains: (r.domains ?? '')
        .split(/[\s;,]+/)
        .map((d) => d.toLowerCase())
        .filter(Boolean),
      email,
      cc,
      line,
    });
  }
  if (problems.length) throw new UserError(problems[0]!, { details: problems.slice(1) });
  if (out.length === 0)
    throw new UserError(`${file} lists no recipient; add one line per invited Government.`);
  return out;
}

/** The addressee line nv writes for a State: its Permanent Representative (or Observer) in Vienna. */
export function defaultAddressee(inText: string, unMember: boolean, city = 'Vienna'): string {
  const role = unMember ? 'Permanent Representative' : 'Permanent Observer';
  return `${role} of ${inText} to the United Nations (${city})`;
}

/** The recipient a user names by ISO3 code or UN name (any UN language), if it is invited. */
export function findRecipient(recipients: readonly Recipient[], query: string): Recipient | undefined {
  const code = findState(query)?.iso3 ?? query.trim().toUpperCase();
  return (
    recipients.find((r) => r.code === code) ??
    recipients.find((r) => r.name.toLowerCase() === query.trim().toLowerCase())
  );
}
