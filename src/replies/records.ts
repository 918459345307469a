/** What the register keeps of replies and the documents they carry. */

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
  /** How the State was found: flag, thread, domain, reference, name, clerk. */
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
  /**
   * The Message-ID (without angle brackets) of the message nv dispatched that this reply answers,
   * found through its thread (`In-Reply-To`, `References`); null when it answers none of nv's.
   */
  answers: string | null;
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
