/**
 * The plan of `nv dispatch <ref>`: one message per recipient of a reference's notes, and the one
 * builder of its RFC 5322 bytes, whether it goes out as an `.eml` draft (drafts.ts) or by SMTP
 * (send.ts). Every check passes before anything is written or sent: the sender in nv.yaml, each
 * recipient's address, each note's PDF on disk as generated.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { formatDateRange } from '../dates.js';
import { UserError } from '../errors.js';
import { fileSafe, sha256 } from '../files.js';
import { formatReference, referenceSlug } from '../references/format.js';
import { resolveReference } from '../references/lookup.js';
import type { Dispatch, NoteRecord } from '../references/records.js';
import type { DispatchRegister, MessageRegister } from '../storage/register.js';
import { listTemplates, loadTemplate } from '../templates/load.js';
import { missingLanguageMessage, textIn } from '../workspace/config.js';
import { parseMailbox } from '../workspace/email-address.js';
import type { Workspace } from '../workspace/load.js';
import { findRecipient, type Recipient } from '../workspace/recipients.js';
import { loadCovering } from './covering.js';
import type { MessageRecord, SmtpMessage } from './records.js';

export interface DispatchOptions {
  /** The folder the .eml files go to; absent: the messages go by SMTP. */
  drafts?: string | undefined;
  /** Only these recipients (ISO3 codes or UN names). */
  only?: string[];
  /** The covering text (default: covering). */
  template?: string;
  /** Draft (or send) again for recipients already drafted (or sent). */
  again?: boolean | undefined;
  /** The enclosures as one link under this base URL instead of attached (the PDF always is). */
  linkBase?: string | undefined;
}

export interface PlannedAttachment {
  filename: string;
  path: string;
  size: number;
}

export interface PlannedMessage {
  recipient: Recipient;
  note: NoteRecord;
  reference: string;
  language: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  attachments: PlannedAttachment[];
  /** The enclosures' links (`--enclosures link`), listed under the covering text. */
  links: string[];
  /** Where its .eml goes (drafts only). */
  file: string;
}

/** A note's message that keeps it out of this run: drafted or sent before, or maybe sent. */
export interface HeldMessage {
  state: string;
  name: string;
  messageId: string;
  at: string;
  to: string[];
  /** The register's id of that message. */
  id: number;
}

export interface DispatchPlan {
  dispatch: Dispatch;
  references: string[];
  outDir: string;
  from: string;
  replyTo: string | undefined;
  domain: string;
  channel: 'drafts' | 'smtp';
  messages: PlannedMessage[];
  /** Recipients drafted (drafts) or sent (SMTP) before, left alone (no --again). */
  already: HeldMessage[];
  /** SMTP: recipients whose message was left `sending` (it may or may not have left): never resent. */
  pending: HeldMessage[];
}

export interface DispatchSummary {
  reference: string;
  /** Drafts: the folder they go to. */
  drafts?: string;
  messages: number;
  /** Drafts: drafted before, left alone. */
  alreadyDrafted?: number;
  /** SMTP: sent before, left alone. */
  alreadySent?: number;
  /** SMTP: left `sending` by an earlier run, for the officer (`--resolve`). */
  pending?: { state: string; name: string; messageId: string; since: string }[];
  recipients: {
    state: string;
    name: string;
    to: string[];
    cc: string[];
    attachments: string[];
    bytes: number;
  }[];
  /** Bytes of every attachment of every message. */
  totalBytes: number;
}

/** The workspace-relative form of a path inside it; the absolute path otherwise. */
export function shown(ws: Workspace, p: string): string {
  const rel = p.startsWith(ws.root + '/') ? p.slice(ws.root.length + 1) : p;
  return rel;
}

/**
 * The notes of a reference that a dispatch is about (all, or `only` these recipients), with how
 * to write their references; `problems` lists the `only` names that have no note there.
 */
export async function notesToDispatch(
  ws: Workspace,
  register: DispatchRegister,
  refText: string,
  only: string[] | undefined,
) {
  const dispatch = await resolveReference(ws, register, refText);
  const parts = {
    series: dispatch.series,
    year: dispatch.year,
    seq: dispatch.seq,
    office: ws.config.reference.office,
  };
  const refOf = (variant: string) => formatReference(ws.config.reference.format, { ...parts, variant });
  if (dispatch.status === 'void')
    throw new UserError(`${refOf('')} is void (${dispatch.voidReason}); its notes are not sent.`);
  let notes = await register.notesOf(dispatch.id);
  const problems: string[] = [];
  if (only) {
    const wanted = new Set<string>();
    for (const q of only) {
      const r = findRecipient(ws.recipients, q);
      const code = r?.code ?? q.trim().toUpperCase();
      if (!notes.some((n) => n.recipient === code))
        problems.push(
          `"${q}" has no note under ${refOf('')}; name a recipient of that reference ("nv ref show ${refOf('')}").`,
        );
      wanted.add(code);
    }
    notes = notes.filter((n) => wanted.has(n.recipient));
  }
  return { dispatch, parts, refOf, notes, problems };
}

/** Every check, and what would be written; writes nothing. Throws UserError (all problems at once). */
export async function planDispatch(
  ws: Workspace,
  register: DispatchRegister & MessageRegister,
  refText: string,
  opts: DispatchOptions,
): Promise<DispatchPlan> {
  const from = ws.config.dispatch?.from;
  if (!from)
    throw new UserError(
      'nv.yaml has no dispatch.from, the address the messages are sent from; add "dispatch:" with "from: registry@example.org" (and "reply_to:" if replies go elsewhere) to nv.yaml.',
    );
  const domain = parseMailbox(from)!
    .address.split('@')
    .pop()!
    .replace(/^\[|\]$/g, '');
  const replyTo = ws.config.dispatch?.reply_to;
  const { dispatch, parts, refOf, notes, problems } = await notesToDispatch(ws, register, refText, opts.only);
  const channel = opts.drafts === undefined ? 'smtp' : 'drafts';
  const outDir = resolve(ws.root, opts.drafts ?? '.');
  const templateName = opts.template ?? 'covering';
  const previous = await register.messagesOf(notes.map((n) => n.id));
  const drafted = new Map<number, MessageRecord[]>();
  for (const m of previous.filter((m) => m.channel === channel))
    drafted.set(m.noteId, [...(drafted.get(m.noteId) ?? []), m]);
  const noteTemplates = new Map(
    listTemplates(ws.paths.templates)
      .filter((t) => t.name === dispatch.template)
      .map((t) => [t.language, t]),
  );
  const enclosures = new Map<string, PlannedAttachment[]>();
  const enclosuresIn = (language: string): PlannedAttachment[] => {
    const known = enclosures.get(language);
    if (known) return known;
    const ref = noteTemplates.get(language);
    const list = (ref ? loadTemplate(ref).front.attachments : []).map((f) => {
      const path = resolve(ws.paths.attachments, f);
      if (!existsSync(path)) {
        problems.push(
          `The enclosure ${shown(ws, path)} of the ${dispatch.template} notes does not exist; put it back or run "nv generate" again.`,
        );
        return { filename: basename(path), path, size: 0 };
      }
      return { filename: basename(path), path, size: statSync(path).size };
    });
    enclosures.set(language, list);
    return list;
  };
  const generate = (code: string) =>
    `nv generate --template ${dispatch.template}${opts.only ? ` --only ${code}` : ''}`;
  const messages: PlannedMessage[] = [];
  const already: HeldMessage[] = [];
  const pending: HeldMessage[] = [];
  for (const note of notes) {
    const r = ws.recipients.find((x) => x.code === note.recipient);
    if (!r) {
      problems.push(
        `${note.recipient} has a note under ${refOf(note.variant)} but is no longer in recipients.csv; put its line back, or leave it out with --only.`,
      );
      continue;
    }
    const who = `${r.name} (${r.code})`;
    const reference = refOf(note.variant);
    const before = drafted.get(note.id);
    const held = (m: MessageRecord): HeldMessage => ({
      state: r.code,
      name: r.name,
      messageId: m.messageId,
      at: m.statusAt,
      to: m.to,
      id: m.id,
    });
    // SMTP: a message left `sending` may have left; it is never sent again without the officer.
    const sending = before?.find((m) => m.status === 'sending');
    if (channel === 'smtp' && sending) {
      pending.push(held(sending));
      continue;
    }
    const done =
      channel === 'drafts' ? before : before?.filter((m) => m.status === 'sent' || m.status === 'bounced');
    if (done?.length && !opts.again) {
      already.push(held(done[done.length - 1]!));
      continue;
    }
    if (r.email.length === 0) {
      problems.push(
        `${who} has no address in the email column of recipients.csv (line ${r.line}); write its mission's address there, or leave it out with --only.`,
      );
      continue;
    }
    const pdf = Object.entries(note.files).find(([p]) => p.toLowerCase().endsWith('.pdf'));
    if (!pdf) {
      problems.push(
        `The note to ${who} under ${reference} has not been generated as a PDF yet; run "${generate(r.code)}" first.`,
      );
      continue;
    }
    const pdfPath = resolve(ws.root, pdf[0]);
    if (!existsSync(pdfPath) || sha256(readFileSync(pdfPath)) !== pdf[1]) {
      problems.push(
        `The PDF of the note to ${who} under ${reference} (${pdf[0]}) is ${existsSync(pdfPath) ? 'not the file nv generated (it was changed since)' : 'missing'}; run "${generate(r.code)}" to write it again.`,
      );
      continue;
    }
    const language = r.language;
    const title = textIn(ws.config, 'meeting.title', ws.config.meeting.title, language);
    if (title === undefined) {
      problems.push(missingLanguageMessage(ws.config, 'meeting.title', language, 'covering')!);
      continue;
    }
    const covering = loadCovering(ws.paths.templates, templateName, language);
    const { subject, text } = covering.fill(
      new Map([
        ['reference', reference],
        ['meeting.title', title],
        ['meeting.dates', formatDateRange(ws.config.meeting.start, ws.config.meeting.end, language)],
        ['addressee', r.addressee],
        ['sender.author', ws.config.sender.author],
      ]),
    );
    const n = (before?.length ?? 0) + 1;
    const file = join(
      outDir,
      referenceSlug({ ...parts, variant: note.variant }),
      `${fileSafe(r.code)}-${fileSafe(r.name)}${n > 1 ? `.${n}` : ''}.eml`,
    );
    messages.push({
      recipient: r,
      note,
      reference,
      language,
      to: r.email,
      cc: r.cc,
      subject,
      text,
      attachments: [
        { filename: basename(pdfPath), path: pdfPath, size: statSync(pdfPath).size },
        ...(opts.linkBase ? [] : enclosuresIn(language)),
      ],
      links: opts.linkBase
        ? enclosuresIn(language).map((a) => enclosureLink(opts.linkBase!, a.filename))
        : [],
      file,
    });
  }
  if (problems.length) throw new UserError(problems[0]!, { details: problems.slice(1) });
  const references = [...new Set(notes.map((n) => refOf(n.variant)))];
  return { dispatch, references, outDir, from, replyTo, domain, channel, messages, already, pending };
}

export function summariseDispatch(ws: Workspace, plan: DispatchPlan): DispatchSummary {
  const recipients = plan.messages.map((m) => ({
    state: m.recipient.code,
    name: m.recipient.name,
    to: m.to,
    cc: m.cc,
    attachments: m.attachments.map((a) => a.filename),
    bytes: m.attachments.reduce((s, a) => s + a.size, 0),
  }));
  return {
    reference: plan.references.join(', '),
    ...(plan.channel === 'drafts'
      ? {
          drafts: shown(ws, plan.outDir),
          messages: plan.messages.length,
          alreadyDrafted: plan.already.length,
        }
      : { messages: plan.messages.length }),
    ...(plan.channel === 'smtp'
      ? {
          alreadySent: plan.already.length,
          pending: plan.pending.map((p) => ({
            state: p.state,
            name: p.name,
            messageId: p.messageId,
            since: p.at,
          })),
        }
      : {}),
    recipients,
    totalBytes: recipients.reduce((s, r) => s + r.bytes, 0),
  };
}

/** nv's Message-ID (without brackets): nv.<series>.<year>.<seq>.<recipient>.<random>@<domain>. */
function makeMessageId(plan: DispatchPlan, recipient: string): string {
  const d = plan.dispatch;
  return `nv.${d.series}.${d.year}.${d.seq}.${fileSafe(recipient)}.${randomBytes(6).toString('hex')}@${plan.domain}`;
}

/**
 * The message as RFC 5322 bytes, with the note's PDF and enclosures (or their link in the text):
 * the one builder of both ways out. A draft is marked `X-Unsent: 1`, so mail programs open it
 * as a message to send; a message sent by SMTP is not.
 */
async function composeMessage(
  plan: DispatchPlan,
  m: PlannedMessage,
  messageId: string,
  opts: { draft: boolean },
): Promise<Buffer> {
  const text = m.links.length ? `${m.text}\n${m.links.map((l) => `- ${l}`).join('\n')}\n` : m.text;
  const mail = new MailComposer({
    from: plan.from,
    ...(plan.replyTo ? { replyTo: plan.replyTo } : {}),
    to: m.to,
    ...(m.cc.length ? { cc: m.cc } : {}),
    subject: m.subject,
    text,
    messageId: `<${messageId}>`,
    date: new Date(),
    headers: { ...(opts.draft ? { 'X-Unsent': '1' } : {}), 'Content-Language': m.language },
    attachments: m.attachments.map((a) => ({
      filename: a.filename,
      content: readFileSync(a.path),
      contentType: 'application/pdf',
    })),
  });
  return new Promise<Buffer>((ok, fail) => mail.compile().build((e, bytes) => (e ? fail(e) : ok(bytes))));
}

/** One enclosure's address under the base URL the officer published them at. */
function enclosureLink(base: string, filename: string): string {
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(filename)}`;
}

/** A planned message made ready to go: a new Message-ID, its bytes, and what the register keeps of it. */
export async function buildMessage(
  plan: DispatchPlan,
  m: PlannedMessage,
  opts: { draft: boolean },
): Promise<{ bytes: Buffer; record: SmtpMessage }> {
  const messageId = makeMessageId(plan, m.recipient.code);
  const bytes = await composeMessage(plan, m, messageId, opts);
  const record = {
    noteId: m.note.id,
    recipient: m.recipient.code,
    messageId,
    to: m.to,
    cc: m.cc,
    subject: m.subject,
  };
  return { bytes, record };
}
