import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { open as openAsync, rename as renameAsync, rm as rmAsync } from 'node:fs/promises';
import { join } from 'node:path';
import { InternalError, UserError } from '../../errors.js';
import { removeStaleTemporariesBelow, writeFileAtomic } from '../../files.js';
import type { ArchiveStore, ArchivedFile } from '../register.js';

const SHA256 = /^[0-9a-f]{64}$/;
/** A stored file's name: its SHA-256 and the extension it is opened with. */
const STORED = /^([0-9a-f]{64})(?:\.([a-z0-9]{1,5}))?$/;

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function mismatch(expected: string, actual: string): InternalError {
  return new InternalError(
    `The bytes given to the archive as SHA-256 ${expected} have SHA-256 ${actual}; nothing was stored.`,
  );
}

/**
 * The archive of a SQLite workspace: the original bytes of every ingested file, and of the
 * documents extracted from e-mails, under their SHA-256 (`.nv/archive/ab/abcdef….pdf`). A file
 * is stored before anything parses it; a name from outside (an attachment's) never becomes a path.
 */
export class FileArchive implements ArchiveStore {
  private readonly folders = new Set<string>();
  private cleaned = false;

  constructor(readonly root: string) {}

  private pathOf(sha256: string, extension: string): string {
    if (!SHA256.test(sha256)) throw new InternalError(`not a SHA-256: ${sha256}`);
    const ext = /^[a-z0-9]{1,5}$/.test(extension) ? `.${extension}` : '';
    return join(this.root, sha256.slice(0, 2), sha256 + ext);
  }

  /** The stored file of this SHA-256, whatever its extension. */
  private find(sha256: string): string | undefined {
    if (!SHA256.test(sha256)) return undefined;
    const folder = join(this.root, sha256.slice(0, 2));
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return undefined;
    }
    const name = names.find((n) => STORED.exec(n)?.[1] === sha256);
    return name === undefined ? undefined : join(folder, name);
  }

  private folderOf(path: string): void {
    const folder = join(path, '..');
    if (!this.folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
  }

  async put(
    sha256: string,
    bytes: Uint8Array | AsyncIterable<Uint8Array>,
    options: { extension: string; derived?: boolean },
  ): Promise<void> {
    if (!this.cleaned) {
      // Temporaries a killed or disk-full run left behind, before this process writes any.
      removeStaleTemporariesBelow(this.root);
      this.cleaned = true;
    }
    const path = this.pathOf(sha256, options.extension);
    if (existsSync(path) || this.find(sha256)) return;
    this.folderOf(path);
    if (bytes instanceof Uint8Array) {
      const actual = sha256Of(bytes);
      if (actual !== sha256) throw mismatch(sha256, actual);
      // An original is flushed before anything parses it; a derived document is in its e-mail.
      writeFileAtomic(path, bytes, !options.derived);
      return;
    }
    const tmp = join(path, '..', `.nv-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    const fh = await openAsync(tmp, 'w');
    try {
      const hash = createHash('sha256');
      for await (const chunk of bytes) {
        hash.update(chunk);
        await fh.write(chunk);
      }
      const actual = hash.digest('hex');
      if (actual !== sha256) throw mismatch(sha256, actual);
      if (!options.derived) await fh.sync();
      await fh.close();
      await renameAsync(tmp, path);
    } catch (e) {
      await fh.close().catch(() => {});
      await rmAsync(tmp, { force: true });
      throw e;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return this.find(sha256) !== undefined;
  }

  private lacking(sha256: string): UserError {
    return new UserError(
      `The archive ${this.root} lacks the file with SHA-256 ${sha256}; restore .nv/archive from a backup.`,
    );
  }

  async *read(sha256: string): AsyncIterable<Uint8Array> {
    const path = this.find(sha256);
    if (path === undefined) throw this.lacking(sha256);
    for await (const chunk of createReadStream(path)) yield chunk as Buffer;
  }

  async localPath(sha256: string): Promise<string> {
    const path = this.find(sha256);
    if (path === undefined) throw this.lacking(sha256);
    return path;
  }

  async *list(): AsyncIterable<ArchivedFile> {
    let folders: string[];
    try {
      folders = readdirSync(this.root).filter((n) => /^[0-9a-f]{2}$/.test(n));
    } catch {
      return;
    }
    for (const folder of folders.sort()) {
      const files = readdirSync(join(this.root, folder))
        .map((n) => STORED.exec(n))
        .filter((m): m is RegExpExecArray => m !== null)
        .sort((a, b) => (a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : 0));
      for (const m of files)
        yield {
          sha256: m[1]!,
          size: statSync(join(this.root, folder, m[0])).size,
          extension: m[2] ?? '',
        };
    }
  }
}
