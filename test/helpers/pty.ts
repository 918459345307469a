/** Drives the built CLI through a real pseudo-terminal (pty-drive.py), as a person at a terminal. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { NV } from './cli.js';

const DRIVER = join(import.meta.dirname, 'pty-drive.py');

/** Each step: the text to wait for on the screen, then the keys to type. */
export function drive(
  steps: [string, string][],
  args: string[],
  cwd: string,
  env?: NodeJS.ProcessEnv,
): { screen: string; code: number } {
  const r = spawnSync('python3', [DRIVER, JSON.stringify(steps), '--', process.execPath, NV, ...args], {
    cwd,
    ...(env ? { env } : {}),
    encoding: 'utf8',
    timeout: 60_000,
  });
  const m = /\nEXIT (-?\d+)\n$/.exec(r.stdout);
  return { screen: r.stdout, code: m ? Number(m[1]) : -1 };
}
