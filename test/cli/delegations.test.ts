import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSafeCsv } from '../../src/participants/csv-safe.js';
import { exampleWorkspace, nv, ROOT, tempDir } from '../helpers/cli.js';

const LISTS = join(ROOT, 'fixtures', 'delegations');
const fx = (name: string) => join(LISTS, name);

interface Listed {
  sections: {
    category: string;
    delegations: {
      state: string;
      name: string;
      participants: { displayName: string; head: boolean; meetings: string[]; familyName: string }[];
    }[];
  }[];
  totals: { delegations: number; participants: number };
  counts: { category: string; delegations: number; participants: number }[];
}

function importList(ws: string, file: string, state?: string) {
  const r = nv(['delegation', 'import', '-w', ws, '--json', fx(file), ...(state ? ['--state', state] : [])], {
    cwd: ws,
  });
  return {
    ...r,
    json:
      r.code === 0
        ? (JSON.parse(r.stdout) as {
            imported: {
              state: string;
              participants: number;
              encoding: string;
              assumed: boolean;
              replaced: number | null;
              unchanged: boolean;
            }[];
          })
        : undefined,
  };
}

describe('nv delegation import', () => {
  let ws: string;
  beforeAll(() => {
    ws = exampleWorkspace().ws;
  });

  it.each([
    ['excel-utf8-bom.csv', 'AUT', 'utf-8-bom', false],
    ['cp1252-semicolon-fr.csv', 'FRA', 'windows-1252', true],
    ['cp1252-semicolon-es.csv', 'ESP', 'windows-1252', true],
    ['excel-unicode-text-utf16le.txt', 'CHN', 'utf-16le', false],
    ['cp1251-cyrillic.csv', 'RUS', 'windows-1251', true],
    ['quoted-line-breaks.csv', 'CHE', 'utf-8-bom', false],
  ])('imports %s for %s (%s)', (file, state, encoding, assumed) => {
    const r = importList(ws, file, state);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json!.imported[0]).toMatchObject({ state, encoding, assumed });
  });

  it('imports an Excel workbook (XLSX) the same way', () => {
    const r = importList(ws, 'excel-workbook.xlsx', 'BGR');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json!.imported[0]).toMatchObject({
      state: 'BGR',
      participants: 3,
      encoding: 'xlsx',
      assumed: false,
    });
  });

  it('keeps accents and Cyrillic intact, names never re-cased', () => {
    const db = new Database(join(ws, '.nv', 'registry.sqlite'), { readonly: true });
    const names = (
      db.prepare("SELECT given_name || ' ' || family_name AS n FROM participants").all() as { n: string }[]
    ).map((x) => x.n);
    db.close();
    expect(names).toEqual(expect.arrayContaining(['Gérard MÜLLER', 'Hélène LEFÈVRE']));
    expect(names.some((n) => /[А-Яа-я]/.test(n))).toBe(true);
  });

  it('refuses an invalid file whole, every problem at its line and column, nothing imported', () => {
    const before = nv(['delegation', 'list', '-w', ws, '--json'], { cwd: ws }).stdout;
    const r = importList(ws, 'invalid-rows.csv', 'NOR');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid-rows\.csv has \d+ problems; nothing was imported/);
    expect(r.stderr).toMatch(/invalid-rows\.csv:4:8: "kari\.nordmann@jd" is not a valid e-mail address/);
    expect(r.stderr).toMatch(/invalid-rows\.csv:5:7: unknown role "observer"/);
    expect(nv(['delegation', 'list', '-w', ws, '--json'], { cwd: ws }).stdout).toBe(before);
  });

  it('--skip-invalid imports the valid rows and lists the others', () => {
    const r = nv(
      ['delegation', 'import', '-w', ws, fx('invalid-rows.csv'), '--state', 'NOR', '--skip-invalid'],
      { cwd: ws },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/skipped: .*invalid-rows\.csv:4:8/);
  });

  it('a list naming a State that was not invited is refused at its cell', () => {
    const r = importList(ws, 'uninvited-state.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/uninvited-state\.csv:3:1: "Atlantis" is not an invited State/);
  });

  it('a new list replaces the State’s previous one, which stays in history; the same file again changes nothing', () => {
    const first = importList(ws, 'missing-email.csv', 'KEN');
    expect(first.json!.imported[0]).toMatchObject({ replaced: null, unchanged: false });
    const same = importList(ws, 'missing-email.csv', 'KEN');
    expect(same.json!.imported[0]).toMatchObject({ unchanged: true });
    // The Government's corrected list: one more delegate.
    const corrected = join(tempDir(), 'kenya-corrected.csv');
    writeFileSync(
      corrected,
      readFileSync(fx('missing-email.csv'), 'utf8').trimEnd() +
        '\r\nKenya,Mr.,Otieno,ODHIAMBO,Counsellor,Ministry of Foreign Affairs,member,otieno@mfa.go.ke,,UNCAC\r\n',
    );
    const other = nv(['delegation', 'import', '-w', ws, '--json', corrected, '--state', 'KEN'], { cwd: ws });
    expect(other.code, other.stderr).toBe(0);
    const replaced = (
      JSON.parse(other.stdout) as { imported: { replaced: number | null; participants: number }[] }
    ).imported[0]!;
    expect(replaced.participants).toBe(3);
    const db = new Database(join(ws, '.nv', 'registry.sqlite'), { readonly: true });
    const lists = db
      .prepare("SELECT id, superseded_by FROM delegation_lists WHERE state = 'KEN' ORDER BY id")
      .all() as { id: number; superseded_by: number | null }[];
    db.close();
    expect(lists).toHaveLength(2);
    expect(lists[0]!.superseded_by).toBe(lists[1]!.id);
    expect(replaced.replaced).toBe(lists[0]!.id);
    expect(lists[1]!.superseded_by).toBeNull();
  });
});

describe('delegation rules and the consolidated list', () => {
  let ws: string;
  beforeAll(() => {
    ws = exampleWorkspace().ws;
    for (const [file, state] of [
      ['excel-utf8-bom.csv', 'AUT'],
      ['cp1252-semicolon-fr.csv', 'FRA'],
      ['cp1251-cyrillic.csv', 'RUS'],
      ['missing-email.csv', 'KEN'],
      ['formula-in-name.csv', 'CHE'],
      ['excel-unicode-text-utf16le.txt', 'CHN'],
    ] as const)
      expect(importList(ws, file, state).code).toBe(0);
  });

  it('validate reports the delegation rules', () => {
    const v = nv(['validate', '-w', ws, '--json'], { cwd: ws });
    expect(v.code).toBe(1);
    const f = (JSON.parse(v.stdout) as { findings: { rule: string; state: string; message: string }[] })
      .findings;
    expect(f.find((x) => x.rule === 'delegation-contact' && x.state === 'KEN')!.message).toMatch(
      /is missing an e-mail address/,
    );
    expect(f.some((x) => x.rule === 'head-of-delegation')).toBe(false); // every list names one head
    // A list with two heads and the same person twice.
    const two = join(tempDir(), 'two-heads.csv');
    writeFileSync(
      two,
      'Honorific,Given name,Family name,Title,Ministry,Role,E-mail,Meetings\nMr.,Ion,POPESCU,Director,Ministry of Justice,head,ion@just.ro,both\nMs.,Ana,IONESCU,Prosecutor,Prosecutor General,head,ana@mpublic.ro,UNCAC\nMr.,Ion,POPESCU,Director,Ministry of Justice,member,ion.p@just.ro,UNCAC\n',
    );
    expect(nv(['delegation', 'import', '-w', ws, two, '--state', 'ROU'], { cwd: ws }).code).toBe(0);
    const again = (
      JSON.parse(nv(['validate', '-w', ws, '--json'], { cwd: ws }).stdout) as {
        findings: { rule: string; state: string; message: string; severity: string }[];
      }
    ).findings;
    expect(again.find((x) => x.rule === 'head-of-delegation' && x.state === 'ROU')).toMatchObject({
      severity: 'warning',
      message: 'the delegation of ROU names 2 heads: Ion POPESCU, Ana IONESCU',
    });
    expect(again.find((x) => x.rule === 'duplicate-participant' && x.state === 'ROU')!.message).toMatch(
      /Ion POPESCU is listed twice in the delegation of ROU \(lines 2 and 4\)/,
    );
  });

  it('the list is in UN order: category, State name, head first', () => {
    const r = nv(['export', 'participants', '-w', ws, '--status', 'all', '--format', 'json', '--out', '-'], {
      cwd: ws,
    });
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as Listed;
    const states = list.sections.flatMap((s) => s.delegations.map((d) => d.name));
    expect(states).toEqual([
      'Austria',
      'China',
      'France',
      'Kenya',
      'Romania',
      'Russian Federation',
      'Switzerland',
    ]);
    for (const d of list.sections.flatMap((s) => s.delegations)) {
      const heads = d.participants.map((p) => p.head);
      if (heads.includes(true)) expect(heads[0], d.state).toBe(true);
    }
    const france = list.sections[0]!.delegations.find((d) => d.state === 'FRA')!;
    expect(france.participants[0]!.displayName).toBe('S.E. M. Gérard MÜLLER');
  });

  it('--meeting untoc-wg keeps exactly those who attend it', () => {
    const all = JSON.parse(
      nv(['export', 'participants', '-w', ws, '--status', 'all', '--format', 'json', '--out', '-'], {
        cwd: ws,
      }).stdout,
    ) as Listed;
    const wg = JSON.parse(
      nv(
        [
          'export',
          'participants',
          '-w',
          ws,
          '--status',
          'all',
          '--format',
          'json',
          '--out',
          '-',
          '--meeting',
          'untoc-wg',
        ],
        { cwd: ws },
      ).stdout,
    ) as Listed;
    const names = (l: Listed) =>
      l.sections.flatMap((s) => s.delegations.flatMap((d) => d.participants.map((p) => p.displayName)));
    const expected = all.sections.flatMap((s) =>
      s.delegations.flatMap((d) =>
        d.participants.filter((p) => p.meetings.includes('untoc-wg')).map((p) => p.displayName),
      ),
    );
    expect(names(wg)).toEqual(expected);
    expect(names(wg).length).toBeLessThan(names(all).length);
  });

  it('CSV: every field, Excel-safe (a formula is neutralised, a phone number stays as written), reads back to the same table', () => {
    const r = nv(['export', 'participants', '-w', ws, '--status', 'all', '--format', 'csv', '--out', '-'], {
      cwd: ws,
    });
    expect(r.code).toBe(0);
    const raw = r.stdout;
    expect(raw).not.toMatch(/(^|,)"=/m);
    expect(raw).not.toMatch(/(^|,)"\+/m);
    const { header, rows } = parseSafeCsv(raw);
    expect(header).toContain('email');
    const eve = rows.find((x) => x[header.indexOf('given_name')] === 'Eve')!;
    expect(eve[header.indexOf('family_name')]).toBe('=HYPERLINK("http://x","click")');
    expect(eve[header.indexOf('phone')]).toBe('+41 22 917 1234');
    const again = nv(
      ['export', 'participants', '-w', ws, '--status', 'all', '--format', 'csv', '--out', '-'],
      { cwd: ws },
    );
    expect(again.stdout).toBe(raw); // deterministic
  });

  it('--status accepted (the default) lists only States whose reply is accepted', () => {
    const r = nv(['export', 'participants', '-w', ws, '--format', 'json', '--out', '-'], { cwd: ws });
    expect((JSON.parse(r.stdout) as Listed).totals).toEqual({ delegations: 0, participants: 0 });
    expect(
      nv(['ingest', '-w', ws, join(ROOT, 'fixtures', 'replies', 'reply-scanned.eml')], { cwd: ws }).code,
    ).toBe(0);
    const after = JSON.parse(
      nv(['export', 'participants', '-w', ws, '--format', 'json', '--out', '-'], { cwd: ws }).stdout,
    ) as Listed;
    expect(after.sections.flatMap((s) => s.delegations.map((d) => d.state))).toEqual(['AUT']);
  });

  it('nv export status gives the status table as CSV and JSON', () => {
    const csv = nv(['export', 'status', '-w', ws, '--format', 'csv', '--out', '-'], { cwd: ws });
    expect(csv.code).toBe(0);
    const { header, rows } = parseSafeCsv(csv.stdout);
    expect(header.slice(0, 5)).toEqual(['state', 'name', 'category', 'notes', 'status']);
    expect(rows).toHaveLength(195);
    expect(rows.find((x) => x[0] === 'AUT')![header.indexOf('participants')]).toBe('4');
    const json = nv(['export', 'status', '-w', ws, '--format', 'json', '--out', '-'], { cwd: ws });
    expect((JSON.parse(json.stdout) as { rows: unknown[] }).rows).toHaveLength(195);
    expect(readFileSync(join(ROOT, 'package.json'))).toBeTruthy();
  });
});

const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
// Calc is needed to open a CSV (Debian: libreoffice-calc-nogui); the tests do not install it.
const CALC = SOFFICE !== undefined && existsSync('/usr/lib/libreoffice/program/libsclo.so');

describe.skipIf(!CALC)('the exported CSV in LibreOffice Calc (skipped when Calc is not installed)', () => {
  it('runs no formula and shows every phone number intact', () => {
    const { ws } = exampleWorkspace();
    for (const [file, state] of [
      ['formula-in-name.csv', 'CHE'],
      ['excel-utf8-bom.csv', 'AUT'],
    ] as const)
      expect(importList(ws, file, state).code).toBe(0);
    const dir = tempDir();
    const csv = join(dir, 'participants.csv');
    expect(
      nv(['export', 'participants', '-w', ws, '--status', 'all', '--format', 'csv', '--out', csv], {
        cwd: ws,
      }).code,
    ).toBe(0);
    execFileSync(
      SOFFICE!,
      [
        `-env:UserInstallation=file://${dir}/profile`,
        '--headless',
        '--infilter=CSV:44,34,76,1,,1033,false,true,false,false,false,-1,true',
        '--convert-to',
        'fods',
        '--outdir',
        dir,
        csv,
      ],
      { stdio: 'ignore', timeout: 120_000 },
    );
    const xml = readFileSync(join(dir, 'participants.fods'), 'utf8');
    expect(xml).not.toContain('table:formula=');
    // What Calc shows, cell by cell, with the invisible guard taken off.
    const shown = [...xml.matchAll(/<text:p>([^<]*)<\/text:p>/g)].map((m) =>
      m[1]!
        .replace(/^\u2060/, '')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&'),
    );
    for (const phone of ['+41 22 917 1234', '+41-22-917-1234']) expect(shown).toContain(phone);
    expect(shown).toContain('=HYPERLINK("http://x","click")');
  });
});
