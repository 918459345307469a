import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NBSP, NNBSP, spaceRuns, typographicSpaces } from '../../src/text/spaces.js';

const LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
/** What stays of a text once every kind of space is taken out. */
const skeleton = (s: string) => s.replace(/[ \u00A0\u202F]/g, '');
/** The text with its no-break spaces shown as ~ (U+00A0) and ^ (U+202F). */
const shown = (s: string) => s.replace(/\u00A0/g, '~').replace(/\u202F/g, '^');

describe('no-break spaces as text rules', () => {
  it.each([
    ['en', 'Vienna, 15 August 2012', 'Vienna, 15~August~2012'],
    ['en', 'from 22 to 23 October 2012.', 'from 22 to 23~October~2012.'],
    [
      'en',
      'the attention of the Government to resolution 4/2, entitled',
      'the attention of the Government to resolution~4/2, entitled',
    ],
    ['en', 'in accordance with article 5.', 'in accordance with article~5.'],
    ['en', 'article 5.2 of the Convention', 'article 5.2 of the Convention'],
    ['en', 'the 195 States', 'the 195 States'],
    ['en', 'Reference: CU 2012/150(A)/DTA/CEB/CSS', 'Reference: CU 2012/150(A)/DTA/CEB/CSS'],
    ['en', 'on 15 May, 1 June', 'on 15~May, 1~June'],
    ['en', 'May 2012 and may 3', 'May 2012 and may~3'],
    ['fr', 'le 1er octobre 2012', 'le 1er~octobre~2012'],
    ['fr', 'Référence : CU 2012/150', 'Référence~: CU~2012/150'],
    ['fr', 'Pièces jointes: 2', 'Pièces jointes~: 2'],
    ['fr', 'Vraiment ? Oui ! Non; peut-être', 'Vraiment^? Oui^! Non^; peut-être'],
    ['fr', 'intitulée « Convocation »', 'intitulée «~Convocation~»'],
    ['fr', 'à 10:30 sur http://www.unodc.org/x?y=1', 'à 10:30 sur http://www.unodc.org/x?y=1'],
    ['fr', 'la résolution 4/2 ; voir', 'la résolution~4/2^; voir'],
    ['es', 'el 15 de agosto de 2012', 'el 15~de~agosto de~2012'],
    ['es', 'la resolución 4/2, titulada', 'la resolución~4/2, titulada'],
    ['ru', '15 августа 2012 года', '15~августа 2012~года'],
    ['ru', 'Исх. № 150', 'Исх. №~150'],
    ['ru', '2012 – 2013 годы', '2012~– 2013 годы'],
    ['ar', '15 آب/أغسطس 2012', '15~آب/أغسطس~2012'],
    ['ar', '22 إلى 23 تشرين الأول/أكتوبر 2012', '22 إلى 23~تشرين~الأول/أكتوبر~2012'],
    ['ar', 'القرار 4/2.', 'القرار~4/2.'],
    ['zh', '2012年8月15日，第4/2号决议。', '2012年8月15日，第4/2号决议。'],
  ])('%s: "%s" → "%s"', (lang, text, want) => {
    expect(shown(typographicSpaces(text, lang))).toBe(want);
  });

  it('spans runs: "resolution " plain and "4/2" bold keep their marks', () => {
    const runs = spaceRuns(
      [
        { text: 'to resolution ' },
        { text: '4/2', bold: true },
        { text: ', entitled ' },
        { text: '«', italic: true },
        { text: 'x »' },
      ],
      'fr',
    );
    expect(runs.map((r) => shown(r.text))).toEqual(['to resolution~', '4/2', ', entitled ', '«~', 'x~»']);
    expect(runs[1]!.bold).toBe(true);
    expect(runs[3]!.italic).toBe(true);
  });

  it('leaves link runs as they are', () => {
    const runs = spaceRuns([{ text: 'Courriel :' }, { text: 'a@b.org ?', link: 'mailto:a@b.org' }], 'fr');
    expect(runs.map((r) => r.text)).toEqual([`Courriel${NBSP}:`, 'a@b.org ?']);
  });

  // Text built from the pieces the rules look at, so that the properties meet them often.
  const piece = fc.constantFrom(
    ' ',
    ' ',
    NBSP,
    NNBSP,
    'a',
    'é',
    'Z',
    'ы',
    'ب',
    '中',
    '1',
    '15',
    '4/2',
    '2012',
    '.',
    ',',
    ':',
    ';',
    '!',
    '?',
    '«',
    '»',
    '–',
    '—',
    '(',
    ')',
    '/',
    '-',
    '1er',
    'de',
    'августа',
    'года',
    '№',
    'August',
    'août',
    'agosto',
    'آب/أغسطس',
    'تشرين الأول/أكتوبر',
    'resolution',
    '\n',
  );
  const text = fc.array(piece, { maxLength: 40 }).map((a) => a.join(''));

  it('property: only spaces change (the other characters stay, in order)', () => {
    fc.assert(
      fc.property(text, fc.constantFrom(...LANGUAGES), (s, lang) => {
        expect(skeleton(typographicSpaces(s, lang))).toBe(skeleton(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('property: idempotent (twice is once)', () => {
    fc.assert(
      fc.property(text, fc.constantFrom(...LANGUAGES), (s, lang) => {
        const once = typographicSpaces(s, lang);
        expect(typographicSpaces(once, lang)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('property: over runs, the same text as over the joined text, and every run keeps its marks', () => {
    const run = fc.record({ text, bold: fc.boolean() });
    fc.assert(
      fc.property(fc.array(run, { maxLength: 5 }), fc.constantFrom(...LANGUAGES), (runs, lang) => {
        const out = spaceRuns(runs, lang);
        expect(out.map((r) => r.text).join('')).toBe(
          typographicSpaces(runs.map((r) => r.text).join(''), lang),
        );
        expect(out.map((r) => r.bold)).toEqual(runs.map((r) => r.bold));
        out.forEach((r, i) => expect(skeleton(r.text)).toBe(skeleton(runs[i]!.text)));
      }),
      { numRuns: 1000 },
    );
  });
});
