import { parseReference } from '../references/format.js';
import type { Rule } from './types.js';

export const reference: Rule = {
  id: 'reference',
  defaultSeverity: 'warning',
  description: 'a reference cited in the reply is one the register sent to that State',
  check: (ctx) =>
    ctx.replies
      .filter((r) => r.state !== null && r.cited.length > 0)
      .flatMap((r) => {
        const toState = ctx.sent.filter((n) => n.recipient === r.state);
        return r.cited
          .filter((cited) => {
            const p = parseReference(cited, ctx.config.reference.format, ctx.config.reference.office);
            if (!p) return true;
            return !toState.some(
              (n) =>
                n.dispatch.series === p.series &&
                n.dispatch.year === p.year &&
                n.dispatch.seq === p.seq &&
                (!p.variant || p.variant === n.variant),
            );
          })
          .map((cited) => ({
            state: r.state,
            reply: r.id,
            file: r.originalName,
            message: `cites ${cited}, which the register did not send to ${r.state}${toState.length ? ` (it was sent ${toState.map((n) => ctx.referenceOf(n)).join(', ')})` : ''}`,
            fix: 'check that the reply is filed under the right State and answers the right note',
          }));
      }),
};
