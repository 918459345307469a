import { assess, calendarDay, stateStatus, type RegisterFacts } from '../replies/status.js';
import type { Channel } from '../replies/records.js';
import type { Workspace } from '../workspace/load.js';

/** Why a State's reply was not accepted, as a note can say it. */
export type RefusalReason = 'email-not-scanned' | 'not-acceptable';

/** The latest reply of a State whose every reply was refused. */
export interface RefusedReply {
  reply: number;
  /** The calendar day it was received, in the secretariat's time zone (null when not known). */
  received: string | null;
  channel: Channel | null;
  reason: RefusalReason;
  /** Why it was refused, as the register says it (the rule, or the clerk's decision and reason). */
  why: string;
}

/** What the register knows of the replies, for the notes that depend on them. */
export interface ReplyFacts {
  /** States that have replied (a reply not refused), with the calendar day it was received. */
  replied: ReadonlyMap<string, string>;
  /** States that replied, but whose every reply was refused. */
  refused: ReadonlyMap<string, RefusedReply>;
}

export const NO_REPLIES: ReplyFacts = { replied: new Map(), refused: new Map() };

/**
 * Who has replied and whose replies were refused: who a reminder skips, who it tells that the
 * reply could not be accepted, who an acknowledgement thanks.
 */
export function replyFacts(ws: Workspace, facts: RegisterFacts): ReplyFacts {
  const a = assess(ws, facts);
  const tz = ws.config.meeting.timezone;
  const replied = new Map<string, string>();
  const refused = new Map<string, RefusedReply>();
  for (const row of stateStatus(ws, facts, a).rows) {
    if (!row.reply) continue;
    const day = row.reply.receivedAt ? calendarDay(row.reply.receivedAt, tz) : null;
    if (row.status !== 'refused') {
      replied.set(row.state, day ?? '');
      continue;
    }
    const view = a.replies.find((r) => r.id === row.reply!.id);
    const byRule = !view?.decision && view?.findings.some((f) => f.rule === 'email-scanned-only');
    refused.set(row.state, {
      reply: row.reply.id,
      received: day,
      channel: row.reply.channel as Channel | null,
      reason: byRule ? 'email-not-scanned' : 'not-acceptable',
      why: view?.why ?? 'refused',
    });
  }
  return { replied, refused };
}
