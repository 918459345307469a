import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { decodeUtf8Text } from '../files.js';
import { plainIssue } from '../workspace/plain-issue.js';
import { CATEGORIES } from '../workspace/recipients.js';
import { conditionsOf, parseBody, parseInline, placeholdersOf, TemplateSyntaxError, type Inline, type TemplateBlock } from './markdown.js';

/** The built-in templates shipped with nv (the project's templates/ folder). */
export const BUILTIN_TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

const frontMatterSchema = z.strictObject({
  subject: z.string().min(1),
  /** circular: one number for all, variants (A), (B)… by category; individual: a number per note. */
  kind: z.enum(['circular', 'individual']),
  /** Who receives it by default: every recipient, or those that have not replied (reminders). */
  audience: z.enum(['all', 'missing', 'replied']).default('all'),
  variants: z.record(z.string().regex(/^[A-Z]$/, 'variant names are single capital letters'), z.array(z.enum(CATEGORIES))).optional(),
  /** PDF files in the workspace's attachments/ folder, appended to each PDF note. */
  attachments: z.array(z.string().min(1)).default([]),
  /**
   * Placeholders that may be empty (e.g. [values.fax]): any other placeholder whose value is
   * empty stops generation before a number is allocated.
   */
  optional: z.array(z.string().regex(/^[A-Za-z][\w.-]*$/, 'names a placeholder, e.g. values.fax')).default([]),
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;

export interface Template {
  name: string;
  language: string;
  /** Path of the file, for messages. */
  file: string;
  builtin: boolean;
  front: FrontMatter;
  subject: Inline[];
  blocks: TemplateBlock[];
}

export interface TemplateRef {
  name: string;
  language: string;
  file: string;
  builtin: boolean;
}

const FILE_NAME = /^([a-z][a-z0-9-]*)\.([a-z]{2})\.md$/;

/** Every template file available to a workspace: its own templates/ first, then the built-in ones. */
export function listTemplates(workspaceTemplates: string | undefined): TemplateRef[] {
  const found = new Map<string, TemplateRef>();
  const scan = (dir: string, builtin: boolean) => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir).sort()) {
      const m = FILE_NAME.exec(f);
      if (!m) continue;
      const id = `${m[1]}.${m[2]}`;
      if (!found.has(id)) found.set(id, { name: m[1]!, language: m[2]!, file: join(dir, f), builtin });
    }
  };
  if (workspaceTemplates) scan(workspaceTemplates, false);
  scan(BUILTIN_TEMPLATES, true);
  return [...found.values()].sort((a, b) => (a.name + a.language).localeCompare(b.name + b.language));
}

/** Reads and parses one template file; syntax problems as `file:line: …`. */
export function loadTemplate(ref: TemplateRef, displayPath = ref.file): Template {
  const text = decodeUtf8Text(readFileSync(ref.file), displayPath).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const m = /^---\n([\s\S]*?)\n---\n?/.exec(text);
  if (!m) throw new UserError(`${displayPath}:1: the template has no front matter; start it with a "---" block holding subject and kind.`);
  let raw: unknown;
  try {
    raw = parseYaml(m[1]!);
  } catch (e) {
    throw new UserError(`${displayPath}:2: the front matter is not valid YAML (${(e as Error).message.split('\n')[0]}).`);
  }
  // The file line of a front matter key (line 1 is the opening "---"); 2 when it is not there.
  const frontLines = m[1]!.split('\n');
  const lineOfKey = (key: unknown) => {
    const i = frontLines.findIndex((l) => l.startsWith(`${String(key)}:`));
    return i < 0 ? 2 : i + 2;
  };
  const fm = frontMatterSchema.safeParse(raw ?? {});
  if (!fm.success) {
    const problems = fm.error.issues.map((i) => `${displayPath}:${lineOfKey(i.path[0])}: front matter ${i.path.join('.') || ''} ${plainIssue(i) ?? i.message}.`.replace(/ {2,}/g, ' '));
    throw new UserError(problems[0]!, { details: problems.slice(1) });
  }
  const front = fm.data;
  if (front.kind === 'circular' && !front.variants)
    throw new UserError(`${displayPath}:2: a circular template needs "variants" (e.g. A: [party, signatory]) saying which recipients get which text.`);
  if (front.kind === 'individual' && front.variants)
    throw new UserError(`${displayPath}:2: an individual template takes a number per note and has no variants; remove "variants".`);
  const bodyLine = m[0].split('\n').length;
  try {
    const blocks = parseBody(text.slice(m[0].length), bodyLine);
    const known = new Set(Object.keys(front.variants ?? {}));
    for (const b of blocks)
      for (const v of b.variants ?? [])
        if (!known.has(v))
          throw new TemplateSyntaxError(b.line, `variant ${v} is not declared in the front matter (declared: ${[...known].join(', ') || 'none'})`);
    return { ...ref, front, subject: parseInline(front.subject, lineOfKey('subject')), blocks };
  } catch (e) {
    if (e instanceof TemplateSyntaxError) throw new UserError(`${displayPath}:${e.line}: ${e.message}.`);
    throw e;
  }
}

/** Every placeholder of the template, its subject's included, in order. */
export function templatePlaceholders(t: Template): { name: string; line: number }[] {
  return [...placeholdersOf([{ type: 'paragraph', inline: t.subject, line: 2, variants: null }]), ...placeholdersOf(t.blocks)];
}

/** How a template file is named in messages: relative to the workspace, or marked built-in. */
export function shownTemplateFile(ref: TemplateRef, workspaceRoot: string): string {
  if (ref.builtin) return `templates/${ref.name}.${ref.language}.md (built-in)`;
  const rel = relative(workspaceRoot, ref.file);
  return rel.startsWith('..') || isAbsolute(rel) ? ref.file : rel.split('\\').join('/');
}

/** Checks every placeholder against the names that exist; all problems at once. */
export function checkPlaceholders(t: Template, known: ReadonlySet<string>, displayPath = t.file): void {
  const all = [...templatePlaceholders(t), ...conditionsOf(t.blocks)];
  const problems = all
    .filter((p) => !known.has(p.name))
    .map((p) => `${displayPath}:${p.line}: unknown placeholder {{${p.name}}}; the names that exist are ${[...known].sort().join(', ')}.`);
  const used = new Set(all.map((p) => p.name));
  for (const name of t.front.optional)
    if (!used.has(name))
      problems.push(`${displayPath}:2: "optional" names ${name}, which the template does not use; remove it or correct its name.`);
  if (problems.length) throw new UserError(problems[0]!, { details: problems.slice(1) });
}
