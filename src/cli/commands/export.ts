import { Command } from 'commander';
import { relative } from 'node:path';
import { z } from 'zod';
import { parsePlainDate } from '../../dates.js';
import { UserError } from '../../errors.js';
import { exportParticipants, exportStatus } from '../../participants/export.js';
import { LABEL_LANGUAGES, labelLanguage } from '../../text/labels.js';
import { makeIo, printJson } from '../io.js';
import { oneOf } from '../options.js';
import { warnUnsettled } from '../unsettled.js';
import { openWorkspace, workspaceOption } from '../workspace-option.js';

const participantsOptions = z.object({
  meeting: z.string().optional(),
  format: oneOf('--format', ['csv', 'json', 'docx', 'pdf']).default('pdf'),
  out: z.string().optional(),
  contacts: z.boolean().optional(),
  status: oneOf('--status', ['accepted', 'all']).default('accepted'),
  asAt: z.string().optional(),
  language: oneOf('--language', LABEL_LANGUAGES).optional(),
  json: z.boolean().optional(),
});

export function exportCommand(): Command {
  const e = new Command('export').description('the consolidated list of participants, and the status table');

  const participants = workspaceOption(new Command('participants'))
    .description('the consolidated list of participants, laid out the way UN lists are')
    .option('--meeting <key>', 'only those who attend this meeting (a key of nv.yaml)')
    .option('--format <format>', 'csv, json, docx or pdf', 'pdf')
    .option(
      '--out <file>',
      'where to write it (default: out/participants[-MEETING].FORMAT; - for standard output)',
    )
    .option(
      '--contacts',
      'print e-mail and telephone in the DOCX and PDF list (CSV and JSON always carry them)',
    )
    .option('--status <which>', 'accepted (States whose reply is accepted) or all', 'accepted')
    .option(
      '--as-at <yyyy-mm-dd>',
      'the "information received as at" date (default: the last reply on the list)',
    )
    .option(
      '--language <code>',
      "the list's language: ar, zh, en, fr, ru or es (default: notes.language of nv.yaml)",
    )
    .option('--json', 'report what was written as JSON on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  nv export participants --format pdf\n  nv export participants --language fr --format docx\n  nv export participants --meeting untoc-wg --format docx\n  nv export participants --format csv --out - > participants.csv',
    );
  participants.action(async (raw: unknown) => {
    const o = participantsOptions.parse(raw);
    if (o.asAt !== undefined && !parsePlainDate(o.asAt))
      throw new UserError(`--as-at ${o.asAt} is not a calendar date; write it as yyyy-mm-dd.`);
    const io = makeIo();
    const { ws, register } = await openWorkspace(participants);
    try {
      const language = o.language ?? labelLanguage(ws.config.notes.language);
      if (!language)
        throw new UserError(
          `nv.yaml's notes.language ${ws.config.notes.language} is not one of the six UN languages a list is written in; give --language ar, zh, en, fr, ru or es.`,
        );
      warnUnsettled(io, ws); // the list's sections follow the categories
      const r = await exportParticipants(ws, register, {
        meeting: o.meeting,
        status: o.status,
        asAt: o.asAt,
        format: o.format,
        out: o.out,
        contacts: o.contacts,
        language,
      });
      if (r.path === null) process.stdout.write(r.bytes);
      else if (o.json)
        printJson(io, {
          path: relative(process.cwd(), r.path) || r.path,
          format: r.format,
          bytes: r.bytes.length,
          asAt: r.list?.asAt,
          language: r.list?.language,
          totals: r.list?.totals,
          counts: r.list?.counts,
        });
      else
        io.err(
          `Wrote ${relative(process.cwd(), r.path) || r.path}: ${r.list!.totals.participants} participant(s) of ${r.list!.totals.delegations} delegation(s), as at ${r.list!.asAt}.`,
        );
    } finally {
      await register.close();
    }
  });

  const status = workspaceOption(new Command('status'))
    .description('the table of nv status as CSV or JSON')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--out <file>', 'where to write it (default: out/status.FORMAT; - for standard output)')
    .addHelpText('after', '\nExample:\n  nv export status --format json --out -');
  status.action(async (raw: { format: string; out?: string }) => {
    const format = oneOf('--format', ['csv', 'json']).parse(raw.format);
    const io = makeIo();
    const { ws, register } = await openWorkspace(status);
    try {
      const r = await exportStatus(ws, register, { format, out: raw.out });
      if (r.path === null) process.stdout.write(r.bytes);
      else io.err(`Wrote ${relative(process.cwd(), r.path) || r.path}.`);
    } finally {
      await register.close();
    }
  });

  return e.addCommand(participants).addCommand(status);
}
