import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { parseRecipients, type Recipient } from '../../src/workspace/recipients.js';
import { exampleAddresses, recipientsAsAt, recipientsCsv } from '../../src/workspace/un-recipients.js';
import { ROOT } from '../helpers/unit-dist.js';

const EXAMPLE = readFileSync(join(ROOT, 'fixtures', 'uncac-2012', 'recipients.csv'), 'utf8');
const HEADER = 'state,name,category,addressee,language,domains';

interface TreatyRow {
  iso3: string;
  treaty: string;
  signed: string;
  party_since: string;
}
const UNCAC = (
  parse(readFileSync(join(ROOT, 'data', 'treaty-status.csv')), { columns: true }) as TreatyRow[]
).filter((r) => r.treaty === 'uncac');

function problems(text: string): string[] {
  try {
    parseRecipients(text, 'recipients.csv', 'en');
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return [(e as UserError).message, ...(e as UserError).details];
  }
  throw new Error('expected a UserError, nothing was thrown');
}

function csv(...lines: string[]): string {
  return [HEADER, ...lines].join('\n') + '\n';
}

describe('the example recipients.csv', () => {
  const recipients = parseRecipients(EXAMPLE, 'recipients.csv', 'en');
  const byCode = new Map(recipients.map((r) => [r.code, r]));

  it('lists the 195 States: 173 parties and signatories, 22 observers', () => {
    expect(recipients).toHaveLength(195);
    expect(new Set(recipients.map((r) => r.code)).size).toBe(195);
    const count = (...cats: Recipient['category'][]) =>
      recipients.filter((r) => cats.includes(r.category)).length;
    expect(count('party', 'signatory')).toBe(173);
    expect(count('party')).toBe(159);
    expect(count('signatory')).toBe(14);
    expect(count('observer')).toBe(22);
    expect(count('organization')).toBe(0);
  });

  it('gives every State its category on 15 August 2012 according to data/treaty-status.csv', () => {
    expect(UNCAC).toHaveLength(195);
    for (const s of UNCAC) {
      const want =
        s.party_since && s.party_since <= '2012-08-15'
          ? 'party'
          : s.signed && s.signed <= '2012-08-15'
            ? 'signatory'
            : 'observer';
      expect(byCode.get(s.iso3)?.category, s.iso3).toBe(want);
    }
  });

  it('numbers each recipient with its line and reads the other columns', () => {
    recipients.forEach((r, i) => expect(r.line).toBe(i + 2));
    expect(byCode.get('AUT')).toEqual({
      code: 'AUT',
      name: 'Austria',
      inText: 'Austria',
      category: 'party',
      addressee: 'Permanent Representative of Austria to the United Nations (Vienna)',
      language: 'en',
      domains: ['bmeia.gv.at'],
      email: ['registry@mission.aut.example.org'],
      cc: [],
      line: 11,
    });
    // The name column repeats the UN short name; the running-text form stays the UN one.
    expect(byCode.get('BHS')).toMatchObject({ name: 'Bahamas', inText: 'the Bahamas' });
    expect(byCode.get('NLD')).toMatchObject({ name: 'Netherlands', inText: 'the Netherlands' });
    expect(byCode.get('IRN')!.inText).toBe('the Islamic Republic of Iran');
    expect(byCode.get('CIV')).toMatchObject({ name: "Côte d'Ivoire", category: 'signatory' });
    expect(byCode.get('VAT')!.category).toBe('observer');
    expect(byCode.get('PSE')!.category).toBe('observer');
    expect(byCode.get('DEU')!.domains).toEqual(['diplo.de', 'auswaertiges-amt.de']);
  });

  it('is, in both examples, what nv init computes for that date (fixtures/uncac-2012/make-recipients.mjs)', () => {
    const computed = recipientsAsAt('2012-08-15', 'UNCAC');
    expect(computed.uncertain).toEqual([]);
    expect(computed.counts).toMatchObject({ party: 159, signatory: 14, observer: 22, uncertain: 0 });
    expect(EXAMPLE).toBe(recipientsCsv(exampleAddresses(computed.lines)));
    expect(readFileSync(join(ROOT, 'fixtures', 'uncac-2012-full', 'recipients.csv'), 'utf8')).toBe(EXAMPLE);
    // The names of that day, in the name column and in the addressee.
    const again = recipients;
    expect(again.find((r) => r.code === 'TUR')).toMatchObject({
      name: 'Turkey',
      inText: 'Turkey',
      addressee: 'Permanent Representative of Turkey to the United Nations (Vienna)',
    });
    expect(again.find((r) => r.code === 'CZE')).toMatchObject({
      name: 'Czech Republic',
      addressee: 'Permanent Representative of the Czech Republic to the United Nations (Vienna)',
    });
  });
});

describe('parseRecipients', () => {
  it('reads States by ISO3 code or UN name, organizations by their own code', () => {
    const rs = parseRecipients(
      csv(
        'aut,,party,PR of Austria,,',
        "Cote d'Ivoire,,signatory,PR,fr,",
        'the Bahamas,,party,PR,,',
        'türkiye,,party,PR,,',
        'EU,European Union,organization,Head of the Delegation,,eeas.europa.eu',
        'NLD,the Kingdom of the Netherlands,party,PR,,Mission.NL; minbuza.nl',
      ),
      'recipients.csv',
      'es',
    );
    expect(rs.map((r) => [r.code, r.name, r.inText, r.language, r.line])).toEqual([
      ['AUT', 'Austria', 'Austria', 'es', 2],
      ['CIV', "Côte d'Ivoire", "Côte d'Ivoire", 'fr', 3],
      ['BHS', 'Bahamas', 'the Bahamas', 'es', 4],
      ['TUR', 'Türkiye', 'Türkiye', 'es', 5],
      ['EU', 'European Union', 'European Union', 'es', 6],
      ['NLD', 'the Kingdom of the Netherlands', 'the Kingdom of the Netherlands', 'es', 7],
    ]);
    expect(rs[5]!.domains).toEqual(['mission.nl', 'minbuza.nl']);
  });

  it('takes the category_override over the category, and settles an uncertain one', () => {
    const rs = parseRecipients(
      'state,category,category_override,addressee\nDEU,party,observer,PR\nTON,uncertain,party,PR\nAUT,party,,PR\n',
      'recipients.csv',
      'en',
    );
    expect(rs.map((r) => [r.code, r.category])).toEqual([
      ['DEU', 'observer'],
      ['TON', 'party'],
      ['AUT', 'party'],
    ]);
  });

  it('reads a category nv could not tell and nobody settled as data: the sentence, and its category until settled', () => {
    const text =
      'state,name,category,category_override,category_note,addressee\nTON,Tonga,uncertain,,"the data says it became a party to UNCAC on a day between 2020-02-01 and 2020-02-29, and the notes are dated 2020-02-15",PR\nJPN,Japan,uncertain,,,PR\n';
    const unsettled =
      'recipients.csv:2: the category of Tonga (TON) is uncertain (the data says it became a party to UNCAC on a day between 2020-02-01 and 2020-02-29, and the notes are dated 2020-02-15); settle it: write party, signatory or observer in its category_override column.';
    const rs = parseRecipients(text, 'recipients.csv', 'en', { convention: 'UNCAC', date: '2020-02-15' });
    expect(rs[0]).toMatchObject({ code: 'TON', category: 'observer', unsettled });
    // Japan signed UNCAC in 2003 and joined in 2017: a signatory until settled, on a 2012 date.
    const then = parseRecipients(text, 'recipients.csv', 'en', { convention: 'UNCAC', date: '2012-08-15' });
    expect(then[1]).toMatchObject({ code: 'JPN', category: 'signatory' });
    expect(then[1]!.unsettled).toMatch(
      /^recipients\.csv:3: the category of Japan \(JPN\) is uncertain; settle it/,
    );
    // Settled: no sentence.
    expect(
      parseRecipients(text.replace('uncertain,,"the', 'uncertain,party,"the'), 'recipients.csv', 'en')[0],
    ).not.toHaveProperty('unsettled');
  });

  it('reads email and cc: one or more RFC 5322 addresses, ";"-separated', () => {
    const text =
      'state,category,addressee,email,cc\n' +
      'AUT,party,PR," registry@mission.aut.example.org ; ""pm office""@[192.0.2.1] ",\n' +
      "FRA,party,PR,o'brien+nv@mission.fra.example.org,protocol@mission.fra.example.org;x@y\n" +
      'BEL,party,PR,,\n';
    const rs = parseRecipients(text, 'recipients.csv', 'en');
    expect(rs.map((r) => [r.code, r.email, r.cc])).toEqual([
      ['AUT', ['registry@mission.aut.example.org', '"pm office"@[192.0.2.1]'], []],
      ['FRA', ["o'brien+nv@mission.fra.example.org"], ['protocol@mission.fra.example.org', 'x@y']],
      ['BEL', [], []],
    ]);
  });

  it('refuses an address that is not an addr-spec at file:line:column, every one at once', () => {
    const bad = [
      'Mission <registry@aut.example.org>',
      'registry@',
      '@aut.example.org',
      'two@@aut.example.org',
      'a..b@aut.example.org',
      '.a@aut.example.org',
      'a b@aut.example.org',
      'registry@aut..example.org',
      `${'a'.repeat(65)}@aut.example.org`,
      `a@${'b'.repeat(250)}.org`,
    ];
    const text =
      'state,category,addressee,email,cc\n' +
      bad
        .map(
          (b, i) =>
            `${['AUT', 'FRA', 'BEL', 'DEU', 'ITA', 'ESP', 'MEX', 'CHN', 'EGY', 'SEN'][i]},party,PR,ok@example.org,"${b}"`,
        )
        .join('\n') +
      '\nRUS,party,PR,registry@mission.rus.example.org;not an address,\n';
    const said = problems(text);
    expect(said).toEqual([
      ...bad.map(
        (b, i) =>
          `recipients.csv:${i + 2}:5: "${b}" in the cc column is not an e-mail address; write one address such as registry@mission.example.org (no name, no angle brackets), several separated by ";".`,
      ),
      'recipients.csv:12:4: "not an address" in the email column is not an e-mail address; write one address such as registry@mission.example.org (no name, no angle brackets), several separated by ";".',
    ]);
  });

  it('the examples give every recipient an address under a reserved test domain', () => {
    for (const example of ['uncac-2012', 'uncac-2012-full', 'uncac-2012-multilingual']) {
      const text = readFileSync(join(ROOT, 'fixtures', example, 'recipients.csv'), 'utf8');
      for (const r of parseRecipients(text, 'recipients.csv', 'en')) {
        expect(r.email, `${example} ${r.code}`).toEqual([
          `registry@mission.${r.code.toLowerCase()}.example.org`,
        ]);
        for (const a of r.cc) expect(a).toMatch(/@mission\.[a-z]{3}\.example\.org$/);
      }
    }
  });

  it('accepts a BOM, CRLF line ends, header case and column order', () => {
    const text = '\uFEFFCategory,State,Addressee\r\nparty,AUT,PR\r\nobserver,AND,PR\r\n';
    const rs = parseRecipients(text, 'recipients.csv', 'en');
    expect(rs.map((r) => [r.code, r.category, r.line])).toEqual([
      ['AUT', 'party', 2],
      ['AND', 'observer', 3],
    ]);
  });

  it.each([
    [
      'an unknown State',
      csv('AUT,,party,PR,en,', 'Atlantis,,party,PR,en,'),
      'recipients.csv:3: "Atlantis" is not a UN Member or observer State; write its ISO3 code or UN name.',
    ],
    [
      'a misspelt State, with suggestions',
      csv('Austrai,,party,PR,en,'),
      'recipients.csv:2: "Austrai" is not a UN Member or observer State; write its ISO3 code or UN name, e.g. AUS (Australia), AUT (Austria).',
    ],
    [
      'a State listed twice',
      csv('AUT,,party,PR,en,', 'FRA,,party,PR,en,', 'Austria,,party,PR,en,'),
      'recipients.csv:4: Austria is already listed on line 2; keep one line per recipient.',
    ],
    [
      'a category that does not exist',
      csv('AUT,,member,PR,en,'),
      'recipients.csv:2: the category must be one of party, signatory, observer, organization.',
    ],
    [
      'an empty state',
      csv(',Austria,party,PR,en,'),
      'recipients.csv:2: the state is empty; write its ISO3 code (AUT) or UN name (Austria).',
    ],
    [
      'an empty addressee',
      csv('AUT,,party,,en,'),
      'recipients.csv:2: the addressee is empty; write e.g. "Permanent Representative of Austria to the United Nations (Vienna)".',
    ],
    [
      'a language that is not a code',
      csv('AUT,,party,PR,English,'),
      'recipients.csv:2: the language must be a two-letter code such as en, fr, es.',
    ],
    [
      'an override that is not a category',
      'state,category,category_override,addressee\nAUT,party,member,PR\n',
      'recipients.csv:2: the category_override must be one of party, signatory, observer, organization, or empty to keep the category.',
    ],
    [
      'a missing column',
      'state,name,addressee\nAUT,,PR\n',
      'recipients.csv:1: the column "category" is missing; add it to the header line.',
    ],
    [
      'an unknown column',
      'state,category,addressee,colour\nAUT,party,PR,red\n',
      'recipients.csv:1: unknown column(s) colour; the columns are state, name, category, category_override, category_note, addressee, language, domains, email, cc.',
    ],
  ])('reports %s as recipients.csv:LINE: …', (_what, text, message) => {
    expect(problems(text)).toEqual([message]);
  });

  it('counts lines across blank lines and quoted line breaks (LF and CRLF)', () => {
    const lines = [
      HEADER,
      '',
      'AUT,,party,"Permanent Representative of Austria',
      'to the United Nations (Vienna)",en,',
      '',
      '',
      'Atlantis,,party,PR,en,',
      'FRA,,partie,PR,en,',
    ];
    const want = [
      'recipients.csv:7: "Atlantis" is not a UN Member or observer State; write its ISO3 code or UN name.',
      'recipients.csv:8: the category must be one of party, signatory, observer, organization.',
    ];
    expect(problems(lines.join('\n'))).toEqual(want);
    expect(problems(lines.join('\r\n') + '\r\n')).toEqual(want);
  });

  it('reports every problem at once: the first as the message, the others in details', () => {
    expect(
      problems(csv('Atlantis,,party,PR,en,', 'AUT,,party,PR,en,', 'AUT,,party,PR,en,', 'FRA,,ally,,en,')),
    ).toEqual([
      'recipients.csv:2: "Atlantis" is not a UN Member or observer State; write its ISO3 code or UN name.',
      'recipients.csv:4: Austria is already listed on line 3; keep one line per recipient.',
      'recipients.csv:5: the category must be one of party, signatory, observer, organization.',
      'recipients.csv:5: the addressee is empty; write e.g. "Permanent Representative of Austria to the United Nations (Vienna)".',
    ]);
  });

  it('refuses a file that is not CSV, is empty, or lists nobody', () => {
    expect(problems(csv('AUT,,party,"PR,en,'))[0]).toMatch(
      /^recipients\.csv: cannot be read as CSV \(.*\); save it as comma-separated UTF-8\.$/,
    );
    expect(problems('')).toEqual([
      'recipients.csv is empty; write a header line "state,name,category,addressee,language,domains,email,cc" and one line per recipient.',
    ]);
    expect(problems(HEADER + '\n')).toEqual([
      'recipients.csv lists no recipient; add one line per invited Government.',
    ]);
  });
});
