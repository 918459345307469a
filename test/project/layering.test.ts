/**
 * The layering of src/ is checked, not hoped for: dependency-cruiser runs with the project's
 * .dependency-cruiser.mjs (the rules are written there), and the modules are folded into their
 * folders to look for a cycle between folders.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RULE_IDS } from '../../src/rule-ids.js';
import { RULES } from '../../src/rules/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Cruise {
  modules: { source: string; dependencies: { resolved: string }[] }[];
  summary: {
    violations: { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }[];
  };
}

function cruise(root: string): Cruise {
  const r = spawnSync(
    process.execPath,
    [CRUISE, 'src', '--config', '.dependency-cruiser.mjs', '--output-type', 'json'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.stdout.trim() === '')
    throw new Error(`dependency-cruiser printed nothing (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Cruise;
}

/**
 * The record types the register keeps, each in its domain (issue 9): leaves that import no code
 * of their folder, folded on their own so that storage/ naming them is no edge into the folder.
 */
const RECORDS = new Set([
  'src/references/records.ts',
  'src/replies/records.ts',
  'src/delegations/lists.ts',
  'src/dispatch/records.ts',
]);

/** `src/render/pdf.ts` → `render`; a file at the root of src/ is its own folder. */
function folderOf(path: string): string | undefined {
  if (!path.startsWith('src/')) return undefined;
  if (RECORDS.has(path)) return path.slice(4).replace(/\.ts$/, '');
  const parts = path.slice(4).split('/');
  return parts.length > 1 ? parts[0] : parts[0]!.replace(/\.ts$/, '');
}

/** Cycles between folders, each as `a → b → a`, found on the folder graph. */
function folderCycles(result: Cruise): string[] {
  const edges = new Map<string, Set<string>>();
  for (const m of result.modules) {
    const from = folderOf(m.source);
    for (const d of m.dependencies) {
      const to = folderOf(d.resolved);
      if (from === undefined || to === undefined || from === to) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
  /** A path from `from` to `to`, if there is one. */
  const path = (from: string, to: string, seen = new Set<string>()): string[] | undefined => {
    if (from === to) return [to];
    seen.add(from);
    for (const next of edges.get(from) ?? []) {
      if (seen.has(next)) continue;
      const rest = path(next, to, seen);
      if (rest) return [from, ...rest];
    }
    return undefined;
  };
  const cycles = new Set<string>();
  for (const [from, tos] of edges)
    for (const to of tos) {
      const back = path(to, from);
      if (back) cycles.add([from, ...back].join(' → '));
    }
  return [...cycles].sort();
}

describe('the layering of src/', () => {
  const result = cruise(ROOT);

  it('breaks none of the rules of .dependency-cruiser.mjs', () => {
    const broken = result.summary.violations.map(
      (v) => `${v.rule.name}: ${v.from} → ${v.cycle ? v.cycle.map((c) => c.name).join(' → ') : v.to}`,
    );
    expect(broken).toEqual([]);
    expect(result.modules.filter((m) => m.source.startsWith('src/')).length).toBeGreaterThan(50);
  });

  it('has no cycle between folders', () => {
    expect(folderCycles(result)).toEqual([]);
  });

  it('keeps the rule ids nv.yaml may name (src/rule-ids.ts) equal to the rules', () => {
    expect(RULES.map((r) => r.id)).toEqual([...RULE_IDS]);
  });
});

describe('the layering rules', () => {
  it('find each kind of breach in a tree made to break them', () => {
    const tree = mkdtempSync(join(tmpdir(), 'nv-layers-'));
    onTestFinished(() => rmSync(tree, { recursive: true, force: true }));
    cpSync(join(ROOT, '.dependency-cruiser.mjs'), join(tree, '.dependency-cruiser.mjs'));
    cpSync(join(ROOT, 'tsconfig.json'), join(tree, 'tsconfig.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
    const files: Record<string, string> = {
      'src/cli/main.ts': 'export const main = 1;',
      'src/workspace/load.ts': "import { main } from '../cli/main.js';\nexport const load = main;",
      'src/storage/register.ts': 'export const register = 1;',
      'src/render/pdf.ts': "import { register } from '../storage/register.js';\nexport const pdf = register;",
      'src/templates/fill.ts': "import Database from 'better-sqlite3';\nexport const fill = Database;",
      'src/notes/generate.ts': 'export const generate = 1;',
      'src/states/index.ts':
        "import { generate } from '../notes/generate.js';\nexport const states = generate;",
      'src/rules/index.ts': "import { a } from '../references/a.js';\nexport const rules = a;",
      'src/references/a.ts': 'export const a = 1;',
      'src/references/b.ts': "import { rules } from '../rules/index.js';\nexport const b = rules;",
      'src/intake/x.ts': "import { y } from './y.js';\nexport const x = y;",
      'src/intake/y.ts': "import { x } from './x.js';\nexport const y = x;",
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, file)), { recursive: true });
      writeFileSync(join(tree, file), `${text}\n`);
    }
    const r = cruise(tree);
    const found = r.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'cli-only-from-cli: src/workspace/load.ts → src/cli/main.ts',
        'render-is-pure: src/render/pdf.ts → src/storage/register.ts',
        expect.stringMatching(
          /^db-driver-only-in-storage: src\/templates\/fill\.ts → (.*\/)?node_modules\/better-sqlite3\//,
        ),
        'domain-not-use-case: src/states/index.ts → src/notes/generate.ts',
        'no-circular: src/intake/x.ts → src/intake/y.ts',
      ]),
    );
    // rules/ and references/ import each other through different files: no module cycle, a folder one.
    expect(found.filter((f) => f.includes('references') || f.includes('rules/'))).toEqual([]);
    expect(folderCycles(r)).toEqual(['references → rules → references', 'rules → references → rules']);
  });
});
