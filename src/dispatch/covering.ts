/**
 * The covering text of a message: a short template per language, in the same Markdown and
 * `{{placeholder}}` syntax as the notes' templates. Built in: templates/messages/covering.<lang>.md;
 * a workspace's templates/messages/NAME.<lang>.md comes first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { decodeUtf8Text } from '../files.js';
import { fillBlocks, fillInline } from '../templates/fill.js';
import { BUILTIN_TEMPLATES } from '../templates/load.js';
import { parseBody, parseInline, TemplateSyntaxError } from '../templates/markdown.js';
import type { Values } from '../templates/values.js';

const front = z.strictObject({ subject: z.string().min(1) });

export interface CoveringTemplate {
  name: string;
  language: string;
  file: string;
  fill(values: Values): { subject: string; text: string };
}

/** The covering template NAME in `language`: the workspace's own, else the built-in one. */
export function loadCovering(workspaceTemplates: string, name: string, language: string): CoveringTemplate {
  const own = join(workspaceTemplates, 'messages', `${name}.${language}.md`);
  const builtin = join(BUILTIN_TEMPLATES, 'messages', `${name}.${language}.md`);
  const file = existsSync(own) ? own : builtin;
  if (!existsSync(file))
    throw new UserError(
      `There is no covering text "${name}" in ${language}; write templates/messages/${name}.${language}.md (a "subject:" front matter and a short text), or leave --template out for the built-in one.`,
    );
  const text = decodeUtf8Text(readFileSync(file), file)
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n');
  const m = /^---\n([\s\S]*?)\n---\n?/.exec(text);
  const parsed = front.safeParse(m ? (parseYaml(m[1]!) as unknown) : undefined);
  if (!m || !parsed.success)
    throw new UserError(
      `${file}:1: the covering text needs a front matter with its subject, e.g. subject: "Note verbale {{reference}}".`,
    );
  try {
    const subject = parseInline(parsed.data.subject, 2);
    const blocks = parseBody(text.slice(m[0].length), m[0].split('\n').length);
    return {
      name,
      language,
      file,
      fill: (values) => ({
        subject: fillInline(subject, values)
          .map((r) => r.text)
          .join(''),
        text:
          fillBlocks(blocks, '', values)
            .map((b) =>
              b.type === 'paragraph'
                ? b.runs.map((r) => r.text).join('')
                : b.type === 'list'
                  ? b.items.map((it) => `- ${it.map((r) => r.text).join('')}`).join('\n')
                  : '',
            )
            .join('\n\n') + '\n',
      }),
    };
  } catch (e) {
    if (e instanceof TemplateSyntaxError) throw new UserError(`${file}:${e.line}: ${e.message}.`);
    throw e;
  }
}
