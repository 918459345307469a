import { exampleHeaders, matchHeader, type Field } from './headers.js';
import { isHonorific } from './honorific.js';
import { meetingNamed, type MeetingOption } from './meetings.js';
import type { Problem, Warning } from './problems.js';
import type { RawRecord } from './records.js';

export interface ColumnInfo {
  /** 1-based column number. */
  column: number;
  header: string;
  /** The field the column gives; `meeting:KEY` for a column named after a meeting (x / yes); null when unknown. */
  field: Field | `meeting:${string}` | null;
}

/** How many records may stand above the header (a title line, an empty template row). */
const HEADER_SEARCH_RECORDS = 10;

/**
 * The index of the header among the first records: the first that names at least two known
 * columns (one, for a one-column list). -1 when there is none.
 */
export function findHeader(records: readonly RawRecord[], meetings: readonly MeetingOption[]): number {
  return records.slice(0, HEADER_SEARCH_RECORDS).findIndex((r) => {
    const known = r.cells.filter(
      (c) => matchHeader(c.trim()) !== undefined || meetingNamed(c, meetings) !== undefined,
    );
    return known.length >= Math.min(2, r.cells.length);
  });
}

/**
 * What each column gives. A "Title" column (or "Titre", "Título") whose every value is an
 * honorific (Mr., Ms., H.E. Mr., Mme…) is the honorific, when no other column is.
 */
export function mapColumns(
  headers: readonly string[],
  data: readonly RawRecord[],
  meetings: readonly MeetingOption[],
): ColumnInfo[] {
  const columns: ColumnInfo[] = headers.map((raw, i) => {
    const header = raw.trim();
    const match = matchHeader(header);
    const meeting = match ? undefined : meetingNamed(header, meetings);
    return {
      column: i + 1,
      header,
      field: match ? match.field : meeting !== undefined ? `meeting:${meeting}` : null,
    };
  });
  if (!columns.some((c) => c.field === 'honorific')) {
    const titleOfHonorifics = columns.find((c) => {
      if (c.field !== 'title' || !matchHeader(c.header)?.maybeHonorific) return false;
      const values = data.map((r) => (r.cells[c.column - 1] ?? '').trim()).filter((v) => v !== '');
      return values.length > 0 && values.every(isHonorific);
    });
    if (titleOfHonorifics) titleOfHonorifics.field = 'honorific';
  }
  return columns;
}

/** The columns of each field, in order. */
export function columnsByField(columns: readonly ColumnInfo[]): Map<string, number[]> {
  const byField = new Map<string, number[]>();
  for (const c of columns) {
    if (c.field !== null) byField.set(c.field, [...(byField.get(c.field) ?? []), c.column]);
  }
  return byField;
}

/**
 * Checks the columns as a whole: a name column, a State (column or for the whole file), one
 * column per field (several phone columns are joined), and reports the columns nv does not read.
 */
export function checkColumns(
  columns: readonly ColumnInfo[],
  data: readonly RawRecord[],
  headerLine: number,
  state: {
    defaultState?: string | undefined;
    resolveState?: ((name: string) => string | undefined) | undefined;
  },
): { problems: Problem[]; warnings: Warning[]; unknownColumns: { column: number; header: string }[] } {
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  const unknownColumns: { column: number; header: string }[] = [];
  const problem = (column: number, message: string) =>
    problems.push({ line: headerLine, column, message, scope: 'file' });
  const byField = columnsByField(columns);

  for (const c of columns) {
    if (c.field !== null) continue;
    const example = data.find((r) => (r.cells[c.column - 1] ?? '').trim() !== '');
    if (c.header === '' && !example) continue;
    unknownColumns.push({ column: c.column, header: c.header });
    warnings.push({
      line: headerLine,
      column: c.column,
      message:
        example && c.header === ''
          ? `column ${c.column} has no header but holds values (line ${example.line}): they are not imported`
          : `column "${c.header}" is not one nv reads: its values are not imported`,
    });
  }
  for (const [field, cols] of byField) {
    if (cols.length < 2 || field === 'phone') continue;
    const names = cols.map((n) => `${n} ("${columns[n - 1]?.header}")`).join(' and ');
    problem(cols[1] as number, `columns ${names} both give the ${fieldLabel(field)}: keep one`);
  }
  if (!['family_name', 'full_name', 'given_name'].some((f) => byField.has(f))) {
    const examples = [...exampleHeaders('family_name', 2), ...exampleHeaders('full_name', 1)];
    problem(1, `no name column: expected ${examples.map((h) => `"${h}"`).join(', ')} or a translation`);
  }
  if (!byField.has('state')) {
    if (state.defaultState === undefined || state.defaultState.trim() === '') {
      problem(1, 'no State column, and no State given for the whole file (--state)');
    } else if (state.resolveState && state.resolveState(state.defaultState) === undefined) {
      problem(
        1,
        `the State given for the file, "${state.defaultState}", is not an invited State (not in recipients.csv)`,
      );
    }
  }
  if (!byField.has('email'))
    warnings.push({
      line: headerLine,
      column: 1,
      message: 'no e-mail address column: no participant has one',
    });
  if (!byField.has('title'))
    warnings.push({ line: headerLine, column: 1, message: 'no title column: no participant has one' });
  return { problems, warnings, unknownColumns };
}

function fieldLabel(field: string): string {
  const labels: Record<string, string> = {
    state: 'State',
    honorific: 'honorific',
    given_name: 'given name',
    family_name: 'family name',
    full_name: 'full name',
    title: 'title',
    organization: 'organization',
    role: 'role',
    email: 'e-mail address',
    meetings: 'meetings',
  };
  return labels[field] ?? `attendance at ${field.slice('meeting:'.length)}`;
}
