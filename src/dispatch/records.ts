/** What the register keeps of the messages that carry notes to their recipients (issue 10). */

export type MessageChannel = 'drafts' | 'smtp';
export type MessageStatus = 'drafted' | 'sending' | 'sent' | 'failed' | 'bounced';

/** A message to record: one note, one recipient, one Message-ID. */
export interface NewMessage {
  noteId: number;
  /** Recipient code (ISO3 for a State), as on the note. */
  recipient: string;
  /** The Message-ID nv made, without angle brackets. */
  messageId: string;
  /** The To addresses. */
  to: string[];
  cc: string[];
  subject: string;
  channel: MessageChannel;
  status: MessageStatus;
}

export interface MessageRecord extends NewMessage {
  id: number;
  statusAt: string;
  /** What the server answered (SMTP), or null. */
  serverReply: string | null;
  /** Why it failed or bounced, or null. */
  reason: string | null;
  createdAt: string;
}

/** A message's move to another status: what the server answered, or why it failed or bounced. */
export interface MessageChange {
  status: MessageStatus;
  serverReply?: string | null;
  reason?: string | null;
}

/** A message about to be handed to an SMTP server: recorded `sending`, channel `smtp`. */
export type SmtpMessage = Omit<NewMessage, 'status' | 'channel'>;

/** `claimSending`'s answer: the message recorded `sending`, or the note's message that blocks it. */
export type SendingClaim =
  { claimed: true; message: MessageRecord } | { claimed: false; message: MessageRecord };
