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
  simpleParser,
  type AddressObject,
  type Attachment,
  type EmailAddress,
  type HeaderLines,
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
  /** What could not be read, in sentences. */
  problems: string[];
}

/** Forwarded inside forwarded inside…: deeper than this is not followed. */
const MAX_FORWARD_DEPTH = 8;

export async function parseEml(bytes: Uint8Array): Promise<ParsedEml> {
  return parseAt(bytes, 0);
}

async function parseAt(bytes: Uint8Array, depth: number): Promise<ParsedEml> {
  let mail;
  try {
    mail = await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      skipTextLinks: true,
      keepCidLinks: true,
      // A forwarded message marked `inline` would otherwise be merged into this one (its
      // attachments ours, its headers lost): keep every message/rfc822 part as a part.
      ignoreEmbedded: true,
    });
  } catch (e) {
    return {
      ...emptyEml(),
      received: { at: null, source: null, problem: 'the message could not be read' },
      problems: [`the message could not be read: ${e instanceof Error ? e.message : String(e)}`],
    };
  }

  const problems: string[] = [];
  const from = firstAddress(mail.from);
  const received = receivedTime(mail.headerLines ?? []);
  if (received.problem) problems.push(received.problem);
  const attachments: EmlAttachment[] = [];
  const forwarded: ParsedEml[] = [];
  for (const part of mail.attachments ?? []) {
    const attachment = await toAttachment(part);
    attachments.push(attachment);
    if (part.contentType?.toLowerCase() === 'message/rfc822') {
      if (depth + 1 >= MAX_FORWARD_DEPTH) {
        problems.push(`messages forwarded more than ${MAX_FORWARD_DEPTH} deep were not opened`);
      } else {
        forwarded.push(await parseAt(attachment.bytes, depth + 1));
      }
    }
  }
  if (!from) problems.push('no sender (From:)');
  return {
    from,
    fromDomain: domainOf(from?.address ?? null),
    to: addresses(mail.to),
    subject: mail.subject ?? null,
    messageId: mail.messageId ?? null,
    received,
    dateHeader: rawHeader(mail.headerLines ?? [], 'date'),
    attachments,
    forwarded,
    problems,
  };
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
    const at = parseRfc5322Date(stamp);
    if (at) return { at, source: 'received-header', raw: stamp };
    receivedProblem =
      stamp === ''
        ? 'the topmost Received header carries no date'
        : `the date of the topmost Received header cannot be read: "${displaySafe(stamp, 100)}"`;
  }
  if (dateLine !== null) {
    const at = parseRfc5322Date(dateLine);
    if (at) {
      return {
        at,
        source: 'date-header',
        raw: dateLine,
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
    if (new Date(Date.UTC(year, month, day)).getUTCDay() !== wd) return null;
  }
  return at;
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

async function toAttachment(part: Attachment): Promise<EmlAttachment> {
  const content = part.content as Buffer | undefined;
  const bytes = content
    ? new Uint8Array(content.buffer, content.byteOffset, content.byteLength)
    : new Uint8Array(0);
  const originalName = typeof part.filename === 'string' && part.filename !== '' ? part.filename : null;
  const sniffed = await sniffFile(bytes, originalName ?? undefined);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const disposition =
    part.contentDisposition === 'inline' || part.contentDisposition === 'attachment'
      ? part.contentDisposition
      : null;
  return {
    name: originalName === null ? null : displaySafe(originalName, 255),
    originalName,
    declaredType: part.contentType ?? 'application/octet-stream',
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
