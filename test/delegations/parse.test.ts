import { describe, expect, it } from 'vitest';

import { parseDelegationCsv, refuseOnProblems, type ParseOptions } from '../../src/delegations/index.js';
import { UserError } from '../../src/errors.js';
import { MEETINGS } from './meetings.js';

const HEADER = 'State,Honorific,Given name,Family name,Title,Organization,Role,E-mail,Phone,Meetings';
const row = (over: Partial<Record<string, string>> = {}) => {
  const v = {
    state: 'Austria',
    honorific: 'Mr.',
    given: 'Hans',
    family: 'MÜLLER',
    title: 'Director',
    org: 'Ministry of Justice',
    role: 'member',
    email: 'hans@justiz.gv.at',
    phone: '+43 1 52152 0',
    meetings: 'both',
    ...over,
  };
  return [v.state, v.honorific, v.given, v.family, v.title, v.org, v.role, v.email, v.phone, v.meetings].join(
    ',',
  );
};
const read = (text: string, options: Partial<ParseOptions> = {}) =>
  parseDelegationCsv(Buffer.from(text, 'utf8'), { file: 'list.csv', meetings: MEETINGS, ...options });
const problems = (text: string, options: Partial<ParseOptions> = {}) =>
  read(text, options).problems.map((p) => `${p.line}:${p.column} ${p.scope}: ${p.message}`);

describe('line numbers', () => {
  it('names the line where each record starts, across quoted CRLF, LF and blank lines', () => {
    const text = [
      HEADER,
      row({ title: '"Director\r\nDivision\r\nfor Treaty Affairs"' }),
      '',
      '',
      row({ org: '"Ministry\nof Justice"', email: 'bad' }),
      row({ email: 'also-bad' }),
    ].join('\r\n');
    const r = read(text);
    expect(r.rows.map((x) => x.line)).toEqual([2]);
    expect(r.rows[0]?.title).toBe('Director\nDivision\nfor Treaty Affairs');
    expect(problems(text)).toEqual([
      '7:8 row: "bad" is not a valid e-mail address (column "E-mail")',
      '9:8 row: "also-bad" is not a valid e-mail address (column "E-mail")',
    ]);
  });

  it.each([
    ['LF', '\n'],
    ['CR (old Mac)', '\r'],
    ['CRLF', '\r\n'],
  ])('counts %s line endings', (_, eol) => {
    const text =
      [HEADER, row(), row({ role: 'observer' }), row({ given: '"Anna\nMaria"' }), row({ role: 'boss' })].join(
        eol,
      ) + eol;
    expect(problems(text).map((p) => p.slice(0, 4))).toEqual(['3:7 ', '6:7 ']);
  });

  it('reads a file that mixes line endings record by record', () => {
    const text = `${HEADER}\r\n${row()}\n${row({ given: 'Eva' })}\r${row({ given: 'Karl', role: 'x' })}\r\n`;
    const r = read(text);
    expect(r.rows.map((x) => [x.line, x.givenName])).toEqual([
      [2, 'Hans'],
      [3, 'Eva'],
    ]);
    expect(r.problems.map((p) => [p.line, p.column])).toEqual([[4, 7]]);
  });
});

describe('quotes', () => {
  it('refuses a quote never closed, at the line and column where it opens, with the problems above it', () => {
    const text = [
      HEADER,
      row({ email: 'x@' }),
      row(),
      row({ title: '"Director, Division' }),
      row(),
      row(),
    ].join('\r\n');
    expect(problems(text)).toEqual([
      '2:8 row: "x@" is not a valid e-mail address (column "E-mail")',
      expect.stringMatching(/^4:5 file: a quote opened in this value is never closed/),
    ]);
  });

  it('refuses a quote that swallows records until a later quote closes it', () => {
    const text = [
      HEADER,
      row(),
      row({ title: '"Director, Division' }),
      row(),
      row({ title: '"Head, Unit"' }),
      row(),
    ].join('\r\n');
    expect(problems(text)).toEqual([
      '3:5 file: the quote that opens this value (column "Title") is closed only on line 5, so lines 3–5 were read as one value: close the quote where the value ends',
    ]);
  });

  it('keeps quotes inside an unquoted value, and the records after it', () => {
    const text = [
      HEADER,
      row({ title: 'Conseiller "spécial"' }),
      row({ given: 'Eva' }),
      row({ given: 'Karl' }),
    ].join('\r\n');
    const r = read(text);
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => x.title)).toEqual(['Conseiller "spécial"', 'Director', 'Director']);
  });

  it('trims values after parsing, keeping what is inside quotes', () => {
    const r = read([HEADER, row({ given: '  "Anna ""Ann"" Lena"  ', family: ' SCHMIDT ' })].join('\n'));
    expect(r.rows[0]).toMatchObject({ givenName: '"Anna ""Ann"" Lena"', familyName: 'SCHMIDT' });
    const quoted = read([HEADER, row({ given: '"  Anna  "' })].join('\n'));
    expect(quoted.rows[0]?.givenName).toBe('Anna');
  });
});

describe('columns', () => {
  it('refuses a record with more values than the header, or fewer', () => {
    const text = [HEADER, `${row()},extra`, `${row()},,`, 'Austria,Mr.,Hans,MÜLLER,Director'].join('\n');
    expect(problems(text)).toEqual([
      '2:11 row: this record has 11 values but the header has 10 columns: a value that contains "," must be in quotes',
      '4:5 row: this record has 5 values but the header has 10 columns: a value with a line break must be in quotes',
    ]);
  });

  it('reports unknown columns, and an unnamed column that holds values', () => {
    const r = read(['Family name,Given name,Fax,State,,', 'MÜLLER,Hans,+43 1 111,Austria,,note'].join('\n'));
    expect(r.unknownColumns).toEqual([
      { column: 3, header: 'Fax' },
      { column: 6, header: '' },
    ]);
    expect(r.warnings.map((w) => `${w.line}:${w.column} ${w.message}`)).toEqual([
      '1:1 no e-mail address column: no participant has one',
      '1:1 no title column: no participant has one',
      '1:3 column "Fax" is not one nv reads: its values are not imported',
      '1:6 column 6 has no header but holds values (line 2): they are not imported',
      expect.stringMatching(/^2:1 no meeting given/),
    ]);
    expect(r.rows).toHaveLength(1);
  });

  it('refuses two columns for one field, but joins several phone columns', () => {
    expect(problems('Family name,E-mail,Courriel,State\nMÜLLER,a@b.at,c@d.at,Austria')).toEqual([
      '1:3 file: columns 2 ("E-mail") and 3 ("Courriel") both give the e-mail address: keep one',
    ]);
    const r = read(
      'Family name,Tel.,Mobile,State\nMÜLLER,+43 1 111,+43 664 222,Austria\nHUBER,,+43 664 333,Austria',
    );
    expect(r.rows.map((x) => x.phone)).toEqual(['+43 1 111 / +43 664 222', '+43 664 333']);
  });

  it('refuses a list without a name column, or without a header', () => {
    expect(problems('State,E-mail\nAustria,a@b.at')).toEqual([
      expect.stringMatching(/^1:1 file: no name column/),
    ]);
    expect(problems('Austria,MÜLLER,Hans\nAustria,HUBER,Karl')).toEqual([
      expect.stringMatching(/^1:1 file: no header row.*found "Austria", "MÜLLER", "Hans"/),
    ]);
  });

  it('finds the header below a title line and an Excel sep= line', () => {
    const r = read(
      'sep=;\r\nDelegation of Austria;;;\r\n\r\nFamily name;Given name;State;E-mail\r\nMÜLLER;Hans;Austria;h@x.at\r\n',
    );
    expect(r.delimiter).toBe(';');
    expect(r.headerLine).toBe(4);
    expect(r.rows.map((x) => [x.line, x.familyName])).toEqual([[5, 'MÜLLER']]);
    expect(r.warnings[0]).toEqual({
      line: 2,
      column: 1,
      message: 'this line is above the header row: it was not read',
    });
  });

  it('refuses an empty file and a header without participants', () => {
    expect(problems('')).toEqual(['1:1 file: the file holds no list: it is empty']);
    expect(problems('\r\n;;;\r\n')).toEqual(['1:1 file: the file holds no list: it is empty']);
    expect(problems(`${HEADER}\r\n,,,,,,,,,\r\n`)).toEqual([
      '1:1 file: the file has a header but no participants',
    ]);
  });
});

describe('the State', () => {
  it('needs a State column or a State for the whole file', () => {
    expect(problems('Family name,E-mail\nMÜLLER,a@b.at')).toEqual([
      '1:1 file: no State column, and no State given for the whole file (--state)',
    ]);
    expect(read('Family name,E-mail\nMÜLLER,a@b.at', { defaultState: 'Austria' }).rows[0]?.state).toBe(
      'Austria',
    );
  });

  it('fills empty State cells from the State for the file, and refuses them without one', () => {
    const text = [HEADER, row({ state: '' })].join('\n');
    expect(read(text, { defaultState: 'AUT' }).rows[0]?.state).toBe('AUT');
    expect(problems(text)).toEqual([
      '2:1 row: no State: fill in the State column, or give the State for the whole file (--state) (column "State")',
    ]);
  });

  it('resolves States through the caller, and refuses one that was not invited at its cell', () => {
    const invited = new Map([
      ['austria', 'AUT'],
      ['autriche', 'AUT'],
    ]);
    const resolveState = (name: string) => invited.get(name.toLowerCase());
    const text = [HEADER, row(), row({ state: 'Autriche' }), row({ state: 'Atlantis' })].join('\n');
    const r = read(text, { resolveState });
    expect(r.rows.map((x) => x.state)).toEqual(['AUT', 'AUT']);
    expect(problems(text, { resolveState })).toEqual([
      '4:1 row: "Atlantis" is not an invited State (not in recipients.csv) (column "State")',
    ]);
    expect(problems('Family name\nMÜLLER', { resolveState, defaultState: 'Atlantis' })).toEqual([
      '1:1 file: the State given for the file, "Atlantis", is not an invited State (not in recipients.csv)',
    ]);
  });
});

describe('names, honorifics, roles, meetings', () => {
  it('reads a "Title" column of Mr./Ms. as the honorific, and one of job titles as the title', () => {
    const honorifics = read(
      'Title,Family name,Given name,State\nMr,MÜLLER,Hans,Austria\nHE Ms,HUBER,Eva,Austria\n,GRUBER,Karl,Austria',
    );
    expect(honorifics.rows.map((x) => [x.honorific, x.title])).toEqual([
      ['Mr.', ''],
      ['H.E. Ms.', ''],
      ['', ''],
    ]);
    const titles = read('Title,Family name,State\nMinister,MÜLLER,Austria\nMr,HUBER,Austria');
    expect(titles.rows.map((x) => [x.honorific, x.title])).toEqual([
      ['', 'Minister'],
      ['', 'Mr'],
    ]);
  });

  it('splits a ФИО column family name first, and a Name column by its capitals, never re-casing', () => {
    const fio = read('ФИО;Эл. почта\nИванов Сергей Петрович;s@mid.ru\nПетрова Алёна;a@mid.ru', {
      defaultState: 'RUS',
    });
    expect(fio.rows.map((x) => [x.familyName, x.givenName, x.fullName])).toEqual([
      ['Иванов', 'Сергей Петрович', 'Иванов Сергей Петрович'],
      ['Петрова', 'Алёна', 'Петрова Алёна'],
    ]);
    const names = read('Name,State\nJohn SMITH,UK\nWANG Wei,China\nmary o’brien,Ireland');
    expect(names.rows.map((x) => [x.givenName, x.familyName, x.fullName])).toEqual([
      ['John', 'SMITH', 'John SMITH'],
      ['Wei', 'WANG', 'WANG Wei'],
      ['', '', 'mary o’brien'],
    ]);
  });

  it('refuses a record without any name, at the name column', () => {
    expect(problems([HEADER, row({ given: '', family: '' })].join('\n'))).toEqual([
      '2:4 row: no name: give the family name and given name (or the full name) (column "Family name")',
    ]);
  });

  it('normalises honorifics and roles, and warns of an honorific it does not know', () => {
    const r = read(
      [
        HEADER,
        row({ honorific: 'he mr', role: 'Head of delegation' }),
        row({ honorific: 'Sra.', role: '' }),
        row({ honorific: 'Grand Vizier', role: 'Alternate head' }),
      ].join('\n'),
    );
    expect(r.rows.map((x) => [x.honorific, x.role])).toEqual([
      ['H.E. Mr.', 'head'],
      ['Sra.', 'member'],
      ['Grand Vizier', 'alternate'],
    ]);
    expect(r.warnings.map((w) => `${w.line}:${w.column} ${w.message}`)).toEqual([
      '4:2 honorific "Grand Vizier" is not one nv knows: kept as written',
    ]);
  });

  it('refuses an e-mail cell with two addresses', () => {
    expect(problems([HEADER, row({ email: 'a@b.at; c@d.at' })].join('\n'))).toEqual([
      '2:8 row: "a@b.at; c@d.at" holds more than one e-mail address: give one per participant (column "E-mail")',
    ]);
  });

  it('leaves an empty meetings cell empty with a warning, when there are two meetings', () => {
    const r = read([HEADER, row({ meetings: '' })].join('\n'));
    expect(r.rows[0]?.meetings).toEqual([]);
    expect(r.warnings).toEqual([
      {
        line: 2,
        column: 10,
        message: expect.stringMatching(
          /^no meeting given: .*"both" \(the meeting-choice rule will report it\)$/,
        ),
      },
    ]);
  });

  it('takes an empty meetings cell, or no meetings column, as the one meeting there is', () => {
    const one = [{ key: 'uncac-em', names: ['UNCAC'] }];
    expect(read([HEADER, row({ meetings: '' })].join('\n'), { meetings: one }).rows[0]?.meetings).toEqual([
      'uncac-em',
    ]);
    expect(read('Family name,State\nMÜLLER,Austria', { meetings: one }).rows[0]?.meetings).toEqual([
      'uncac-em',
    ]);
  });

  it('reads columns named after a meeting, marked x / yes', () => {
    const r = read(
      'Family name,State,UNCAC,UNTOC WG\nMÜLLER,Austria,x,x\nHUBER,Austria,,oui\nGRUBER,Austria,maybe,',
    );
    expect(r.rows.map((x) => x.meetings)).toEqual([['uncac-em', 'untoc-wg'], ['untoc-wg']]);
    expect(r.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '4:3 "maybe" is neither yes nor no (write x, yes or leave it empty) (column "UNCAC")',
    ]);
  });
});

describe('refuseOnProblems', () => {
  const text = [HEADER, row(), row({ email: 'bad' }), row({ given: 'Eva' }), row({ role: 'observer' })].join(
    '\r\n',
  );

  it('refuses the file whole, with every problem as file:line:column: message', () => {
    const r = read(text);
    let error: unknown;
    try {
      refuseOnProblems(r);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('list.csv has 2 problems; nothing was imported.');
    expect((error as UserError).details).toEqual([
      'list.csv:3:8: "bad" is not a valid e-mail address (column "E-mail")',
      expect.stringMatching(/^list\.csv:5:7: unknown role "observer"/),
    ]);
    expect((error as UserError).hint).toBe(
      'Fix the file and import it again, or pass --skip-invalid to import the 2 valid participants only.',
    );
  });

  it('with skipInvalid, keeps the valid rows and lists the others', () => {
    const { rows, skipped } = refuseOnProblems(read(text), { skipInvalid: true });
    expect(rows.map((x) => [x.line, x.givenName])).toEqual([
      [2, 'Hans'],
      [4, 'Eva'],
    ]);
    expect(skipped).toHaveLength(2);
  });

  it('refuses a file-wide problem even with skipInvalid', () => {
    const broken = read([HEADER, row(), row({ title: '"Director' }), row()].join('\r\n'));
    expect(() => refuseOnProblems(broken, { skipInvalid: true })).toThrow(UserError);
  });

  it('passes a clean file through', () => {
    const clean = read([HEADER, row()].join('\n'));
    expect(refuseOnProblems(clean)).toEqual({ rows: clean.rows, skipped: [] });
  });
});
