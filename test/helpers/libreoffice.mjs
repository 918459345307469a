// LibreOffice as a second reader of nv's DOCX: converts DOCX to PDF with `soffice --headless`,
// many files in one call, with nv's own fonts. Plain JavaScript (types in libreoffice.d.mts) so that
// both the tests and the bench scripts (node bench/*.mjs, no TypeScript loader) use the same code.
//
// LibreOffice gets a throw-away profile (-env:UserInstallation) and a throw-away HOME whose
// .fonts/ holds the TTFs nv embeds, taken from their npm packages (fontconfig reads ~/.fonts), so
// a DOCX that names "Tinos", "Amiri" or "Noto Serif SC" is set in those faces and not in a
// substitute. Packages that are not installed are left out (fontFiles says which were found).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, extname, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

/** The npm packages of the faces nv sets its documents in (issue 8), by family name. */
export const FONT_PACKAGES = {
  Tinos: '@expo-google-fonts/tinos',
  Amiri: '@expo-google-fonts/amiri',
  'Noto Serif SC': '@expo-google-fonts/noto-serif-sc',
};

/** The weights nv uses: regular and bold, upright and italic (other weights are not copied). */
const USED = /_(400Regular|700Bold)(_Italic)?\.ttf$/i;

/** `soffice` on the PATH (or SOFFICE), or null when LibreOffice is not installed. */
export function sofficePath() {
  if (process.env.SOFFICE && existsSync(process.env.SOFFICE)) return process.env.SOFFICE;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'soffice'))) return join(dir, 'soffice');
  }
  return null;
}

/** Why LibreOffice tests are skipped here, or null when they can run. */
export function whyNoLibreOffice() {
  return sofficePath()
    ? null
    : 'LibreOffice (soffice) is not installed: the DOCX-through-LibreOffice checks are skipped (Debian: apt-get install libreoffice-writer-nogui)';
}

function ttfsUnder(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...ttfsUnder(p));
    else if (extname(e.name).toLowerCase() === '.ttf' && USED.test(e.name)) out.push(p);
  }
  return out.sort();
}

/**
 * nv's font files found in node_modules: { found: {family: [paths]}, missing: [family] }.
 * A family whose package is not installed (e.g. before issue 8's fonts are merged) is missing.
 */
export function fontFiles(root = ROOT) {
  const found = {};
  const missing = [];
  for (const [family, pkg] of Object.entries(FONT_PACKAGES)) {
    const dir = join(root, 'node_modules', ...pkg.split('/'));
    const files = existsSync(dir) ? ttfsUnder(dir) : [];
    if (files.length) found[family] = files;
    else missing.push(family);
  }
  return { found, missing };
}

/** A HOME for LibreOffice whose .fonts/ holds nv's TTFs (linked, or copied where links fail). */
function fontHome(base, root) {
  const home = join(base, 'home');
  const fonts = join(home, '.fonts');
  mkdirSync(fonts, { recursive: true });
  for (const file of Object.values(fontFiles(root).found).flat()) {
    const to = join(fonts, basename(file));
    try {
      symlinkSync(file, to);
    } catch {
      copyFileSync(file, to);
    }
  }
  return home;
}

/**
 * Converts DOCX files to PDF in ONE soffice call. Returns the PDF paths, in the order of `docx`,
 * in `outDir` (a new temp dir when not given). Throws with soffice's output when a file was not
 * converted. Options: outDir, timeoutMs (default 10 min), root (whose node_modules has the fonts),
 * keep (do not delete the temp HOME and profile), wrap (a command soffice is run under, e.g.
 * ['/usr/bin/time', '-f', '%e %M']), onResult (called with spawnSync's result).
 */
export function convertToPdf(docx, opts = {}) {
  const soffice = sofficePath();
  if (!soffice) throw new Error(whyNoLibreOffice());
  const root = opts.root ?? ROOT;
  const base = mkdtempSync(join(tmpdir(), 'nv-lo-'));
  const outDir = opts.outDir ?? join(base, 'pdf');
  mkdirSync(outDir, { recursive: true });
  const home = fontHome(base, root);
  const names = docx.map((f) => basename(f, extname(f)));
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`two DOCX files are named ${twice}: their PDFs would overwrite each other`);
  try {
    const wrap = opts.wrap ?? [];
    const r = spawnSync(
      wrap[0] ?? soffice,
      [
        ...wrap.slice(1),
        ...(wrap.length ? [soffice] : []),
        `-env:UserInstallation=file://${join(base, 'profile')}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'pdf',
        '--outdir',
        outDir,
        ...docx.map((f) => resolve(f)),
      ],
      {
        encoding: 'utf8',
        timeout: opts.timeoutMs ?? 600_000,
        maxBuffer: 64 * 2 ** 20,
        env: {
          ...process.env,
          HOME: home,
          XDG_CONFIG_HOME: join(home, '.config'),
          XDG_CACHE_HOME: join(home, '.cache'),
          XDG_DATA_HOME: join(home, '.local', 'share'),
        },
      },
    );
    opts.onResult?.(r);
    const pdfs = names.map((n) => join(outDir, `${n}.pdf`));
    const missing = pdfs.filter((p) => !existsSync(p));
    if (r.status !== 0 || missing.length) {
      throw new Error(
        `soffice --convert-to pdf: exit ${r.status ?? r.signal}, ${missing.length} of ${pdfs.length} not converted (${missing
          .slice(0, 3)
          .map((p) => basename(p))
          .join(', ')})\n${(r.stdout ?? '').slice(-2000)}${(r.stderr ?? '').slice(-2000)}`,
      );
    }
    return pdfs;
  } finally {
    if (!opts.keep) {
      rmSync(join(base, 'home'), { recursive: true, force: true });
      rmSync(join(base, 'profile'), { recursive: true, force: true });
    }
  }
}
