/**
 * The register: reference numbers, dispatches, the notes they cover, and the audit log.
 *
 * The core sees only this interface. `sqlite/` implements it over better-sqlite3; a PostgreSQL
 * implementation (NV_DATABASE_URL) can be added beside it and must pass the same contract tests
 * (test/storage/register-contract.ts).
 */

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

export interface Register {
  /**
   * In one transaction: for each request, find its active dispatch or allocate the next number of
   * (series, year) and record it, then record its notes. Unique, gap-free, monotonic, safe with
   * several processes at once.
   */
  ensureDispatches(requests: DispatchRequest[], actor: Actor): EnsureResult[];
  /** Records that a note's files were written. */
  recordNoteWritten(noteId: number, inputHash: string, files: Record<string, string>, actor: Actor): void;
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
  close(): void;
}
