import { Command } from 'commander';
import { z } from 'zod';
import { EXIT, UserError } from '../../errors.js';
import { checkTemplates } from '../../templates/check.js';
import { makeIo, printJson } from '../io.js';
import { workspaceOption, workspaceRoot } from '../workspace-option.js';
import { loadWorkspace } from '../../workspace/load.js';

const jsonOption = z.object({ json: z.boolean().optional() });

export function templatesCommand(): Command {
  const t = new Command('templates').description('the note templates: built-in and the workspace’s own');

  const list = workspaceOption(new Command('list'))
    .description('every template with its language, kind and variants')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExample:\n  nv templates list');
  list.action(async (raw: unknown) => {
    const o = jsonOption.parse(raw);
    const io = makeIo();
    const reports = await checkTemplates(loadWorkspace(workspaceRoot(list)), undefined, {
      openEnclosures: false,
    });
    if (o.json) return printJson(io, { templates: reports });
    for (const r of reports) {
      const variants = r.variants
        ? Object.entries(r.variants)
            .map(([k, v]) => `${k}: ${v.join('+')}`)
            .join('; ')
        : '';
      io.out(
        `${r.name}.${r.language}\t${r.kind ?? '?'}\t${r.source}\t${variants}${r.problems.length ? '\t(has problems: nv templates check)' : ''}`,
      );
    }
  });

  const check = workspaceOption(new Command('check'))
    .description(
      'check templates: syntax, placeholders, empty values, variants, attachments (that they open)',
    )
    .argument('[name]', 'only this template')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExample:\n  nv templates check invitation');
  check.action(async (name: string | undefined, raw: unknown) => {
    const o = jsonOption.parse(raw);
    const io = makeIo();
    const reports = await checkTemplates(loadWorkspace(workspaceRoot(check)), name);
    if (reports.length === 0)
      throw new UserError(`There is no template${name ? ` "${name}"` : ''}; "nv templates list" shows them.`);
    const problems = reports.flatMap((r) => r.problems);
    if (o.json) printJson(io, { ok: problems.length === 0, templates: reports });
    else {
      for (const p of problems) io.err(p);
      io.err(`${reports.length} template(s) checked, ${problems.length} problem(s).`);
    }
    if (problems.length) process.exitCode = EXIT.usage;
  });

  return t.addCommand(list).addCommand(check);
}
