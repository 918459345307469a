import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDelegationCsv } from '../../src/delegations/parse.js';
import { DEFAULT_LIST_BUDGETS } from '../../src/delegations/budgets.js';
import { isXlsx, xlsxToCsv as toSheet } from '../../src/delegations/spreadsheet.js';

async function xlsxToCsv(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  const sheet = await toSheet(bytes, file, DEFAULT_LIST_BUDGETS);
  if ('problem' in sheet) throw new Error(sheet.problem.message);
  return sheet.csv;
}

const MEETINGS = [
  { key: 'uncac-em', names: ['UNCAC', 'expert meeting'] },
  { key: 'untoc-wg', names: ['UNTOC', 'UNTOC WG'] },
];
const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'delegations', 'excel-workbook.xlsx');

async function workbook(rows: (string | number)[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('List');
  rows.forEach((r, i) => {
    if (r.length) ws.getRow(i + 1).values = r;
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('delegation lists as Excel workbooks', () => {
  it('tells a workbook from a CSV or another ZIP', async () => {
    expect(isXlsx(new Uint8Array(readFileSync(FIXTURE)))).toBe(true);
    expect(isXlsx(new TextEncoder().encode('Family name,Given name\n'))).toBe(false);
    expect(isXlsx(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]))).toBe(false);
  });

  it('reads the fixture with its accents, Cyrillic and the line break of a title', async () => {
    const csv = await xlsxToCsv(new Uint8Array(readFileSync(FIXTURE)), 'excel-workbook.xlsx');
    const r = parseDelegationCsv(csv, {
      file: 'excel-workbook.xlsx',
      meetings: MEETINGS,
      defaultState: 'BGR',
    });
    expect(r.problems).toEqual([]);
    expect(r.headerLine).toBe(3); // the sheet's row 3: the title and the empty row above stay rows 1 and 2
    expect(r.rows.map((p) => [p.givenName, p.familyName, p.role, p.meetings])).toEqual([
      ['Петър', 'ИВАНОВ', 'head', ['uncac-em', 'untoc-wg']],
      ['Zoë', 'DIMITROVA-ŠTĚPÁNKOVÁ', 'member', ['uncac-em']],
      ['Georgi', 'PETROV', 'adviser', ['untoc-wg']],
    ]);
    expect(r.rows[0]!.title).toBe('Ambassador, Permanent Representative');
    expect(r.rows[0]!.phone).toBe('+43 1 505 31 13');
  });

  it('a problem points at the row and column of the sheet', async () => {
    const bytes = await workbook([
      ['Family name', 'Given name', 'Title', 'E-mail', 'Meetings'],
      [],
      ['NOVAK', 'Ana', 'Judge', 'ana@sodisce.si', 'UNCAC'],
      ['KRANJC', 'Luka', 'Prosecutor', 'not-an-address', 'UNCAC'],
    ]);
    const r = parseDelegationCsv(await xlsxToCsv(bytes, 'list.xlsx'), {
      file: 'list.xlsx',
      meetings: MEETINGS,
      defaultState: 'SVN',
    });
    expect(r.problems.map((p) => [p.line, p.column])).toEqual([[4, 4]]);
  });

  it('refuses bytes that are not a workbook with one sentence', async () => {
    await expect(xlsxToCsv(new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]), 'broken.xlsx')).rejects.toThrow(
      /broken\.xlsx cannot be read as an Excel workbook/,
    );
  });
});
