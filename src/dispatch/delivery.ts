/**
 * How far a note got on its way to its recipient, from the messages the register keeps of it
 * (`nv status`, `nv status --undelivered`). Pure: the caller reads the messages.
 */
import type { MessageChannel, MessageRecord, MessageStatus } from './records.js';

/** A note's delivery: the status of the message that decides, when it took it, and why. */
export interface Delivery {
  /**
   * `sent` (the server took it), `sending` (handed over or about to be: it may or may not have
   * left), `failed` (the server refused it), `bounced` (a report came back), `drafted` (an .eml
   * written for the officer: nv cannot know whether it was sent).
   */
  status: MessageStatus;
  /** When the message took that status (ISO 8601, UTC). */
  at: string;
  messageId: string;
  /** Why it failed or bounced (the server's words), or null. */
  reason: string | null;
  channel: MessageChannel;
  to: string[];
}

/**
 * The delivery of one note from its messages, in any order: the latest SMTP message decides
 * (messages are numbered as they are recorded, so the highest id is the latest); a note only
 * drafted is `drafted`, by its latest draft; a note without messages was not dispatched by nv
 * (null).
 */
export function noteDelivery(messages: readonly MessageRecord[]): Delivery | null {
  const latest = (channel: MessageChannel) =>
    messages
      .filter((m) => m.channel === channel)
      .reduce<MessageRecord | undefined>((a, m) => (a && a.id > m.id ? a : m), undefined);
  const m = latest('smtp') ?? latest('drafts');
  if (!m) return null;
  return {
    status: m.status,
    at: m.statusAt,
    messageId: m.messageId,
    reason: m.reason,
    channel: m.channel,
    to: m.to,
  };
}

/** What `--undelivered` lists a State for: its latest note did not (surely) reach it. */
export type UndeliveredWhy = 'bounced' | 'failed' | 'sending' | 'no-address' | 'not-dispatched' | 'no-note';

/**
 * Why a State's latest note did not (surely) reach it, or null when it did or may have: `sent`,
 * and `drafted` (the officer sends the draft; a bounce of it is recorded as `bounced`). A note
 * never dispatched is `no-address` when recipients.csv has no address for the State.
 */
export function undeliveredWhy(
  hasNote: boolean,
  delivery: Delivery | null,
  hasAddress: boolean,
): UndeliveredWhy | null {
  if (!hasNote) return 'no-note';
  if (!delivery) return hasAddress ? 'not-dispatched' : 'no-address';
  if (delivery.status === 'bounced' || delivery.status === 'failed' || delivery.status === 'sending')
    return delivery.status;
  return null;
}
