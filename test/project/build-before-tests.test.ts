/**
 * The tests run the built CLI (dist/). Vitest's globalSetup builds dist/ from the current source
 * before any test, so `npx vitest run` after an edit never tests the previous build.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import config from '../../vitest.config.js';
import { buildCurrentSource } from '../helpers/global-setup.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** A copy of the project as built now (src, dist with its build info), sharing node_modules. */
function projectCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), 'nv-build-'));
  onTestFinished(() => rmSync(copy, { recursive: true, force: true }));
  for (const f of ['src', 'dist', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'])
    cpSync(join(ROOT, f), join(copy, f), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

describe('the build before the tests', () => {
  it('is the globalSetup of the vitest configuration', () => {
    expect(config.test?.globalSetup).toEqual(['test/helpers/global-setup.ts']);
  });

  it('re-emits a source edited after the last build (incrementally, from the build info in dist/)', () => {
    const copy = projectCopy();
    const probe = `edited-${process.pid}-${Date.now()}`;
    writeFileSync(
      join(copy, 'src', 'dates.ts'),
      `${readFileSync(join(copy, 'src', 'dates.ts'), 'utf8')}\nexport const PROBE = '${probe}';\n`,
    );
    expect(readFileSync(join(copy, 'dist', 'dates.js'), 'utf8')).not.toContain(probe);
    buildCurrentSource(copy);
    expect(readFileSync(join(copy, 'dist', 'dates.js'), 'utf8')).toContain(probe);
  });

  it('fails the run, with the compiler message, when the source does not compile', () => {
    const copy = projectCopy();
    writeFileSync(
      join(copy, 'src', 'dates.ts'),
      `${readFileSync(join(copy, 'src', 'dates.ts'), 'utf8')}\nexport const BROKEN: number = 'text';\n`,
    );
    expect(() => buildCurrentSource(copy)).toThrow(/The build before the tests failed[\s\S]*src\/dates\.ts/);
  });
});
