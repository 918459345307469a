import { UserError } from '../errors.js';
import type { Dispatch, NoteRecord } from './records.js';
import type { MessageStatus } from '../dispatch/records.js';
import type { DispatchRegister, MessageRegister } from '../storage/register.js';
import type { Workspace } from '../workspace/load.js';
import { formatReference, parseReference } from './format.js';

export interface DispatchView {
  /** The references printed on its notes (one per variant). */
  references: string[];
  series: string;
  year: number;
  seq: number;
  kind: Dispatch['kind'];
  template: string;
  date: string;
  status: Dispatch['status'];
  voidReason: string | null;
  createdAt: string;
  notes: number;
}

function refsOf(ws: Workspace, d: Dispatch, notes: NoteRecord[]): string[] {
  const variants = [...new Set(notes.map((n) => n.variant))].sort();
  const parts = { series: d.series, year: d.year, seq: d.seq, office: ws.config.reference.office };
  return (variants.length ? variants : ['']).map((variant) =>
    formatReference(ws.config.reference.format, { ...parts, variant }),
  );
}

/** The dispatch as `nv ref` shows it, from its notes. */
export function viewDispatch(ws: Workspace, d: Dispatch, notes: NoteRecord[]): DispatchView {
  return {
    references: refsOf(ws, d, notes),
    series: d.series,
    year: d.year,
    seq: d.seq,
    kind: d.kind,
    template: d.template,
    date: d.date,
    status: d.status,
    voidReason: d.voidReason,
    createdAt: d.createdAt,
    notes: notes.length,
  };
}

export async function listReferences(ws: Workspace, register: DispatchRegister): Promise<DispatchView[]> {
  const views: DispatchView[] = [];
  for (const d of await register.listDispatches())
    views.push(viewDispatch(ws, d, await register.notesOf(d.id)));
  return views;
}

/** Finds the dispatch a reference names ("CU 2012/150(A)/DTA/CEB/CSS", "CU 2012/150" or "150"). */
export async function resolveReference(
  ws: Workspace,
  register: DispatchRegister,
  text: string,
): Promise<Dispatch> {
  const year = Number(ws.config.notes.date.slice(0, 4));
  const p = /^\d+$/.test(text.trim())
    ? { series: ws.config.reference.series, year, seq: Number(text.trim()) }
    : parseReference(text, ws.config.reference.format, ws.config.reference.office);
  if (!p)
    throw new UserError(
      `"${text}" is not a reference; write it as in the register, e.g. "${ws.config.reference.series} ${year}/150".`,
    );
  const d = await register.findDispatch(p.series, p.year, p.seq);
  if (d) return d;
  const next = await register.peekNext(p.series, p.year, ws.config.reference.first);
  const name = `${p.series} ${p.year}/${p.seq}`;
  if (p.seq >= next)
    throw new UserError(
      `${name} is not in the register: it has not been allocated yet (the next number is ${p.series} ${p.year}/${next}); "nv generate" allocates numbers, "nv ref list" shows those allocated.`,
    );
  throw new UserError(`${name} is not in the register; "nv ref list" shows the numbers allocated.`);
}

/** One message that carried a note: its status, since when, its Message-ID. */
export interface MessageView {
  status: MessageStatus;
  at: string;
  messageId: string;
  channel: 'drafts' | 'smtp';
  to: string[];
  /** What the server answered (SMTP), or null. */
  serverReply: string | null;
  /** Why it failed or bounced, or null. */
  reason: string | null;
}

export async function showReference(
  ws: Workspace,
  register: DispatchRegister & MessageRegister,
  text: string,
): Promise<
  DispatchView & {
    recipients: {
      recipient: string;
      variant: string;
      files: string[];
      writtenAt: string | null;
      messages: MessageView[];
    }[];
  }
> {
  const d = await resolveReference(ws, register, text);
  const notes = await register.notesOf(d.id);
  const messages = await register.messagesOf(notes.map((n) => n.id));
  return {
    ...viewDispatch(ws, d, notes),
    recipients: notes.map((n) => ({
      recipient: n.recipient,
      variant: n.variant,
      files: Object.keys(n.files),
      writtenAt: n.writtenAt,
      messages: messages
        .filter((m) => m.noteId === n.id)
        .map((m) => ({
          status: m.status,
          at: m.statusAt,
          messageId: m.messageId,
          channel: m.channel,
          to: m.to,
          serverReply: m.serverReply,
          reason: m.reason,
        })),
    })),
  };
}
