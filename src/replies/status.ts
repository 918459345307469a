import { wallClock } from '../dates.js';
import { noteDelivery, undeliveredWhy, type Delivery, type UndeliveredWhy } from '../dispatch/delivery.js';
import type { MessageRecord } from '../dispatch/records.js';
import { formatReference } from '../references/format.js';
import { DELEGATION_RULES, runRules, type Finding } from '../rules/index.js';
import type { RuleContext } from '../rules/types.js';
import type { DelegationList } from '../delegations/lists.js';
import type { SentNote } from '../references/records.js';
import type { ReplyRecord } from './records.js';
import type {
  DelegationRegister,
  DispatchRegister,
  MessageRegister,
  ReplyRegister,
} from '../storage/register.js';
import type { Workspace } from '../workspace/load.js';
import type { Category } from '../workspace/recipients.js';

export type ReplyStatus = 'accepted' | 'late' | 'refused' | 'needs-review';
export type StateStatus = ReplyStatus | 'no-reply';

/** What the clerk sees of a reply: the record, its status and why, its findings. */
export interface ReplyView extends ReplyRecord {
  status: ReplyStatus;
  /** Why the reply has its status, in a few words. */
  why: string;
  findings: Finding[];
}

export interface Assessment {
  replies: ReplyView[];
  findings: Finding[];
}

/** What the register holds that the replies' status is computed from, read once. */
export interface RegisterFacts {
  /** The replies that count, in order. */
  replies: ReplyRecord[];
  /** The replies the clerk removed, in order. */
  removed: ReplyRecord[];
  /** Every note of every active dispatch. */
  sent: SentNote[];
  /** The current delegation list of every State. */
  delegations: DelegationList[];
  /** The messages of each note of `sent`, by `noteKey(dispatch id, recipient)`, oldest first. */
  messages: Map<string, MessageRecord[]>;
}

/** What reading those facts needs of the register. */
export type FactsRegister = Pick<ReplyRegister, 'listReplies'> &
  Pick<DispatchRegister, 'sentNotes' | 'notesOf'> &
  Pick<DelegationRegister, 'currentDelegations'> &
  Pick<MessageRegister, 'messagesOf'>;

/** The key of a note in `RegisterFacts.messages`: a dispatch has one note per recipient. */
export function noteKey(dispatchId: number, recipient: string): string {
  return `${dispatchId}/${recipient}`;
}

/** The messages of the notes of these dispatches, by `noteKey`. */
async function messagesOfDispatches(
  register: FactsRegister,
  dispatchIds: number[],
): Promise<Map<string, MessageRecord[]>> {
  const keyOf = new Map<number, string>();
  for (const id of dispatchIds)
    for (const n of await register.notesOf(id)) keyOf.set(n.id, noteKey(id, n.recipient));
  const out = new Map<string, MessageRecord[]>();
  for (const m of await register.messagesOf([...keyOf.keys()])) {
    const key = keyOf.get(m.noteId)!;
    out.set(key, [...(out.get(key) ?? []), m]);
  }
  return out;
}

/** Reads the facts the replies' status is computed from (the computing functions are synchronous). */
export async function readFacts(register: FactsRegister): Promise<RegisterFacts> {
  const all = await register.listReplies({ includeRemoved: true });
  const sent = await register.sentNotes();
  const delegations = await register.currentDelegations();
  const messages = await messagesOfDispatches(register, [...new Set(sent.map((n) => n.dispatch.id))]);
  return {
    replies: all.filter((r) => r.removedAt === null),
    removed: all.filter((r) => r.removedAt !== null),
    sent,
    delegations,
    messages,
  };
}

export function ruleContext(ws: Workspace, facts: RegisterFacts, replies = facts.replies): RuleContext {
  const referenceOf = (n: SentNote) =>
    formatReference(ws.config.reference.format, {
      series: n.dispatch.series,
      year: n.dispatch.year,
      seq: n.dispatch.seq,
      variant: n.variant,
      office: ws.config.reference.office,
    });
  return {
    config: ws.config,
    recipients: ws.recipients,
    sent: facts.sent,
    replies,
    delegations: facts.delegations,
    referenceOf,
  };
}

/**
 * A reply's status: the clerk's decision when there is one; otherwise what the rules and the
 * facts say — `needs-review` while the State or the received time is unknown or a document needs
 * a person's eye, `late` after the deadline, `refused` for a note e-mailed in a form that is not
 * accepted, `accepted` when no error remains.
 */
export function replyStatus(r: ReplyRecord, findings: Finding[]): { status: ReplyStatus; why: string } {
  if (r.decision === 'accepted')
    return { status: 'accepted', why: `accepted by ${r.decidedBy}: ${r.decisionReason}` };
  if (r.decision === 'refused')
    return { status: 'refused', why: `refused by ${r.decidedBy}: ${r.decisionReason}` };
  const errors = findings.filter((f) => f.severity === 'error');
  const has = (rule: string) => errors.some((f) => f.rule === rule);
  if (has('known-state')) return { status: 'needs-review', why: 'which State sent it is not known' };
  if (!r.receivedAt) return { status: 'needs-review', why: 'when it was received is not known' };
  if (!r.channel) return { status: 'needs-review', why: 'how it came is not known' };
  if (has('deadline')) return { status: 'late', why: 'received after the deadline' };
  if (has('email-scanned-only'))
    return { status: 'refused', why: 'e-mailed without a scanned copy of the note' };
  const review = r.documents.find((d) => d.class === 'review');
  if (review) return { status: 'needs-review', why: `${review.name ?? 'a document'}: ${review.reason}` };
  if (errors.length) return { status: 'needs-review', why: errors[0]!.message };
  return { status: 'accepted', why: 'no error found' };
}

export function assess(ws: Workspace, facts: RegisterFacts): Assessment {
  const ctx = ruleContext(ws, facts);
  const findings = runRules(ctx, ws.config.rules);
  const byReply = new Map<number, Finding[]>();
  // A reply's status comes from the findings about the reply itself, not about the delegation list it carried.
  for (const f of findings)
    if (f.reply !== null && !DELEGATION_RULES.has(f.rule))
      byReply.set(f.reply, [...(byReply.get(f.reply) ?? []), f]);
  const replies = ctx.replies.map((r) => {
    const own = byReply.get(r.id) ?? [];
    return { ...r, ...replyStatus(r, own), findings: own };
  });
  return { replies, findings };
}

/**
 * The replies that wait for the clerk: no decision yet, and a status the rules did not settle as
 * accepted (to review, late, refused). Every one counts, also a newer reply of a State whose
 * earlier reply was accepted: the State's row shows the reply that counts, not the others.
 */
export function awaitingReview<T extends ReplyView>(replies: T[]): T[] {
  return replies.filter((r) => r.decision === null && r.status !== 'accepted');
}

/** A reply as `nv reply list|show` shows it: those that count, and those the clerk removed. */
export interface ShownReply extends Omit<ReplyView, 'status'> {
  status: ReplyStatus | 'removed';
}

export function shownReplies(ws: Workspace, facts: RegisterFacts, includeRemoved: boolean): ShownReply[] {
  const counted: ShownReply[] = assess(ws, facts).replies;
  if (!includeRemoved) return counted;
  const removed = facts.removed.map((r): ShownReply => ({
    ...r,
    status: 'removed',
    why: `removed by ${r.removedBy}: ${r.removedReason}`,
    findings: [],
  }));
  return [...counted, ...removed].sort((a, b) => a.id - b.id);
}

export interface StateRow {
  state: string;
  name: string;
  category: Category;
  /** The notes sent to the State (references and dates), oldest first, each with its delivery. */
  notes: { reference: string; template: string; date: string; delivery: Delivery | null }[];
  /**
   * The delivery of the State's latest note (the last of `notes`): whether what the State was
   * last sent reached it. Null when there is no note or nv did not dispatch the latest.
   */
  delivery: Delivery | null;
  reply: { id: number; receivedAt: string | null; channel: string | null; classes: string[] } | null;
  replies: number;
  /** The State's replies waiting for the clerk (see `awaitingReview`), the counting one or not. */
  awaitingReview: number;
  /** Participants in the State's current delegation list. */
  participants: number;
  status: StateStatus;
  findings: number;
}

export interface StatusReport {
  rows: StateRow[];
  totals: Record<StateStatus, number> & {
    invited: number;
    noted: number;
    replies: number;
    /** Every reply waiting for the clerk (what `nv review` goes through), whichever State. */
    awaitingReview: number;
    participants: number;
    openFindings: number;
    /** States by the delivery of their latest note (`notDispatched`: a note, no message). */
    delivery: Record<Delivery['status'], number> & { notDispatched: number };
  };
  /** Replies whose State is unknown or not invited (not in any row). */
  unassigned: number[];
}

const RANK: Record<ReplyStatus, number> = { accepted: 0, late: 1, 'needs-review': 2, refused: 3 };

/** One row per invited State: note sent, the reply that counts, its status, open findings. */
export function stateStatus(ws: Workspace, facts: RegisterFacts, a = assess(ws, facts)): StatusReport {
  const ctx = ruleContext(ws, facts, a.replies);
  const invited = new Set(ws.recipients.map((r) => r.code));
  const rows = ws.recipients.map((rec): StateRow => {
    const notes = ctx.sent
      .filter((n) => n.recipient === rec.code)
      .map((n) => ({
        reference: ctx.referenceOf(n),
        template: n.dispatch.template,
        date: n.dispatch.date,
        delivery: noteDelivery(facts.messages.get(noteKey(n.dispatch.id, n.recipient)) ?? []),
      }));
    const replies = a.replies
      .filter((r) => r.state === rec.code)
      .sort(
        (x, y) => RANK[x.status] - RANK[y.status] || (y.receivedAt ?? '').localeCompare(x.receivedAt ?? ''),
      );
    const best = replies[0];
    const open = a.findings.filter((f) => f.state === rec.code && !f.waived).length;
    return {
      state: rec.code,
      name: rec.name,
      category: rec.category,
      notes,
      delivery: notes.at(-1)?.delivery ?? null,
      reply: best
        ? {
            id: best.id,
            receivedAt: best.receivedAt,
            channel: best.channel,
            classes: best.documents.map((d) => d.class),
          }
        : null,
      replies: replies.length,
      awaitingReview: awaitingReview(replies).length,
      participants: ctx.delegations.find((d) => d.state === rec.code)?.participants.length ?? 0,
      status: best ? best.status : 'no-reply',
      findings: open,
    };
  });
  const count = (s: StateStatus) => rows.filter((r) => r.status === s).length;
  const delivered = (s: Delivery['status']) => rows.filter((r) => r.delivery?.status === s).length;
  return {
    rows,
    totals: {
      invited: rows.length,
      noted: rows.filter((r) => r.notes.length > 0).length,
      replies: a.replies.length,
      awaitingReview: awaitingReview(a.replies).length,
      participants: rows.reduce((n, r) => n + r.participants, 0),
      accepted: count('accepted'),
      late: count('late'),
      refused: count('refused'),
      'needs-review': count('needs-review'),
      'no-reply': count('no-reply'),
      openFindings: a.findings.filter((f) => !f.waived).length,
      delivery: {
        sent: delivered('sent'),
        bounced: delivered('bounced'),
        failed: delivered('failed'),
        drafted: delivered('drafted'),
        sending: delivered('sending'),
        notDispatched: rows.filter((r) => r.notes.length > 0 && !r.delivery).length,
      },
    },
    unassigned: a.replies.filter((r) => r.state === null || !invited.has(r.state)).map((r) => r.id),
  };
}

/** A State `nv status --undelivered` lists: what it was last sent did not (surely) reach it. */
export interface UndeliveredState {
  state: string;
  name: string;
  why: UndeliveredWhy;
  /** The State's latest note, or null when it has none. */
  reference: string | null;
  delivery: Delivery | null;
  /** The line of recipients.csv that lacks an address (`no-address`), else null. */
  line: number | null;
}

export interface UndeliveredReport {
  states: UndeliveredState[];
  /** States without a reply whose latest note was only drafted: nv cannot know; not listed. */
  drafted: number;
}

/**
 * The States to reach another way: no reply (a State that replied was reached, whatever became
 * of the message), and a latest note that bounced, failed, may or may not have left (`sending`),
 * was never dispatched (with or without an address in recipients.csv), or does not exist.
 */
export function undeliveredStates(ws: Workspace, report: StatusReport): UndeliveredReport {
  const recipient = new Map(ws.recipients.map((r) => [r.code, r]));
  const states: UndeliveredState[] = [];
  let drafted = 0;
  for (const r of report.rows) {
    if (r.reply) continue;
    const rec = recipient.get(r.state)!;
    const why = undeliveredWhy(r.notes.length > 0, r.delivery, rec.email.length > 0);
    if (!why) {
      if (r.delivery?.status === 'drafted') drafted++;
      continue;
    }
    states.push({
      state: r.state,
      name: r.name,
      why,
      reference: r.notes.at(-1)?.reference ?? null,
      delivery: r.delivery,
      line: why === 'no-address' ? rec.line : null,
    });
  }
  return { states, drafted };
}

/**
 * The States that have replied (a reply that is not refused), with the calendar day, in the
 * secretariat's time zone, their reply was received: who a reminder skips and an
 * acknowledgement thanks.
 */
export function repliedStates(ws: Workspace, facts: RegisterFacts): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of stateStatus(ws, facts).rows) {
    if (r.status === 'no-reply' || r.status === 'refused' || !r.reply) continue;
    out.set(r.state, r.reply.receivedAt ? calendarDay(r.reply.receivedAt, ws.config.meeting.timezone) : '');
  }
  return out;
}

/** The yyyy-mm-dd of an instant in a time zone. */
export function calendarDay(iso: string, timeZone: string): string {
  return wallClock(new Date(iso), timeZone).date;
}
