/**
 * The register: reference numbers, dispatches, the notes they cover, and the audit log.
 *
 * The core sees only this interface. `sqlite/` implements it over better-sqlite3; a PostgreSQL
 * implementation (NV_DATABASE_URL) can be added beside it and must pass the same contract tests
 * (test/storage/register-contract.ts).
 */

import type { ParticipantValues } from '../participant-fields.js';

export type DispatchKind = 'circular' | 'individual';

/** Who changed the register, for the audit log. */
export interface Actor {
  /** OS user name. */
  user: string;
  /** The command line, e.g. "nv generate --template invitation". */
  command: string;
}

export interface NoteRequest {
  /** Recipient code (ISO3 for a State). */
  recipient: string;
  /** Variant letter of a circular ("A", "B"), or "" for none. */
  variant: string;
}

/**
 * What to allocate a number for. `key` says what the number is for: a circular takes one number
 * per key (template + meeting); an individual note one per key (template + recipient + date).
 * Asking again for a key whose dispatch exists (and is not void) returns it and allocates nothing.
 */
export interface DispatchRequest {
  key: string;
  series: string;
  year: number;
  kind: DispatchKind;
  template: string;
  /** The note date (yyyy-mm-dd). */
  date: string;
  notes: NoteRequest[];
  /** The first sequence number for (series, year) when the register has none yet. */
  firstSeq: number;
}

export interface Dispatch {
  id: number;
  key: string;
  series: string;
  year: number;
  seq: number;
  kind: DispatchKind;
  template: string;
  date: string;
  status: 'active' | 'void';
  voidReason: string | null;
  createdAt: string;
}

export interface NoteRecord {
  id: number;
  dispatchId: number;
  recipient: string;
  variant: string;
  /** Hash of everything the note's files are made from; equal hash and files on disk = nothing to do. */
  inputHash: string | null;
  /** Output files written for the note: path relative to the workspace → SHA-256 of its bytes. */
  files: Record<string, string>;
  writtenAt: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  user: string;
  command: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface EnsureResult {
  dispatch: Dispatch;
  /** True when this call allocated the number (false: the dispatch existed). */
  allocated: boolean;
  notes: NoteRecord[];
}

export type Channel = 'email' | 'fax' | 'post';

/** A document a reply carries: an attachment of an e-mail, or the scanned file itself. */
export interface NewDocument {
  sha256: string;
  /** The original file name, as data only (never a path). */
  name: string | null;
  declaredType: string | null;
  fileKind: string;
  size: number;
  /** scanned, scanned-ocr, text-born, office, image, data, unreadable, review */
  class: string;
  reason: string;
  /** The measurements behind the class (per page: image coverage, visible and invisible glyphs…). */
  measurements: Record<string, unknown>;
  /** Inside a message forwarded as an attachment. */
  forwarded: boolean;
}

export interface NewReply {
  sha256: string;
  fileKind: string;
  originalName: string | null;
  channel: Channel | null;
  state: string | null;
  /** How the State was found: flag, domain, reference, name, clerk. */
  stateSource: string | null;
  /** ISO instant. */
  receivedAt: string | null;
  /** received-header, date-header, flag, clerk. */
  receivedSource: string | null;
  receivedProblem: string | null;
  sender: string | null;
  senderDomain: string | null;
  subject: string | null;
  messageId: string | null;
  /** References cited in the subject or file names, as written. */
  cited: string[];
  /** What could not be read while ingesting, in sentences. */
  problems: string[];
  documents: NewDocument[];
}

export interface DocumentRecord extends NewDocument {
  id: number;
  position: number;
}

export interface ReplyRecord extends Omit<NewReply, 'documents'> {
  id: number;
  documents: DocumentRecord[];
  decision: 'accepted' | 'refused' | null;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  ingestedAt: string;
  /** Taken out of the counts by the clerk (`nv reply remove`): when, who, why; null while it counts. */
  removedAt: string | null;
  removedBy: string | null;
  removedReason: string | null;
}

/** A clerk's change to a reply; every field optional. `decision: null` withdraws a decision. */
export interface ReplyChange {
  state?: string | null;
  channel?: Channel;
  receivedAt?: string;
  decision?: { status: 'accepted' | 'refused' | null; reason: string };
}

/** A note the register sent: who, under which dispatch and variant. */
export interface SentNote {
  recipient: string;
  variant: string;
  dispatch: Dispatch;
  writtenAt: string | null;
}

/**
 * One person of a delegation list, as the Government wrote it (names never re-cased): the line
 * of the list, and the fields of the participant table (`participant-fields.ts`).
 */
export type ParticipantInput = { line: number } & ParticipantValues;

export type Participant = ParticipantInput & {
  id: number;
  listId: number;
  /** 1-based order in the list the Government submitted. */
  position: number;
};

export interface NewDelegationList {
  state: string;
  replyId: number | null;
  sha256: string;
  sourceName: string | null;
  encoding: string;
  delimiter: string;
  warnings: string[];
  participants: ParticipantInput[];
}

export interface DelegationList extends Omit<NewDelegationList, 'participants'> {
  id: number;
  importedAt: string;
  supersededBy: number | null;
  participants: Participant[];
}

export interface Register {
  /**
   * In one transaction: for each request, find its active dispatch or allocate the next number of
   * (series, year) and record it, then record its notes. Unique, gap-free, monotonic, safe with
   * several processes at once.
   */
  ensureDispatches(requests: DispatchRequest[], actor: Actor): EnsureResult[];
  /** Records that a note's files were written. */
  recordNoteWritten(noteId: number, inputHash: string, files: Record<string, string>, actor: Actor): void;
  /** The same for several notes, in one transaction. */
  recordNotesWritten(
    notes: { noteId: number; inputHash: string; files: Record<string, string> }[],
    actor: Actor,
  ): void;
  /** The next sequence number (series, year) would get, without allocating it. */
  peekNext(series: string, year: number, firstSeq: number): number;
  /** Sets the next number of (series, year); never backwards over a number already allocated. */
  setNext(series: string, year: number, next: number, actor: Actor): void;
  findDispatch(series: string, year: number, seq: number): Dispatch | undefined;
  findActiveDispatchByKey(key: string): Dispatch | undefined;
  listDispatches(): Dispatch[];
  notesOf(dispatchId: number): NoteRecord[];
  voidDispatch(dispatchId: number, reason: string, actor: Actor): Dispatch;
  audit(limit?: number): AuditEntry[];

  /** The reply whose file, or one of whose documents, has these bytes. */
  findReplyBySha(sha256: string): ReplyRecord | undefined;
  /** Records a reply and its documents in one transaction. */
  addReply(reply: NewReply, actor: Actor): ReplyRecord;
  getReply(id: number): ReplyRecord | undefined;
  /** The replies that count, in order; `includeRemoved` adds those the clerk removed. */
  listReplies(opts?: { includeRemoved?: boolean }): ReplyRecord[];
  /**
   * Takes a reply out of the counts, with who and why (audit log too); its row, documents and
   * archived bytes stay. A reply removed already is refused.
   */
  removeReply(id: number, reason: string, actor: Actor): ReplyRecord;
  updateReply(id: number, change: ReplyChange, actor: Actor): ReplyRecord;
  /** Every note of every active dispatch. */
  sentNotes(): SentNote[];

  /**
   * Records delegation lists, all or none (one transaction). A State's previous list stays in
   * history, superseded. The same bytes for the same State again change nothing.
   */
  importDelegations(
    lists: NewDelegationList[],
    actor: Actor,
  ): { list: DelegationList; replaced: number | null; unchanged: boolean }[];
  /**
   * The current list of every State (not superseded, and not carried by a removed reply), with
   * participants in submitted order.
   */
  currentDelegations(): DelegationList[];
  /** Every list of a State, newest first. */
  delegationHistory(state: string): DelegationList[];

  close(): void;
}
