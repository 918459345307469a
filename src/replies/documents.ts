import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { fileSafe } from '../files.js';
import type { ReplyRecord } from './records.js';
import type { ArchiveStore, ReplyRegister } from '../storage/register.js';
import { extensionOf } from './archive.js';

/** What reading a reply's files needs of the register: the reply, and the archive. */
export type ReplyFilesRegister = Pick<ReplyRegister, 'getReply'> & { readonly archive: ArchiveStore };

/** A file a reply carried, where the archive keeps it, and a name safe to give it outside. */
export interface ReplyFile {
  /** The name the sender gave it, as data (may hold anything: slashes, control characters). */
  name: string | null;
  /** What its bytes are (pdf, tiff, docx…), which decides the extension, whatever the name says. */
  kind: string;
  class: string | null;
  /** `document` (an attachment, or the scan itself) or `message` (the e-mail as received). */
  role: 'document' | 'message';
  sha256: string;
  /** A local file with its bytes (the archive's own file for SQLite: read it, do not change it). */
  archivePath: string;
  safeName: string;
}

/** "reply\u202Efdp.exe" (a DOCX) → "reply-fdp-exe.docx": letters, digits and dashes, the extension from the bytes. */
function safeName(name: string | null, kind: string, fallback: string): string {
  const base = (name ?? fallback).replace(/\.[A-Za-z0-9]{1,5}$/, '');
  return `${fileSafe(base).slice(0, 80)}.${extensionOf(kind)}`;
}

/** The documents a reply carried (and, for an e-mail, the message itself), as the archive holds them. */
export async function replyFiles(
  register: ReplyFilesRegister,
  id: number,
): Promise<{ reply: ReplyRecord; files: ReplyFile[] }> {
  const reply = await register.getReply(id);
  if (!reply) throw new UserError(`There is no reply ${id}; "nv reply list" shows the replies.`);
  const listed: Omit<ReplyFile, 'archivePath'>[] = reply.documents.map((d) => ({
    name: d.name,
    kind: d.fileKind,
    class: d.class,
    role: 'document',
    sha256: d.sha256,
    safeName: safeName(d.name, d.fileKind, `reply-${id}-document-${d.position}`),
  }));
  if (reply.fileKind === 'eml')
    listed.unshift({
      name: reply.originalName,
      kind: 'eml',
      class: null,
      role: 'message',
      sha256: reply.sha256,
      safeName: safeName(reply.originalName, 'eml', `reply-${id}`),
    });
  const missing: string[] = [];
  for (const f of listed) if (!(await register.archive.has(f.sha256))) missing.push(f.name ?? f.sha256);
  if (missing.length)
    throw new UserError(
      `The archive lacks ${missing.join(', ')} of reply ${id}; restore the archive from a backup.`,
    );
  const files: ReplyFile[] = [];
  for (const f of listed) files.push({ ...f, archivePath: await register.archive.localPath(f.sha256) });
  return { reply, files };
}

/**
 * Writes copies of a reply's files into `dir` (created if needed) under safe names, never over a
 * file that exists there ("reply.pdf" beside an existing one becomes "reply-2.pdf").
 */
export async function extractReplyFiles(
  register: ReplyFilesRegister,
  id: number,
  dir: string,
): Promise<{ reply: ReplyRecord; written: { file: ReplyFile; path: string }[] }> {
  const { reply, files } = await replyFiles(register, id);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UserError(
      `The folder ${dir} cannot be made (${(e as NodeJS.ErrnoException).code ?? 'error'}); choose another.`,
    );
  }
  const written: { file: ReplyFile; path: string }[] = [];
  for (const file of files) {
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
        for await (const chunk of register.archive.read(file.sha256))
          for (let off = 0; off < chunk.length;) off += writeSync(fd, chunk, off, chunk.length - off);
      } finally {
        closeSync(fd);
      }
      written.push({ file, path });
      break;
    }
  }
  return { reply, written };
}
