import { endOfDayInstant, formatDate } from '../dates.js';
import type { Rule } from './types.js';

/** "25 September 2012 05:30" in the secretariat's zone. */
function localTime(iso: string, timeZone: string): string {
  const p = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(iso));
  const get = (t: string) => p.find((x) => x.type === t)!.value;
  return `${formatDate(`${get('year')}-${get('month')}-${get('day')}`)} ${get('hour')}:${get('minute')}`;
}

export const deadline: Rule = {
  id: 'deadline',
  defaultSeverity: 'error',
  description: "received not later than the deadline day, end of day in the secretariat's time zone",
  check: (ctx) => {
    const { deadline: day, timezone } = ctx.config.meeting;
    const end = endOfDayInstant(day, timezone).getTime();
    return ctx.replies
      .filter((r) => r.receivedAt !== null && Date.parse(r.receivedAt) >= end)
      .map((r) => ({
        state: r.state,
        reply: r.id,
        file: r.originalName,
        message: `received ${localTime(r.receivedAt!, timezone)} ${timezone} (${r.receivedAt}), after the deadline of ${formatDate(day)}`,
        fix: `refuse it, or accept it late with a reason: nv reply set ${r.id} --accept --reason "…"`,
      }));
  },
};
