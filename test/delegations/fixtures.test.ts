import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import {
  formatProblem,
  parseDelegationCsv,
  refuseOnProblems,
  type ParseOptions,
} from '../../src/delegations/index.js';
import { MEETINGS } from './meetings.js';

const DIR = new URL('../../fixtures/delegations/', import.meta.url);
const read = (file: string, options: Partial<ParseOptions> = {}) =>
  parseDelegationCsv(readFileSync(new URL(file, DIR)), { file, meetings: MEETINGS, ...options });
const names = (r: ReturnType<typeof read>) =>
  r.rows.map((x) => `${x.honorific} ${x.givenName} ${x.familyName}`.trim());
const shown = (r: ReturnType<typeof read>, which: 'problems' | 'warnings' = 'problems') =>
  r[which].map((p) => formatProblem(r.file, p));

// One test per fixture: what it is for is in fixtures/delegations/README.md.
describe('delegation-list fixtures', () => {
  it('excel-utf8-bom.csv: Excel "CSV UTF-8", comma', () => {
    const r = read('excel-utf8-bom.csv');
    expect([r.encoding, r.assumed, r.delimiter]).toEqual(['utf-8-bom', false, ',']);
    expect(r.problems).toEqual([]);
    expect(names(r)).toEqual([
      'H.E. Mr. Johann MÜLLER',
      'Ms. Zoë GRÜNBERGER-ŁUKASIEWICZ',
      'Dr. François D’ALMEIDA',
      'Mr. Ömer ŞAHIN',
    ]);
    expect(r.rows.map((x) => [x.role, x.meetings.join('+'), x.phone])).toEqual([
      ['head', 'uncac-em+untoc-wg', '+43 1 26060 5841'],
      ['alternate', 'uncac-em', '+43-1 52152 2187'],
      ['adviser', 'untoc-wg', '+43 1 52152 5880'],
      ['member', 'uncac-em+untoc-wg', ''],
    ]);
    expect(r.rows[1]?.title).toBe('Head of Unit, International Legal Cooperation');
  });

  it('cp1252-semicolon-fr.csv: windows-1252, semicolon, French headers', () => {
    const r = read('cp1252-semicolon-fr.csv');
    expect([r.encoding, r.assumed, r.delimiter]).toEqual(['windows-1252', true, ';']);
    expect(r.problems).toEqual([]);
    expect(r.unknownColumns).toEqual([]);
    expect(names(r)).toEqual([
      'S.E. M. Gérard MÜLLER',
      'Mme Hélène LEFÈVRE',
      'M. François CŒUR',
      'Mme Maëlle NGUYEN',
    ]);
    expect(r.rows.map((x) => x.role)).toEqual(['head', 'alternate', 'adviser', 'member']);
    expect(r.rows[0]?.organization).toBe('Ministère de l’Europe et des Affaires étrangères');
    expect(r.rows[1]?.title).toBe('Magistrate – « conseillère juridique »');
    expect(r.rows.map((x) => x.meetings.length)).toEqual([2, 1, 1, 2]);
  });

  it('cp1252-semicolon-es.csv: windows-1252, semicolon, Spanish headers, the State given for the file', () => {
    expect(shown(read('cp1252-semicolon-es.csv'))).toEqual([
      'cp1252-semicolon-es.csv:1:1: no State column, and no State given for the whole file (--state)',
    ]);
    const r = read('cp1252-semicolon-es.csv', { defaultState: 'Spain' });
    expect([r.encoding, r.delimiter]).toEqual(['windows-1252', ';']);
    expect(r.problems).toEqual([]);
    expect(names(r)).toEqual([
      'Sr. José PÉREZ NÚÑEZ',
      'Sra. María José GARCÍA-ÁLVAREZ',
      'Dra. Begoña IBÁÑEZ',
    ]);
    expect(r.rows.map((x) => [x.state, x.role])).toEqual([
      ['Spain', 'head'],
      ['Spain', 'adviser'],
      ['Spain', 'member'],
    ]);
  });

  it('excel-unicode-text-utf16le.txt: UTF-16LE with BOM, tab, Chinese headers', () => {
    const r = read('excel-unicode-text-utf16le.txt');
    expect([r.encoding, r.assumed, r.delimiter]).toEqual(['utf-16le', false, '\t']);
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => [x.honorific, x.familyName, x.givenName, x.fullName, x.role])).toEqual([
      ['先生', '王', '伟', '王伟', 'head'],
      ['女士', '李', '娜', '李娜', 'member'],
      ['先生', '欧阳', '明', '欧阳明', 'adviser'],
    ]);
    expect(r.rows[0]?.meetings).toEqual(['uncac-em', 'untoc-wg']);
  });

  it('cp1251-cyrillic.csv: windows-1251, semicolon, Russian headers', () => {
    const r = read('cp1251-cyrillic.csv');
    expect([r.encoding, r.assumed, r.delimiter]).toEqual(['windows-1251', true, ';']);
    expect(r.problems).toEqual([]);
    expect(names(r)).toEqual([
      'г-н Сергей Петрович Иванов',
      'г-жа Алёна Юрьевна Соколова',
      'г-н Юрий Щербаков',
    ]);
    expect(r.rows.map((x) => [x.state, x.role, x.meetings.join('+')])).toEqual([
      ['Российская Федерация', 'head', 'uncac-em+untoc-wg'],
      ['Российская Федерация', 'adviser', 'uncac-em'],
      ['Российская Федерация', 'member', 'untoc-wg'],
    ]);
    expect(r.rows[2]?.title).toBe('Старший эксперт «Э»');
  });

  it('arabic-utf8.csv: UTF-8 without BOM, Arabic headers', () => {
    const r = read('arabic-utf8.csv');
    expect([r.encoding, r.assumed]).toEqual(['utf-8', false]);
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => [x.state, x.honorific, x.givenName, x.familyName, x.role])).toEqual([
      ['مصر', 'السيد', 'أحمد', 'حسن', 'head'],
      ['مصر', 'السيدة', 'فاطمة', 'الزهراء', 'member'],
    ]);
  });

  it('quoted-line-breaks.csv: values over several lines; each record named by its first line', () => {
    const r = read('quoted-line-breaks.csv');
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => [x.line, x.familyName])).toEqual([
      [2, 'BÜHLER'],
      [4, 'ROSSIER'],
      [8, 'TESTORI'],
    ]);
    expect(r.rows[0]?.title).toBe('Director\nDirectorate of International Law');
    expect(r.rows[1]?.organization).toBe('Federal Office of Justice\nInternational Legal Assistance');
  });

  it('missing-email.csv: imported, with a warning at the e-mail cell', () => {
    const r = read('missing-email.csv');
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => x.email)).toEqual(['p.kamau@odpp.go.ke', '']);
    expect(shown(r, 'warnings')).toEqual([
      'missing-email.csv:3:8: no e-mail address (every participant needs one: the delegation-contact rule will report it)',
    ]);
  });

  it('formula-in-name.csv: kept as text as written, with a warning', () => {
    const r = read('formula-in-name.csv');
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => [x.familyName, x.title, x.organization, x.phone])).toEqual([
      ['=HYPERLINK("http://x","click")', '-Adviser', '@Ministry', '+41 22 917 1234'],
      ['ORDINARY', '+1+1', 'Ministry of Justice', '+41-22-917-1234'],
    ]);
    expect(shown(r, 'warnings')).toEqual([
      'formula-in-name.csv:2:4: "=HYPERLINK("http://x","click")" looks like a spreadsheet formula: kept as text, and exports neutralise it',
    ]);
  });

  it('uninvited-state.csv: refused at the State cell of the uninvited State', () => {
    const invited = new Map([['Austria', 'AUT']]);
    const r = read('uninvited-state.csv', { resolveState: (name) => invited.get(name) });
    expect(shown(r)).toEqual([
      'uninvited-state.csv:3:1: "Atlantis" is not an invited State (not in recipients.csv) (column "State")',
    ]);
    expect(r.rows.map((x) => x.state)).toEqual(['AUT']);
    // Without the register's list of States, the State is kept as written for the known-state rule.
    expect(read('uninvited-state.csv').rows.map((x) => x.state)).toEqual(['Austria', 'Atlantis']);
  });

  it('invalid-rows.csv: refused, with every problem at its line and column', () => {
    const r = read('invalid-rows.csv');
    expect(shown(r)).toEqual([
      'invalid-rows.csv:4:8: "kari.nordmann@jd" is not a valid e-mail address (column "E-mail")',
      'invalid-rows.csv:5:7: unknown role "observer": use head, alternate, member or adviser (or "Head of delegation", "Chef de délégation"…) (column "Role")',
      'invalid-rows.csv:5:10: unknown meeting "plenary": expected uncac-em (UNCAC expert meeting), untoc-wg (UNTOC working group), or "both" (column "Meetings")',
      'invalid-rows.csv:6:4: no name: give the family name and given name (or the full name) (column "Family name")',
      'invalid-rows.csv:7:11: this record has 11 values but the header has 10 columns: a value that contains "," must be in quotes',
    ]);
    expect(() => refuseOnProblems(r)).toThrow('invalid-rows.csv has 5 problems; nothing was imported.');
    expect(refuseOnProblems(r, { skipInvalid: true }).rows.map((x) => x.familyName)).toEqual(['NORDMANN']);
  });

  it('unterminated-quote.csv: refused whole, at the line and column where the quote opens', () => {
    const r = read('unterminated-quote.csv');
    expect(shown(r)).toEqual([
      'unterminated-quote.csv:3:5: the quote that opens this value (column "Title") is closed only on line 5, so lines 3–5 were read as one value: close the quote where the value ends',
    ]);
    expect(() => refuseOnProblems(r, { skipInvalid: true })).toThrow(
      'unterminated-quote.csv has 1 problem; nothing was imported.',
    );
  });

  it('sep-line-and-meeting-columns.csv: Excel sep= line, a title line, a column per meeting', () => {
    const r = read('sep-line-and-meeting-columns.csv', { defaultState: 'Belgium' });
    expect([r.encoding, r.delimiter, r.headerLine]).toEqual(['windows-1252', ';', 3]);
    expect(r.problems).toEqual([]);
    expect(
      r.rows.map((x) => [x.line, `${x.honorific} ${x.givenName} ${x.familyName}`, x.meetings.join('+')]),
    ).toEqual([
      [4, 'M. Benoît DUBOIS', 'uncac-em+untoc-wg'],
      [5, 'Mme Anaïs PEETERS', 'uncac-em'],
      [6, 'M. Jörg SCHMITZ', 'untoc-wg'],
    ]);
  });

  it('participants-500.csv: 500 participants of 98 States', () => {
    const started = performance.now();
    const r = read('participants-500.csv');
    const elapsed = performance.now() - started;
    expect(r.problems).toEqual([]);
    expect(r.rows).toHaveLength(500);
    expect(new Set(r.rows.map((x) => x.state)).size).toBe(98);
    expect(r.rows.filter((x) => x.role === 'head')).toHaveLength(98);
    expect(r.rows.map((x) => x.line)).toEqual(expect.arrayContaining([2, 501]));
    expect(r.rows.some((x) => x.state === "Côte d'Ivoire")).toBe(true);
    expect(elapsed).toBeLessThan(2000);
  });

  it('excel-mac-macroman.csv: Excel for Mac, MacRoman with bare CR, never read as windows-1252', () => {
    const r = read('excel-mac-macroman.csv');
    expect([r.encoding, r.assumed]).toEqual(['macintosh', true]);
    expect(r.guess?.reason).toMatch(/^macintosh reads as names where windows-1252/);
    expect(r.problems).toEqual([]);
    expect(names(r)).toEqual(['Mr. Jürg MÜLLER', 'Ms. Zoë GÖTZE']);
  });

  it('two-level-header.csv: a title row and a two-level merged header, read as one header', () => {
    const r = read('two-level-header.csv');
    expect(r.problems).toEqual([]);
    expect(r.headerLine).toBe(3);
    expect(r.rows.map((x) => [x.givenName, x.familyName, x.email, x.phone])).toEqual([
      ['Hans', 'HUBER', 'hans.huber@bmj.gv.at', '+43 1 52152 0'],
      ['Eva', 'GRUBER', 'eva.gruber@bmeia.gv.at', ''],
    ]);
    expect(shown(r, 'warnings')).toContain(
      'two-level-header.csv:2:1: lines 2 and 3 are read as one two-level header ("State", "First name", "Last name", "E-mail", "Telephone", "Role", "Meetings")',
    );
  });
});
