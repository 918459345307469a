import { UserError } from '../errors.js';
import { DEFAULT_LIST_BUDGETS, overBudget, type ListBudgets } from './budgets.js';
import { checkColumns, columnsByField, findHeader, mapColumns, type ColumnInfo } from './columns.js';
import { decodeText, type TextEncodingName } from './decode.js';
import {
  exampleHeaders,
  FIELDS,
  isFamilyFirstHeader,
  isFormulaError,
  matchHeader,
  type Field,
} from './headers.js';
import { normaliseHonorific } from './honorific.js';
import type { MeetingOption } from './meetings.js';
import { byPosition, formatProblem, type Problem, type Warning } from './problems.js';
import { readRecords, swallowingValue, type RawRecord } from './records.js';
import { rowSchema, type ParticipantRow, type RowCells } from './schema.js';
import type { SheetCsv } from './spreadsheet.js';
import { excelSeparatorLine, sniffDelimiter, type Delimiter } from './sniff.js';

export interface DelegationParseResult {
  file: string;
  encoding: TextEncodingName;
  /** The encoding was detected, not declared by a BOM nor proved by valid UTF-8: say "assumed …". */
  assumed: boolean;
  /** When the encoding was assumed: the encodings tried and why this one was taken. */
  guess?: { candidates: string[]; reason: string } | undefined;
  delimiter: Delimiter;
  /** Line of the header record; undefined when none was found. */
  headerLine: number | undefined;
  columns: ColumnInfo[];
  /** Columns nv does not read (their values are not imported); each is also in `warnings`. */
  unknownColumns: { column: number; header: string }[];
  /** The valid participants, in the order of the file. */
  rows: ParticipantRow[];
  /** Every problem, by line and column. A file with problems is refused (see refuseOnProblems). */
  problems: Problem[];
  warnings: Warning[];
}

export interface ParseOptions {
  /** The name shown in messages (`file:line:column`). */
  file: string;
  /** The meetings of nv.yaml that participants can attend. */
  meetings: readonly MeetingOption[];
  /** The State of rows without one (`--state`). */
  defaultState?: string | undefined;
  /**
   * Maps a State as written to the invited State it names (e.g. its ISO3 code); undefined when
   * it was not invited. Without it, States are kept as written (the known-state rule checks them).
   */
  resolveState?: ((name: string) => string | undefined) | undefined;
  /** What the list may hold (rows, values, line length, bytes); the defaults when not given. */
  budgets?: ListBudgets | undefined;
  /** For a list read from a workbook: its merged ranges and the cells that show a formula error. */
  sheet?: Pick<SheetCsv, 'merges' | 'errors'> | undefined;
}

/**
 * Reads a delegation list: decodes the bytes, finds the delimiter and the header row, maps the
 * columns, and validates every record with the row schema. Never throws for what is inside the
 * file: every problem is in `problems` with its line and column, every valid participant in
 * `rows`. Throws UserError only when the bytes are not text at all (see decodeText).
 *
 * Meetings: a participant's meetings come from the meetings column ("both", "UNCAC; UNTOC",
 * "les deux"…) and from columns named after a meeting (x / yes). When there is one meeting,
 * an empty cell means that meeting. With several, an empty cell is not taken as "all" (a guess
 * that would put people on the list of a meeting they may not attend): the participant is kept
 * with no meeting and a warning, and the meeting-choice rule reports it until the Government
 * says which.
 *
 * Missing e-mail addresses and titles are warnings here, not problems: the list is kept, and the
 * delegation-contact rule reports them. A malformed e-mail address is a problem.
 */
export function parseDelegationCsv(bytes: Uint8Array, options: ParseOptions): DelegationParseResult {
  const budgets = options.budgets ?? DEFAULT_LIST_BUDGETS;
  if (bytes.byteLength > budgets.bytes) return overBytes(bytes.byteLength, options.file, budgets);
  const decoded = decodeText(bytes, { file: options.file });
  let text = decoded.text;
  const sep = excelSeparatorLine(text);
  // Drop the `sep=;` line's text but keep its line break, so that line numbers stay true.
  if (sep) text = text.slice(sep.length);
  const delimiter = sep?.delimiter ?? sniffDelimiter(text);
  const result: DelegationParseResult = {
    file: options.file,
    encoding: decoded.encoding,
    assumed: decoded.assumed,
    guess: decoded.guess,
    delimiter,
    headerLine: undefined,
    columns: [],
    unknownColumns: [],
    rows: [],
    problems: [],
    warnings: [],
  };
  readList(text, { ...options, budgets }, result);
  result.problems.sort(byPosition);
  result.warnings.sort(byPosition);
  return result;
}

/** A list refused unread for its size. */
export function overBytes(size: number, file: string, budgets: ListBudgets): DelegationParseResult {
  return {
    file,
    encoding: 'utf-8',
    assumed: false,
    delimiter: ',',
    headerLine: undefined,
    columns: [],
    unknownColumns: [],
    rows: [],
    problems: [
      {
        line: 1,
        column: 1,
        scope: 'file',
        message: overBudget('bytes', budgets, `the file has ${size.toLocaleString('en-US')} bytes`),
      },
    ],
    warnings: [],
  };
}

function readList(
  text: string,
  options: ParseOptions & { budgets: ListBudgets },
  result: DelegationParseResult,
): void {
  const { records, failure } = readRecords(text, result.delimiter, options.budgets);
  if (failure?.code === 'BUDGET') {
    result.problems.push({ line: failure.line, column: 1, scope: 'file', message: failure.message ?? '' });
    return;
  }
  if (failure) {
    result.problems.push({
      line: failure.line,
      column: failure.column,
      scope: 'file',
      message:
        failure.code === 'CSV_QUOTE_NOT_CLOSED'
          ? 'a quote opened in this value is never closed, so the rest of the file was read as one value: close the quote (a quote inside a quoted value is written twice: "")'
          : `the file cannot be read as CSV here (${failure.code})`,
    });
  }
  const nonBlank = records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const first = nonBlank[0];
  if (!first) {
    if (!failure)
      result.problems.push({
        line: 1,
        column: 1,
        scope: 'file',
        message: 'the file holds no list: it is empty',
      });
    return;
  }

  const headerIndex = findHeader(nonBlank, options.meetings);
  if (headerIndex === -1) {
    const expected = [
      ...exampleHeaders('family_name', 2),
      ...exampleHeaders('given_name', 1),
      ...exampleHeaders('email', 1),
    ];
    const found = first.cells.slice(0, 4).map((c) => `"${c.trim()}"`);
    result.problems.push({
      line: first.line,
      column: 1,
      scope: 'file',
      message: `no header row: the first lines name none of the columns nv reads (such as ${expected.map((h) => `"${h}"`).join(', ')}); found ${found.join(', ')}`,
    });
    return;
  }
  for (const above of nonBlank.slice(0, headerIndex)) {
    result.warnings.push({
      line: above.line,
      column: 1,
      message: 'this line is above the header row: it was not read',
    });
  }
  const top = nonBlank[headerIndex] as RawRecord;
  const sub = nonBlank[headerIndex + 1];
  // A two-level header (`Name` over `First name | Last name`, `Contact` over `E-mail | Telephone`):
  // the row under the header names columns too; the two are read as one.
  const twoLevel = sub !== undefined && looksLikeHeader(sub.cells);
  const header = twoLevel ? combineHeaders(top, sub) : top;
  const data = nonBlank.slice(headerIndex + (twoLevel ? 2 : 1));
  result.headerLine = header.line;
  if (twoLevel)
    result.warnings.push({
      line: top.line,
      column: 1,
      message: `lines ${top.line} and ${header.line} are read as one two-level header (${header.cells
        .filter((c) => c !== '')
        .map((c) => `"${c}"`)
        .join(', ')})`,
    });
  header.cells.forEach((c, i) => {
    if (isFormulaError(c))
      result.problems.push({
        line: header.line,
        column: i + 1,
        scope: 'file',
        message: `the cell shows the formula error ${c.trim()} where a column's name should be: type the name (e.g. "Given name") in the sheet and save it again`,
      });
  });
  result.columns = mapColumns(header.cells, data, options.meetings);
  const checked = checkColumns(result.columns, data, header.line, options);
  result.problems.push(...checked.problems);
  result.warnings.push(...checked.warnings);
  result.unknownColumns = checked.unknownColumns;
  // Without the right columns no record can be read: stop at the header's problems.
  if (checked.problems.length > 0) return;
  if (data.length === 0) {
    if (!failure)
      result.problems.push({
        line: header.line,
        column: 1,
        scope: 'file',
        message: 'the file has a header but no participants',
      });
    return;
  }

  const readRow = rowReader(result.columns, header.cells.length, result.delimiter, options);
  for (const record of data) {
    if (looksLikeHeader(record.cells)) {
      // A header value is never a participant: a header repeated, or a third header line.
      result.problems.push({
        line: record.line,
        column: 1,
        scope: 'row',
        message: `this line holds column names (${record.cells
          .filter((c) => matchHeader(c.trim()) !== undefined)
          .slice(0, 4)
          .map((c) => `"${c.trim()}"`)
          .join(', ')}), not a participant: remove it, or make the header one or two lines`,
      });
      continue;
    }
    const read = readRow(record);
    result.problems.push(...read.problems);
    result.warnings.push(...read.warnings);
    if (read.row) result.rows.push(read.row);
  }
}

/**
 * Whether a record names columns rather than a person: at least two of its values are header
 * names nv knows, and they are at least half of its values.
 */
function looksLikeHeader(cells: readonly string[]): boolean {
  const values = cells.map((c) => c.trim()).filter((c) => c !== '');
  const named = values.filter((c) => matchHeader(c) !== undefined).length;
  return named >= 2 && named * 2 >= values.length;
}

/**
 * One header from two lines. Under a merged cell the upper label stands in its first column only
 * (the others are empty): it carries to the right until the next label. A column takes its lower
 * label when nv knows it; else its upper label when that one is known and nothing is below
 * ("Role" over an empty cell); else both, as written ("Contact Fax").
 */
function combineHeaders(top: RawRecord, sub: RawRecord): RawRecord {
  const width = Math.max(top.cells.length, sub.cells.length);
  const cells: string[] = [];
  let above = '';
  for (let i = 0; i < width; i++) {
    const t = (top.cells[i] ?? '').trim();
    const b = (sub.cells[i] ?? '').trim();
    if (t !== '') above = t;
    const upper = t !== '' ? t : b === '' ? '' : above;
    if (b !== '' && matchHeader(b) !== undefined) cells.push(b);
    else if (b === '') cells.push(t);
    else cells.push([upper, b].filter((x) => x !== '').join(' '));
  }
  return { cells, line: sub.line, lastLine: sub.lastLine };
}

/** Validates records against the columns: the row, or the problems that keep it out. */
function rowReader(
  columns: readonly ColumnInfo[],
  width: number,
  delimiter: Delimiter,
  options: ParseOptions,
) {
  const byField = columnsByField(columns);
  const columnOf = (field: string) => byField.get(field)?.[0];
  const nameColumn = columnOf('family_name') ?? columnOf('full_name') ?? columnOf('given_name') ?? 1;
  const fullNameHeader = columns.find((c) => c.field === 'full_name')?.header;
  const schema = rowSchema({
    meetings: options.meetings,
    defaultState: options.defaultState,
    resolveState: options.resolveState,
    nameOrder: fullNameHeader !== undefined && isFamilyFirstHeader(fullNameHeader) ? 'family-first' : 'auto',
  });

  return (record: RawRecord): { row?: ParticipantRow; problems: Problem[]; warnings: Warning[] } => {
    const { line } = record;
    const problems: Problem[] = [];
    const warnings: Warning[] = [];
    const problem = (column: number, message: string, scope: Problem['scope'] = 'row') =>
      problems.push({ line, column, message, scope });

    const swallowing = swallowingValue(record, width, delimiter);
    if (swallowing !== undefined) {
      problem(
        swallowing + 1,
        `the quote that opens this value (column "${columns[swallowing]?.header ?? ''}") is closed only on line ${record.lastLine}, so lines ${line}–${record.lastLine} were read as one value: close the quote where the value ends`,
        'file',
      );
      return { problems, warnings };
    }
    const extra = record.cells.slice(width).findIndex((c) => c.trim() !== '');
    if (extra !== -1) {
      const shown = delimiter === '\t' ? 'tab' : delimiter;
      problem(
        width + extra + 1,
        `this record has ${record.cells.length} values but the header has ${width} columns: a value that contains "${shown}" must be in quotes`,
      );
      return { problems, warnings };
    }
    // A sheet stores no cell for an empty one: a row whose last cells are empty is whole there.
    if (record.cells.length < width && !options.sheet) {
      const n = record.cells.length;
      problem(
        n,
        `this record has ${n} value${n === 1 ? '' : 's'} but the header has ${width} columns: a value with a line break must be in quotes`,
      );
      return { problems, warnings };
    }

    record.cells.forEach((c, i) => {
      if (i < width && columns[i]?.field && isFormulaError(c))
        problem(
          i + 1,
          `the cell shows the formula error ${c.trim()}, not a value (column "${columns[i]?.header ?? ''}"): type the value in the sheet`,
        );
    });
    if (problems.length) return { problems, warnings };
    const cells = cellsOf(record, columns);
    const parsed = schema.safeParse(cells);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [head, sub] = issue.path.map(String);
        const column =
          head === 'marks'
            ? (columnOf(`meeting:${sub}`) ?? 1)
            : head === 'name'
              ? nameColumn
              : (columnOf(head ?? '') ?? nameColumn);
        problem(column, `${issue.message} (column "${columns[column - 1]?.header ?? ''}")`);
      }
      return { problems, warnings };
    }
    const row: ParticipantRow = { line, ...parsed.data };
    for (const w of rowWarnings(row, cells, options, byField)) warnings.push({ line, ...w });
    return { row, problems, warnings };
  };
}

/** The record's values by field, trimmed; line breaks inside a value kept, as LF whatever the file used. */
function cellsOf(record: RawRecord, columns: readonly ColumnInfo[]): RowCells {
  const cells = {
    ...(Object.fromEntries(FIELDS.map((f) => [f, ''])) as { [F in Field]: string }),
    marks: {},
  } as RowCells;
  for (const c of columns) {
    if (c.field === null) continue;
    const value = (record.cells[c.column - 1] ?? '').trim().replace(/\r\n?/g, '\n');
    if (c.field.startsWith('meeting:')) cells.marks[c.field.slice('meeting:'.length)] = value;
    else if (c.field === 'phone') cells.phone = [cells.phone, value].filter((v) => v !== '').join(' / ');
    else cells[c.field as Exclude<Field, 'phone'>] = value;
  }
  return cells;
}

function rowWarnings(
  row: ParticipantRow,
  cells: RowCells,
  options: ParseOptions,
  byField: Map<string, number[]>,
): { column: number; message: string }[] {
  const warnings: { column: number; message: string }[] = [];
  const columnOf = (field: string) => byField.get(field)?.[0];
  const warn = (column: number | undefined, message: string) => {
    if (column !== undefined) warnings.push({ column, message });
  };
  if (row.email === '')
    warn(
      columnOf('email'),
      'no e-mail address (every participant needs one: the delegation-contact rule will report it)',
    );
  if (row.title === '')
    warn(
      columnOf('title'),
      'no title (every participant needs one: the delegation-contact rule will report it)',
    );
  if (cells.honorific !== '' && !normaliseHonorific(cells.honorific).known) {
    warn(columnOf('honorific'), `honorific "${cells.honorific}" is not one nv knows: kept as written`);
  }
  if (row.meetings.length === 0 && options.meetings.length > 1) {
    const markColumn = [...byField.entries()].find(([field]) => field.startsWith('meeting:'))?.[1][0];
    const names = options.meetings.map((m) => `"${m.names[0] ?? m.key}"`).join(', ');
    warn(
      columnOf('meetings') ?? markColumn ?? 1,
      `no meeting given: the participant attends none until the list says ${names} or ${options.meetings.length === 2 ? '"both"' : '"all"'} (the meeting-choice rule will report it)`,
    );
  }
  for (const field of ['given_name', 'family_name', 'full_name', 'title', 'organization'] as const) {
    if (/^[=＝]/.test(cells[field])) {
      warn(
        columnOf(field),
        `"${cells[field]}" looks like a spreadsheet formula: kept as text, and exports neutralise it`,
      );
    }
  }
  return warnings;
}

/**
 * Decides what to import. Without `skipInvalid`, any problem refuses the file whole; with it,
 * the valid rows are kept and the invalid ones listed (`skipped`, as `file:line:column: message`),
 * unless a problem concerns the file as a whole: then nothing can be trusted and the file is
 * refused anyway.
 *
 * Throws UserError with every problem as `file:line:column: message` in `details`.
 */
export function refuseOnProblems(
  result: DelegationParseResult,
  options: { skipInvalid?: boolean } = {},
): { rows: ParticipantRow[]; skipped: string[] } {
  if (result.problems.length === 0) return { rows: result.rows, skipped: [] };
  const details = result.problems.map((p) => formatProblem(result.file, p));
  const fileWide = result.problems.some((p) => p.scope === 'file');
  if (options.skipInvalid && !fileWide) return { rows: result.rows, skipped: details };
  const n = result.problems.length;
  const valid = result.rows.length;
  throw new UserError(`${result.file} has ${n} problem${n === 1 ? '' : 's'}; nothing was imported.`, {
    details,
    hint: fileWide
      ? 'Fix the file and import it again.'
      : `Fix the file and import it again, or pass --skip-invalid to import the ${valid} valid participant${valid === 1 ? '' : 's'} only.`,
  });
}
