import type { Rule } from './types.js';

export const knownState: Rule = {
  id: 'known-state',
  defaultSeverity: 'error',
  description: 'the reply or delegation comes from an invited State',
  check: (ctx) => {
    const invited = new Set(ctx.recipients.map((r) => r.code));
    return ctx.replies
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
      }));
  },
};
