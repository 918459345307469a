/**
 * Error types. The core throws these; only src/cli/ turns them into messages and exit codes.
 *
 * - UserError: the user's input, configuration or invocation is wrong. Exit 2, one sentence,
 *   nothing was changed.
 * - InternalError: a bug in nv. Exit 3, with where to report it.
 */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  internal: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The `code` of `{ "error": { "message", "code", "hint" } }` that `--json` prints on a refusal.
 * Stable strings: scripts may branch on them.
 */
export const ERROR_CODES = {
  /** The command line is wrong: an unknown option, a missing argument, a value not allowed. */
  usage: 'usage',
  /** Something the user gave (a file, a setting, a name) is wrong; the message says what. */
  user: 'user',
  /** The register is held by another process; try again. */
  busy: 'busy',
  /** The disk is full. */
  diskFull: 'disk-full',
  /** The workspace cannot be written, and the command needs to write. */
  readOnly: 'read-only',
  /** The user pressed Ctrl-C at a prompt (exit 130). */
  cancelled: 'cancelled',
  /** A fault in nv (exit 3). */
  internal: 'internal',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export class NvError extends Error {
  readonly exitCode: ExitCode;
  /** What the user can do about it, when there is something to say beyond the message. */
  readonly hint: string | undefined;
  /** A stable name of the kind of refusal, for scripts reading `--json` (see ERROR_CODES). */
  readonly code: ErrorCode;

  constructor(
    message: string,
    options: { exitCode: ExitCode; hint?: string; cause?: unknown; code?: ErrorCode },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode;
    this.hint = options.hint;
    this.code = options.code ?? (options.exitCode === EXIT.internal ? 'internal' : 'user');
  }
}

/** A mistake in what the user gave us. `message` is one clear sentence: what is wrong, how to fix it. */
export class UserError extends NvError {
  /** Further problems of the same kind (e.g. every bad line of a file), each a full sentence. */
  readonly details: string[];

  constructor(
    message: string,
    options: { hint?: string; details?: string[]; cause?: unknown; code?: ErrorCode } = {},
  ) {
    super(message, { exitCode: EXIT.usage, ...options });
    this.details = options.details ?? [];
  }
}

/** A fault in nv itself. */
export class InternalError extends NvError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { exitCode: EXIT.internal, ...options });
  }
}

export function isNvError(e: unknown): e is NvError {
  return e instanceof NvError;
}
