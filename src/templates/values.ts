import { formatDate, formatDateRange, formatDateSpan } from '../dates.js';
import type { Config } from '../workspace/config.js';
import type { Recipient } from '../workspace/recipients.js';

/**
 * The values a template can name, for one recipient. A name maps to `undefined` when it exists
 * but has no value for this recipient (e.g. {{invitation.reference}} for a State that was never
 * sent the invitation): filling it is an error naming the recipient.
 */
export type Values = Map<string, string | undefined>;

/** Facts about earlier notes and replies, known to the register (all optional). */
export interface RecipientFacts {
  /** The date the note bears (default: notes.date of nv.yaml). */
  noteDate?: string;
  /** The reference of this note, once allocated. */
  reference?: string;
  invitationReference?: string;
  invitationDate?: string;
  replyReceived?: string;
  replyReference?: string;
}

export function buildValues(config: Config, r: Recipient, language: string, facts: RecipientFacts): Values {
  const m = config.meeting;
  const date = (iso: string | undefined) => (iso === undefined ? undefined : formatDate(iso, language));
  const v: Values = new Map<string, string | undefined>([
    ['addressee', r.addressee],
    ['state.name', r.name],
    ['state.in_text', r.inText],
    ['state.code', r.code],
    ['reference', facts.reference],
    ['note.date', date(facts.noteDate ?? config.notes.date)],
    ['meeting.title', m.title],
    ['meeting.place', m.place],
    ['meeting.dates', formatDateRange(m.start, m.end, language)],
    ['meeting.span', formatDateSpan(m.start, m.end, language)],
    ['meeting.start', date(m.start)],
    ['meeting.end', date(m.end)],
    ['deadline', date(m.deadline)],
    ['deadline.previous', date(m.previous_deadline)],
    ['invitation.reference', facts.invitationReference],
    ['invitation.date', date(facts.invitationDate)],
    ['reply.received', date(facts.replyReceived)],
    ['reply.reference', facts.replyReference],
  ]);
  for (const part of m.meetings) {
    v.set(`meetings.${part.key}.name`, part.name);
    v.set(`meetings.${part.key}.dates`, formatDateRange(part.start, part.end, language));
    v.set(`meetings.${part.key}.span`, formatDateSpan(part.start, part.end, language));
  }
  for (const [k, val] of Object.entries(config.values)) v.set(`values.${k}`, String(val));
  return v;
}

/** The names any template of this workspace may use. */
export function knownNames(config: Config): Set<string> {
  const dummy: Recipient = {
    code: 'XXX',
    name: '',
    inText: '',
    category: 'party',
    addressee: '',
    language: 'en',
    domains: [],
    line: 0,
  };
  return new Set(buildValues(config, dummy, 'en', {}).keys());
}
