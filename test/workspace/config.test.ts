import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { textIn } from '../../src/workspace/config.js';
import { findWorkspaceRoot, loadWorkspace, parseConfig, workspacePaths } from '../../src/workspace/load.js';
import { ROOT } from '../helpers/unit-dist.js';

const EXAMPLE_DIR = join(ROOT, 'fixtures', 'uncac-2012');
const EXAMPLE = readFileSync(join(EXAMPLE_DIR, 'nv.yaml'), 'utf8');

/** `text` with `from` replaced (which must occur once). */
function edit(text: string, from: string, to: string): string {
  expect(text.split(from).length, `"${from}" occurs once`).toBe(2);
  return text.replace(from, to);
}

/** 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  expect(i, `"${needle}" is in the text`).toBeGreaterThanOrEqual(0);
  return i + 1;
}

function userError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError, nothing was thrown');
}

describe('parseConfig', () => {
  it('reads the example nv.yaml with its defaults filled in', () => {
    const c = parseConfig(EXAMPLE, 'nv.yaml');
    expect(c.meeting).toMatchObject({
      key: 'uncac-em-ic-2012',
      place: 'Vienna, Austria',
      start: '2012-10-22',
      end: '2012-10-23',
      deadline: '2012-09-24',
      timezone: 'Europe/Vienna',
    });
    expect(c.meeting.meetings.map((m) => [m.key, m.start, m.end])).toEqual([
      ['uncac-em', '2012-10-22', '2012-10-23'],
      ['untoc-wg', '2012-10-15', '2012-10-19'],
    ]);
    expect(c.meeting.meetings[1]!.aliases).toContain('UNTOC WG');
    expect(c.reference).toEqual({
      series: 'CU',
      office: 'DTA/CEB/CSS',
      format: '{series} {year}/{seq}{variant}/{office}',
      first: 150,
    });
    expect(c.notes).toEqual({ date: '2012-08-15', language: 'en', template: 'invitation' });
    expect(c.values.fax).toBe('+43-1 26060 5841');
    expect(c.sender.letterhead).toEqual(['UNODC', 'United Nations Office on Drugs and Crime']);
    expect(c.rules).toEqual({});
  });

  it('fills the defaults of what is left out', () => {
    let text = edit(EXAMPLE, '  timezone: Europe/Vienna\n', '');
    text = edit(text, '  format: "{series} {year}/{seq}{variant}/{office}"\n', '');
    text = edit(text, '  first: 150\n', '');
    const c = parseConfig(text, 'nv.yaml');
    expect(c.meeting.timezone).toBe('Europe/Vienna');
    expect(c.reference.format).toBe('{series} {year}/{seq}{variant}/{office}');
    expect(c.reference.first).toBe(1);
  });

  // Each case: the edit, the text on the line the message must name, and the message after "nv.yaml:LINE: ".
  const cases: [string, string, string, string, RegExp][] = [
    [
      'an unknown top-level key',
      'rules: {}',
      'rules: {}\ncolour: blue',
      'colour: blue',
      /^\(top\) has unknown key\(s\) colour; remove or correct them\.$/,
    ],
    [
      'an unknown key in meeting',
      '  place: Vienna, Austria',
      '  place: Vienna, Austria\n  venue: VIC',
      'venue: VIC',
      /^meeting has unknown key\(s\) venue; /,
    ],
    [
      'a day that does not exist',
      '  start: 2012-10-22\n  end: 2012-10-23\n  # Comp',
      '  start: 2012-02-30\n  end: 2012-10-23\n  # Comp',
      'start: 2012-02-30',
      /^meeting\.start is not a calendar date; write it as yyyy-mm-dd, e\.g\. 2012-09-24\.$/,
    ],
    [
      'a meeting that ends before it starts',
      '  end: 2012-10-23\n  # Comp',
      '  end: 2012-10-21\n  # Comp',
      'end: 2012-10-21',
      /^meeting\.end is before the start \(2012-10-22\)\.$/,
    ],
    [
      'a working group that ends before it starts',
      '      end: 2012-10-19',
      '      end: 2012-10-14',
      'end: 2012-10-14',
      /^meeting\.meetings\.1\.end is before the start \(2012-10-15\)\.$/,
    ],
    ['a missing deadline', '  deadline: 2012-09-24\n', '', 'meeting:', /^meeting\.deadline is missing\.$/],
    [
      'a time zone that does not exist',
      'timezone: Europe/Vienna',
      'timezone: Europe/Wien',
      'timezone: Europe/Wien',
      /^meeting\.timezone is not a time zone; write an IANA name such as Europe\/Vienna\.$/,
    ],
    [
      'a series in lower case',
      'series: CU',
      'series: cu',
      'series: cu',
      /^reference\.series must be capital letters and digits, e\.g\. CU\.$/,
    ],
    [
      'a format without {seq}',
      'format: "{series} {year}/{seq}{variant}/{office}"',
      'format: "{series} {year}"',
      'format: "{series} {year}"',
      /^reference\.format must contain \{seq\}\.$/,
    ],
    [
      'a repeated meeting key',
      '    - key: untoc-wg',
      '    - key: uncac-em',
      '- key: uncac-em',
      /^meeting\.meetings\.1\.key repeats uncac-em\.$/,
    ],
    [
      'a rule severity that does not exist',
      'rules: {}',
      'rules:\n  deadline: fatal',
      'deadline: fatal',
      /^rules\.deadline /,
    ],
    [
      'a YAML syntax error',
      '  place: Vienna, Austria',
      '  place: Vienna: Austria',
      'place: Vienna: Austria',
      /; fix the YAML syntax there\.$/,
    ],
    [
      'a key written twice',
      '  place: Vienna, Austria',
      '  place: Vienna, Austria\n  place: Vienna',
      'place: Vienna',
      /unique.*; fix the YAML syntax there\.$/i,
    ],
  ];

  it.each(cases)('reports %s as nv.yaml:LINE: path message', (_what, from, to, onLine, message) => {
    const text = edit(EXAMPLE, from, to);
    const e = userError(() => parseConfig(text, 'nv.yaml'));
    const m = /^nv\.yaml:(\d+): (.*)$/s.exec(e.message);
    expect(m, e.message).not.toBeNull();
    // A needle that occurs twice (the repeated key, the key written twice) means its last occurrence.
    const lines = text.split('\n');
    const last = lines.findLastIndex((l) => l.includes(onLine));
    expect(last).toBeGreaterThanOrEqual(0);
    expect(Number(m![1]), e.message).toBe(last + 1);
    expect(m![2]).toMatch(message);
    expect(e.exitCode).toBe(2);
  });

  it('lists every other problem in details, each with its own line', () => {
    let text = edit(EXAMPLE, 'timezone: Europe/Vienna', 'timezone: Europe/Wien');
    text = edit(text, '  deadline: 2012-09-24\n', '');
    text = edit(text, 'series: CU', 'series: cu');
    text = edit(text, '  place: Vienna, Austria', '  place: Vienna, Austria\n  venue: VIC');
    const e = userError(() => parseConfig(text, 'nv.yaml'));
    const all = [e.message, ...e.details].sort();
    expect(all).toEqual(
      [
        `nv.yaml:${lineOf(text, 'meeting:')}: meeting.deadline is missing.`,
        `nv.yaml:${lineOf(text, 'timezone:')}: meeting.timezone is not a time zone; write an IANA name such as Europe/Vienna.`,
        `nv.yaml:${lineOf(text, 'series: cu')}: reference.series must be capital letters and digits, e.g. CU.`,
        `nv.yaml:${lineOf(text, 'venue: VIC')}: meeting has unknown key(s) venue; remove or correct them.`,
      ].sort(),
    );
  });

  it('names each missing section of an empty file', () => {
    const e = userError(() => parseConfig('', 'nv.yaml'));
    expect([e.message, ...e.details]).toEqual([
      'nv.yaml:1: meeting is missing.',
      'nv.yaml:1: sender is missing.',
      'nv.yaml:1: reference is missing.',
      'nv.yaml:1: notes is missing.',
    ]);
  });

  it('uses the file name it is given', () => {
    const e = userError(() => parseConfig(edit(EXAMPLE, 'series: CU', 'series: cu'), 'ws/nv.yaml'));
    expect(e.message).toMatch(/^ws\/nv\.yaml:\d+: reference\.series /);
  });
});

describe('findWorkspaceRoot', () => {
  const base = mkdtempSync(join(tmpdir(), 'nv-unit-ws-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('finds the folder holding nv.yaml from itself or any folder below it', () => {
    const root = join(base, 'meeting');
    mkdirSync(join(root, 'out', 'CU-2012-150-A'), { recursive: true });
    writeFileSync(join(root, 'nv.yaml'), EXAMPLE);
    expect(findWorkspaceRoot(root)).toBe(root);
    expect(findWorkspaceRoot(join(root, 'out', 'CU-2012-150-A'))).toBe(root);
  });

  it('takes the nearest one, and skips a folder that is merely named nv.yaml', () => {
    const outer = join(base, 'outer');
    const inner = join(outer, 'inner');
    mkdirSync(join(inner, 'deep', 'nv.yaml'), { recursive: true });
    writeFileSync(join(outer, 'nv.yaml'), EXAMPLE);
    writeFileSync(join(inner, 'nv.yaml'), EXAMPLE);
    expect(findWorkspaceRoot(join(inner, 'deep'))).toBe(inner);
    rmSync(join(inner, 'nv.yaml'));
    expect(findWorkspaceRoot(join(inner, 'deep'))).toBe(outer);
  });

  it('with -w takes that folder, relative to the current one', () => {
    const root = join(base, 'explicit');
    mkdirSync(root);
    writeFileSync(join(root, 'nv.yaml'), EXAMPLE);
    expect(findWorkspaceRoot(base, 'explicit')).toBe(root);
    expect(findWorkspaceRoot('/', root)).toBe(root);
  });

  it('with -w on a folder without nv.yaml says so, and how to create one, even when a parent has one', () => {
    const parent = join(base, 'parent');
    mkdirSync(join(parent, 'empty'), { recursive: true });
    writeFileSync(join(parent, 'nv.yaml'), EXAMPLE);
    const e = userError(() => findWorkspaceRoot(parent, 'empty'));
    expect(e.message).toBe(
      `${join(parent, 'empty')} is not an nv workspace (no nv.yaml); create one with "nv init empty".`,
    );
  });

  it('without one anywhere above says to run nv init or pass -w', () => {
    const lost = join(base, 'lost', 'deeper');
    mkdirSync(lost, { recursive: true });
    const e = userError(() => findWorkspaceRoot(lost));
    expect(e.message).toBe(
      `No nv workspace here or above ${lost}; run "nv init" to create one, or pass -w DIR.`,
    );
  });

  it('loadWorkspace reads the example folder, and says when recipients.csv is missing', () => {
    const root = join(base, 'copy');
    cpSync(EXAMPLE_DIR, root, { recursive: true });
    const ws = loadWorkspace(root);
    expect(ws.root).toBe(root);
    expect(ws.recipients).toHaveLength(195);
    expect(ws.paths).toEqual(workspacePaths(root));
    expect(ws.paths.database).toBe(join(root, '.nv', 'registry.sqlite'));
    rmSync(join(root, 'recipients.csv'));
    expect(userError(() => loadWorkspace(root)).message).toMatch(/^recipients\.csv is missing in /);
  });

  it('refuses a rule that does not exist, at its line', () => {
    const text = EXAMPLE.replace('rules: {}', 'rules:\n  deadlines: off');
    const line = text.split('\n').findIndex((l) => l.includes('deadlines: off')) + 1;
    expect(() => parseConfig(text, 'nv.yaml')).toThrow(
      new RegExp(`^nv\\.yaml:${line}: rules\\.deadlines is not a rule; the rules are known-state, `),
    );
  });
});

describe('values per language', () => {
  it('a plain title, place and value mean the same text in every language', () => {
    const c = parseConfig(EXAMPLE, 'nv.yaml');
    expect(c.perLanguage).toEqual({});
    for (const l of ['en', 'fr', 'ar', 'zh'])
      expect(textIn(c, 'meeting.title', c.meeting.title, l)).toBe(
        'first open-ended intergovernmental expert meeting on international cooperation',
      );
  });

  it('per language: the workspace language is the plain value, each language its own, numbers as written', () => {
    const text = edit(
      edit(EXAMPLE, '  place: Vienna, Austria', '  place: {en: "Vienna, Austria", fr: "Vienne (Autriche)"}'),
      '  fax: +43-1 26060 5841',
      '  fax:\n    en: 0043126060\n    ru: "+43 1 26060"',
    );
    const c = parseConfig(text, 'nv.yaml');
    expect(c.meeting.place).toBe('Vienna, Austria');
    expect(textIn(c, 'meeting.place', c.meeting.place, 'fr')).toBe('Vienne (Autriche)');
    expect(textIn(c, 'meeting.place', c.meeting.place, 'es')).toBeUndefined();
    expect(c.values.fax).toBe('0043126060');
    expect(c.perLanguage['values.fax']).toEqual({ en: '0043126060', ru: '+43 1 26060' });
  });

  it('refuses an empty language mapping and a text that is neither text nor per language, at their lines', () => {
    const text = edit(
      edit(EXAMPLE, '  place: Vienna, Austria', '  place: {}'),
      '  website: http://www.unodc.org/unodc/en/treaties/CAC/em-internationalcooperation.html',
      '  website: [a, b]',
    );
    const e = userError(() => parseConfig(text, 'nv.yaml'));
    const all = [e.message, ...e.details];
    expect(all).toContain(
      `nv.yaml:${lineOf(text, '  place: {}')}: meeting.place gives no language; write the text, or e.g. {en: "…", fr: "…"}.`,
    );
    expect(all).toContain(
      `nv.yaml:${lineOf(text, '  website: [a, b]')}: values.website must be text (write it in quotes), or one per language such as {en: "…", fr: "…"}.`,
    );
  });
});
