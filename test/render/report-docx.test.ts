/**
 * The list of participants (a ReportDocument) in DOCX: real Word tables, heading styles, "keep with
 * next" on a person's lines, page breaks, headers with the symbol and footers with the page number
 * on alternating sides; the same XML as the docx library writes; deterministic bytes.
 */
import { describe, expect, it } from 'vitest';
import type { Block, NoteDocument, ReportDocument } from '../../src/render/document.js';
import { createDocxRenderer, renderDocx } from '../../src/render/docx.js';
import {
  assertWellFormed,
  libraryParts,
  normaliseLinkIds,
  paragraphText,
  paragraphs,
  unzip,
  zipOrder,
} from './docx-helpers.js';
import { sampleNote } from './sample-note.js';
import { personBlocks, reportOf, sampleCategories } from './sample-report.js';

const doc: ReportDocument = reportOf(sampleCategories(40, 12));
const bytes = (await createDocxRenderer()).render(doc);
const parts = unzip(bytes);
const documentXml = parts['word/document.xml'] as string;
const body = documentXml.slice(documentXml.indexOf('<w:body>'), documentXml.indexOf('<w:sectPr'));

const style = (p: string) => /<w:pStyle w:val="([^"]+)"\/>/.exec(p)?.[1];
/** Top-level paragraphs and tables of the body, in order. */
const blocks = (xml: string): string[] =>
  [...xml.matchAll(/<w:tbl>.*?<\/w:tbl>|<w:p>.*?<\/w:p>|<w:p\/>/g)].map((m) => m[0]);

/** The text the model prints, in order (the export's text check can do the same). */
function modelText(blocks: readonly Block[]): string[] {
  return blocks.flatMap((b): string[] => {
    const runs = (rs: { text: string }[]) => rs.map((r) => r.text).join('');
    switch (b.type) {
      case 'paragraph':
      case 'heading':
        return [runs(b.runs)];
      case 'list':
        return b.items.map(runs);
      case 'table':
        return [...b.header, ...b.rows.flat()].map(runs);
      case 'group':
        return modelText(b.blocks);
      case 'page-break':
        return [];
    }
  });
}

describe('a report in DOCX', () => {
  it('is a complete, well-formed package', async () => {
    const order = zipOrder(bytes);
    expect(order[0]).toBe('[Content_Types].xml');
    for (const name of ['word/document.xml', 'word/styles.xml', 'word/settings.xml', 'docProps/core.xml']) {
      expect(order).toContain(name);
    }
    for (const [name, xml] of Object.entries(parts)) assertWellFormed(xml, name);
    expect(documentXml).not.toContain('<w:txbxContent');
  });

  it('writes the text in print order: masthead, distribution, title, body', async () => {
    const texts = paragraphs(body)
      .map(paragraphText)
      .filter((t) => t !== '');
    const expected = [
      'United Nations\tCAC/COSP/EG.1/2012/INF/2',
      'Distr.: General',
      '22 October 2012',
      'English only',
      ...doc.titleLines.map((l) => l.map((r) => r.text).join('')),
      ...modelText(doc.body),
    ];
    expect(texts).toEqual(expected.filter((t) => t !== ''));
    expect(texts.join('\n')).toMatch(/Дмитрий|ПЕТРОВ|Ελένη/);
  });

  it('writes the counts as a real table: fixed grid, a repeated header row, rows that never split', async () => {
    const tables = [...body.matchAll(/<w:tbl>.*?<\/w:tbl>/g)].map((m) => m[0]);
    expect(tables.length).toBe(1);
    const t = tables[0] as string;
    expect(t).toContain('<w:tblLayout w:type="fixed"/>');
    const grid = [...t.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(grid).toEqual([4513, 2257, 2257]);
    const rows = [...t.matchAll(/<w:tr>.*?<\/w:tr>/g)].map((m) => m[0]);
    expect(rows.length).toBe(1 + 4);
    expect(rows[0]).toContain('<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>');
    for (const r of rows.slice(1)) expect(r).toContain('<w:trPr><w:cantSplit/></w:trPr>');
    // Header cells italic, ruled underneath; numbers right-aligned.
    expect(rows[0]).toContain('<w:i/><w:iCs/>');
    expect(rows[0]).toContain('<w:tcBorders><w:bottom w:val="single"');
    const cells = [...(rows[1] as string).matchAll(/<w:tc>.*?<\/w:tc>/g)].map((m) => m[0]);
    expect(cells.map((c) => /<w:jc w:val="(\w+)"\/>/.exec(c)?.[1])).toEqual(['left', 'right', 'right']);
    expect(t).toMatch(/<w:tblBorders><w:top w:val="single"[^>]*\/><w:left w:val="none"/);
    // The "Total" row is bold as the model says.
    expect(rows[4]).toContain('<w:b/><w:bCs/>');
  });

  it('uses the heading styles, defined bold, black and kept with the next paragraph', async () => {
    const ps = paragraphs(body);
    const headings = ps.filter((p) => /^Heading\d$/.test(style(p) ?? ''));
    expect(headings.map((p) => `${style(p)}:${paragraphText(p)}`).slice(0, 4)).toEqual([
      'Heading1:List of participants',
      'Heading1:States parties',
      `Heading2:${doc.body.flatMap((b) => (b.type === 'group' && b.blocks[0]?.type === 'heading' ? [b.blocks[0].runs[0]?.text] : []))[0]}`,
      expect.stringMatching(/^Heading2:/),
    ]);
    const styles = parts['word/styles.xml'] as string;
    for (const [id, size] of [
      ['Heading1', 26],
      ['Heading2', 22],
      ['Heading3', 20],
    ] as const) {
      const xml = new RegExp(`<w:style [^>]*w:styleId="${id}">.*?</w:style>`).exec(styles)?.[0] ?? '';
      expect(xml, id).toContain('<w:keepNext/>');
      expect(xml, id).toContain('<w:b/>');
      expect(xml, id).toContain(`<w:sz w:val="${size}"/>`);
      expect(xml, id).toContain('<w:color w:val="000000"/>');
    }
  });

  it('keeps each person together and a State heading with its first person', async () => {
    const ps = paragraphs(body);
    const groups = doc.body.filter((b): b is Extract<Block, { type: 'group' }> => b.type === 'group');
    let at = 0;
    for (const g of groups) {
      const texts = modelText(g.blocks);
      const start = ps.findIndex((p, i) => i >= at && paragraphText(p) === texts[0]);
      expect(start).toBeGreaterThanOrEqual(0);
      const members = ps.slice(start, start + texts.length);
      expect(members.map(paragraphText)).toEqual(texts);
      members.forEach((p, i) => {
        expect(p).toContain('<w:keepLines/>');
        if (i < members.length - 1) expect(p).toContain('<w:keepNext/>');
        else expect(p).not.toContain('<w:keepNext/>');
      });
      at = start + texts.length;
    }
    // A person's lines: indented 18 pt, no space between them, 6 pt after the last.
    const person = personBlocks({ name: 'N', title: 'T', organization: 'O' });
    expect(person.length).toBe(3);
    const name = ps.find((p) => paragraphText(p) === modelText(groups[0]?.blocks ?? [])[1]) as string;
    expect(name).toContain('<w:spacing w:after="0"/><w:ind w:left="360"/><w:jc w:val="left"/>');
  });

  it('starts the list on a new page: "page break before" on the paragraph after the break', async () => {
    const ps = paragraphs(body);
    const breaks = ps.filter((p) => p.includes('<w:pageBreakBefore/>'));
    expect(breaks.map(paragraphText)).toEqual(['List of participants']);
    const before: Block[] = [
      { type: 'paragraph', align: 'left', runs: [{ text: 'a' }] },
      { type: 'page-break' },
      { type: 'table', columns: [{ width: 1, align: 'left' }], header: [], rows: [[[{ text: 'b' }]]] },
    ];
    const xml = unzip(await renderDocx({ ...doc, body: before }))['word/document.xml'] as string;
    const seq = blocks(xml.slice(xml.indexOf('<w:body>'), xml.indexOf('<w:sectPr')));
    // Before a table, a paragraph holding a page break; a document never ends on a table.
    expect(seq.slice(-3)).toEqual([
      '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
      expect.stringMatching(/^<w:tbl>/),
      expect.stringMatching(/^<w:p><w:pPr><w:pStyle w:val="ReportBody"\/>/),
    ]);
  });

  it('prints the symbol in the header and the page number in the footer from page 2, on the outer side', async () => {
    const settings = parts['word/settings.xml'] as string;
    expect(settings).toContain('<w:evenAndOddHeaders/>');
    const sect = /<w:sectPr>.*<\/w:sectPr>/.exec(documentXml)?.[0] ?? '';
    expect(sect).toContain('<w:titlePg/>');
    expect(sect).toContain('<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"/>');
    const rels = parts['word/_rels/document.xml.rels'] as string;
    const part = (kind: 'header' | 'footer', type: 'default' | 'even' | 'first') => {
      const id = new RegExp(`<w:${kind}Reference w:type="${type}" r:id="([^"]+)"/>`).exec(sect)?.[1];
      const target = new RegExp(`<Relationship Id="${id}" Type="[^"]+/${kind}" Target="([^"]+)"/>`).exec(
        rels,
      )?.[1];
      return parts[`word/${target}`] as string;
    };
    const jc = (xml: string) => /<w:jc w:val="(\w+)"\/>/.exec(xml)?.[1];
    expect(paragraphText(part('header', 'default'))).toBe('CAC/COSP/EG.1/2012/INF/2');
    expect(jc(part('header', 'default'))).toBe('right');
    expect(paragraphText(part('header', 'even'))).toBe('CAC/COSP/EG.1/2012/INF/2');
    expect(jc(part('header', 'even'))).toBe('left');
    expect(paragraphText(part('header', 'first'))).toBe('');
    for (const [type, side] of [
      ['default', 'right'],
      ['even', 'left'],
    ] as const) {
      expect(part('footer', type)).toMatch(/<w:instrText xml:space="preserve">PAGE<\/w:instrText>/);
      expect(jc(part('footer', type))).toBe(side);
    }
    expect(paragraphText(part('footer', 'first'))).toBe('V.12-56789 (E)');
    expect(part('footer', 'first')).not.toContain('PAGE');
  });

  it('writes the same document, styles, numbering, headers and footers as the docx library', async () => {
    const variants: ReportDocument[] = [
      doc,
      {
        ...doc,
        meta: { ...doc.meta, language: 'fr' },
        symbol: 'A/CONF.1 & <B> "C" d’e',
        masthead: undefined,
        distribution: undefined,
        footer: undefined,
        titleLines: [],
        body: [
          { type: 'list', ordered: true, items: [[{ text: 'one' }], [{ text: 'two', bold: true }]] },
          { type: 'heading', level: 3, align: 'center', runs: [{ text: 'H3', italic: true }] },
          {
            type: 'paragraph',
            align: 'justify',
            size: 8.5,
            spaceBefore: 3,
            keepWithNext: true,
            runs: [{ text: 'small ' }, { text: 'link', link: 'https://example.org/a b' }],
          },
          { type: 'page-break' },
          {
            type: 'table',
            columns: [
              { width: 0.7, align: 'center' },
              { width: 0.3, align: 'right' },
            ],
            header: [],
            rows: [[[{ text: 'x' }], []]],
          },
          {
            type: 'group',
            blocks: [{ type: 'group', blocks: personBlocks({ name: 'a', title: 'b', organization: 'c' }) }],
          },
        ],
      },
    ];
    for (const v of variants) {
      const lib = await libraryParts(v);
      const fast = unzip((await createDocxRenderer()).render(v));
      expect(normaliseLinkIds(fast['word/document.xml'] as string)).toBe(
        normaliseLinkIds(lib['word/document.xml'] as string),
      );
      for (const name of Object.keys(lib).filter((n) =>
        /^word\/(styles|numbering|settings|header\d|footer\d)\.xml$/.test(n),
      )) {
        expect(fast[name], name).toBe(lib[name]);
      }
    }
  });

  it('gives the same bytes again, whatever was rendered before, and leaves notes as they were', async () => {
    const note: NoteDocument = sampleNote();
    const noteBytes = (await createDocxRenderer()).render(note);
    const renderer = await createDocxRenderer();
    renderer.render(note);
    expect(renderer.render(doc)).toEqual(bytes);
    renderer.render({ ...doc, symbol: 'OTHER/1' });
    expect(renderer.render(doc)).toEqual(bytes);
    expect(renderer.render(note)).toEqual(noteBytes);
    expect(await renderDocx(doc)).toEqual(bytes);
    const core = parts['docProps/core.xml'] as string;
    expect(core).toContain(
      '<dcterms:created xsi:type="dcterms:W3CDTF">2012-10-22T00:00:00Z</dcterms:created>',
    );
    expect(core).toContain('<dc:language>en</dc:language>');
  });

  it('lets a note carry a heading, a table and a group too', async () => {
    const note: NoteDocument = {
      ...sampleNote(),
      body: [
        { type: 'heading', level: 2, runs: [{ text: 'Annex' }] },
        {
          type: 'table',
          columns: [{ width: 0.5, align: 'left' }],
          header: [[{ text: 'H' }]],
          rows: [[[{ text: 'r' }]]],
        },
        { type: 'group', blocks: [{ type: 'paragraph', align: 'left', runs: [{ text: 'g' }] }] },
      ],
    };
    const fast = unzip((await createDocxRenderer()).render(note));
    const lib = await libraryParts(note);
    expect(fast['word/document.xml']).toBe(lib['word/document.xml']);
    expect(fast['word/document.xml']).toContain('<w:pStyle w:val="Heading2"/>');
    expect(fast['word/document.xml']).toContain('<w:tblHeader/>');
    expect(fast['word/styles.xml']).toBe(
      unzip((await createDocxRenderer()).render(sampleNote()))['word/styles.xml'],
    );
  });
});
