import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import { UserError } from '../errors.js';
import { overBudget, type ListBudgets } from './budgets.js';
import type { Problem } from './problems.js';

/**
 * Excel workbooks (XLSX) read without a spreadsheet library: the parts are inflated with a
 * count of the bytes (a workbook that inflates past the budget is refused before it is held in
 * memory), found through their relationships (`_rels/.rels` → the workbook → its first sheet,
 * shared strings and styles), and the sheet's cells read as Excel shows them.
 */

/** Whether the bytes are a ZIP that holds an Office document (XLSX; where its parts are is read later). */
export function isXlsx(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return false;
  try {
    let found = false;
    unzipSync(bytes, {
      filter: (f) => {
        if (f.name === 'xl/workbook.xml' || f.name === '[Content_Types].xml') found = true;
        return false; // names only: nothing is inflated
      },
    });
    return found;
  } catch {
    return false;
  }
}

/** A cell that shows a formula error (#NAME?, #REF! …): never a header, never a participant's value. */
export interface ErrorCell {
  line: number;
  column: number;
  text: string;
}

export interface SheetCsv {
  /** UTF-8 CSV, each sheet row on the line of its number. */
  csv: Uint8Array;
  /** Merged ranges that span columns of one row (a header over its sub-headers): line, first and last column. */
  merges: { line: number; from: number; to: number }[];
  errors: ErrorCell[];
}

class Refused extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

const refusal = (line: number, column: number, message: string) =>
  new Refused({ line, column, scope: 'file', message });

/**
 * The first worksheet of an XLSX delegation list as UTF-8 CSV, for the same parser as every other
 * list. Each row stays on the line of its row number (an empty line for an empty row; a line
 * break inside a cell becomes a space), so that `file:line:column` points at the sheet's row and
 * column. Cells are taken as Excel shows them: a formula's cached result, a date in the cell's
 * date format, an error as its code (and listed in `errors`).
 *
 * A workbook over a budget (bytes inflated, merged ranges, highest row number, values) gives
 * `problem`, at its line. Throws UserError when the bytes are not a readable workbook.
 */
export async function xlsxToCsv(
  bytes: Uint8Array,
  file: string,
  budgets: ListBudgets,
): Promise<SheetCsv | { problem: Problem }> {
  await Promise.resolve();
  try {
    const parts = inflate(bytes, file, budgets);
    const book = locate(parts, file);
    return readSheet(book, budgets);
  } catch (e) {
    if (e instanceof Refused) return { problem: e.problem };
    throw e;
  }
}

function notAWorkbook(file: string, why: string): UserError {
  return new UserError(
    `${file} cannot be read as an Excel workbook (${why}); save it again from Excel, or as CSV.`,
  );
}

/** Every part of the ZIP, inflated with a running count against the budget. */
function inflate(bytes: Uint8Array, file: string, budgets: ListBudgets): Map<string, string> {
  const chunks = new Map<string, Uint8Array[]>();
  let total = 0;
  let failure: unknown;
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (f) => {
    if (!/\.(xml|rels)$/i.test(f.name)) return; // images, printer settings: not read
    const list: Uint8Array[] = [];
    chunks.set(f.name, list);
    f.ondata = (err, data) => {
      if (failure) return;
      if (err) {
        failure = err;
        return;
      }
      total += data.length;
      if (total > budgets.inflated) {
        failure = refusal(
          1,
          1,
          overBudget(
            'inflated',
            budgets,
            `the workbook inflates to more than ${Math.round(budgets.inflated / 1048576)} MB`,
          ),
        );
        f.terminate();
        return;
      }
      list.push(data);
    };
    f.start();
  };
  try {
    // Fed a little at a time: inflate emits what one push inflates to at once, and deflate can
    // expand about 1,000 times, so 4 KB in is at most ~4 MB out before the count can stop it.
    const step = 4096;
    for (let at = 0; at < bytes.length && !failure; at += step)
      unzip.push(bytes.subarray(at, at + step), at + step >= bytes.length);
  } catch (e) {
    if (failure instanceof Refused) throw failure;
    throw notAWorkbook(file, (e as Error).message);
  }
  if (failure instanceof Refused) throw failure;
  if (failure) throw notAWorkbook(file, (failure as Error).message);
  const decoder = new TextDecoder('utf-8');
  const parts = new Map<string, string>();
  for (const [name, list] of chunks) parts.set(name.replace(/^\/+/, ''), decoder.decode(concat(list)));
  return parts;
}

function concat(list: Uint8Array[]): Uint8Array {
  if (list.length === 1) return list[0] as Uint8Array;
  const out = new Uint8Array(list.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of list) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

interface Book {
  sheet: string;
  /** Dates count from 1904 (Excel for Mac's old date system), not from 1900. */
  date1904: boolean;
  strings: string | undefined;
  styles: string | undefined;
}

/** The workbook's first sheet, shared strings and styles, found through the relationships. */
function locate(parts: Map<string, string>, file: string): Book {
  const get = (path: string | undefined) => (path === undefined ? undefined : parts.get(path));
  const root = relationships(get('_rels/.rels'), '');
  const bookPath = root.find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
  const workbook = get(bookPath);
  if (workbook === undefined) throw notAWorkbook(file, `it has no workbook part ${bookPath}`);
  const dir = bookPath.includes('/') ? bookPath.slice(0, bookPath.lastIndexOf('/') + 1) : '';
  const rels = relationships(get(`${dir}_rels/${bookPath.slice(dir.length)}.rels`), dir);
  const sheetIds = [...workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)].map(
    (m) => attr(m[1] ?? '', 'r:id') ?? attr(m[1] ?? '', 'id'),
  );
  const sheets = sheetIds
    .map((id) => rels.find((r) => r.id === id && r.type.endsWith('/worksheet'))?.target)
    .filter((t): t is string => t !== undefined && parts.has(t));
  // The first sheet with a cell in it (a workbook may keep an empty cover sheet first).
  const sheet = sheets.map((t) => parts.get(t) as string).find((x) => /<(?:\w+:)?c\b/.test(x));
  if (sheet === undefined)
    throw new UserError(`${file} has no worksheet with data; put the delegation list in the first sheet.`);
  const pr = /<(?:\w+:)?workbookPr\b([^>]*)>/.exec(workbook)?.[1] ?? '';
  return {
    sheet,
    date1904: ['1', 'true'].includes(attr(pr, 'date1904') ?? ''),
    strings: get(rels.find((r) => r.type.endsWith('/sharedStrings'))?.target),
    styles: get(rels.find((r) => r.type.endsWith('/styles'))?.target),
  };
}

function relationships(xml: string | undefined, dir: string): { id: string; type: string; target: string }[] {
  if (xml === undefined) return [];
  return [...xml.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)].map((m) => {
    const a = m[1] ?? '';
    const target = attr(a, 'Target') ?? '';
    return { id: attr(a, 'Id') ?? '', type: attr(a, 'Type') ?? '', target: resolvePath(dir, target) };
  });
}

function resolvePath(dir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : dir + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name.replace(':', '\\:')}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attrs);
  return m ? unescapeXml(m[2] ?? m[3] ?? '') : undefined;
}

function unescapeXml(s: string): string {
  return s.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi, (_, hex, dec, name) => {
    if (hex) return String.fromCodePoint(parseInt(hex as string, 16));
    if (dec) return String.fromCodePoint(Number(dec));
    return (
      ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[name as string] ?? ''
    );
  });
}

/** The text of `<t>` runs inside an element (rich text joined; phonetic runs left out). */
function textOf(xml: string): string {
  const plain = xml.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, '');
  let out = '';
  for (const m of plain.matchAll(/<(?:\w+:)?t\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?t>)/g))
    out += unescapeXml(m[1] ?? '');
  return out;
}

function sharedStrings(xml: string | undefined): string[] {
  if (xml === undefined) return [];
  return [...xml.matchAll(/<(?:\w+:)?si\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?si>)/g)].map((m) =>
    textOf(m[1] ?? ''),
  );
}

/** The number format code of each cell style (`s`), for showing dates as Excel does. */
function styleFormats(xml: string | undefined): string[] {
  if (xml === undefined) return [];
  const custom = new Map<number, string>();
  for (const m of xml.matchAll(/<(?:\w+:)?numFmt\b([^>]*)>/g)) {
    const id = Number(attr(m[1] ?? '', 'numFmtId'));
    custom.set(id, attr(m[1] ?? '', 'formatCode') ?? '');
  }
  const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(xml)?.[1] ?? '';
  return [...xfs.matchAll(/<(?:\w+:)?xf\b([^>]*)>/g)].map((m) => {
    const id = Number(attr(m[1] ?? '', 'numFmtId') ?? 0);
    return custom.get(id) ?? BUILT_IN_FORMATS[id] ?? '';
  });
}

/** Excel's built-in date and time formats (ids 14–22, 45–47), as Excel shows them in English. */
const BUILT_IN_FORMATS: Record<number, string> = {
  14: 'm/d/yyyy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yyyy h:mm',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mm:ss.0',
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Whether a number format shows a date or time (d, m, y, h, s outside quotes and brackets). */
function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  return /[dmyhs]/i.test(bare) && !/[#0?]/.test(bare.replace(/\.0+/, ''));
}

/** An Excel serial date shown in its format code (the common codes: d, m, y, h, s, AM/PM). */
export function formatExcelDate(serial: number, code: string): string {
  const ms = Math.round((serial - 25569) * 86400000);
  const d = new Date(ms);
  const section = code.split(';')[0] ?? code;
  const ampm = /AM\/PM|A\/P/i.test(section);
  const tokens = section.match(/"[^"]*"|\[[^\]]*\]|\\.|AM\/PM|A\/P|y+|m+|d+|h+|s+|./gi) ?? [];
  let out = '';
  tokens.forEach((t, i) => {
    const lower = t.toLowerCase();
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    if (t.startsWith('"')) out += t.slice(1, -1);
    else if (t.startsWith('\\')) out += t.slice(1);
    else if (t.startsWith('[')) out += '';
    else if (/^am\/pm$|^a\/p$/.test(lower))
      out += d.getUTCHours() < 12 ? (lower === 'a/p' ? 'A' : 'AM') : lower === 'a/p' ? 'P' : 'PM';
    else if (lower[0] === 'y')
      out += lower.length <= 2 ? pad(d.getUTCFullYear() % 100, 2) : String(d.getUTCFullYear());
    else if (lower[0] === 'd') {
      out +=
        lower.length === 1
          ? String(d.getUTCDate())
          : lower.length === 2
            ? pad(d.getUTCDate(), 2)
            : lower.length === 3
              ? (DAYS[d.getUTCDay()] as string).slice(0, 3)
              : (DAYS[d.getUTCDay()] as string);
    } else if (lower[0] === 'h') {
      const h = ampm ? d.getUTCHours() % 12 || 12 : d.getUTCHours();
      out += lower.length === 1 ? String(h) : pad(h, 2);
    } else if (lower[0] === 's')
      out += lower.length === 1 ? String(d.getUTCSeconds()) : pad(d.getUTCSeconds(), 2);
    else if (lower[0] === 'm') {
      // "m" after an hour or before a second is minutes.
      const prev =
        tokens
          .slice(0, i)
          .reverse()
          .find((x) => /^[a-z]/i.test(x))
          ?.toLowerCase() ?? '';
      const next =
        tokens
          .slice(i + 1)
          .find((x) => /^[a-z]/i.test(x))
          ?.toLowerCase() ?? '';
      if (lower.length <= 2 && (prev.startsWith('h') || next.startsWith('s')))
        out += lower.length === 1 ? String(d.getUTCMinutes()) : pad(d.getUTCMinutes(), 2);
      else {
        const month = d.getUTCMonth();
        out +=
          lower.length === 1
            ? String(month + 1)
            : lower.length === 2
              ? pad(month + 1, 2)
              : lower.length === 3
                ? (MONTHS[month] as string).slice(0, 3)
                : lower.length === 5
                  ? (MONTHS[month] as string)[0]
                  : (MONTHS[month] as string);
      }
    } else out += t;
  });
  return out;
}

/** A number in the General format: up to 11 significant digits, no exponent for lists' numbers. */
function general(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(11)));
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

function readSheet(book: Book, budgets: ListBudgets): SheetCsv {
  const merges: SheetCsv['merges'] = [];
  const mergeTags = [...book.sheet.matchAll(/<(?:\w+:)?mergeCell\b([^>]*)>/g)];
  if (mergeTags.length > budgets.merges)
    throw refusal(
      1,
      1,
      overBudget(
        'merges',
        budgets,
        `the sheet has ${mergeTags.length.toLocaleString('en-US')} merged ranges`,
      ),
    );
  for (const m of mergeTags) {
    const ref = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/i.exec(attr(m[1] ?? '', 'ref') ?? '');
    if (!ref) continue;
    const [r1, r2] = [Number(ref[2]), Number(ref[4] ?? ref[2])];
    if (r2 > budgets['max-row'])
      throw refusal(
        Math.min(r1, budgets['max-row']),
        columnNumber(ref[1] as string),
        overBudget('max-row', budgets, `a merged range reaches row ${r2.toLocaleString('en-US')}`),
      );
    if (r1 === r2)
      merges.push({
        line: r1,
        from: columnNumber(ref[1] as string),
        to: columnNumber((ref[3] ?? ref[1]) as string),
      });
  }
  const strings = sharedStrings(book.strings);
  const formats = styleFormats(book.styles);
  const lines: string[] = [];
  const errors: ErrorCell[] = [];
  let cells = 0;
  let rowNumber = 0;
  for (const row of book.sheet.matchAll(/<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g)) {
    const r = attr(row[1] ?? '', 'r');
    rowNumber = r !== undefined ? Number(r) : rowNumber + 1;
    if (!(rowNumber > 0) || rowNumber > budgets['max-row'])
      throw refusal(
        Math.min(lines.length + 1, budgets['max-row']),
        1,
        overBudget('max-row', budgets, `the sheet has a row numbered ${r ?? rowNumber}`),
      );
    if (lines.length + 1 > budgets.rows && row[2])
      throw refusal(
        rowNumber,
        1,
        overBudget('rows', budgets, `the sheet goes on past ${budgets.rows.toLocaleString('en-US')} rows`),
      );
    const values: string[] = [];
    let col = 0;
    for (const c of (row[2] ?? '').matchAll(/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g)) {
      const a = c[1] ?? '';
      const ref = /^([A-Z]+)/i.exec(attr(a, 'r') ?? '');
      col = ref ? columnNumber(ref[1] as string) : col + 1;
      if (++cells > budgets.cells)
        throw refusal(
          rowNumber,
          col,
          overBudget(
            'cells',
            budgets,
            `the sheet holds more than ${budgets.cells.toLocaleString('en-US')} values by this row`,
          ),
        );
      if (col > 16384) continue;
      const text = cellText(a, c[2] ?? '', strings, formats, book.date1904);
      if (attr(a, 't') === 'e') errors.push({ line: rowNumber, column: col, text });
      while (values.length < col - 1) values.push('');
      values[col - 1] = text;
    }
    while (lines.length < rowNumber - 1) lines.push('');
    lines[rowNumber - 1] = values.map((v) => csvCell(v.replace(/\r?\n/g, ' '))).join(',');
  }
  return { csv: new TextEncoder().encode(lines.join('\r\n') + '\r\n'), merges, errors };
}

function cellText(
  attrs: string,
  inner: string,
  strings: string[],
  formats: string[],
  date1904: boolean,
): string {
  const type = attr(attrs, 't') ?? 'n';
  const v = /<(?:\w+:)?v\b[^>]*>([\s\S]*?)<\/(?:\w+:)?v>/.exec(inner)?.[1];
  const value = v === undefined ? undefined : unescapeXml(v);
  switch (type) {
    case 's':
      return strings[Number(value)] ?? '';
    case 'inlineStr':
      return textOf(/<(?:\w+:)?is\b[^>]*>([\s\S]*?)<\/(?:\w+:)?is>/.exec(inner)?.[1] ?? '');
    case 'b':
      return value === '1' ? 'TRUE' : value === '0' ? 'FALSE' : '';
    case 'str':
    case 'e':
      return value ?? '';
    default: {
      if (value === undefined || value.trim() === '') return '';
      const n = Number(value);
      if (!Number.isFinite(n)) return value;
      const format = formats[Number(attr(attrs, 's') ?? 0)] ?? '';
      if (type === 'd') return value;
      return format !== '' && isDateFormat(format) && n >= 0 && n < 2958466
        ? formatExcelDate(date1904 ? n + 1462 : n, format)
        : general(n);
    }
  }
}
