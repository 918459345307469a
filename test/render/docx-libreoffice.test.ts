/**
 * Issue 8: the DOCX of a note in each of the six languages opened by LibreOffice (converted to PDF
 * headless, as a secretariat's office suite would open it): the conversion succeeds, the text is
 * there, LibreOffice sets it in the faces the DOCX names (Tinos, Amiri, Noto Serif SC, given to it
 * from node_modules as the only fonts of a temporary HOME), and the Arabic note comes out right to
 * left. Skipped, with a message, where LibreOffice (`soffice`) is not installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocxRenderer } from '../../src/render/docx.js';
import { LANGUAGES, REFERENCE, noteIn, type Language } from './six-languages.js';

const soffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' });
const hasLibreOffice = soffice.status === 0;
if (!hasLibreOffice) {
  console.warn('docx-libreoffice.test.ts skipped: LibreOffice (soffice) is not installed.');
}

const require = createRequire(import.meta.url);
/** The TTFs nv's DOCX names, from their npm packages. */
const FONT_FILES = [
  '@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf',
  '@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf',
  '@expo-google-fonts/tinos/400Regular_Italic/Tinos_400Regular_Italic.ttf',
  '@expo-google-fonts/tinos/700Bold_Italic/Tinos_700Bold_Italic.ttf',
  '@expo-google-fonts/amiri/400Regular/Amiri_400Regular.ttf',
  '@expo-google-fonts/amiri/700Bold/Amiri_700Bold.ttf',
  '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
];

/** A phrase of each note's body, as pdftotext gives it back (logical order). */
const PHRASE: Record<Language, string> = {
  en: 'The Secretary-General of the United Nations presents his compliments',
  fr: 'Le Secrétaire général de l’Organisation des Nations Unies présente ses compliments',
  es: 'El Secretario General de las Naciones Unidas saluda atentamente',
  ru: 'Генеральный секретарь Организации Объединенных Наций свидетельствует',
  ar: 'يهدي الأمين العام للأمم المتحدة',
  zh: '联合国秘书长向',
};

let dir = '';
const pdfOf = (language: Language) => join(dir, 'out', `note-${language}.pdf`);

describe.skipIf(!hasLibreOffice)('the DOCX of a note in each language, opened by LibreOffice', () => {
  let conversion: { status: number | null; output: string } = { status: null, output: '' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nv-lo-'));
    const fonts = join(dir, 'home', '.fonts');
    mkdirSync(fonts, { recursive: true });
    for (const f of FONT_FILES) {
      const path = require.resolve(f);
      copyFileSync(path, join(fonts, f.split('/').pop() as string));
    }
    mkdirSync(join(dir, 'in'));
    const docx = await createDocxRenderer(['note']);
    const inputs = LANGUAGES.map((l) => {
      const path = join(dir, 'in', `note-${l}.docx`);
      writeFileSync(path, docx.render(noteIn(l)));
      return path;
    });
    const run = spawnSync(
      'soffice',
      [
        '--headless',
        '--norestore',
        `-env:UserInstallation=file://${join(dir, 'profile')}`,
        '--convert-to',
        'pdf',
        '--outdir',
        join(dir, 'out'),
        ...inputs,
      ],
      { encoding: 'utf8', env: { ...process.env, HOME: join(dir, 'home') }, timeout: 240_000 },
    );
    conversion = { status: run.status, output: `${run.stdout}\n${run.stderr}` };
  }, 300_000);

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it.each(LANGUAGES)('%s: converts without error and keeps the text', (language) => {
    expect(conversion.status, conversion.output).toBe(0);
    expect(conversion.output).not.toMatch(/error|repair|corrupt/i);
    expect(existsSync(pdfOf(language)), conversion.output).toBe(true);
    const text = execFileSync('pdftotext', [pdfOf(language), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain(PHRASE[language]);
    expect(text).toContain(REFERENCE);
  });

  it.each(LANGUAGES)('%s: is set in the faces the DOCX names', (language) => {
    const fonts = execFileSync('pdffonts', [pdfOf(language)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(2)
      .map((row) => (row.split(/\s+/)[0] as string).replace(/^[A-Z]{6}\+/, ''));
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f, fonts.join(', ')).toMatch(/^(Tinos|Amiri|NotoSerifSC)-/);
    expect(fonts.some((f) => f.startsWith('Tinos-'))).toBe(true);
    if (language === 'ar') expect(fonts.some((f) => f.startsWith('Amiri-'))).toBe(true);
    if (language === 'zh') expect(fonts.some((f) => f.startsWith('NotoSerifSC-'))).toBe(true);
  });

  it.each(LANGUAGES)('%s: puts the footer line at the bottom of the page, where nv draws it', (language) => {
    // nv's PDF: baseline 40 pt above the bottom edge. pdftotext's box ends a descent below it.
    const bottoms = [
      ...execFileSync('pdftotext', ['-bbox', pdfOf(language), '-'], { encoding: 'utf8' }).matchAll(
        /<word xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">/g,
      ),
    ].map((m) => Number(m[1]));
    const lowest = Math.max(...bottoms);
    expect(lowest).toBeGreaterThan(841.89 - 40 - 1);
    expect(lowest).toBeLessThan(841.89 - 40 + 5);
  });

  it('lays the Arabic paragraphs out right to left', () => {
    // pdftotext -bbox gives each word's box, its letters in visual order.
    const words = [
      ...execFileSync('pdftotext', ['-bbox', pdfOf('ar'), '-'], { encoding: 'utf8' }).matchAll(
        /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g,
      ),
    ].map((m) => ({ xMin: Number(m[1]), y: Number(m[2]), xMax: Number(m[3]), text: m[4] as string }));
    const visual = (logical: string) => [...logical].reverse().join('');
    const find = (logical: string) => words.find((w) => w.text === visual(logical));
    const first = find('يهدي');
    const second = find('الأمين');
    expect(first, 'first word of the first paragraph').toBeDefined();
    expect(second).toBeDefined();
    expect(second?.y).toBe(first?.y);
    // The paragraph's first word is at the right margin, the next one to its left.
    expect((first?.xMax ?? 0) > (second?.xMax ?? 0)).toBe(true);
    expect(first?.xMax).toBeCloseTo(595.3 - 72, 0);
    const line = words.filter((w) => w.y === first?.y);
    expect(Math.max(...line.map((w) => w.xMax))).toBe(first?.xMax);
    // The reference line starts at the right (logical start); the date line ends at the left.
    const label = find('الرقم');
    const cu = words.find((w) => w.text === 'CU' && w.y === label?.y);
    expect(label?.xMax).toBeCloseTo(595.3 - 72, 0);
    expect((cu?.xMin ?? Infinity) < (label?.xMin ?? 0)).toBe(true);
    // The date line ends at the left margin (w:jc right in a w:bidi paragraph is the end).
    const year = words.filter((w) => w.text === '2012');
    expect(Math.min(...year.map((w) => w.xMin))).toBeCloseTo(72, 0);
  });
});
