import { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../../errors.js';
import { executeDispatch, planDispatch, summariseDispatch } from '../../dispatch/drafts.js';
import { actor, makeIo, printJson, progressBar, type Io } from '../io.js';
import { onlyOption } from '../options.js';
import { confirm } from '../prompts.js';
import { openWorkspace, workspaceOption } from '../workspace-option.js';

const optionsSchema = z.object({
  drafts: z
    .string({
      message: '--drafts is missing; name the folder the .eml drafts go to, e.g. --drafts out/drafts',
    })
    .trim()
    .min(1, {
      message: '--drafts is empty; name the folder the .eml drafts go to, e.g. --drafts out/drafts',
    }),
  template: z.string().optional(),
  only: onlyOption,
  again: z.boolean().optional(),
  dryRun: z.boolean().optional(),
  json: z.boolean().optional(),
  yes: z.boolean().optional(),
  color: z.boolean().optional(),
});

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

export function dispatchCommand(): Command {
  const cmd = new Command('dispatch')
    .description("send a reference's notes to the recipients' e-mail addresses (for now as .eml drafts)")
    .argument('<ref>', 'the reference, e.g. "CU 2012/150", or its number')
    .option('--drafts <dir>', 'write each message as an .eml draft into this folder (Outlook, Thunderbird)')
    .option('--only <states>', 'only these recipients: ISO3 codes or UN names, comma-separated')
    .option(
      '-t, --template <name>',
      'the covering text (default: covering; templates/messages/NAME.<lang>.md)',
    )
    .option('--again', 'draft again for recipients already drafted')
    .option('--dry-run', 'check everything and show the plan; write and record nothing')
    .option('--json', 'print one JSON document on stdout')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      `\nExamples:\n  nv dispatch "CU 2012/150" --drafts out/drafts --dry-run\n  nv dispatch 150 --drafts out/drafts --only AUT,FRA --yes\n\nSending over SMTP is not available yet.`,
    );
  workspaceOption(cmd).action(async (ref: string, raw: unknown) => {
    const o = optionsSchema.parse(raw);
    const io = makeIo({ color: o.color });
    const { ws, register } = await openWorkspace(cmd);
    try {
      const plan = await planDispatch(ws, register, ref, {
        drafts: o.drafts,
        only: o.only,
        template: o.template,
        again: o.again,
      });
      const summary = summariseDispatch(ws, plan);
      const listPlan = (out: Io) => {
        for (const r of summary.recipients.slice(0, 12))
          out.err(
            `  ${r.state}  ${r.to.join('; ')}${r.cc.length ? ` (cc ${r.cc.join('; ')})` : ''}  ${r.attachments.join(', ')}`,
          );
        if (summary.recipients.length > 12) out.err(`  … and ${summary.recipients.length - 12} more`);
        if (summary.alreadyDrafted)
          out.err(
            `  ${summary.alreadyDrafted} recipient(s) drafted before are left alone (--again drafts them again).`,
          );
      };
      const headline = `${summary.messages} message(s) for ${summary.reference} into ${summary.drafts}, attachments ${size(summary.totalBytes)} in all`;
      if (o.dryRun) {
        if (o.json) return printJson(io, { dryRun: true, ...summary });
        io.err(`Dry run: ${headline}.`);
        listPlan(io);
        io.err('Nothing was written or recorded.');
        return;
      }
      if (io.interactive && !o.yes && summary.messages > 0) {
        io.err(`${headline}:`);
        listPlan(io);
        if (!(await confirm('Write the drafts?'))) throw new UserError('Nothing was written: you declined.');
      }
      const result = await executeDispatch(ws, register, plan, {
        actor: actor(),
        onProgress: progressBar(io, 'Drafting'),
      });
      if (o.json) printJson(io, result);
      else if (result.written.length === 0)
        io.err(
          `Nothing to draft: the ${result.alreadyDrafted} recipient(s) were drafted before (--again drafts them again).`,
        );
      else
        io.err(
          `${result.written.length} draft(s) written into ${result.drafts}${result.alreadyDrafted ? `, ${result.alreadyDrafted} drafted before left alone` : ''}; the register records them as drafted.`,
        );
    } finally {
      await register.close();
    }
  });
  return cmd;
}
