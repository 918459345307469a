/**
 * Times as the clerk reads them: in the secretariat's time zone (nv.yaml `meeting.timezone`),
 * "2012-09-25 05:30 +02:00" for a person, ISO 8601 with that zone's offset in JSON
 * ("2012-09-25T05:30:09+02:00"). The register keeps instants in UTC; only the showing changes.
 */
import { isoInZone } from '../dates.js';

export { isoInZone };

/** "2012-09-25 05:30 +02:00" in the zone, or `unknown` when there is no time. */
export function shownTime(iso: string | null, timeZone: string, unknown = '(time unknown)'): string {
  const z = isoInZone(iso, timeZone);
  return z ? `${z.slice(0, 10)} ${z.slice(11, 16)} ${z.slice(19)}` : unknown;
}

/** A reply (or anything with its time fields) with those times in the zone, for JSON. */
export function zonedReply<
  T extends {
    receivedAt: string | null;
    decidedAt?: string | null;
    ingestedAt?: string;
    removedAt?: string | null;
  },
>(r: T, timeZone: string): T {
  const out = { ...r, receivedAt: isoInZone(r.receivedAt, timeZone) };
  if (r.decidedAt !== undefined) out.decidedAt = isoInZone(r.decidedAt, timeZone);
  if (r.ingestedAt !== undefined) out.ingestedAt = isoInZone(r.ingestedAt, timeZone)!;
  if (r.removedAt !== undefined) out.removedAt = isoInZone(r.removedAt, timeZone);
  return out;
}
