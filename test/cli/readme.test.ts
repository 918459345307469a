/**
 * The README's tour runs as written, in order: each line of its `sh` blocks is run by bash in a
 * temporary folder (a `cd` carries over to the next line), with `nv` on the PATH as the built CLI,
 * no terminal, CI=true. Each must exit 0, or the code the README documents for it (EXPECTED_CODE).
 * The lines that cannot run here are listed in NOT_RUN with the reason; files an example names
 * as the reader's own (a scan, a list) are put there first, from the project's fixtures (PROVIDED).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, NV, ROOT, tempDir } from '../helpers/cli.js';

/** Lines of the tour that are not run, each with why. */
const NOT_RUN: Record<string, string> = {
  'nv init cop11': 'the wizard needs a terminal (the next line is the same with flags and --yes)',
  'nv review': 'the review queue needs a terminal (test/cli/tty.test.ts drives it in a pseudo-terminal)',
};

/** Lines whose documented exit code is not 0. */
const EXPECTED_CODE: Record<string, number> = {
  'nv validate --json': 1, // "exit 1 while an error-severity finding remains": the example has late replies
  'nv validate --strict': 1,
};

/** Files an example names as the reader's own: copied from the project's fixtures before it runs. */
const PROVIDED: Record<string, Record<string, string>> = {
  'nv ingest scans/0923.tif': { 'scans/0923.tif': 'fixtures/replies/fax.tif' },
  'nv delegation import lists/france.csv': {
    'lists/france.csv': 'fixtures/delegations/cp1252-semicolon-fr.csv',
  },
};

/** The command of a tour line: continuation lines joined, without its trailing `# comment`. */
function command(line: string): string {
  return line.replace(/\s{2,}#.*$/, '').trim();
}

/** The shell lines of the tour (## A tour of the commands), in order, `\` continuations joined. */
function tourLines(readme: string): string[] {
  const start = readme.indexOf('\n## A tour of the commands');
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  const tour = readme.slice(start, end === -1 ? undefined : end);
  const lines: string[] = [];
  for (const [, body] of tour.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let pending = '';
    for (const raw of body!.split('\n')) {
      if (raw.trim() === '' && pending === '') continue;
      if (raw.endsWith('\\')) {
        pending += `${raw.slice(0, -1).trimEnd()} `;
        continue;
      }
      lines.push(`${pending}${raw.trim()}`);
      pending = '';
    }
  }
  return lines.filter((l) => l !== '');
}

/** The entry of a line in NOT_RUN or EXPECTED_CODE (its whole command), or PROVIDED (its start). */
function listed<T>(table: Record<string, T>, line: string, byStart = false): T | undefined {
  const cmd = command(line);
  const key = Object.keys(table).find((k) => cmd === k || (byStart && cmd.startsWith(`${k} `)));
  return key === undefined ? undefined : table[key];
}

describe('the README tour', () => {
  const lines = tourLines(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  const dir = tempDir('nv-readme-');
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'nv'), `#!/bin/sh\nexec "${process.execPath}" "${NV}" "$@"\n`);
  chmodSync(join(bin, 'nv'), 0o755);
  const home = join(dir, 'tour');
  mkdirSync(home);
  let cwd = home;

  it('has the examples this test knows about', () => {
    expect(lines.length).toBeGreaterThan(30);
    const commands = lines.map(command);
    for (const key of [...Object.keys(NOT_RUN), ...Object.keys(EXPECTED_CODE)])
      expect(commands.includes(key), `${key} is listed here but not in the tour`).toBe(true);
    for (const key of Object.keys(PROVIDED))
      expect(
        commands.some((c) => c.startsWith(`${key} `)),
        `${key} is listed here but not in the tour`,
      ).toBe(true);
  });

  lines.forEach((line, i) =>
    it(`${i + 1}. ${command(line)}`, () => {
      const skip = listed(NOT_RUN, line);
      if (skip !== undefined) return;
      for (const [target, source] of Object.entries(listed(PROVIDED, line, true) ?? {})) {
        mkdirSync(dirname(join(cwd, target)), { recursive: true });
        copyFileSync(join(ROOT, source), join(cwd, target));
      }
      const pwdFile = join(dir, '.pwd');
      const r = spawnSync('bash', ['-c', `${line}\ns=$?; pwd > "${pwdFile}"; exit $s`], {
        cwd,
        env: { ...baseEnv(), PATH: `${bin}:${process.env.PATH ?? ''}` },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 180_000,
      });
      cwd = readFileSync(pwdFile, 'utf8').trim();
      const expected = listed(EXPECTED_CODE, line) ?? 0;
      expect(r.status, `${line}\n--- stdout\n${r.stdout.slice(-2000)}\n--- stderr\n${r.stderr}`).toBe(
        expected,
      );
    }, 180_000),
  );
});
