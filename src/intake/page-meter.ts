/**
 * Measures one PDF page as its content is painted: how much of the page images cover, how many
 * glyphs are shown visibly and invisibly (an OCR layer), and how many visible glyphs an opaque image
 * painted later hides. Two readers drive it: the pdf-lib content-stream walk and, for encrypted
 * files, pdfjs-dist's operator list.
 *
 * Geometry is kept as axis-aligned boxes in default user space (the page's coordinates): an image
 * is the box around its unit square under the current transformation matrix, clipped to the
 * CropBox, to rectangle clips (`re W n`, a form's BBox) and then united with the other images.
 */

/** [a b c d e f], as PDF writes it: x' = a·x + c·y + e, y' = b·x + d·y + f. */
export type Matrix = [number, number, number, number, number, number];

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PageMeasurements {
  /** Share of the CropBox that images cover, 0–1 (the union: overlapping images count once). */
  imageCoverage: number;
  /** Glyphs shown with a render mode that paints (not 3, not 7). */
  visibleGlyphs: number;
  /** Glyphs shown with render mode 3 (invisible) or 7 (clip only): an OCR text layer. */
  invisibleGlyphs: number;
  /** Visible glyphs painted before an opaque image that then covers the point where they start. */
  textUnderImage: number;
  /** Images painted (image XObjects, inline images, stencil masks), however small. */
  images: number;
  /** Paths filled or stroked, and shadings painted: drawings, rules, text turned into outlines. */
  vectorPaths: number;
}

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** m × n: first m, then n. */
export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

function boxOf(m: Matrix, box: Box): Box {
  const pts = [
    apply(m, box.x0, box.y0),
    apply(m, box.x1, box.y0),
    apply(m, box.x0, box.y1),
    apply(m, box.x1, box.y1),
  ];
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

function intersect(a: Box, b: Box): Box | null {
  const r = {
    x0: Math.max(a.x0, b.x0),
    y0: Math.max(a.y0, b.y0),
    x1: Math.min(a.x1, b.x1),
    y1: Math.min(a.y1, b.y1),
  };
  return r.x1 > r.x0 && r.y1 > r.y0 ? r : null;
}

const area = (b: Box): number => (b.x1 - b.x0) * (b.y1 - b.y0);

const finite = (n: number): boolean => Number.isFinite(n) && Math.abs(n) < 1e9;

/** Area of the union of boxes: exact sweep over x-slabs; a 512×512 grid past a few thousand boxes. */
export function unionArea(boxes: Box[], within: Box): number {
  if (boxes.length === 0) return 0;
  if (boxes.length > 2000) {
    const n = 512;
    const w = (within.x1 - within.x0) / n;
    const h = (within.y1 - within.y0) / n;
    const grid = new Uint8Array(n * n);
    for (const b of boxes) {
      const i0 = Math.max(0, Math.floor((b.x0 - within.x0) / w));
      const i1 = Math.min(n, Math.ceil((b.x1 - within.x0) / w));
      const j0 = Math.max(0, Math.floor((b.y0 - within.y0) / h));
      const j1 = Math.min(n, Math.ceil((b.y1 - within.y0) / h));
      for (let j = j0; j < j1; j++) grid.fill(1, j * n + i0, j * n + i1);
    }
    let cells = 0;
    for (const c of grid) cells += c;
    return (cells / (n * n)) * area(within);
  }
  const xs = [...new Set(boxes.flatMap((b) => [b.x0, b.x1]))].sort((a, b) => a - b);
  let total = 0;
  for (let i = 0; i + 1 < xs.length; i++) {
    const xa = xs[i] as number;
    const xb = xs[i + 1] as number;
    const spans = boxes
      .filter((b) => b.x0 <= xa && b.x1 >= xb)
      .map((b) => [b.y0, b.y1] as const)
      .sort((p, q) => p[0] - q[0]);
    let covered = 0;
    let start = -Infinity;
    let end = -Infinity;
    for (const [y0, y1] of spans) {
      if (y0 > end) {
        covered += end - start > 0 && Number.isFinite(start) ? end - start : 0;
        start = y0;
        end = y1;
      } else if (y1 > end) end = y1;
    }
    if (Number.isFinite(start)) covered += end - start;
    total += covered * (xb - xa);
  }
  return total;
}

interface GraphicsState {
  ctm: Matrix;
  clip: Box | null; // null: nothing is visible (an empty clip)
  renderMode: number;
  leading: number;
  /** The clip is (also) the outlines of glyphs (render modes 4–7): what is painted next shows as those glyphs. */
  textClip: TextClip | null;
}

/** Glyphs added to the clip by one text object; `hidden` of them were shown invisibly (mode 7). */
interface TextClip {
  glyphs: number;
  hidden: number;
  revealed: boolean;
}

interface Shown {
  x: number;
  y: number;
  glyphs: number;
  under: boolean;
}

/** Bounds on what one page may cost: a hostile file cannot make a measurement unbounded. */
const MAX_SHOWS_TRACKED = 100_000;
const MAX_IMAGES_TRACKED = 20_000;

export class PageMeter {
  readonly cropBox: Box;
  private gs: GraphicsState;
  private readonly stack: GraphicsState[] = [];
  private textMatrix: Matrix = IDENTITY;
  private lineMatrix: Matrix = IDENTITY;
  private pathBox: Box | null = null;
  private clipPending = false;
  private pendingTextClip: TextClip | null = null;
  private readonly imageBoxes: Box[] = [];
  private readonly shown: Shown[] = [];
  private visible = 0;
  private invisible = 0;
  private hidden = 0;
  private imageCount = 0;
  private paths = 0;

  constructor(cropBox: Box) {
    this.cropBox = cropBox;
    this.gs = { ctm: IDENTITY, clip: cropBox, renderMode: 0, leading: 0, textClip: null };
  }

  save(): void {
    if (this.stack.length < 1000) this.stack.push({ ...this.gs });
  }

  restore(): void {
    const top = this.stack.pop();
    if (top) this.gs = top;
  }

  transform(m: Matrix): void {
    if (m.every(finite)) this.gs.ctm = multiply(m, this.gs.ctm);
  }

  /** Clip to a rectangle given in the current user space (a Form XObject's BBox). */
  clipToBox(box: Box): void {
    if (![box.x0, box.y0, box.x1, box.y1].every(finite)) return;
    const device = boxOf(this.gs.ctm, box);
    this.gs.clip = this.gs.clip ? intersect(this.gs.clip, device) : null;
  }

  setRenderMode(mode: number): void {
    if (Number.isInteger(mode)) this.gs.renderMode = mode;
  }

  setLeading(leading: number): void {
    if (finite(leading)) this.gs.leading = leading;
  }

  beginText(): void {
    this.textMatrix = IDENTITY;
    this.lineMatrix = IDENTITY;
    this.pendingTextClip = null;
  }

  /** `ET`: glyphs shown in a clipping render mode (4–7) now clip what follows (PDF 32000 §9.3.6). */
  endText(): void {
    const pending = this.pendingTextClip;
    this.pendingTextClip = null;
    if (pending && pending.glyphs > 0) this.gs.textClip = pending;
  }

  setTextMatrix(m: Matrix): void {
    if (!m.every(finite)) return;
    this.textMatrix = m;
    this.lineMatrix = m;
  }

  moveText(tx: number, ty: number): void {
    if (!finite(tx) || !finite(ty)) return;
    this.lineMatrix = multiply([1, 0, 0, 1, tx, ty], this.lineMatrix);
    this.textMatrix = this.lineMatrix;
  }

  nextLine(): void {
    this.moveText(0, -this.gs.leading);
  }

  /** `glyphs` glyphs shown at the current text position. */
  showGlyphs(glyphs: number): void {
    if (!(glyphs > 0)) return;
    const mode = this.gs.renderMode;
    if (mode >= 4 && mode <= 7) {
      this.pendingTextClip ??= { glyphs: 0, hidden: 0, revealed: false };
      this.pendingTextClip.glyphs += glyphs;
      if (mode === 7) this.pendingTextClip.hidden += glyphs;
    }
    if (mode === 3 || mode === 7) {
      this.invisible += glyphs;
      return;
    }
    this.visible += glyphs;
    if (this.shown.length < MAX_SHOWS_TRACKED) {
      const [x, y] = apply(multiply(this.textMatrix, this.gs.ctm), 0, 0);
      this.shown.push({ x, y, glyphs, under: false });
    }
  }

  /**
   * An image fills the unit square of the current user space. `opaque` is false for stencil masks
   * and images with a soft mask or colour-key mask: those do not hide what lies under them.
   */
  paintImage(opaque: boolean): void {
    this.imageCount++;
    // Inside glyph outlines an image shows as those glyphs: typed words, whatever paints them.
    if (this.revealTextClip()) return;
    const clip = this.gs.clip;
    if (!clip || !this.gs.ctm.every(finite)) return;
    const box = intersect(boxOf(this.gs.ctm, { x0: 0, y0: 0, x1: 1, y1: 1 }), clip);
    if (!box) return;
    if (this.imageBoxes.length < MAX_IMAGES_TRACKED) this.imageBoxes.push(box);
    if (!opaque) return;
    for (const s of this.shown) {
      if (!s.under && s.x >= box.x0 && s.x <= box.x1 && s.y >= box.y0 && s.y <= box.y1) {
        s.under = true;
        this.hidden += s.glyphs;
      }
    }
  }

  /** A point or rectangle added to the current path, in user space. */
  pathPoint(x: number, y: number): void {
    if (!finite(x) || !finite(y)) return;
    const [px, py] = apply(this.gs.ctm, x, y);
    const b = this.pathBox;
    this.pathBox = b
      ? { x0: Math.min(b.x0, px), y0: Math.min(b.y0, py), x1: Math.max(b.x1, px), y1: Math.max(b.y1, py) }
      : { x0: px, y0: py, x1: px, y1: py };
  }

  pathRect(x: number, y: number, w: number, h: number): void {
    this.pathPoint(x, y);
    this.pathPoint(x + w, y + h);
  }

  /** `W` or `W*`: the current path becomes a clip when it is painted (or ended with `n`). */
  clipPath(): void {
    this.clipPending = true;
  }

  /** The current path is painted (`painted`) or just ended (`n`). */
  endPath(painted: boolean): void {
    if (painted) {
      this.paths++;
      this.revealTextClip();
    }
    if (this.clipPending) {
      const box = this.pathBox;
      this.gs.clip = box && this.gs.clip ? intersect(this.gs.clip, box) : null;
    }
    this.clipPending = false;
    this.pathBox = null;
  }

  /** `sh`: a shading fills the clip region. */
  paintShading(): void {
    this.paths++;
    this.revealTextClip();
  }

  /**
   * Painting through a text clip makes its glyphs visible: glyphs shown with mode 7 (clip only)
   * then count as visible text, once. True when the current clip is made of glyphs.
   */
  private revealTextClip(): boolean {
    const clip = this.gs.textClip;
    if (!clip) return false;
    if (!clip.revealed) {
      clip.revealed = true;
      this.invisible -= clip.hidden;
      this.visible += clip.hidden;
    }
    return true;
  }

  result(): PageMeasurements {
    const pageArea = area(this.cropBox);
    const covered = pageArea > 0 ? unionArea(this.imageBoxes, this.cropBox) / pageArea : 0;
    return {
      imageCoverage: Math.min(1, Math.round(covered * 10000) / 10000),
      visibleGlyphs: this.visible,
      invisibleGlyphs: this.invisible,
      textUnderImage: this.hidden,
      images: this.imageCount,
      vectorPaths: this.paths,
    };
  }
}

/** A box from four numbers (any corner order) with more than `minArea` area, or null. */
export function toBox(values: readonly number[], minArea = 1): Box | null {
  if (values.length !== 4 || !values.every(finite)) return null;
  const [a, b, c, d] = values as [number, number, number, number];
  const box = { x0: Math.min(a, c), y0: Math.min(b, d), x1: Math.max(a, c), y1: Math.max(b, d) };
  return area(box) > minArea ? box : null;
}
