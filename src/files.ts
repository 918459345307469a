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
} from 'node:fs';
import { open as openAsync, rename as renameAsync, rm as rmAsync } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from './errors.js';

const TMP_PREFIX = '.nv-tmp-';

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
 * Writes a file so that no reader ever sees it half-written: to a temporary name in the same
 * folder, flushed, then renamed over the target (atomic on POSIX file systems).
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, flush = true): void {
  const dir = join(path, '..');
  const tmp = join(dir, `${TMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  const fd = openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    if (flush) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * The same, asynchronously: the write and the flush run on libuv's thread pool, so a batch keeps
 * rendering on the main thread while earlier files reach the disk.
 */
export async function writeFileAtomicAsync(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(path, '..', `${TMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
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
    rmSync(join(dir, f), { force: true });
    n++;
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
