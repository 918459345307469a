/** What the register keeps of reference numbers, dispatches and the notes they cover. */

export type DispatchKind = 'circular' | 'individual';

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

export interface EnsureResult {
  dispatch: Dispatch;
  /** True when this call allocated the number (false: the dispatch existed). */
  allocated: boolean;
  notes: NoteRecord[];
}

/** A note the register sent: who, under which dispatch and variant. */
export interface SentNote {
  recipient: string;
  variant: string;
  dispatch: Dispatch;
  writtenAt: string | null;
}

/** A note whose files were written: recorded in batches by `recordNotesWritten`. */
export interface WrittenNote {
  noteId: number;
  inputHash: string;
  files: Record<string, string>;
}
