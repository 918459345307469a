import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createPdfRenderer } from '../../src/render/pdf.js';
import { createDocxRenderer } from '../../src/render/docx.js';
import { sampleNote } from './sample-note.js';
import type { NoteDocument } from '../../src/render/document.js';

const h = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
it('baseline', async () => {
  const docs: NoteDocument[] = [
    sampleNote(),
    sampleNote({ enclosures: 2, addressee: 'Permanent Mission of Côte d’Ivoire' }),
    sampleNote({ extra: [{ type: 'paragraph', align: 'left', runs: [{ text: 'Российская Федерация — Türkiye', italic: true }] }, { type: 'list', ordered: false, items: [[{ text: 'a', bold: true, italic: true }]] }] }),
    { ...sampleNote(), meta: { ...sampleNote().meta, language: 'fr' }, body: [...sampleNote().body, ...sampleNote().body] },
    { ...sampleNote(), letterhead: [], footer: '', body: [] },
  ];
  const out: Record<string, string> = {};
  const pdf = await createPdfRenderer(docs);
  const docx = createDocxRenderer();
  for (const [i, d] of docs.entries()) {
    out[`pdf${i}`] = h(await pdf.render(d));
    out[`docx${i}`] = h(docx.render(d));
  }
  const file = '/tmp/rb/baseline.json';
  if (!existsSync(file)) writeFileSync(file, JSON.stringify(out, null, 1));
  else expect(out).toEqual(JSON.parse(readFileSync(file, 'utf8')));
});
