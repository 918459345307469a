/**
 * A list of participants as a ReportDocument, built the way the export builds it: the cover (title
 * lines, "as at" line, the table of counts), then per category a heading, per State a group of its
 * heading and first person, then a group per other person. Deterministic for a given size.
 */
import type { Block, ReportDocument, Run } from '../../src/render/document.js';
import { UN_STATES } from '../../src/states/index.js';

export interface SamplePerson {
  name: string;
  title: string;
  organization: string;
}

export interface SampleDelegation {
  state: string;
  people: SamplePerson[];
}

export interface SampleCategory {
  heading: string;
  delegations: SampleDelegation[];
}

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
  'Łukasz',
  'Çağla',
  'Дмитрий',
  'Анна',
  'Thomas',
  'Aïcha',
  'Grzegorz',
  'Håkon',
  'Ελένη',
];
const FAMILY = [
  'MÜLLER',
  'DUPONT',
  'IVANOV',
  'ПЕТРОВ',
  'GARCÍA LÓPEZ',
  'NØRGAARD',
  'ÖZTÜRK',
  'KOWALSKI',
  'SMITH',
  'OKONJO-IWEALA',
  'TANAKA',
  'SOKOLOVA',
  'BEN SALEM',
  'DE LA FUENTE',
  'ΠΑΠΑΔΟΠΟΥΛΟΥ',
  'ŠIMONOVIĆ',
];
const HONORIFIC = ['H.E. Mr.', 'Mr.', 'Ms.', 'Dr.', 'Mr.', 'Ms.', 'Mme', 'Sr.', 'Sra.'];
const TITLES = [
  'Director, Department of International Law and Treaties',
  'Senior Legal Adviser',
  'Public Prosecutor',
  'Judge, Supreme Court',
  'First Secretary',
  'Ambassador, Permanent Representative',
  'Head of Unit, International Cooperation in Criminal Matters, Central Authority for Mutual Legal Assistance and Extradition',
  'Counsellor',
  'Chief Inspector',
];
const ORGANIZATIONS = [
  'Ministry of Justice',
  'Ministry of Foreign Affairs',
  'Office of the Prosecutor General',
  'Permanent Mission to the United Nations (Vienna)',
  'National Anti-Corruption Commission',
  'Министерство юстиции',
];

/** A deterministic pseudo-random sequence (a linear congruential generator). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** `participants` people spread over `states` States in four categories. */
export function sampleCategories(participants: number, states = 195): SampleCategory[] {
  const r = random(participants * 7919 + states);
  const names = UN_STATES.slice(0, states).map((s) => s.name);
  const per = new Array<number>(names.length).fill(0);
  for (let i = 0; i < participants; i++) per[i < names.length ? i : Math.floor(r() * names.length)]! += 1;
  const delegations: SampleDelegation[] = names.map((state, i) => ({
    state,
    people: Array.from({ length: per[i] ?? 0 }, () => ({
      name: `${pick(r, HONORIFIC)} ${pick(r, GIVEN)} ${pick(r, FAMILY)}`,
      title: pick(r, TITLES),
      organization: pick(r, ORGANIZATIONS),
    })),
  }));
  const withPeople = delegations.filter((d) => d.people.length > 0);
  const signatories = withPeople.filter((_, i) => i % 17 === 5);
  const observers = withPeople.filter((_, i) => i % 41 === 7 && i % 17 !== 5);
  const parties = withPeople.filter((d) => !signatories.includes(d) && !observers.includes(d));
  return [
    { heading: 'States parties', delegations: parties },
    { heading: 'Signatory States', delegations: signatories },
    { heading: 'Observer States', delegations: observers },
  ].filter((c) => c.delegations.length > 0);
}

const para = (text: string, extra: Partial<Extract<Block, { type: 'paragraph' }>> = {}): Block => ({
  type: 'paragraph',
  align: 'left',
  runs: [{ text }],
  ...extra,
});

/** One person: name, title, organization on their own lines, kept together. */
export function personBlocks(p: SamplePerson): Block[] {
  return [
    para(p.name, { spaceAfter: 0, indent: 18 }),
    para(p.title, { spaceAfter: 0, indent: 18 }),
    para(p.organization, { spaceAfter: 6, indent: 18 }),
  ];
}

export function participantsBody(categories: SampleCategory[]): Block[] {
  const body: Block[] = [];
  const total = categories.reduce((n, c) => n + c.delegations.reduce((m, d) => m + d.people.length, 0), 0);
  const cell = (text: string, bold = false): Run[] => [bold ? { text, bold } : { text }];
  body.push(
    {
      type: 'paragraph',
      align: 'center',
      runs: [{ text: 'Prepared on the basis of information received as at 24 September 2012', italic: true }],
      spaceAfter: 12,
    },
    {
      type: 'table',
      columns: [
        { width: 0.5, align: 'left' },
        { width: 0.25, align: 'right' },
        { width: 0.25, align: 'right' },
      ],
      header: [cell('Category'), cell('States'), cell('Participants')],
      rows: [
        ...categories.map((c) => [
          cell(c.heading),
          cell(String(c.delegations.length)),
          cell(String(c.delegations.reduce((m, d) => m + d.people.length, 0))),
        ]),
        [
          cell('Total', true),
          cell(String(categories.reduce((n, c) => n + c.delegations.length, 0)), true),
          cell(String(total), true),
        ],
      ],
    },
    { type: 'page-break' },
    { type: 'heading', level: 1, align: 'center', runs: [{ text: 'List of participants' }] },
  );
  for (const category of categories) {
    body.push({ type: 'heading', level: 1, runs: [{ text: category.heading }] });
    for (const d of category.delegations) {
      const [first, ...rest] = d.people;
      const heading: Block = { type: 'heading', level: 2, runs: [{ text: d.state }] };
      body.push({ type: 'group', blocks: first ? [heading, ...personBlocks(first)] : [heading] });
      for (const p of rest) body.push({ type: 'group', blocks: personBlocks(p) });
    }
  }
  return body;
}

export function sampleReport(participants = 60, states = 24): ReportDocument {
  return reportOf(sampleCategories(participants, states));
}

export function reportOf(categories: SampleCategory[]): ReportDocument {
  return {
    kind: 'report',
    meta: {
      title: 'List of participants – CAC/COSP/EG.1/2012/INF/2',
      author: 'United Nations Office on Drugs and Crime',
      language: 'en',
      subject: 'Open-ended intergovernmental expert meeting on international cooperation',
      created: new Date(Date.UTC(2012, 9, 22)),
    },
    symbol: 'CAC/COSP/EG.1/2012/INF/2',
    masthead: 'United Nations',
    distribution: ['Distr.: General', '22 October 2012', '', 'English only'],
    titleLines: [
      [{ text: 'Conference of the States Parties to the United Nations Convention against Corruption' }],
      [{ text: 'Open-ended intergovernmental expert meeting on international cooperation' }],
      [{ text: 'Vienna, 22 and 23 October 2012' }],
    ],
    body: participantsBody(categories),
    footer: 'V.12-56789 (E)',
  };
}
