import chalk, { Chalk, type ChalkInstance } from 'chalk';
import { userInfo } from 'node:os';
import type { Actor } from '../audit.js';
import { UserError } from '../errors.js';

/** What the CLI knows about where it runs: TTYs, colour, CI. Only src/cli/ looks at these. */
export interface Io {
  /** Prompts are allowed: stdin and stderr are terminals and CI is not set. */
  interactive: boolean;
  /** Progress bars are allowed (stderr is a terminal). */
  progress: boolean;
  color: ChalkInstance;
  out(text: string): void;
  err(text: string): void;
}

export function makeIo(opts: { color?: boolean } = {}): Io {
  const ci = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
  // --no-color is a global option: it may stand before or after the command's name.
  const colorOn =
    opts.color !== false &&
    !process.argv.includes('--no-color') &&
    !process.env.NO_COLOR &&
    !!process.stdout.isTTY;
  return {
    interactive: !!process.stdin.isTTY && !!process.stderr.isTTY && !ci,
    progress: !!process.stderr.isTTY && !ci,
    color: colorOn ? chalk : new Chalk({ level: 0 }),
    out: (t) => void process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
    err: (t) => void process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  };
}

/** The longest NV_ACTOR taken, in characters. */
const ACTOR_MAX = 100;

/** A password in a URL of the command line (`postgres://nv:secret@db/nv`) never reaches the audit log. */
function redactUrls(command: string): string {
  return command.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*):[^\s/@]*@/gi, '$1@');
}

/**
 * Who acts, for the audit log: NV_ACTOR when set and not blank (a shared account names its
 * person; trimmed, at most 100 characters, no control characters), else the OS user.
 */
export function actor(argv: string[] = process.argv.slice(2)): Actor {
  const command = redactUrls(['nv', ...argv].join(' '));
  const named = process.env.NV_ACTOR?.trim();
  if (named) {
    if (/\p{Cc}/u.test(named))
      throw new UserError(
        'NV_ACTOR holds a control character (a line break, a tab); set it to a plain name such as "clerk-2 Marie".',
      );
    if ([...named].length > ACTOR_MAX)
      throw new UserError(
        `NV_ACTOR is ${[...named].length} characters long, more than the ${ACTOR_MAX} the audit log takes; set it to a shorter name such as "clerk-2 Marie".`,
      );
    return { user: named, command };
  }
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep $USER
  }
  return { user, command };
}

export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** A progress bar on stderr, only on a terminal. */
export function progressBar(io: Io, label: string): (done: number, total: number) => void {
  if (!io.progress) return () => {};
  let last = -1;
  return (done, total) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    if (filled === last && done !== total) return;
    last = filled;
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`);
    if (done === total) process.stderr.write('\n');
  };
}
