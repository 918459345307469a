import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findState, foldName, suggestStates, UN_STATES, uncacStatusOn } from '../../src/states/index.js';
import { UN_STATES_CSV } from '../helpers/fixtures.js';

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
    const rows = parse(readFileSync(UN_STATES_CSV), { columns: true }) as {
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

describe('suggestStates and uncacStatusOn', () => {
  it('suggests States that start like the query', () => {
    expect(suggestStates('Austrai').map((s) => s.iso3)).toEqual(['AUS', 'AUT']);
    expect(suggestStates('')).toEqual([]);
  });

  it('gives the Convention status on a date', () => {
    const civ = findState('CIV')!;
    expect(uncacStatusOn(civ, '2003-12-09')).toBe('neither');
    expect(uncacStatusOn(civ, '2003-12-10')).toBe('signatory');
    expect(uncacStatusOn(civ, '2012-08-15')).toBe('signatory');
    expect(uncacStatusOn(civ, '2012-10-25')).toBe('party');
    expect(uncacStatusOn(findState('AND')!, '2012-08-15')).toBe('neither');
  });
});
