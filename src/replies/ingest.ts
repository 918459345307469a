import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { zoneOffsetMs } from '../dates.js';
import { UserError } from '../errors.js';
import { readHead, readInput, sha256 } from '../files.js';
import { classifyDocument } from '../intake/classify-document.js';
import { parseEml, type ParsedEml } from '../intake/eml.js';
import { sniffFile } from '../intake/sniff.js';
import type { Actor, Channel, NewDocument, Register, ReplyRecord } from '../storage/register.js';
import type { Workspace } from '../workspace/load.js';
import { Archive, extensionOf } from './archive.js';
import { citedReferences, guessState } from './resolve-state.js';

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

export interface IngestItem {
  file: string;
  status: 'added' | 'existing';
  reply: ReplyRecord;
}

/** Every file under the paths (folders recursively, in name order); a path that does not exist is refused. */
export function expandPaths(cwd: string, paths: string[]): string[] {
  if (paths.length === 0)
    throw new UserError('Name at least one file or folder to ingest, e.g. "nv ingest inbox/".');
  const out: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>(); // folders by real path: a link back up the tree is read once
  const walk = (p: string) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return missing.push(p);
    if (st.isDirectory()) {
      const real = realpathSync(p);
      if (seen.has(real)) return;
      seen.add(real);
      for (const e of readdirSync(p).sort()) if (!e.startsWith('.')) walk(join(p, e));
    } else if (st.isFile() && !out.includes(p)) out.push(p);
  };
  for (const p of paths) walk(resolve(cwd, p));
  if (missing.length)
    throw new UserError(
      `${missing.map((m) => relative(cwd, m) || m).join(', ')} does not exist; check the path.`,
    );
  return out;
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

/**
 * Ingests files: each file's bytes go into the archive before anything parses them; the same
 * bytes twice give the existing reply. E-mails are parsed, their documents classified, the State
 * and received time read from what the message shows; what cannot be found is asked (when an
 * asker is given) or left for the clerk (`needs-review`).
 */
export async function ingestFiles(
  ws: Workspace,
  register: Register,
  files: string[],
  opts: IngestOptions,
  actor: Actor,
  ask?: Asker,
  cwd = process.cwd(),
  onProgress?: (done: number, total: number) => void,
): Promise<IngestItem[]> {
  const archive = new Archive(ws.paths.archive);
  const sent = register.sentNotes();
  const shown = (f: string) => relative(cwd, f) || f;

  // A scan cannot say how it came: without --channel and without a terminal, refuse before anything is stored.
  if (!opts.channel && !ask) {
    const scans = [];
    for (const f of files) {
      const head = readHead(f, 65536, shown(f));
      if ((await sniffFile(head, basename(f))).kind !== 'eml') scans.push(shown(f));
    }
    if (scans.length)
      throw new UserError(
        `${scans.slice(0, 3).join(', ')}${scans.length > 3 ? ` and ${scans.length - 3} more` : ''} ${scans.length > 1 ? 'are' : 'is'} not an e-mail, so nv cannot tell how it came; pass --channel fax or --channel post.`,
      );
  }

  const items: IngestItem[] = [];
  let done = 0;
  for (const file of files) {
    const bytes = readInput(file, shown(file));
    const sha = sha256(bytes);
    const existing = register.findReplyBySha(sha);
    if (existing) {
      items.push({ file: shown(file), status: 'existing', reply: existing });
      onProgress?.(++done, files.length);
      continue;
    }
    const sniffed = await sniffFile(bytes, basename(file));
    archive.store(sha, bytes, extensionOf(sniffed.kind)); // the original, before any parsing
    const name = basename(file);
    const problems: string[] = [];
    let raw: ReturnType<typeof documentOf>[];
    let mail: ParsedEml | undefined;
    if (sniffed.kind === 'eml') {
      mail = await parseEml(bytes);
      problems.push(...mail.problems);
      raw = documentsOfEml(mail);
    } else raw = [documentOf(bytes, sha, name, null, false)];

    const documents: NewDocument[] = [];
    for (const d of raw) {
      const kind = (await sniffFile(d.bytes, d.name ?? undefined)).kind;
      if (d.sha !== sha) archive.store(d.sha, d.bytes, extensionOf(kind), true);
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

    let channel: Channel | null = opts.channel ?? (mail ? 'email' : null);
    if (!channel && ask) channel = await ask.channel(shown(file));

    let receivedAt: string | null = opts.received ?? effective?.received.at?.toISOString() ?? null;
    let receivedSource: string | null = opts.received ? 'flag' : (effective?.received.source ?? null);
    if (receivedSource && effective !== mail) receivedSource += ' of the forwarded message';
    let receivedProblem: string | null = opts.received ? null : (effective?.received.problem ?? null);
    if (!receivedAt && ask) {
      const r = await ask.received(shown(file));
      if (r) [receivedAt, receivedSource, receivedProblem] = [r, 'clerk', null];
    }
    if (!receivedAt && !receivedProblem) receivedProblem = 'no received time: set it with --received';

    let state: string | null = opts.state ?? null;
    let stateSource: string | null = opts.state ? 'flag' : null;
    if (!state) {
      const guess = guessState(ws.config, ws.recipients, sent, {
        domains: messages.map((m) => m.fromDomain).filter((d): d is string => !!d && !own(d)),
        texts,
      });
      if (guess) [state, stateSource] = [guess.state, guess.source];
    }
    if (!state && ask) {
      const s = await ask.state(shown(file), {
        sender: mail?.from?.address ?? null,
        subject: mail?.subject ?? null,
        documents: documents.map((d) => `${d.name ?? '(no name)'}: ${d.class}`),
      });
      if (s) [state, stateSource] = [s, 'clerk'];
    }

    const reply = register.addReply(
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
        cited,
        problems,
        documents,
      },
      actor,
    );
    items.push({ file: shown(file), status: 'added', reply });
    onProgress?.(++done, files.length);
  }
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
      return new Date(guess).toISOString();
    }
  }
  throw new UserError(
    `"${text}" is not a received time; write e.g. "2012-09-24 14:05" (in ${timeZone}) or "2012-09-24T14:05:00+02:00".`,
  );
}
