import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { UserError } from '../errors.js';
import { parseConfig, CONFIG_FILE, RECIPIENTS_FILE } from './load.js';
import { recipientsCsv, recipientsFromUnStates } from './un-recipients.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const STARTER_TEMPLATES = fileURLToPath(new URL('../../templates/starter/', import.meta.url));
export const EXAMPLES = ['uncac-2012', 'uncac-2012-full'] as const;

export interface InitAnswers {
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
}

export interface InitResult {
  root: string;
  files: string[];
  recipients: number;
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
  return { root, files: files.sort(), recipients };
}

/** Creates a workspace from answers: nv.yaml, recipients.csv (the 195 States), templates/, attachments/. */
export function initWorkspace(dir: string, a: InitAnswers): InitResult {
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
      meetings: [{ key: 'main', name: a.title, aliases: [], start: a.start, end: a.end }],
    },
    sender: { letterhead: a.letterhead, author: a.author, footer: '' },
    reference: {
      series: a.series,
      office: a.office,
      format: '{series} {year}/{seq}{variant}/{office}',
      first: a.first,
    },
    notes: { date: a.date, language: 'en', template: 'invitation' },
    values: { website: '', address: '', fax: '', email: '' },
    rules: {},
  };
  const text = `# nv workspace (see the README for every key)\n${stringify(config)}`;
  parseConfig(text, CONFIG_FILE); // refuse answers that would make an invalid workspace
  makeRoot(root);
  mkdirSync(join(root, 'templates'), { recursive: true });
  mkdirSync(join(root, 'attachments'), { recursive: true });
  writeFileSync(join(root, CONFIG_FILE), text);
  // The built-in invitation is the seed note's text, with its own meeting's background; a new
  // meeting starts from a short invitation of its own, in its templates/, to be written out.
  copyFileSync(join(STARTER_TEMPLATES, 'invitation.en.md'), join(root, 'templates', 'invitation.en.md'));
  const lines = recipientsFromUnStates(a.date);
  writeFileSync(join(root, RECIPIENTS_FILE), recipientsCsv(lines));
  return {
    root,
    files: [CONFIG_FILE, RECIPIENTS_FILE, 'templates/', 'attachments/'],
    recipients: lines.length,
  };
}
