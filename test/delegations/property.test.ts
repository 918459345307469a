import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';

import { decodeText, parseDelegationCsv, type Delimiter } from '../../src/delegations/index.js';
import { UserError } from '../../src/errors.js';
import { MEETINGS } from './meetings.js';

const parseBytes = (bytes: Uint8Array) =>
  parseDelegationCsv(bytes, { file: 'list.csv', meetings: MEETINGS, defaultState: 'Austria' });

/** Runs `f`; anything it throws must be a UserError with a message. */
function onlyUserErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toMatch(/^list\.csv /);
  }
}

const CSV_CHARS = fc.constantFrom(
  'a',
  'é',
  'Ж',
  '王',
  ' ',
  ',',
  ';',
  '\t',
  '|',
  '"',
  '\r',
  '\n',
  '\r\n',
  '=',
  '@',
  'x@y.org',
  'Family name',
  'E-mail',
  'both',
  'head',
);
const csvText = fc.string({ unit: CSV_CHARS, maxLength: 200 });
const encoded = fc
  .tuple(csvText, fc.constantFrom('utf8', 'utf16le', 'win1252', 'win1251', 'gb18030'))
  .map(([text, enc]) => new Uint8Array(iconv.encode(text, enc)));
const withBom = fc
  .tuple(
    fc.constantFrom([0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0xff, 0xfe, 0, 0], []),
    fc.oneof(fc.uint8Array({ maxLength: 300 }), encoded),
  )
  .map(([bom, rest]) => new Uint8Array([...bom, ...rest]));

describe('decode and parse, on any bytes', () => {
  it('property: never throw anything but a UserError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 500 }), encoded, withBom), (bytes) => {
        onlyUserErrors(() => decodeText(bytes, { file: 'list.csv' }));
        onlyUserErrors(() => {
          const r = parseBytes(bytes);
          // What is returned is coherent: lines and columns are positive, valid rows carry their line.
          for (const p of [...r.problems, ...r.warnings]) {
            expect(p.line).toBeGreaterThanOrEqual(1);
            expect(p.column).toBeGreaterThanOrEqual(1);
          }
          for (const row of r.rows) expect(row.line).toBeGreaterThan(r.headerLine ?? 0);
        });
      }),
      { numRuns: Number(process.env.NV_PROPERTY_RUNS ?? 1000) },
    );
  });
});

/** Writes a table as a spreadsheet would: quoting only where needed. */
function writeCsv(
  records: string[][],
  delimiter: Delimiter,
  eol: string,
): { text: string; starts: number[] } {
  const quote = (v: string) =>
    v.includes(delimiter) || v.includes('"') || /[\r\n]/.test(v) || v !== v.trim()
      ? `"${v.replace(/"/g, '""')}"`
      : v;
  let text = '';
  const starts: number[] = [];
  for (const r of records) {
    starts.push(text.length);
    text += r.map(quote).join(delimiter) + eol;
  }
  return { text, starts };
}

const lineAt = (text: string, offset: number) =>
  1 + (text.slice(0, offset).match(/\r\n|\r|\n/g) ?? []).length;
const clean = (v: string) => v.trim().replace(/\r\n?/g, '\n');

describe('parse, on any well-formed delegation table', () => {
  it('property: reads back every value, each record at the line where it starts', () => {
    const valueChars = fc.constantFrom(
      'a',
      'Z',
      'é',
      'Ö',
      'Ж',
      'ё',
      '王',
      'ع',
      ' ',
      ',',
      ';',
      '\t',
      '|',
      '"',
      "'",
      '\r\n',
      '\n',
      '\r',
      '=',
      '-',
      '(',
      '.',
    );
    const value = fc
      .string({
        unit: fc.oneof(valueChars, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
        maxLength: 20,
      })
      .filter((s) => !s.includes('\u0000'));
    const name = fc
      .tuple(fc.constantFrom('A', 'É', 'Ж', '王', 'ع'), value)
      .map(([first, rest]) => first + rest);
    const person = fc.record({
      given: value,
      family: name,
      title: value,
      role: fc.constantFrom('', 'head', 'Chef de délégation', 'member', 'Asesora'),
    });
    const options = fc.record({
      people: fc.array(person, { minLength: 1, maxLength: 8 }),
      delimiter: fc.constantFrom<Delimiter>(',', ';', '\t', '|'),
      eol: fc.constantFrom('\r\n', '\n', '\r'),
      encoding: fc.constantFrom('utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be'),
      blankLines: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    });
    fc.assert(
      fc.property(options, ({ people, delimiter, eol, encoding, blankLines }) => {
        // "Job title": a "Title" column whose values all read as honorifics would be taken for the honorific.
        const header = ['Given name', 'Family name', 'Job title', 'Role', 'E-mail', 'Meetings'];
        // A line inside a value with nearly a record's delimiters reads as an unclosed quote (by design): not generated.
        fc.pre(
          people.every((p) =>
            [p.given, p.family, p.title].every((v) =>
              v
                .split(/\r\n|\r|\n/)
                .slice(1)
                .every((l) => l.split(delimiter).length - 1 < header.length - 1),
            ),
          ),
        );
        const records: string[][] = [header];
        people.forEach((p, i) => {
          if (blankLines[i]) records.push(['']);
          records.push([p.given, p.family, p.title, p.role, `p${i}@example.org`, 'both']);
        });
        const { text, starts } = writeCsv(records, delimiter, eol);
        const bytes =
          encoding === 'utf-8'
            ? Buffer.from(text, 'utf8')
            : encoding === 'utf-8-bom'
              ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])
              : encoding === 'utf-16le'
                ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
                : Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
        const r = parseBytes(bytes);
        expect(r.problems).toEqual([]);
        expect([r.encoding, r.delimiter]).toEqual([encoding, delimiter]);
        const expectedLines = records
          .map((rec, i) => (rec.length > 1 ? lineAt(text, starts[i] as number) : 0))
          .filter((l, i) => i > 0 && l > 0);
        expect(r.rows.map((row) => row.line)).toEqual(expectedLines);
        expect(r.rows.map((row) => [row.givenName, row.familyName, row.title])).toEqual(
          people.map((p) => [clean(p.given), clean(p.family), clean(p.title)]),
        );
      }),
      { numRuns: Number(process.env.NV_PROPERTY_RUNS ?? 500) },
    );
  });
});
