import { unzipSync } from 'fflate';
import { UserError } from '../errors.js';

/** Whether the bytes are an Excel workbook (XLSX: a ZIP holding xl/workbook.xml). */
export function isXlsx(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return false;
  try {
    let found = false;
    unzipSync(bytes, {
      filter: (f) => {
        if (f.name === 'xl/workbook.xml') found = true;
        return false; // names only: nothing is inflated
      },
    });
    return found;
  } catch {
    return false;
  }
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * The first worksheet of an XLSX delegation list as UTF-8 CSV, for the same parser as every other
 * list. Each row stays on the line of its row number (an empty line for an empty row, and a line
 * break inside a cell becomes a space), so that `file:line:column` points at the sheet's row and
 * column. Cells are taken as Excel shows them (a formula's result, a date as formatted).
 */
export async function xlsxToCsv(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (e) {
    throw new UserError(
      `${file} cannot be read as an Excel workbook (${(e as Error).message}); save it again from Excel, or as CSV.`,
    );
  }
  const sheet = workbook.worksheets.find((w) => w.actualRowCount > 0);
  if (!sheet)
    throw new UserError(`${file} has no worksheet with data; put the delegation list in the first sheet.`);
  const lines: string[] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    while (lines.length < n - 1) lines.push('');
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(csvCell(row.getCell(c).text.replace(/\r?\n/g, ' ')));
    lines.push(cells.join(','));
  });
  return new TextEncoder().encode(lines.join('\r\n') + '\r\n');
}
