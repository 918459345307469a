import { UserError } from '../errors.js';
import type { Actor } from '../audit.js';
import type { Channel, ReplyChange, ReplyRecord } from './records.js';
import type { ReplyRegister } from '../storage/register.js';

export interface ReplyDecisionInput {
  state?: string;
  channel?: Channel;
  receivedAt?: string;
  /** accepted / refused; null withdraws the decision; undefined leaves it. */
  decision?: 'accepted' | 'refused' | null;
  reason?: string;
  /** More than one of accept, refuse, undecide was asked for. */
  conflicting?: boolean;
}

/** The clerk's decision on a reply, checked and recorded (with the audit log) in one change; returns the reply as recorded. */
export async function applyDecision(
  register: Pick<ReplyRegister, 'updateReply'>,
  id: number,
  input: ReplyDecisionInput,
  actor: Actor,
): Promise<ReplyRecord> {
  if (input.conflicting) throw new UserError('Choose one of --accept, --refuse and --undecide.');
  const reason = input.reason?.trim() ?? '';
  if (input.decision !== undefined && !reason)
    throw new UserError('A decision needs its reason: add --reason "…" (it is kept in the register).');
  const change: ReplyChange = {};
  if (input.state !== undefined) change.state = input.state;
  if (input.channel !== undefined) change.channel = input.channel;
  if (input.receivedAt !== undefined) change.receivedAt = input.receivedAt;
  if (input.decision !== undefined) change.decision = { status: input.decision, reason };
  if (Object.keys(change).length === 0)
    throw new UserError(
      'Nothing to change: give --state, --channel, --received, --accept, --refuse or --undecide.',
    );
  return register.updateReply(id, change, actor);
}

/**
 * Takes a reply out of the counts (a README ingested from a folder, a file sent twice): its bytes
 * stay in the archive, the register keeps it with who removed it and why (audit log too).
 */
export async function removeReply(
  register: Pick<ReplyRegister, 'removeReply'>,
  id: number,
  reason: string | undefined,
  actor: Actor,
): Promise<ReplyRecord> {
  const why = reason?.trim() ?? '';
  if (!why)
    throw new UserError('Removing a reply needs its reason: add --reason "…" (it is kept in the register).');
  return register.removeReply(id, why, actor);
}
