/**
 * The register: what a workspace's state is, wherever it lives. The core sees only these
 * interfaces, each narrowed to what one part of the core uses; every method returns a Promise.
 *
 * Two implementations, one contract suite (test/storage/register-contract.ts):
 * - `sqlite/`: the embedded default, one file `.nv/registry.sqlite`, archive in `.nv/archive/`;
 * - `postgres/`: a shared database (NV_DATABASE_URL or `register:` in nv.yaml), archive in it.
 *
 * The record types live in their domains (references/records.ts, replies/records.ts,
 * delegations/lists.ts, audit.ts).
 */
import type { Actor, AuditEntry } from '../audit.js';
import type { DelegationList, NewDelegationList } from '../delegations/lists.js';
import type {
  Dispatch,
  DispatchRequest,
  EnsureResult,
  NoteRecord,
  SentNote,
  WrittenNote,
} from '../references/records.js';
import type { NewReply, ReplyChange, ReplyRecord } from '../replies/records.js';
import type {
  MessageChange,
  MessageRecord,
  MessageStatus,
  NewMessage,
  SendingClaim,
  SmtpMessage,
} from '../dispatch/records.js';

/** Reference numbers, dispatches and their notes (the officer's `generate`, `ref`). */
export interface DispatchRegister {
  /**
   * In one transaction: for each request, find its active dispatch or allocate the next number of
   * (series, year) and record it, with its notes and the audit entry. Unique, gap-free, monotonic,
   * safe with several processes (and machines) at once.
   */
  ensureDispatches(requests: DispatchRequest[], actor: Actor): Promise<EnsureResult[]>;
  /** Records that notes' files were written, in one transaction. */
  recordNotesWritten(notes: WrittenNote[], actor: Actor): Promise<void>;
  /** The next sequence number (series, year) would get, without allocating it. */
  peekNext(series: string, year: number, firstSeq: number): Promise<number>;
  /** Sets the next number of (series, year); never backwards over a number already allocated. */
  setNext(series: string, year: number, next: number, actor: Actor): Promise<void>;
  findDispatch(series: string, year: number, seq: number): Promise<Dispatch | undefined>;
  findActiveDispatchByKey(key: string): Promise<Dispatch | undefined>;
  listDispatches(): Promise<Dispatch[]>;
  notesOf(dispatchId: number): Promise<NoteRecord[]>;
  voidDispatch(dispatchId: number, reason: string, actor: Actor): Promise<Dispatch>;
  /** Every note of every active dispatch. */
  sentNotes(): Promise<SentNote[]>;
}

/** Replies and their documents (the clerk's `ingest`, `reply`, `validate`, `status`). */
export interface ReplyRegister {
  /** The reply whose file, or one of whose documents, has these bytes. */
  findReplyBySha(sha256: string): Promise<ReplyRecord | undefined>;
  /**
   * Records a reply and its documents in one transaction. The same bytes (sha256) recorded
   * already, by this or another process at the same moment, are not recorded twice: the reply
   * on record comes back with `created: false`.
   */
  addReply(reply: NewReply, actor: Actor): Promise<{ reply: ReplyRecord; created: boolean }>;
  getReply(id: number): Promise<ReplyRecord | undefined>;
  /** The replies that count, in order; `includeRemoved` adds those the clerk removed. */
  listReplies(opts?: { includeRemoved?: boolean }): Promise<ReplyRecord[]>;
  /**
   * Takes a reply out of the counts, with who and why (audit log too); its row, documents and
   * archived bytes stay. A reply removed already is refused.
   */
  removeReply(id: number, reason: string, actor: Actor): Promise<ReplyRecord>;
  updateReply(id: number, change: ReplyChange, actor: Actor): Promise<ReplyRecord>;
}

/** Delegation lists (the clerk's `delegation import`, the export of participants). */
export interface DelegationRegister {
  /**
   * Records delegation lists, all or none (one transaction). A State's previous list stays in
   * history, superseded. The same bytes for the same State again change nothing.
   */
  importDelegations(
    lists: NewDelegationList[],
    actor: Actor,
  ): Promise<{ list: DelegationList; replaced: number | null; unchanged: boolean }[]>;
  /**
   * The current list of every State (not superseded, and not carried by a removed reply), with
   * participants in submitted order.
   */
  currentDelegations(): Promise<DelegationList[]>;
  /** Every list of a State, newest first. */
  delegationHistory(state: string): Promise<DelegationList[]>;
}

/** The messages that carry notes to their recipients (the officer's `dispatch`, `ref show`). */
export interface MessageRegister {
  /** Records messages, all or none (one transaction), with an audit entry each. */
  recordMessages(messages: NewMessage[], actor: Actor): Promise<MessageRecord[]>;
  /** Every message of these notes, oldest first. */
  messagesOf(noteIds: number[]): Promise<MessageRecord[]>;
  /**
   * Records one SMTP message as `sending`, before it is handed to the server, unless its note
   * already has an SMTP message `sending` or `sent`: then nothing is recorded and that message is
   * returned (`claimed: false`). One transaction, the note locked: two batches at once never both
   * hand one note to a server. `again` lets a note already `sent` be sent once more, never while
   * one of its messages is `sending`. An audit entry when claimed.
   */
  claimSending(message: SmtpMessage, actor: Actor, opts?: { again?: boolean }): Promise<SendingClaim>;
  /**
   * Moves a message from one of the statuses `from` to `change.status` (with the server's reply
   * or the reason), with an audit entry; null, and nothing recorded, when its status was not one
   * of `from` (another process moved it first).
   */
  changeMessageStatus(
    id: number,
    from: MessageStatus[],
    change: MessageChange,
    actor: Actor,
  ): Promise<MessageRecord | null>;
  /** The messages whose Message-ID (without angle brackets) is one of these, oldest first. */
  messagesById(messageIds: string[]): Promise<MessageRecord[]>;
  /** Every message with one of these statuses, oldest first. */
  messagesWithStatus(statuses: MessageStatus[]): Promise<MessageRecord[]>;
}

export interface AuditLog {
  /** The newest entries first; all when no limit. */
  audit(limit?: number): Promise<AuditEntry[]>;
}

/** One archived file: its SHA-256, size in bytes and the extension it is opened with. */
export interface ArchivedFile {
  sha256: string;
  size: number;
  extension: string;
}

/**
 * The original bytes of every ingested file (and of the documents extracted from e-mails), under
 * their SHA-256, each stored once. SQLite workspaces keep them in `.nv/archive/`; PostgreSQL in
 * the database, in chunks, so that no file is ever held whole in memory to store or read it.
 */
export interface ArchiveStore {
  /**
   * Stores the bytes once (a second put of the same SHA-256, from any process, changes nothing).
   * An original is durable before this returns; a `derived` document (inside an archived e-mail)
   * need not be flushed. The caller has computed `sha256`; the store verifies it while writing and
   * refuses bytes that do not match.
   */
  put(
    sha256: string,
    bytes: Uint8Array | AsyncIterable<Uint8Array>,
    options: { extension: string; derived?: boolean },
  ): Promise<void>;
  has(sha256: string): Promise<boolean>;
  /** The bytes, in chunks; throws UserError naming the SHA-256 when the archive lacks them. */
  read(sha256: string): AsyncIterable<Uint8Array>;
  /**
   * A local file with these bytes, for a program to open (`nv reply open`): the archive file itself
   * for SQLite; for PostgreSQL a copy streamed into the workspace's `.nv/cache/archive/`, checked
   * against its SHA-256.
   */
  localPath(sha256: string): Promise<string>;
  /** Every file held, by SHA-256 order (for `nv db copy` and its verification). */
  list(): AsyncIterable<ArchivedFile>;
}

/** The tables of a register, in the order a copy must fill them (references before use). */
export const TABLES = [
  'counters',
  'dispatches',
  'notes',
  'audit',
  'replies',
  'documents',
  'delegation_lists',
  'participants',
  'messages',
] as const;
export type TableName = (typeof TABLES)[number];

/**
 * A row as the SQLite schema stores it (src/storage/sqlite/schema.ts), column names and values
 * verbatim: JSON columns as their text, booleans as 0/1, times as ISO text, ids kept. Both
 * implementations read and write this shape, so `nv db copy` moves rows between them unchanged.
 */
export type TableRow = Record<string, string | number | null>;

/** The whole history of a register, table by table, for `nv db copy`. */
export interface RegisterHistory {
  /** Rows of one table, by id (counters by series, year), in batches. */
  exportRows(table: TableName): AsyncIterable<TableRow[]>;
  /**
   * Into an EMPTY register only (refused otherwise, with one sentence): every table's rows as
   * exported, ids kept, in one transaction; then each id generator set past the largest id.
   */
  importRows(source: (table: TableName) => AsyncIterable<TableRow[]>, actor: Actor): Promise<void>;
  /** Row count of every table. */
  counts(): Promise<Record<TableName, number>>;
}

export interface Register
  extends DispatchRegister, ReplyRegister, DelegationRegister, MessageRegister, AuditLog, RegisterHistory {
  readonly archive: ArchiveStore;
  /** Where it lives, for messages: ".nv/registry.sqlite", "PostgreSQL nv@db.example.org:5432/nv" (never a password). */
  readonly location: string;
  close(): Promise<void>;
}
