/**
 * The DOCX package's static parts stored by `npm run build` (dist/render/docx-package.json, see
 * PACKAGE_FILE in render/docx.ts) are what the docx library builds now, and notes and reports
 * written from them are byte for byte those written from the library. Reads the built dist/.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, noteIn } from './six-languages.js';
import { sampleNote } from './sample-note.js';
import { sampleReport } from './sample-report.js';

type DocxModule = typeof import('../../src/render/docx.js');
const built = (): Promise<DocxModule> => import('../../dist/render/docx.js' as string) as Promise<DocxModule>;

describe('DOCX static package stored at build time', () => {
  it('is what the docx library builds now, with this build fingerprint', async () => {
    const { PACKAGE_FILE, packageSnapshot } = await built();
    const stored = JSON.parse(readFileSync(PACKAGE_FILE, 'utf8')) as unknown;
    expect(stored).toEqual(JSON.parse(await packageSnapshot()));
  });

  it('gives the same bytes as the library for notes in the six languages and a report', async () => {
    const { createDocxRenderer } = await built();
    const stored = await createDocxRenderer(['note', 'report']);
    const library = await createDocxRenderer(['note', 'report'], 'library');
    const docs = [...LANGUAGES.map((l) => noteIn(l)), sampleNote(), sampleReport(20, 4)];
    for (const doc of docs) {
      expect(Buffer.from(stored.render(doc)).equals(Buffer.from(library.render(doc)))).toBe(true);
    }
  });
});
