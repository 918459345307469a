import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import {
  FONT_IDS,
  faceFilePath,
  loadFace,
  parseTrueType,
  subsetFace,
  subsetGlyphs,
  type FontId,
} from '../../src/render/fonts.js';

/** fontkit is the oracle: the renderer reads the tables itself to avoid loading it. */
function oracle(name: FontId): fontkit.Font {
  return fontkit.create(readFileSync(faceFilePath(name))) as fontkit.Font;
}

const SAMPLE =
  "Côte d'Ivoire Türkiye Российская Федерация Ελλάδα “quoted” – — … € № ½ ŁŚŻ ĂȘȚ ǅ ﬁ 0123456789 ABCXYZ abcxyz ()[]/@&%";

function codePoints(): number[] {
  const cps = new Set<number>();
  for (let cp = 0x20; cp < 0x2000; cp++) cps.add(cp); // Latin, Greek, Cyrillic and more
  for (const ch of SAMPLE) cps.add(ch.codePointAt(0) as number);
  cps.add(0x1f600); // astral, in none of the fonts
  for (const ch of 'السلام عليكم 会议维也纳，。') cps.add(ch.codePointAt(0) as number);
  return [...cps];
}

describe('TrueType reading', () => {
  for (const name of FONT_IDS) {
    it(`agrees with fontkit on ${name}: cmap, advances, metrics`, () => {
      const face = loadFace(name);
      const fk = oracle(name);
      expect(face.postscriptName).toBe(fk.postscriptName);
      expect(face.unitsPerEm).toBe(fk.unitsPerEm);
      expect(face.ascent).toBe(fk.ascent);
      expect(face.descent).toBe(fk.descent);
      expect(face.italicAngle).toBe(fk.italicAngle);
      expect(face.numGlyphs).toBe(fk.numGlyphs);
      for (const cp of codePoints()) {
        const g = fk.glyphForCodePoint(cp);
        expect(face.glyphId(cp), `U+${cp.toString(16)}`).toBe(g.id);
        expect(face.advance(g.id), `U+${cp.toString(16)}`).toBe(g.advanceWidth);
      }
    });
  }
});

describe('subsetFace', () => {
  it('keeps glyph ids, outlines of the glyphs used (composites included), nothing else', () => {
    const face = loadFace('tinos-regular');
    const text = "Côte d'Ivoire Türkiye Российская Федерация Ελλάδα";
    const cps = [...text].map((c) => c.codePointAt(0) as number);
    const subset = subsetFace(face, cps);
    const full = oracle('tinos-regular');
    const sub = fontkit.create(subset.program) as fontkit.Font;
    for (const cp of cps) {
      const gid = face.glyphId(cp);
      const a = full.getGlyph(gid);
      const b = sub.getGlyph(gid);
      expect(b.path.toSVG(), String.fromCodePoint(cp)).toBe(a.path.toSVG());
      expect(b.advanceWidth).toBe(a.advanceWidth);
      expect(subset.toUnicode.get(gid)).toBe(String.fromCodePoint(cp));
      expect(subset.widths.get(gid)).toBe(Math.round((a.advanceWidth * 1000) / face.unitsPerEm));
    }
    // A glyph not asked for is empty.
    const unused = face.glyphId('Z'.codePointAt(0) as number);
    expect(unused).toBeLessThan(sub.numGlyphs);
    expect(sub.getGlyph(unused).path.commands.length).toBe(0);
    expect(subset.program.length).toBeLessThan(60_000);
    expect(subset.tag).toMatch(/^[A-Z]{6}$/);
  });

  it('is deterministic and tags depend on the glyph set', () => {
    const face = loadFace('tinos-bold');
    const a = subsetFace(face, [65, 66, 67]);
    const b = subsetFace(face, [67, 66, 65, 65]);
    const c = subsetFace(face, [65, 66, 68]);
    expect(a.program.equals(b.program)).toBe(true);
    expect(a.tag).toBe(b.tag);
    expect(c.tag).not.toBe(a.tag);
  });

  it('writes valid table checksums', () => {
    const { program } = subsetFace(loadFace('tinos-italic'), [72, 105]);
    const sum = (buf: Buffer): number => {
      let s = 0;
      for (let i = 0; i < buf.length; i += 4) s = (s + buf.readUInt32BE(i)) >>> 0;
      return s;
    };
    // The whole file sums to the magic number once checkSumAdjustment is in place.
    const padded = Buffer.concat([program, Buffer.alloc((4 - (program.length % 4)) % 4)]);
    expect(sum(padded)).toBe(0xb1b0afba);
    const n = program.readUInt16BE(4);
    for (let i = 0; i < n; i++) {
      const rec = 12 + 16 * i;
      const tag = program.toString('latin1', rec, rec + 4);
      if (tag === 'head') continue;
      const off = program.readUInt32BE(rec + 8);
      const len = program.readUInt32BE(rec + 12);
      const body = Buffer.concat([program.subarray(off, off + len), Buffer.alloc((4 - (len % 4)) % 4)]);
      expect(sum(body), tag).toBe(program.readUInt32BE(rec + 4));
    }
  });
});

describe('subsetGlyphs on the Arabic and Chinese faces', () => {
  for (const id of ['amiri-regular', 'notoSerifSC-bold'] as const) {
    it(`keeps the outlines of ${id} (composites included) and maps each glyph to its text`, () => {
      const face = loadFace(id);
      const full = oracle(id);
      const text = id.startsWith('amiri') ? 'السلام عليكم' : '会议在维也纳举行。';
      const run = full.layout(text);
      const gids = run.glyphs.map((g) => g.id);
      const subset = subsetGlyphs(face, gids, (gid) => (gid === gids[0] ? 'X' : undefined));
      const sub = fontkit.create(subset.program) as fontkit.Font;
      for (const gid of gids) {
        expect(sub.getGlyph(gid).path.toSVG()).toBe(full.getGlyph(gid).path.toSVG());
        if (full.getGlyph(gid).path.commands.length > 0)
          expect(sub.getGlyph(gid).path.commands.length).toBeGreaterThan(0);
      }
      expect(subset.toUnicode.get(gids[0] as number)).toBe('X');
      expect(subset.program.length).toBeLessThan(id.startsWith('noto') ? 400_000 : 120_000);
    });
  }
});

describe('a large face is read glyph by glyph', () => {
  it('Noto Serif SC: a Chinese subset reads a small part of the 15 MB file, and is byte for byte the subset made from the whole file', () => {
    const id: FontId = 'notoSerifSC-bold';
    const sentence = '联合国反腐败公约缔约国会议，维也纳，2012年10月22日至23日。';
    const cps = [...sentence].map((c) => c.codePointAt(0) as number);
    const lazy = loadFace(id);
    const before = lazy.bytesRead;
    const size = readFileSync(faceFilePath(id)).length;
    expect(before).toBeLessThan(size / 4); // every table but glyf
    const fromParts = subsetFace(lazy, cps).program;
    expect(lazy.bytesRead - before).toBeLessThan(200_000); // the glyphs drawn, not the 13 MB of glyf
    const whole = parseTrueType(id, readFileSync(faceFilePath(id)));
    expect(whole.bytesRead).toBe(size);
    expect(Buffer.compare(subsetFace(whole, cps).program, fromParts)).toBe(0);
    // HarfBuzz is handed the whole file: every byte, as read at once.
    expect(Buffer.compare(lazy.wholeData(), whole.data)).toBe(0);
    expect(lazy.bytesRead).toBe(size);
  });
});
