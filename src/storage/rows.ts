/**
 * A register row (the SQLite schema's columns, which PostgreSQL mirrors: JSON as text, booleans
 * as 0/1) as the record the core uses. Shared by both implementations.
 */
import type { MessageChange, MessageRecord, MessageStatus, NewMessage } from '../dispatch/records.js';
import type { AuditEntry } from '../audit.js';
import type { DelegationList, Participant } from '../delegations/lists.js';
import { PERSON_FIELDS, type ParticipantValues } from '../participant-fields.js';
import type { Dispatch, NoteRecord } from '../references/records.js';
import type { DocumentRecord, ReplyRecord } from '../replies/records.js';

export type Row = Record<string, unknown>;

export function toDispatch(r: Row): Dispatch {
  return {
    id: r.id as number,
    key: r.key as string,
    series: r.series as string,
    year: r.year as number,
    seq: r.seq as number,
    kind: r.kind as Dispatch['kind'],
    template: r.template as string,
    date: r.date as string,
    status: r.status as Dispatch['status'],
    voidReason: (r.void_reason as string | null) ?? null,
    createdAt: r.created_at as string,
  };
}

export function toNote(r: Row): NoteRecord {
  return {
    id: r.id as number,
    dispatchId: r.dispatch_id as number,
    recipient: r.recipient as string,
    variant: r.variant as string,
    inputHash: (r.input_hash as string | null) ?? null,
    files: JSON.parse(r.files as string) as Record<string, string>,
    writtenAt: (r.written_at as string | null) ?? null,
  };
}

export function toDocument(r: Row): DocumentRecord {
  return {
    id: r.id as number,
    position: r.position as number,
    sha256: r.sha256 as string,
    name: (r.name as string | null) ?? null,
    declaredType: (r.declared_type as string | null) ?? null,
    fileKind: r.file_kind as string,
    size: r.size as number,
    class: r.class as string,
    reason: r.reason as string,
    measurements: JSON.parse(r.measurements as string) as Record<string, unknown>,
    forwarded: r.forwarded === 1,
  };
}

export function toReply(r: Row, documents: DocumentRecord[]): ReplyRecord {
  const str = (k: string) => (r[k] as string | null) ?? null;
  return {
    id: r.id as number,
    sha256: r.sha256 as string,
    fileKind: r.file_kind as string,
    originalName: str('original_name'),
    channel: str('channel') as ReplyRecord['channel'],
    state: str('state'),
    stateSource: str('state_source'),
    receivedAt: str('received_at'),
    receivedSource: str('received_source'),
    receivedProblem: str('received_problem'),
    sender: str('sender'),
    senderDomain: str('sender_domain'),
    subject: str('subject'),
    messageId: str('message_id'),
    cited: JSON.parse(r.cited as string) as string[],
    problems: JSON.parse(r.problems as string) as string[],
    documents,
    decision: str('decision') as ReplyRecord['decision'],
    decisionReason: str('decision_reason'),
    decidedBy: str('decided_by'),
    decidedAt: str('decided_at'),
    ingestedAt: r.ingested_at as string,
    removedAt: str('removed_at'),
    removedBy: str('removed_by'),
    removedReason: str('removed_reason'),
    answers: str('answers_message'),
  };
}

export function toParticipant(r: Row): Participant {
  // The participant's columns are those of the participant table, in its order.
  const values = Object.fromEntries(
    PERSON_FIELDS.map((f) => [f.key, f.stored === 'json' ? JSON.parse(r[f.column] as string) : r[f.column]]),
  ) as ParticipantValues;
  return {
    id: r.id as number,
    listId: r.list_id as number,
    position: r.position as number,
    line: r.line as number,
    ...values,
  };
}

export function toList(r: Row, participants: Participant[]): DelegationList {
  return {
    id: r.id as number,
    state: r.state as string,
    replyId: (r.reply_id as number | null) ?? null,
    sha256: r.sha256 as string,
    sourceName: (r.source_name as string | null) ?? null,
    encoding: r.encoding as string,
    delimiter: r.delimiter as string,
    warnings: JSON.parse(r.warnings as string) as string[],
    importedAt: r.imported_at as string,
    supersededBy: (r.superseded_by as number | null) ?? null,
    participants,
  };
}

export function toAuditEntry(r: Row): AuditEntry {
  return {
    id: r.id as number,
    at: r.at as string,
    user: r.user as string,
    command: r.command as string,
    action: r.action as string,
    detail: JSON.parse(r.detail as string) as Record<string, unknown>,
  };
}

export function toMessage(r: Row): MessageRecord {
  return {
    id: Number(r.id),
    noteId: Number(r.note_id),
    recipient: r.recipient as string,
    messageId: r.message_id as string,
    to: JSON.parse(r.to as string) as string[],
    cc: JSON.parse(r.cc as string) as string[],
    subject: r.subject as string,
    channel: r.channel as MessageRecord['channel'],
    status: r.status as MessageRecord['status'],
    statusAt: r.status_at as string,
    serverReply: (r.server_reply as string | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    createdAt: r.created_at as string,
  };
}

/** The audit entry of a recorded message: its action and detail. */
export function messageAudit(m: NewMessage): [string, Record<string, unknown>] {
  return [
    `message-${m.status}`,
    { note: m.noteId, recipient: m.recipient, messageId: m.messageId, channel: m.channel },
  ];
}

/** The audit entry of a message's change of status. */
export function messageChangeAudit(
  before: MessageRecord,
  change: MessageChange,
): [string, Record<string, unknown>] {
  return [
    `message-${change.status}`,
    {
      note: before.noteId,
      recipient: before.recipient,
      messageId: before.messageId,
      from: before.status,
      ...(change.serverReply ? { serverReply: change.serverReply } : {}),
      ...(change.reason ? { reason: change.reason } : {}),
    },
  ];
}

/** The statuses of an SMTP message that keep its note from being handed to a server again. */
export function blockingStatuses(again: boolean): MessageStatus[] {
  return again ? ['sending'] : ['sending', 'sent'];
}

/** The values of a messages row, in the order of MESSAGE_COLUMNS, recorded at `at`. */
export const MESSAGE_COLUMNS =
  'note_id, recipient, message_id, "to", cc, subject, channel, status, status_at, created_at';
export function messageValues(m: NewMessage, at: string): (string | number)[] {
  return [
    m.noteId,
    m.recipient,
    m.messageId,
    JSON.stringify(m.to),
    JSON.stringify(m.cc),
    m.subject,
    m.channel,
    m.status,
    at,
    at,
  ];
}
