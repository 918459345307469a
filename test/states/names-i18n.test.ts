import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ISO2 } from '../../src/states/names.js';
import { findState, stateNameIn, stateNameSource, UN_STATES } from '../../src/states/index.js';
import { ROOT } from '../helpers/cli.js';

const rows = parse(readFileSync(join(ROOT, 'data', 'un-state-names-i18n.csv')), { columns: true }) as {
  iso3: string;
  language: string;
  name: string;
  source: string;
}[];

describe('data/un-state-names-i18n.csv', () => {
  it('names every one of the 195 States once in each of ar, zh, fr, ru, es, saying where the name comes from', () => {
    expect(rows).toHaveLength(195 * 5);
    for (const s of UN_STATES)
      for (const lang of ['ar', 'zh', 'fr', 'ru', 'es'])
        expect(
          rows.filter((r) => r.iso3 === s.iso3 && r.language === lang),
          `${s.iso3} ${lang}`,
        ).toHaveLength(1);
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['un', 'cldr']));
  });

  it("a 'un' row is where the UN's short name differs from the CLDR's; a 'cldr' row is the CLDR's", () => {
    for (const r of rows) {
      const cldr = new Intl.DisplayNames([r.language], { type: 'region', fallback: 'none' }).of(
        ISO2.get(r.iso3)!,
      );
      if (r.source === 'un') expect(r.name, `${r.iso3} ${r.language}`).not.toBe(cldr);
    }
    expect(stateNameIn('RUS', 'fr')).toBe('Fédération de Russie');
    expect(stateNameSource('RUS', 'fr')).toBe('un');
    expect(stateNameIn('AUT', 'zh')).toBe('奥地利');
    expect(stateNameSource('AUT', 'zh')).toBe('cldr');
    expect(stateNameIn('AUT', 'en')).toBeUndefined();
  });

  it('a State named as the UN writes it in another language is found: "Bélarus", "Belarús", "Кыргызстан", "多民族玻利维亚国"', () => {
    expect(findState('Bélarus')?.iso3).toBe('BLR');
    expect(findState('Belarús')?.iso3).toBe('BLR');
    expect(findState('Кыргызстан')?.iso3).toBe('KGZ');
    expect(findState('多民族玻利维亚国')?.iso3).toBe('BOL');
    expect(findState('Micronésie (États fédérés de)')?.iso3).toBe('FSM');
  });
});
