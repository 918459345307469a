import type { RawFinding, Rule } from './types.js';

export const knownState: Rule = {
  id: 'known-state',
  defaultSeverity: 'error',
  description: 'the reply or delegation comes from an invited State',
  check: (ctx) => {
    const invited = new Set(ctx.recipients.map((r) => r.code));
    const lists: RawFinding[] = ctx.delegations
      .filter((d) => !invited.has(d.state))
      .map((d) => ({
        state: d.state,
        reply: d.replyId,
        file: d.sourceName,
        message: `the delegation list of ${d.state} (${d.participants.length} participant(s)) is from a State that was not invited`,
        fix: 'add the State to recipients.csv if it was invited, or import the list under the right State',
      }));
    return lists.concat(
      ctx.replies
        .filter((r) => r.state === null || !invited.has(r.state))
        .map((r) => ({
          state: r.state,
          reply: r.id,
          file: r.originalName,
          message:
            r.state === null
              ? 'nv could not tell which State the reply comes from'
              : `${r.state} was not invited (it is not in recipients.csv)`,
          fix: `set the State: nv reply set ${r.id} --state ISO3 (or choose it in nv review)`,
        })),
    );
  },
};
