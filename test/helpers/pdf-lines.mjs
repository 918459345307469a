// Lines of a PDF as poppler sees them (`pdftotext -bbox-layout`), the paragraphs of a DOCX, and
// how many lines each paragraph takes in a PDF: to compare nv's PDF with LibreOffice's rendering
// of nv's DOCX (issue 8: "line count per paragraph equal in at least 95 % of paragraphs").
// Plain JavaScript (types in pdf-lines.d.mts), shared by the tests and bench/line-count.mjs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function unescapeXml(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e) => {
    if (e[0] === '#')
      return String.fromCodePoint(
        e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)),
      );
    return ENTITIES[e] ?? m;
  });
}

/**
 * The lines of a PDF, in poppler's reading order: { page, block, text, xMin, xMax, yMin, yMax }
 * (text = the line's words joined by a space; block = the block's index on its page).
 */
export function pdfLines(pdf, opts = {}) {
  const args = ['-bbox-layout'];
  if (opts.first) args.push('-f', String(opts.first));
  if (opts.last) args.push('-l', String(opts.last));
  const html = execFileSync('pdftotext', [...args, pdf, '-'], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  return parseBboxLayout(html);
}

/** Parses `pdftotext -bbox-layout` output (exported for tests of the parser). */
export function parseBboxLayout(html) {
  const lines = [];
  let page = 0;
  let block = -1;
  const re =
    /<page\b|<block\b|<line\s+xMin="([\d.-]+)"\s+yMin="([\d.-]+)"\s+xMax="([\d.-]+)"\s+yMax="([\d.-]+)">([\s\S]*?)<\/line>/g;
  for (const m of html.matchAll(re)) {
    if (m[0] === '<page') {
      page++;
      block = -1;
    } else if (m[0] === '<block') block++;
    else {
      const words = [...m[5].matchAll(/<word\b[^>]*>([\s\S]*?)<\/word>/g)].map((w) => unescapeXml(w[1]));
      lines.push({
        page,
        block,
        text: words.join(' '),
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
      });
    }
  }
  return lines;
}

/** The text of each non-empty paragraph of a DOCX's body (tabs and breaks as spaces), in order. */
export function docxParagraphs(docx) {
  const files = unzipSync(new Uint8Array(readFileSync(docx)));
  const xml = strFromU8(files['word/document.xml']);
  const out = [];
  for (const p of xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)) {
    let text = '';
    for (const m of p[0].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:(tab|br|cr)\b[^>]*\/>/g))
      text += m[1] !== undefined ? unescapeXml(m[1]) : ' ';
    text = text.replace(/\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  return out;
}

/**
 * Text reduced to what survives any rendering: NFKC, no spaces, no soft or hard hyphens, no
 * direction marks or embeddings (pdftotext wraps right-to-left runs in U+202B … U+202C).
 */
export function squeeze(s) {
  return s
    .normalize('NFKC')
    .replace(/[\s\u00ad\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff]/g, '')
    .replace(/[-\u2010\u2011]/g, '');
}

/**
 * How many lines of `lines` each paragraph takes: walks the lines in order; a paragraph starts at
 * the first line (from where the last one ended, skipping at most `skip` lines: letterheads,
 * running heads, page numbers) whose text begins the paragraph's, and goes on while the following
 * lines continue it (lines that do not, e.g. a page number between two pages of the paragraph,
 * are stepped over, at most `skip` in a row). null when the paragraph is not found whole.
 */
export function lineCounts(paragraphs, lines, opts = {}) {
  const skip = opts.skip ?? 6;
  const texts = lines.map((l) => squeeze(l.text));
  let at = 0;
  return paragraphs.map((p) => {
    const want = squeeze(p);
    if (!want) return null;
    let start = -1;
    for (let i = at; i < Math.min(texts.length, at + skip + 1); i++) {
      if (texts[i] && want.startsWith(texts[i])) {
        start = i;
        break;
      }
    }
    if (start < 0) return null;
    let rest = want.slice(texts[start].length);
    let count = 1;
    let i = start + 1;
    let stepped = 0;
    while (rest && i < texts.length && stepped <= skip) {
      if (texts[i] && rest.startsWith(texts[i])) {
        rest = rest.slice(texts[i].length);
        count++;
        stepped = 0;
      } else stepped++;
      i++;
    }
    if (rest) return null;
    at = i;
    return count;
  });
}

/**
 * Compares the line count of each paragraph in two renderings: { total, equal, share (0..1),
 * rows: [{ text, a, b }], mismatches: rows where a !== b or either is null }.
 */
export function compareLineCounts(paragraphs, linesA, linesB) {
  const a = lineCounts(paragraphs, linesA);
  const b = lineCounts(paragraphs, linesB);
  const rows = paragraphs.map((text, i) => ({ text, a: a[i], b: b[i] }));
  const equal = rows.filter((r) => r.a !== null && r.a === r.b).length;
  return {
    total: rows.length,
    equal,
    share: rows.length ? equal / rows.length : 1,
    rows,
    mismatches: rows.filter((r) => r.a === null || r.a !== r.b),
  };
}
