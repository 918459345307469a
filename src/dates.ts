/**
 * Calendar dates the UN way. Dates are plain `yyyy-mm-dd` strings, never `Date` objects formatted
 * in the machine's zone (a machine set to New York prints 2012-08-15 as 14 August).
 */

const MONTHS: Record<string, string[]> = {
  en: 'January February March April May June July August September October November December'.split(' '),
  fr: 'janvier février mars avril mai juin juillet août septembre octobre novembre décembre'.split(' '),
  es: 'enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre'.split(' '),
  // Russian dates use the genitive: "15 августа 2012 года".
  ru: 'января февраля марта апреля мая июня июля августа сентября октября ноября декабря'.split(' '),
};

export const DATE_LANGUAGES = Object.keys(MONTHS);

export interface PlainDate {
  year: number;
  month: number; // 1-12
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parsePlainDate(s: string): PlainDate | undefined {
  const m = ISO_DATE.exec(s.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    return undefined;
  return { year, month, day };
}

function mustParse(s: string): PlainDate {
  const d = parsePlainDate(s);
  if (!d) throw new RangeError(`not a calendar date (yyyy-mm-dd): ${s}`);
  return d;
}

function monthName(lang: string, month: number): string {
  const names = MONTHS[lang] ?? MONTHS.en!;
  return names[month - 1]!;
}

function dayText(lang: string, day: number): string {
  return lang === 'fr' && day === 1 ? '1er' : String(day);
}

function dayMonth(lang: string, d: PlainDate): string {
  if (lang === 'es') return `${d.day} de ${monthName(lang, d.month)}`;
  return `${dayText(lang, d.day)} ${monthName(lang, d.month)}`;
}

function yearText(lang: string, year: number): string {
  if (lang === 'es') return `de ${year}`;
  if (lang === 'ru') return `${year} года`;
  return String(year);
}

/** "15 August 2012", "15 août 2012", "15 de agosto de 2012", "15 августа 2012 года". */
export function formatDate(iso: string, lang = 'en'): string {
  const d = mustParse(iso);
  return `${dayMonth(lang, d)} ${yearText(lang, d.year)}`;
}

const RANGE_WORD: Record<string, string> = { en: 'to', fr: 'au', es: 'al', ru: '–' };

/**
 * A range of days the UN way: "22 to 23 October 2012", "30 September to 2 October 2012",
 * "30 December 2012 to 2 January 2013". The word before the range ("from", "du", "del") is the
 * template's.
 */
export function formatDateRange(startIso: string, endIso: string, lang = 'en'): string {
  const a = mustParse(startIso);
  const b = mustParse(endIso);
  if (startIso === endIso) return formatDate(startIso, lang);
  const word = RANGE_WORD[lang] ?? RANGE_WORD.en!;
  // Russian joins bare numbers with an unspaced dash ("22–23 октября"), dated parts with a spaced
  // one ("30 сентября – 2 октября").
  const join = (x: string, y: string) =>
    lang === 'ru' && !/\s/.test(x) ? `${x}${word}${y}` : `${x} ${word} ${y}`;
  if (a.year !== b.year) return join(formatDate(startIso, lang), formatDate(endIso, lang));
  if (a.month !== b.month) return `${join(dayMonth(lang, a), dayMonth(lang, b))} ${yearText(lang, b.year)}`;
  if (lang === 'es') return `${join(String(a.day), dayMonth(lang, b))} ${yearText(lang, b.year)}`;
  return `${join(dayText(lang, a.day), dayMonth(lang, b))} ${yearText(lang, b.year)}`;
}

/** The compact form used in parentheses: "15-19 October 2012" (as in the seed note). */
export function formatDateSpan(startIso: string, endIso: string, lang = 'en'): string {
  const a = mustParse(startIso);
  const b = mustParse(endIso);
  if (startIso === endIso) return formatDate(startIso, lang);
  if (a.year === b.year && a.month === b.month) {
    return `${dayText(lang, a.day)}-${formatDate(endIso, lang)}`;
  }
  return formatDateRange(startIso, endIso, lang);
}

/**
 * The instant at which a calendar day ends in a time zone: the first instant of the next day
 * there. A reply is on time when it is received strictly before this instant.
 */
export function endOfDayInstant(iso: string, timeZone: string): Date {
  const d = mustParse(iso);
  const nextDayUtc = Date.UTC(d.year, d.month - 1, d.day + 1);
  // The zone's offset can differ at midnight and noon (DST); correct twice.
  let guess = nextDayUtc;
  for (let i = 0; i < 2; i++) guess = nextDayUtc - zoneOffsetMs(new Date(guess), timeZone);
  // `guess` shows local midnight, unless the zone skips it (DST starting at 00:00, as in
  // America/Sao_Paulo or America/Santiago, or a skipped day as in Pacific/Apia): then the day ends
  // at the transition, the first instant whose local date is later. Find it by bisection.
  const isNextDay = (t: number) => t + zoneOffsetMs(new Date(t), timeZone) >= nextDayUtc;
  if (isNextDay(guess) && !isNextDay(guess - 1)) return new Date(guess);
  // No zone is more than 14 h from UTC: local dates are earlier at lo and later at hi.
  let lo = nextDayUtc - 16 * 3_600_000;
  let hi = nextDayUtc + 16 * 3_600_000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (isNextDay(mid)) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** The wall clock of a time zone at an instant: date (yyyy-mm-dd) and time (hh:mm:ss). */
export function wallClock(at: Date, timeZone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    time: `${get('hour')}:${get('minute')}:${get('second')}`,
  };
}

/** Offset of `timeZone` from UTC at `at`, in ms (Vienna in summer: +2 h). */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const { date, time } = wallClock(at, timeZone);
  const asUtc = Date.parse(`${date}T${time}Z`);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function offsetText(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  return `${ms < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** ISO 8601 with the zone's offset ("2012-09-25T05:30:09+02:00"); null stays null. */
export function isoInZone(iso: string | null, timeZone: string): string | null {
  if (!iso) return null;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const { date, time } = wallClock(at, timeZone);
  return `${date}T${time}${offsetText(zoneOffsetMs(at, timeZone))}`;
}
