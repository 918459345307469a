import { describe, expect, it } from 'vitest';
import type { Block, NoteDocument, Run } from '../../src/render/document.js';
import type { FontId } from '../../src/render/fonts.js';
import {
  PAGE_HEIGHT,
  ParagraphBuilder,
  layoutNote,
  type DrawLine,
  type Shaper,
  type Shaped,
} from '../../src/render/layout.js';
import { sampleNote } from './sample-note.js';

/** Every character 500/1000 em wide (6 pt at 12 pt); the "glyphs" are the text itself. */
const monospace: Shaper = {
  shape: (face: FontId, text: string): Shaped => ({
    units: 500 * [...text].length,
    hex: `${face}:${text}`,
    gids: [],
  }),
};

const LEFT = 72;
const RIGHT = 595.28 - 72;
const lineText = (l: DrawLine): string =>
  l.items.map((i) => i.shaped.hex.replace(/^[a-zA-Z-]+:/, '')).join('');
const lineEnd = (l: DrawLine): number => l.items.reduce((x, i) => x + i.width + i.extra, l.x);

function note(body: Block[], extra: Partial<NoteDocument> = {}): NoteDocument {
  return { ...sampleNote(), body, ...extra };
}

function para(text: string, align: 'justify' | 'left' | 'center' | 'right' = 'justify'): Block {
  return { type: 'paragraph', align, runs: [{ text }] };
}

describe('layoutNote', () => {
  it('justifies every line but the last to both margins', () => {
    const words = Array.from({ length: 120 }, (_, i) => 'w'.repeat(1 + (i % 9))).join(' ');
    const { pages } = layoutNote(note([para(words)]), new ParagraphBuilder(monospace));
    const para1 = (pages[0] as { lines: DrawLine[] }).lines.filter((l) => /^w/.test(lineText(l)));
    expect(para1.length).toBeGreaterThan(5);
    for (const l of para1.slice(0, -1)) expect(lineEnd(l)).toBeCloseTo(RIGHT, 6);
    const last = para1[para1.length - 1] as DrawLine;
    expect(last.items.every((i) => i.extra === 0)).toBe(true);
    expect(lineEnd(last)).toBeLessThan(RIGHT);
    // Nothing is lost or reordered.
    expect(para1.map(lineText).join(' ')).toBe(words);
  });

  it('keeps a word together when its face changes mid-word', () => {
    const runs: Run[] = [
      { text: 'a'.repeat(70) + ' Govern' },
      { text: 'ment', bold: true },
      { text: "'s reply" },
    ];
    const { pages } = layoutNote(
      note([{ type: 'paragraph', align: 'justify', runs }]),
      new ParagraphBuilder(monospace),
    );
    const lines = (pages[0] as { lines: DrawLine[] }).lines.filter((l) => lineText(l).includes('Govern'));
    expect(lines.length).toBe(1);
    expect(lineText(lines[0] as DrawLine)).toBe("Government's reply");
    expect((lines[0] as DrawLine).items.map((i) => i.font)).toEqual([
      'tinos-regular',
      'tinos-bold',
      'tinos-regular',
      'tinos-regular',
      'tinos-regular',
    ]);
  });

  it('indents list items with a hanging marker', () => {
    const list: Block = {
      type: 'list',
      ordered: true,
      items: [[{ text: 'first item '.repeat(12) }], [{ text: 'second' }]],
    };
    const { pages } = layoutNote(note([para('Intro'), list]), new ParagraphBuilder(monospace));
    const lines = (pages[0] as { lines: DrawLine[] }).lines;
    const markers = lines.filter((l) => /^\([a-z]\)$/.test(lineText(l)));
    expect(markers.map(lineText)).toEqual(['(a)', '(b)']);
    expect(markers.every((m) => m.x === LEFT + 18)).toBe(true);
    const items = lines.filter((l) => /^(first|item|second)/.test(lineText(l)));
    expect(items.length).toBeGreaterThan(2);
    expect(items.every((l) => l.x === LEFT + 45)).toBe(true);
    // The marker sits on the baseline of its item's first line.
    expect((markers[0] as DrawLine).y).toBe((items[0] as DrawLine).y);
  });

  it('never leaves a single line of a paragraph alone at a page break', () => {
    // Paragraphs of 1 to 7 lines (70 characters a line at 6 pt).
    const body: Block[] = Array.from({ length: 40 }, (_, i) =>
      para(
        Array.from({ length: 11 * (1 + (i % 7)) }, (_, j) => `p${String(i).padStart(2, '0')}w${j}`).join(' '),
      ),
    );
    const { pages } = layoutNote(note(body), new ParagraphBuilder(monospace));
    expect(pages.length).toBeGreaterThan(2);
    const counts = pages.map((p) => {
      const m = new Map<string, number>();
      for (const l of p.lines) {
        const id = /^p(\d\d)w/.exec(lineText(l))?.[1];
        if (id) m.set(id, (m.get(id) ?? 0) + 1);
      }
      return m;
    });
    let splits = 0;
    for (let i = 0; i + 1 < counts.length; i++) {
      for (const [id, n] of counts[i] as Map<string, number>) {
        const after = (counts[i + 1] as Map<string, number>).get(id);
        if (after === undefined) continue;
        splits++;
        expect(n, `paragraph ${id} at the foot of page ${i + 1}`).toBeGreaterThanOrEqual(2);
        expect(after, `paragraph ${id} at the head of page ${i + 2}`).toBeGreaterThanOrEqual(2);
      }
    }
    expect(splits).toBeGreaterThan(0);
    for (const p of pages)
      for (const l of p.lines) if (l.size === 12) expect(l.y).toBeGreaterThanOrEqual(72 - 1e-6);
  });

  it('numbers pages from 2 and puts the footer on the last page only', () => {
    const body = Array.from({ length: 30 }, () => para('word '.repeat(60)));
    const { pages } = layoutNote(note(body), new ParagraphBuilder(monospace));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((p, i) => {
      const top = p.lines.filter((l) => l.y > PAGE_HEIGHT - 70).map(lineText);
      if (i === 0) expect(top).toEqual(['UNODC']);
      else expect(top).toEqual([`- ${i + 1} -`]);
      const bottom = p.lines.filter((l) => l.y < 60).map(lineText);
      expect(bottom).toEqual(
        i === pages.length - 1 ? ['Making the world safer from drugs, crime and terrorism'] : [],
      );
    });
  });

  it('lays out an identical paragraph once per batch', () => {
    const builder = new ParagraphBuilder(monospace);
    const a = layoutNote(note([para('same text '.repeat(30))]), builder);
    const b = layoutNote(note([para('same text '.repeat(30))]), builder);
    const items = (l: { lines: DrawLine[] }): unknown[] => l.lines.map((x) => x.items);
    expect(items(b.pages[0] as { lines: DrawLine[] })).toEqual(items(a.pages[0] as { lines: DrawLine[] }));
    // Placing copies, so the cached rows are never moved.
    const ys = (a.pages[0] as { lines: DrawLine[] }).lines.map((l) => l.y);
    layoutNote(note([para('x'), para('same text '.repeat(30))]), builder);
    expect((a.pages[0] as { lines: DrawLine[] }).lines.map((l) => l.y)).toEqual(ys);
  });
});

describe('line breaking by UAX #14, hyphenation', () => {
  const bodyLines = (doc: NoteDocument, builder = new ParagraphBuilder(monospace)): DrawLine[] =>
    (layoutNote(doc, builder).pages[0] as { lines: DrawLine[] }).lines.filter(
      (l) => l.size === 12 && l.y > 100 && l.items.length > 0 && !lineText(l).startsWith('Reference:'),
    );

  it('breaks Chinese between characters, never before a closing mark, and justifies by spacing characters', () => {
    const text =
      '联合国秘书长向常驻代表致意，并谨提请该国政府注意题为「召开不限成员名额政府间专家会议以加强国际合作」的第4/2号决议。'.repeat(
        7,
      );
    const lines = bodyLines(note([para(text)], { dateLine: '' }));
    expect(lines.length).toBeGreaterThan(4);
    expect(lines.map(lineText).join('')).toBe(text);
    for (const l of lines) expect(lineText(l)).not.toMatch(/^[、。，」）』】！？：；]/u);
    for (const l of lines.slice(0, -1)) {
      expect(lineEnd(l)).toBeCloseTo(RIGHT, 6);
      // No word space in Chinese: the stretch is spread between the characters.
      expect(l.items.filter((i) => i.extra > 0).length).toBeGreaterThan(10);
    }
  });

  it('breaks a URL only after "/" or "." and never stretches a line that ends inside it', () => {
    const url =
      'http://www.unodc.org/unodc/en/treaties/CAC/working-group-on-international-cooperation/meetings2012.html';
    const lines = bodyLines(
      note([para(`The documents are available at ${url} as they are issued.`)], { dateLine: '' }),
    );
    const withUrl = lines.filter((l) => /unodc|treaties|working|meetings/.test(lineText(l)));
    expect(withUrl.length).toBeGreaterThan(1);
    for (const l of withUrl.slice(0, -1)) {
      expect(lineText(l)).toMatch(/[/.]$/);
      expect(l.items.every((i) => i.extra === 0)).toBe(true);
    }
    expect(
      lines
        .map(lineText)
        .join(' ')
        .replace(/(?<=[/.]) /g, ''),
    ).toContain(url);
  });

  it('keeps "2012/150(A)/DTA/CEB/CSS" and "آب/أغسطس" whole', () => {
    const text = `${'word '.repeat(60)}CU 2012/150(A)/DTA/CEB/CSS ${'word '.repeat(13)}آب/أغسطس ${'word '.repeat(20)}`;
    for (let shift = 0; shift < 8; shift++) {
      const lines = bodyLines(note([para('x '.repeat(shift) + text)], { dateLine: '' })).map(lineText);
      expect(lines.some((l) => l.includes('2012/150(A)/DTA/CEB/CSS'))).toBe(true);
      expect(lines.some((l) => l.includes('آب/أغسطس') || l.includes('أغسطس/آب'))).toBe(true);
    }
  });

  it('hyphenates a justified English paragraph only where a line would be loose, drawing the hyphen', () => {
    const text =
      'The Conference decided to convene intergovernmental expert meetings on international cooperation, notwithstanding considerable administrative, organizational and representational responsibilities.';
    const lax = (language: string): { lines: DrawLine[]; worst: number } => {
      const doc = note([para(text)], { dateLine: '' });
      const lines = bodyLines({ ...doc, meta: { ...doc.meta, language } });
      const worst = Math.max(...lines.slice(0, -1).map((l) => Math.max(...l.items.map((i) => i.extra))));
      return { lines, worst };
    };
    const en = lax('en-GB');
    const none = lax('tlh');
    expect(none.lines.some((l) => lineText(l).endsWith('-'))).toBe(false);
    expect(en.lines.some((l) => /\p{L}-$/u.test(lineText(l)))).toBe(true);
    expect(en.worst).toBeLessThan(none.worst);
    // Nothing is lost: the words read whole once the line-end hyphens are taken out.
    expect(en.lines.map(lineText).join('\n').replace(/-\n/g, '').replace(/\n/g, ' ')).toBe(text);
    // A paragraph whose lines are not loose is not hyphenated.
    const tight = bodyLines(note([para('word '.repeat(200).trim())], { dateLine: '' }));
    expect(tight.some((l) => lineText(l).endsWith('-'))).toBe(false);
  });
});
