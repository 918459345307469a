import { Command } from 'commander';
import { z } from 'zod';
import { listBudgets } from '../../delegations/budgets.js';
import { gatherSources, importDelegations } from '../../delegations/import.js';
import { EXIT } from '../../errors.js';
import { isoInZone, shownTime } from '../clerk-times.js';
import { actor, makeIo, printJson } from '../io.js';
import { resolveRecipient } from '../resolve.js';
import { openWorkspace, workspaceOption } from '../workspace-option.js';

const importOptions = z.object({
  state: z.string().optional(),
  reply: z.string().optional(),
  replies: z.boolean().optional(),
  skipInvalid: z.boolean().optional(),
  budget: z.string().optional(),
  json: z.boolean().optional(),
});

const listOptions = z.object({ json: z.boolean().optional() });

export function delegationCommand(): Command {
  const d = new Command('delegation').description('delegation lists: import them, see them');

  const imp = workspaceOption(new Command('import'))
    .description(
      'import delegation lists (CSV as Governments send them); a new list replaces the State’s previous one',
    )
    .argument('[files...]', 'CSV or XLSX files (or folders of them)')
    .option('--state <state>', 'the State of rows without a state column (ISO3 or UN name)')
    .option('--reply <id>', 'the CSV lists that reply carried')
    .option('--replies', 'the CSV lists of every reply (those already imported change nothing)')
    .option('--skip-invalid', 'import the valid rows and list the others, instead of refusing the file')
    .option(
      '--budget <name=value,...>',
      'raise what one list may hold: bytes, rows, cells, line, inflated, merges, max-row (see the README)',
    )
    .option('--json', 'print one JSON document on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  nv delegation import lists/austria.csv --state AUT\n  nv delegation import --replies\n  nv delegation import lists/ --skip-invalid --json',
    );
  imp.action(async (files: string[], raw: unknown) => {
    const o = importOptions.parse(raw);
    const io = makeIo();
    const budgets = listBudgets(o.budget);
    const { ws, register } = await openWorkspace(imp);
    try {
      const { sources, notes } = await gatherSources(register, {
        files,
        cwd: process.cwd(),
        state: o.state ? resolveRecipient(ws, o.state) : undefined,
        reply: o.reply,
        replies: o.replies,
      });
      const { imported, refused } = await importDelegations(
        ws,
        register,
        sources,
        { skipInvalid: o.skipInvalid, budgets },
        actor(),
      );
      // Each list is its own unit: the others were imported, the exit code says some were not.
      if (refused.length) process.exitCode = EXIT.findings;
      if (o.json) return printJson(io, { imported, refused, notes });
      for (const r of imported) {
        const how = `${r.assumed ? `assumed ${r.encoding}` : r.encoding}, ${r.delimiter === '\t' ? 'tab' : `"${r.delimiter}"`}`;
        io.err(
          r.unchanged
            ? `${r.file}: ${r.state}'s list is already this one; nothing changed.`
            : `${r.file}: ${r.participants} participant(s) of ${r.state} (${how})${r.replaced ? `, replacing list ${r.replaced} (kept in history)` : ''}.`,
        );
        if (r.guess)
          io.err(
            `  guessed the encoding: ${r.guess.reason}; if the names look wrong, save the list as "CSV UTF-8"`,
          );
        for (const w of r.warnings) io.err(`  warning: ${w}`);
        for (const s of r.skipped) io.err(`  skipped: ${s}`);
      }
      for (const r of refused) {
        io.err(`refused: ${r.message}`);
        for (const d of r.details) io.err(`  ${d}`);
      }
      for (const n of notes) io.err(`note: ${n}`);
    } finally {
      await register.close();
    }
  });

  const list = workspaceOption(new Command('list'))
    .description('the current delegation list of each State')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExample:\n  nv delegation list --json');
  list.action(async (raw: unknown) => {
    const o = listOptions.parse(raw);
    const io = makeIo();
    const { ws, register } = await openWorkspace(list);
    try {
      const tz = ws.config.meeting.timezone;
      const lists = await register.currentDelegations();
      if (o.json)
        return printJson(io, {
          delegations: lists.map((l) => ({ ...l, importedAt: isoInZone(l.importedAt, tz) })),
        });
      for (const l of lists)
        io.out(
          `${l.state}\t${l.participants.length} participant(s)\tlist ${l.id}\t${l.sourceName ?? ''}\t${shownTime(l.importedAt, tz)}`,
        );
      if (lists.length === 0) io.err('No delegation list yet; "nv delegation import" reads them.');
      else io.err(`Times in ${tz}.`);
    } finally {
      await register.close();
    }
  });

  return d.addCommand(imp).addCommand(list);
}
