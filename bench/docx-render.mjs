// DOCX rendering speed: 200 notes of ~600 words (the seed note with a varying recipient).
//
//   npx tsc -p tsconfig.build.json && node bench/docx-render.mjs [--count N] [--write] [--baseline]
//
// --write     also writes the files to bench/out/docx/ (to open them, or convert with LibreOffice)
// --baseline  also times the docx library alone (Packer.toBuffer) on the same notes
//
// Prints the time to load the renderer, the first note (builds the static parts), the batch, and a
// SHA-256 over all outputs: run twice (or with another TZ) and compare it to check determinism.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--count') + 1]) || 200;
const write = args.includes('--write');
const baseline = args.includes('--baseline');

const RECIPIENTS = [
  "Côte d'Ivoire",
  'Türkiye',
  'Russian Federation (Российская Федерация)',
  'United Kingdom of Great Britain and Northern Ireland',
  'Bolivia (Plurinational State of)',
  'Saint Vincent & the Grenadines',
];

const FILLER =
  'As the Government is also invited to participate in the UNTOC working group, and in view of the ' +
  'cross-cutting issues for discussion in both meetings, the Government may wish to take all appropriate ' +
  'measures to enable the participation of its national experts in both the UNTOC working group and the ' +
  'UNCAC expert meeting.';

function note(i) {
  const recipient = `${RECIPIENTS[i % RECIPIENTS.length]} ${i}`;
  const p = (...runs) => ({ type: 'paragraph', align: 'justify', runs });
  return {
    meta: {
      title: `Note verbale CU 2012/150(A)/DTA/CEB/CSS – ${recipient}`,
      author: 'United Nations Office on Drugs and Crime',
      language: 'en-GB',
      subject: 'Expert meeting on international cooperation',
      created: new Date(Date.UTC(2012, 7, 15)),
    },
    letterhead: ['UNODC', 'United Nations Office on Drugs and Crime'],
    referenceLine: 'Reference: CU 2012/150(A)/DTA/CEB/CSS',
    body: [
      p({
        text:
          `The Secretary-General of the United Nations presents his compliments to the Permanent Mission of ${recipient} ` +
          'and has the honour to draw the attention of the Government to resolution 4/2, entitled “Convening of ' +
          'open-ended intergovernmental expert meetings to enhance international cooperation”, of the Conference ' +
          'of the States Parties to the United Nations Convention against Corruption, adopted at its fourth session ' +
          'which was held in Marrakech, Morocco, from 24 to 28 October 2011.',
      }),
      p({
        text:
          'In resolution 4/2, the Conference decided to convene open-ended intergovernmental expert meetings on ' +
          'international cooperation to advise and assist it with respect to extradition and mutual legal ' +
          'assistance, and to convene one such meeting during its fifth session and, prior to that, within existing ' +
          'resources, at least one intersessional meeting.',
      }),
      p({ text: 'In the same resolution, the Conference also decided that the expert meetings shall:' }),
      {
        type: 'list',
        ordered: true,
        items: [
          [
            {
              text: 'assist it in developing cumulative knowledge in the area of international cooperation;',
            },
          ],
          [{ text: 'facilitate the exchange of experiences among States;' }],
          [{ text: 'assist the Conference in identifying the capacity-building needs of States.' }],
        ],
      },
      p({ text: FILLER }, { text: ' ' + FILLER }),
      p(
        {
          text:
            'In accordance with the above resolution, the Government is cordially invited to participate in the first ' +
            'open-ended intergovernmental expert meeting on international cooperation, which will be held in Vienna, ' +
            'Austria, from ',
        },
        { text: '22 to 23 October 2012', bold: true },
        { text: '.' },
      ),
      p({ text: FILLER + ' ' + FILLER }),
      p({ text: FILLER + ' ' + FILLER }),
      p({
        text: 'Further information can be accessed through the following address:',
      }),
      {
        type: 'paragraph',
        align: 'center',
        runs: [
          {
            text: 'http://www.unodc.org/unodc/en/treaties/CAC/em-internationalcooperation.html',
            link: 'http://www.unodc.org/unodc/en/treaties/CAC/em-internationalcooperation.html',
          },
        ],
      },
      p(
        {
          text:
            "It would be appreciated if the Government's response to this invitation could be sent directly to the " +
            'Secretariat of the Conference of the States Parties, United Nations Office on Drugs and Crime, P.O. Box ' +
            '500, 1400 Vienna, Austria, Fax: +43-1 26060 5841, or a scanned copy to e-mail: ',
        },
        { text: 'UNCAC.COP@unodc.org', link: 'mailto:UNCAC.COP@unodc.org' },
        {
          text:
            '. Information on the composition of the Government’s delegation should be provided to the Office as ' +
            'soon as possible and not later than ',
        },
        { text: '24 September 2012', bold: true },
        { text: '.' },
      ),
    ],
    dateLine: 'Vienna, 15 August 2012',
    footer: 'Making the world safer from drugs, crime and terrorism',
    enclosures: 2,
    attachments: [],
  };
}

const notes = Array.from({ length: count }, (_, i) => note(i));
const words = notes[0].body
  .flatMap((b) => (b.type === 'paragraph' ? [b.runs] : b.items))
  .flat()
  .map((r) => r.text)
  .join(' ')
  .split(/\s+/).length;

let t = performance.now();
const { createDocxRenderer } = await import('../dist/render/docx.js');
const loadMs = performance.now() - t;

const renderer = await createDocxRenderer(['note']);
t = performance.now();
const first = renderer.render(notes[0]);
const firstMs = performance.now() - t;

const outputs = [first];
const cpu0 = process.cpuUsage();
t = performance.now();
for (let i = 1; i < notes.length; i++) outputs.push(renderer.render(notes[i]));
const restMs = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
const restCpuMs = (cpu.user + cpu.system) / 1000;

const hash = createHash('sha256');
for (const o of outputs) hash.update(o);
const total = firstMs + restMs;
const bytes = outputs.reduce((n, o) => n + o.length, 0);

const ms = (x) => `${x.toFixed(1)} ms`;
console.log(`notes: ${count} (~${words} words each), ${Math.round(bytes / count)} bytes per DOCX`);
console.log(`load renderer (docx + fflate): ${ms(loadMs)}`);
console.log(`first note (builds static parts): ${ms(firstMs)}`);
console.log(`other ${count - 1} notes: ${ms(restMs)} (${(restMs / (count - 1)).toFixed(3)} ms/note)`);
console.log(
  `  CPU for those: ${ms(restCpuMs)} (${(restCpuMs / (count - 1)).toFixed(3)} ms/note; less sensitive to a busy machine)`,
);
console.log(`all ${count} notes: ${ms(total)} (${(total / count).toFixed(3)} ms/note)`);
console.log(`sha256 of all outputs: ${hash.digest('hex')}`);
console.log(`peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);

if (write) {
  const dir = new URL('./out/docx/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  outputs.forEach((o, i) => writeFileSync(new URL(`note-${String(i).padStart(3, '0')}.docx`, dir), o));
  console.log(`written to ${dir.pathname}`);
}

if (baseline) {
  const { Packer } = await import('docx');
  const { buildLibraryDocument } = await import('../dist/render/docx-library.js');
  t = performance.now();
  for (const n of notes) await Packer.toBuffer(buildLibraryDocument(n));
  const libMs = performance.now() - t;
  console.log(`baseline, docx library Packer.toBuffer: ${ms(libMs)} (${(libMs / count).toFixed(3)} ms/note)`);
}
