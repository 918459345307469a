/**
 * How a failed command is shown: the one place that turns whatever was thrown into words on
 * stderr, an exit code and, with `--json`, one JSON document `{ "error": { message, code, hint } }`
 * on stdout (scripts read stdout; people read stderr).
 */
import { Command, CommanderError } from 'commander';
import { dirname } from 'node:path';
import { ZodError } from 'zod';
import { ERROR_CODES, EXIT, isNvError, UserError, type ErrorCode } from '../errors.js';
import { findWorkspaceRoot } from '../workspace/load.js';

/** Ctrl-C at a prompt: the shell's convention for a process ended by SIGINT. */
export const EXIT_CANCELLED = 130;

export interface Failure {
  exitCode: number;
  code: ErrorCode;
  message: string;
  hint?: string;
  /** Further lines for people (every bad line of a file, or the stack with NV_DEBUG=1). */
  details: string[];
  /** Commander has printed the message itself already. */
  printed?: boolean;
}

const errno = (e: unknown): { code?: string; path?: string; message?: string } =>
  typeof e === 'object' && e !== null ? (e as { code?: string; path?: string }) : {};

/** The folder an operating-system error is about, when it says. */
const folderOf = (e: unknown): string | undefined => {
  const p = errno(e).path;
  return p ? dirname(p) : undefined;
};

/** The workspace the command line names or the current folder lies in, if any. */
function workspaceOf(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '-w' || a === '--workspace');
  const eq = argv.find((a) => a.startsWith('--workspace='));
  const explicit = i >= 0 ? argv[i + 1] : (eq?.slice('--workspace='.length) ?? process.env.NV_WORKSPACE);
  try {
    return findWorkspaceRoot(process.cwd(), explicit);
  } catch {
    return undefined;
  }
}

/** Faults of the machine rather than of nv or the user's input: full disk, no write access, a lock. */
function environmentFailure(e: unknown, argv: string[]): Failure | undefined {
  const code = errno(e).code;
  const where = folderOf(e);
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') {
    const folder = where ?? workspaceOf(argv);
    return {
      exitCode: EXIT.usage,
      code: ERROR_CODES.diskFull,
      message: `The disk is full${folder ? ` where nv writes (${folder})` : ''}; free some space on it and run the same command again.`,
      details: [],
    };
  }
  const sqliteReadOnly = !!code?.startsWith('SQLITE_READONLY');
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || sqliteReadOnly) {
    const path = errno(e).path;
    return {
      exitCode: EXIT.usage,
      code: ERROR_CODES.readOnly,
      message: `${path ?? 'The workspace'} cannot be ${code === 'EROFS' || sqliteReadOnly ? 'written: it is read-only' : 'used: permission denied'} (${code}); give this user access to it, or ask whoever manages the folder.`,
      details: [],
    };
  }
  if (code?.startsWith('SQLITE_BUSY'))
    return {
      exitCode: EXIT.usage,
      code: ERROR_CODES.busy,
      message: 'The register is busy: another process is writing to it; try again when it has finished.',
      details: [],
    };
  return undefined;
}

export function describeFailure(e: unknown, version: string, argv: string[]): Failure {
  if (e instanceof CommanderError)
    return {
      exitCode: e.exitCode === 0 ? EXIT.ok : EXIT.usage,
      code: ERROR_CODES.usage,
      message: e.message.replace(/^error: /, ''),
      details: [],
      printed: true,
    };
  if (e instanceof Error && e.name === 'ExitPromptError')
    return { exitCode: EXIT_CANCELLED, code: ERROR_CODES.cancelled, message: 'cancelled.', details: [] };
  if (e instanceof UserError)
    return { exitCode: e.exitCode, code: e.code, message: e.message, hint: e.hint, details: e.details };
  if (isNvError(e) && e.exitCode !== EXIT.internal)
    return { exitCode: e.exitCode, code: e.code, message: e.message, hint: e.hint, details: [] };
  if (e instanceof ZodError)
    return {
      exitCode: EXIT.usage,
      code: ERROR_CODES.usage,
      message: e.issues.map((i) => i.message).join('; ') + '.',
      details: [],
    };
  const env = environmentFailure(e, argv);
  if (env) return env;
  // A bug. Say so, say how to report it, and keep the stack for whoever reads the report.
  const err = e as Error;
  const debug = !!process.env.NV_DEBUG && process.env.NV_DEBUG !== '0';
  return {
    exitCode: EXIT.internal,
    code: ERROR_CODES.internal,
    message: `internal error: ${String(err?.message ?? e).replace(/([^.!?])$/, '$1.')}`,
    hint: `This is a bug in nv ${version}, not a mistake of yours. Please report it to the nv maintainers with this message and the command you ran: ${['nv', ...argv].join(' ')}${debug ? '' : ' (run it again with NV_DEBUG=1 to see where it happened)'}.`,
    details: debug
      ? (err?.stack ?? '')
          .split('\n')
          .slice(1)
          .map((s) => s.trim())
      : [],
  };
}

/** The command that will run for `args` (the deepest one named), to know whether it takes --json. */
function targetCommand(program: Command, args: string[]): Command {
  let cmd = program;
  for (const a of args) {
    if (a === '--') break;
    if (a.startsWith('-')) continue;
    const sub = cmd.commands.find((c) => c.name() === a || c.aliases().includes(a));
    if (sub) cmd = sub;
  }
  return cmd;
}

/** Whether the failure is to be reported as JSON too: `--json` given to a command that takes it. */
export function wantsJson(program: Command | undefined, args: string[]): boolean {
  const end = args.indexOf('--');
  if (!(end < 0 ? args : args.slice(0, end)).includes('--json')) return false;
  if (!program) return true;
  return targetCommand(program, args).options.some((o) => o.long === '--json');
}

export function presentFailure(f: Failure, json: boolean): void {
  if (!f.printed) {
    // A bug's report hint is a paragraph of its own; a user's fix follows the sentence.
    const sep = f.code === ERROR_CODES.internal ? '\n  ' : ' ';
    process.stderr.write(`nv: ${f.message}${f.hint ? `${sep}${f.hint}` : ''}\n`);
    for (const d of f.details.slice(0, 50)) process.stderr.write(`  ${d}\n`);
    if (f.details.length > 50) process.stderr.write(`  … and ${f.details.length - 50} more\n`);
  }
  if (json && f.exitCode !== EXIT.ok) {
    const error: Record<string, unknown> = { message: f.message, code: f.code, hint: f.hint ?? null };
    if (f.code !== ERROR_CODES.internal && f.details.length) error.details = f.details;
    process.stdout.write(JSON.stringify({ error }, null, 2) + '\n');
  }
  process.exitCode = f.exitCode;
}
