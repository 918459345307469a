import chalk, { Chalk, type ChalkInstance } from 'chalk';
import { userInfo } from 'node:os';
import type { Actor } from '../audit.js';

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

/** Who acts, for the audit log: NV_ACTOR when set (a shared account names its person), else the OS user. */
export function actor(argv: string[] = process.argv.slice(2)): Actor {
  const named = process.env.NV_ACTOR?.trim();
  if (named) return { user: named, command: ['nv', ...argv].join(' ') };
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep $USER
  }
  return { user, command: ['nv', ...argv].join(' ') };
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
