import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  FORMULA_GUARD,
  guardCell,
  needsGuard,
  parseSafeCsv,
  toSafeCsv,
  unguardCell,
} from '../../src/participants/csv-safe.js';

const G = FORMULA_GUARD;

/** Cells a spreadsheet runs as a formula, or alters, when they open the CSV (the test's own list, not the module's). */
const HOSTILE = [
  '=HYPERLINK("http://x","click")',
  '=1+1',
  '+1+1',
  '-1+1',
  '@SUM(1+1)',
  "=cmd|' /C calc'!A0",
  ' =1+1',
  '\u00a0=1+1',
  '\t=1+1',
  '\r=1+1',
  '\n=1+1',
  '＝1+1',
  '＋1+1',
  '－1+1',
  '＠SUM(1)',
  '\ufeff=1+1',
  '\u200b=1+1',
  G + '=1+1',
  G + G + '+1',
];
const PHONES = [
  '+43 1 26060 5841',
  '+41 22 917 1234',
  '+41-22-917-1234',
  '+43-1 26060 5841',
  '+41229171234',
  '0612345678',
  '+1 (202) 555-0100',
  '+7 495 987-56-56',
  '004122917123456',
];
const PLAIN = [
  'MÜLLER',
  'Hans-Peter',
  'Director, Division for Treaty Affairs',
  "Côte d'Ivoire",
  'Иванов',
  '王伟',
  'الزهراء',
  'H.E. Mr.',
  '',
  ' ',
  '2012',
  '1-2',
  'a "quoted" word',
  'two\r\nlines',
  'x@example.org',
  "'=1+1",
  '007 Agency',
];

describe('guardCell', () => {
  it.each(HOSTILE)('guards %j', (v) => {
    expect(guardCell(v)).toBe(G + v);
  });
  it.each(PHONES)('guards the phone number %j, and only adds the invisible guard', (v) => {
    expect(guardCell(v)).toBe(G + v);
    expect(guardCell(v).replace(G, '')).toBe(v);
  });
  it.each(PLAIN.filter((v) => v !== '007 Agency'))('leaves %j alone', (v) => {
    expect(guardCell(v)).toBe(v);
  });
  it('is undone by unguardCell, which leaves unguarded cells alone', () => {
    for (const v of [...HOSTILE, ...PHONES, ...PLAIN]) expect(unguardCell(guardCell(v))).toBe(v);
    expect(unguardCell(G + 'MÜLLER')).toBe(G + 'MÜLLER');
    expect(needsGuard(G + 'MÜLLER')).toBe(false);
  });
});

describe('toSafeCsv', () => {
  it('writes UTF-8 with BOM, comma, CRLF, every value quoted', () => {
    expect(
      toSafeCsv(
        ['Name', 'Phone'],
        [
          ['MÜLLER', '+43 1 26060 5841'],
          ['a "b"', ''],
        ],
      ),
    ).toBe(`\ufeff"Name","Phone"\r\n"MÜLLER","${G}+43 1 26060 5841"\r\n"a ""b""",""\r\n`);
  });

  it('is deterministic', () => {
    const rows = [
      HOSTILE,
      PHONES.slice(0, HOSTILE.length).concat(Array(HOSTILE.length).fill('x')).slice(0, HOSTILE.length),
    ];
    const header = HOSTILE.map((_, i) => `c${i}`);
    expect(toSafeCsv(header, rows)).toBe(toSafeCsv(header, rows));
  });

  it('refuses rows that do not fit the header (a bug in the caller)', () => {
    expect(() => toSafeCsv(['a', 'b'], [['1']])).toThrow(/row 1 has 1 cells/);
    expect(() => toSafeCsv([], [])).toThrow(/no column/);
  });

  it('leaves no cell starting, after spaces or invisible characters, with = + - @ or their full-width forms, tab or CR', () => {
    const out = toSafeCsv(
      ['v'],
      [...HOSTILE, ...PHONES, ...PLAIN].map((v) => [v]),
    );
    const cells = (parse(out.slice(1), { record_delimiter: '\r\n' }) as string[][]).flat();
    for (const cell of cells) expect(cell).not.toMatch(/^[\s\u200b\ufeff]*[=+\-@＝＋－＠\t\r]/u);
  });
});

describe('parseSafeCsv', () => {
  it('reads back the table, from the string or from its UTF-8 bytes', () => {
    const header = ['Name', 'Title', 'Phone'];
    const rows = [
      ['=HYPERLINK("http://x","click")', 'two\r\nlines', '+41 22 917 1234'],
      ['', ' ', G + '+1'],
    ];
    const out = toSafeCsv(header, rows);
    expect(parseSafeCsv(out)).toEqual({ header, rows });
    expect(parseSafeCsv(Buffer.from(out, 'utf8'))).toEqual({ header, rows });
  });

  it('refuses what is not such a CSV', () => {
    expect(() => parseSafeCsv('')).toThrow(/empty/);
    expect(() => parseSafeCsv('"a,b\r\n')).toThrow(/cannot be read back/);
    expect(() => parseSafeCsv(new Uint8Array([0xff, 0xfe]))).toThrow(/not valid UTF-8/);
  });

  it('property: any table written out reads back the same', () => {
    const tricky = fc.constantFrom(
      '=',
      '+',
      '-',
      '@',
      '＝',
      '＋',
      '－',
      '＠',
      '\t',
      '\r',
      '\n',
      '\r\n',
      ' ',
      '\u00a0',
      '"',
      ',',
      ';',
      "'",
      G,
      '\ufeff',
      '\u200b',
      '0',
      '1',
      'é',
      'Ж',
      '王',
      'a',
    );
    const cell = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: tricky, maxLength: 8 }),
    );
    const table = fc
      .integer({ min: 1, max: 5 })
      .chain((width) =>
        fc.tuple(
          fc.array(cell, { minLength: width, maxLength: width }),
          fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 6 }),
        ),
      );
    fc.assert(
      fc.property(table, ([header, rows]) => {
        const out = toSafeCsv(header, rows);
        expect(parseSafeCsv(out)).toEqual({ header, rows });
        expect(parseSafeCsv(Buffer.from(out, 'utf8'))).toEqual({ header, rows });
        for (const raw of (parse(out.slice(1), { record_delimiter: '\r\n' }) as string[][]).flat()) {
          expect(raw).not.toMatch(/^[\s\u200b\ufeff]*[=+\-@＝＋－＠\t\r]/u);
        }
      }),
      { numRuns: Number(process.env.NV_PROPERTY_RUNS ?? 500) },
    );
  });
});

/**
 * The check the issue asks for: the CSV opened in LibreOffice Calc runs no formula and shows
 * every phone number intact. LibreOffice converts the CSV (import options as its dialog's
 * defaults: UTF-8, comma, "Evaluate formulas" on) to a flat ODS file, whose XML says for each
 * cell whether it is a formula, its type and the text shown.
 */
const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
// soffice without Calc (e.g. only libreoffice-writer-nogui) cannot load a CSV: Debian's
// libreoffice-calc-nogui brings libsclo.so.
const CALC = SOFFICE !== undefined && existsSync('/usr/lib/libreoffice/program/libsclo.so');

describe.skipIf(!CALC)('in LibreOffice Calc (skipped when libreoffice-calc is not installed)', () => {
  it('no formula runs, every phone number and name is shown as written', () => {
    const values = [...HOSTILE, ...PHONES, ...PLAIN.filter((v) => v.trim() !== '' && !/[\r\n]/.test(v))];
    const dir = mkdtempSync(join(tmpdir(), 'nv-lo-'));
    try {
      writeFileSync(
        join(dir, 'safe.csv'),
        toSafeCsv(
          ['value'],
          values.map((v) => [v]),
        ),
      );
      for (const [name, evaluate] of [
        ['eval', 'true'],
        ['noeval', 'false'],
      ] as const) {
        execFileSync(
          SOFFICE as string,
          [
            `-env:UserInstallation=file://${dir}/profile`,
            '--headless',
            `--infilter=CSV:44,34,76,1,,1033,false,true,false,false,false,-1,${evaluate}`,
            '--convert-to',
            'fods',
            '--outdir',
            join(dir, name),
            join(dir, 'safe.csv'),
          ],
          { stdio: 'ignore', timeout: 120_000 },
        );
        const xml = readFileSync(join(dir, name, 'safe.fods'), 'utf8');
        const cells = fodsCells(xml);
        expect(xml).not.toContain('table:formula=');
        // Hostile cells and phone numbers are text; a plain "2012" may be a number, shown the same.
        expect(cells.slice(1, 1 + HOSTILE.length + PHONES.length).map((c) => c.type)).toEqual(
          Array(HOSTILE.length + PHONES.length).fill('string'),
        );
        // What is shown is the value as written, with the invisible guard in front where one was put.
        expect(cells.slice(1).map((c) => c.text.replace(new RegExp(`^${G}`), ''))).toEqual(
          values.map((v) => v.replace(/^\r/, '\n')),
        );
      }
      // The control: the same cells without the guard do run as formulas, so the check above can fail.
      writeFileSync(
        join(dir, 'raw.csv'),
        '\ufeff' + values.map((v) => `"${v.replace(/"/g, '""')}"`).join('\r\n'),
      );
      execFileSync(
        SOFFICE as string,
        [
          `-env:UserInstallation=file://${dir}/profile`,
          '--headless',
          '--infilter=CSV:44,34,76,1,,1033,false,true,false,false,false,-1,true',
          '--convert-to',
          'fods',
          '--outdir',
          join(dir, 'raw'),
          join(dir, 'raw.csv'),
        ],
        { stdio: 'ignore', timeout: 120_000 },
      );
      expect(readFileSync(join(dir, 'raw', 'raw.fods'), 'utf8')).toContain('table:formula="of:=HYPERLINK(');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The cells of the first column of a flat ODS document: type and shown text. */
function fodsCells(xml: string): { type: string | undefined; text: string }[] {
  const table = xml.slice(xml.indexOf('<table:table '));
  const unescape = (s: string) =>
    s
      .replace(/<text:s(?: text:c="(\d+)")?\/>/g, (_, n: string | undefined) => ' '.repeat(Number(n ?? 1)))
      .replace(/<text:tab\/>/g, '\t')
      .replace(/<text:line-break\/>/g, '\n')
      .replace(/<\/text:p>\s*<text:p[^>]*>/g, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  const out: { type: string | undefined; text: string }[] = [];
  for (const row of table.split(/<table:table-row[ >]/).slice(1)) {
    const m = /<table:table-cell([^>]*?)(?:\/>|>([\s\S]*?)<\/table:table-cell>)/.exec(row);
    if (!m) continue;
    const text = unescape((m[2] ?? '').trim());
    if (text === '' && !/office:value-type/.test(m[1] ?? '')) continue;
    out.push({ type: /office:value-type="([^"]*)"/.exec(m[1] ?? '')?.[1], text });
  }
  return out;
}
