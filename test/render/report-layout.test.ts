/** The flow of report blocks, with a monospace shaper so that line breaks are predictable. */
import { describe, expect, it } from 'vitest';
import type { Block, ReportDocument } from '../../src/render/document.js';
import type { FontId } from '../../src/render/fonts.js';
import {
  ParagraphBuilder,
  layoutReport,
  type DrawLine,
  type Shaped,
  type Shaper,
} from '../../src/render/layout.js';
import { sampleReport } from './sample-report.js';

/** Every character 500/1000 em wide (5 pt at 10 pt); the "glyphs" are the text itself. */
const monospace: Shaper = {
  shape: (face: FontId, text: string): Shaped => ({
    units: 500 * [...text].length,
    hex: `${face}:${text}`,
    gids: [],
  }),
};
const lineText = (l: DrawLine): string =>
  l.items.map((i) => i.shaped.hex.replace(/^[a-zA-Z-]+:/, '')).join('');
const para = (text: string, extra: Partial<Extract<Block, { type: 'paragraph' }>> = {}): Block => ({
  type: 'paragraph',
  align: 'left',
  runs: [{ text }],
  ...extra,
});
const report = (body: Block[]): ReportDocument => ({
  ...sampleReport(1, 1),
  symbol: 'S',
  masthead: undefined,
  distribution: undefined,
  titleLines: [],
  body,
});
const layout = (body: Block[]) => layoutReport(report(body), new ParagraphBuilder(monospace));
/** Body lines of each page (no symbol, running header, page number or footer). */
const bodyLines = (pages: ReturnType<typeof layout>['pages']): DrawLine[][] =>
  pages.map((p) => p.lines.filter((l) => l.y > 60 && l.y < 841.89 - 60 && l.size < 14 && lineText(l) !== ''));

describe('layoutReport', () => {
  it('applies indent, size and the space before and after a paragraph', () => {
    const { pages } = layout([
      para('first', { spaceAfter: 0 }),
      para('second', { indent: 18, spaceAfter: 10 }),
      para('third', { spaceBefore: 5, size: 8 }),
    ]);
    const [a, b, c] = bodyLines(pages)[0]?.filter((l) =>
      /first|second|third/.test(lineText(l)),
    ) as DrawLine[];
    expect(a?.x).toBe(72);
    expect(b?.x).toBe(90);
    // 10 pt body, 12 pt leading; no space after "first".
    expect((a as DrawLine).y - (b as DrawLine).y).toBeCloseTo(12, 6);
    // After "second": its 10 pt space after, then 5 pt before "third", whose 8 pt baseline sits 8 pt below.
    expect((b as DrawLine).y - (c as DrawLine).y).toBeCloseTo(12 - 10 + 10 + 5 + 8, 6);
    expect(c?.size).toBe(8);
  });

  it('moves a paragraph that keeps with the next one to the next page with it', () => {
    const filler = Array.from({ length: 200 }, (_, i) => para(`filler ${i}`, { spaceAfter: 0 }));
    // Find where page 1 ends, then put a keep-with-next paragraph on its last line.
    const first = bodyLines(layout(filler).pages)[0] as DrawLine[];
    const lastOnPage1 = first.length;
    const body = [
      ...filler.slice(0, lastOnPage1 - 1),
      para('keeper', { keepWithNext: true, spaceAfter: 0 }),
      para('next block of four lines '.repeat(8), { spaceAfter: 0 }),
    ];
    const pages = bodyLines(layout(body).pages);
    expect(pages[0]?.map(lineText)).not.toContain('keeper');
    expect(lineText((pages[1] as DrawLine[])[0] as DrawLine)).toBe('keeper');
  });

  it('splits a group taller than a page, losing nothing', () => {
    const blocks = Array.from({ length: 120 }, (_, i) => para(`line ${i}`, { spaceAfter: 0 }));
    const pages = bodyLines(layout([para('before'), { type: 'group', blocks }]).pages);
    expect(pages.length).toBeGreaterThan(2);
    const texts = pages.flat().map(lineText);
    expect(texts.filter((t) => t.startsWith('line '))).toEqual(blocks.map((_, i) => `line ${i}`));
    // It does not fit anyway: it starts right after "before", on page 1.
    expect(pages[0]?.map(lineText).slice(0, 2)).toEqual(['before', 'line 0']);
  });

  it('makes no empty page for a page break at the top of a page', () => {
    const pages = bodyLines(
      layout([para('a'), { type: 'page-break' }, { type: 'page-break' }, para('b'), { type: 'page-break' }])
        .pages,
    );
    expect(pages.map((p) => p.map(lineText))).toEqual([['a'], ['b']]);
  });

  it('places a table row taller than a page on its own and goes on', () => {
    const tall = 'w '.repeat(3000);
    const { pages } = layout([
      {
        type: 'table',
        columns: [{ width: 0.3, align: 'left' }],
        header: [],
        rows: [[[{ text: 'small' }]], [[{ text: tall }]], [[{ text: 'after' }]]],
      },
    ]);
    const texts = bodyLines(pages).map((p) => p.map(lineText));
    expect(texts[0]).toEqual(['small']);
    expect(texts.flat()).toContain('after');
  });

  it('records the headings for the outline, with their page', () => {
    const filler = Array.from({ length: 80 }, (_, i) => para(`p${i}`));
    const { outline, pages } = layout([
      { type: 'heading', level: 1, runs: [{ text: 'One' }] },
      ...filler,
      { type: 'heading', level: 2, runs: [{ text: 'Two ' }, { text: 'bold', bold: true }] },
      para('x'),
    ]);
    const two = pages.findIndex((p) => p.lines.some((l) => lineText(l) === 'Two bold'));
    expect(two).toBeGreaterThan(0);
    expect(outline?.map((o) => [o.level, o.title, o.page])).toEqual([
      [1, 'One', 0],
      [2, 'Two bold', two],
    ]);
    // The destination is the top of the heading: its baseline lies one size below.
    const line = pages[two]?.lines.find((l) => lineText(l) === 'Two bold') as DrawLine;
    expect((outline?.[1]?.top ?? 0) - line.y).toBeCloseTo(line.size, 6);
  });
});
