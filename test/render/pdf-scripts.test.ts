/**
 * The six UN languages in the PDF: a note and a list of participants per language, read back
 * with poppler (pdftotext, pdffonts), checked with qpdf, and every glyph drawn mapped back
 * through its font's ToUnicode CMap. Arabic: shaped forms, right to left, the reference intact.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NoteDocument, ReportDocument } from '../../src/render/document.js';
import { faceFilePath } from '../../src/render/fonts.js';
import { renderPdf } from '../../src/render/pdf.js';
import { sampleNote } from './sample-note.js';
import { sampleReport } from './sample-report.js';

const REFERENCE = 'CU 2012/150(A)/DTA/CEB/CSS';

const TEXT: Record<string, { family: RegExp; title: string; body: string }> = {
  en: {
    family: /Tinos/,
    title: 'List of participants',
    body: 'The Secretary-General of the United Nations presents his compliments to the Permanent Representative and has the honour to draw the attention of the Government to resolution 4/2, entitled “Convening of open-ended intergovernmental expert meetings to enhance international cooperation”.',
  },
  fr: {
    family: /Tinos/,
    title: 'Liste des participants',
    body: 'Le Secrétaire général de l’Organisation des Nations Unies présente ses compliments au Représentant permanent et a l’honneur d’appeler l’attention du Gouvernement sur la résolution 4/2, intitulée «\u00a0Convocation de réunions intergouvernementales d’experts à composition non limitée pour renforcer la coopération internationale\u00a0» (référence\u202f: 4/2).',
  },
  es: {
    family: /Tinos/,
    title: 'Lista de participantes',
    body: 'El Secretario General de las Naciones Unidas saluda atentamente al Representante Permanente y tiene el honor de señalar a la atención del Gobierno la resolución 4/2, titulada “Convocación de reuniones intergubernamentales de expertos de composición abierta para mejorar la cooperación internacional”.',
  },
  ru: {
    family: /Tinos/,
    title: 'Список участников',
    body: 'Генеральный секретарь Организации Объединенных Наций свидетельствует свое уважение Постоянному представителю и имеет честь обратить внимание правительства на резолюцию 4/2, озаглавленную «Созыв совещаний межправительственных экспертов открытого состава для расширения международного сотрудничества».',
  },
  ar: {
    family: /Amiri/,
    title: 'قائمة المشاركين',
    body: `يهدي الأمين العام للأمم المتحدة تحياته إلى الممثل الدائم، ويتشرف بأن يشير إلى مذكرته ${REFERENCE} المؤرخة 15 آب/أغسطس 2012، بشأن الاجتماع الأول لفريق الخبراء الحكومي الدولي المفتوح العضوية المعني بالتعاون الدولي.`,
  },
  zh: {
    family: /NotoSerifSC/,
    title: '与会者名单',
    body: '联合国秘书长向常驻代表致意，并谨提请该国政府注意题为“召开不限成员名额政府间专家会议以加强国际合作”的第4/2号决议。会议将于2012年10月22日至23日在奥地利维也纳举行，请于2012年9月24日前将代表团组成情况通知本办公室。',
  },
};

function noteIn(lang: string): NoteDocument {
  const base = sampleNote();
  const t = TEXT[lang]!;
  return {
    ...base,
    meta: { ...base.meta, language: lang },
    body: [
      { type: 'paragraph', align: 'justify', runs: [{ text: t.body }] },
      { type: 'paragraph', align: 'justify', runs: [{ text: t.body }] },
    ],
  };
}

function reportIn(lang: string): ReportDocument {
  const base = sampleReport(4, 2);
  const t = TEXT[lang]!;
  return {
    ...base,
    meta: { ...base.meta, language: lang },
    titleLines: [[{ text: t.title }], ...base.titleLines.slice(1)],
    body: [{ type: 'paragraph', align: 'left', runs: [{ text: t.body }] }, ...base.body],
  };
}

/**
 * Bidi controls poppler puts around runs of another direction, and the joiner a glyph Amiri's
 * shaping inserts reads back as.
 */
const BIDI_CONTROLS = /[\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const bare = (s: string): string => s.replace(BIDI_CONTROLS, '').replace(/\s+/g, '');

interface PdfObjects {
  bodies: Map<number, string>;
  stream(num: number): Buffer;
}

function objects(bytes: Uint8Array): PdfObjects {
  const s = Buffer.from(bytes).toString('latin1');
  const bodies = new Map<number, string>();
  for (const m of s.matchAll(/(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) bodies.set(Number(m[1]), m[2]!);
  return {
    bodies,
    stream(num) {
      const body = bodies.get(num)!;
      const start = body.indexOf('stream\n') + 7;
      const data = Buffer.from(body.slice(start, body.lastIndexOf('\nendstream')), 'latin1');
      return /\/FlateDecode/.test(body.slice(0, start)) ? inflateSync(data) : data;
    },
  };
}

/** Per page font resource, the glyph ids its content draws; and per font, its ToUnicode map. */
function glyphsAndMaps(bytes: Uint8Array): {
  drawn: Array<{ font: string; gid: string }>;
  toUnicode: Map<string, Map<string, string>>;
  baseFont: Map<string, string>;
} {
  const pdf = objects(bytes);
  const drawn: Array<{ font: string; gid: string }> = [];
  const toUnicode = new Map<string, Map<string, string>>();
  const baseFont = new Map<string, string>();
  for (const [, body] of pdf.bodies) {
    if (!body.startsWith('<< /Type /Page ')) continue;
    const fonts = /\/Font << ([^>]*) >>/.exec(body)![1]!;
    for (const [, res, num] of fonts.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      const type0 = pdf.bodies.get(Number(num))!;
      baseFont.set(res!, /\/BaseFont \/(\S+)/.exec(type0)![1]!);
      const cmap = pdf.stream(Number(/\/ToUnicode (\d+) 0 R/.exec(type0)![1])).toString('latin1');
      const map = new Map<string, string>();
      for (const [, gid, hex] of cmap.matchAll(/<([0-9A-F]{4})> <([0-9A-F]+)>/g)) {
        let text = '';
        for (let i = 0; i < hex!.length; i += 4)
          text += String.fromCharCode(parseInt(hex!.slice(i, i + 4), 16));
        map.set(gid!, text);
      }
      toUnicode.set(res!, map);
    }
    const content = pdf.stream(Number(/\/Contents (\d+) 0 R/.exec(body)![1])).toString('latin1');
    let font = '';
    for (const m of content.matchAll(/\/(F\d+) [\d.]+ Tf|<([0-9A-F]*)>/g)) {
      if (m[1]) font = m[1];
      else for (let i = 0; i < m[2]!.length; i += 4) drawn.push({ font, gid: m[2]!.slice(i, i + 4) });
    }
  }
  return { drawn, toUnicode, baseFont };
}

/** A note in Arabic whose body is one justified paragraph of `text`. */
function arabicNote(text: string): NoteDocument {
  const base = sampleNote();
  return {
    ...base,
    meta: { ...base.meta, language: 'ar' },
    body: [{ type: 'paragraph', align: 'justify', runs: [{ text }] }],
  };
}

const dir = mkdtempSync(join(tmpdir(), 'nv-scripts-'));

function check(name: string, bytes: Uint8Array, lang: string): string {
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, bytes);
  expect(execFileSync('qpdf', ['--check', path], { encoding: 'utf8' })).toMatch(
    /No syntax or stream encoding errors/,
  );
  const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' }).trim().split('\n').slice(2);
  for (const line of fonts) expect(line).toMatch(/^[A-Z]{6}\+\S+\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  expect(
    fonts.some((l) => TEXT[lang]!.family.test(l)),
    fonts.join('\n'),
  ).toBe(true);
  if (!/ar|zh/.test(lang)) expect(fonts.every((l) => /\+Tinos-/.test(l))).toBe(true);
  // Every glyph drawn maps back to text.
  const { drawn, toUnicode } = glyphsAndMaps(bytes);
  expect(drawn.length).toBeGreaterThan(100);
  for (const { font, gid } of drawn) expect(toUnicode.get(font)?.get(gid), `${font} ${gid}`).toBeTruthy();
  // Pixels: the page is not blank.
  execFileSync('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', path, join(dir, name)]);
  return execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
}

describe('a note and a list of participants in each of the six languages', () => {
  for (const lang of Object.keys(TEXT)) {
    it(`${lang}: embedded subsets of the right faces, ToUnicode for every glyph, text read back in logical order`, async () => {
      const note = check(`note-${lang}`, await renderPdf(noteIn(lang)), lang);
      const report = check(`report-${lang}`, await renderPdf(reportIn(lang)), lang);
      const body = TEXT[lang]!.body;
      if (lang === 'ar') {
        // Poppler orders the runs of a line itself; each Arabic word reads in logical order
        // (poppler may see a gap where a glyph is shifted to join the next: spaces are left
        // out), the reference whole.
        const read = note.replace(BIDI_CONTROLS, '');
        for (const word of body.split(/[\s،.]+/).filter((w) => /^[\u0621-\u064a]+$/u.test(w)))
          expect(bare(read)).toContain(word);
        expect(read).toContain('2012/150(A)/DTA/CEB/CSS');
        expect(read).toContain('آب/أغسطس');
      } else {
        expect(bare(note)).toContain(bare(body));
      }
      expect(bare(report)).toContain(bare(TEXT[lang]!.title));
    });
  }
});

describe('Arabic shaping', () => {
  let amiri: fontkit.Font;
  beforeAll(() => {
    amiri = fontkit.create(execFileSync('cat', [faceFilePath('amiri-regular')])) as fontkit.Font;
  });

  async function amiriGlyphs(text: string): Promise<number[]> {
    const doc = arabicNote(text);
    const { drawn, baseFont } = glyphsAndMaps(await renderPdf(doc));
    return drawn
      .filter((d) => /Amiri/.test(baseFont.get(d.font) ?? ''))
      .map((d) => parseInt(d.gid, 16))
      .filter((g) => g !== amiri.glyphForCodePoint(32).id);
  }

  it('draws a mark HarfBuzz stacks (the fatha over the shadda of "إِنَّ") raised by a text rise of its offset, and back to the baseline after it', async () => {
    const doc = arabicNote('إِنَّ');
    const pdf = objects(await renderPdf(doc));
    const page = [...pdf.bodies.values()].find((b) => b.startsWith('<< /Type /Page '))!;
    const content = pdf.stream(Number(/\/Contents (\d+) 0 R/.exec(page)![1])).toString('latin1');
    const size = Number(/\/F5 ([\d.]+) Tf/.exec(content)![1]);
    // Amiri's GPOS as HarfBuzz applies it: the fatha 51 units up over the shadda, the kasra 71 down.
    const rises = [...content.matchAll(/(-?[\d.]+) Ts\n\[(<[0-9A-F]{4}>)\] TJ\n0 Ts/g)].map((m) =>
      Number(m[1]),
    );
    expect(rises.sort((a, b) => a - b)).toEqual(
      [(-71 * size) / 1000, (51 * size) / 1000].map((r) => Math.round(r * 1000) / 1000),
    );
    // Nothing else is raised: every rise is undone at once.
    expect([...content.matchAll(/ Ts\n/g)]).toHaveLength(2 * rises.length);
  });

  it('draws the joining forms of "السلام", right to left, not the isolated letters', async () => {
    const drawn = await amiriGlyphs('السلام');
    const isolated = [...'السلام'].map((c) => amiri.glyphForCodePoint(c.codePointAt(0)!).id);
    expect(drawn).toHaveLength(isolated.length);
    // Visual order: the last letter first.
    const differing = drawn.filter((g, i) => g !== [...isolated].reverse()[i]).length;
    expect(differing).toBeGreaterThanOrEqual(3);
    // The initial lam, medial sin and lam are none of the isolated glyphs.
    expect(drawn.filter((g) => !isolated.includes(g)).length).toBeGreaterThanOrEqual(3);
    expect(drawn).toEqual(amiri.layout('السلام').glyphs.map((g) => g.id));
  });

  it('draws lam-alef in its ligature forms', async () => {
    const drawn = await amiriGlyphs('لا');
    const lam = amiri.glyphForCodePoint(0x0644).id;
    const alef = amiri.glyphForCodePoint(0x0627).id;
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn).not.toContain(lam);
    expect(drawn).not.toContain(alef);
  });

  it('moves the marks of a vocalized word by small TJ adjustments (each number apart)', async () => {
    const doc = arabicNote('مُحَمَّد بْنُ عَبْدِ اللَّهِ');
    const bytes = await renderPdf(doc);
    const pdf = objects(bytes);
    const page = [...pdf.bodies.values()].find((b) => b.startsWith('<< /Type /Page '))!;
    const content = pdf.stream(Number(/\/Contents (\d+) 0 R/.exec(page)![1])).toString('latin1');
    const arrays = [...content.matchAll(/\[([^\]]*)\] TJ/g)].map((m) => m[1]!.replace(/<[0-9A-F]*>/g, ' '));
    const numbers = arrays.flatMap((a) => a.trim().split(/\s+/).filter(Boolean).map(Number));
    expect(numbers.length).toBeGreaterThan(4);
    for (const n of numbers) expect(Math.abs(n)).toBeLessThan(1000);
    expect(await amiriGlyphs('مُحَمَّد')).toHaveLength(amiri.layout('مُحَمَّد').glyphs.length);
  });

  it('sets an Arabic paragraph right to left: the last line flush right, the others flush to both margins', async () => {
    const base = sampleNote();
    const text = TEXT.ar!.body.repeat(3);
    const doc: NoteDocument = {
      ...base,
      meta: { ...base.meta, language: 'ar' },
      body: [{ type: 'paragraph', align: 'justify', runs: [{ text }] }],
    };
    const path = join(dir, 'rtl.pdf');
    writeFileSync(path, await renderPdf(doc));
    const html = execFileSync('pdftotext', ['-bbox-layout', path, '-'], { encoding: 'utf8' });
    const lines = [
      ...html.matchAll(/<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([\s\S]*?)<\/line>/g),
    ]
      .filter((m) => /[\u0621-\u064a]/u.test(m[3]!))
      .map((m) => ({ left: Number(m[1]), right: Number(m[2]) }));
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(l.right).toBeGreaterThan(523.28 - 2);
    for (const l of lines.slice(0, -1)) expect(l.left).toBeLessThan(72 + 2);
    expect(lines[lines.length - 1]!.left).toBeGreaterThan(72 + 20);
  });
});
