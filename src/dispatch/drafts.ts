/**
 * `nv dispatch <ref> --drafts DIR`: one message per recipient of a reference's notes, written as
 * an RFC 5322 `.eml` file that Outlook and Thunderbird open as a ready draft, each recorded in the
 * register as `drafted` under the Message-ID nv made. Every check passes before anything is
 * written: the sender in nv.yaml, each recipient's address, each note's PDF on disk as generated.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Actor } from '../audit.js';
import { formatDateRange } from '../dates.js';
import { UserError } from '../errors.js';
import {
  ensureWritableDir,
  fileSafe,
  removeStaleTemporaries,
  sha256,
  writeFileAtomicAsync,
} from '../files.js';
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
import type { MessageRecord, NewMessage } from './records.js';

export interface DispatchOptions {
  /** The folder the .eml files go to. */
  drafts: string;
  /** Only these recipients (ISO3 codes or UN names). */
  only?: string[];
  /** The covering text (default: covering). */
  template?: string;
  /** Draft again for recipients already drafted. */
  again?: boolean;
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
  /** Where its .eml goes. */
  file: string;
}

export interface DispatchPlan {
  dispatch: Dispatch;
  references: string[];
  outDir: string;
  from: string;
  replyTo: string | undefined;
  domain: string;
  messages: PlannedMessage[];
  /** Recipients drafted before, left alone (no --again). */
  alreadyDrafted: { state: string; name: string; messageId: string; at: string }[];
}

export interface DispatchSummary {
  reference: string;
  drafts: string;
  messages: number;
  alreadyDrafted: number;
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

export interface DispatchResult extends DispatchSummary {
  written: { state: string; name: string; file: string; messageId: string; to: string[]; cc: string[] }[];
}

const RECORD_BATCH = 25;

/** The workspace-relative form of a path inside it; the absolute path otherwise. */
function shown(ws: Workspace, p: string): string {
  const rel = p.startsWith(ws.root + '/') ? p.slice(ws.root.length + 1) : p;
  return rel;
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
  if (opts.only) {
    const wanted = new Set<string>();
    for (const q of opts.only) {
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
  const outDir = resolve(ws.root, opts.drafts);
  const templateName = opts.template ?? 'covering';
  const previous = await register.messagesOf(notes.map((n) => n.id));
  const drafted = new Map<number, MessageRecord[]>();
  for (const m of previous.filter((m) => m.channel === 'drafts'))
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
  const alreadyDrafted: DispatchPlan['alreadyDrafted'] = [];
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
    if (before && !opts.again) {
      const last = before[before.length - 1]!;
      alreadyDrafted.push({ state: r.code, name: r.name, messageId: last.messageId, at: last.createdAt });
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
        ...enclosuresIn(language),
      ],
      file,
    });
  }
  if (problems.length) throw new UserError(problems[0]!, { details: problems.slice(1) });
  const references = [...new Set(notes.map((n) => refOf(n.variant)))];
  return { dispatch, references, outDir, from, replyTo, domain, messages, alreadyDrafted };
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
    drafts: shown(ws, plan.outDir),
    messages: plan.messages.length,
    alreadyDrafted: plan.alreadyDrafted.length,
    recipients,
    totalBytes: recipients.reduce((s, r) => s + r.bytes, 0),
  };
}

/** nv's Message-ID (without brackets): nv.<series>.<year>.<seq>.<recipient>.<random>@<domain>. */
function makeMessageId(plan: DispatchPlan, recipient: string): string {
  const d = plan.dispatch;
  return `nv.${d.series}.${d.year}.${d.seq}.${fileSafe(recipient)}.${randomBytes(6).toString('hex')}@${plan.domain}`;
}

/** The message as RFC 5322 bytes: a draft (X-Unsent: 1) with the note's PDF and enclosures. */
async function compose(plan: DispatchPlan, m: PlannedMessage, messageId: string): Promise<Buffer> {
  const mail = new MailComposer({
    from: plan.from,
    ...(plan.replyTo ? { replyTo: plan.replyTo } : {}),
    to: m.to,
    ...(m.cc.length ? { cc: m.cc } : {}),
    subject: m.subject,
    text: m.text,
    messageId: `<${messageId}>`,
    date: new Date(),
    headers: { 'X-Unsent': '1', 'Content-Language': m.language },
    attachments: m.attachments.map((a) => ({
      filename: a.filename,
      content: readFileSync(a.path),
      contentType: 'application/pdf',
    })),
  });
  return new Promise<Buffer>((ok, fail) => mail.compile().build((e, bytes) => (e ? fail(e) : ok(bytes))));
}

/**
 * Writes each message's .eml (to a temporary name, then renamed) and records it `drafted`, in
 * batches. A run stopped half-way leaves the messages recorded so far; the next run drafts the rest.
 */
export async function executeDispatch(
  ws: Workspace,
  register: MessageRegister,
  plan: DispatchPlan,
  opts: { actor: Actor; onProgress?: (done: number, total: number) => void },
): Promise<DispatchResult> {
  const dirs = new Set(plan.messages.map((m) => resolve(m.file, '..')));
  for (const d of dirs) {
    ensureWritableDir(d);
    removeStaleTemporaries(d);
  }
  const written: DispatchResult['written'] = [];
  let batch: NewMessage[] = [];
  const flush = async () => {
    if (batch.length) await register.recordMessages(batch, opts.actor);
    batch = [];
  };
  opts.onProgress?.(0, plan.messages.length);
  for (const m of plan.messages) {
    const messageId = makeMessageId(plan, m.recipient.code);
    const bytes = await compose(plan, m, messageId);
    await writeFileAtomicAsync(m.file, bytes);
    batch.push({
      noteId: m.note.id,
      recipient: m.recipient.code,
      messageId,
      to: m.to,
      cc: m.cc,
      subject: m.subject,
      channel: 'drafts',
      status: 'drafted',
    });
    written.push({
      state: m.recipient.code,
      name: m.recipient.name,
      file: shown(ws, m.file),
      messageId,
      to: m.to,
      cc: m.cc,
    });
    if (batch.length >= RECORD_BATCH) await flush();
    opts.onProgress?.(written.length, plan.messages.length);
  }
  await flush();
  return { ...summariseDispatch(ws, plan), written };
}
