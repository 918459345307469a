import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { fileSafe } from '../files.js';
import type { Register, ReplyRecord } from '../storage/register.js';
import type { Workspace } from '../workspace/load.js';
import { Archive, extensionOf } from './archive.js';

/** A file a reply carried, where the archive keeps it, and a name safe to give it outside. */
export interface ReplyFile {
  /** The name the sender gave it, as data (may hold anything: slashes, control characters). */
  name: string | null;
  /** What its bytes are (pdf, tiff, docx…), which decides the extension, whatever the name says. */
  kind: string;
  class: string | null;
  /** `document` (an attachment, or the scan itself) or `message` (the e-mail as received). */
  role: 'document' | 'message';
  archivePath: string;
  safeName: string;
}

/** "reply\u202Efdp.exe" (a DOCX) → "reply-fdp-exe.docx": letters, digits and dashes, the extension from the bytes. */
function safeName(name: string | null, kind: string, fallback: string): string {
  const base = (name ?? fallback).replace(/\.[A-Za-z0-9]{1,5}$/, '');
  return `${fileSafe(base).slice(0, 80)}.${extensionOf(kind)}`;
}

/** The documents a reply carried (and, for an e-mail, the message itself), as the archive holds them. */
export function replyFiles(
  ws: Workspace,
  register: Register,
  id: number,
): { reply: ReplyRecord; files: ReplyFile[] } {
  const reply = register.getReply(id);
  if (!reply) throw new UserError(`There is no reply ${id}; "nv reply list" shows the replies.`);
  const archive = new Archive(ws.paths.archive);
  const files: ReplyFile[] = reply.documents.map((d) => ({
    name: d.name,
    kind: d.fileKind,
    class: d.class,
    role: 'document',
    archivePath: archive.pathOf(d.sha256, extensionOf(d.fileKind)),
    safeName: safeName(d.name, d.fileKind, `reply-${id}-document-${d.position}`),
  }));
  if (reply.fileKind === 'eml')
    files.unshift({
      name: reply.originalName,
      kind: 'eml',
      class: null,
      role: 'message',
      archivePath: archive.pathOf(reply.sha256, 'eml'),
      safeName: safeName(reply.originalName, 'eml', `reply-${id}`),
    });
  const missing = files.filter((f) => !existsSync(f.archivePath));
  if (missing.length)
    throw new UserError(
      `The archive lacks ${missing.map((f) => f.archivePath).join(', ')} of reply ${id}; restore .nv/archive from a backup.`,
    );
  return { reply, files };
}

/**
 * Writes copies of a reply's files into `dir` (created if needed) under safe names, never over a
 * file that exists there ("reply.pdf" beside an existing one becomes "reply-2.pdf").
 */
export function extractReplyFiles(
  ws: Workspace,
  register: Register,
  id: number,
  dir: string,
): { reply: ReplyRecord; written: { file: ReplyFile; path: string }[] } {
  const { reply, files } = replyFiles(ws, register, id);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UserError(
      `The folder ${dir} cannot be made (${(e as NodeJS.ErrnoException).code ?? 'error'}); choose another.`,
    );
  }
  const written: { file: ReplyFile; path: string }[] = [];
  for (const file of files) {
    const bytes = readFileSync(file.archivePath);
    const dot = file.safeName.lastIndexOf('.');
    for (let n = 1; ; n++) {
      const path = join(
        dir,
        n === 1 ? file.safeName : `${file.safeName.slice(0, dot)}-${n}${file.safeName.slice(dot)}`,
      );
      let fd: number;
      try {
        fd = openSync(path, 'wx'); // fails if the name is taken: nothing is ever overwritten
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') continue;
        throw new UserError(`Cannot write into ${dir} (${code ?? 'error'}); check the folder's permissions.`);
      }
      try {
        writeSync(fd, bytes);
      } finally {
        closeSync(fd);
      }
      written.push({ file, path });
      break;
    }
  }
  return { reply, written };
}
