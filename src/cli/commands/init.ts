import { Command } from 'commander';
import { z } from 'zod';
import { relative } from 'node:path';
import { parsePlainDate } from '../../dates.js';
import { UserError } from '../../errors.js';
import { CONVENTIONS, type Convention } from '../../states/index.js';
import { UN_LANGUAGES } from '../../states/names.js';
import {
  categoryOverrides,
  initExample,
  planWorkspace,
  writeWorkspace,
  type InitPlan,
  type InitResult,
  type InitAnswers,
} from '../../workspace/init.js';
import type { Category } from '../../workspace/recipients.js';
import { makeIo, printJson, type Io } from '../io.js';
import { input, select } from '../prompts.js';

const text = z.string().optional();
const initOptions = z.object({
  example: text,
  yes: z.boolean().optional(),
  json: z.boolean().optional(),
  title: text,
  place: text,
  start: text,
  end: text,
  deadline: text,
  date: text,
  series: text,
  office: text,
  first: text,
  author: text,
  letterhead: text,
  convention: text,
  address: text,
  fax: text,
  email: text,
  website: text,
  category: z.array(z.string()).optional(),
  language: text,
});
type InitFlags = z.infer<typeof initOptions>;

/** A reference series as nv.yaml takes it (reference.series). */
const SERIES = /^[A-Z][A-Z0-9]*$/;

type Question = {
  key: keyof InitFlags;
  flag: string;
  ask: string;
  default?: string;
  date?: boolean;
  /** May be left empty (nv init then says it is missing). */
  optional?: boolean;
  check?: (v: string) => true | string;
};

const QUESTIONS: Question[] = [
  { key: 'title', flag: '--title', ask: 'Meeting title, as it stands in a sentence' },
  { key: 'place', flag: '--place', ask: 'Place', default: 'Vienna, Austria' },
  { key: 'start', flag: '--start', ask: 'First day (yyyy-mm-dd)', date: true },
  { key: 'end', flag: '--end', ask: 'Last day (yyyy-mm-dd)', date: true },
  { key: 'deadline', flag: '--deadline', ask: 'Deadline for delegations (yyyy-mm-dd)', date: true },
  { key: 'date', flag: '--date', ask: 'Date of the notes (yyyy-mm-dd)', date: true },
  {
    key: 'series',
    flag: '--series',
    ask: 'Reference series',
    default: 'CU',
    check: (v) => SERIES.test(v) || 'write capital letters and digits, e.g. CU',
  },
  { key: 'office', flag: '--office', ask: 'Office path of the references', default: 'DTA/CEB/CSS' },
  {
    key: 'first',
    flag: '--first',
    ask: 'Next number of the register this year',
    default: '1',
    check: (v) => (/^0*[1-9]\d*$/.test(v.trim()) ? true : 'write a whole number from 1 up, e.g. 150'),
  },
  {
    key: 'author',
    flag: '--author',
    ask: 'Office name (document author)',
    default: 'United Nations Office on Drugs and Crime',
  },
  {
    key: 'letterhead',
    flag: '--letterhead',
    ask: 'Letterhead lines, separated by |',
    default: 'UNODC|United Nations Office on Drugs and Crime',
  },
  {
    key: 'convention',
    flag: '--convention',
    ask: `Convention whose parties are invited (${CONVENTIONS.join(' or ')})`,
    default: 'UNCAC',
    check: (v) =>
      (CONVENTIONS as readonly string[]).includes(v.trim().toUpperCase())
        ? true
        : `write ${CONVENTIONS.join(' or ')}`,
  },
  // The secretariat's contact values the notes print; Enter leaves one empty, to fill in nv.yaml.
  { key: 'address', flag: '--address', ask: 'Postal address of the secretariat', optional: true },
  { key: 'fax', flag: '--fax', ask: 'Fax number of the secretariat', optional: true },
  {
    key: 'email',
    flag: '--email',
    ask: 'E-mail address of the secretariat',
    optional: true,
    check: (v) =>
      !v.trim() || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? true : 'write an e-mail address',
  },
  { key: 'website', flag: '--website', ask: 'Website of the meeting', optional: true },
];

async function answers(io: Io, o: InitFlags): Promise<InitAnswers> {
  const got: Partial<Record<keyof InitFlags, string>> = {};
  const missing: string[] = [];
  for (const q of QUESTIONS) {
    const given = o[q.key] as string | undefined;
    if (given !== undefined) got[q.key] = given;
    else if (io.interactive && !o.yes)
      got[q.key] = await input(q.ask, {
        ...(q.default !== undefined ? { default: q.default } : {}),
        validate: (v) =>
          !v.trim()
            ? q.optional || 'required'
            : q.date && !parsePlainDate(v)
              ? 'write yyyy-mm-dd'
              : (q.check?.(v) ?? true),
      });
    else if (q.default !== undefined) got[q.key] = q.default;
    else if (q.optional) got[q.key] = '';
    else missing.push(q.flag);
  }
  for (const q of QUESTIONS) {
    const bad = q.check?.(got[q.key] ?? '');
    if (typeof bad === 'string') throw new UserError(`${q.flag} ${got[q.key]} is not accepted; ${bad}.`);
  }
  if (missing.length)
    throw new UserError(
      `nv init needs ${missing.join(', ')} when it cannot ask (no terminal, or --yes); pass them, or use --example uncac-2012.`,
    );
  for (const q of QUESTIONS)
    if (q.date && !parsePlainDate(got[q.key]!))
      throw new UserError(`${q.flag} ${got[q.key]} is not a calendar date; write it as yyyy-mm-dd.`);
  // Said here, about the flags the officer gave, rather than later about an nv.yaml line.
  if (got.end! < got.start!)
    throw new UserError(`--end ${got.end} is before --start ${got.start}; give the meeting's last day.`);
  if (!SERIES.test(got.series!))
    throw new UserError(`--series ${got.series} is not a series; write capital letters and digits, e.g. CU.`);
  if (!/^\d+$/.test(got.first!))
    throw new UserError(
      `--first ${got.first} is not a whole number; give the next number of the register, e.g. 150.`,
    );
  const language = (o.language ?? 'en').trim().toLowerCase();
  if (!(UN_LANGUAGES as readonly string[]).includes(language))
    throw new UserError(`--language ${o.language} is not a UN language; write ${UN_LANGUAGES.join(', ')}.`);
  return {
    language: language as InitAnswers['language'],
    title: got.title!,
    place: got.place!,
    start: got.start!,
    end: got.end!,
    deadline: got.deadline!,
    date: got.date!,
    series: got.series!,
    office: got.office!,
    first: Number(got.first),
    author: got.author!,
    letterhead: got
      .letterhead!.split('|')
      .map((s) => s.trim())
      .filter(Boolean),
    convention: got.convention!.trim().toUpperCase() as Convention,
    values: {
      address: got.address!.trim(),
      fax: got.fax!.trim(),
      email: got.email!.trim(),
      website: got.website!.trim(),
    },
  };
}

/**
 * The categories the data cannot tell on the notes' date: on a terminal the officer settles each
 * (or leaves it for recipients.csv); otherwise they stay marked, and nv generate refuses until
 * recipients.csv settles them.
 */
async function settle(io: Io, o: InitFlags, plan: InitPlan): Promise<Map<string, Category>> {
  const decided = categoryOverrides(plan, o.category ?? []);
  if (!io.interactive || o.yes) return decided;
  const { convention, asAt } = plan.states;
  for (const u of plan.states.uncertain) {
    if (decided.has(u.state)) continue;
    const window = u.to ? `on a day between ${u.from} and ${u.to}` : `perhaps from ${u.from} (not confirmed)`;
    io.err(`${u.name} (${u.state}) became a party to ${convention} ${window}; the notes are dated ${asAt}.`);
    if (u.note) io.err(`  The data's note: ${u.note}`);
    const answer = await select<Category | 'later'>(`${u.name}: its category on ${asAt}?`, [
      { name: `party`, value: 'party' },
      { name: `${u.ifNotYet} (not yet a party)`, value: u.ifNotYet },
      { name: 'settle later, in recipients.csv', value: 'later' },
    ]);
    if (answer !== 'later') decided.set(u.state, answer);
  }
  return decided;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function present(io: Io, r: InitResult): void {
  const shown = relative(process.cwd(), r.root) || '.';
  io.err(`Created the workspace ${shown} (${r.recipients} recipients).`);
  if (r.example) io.err(`Recipients: ${r.example.recipients}.`);
  const s = r.states;
  if (s) {
    const c = s.counts;
    io.err(
      `States as at ${s.asAt} (the notes' date): names from ${s.data.names}; ${s.convention} categories from ${s.data.treatyStatus} (checked to ${s.data.treatyDataAsOf}): ${count(c.party, 'party', 'parties')}, ${count(c.signatory, 'signatory', 'signatories')}, ${count(c.observer, 'observer', 'observers')}${c.uncertain ? `, ${c.uncertain} uncertain` : ''}.`,
    );
    for (const w of s.warnings) io.err(`Note: ${w}`);
    for (const d of s.settled) io.err(`${d.state}: category ${d.category}, as you said (category_override).`);
    for (const u of s.unsettled)
      io.err(
        `Uncertain: ${u.name} (${u.state}): ${u.to ? `joined ${s.convention} between ${u.from} and ${u.to}` : `may have joined ${s.convention} from ${u.from}`}; ${u.settle}. nv generate refuses until then.`,
      );
  }
  if (r.values?.fill) io.err(`Not yet filled: ${r.values.missing.join(', ')}; ${r.values.fill}.`);
  if (r.translate) io.err(`To translate: ${r.translate}.`);
  io.err(`Next: nv generate -w ${shown} --dry-run`);
}

export function initCommand(): Command {
  const cmd = new Command('init')
    .description('create a workspace for a meeting (a wizard on a terminal; flags otherwise)')
    .argument('[dir]', 'the folder to create', '.')
    .option(
      '--example <name>',
      'create the example workspace (uncac-2012: the seed note’s meeting and States)',
    )
    .option('-y, --yes', 'ask nothing; take the defaults for what is not given')
    .option(
      '--category <state=category...>',
      "the officer's category for a State, e.g. TON=party (written in recipients.csv's category_override)",
    )
    .option(
      '--language <code>',
      "the notes' language, ar, zh, en, fr, ru or es (notes.language; recipients.csv and the starter invitation in it; default: en)",
    )
    .option('--json', 'print one JSON document on stdout');
  for (const q of QUESTIONS)
    cmd.option(`${q.flag} <value>`, `${q.ask.toLowerCase()}${q.default ? ` (default: ${q.default})` : ''}`);
  cmd.addHelpText(
    'after',
    '\nExamples:\n  nv init demo --example uncac-2012 --yes\n  nv init cop11 --yes --title "eleventh session" --start 2025-12-15 --end 2025-12-19 --deadline 2025-11-14 --date 2025-09-01',
  );
  cmd.action(async (dir: string, raw: unknown) => {
    const o = initOptions.parse(raw);
    const io = makeIo();
    let result: InitResult;
    if (o.example) result = initExample(dir, o.example);
    else {
      const plan = planWorkspace(dir, await answers(io, o));
      result = writeWorkspace(plan, await settle(io, o, plan));
    }
    if (o.json) return printJson(io, result);
    present(io, result);
  });
  return cmd;
}
