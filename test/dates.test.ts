import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  endOfDayInstant,
  formatDate,
  formatDateRange,
  formatDateSpan,
  formatTitleDates,
  isValidTimeZone,
  parsePlainDate,
  zoneOffsetMs,
} from '../src/dates.js';
import { builtModules } from './helpers/unit-dist.js';

const HOUR = 3_600_000;

/** The calendar date an instant has in a zone, yyyy-mm-dd. */
function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

function addDays(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

describe('formatDate', () => {
  it.each([
    ['2012-08-15', 'en', '15 August 2012'],
    ['2012-09-24', 'en', '24 September 2012'],
    ['2012-01-01', 'en', '1 January 2012'],
    ['2012-08-15', 'fr', '15 août 2012'],
    ['2012-10-01', 'fr', '1er octobre 2012'],
    ['2012-08-15', 'es', '15 de agosto de 2012'],
    ['2012-08-15', 'ru', '15 августа 2012 года'],
    ['2012-08-15', 'xx', '15 August 2012'],
  ])('%s in %s is "%s"', (iso, lang, want) => {
    expect(formatDate(iso, lang)).toBe(want);
  });

  it('refuses what is not a calendar date', () => {
    for (const bad of ['2012-02-30', '2013-02-29', '2012-13-01', '2012-8-15', '15 August 2012', ''])
      expect(() => formatDate(bad), bad).toThrow(RangeError);
    expect(formatDate('2012-02-29')).toBe('29 February 2012');
  });
});

describe('formatDateRange', () => {
  it.each([
    ['2012-10-22', '2012-10-23', 'en', '22 to 23 October 2012'],
    ['2012-09-30', '2012-10-02', 'en', '30 September to 2 October 2012'],
    ['2012-12-30', '2013-01-02', 'en', '30 December 2012 to 2 January 2013'],
    ['2012-10-22', '2012-10-22', 'en', '22 October 2012'],
    ['2012-10-22', '2012-10-23', 'fr', '22 au 23 octobre 2012'],
    ['2012-10-01', '2012-10-03', 'fr', '1er au 3 octobre 2012'],
    ['2012-09-30', '2012-10-02', 'fr', '30 septembre au 2 octobre 2012'],
    ['2012-12-30', '2013-01-02', 'fr', '30 décembre 2012 au 2 janvier 2013'],
    ['2012-10-22', '2012-10-23', 'es', '22 al 23 de octubre de 2012'],
    ['2012-09-30', '2012-10-02', 'es', '30 de septiembre al 2 de octubre de 2012'],
    ['2012-12-30', '2013-01-02', 'es', '30 de diciembre de 2012 al 2 de enero de 2013'],
    ['2012-10-22', '2012-10-23', 'ru', '22–23 октября 2012 года'],
    ['2012-09-30', '2012-10-02', 'ru', '30 сентября – 2 октября 2012 года'],
    ['2012-12-30', '2013-01-02', 'ru', '30 декабря 2012 года – 2 января 2013 года'],
  ])('%s to %s in %s is "%s"', (a, b, lang, want) => {
    expect(formatDateRange(a, b, lang)).toBe(want);
  });
});

describe('formatDateSpan', () => {
  it.each([
    ['2012-10-15', '2012-10-19', 'en', '15-19 October 2012'],
    ['2012-10-15', '2012-10-15', 'en', '15 October 2012'],
    ['2012-10-15', '2012-10-19', 'fr', '15-19 octobre 2012'],
    ['2012-09-30', '2012-10-02', 'en', '30 September to 2 October 2012'],
  ])('%s to %s in %s is "%s"', (a, b, lang, want) => {
    expect(formatDateSpan(a, b, lang)).toBe(want);
  });
});

describe('dates in the six UN languages', () => {
  it.each([
    ['2012-08-15', 'zh', '2012年8月15日'],
    ['2012-08-15', 'ar', '15 آب/أغسطس 2012'],
    ['2012-06-01', 'ar', '1 حزيران/يونيه 2012'],
    ['2012-01-09', 'ar', '9 كانون الثاني/يناير 2012'],
    ['2012-08-15', 'fr-CH', '15 août 2012'],
    ['2012-08-15', 'en-GB', '15 August 2012'],
  ])('%s in %s is "%s"', (iso, lang, want) => {
    expect(formatDate(iso, lang)).toBe(want);
  });

  it.each([
    ['2012-10-22', '2012-10-23', 'zh', '2012年10月22日至23日'],
    ['2012-09-30', '2012-10-02', 'zh', '2012年9月30日至10月2日'],
    ['2012-12-30', '2013-01-02', 'zh', '2012年12月30日至2013年1月2日'],
    ['2012-10-22', '2012-10-23', 'ar', '22 إلى 23 تشرين الأول/أكتوبر 2012'],
    ['2012-09-30', '2012-10-02', 'ar', '30 أيلول/سبتمبر إلى 2 تشرين الأول/أكتوبر 2012'],
    ['2012-12-30', '2013-01-02', 'ar', '30 كانون الأول/ديسمبر 2012 إلى 2 كانون الثاني/يناير 2013'],
  ])('range %s to %s in %s is "%s"', (a, b, lang, want) => {
    expect(formatDateRange(a, b, lang)).toBe(want);
  });

  it.each([
    ['en', '22 and 23 October 2012', '15-19 October 2012'],
    ['fr', '22 et 23 octobre 2012', '15-19 octobre 2012'],
    ['es', '22 y 23 de octubre de 2012', '15-19 de octubre de 2012'],
    ['ru', '22 и 23 октября 2012 года', '15–19 октября 2012 года'],
    ['ar', '22 و23 تشرين الأول/أكتوبر 2012', '15-19 تشرين الأول/أكتوبر 2012'],
    ['zh', '2012年10月22日至23日', '2012年10月15日至19日'],
  ])('title dates in %s: "%s", "%s"', (lang, two, five) => {
    expect(formatTitleDates('2012-10-22', '2012-10-23', lang)).toBe(two);
    expect(formatTitleDates('2012-10-15', '2012-10-19', lang)).toBe(five);
    expect(formatTitleDates('2012-09-30', '2012-10-01', lang)).toBe(
      formatDateRange('2012-09-30', '2012-10-01', lang),
    );
  });

  it('agrees with Intl (UTC) wherever the UN form is the CLDR form: every day of 2012, en/fr/es/zh and the Arabic month after the slash', () => {
    const intl = (lang: string, opts: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat(lang, { timeZone: 'UTC', ...opts });
    const en = intl('en-GB', { dateStyle: 'long' });
    const fr = intl('fr', { dateStyle: 'long' });
    const es = intl('es', { dateStyle: 'long' });
    const zh = intl('zh', { dateStyle: 'long' });
    const arMonth = intl('ar-EG-u-nu-latn', { month: 'long' });
    for (let t = Date.UTC(2012, 0, 1); t < Date.UTC(2013, 0, 1); t += 86_400_000) {
      const at = new Date(t);
      const iso = at.toISOString().slice(0, 10);
      expect(formatDate(iso, 'en')).toBe(en.format(at));
      expect(formatDate(iso, 'fr')).toBe(fr.format(at).replace(/^1 /, '1er '));
      expect(formatDate(iso, 'es')).toBe(es.format(at));
      expect(formatDate(iso, 'zh')).toBe(zh.format(at));
      // CLDR spells June and July يونيو and يوليو; UN documents print يونيه and يوليه.
      const cldr = arMonth.format(at).replace('يونيو', 'يونيه').replace('يوليو', 'يوليه');
      expect(formatDate(iso, 'ar').split('/')[1]).toBe(`${cldr} 2012`);
    }
  });
});

describe('parsePlainDate', () => {
  it('reads yyyy-mm-dd and only real days', () => {
    expect(parsePlainDate(' 2012-09-24 ')).toEqual({ year: 2012, month: 9, day: 24 });
    expect(parsePlainDate('2012-02-30')).toBeUndefined();
    expect(parsePlainDate('2012-09-24T00:00')).toBeUndefined();
  });
});

describe('endOfDayInstant', () => {
  it('ends 24 September 2012 at midnight Vienna summer time, 22:00 UTC', () => {
    expect(endOfDayInstant('2012-09-24', 'Europe/Vienna').toISOString()).toBe('2012-09-24T22:00:00.000Z');
  });

  it('gives the deadline rule its two cases: 23:59:59 Vienna is on time, 23:30 New York is late', () => {
    const end = endOfDayInstant('2012-09-24', 'Europe/Vienna').getTime();
    expect(Date.parse('2012-09-24T23:59:59+02:00')).toBeLessThan(end);
    expect(Date.parse('2012-09-24T23:30:00-04:00')).toBeGreaterThanOrEqual(end);
  });

  it.each([
    // Summer time ends 28 October 2012 at 03:00 → 02:00: a 25-hour day.
    ['2012-10-27', 'Europe/Vienna', '2012-10-27T22:00:00.000Z'],
    ['2012-10-28', 'Europe/Vienna', '2012-10-28T23:00:00.000Z'],
    // Summer time starts 25 March 2012 at 02:00 → 03:00: a 23-hour day.
    ['2012-03-24', 'Europe/Vienna', '2012-03-24T23:00:00.000Z'],
    ['2012-03-25', 'Europe/Vienna', '2012-03-25T22:00:00.000Z'],
    ['2012-12-31', 'Europe/Vienna', '2012-12-31T23:00:00.000Z'],
    ['2012-09-24', 'America/New_York', '2012-09-25T04:00:00.000Z'],
    ['2012-09-24', 'UTC', '2012-09-25T00:00:00.000Z'],
    ['2012-09-24', 'Asia/Kolkata', '2012-09-24T18:30:00.000Z'],
    // Brazil started summer time at midnight: 21 October 2012 began at 01:00 (UTC-2).
    ['2012-10-20', 'America/Sao_Paulo', '2012-10-21T03:00:00.000Z'],
    // Lebanon ended summer time at midnight: 28 October 2012 00:00 became 27 October 23:00.
    ['2012-10-27', 'Asia/Beirut', '2012-10-27T22:00:00.000Z'],
    // Samoa skipped 30 December 2011: 29 December ended at the jump from UTC-10 to UTC+14.
    ['2011-12-29', 'Pacific/Apia', '2011-12-30T10:00:00.000Z'],
  ])('%s in %s ends at %s', (iso, zone, want) => {
    const end = endOfDayInstant(iso, zone);
    expect(end.toISOString()).toBe(want);
    expect(localDate(new Date(end.getTime() - 1), zone)).toBe(iso);
    expect(localDate(end, zone) > iso).toBe(true);
  });

  // Zones with DST at 02:00, at midnight (Sao Paulo, Santiago, Havana, Beirut, Asuncion, Tehran),
  // half-hour DST (Lord Howe), and offsets from -10 to +13:45.
  const ZONES = [
    'Europe/Vienna',
    'America/New_York',
    'America/Sao_Paulo',
    'America/Santiago',
    'America/Havana',
    'America/Asuncion',
    'Asia/Beirut',
    'Asia/Tehran',
    'Africa/Cairo',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Pacific/Honolulu',
    'Asia/Kathmandu',
    'UTC',
  ];
  const day = fc
    .date({ min: new Date(Date.UTC(1995, 0, 1)), max: new Date(Date.UTC(2037, 11, 31)), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

  it('ends every day 23 to 25 hours after the day before, at the first instant of a later local date', () => {
    fc.assert(
      fc.property(day, fc.constantFrom(...ZONES), (iso, zone) => {
        const end = endOfDayInstant(iso, zone).getTime();
        const before = endOfDayInstant(addDays(iso, -1), zone).getTime();
        expect(end - before).toBeGreaterThanOrEqual(23 * HOUR);
        expect(end - before).toBeLessThanOrEqual(25 * HOUR);
        expect(localDate(new Date(end - 1), zone)).toBe(iso);
        expect(localDate(new Date(end), zone) > iso).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('finds the days around every DST change of 2012 in those zones', () => {
    // Exhaustive over one year: the random property above rarely lands on a transition.
    for (const zone of ZONES) {
      let prev = endOfDayInstant('2011-12-31', zone).getTime();
      for (let iso = '2012-01-01'; iso < '2013-01-01'; iso = addDays(iso, 1)) {
        const end = endOfDayInstant(iso, zone).getTime();
        const hours = (end - prev) / HOUR;
        if (hours < 23 || hours > 25 || localDate(new Date(end - 1), zone) !== iso)
          throw new Error(
            `${zone} ${iso}: ends ${new Date(end).toISOString()}, ${hours} h after the day before`,
          );
        prev = end;
      }
    }
  });

  it('throws on an unknown time zone', () => {
    expect(isValidTimeZone('Europe/Vienna')).toBe(true);
    expect(isValidTimeZone('Europe/Wien')).toBe(false);
    expect(() => endOfDayInstant('2012-09-24', 'Europe/Wien')).toThrow(RangeError);
  });

  it('zoneOffsetMs gives Vienna +2 h in summer, +1 h in winter', () => {
    expect(zoneOffsetMs(new Date('2012-08-15T12:00:00Z'), 'Europe/Vienna')).toBe(2 * HOUR);
    expect(zoneOffsetMs(new Date('2012-12-15T12:00:00Z'), 'Europe/Vienna')).toBe(HOUR);
  });
});

describe('the process time zone', () => {
  it('changes nothing: the built module gives the same answers under TZ=America/New_York and TZ=Pacific/Kiritimati', () => {
    const [url] = builtModules(['dates']);
    const script = `
      const d = await import(${JSON.stringify(url)});
      console.log(JSON.stringify([
        d.formatDate('2012-08-15'),
        d.formatDateRange('2012-10-22', '2012-10-23'),
        d.formatDateSpan('2012-10-15', '2012-10-19'),
        d.endOfDayInstant('2012-09-24', 'Europe/Vienna').toISOString(),
        d.endOfDayInstant('2012-10-28', 'Europe/Vienna').toISOString(),
        d.endOfDayInstant('2012-03-25', 'Europe/Vienna').toISOString(),
        new Date(2012, 7, 15).getDate() === 15 && new Date(2012, 7, 15).getTimezoneOffset(),
      ]));`;
    const want = [
      '15 August 2012',
      '22 to 23 October 2012',
      '15-19 October 2012',
      '2012-09-24T22:00:00.000Z',
      '2012-10-28T23:00:00.000Z',
      '2012-03-25T22:00:00.000Z',
    ];
    const offsets: number[] = [];
    for (const tz of ['America/New_York', 'Pacific/Kiritimati']) {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      const got = JSON.parse(r.stdout) as [...string[], number];
      offsets.push(got.pop() as number);
      expect(got).toEqual(want);
    }
    // The children did run in those zones (New York is UTC-4 in August, Kiritimati UTC+14).
    expect(offsets).toEqual([240, -840]);
  });
});
