import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, visit, type Alias } from 'yaml';
import { UserError } from '../errors.js';
import { decodeUtf8Text } from '../files.js';
import { configSchema, resolveLanguages, type Config } from './config.js';
import { plainIssue } from './plain-issue.js';
import { parseRecipients, type Recipient } from './recipients.js';

export const CONFIG_FILE = 'nv.yaml';
export const RECIPIENTS_FILE = 'recipients.csv';

export interface Workspace {
  root: string;
  config: Config;
  recipients: Recipient[];
  paths: {
    config: string;
    recipients: string;
    templates: string;
    attachments: string;
    state: string;
    database: string;
    archive: string;
    out: string;
  };
}

export function workspacePaths(root: string): Workspace['paths'] {
  return {
    config: join(root, CONFIG_FILE),
    recipients: join(root, RECIPIENTS_FILE),
    templates: join(root, 'templates'),
    attachments: join(root, 'attachments'),
    state: join(root, '.nv'),
    database: join(root, '.nv', 'registry.sqlite'),
    archive: join(root, '.nv', 'archive'),
    out: join(root, 'out'),
  };
}

/**
 * The workspace root: `explicit` (from -w or NV_WORKSPACE) if given, else the nearest folder from
 * `cwd` upwards that holds nv.yaml, the way git finds its repository.
 */
export function findWorkspaceRoot(cwd: string, explicit?: string): string {
  if (explicit) {
    const root = resolve(cwd, explicit);
    if (!existsSync(join(root, CONFIG_FILE)))
      throw new UserError(
        `${root} is not an nv workspace (no ${CONFIG_FILE}); create one with "nv init ${explicit}".`,
      );
    return root;
  }
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, CONFIG_FILE)) && statSync(join(dir, CONFIG_FILE)).isFile()) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new UserError(
    `No nv workspace here or above ${resolve(cwd)}; run "nv init" to create one, or pass -w DIR.`,
  );
}

/** Parses and validates nv.yaml; every problem as `nv.yaml:LINE: path: what is wrong`. */
export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = lineCounter.linePos(e.pos[0]).line;
    throw new UserError(`${file}:${line}: ${e.message.split('\n')[0]}; fix the YAML syntax there.`);
  }
  const result = configSchema.safeParse(configValue(doc, file, lineCounter) ?? {});
  if (result.success) return resolveLanguages(result.data);
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String);
    // Point at the deepest key that exists: the key itself for a wrong value, the key of the
    // mapping for a missing one, the unknown key itself for an unknown one.
    const keys = issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]!] : path;
    let line = 1;
    let node: unknown = doc.contents;
    for (const k of keys) {
      const here = lineOfChild(node, k, lineCounter);
      if (!here) break;
      line = here.line;
      node = here.node;
    }
    const where = path.join('.') || '(top)';
    let message = issue.message;
    if (issue.code === 'invalid_type' && /received undefined/.test(message)) message = 'is missing';
    else message = plainIssue(issue) ?? message;
    if (issue.code === 'unrecognized_keys')
      message = `has unknown key(s) ${issue.keys.join(', ')}; remove or correct them`;
    return `${file}:${line}: ${where} ${message}.`;
  });
  throw new UserError(problems[0]!, { details: problems.slice(1) });
}

/** Aliases (`*name`) any real nv.yaml uses stay far below this; it stops "billion laughs" files. */
const MAX_ALIASES = 100;

/** The document as plain values, refusing a file whose aliases expand without bound. */
function configValue(doc: ReturnType<typeof parseDocument>, file: string, lineCounter: LineCounter): unknown {
  try {
    const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIASES });
    keepValuesAsWritten(doc, value);
    return value;
  } catch (e) {
    if (!(e instanceof ReferenceError && /alias/i.test(e.message))) throw e;
    let first: Alias | undefined;
    visit(doc, {
      Alias: (_, node) => {
        first = node;
        return visit.BREAK;
      },
    });
    const line = first?.range ? lineCounter.linePos(first.range[0]).line : 1;
    throw new UserError(
      `${file}:${line}: uses YAML aliases (*name) that expand too far (more than ${MAX_ALIASES} copies); write the values out instead of repeating aliases of aliases.`,
    );
  }
}

/**
 * `values:` are printed in the notes as the officer wrote them: a fax `+431260605841` or
 * `0043126060` is text, not the number YAML reads (which drops the `+` and the zeros).
 */
function keepValuesAsWritten(doc: ReturnType<typeof parseDocument>, value: unknown): void {
  const node: unknown = doc.get('values', true);
  if (!isMap(node) || typeof value !== 'object' || value === null) return;
  const values = (value as { values?: unknown }).values;
  if (typeof values !== 'object' || values === null) return;
  asWritten(node, values as Record<string, unknown>);
}

/** Numbers of a YAML mapping (and of its mappings: a value given per language) as written. */
function asWritten(node: unknown, into: Record<string, unknown>): void {
  if (!isMap(node)) return;
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    const k = String(pair.key.value);
    if (isScalar(pair.value) && typeof pair.value.value === 'number' && pair.value.source)
      into[k] = pair.value.source;
    else if (isMap(pair.value) && typeof into[k] === 'object' && into[k] !== null)
      asWritten(pair.value, into[k] as Record<string, unknown>);
  }
}

/** The line of the entry `key` of a YAML mapping (its key) or sequence (its item), and its value. */
function lineOfChild(
  parent: unknown,
  key: string,
  lineCounter: LineCounter,
): { line: number; node: unknown } | undefined {
  const lineAt = (n: unknown) => (isNode(n) && n.range ? lineCounter.linePos(n.range[0]).line : undefined);
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (isScalar(p.key) ? String(p.key.value) : p.key) === key);
    const line = pair && (lineAt(pair.key) ?? lineAt(pair.value));
    return pair && line ? { line, node: pair.value } : undefined;
  }
  if (isSeq(parent) && /^\d+$/.test(key)) {
    const item = parent.items[Number(key)];
    const line = lineAt(item);
    return line ? { line, node: item } : undefined;
  }
  return undefined;
}

export function loadWorkspace(root: string): Workspace {
  const paths = workspacePaths(root);
  const config = parseConfig(readText(paths.config), CONFIG_FILE);
  if (!existsSync(paths.recipients))
    throw new UserError(
      `${RECIPIENTS_FILE} is missing in ${root}; list the invited Governments there (see README).`,
    );
  const recipients = parseRecipients(readText(paths.recipients), RECIPIENTS_FILE, config.notes.language, {
    convention: config.meeting.convention,
    date: config.notes.date,
  });
  return { root, config, recipients, paths };
}

function readText(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UserError(
      `Cannot read ${path} (${(e as NodeJS.ErrnoException).code}); check that it exists and is readable.`,
    );
  }
  return decodeUtf8Text(bytes, basename(path));
}
