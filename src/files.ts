import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  readFileSync,
  readSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
  accessSync,
  constants,
  realpathSync,
  statSync,
  type Dirent,
} from 'node:fs';
import { open as openAsync, rename as renameAsync, rm as rmAsync } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { UserError } from './errors.js';

const TMP_PREFIX = '.nv-tmp-';

/**
 * A temporary file's name: unique to this process and thread (a random part drawn once), then a
 * counter, rather than a call to randomBytes for every file written.
 */
let tmpRandom = '';
let tmpCount = 0;
function tmpName(dir: string): string {
  if (tmpRandom === '') tmpRandom = randomBytes(4).toString('hex');
  return join(dir, `${TMP_PREFIX}${process.pid}-${tmpRandom}-${(tmpCount++).toString(36)}`);
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A name a person finds at a glance and every file system accepts: "Côte d'Ivoire" → "Cote-dIvoire". */
export function fileSafe(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/['’]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'unnamed'
  );
}

/**
 * The rename would replace whatever stands at the target: a device (`--out /dev/full`), a folder's
 * link or a pipe would be swapped for a plain file. Only a plain file (or nothing) is replaced.
 */
function refuseSpecialTarget(path: string): void {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st && !st.isFile())
    throw new UserError(
      `${path} is ${st.isDirectory() ? 'a folder' : 'not a plain file (a device, a pipe or a socket)'}, and nv writes only plain files; name a file, or - for standard output where the command takes it.`,
    );
}

/**
 * Writes a file so that no reader ever sees it half-written: to a temporary name in the same
 * folder, flushed, then renamed over the target (atomic on POSIX file systems).
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, flush = true): void {
  refuseSpecialTarget(path);
  const tmp = tmpName(join(path, '..'));
  const fd = openSync(tmp, 'w');
  try {
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      if (flush) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    // A full disk or a kill between open and rename: no half-written temporary stays behind.
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * The same, asynchronously: the write and the flush run on libuv's thread pool, so a batch keeps
 * rendering on the main thread while earlier files reach the disk.
 */
export async function writeFileAtomicAsync(path: string, bytes: Uint8Array): Promise<void> {
  refuseSpecialTarget(path);
  const tmp = tmpName(join(path, '..'));
  const fh = await openAsync(tmp, 'w');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rmAsync(tmp, { force: true });
    throw e;
  }
  await fh.close();
  await renameAsync(tmp, path);
}

/** Runs at most `limit` writes at once; `drain` waits for all and rethrows the first failure. */
export class WriteQueue {
  private readonly running = new Set<Promise<void>>();
  private failure: unknown;

  /**
   * `flush: false` skips the fsync of each file, for files whose bytes are checked again before
   * they are trusted: the next `nv generate` compares each note's files with the SHA-256 in the
   * register, so a power cut costs a rewrite, never a wrong file. The rename still makes a file
   * appear whole or not at all, and a killed process loses nothing the kernel has.
   */
  constructor(
    private readonly limit = 8,
    private readonly flush = true,
  ) {}

  /** Queues a write; resolves once it may queue the next (back-pressure keeps memory flat). */
  async add(path: string, bytes: Uint8Array, then: () => void): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.flush) {
      // Without the fsync a write is a copy into the page cache: done here, with no thread hops.
      writeFileAtomic(path, bytes, false);
      then();
      return;
    }
    const p: Promise<void> = writeFileAtomicAsync(path, bytes)
      .then(then)
      .catch((e: unknown) => {
        this.failure ??= e;
      })
      .finally(() => this.running.delete(p));
    this.running.add(p);
    while (this.running.size >= this.limit) await Promise.race(this.running);
    if (this.failure) throw this.failure;
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure) throw this.failure;
  }
}

/** Whether a process is alive (for temporary files left by a process that was killed). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporary files that a killed run left in `dir` (never those of a live process). */
export function removeStaleTemporaries(dir: string): number {
  let n = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const f of names) {
    if (!f.startsWith(TMP_PREFIX)) continue;
    const pid = Number(f.slice(TMP_PREFIX.length).split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) continue;
    try {
      rmSync(join(dir, f), { force: true });
      n++;
    } catch {
      // a read-only workspace: what cannot be removed stays, and is tried again next time
    }
  }
  return n;
}

/** Creates `dir` and proves it can be written, before anything is allocated. */
export function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `${TMP_PREFIX}${process.pid}-probe`);
    closeSync(openSync(probe, 'w'));
    rmSync(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOSPC' || code === 'EDQUOT')
      throw new UserError(
        `The disk holding the output folder ${dir} is full (${code}); free some space there, or choose another folder with --out.`,
      );
    throw new UserError(
      `The output folder ${dir} cannot be written (${code}); choose another with --out or fix its permissions.`,
    );
  }
}

/** Reads a file the user named; a file that cannot be read is the user's to fix (exit 2), not a crash. */
export function readInput(path: string, shown = path): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new UserError(`Cannot read ${shown} (${code}); check that it exists and that you may read it.`);
  }
}

/** The first `length` bytes of a file the user named (for sniffing what it is without reading it all). */
export function readHead(path: string, length: number, shown = path): Uint8Array {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = new Uint8Array(length);
    const n = readSync(fd, buf, 0, length, 0);
    return buf.subarray(0, n);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new UserError(`Cannot read ${shown} (${code}); check that it exists and that you may read it.`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Removes stale temporaries in `dir` and in its sub-folders (one level: the archive's `ab/`). */
export function removeStaleTemporariesBelow(dir: string): number {
  let n = removeStaleTemporaries(dir);
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return n;
  }
  for (const e of entries) if (e.isDirectory()) n += removeStaleTemporaries(join(dir, e.name));
  return n;
}

/** A path the walk did not take, and why (in a few words a clerk understands). */
export interface SkippedPath {
  path: string;
  reason: string;
}

export interface WalkResult {
  /** Regular files, in the order named, folders read in name order. */
  files: string[];
  skipped: SkippedPath[];
  /** Named paths that do not exist. */
  missing: string[];
}

function inside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? 'error';
}

/**
 * Every regular file under the paths the user named (folders recursively, in name order).
 * A link is followed only to a place inside the folder the user named, never out of it (a link
 * to /etc/shadow is skipped, said, never read); a link that loops, a folder seen already, a
 * sub-folder that cannot be read, hidden entries and anything that is not a regular file
 * (pipes, sockets, devices) are skipped with the reason. A file named itself is taken as named.
 */
export function walkPaths(cwd: string, paths: string[]): WalkResult {
  const out: WalkResult = { files: [], skipped: [], missing: [] };
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  const skip = (path: string, reason: string) => out.skipped.push({ path, reason });
  const addFile = (path: string, real: string) => {
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    out.files.push(path);
  };
  const walkDir = (dir: string, realDir: string, root: string) => {
    if (seenDirs.has(realDir)) return skip(dir, 'a folder already read (a link back up the tree)');
    seenDirs.add(realDir);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      return skip(dir, `a folder that cannot be read (${errCode(e)})`);
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, e.name);
      if (e.name.startsWith('.')) {
        skip(path, 'hidden');
        continue;
      }
      let real = path;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          real = realpathSync(path);
        } catch (err) {
          const code = errCode(err);
          skip(path, code === 'ELOOP' ? 'a link that loops' : `a link to nothing (${code})`);
          continue;
        }
        if (!inside(root, real)) {
          skip(path, `a link out of the folder (to ${real}): not followed`);
          continue;
        }
        const st = statSync(real, { throwIfNoEntry: false });
        isDir = !!st?.isDirectory();
        isFile = !!st?.isFile();
      } else real = join(realDir, e.name);
      if (isDir) walkDir(path, real, root);
      else if (isFile) addFile(path, real);
      else skip(path, 'not a regular file (a pipe, socket or device)');
    }
  };
  for (const p of paths) {
    const path = resolve(cwd, p);
    let st;
    try {
      st = statSync(path, { throwIfNoEntry: false });
    } catch (e) {
      skip(path, errCode(e) === 'ELOOP' ? 'a link that loops' : `cannot be read (${errCode(e)})`);
      continue;
    }
    if (!st) {
      out.missing.push(path);
      continue;
    }
    const real = realpathSync(path);
    if (st.isDirectory()) walkDir(path, real, real);
    else if (st.isFile()) addFile(path, real);
    else skip(path, 'not a regular file (a pipe, socket or device)');
  }
  return out;
}

/** A path as the user reads it: relative to `cwd` when below it. */
export function shownPath(cwd: string, path: string): string {
  const r = relative(cwd, path);
  return r && !r.startsWith('..') ? r : path;
}

/**
 * A text file the officer writes (nv.yaml, recipients.csv, a template) as UTF-8, or a UserError
 * at the line of its first byte that is not: read loosely, a file saved as Windows-1252 puts
 * "C�te d'Ivoire" in the notes.
 */
export function decodeUtf8Text(bytes: Uint8Array, shown: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const text = Buffer.from(bytes).toString('utf8');
    const line = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
    throw new UserError(
      `${shown}:${line}: this line is not UTF-8 text (the file was saved in another encoding, such as Windows-1252); save the file as UTF-8${shown.endsWith('.csv') ? ' ("CSV UTF-8" in Excel)' : ''}.`,
    );
  }
}
