import { Command } from 'commander';
import { z } from 'zod';
import { stateStatus } from '../../replies/status.js';
import { makeIo, printJson } from '../io.js';
import { openWorkspace, workspaceOption } from '../workspace-option.js';

const statusOptions = z.object({ missing: z.boolean().optional(), json: z.boolean().optional() });

export function statusCommand(): Command {
  const cmd = new Command('status')
    .description('one row per invited State: note sent, reply, its state, open findings; totals')
    .option('--missing', 'only the States that have not replied (for a reminder)')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  nv status\n  nv status --missing --json\n  nv generate --template reminder --only-missing',
    );
  workspaceOption(cmd).action((raw: unknown) => {
    const o = statusOptions.parse(raw);
    const io = makeIo();
    const { ws, register } = openWorkspace(cmd);
    try {
      const report = stateStatus(ws, register);
      const rows = o.missing
        ? report.rows.filter((r) => r.status === 'no-reply' || r.status === 'refused')
        : report.rows;
      if (o.json) return printJson(io, { rows, totals: report.totals, unassigned: report.unassigned });
      for (const r of rows) {
        const note = r.notes[0] ? r.notes.map((n) => n.reference).join(', ') : '(no note)';
        const reply = r.reply
          ? `reply ${r.reply.id} ${r.reply.receivedAt ?? '(time unknown)'} ${r.reply.channel ?? '?'} ${r.reply.classes.join('+')}`
          : '';
        const st =
          r.status === 'accepted'
            ? io.color.green(r.status)
            : r.status === 'no-reply'
              ? r.status
              : io.color.yellow(r.status);
        io.out(
          `${r.state}  ${r.name.padEnd(30).slice(0, 30)}  ${note}  ${st}${reply ? `  ${reply}` : ''}${r.findings ? `  ${r.findings} finding(s)` : ''}`,
        );
      }
      const t = report.totals;
      io.out(
        `${t.invited} invited, ${t.noted} sent a note; ${t.replies} repl${t.replies === 1 ? 'y' : 'ies'}: ${t.accepted} accepted, ${t.late} late, ${t.refused} refused, ${t['needs-review']} to review, ${t['no-reply']} without reply; ${t.openFindings} open finding(s)${report.unassigned.length ? `; ${report.unassigned.length} reply(ies) from no known State` : ''}.`,
      );
    } finally {
      register.close();
    }
  });
  return cmd;
}
