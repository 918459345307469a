/** Drives the built CLI (bin/nv.js → dist/) in temporary workspaces, as a user or CI would. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const NV = join(ROOT, 'bin', 'nv.js');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', NO_COLOR: '1' };
  delete env.NV_WORKSPACE;
  delete env.NV_DATABASE_URL;
  // What a test gives is kept (NV_DATABASE_URL for a PostgreSQL register); the caller's own is not.
  return { ...env, ...extra };
}

export function nv(args: string[], opts: { cwd: string; env?: Record<string, string>; input?: string }): Run {
  const r = spawnSync(process.execPath, [NV, ...args], {
    cwd: opts.cwd,
    env: baseEnv(opts.env),
    encoding: 'utf8',
    input: opts.input ?? '',
    timeout: 120_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function nvAsync(
  args: string[],
  opts: { cwd: string; env?: Record<string, string> },
): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [NV, ...args], {
    cwd: opts.cwd,
    env: baseEnv(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((res) =>
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

export function tempDir(prefix = 'nv-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A fresh copy of the example workspace, made by `nv init --example`. */
export function exampleWorkspace(): { dir: string; ws: string } {
  const dir = tempDir();
  const r = nv(['init', 'ws', '--example', 'uncac-2012', '--yes'], { cwd: dir });
  if (r.code !== 0) throw new Error(`nv init failed: ${r.stderr}`);
  return { dir, ws: join(dir, 'ws') };
}
