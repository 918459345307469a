/**
 * Point 11 of issue 7: what a page shows decides, not only what can be extracted. PDFs are built
 * here with pdf-lib and ingested through the built CLI.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace, nv } from '../helpers/cli.js';
import { pagePdf } from './pdfs.js';

interface Item {
  status: string;
  why: string;
  documents: { class: string; reason: string }[];
}

describe('nv ingest: blank pages and words painted through text clips', () => {
  let ws: string;
  const ingest = (name: string, bytes: Uint8Array, channel: string): Item => {
    const file = join(ws, name);
    writeFileSync(file, bytes);
    const r = nv(
      [
        'ingest',
        '-w',
        ws,
        '--json',
        '--yes',
        '--channel',
        channel,
        '--state',
        'AUT',
        '--received',
        '2012-09-20 10:00',
        file,
      ],
      { cwd: ws },
    );
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { items: Item[] }).items[0]!;
  };

  beforeAll(() => {
    ws = exampleWorkspace().ws;
  });

  it('a page whose content stream is empty (a FlateDecode stream of 0 bytes) is blank, not unreadable', async () => {
    const item = ingest('blank.pdf', await pagePdf(new Uint8Array(0), { flate: true }), 'fax');
    expect(item.documents).toEqual([
      expect.objectContaining({
        class: 'review',
        reason: expect.stringMatching(/^blank: .*carries no note/),
      }),
    ]);
    expect(item.status).toBe('needs-review');
  });

  it('typed words drawn as an image clipped by invisible text (mode 7) are typed text: refused by e-mail', async () => {
    const content =
      'BT /F1 36 Tf 7 Tr 72 700 Td (Permanent Mission of Austria) Tj 0 -48 Td (Note verbale) Tj ET\n' +
      'q 595 0 0 842 0 0 cm /Im1 Do Q\n';
    const item = ingest('clipped.pdf', await pagePdf(content, { flate: true }), 'email');
    expect(item.documents.map((d) => d.class)).toEqual(['text-born']);
    expect(item.documents[0]?.reason).toMatch(/\d+ glyphs of visible text/);
    expect(item.status).toBe('refused');
  });

  it('a scan under an invisible OCR layer (mode 3) stays scanned-ocr', async () => {
    const content =
      'q 595 0 0 842 0 0 cm /Im1 Do Q\nBT /F1 12 Tf 3 Tr 72 700 Td (Permanent Mission of Austria) Tj ET\n';
    const item = ingest('ocr.pdf', await pagePdf(content, { flate: true }), 'email');
    expect(item.documents.map((d) => d.class)).toEqual(['scanned-ocr']);
  });
});
