/**
 * What a file is, from its bytes. A declared Content-Type or a file name can lie (a `.docx` sent as
 * `application/pdf`), so the bytes decide; the name is only a hint between text types (CSV, e-mail)
 * whose bytes carry no magic number.
 */
import { unzipSync } from 'fflate';
import { fileTypeFromBuffer } from 'file-type';

export type FileKind =
  | 'pdf'
  | 'tiff'
  | 'jpeg'
  | 'png'
  | 'docx'
  | 'doc'
  | 'odt'
  | 'rtf'
  | 'xlsx'
  | 'xls'
  | 'ods'
  | 'csv'
  | 'eml'
  | 'zip'
  | 'unknown';

export interface SniffResult {
  kind: FileKind;
  /** The media type the bytes show (for `unknown`, what file-type or the text check found, else `application/octet-stream`). */
  mime: string;
}

const MIME: Record<Exclude<FileKind, 'unknown'>, string> = {
  pdf: 'application/pdf',
  tiff: 'image/tiff',
  jpeg: 'image/jpeg',
  png: 'image/png',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  odt: 'application/vnd.oasis.opendocument.text',
  rtf: 'application/rtf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  csv: 'text/csv',
  eml: 'message/rfc822',
  zip: 'application/zip',
};

/** file-type's extension → our kind. */
const FROM_FILE_TYPE: Record<string, FileKind> = {
  pdf: 'pdf',
  tif: 'tiff',
  jpg: 'jpeg',
  png: 'png',
  docx: 'docx',
  odt: 'odt',
  rtf: 'rtf',
  xlsx: 'xlsx',
  ods: 'ods',
  zip: 'zip',
};

const known = (kind: Exclude<FileKind, 'unknown'>): SniffResult => ({ kind, mime: MIME[kind] });

/** Readers accept a PDF with junk before `%PDF-` (mail gateways and scanners leave some); file-type does not look past byte 0. */
export function findPdfHeader(bytes: Uint8Array, within = 1024): number {
  const end = Math.min(bytes.length - 5, within);
  for (let i = 0; i <= end; i++) {
    if (
      bytes[i] === 0x25 &&
      bytes[i + 1] === 0x50 &&
      bytes[i + 2] === 0x44 &&
      bytes[i + 3] === 0x46 &&
      bytes[i + 4] === 0x2d
    ) {
      return i;
    }
  }
  return -1;
}

export async function sniffFile(bytes: Uint8Array, nameHint?: string): Promise<SniffResult> {
  if (bytes.length === 0) return { kind: 'unknown', mime: 'application/x-empty' };
  let detected: { ext: string; mime: string } | undefined;
  try {
    detected = await fileTypeFromBuffer(bytes);
  } catch {
    detected = undefined; // a malformed container: fall through to our own checks
  }
  if (detected) {
    const kind = FROM_FILE_TYPE[detected.ext];
    if (kind === 'zip') return known(zipKind(bytes));
    if (kind !== undefined && kind !== 'unknown') return known(kind);
    if (detected.ext === 'cfb') {
      const ole = oleKind(bytes, nameHint);
      return ole === 'unknown' ? { kind: 'unknown', mime: detected.mime } : known(ole);
    }
  }
  if (findPdfHeader(bytes) >= 0) return known('pdf');

  // Text has no magic number; file-type's weaker guesses (a UTF-16 BOM looks like an MPEG audio
  // frame to it) yield to text that reads as an e-mail or a CSV.
  const text = asText(bytes);
  if (text !== null) {
    const ext = extension(nameHint);
    if (text.startsWith('{\\rtf')) return known('rtf');
    if (looksLikeEmail(text, ext === 'eml')) return known('eml');
    if (looksLikeCsv(text, ext === 'csv' || ext === 'tsv')) return known('csv');
  }
  if (detected) return { kind: 'unknown', mime: detected.mime };
  return { kind: 'unknown', mime: text === null ? 'application/octet-stream' : 'text/plain' };
}

function extension(name: string | undefined): string {
  const m = /\.([A-Za-z0-9]{1,5})$/.exec(name ?? '');
  return m?.[1]?.toLowerCase() ?? '';
}

/**
 * file-type recognises Office files by the order and content of their first ZIP entries; files
 * written by other tools can arrange them otherwise. The main part's name decides here.
 */
function zipKind(bytes: Uint8Array): 'docx' | 'xlsx' | 'odt' | 'ods' | 'zip' {
  const names = new Set<string>();
  let files: Record<string, Uint8Array> = {};
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        names.add(file.name);
        return file.name === 'mimetype' && file.originalSize < 200;
      },
    });
  } catch {
    return 'zip';
  }
  if (names.has('word/document.xml')) return 'docx';
  if (names.has('xl/workbook.xml')) return 'xlsx';
  const mimetype = files['mimetype'] ? new TextDecoder().decode(files['mimetype']).trim() : '';
  if (mimetype === 'application/vnd.oasis.opendocument.text') return 'odt';
  if (mimetype === 'application/vnd.oasis.opendocument.spreadsheet') return 'ods';
  return 'zip';
}

/** An OLE2 compound file is a Word, Excel (or Outlook, PowerPoint) file: its directory names the main stream in UTF-16LE. */
function oleKind(bytes: Uint8Array, nameHint: string | undefined): 'doc' | 'xls' | 'unknown' {
  const hasStream = (name: string): boolean => {
    const needle = Buffer.from(name, 'utf16le');
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle);
  };
  if (hasStream('WordDocument')) return 'doc';
  if (hasStream('Workbook') || hasStream('Book')) return 'xls';
  const ext = extension(nameHint);
  if (ext === 'doc') return 'doc';
  if (ext === 'xls') return 'xls';
  return 'unknown';
}

/**
 * The first 64 KiB as text, or null for binary: UTF-8 (a cut multi-byte sequence at the end is
 * fine) or a single-byte encoding without control characters other than tab, CR, LF, FF.
 * UTF-16 with a BOM is text too (Excel's "Unicode text" export).
 */
function asText(bytes: Uint8Array): string | null {
  const head = bytes.subarray(0, 65536);
  if (
    head.length >= 2 &&
    ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
  ) {
    const le = head[0] === 0xff;
    const body = head.subarray(2, 2 + ((head.length - 2) & ~1));
    const swapped = le ? body : Buffer.from(body).swap16();
    return new TextDecoder('utf-16le').decode(swapped);
  }
  let controls = 0;
  for (const b of head) {
    if (b === 0) return null;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) controls++;
  }
  if (controls > head.length / 100) return null;
  const start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  return new TextDecoder('utf-8').decode(head.subarray(start));
}

const HEADER_LINE = /^[!-9;-~]+:/;
const MAIL_HEADERS =
  /^(received|from|return-path|message-id|mime-version|delivered-to|date|subject|to|x-[a-z0-9-]+|dkim-signature|reply-to|cc|content-type):/i;
const STRONG_HEADERS = /^(received|return-path|message-id|mime-version|delivered-to|dkim-signature|from):/i;

/**
 * RFC 5322 headers up to the first empty line, with at least two mail headers, one of them a
 * transport or identity header. As mail clients read them: lines of white space before the first
 * header are skipped (some gateways pad the start), and a stray line that is not a header inside
 * the block is ignored when the block is plainly a message's (at least three mail headers and more
 * than twice as many headers as stray lines); a text that merely starts like a header is not.
 */
function looksLikeEmail(text: string, nameSaysEml: boolean): boolean {
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length && i < 50 && /^[ \t]+$/.test(lines[i] ?? '')) i++;
  if (lines[i]?.startsWith('From ')) i++; // an mbox "From " separator line (Thunderbird's "Save as")
  let headers = 0;
  let mail = 0;
  let strong = 0;
  let stray = 0;
  for (const start = i; i < lines.length && i < start + 500; i++) {
    const line = lines[i] ?? '';
    if (line === '') break;
    if (/^[ \t]/.test(line)) {
      if (headers === 0) return false; // a continuation before any header
      continue;
    }
    if (!HEADER_LINE.test(line)) {
      if (headers === 0) return false;
      stray++;
      continue;
    }
    headers++;
    if (MAIL_HEADERS.test(line)) mail++;
    if (STRONG_HEADERS.test(line)) strong++;
  }
  if (headers === 0) return false;
  if (stray > 0 && (mail < 3 || strong < 1 || headers <= stray * 2)) return false;
  return (mail >= 2 && strong >= 1) || (nameSaysEml && mail >= 1);
}

/**
 * Delimited text: the same number of `,` `;` tab or `|` outside quotes on (nearly) every one of
 * the first lines; at least two a line (three columns: a delegation list has name, title, e-mail)
 * unless the name says `.csv`, so that prose with a comma a line is not taken for a CSV. A
 * single-column file counts only when the name says `.csv`.
 */
function looksLikeCsv(text: string, nameSaysCsv: boolean): boolean {
  const lines = text
    .split(/\r?\n/)
    .slice(0, 20)
    .filter((l) => l.trim() !== '');
  // The 64 KiB cut can end mid-line: drop the last line when the text was cut there.
  if (lines.length > 2) lines.pop();
  if (lines.length === 0) return false;
  for (const delimiter of [',', ';', '\t', '|']) {
    const counts = lines.map((l) => countOutsideQuotes(l, delimiter));
    const first = counts[0] ?? 0;
    if (first === 0 || (first < 2 && !nameSaysCsv)) continue;
    const agreeing = counts.filter((c) => c === first).length;
    if (lines.length === 1 ? nameSaysCsv : agreeing >= Math.max(2, Math.ceil(lines.length * 0.8)))
      return true;
  }
  return nameSaysCsv;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let inQuotes = false;
  let n = 0;
  for (const ch of line) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === delimiter && !inQuotes) n++;
  }
  return n;
}

export function mimeOf(kind: FileKind): string {
  return kind === 'unknown' ? 'application/octet-stream' : MIME[kind];
}
