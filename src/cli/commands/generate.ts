import { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../../errors.js';
import { executePlan } from '../../notes/generate.js';
import { replyFacts } from '../../notes/reply-facts.js';
import { readFacts } from '../../replies/status.js';
import { planGeneration, relativeToWorkspace, summarisePlan } from '../../notes/plan.js';
import { actor, makeIo, printJson, progressBar } from '../io.js';
import { onlyOption } from '../options.js';
import { confirm } from '../prompts.js';
import { openWorkspace, workspaceOption } from '../workspace-option.js';

const optionsSchema = z.object({
  template: z.string().optional(),
  only: onlyOption,
  onlyMissing: z.boolean().optional(),
  format: z
    .string()
    .default('docx,pdf')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(['docx', 'pdf'], { message: '--format takes docx, pdf or docx,pdf' })).min(1)),
  out: z
    .string()
    .trim()
    .min(1, { message: '--out is empty; name the output folder, or leave --out out for out/notes' })
    .optional(),
  date: z.string().optional(),
  dryRun: z.boolean().optional(),
  json: z.boolean().optional(),
  yes: z.boolean().optional(),
  color: z.boolean().optional(),
});

export function generateCommand(): Command {
  const cmd = new Command('generate')
    .description('generate the notes verbales of a template for the recipients, in DOCX and PDF')
    .option('-t, --template <name>', 'template to use (default: notes.template of nv.yaml)')
    .option('--only <states>', 'only these recipients: ISO3 codes or UN names, comma-separated')
    .option('--only-missing', 'only recipients that have not replied (for reminders)')
    .option('--format <list>', 'docx, pdf or docx,pdf', 'docx,pdf')
    .option('--out <dir>', 'output folder (default: out/notes in the workspace)')
    .option('--date <yyyy-mm-dd>', 'the date the notes bear (default: notes.date of nv.yaml)')
    .option('--dry-run', 'check everything and show the plan; allocate and write nothing')
    .option('--json', 'print one JSON document on stdout')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      `\nExamples:\n  nv generate --yes                         the invitation to every recipient\n  nv generate --only AUT,"Côte d'Ivoire" --format pdf\n  nv generate --template reminder --only-missing --date 2012-09-10`,
    );
  workspaceOption(cmd).action(async (raw: unknown) => {
    const o = optionsSchema.parse(raw);
    const io = makeIo({ color: o.color });
    const { ws, register } = await openWorkspace(cmd);
    try {
      const plan = await planGeneration(
        ws,
        register,
        {
          template: o.template,
          only: o.only,
          onlyMissing: o.onlyMissing,
          formats: o.format,
          out: o.out,
          date: o.date,
        },
        async () => replyFacts(ws, await readFacts(register)),
      );
      const summary = summarisePlan(ws, plan);
      const listCases = () => {
        for (const r of summary.refusedReplies)
          io.err(
            `  ${r.name}: its reply #${r.reply}${r.received ? ` of ${r.received}` : ''} was refused (${r.why}); its note says so and how to send it again.`,
          );
        for (const l of summary.leftOut) io.err(`  ${l.name} is left out: ${l.reason}.`);
        // Notes in more than one language: which template each language's notes come from, to whom.
        if (summary.languages.length > 1)
          for (const l of summary.languages)
            io.err(
              `  ${l.language}: ${l.notes} note(s) from ${l.template}: ${l.recipients.slice(0, 12).join(', ')}${l.recipients.length > 12 ? ` … and ${l.recipients.length - 12} more` : ''}`,
            );
      };
      const listRefs = () => {
        for (const r of summary.references.slice(0, 10))
          io.err(
            `  ${r.references.join(', ')}: ${r.notes} note(s)${r.existing ? ' (number already allocated)' : ''}`,
          );
        if (summary.references.length > 10)
          io.err(`  … and ${summary.references.length - 10} more reference(s)`);
      };
      if (o.dryRun) {
        if (o.json) return printJson(io, { dryRun: true, ...summary });
        io.err(
          `Dry run: ${summary.notes} ${summary.template} note(s), ${summary.formats.join(' and ')}, into ${summary.out}.`,
        );
        listRefs();
        listCases();
        io.err(
          `${summary.toAllocate} new reference number(s) would be allocated. Nothing was allocated or written.`,
        );
        return;
      }
      if (io.interactive && !o.yes) {
        io.err(
          `${summary.notes} ${summary.template} note(s) in ${summary.formats.join(' and ')} into ${summary.out}:`,
        );
        listRefs();
        listCases();
        if (summary.toAllocate > 0)
          io.err(`${summary.toAllocate} new reference number(s) will be allocated in the register.`);
        if (!(await confirm('Generate?'))) throw new UserError('Nothing was generated: you declined.');
      }
      const throttle = Number(process.env.NV_THROTTLE_MS ?? 0);
      const sde = process.env.SOURCE_DATE_EPOCH;
      const result = await executePlan(ws, register, plan, {
        actor: actor(),
        sourceDateEpoch: sde && /^\d+$/.test(sde) ? Number(sde) : undefined,
        onProgress: progressBar(io, 'Generating'),
        throttleMs: Number.isFinite(throttle) && throttle > 0 ? throttle : undefined,
      });
      if (o.json) printJson(io, result);
      else {
        for (const r of result.references)
          io.err(
            `${io.color.bold(r.reference)}  ${r.notes} note(s)${r.allocated ? '  (allocated now)' : ''}`,
          );
        io.err(
          `${result.totals.written} note(s) written (${result.totals.files} file(s)), ${result.totals.unchanged} unchanged, into ${relativeToWorkspace(ws, plan.outDir)}.`,
        );
        if (!io.interactive || o.yes) listCases();
      }
    } finally {
      await register.close();
    }
  });
  return cmd;
}
