/**
 * Replies and delivery reports for the thread and bounce tests, made from the templates in
 * test/replies/mail/ with the Message-IDs `nv dispatch --drafts` recorded: a workspace of the
 * uncac-2012 example whose note CU 2012/150 was drafted to a few States.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { expect } from 'vitest';
import { exampleWorkspace, nv, ROOT } from '../helpers/cli.js';

export const STATES = ['AUT', 'FRA', 'DEU', 'ITA', 'ESP'];

export interface Drafted {
  dir: string;
  ws: string;
  /** The Message-ID (without brackets) and To address of each State's draft, read from the .eml files. */
  drafts: Map<string, { messageId: string; to: string }>;
}

/** The example with CU 2012/150 generated and drafted to STATES (env: a PostgreSQL register). */
export async function draftedWorkspace(env: Record<string, string> = {}): Promise<Drafted> {
  const { dir, ws } = exampleWorkspace();
  if (env.NV_DATABASE_URL) expect(nv(['db', 'migrate'], { cwd: ws, env }).code).toBe(0);
  const only = STATES.join(',');
  const g = nv(['generate', '--yes', '--format', 'pdf', '--only', only], { cwd: ws, env });
  expect(g.code, g.stderr).toBe(0);
  const d = nv(['dispatch', '150', '--drafts', 'out/drafts', '--only', only, '--yes'], { cwd: ws, env });
  expect(d.code, d.stderr).toBe(0);
  const drafts = new Map<string, { messageId: string; to: string }>();
  const folder = join(ws, 'out', 'drafts');
  for (const sub of readdirSync(folder))
    for (const f of readdirSync(join(folder, sub))) {
      const mail = await simpleParser(readFileSync(join(folder, sub, f)));
      const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
      drafts.set(f.slice(0, 3), {
        messageId: mail.messageId!.replace(/^<|>$/g, ''),
        to: to!.value[0]!.address!,
      });
    }
  expect([...drafts.keys()].sort()).toEqual([...STATES].sort());
  return { dir, ws, drafts };
}

/** A template of test/replies/mail/ filled for one draft (then `edit`ed), written into the workspace's `inbox/`. */
export function mail(
  ws: string,
  template: string,
  draft: { messageId: string; to: string },
  name = template,
  edit: (text: string) => string = (t) => t,
): string {
  const text = readFileSync(join(ROOT, 'test', 'replies', 'mail', template), 'utf8')
    .replaceAll('{{MESSAGE_ID}}', draft.messageId)
    .replaceAll('{{RCPT_LOCAL}}', draft.to.split('@')[0]!)
    .replaceAll('{{RCPT}}', draft.to)
    .replace(/\r?\n/g, '\r\n');
  const edited = edit(text);
  mkdirSync(join(ws, 'inbox'), { recursive: true });
  const path = join(ws, 'inbox', name);
  writeFileSync(path, edited);
  return path;
}
