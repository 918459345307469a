import { foldName } from '../states/index.js';
import type { RawFinding, Rule } from './types.js';

export const duplicateParticipant: Rule = {
  id: 'duplicate-participant',
  defaultSeverity: 'warning',
  description: 'the same person twice (same e-mail, or same name in one delegation)',
  check: (ctx) => {
    const out: RawFinding[] = [];
    const byEmail = new Map<string, { state: string; name: string; line: number }>();
    for (const d of ctx.delegations) {
      const names = new Map<string, number>();
      for (const p of d.participants) {
        const email = p.email.trim().toLowerCase();
        const seen = email ? byEmail.get(email) : undefined;
        const name = foldName(`${p.givenName} ${p.familyName}`.trim() || p.fullName);
        const sameName = names.get(name);
        if (seen || sameName !== undefined) {
          out.push({
            state: d.state,
            reply: d.replyId,
            participant: p.id,
            file: d.sourceName,
            message: seen
              ? `${p.fullName} (line ${p.line}) has the e-mail ${p.email} of ${seen.name} (${seen.state}, line ${seen.line})`
              : `${p.fullName} is listed twice in the delegation of ${d.state} (lines ${sameName} and ${p.line})`,
            fix: 'keep the person once: ask the Government for its corrected list',
          });
        }
        if (email && !seen) byEmail.set(email, { state: d.state, name: p.fullName, line: p.line });
        if (sameName === undefined) names.set(name, p.line);
      }
    }
    return out;
  },
};
