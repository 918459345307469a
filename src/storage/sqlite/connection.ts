/**
 * Opening the register's SQLite file, and taking its write lock.
 *
 * - A workspace this user may not write (a read-only share, an archive copy) is still readable:
 *   the file is read into memory and every write is refused with one sentence.
 * - A register another process is writing to is waited for, with a word to the user, and then
 *   reported as busy with who holds it when known: a lock is never a damaged register.
 * - A full disk is said to be one, naming the folder: reading still works, writing is refused.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ERROR_CODES, UserError } from '../../errors.js';

export interface ConnectionOptions {
  /** How long to wait for another process's write lock before giving up (default 15 s). */
  waitMs?: number;
  /** Called once when nv starts waiting for the lock, with who holds it (words for a person). */
  onWait?: (holder: string) => void;
  /** What this process is, for the note that tells a waiting process who holds the lock. */
  holder?: string;
}

/** Short waits go unmentioned: two nv processes' transactions take milliseconds. */
const QUIET_WAIT_MS = 250;

interface WriterNote {
  pid: number;
  command: string;
  since: string;
}

const errCode = (e: unknown): string => String((e as { code?: unknown })?.code ?? '');

/** An error that means "this user may not write here", not "this is not a register". */
const isNoWriteAccess = (e: unknown) =>
  /^(EACCES|EROFS|EPERM|SQLITE_READONLY|SQLITE_CANTOPEN)/.test(errCode(e));

/** Bytes free for this user in `dir`'s file system, if it can be asked. */
function freeBytes(dir: string): number | undefined {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

/**
 * SQLite reports a full disk as SQLITE_FULL, or, when it cannot grow its shared-memory or
 * journal files, as an I/O error: such an error on a disk with (almost) no room left is a full disk.
 */
function isDiskFull(e: unknown, dir: string): boolean {
  const code = errCode(e);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return true;
  return code.startsWith('SQLITE_IOERR') && (freeBytes(dir) ?? Infinity) < 1024 * 1024;
}

function diskFullError(path: string): UserError {
  const dir = dirname(path);
  const free = freeBytes(dir);
  return new UserError(
    `The disk holding ${dir} is full${free === undefined ? '' : ` (${Math.floor(free / 1024)} KiB free)`}, and the register there needs room to record this change; free some space on it and run the same command again.`,
    { code: ERROR_CODES.diskFull },
  );
}

export class Connection {
  readonly db: Database.Database;
  /** The register could only be read (no write access, or no room): every write is refused. */
  readonly readOnly: false | 'no-access' | 'disk-full';
  private readonly notePath: string;
  private noteWritten = false;

  constructor(
    readonly path: string,
    private readonly options: ConnectionOptions = {},
  ) {
    this.notePath = `${path}.writer`;
    let db: Database.Database | undefined;
    try {
      mkdirSync(dirname(path), { recursive: true });
      db = new Database(path, { timeout: QUIET_WAIT_MS });
      db.pragma('journal_mode = WAL');
      this.readOnly = false;
    } catch (e) {
      db?.close();
      if (isNoWriteAccess(e)) this.readOnly = 'no-access';
      else if (isDiskFull(e, dirname(path))) this.readOnly = 'disk-full';
      else throw e;
      db = readOnlyCopy(path);
    }
    this.db = db;
  }

  /**
   * Runs a write transaction (BEGIN IMMEDIATE). When another process holds the lock: says so
   * through onWait, waits up to waitMs, then refuses with exit 2 and who holds it.
   */
  write<T>(tx: Database.Transaction<() => T>): T {
    if (this.readOnly === 'disk-full') throw diskFullError(this.path);
    if (this.readOnly) throw this.readOnlyError();
    try {
      return this.leaveNote(tx.immediate());
    } catch (e) {
      if (isDiskFull(e, dirname(this.path))) throw diskFullError(this.path);
      // The folder is writable but the file is not (e.g. chmod a-w registry.sqlite).
      if (errCode(e).startsWith('SQLITE_READONLY')) throw this.readOnlyError();
      if (errCode(e) !== 'SQLITE_BUSY') throw e;
    }
    const holder = this.holder();
    this.options.onWait?.(holder);
    this.db.pragma(`busy_timeout = ${Math.max(0, (this.options.waitMs ?? 15_000) - QUIET_WAIT_MS)}`);
    try {
      return this.leaveNote(tx.immediate());
    } catch (e) {
      if (isDiskFull(e, dirname(this.path))) throw diskFullError(this.path);
      if (errCode(e) !== 'SQLITE_BUSY') throw e;
      throw new UserError(
        `The register ${this.path} is busy: ${holder} is writing to it; try again when it has finished (nothing is wrong with the register).`,
        { code: ERROR_CODES.busy },
      );
    } finally {
      this.db.pragma(`busy_timeout = ${QUIET_WAIT_MS}`);
    }
  }

  private readOnlyError(): UserError {
    return new UserError(
      `The register ${this.path} cannot be written: this user may not write ${this.readOnly ? `in ${dirname(this.path)}` : 'to it'}; reading commands work, but this one records changes: run it where the workspace is writable.`,
      { code: ERROR_CODES.readOnly },
    );
  }

  close(): void {
    this.db.close();
    if (this.noteWritten) {
      const note = this.readNote();
      if (note?.pid === process.pid) rmSync(this.notePath, { force: true });
    }
  }

  /**
   * After this process's first write: a note beside the register saying which process writes to
   * it, read by a process that has to wait; removed on close.
   */
  private leaveNote<T>(result: T): T {
    if (this.noteWritten) return result;
    this.noteWritten = true;
    const note: WriterNote = {
      pid: process.pid,
      command: this.options.holder ?? `pid ${process.pid}`,
      since: new Date().toISOString(),
    };
    try {
      writeFileSync(this.notePath, JSON.stringify(note));
    } catch {
      // The note is a courtesy to a waiting process, not part of the register.
    }
    return result;
  }

  private readNote(): WriterNote | undefined {
    try {
      return JSON.parse(readFileSync(this.notePath, 'utf8')) as WriterNote;
    } catch {
      return undefined;
    }
  }

  /** Who holds the lock, as far as is known. */
  private holder(): string {
    const note = this.readNote();
    if (note && note.pid !== process.pid && isAlive(note.pid))
      return `another process (nv process ${note.pid}, "${note.command}", has been writing to it since ${note.since})`;
    return 'another process';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errCode(e) === 'EPERM';
  }
}

/**
 * The register read into memory, for a workspace this user may not write. SQLite cannot open a
 * WAL-mode file read-only in a folder where it may not create the shared-memory file; a copy
 * in memory needs none. Writes to the copy are refused by Connection.write, never persisted.
 */
function readOnlyCopy(path: string): Database.Database {
  if (!existsSync(path)) return new Database(':memory:'); // no register yet: an empty one
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0)
    throw new UserError(
      `The register ${path} has changes still in its write-ahead log, and this user may not write in ${dirname(path)} to read them; run nv once where the workspace is writable.`,
      { code: ERROR_CODES.readOnly },
    );
  const bytes = readFileSync(path);
  // Bytes 18-19 say "WAL mode"; an in-memory database must be told it is a plain file.
  if (bytes.length >= 20) bytes[18] = bytes[19] = 1;
  return new Database(bytes);
}
