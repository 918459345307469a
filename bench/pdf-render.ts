/**
 * Micro benchmark of the PDF renderer: 200 and 2000 notes (the addressee varies per copy);
 * prints wall ms, CPU ms and peak RSS. tsx is not installed, so compile it outside the tree:
 *   mkdir -p /tmp/pdfbench && ln -sfn "$PWD/node_modules" /tmp/pdfbench/node_modules
 *   echo '{"type":"module"}' > /tmp/pdfbench/package.json
 *   npx tsc -p tsconfig.json --outDir /tmp/pdfbench/out
 *   node /tmp/pdfbench/out/bench/pdf-render.js [count...]
 */
import { createPdfRenderer } from '../src/render/pdf.js';
import type { NoteDocument } from '../src/render/document.js';
import { sampleNote } from '../test/render/sample-note.js';

const STATES = [
  'Austria',
  'Côte d’Ivoire',
  'Türkiye',
  'the Russian Federation (Российская Федерация)',
  'Greece (Ελλάδα)',
  'Brazil',
  'Japan',
  'Kenya',
];

function docs(n: number): NoteDocument[] {
  return Array.from({ length: n }, (_, i) =>
    sampleNote({
      addressee: `Permanent Mission of ${STATES[i % STATES.length]} No. ${i + 1} to the United Nations`,
    }),
  );
}

async function run(n: number): Promise<void> {
  const batch = docs(n);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const renderer = await createPdfRenderer(batch);
  const t1 = performance.now();
  let bytes = 0;
  let pages = 0;
  for (const doc of batch) {
    const pdf = await renderer.render(doc);
    bytes += pdf.length;
    pages += 1;
  }
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const rss = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `${n} notes: prepare ${(t1 - t0).toFixed(1)} ms, render ${(t2 - t1).toFixed(1)} ms ` +
      `(${((t2 - t1) / n).toFixed(2)} ms/note), CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, ` +
      `${(bytes / pages / 1024).toFixed(1)} KB/note, peak RSS ${rss.toFixed(0)} MB\n`,
  );
}

const counts = process.argv.slice(2).map(Number);
for (const n of counts.length > 0 ? counts : [200, 2000]) await run(n);
const all = process.cpuUsage();
process.stdout.write(
  `process: ${performance.now().toFixed(0)} ms since start, CPU ${((all.user + all.system) / 1000).toFixed(0)} ms\n`,
);
