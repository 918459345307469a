/**
 * The thread a reply is in: the Message-IDs its `In-Reply-To` and `References` headers name
 * (RFC 5322 §3.6.4), held against the messages nv dispatched. A reply that answers one of them
 * comes from that message's recipient, whatever the sender's domain says (a mission writing from
 * webmail, a forwarded answer).
 */
import type { ParsedEml } from '../intake/eml.js';
import type { MessageRecord } from '../dispatch/records.js';
import { formatReference } from '../references/format.js';
import type { DispatchRegister, MessageRegister } from '../storage/register.js';
import type { Config } from '../workspace/config.js';

/** Comments `( … )` (nested, with quoted pairs) out of a header value. */
function withoutComments(text: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && depth > 0) {
      i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

/**
 * The Message-IDs of a header value, without angle brackets, in order, each once: `<a@b> <c@d>`,
 * folded over lines, with comments, or (as some mailers write) bare `a@b` words. Quoted local parts
 * (`<"x y"@b>`) keep their quotes; white space inside the brackets (folding) is dropped.
 */
export function parseMessageIds(value: string | null | undefined): string[] {
  if (!value) return [];
  const text = withoutComments(value.replace(/\r?\n[ \t]/g, ' '));
  const ids: string[] = [];
  const add = (id: string) => {
    const clean = id.replace(/\s+/g, '');
    if (/^[^@<>\s]+@[^@<>\s]+$/.test(clean) && !ids.includes(clean)) ids.push(clean);
  };
  const bracketed = [...text.matchAll(/<([^<>]*)>/g)];
  if (bracketed.length > 0) for (const m of bracketed) add(m[1]!);
  else for (const word of text.split(/[\s,]+/)) add(word);
  return ids;
}

/**
 * The Message-IDs a message answers, nearest first: its `In-Reply-To`, then its `References` from
 * the newest (last) to the oldest.
 */
export function answeredIds(m: Pick<ParsedEml, 'inReplyTo' | 'references'>): string[] {
  const ids = parseMessageIds(m.inReplyTo);
  for (const id of parseMessageIds(m.references).reverse()) if (!ids.includes(id)) ids.push(id);
  return ids;
}

/** What the thread says: the message nv dispatched that the reply answers, and what else it names. */
export interface ThreadMatch {
  message: MessageRecord;
  /** Other messages of nv's, to another recipient, named in the same thread (for the clerk). */
  others: MessageRecord[];
}

/**
 * The message nv dispatched that a reply answers: the nearest of the Message-IDs its headers (or,
 * after them, those of the messages forwarded in it) name. Undefined when none is nv's.
 */
export async function findThread(
  register: Pick<MessageRegister, 'messagesById'>,
  messages: Pick<ParsedEml, 'inReplyTo' | 'references'>[],
): Promise<ThreadMatch | undefined> {
  const ids: string[] = [];
  for (const m of messages) for (const id of answeredIds(m)) if (!ids.includes(id)) ids.push(id);
  if (ids.length === 0) return undefined;
  const found = await register.messagesById(ids);
  const byId = new Map(found.map((f) => [f.messageId, f]));
  const hits: MessageRecord[] = [];
  for (const id of ids) {
    const hit = byId.get(id);
    if (hit && !hits.includes(hit)) hits.push(hit);
  }
  const [message, ...rest] = hits;
  if (!message) return undefined;
  return { message, others: rest.filter((o) => o.recipient !== message.recipient) };
}

/** The message a reply answers, with its note and the note's reference, for the clerk. */
export interface AnsweredNote {
  message: MessageRecord;
  /** The reference of the note, as written (e.g. "CU 2012/150"). */
  reference: string | null;
}

/** What `answers` (a reply's Message-ID of nv's) names: the message, its note's reference. */
export async function answeredNote(
  register: Pick<MessageRegister, 'messagesById'> & Pick<DispatchRegister, 'listDispatches' | 'notesOf'>,
  config: Config,
  messageId: string,
): Promise<AnsweredNote | undefined> {
  const [message] = await register.messagesById([messageId]);
  if (!message) return undefined;
  for (const d of (await register.listDispatches()).reverse()) {
    const note = (await register.notesOf(d.id)).find((n) => n.id === message.noteId);
    if (note)
      return {
        message,
        reference: formatReference(config.reference.format, {
          series: d.series,
          year: d.year,
          seq: d.seq,
          variant: note.variant,
          office: config.reference.office,
        }),
      };
  }
  return { message, reference: null };
}
