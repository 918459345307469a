/**
 * A problem found in a delegation list, shown as `file:line:column: message`.
 *
 * - `line` is the line of the file where the record starts (a record with a quoted line break
 *   spans several lines; the first is named).
 * - `column` is the 1-based number of the column in the table, i.e. the value's position in the
 *   record (column 5 is column E in Excel), not a character offset: the person fixing the list
 *   opens it in a spreadsheet. The message names the column's header as well.
 * - `scope` is `file` when the file as a whole cannot be read as a list (no header, an unclosed
 *   quote that swallowed records, two columns for one field): such a file is refused even with
 *   `skipInvalid`. A `row` problem makes only its record invalid.
 */
export interface Problem {
  line: number;
  column: number;
  message: string;
  scope: 'file' | 'row';
}

/** A warning does not stop the import: a missing e-mail or title (the rules report those), an unknown column… */
export interface Warning {
  line: number;
  column: number;
  message: string;
}

/** `file:line:column: message`, the form every problem and warning is shown in. */
export function formatProblem(file: string, p: { line: number; column: number; message: string }): string {
  return `${file}:${p.line}:${p.column}: ${p.message}`;
}

export function byPosition(a: { line: number; column: number }, b: { line: number; column: number }): number {
  return a.line - b.line || a.column - b.column;
}
