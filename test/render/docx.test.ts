import { describe, expect, it, vi, afterEach } from 'vitest';
import type { NoteDocument } from '../../src/render/document.js';
import { createDocxRenderer, renderDocx } from '../../src/render/docx.js';
import { InternalError } from '../../src/errors.js';
import {
  assertWellFormed,
  libraryParts,
  normaliseLinkIds,
  paragraphText,
  paragraphs,
  unzip,
  zipOrder,
} from './docx-helpers.js';

/** The seed note (CU 2012/150(A)/DTA/CEB/CSS) as a NoteDocument, addressed to `recipient`. */
function seedNote(recipient = "Côte d'Ivoire"): NoteDocument {
  return {
    meta: {
      title: `Note verbale CU 2012/150(A)/DTA/CEB/CSS – ${recipient}`,
      author: 'United Nations Office on Drugs and Crime',
      language: 'en-GB',
      subject: 'Open-ended intergovernmental expert meeting on international cooperation',
      created: new Date(Date.UTC(2012, 7, 15, 0, 0, 0)),
    },
    letterhead: ['UNODC', 'United Nations Office on Drugs and Crime'],
    referenceLine: 'Reference: CU 2012/150(A)/DTA/CEB/CSS',
    body: [
      {
        type: 'paragraph',
        align: 'justify',
        runs: [
          {
            text:
              'The Secretary-General of the United Nations presents his compliments to the Permanent Mission of ' +
              `${recipient} to the United Nations (Vienna) and has the honour to draw the attention of the Government ` +
              'to resolution 4/2, entitled “Convening of open-ended intergovernmental expert meetings to enhance ' +
              'international cooperation”, of the Conference of the States Parties to the United Nations Convention ' +
              'against Corruption, adopted at its fourth session which was held in Marrakech, Morocco, from 24 to ' +
              '28 October 2011.',
          },
        ],
      },
      {
        type: 'paragraph',
        align: 'justify',
        runs: [
          {
            text:
              'In resolution 4/2, the Conference decided to convene open-ended intergovernmental expert meetings on ' +
              'international cooperation to advise and assist it with respect to extradition and mutual legal ' +
              'assistance, and to convene one such meeting during its fifth session and, prior to that, within ' +
              'existing resources, at least one intersessional meeting.',
          },
        ],
      },
      {
        type: 'paragraph',
        align: 'justify',
        runs: [
          {
            text:
              'In the same resolution, the Conference also decided that the expert meetings shall perform the ' +
              'following functions:',
          },
        ],
      },
      {
        type: 'list',
        ordered: true,
        items: [
          [
            {
              text: 'assist it in developing cumulative knowledge in the area of international cooperation;',
            },
          ],
          [
            {
              text:
                'facilitate the exchange of experiences among States by identifying challenges and disseminating ' +
                'information on good practices;',
            },
          ],
          [{ text: 'assist the Conference in identifying the capacity-building needs of States.' }],
        ],
      },
      {
        type: 'paragraph',
        align: 'justify',
        runs: [
          {
            text:
              'In accordance with the above resolution, the Government is cordially invited to participate in the ' +
              'first open-ended intergovernmental expert meeting on international cooperation, which will be held ' +
              'in Vienna, Austria, from ',
          },
          { text: '22 to 23 October 2012', bold: true },
          { text: '.' },
        ],
      },
      {
        type: 'paragraph',
        align: 'justify',
        runs: [
          {
            text:
              'The meeting will take place immediately after the sixth session of the Conference of the Parties to ' +
              'the United Nations Convention against Transnational Organized Crime (15-19 October 2012). The ' +
              'Government may also wish to designate participants with a focus only on corruption-related issues ' +
              'and, hence, arrange for their participation in the ',
          },
          { text: 'UNCAC', italic: true },
          {
            text: ' expert meeting only. Participants from Türkiye, and the delegation of Côte d’Ivoire, are welcome.',
          },
        ],
      },
      {
        type: 'paragraph',
        align: 'justify',
        runs: [
          {
            text:
              'The information for participants and the annotated provisional agenda with the proposed ' +
              'organization of work are attached hereto. Further information can be accessed through the ' +
              'following address:',
          },
        ],
      },
      {
        type: 'paragraph',
        align: 'center',
        runs: [
          {
            text: 'http://www.unodc.org/unodc/en/treaties/CAC/em-internationalcooperation.html',
            link: 'http://www.unodc.org/unodc/en/treaties/CAC/em-internationalcooperation.html',
          },
        ],
      },
      {
        type: 'list',
        ordered: false,
        items: [[{ text: 'Постоянное представительство Российской Федерации' }]],
      },
      {
        type: 'paragraph',
        align: 'justify',
        runs: [
          {
            text:
              "It would be appreciated if the Government's response to this invitation could be sent directly to " +
              'the Secretariat of the Conference of the States Parties, United Nations Office on Drugs and Crime, ' +
              'P.O. Box 500, 1400 Vienna, Austria, Fax: +43-1 26060 5841, or a scanned copy to e-mail: ',
          },
          { text: 'UNCAC.COP@unodc.org', link: 'mailto:UNCAC.COP@unodc.org' },
          {
            text:
              '. Information on the composition of the Government’s delegation, including name(s), title(s) and ' +
              'contact details (e-mail address), should be provided to the Office as soon as possible and not ' +
              'later than ',
          },
          { text: '24 September 2012', bold: true },
          { text: '.' },
        ],
      },
    ],
    dateLine: 'Vienna, 15 August 2012',
    footer: 'Making the world safer from drugs, crime and terrorism',
    enclosures: 2,
    attachments: [],
  };
}

// ---------------------------------------------------------------------------------------------

const seedBytes = (await createDocxRenderer()).render(seedNote());

describe('renderDocx', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const doc = seedNote();
  const bytes = seedBytes;
  const parts = unzip(bytes);
  const documentXml = parts['word/document.xml'] as string;

  it('writes a complete WordprocessingML package, [Content_Types].xml first', async () => {
    const order = zipOrder(bytes);
    expect(order[0]).toBe('[Content_Types].xml');
    for (const name of [
      '_rels/.rels',
      'docProps/core.xml',
      'docProps/app.xml',
      'word/document.xml',
      'word/_rels/document.xml.rels',
      'word/styles.xml',
      'word/numbering.xml',
      'word/settings.xml',
      'word/fontTable.xml',
      'word/header1.xml',
      'word/header2.xml',
      'word/footer1.xml',
      'word/footer2.xml',
    ]) {
      expect(order).toContain(name);
    }
    const types = parts['[Content_Types].xml'] as string;
    for (const name of order.filter((n) => n.endsWith('.xml') && n !== '[Content_Types].xml')) {
      // Every XML part has its content type (by override or the xml default).
      expect(types.includes(`PartName="/${name}"`) || types.includes('Extension="xml"')).toBe(true);
    }
    expect(types).toContain('PartName="/word/document.xml"');
    for (const [name, xml] of Object.entries(parts)) assertWellFormed(xml, name);
  });

  it('writes the note as real paragraphs in print order', async () => {
    expect(documentXml).not.toContain('<w:txbxContent');
    const texts = paragraphs(documentXml).map(paragraphText);
    const expected = [
      'UNODC',
      'United Nations Office on Drugs and Crime',
      'Reference: CU 2012/150(A)/DTA/CEB/CSS',
      ...doc.body.flatMap((b) =>
        b.type === 'paragraph'
          ? [b.runs.map((r) => r.text).join('')]
          : b.type === 'list'
            ? b.items.map((i) => i.map((r) => r.text).join(''))
            : [],
      ),
      'Vienna, 15 August 2012',
      'Enclosures: 2',
      'Making the world safer from drugs, crime and terrorism',
    ];
    expect(texts).toEqual(expected);
    expect(texts.join('\n')).toContain("Côte d'Ivoire");
    expect(texts.join('\n')).toContain('Türkiye');
    expect(texts.join('\n')).toContain('Постоянное представительство Российской Федерации');
  });

  it('styles each part of the note', async () => {
    const ps = paragraphs(documentXml);
    const style = (p: string) => /<w:pStyle w:val="([^"]+)"\/>/.exec(p)?.[1];
    const jc = (p: string) => /<w:jc w:val="([^"]+)"\/>/.exec(p)?.[1];
    expect(ps.map(style).slice(0, 3)).toEqual(['LetterheadTitle', 'Letterhead', 'NoteReference']);
    expect(jc(ps[0] as string)).toBe('center');
    expect(jc(ps[1] as string)).toBe('center');
    const body = ps.filter((p) => style(p) === 'NoteBody');
    expect(body.length).toBe(doc.body.filter((b) => b.type === 'paragraph').length);
    // Body paragraphs are justified, except the one the model centres (the address line).
    expect(body.map(jc)).toEqual(
      doc.body.filter((b) => b.type === 'paragraph').map((b) => (b.align === 'justify' ? 'both' : 'center')),
    );
    const last = ps.slice(-3);
    expect(last.map(style)).toEqual(['NoteDate', 'NoteEnclosures', 'NoteFooter']);
    expect(last.map(jc)).toEqual(['right', 'left', 'center']);
  });

  it('writes bold, italic and hyperlink runs', async () => {
    expect(documentXml).toContain(
      '<w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">22 to 23 October 2012</w:t></w:r>',
    );
    expect(documentXml).toContain(
      '<w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">24 September 2012</w:t></w:r>',
    );
    expect(documentXml).toContain(
      '<w:r><w:rPr><w:i/><w:iCs/></w:rPr><w:t xml:space="preserve">UNCAC</w:t></w:r>',
    );
    // Plain text has no bold.
    expect(documentXml).toMatch(/<w:r><w:t xml:space="preserve">The Secretary-General/);

    const links = [
      ...documentXml.matchAll(/<w:hyperlink w:history="1" r:id="([^"]+)">(.*?)<\/w:hyperlink>/g),
    ];
    expect(links.map((l) => paragraphText(l[2] as string))).toEqual([
      'http://www.unodc.org/unodc/en/treaties/CAC/em-internationalcooperation.html',
      'UNCAC.COP@unodc.org',
    ]);
    expect(links[0]?.[2]).toContain('<w:rStyle w:val="Hyperlink"/>');
    const rels = parts['word/_rels/document.xml.rels'] as string;
    const target = (id: string) =>
      new RegExp(
        `<Relationship Id="${id}" Type="[^"]+/hyperlink" Target="([^"]+)" TargetMode="External"/>`,
      ).exec(rels)?.[1];
    expect(target(links[0]?.[1] as string)).toBe(
      'http://www.unodc.org/unodc/en/treaties/CAC/em-internationalcooperation.html',
    );
    expect(target(links[1]?.[1] as string)).toBe('mailto:UNCAC.COP@unodc.org');
  });

  it('numbers lists, each ordered list from (a) as UN documents do', async () => {
    const numbering = parts['word/numbering.xml'] as string;
    const items = paragraphs(documentXml).filter((p) => p.includes('<w:numPr>'));
    expect(items.length).toBe(4);
    const numIds = items.map((p) => /<w:numId w:val="(\d+)"\/>/.exec(p)?.[1]);
    expect(new Set(numIds.slice(0, 3)).size).toBe(1);
    expect(numIds[3]).not.toBe(numIds[0]);
    const abstractOf = (numId: string | undefined) =>
      new RegExp(
        `<w:num w:numId="${numId}"><w:abstractNumId w:val="(\\d+)"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>`,
      ).exec(numbering)?.[1];
    const format = (abstractId: string | undefined) =>
      new RegExp(`<w:abstractNum w:abstractNumId="${abstractId}"[^>]*>.*?<w:numFmt w:val="([^"]+)"/>`).exec(
        numbering,
      )?.[1];
    expect(format(abstractOf(numIds[0]))).toBe('lowerLetter');
    expect(numbering).toContain('<w:lvlText w:val="(%1)"/>');
    expect(format(abstractOf(numIds[3]))).toBe('bullet');
  });

  it('defines the named styles, the font and the language', async () => {
    const styles = parts['word/styles.xml'] as string;
    for (const id of [
      'LetterheadTitle',
      'Letterhead',
      'NoteReference',
      'NoteBody',
      'NoteListItem',
      'NoteDate',
      'NoteEnclosures',
      'NoteFooter',
      'Hyperlink',
    ]) {
      expect(styles).toContain(`w:styleId="${id}"`);
    }
    const styleXml = (id: string) =>
      new RegExp(`<w:style [^>]*w:styleId="${id}">.*?</w:style>`).exec(styles)?.[0] ?? '';
    expect(styleXml('NoteBody')).toContain('<w:jc w:val="both"/>');
    expect(styleXml('NoteDate')).toContain('<w:jc w:val="right"/>');
    expect(styleXml('LetterheadTitle')).toMatch(/<w:b\/>.*<w:sz w:val="32"\/>/);
    expect(styleXml('NoteFooter')).toMatch(/<w:i\/>.*<w:sz w:val="18"\/>/);
    const defaults = /<w:docDefaults>.*<\/w:docDefaults>/.exec(styles)?.[0] ?? '';
    // Issue 8: the faces nv's PDF embeds (Tinos, Amiri, Noto Serif SC), not Times New Roman.
    expect(defaults).toContain(
      '<w:rFonts w:ascii="Tinos" w:cs="Amiri" w:eastAsia="Noto Serif SC" w:hAnsi="Tinos"/>',
    );
    expect(defaults).toContain('<w:sz w:val="24"/>');
    expect(defaults).toContain('<w:lang w:val="en-GB"/>');
  });

  it('lays out A4 with 2.54 cm margins and page numbers from page 2', async () => {
    const sect = /<w:sectPr>.*<\/w:sectPr>/.exec(documentXml)?.[0] ?? '';
    expect(sect).toContain('<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"/>');
    // Issue 8: the letterhead starts 50 pt from the top of page 1, as in the PDF; the page number's
    // header (35 pt down, a 12 pt line, 25 pt after) starts the body of later pages 72 pt down.
    expect(sect).toMatch(/<w:pgMar w:top="1000" w:right="1440" w:bottom="1440" w:left="1440" w:header="700"/);
    expect(sect).toContain('<w:titlePg/>');
    const rels = parts['word/_rels/document.xml.rels'] as string;
    const partOf = (kind: 'header' | 'footer', type: 'default' | 'first') => {
      const id = new RegExp(`<w:${kind}Reference w:type="${type}" r:id="([^"]+)"/>`).exec(sect)?.[1];
      const target = new RegExp(`<Relationship Id="${id}" Type="[^"]+/${kind}" Target="([^"]+)"/>`).exec(
        rels,
      )?.[1];
      return parts[`word/${target}`] as string;
    };
    expect(partOf('header', 'default')).toMatch(
      /<w:fldChar w:fldCharType="begin"\/><\/w:r><w:r><w:instrText xml:space="preserve">PAGE<\/w:instrText>/,
    );
    for (const [kind, type] of [
      ['header', 'first'],
      ['footer', 'first'],
      ['footer', 'default'],
    ] as const) {
      const xml = partOf(kind, type);
      expect(xml).toBeDefined();
      expect(xml).not.toContain('PAGE');
    }
  });

  it('writes the core properties with the note date, never the wall clock', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2031-03-03T03:03:03Z'));
    const later = (await createDocxRenderer()).render(doc);
    vi.useRealTimers();
    expect(later).toEqual(bytes);
    const core = parts['docProps/core.xml'] as string;
    expect(core).toContain(
      '<dc:title>Note verbale CU 2012/150(A)/DTA/CEB/CSS – Côte d&apos;Ivoire</dc:title>',
    );
    expect(core).toContain('<dc:creator>United Nations Office on Drugs and Crime</dc:creator>');
    expect(core).toContain(
      '<dc:subject>Open-ended intergovernmental expert meeting on international cooperation</dc:subject>',
    );
    expect(core).toContain('<dc:language>en-GB</dc:language>');
    expect(core).toContain(
      '<dcterms:created xsi:type="dcterms:W3CDTF">2012-08-15T00:00:00Z</dcterms:created>',
    );
    expect(core).toContain(
      '<dcterms:modified xsi:type="dcterms:W3CDTF">2012-08-15T00:00:00Z</dcterms:modified>',
    );
    for (const [name, xml] of Object.entries(unzip(later))) expect(xml, name).not.toContain('2031');
  });

  it('gives byte-identical output for the same note', async () => {
    const renderer = await createDocxRenderer();
    const again = renderer.render(seedNote());
    expect(again).toEqual(bytes);
    renderer.render(seedNote('Türkiye'));
    renderer.render({ ...seedNote(), meta: { ...seedNote().meta, language: 'fr' } });
    expect(renderer.render(seedNote())).toEqual(bytes);
    expect(await renderDocx(seedNote())).toEqual(bytes);
    expect((await createDocxRenderer()).render(seedNote('Türkiye'))).not.toEqual(bytes);
  });

  it('writes the same document, numbering and styles XML as the docx library', async () => {
    const variants: NoteDocument[] = [
      doc,
      { ...seedNote('Türkiye'), body: [], enclosures: 0, footer: '', letterhead: [], referenceLine: '' },
      {
        ...seedNote(),
        meta: { ...seedNote().meta, language: 'ru', subject: undefined },
        body: [
          {
            type: 'list',
            ordered: false,
            items: [[{ text: 'a' }], [{ text: 'b', bold: true, italic: true }]],
          },
          { type: 'list', ordered: true, items: [[{ text: 'one' }]] },
          { type: 'paragraph', align: 'right', runs: [] },
          {
            type: 'paragraph',
            align: 'left',
            runs: [
              { text: 'x', link: 'https://example.org/a b?q=1&r="2"' },
              { text: 'y', link: 'https://example.org/a b?q=1&r="2"', bold: true },
              { text: ' tab\there ' },
              { text: 'z', link: 'https://example.org/' },
            ],
          },
          { type: 'list', ordered: true, items: [[{ text: 'two' }], [{ text: '' }]] },
        ],
      },
      // Right to left: w:bidi paragraphs, w:rtl runs split at direction changes (issue 8).
      {
        ...seedNote(),
        meta: { ...seedNote().meta, language: 'ar' },
        referenceLine: 'الرقم المرجعي: CU 2012/150(A)/DTA/CEB/CSS',
        body: [
          {
            type: 'paragraph',
            align: 'justify',
            runs: [
              { text: 'يهدي الأمين العام للأمم المتحدة ' },
              { text: 'تحياته', bold: true, italic: true },
              { text: " إلى البعثة الدائمة لـ Côte d'Ivoire 2012" },
            ],
          },
          { type: 'list', ordered: true, items: [[{ text: 'البند الأول' }]] },
          {
            type: 'table',
            columns: [{ width: 1, align: 'right' }],
            header: [[{ text: 'الدولة' }]],
            rows: [[[{ text: 'النمسا Austria' }]]],
          },
        ],
      },
      // Chinese: East Asian runs hinted for the eastAsia font.
      {
        ...seedNote(),
        meta: { ...seedNote().meta, language: 'zh' },
        body: [
          {
            type: 'paragraph',
            align: 'justify',
            runs: [{ text: '联合国秘书长向“科特迪瓦” CU 2012/150 致意。' }],
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
      expect(fast['word/numbering.xml']).toBe(lib['word/numbering.xml']);
      expect(fast['word/styles.xml']).toBe(lib['word/styles.xml']);
      expect(fast['word/header1.xml']).toBe(lib['word/header1.xml']);
      const targets = (rels: string) =>
        [...rels.matchAll(/Type="[^"]+\/hyperlink" Target="([^"]+)"/g)].map((m) => m[1]).sort();
      expect(new Set(targets(fast['word/_rels/document.xml.rels'] as string))).toEqual(
        new Set(targets(lib['word/_rels/document.xml.rels'] as string)),
      );
    }
  });

  it('escapes XML and drops characters XML cannot hold', async () => {
    const nasty: NoteDocument = {
      ...seedNote(),
      meta: { ...seedNote().meta, title: 'A & B <C> "D" \'E\'\u0001', author: 'Ü & Ö' },
      letterhead: ['UNODC & <Co>'],
      body: [
        {
          type: 'paragraph',
          align: 'justify',
          runs: [
            {
              text: 'x < y && y > z "quoted" \'single\' ]]> \u0000\u0001\u0008\u000B\u000C\u001F\uFFFE\uFFFF end',
            },
            { text: 'lone \uD800 surrogate \uDC00 but 😀 kept', italic: true },
            { text: 'line\r\nbreak\ttab' },
            { text: 'link', link: 'http://example.org/?a=1&b=<2>' },
            { text: ' other link', link: ' http://example.org/a b/100%/%41 ' },
          ],
        },
      ],
    };
    const out = unzip(await renderDocx(nasty));
    for (const [name, xml] of Object.entries(out)) assertWellFormed(xml, name);
    const xml = out['word/document.xml'] as string;
    expect(xml).toContain('x &lt; y &amp;&amp; y &gt; z &quot;quoted&quot; &apos;single&apos; ]]&gt;  end');
    expect(xml).toContain('lone  surrogate  but 😀 kept');
    expect(xml).toContain(
      '<w:t xml:space="preserve">line break</w:t><w:tab/><w:t xml:space="preserve">tab</w:t>',
    );
    expect(xml).toContain('UNODC &amp; &lt;Co&gt;');
    expect(out['docProps/core.xml']).toContain(
      '<dc:title>A &amp; B &lt;C&gt; &quot;D&quot; &apos;E&apos;</dc:title>',
    );
    expect(out['word/_rels/document.xml.rels']).toContain('Target="http://example.org/?a=1&amp;b=%3C2%3E"');
    expect(out['word/_rels/document.xml.rels']).toContain('Target="http://example.org/a%20b/100%25/%41"');
  });

  it('leaves out "Enclosures" when there are none and follows the note language', async () => {
    const fr = unzip(
      await renderDocx({ ...seedNote(), enclosures: 0, meta: { ...seedNote().meta, language: 'fr-FR' } }),
    );
    expect(fr['word/document.xml']).not.toContain('Enclosures');
    expect(fr['word/styles.xml']).toContain('<w:lang w:val="fr-FR"/>');
    expect(fr['docProps/core.xml']).toContain('<dc:language>fr-FR</dc:language>');
  });

  it('refuses a note without a valid creation date', async () => {
    const bad = { ...seedNote(), meta: { ...seedNote().meta, created: new Date(Number.NaN) } };
    await expect(renderDocx(bad)).rejects.toThrow(InternalError);
  });
});
