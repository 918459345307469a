/**
 * A reply received by e-mail, read with mailparser: who sent it, when the secretariat received
 * it, and every attachment with its bytes, hash and sniffed kind. Forwarded messages
 * (message/rfc822 parts) are read the same way, recursively.
 *
 * Received time (SPEC §5): the topmost `Received:` header, written by the secretariat's own mail
 * server, then the sender's `Date:` header, never the time of parsing. mailparser silently turns
 * an unreadable `Date:` into "now", so both headers are read from the raw header lines with a
 * strict RFC 5322 date parser; when neither can be read, `at` is null and `problem` says why.
 *
 * Attachment names are data, never paths: `name` is for display (control and bidi characters
 * replaced), `originalName` is what the message said, and `storageName` (hash + extension) is the
 * only name a file may be stored under.
 */
import { createHash } from 'node:crypto';
import {
  MailParser,
  type AddressObject,
  type Attachment,
  type EmailAddress,
  type HeaderLines,
  type Headers,
} from 'mailparser';
import { sniffFile, type FileKind } from './sniff.js';

export interface MailAddress {
  address: string | null;
  name: string;
}

export interface ReceivedTime {
  at: Date | null;
  source: 'received-header' | 'date-header' | null;
  /** The date text the time was read from, as written in the header. */
  raw?: string;
  /** What went wrong: the time could not be read, or the Received header could not and Date was used. */
  problem?: string;
  /** The sender's Date header names a weekday that its date is not: the date was read as written. */
  weekdayProblem?: string;
}

export interface EmlAttachment {
  /** For display: control, bidirectional and invisible characters replaced by U+FFFD, at most 255 characters; null when the part has no name. */
  name: string | null;
  /** The name exactly as the message gave it (decoded): data only, never a path. */
  originalName: string | null;
  /** The Content-Type the sender declared (it can lie: see `kind`). */
  declaredType: string;
  disposition: 'attachment' | 'inline' | null;
  contentId: string | null;
  bytes: Uint8Array;
  size: number;
  /** SHA-256 of the bytes, lower-case hex. */
  sha256: string;
  /** What the bytes are (sniffFile), whatever the declared type or name says. */
  kind: FileKind;
  mime: string;
  /** The one safe file name for these bytes: `<sha256>.<extension of kind>`. */
  storageName: string;
}

export interface ParsedEml {
  from: MailAddress | null;
  /** The sender's e-mail domain, lower-case (for resolving the State). */
  fromDomain: string | null;
  to: MailAddress[];
  subject: string | null;
  messageId: string | null;
  received: ReceivedTime;
  /** The raw `Date:` header text (the sender's clock), if any. */
  dateHeader: string | null;
  /** Every part with a file in it, message/rfc822 parts included (their contents are in `forwarded`). */
  attachments: EmlAttachment[];
  /** Messages forwarded as attachments, parsed, in the order of their parts. */
  forwarded: ParsedEml[];
  /** What could not be read, or was read with a doubt (a wrong weekday), in sentences. */
  problems: string[];
  /**
   * Parts of a delivery or read report (multipart/report: message/delivery-status, text/rfc822-headers,
   * the returned message…): what the mail system says, never documents of the reply.
   */
  reportParts: string[];
  /**
   * What those report parts say, as text: the delivery status fields, the returned headers (only
   * the header block of a returned message/rfc822), at most 64 KiB each (a bounce is read from them).
   */
  reports: { type: string; text: string }[];
  /** The `In-Reply-To` and `References` headers as written (unfolded), or null: the thread a reply is in. */
  inReplyTo: string | null;
  references: string | null;
}

/** Forwarded inside forwarded inside…: deeper than this is not followed. */
const MAX_FORWARD_DEPTH = 8;

export async function parseEml(bytes: Uint8Array): Promise<ParsedEml> {
  return parseAt(bytes, 0);
}

async function parseAt(bytes: Uint8Array, depth: number): Promise<ParsedEml> {
  let mail: ReadMail;
  try {
    mail = await readMail(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    return {
      ...emptyEml(),
      received: { at: null, source: null, problem: 'the message could not be read' },
      problems: [`the message could not be read: ${e instanceof Error ? e.message : String(e)}`],
    };
  }

  const problems: string[] = [];
  const headers = mail.headers;
  const from = firstAddress(headers.get('from') as AddressObject | undefined);
  const received = receivedTime(mail.headerLines);
  if (received.problem) problems.push(received.problem);
  if (received.weekdayProblem) problems.push(received.weekdayProblem);
  const report = /^multipart\/report\b/i.test(contentTypeOf(headers));
  const attachments: EmlAttachment[] = [];
  const forwarded: ParsedEml[] = [];
  const reportParts: string[] = [];
  const reports: { type: string; text: string }[] = [];
  for (const part of mail.attachments) {
    const type = declaredTypeOf(part);
    if (isReportPart(type, report)) {
      reportParts.push(type);
      reports.push({ type, text: reportText(part, type) });
      continue;
    }
    const attachment = await toAttachment(part, type);
    attachments.push(attachment);
    if (type === 'message/rfc822') {
      if (depth + 1 >= MAX_FORWARD_DEPTH) {
        problems.push(`messages forwarded more than ${MAX_FORWARD_DEPTH} deep were not opened`);
      } else {
        forwarded.push(await parseAt(attachment.bytes, depth + 1));
      }
    }
  }
  if (reportParts.length > 0) {
    problems.push(
      `a ${report ? 'delivery or read report' : 'message'} with ${reportParts.length} report part${reportParts.length === 1 ? '' : 's'} (${[...new Set(reportParts)].join(', ')}): what a mail system says, not documents of the reply`,
    );
  }
  if (!from) problems.push('no sender (From:)');
  const subject = headers.get('subject');
  const messageId = headers.get('message-id');
  return {
    from,
    fromDomain: domainOf(from?.address ?? null),
    to: addresses(headers.get('to') as AddressObject | AddressObject[] | undefined),
    subject: typeof subject === 'string' ? subject : null,
    messageId: typeof messageId === 'string' ? messageId : null,
    received,
    dateHeader: rawHeader(mail.headerLines, 'date'),
    attachments,
    forwarded,
    problems,
    reportParts,
    reports,
    inReplyTo: rawHeader(mail.headerLines, 'in-reply-to'),
    references: rawHeader(mail.headerLines, 'references'),
  };
}

/** A report part's text (see `ParsedEml.reports`): a returned message's header block only, 64 KiB at most. */
function reportText(part: Attachment, type: string): string {
  const content = part.content as Buffer | undefined;
  const text = content ? content.subarray(0, 64 * 1024).toString('utf8') : '';
  if (type !== 'message/rfc822') return text;
  const end = /\r?\n\r?\n/.exec(text);
  return end ? text.slice(0, end.index) : text;
}

// ---------------------------------------------------------------------------------------------
// Reading the MIME tree as a mail client shows it

interface ReadMail {
  headers: Headers;
  headerLines: HeaderLines;
  attachments: Attachment[];
}

/** mailparser's internal node, as far as nv changes it (see NvMailParser). */
interface SplitNode {
  root?: boolean;
  contentType?: string | false;
  filename?: string | false;
  disposition?: string | false;
}
interface TreeNode {
  contentType?: string | false;
  disposition?: string;
  isAttachment?: boolean;
}

/**
 * mailparser as a mail client reads a message: a part whose Content-Type is empty is text/plain
 * (RFC 2045 §5.2, mailparser gives `false` and files it as a nameless attachment), and an inline
 * text part that carries a file name is a file the sender attached (mailparser merges it into the
 * body text, where it was lost).
 */
class NvMailParser extends (MailParser as unknown as new (options: object) => MailParser & {
  createNode(node: SplitNode): TreeNode;
}) {
  override createNode(node: SplitNode): TreeNode {
    if (!node.root && (node.contentType === false || node.contentType === ''))
      node.contentType = 'text/plain';
    const created = super.createNode(node);
    const named = typeof node.filename === 'string' && node.filename.trim() !== '';
    if (
      named &&
      created.disposition === 'inline' &&
      /^text\/(plain|html)$/i.test(String(created.contentType))
    )
      created.isAttachment = true;
    return created;
  }
}

/** simpleParser's collection loop (headers and attachments only; nv does not use the body text). */
function readMail(input: Buffer): Promise<ReadMail> {
  return new Promise((resolve, reject) => {
    const parser = new NvMailParser({
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      skipTextLinks: true,
      keepCidLinks: true,
      // A forwarded message marked `inline` would otherwise be merged into this one (its
      // attachments ours, its headers lost): keep every message/rfc822 part as a part.
      ignoreEmbedded: true,
      // A delivery report's status fields are a part of their own (a bounce is read from them),
      // not body text.
      keepDeliveryStatus: true,
    }) as unknown as MailParser & { headerLines?: HeaderLines };
    const mail: ReadMail = { headers: new Map(), headerLines: [], attachments: [] };
    let settled = false;
    const settle = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(mail);
    };
    parser.on('error', (e: Error) => settle(e));
    parser.on('headers', (headers: Headers) => {
      mail.headers = headers;
      mail.headerLines = parser.headerLines ?? [];
    });
    let reading = false;
    const read = (): void => {
      reading = true;
      const data = parser.read() as { type: string } | null;
      if (data === null) {
        reading = false;
        return;
      }
      if (data.type !== 'attachment') return read();
      const attachment = data as unknown as { content: unknown; release: () => void };
      const stream = attachment.content as NodeJS.ReadableStream;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        attachment.content = Buffer.concat(chunks);
        mail.attachments.push(attachment as unknown as Attachment);
        attachment.release();
        read();
      });
    };
    parser.on('readable', () => {
      if (!reading) read();
    });
    parser.on('end', () => settle(null));
    parser.end(input);
  });
}

function contentTypeOf(headers: Headers): string {
  const value = headers.get('content-type') as { value?: unknown } | string | undefined;
  const text = typeof value === 'string' ? value : typeof value?.value === 'string' ? value.value : '';
  return text.toLowerCase();
}

function declaredTypeOf(part: Attachment): string {
  const type = typeof part.contentType === 'string' ? part.contentType.trim().toLowerCase() : '';
  return type === '' ? 'application/octet-stream' : type;
}

/**
 * What a report says (RFC 6522): the status of a delivery or a reading, and the headers or the
 * message it returns. Mail clients show them as the report, not as files; inside a report even the
 * returned message/rfc822 is the Secretariat's own note coming back.
 */
function isReportPart(type: string, insideReport: boolean): boolean {
  if (type === 'text/rfc822-headers') return true;
  if (type.startsWith('message/') && type !== 'message/rfc822') return true;
  return insideReport && type === 'message/rfc822';
}

function emptyEml(): ParsedEml {
  return {
    from: null,
    fromDomain: null,
    to: [],
    subject: null,
    messageId: null,
    received: { at: null, source: null },
    dateHeader: null,
    attachments: [],
    forwarded: [],
    problems: [],
    reportParts: [],
    reports: [],
    inReplyTo: null,
    references: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Addresses

function flatten(list: EmailAddress[]): EmailAddress[] {
  return list.flatMap((a) => (a.group ? flatten(a.group) : [a]));
}

function toMailAddress(a: EmailAddress): MailAddress {
  return { address: a.address ? a.address.toLowerCase() : null, name: displaySafe(a.name ?? '', 200) };
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): MailAddress | null {
  const first = addresses(value)[0];
  return first ?? null;
}

function addresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  if (!value) return [];
  const objects = Array.isArray(value) ? value : [value];
  return objects.flatMap((o) => flatten(o.value ?? [])).map(toMailAddress);
}

function domainOf(address: string | null): string | null {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  const domain =
    at >= 0
      ? address
          .slice(at + 1)
          .trim()
          .toLowerCase()
      : '';
  return domain === '' ? null : domain;
}

// ---------------------------------------------------------------------------------------------
// Received time

/** The value of the first header named `key`, unfolded, from mailparser's raw header lines. */
function rawHeader(lines: HeaderLines, key: string): string | null {
  const line = lines.find((l) => l.key === key)?.line;
  if (line === undefined) return null;
  return unfold(line.slice(line.indexOf(':') + 1));
}

function unfold(text: string): string {
  return text.replace(/\r?\n[ \t]+/g, ' ').trim();
}

export function receivedTime(lines: HeaderLines): ReceivedTime {
  const receivedLine = rawHeader(lines, 'received');
  const dateLine = rawHeader(lines, 'date');
  let receivedProblem: string | undefined;
  if (receivedLine !== null) {
    // The date stamp follows the last ";" (RFC 5321 §4.4).
    const semicolon = receivedLine.lastIndexOf(';');
    const stamp = semicolon >= 0 ? receivedLine.slice(semicolon + 1).trim() : '';
    const read = readRfc5322Date(stamp);
    if (read)
      return {
        at: read.at,
        source: 'received-header',
        raw: stamp,
        ...weekdayNote('topmost Received header', stamp, read),
      };
    receivedProblem =
      stamp === ''
        ? 'the topmost Received header carries no date'
        : `the date of the topmost Received header cannot be read: "${displaySafe(stamp, 100)}"`;
  }
  if (dateLine !== null) {
    const read = readRfc5322Date(dateLine);
    if (read) {
      return {
        at: read.at,
        source: 'date-header',
        raw: dateLine,
        ...weekdayNote('Date header', dateLine, read),
        ...(receivedProblem ? { problem: `${receivedProblem}; the sender's Date header was used` } : {}),
      };
    }
  }
  const dateProblem =
    dateLine === null ? 'no Date header' : `the Date header "${displaySafe(dateLine, 100)}" cannot be read`;
  const first = receivedProblem ?? 'no Received header';
  return {
    at: null,
    source: null,
    ...(dateLine !== null ? { raw: dateLine } : {}),
    problem: `the received time is unknown: ${first}, and ${dateProblem}`,
  };
}

function weekdayNote(
  header: string,
  raw: string,
  read: { at: Date; weekday?: { written: string; actual: string } },
): { weekdayProblem?: string } {
  if (!read.weekday) return {};
  const { written, actual } = read.weekday;
  return {
    weekdayProblem: `the ${header} "${displaySafe(raw, 100)}" names the wrong weekday (${written}; that date was a ${actual}): the date was read as written`,
  };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  edt: -240,
  est: -300,
  cdt: -300,
  cst: -360,
  mdt: -360,
  mst: -420,
  pdt: -420,
  pst: -480,
};

/**
 * RFC 5322 §3.3 date-time, with its obsolete forms (2-digit years, named zones, comments):
 * `[Mon,] 24 Sep 2012 23:30[:00] -0400`. Anything else is null: no guessing, no "now".
 */
export function parseRfc5322Date(text: string): Date | null {
  return readRfc5322Date(text)?.at ?? null;
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * The date, and when the weekday written is not the weekday of the date (a sender's clock or
 * software got it wrong), both weekdays. Mail clients show such a date as written; so does nv,
 * and says so.
 */
function readRfc5322Date(text: string): { at: Date; weekday?: { written: string; actual: string } } | null {
  // Comments such as "(CEST)" carry nothing the zone offset does not.
  let s = text;
  for (let i = 0; i < 5 && /\([^()]*\)/.test(s); i++) s = s.replace(/\([^()]*\)/g, ' ');
  s = s.replace(/\s+/g, ' ').trim();
  const m =
    /^(?:([A-Za-z]{3}) ?, ?)?(\d{1,2}) ([A-Za-z]{3}) (\d{2,4}) (\d{1,2}):(\d{2})(?::(\d{2}))? ?([+-]\d{4}|[A-Za-z]{1,3})$/.exec(
      s,
    );
  if (!m) return null;
  const [, weekday, dayText, monthText, yearText, hourText, minuteText, secondText, zoneText] =
    m as unknown as string[];
  const month = MONTHS.indexOf((monthText as string).toLowerCase());
  if (month < 0) return null;
  let year = Number(yearText);
  if ((yearText as string).length === 2) year += year < 50 ? 2000 : 1900;
  else if ((yearText as string).length === 3) year += 1900;
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = secondText === undefined ? 0 : Math.min(59, Number(secondText)); // a leap second
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 60) return null;
  let offset: number;
  const zone = zoneText as string;
  if (/^[+-]\d{4}$/.test(zone)) {
    const hh = Number(zone.slice(1, 3));
    const mm = Number(zone.slice(3, 5));
    if (mm > 59) return null;
    offset = (zone.startsWith('-') ? -1 : 1) * (hh * 60 + mm);
  } else {
    const named = ZONES[zone.toLowerCase()];
    // RFC 5322 §4.3: military one-letter zones were defined wrongly; read them as -0000 (UTC).
    if (named === undefined && !/^[A-IK-Za-ik-z]$/.test(zone)) return null;
    offset = named ?? 0;
  }
  const at = new Date(Date.UTC(year, month, day, hour, minute, second) - offset * 60_000);
  if (weekday !== undefined) {
    const wd = WEEKDAYS.indexOf(weekday.toLowerCase());
    if (wd < 0) return null;
    // The weekday is that of the local date written, not of UTC.
    const actual = new Date(Date.UTC(year, month, day)).getUTCDay();
    if (actual !== wd)
      return {
        at,
        weekday: { written: WEEKDAY_NAMES[wd] as string, actual: WEEKDAY_NAMES[actual] as string },
      };
  }
  return { at };
}

// ---------------------------------------------------------------------------------------------
// Attachments

const EXTENSION: Record<FileKind, string> = {
  pdf: 'pdf',
  tiff: 'tif',
  jpeg: 'jpg',
  png: 'png',
  docx: 'docx',
  doc: 'doc',
  odt: 'odt',
  rtf: 'rtf',
  xlsx: 'xlsx',
  xls: 'xls',
  ods: 'ods',
  csv: 'csv',
  eml: 'eml',
  zip: 'zip',
  unknown: 'bin',
};

/** `<sha256>.<ext>`: made of hex digits and a fixed extension, whatever the sender named the file. */
export function storageNameFor(sha256: string, kind: FileKind): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new TypeError('storageNameFor: not a SHA-256 hex digest');
  return `${sha256}.${EXTENSION[kind]}`;
}

async function toAttachment(part: Attachment, declaredType: string): Promise<EmlAttachment> {
  const content = part.content as Buffer | undefined;
  let bytes = content
    ? new Uint8Array(content.buffer, content.byteOffset, content.byteLength)
    : new Uint8Array(0);
  let originalName = typeof part.filename === 'string' && part.filename !== '' ? part.filename : null;
  const encoding = part.headers?.get('content-transfer-encoding');
  if (typeof encoding === 'string' && /^(x-)?uu(encode|e)?$/i.test(encoding.trim())) {
    // mailparser passes uuencoded parts through as they are: decode them as mail clients do.
    const decoded = uudecode(bytes);
    if (decoded) {
      bytes = decoded.bytes;
      originalName ??= decoded.name;
    }
  }
  const sniffed = await sniffFile(bytes, originalName ?? undefined);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const disposition =
    part.contentDisposition === 'inline' || part.contentDisposition === 'attachment'
      ? part.contentDisposition
      : null;
  return {
    name: originalName === null ? null : displaySafe(originalName, 255),
    originalName,
    declaredType,
    disposition,
    contentId: part.cid ?? null,
    bytes,
    size: bytes.length,
    sha256,
    kind: sniffed.kind,
    mime: sniffed.mime,
    storageName: storageNameFor(sha256, sniffed.kind),
  };
}

/**
 * uuencode (`begin 644 name` … `` ` `` … `end`): each line starts with its length character
 * (32 + n), then groups of four characters of six bits. Null when there is no `begin` line.
 */
export function uudecode(encoded: Uint8Array): { bytes: Uint8Array; name: string | null } | null {
  const lines = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength)
    .toString('latin1')
    .split(/\r?\n/);
  const begin = lines.findIndex((l) => /^begin(-base64)? [0-7]{3,4} /.test(l));
  if (begin < 0) return null;
  const name = (lines[begin] as string).replace(/^begin(-base64)? [0-7]{3,4} /, '').trim() || null;
  const out: number[] = [];
  for (const line of lines.slice(begin + 1)) {
    if (line === 'end' || line.startsWith('end ')) break;
    if (line === '') continue;
    const n = (line.charCodeAt(0) - 32) & 0x3f;
    if (n === 0) continue; // the closing "`" line
    const six = (i: number): number => ((line.charCodeAt(i) || 32) - 32) & 0x3f;
    for (let i = 1, written = 0; written < n; i += 4) {
      const [a, b, c, d] = [six(i), six(i + 1), six(i + 2), six(i + 3)];
      const triple = [(a << 2) | (b >> 4), ((b & 0xf) << 4) | (c >> 2), ((c & 0x3) << 6) | d];
      for (const byte of triple) if (written++ < n) out.push(byte & 0xff);
    }
  }
  return { bytes: Uint8Array.from(out), name };
}

/**
 * Text from a message, safe to show: NFC, control characters (C0, C1, DEL), bidirectional
 * overrides and isolates, and invisible format characters become U+FFFD, so that
 * "reply\u202Efdp.exe" cannot pose as "replyexe.pdf" and no terminal escape gets through.
 */
export function displaySafe(text: string, maxLength: number): string {
  const cleaned = text
    .normalize('NFC')
    .replace(
      /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g,
      '\ufffd',
    );
  const chars = [...cleaned];
  return chars.length > maxLength ? `${chars.slice(0, maxLength - 1).join('')}…` : cleaned;
}
