import { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../../errors.js';
import {
  listReferences,
  resolveReference,
  showReference,
  viewDispatch,
  type MessageView,
} from '../../references/lookup.js';
import { actor, makeIo, printJson } from '../io.js';
import { wholeNumber } from '../options.js';
import { confirm } from '../prompts.js';
import { openWorkspace, workspaceOption } from '../workspace-option.js';

const jsonOption = z.object({ json: z.boolean().optional() });

const voidOptions = z.object({
  reason: z.string(),
  yes: z.boolean().optional(),
  json: z.boolean().optional(),
});

const setNextOptions = z.object({
  series: z
    .string()
    .regex(/^[A-Z][A-Z0-9]*$/, {
      error: (i) => `--series ${String(i.input)} is not a series; write capital letters and digits, e.g. CU`,
    })
    .optional(),
  year: z
    .string()
    .regex(/^\d{4}$/, {
      error: (i) => `--year ${String(i.input)} is not a year; write four digits such as 2012`,
    })
    .optional(),
  json: z.boolean().optional(),
});

const logOptions = z.object({ limit: wholeNumber('-n/--limit', 20), json: z.boolean().optional() });

export function refCommand(): Command {
  const ref = new Command('ref').description('read and keep the reference register');

  const list = workspaceOption(new Command('list'))
    .description('every number allocated, with what it was for')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExample:\n  nv ref list --json');
  list.action(async (raw: unknown) => {
    const o = jsonOption.parse(raw);
    const io = makeIo();
    const { ws, register } = await openWorkspace(list);
    try {
      const rows = await listReferences(ws, register);
      if (o.json) return printJson(io, { references: rows });
      if (rows.length === 0) return io.err('The register holds no number yet; "nv generate" allocates them.');
      for (const r of rows)
        io.out(
          `${r.references.join(', ')}\t${r.template}\t${r.date}\t${r.notes} note(s)\t${r.status === 'void' ? `VOID: ${r.voidReason}` : r.kind}`,
        );
    } finally {
      await register.close();
    }
  });

  /** Why a message failed or bounced (on one line), or that one `sending` may or may not have left. */
  const messageNote = (m: MessageView, ref: string) =>
    m.reason
      ? `  (${m.reason.replace(/\s+/g, ' ').trim()})`
      : m.status === 'sending'
        ? `  (may or may not have left: nv dispatch "${ref}" --resolve)`
        : '';

  const show = workspaceOption(new Command('show'))
    .description('one number: what it was for and the notes that bear it')
    .argument('<ref>', 'the reference, e.g. "CU 2012/150(A)/DTA/CEB/CSS", "CU 2012/150" or 150')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExample:\n  nv ref show "CU 2012/150"');
  show.action(async (text: string, raw: unknown) => {
    const o = jsonOption.parse(raw);
    const io = makeIo();
    const { ws, register } = await openWorkspace(show);
    try {
      const v = await showReference(ws, register, text);
      if (o.json) return printJson(io, v);
      io.out(
        `${v.references.join(', ')}  (${v.kind}, template ${v.template}, dated ${v.date}, allocated ${v.createdAt})`,
      );
      if (v.status === 'void') io.out(`VOID: ${v.voidReason}`);
      for (const n of v.recipients) {
        io.out(`  ${n.recipient}\t${n.variant || '-'}\t${n.files.join(' ') || '(not written yet)'}`);
        for (const m of n.messages)
          io.out(`    ${m.status} ${m.at}  <${m.messageId}>  ${m.to.join('; ')}${messageNote(m, text)}`);
      }
    } finally {
      await register.close();
    }
  });

  const voidCmd = workspaceOption(new Command('void'))
    .description('void a number on purpose; it stays in the register with its reason')
    .argument('<ref>', 'the reference to void')
    .requiredOption('--reason <text>', 'why it is voided (kept in the register)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText(
      'after',
      '\nExample:\n  nv ref void "CU 2012/151" --reason "sent in error; replaced by CU 2012/152"',
    );
  voidCmd.action(async (text: string, raw: unknown) => {
    const o = voidOptions.parse(raw);
    const io = makeIo();
    if (!o.reason.trim()) throw new UserError('--reason is empty; say why the number is voided.');
    const { ws, register } = await openWorkspace(voidCmd);
    try {
      const d = await resolveReference(ws, register, text);
      if (
        io.interactive &&
        !o.yes &&
        !(await confirm(
          `Void ${viewDispatch(ws, d, await register.notesOf(d.id)).references.join(', ')}?`,
          false,
        ))
      )
        throw new UserError('Nothing was voided: you declined.');
      const voided = await register.voidDispatch(d.id, o.reason.trim(), actor());
      const v = viewDispatch(ws, voided, await register.notesOf(voided.id));
      if (o.json) printJson(io, v);
      else io.err(`${v.references.join(', ')} is void: ${v.voidReason}`);
    } finally {
      await register.close();
    }
  });

  const setNext = workspaceOption(new Command('set-next'))
    .description('set the next number of the series for a year (offices keep a running register)')
    .argument('<n>', 'the next sequence number')
    .option('--series <s>', 'series (default: reference.series of nv.yaml)')
    .option('--year <yyyy>', 'year (default: the year of notes.date)')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExample:\n  nv ref set-next 150');
  setNext.action(async (n: string, raw: unknown) => {
    const io = makeIo();
    if (!/^\d+$/.test(n) || Number(n) < 1)
      throw new UserError(`"${n}" is not a sequence number; give a whole number such as 150.`);
    const o = setNextOptions.parse(raw);
    const { ws, register } = await openWorkspace(setNext);
    try {
      const series = o.series ?? ws.config.reference.series;
      const year = o.year ? Number(o.year) : Number(ws.config.notes.date.slice(0, 4));
      await register.setNext(series, year, Number(n), actor());
      if (o.json) printJson(io, { series, year, next: Number(n) });
      else io.err(`The next number of ${series} ${year} is ${n}.`);
    } finally {
      await register.close();
    }
  });

  const log = workspaceOption(new Command('log'))
    .description('the audit log: every change to the register, newest first')
    .option('-n, --limit <n>', 'how many entries', '50')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExample:\n  nv ref log -n 20');
  log.action(async (raw: unknown) => {
    const o = logOptions.parse(raw);
    const io = makeIo();
    const { register } = await openWorkspace(log);
    try {
      const entries = await register.audit(o.limit);
      if (o.json) return printJson(io, { entries });
      for (const e of entries)
        io.out(`${e.at}\t${e.user}\t${e.action}\t${JSON.stringify(e.detail)}\t${e.command}`);
    } finally {
      await register.close();
    }
  });

  return ref.addCommand(list).addCommand(show).addCommand(voidCmd).addCommand(setNext).addCommand(log);
}
