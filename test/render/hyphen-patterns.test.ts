import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hyphenPatterns, liangHyphenator } from '../../src/render/layout.js';

const ROOT = resolve(import.meta.dirname, '../..');

// The layout reads the `hyphen` package's pattern files as JSON (faster than compiling them as
// JavaScript): the patterns must be exactly those `require` gives, for every language nv hyphenates.
const requireModule = createRequire(import.meta.url);

describe('hyphenation patterns read as JSON', () => {
  for (const name of ['en-gb', 'fr', 'es', 'ru']) {
    it(`gives the patterns of hyphen/patterns/${name}.js as require does`, () => {
      const parsed = hyphenPatterns(name);
      expect(parsed).toEqual(requireModule(`hyphen/patterns/${name}.js`));
      // Read as JSON, not through the fallback: the fallback returns the very module object.
      expect(parsed).not.toBe(requireModule(`hyphen/patterns/${name}.js`));
    });
  }
});

// The layout breaks words by Liang's algorithm over those patterns itself (liangHyphenator), as
// the package's hyphenator does but without its text reader: the same breaks, word for word, on
// every word of five or more letters in the templates, the examples, the fixtures and the data.
function wordsOf(dir: string, into: Set<string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(md|csv|yaml|txt|eml)$/.test(entry.name)) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const w of text.match(/\p{L}{5,}/gu) ?? []) into.add(w);
  }
}

describe('hyphenation by the layout', () => {
  const words = new Set<string>(['University', 'UNIVERSITIES', 'however', 'manuscripts', 'İstanbul']);
  for (const dir of ['templates', 'fixtures', 'data']) wordsOf(join(ROOT, dir), words);
  const createHyphenator = requireModule('hyphen/hyphen.js') as (
    patterns: unknown,
  ) => (text: string, opts: { hyphenChar: string }) => string;

  for (const name of ['en-gb', 'fr', 'es', 'ru']) {
    it(`breaks ${words.size} words where hyphen/patterns/${name} does`, () => {
      const expected = createHyphenator(requireModule(`hyphen/patterns/${name}.js`));
      const breaks = liangHyphenator(hyphenPatterns(name) as Parameters<typeof liangHyphenator>[0]);
      const differ: string[] = [];
      for (const w of words) {
        const ours = breaks(w);
        const parts = [w.slice(0, ours[0])];
        ours.forEach((at, i) => parts.push(w.slice(at, ours[i + 1])));
        const mine = ours.length === 0 ? w : parts.join('\u00ad');
        if (mine !== expected(w, { hyphenChar: '\u00ad' })) differ.push(w);
      }
      expect(differ).toEqual([]);
    });
  }
});
