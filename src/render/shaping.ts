/**
 * Complex-script shaping (Arabic: joining forms, lam-alef, marks, mirrored brackets) with
 * HarfBuzz, the shaper of the browsers and of LibreOffice, compiled to WebAssembly (harfbuzzjs).
 *
 * Why not fontkit (nv shaped with it before): fontkit decodes Amiri's GSUB and GPOS tables into
 * JavaScript objects once per face (~0.3 s CPU for the regular, bold and italic faces of a batch)
 * and runs its lookups cold; HarfBuzz reads the tables in place and shapes a word in a few
 * microseconds. It also applies Unicode's bidi mirroring in a right-to-left run, which fontkit
 * does not ("(فيينا)" was drawn with its brackets turned outwards).
 *
 * harfbuzzjs instantiates its WebAssembly module with a top-level await, so it is loaded by an
 * asynchronous step before layout (`loadShaping`), and only when a batch has text to shape (an
 * English batch never loads it). Glyph ids are those of the face's own file (the same bytes as
 * fonts.ts reads), so nv's subsetter and ToUnicode CMap keep working by glyph id.
 */
import { loadFace, type FontFace, type FontId } from './fonts.js';

type HarfBuzz = typeof import('harfbuzzjs');
type HbFont = InstanceType<HarfBuzz['Font']>;
type HbBuffer = InstanceType<HarfBuzz['Buffer']>;

/**
 * Whether a run is shaped right to left as Arabic: its first character of a script (not Common
 * nor Inherited: digits, punctuation, the Arabic comma and marks are neither) is Arabic. The
 * same rule as fontkit's and HarfBuzz's own guess, so "2012" or "4/2،" stays left to right.
 */
export function shapesRightToLeft(text: string): boolean {
  const first = FIRST_OF_A_SCRIPT.exec(text);
  return first !== null && ARABIC_SCRIPT.test(first[0]);
}
const FIRST_OF_A_SCRIPT = /[^\p{Script=Common}\p{Script=Inherited}]/u;
const ARABIC_SCRIPT = /\p{Script=Arabic}/u;

let harfBuzz: HarfBuzz | undefined;
let loading: Promise<void> | undefined;

export function shapingLoaded(): boolean {
  return harfBuzz !== undefined;
}

/** Load HarfBuzz once per process (~25 ms: the WebAssembly module). */
export async function loadShaping(): Promise<void> {
  if (harfBuzz) return;
  loading ??= import('harfbuzzjs').then((m) => {
    harfBuzz = m;
  });
  await loading;
}

/** One glyph as drawn, in visual order; advance and offsets in font units. */
export interface ShapedGlyph {
  readonly gid: number;
  readonly xAdvance: number;
  readonly xOffset: number;
  readonly yOffset: number;
  /**
   * The characters the glyph stands for (a ligature: all of them; a glyph shaping inserted, or
   * the second glyph of a character shaping split: ""), for the ToUnicode CMap.
   */
  readonly text: string;
}

const fonts = new Map<FontId, HbFont>();
let buffer: HbBuffer | undefined;

function hbFont(hb: HarfBuzz, face: FontFace): HbFont {
  let font = fonts.get(face.name);
  if (!font) {
    // The face's bytes as fonts.ts read them: HarfBuzz copies them once into its own memory.
    font = new hb.Font(new hb.Face(new hb.Blob(face.wholeData()), 0));
    fonts.set(face.name, font);
  }
  return font;
}

/**
 * Shape a run of one face, glyphs in visual order. A run at an odd bidi level (`rtl`), or with
 * Arabic letters, is shaped right to left: HarfBuzz reverses it and mirrors its brackets (a run
 * at one odd level holds no left-to-right text: digits resolve to an even level). A run of
 * Arabic script gets script arab, language ar; any other run the script HarfBuzz guesses.
 */
export function shapeRun(font: FontId, text: string, rtl: boolean): ShapedGlyph[] {
  const hb = harfBuzz;
  if (!hb) throw new Error('HarfBuzz is not loaded: call loadShaping() before laying out');
  const face = loadFace(font);
  const arabic = shapesRightToLeft(text);
  const backwards = rtl || arabic;
  const buf = (buffer ??= new hb.Buffer());
  buf.clearContents();
  // Each character its own cluster (a mark apart from its base): the text of each glyph.
  buf.setClusterLevel(hb.ClusterLevel.MONOTONE_CHARACTERS);
  buf.addText(text);
  buf.setDirection(backwards ? hb.Direction.RTL : hb.Direction.LTR);
  if (arabic) {
    buf.setScript('arab');
    buf.setLanguage('ar');
  } else {
    buf.guessSegmentProperties();
  }
  hb.shape(hbFont(hb, face), buf);
  const infos = buf.getGlyphInfos();
  const positions = buf.getGlyphPositions();
  const glyphs: ShapedGlyph[] = [];

  // Cluster values are UTF-16 offsets into `text`; a cluster's text runs to the next cluster.
  const starts = [...new Set(infos.map((g) => g.cluster))].sort((x, y) => x - y);
  const clusterText = new Map<number, string>();
  starts.forEach((c, k) => clusterText.set(c, text.slice(c, starts[k + 1] ?? text.length)));
  // What each glyph stands for. A glyph of the cmap stands for its own character when its
  // cluster has it (a mark that normalisation merged into its base's cluster); the first other
  // glyph of the cluster in logical order stands for the rest (a joining form, a ligature; a
  // mirrored bracket for the character typed, so that text is extracted in logical order), the
  // others for nothing (a glyph shaping inserted).
  const texts: string[] = new Array<string>(infos.length).fill('');
  const rest = new Map(clusterText);
  const logical = backwards ? infos.map((_, i) => infos.length - 1 - i) : infos.map((_, i) => i);
  const unclaimed: number[] = [];
  for (const i of logical) {
    const info = infos[i] as { codepoint: number; cluster: number };
    const own = face.codePointOf(info.codepoint);
    const ownText = own === undefined ? '' : String.fromCodePoint(own);
    const left = rest.get(info.cluster) as string;
    if (ownText !== '' && left.includes(ownText)) {
      texts[i] = ownText;
      rest.set(info.cluster, left.replace(ownText, ''));
    } else unclaimed.push(i);
  }
  for (const i of unclaimed) {
    const c = (infos[i] as { cluster: number }).cluster;
    texts[i] = rest.get(c) as string;
    rest.set(c, '');
  }
  infos.forEach((info, i) => {
    const pos = positions[i] as { xAdvance: number; xOffset: number; yOffset: number };
    glyphs.push({
      gid: info.codepoint,
      xAdvance: pos.xAdvance,
      xOffset: pos.xOffset,
      yOffset: pos.yOffset,
      text: texts[i] as string,
    });
  });
  return glyphs;
}
