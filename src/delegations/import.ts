import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { readInput } from '../files.js';
import { gatherPaths } from '../replies/ingest.js';
import { UserError } from '../errors.js';
import { sha256 } from '../files.js';
import { findState } from '../states/index.js';
import type { Actor } from '../audit.js';
import type { NewDelegationList } from './lists.js';
import type { ArchiveStore, DelegationRegister, ReplyRegister } from '../storage/register.js';
import type { Workspace } from '../workspace/load.js';
import { DEFAULT_LIST_BUDGETS, type ListBudgets } from './budgets.js';
import type { MeetingOption } from './meetings.js';
import { overBytes, parseDelegationCsv, refuseOnProblems, type DelegationParseResult } from './parse.js';
import { byPosition, formatProblem } from './problems.js';
import { DELEGATION_RULES, runRules } from '../rules/index.js';
import type { ParticipantRow } from './schema.js';
import { isXlsx, xlsxToCsv, type SheetCsv } from './spreadsheet.js';

/** A file to import: from the command line, or a CSV or XLSX a reply carried. */
export interface DelegationSource {
  /** As shown in messages (`file:line:column`). */
  file: string;
  /** Where to read it: a list is read only when its size is within the budget. */
  path: string;
  replyId: number | null;
  /** The State of rows without one: --state, or the reply's State. */
  state: string | undefined;
}

/**
 * One list read and checked: its bytes (within the bytes budget) parsed as CSV, or first turned
 * into CSV when they are a workbook. A list that cannot be read at all is a refusal of its own.
 */
async function readList(
  src: DelegationSource,
  parse: (bytes: Uint8Array, file: string, sheet?: SheetCsv) => DelegationParseResult,
  budgets: ListBudgets,
): Promise<{ parsed: DelegationParseResult; bytes: Uint8Array; from?: 'xlsx' }> {
  let size = 0;
  try {
    size = statSync(src.path).size;
  } catch {
    // readInput says why it cannot be read
  }
  if (size > budgets.bytes) return { parsed: overBytes(size, src.file, budgets), bytes: new Uint8Array() };
  const bytes = readInput(src.path, src.file);
  if (!isXlsx(bytes)) return { parsed: parse(bytes, src.file), bytes };
  const sheet = await xlsxToCsv(bytes, src.file, budgets);
  if ('problem' in sheet)
    return { parsed: { ...overBytes(0, src.file, budgets), problems: [sheet.problem] }, bytes };
  return { parsed: parse(sheet.csv, src.file, sheet), bytes, from: 'xlsx' };
}

export interface ImportReport {
  file: string;
  state: string;
  participants: number;
  list: number;
  /** The list this one replaced (kept in history), if any. */
  replaced: number | null;
  /** The same file was imported for this State already: nothing changed. */
  unchanged: boolean;
  encoding: string;
  /** The encoding was detected, not certain: "assumed windows-1251". */
  assumed: boolean;
  /** When assumed: the encodings tried and why this one was taken (nv guessed, and says so). */
  guess: { candidates: string[]; reason: string } | null;
  delimiter: string;
  warnings: string[];
  /** Invalid rows left out with --skip-invalid. */
  skipped: string[];
}

/** A list that was not imported, with every reason at its `file:line:column`. */
export interface ImportRefusal {
  file: string;
  message: string;
  details: string[];
  hint: string | null;
}

export function meetingOptions(ws: Workspace): MeetingOption[] {
  return ws.config.meeting.meetings.map((m) => ({ key: m.key, names: [m.key, m.name, ...m.aliases] }));
}

/** An invited State named in a file (ISO3, UN name, or the name recipients.csv gives it). */
export function stateResolver(ws: Workspace): (name: string) => string | undefined {
  const invited = new Map(ws.recipients.map((r) => [r.code, r.code]));
  for (const r of ws.recipients) invited.set(r.name.toLowerCase(), r.code);
  return (name) => {
    const st = findState(name);
    if (st && invited.has(st.iso3)) return st.iso3;
    return invited.get(name.trim().toLowerCase()) ?? invited.get(name.trim().toUpperCase());
  };
}

/** CSV delegation lists the replies carried (documents of class `data`), for `--replies` / `--reply ID`. */
/** What finding the lists replies carried needs of the register: the replies, and the archive. */
export type ReplySourcesRegister = Pick<ReplyRegister, 'listReplies' | 'getReply'> & {
  readonly archive: ArchiveStore;
};

export async function replySources(
  register: ReplySourcesRegister,
  replyId?: number,
): Promise<{ sources: DelegationSource[]; notes: string[] }> {
  const sources: DelegationSource[] = [];
  const notes: string[] = [];
  const replies =
    replyId === undefined
      ? await register.listReplies()
      : [await register.getReply(replyId)].filter((r) => r !== undefined);
  if (replyId !== undefined && replies.length === 0)
    throw new UserError(`There is no reply ${replyId}; "nv reply list" shows the replies.`);
  const removed = replies.find((r) => r.removedAt !== null);
  if (removed)
    throw new UserError(
      `Reply ${removed.id} was removed (by ${removed.removedBy}: ${removed.removedReason}); a removed reply’s lists are not imported.`,
      {
        hint: 'Import the file itself with --state if the list is wanted: nv delegation import FILE --state STATE.',
      },
    );
  for (const r of replies) {
    for (const d of r.documents.filter((x) => x.class === 'data')) {
      const label = `reply ${r.id}: ${d.name ?? '(no name)'}`;
      if (d.fileKind !== 'csv' && d.fileKind !== 'xlsx') {
        notes.push(
          `${label} is a spreadsheet (${d.fileKind}) that nv cannot read; save it as XLSX or CSV and import that file.`,
        );
        continue;
      }
      if (!r.state) {
        notes.push(
          `${label} is from a reply whose State is not known; set it (nv reply set ${r.id} --state …) first.`,
        );
        continue;
      }
      sources.push({
        file: label,
        path: await register.archive.localPath(d.sha256),
        replyId: r.id,
        state: r.state,
      });
    }
  }
  if (replyId !== undefined && sources.length === 0 && notes.length === 0)
    throw new UserError(`Reply ${replyId} carries no delegation list (no CSV or XLSX attachment).`);
  return { sources, notes };
}

/**
 * The lists to import: the files named (folders read recursively), and the CSV or XLSX lists
 * that one reply (`reply`) or every reply (`replies`) carried. `state` is the State of rows
 * without one. Notes say what a reply carried that cannot be imported.
 */
export async function gatherSources(
  register: ReplySourcesRegister,
  opts: { files: string[]; cwd: string; state?: string; reply?: string; replies?: boolean },
): Promise<{ sources: DelegationSource[]; notes: string[] }> {
  const walked = opts.files.length ? gatherPaths(opts.cwd, opts.files) : { files: [], skipped: [] };
  const sources: DelegationSource[] = walked.files.map((f) => {
    const file = relative(opts.cwd, f) || f;
    return { file, path: f, replyId: null, state: opts.state };
  });
  // Links out of the folder, loops, unreadable folders: said, as nv ingest says them.
  const notes: string[] = walked.skipped.map(
    (s) => `skipped ${relative(opts.cwd, s.path) || s.path}: ${s.reason}`,
  );
  if (opts.reply !== undefined || opts.replies) {
    if (opts.reply !== undefined && !/^\d+$/.test(opts.reply))
      throw new UserError(`--reply ${opts.reply} is not a reply number; "nv reply list" shows them.`);
    const r = await replySources(register, opts.reply !== undefined ? Number(opts.reply) : undefined);
    sources.push(...r.sources.map((s) => ({ ...s, state: opts.state ?? s.state })));
    notes.push(...r.notes);
  }
  if (sources.length === 0 && notes.length === 0)
    throw new UserError('Name the CSV or XLSX files to import, or --reply ID, or --replies.');
  return { sources, notes };
}

/**
 * Imports delegation lists. Each list is its own unit: it is read and checked whole; a list with
 * problems (or over a budget) is refused with every problem as `file:line:column: message` (or,
 * with skipInvalid, its valid rows are kept and the others listed), and the other lists go on.
 * The lists that pass are recorded in one transaction, each replacing its State's previous list
 * (kept in history). When every list is refused, UserError (nothing was imported).
 */
export async function importDelegations(
  ws: Workspace,
  register: Pick<DelegationRegister, 'importDelegations'>,
  sources: DelegationSource[],
  opts: { skipInvalid?: boolean; budgets?: ListBudgets },
  actor: Actor,
): Promise<{ imported: ImportReport[]; refused: ImportRefusal[] }> {
  const meetings = meetingOptions(ws);
  const resolveState = stateResolver(ws);
  const budgets = opts.budgets ?? DEFAULT_LIST_BUDGETS;
  const lists: { list: NewDelegationList; report: Omit<ImportReport, 'list' | 'replaced' | 'unchanged'> }[] =
    [];
  const refused: ImportRefusal[] = [];
  const refuse = (file: string, e: UserError) =>
    refused.push({ file, message: e.message, details: e.details, hint: e.hint ?? null });
  for (const src of sources) {
    let read;
    let kept;
    try {
      read = await readList(
        src,
        (bytes, file, sheet) =>
          parseDelegationCsv(bytes, {
            file,
            meetings,
            defaultState: src.state,
            resolveState,
            budgets,
            sheet,
          }),
        budgets,
      );
      kept = refuseOnProblems(read.parsed, opts);
    } catch (e) {
      if (e instanceof UserError) {
        // All at once: with the file's own problems, what the delegation rules will find in its
        // valid rows (a missing e-mail on line 5 as well as the invalid one on line 7).
        const found = read ? ruleFindings(ws, read.parsed.rows) : [];
        refuse(
          src.file,
          found.length === 0 || !read
            ? e
            : new UserError(recount(e.message, read.parsed.problems.length, found), {
                ...(e.hint ? { hint: e.hint } : {}),
                details: [
                  ...read.parsed.problems.map((p) => ({ ...p, text: formatProblem(src.file, p) })),
                  ...found.map((f) => ({ ...f, text: formatProblem(src.file, f) })),
                ]
                  .sort(byPosition)
                  .map((p) => p.text),
              }),
        );
        continue;
      }
      throw e;
    }
    const { parsed, bytes, from } = read;
    if (kept.rows.length === 0) {
      refuse(src.file, new UserError(`${src.file} lists no participant; nothing was imported.`));
      continue;
    }
    // A reply's list is the list of the State that sent it: a row for another State would replace
    // that State's own list from a reply it never sent.
    const foreign = src.replyId !== null ? kept.rows.filter((r) => r.state !== src.state) : [];
    if (foreign.length) {
      refuse(
        src.file,
        new UserError(
          `${src.file} came with reply ${src.replyId} from ${src.state}, but ${foreign.length === 1 ? 'a row names' : `${foreign.length} rows name`} another State; nothing was imported.`,
          {
            details: foreign.map((r) =>
              formatProblem(src.file, {
                line: r.line,
                column: 1,
                message: `this row is for ${r.state}, not ${src.state}`,
              }),
            ),
            hint: `If the reply is from another State, set it (nv reply set ${src.replyId} --state …); otherwise ask ${src.state} for its own list.`,
          },
        ),
      );
      continue;
    }
    const byState = new Map<string, typeof kept.rows>();
    for (const row of kept.rows) {
      const rows = byState.get(row.state);
      if (rows) rows.push(row);
      else byState.set(row.state, [row]);
    }
    const warnings = parsed.warnings.map((w) => formatProblem(src.file, w));
    for (const [state, rows] of byState) {
      lists.push({
        list: {
          state,
          replyId: src.replyId,
          // The same file for two States is two lists: the State is part of what is hashed.
          sha256: sha256(Buffer.concat([Buffer.from(`${state}\n`), Buffer.from(bytes)])),
          sourceName: src.file,
          encoding: from ?? parsed.encoding,
          delimiter: parsed.delimiter,
          warnings,
          participants: rows.map(({ state: _s, ...p }) => p),
        },
        report: {
          file: src.file,
          state,
          participants: rows.length,
          encoding: from ?? parsed.encoding,
          assumed: from ? false : parsed.assumed,
          guess: (!from && parsed.guess) || null,
          delimiter: parsed.delimiter,
          warnings,
          skipped: kept.skipped,
        },
      });
    }
  }
  if (lists.length === 0 && refused.length > 0) {
    const first = refused[0]!;
    const details = refused.flatMap((r, i) => (i === 0 ? r.details : [r.message, ...r.details]));
    throw new UserError(
      refused.length > 1 ? `${refused.length} files have problems; nothing was imported.` : first.message,
      {
        details: refused.length > 1 ? [first.message, ...details] : details,
        ...(first.hint ? { hint: first.hint } : {}),
      },
    );
  }
  const done = await register.importDelegations(
    lists.map((l) => l.list),
    actor,
  );
  return {
    imported: lists.map((l, i) => ({
      ...l.report,
      list: done[i]!.list.id,
      replaced: done[i]!.replaced,
      unchanged: done[i]!.unchanged,
    })),
    refused,
  };
}

/**
 * What the delegation rules (delegation-contact, meeting-choice, head-of-delegation,
 * duplicate-participant) will find in these rows once imported, at each participant's line, so
 * that a refused list names every problem in one pass. Rules turned off in nv.yaml are left out.
 */
/** The refusal's sentence counts what it lists: the file's problems and the rules' errors (warnings apart). */
function recount(message: string, problems: number, found: readonly { message: string }[]): string {
  const n = problems + found.filter((f) => !f.message.startsWith('warning: ')).length;
  const w = found.length - (n - problems);
  return message.replace(
    /has \d+ problems?;/u,
    `has ${n} problem${n === 1 ? '' : 's'}${w ? ` and ${w} warning${w === 1 ? '' : 's'}` : ''};`,
  );
}

function ruleFindings(
  ws: Workspace,
  rows: readonly ParticipantRow[],
): { line: number; column: number; message: string }[] {
  const byState = new Map<string, ParticipantRow[]>();
  for (const r of rows) {
    const list = byState.get(r.state);
    if (list) list.push(r);
    else byState.set(r.state, [r]);
  }
  const lines: number[] = [];
  const delegations = [...byState].map(([state, people], i) => ({
    id: -(i + 1),
    state,
    replyId: null,
    sha256: '',
    sourceName: null,
    encoding: '',
    delimiter: '',
    warnings: [],
    importedAt: '',
    supersededBy: null,
    participants: people.map(({ state: _s, ...p }, position) => {
      lines.push(p.line);
      return { ...p, id: lines.length - 1, listId: -(i + 1), position: position + 1 };
    }),
  }));
  const findings = runRules(
    {
      config: ws.config,
      recipients: ws.recipients,
      sent: [],
      replies: [],
      delegations,
      referenceOf: () => '',
    },
    ws.config.rules,
  ).filter((f) => DELEGATION_RULES.has(f.rule));
  return findings.map((f) => ({
    line: f.participant !== null ? (lines[f.participant] ?? 1) : (rows[0]?.line ?? 1),
    column: 1,
    message: `${f.severity === 'warning' ? 'warning: ' : ''}${f.message} (rule ${f.rule}; ${f.fix})`,
  }));
}
