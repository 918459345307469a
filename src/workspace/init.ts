import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { UserError } from '../errors.js';
import { parseConfig, CONFIG_FILE, RECIPIENTS_FILE } from './load.js';
import { findState, NAMES_FILE, TREATY_FILE, type Convention } from '../states/index.js';
import { CATEGORIES, type Category } from './recipients.js';
import type { UnLanguage } from './config.js';
import {
  recipientsAsAt,
  recipientsCsv,
  settleCategories,
  type StatesAsAt,
  type UncertainCategory,
} from './un-recipients.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const STARTER_TEMPLATES = fileURLToPath(new URL('../../templates/starter/', import.meta.url));
export const EXAMPLES = ['uncac-2012', 'uncac-2012-full', 'uncac-2012-multilingual'] as const;

export interface InitAnswers {
  /** The notes' language (notes.language), the language of recipients.csv's lines and of the starter invitation. */
  language?: UnLanguage;
  title: string;
  place: string;
  start: string;
  end: string;
  deadline: string;
  date: string;
  series: string;
  office: string;
  first: number;
  author: string;
  letterhead: string[];
  convention: Convention;
  /** The secretariat's contact values the templates print; empty when not known yet. */
  values: Record<ValueKey, string>;
}

/** The values every new workspace has, which the notes print ("sent to the {{values.address}}"). */
export const VALUE_KEYS = ['address', 'fax', 'email', 'website'] as const;
export type ValueKey = (typeof VALUE_KEYS)[number];

export interface InitResult {
  root: string;
  files: string[];
  recipients: number;
  /** How the States were categorised and named (a new workspace; the examples keep their own). */
  states?: Omit<StatesAsAt, 'lines'> & {
    /** Uncertain categories the officer settled at init, and those left to settle in recipients.csv. */
    settled: { state: string; category: Category }[];
    unsettled: (UncertainCategory & { settle: string })[];
  };
  /** An example keeps its own recipients.csv: what it holds. */
  example?: { convention: Convention; asAt: string; recipients: string };
  /** nv.yaml values left empty, to be filled before the notes can print them, and how. */
  values?: { missing: string[]; fill: string | null };
  /** A workspace in another language than English: what nv wrote in English for the officer to translate. */
  translate?: string;
}

/** A new workspace computed but not written: the officer may still settle uncertain categories. */
export interface InitPlan {
  root: string;
  text: string;
  states: StatesAsAt;
}

/** Creates the workspace folder; a path that cannot be one is the user's to change (exit 2). */
function makeRoot(root: string): void {
  try {
    mkdirSync(root, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new UserError(`${root} cannot be made a workspace folder (${code}); choose another folder.`);
  }
}

function refuseExisting(root: string): void {
  if (existsSync(join(root, CONFIG_FILE)))
    throw new UserError(
      `${root} already holds an nv workspace (${CONFIG_FILE}); choose another folder, or work in this one.`,
    );
}

function copyTree(from: string, to: string, files: string[], base: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    // The scripts that make a fixture, and their material, stay in the project.
    if (e.name.endsWith('.mjs') || e.name === 'make' || e.name === 'README.md') continue;
    const src = join(from, e.name);
    const dst = join(to, e.name);
    if (e.isDirectory()) copyTree(src, dst, files, base);
    else {
      copyFileSync(src, dst);
      files.push(dst.slice(base.length + 1));
    }
  }
}

/** Creates the example workspace (`uncac-2012`: the meeting and States of the seed note). */
export function initExample(dir: string, example: string): InitResult {
  if (!(EXAMPLES as readonly string[]).includes(example))
    throw new UserError(`There is no example "${example}"; the examples are ${EXAMPLES.join(', ')}.`);
  const root = resolve(dir);
  refuseExisting(root);
  makeRoot(root);
  const files: string[] = [];
  copyTree(join(FIXTURES, example), root, files, root);
  mkdirSync(join(root, 'templates'), { recursive: true }); // for the workspace's own templates
  const csv = join(root, RECIPIENTS_FILE);
  // One header line, then one line per recipient (the example has no quoted line breaks).
  const recipients = existsSync(csv) ? readFileSync(csv, 'utf8').trimEnd().split('\n').length - 1 : 0;
  const config = parseConfig(readFileSync(join(root, CONFIG_FILE), 'utf8'), CONFIG_FILE);
  return {
    root,
    files: files.sort(),
    recipients,
    example: {
      convention: config.meeting.convention,
      asAt: config.notes.date,
      recipients: `the example's own ${RECIPIENTS_FILE}: ${config.meeting.convention} categories and UN names as at ${config.notes.date}, as nv init computes them from ${TREATY_FILE} and ${NAMES_FILE}`,
    },
  };
}

/** Computes a new workspace from answers, writing nothing: nv.yaml's text and the States as at the notes' date. */
export function planWorkspace(dir: string, a: InitAnswers): InitPlan {
  const root = resolve(dir);
  refuseExisting(root);
  const config = {
    meeting: {
      key:
        a.title
          .toLowerCase()
          .normalize('NFKD')
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '')
          .slice(0, 40) || 'meeting',
      title: a.title,
      place: a.place,
      start: a.start,
      end: a.end,
      deadline: a.deadline,
      timezone: 'Europe/Vienna',
      convention: a.convention,
      meetings: [{ key: 'main', name: a.title, aliases: [], start: a.start, end: a.end }],
    },
    sender: { letterhead: a.letterhead, author: a.author, footer: '' },
    reference: {
      series: a.series,
      office: a.office,
      format: '{series} {year}/{seq}{variant}/{office}',
      first: a.first,
    },
    notes: { date: a.date, language: a.language ?? 'en', template: 'invitation' },
    values: {
      website: a.values.website,
      address: a.values.address,
      fax: a.values.fax,
      email: a.values.email,
    },
    rules: {},
  };
  const states = recipientsAsAt(a.date, a.convention);
  for (const l of states.lines) l.language = a.language ?? 'en';
  const text =
    `# nv workspace (see the README for every key)\n` +
    `# recipients.csv: the States as at ${a.date} (the notes' date), named as the UN named them that day\n` +
    `# (${states.data.names}), in their ${a.convention} category that day (${states.data.treatyStatus},\n` +
    `# checked to ${states.data.treatyDataAsOf}). Override a category in its category_override column.\n` +
    stringify(config);
  parseConfig(text, CONFIG_FILE); // refuse answers that would make an invalid workspace
  return { root, text, states };
}

/**
 * The officer's categories given as `STATE=CATEGORY` (`TON=party`, `Türkiye=observer`), for
 * States of the plan; every mistake at once.
 */
export function categoryOverrides(plan: InitPlan, specs: readonly string[]): Map<string, Category> {
  const out = new Map<string, Category>();
  const problems: string[] = [];
  for (const spec of specs) {
    const m = /^(.+?)=(.+)$/.exec(spec.trim());
    const st = m && findState(m[1]!);
    const line = st && plan.states.lines.find((l) => l.state === st.iso3);
    const category = m?.[2]!.trim().toLowerCase();
    if (!m) problems.push(`--category ${spec} is not STATE=CATEGORY; write e.g. --category TON=party.`);
    else if (!line)
      problems.push(
        `--category ${spec}: "${m[1]}" is not one of the States of this workspace; write its ISO3 code.`,
      );
    else if (!(CATEGORIES as readonly string[]).includes(category!))
      problems.push(`--category ${spec}: the category must be one of ${CATEGORIES.join(', ')}.`);
    else out.set(line.state, category as Category);
  }
  if (problems.length) throw new UserError(problems[0]!, { details: problems.slice(1) });
  return out;
}

/** Writes a planned workspace: nv.yaml, recipients.csv, templates/, attachments/. */
export function writeWorkspace(
  plan: InitPlan,
  settled: ReadonlyMap<string, Category> = new Map(),
): InitResult {
  const { root, text, states } = plan;
  refuseExisting(root);
  makeRoot(root);
  mkdirSync(join(root, 'templates'), { recursive: true });
  mkdirSync(join(root, 'attachments'), { recursive: true });
  writeFileSync(join(root, CONFIG_FILE), text);
  // The built-in invitation is the seed note's text, with its own meeting's background; a new
  // meeting starts from a short invitation of its own, in its templates/, to be written out.
  // In the workspace's language (notes.language).
  const config = parseConfig(text, CONFIG_FILE);
  const starter = `invitation.${config.notes.language}.md`;
  copyFileSync(join(STARTER_TEMPLATES, starter), join(root, 'templates', starter));
  settleCategories(states.lines, settled);
  writeFileSync(join(root, RECIPIENTS_FILE), recipientsCsv(states.lines));
  const missing = VALUE_KEYS.filter((k) => String(config.values[k] ?? '').trim() === '').map(
    (k) => `values.${k}`,
  );
  const { lines, ...summary } = states;
  return {
    root,
    files: [CONFIG_FILE, RECIPIENTS_FILE, 'templates/', 'attachments/'],
    recipients: lines.length,
    states: {
      ...summary,
      settled: [...settled].map(([state, category]) => ({ state, category })),
      unsettled: states.uncertain
        .filter((u) => !settled.has(u.state))
        .map((u) => ({
          ...u,
          settle: `write party or ${u.ifNotYet} in the category_override column of ${RECIPIENTS_FILE} line ${u.line}, or pass --category ${u.state}=party (or =${u.ifNotYet}) to nv init`,
        })),
    },
    ...(config.notes.language !== 'en'
      ? {
          translate: `${RECIPIENTS_FILE}'s addressees are in English ("Permanent Representative of … to the United Nations (Vienna)"); write the addressees in ${config.notes.language} as they stand in templates/invitation.${config.notes.language}.md's first sentence before generating`,
        }
      : {}),
    values: {
      missing,
      fill: missing.length
        ? `write ${missing.join(', ')} in ${CONFIG_FILE} (the notes print them), or pass ${missing.map((m) => `--${m.slice('values.'.length)}`).join(', ')} to nv init`
        : null,
    },
  };
}

/** Creates a workspace from answers, leaving uncertain categories for the officer to settle in recipients.csv. */
export function initWorkspace(dir: string, a: InitAnswers): InitResult {
  return writeWorkspace(planWorkspace(dir, a));
}
