import type { Rule } from './types.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const delegationContact: Rule = {
  id: 'delegation-contact',
  defaultSeverity: 'error',
  description: 'every participant has name(s), title(s) and a valid e-mail address',
  check: (ctx) =>
    ctx.delegations.flatMap((d) =>
      d.participants.flatMap((p) => {
        const missing = [
          !p.fullName.trim() && 'a name',
          !p.title.trim() && 'a title',
          !p.email.trim()
            ? 'an e-mail address'
            : !EMAIL.test(p.email) && `a valid e-mail address (not "${p.email}")`,
        ].filter((x): x is string => !!x);
        if (!missing.length) return [];
        return [
          {
            state: d.state,
            reply: d.replyId,
            participant: p.id,
            file: d.sourceName,
            message: `${p.fullName || 'a participant'} (line ${p.line}) is missing ${missing.join(' and ')}`,
            fix: `ask the Government for the missing details and import its corrected list`,
          },
        ];
      }),
    ),
};
