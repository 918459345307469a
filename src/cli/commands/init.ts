import { Command } from 'commander';
import { z } from 'zod';
import { relative } from 'node:path';
import { parsePlainDate } from '../../dates.js';
import { UserError } from '../../errors.js';
import { initExample, initWorkspace, type InitAnswers } from '../../workspace/init.js';
import { makeIo, printJson, type Io } from '../io.js';
import { input } from '../prompts.js';

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
});
type InitFlags = z.infer<typeof initOptions>;

/** A reference series as nv.yaml takes it (reference.series). */
const SERIES = /^[A-Z][A-Z0-9]*$/;

const QUESTIONS: { key: keyof InitFlags; flag: string; ask: string; default?: string; date?: boolean }[] = [
  { key: 'title', flag: '--title', ask: 'Meeting title, as it stands in a sentence' },
  { key: 'place', flag: '--place', ask: 'Place', default: 'Vienna, Austria' },
  { key: 'start', flag: '--start', ask: 'First day (yyyy-mm-dd)', date: true },
  { key: 'end', flag: '--end', ask: 'Last day (yyyy-mm-dd)', date: true },
  { key: 'deadline', flag: '--deadline', ask: 'Deadline for delegations (yyyy-mm-dd)', date: true },
  { key: 'date', flag: '--date', ask: 'Date of the notes (yyyy-mm-dd)', date: true },
  { key: 'series', flag: '--series', ask: 'Reference series', default: 'CU' },
  { key: 'office', flag: '--office', ask: 'Office path of the references', default: 'DTA/CEB/CSS' },
  { key: 'first', flag: '--first', ask: 'Next number of the register this year', default: '1' },
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
            ? 'required'
            : q.date && !parsePlainDate(v)
              ? 'write yyyy-mm-dd'
              : q.key === 'series' && !SERIES.test(v)
                ? 'capital letters and digits, e.g. CU'
                : true,
      });
    else if (q.default !== undefined) got[q.key] = q.default;
    else missing.push(q.flag);
  }
  if (missing.length)
    throw new UserError(
      `nv init needs ${missing.join(', ')} when it cannot ask (no terminal, or --yes); pass them, or use --example uncac-2012.`,
    );
  for (const q of QUESTIONS)
    if (q.date && !parsePlainDate(got[q.key]!))
      throw new UserError(`${q.flag} ${got[q.key]} is not a calendar date; write it as yyyy-mm-dd.`);
  if (!SERIES.test(got.series!))
    throw new UserError(`--series ${got.series} is not a series; write capital letters and digits, e.g. CU.`);
  if (!/^\d+$/.test(got.first!))
    throw new UserError(
      `--first ${got.first} is not a whole number; give the next number of the register, e.g. 150.`,
    );
  return {
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
  };
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
    const result = o.example ? initExample(dir, o.example) : initWorkspace(dir, await answers(io, o));
    if (o.json) return printJson(io, result);
    const shown = relative(process.cwd(), result.root) || '.';
    io.err(`Created the workspace ${shown} (${result.recipients} recipients).`);
    io.err(`Next: nv generate -w ${shown} --dry-run`);
  });
  return cmd;
}
