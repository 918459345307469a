import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FORMAT,
  formatReference,
  parseReference,
  referencePattern,
  referenceSlug,
  type ReferenceParts,
} from '../../src/references/format.js';

const OFFICE = 'DTA/CEB/CSS';
const SEED: ReferenceParts = { series: 'CU', year: 2012, seq: 150, variant: 'A', office: OFFICE };

describe('formatReference', () => {
  it('writes the seed reference', () => {
    expect(formatReference(DEFAULT_FORMAT, SEED)).toBe('CU 2012/150(A)/DTA/CEB/CSS');
    expect(formatReference(DEFAULT_FORMAT, { ...SEED, variant: '' })).toBe('CU 2012/150/DTA/CEB/CSS');
  });

  it('follows another format', () => {
    expect(formatReference('{office}/{year}/{series}-{seq}{variant}', SEED)).toBe(
      'DTA/CEB/CSS/2012/CU-150(A)',
    );
  });
});

describe('parseReference', () => {
  it.each([
    ['CU 2012/150(A)/DTA/CEB/CSS', { series: 'CU', year: 2012, seq: 150, variant: 'A', office: OFFICE }],
    ['CU 2012/150/DTA/CEB/CSS', { series: 'CU', year: 2012, seq: 150, variant: '', office: OFFICE }],
    ['CU 2012/150', { series: 'CU', year: 2012, seq: 150, variant: '', office: OFFICE }],
    ['CU 2012/150(B)', { series: 'CU', year: 2012, seq: 150, variant: 'B', office: OFFICE }],
    ['  cu 2012/150(a)  ', { series: 'CU', year: 2012, seq: 150, variant: 'A', office: OFFICE }],
    ['CU 2012/150 (A)', { series: 'CU', year: 2012, seq: 150, variant: 'A', office: OFFICE }],
    ['CU 2012/150 (A)/DTA/CEB/CSS', { series: 'CU', year: 2012, seq: 150, variant: 'A', office: OFFICE }],
    ['CU2012/150(A)', { series: 'CU', year: 2012, seq: 150, variant: 'A', office: OFFICE }],
  ])('reads "%s"', (text, want) => {
    expect(parseReference(text, DEFAULT_FORMAT, OFFICE)).toEqual(want);
  });

  it.each(['', 'CU', 'CU 12/150', 'CU 2012', 'CU 2012/', '2012/150', 'note of 15 August 2012'])(
    'finds no reference in "%s"',
    (text) => {
      expect(parseReference(text, DEFAULT_FORMAT, OFFICE)).toBeUndefined();
    },
  );

  it('reads a reference in another format', () => {
    const format = '{office}/{year}/{series}-{seq}{variant}';
    expect(parseReference('DTA/CEB/CSS/2012/CU-150(A)', format, OFFICE)).toEqual(SEED);
  });

  const parts = fc.record({
    series: fc.stringMatching(/^[A-Z]{1,4}$/),
    year: fc.integer({ min: 1900, max: 2999 }),
    seq: fc.integer({ min: 1, max: 999_999 }),
    variant: fc.constantFrom('', ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    office: fc.constantFrom(OFFICE, 'DTA', 'OLA/OLC', 'UNOV-ODC'),
  });

  it('reads back every reference it writes (default format)', () => {
    fc.assert(
      fc.property(parts, (p) => {
        const text = formatReference(DEFAULT_FORMAT, p);
        expect(parseReference(text, DEFAULT_FORMAT, p.office)).toEqual(p);
        // As replies write it: a space before the variant, or the office path left out.
        expect(parseReference(text.replace('(', ' ('), DEFAULT_FORMAT, p.office)).toEqual(p);
        const short = formatReference('{series} {year}/{seq}{variant}', p);
        expect(parseReference(short, DEFAULT_FORMAT, p.office)).toEqual(p);
      }),
      { numRuns: 500 },
    );
  });

  it('reads back every reference inside a sentence, and each with its variant when several are cited', () => {
    fc.assert(
      fc.property(parts, parts, (p, q) => {
        const office = p.office;
        const r1 = formatReference(DEFAULT_FORMAT, p);
        const r2 = formatReference(DEFAULT_FORMAT, { ...q, office });
        const text = `With reference to your note ${r1} of 15 August 2012, and to note ${r2}, the Permanent Mission…`;
        const found = [...text.matchAll(referencePattern(DEFAULT_FORMAT, office))].map((m) => m[0]);
        expect(found).toEqual([r1, r2]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('referencePattern', () => {
  it('finds the references a reply cites, with or without the office path', () => {
    const text =
      'The Permanent Mission of Austria … has the honour to refer to note CU 2012/150(A)/DTA/CEB/CSS of 15 August 2012 ' +
      'and to the reminder CU 2012/163 dated 1 October 2012.';
    const hits = [...text.matchAll(referencePattern(DEFAULT_FORMAT, OFFICE))].map((m) => ({
      text: m[0],
      seq: m.groups!.seq,
      variant: m.groups!.variant,
    }));
    expect(hits).toEqual([
      { text: 'CU 2012/150(A)/DTA/CEB/CSS', seq: '150', variant: 'A' },
      { text: 'CU 2012/163', seq: '163', variant: undefined },
    ]);
  });

  it('keeps to the series it is given', () => {
    const re = referencePattern(DEFAULT_FORMAT, OFFICE, 'CU');
    expect('CU 2012/150 and TO 2012/151'.match(re)).toEqual(['CU 2012/150']);
  });
});

describe('referenceSlug', () => {
  it('names the folder of a reference', () => {
    expect(referenceSlug(SEED)).toBe('CU-2012-150-A');
    expect(referenceSlug({ ...SEED, variant: '' })).toBe('CU-2012-150');
  });
});
