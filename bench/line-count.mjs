#!/usr/bin/env node
// Does Word's copy break lines where nv's PDF does? The same English note (the example's
// invitation) as nv's DOCX converted to PDF by LibreOffice (with nv's fonts from node_modules, see
// test/helpers/libreoffice.mjs) and as nv's own PDF: the number of lines each paragraph of the
// DOCX takes in either PDF (pdftotext -bbox-layout; paragraphs found by their text), and the
// share of paragraphs with equal counts (issue 8's target: at least 95 %). The conversion is
// done twice to see whether LibreOffice's lines are the same each time (deterministic enough to
// be a test). Needs `npm run build`, LibreOffice and poppler-utils.
//
//   node bench/line-count.mjs [--only AFG,FRA] [--record]
//
// --record appends the results, with the machine, date and commit, to bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { machine, revision } from './context.mjs';
import { convertToPdf, ROOT, whyNoLibreOffice } from '../test/helpers/libreoffice.mjs';
import { compareLineCounts, docxParagraphs, pdfLines } from '../test/helpers/pdf-lines.mjs';

const NV = join(ROOT, 'bin', 'nv.js');
const OUT = join(ROOT, 'bench', 'out', 'line-count');
const args = process.argv.slice(2);
const only = (args.includes('--only') ? args[args.indexOf('--only') + 1] : 'AFG').split(',');
const record = args.includes('--record');

const why = whyNoLibreOffice();
if (why) {
  console.error(why);
  process.exit(1);
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const ws = join(OUT, 'ws');
const env = { ...process.env, CI: 'true' };
execFileSync(process.execPath, [NV, 'init', ws, '--example', 'uncac-2012', '--yes'], { env, stdio: 'pipe' });
const gen = JSON.parse(
  execFileSync(
    process.execPath,
    [NV, 'generate', '-w', ws, '--yes', '--json', '--format', 'docx,pdf', '--only', only.join(',')],
    { env, encoding: 'utf8' },
  ),
);
const notes = gen.notes.map((n) => {
  const docx = join(
    ws,
    n.files.find((f) => f.endsWith('.docx')),
  );
  return { state: n.state, docx, pdf: docx.replace(/\.docx$/, '.pdf') };
});

const first = convertToPdf(
  notes.map((n) => n.docx),
  { outDir: join(OUT, 'lo-1') },
);
const second = convertToPdf(
  notes.map((n) => n.docx),
  { outDir: join(OUT, 'lo-2') },
);
const same = first.every((p, i) => JSON.stringify(pdfLines(p)) === JSON.stringify(pdfLines(second[i])));

const fontsOf = (pdf) =>
  [
    ...new Set(
      execFileSync('pdffonts', [pdf], { encoding: 'utf8' })
        .split('\n')
        .slice(2)
        .map((l) => l.split(/\s+/)[0]?.replace(/^[A-Z]{6}\+/, ''))
        .filter(Boolean),
    ),
  ].join(', ');

const report = [];
let total = 0;
let equal = 0;
for (const [i, n] of notes.entries()) {
  const paragraphs = docxParagraphs(n.docx);
  const c = compareLineCounts(paragraphs, pdfLines(n.pdf), pdfLines(first[i]));
  total += c.total;
  equal += c.equal;
  report.push({ ...n, lo: first[i], c });
  console.log(
    `${n.state}: ${c.equal} of ${c.total} paragraphs with equal line counts (${(c.share * 100).toFixed(0)} %)`,
  );
  console.log(`  nv's PDF fonts: ${fontsOf(n.pdf)}\n  LibreOffice's PDF fonts: ${fontsOf(first[i])}`);
  for (const m of c.mismatches)
    console.log(`  nv ${m.a ?? 'not found'} / LibreOffice ${m.b ?? 'not found'}: ${m.text.slice(0, 80)}`);
}
const share = total ? equal / total : 1;
console.log(
  `all: ${equal} of ${total} paragraphs (${(share * 100).toFixed(1)} %, target ≥ 95 %); LibreOffice's lines the same in two conversions: ${same ? 'yes' : 'NO'}`,
);

if (record) {
  const lo = execFileSync('soffice', ['--version'], { encoding: 'utf8' }).trim();
  const md = [
    `\n## line count per paragraph, nv's PDF vs LibreOffice's PDF of nv's DOCX — ${machine()}`,
    '',
    `\`node bench/line-count.mjs${only.join(',') === 'AFG' ? '' : ` --only ${only.join(',')}`}\` on ${revision(ROOT)}; ${lo}. Paragraphs are the DOCX's non-empty paragraphs, found in each PDF by their text (\`pdftotext -bbox-layout\` lines). LibreOffice's lines the same in two conversions: ${same ? 'yes' : 'no'}.`,
    '',
    `**${equal} of ${total} paragraphs with equal line counts: ${(share * 100).toFixed(1)} %** (target ≥ 95 %).`,
    '',
    ...report.flatMap((r) => [
      `${r.state}: nv's PDF in ${fontsOf(r.pdf)}; LibreOffice's in ${fontsOf(r.lo)}.`,
      '',
      '| lines in nv | lines in LibreOffice | paragraph |',
      '| ---: | ---: | --- |',
      ...r.c.rows.map(
        (m) =>
          `| ${m.a ?? '–'} | ${m.b ?? '–'} | ${m.a === m.b && m.a !== null ? '' : '**≠** '}${m.text.slice(0, 70).replace(/\|/g, '\\|')}${m.text.length > 70 ? '…' : ''} |`,
      ),
      '',
    ]),
  ].join('\n');
  appendFileSync(join(ROOT, 'bench', 'RESULTS.md'), md);
}
