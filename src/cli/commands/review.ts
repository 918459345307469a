import { Command } from 'commander';
import { UserError } from '../../errors.js';
import { applyDecision } from '../../replies/decide.js';
import { assess, awaitingReview, readFacts } from '../../replies/status.js';
import { actor, makeIo } from '../io.js';
import { askReceived, askState } from '../clerk-prompts.js';
import { input, select } from '../prompts.js';
import { openWorkspace, workspaceOption } from '../workspace-option.js';
import { describeReply } from './reply.js';
import { shownTime } from '../clerk-times.js';
import type { ReplyRecord } from '../../replies/records.js';
import type { Workspace } from '../../workspace/load.js';

type Choice = 'state' | 'received' | 'accept' | 'refuse' | 'skip' | 'quit';

function recordedText(ws: Workspace, choice: Choice, r: ReplyRecord): string {
  if (choice === 'state') {
    const name = ws.recipients.find((x) => x.code === r.state)?.name;
    return `State ${r.state ?? '(none)'}${name ? ` (${name})` : ''}`;
  }
  if (choice === 'received')
    return `received ${shownTime(r.receivedAt, ws.config.meeting.timezone)} (${ws.config.meeting.timezone})`;
  return `${r.decision ?? 'no decision'} by ${r.decidedBy}, reason: ${r.decisionReason}`;
}

export function reviewCommand(): Command {
  const cmd = new Command('review')
    .description('the clerk’s queue on a terminal: each reply that needs a decision, its facts, the choices')
    .addHelpText(
      'after',
      '\nExample:\n  nv review\n\nEvery choice has a flag for scripts: nv reply set ID --state …|--received …|--accept|--refuse --reason …',
    );
  workspaceOption(cmd).action(async () => {
    const io = makeIo();
    if (!io.interactive)
      throw new UserError(
        'nv review needs a terminal; in scripts use "nv reply list --status needs-review" and "nv reply set".',
      );
    const { ws, register } = await openWorkspace(cmd);
    const who = actor();
    try {
      const skipped = new Set<number>();
      let decided = 0;
      for (;;) {
        const next = awaitingReview(assess(ws, await readFacts(register)).replies).find(
          (r) => !skipped.has(r.id),
        );
        if (!next) break;
        io.err('');
        for (const l of describeReply(io, next, ws.config.meeting.timezone)) io.err(l);
        const choices: { name: string; value: Choice }[] = [
          { name: next.state ? 'Change the State' : 'Set the State', value: 'state' },
          ...(next.receivedAt ? [] : [{ name: 'Set the received time', value: 'received' as Choice }]),
          {
            name: next.findings.some((f) => !f.waived)
              ? 'Accept despite the findings (with a reason)'
              : 'Accept (with a reason)',
            value: 'accept',
          },
          { name: 'Refuse (with a reason)', value: 'refuse' },
          { name: 'Skip for now', value: 'skip' },
          { name: 'Quit', value: 'quit' },
        ];
        const choice = await select<Choice>(`Reply ${next.id}:`, choices);
        if (choice === 'quit') break;
        if (choice === 'skip') {
          skipped.add(next.id);
          continue;
        }
        let recorded: ReplyRecord;
        if (choice === 'state') {
          const state = await askState(ws, 'Which State sent it?');
          recorded = await applyDecision(register, next.id, { state }, who);
        } else if (choice === 'received') {
          recorded = await applyDecision(
            register,
            next.id,
            { receivedAt: await askReceived(ws, 'Received') },
            who,
          );
        } else {
          const reason = await input('Reason (kept in the register)', {
            validate: (s) => (s.trim() ? true : 'a reason is needed'),
          });
          recorded = await applyDecision(
            register,
            next.id,
            { decision: choice === 'accept' ? 'accepted' : 'refused', reason },
            who,
          );
          decided++;
        }
        // What the register now holds (read back, not what the prompt showed).
        io.err(io.color.bold(`Recorded for reply ${recorded.id}: ${recordedText(ws, choice, recorded)}.`));
      }
      const left = awaitingReview(assess(ws, await readFacts(register)).replies).length;
      io.err(`${decided} decision(s) made; ${left} reply(ies) still wait for a decision.`);
    } finally {
      await register.close();
    }
  });
  return cmd;
}
