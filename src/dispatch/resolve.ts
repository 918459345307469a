/**
 * `nv dispatch <ref> --resolve`: the messages a run left `sending` (killed, or the connection broke
 * after the message was handed over) may or may not have left. nv never sends them again on its
 * own; the officer looks (the mail server's log, the sent folder) and says: `sent` (recorded with
 * "confirmed by <actor>") or `failed` ("not sent, confirmed by <actor>"), which the next run sends.
 */
import type { Actor } from '../audit.js';
import { UserError } from '../errors.js';
import type { DispatchRegister, MessageRegister } from '../storage/register.js';
import type { Workspace } from '../workspace/load.js';
import { notesToDispatch } from './plan.js';
import type { MessageRecord } from './records.js';

export interface InDoubt {
  /** The register's id of the message. */
  id: number;
  state: string;
  name: string;
  to: string[];
  cc: string[];
  messageId: string;
  /** Since when it is `sending`. */
  since: string;
}

/** The SMTP messages of a reference's notes (all, or `only` these recipients) left `sending`. */
export async function messagesInDoubt(
  ws: Workspace,
  register: DispatchRegister & MessageRegister,
  refText: string,
  only: string[] | undefined,
): Promise<{ reference: string; messages: InDoubt[] }> {
  const { refOf, notes, problems } = await notesToDispatch(ws, register, refText, only);
  if (problems.length) throw new UserError(problems[0]!, { details: problems.slice(1) });
  const records = await register.messagesOf(notes.map((n) => n.id));
  const messages = records
    .filter((m) => m.channel === 'smtp' && m.status === 'sending')
    .map((m) => ({
      id: m.id,
      state: m.recipient,
      name: ws.recipients.find((r) => r.code === m.recipient)?.name ?? m.recipient,
      to: m.to,
      cc: m.cc,
      messageId: m.messageId,
      since: m.statusAt,
    }));
  return { reference: refOf(''), messages };
}

/**
 * Records the officer's answer for one message in doubt. Null when it is no longer `sending`
 * (another officer answered first).
 */
export async function resolveInDoubt(
  register: MessageRegister,
  message: InDoubt,
  left: boolean,
  actor: Actor,
): Promise<MessageRecord | null> {
  return register.changeMessageStatus(
    message.id,
    ['sending'],
    left
      ? { status: 'sent', serverReply: `confirmed by ${actor.user}` }
      : { status: 'failed', reason: `not sent, confirmed by ${actor.user}` },
    actor,
  );
}
