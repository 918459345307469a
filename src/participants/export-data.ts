import { PERSON_FIELDS } from '../participant-fields.js';
import type { StatusReport } from '../replies/status.js';
import type { ConsolidatedList } from './consolidate.js';
import { toSafeCsv } from './csv-safe.js';

/** Where the participant stands, then every field of the participant table, then where it came from. */
const PARTICIPANT_COLUMNS = [
  'category',
  'state',
  'state_name',
  'order',
  'head_of_delegation',
  ...PERSON_FIELDS.map((f) => f.column),
  'list_id',
  'reply_id',
];

/**
 * The list as CSV, every field, one row per participant in the order of the list. Safe to open
 * in Excel and LibreOffice: a cell that would run as a formula (=, +, -, @…) starts with an
 * invisible WORD JOINER (U+2060), so "+43 1 26060 5841" shows as written and never computes.
 */
export function participantsCsv(list: ConsolidatedList): string {
  const rows: string[][] = [];
  for (const s of list.sections)
    for (const d of s.delegations)
      d.participants.forEach((p, i) =>
        rows.push([
          s.category,
          d.state,
          d.name,
          String(i + 1),
          p.head ? 'yes' : 'no',
          ...PERSON_FIELDS.map((f) => {
            const v = p[f.key];
            return Array.isArray(v) ? v.join(';') : v;
          }),
          String(d.listId),
          d.replyId === null ? '' : String(d.replyId),
        ]),
      );
  return toSafeCsv(PARTICIPANT_COLUMNS, rows);
}

export function participantsJson(list: ConsolidatedList): string {
  return JSON.stringify(list, null, 2) + '\n';
}

const STATUS_COLUMNS = [
  'state',
  'name',
  'category',
  'notes',
  'status',
  'reply_id',
  'received_at',
  'channel',
  'classes',
  'replies',
  'participants',
  'open_findings',
] as const;

/** The table of `nv status`, for the secretariat's reporting. */
export function statusCsv(report: StatusReport): string {
  return toSafeCsv(
    STATUS_COLUMNS,
    report.rows.map((r) => [
      r.state,
      r.name,
      r.category,
      r.notes.map((n) => n.reference).join('; '),
      r.status,
      r.reply ? String(r.reply.id) : '',
      r.reply?.receivedAt ?? '',
      r.reply?.channel ?? '',
      r.reply?.classes.join(';') ?? '',
      String(r.replies),
      String(r.participants),
      String(r.findings),
    ]),
  );
}

export function statusJson(report: StatusReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
