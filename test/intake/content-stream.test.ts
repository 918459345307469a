import { describe, expect, it } from 'vitest';
import { Dict, Name, Str, readContentStream, type Operand } from '../../src/intake/content-stream.js';
import { PageMeter, unionArea } from '../../src/intake/page-meter.js';

function ops(text: string | Uint8Array): [string, Operand[]][] {
  const out: [string, Operand[]][] = [];
  readContentStream(typeof text === 'string' ? Buffer.from(text, 'latin1') : text, (op, operands) =>
    out.push([op, operands]),
  );
  return out;
}

describe('readContentStream', () => {
  it('reads numbers, names, operators', () => {
    expect(ops('q 1 0 0 1 -2.5 .5 cm /Im0 Do Q')).toEqual([
      ['q', []],
      ['cm', [1, 0, 0, 1, -2.5, 0.5]],
      ['Do', [new Name('Im0')]],
      ['Q', []],
    ]);
  });

  it('counts the bytes of literal strings: escapes, octal codes, nested parentheses, line continuations', () => {
    const [[, [s]] = ['', []]] = ops('(a\\(b\\)c\\101\\0537(x)\\\ny) Tj');
    // a ( b ) c A + 7 ( x ) y → 12 bytes ("\053" is one byte, then "7"; backslash-newline is none)
    expect(s).toEqual(new Str(12));
  });

  it('counts hex strings in bytes, white space ignored', () => {
    expect(ops('<00 41\n42> Tj')[0]?.[1]).toEqual([new Str(3)]);
    expect(ops('<00 41 4> Tj')[0]?.[1]).toEqual([new Str(3)]); // an odd last digit is padded with 0
  });

  it('reads TJ arrays and marked-content dictionaries', () => {
    const list = ops('[(ab) -250 (c)] TJ /Span <</ActualText (x) /MCID 3>> BDC EMC');
    expect(list[0]).toEqual(['TJ', [[new Str(2), -250, new Str(1)]]]);
    const bdc = list[1]?.[1];
    expect(bdc?.[0]).toEqual(new Name('Span'));
    expect((bdc?.[1] as Dict).get('MCID')).toBe(3);
  });

  it('skips comments', () => {
    expect(ops('% a comment (with a string\nq % another\nQ')).toEqual([
      ['q', []],
      ['Q', []],
    ]);
  });

  it('hands the inline image dictionary (abbreviations expanded) to BI and resumes after EI', () => {
    const data = Buffer.from([0x20, 0x45, 0x49, 0x20, 0x00, 0xff]); // " EI " inside the data: the length is known
    const bytes = Buffer.concat([Buffer.from('BI /W 6 /H 1 /BPC 8 /CS /G ID '), data, Buffer.from('\nEI Q')]);
    const list = ops(bytes);
    expect(list.map(([op]) => op)).toEqual(['BI', 'Q']);
    const dict = list[0]?.[1][0] as Dict;
    expect(dict.get('Width')).toBe(6);
    expect(dict.get('ColorSpace')).toEqual(new Name('G'));
  });

  it('a filtered inline image ends at the first EI between white space', () => {
    const list = ops('BI /W 10 /H 10 /F /DCT ID \xff\xd8garbageEIgarbage EI 1 0 0 1 0 0 cm');
    expect(list.map(([op]) => op)).toEqual(['BI', 'cm']);
  });

  it('stops after maxOperators and says so', () => {
    let n = 0;
    const complete = readContentStream(Buffer.from('q Q '.repeat(100)), () => n++, 50);
    expect(complete).toBe(false);
    expect(n).toBe(50);
  });

  it('survives damage: unbalanced brackets, stray delimiters, unterminated strings', () => {
    expect(() => ops('] >> } { ) [ << (unterminated <abc')).not.toThrow();
    expect(() => ops('BI /W')).not.toThrow();
    expect(() => ops('BI '.repeat(10_000))).not.toThrow();
  });
});

describe('PageMeter geometry', () => {
  const page = { x0: 0, y0: 0, x1: 100, y1: 100 };

  it('unionArea counts overlaps once', () => {
    expect(
      unionArea(
        [
          { x0: 0, y0: 0, x1: 60, y1: 100 },
          { x0: 40, y0: 0, x1: 100, y1: 100 },
        ],
        page,
      ),
    ).toBe(10_000);
    expect(
      unionArea(
        [
          { x0: 0, y0: 0, x1: 10, y1: 10 },
          { x0: 20, y0: 20, x1: 30, y1: 30 },
        ],
        page,
      ),
    ).toBe(200);
  });

  it('unionArea stays close on thousands of boxes (the grid fallback)', () => {
    const boxes = Array.from({ length: 5000 }, (_, i) => ({
      x0: (i % 100) * 1,
      y0: 0,
      x1: (i % 100) + 1,
      y1: 50,
    }));
    expect(unionArea(boxes, page)).toBeCloseTo(5000, -2);
  });

  it('text painted before an opaque image that covers its starting point is hidden; text after it is not', () => {
    const m = new PageMeter(page);
    m.beginText();
    m.setTextMatrix([1, 0, 0, 1, 10, 10]);
    m.showGlyphs(5);
    m.save();
    m.transform([50, 0, 0, 50, 0, 0]); // the lower-left quarter
    m.paintImage(true);
    m.restore();
    m.moveText(60, 60); // now at (70, 70): outside the image
    m.showGlyphs(7);
    const r = m.result();
    expect(r).toMatchObject({ visibleGlyphs: 12, textUnderImage: 5, imageCoverage: 0.25, images: 1 });
  });

  it('q/Q restore the CTM, the render mode and the clip', () => {
    const m = new PageMeter(page);
    m.save();
    m.setRenderMode(3);
    m.pathRect(0, 0, 10, 10);
    m.clipPath();
    m.endPath(false);
    m.restore();
    m.showGlyphs(4);
    m.transform([100, 0, 0, 100, 0, 0]);
    m.paintImage(true);
    expect(m.result()).toMatchObject({ visibleGlyphs: 4, invisibleGlyphs: 0, imageCoverage: 1 });
  });

  it('ignores non-finite numbers from damaged streams', () => {
    const m = new PageMeter(page);
    m.transform([NaN, 0, 0, Infinity, 0, 0]);
    m.transform([100, 0, 0, 100, 0, 0]);
    m.paintImage(true);
    expect(m.result().imageCoverage).toBe(1);
  });
});
