/**
 * Issue 8: "The same English note as DOCX (converted by LibreOffice) and as nv's PDF: line count
 * per paragraph equal in at least 95 % of paragraphs." LibreOffice's conversion is deterministic
 * (bench/line-count.mjs converts twice and compares every line), so this is a test as well as a
 * benchmark. It needs LibreOffice (skipped with a message where it is absent) and nv's PDF set in
 * Tinos, the face metric-compatible with the Times New Roman a DOCX reader uses (before issue 8's
 * fonts nv's PDF is set in DejaVu Serif and the match is ~40 %: see bench/RESULTS.md).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace, nv } from '../helpers/cli.js';
import { convertToPdf, whyNoLibreOffice } from '../helpers/libreoffice.mjs';
import { compareLineCounts, docxParagraphs, pdfLines } from '../helpers/pdf-lines.mjs';
import { pdffonts } from '../helpers/poppler.js';

const noLo = whyNoLibreOffice();
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

  it('breaks at least 95 % of the paragraphs into as many lines', (ctx) => {
    const faces = [...new Set(pdffonts(pdf).map((f) => f.name.replace(/^[A-Z]{6}\+/, '')))];
    ctx.skip(
      !faces.some((f) => /^Tinos/.test(f)),
      `nv's PDF is set in ${faces.join(', ')}, not Tinos: the 95 % check waits for issue 8's fonts (baseline in bench/RESULTS.md)`,
    );
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
