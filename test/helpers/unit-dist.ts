/**
 * Unit tests that run code in child processes import the built files under dist/. This makes
 * sure the ones they need are at least as new as their sources, building when they are not, so a
 * test never passes or fails on yesterday's build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '..', '..');

/** `module` as in src/ without extension, e.g. "storage/sqlite/register". */
function stale(module: string): boolean {
  const src = join(ROOT, 'src', `${module}.ts`);
  const out = join(ROOT, 'dist', `${module}.js`);
  return !existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds dist/ (npx tsc -p tsconfig.build.json) when one of `modules` is missing or older than
 * its source; returns the file URL of each built module, in order. Test files run in parallel
 * workers, so the build is serialised with a lock directory.
 */
export function builtModules(modules: string[]): string[] {
  if (modules.some(stale)) {
    const lock = join(ROOT, 'dist', '.unit-build-lock');
    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        mkdirSync(lock);
        break;
      } catch {
        // A lock older than two minutes was left by a killed run.
        const held = statSync(lock, { throwIfNoEntry: false });
        if (held && Date.now() - held.mtimeMs > 120_000) rmdirSync(lock);
        if (Date.now() > deadline)
          throw new Error(`${lock} is held for a minute; remove it if no build runs.`);
        sleep(100);
      }
    }
    try {
      // Another worker may have built while this one waited.
      if (modules.some(stale)) {
        // tsc emits even when files outside these modules have type errors; the check below is what counts.
        spawnSync(
          process.execPath,
          [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
          {
            cwd: ROOT,
            stdio: 'ignore',
          },
        );
      }
    } finally {
      rmdirSync(lock);
    }
    const still = modules.filter(stale);
    if (still.length)
      throw new Error(`dist/ is out of date for ${still.join(', ')}; run "npx tsc -p tsconfig.build.json".`);
  }
  return modules.map((m) => pathToFileURL(join(ROOT, 'dist', `${m}.js`)).href);
}
