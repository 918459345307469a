import { labelKey } from './normalise.js';

/** A meeting a participant can attend, as `nv.yaml` names it: its key and the names people write. */
export interface MeetingOption {
  key: string;
  names: string[];
}

export type MeetingMatch = { ok: true; keys: string[] } | { ok: false; message: string };

/** Words for "every meeting" ("both" only when there are exactly two). Compared through `labelKey`. */
// prettier-ignore
const BOTH = ['both', 'both meetings', 'les deux', 'les deux réunions', 'ambas', 'ambos', 'ambas reuniones', 'оба', 'обе', 'оба совещания', 'كلاهما', 'كلا الاجتماعين', 'الاجتماعين', '两者', '两个会议', '两个', '均参加', '都参加'].map(labelKey);
// prettier-ignore
const ALL = ['all', 'all meetings', 'tous', 'toutes', 'toutes les réunions', 'todas', 'todos', 'todas las reuniones', 'все', 'все совещания', 'الكل', 'جميع الاجتماعات', '全部', '所有会议'].map(labelKey);

/** Separators between meetings in one cell: ; , / + & | line breaks, and "and" in the six languages. */
const SEPARATORS = /\s*(?:[;,/+&|\n\r]|\s(?:and|et|y|e|и|و)\s|、|，|；|及|和)\s*/iu;

/**
 * Reads the meetings cell of a participant: "both", "UNCAC", "UNTOC WG", "UNCAC; UNTOC",
 * "les deux", "ambas", "оба"… A part matches a meeting when it equals its key or one of its names
 * (through `labelKey`: case, accents and punctuation folded), and only then: a part that merely
 * contains a name ("uncac-cosp" contains "UNCAC") is not that meeting, it is an error. Every part
 * must match one. An empty cell gives no meeting: what an empty cell means is the caller's decision.
 */
export function matchMeetings(raw: string, meetings: readonly MeetingOption[]): MeetingMatch {
  const whole = labelKey(raw);
  if (whole === '') return { ok: true, keys: [] };
  if (ALL.includes(whole)) return { ok: true, keys: meetings.map((m) => m.key) };
  if (BOTH.includes(whole)) {
    if (meetings.length === 2) return { ok: true, keys: meetings.map((m) => m.key) };
    return {
      ok: false,
      message: `"${raw.trim()}" is unclear: there are ${meetings.length} meetings (${describe(meetings)}); name them, or write "all"`,
    };
  }
  const single = exactMeeting(whole, meetings);
  if (single !== undefined) return { ok: true, keys: [single] };
  const found = new Set<string>();
  for (const part of raw.split(SEPARATORS)) {
    const key = labelKey(part);
    if (key === '') continue;
    const m = exactMeeting(key, meetings);
    if (m === undefined) {
      return {
        ok: false,
        message: `unknown meeting "${part.trim()}": expected ${describe(meetings)}${meetings.length === 2 ? ', or "both"' : ', or "all"'}`,
      };
    }
    found.add(m);
  }
  return { ok: true, keys: meetings.map((m) => m.key).filter((k) => found.has(k)) };
}

/** The meeting key a header or cell names exactly (key or name), if any. */
export function meetingNamed(raw: string, meetings: readonly MeetingOption[]): string | undefined {
  const key = labelKey(raw);
  return key === '' ? undefined : exactMeeting(key, meetings);
}

function exactMeeting(key: string, meetings: readonly MeetingOption[]): string | undefined {
  return meetings.find((m) => labelKey(m.key) === key || m.names.some((n) => labelKey(n) === key))?.key;
}

function describe(meetings: readonly MeetingOption[]): string {
  return meetings.map((m) => (m.names[0] ? `${m.key} (${m.names[0]})` : m.key)).join(', ');
}

// prettier-ignore
const YES = ['x', 'yes', 'y', 'oui', 'o', 'si', 'sí', 'да', 'д', 'نعم', '是', '√', '✓', '✔', '1', 'true', 'attends', 'participe', 'participa'].map(labelKey);
// prettier-ignore
const NO = ['no', 'n', 'non', 'нет', 'н', 'لا', '否', '0', 'false', '-', '–', '—', '×'].map(labelKey);

/**
 * A cell in a column named after one meeting ("UNCAC", "UNTOC WG"): yes/x/✓ (in the six
 * languages) or no/empty. Undefined when it is neither.
 */
export function parseAttendanceMark(raw: string): boolean | undefined {
  const trimmed = raw.trim();
  if (trimmed === '') return false;
  const key = labelKey(trimmed);
  // Symbols ("✓", "×", "-") vanish from label keys: compare those as written.
  if (key === '') {
    if (['√', '✓', '✔', '☑', '✅'].includes(trimmed)) return true;
    if (['-', '–', '—', '×', '✗', '✘'].includes(trimmed)) return false;
    return undefined;
  }
  if (YES.includes(key)) return true;
  if (NO.includes(key)) return false;
  return undefined;
}
