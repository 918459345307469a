/**
 * Bounces: a mail system's report that a message nv dispatched could not be delivered. It is not
 * a reply. Read from a delivery status notification (RFC 3464: `multipart/report;
 * report-type=delivery-status` with a `message/delivery-status` part, as Postfix, Exchange and
 * Gmail write it), or from the common older form (a message from MAILER-DAEMON or postmaster whose
 * subject says the mail was returned, with the returned message or its headers attached).
 *
 * The original is found by the Message-ID in the returned headers (`text/rfc822-headers` or
 * `message/rfc822`), else by the report's own `In-Reply-To`/`References`. A report someone forwarded
 * as an attachment, with nothing else, is read the same way.
 */
import type { ParsedEml } from '../intake/eml.js';
import { parseMessageIds } from './thread.js';

/** What the report says of one recipient (RFC 3464 §2.3). */
export interface BounceRecipient {
  /** Final-Recipient's address (lower-case), or null. */
  address: string | null;
  /** Original-Recipient's address (lower-case), or null. */
  original: string | null;
  /** failed, delayed, delivered, relayed, expanded (lower-case); for an older bounce, from its subject. */
  action: string;
  /** The status code, e.g. 5.1.1, or null. */
  status: string | null;
  /** The remote server's words (Diagnostic-Code without its type), or null. */
  diagnostic: string | null;
}

export interface BounceReport {
  /** Whether it is an RFC 3464 report (else an older, free-form bounce). */
  standard: boolean;
  reportingMta: string | null;
  recipients: BounceRecipient[];
  /** The Message-IDs the report names as the original, nearest first. */
  originalIds: string[];
}

/** RFC 3464 fields: blocks separated by blank lines, each a list of `Name: value` (folded lines joined). */
export function parseStatusFields(text: string): Map<string, string>[] {
  const blocks: Map<string, string>[] = [];
  let current = new Map<string, string>();
  let last: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (current.size > 0) blocks.push(current);
      current = new Map();
      last = null;
      continue;
    }
    if (/^[ \t]/.test(line) && last) {
      current.set(last, `${current.get(last)!} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    if (!current.has(last)) current.set(last, line.slice(colon + 1).trim());
  }
  if (current.size > 0) blocks.push(current);
  return blocks;
}

/** `rfc822; a@b` → `a@b` (the address type dropped, brackets too). */
function typedAddress(value: string | undefined): string | null {
  if (!value) return null;
  const v = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  const a = v.trim().replace(/^<|>$/g, '').toLowerCase();
  return a === '' ? null : a;
}

/** `smtp; 550 5.1.1 …` → `550 5.1.1 …`. */
function typedText(value: string | undefined): string | null {
  if (!value) return null;
  const v = /^[a-z0-9-]+;/i.test(value) ? value.slice(value.indexOf(';') + 1) : value;
  return v.trim() || null;
}

/** The Message-ID of a block of returned headers, if any. */
function returnedMessageId(headers: string): string[] {
  const fields = parseStatusFields(headers.split(/\r?\n\r?\n/)[0] ?? '')[0];
  return parseMessageIds(fields?.get('message-id'));
}

const DAEMON = /^(mailer-daemon|postmaster|mail-daemon|mailer)@/i;
const RETURNED =
  /undeliver|returned to sender|returned mail|delivery status notification|delivery (has )?failed|delivery failure|failure notice|non-?delivery|could not be delivered/i;
const DELAYED = /\bdela(y|yed)\b|warning: could not send|not yet been delivered/i;

/**
 * The bounce a message is, or null when it is none (a reply, a read receipt…). A bounce passed on
 * (the registry forwarding the mail system's report from its own mailbox) is one too, when the
 * forwarded report is all it carries: otherwise the report's thread would file it as a reply from
 * the State nv wrote to.
 */
export function readBounce(mail: ParsedEml): BounceReport | null {
  return ownBounce(mail) ?? forwardedBounce(mail);
}

/** One forwarded bounce and nothing else attached (another document makes it a reply to look at). */
function forwardedBounce(mail: ParsedEml): BounceReport | null {
  if (mail.forwarded.length === 0) return null;
  if (mail.attachments.some((a) => a.declaredType !== 'message/rfc822')) return null;
  const found = mail.forwarded.map(readBounce).filter((r): r is BounceReport => r !== null);
  return found.length === 1 && mail.forwarded.length === 1 ? found[0]! : null;
}

function ownBounce(mail: ParsedEml): BounceReport | null {
  const thread = [...parseMessageIds(mail.inReplyTo), ...parseMessageIds(mail.references).reverse()];
  const returned = [
    ...mail.reports.filter((r) => r.type === 'text/rfc822-headers' || r.type === 'message/rfc822'),
  ].flatMap((r) => returnedMessageId(r.text));
  const status = mail.reports.find((r) => /^message\/(global-)?delivery-status$/.test(r.type));
  if (status) {
    const [perMessage, ...perRecipient] = parseStatusFields(status.text);
    const recipients = perRecipient
      .filter((b) => b.has('action') || b.has('final-recipient'))
      .map((b) => ({
        address: typedAddress(b.get('final-recipient')),
        original: typedAddress(b.get('original-recipient')),
        action: (b.get('action') ?? '').toLowerCase().split(/\s/)[0] ?? '',
        status: /\d\.\d{1,3}\.\d{1,3}/.exec(b.get('status') ?? '')?.[0] ?? null,
        diagnostic: typedText(b.get('diagnostic-code')),
      }));
    return {
      standard: true,
      reportingMta: typedText(perMessage?.get('reporting-mta')),
      recipients,
      originalIds: unique([...returned, ...thread]),
    };
  }
  // The older form: from the mail system, saying so, with what it returns.
  const fromDaemon = !mail.from?.address || DAEMON.test(mail.from.address);
  const subject = mail.subject ?? '';
  const forwardedIds = mail.forwarded.flatMap((f) => parseMessageIds(f.messageId));
  const ids = unique([...returned, ...forwardedIds, ...thread]);
  if (!fromDaemon || !(RETURNED.test(subject) || DELAYED.test(subject)) || ids.length === 0) return null;
  return {
    standard: false,
    reportingMta: mail.fromDomain,
    recipients: [
      {
        address: null,
        original: null,
        action: DELAYED.test(subject) ? 'delayed' : 'failed',
        status: null,
        diagnostic: subject,
      },
    ],
    originalIds: ids,
  };
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** A recipient the report says nv's message will never reach. */
export function isPermanentFailure(r: BounceRecipient): boolean {
  return r.action === 'failed' || (r.status?.startsWith('5.') ?? false);
}

/** A recipient the mail system is still trying. */
export function isDelay(r: BounceRecipient): boolean {
  return !isPermanentFailure(r) && (r.action === 'delayed' || (r.status?.startsWith('4.') ?? false));
}

/** One failed recipient in words: `a@b: 550 5.1.1 … (Status 5.1.1)`. */
export function describeRecipient(r: BounceRecipient): string {
  const what = r.diagnostic ?? (r.status ? `Status ${r.status}` : r.action || 'no reason given');
  const status = r.status && r.diagnostic && !r.diagnostic.includes(r.status) ? ` (Status ${r.status})` : '';
  return `${r.address ?? 'the recipient'}: ${what}${status}`;
}
