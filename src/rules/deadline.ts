import { endOfDayInstant, formatDate, isoInZone, wallClock } from '../dates.js';
import type { Rule } from './types.js';

/** "25 September 2012 05:30" in the secretariat's zone. */
function localTime(iso: string, timeZone: string): string {
  const { date, time } = wallClock(new Date(iso), timeZone);
  return `${formatDate(date)} ${time.slice(0, 5)}`;
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
        message: `received ${localTime(r.receivedAt!, timezone)} ${timezone} (${isoInZone(r.receivedAt, timezone)}), after the deadline of ${formatDate(day)}`,
        fix: `refuse it, or accept it late with a reason: nv reply set ${r.id} --accept --reason "…"`,
      }));
  },
};
