import { Command } from 'commander';
import { z } from 'zod';
import type { Delivery } from '../../dispatch/delivery.js';
import {
  readFacts,
  stateStatus,
  undeliveredStates,
  type StateRow,
  type StatusReport,
  type UndeliveredState,
} from '../../replies/status.js';
import { makeIo, printJson, type Io } from '../io.js';
import { isoInZone, shownTime, zonedReply } from '../clerk-times.js';
import { unsettledCategories, warnUnsettled } from '../unsettled.js';
import { openWorkspace, workspaceOption } from '../workspace-option.js';
import type { Workspace } from '../../workspace/load.js';

const statusOptions = z.object({
  missing: z.boolean().optional(),
  undelivered: z.boolean().optional(),
  json: z.boolean().optional(),
});

/** A delivery with its time in the secretariat's zone, for JSON. */
const zonedDelivery = (d: Delivery | null, tz: string) => d && { ...d, at: isoInZone(d.at, tz)! };

/** A server's words on one line. */
const oneLine = (text: string | null) => (text ?? 'no reason recorded').replace(/\s+/g, ' ').trim();

/** What became of a note's message, in a few words: "e-mail sent 2012-08-15 10:02 +02:00". */
export function deliveryText(d: Delivery | null, tz: string): string {
  if (!d) return 'not dispatched';
  const at = shownTime(d.at, tz);
  switch (d.status) {
    case 'sent':
      return `e-mail sent ${at}`;
    case 'drafted':
      return `drafted ${at}, not confirmed sent`;
    case 'sending':
      return `sending since ${at}, may or may not have left`;
    case 'failed':
    case 'bounced':
      return `e-mail ${d.status} ${at}: ${oneLine(d.reason)}`;
  }
}

/** What the officer can do to reach a State listed by `--undelivered`, in one sentence. */
function undeliveredAction(u: UndeliveredState, tz: string): string {
  const again = `nv dispatch "${u.reference}" --only ${u.state}`;
  switch (u.why) {
    case 'no-note':
      return `no note yet: nv generate --only ${u.state}`;
    case 'no-address':
      return `not dispatched: no e-mail address in recipients.csv (line ${u.line}); reach it another way, or add the address and run ${again}`;
    case 'not-dispatched':
      return `not dispatched by nv: run ${again}, or reach it another way`;
    case 'sending':
      return `${deliveryText(u.delivery, tz)} (nv dispatch "${u.reference}" --resolve)`;
    case 'bounced':
    case 'failed':
      return `${deliveryText(u.delivery, tz)} (to ${u.delivery!.to.join('; ')}); reach it another way, or correct its email in recipients.csv and run ${again}`;
  }
}

function presentUndelivered(io: Io, ws: Workspace, report: StatusReport, json: boolean): void {
  const tz = ws.config.meeting.timezone;
  const { states, drafted } = undeliveredStates(ws, report);
  const action = (u: UndeliveredState) => undeliveredAction(u, tz);
  if (json)
    return printJson(io, {
      timeZone: tz,
      states: states.map((u) => ({ ...u, delivery: zonedDelivery(u.delivery, tz), action: action(u) })),
      drafted,
    });
  warnUnsettled(io, ws);
  const width = Math.max(0, ...states.map((u) => u.name.length));
  const refWidth = Math.max(0, ...states.map((u) => (u.reference ?? '(no note)').length));
  for (const u of states)
    io.out(
      `${u.state}  ${u.name.padEnd(width)}  ${(u.reference ?? '(no note)').padEnd(refWidth)}  ${action(u)}`,
    );
  const count = (why: UndeliveredState['why']) => states.filter((u) => u.why === why).length;
  io.out(
    `${states.length} State(s) without reply to reach another way: ${count('bounced')} bounced, ${count('failed')} failed, ${count('sending')} may or may not have left, ${count('no-address')} without an e-mail address, ${count('not-dispatched')} not dispatched, ${count('no-note')} without a note; ${drafted} only drafted (nv cannot know whether they were sent) not listed. Times in ${tz}.`,
  );
}

function statusLine(io: Io, r: StateRow, tz: string, width: number): string {
  const note = r.notes[0] ? r.notes.map((n) => n.reference).join(', ') : '(no note)';
  // The delivery of the latest note: what the State was last sent (--json has each note's).
  const delivery = r.notes[0]
    ? `  ${r.notes.length > 1 ? 'latest ' : ''}${deliveryText(r.delivery, tz)}`
    : '';
  const reply = r.reply
    ? `reply ${r.reply.id} ${shownTime(r.reply.receivedAt, tz)} ${r.reply.channel ?? '?'} ${r.reply.classes.join('+')}`
    : '';
  const st =
    r.status === 'accepted'
      ? io.color.green(r.status)
      : r.status === 'no-reply'
        ? r.status
        : io.color.yellow(r.status);
  return `${r.state}  ${r.name.padEnd(width)}  ${note}${delivery}  ${st}${reply ? `  ${reply}` : ''}${r.findings ? `  ${r.findings} finding(s)` : ''}${r.awaitingReview ? `  ${r.awaitingReview} reply(ies) awaiting review` : ''}`;
}

export function statusCommand(): Command {
  const cmd = new Command('status')
    .description('one row per invited State: note sent, its e-mail, reply, its state, open findings; totals')
    .option('--missing', 'only the States that have not replied (for a reminder)')
    .option(
      '--undelivered',
      'only the States without reply whose latest note bounced, failed, may not have left or was not dispatched: to reach another way',
    )
    .option('--json', 'print one JSON document on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  nv status\n  nv status --missing --json\n  nv status --undelivered\n  nv generate --template reminder --only-missing',
    );
  workspaceOption(cmd).action(async (raw: unknown) => {
    const o = statusOptions.parse(raw);
    const io = makeIo();
    const { ws, register } = await openWorkspace(cmd);
    try {
      const report = stateStatus(ws, await readFacts(register));
      // Every State --undelivered lists has no reply, so it is one of --missing's as well.
      if (o.undelivered) return presentUndelivered(io, ws, report, !!o.json);
      const rows = o.missing
        ? report.rows.filter((r) => r.status === 'no-reply' || r.status === 'refused')
        : report.rows;
      const tz = ws.config.meeting.timezone;
      if (o.json)
        return printJson(io, {
          timeZone: tz,
          rows: rows.map((r) => ({
            ...r,
            notes: r.notes.map((n) => ({ ...n, delivery: zonedDelivery(n.delivery, tz) })),
            delivery: zonedDelivery(r.delivery, tz),
            reply: r.reply && zonedReply(r.reply, tz),
          })),
          totals: report.totals,
          unassigned: report.unassigned,
          unsettled: unsettledCategories(ws),
        });
      warnUnsettled(io, ws);
      // A State's name is never cut: the column is as wide as the longest name shown.
      const width = Math.max(0, ...rows.map((r) => r.name.length));
      for (const r of rows) io.out(statusLine(io, r, tz, width));
      const t = report.totals;
      const d = t.delivery;
      io.out(
        `${t.invited} invited, ${t.noted} sent a note (latest note by e-mail: ${d.sent} sent, ${d.bounced} bounced, ${d.failed} failed, ${d.drafted} drafted${d.sending ? `, ${d.sending} may or may not have left` : ''}, ${d.notDispatched} not dispatched); ${t.replies} repl${t.replies === 1 ? 'y' : 'ies'}, ${t.awaitingReview} awaiting review (nv review); States: ${t.accepted} accepted, ${t.late} late, ${t.refused} refused, ${t['needs-review']} under review, ${t['no-reply']} without reply; ${t.openFindings} open finding(s)${report.unassigned.length ? `; ${report.unassigned.length} reply(ies) from no known State` : ''}. Times in ${tz}.`,
      );
    } finally {
      await register.close();
    }
  });
  return cmd;
}
