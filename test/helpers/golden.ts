/**
 * Golden images: a PDF page rendered by poppler (`pdftoppm -r 50 -png`) compared with a PNG kept
 * under test/, within a tolerance (share of differing pixels, pixelmatch). `UPDATE_SNAPSHOTS=1`
 * writes or replaces the golden instead. On a mismatch the actual and the diff PNGs are written to
 * a temp dir and named in the error, so they can be looked at.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

/** Default tolerance: at most 0.5 % of the pixels differ (each by more than pixelmatch's 0.1). */
export const MAX_DIFF_SHARE = 0.005;

export const updating = (): boolean => process.env.UPDATE_SNAPSHOTS === '1';

/** Renders page `page` (1-based) of a PDF to a PNG file at `dpi` (default 50); returns its path. */
export function renderPage(pdf: string, page = 1, dpi = 50): string {
  const dir = mkdtempSync(join(tmpdir(), 'nv-png-'));
  const stem = join(dir, `${basename(pdf, '.pdf')}-p${page}`);
  execFileSync('pdftoppm', [
    '-r',
    String(dpi),
    '-png',
    '-f',
    String(page),
    '-l',
    String(page),
    '-singlefile',
    pdf,
    stem,
  ]);
  return `${stem}.png`;
}

export interface GoldenResult {
  /** What happened: compared (within tolerance), or the golden was written. */
  status: 'match' | 'written';
  diffPixels: number;
  share: number;
}

/**
 * Compares a PNG with the golden at `golden`; throws when it differs by more than `maxDiffShare`
 * of the pixels, when the sizes differ, or when there is no golden (unless UPDATE_SNAPSHOTS=1,
 * which writes it).
 */
export function expectMatchesGolden(
  actualPng: string,
  golden: string,
  opts: { maxDiffShare?: number; threshold?: number } = {},
): GoldenResult {
  const maxDiffShare = opts.maxDiffShare ?? MAX_DIFF_SHARE;
  if (updating()) {
    mkdirSync(dirname(golden), { recursive: true });
    copyFileSync(actualPng, golden);
    return { status: 'written', diffPixels: 0, share: 0 };
  }
  if (!existsSync(golden)) {
    throw new Error(
      `no golden image ${golden}: look at ${actualPng}, and if it is right, run the test with UPDATE_SNAPSHOTS=1 to keep it`,
    );
  }
  const actual = PNG.sync.read(readFileSync(actualPng));
  const expected = PNG.sync.read(readFileSync(golden));
  const keep = mkdtempSync(join(tmpdir(), 'nv-golden-'));
  const actualCopy = join(keep, `actual-${basename(golden)}`);
  copyFileSync(actualPng, actualCopy);
  if (actual.width !== expected.width || actual.height !== expected.height) {
    throw new Error(
      `${basename(golden)}: the page is ${actual.width}×${actual.height} px, the golden ${expected.width}×${expected.height} px (actual: ${actualCopy}; UPDATE_SNAPSHOTS=1 replaces the golden)`,
    );
  }
  const { width, height } = actual;
  const diff = new PNG({ width, height });
  const diffPixels = pixelmatch(actual.data, expected.data, diff.data, width, height, {
    threshold: opts.threshold ?? 0.1,
  });
  const share = diffPixels / (width * height);
  if (share > maxDiffShare) {
    const diffPath = join(keep, `diff-${basename(golden)}`);
    writeFileSync(diffPath, PNG.sync.write(diff));
    throw new Error(
      `${basename(golden)}: ${diffPixels} pixels differ (${(share * 100).toFixed(2)} %, tolerance ${(maxDiffShare * 100).toFixed(2)} %); actual: ${actualCopy}, diff: ${diffPath}, golden: ${golden} (UPDATE_SNAPSHOTS=1 replaces it)`,
    );
  }
  return { status: 'match', diffPixels, share };
}

/** Renders a PDF page and compares it with its golden PNG (see expectMatchesGolden). */
export function expectPageMatchesGolden(
  pdf: string,
  page: number,
  golden: string,
  opts: { maxDiffShare?: number; threshold?: number; dpi?: number } = {},
): GoldenResult {
  return expectMatchesGolden(renderPage(pdf, page, opts.dpi ?? 50), golden, opts);
}
