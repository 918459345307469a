/**
 * What a bounce changes in the register: a permanent failure moves nv's message to `bounced`,
 * with the reason (the recipient, the remote server's words, the status and the SHA-256 of the
 * report, whose bytes stay in the archive as evidence). A delay changes nothing; a report naming
 * no message nv dispatched changes nothing and says so; the same report again changes nothing.
 */
import type { Actor } from '../audit.js';
import type { MessageRecord, MessageStatus } from '../dispatch/records.js';
import type { MessageRegister } from '../storage/register.js';
import {
  describeRecipient,
  isDelay,
  isPermanentFailure,
  type BounceRecipient,
  type BounceReport,
} from './bounce.js';

/**
 * - `bounced`: the message is now recorded bounced;
 * - `already-bounced`: it was before (the same report, or another one, ingested earlier);
 * - `unchanged`: a delay, only a copy address failed, or the message is recorded `failed`;
 * - `no-message`: the report names no message nv dispatched.
 */
export type BounceChange = 'bounced' | 'already-bounced' | 'unchanged' | 'no-message';

export interface BounceOutcome {
  kind: 'failed' | 'delayed' | 'other';
  change: BounceChange;
  /** nv's message the report is about (as recorded after the change), or null. */
  message: MessageRecord | null;
  recipients: BounceRecipient[];
  /** The reason recorded on the message (for `bounced`), or null. */
  reason: string | null;
  /** What happened, in one sentence, for the report. */
  summary: string;
  /** The report's SHA-256 (its bytes are in the archive). */
  sha256: string;
  /** The same bytes were in the archive before this run: ingested before. */
  seenBefore: boolean;
}

/** The statuses a bounce may move a message from: it was handed to a server (or sent by hand from a draft). */
const BOUNCEABLE: MessageStatus[] = ['sent', 'drafted', 'sending'];

export async function recordBounce(
  register: Pick<MessageRegister, 'messagesById' | 'changeMessageStatus'>,
  report: BounceReport,
  evidence: { sha256: string; seenBefore: boolean },
  actor: Actor,
): Promise<BounceOutcome> {
  const failed = report.recipients.filter(isPermanentFailure);
  const delayed = report.recipients.filter(isDelay);
  const kind = failed.length > 0 ? 'failed' : delayed.length > 0 ? 'delayed' : 'other';
  const base = { kind, recipients: report.recipients, ...evidence } as const;
  const found = await register.messagesById(report.originalIds);
  const message = report.originalIds.map((id) => found.find((m) => m.messageId === id)).find(Boolean);
  const again = evidence.seenBefore ? ' (this report was ingested before)' : '';
  if (!message)
    return {
      ...base,
      change: 'no-message',
      message: null,
      reason: null,
      summary: `a delivery report${report.originalIds.length ? ` about ${report.originalIds.map((i) => `<${i}>`).join(', ')}` : ' that names no Message-ID'}, which is no message nv dispatched: nothing changed${again}`,
    };
  const to = `nv's message to ${message.recipient} <${message.messageId}>`;
  const unchanged = (summary: string): BounceOutcome => ({
    ...base,
    change: 'unchanged',
    message,
    reason: null,
    summary: `${summary}${again}`,
  });
  if (kind === 'delayed')
    return unchanged(
      `delivery of ${to} is delayed (${delayed.map(describeRecipient).join('; ')}): nothing changed; the mail system is still trying`,
    );
  if (kind === 'other')
    return unchanged(
      `a delivery report on ${to} that reports no failure (${report.recipients.map((r) => r.action || '?').join(', ')}): nothing changed`,
    );
  // A failed copy address alone: the note still went to its To addresses.
  const lower = (list: string[]) => list.map((a) => a.toLowerCase());
  const cc = lower(message.cc);
  const onlyCopies = failed.every((r) =>
    [r.address, r.original].some((a) => a !== null && cc.includes(a) && !lower(message.to).includes(a)),
  );
  if (onlyCopies)
    return unchanged(
      `only the copy address(es) of ${to} failed (${failed.map(describeRecipient).join('; ')}): the note went to its To address(es), not marked bounced`,
    );
  const reason = `${failed.map(describeRecipient).join('; ')} (reported by ${report.reportingMta ?? 'the mail system'}; delivery report sha256 ${evidence.sha256})`;
  const changed = await register.changeMessageStatus(
    message.id,
    BOUNCEABLE,
    { status: 'bounced', reason },
    actor,
  );
  if (changed)
    return { ...base, change: 'bounced', message: changed, reason, summary: `${to} bounced: ${reason}` };
  const now = (await register.messagesById([message.messageId]))[0] ?? message;
  return {
    ...base,
    change: now.status === 'bounced' ? 'already-bounced' : 'unchanged',
    message: now,
    reason: null,
    summary:
      now.status === 'bounced'
        ? `${to} was recorded bounced already (${now.statusAt}): nothing changed${again}`
        : `${to} is recorded ${now.status}, not sent: nothing changed${again}`,
  };
}
