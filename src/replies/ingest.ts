import { basename } from 'node:path';
import { isoInZone, zoneOffsetMs } from '../dates.js';
import { UserError } from '../errors.js';
import { readInput, sha256, shownPath, walkPaths, type WalkResult } from '../files.js';
import { classifyDocument } from '../intake/classify-document.js';
import { parseEml, type ParsedEml } from '../intake/eml.js';
import { sniffFile } from '../intake/sniff.js';
import type { Actor } from '../audit.js';
import type { SentNote } from '../references/records.js';
import type { Channel, NewDocument, ReplyRecord } from './records.js';
import type { ArchiveStore, DispatchRegister, MessageRegister, ReplyRegister } from '../storage/register.js';
import type { Workspace } from '../workspace/load.js';
import { extensionOf } from './archive.js';
import { readBounce } from './bounce.js';
import { recordBounce, type BounceOutcome } from './record-bounce.js';
import { citedReferences, guessState, threadState } from './resolve-state.js';
import { findThread } from './thread.js';

/**
 * What ingesting needs of the register: replies, the notes sent (to guess the State), the messages
 * dispatched (the thread a reply answers, the message a bounce returns), the archive.
 */
export type IngestRegister = Pick<ReplyRegister, 'findReplyBySha' | 'addReply'> &
  Pick<DispatchRegister, 'sentNotes'> &
  Pick<MessageRegister, 'messagesById' | 'changeMessageStatus'> & { readonly archive: ArchiveStore };

export const CHANNELS: readonly Channel[] = ['email', 'fax', 'post'];

export interface IngestOptions {
  channel?: Channel;
  /** Recipient code (already resolved by the caller). */
  state?: string;
  /** ISO instant. */
  received?: string;
}

/** What the clerk is asked on a terminal; without one, the CLI passes no asker and nothing is asked. */
export interface Asker {
  channel(file: string): Promise<Channel>;
  state(
    file: string,
    facts: { sender: string | null; subject: string | null; documents: string[] },
  ): Promise<string | undefined>;
  received(file: string): Promise<string | undefined>;
}

/** `bounce`: a delivery report on a message nv dispatched (or naming none), never a reply. */
export type IngestResult = 'added' | 'existing' | 'skipped' | 'refused' | 'bounce';

/** What became of one file: each file has its own result, and one bad file never stops the rest. */
export interface IngestItem {
  file: string;
  result: IngestResult;
  /** The reply the file is (added or existing). */
  reply?: ReplyRecord;
  /** What a bounce said and changed. */
  bounce?: BounceOutcome;
  /** Why it was skipped (not a reply) or refused (a reply nv could not take in). */
  reason?: string;
  /** What the user should know of how the file was taken (a flag that did not apply to it). */
  notes: string[];
}

/**
 * Every file under the paths (folders recursively, in name order), and what was passed over
 * with why: links out of the folder named, loops, unreadable folders (see `walkPaths`). A path
 * that does not exist is refused before anything is read.
 */
export function gatherPaths(cwd: string, paths: string[]): WalkResult {
  if (paths.length === 0)
    throw new UserError('Name at least one file or folder to ingest, e.g. "nv ingest inbox/".');
  const walked = walkPaths(cwd, paths);
  if (walked.missing.length)
    throw new UserError(
      `${walked.missing.map((m) => shownPath(cwd, m)).join(', ')} does not exist; check the path.`,
    );
  return walked;
}

/** The files under the paths (see `gatherPaths`); what the walk passed over is left out. */
export function expandPaths(cwd: string, paths: string[]): string[] {
  return gatherPaths(cwd, paths).files;
}

/** What a reply's content is: an e-mail, a PDF, a TIFF/JPEG/PNG image or an office document. */
const REPLY_KINDS = new Set('eml pdf tiff jpeg png docx doc odt rtf xlsx xls ods'.split(' '));
/** A name that says it is one: a damaged or empty file so named is a reply to look at, not skipped. */
const REPLY_NAME = /\.(eml|msg|pdf|tiff?|jpe?g|png|docx?|odt|rtf|xlsx?|ods)$/i;

/** Why a file is not a reply, or null when its content (or, for binary or empty bytes, its name) is a reply's. */
export function notAReply(kind: string, mime: string, name: string): string | null {
  if (REPLY_KINDS.has(kind)) return null;
  const text = mime === 'text/plain' || kind === 'csv';
  if (!text && REPLY_NAME.test(name)) return null;
  const only = 'only e-mails, PDF, TIFF/JPEG/PNG images and office documents are taken in as replies';
  if (kind === 'csv')
    return `a CSV file, not a reply (a delegation list is imported with "nv delegation import"); ${only}`;
  if (kind === 'zip') return `a ZIP archive, not a reply (unpack it and ingest its files); ${only}`;
  if (text) return `plain text, not a reply; ${only}`;
  return `not a reply (${mime === 'application/x-empty' ? 'empty' : mime}); ${only}`;
}

/** A full disk (or quota) while writing the archive or the register. */
function diskFull(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' ? code : undefined;
}

function megabytes(n: number): string {
  return n < 1024 * 1024 ? `${Math.max(1, Math.ceil(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function documentOf(
  bytes: Uint8Array,
  sha: string,
  name: string | null,
  declaredType: string | null,
  forwarded: boolean,
) {
  return { bytes, sha, name, declaredType, forwarded };
}

/** The documents of a message: its attachments, and those of the messages forwarded inside it. */
function documentsOfEml(m: ParsedEml, forwarded = false): ReturnType<typeof documentOf>[] {
  const docs = m.attachments
    .filter((a) => a.kind !== 'eml' && a.declaredType.toLowerCase() !== 'message/rfc822')
    .map((a) => documentOf(a.bytes, a.sha256, a.name, a.declaredType, forwarded));
  for (const f of m.forwarded) docs.push(...documentsOfEml(f, true));
  return docs;
}

function allOf(m: ParsedEml): ParsedEml[] {
  return [m, ...m.forwarded.flatMap(allOf)];
}

/** How to ingest: the flags, who, the asker on a terminal, the folder paths are shown from, progress. */
type IngestArgs = [
  opts: IngestOptions,
  actor: Actor,
  ask?: Asker,
  cwd?: string,
  onProgress?: (done: number, total: number) => void,
];

interface Context {
  ws: Workspace;
  register: IngestRegister;
  sent: SentNote[];
  opts: IngestOptions;
  actor: Actor;
  ask: Asker | undefined;
}

/**
 * Ingests files, each on its own: a file that is not a reply is skipped, one nv cannot take is
 * refused with the reason, and the batch goes on. A reply's bytes go into the archive before
 * anything parses them; the same bytes twice give the existing reply. E-mails are parsed, their
 * documents classified, the State and received time read from what the message shows; what
 * cannot be found is asked (when an asker is given) or left for the clerk (`needs-review`).
 * `--channel` says how the scans came, never an e-mail's. A full disk stops the batch (exit 2):
 * what was stored before stays whole, and the next run takes in the rest.
 */
export async function ingestFiles(
  ws: Workspace,
  register: IngestRegister,
  files: string[],
  ...[opts, actor, ask, cwd = process.cwd(), onProgress]: IngestArgs
): Promise<IngestItem[]> {
  const ctx: Context = {
    ws,
    register,
    sent: await register.sentNotes(),
    opts,
    actor,
    ask,
  };
  const items: IngestItem[] = [];
  let done = 0;
  for (const file of files) {
    const shown = shownPath(cwd, file);
    let size = 0;
    try {
      items.push(await ingestOne(ctx, file, shown, (n) => (size = n)));
    } catch (e) {
      const full = diskFull(e);
      if (full) {
        const taken = items.filter((i) => i.result === 'added').length;
        throw new UserError(
          `The disk holding ${full === 'SQLITE_FULL' ? ws.paths.database : ws.paths.archive} is full (${full}): ${shown} needed about ${megabytes(size)}; free some space and run "nv ingest" again (the ${taken} reply(ies) taken in before are kept whole).`,
          { cause: e },
        );
      }
      const reason = e instanceof UserError ? e.message : `it could not be read (${(e as Error).message})`;
      items.push({ file: shown, result: 'refused', reason, notes: [] });
    }
    onProgress?.(++done, files.length);
  }
  return items;
}

async function ingestOne(
  ctx: Context,
  file: string,
  shown: string,
  sized: (n: number) => void,
): Promise<IngestItem> {
  const { ws, register, opts, ask } = ctx;
  const archive = register.archive;
  const bytes = readInput(file, shown);
  sized(bytes.length);
  const sha = sha256(bytes);
  const existing = await register.findReplyBySha(sha);
  const name = basename(file);
  if (existing) return existingItem(shown, existing);
  const sniffed = await sniffFile(bytes, name);
  const why = notAReply(sniffed.kind, sniffed.mime, name);
  if (why) return { file: shown, result: 'skipped', reason: why, notes: [] };

  const isMail = sniffed.kind === 'eml';
  const notes: string[] = [];
  // --channel says how the scans came; an e-mail came by e-mail whatever the flag says.
  let channel: Channel | null = isMail ? 'email' : (opts.channel ?? null);
  if (isMail && opts.channel && opts.channel !== 'email')
    notes.push(`--channel ${opts.channel} does not apply to an e-mail: recorded as e-mail`);
  if (!channel && ask) channel = await ask.channel(shown);
  if (!channel)
    throw new UserError(
      `it is ${sniffed.kind === 'unknown' ? 'of no type nv knows' : `a ${sniffed.kind.toUpperCase()} file`}, not an e-mail${/\.eml$/i.test(name) ? ' (its name ends in .eml, but it does not begin with the header lines of a message)' : ''}, so nv cannot tell how it came; pass --channel fax or --channel post (it applies to the scans, never to e-mails).`,
    );

  const seenBefore = isMail && (await archive.has(sha));
  await archive.put(sha, bytes, { extension: extensionOf(sniffed.kind) }); // the original, before any parsing
  const problems: string[] = [];
  let raw: ReturnType<typeof documentOf>[];
  let mail: ParsedEml | undefined;
  if (isMail) {
    mail = await parseEml(bytes);
    // A bounce is no reply: it changes the message it returns; its bytes stay archived as evidence.
    const report = readBounce(mail);
    if (report) {
      const bounce = await recordBounce(register, report, { sha256: sha, seenBefore }, ctx.actor);
      return { file: shown, result: 'bounce', bounce, notes };
    }
    problems.push(...mail.problems);
    raw = documentsOfEml(mail);
  } else raw = [documentOf(bytes, sha, name, null, false)];

  const documents: NewDocument[] = [];
  for (const d of raw) {
    const kind = (await sniffFile(d.bytes, d.name ?? undefined)).kind;
    if (d.sha !== sha) await archive.put(d.sha, d.bytes, { extension: extensionOf(kind), derived: true });
    const c = await classifyDocument(d.bytes, kind);
    documents.push({
      sha256: d.sha,
      name: d.name,
      declaredType: d.declaredType,
      fileKind: kind,
      size: d.bytes.length,
      class: c.class,
      reason: c.reason,
      measurements: { pages: c.pages, encrypted: c.encrypted, ...(c.image ? { image: c.image } : {}) },
      forwarded: d.forwarded,
    });
  }

  // The registry forwarding a Government's e-mail: the forwarded message is the reply.
  const own = (d: string | null) =>
    !!d && ws.config.sender.domains.some((k) => d === k || d.endsWith('.' + k));
  const effective = mail && own(mail.fromDomain) && mail.forwarded.length === 1 ? mail.forwarded[0]! : mail;
  const messages = mail ? allOf(mail) : [];
  const texts = [
    ...messages.map((m) => m.subject ?? ''),
    ...messages.map((m) => m.from?.name ?? ''),
    ...documents.map((d) => d.name ?? ''),
    ...(mail ? [] : [name]),
  ].filter(Boolean);
  const cited = citedReferences(ws.config, texts);

  let receivedAt: string | null = opts.received ?? effective?.received.at?.toISOString() ?? null;
  let receivedSource: string | null = opts.received ? 'flag' : (effective?.received.source ?? null);
  if (receivedSource && effective !== mail) receivedSource += ' of the forwarded message';
  let receivedProblem: string | null = opts.received ? null : (effective?.received.problem ?? null);
  if (!receivedAt && ask) {
    const r = await ask.received(shown);
    if (r) [receivedAt, receivedSource, receivedProblem] = [r, 'clerk', null];
  }
  if (!receivedAt && !receivedProblem) receivedProblem = 'no received time: set it with --received';

  // The thread first: a reply answering a message nv dispatched comes from its recipient.
  const thread = effective
    ? await findThread(register, [effective, ...messages.filter((m) => m !== effective)])
    : undefined;
  const guess = guessState(ws.config, ws.recipients, ctx.sent, {
    domains: messages.map((m) => m.fromDomain).filter((d): d is string => !!d && !own(d)),
    texts,
  });
  const taken = threadState(opts.state ?? null, thread, guess);
  problems.push(...taken.problems);
  let state = taken.state;
  let stateSource = taken.source;
  if (!state && ask) {
    const s = await ask.state(shown, {
      sender: mail?.from?.address ?? null,
      subject: mail?.subject ?? null,
      documents: documents.map((d) => `${d.name ?? '(no name)'}: ${d.class}`),
    });
    if (s) [state, stateSource] = [s, 'clerk'];
  }

  const { reply, created } = await register.addReply(
    {
      sha256: sha,
      fileKind: sniffed.kind,
      originalName: name,
      channel,
      state,
      stateSource,
      receivedAt,
      receivedSource,
      receivedProblem,
      sender: effective?.from?.address ?? null,
      senderDomain: effective?.fromDomain ?? null,
      subject: effective?.subject ?? null,
      messageId: effective?.messageId ?? null,
      answers: thread?.message.messageId ?? null,
      cited,
      problems,
      documents,
    },
    ctx.actor,
  );
  // Another process took in the same bytes a moment before: the reply on record.
  if (!created) return existingItem(shown, reply);
  return { file: shown, result: 'added', reply, notes };
}

/** The same bytes ingested before: the reply on record, and whether the clerk removed it. */
function existingItem(shown: string, existing: ReplyRecord): IngestItem {
  const notes = existing.removedAt
    ? [`reply ${existing.id} was removed by ${existing.removedBy}: ${existing.removedReason}`]
    : [];
  return { file: shown, result: 'existing', reply: existing, notes };
}

/**
 * The paths the user named, walked and ingested: every file gets its result, and what the walk
 * passed over (links out of the folder, loops, unreadable folders) is listed as skipped.
 */
export async function ingestPaths(
  ws: Workspace,
  register: IngestRegister,
  paths: string[],
  ...args: IngestArgs
): Promise<IngestItem[]> {
  const cwd = args[3] ?? process.cwd();
  const walked = gatherPaths(cwd, paths);
  const items = await ingestFiles(ws, register, walked.files, ...args);
  for (const s of walked.skipped)
    items.push({ file: shownPath(cwd, s.path), result: 'skipped', reason: s.reason, notes: [] });
  return items;
}

/**
 * Reads a received time given by the clerk: an ISO instant with its zone ("2012-09-24T23:30:00-04:00"),
 * or a date and time in the secretariat's zone ("2012-09-24 14:05").
 */
export function parseReceived(text: string, timeZone: string): string {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(t)) {
    const d = new Date(t.replace(' ', 'T'));
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (m) {
    const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
    const check = new Date(asUtc);
    if (check.getUTCMonth() === mo - 1 && check.getUTCDate() === d && h < 24 && mi < 60 && s < 60) {
      // The wall-clock time in the zone: subtract the zone's offset at that moment (twice, for DST edges).
      let guess = asUtc;
      for (let i = 0; i < 2; i++) guess = asUtc - zoneOffsetMs(new Date(guess), timeZone);
      // A time the clocks skipped (spring) or passed twice (autumn) is not shifted or picked: asked.
      const HOUR = 3_600_000;
      const fits = [...new Set([-3, 3].map((h) => zoneOffsetMs(new Date(asUtc + h * HOUR), timeZone)))]
        .map((off) => asUtc - off)
        .filter((at) => zoneOffsetMs(new Date(at), timeZone) === asUtc - at);
      const offsets = fits.map((at) => isoInZone(new Date(at).toISOString(), timeZone)!.slice(19));
      if (fits.length === 0)
        throw new UserError(
          `"${text}" did not exist in ${timeZone} (the clocks went forward); write the time as the clock showed it, or with its offset, e.g. "${t.slice(0, 10)}T${t.slice(11, 16)}:00+01:00".`,
        );
      if (fits.length > 1)
        throw new UserError(
          `"${text}" happened twice in ${timeZone} (the clocks went back); write it with its offset: ${offsets.map((o) => `"${t.slice(0, 10)}T${t.slice(11, 16)}:00${o}"`).join(' or ')}.`,
        );
      return new Date(guess).toISOString();
    }
  }
  throw new UserError(
    `"${text}" is not a received time; write e.g. "2012-09-24 14:05" (in ${timeZone}) or "2012-09-24T14:05:00+02:00".`,
  );
}
