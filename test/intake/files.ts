/**
 * Paths and bytes of the reply fixtures and of the pdf.js corpus: the copy in test/fixtures/pdfjs
 * (see test/fixtures/SOURCES.md), plus, only when ../shared/corpus/pdfjs is beside the clone, the
 * files of its MANIFEST that the copy does not have (extra cases, never needed to pass).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const REPLIES = join(ROOT, 'fixtures', 'replies');
export const CORPUS = join(ROOT, 'test', 'fixtures', 'pdfjs');
const SHARED_CORPUS = resolve(ROOT, '..', 'shared', 'corpus', 'pdfjs');
export const HAS_CORPUS = existsSync(join(CORPUS, 'MANIFEST.tsv'));

export function reply(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(REPLIES, name)));
}

export function corpus(name: string): Uint8Array {
  const own = join(CORPUS, name);
  return new Uint8Array(readFileSync(existsSync(own) ? own : join(SHARED_CORPUS, name)));
}

function manifest(dir: string): { file: string; expected: string; what: string }[] {
  if (!existsSync(join(dir, 'MANIFEST.tsv'))) return [];
  return readFileSync(join(dir, 'MANIFEST.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [file = '', expected = '', what = ''] = line.split('\t');
      return { file, expected, what };
    });
}

/** MANIFEST.tsv rows: file, what a reader should conclude, what it is. */
export function corpusManifest(): { file: string; expected: string; what: string }[] {
  const own = manifest(CORPUS);
  const known = new Set(own.map((r) => r.file));
  return [...own, ...manifest(SHARED_CORPUS).filter((r) => !known.has(r.file))];
}

export const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
