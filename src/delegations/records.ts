import { CsvError, parse } from 'csv-parse/sync';

import { InternalError } from '../errors.js';
import { overBudget, type BudgetName, type ListBudgets } from './budgets.js';
import type { Delimiter } from './sniff.js';

/** One record of the file as csv-parse reads it, untrimmed, with the lines it spans. */
export interface RawRecord {
  cells: string[];
  /** The line where the record starts. */
  line: number;
  /** The line where it ends (greater than `line` when a quoted value holds line breaks). */
  lastLine: number;
}

/** Where csv-parse stopped, when it could not read to the end. */
export interface ReadFailure {
  line: number;
  column: number;
  code: string;
  /** For a list over a budget: the sentence that says which budget. */
  message?: string;
}

/** Thrown from inside csv-parse's record callback to stop reading a list over a budget. */
class OverBudget extends Error {
  constructor(
    readonly budget: BudgetName,
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads the records of a CSV text with csv-parse, and the line each starts and ends on.
 *
 * csv-parse's `info.lines` is the line where a record ends, and counts a CRLF inside quotes as two
 * lines; so the lines are computed here from the byte offset where each record ends
 * (`info.bytes`, in the UTF-8 text): the next record starts after the line breaks that follow.
 * Line breaks are CRLF, LF or CR, mixed as they come.
 *
 * Options: the record delimiters are set (csv-parse otherwise takes the first line's ending for
 * the whole file); quotes inside an unquoted value are ordinary characters (`relax_quotes`);
 * records may have any number of values (checked by the caller, who knows the header); empty
 * lines are skipped; nothing is trimmed (csv-parse's `trim` with `relax_quotes` lost records:
 * the caller trims each value).
 */
export function readRecords(
  text: string,
  delimiter: Delimiter,
  budgets?: ListBudgets,
): { records: RawRecord[]; failure?: ReadFailure } {
  const buf = Buffer.from(text, 'utf8');
  const lines = new LineIndex(buf);
  const records: RawRecord[] = [];
  // Bytes are a bound on characters: only a line long in bytes is measured in characters.
  if (budgets && lines.longest.length > budgets.line) {
    const longest = buf.toString(
      'utf8',
      lines.longest.start,
      lines.longest.start + lines.longest.length,
    ).length;
    if (longest > budgets.line) {
      const line = lines.lineOf(lines.longest.start);
      return {
        records: [],
        failure: {
          line,
          column: 1,
          code: 'BUDGET',
          message: overBudget(
            'line',
            budgets,
            `line ${line} has ${longest.toLocaleString('en-US')} characters`,
          ),
        },
      };
    }
  }
  let previousEnd = 0;
  let cells = 0;
  try {
    parse(buf, {
      delimiter,
      quote: '"',
      escape: '"',
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: (values: string[], context) => {
        const line = lines.lineOf(skipLineBreaks(buf, previousEnd));
        cells += values.length;
        if (budgets && records.length >= budgets.rows)
          throw new OverBudget(
            'rows',
            line,
            overBudget(
              'rows',
              budgets,
              `the list goes on past ${budgets.rows.toLocaleString('en-US')} records`,
            ),
          );
        if (budgets && cells > budgets.cells)
          throw new OverBudget(
            'cells',
            line,
            overBudget(
              'cells',
              budgets,
              `the list holds more than ${budgets.cells.toLocaleString('en-US')} values by this record`,
            ),
          );
        records.push({
          cells: values,
          line,
          lastLine: lines.lineOf(lastByteOf(buf, context.bytes)),
        });
        previousEnd = context.bytes;
        return null;
      },
    });
  } catch (e) {
    if (e instanceof OverBudget)
      return { records, failure: { line: e.line, column: 1, code: 'BUDGET', message: e.message } };
    if (!(e instanceof CsvError))
      throw new InternalError('csv-parse failed in an unexpected way', { cause: e });
    // The record that failed starts after the last one read.
    const line = lines.lineOf(skipLineBreaks(buf, previousEnd));
    return {
      records,
      failure: { line, column: typeof e.index === 'number' ? e.index + 1 : 1, code: e.code },
    };
  }
  return { records };
}

/**
 * An unclosed quote that finds a closing quote further down reads several records as one value,
 * and csv-parse reports nothing. Such a value holds line breaks, and lines that carry nearly a
 * whole record's worth of delimiters (at least `width - 1`, and 2): a title with a line break in
 * it does not. Returns the index of the swallowing value, if any.
 */
export function swallowingValue(record: RawRecord, width: number, delimiter: Delimiter): number | undefined {
  const threshold = Math.max(2, width - 1);
  const index = record.cells.findIndex((cell) =>
    cell
      .split(/\r\n|\r|\n/)
      .slice(1)
      .some((l) => l.split(delimiter).length - 1 >= threshold),
  );
  return index === -1 ? undefined : index;
}

/** Line numbers of byte offsets in a text that may mix CRLF, LF and CR line endings. */
class LineIndex {
  private readonly breaks: number[] = [];
  /** The longest line, in bytes: where it starts and its length. */
  readonly longest = { start: 0, length: 0 };

  constructor(buf: Buffer) {
    let start = 0;
    const end = (i: number) => {
      if (i - start > this.longest.length) {
        this.longest.start = start;
        this.longest.length = i - start;
      }
    };
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (b === 0x0d) {
        end(i);
        this.breaks.push(i);
        if (buf[i + 1] === 0x0a) i++;
        start = i + 1;
      } else if (b === 0x0a) {
        end(i);
        this.breaks.push(i);
        start = i + 1;
      }
    }
    end(buf.length);
  }

  /** 1-based line of the byte at `offset`: one more than the line breaks before it. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.breaks[mid] as number) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }
}

function skipLineBreaks(buf: Buffer, offset: number): number {
  let i = offset;
  while (i < buf.length && (buf[i] === 0x0d || buf[i] === 0x0a)) i++;
  return i;
}

/** The offset of the last byte of a record that ends at `end` (just after its line break, if any). */
function lastByteOf(buf: Buffer, end: number): number {
  let e = end;
  if (buf[e - 1] === 0x0a) e--;
  if (buf[e - 1] === 0x0d) e--;
  return Math.max(0, e - 1);
}
