/**
 * Vitest globalSetup: builds dist/ from the current source once, before any test runs, so the
 * CLI tests (which run bin/nv.js → dist/) never test yesterday's build. Incremental: the build
 * info is kept in dist/ (deleting dist/ deletes it too), and a build with nothing changed takes
 * about a second. A source that does not compile fails the run with tsc's messages.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** Builds `root`/dist from `root`/src, incrementally; throws with tsc's messages when it fails. */
export function buildCurrentSource(root = ROOT): void {
  const args = [
    '-p',
    'tsconfig.build.json',
    '--incremental',
    '--tsBuildInfoFile',
    join('dist', '.tsbuildinfo'),
  ];
  const r = spawnSync(process.execPath, [TSC, ...args], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(
      `The build before the tests failed (tsc -p tsconfig.build.json, exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`,
    );
  }
  // The rest of `npm run build`: the data stored next to the compiled modules (DOCX static parts).
  const data = spawnSync(process.execPath, [join('scripts', 'docx-package.mjs')], {
    cwd: root,
    encoding: 'utf8',
  });
  if (data.status !== 0) {
    throw new Error(
      `The build before the tests failed (scripts/docx-package.mjs, exit ${data.status ?? data.signal}):\n${data.stdout}${data.stderr}`,
    );
  }
}

export default function setup(): void {
  buildCurrentSource();
}
