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
  // UN Arabic documents print both month names, the Syriac (Levantine) one first, then the one
  // used in Egypt and the Maghreb, with the UN's spellings "يونيه" and "يوليه" ("15 آب/أغسطس 2012").
  ar: [
    'كانون الثاني/يناير',
    'شباط/فبراير',
    'آذار/مارس',
    'نيسان/أبريل',
    'أيار/مايو',
    'حزيران/يونيه',
    'تموز/يوليه',
    'آب/أغسطس',
    'أيلول/سبتمبر',
    'تشرين الأول/أكتوبر',
    'تشرين الثاني/نوفمبر',
    'كانون الأول/ديسمبر',
  ],
  // Chinese writes the month as a number ("8月"); see chineseDate.
  zh: Array.from({ length: 12 }, (_, i) => `${i + 1}月`),
};

/** The languages whose dates nv writes: the six official languages of the United Nations. */
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

/** The language a date is written in: the primary subtag of a tag ("fr-CH" → fr), English for one nv does not write. */
function dateLanguage(lang: string): string {
  const primary = lang.toLowerCase().split(/[-_]/)[0]!;
  return primary in MONTHS ? primary : 'en';
}

/** The twelve month names a date in this language prints (genitive in Russian, "8月" in Chinese). */
export function monthNames(lang: string): readonly string[] {
  return MONTHS[dateLanguage(lang)]!;
}

function monthName(lang: string, month: number): string {
  return MONTHS[lang]![month - 1]!;
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

/** Chinese: "2012年8月15日"; the parts given are written, the year only when `year` is set. */
function chinese(d: PlainDate, parts: { year: boolean; month: boolean }): string {
  return `${parts.year ? `${d.year}年` : ''}${parts.month ? `${d.month}月` : ''}${d.day}日`;
}

/**
 * "15 August 2012", "15 août 2012" ("1er octobre"), "15 de agosto de 2012", "15 августа 2012
 * года", "2012年8月15日", "15 آب/أغسطس 2012" (Latin digits, as UN Arabic documents print them).
 * `lang` is a language tag; one nv does not write dates in gives the English form.
 */
export function formatDate(iso: string, lang = 'en'): string {
  const d = mustParse(iso);
  const l = dateLanguage(lang);
  if (l === 'zh') return chinese(d, { year: true, month: true });
  return `${dayMonth(l, d)} ${yearText(l, d.year)}`;
}

/** The word between the two ends of a range; the word before it ("from", "du", "del", "من") is the template's. */
const RANGE_WORD: Record<string, string> = { en: 'to', fr: 'au', es: 'al', ru: '–', ar: 'إلى', zh: '至' };

/**
 * A range of days the UN way, to follow "from" ("du", "del", "من"): "22 to 23 October 2012",
 * "30 September to 2 October 2012", "30 December 2012 to 2 January 2013"; "22 au 23 octobre
 * 2012"; "22 al 23 de octubre de 2012"; "22–23 октября 2012 года", "30 сентября – 2 октября 2012
 * года"; "2012年10月22日至23日", "2012年9月30日至10月2日"; "22 إلى 23 تشرين الأول/أكتوبر 2012".
 */
export function formatDateRange(startIso: string, endIso: string, lang = 'en'): string {
  const a = mustParse(startIso);
  const b = mustParse(endIso);
  const l = dateLanguage(lang);
  if (startIso === endIso) return formatDate(startIso, l);
  const word = RANGE_WORD[l]!;
  if (l === 'zh') {
    const sameYear = a.year === b.year;
    return `${chinese(a, { year: true, month: true })}${word}${chinese(b, { year: !sameYear, month: !sameYear || a.month !== b.month })}`;
  }
  // Russian joins bare numbers with an unspaced dash ("22–23 октября"), dated parts with a spaced
  // one ("30 сентября – 2 октября").
  const join = (x: string, y: string) =>
    l === 'ru' && !/\s/.test(x) ? `${x}${word}${y}` : `${x} ${word} ${y}`;
  if (a.year !== b.year) return join(formatDate(startIso, l), formatDate(endIso, l));
  if (a.month !== b.month) return `${join(dayMonth(l, a), dayMonth(l, b))} ${yearText(l, b.year)}`;
  if (l === 'es') return `${join(String(a.day), dayMonth(l, b))} ${yearText(l, b.year)}`;
  return `${join(dayText(l, a.day), dayMonth(l, b))} ${yearText(l, b.year)}`;
}

/** "and" between two days in a row, as UN document titles write them ("22 and 23 October 2012"). */
const AND_WORD: Record<string, string> = { en: 'and', fr: 'et', es: 'y', ru: 'и', ar: 'و', zh: '至' };

/**
 * The dates of a meeting as a UN document's title writes them: two days in a row of one month
 * joined by "and" ("22 and 23 October 2012", "22 et 23 octobre 2012", "22 y 23 de octubre de
 * 2012", "22 и 23 октября 2012 года", "22 و23 تشرين الأول/أكتوبر 2012", "2012年10月22日至23日");
 * longer meetings as formatDateSpan.
 */
export function formatTitleDates(startIso: string, endIso: string, lang = 'en'): string {
  const a = mustParse(startIso);
  const b = mustParse(endIso);
  const l = dateLanguage(lang);
  const next = new Date(Date.UTC(a.year, a.month - 1, a.day + 1)).toISOString().slice(0, 10);
  if (next !== endIso || a.month !== b.month || l === 'zh') return formatDateSpan(startIso, endIso, l);
  // Arabic attaches "و" to the number that follows it.
  const and = l === 'ar' ? ` ${AND_WORD[l]}` : ` ${AND_WORD[l]} `;
  return `${dayText(l, a.day)}${and}${formatDate(endIso, l)}`;
}

/**
 * The compact form used in parentheses: "15-19 October 2012" (as in the seed note), "15–19
 * октября 2012 года", "2012年10月15日至19日"; a range over two months or years as formatDateRange.
 */
export function formatDateSpan(startIso: string, endIso: string, lang = 'en'): string {
  const a = mustParse(startIso);
  const b = mustParse(endIso);
  const l = dateLanguage(lang);
  if (startIso === endIso) return formatDate(startIso, l);
  if (a.year === b.year && a.month === b.month && l !== 'zh') {
    return `${dayText(l, a.day)}${l === 'ru' ? '–' : '-'}${formatDate(endIso, l)}`;
  }
  return formatDateRange(startIso, endIso, l);
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
