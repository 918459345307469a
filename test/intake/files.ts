/** Paths and bytes of the reply fixtures and of the shared pdf.js corpus. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const REPLIES = join(ROOT, 'fixtures', 'replies');
export const CORPUS = resolve(ROOT, '..', 'shared', 'corpus', 'pdfjs');
export const HAS_CORPUS = existsSync(join(CORPUS, 'MANIFEST.tsv'));

export function reply(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(REPLIES, name)));
}

export function corpus(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(CORPUS, name)));
}

/** MANIFEST.tsv rows: file, what a reader should conclude, what it is. */
export function corpusManifest(): { file: string; expected: string; what: string }[] {
  return readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [file = '', expected = '', what = ''] = line.split('\t');
      return { file, expected, what };
    });
}

export const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
