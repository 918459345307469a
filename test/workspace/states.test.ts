import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findState,
  foldName,
  nameInText,
  stateNameOn,
  suggestStates,
  treatyStatusOn,
  UN_STATES,
} from '../../src/states/index.js';
import { ROOT } from '../helpers/unit-dist.js';

describe('findState', () => {
  it.each([
    ['AUT', 'AUT'],
    ['aut', 'AUT'],
    ['Austria', 'AUT'],
    ["Cote d'Ivoire", 'CIV'],
    ['Côte d’Ivoire', 'CIV'],
    ["COTE D'IVOIRE", 'CIV'],
    ['türkiye', 'TUR'],
    ['Turkiye', 'TUR'],
    ['the Bahamas', 'BHS'],
    ['Bahamas', 'BHS'],
    ['the Commonwealth of the Bahamas', 'BHS'],
    ['Iran (Islamic Republic of)', 'IRN'],
    ['Islamic Republic of Iran', 'IRN'],
    ['Netherlands', 'NLD'],
    ['the Netherlands', 'NLD'],
    ['Netherlands (Kingdom of the)', 'NLD'],
    ['Kingdom of the Netherlands', 'NLD'],
    ['  Holy See ', 'VAT'],
    ['State of Palestine', 'PSE'],
  ])('finds "%s" as %s', (query, iso3) => {
    expect(findState(query)?.iso3).toBe(iso3);
  });

  it.each(['Atlantis', 'XXX', '', 'Vienna', 'Persia'])('finds nothing for "%s"', (query) => {
    expect(findState(query)).toBeUndefined();
  });

  it.each([
    ['Iran', 'IRN'],
    ['Российская Федерация', 'RUS'],
    ['Россия', 'RUS'],
    ['中国', 'CHN'],
    ['مصر', 'EGY'],
    ['Autriche', 'AUT'],
    ['España', 'ESP'],
    ['Германия', 'DEU'],
    ['Estados Unidos de América', 'USA'],
    ['Республика Беларусь', 'BLR'],
    ['Кыргызстан', 'KGZ'],
    ['République démocratique du Congo', 'COD'],
  ])('finds a State named in another UN language: "%s"', (query, iso3) => {
    expect(findState(query)?.iso3).toBe(iso3);
  });

  it('finds each of the 195 States of un-states.csv by its code and by its name', () => {
    const rows = parse(readFileSync(join(ROOT, 'data', 'un-states.csv')), { columns: true }) as {
      iso3: string;
      name: string;
      formal_name: string;
    }[];
    expect(rows).toHaveLength(195);
    expect(UN_STATES).toHaveLength(195);
    for (const r of rows) {
      expect(findState(r.iso3)?.name, r.iso3).toBe(r.name);
      expect(findState(r.name)?.iso3, r.name).toBe(r.iso3);
      expect(findState(r.formal_name)?.iso3, r.formal_name).toBe(r.iso3);
    }
  });

  it('has no two States whose names fold to the same key', () => {
    const keys = UN_STATES.flatMap((s) => [
      ...new Set([foldName(s.name), foldName(s.formalName.replace(/^the /, ''))]),
    ]);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('suggestStates and treatyStatusOn', () => {
  it('suggests States that start like the query', () => {
    expect(suggestStates('Austrai').map((s) => s.iso3)).toEqual(['AUS', 'AUT']);
    expect(suggestStates('')).toEqual([]);
  });

  it('gives the Convention status on a date, from data/treaty-status.csv', () => {
    expect(treatyStatusOn('CIV', 'UNCAC', '2003-12-09')).toEqual({ status: 'neither' });
    expect(treatyStatusOn('CIV', 'UNCAC', '2003-12-10')).toEqual({ status: 'signatory' });
    expect(treatyStatusOn('CIV', 'UNCAC', '2012-08-15')).toEqual({ status: 'signatory' });
    expect(treatyStatusOn('CIV', 'UNCAC', '2012-10-25')).toEqual({ status: 'party' });
    expect(treatyStatusOn('AND', 'UNCAC', '2012-08-15')).toEqual({ status: 'neither' });
    // Joined after the 2014 scrape the old list stopped at.
    expect(treatyStatusOn('DEU', 'UNCAC', '2014-11-11').status).toBe('signatory');
    expect(treatyStatusOn('DEU', 'UNCAC', '2014-11-12').status).toBe('party');
    expect(treatyStatusOn('GMB', 'UNCAC', '2025-09-01').status).toBe('party');
    // UNTOC is its own treaty: Germany a party since 2006, Japan since 2017.
    expect(treatyStatusOn('DEU', 'UNTOC', '2012-08-15').status).toBe('party');
    expect(treatyStatusOn('JPN', 'UNTOC', '2012-08-15').status).toBe('signatory');
  });

  it('says a status is uncertain inside a window of joining, and certain on either side', () => {
    expect(treatyStatusOn('TON', 'UNCAC', '2020-01-31')).toEqual({ status: 'neither' });
    expect(treatyStatusOn('TON', 'UNCAC', '2020-02-15')).toMatchObject({
      status: 'neither',
      uncertain: { from: '2020-02-01', to: '2020-02-29' },
    });
    expect(treatyStatusOn('TON', 'UNCAC', '2020-02-29')).toEqual({ status: 'party' });
    // A window with no end: the joining is not even confirmed.
    expect(treatyStatusOn('SOM', 'UNTOC', '2025-09-01')).toMatchObject({
      uncertain: { from: '2024-11-24', to: null },
    });
  });
});

describe('stateNameOn and nameInText', () => {
  it('names a State as the UN named it on the day', () => {
    expect(stateNameOn('TUR', '2012-08-15')).toEqual({ name: 'Turkey', unMember: true });
    expect(stateNameOn('TUR', '2022-05-31')!.name).toBe('Turkey');
    expect(stateNameOn('TUR', '2022-06-01')!.name).toBe('Türkiye');
    expect(stateNameOn('CHE', '2001-01-01')).toEqual({ name: 'Switzerland', unMember: false });
    expect(stateNameOn('SSD', '2010-01-01')).toBeUndefined();
  });

  it('finds a State by a former name, and writes that name as it stands in a sentence', () => {
    expect(findState('Turkey')?.iso3).toBe('TUR');
    expect(findState('Swaziland')?.iso3).toBe('SWZ');
    expect(findState('Czech Republic')?.iso3).toBe('CZE');
    expect(nameInText(findState('CZE')!, 'Czech Republic')).toBe('the Czech Republic');
    expect(nameInText(findState('NLD')!, 'Netherlands')).toBe('the Netherlands');
    expect(nameInText(findState('TUR')!, 'Turkey')).toBe('Turkey');
    expect(nameInText(findState('BHS')!, 'Bahamas')).toBe('the Bahamas');
    expect(nameInText(findState('TUR')!, 'Turquie')).toBeUndefined();
  });
});
