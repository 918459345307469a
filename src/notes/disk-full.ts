import { statfsSync } from 'node:fs';
import { UserError } from '../errors.js';

/** A write failed because the disk (or the user's quota) is full: the file system's or SQLite's word for it. */
export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return true;
  // Errors that crossed a thread boundary keep only their message.
  return e instanceof Error && /\bENOSPC\b|\bEDQUOT\b|database or disk is full/.test(e.message);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${Math.ceil(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** Free space for an unprivileged user in the file system holding `folder`, if it can be known. */
export function freeBytes(folder: string): number | undefined {
  try {
    const s = statfsSync(folder);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

export interface DiskFullContext {
  /** The folder whose disk is full, as the user knows it (relative to the workspace). */
  shown: string;
  /** Its absolute path, to ask the file system how much is free. */
  folder: string;
  /** How much more is needed, when it can be estimated. */
  neededBytes?: number;
  /** What was to be written there ("the 190 files of the notes not yet written"). */
  what: string;
  /** The references already allocated by this run or before: the next run completes them. */
  references: string[];
}

/**
 * The one sentence for a full disk: which folder, how much more is needed, and that running the
 * same command again completes what was started (under the same numbers: nothing is lost).
 */
export function diskFullError(ctx: DiskFullContext, cause?: unknown): UserError {
  const free = freeBytes(ctx.folder);
  const need =
    ctx.neededBytes !== undefined
      ? `about ${formatBytes(ctx.neededBytes)} more are needed for ${ctx.what}`
      : `it could not hold ${ctx.what}`;
  const freeText = free !== undefined ? ` (${formatBytes(free)} free)` : '';
  const then = ctx.references.length
    ? `run the same command again: it completes ${ctx.references.join(', ')} under the same number${ctx.references.length > 1 ? 's' : ''}.`
    : 'run the same command again: no number was allocated.';
  const where =
    ctx.what === 'the register'
      ? 'Free some space there'
      : 'Free some space there (or give --out another folder)';
  return new UserError(`The disk holding ${ctx.shown} is full${freeText}: ${need}.`, {
    hint: `${where} and ${then}`,
    cause,
  });
}
