/**
 * Golden CLI transcripts: what a person sees for the main commands and their refusals, the way
 * arethetypeswrong keeps its CLI honest. Each case runs the built CLI in a fresh small workspace
 * and compares the whole transcript (command, stdout, stderr, exit code) with
 * test/cli/transcripts/NAME.txt. After an intended change of wording, regenerate them with
 *
 *   UPDATE_SNAPSHOTS=1 npx vitest run test/cli/transcripts.test.ts
 *
 * and read the diff: it is the change a user will see.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nv, ROOT, tempDir } from '../helpers/cli.js';

const GOLDEN = join(import.meta.dirname, 'transcripts');
const UPDATE = !!process.env.UPDATE_SNAPSHOTS;
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Step {
  args: string[];
  /** Run in the folder above the workspace instead of the workspace itself. */
  inDir?: boolean;
  env?: Record<string, string>;
}

interface Case {
  name: string;
  /** Before the recorded steps; may return what to undo afterwards. */
  setup?: (ws: string) => void | (() => void);
  /** No workspace is created (for nv init itself). */
  bare?: boolean;
  steps: Step[];
}

const registerOf = (ws: string) => join(ws, '.nv', 'registry.sqlite');

/** Three recipients instead of 195, so that the transcripts stay readable. */
function smallWorkspace(): { dir: string; ws: string } {
  const dir = tempDir('nv-transcript-');
  const r = nv(['init', 'ws', '--example', 'uncac-2012', '--yes'], { cwd: dir });
  if (r.code !== 0) throw new Error(r.stderr);
  const ws = join(dir, 'ws');
  const csv = readFileSync(join(ws, 'recipients.csv'), 'utf8').split('\n');
  writeFileSync(join(ws, 'recipients.csv'), csv.slice(0, 4).join('\n') + '\n');
  return { dir, ws };
}

const generateAfg = (ws: string) => {
  const r = nv(['generate', '--only', 'AFG', '--format', 'pdf', '--yes'], { cwd: ws });
  if (r.code !== 0) throw new Error(r.stderr);
};

const CASES: Case[] = [
  { name: 'version', bare: true, steps: [{ args: ['--version'] }] },
  {
    name: 'init',
    bare: true,
    steps: [
      { args: ['init', 'ws', '--example', 'uncac-2012', '--yes'] },
      { args: ['init', 'other', '--yes'] },
      { args: ['init', 'other', '--yes', '--json'] },
      { args: ['init', 'other', '--example', 'nowhere'] },
      {
        args: ['init', 'other', '--yes', '--title', 't', '--start', '2026-01-01', '--end', '2026-01-02'],
      },
      {
        args: [
          'init',
          'other',
          '--yes',
          ...['--title', 't', '--start', '2026-01-01', '--end', '2026-01-02'],
          ...['--deadline', '2025-12-01', '--date', '2025-11-01', '--series', 'cu'],
        ],
      },
    ],
  },
  {
    name: 'generate-dry-run',
    steps: [
      { args: ['generate', '--dry-run'] },
      { args: ['generate', '--dry-run', '--only', 'ALB', '--json'] },
      { args: ['generate', '--dry-run', '--format', 'odt'] },
      { args: ['generate', '--dry-run', '--only', 'Atlantis', '--json'] },
      { args: ['generate', '--dry-run', '--date', '2012-02-30'] },
    ],
  },
  {
    name: 'ref',
    setup: generateAfg,
    steps: [
      { args: ['ref', 'list'] },
      { args: ['ref', 'list', '--json'] },
      { args: ['ref', 'show', '150'] },
      { args: ['ref', 'show', '999', '--json'] },
      { args: ['ref', 'log', '-n', 'abc'] },
      { args: ['ref', 'log', '-n', 'abc', '--json'] },
      { args: ['ref', 'set-next', 'ten'] },
      { args: ['ref', 'set-next', '300', '--series', 'cu', '--json'] },
      { args: ['ref', 'list', '--bogus', '--json'] },
    ],
  },
  {
    name: 'status',
    setup: generateAfg,
    steps: [
      { args: ['status'] },
      { args: ['status', '--missing', '--json'] },
      { args: ['reply', 'list'] },
      { args: ['reply', 'list', '--status', 'bogus'] },
      { args: ['reply', 'list', '--status', 'bogus', '--json'] },
      { args: ['reply', 'show', '1', '--json'] },
    ],
  },
  {
    name: 'templates',
    steps: [{ args: ['templates', 'list'] }, { args: ['templates', 'check', 'bogus', '--json'] }],
  },
  {
    name: 'validate',
    steps: [{ args: ['validate'] }, { args: ['validate', '--json'] }],
  },
  {
    name: 'export-status',
    setup: generateAfg,
    steps: [
      { args: ['export', 'status', '--format', 'json', '--out', '-'] },
      { args: ['export', 'status', '--format', 'csv', '--out', '-'] },
      { args: ['export', 'status', '--format', 'xml'] },
    ],
  },
  {
    name: 'no-workspace',
    steps: [
      { args: ['status'], inDir: true },
      { args: ['ref', 'list', '--json'], inDir: true },
      { args: ['status', '-w', 'nowhere'], inDir: true },
    ],
  },
  {
    name: 'yaml-alias-bomb',
    setup: (ws) => {
      const laughs = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
      for (const [prev, k] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg', 'gh', 'hi'])
        laughs.push(`${k}: &${k} [${Array(9).fill(`*${prev}`).join(', ')}]`);
      const path = join(ws, 'nv.yaml');
      writeFileSync(path, `${laughs.join('\n')}\n${readFileSync(path, 'utf8')}`);
    },
    steps: [{ args: ['status'] }, { args: ['status', '--json'] }],
  },
  {
    name: 'register-busy',
    setup: (ws) => {
      generateAfg(ws);
      const other = new Database(registerOf(ws));
      other.exec('BEGIN IMMEDIATE');
      return () => {
        other.exec('ROLLBACK');
        other.close();
      };
    },
    steps: [
      { args: ['ref', 'list'] },
      { args: ['ref', 'set-next', '300'], env: { NV_REGISTER_WAIT_MS: '300' } },
      { args: ['generate', '--only', 'ALB', '--yes', '--json'], env: { NV_REGISTER_WAIT_MS: '300' } },
    ],
  },
  {
    // Exit 3. nv has no path that is known to fail (each would be a bug to fix), so the transcript
    // uses a register nv never writes: its audit table dropped by hand. nv does not check the
    // schema it created, so reading the log reaches a state nv assumed impossible, which is what
    // an internal error is, independently of how dist/ is built.
    name: 'internal-error',
    setup: (ws) => {
      generateAfg(ws);
      const db = new Database(registerOf(ws));
      db.exec('DROP TABLE audit');
      db.close();
    },
    steps: [{ args: ['ref', 'log'] }, { args: ['ref', 'log', '--json'] }],
  },
];

function normalise(text: string, dir: string): string {
  let t = text;
  for (const d of new Set([dir, realpathSync(dir)])) t = t.split(d).join('<tmp>');
  return t
    .split(VERSION)
    .join('<version>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g, '<time>')
    .replace(/nv process \d+/g, 'nv process <pid>');
}

function transcript(c: Case): string {
  const { dir, ws } = c.bare ? { dir: tempDir('nv-transcript-'), ws: '' } : smallWorkspace();
  const undo = c.setup?.(ws);
  const parts: string[] = [];
  try {
    for (const s of c.steps) {
      const cwd = c.bare || s.inDir ? dir : ws;
      const r = nv(s.args, { cwd, env: s.env });
      const env = Object.entries(s.env ?? {}).map(([k, v]) => `${k}=${v} `);
      const quoted = s.args.map((a) => (/^[\w./=:,-]+$/.test(a) ? a : JSON.stringify(a)));
      parts.push(
        [
          `$ ${env.join('')}nv ${quoted.join(' ')}`,
          '--- stdout',
          r.stdout.trimEnd(),
          '--- stderr',
          r.stderr.trimEnd(),
          `Exit code: ${r.code}`,
        ]
          .filter((l, i, all) => !(l === '' && all[i - 1]?.startsWith('---')))
          .join('\n'),
      );
    }
  } finally {
    if (typeof undo === 'function') undo();
  }
  return normalise(parts.join('\n\n') + '\n', dir);
}

describe('CLI transcripts', () => {
  for (const c of CASES)
    it(c.name, () => {
      const actual = transcript(c);
      const file = join(GOLDEN, `${c.name}.txt`);
      if (UPDATE || !existsSync(file)) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, actual);
        if (!UPDATE) throw new Error(`${file} did not exist; written now, check it in`);
      }
      expect(actual).toBe(readFileSync(file, 'utf8'));
    });
});
