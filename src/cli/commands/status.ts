import { Command } from 'commander';
import { z } from 'zod';
import { readFacts, stateStatus } from '../../replies/status.js';
import { makeIo, printJson } from '../io.js';
import { shownTime, zonedReply } from '../clerk-times.js';
import { unsettledCategories, warnUnsettled } from '../unsettled.js';
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
  workspaceOption(cmd).action(async (raw: unknown) => {
    const o = statusOptions.parse(raw);
    const io = makeIo();
    const { ws, register } = await openWorkspace(cmd);
    try {
      const report = stateStatus(ws, await readFacts(register));
      const rows = o.missing
        ? report.rows.filter((r) => r.status === 'no-reply' || r.status === 'refused')
        : report.rows;
      const tz = ws.config.meeting.timezone;
      if (o.json)
        return printJson(io, {
          timeZone: tz,
          rows: rows.map((r) => (r.reply ? { ...r, reply: zonedReply(r.reply, tz) } : r)),
          totals: report.totals,
          unassigned: report.unassigned,
          unsettled: unsettledCategories(ws),
        });
      warnUnsettled(io, ws);
      // A State's name is never cut: the column is as wide as the longest name shown.
      const width = Math.max(0, ...rows.map((r) => r.name.length));
      for (const r of rows) {
        const note = r.notes[0] ? r.notes.map((n) => n.reference).join(', ') : '(no note)';
        const reply = r.reply
          ? `reply ${r.reply.id} ${shownTime(r.reply.receivedAt, tz)} ${r.reply.channel ?? '?'} ${r.reply.classes.join('+')}`
          : '';
        const st =
          r.status === 'accepted'
            ? io.color.green(r.status)
            : r.status === 'no-reply'
              ? r.status
              : io.color.yellow(r.status);
        io.out(
          `${r.state}  ${r.name.padEnd(width)}  ${note}  ${st}${reply ? `  ${reply}` : ''}${r.findings ? `  ${r.findings} finding(s)` : ''}${r.awaitingReview ? `  ${r.awaitingReview} reply(ies) awaiting review` : ''}`,
        );
      }
      const t = report.totals;
      io.out(
        `${t.invited} invited, ${t.noted} sent a note; ${t.replies} repl${t.replies === 1 ? 'y' : 'ies'}, ${t.awaitingReview} awaiting review (nv review); States: ${t.accepted} accepted, ${t.late} late, ${t.refused} refused, ${t['needs-review']} under review, ${t['no-reply']} without reply; ${t.openFindings} open finding(s)${report.unassigned.length ? `; ${report.unassigned.length} reply(ies) from no known State` : ''}. Times in ${tz}.`,
      );
    } finally {
      await register.close();
    }
  });
  return cmd;
}
