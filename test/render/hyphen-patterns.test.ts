import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { hyphenPatterns } from '../../src/render/layout.js';

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
