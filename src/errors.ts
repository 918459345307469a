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

export class NvError extends Error {
  readonly exitCode: ExitCode;
  /** What the user can do about it, when there is something to say beyond the message. */
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode: ExitCode; hint?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode;
    this.hint = options.hint;
  }
}

/** A mistake in what the user gave us. `message` is one clear sentence: what is wrong, how to fix it. */
export class UserError extends NvError {
  /** Further problems of the same kind (e.g. every bad line of a file), each a full sentence. */
  readonly details: string[];

  constructor(message: string, options: { hint?: string; details?: string[]; cause?: unknown } = {}) {
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
