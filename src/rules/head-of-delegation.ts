import type { Rule } from './types.js';

export const headOfDelegation: Rule = {
  id: 'head-of-delegation',
  defaultSeverity: 'warning',
  description: 'each delegation names exactly one head',
  check: (ctx) =>
    ctx.delegations.flatMap((d) => {
      const heads = d.participants.filter((p) => p.role === 'head');
      if (heads.length === 1) return [];
      return [
        {
          state: d.state,
          reply: d.replyId,
          file: d.sourceName,
          message:
            heads.length === 0
              ? `the delegation of ${d.state} names no head of delegation`
              : `the delegation of ${d.state} names ${heads.length} heads: ${heads.map((h) => h.fullName).join(', ')}`,
          fix: 'ask the Government who heads its delegation and import its corrected list',
        },
      ];
    }),
};
