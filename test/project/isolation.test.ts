/**
 * A clone tests itself: nothing in src/, test/, bench/ or bin/ may need ../shared (the project's
 * read-only reference folder, not part of the repository). Data the tests need is copied into
 * test/fixtures/ (SOURCES.md says from where). A file may read ../shared only to ADD cases when it
 * is present; such files are listed here, each with how it stays optional.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Files that may refer to ../shared, and why they pass without it. */
const OPTIONAL_READERS: Record<string, string> = {
  'test/intake/files.ts':
    'adds the MANIFEST rows of ../shared/corpus/pdfjs that test/fixtures/pdfjs lacks, when present',
  'test/project/isolation.test.ts': 'this check',
  'bench/intake-corpus.mjs':
    'a benchmark over the 400 PDFs of ../shared/corpus/pdfjs (not a test); it adds them to the project’s own PDFs when present',
};

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|js|mjs|py|sh)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .filter((f) => !f.startsWith('test/fixtures/'));
}

/** A path built to it: `'..', 'shared'`, a string that starts with `../shared`, `SHARED =`. */
const REFERS_TO_SHARED = /(['"`]\.\.['"`]\s*,\s*['"`]shared['"`]|['"`]\.\.\/shared\b|\bSHARED\s*=)/;

describe('a clone without ../shared', () => {
  it('has no source or test that needs ../shared to pass', () => {
    const found = ['src', 'test', 'bench', 'bin']
      .flatMap(sources)
      .filter((f) => !(f in OPTIONAL_READERS))
      .filter((f) => REFERS_TO_SHARED.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(found, 'copy what these read into test/fixtures/ (with its source in SOURCES.md)').toEqual([]);
  });
});
