import type { Rule } from './types.js';

export const meetingChoice: Rule = {
  id: 'meeting-choice',
  defaultSeverity: 'error',
  description: 'every participant attends meetings that exist (those of nv.yaml)',
  check: (ctx) => {
    const keys = new Set(ctx.config.meeting.meetings.map((m) => m.key));
    const names = ctx.config.meeting.meetings.map((m) => m.key).join(', ');
    return ctx.delegations.flatMap((d) =>
      d.participants
        .filter((p) => p.meetings.length === 0 || p.meetings.some((m) => !keys.has(m)))
        .map((p) => ({
          state: d.state,
          reply: d.replyId,
          participant: p.id,
          file: d.sourceName,
          message:
            p.meetings.length === 0
              ? `${p.fullName} (line ${p.line}) attends no meeting that the list says`
              : `${p.fullName} (line ${p.line}) attends ${p.meetings.filter((m) => !keys.has(m)).join(', ')}, which is not a meeting of nv.yaml`,
          fix: `ask the Government which meetings (${names}) and import its corrected list`,
        })),
    );
  },
};
