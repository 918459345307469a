import type { Rule } from './types.js';

export const unreadableFile: Rule = {
  id: 'unreadable-file',
  defaultSeverity: 'error',
  description: 'a file could not be read (corrupt, truncated, empty, password-protected)',
  check: (ctx) =>
    ctx.replies.flatMap((r) =>
      r.documents
        .filter((d) => d.class === 'unreadable')
        .map((d) => ({
          state: r.state,
          reply: r.id,
          file: d.name,
          message: `${d.name ?? 'a document'} cannot be read: ${d.reason}`,
          fix: 'ask the Government to send the file again, readable and without a password',
        })),
    ),
};
