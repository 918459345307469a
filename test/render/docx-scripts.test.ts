/**
 * Issue 8, DOCX side of points 2 and 3: the faces of the six languages in `w:rFonts`, `w:lang` per
 * language, Arabic paragraphs right to left (`w:bidi`) with runs split at direction changes
 * (`w:rtl` on the Arabic ones, so the reference and a Latin name are their own left-to-right runs),
 * complex-script bold and size, Chinese runs in the East Asian font. Parsed with a real XML parser.
 */
import { describe, expect, it } from 'vitest';
import { createDocxRenderer } from '../../src/render/docx.js';
import { FAMILY } from '../../src/render/typography.js';
import { parseXml, unzip, wAll, wAttr, wChild, wText, type XmlElement } from './docx-helpers.js';
import { LANGUAGES, REFERENCE, noteIn, type Language } from './six-languages.js';

const renderer = await createDocxRenderer(['note']);
const partsOf = (language: Language) => unzip(renderer.render(noteIn(language)));

const ARABIC = /[\u0600-\u06ff]/;
const HAN = /[\u4e00-\u9fff]/;

function bodyParagraphs(documentXml: string): XmlElement[] {
  const body = wAll(parseXml(documentXml), 'body')[0] as XmlElement;
  return wAll(body, 'p');
}

function runsOf(p: XmlElement): XmlElement[] {
  return wAll(p, 'r').filter((r) => wText(r) !== '');
}

describe('DOCX faces and languages', () => {
  it.each(LANGUAGES)('%s: run defaults name Tinos, Amiri and Noto Serif SC, and the language', (language) => {
    const styles = parseXml(partsOf(language)['word/styles.xml'] as string);
    const rPr = wChild(wAll(styles, 'rPrDefault')[0], 'rPr');
    const fonts = wChild(rPr, 'rFonts');
    expect(wAttr(fonts, 'ascii')).toBe(FAMILY.latin);
    expect(wAttr(fonts, 'hAnsi')).toBe(FAMILY.latin);
    expect(wAttr(fonts, 'cs')).toBe(FAMILY.arabic);
    expect(wAttr(fonts, 'eastAsia')).toBe(FAMILY.chinese);
    expect([FAMILY.latin, FAMILY.arabic, FAMILY.chinese]).toEqual(['Tinos', 'Amiri', 'Noto Serif SC']);
    // Complex-script size equal to the size.
    expect(wAttr(wChild(rPr, 'szCs'), 'val')).toBe(wAttr(wChild(rPr, 'sz'), 'val'));
    const lang = wChild(rPr, 'lang');
    const expected: Record<Language, [string, string | undefined, string | undefined]> = {
      en: ['en-GB', undefined, undefined],
      fr: ['fr-FR', undefined, undefined],
      es: ['es-ES', undefined, undefined],
      ru: ['ru-RU', undefined, undefined],
      ar: ['ar-SA', 'ar-SA', undefined],
      zh: ['zh-CN', undefined, 'zh-CN'],
    };
    expect([wAttr(lang, 'val'), wAttr(lang, 'bidi'), wAttr(lang, 'eastAsia')]).toEqual(expected[language]);
  });

  it.each(['en', 'fr', 'es', 'ru', 'zh'] as const)('%s: left to right, no w:bidi, no w:rtl', (language) => {
    const xml = partsOf(language)['word/document.xml'] as string;
    const doc = parseXml(xml);
    expect(wAll(doc, 'bidi')).toHaveLength(0);
    expect(wAll(doc, 'rtl')).toHaveLength(0);
  });
});

describe('DOCX settings', () => {
  it('asks Word to hyphenate (by w:lang), as nv hyphenates justified text in the PDF', () => {
    const settings = parseXml(partsOf('en')['word/settings.xml'] as string);
    const auto = wAll(settings, 'autoHyphenation')[0];
    expect(auto).toBeDefined();
    expect(wAttr(auto, 'val') ?? 'true').toMatch(/^(true|1|on)$/);
  });
});

describe('an Arabic note in DOCX', () => {
  const paragraphs = bodyParagraphs(partsOf('ar')['word/document.xml'] as string);

  it('makes every paragraph right to left, alignment logical', () => {
    expect(paragraphs.length).toBeGreaterThan(8);
    for (const p of paragraphs) expect(wChild(wChild(p, 'pPr'), 'bidi'), wText(p)).toBeDefined();
    const jc = (p: XmlElement) => wAttr(wChild(wChild(p, 'pPr'), 'jc'), 'val');
    const byText = (s: string) => paragraphs.find((p) => wText(p).includes(s)) as XmlElement;
    // Body justified; the reference at the start of the line (w:jc left in a w:bidi paragraph is
    // the start: the right of the page); the date at the end.
    expect(jc(byText('وفي القرار'))).toBe('both');
    expect(jc(byText(REFERENCE))).toBe('left');
    expect(jc(paragraphs.find((p) => wText(p) === noteIn('ar').dateLine) as XmlElement)).toBe('right');
  });

  it('marks Arabic runs w:rtl and keeps the reference, a Latin name and numbers in their own LTR runs', () => {
    const runs = paragraphs.flatMap(runsOf);
    for (const r of runs) {
      const text = wText(r);
      const rtl = wChild(wChild(r, 'rPr'), 'rtl') !== undefined;
      if (ARABIC.test(text)) {
        expect(rtl, text).toBe(true);
        expect(/[A-Za-z]/.test(text), `Latin inside an Arabic run: ${text}`).toBe(false);
      }
      if (/[A-Za-z0-9]/.test(text)) expect(rtl, text).toBe(false);
    }
    const texts = runs.map(wText);
    // The reference, in the reference line and inside the second paragraph, is one LTR run.
    expect(texts.filter((t) => t.trim() === REFERENCE)).toHaveLength(2);
    expect(texts.some((t) => t.trim() === 'Jean Dupont')).toBe(true);
    expect(texts).toContain('4/2');
    // Nothing lost or reordered: the runs still spell the paragraphs in logical order.
    const second = paragraphs.find((p) => wText(p).startsWith('وفي القرار')) as XmlElement;
    const source = noteIn('ar').body[1] as { runs: Array<{ text: string }> };
    expect(runsOf(second).map(wText).join('')).toBe(source.runs[0]?.text);
    expect(runsOf(second).length).toBeGreaterThanOrEqual(7);
  });

  it('sets bold Arabic with w:b and w:bCs', () => {
    const bold = paragraphs.flatMap(runsOf).find((r) => wText(r) === 'البعثة الدائمة للنمسا') as XmlElement;
    const rPr = wChild(bold, 'rPr');
    expect(wChild(rPr, 'b')).toBeDefined();
    expect(wChild(rPr, 'bCs')).toBeDefined();
    expect(wChild(rPr, 'rtl')).toBeDefined();
  });
});

describe('a Chinese note in DOCX', () => {
  it('hints its Han runs to the East Asian font (Noto Serif SC)', () => {
    const runs = bodyParagraphs(partsOf('zh')['word/document.xml'] as string).flatMap(runsOf);
    const han = runs.filter((r) => HAN.test(wText(r)));
    expect(han.length).toBeGreaterThan(5);
    for (const r of han) expect(wAttr(wChild(wChild(r, 'rPr'), 'rFonts'), 'hint'), wText(r)).toBe('eastAsia');
    const bold = han.find((r) => wText(r).startsWith('奥地利')) as XmlElement;
    expect(wChild(wChild(bold, 'rPr'), 'bCs')).toBeDefined();
  });
});
