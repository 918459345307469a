/**
 * Issue 8: "The same English note as DOCX (converted by LibreOffice) and as nv's PDF: line count
 * per paragraph equal in at least 95 % of paragraphs." LibreOffice's conversion is deterministic
 * (bench/line-count.mjs converts twice and compares every line), so this is a test as well as a
 * benchmark. It needs LibreOffice (skipped with a message where it is absent) and nv's PDF set in
 * Tinos, the face metric-compatible with the Times New Roman a DOCX reader uses (before issue 8's
 * fonts nv's PDF is set in DejaVu Serif and the match is ~40 %: see bench/RESULTS.md).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace, nv } from '../helpers/cli.js';
import { convertToPdf, whyNoLibreOffice } from '../helpers/libreoffice.mjs';
import { compareLineCounts, docxParagraphs, pdfLines } from '../helpers/pdf-lines.mjs';

/**
 * The DOCX asks its reader to hyphenate (w:autoHyphenation), as nv's PDF does; LibreOffice can only
 * with a hyphenation dictionary (Debian's hyphen-en-gb, which .ci/run installs). Without one it
 * breaks the paragraphs nv hyphenates one line later.
 */
const HYPHENATION = '/usr/share/hyphen/hyph_en_GB.dic';
const noLo =
  whyNoLibreOffice() ??
  (existsSync(HYPHENATION)
    ? undefined
    : `LibreOffice has no British English hyphenation dictionary (${HYPHENATION}; Debian package hyphen-en-gb)`);
if (noLo) console.warn(`skipped: ${noLo}`);

describe.skipIf(noLo)("the English note: LibreOffice's rendering of the DOCX vs nv's PDF", () => {
  let docx: string;
  let pdf: string;
  beforeAll(() => {
    const { ws } = exampleWorkspace();
    const r = nv(['generate', '-w', ws, '--yes', '--format', 'docx,pdf', '--only', 'AFG'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    const base = join(ws, 'out', 'notes', 'CU-2012-150-A', 'AFG-Afghanistan');
    docx = `${base}.docx`;
    pdf = `${base}.pdf`;
  });

  it('breaks at least 95 % of the paragraphs into as many lines', () => {
    const [lo] = convertToPdf([docx]);
    const c = compareLineCounts(docxParagraphs(docx), pdfLines(pdf), pdfLines(lo!));
    const list = c.mismatches.map(
      (m) => `nv ${m.a ?? '–'} / LibreOffice ${m.b ?? '–'}: ${m.text.slice(0, 60)}`,
    );
    expect(c.total).toBeGreaterThan(10);
    expect(
      c.share,
      `${c.equal} of ${c.total} paragraphs equal; differing:\n${list.join('\n')}`,
    ).toBeGreaterThanOrEqual(0.95);
  });
});
