import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { breakOpportunities } from '../../src/render/layout.js';

// The break opportunities of running text in Latin and Cyrillic letters, quotation marks,
// guillemets and no-break spaces are found without loading `linebreak` (a fast path for the
// common note); they must be those of UAX #14 as `linebreak` gives them, with nv's exceptions.
const LineBreaker = createRequire(import.meta.url)('linebreak') as new (text: string) => {
  nextBreak(): { position: number } | null;
};

function uax14(text: string): number[] {
  const out: number[] = [];
  const lb = new LineBreaker(text);
  for (let b = lb.nextBreak(); b; b = lb.nextBreak()) {
    const before = text.charCodeAt(b.position - 1);
    if (before === 0x2f && b.position < text.length) continue; // no break after "/"
    if (before === 0x2d && /\p{L}/u.test(text[b.position] ?? '')) continue; // nor in "open-ended"
    out.push(b.position);
  }
  return out;
}

const positions = (text: string): number[] => [...breakOpportunities(text).keys()].sort((a, b) => a - b);

/** A fixed pseudo-random sequence (the test is the same on every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('break opportunities of running text', () => {
  it('are those of UAX #14 with quotes, guillemets, no-break spaces, Latin and Cyrillic letters', () => {
    const rnd = random(8);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
    const letters = [...'abcdeéèçàôüñßжЁящZ'];
    const wraps = [
      ['', ''],
      ['“', '”'],
      ['‘', '’'],
      ['«\u00a0', '\u00a0»'],
      ['«\u202f', '\u202f»'],
      ['"', '"'],
      ["'", "'"],
      ['(', ')'],
    ];
    const tails = ['', ',', '.', ';', ':', '\u202f:', '\u00a0:', '’s', '’'];
    const seps = [' ', ' ', ' ', '\u00a0', '\u202f'];
    const word = (): string => {
      if (rnd() < 0.1)
        return pick([
          '2012',
          '15',
          '4/2',
          '150(A)',
          '15-19',
          '+43-1',
          '2012/150(A)/DTA/CEB/CSS',
          'a@b.org',
          '-',
          '- 2 -',
          'x=1&y=2#z_w*3',
        ]);
      let w = '';
      for (let i = 0, n = 1 + Math.floor(rnd() * 6); i < n; i++) w += pick(letters);
      return rnd() < 0.1 ? `${w}-${pick(letters)}${pick(letters)}` : w;
    };
    for (let n = 0; n < 3000; n++) {
      let text = '';
      for (let i = 0, k = 1 + Math.floor(rnd() * 10); i < k; i++) {
        const [open, close] = pick(wraps) as [string, string];
        text += (i ? pick(seps) : '') + open + word() + close + pick(tails);
      }
      expect(positions(text), JSON.stringify(text)).toEqual(uax14(text));
    }
  });

  it('keep a closing quotation mark with an opening parenthesis after it (UAX #14 LB15)', () => {
    const text = 'resolution 4/2, entitled “Convening of meetings” (see annex), and « le texte » (A/1)';
    expect(positions(text)).toEqual(uax14(text));
    expect(positions(text)).not.toContain(text.indexOf('(see'));
    expect(positions(text)).not.toContain(text.indexOf('(A/1'));
  });
});
