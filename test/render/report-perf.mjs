#!/usr/bin/env node
/**
 * How long the renderers take on a list of participants of N people (default 10,000) in 195
 * States: `npm run build && node test/render/report-perf.mjs [N] [--out DIR]`. Not a test: it
 * prints the times (each format rendered three times, the first run cold) and the page count.
 * The report is built as the export builds it: a cover with the counts table, then per category a
 * heading, per State a group of its heading and first person, then a group per other person.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const t0 = performance.now();
const { renderPdf } = await import('../../dist/render/pdf.js');
const { createDocxRenderer } = await import('../../dist/render/docx.js');
const { UN_STATES } = await import('../../dist/states/index.js');
const loaded = performance.now() - t0;

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : undefined;
const n = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--out') ?? 10000);

const GIVEN = [
  'Maria',
  'José',
  'Ivan',
  'Zoë',
  'François',
  'Ngozi',
  'Mei',
  'Ahmed',
  'Søren',
  'Дмитрий',
  'Анна',
];
const FAMILY = [
  'MÜLLER',
  'DUPONT',
  'IVANOV',
  'ПЕТРОВ',
  'GARCÍA LÓPEZ',
  'NØRGAARD',
  'ÖZTÜRK',
  'OKONJO-IWEALA',
];
const HONORIFIC = ['H.E. Mr.', 'Mr.', 'Ms.', 'Dr.', 'Mme', 'Sr.', 'Sra.'];
const TITLES = [
  'Director, Department of International Law and Treaties',
  'Senior Legal Adviser',
  'Public Prosecutor',
  'First Secretary',
  'Head of Unit, International Cooperation in Criminal Matters, Central Authority for Mutual Legal Assistance',
];
const ORGS = ['Ministry of Justice', 'Ministry of Foreign Affairs', 'Office of the Prosecutor General'];

let seed = 12345;
const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];

const states = UN_STATES.map((s) => s.name);
const people = states.map(() => []);
for (let i = 0; i < n; i++) {
  people[i < states.length ? i : Math.floor(rnd() * states.length)].push({
    name: `${pick(HONORIFIC)} ${pick(GIVEN)} ${pick(FAMILY)}${i}`,
    title: pick(TITLES),
    organization: pick(ORGS),
  });
}
const para = (text, extra) => ({ type: 'paragraph', align: 'left', runs: [{ text }], indent: 18, ...extra });
const person = (p) => [
  para(p.name, { spaceAfter: 0 }),
  para(p.title, { spaceAfter: 0 }),
  para(p.organization, { spaceAfter: 6 }),
];
const categories = [
  ['States parties', states.slice(0, 170)],
  ['Signatory States', states.slice(170, 185)],
  ['Observer States', states.slice(185)],
];
const body = [
  {
    type: 'paragraph',
    align: 'center',
    runs: [{ text: 'Prepared on the basis of information received as at 24 September 2012', italic: true }],
  },
  {
    type: 'table',
    columns: [
      { width: 0.5, align: 'left' },
      { width: 0.25, align: 'right' },
      { width: 0.25, align: 'right' },
    ],
    header: [[{ text: 'Category' }], [{ text: 'States' }], [{ text: 'Participants' }]],
    rows: categories.map(([c, list]) => [[{ text: c }], [{ text: String(list.length) }], [{ text: '?' }]]),
  },
  { type: 'page-break' },
];
for (const [heading, list] of categories) {
  body.push({ type: 'heading', level: 1, runs: [{ text: heading }] });
  for (const state of list) {
    const [first, ...rest] = people[states.indexOf(state)];
    const h = { type: 'heading', level: 2, runs: [{ text: state }] };
    body.push({ type: 'group', blocks: first ? [h, ...person(first)] : [h] });
    for (const p of rest) body.push({ type: 'group', blocks: person(p) });
  }
}
const doc = {
  kind: 'report',
  meta: {
    title: 'List of participants',
    author: 'United Nations Office on Drugs and Crime',
    language: 'en',
    created: new Date(Date.UTC(2012, 9, 22)),
  },
  symbol: 'CAC/COSP/EG.1/2012/INF/2',
  masthead: 'United Nations',
  distribution: ['Distr.: General', '22 October 2012', 'English only'],
  titleLines: [
    [{ text: 'Conference of the States Parties to the United Nations Convention against Corruption' }],
  ],
  body,
  footer: 'V.12-56789 (E)',
};

const time = async (label, fn) => {
  const runs = [];
  let bytes;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    bytes = await fn();
    runs.push(Math.round(performance.now() - t));
  }
  console.log(`${label}: ${runs.join(' / ')} ms (cold / warm / warm), ${(bytes.length / 1e6).toFixed(2)} MB`);
  return bytes;
};

console.log(`${n} participants in ${states.length} States; modules loaded in ${Math.round(loaded)} ms`);
const pdf = await time('PDF ', () => renderPdf(doc));
const pages = Buffer.from(pdf)
  .toString('latin1')
  .match(/\/Type \/Page\b/g).length;
console.log(`      ${pages} pages`);
const docx = await time('DOCX', async () => (await createDocxRenderer(['report'])).render(doc));
if (out) {
  writeFileSync(join(out, 'participants.pdf'), pdf);
  writeFileSync(join(out, 'participants.docx'), docx);
}
