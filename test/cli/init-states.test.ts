/**
 * Issue 7, point 6 (the States as at the notes' date) and the init half of point 2 (values),
 * through the built CLI.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { exampleWorkspace, nv, NV, ROOT, tempDir } from '../helpers/cli.js';
import { flat, readPdf } from '../helpers/pdf-text.js';

const VALUES = [
  '--address',
  'P.O. Box 500, 1400 Vienna, Austria',
  '--fax',
  '+43-1 26060 5841',
  '--email',
  'uncac@unodc.org',
  '--website',
  'https://www.unodc.org/',
];

function init(dir: string, date: string, extra: string[] = []) {
  return nv(
    [
      'init',
      'ws',
      '--yes',
      '--title',
      'a meeting',
      '--start',
      '2026-06-01',
      '--end',
      '2026-06-02',
      '--deadline',
      '2026-05-01',
      '--date',
      date,
      ...extra,
    ],
    { cwd: dir },
  );
}

interface Row {
  state: string;
  name: string;
  category: string;
  category_override: string;
  category_note: string;
  addressee: string;
}
const rows = (dir: string): Row[] =>
  parse(readFileSync(join(dir, 'ws', 'recipients.csv')), { columns: true }) as Row[];
const row = (dir: string, code: string) => rows(dir).find((r) => r.state === code)!;

interface InitJson {
  recipients: number;
  states: {
    convention: string;
    asAt: string;
    data: { treatyStatus: string; treatyDataAsOf: string; names: string };
    counts: Record<string, number>;
    warnings: string[];
    settled: { state: string; category: string }[];
    unsettled: { state: string; name: string; line: number; from: string; to: string; settle: string }[];
  };
  values: { missing: string[]; fill: string | null };
}

/** The example reply, from a sender whose domain no recipient has, with a State's name in the subject. */
function replyNaming(dir: string, name: string): string {
  const eml = readFileSync(join(ROOT, 'fixtures', 'replies', 'reply-scanned.eml'), 'latin1')
    .replace(/^From: .*$/m, 'From: "Permanent Mission" <mission.vienna@example.org>')
    .replace(
      /^Subject: .*$/m,
      `Subject: =?UTF-8?B?${Buffer.from(`${name} – composition of the delegation`).toString('base64')}?=`,
    );
  const file = join(dir, `${name}.eml`);
  writeFileSync(file, eml, 'latin1');
  return file;
}
const ingested = (ws: string, file: string) => {
  const r = nv(['ingest', '-w', ws, '--json', file], { cwd: ws });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { items: { state: string | null }[] }).items[0]!.state;
};

describe('nv init: the States as at the notes date', () => {
  it('a 2025 meeting: Germany, Japan, New Zealand and the Gambia are parties; Türkiye is so spelt', () => {
    const dir = tempDir();
    const r = init(dir, '2025-09-01', [...VALUES, '--json']);
    expect(r.code, r.stderr).toBe(0);
    for (const code of ['DEU', 'JPN', 'NZL', 'GMB']) expect(row(dir, code).category, code).toBe('party');
    expect(row(dir, 'TUR')).toMatchObject({
      name: 'Türkiye',
      addressee: 'Permanent Representative of Türkiye to the United Nations (Vienna)',
    });
    expect(row(dir, 'NLD').addressee).toBe(
      'Permanent Representative of the Netherlands to the United Nations (Vienna)',
    );
    // Only those the data says are not parties on that day are observers.
    expect(
      rows(dir)
        .filter((x) => x.category === 'observer')
        .map((x) => x.state)
        .sort(),
    ).toEqual(['AND', 'ERI', 'MCO', 'PRK', 'SMR', 'VCT']);
    const j = JSON.parse(r.stdout) as InitJson;
    expect(j.states).toMatchObject({
      convention: 'UNCAC',
      asAt: '2025-09-01',
      data: {
        treatyStatus: 'data/treaty-status.csv',
        treatyDataAsOf: '2026-12-04',
        names: 'data/un-state-names.csv',
      },
      counts: { party: 188, signatory: 1, observer: 6, uncertain: 0 },
      warnings: [],
      unsettled: [],
    });
    expect(j.values).toEqual({ missing: [], fill: null });
  });

  it('says which data and which date it used, in words', () => {
    const dir = tempDir();
    const r = init(dir, '2025-09-01', VALUES);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      "States as at 2025-09-01 (the notes' date): names from data/un-state-names.csv; UNCAC categories from data/treaty-status.csv (checked to 2026-12-04): 188 parties, 1 signatory, 6 observers.",
    );
    expect(readFileSync(join(dir, 'ws', 'nv.yaml'), 'utf8')).toMatch(/convention: UNCAC/);
  });

  it('a 2012 meeting names Turkey, and its note says so', async () => {
    const dir = tempDir();
    const r = init(dir, '2012-08-15', VALUES);
    expect(r.code, r.stderr).toBe(0);
    expect(row(dir, 'TUR')).toMatchObject({
      name: 'Turkey',
      category: 'party',
      addressee: 'Permanent Representative of Turkey to the United Nations (Vienna)',
    });
    expect(row(dir, 'CZE')).toMatchObject({ name: 'Czech Republic', category: 'signatory' });
    expect(row(dir, 'DEU').category).toBe('signatory');
    const counts = { party: 0, signatory: 0, observer: 0 } as Record<string, number>;
    for (const x of rows(dir)) counts[x.category]!++;
    expect(counts).toEqual({ party: 159, signatory: 14, observer: 22 });
    const g = nv(['generate', '-w', 'ws', '--yes', '--only', 'TUR', '--format', 'pdf', '--json'], {
      cwd: dir,
    });
    expect(g.code, g.stderr).toBe(0);
    const file = (JSON.parse(g.stdout) as { notes: { files: string[] }[] }).notes[0]!.files.find((f) =>
      f.endsWith('.pdf'),
    )!;
    const text = flat((await readPdf(join(dir, 'ws', file))).pages.join(' '));
    expect(text).toContain('Permanent Representative of Turkey to the United Nations');
    expect(text).not.toContain('Türkiye');
  });

  it('--convention UNTOC categorises by the other treaty, and says so', () => {
    const dir = tempDir();
    const r = init(dir, '2012-08-15', [...VALUES, '--convention', 'untoc', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'ws', 'nv.yaml'), 'utf8')).toMatch(/convention: UNTOC/);
    expect(row(dir, 'DEU').category).toBe('party'); // UNTOC since 2006, UNCAC only from 2014
    expect(row(dir, 'JPN').category).toBe('signatory');
    expect((JSON.parse(r.stdout) as InitJson).states.counts).toMatchObject({ party: 167, signatory: 12 });
    const bad = init(tempDir(), '2012-08-15', ['--convention', 'UNCTAD']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('nv: --convention UNCTAD is not accepted; write UNCAC or UNTOC.');
  });

  it("the officer's category_override wins over the data's category", () => {
    const dir = tempDir();
    expect(init(dir, '2025-09-01', VALUES).code).toBe(0);
    const csv = join(dir, 'ws', 'recipients.csv');
    writeFileSync(
      csv,
      readFileSync(csv, 'utf8').replace(/^DEU,Germany,party,,/m, 'DEU,Germany,party,observer,'),
    );
    const g = nv(['generate', '-w', 'ws', '--yes', '--only', 'DEU,JPN', '--format', 'pdf', '--json'], {
      cwd: dir,
    });
    expect(g.code, g.stderr).toBe(0);
    const notes = (JSON.parse(g.stdout) as { notes: { state: string; variant: string }[] }).notes;
    expect(notes.find((n) => n.state === 'DEU')!.variant).toBe('B');
    expect(notes.find((n) => n.state === 'JPN')!.variant).toBe('A');
    // A wrong override is refused at its line.
    writeFileSync(
      csv,
      readFileSync(csv, 'utf8').replace(/^DEU,Germany,party,observer,/m, 'DEU,Germany,party,ally,'),
    );
    const bad = nv(['generate', '-w', 'ws', '--dry-run'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/recipients\.csv:\d+: the category_override must be one of party, signatory/);
  });

  it('a date inside a window of joining is reported, and generate refuses until recipients.csv settles it', () => {
    const dir = tempDir();
    const r = init(dir, '2020-02-15', [...VALUES, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as InitJson;
    expect(j.states.counts.uncertain).toBe(1);
    expect(j.states.unsettled).toEqual([
      expect.objectContaining({
        state: 'TON',
        name: 'Tonga',
        from: '2020-02-01',
        to: '2020-02-29',
        settle: expect.stringContaining('category_override'),
      }),
    ]);
    expect(row(dir, 'TON')).toMatchObject({ category: 'uncertain', category_override: '' });

    const refused = nv(['generate', '-w', 'ws', '--dry-run'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `recipients.csv:${j.states.unsettled[0]!.line}: the category of Tonga (TON) is uncertain (the data says it became a party to UNCAC on a day between 2020-02-01 and 2020-02-29, and the notes are dated 2020-02-15); settle it: write party, signatory or observer in its category_override column.`,
    );
    expect(refused.stdout).toBe('');
    // The other States' notes are not held up by Tonga's.
    expect(nv(['generate', '-w', 'ws', '--dry-run', '--only', 'AUT'], { cwd: dir }).code).toBe(0);
    const csv = join(dir, 'ws', 'recipients.csv');
    writeFileSync(
      csv,
      readFileSync(csv, 'utf8').replace(/^TON,Tonga,uncertain,,/m, 'TON,Tonga,uncertain,party,'),
    );
    const ok = nv(['generate', '-w', 'ws', '--dry-run', '--json'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('an unsettled category holds up only the notes: status, validate and export work, and warn', () => {
    const dir = tempDir();
    const r = init(dir, '2020-02-15', [...VALUES, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const line = (JSON.parse(r.stdout) as InitJson).states.unsettled[0]!.line;
    const said = `recipients.csv:${line}: the category of Tonga (TON) is uncertain`;

    const status = nv(['status', '-w', 'ws'], { cwd: dir });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^TON {2}Tonga/m);
    expect(flat(status.stderr)).toContain(
      `warning ${said} (the data says it became a party to UNCAC on a day between 2020-02-01 and 2020-02-29, and the notes are dated 2020-02-15); settle it: write party, signatory or observer in its category_override column. Until then nv generate refuses, and Tonga is counted here as an observer (its category if it had not joined yet).`,
    );
    const json = nv(['status', '-w', 'ws', '--json'], { cwd: dir });
    expect(json.code, json.stderr).toBe(0);
    const st = JSON.parse(json.stdout) as {
      rows: { state: string; category: string }[];
      unsettled: { state: string; line: number; countedAs: string; message: string }[];
    };
    expect(st.rows.find((x) => x.state === 'TON')?.category).toBe('observer');
    expect(st.unsettled).toEqual([
      { state: 'TON', name: 'Tonga', line, countedAs: 'observer', message: expect.stringContaining(said) },
    ]);

    const validate = nv(['validate', '-w', 'ws'], { cwd: dir });
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stderr).toContain(said);
    const exported = nv(['export', 'status', '-w', 'ws', '--format', 'json', '--out', '-'], { cwd: dir });
    expect(exported.code, exported.stderr).toBe(0);
    // The clerk files Tonga's reply under TON.
    expect(ingested(join(dir, 'ws'), replyNaming(tempDir(), 'Tonga'))).toBe('TON');

    const dry = nv(['generate', '-w', 'ws', '--dry-run'], { cwd: dir });
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain(`${said} (`);
    expect(dry.stderr).toContain(
      'settle it: write party, signatory or observer in its category_override column.',
    );
  });

  it('says the category is uncertain in words, and --category settles it at init', () => {
    const dir = tempDir();
    const r = init(dir, '2020-02-15', VALUES);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /Uncertain: Tonga \(TON\): joined UNCAC between 2020-02-01 and 2020-02-29; write party or observer in the category_override column of recipients\.csv line \d+, or pass --category TON=party/,
    );
    const dir2 = tempDir();
    const s = init(dir2, '2020-02-15', [...VALUES, '--category', 'TON=observer', '--json']);
    expect(s.code, s.stderr).toBe(0);
    const j = JSON.parse(s.stdout) as InitJson;
    expect(j.states.settled).toEqual([{ state: 'TON', category: 'observer' }]);
    expect(j.states.unsettled).toEqual([]);
    expect(row(dir2, 'TON')).toMatchObject({ category: 'uncertain', category_override: 'observer' });
    expect(nv(['generate', '-w', 'ws', '--dry-run'], { cwd: dir2 }).code).toBe(0);
    const bad = init(tempDir(), '2020-02-15', ['--category', 'Atlantis=party']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"Atlantis" is not one of the States of this workspace');
  });

  it('a date beyond the data says that the data may be out of date', () => {
    const dir = tempDir();
    const r = init(dir, '2027-03-01', [...VALUES, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as InitJson).states.warnings[0]).toMatch(
      /^The treaty data was last checked on 2026-12-04; a State that joined UNCAC after that day is not known to nv/,
    );
  });

  it('leaves out a State that was not yet a UN Member: South Sudan in 2010', () => {
    const dir = tempDir();
    const r = init(dir, '2010-06-01', [...VALUES, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as InitJson).recipients).toBe(194);
    expect(rows(dir).some((x) => x.state === 'SSD')).toBe(false);
  });
});

describe('nv init --example', () => {
  it('says what its own recipients.csv holds (words and --json)', () => {
    const r = nv(['init', 'demo', '--example', 'uncac-2012', '--yes', '--json'], { cwd: tempDir() });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      recipients: 195,
      example: { convention: 'UNCAC', asAt: '2012-08-15' },
    });
    const h = nv(['init', 'demo', '--example', 'uncac-2012', '--yes'], { cwd: tempDir() });
    expect(h.stderr).toContain(
      "Recipients: the example's own recipients.csv: UNCAC categories and UN names as at 2012-08-15, as nv init computes them from data/treaty-status.csv and data/un-state-names.csv.",
    );
  });

  it("the examples' recipients.csv are what nv init writes for 15 August 2012, byte for byte", () => {
    const dir = tempDir();
    const r = nv(
      [
        'init',
        'ws',
        '--yes',
        '--title',
        'first open-ended intergovernmental expert meeting on international cooperation',
        '--start',
        '2012-10-22',
        '--end',
        '2012-10-23',
        '--deadline',
        '2012-09-24',
        '--date',
        '2012-08-15',
        '--convention',
        'UNCAC',
        ...VALUES,
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const written = readFileSync(join(dir, 'ws', 'recipients.csv'), 'utf8');
    for (const example of ['uncac-2012', 'uncac-2012-full']) {
      const e = nv(['init', example, '--example', example, '--yes'], { cwd: dir });
      expect(e.code, e.stderr).toBe(0);
      // nv init leaves the email column empty; the examples give each State a test address.
      const withoutAddresses = readFileSync(join(dir, example, 'recipients.csv'), 'utf8').replace(
        /,registry@mission\.[a-z]{3}\.example\.org,$/gm,
        ',,',
      );
      expect(withoutAddresses, example).toBe(written);
    }
    // 2012's names: Turkey, the Czech Republic, Swaziland; not today's.
    expect(row(dir, 'TUR')).toMatchObject({
      name: 'Turkey',
      addressee: 'Permanent Representative of Turkey to the United Nations (Vienna)',
    });
    expect(row(dir, 'CZE').addressee).toBe(
      'Permanent Representative of the Czech Republic to the United Nations (Vienna)',
    );
    expect(row(dir, 'SWZ').name).toBe('Swaziland');
    expect(written).not.toMatch(/Türkiye|Czechia|Eswatini|North Macedonia|Cabo Verde/);
  });

  it('a date before the data begins is exit 2 with one sentence', () => {
    const r = init(tempDir(), '1999-06-01');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      "nv: nv's States data begins on 2000-01-01; notes dated 1999-06-01 need a recipients.csv written by hand (see README).",
    );
  });
});

describe('a State found by any of its UN names, whichever year the workspace is named for', () => {
  it('a 2012 workspace (Turkey, the Czech Republic) files replies naming Türkiye and Czechia under TUR and CZE', () => {
    const { ws } = exampleWorkspace();
    const dir = tempDir();
    expect(ingested(ws, replyNaming(dir, 'Türkiye'))).toBe('TUR');
    expect(ingested(ws, replyNaming(dir, 'Czechia'))).toBe('CZE');
    expect(ingested(ws, replyNaming(dir, 'Turkey'))).toBe('TUR');
  });

  it('a 2025 workspace (Türkiye) files a reply naming Turkey under TUR', () => {
    const dir = tempDir();
    expect(init(dir, '2025-09-01', VALUES).code).toBe(0);
    expect(ingested(join(dir, 'ws'), replyNaming(tempDir(), 'Turkey'))).toBe('TUR');
  });
});

describe('nv init: the secretariat values', () => {
  it('without a terminal, names the empty values and how to fill them (words and --json)', () => {
    const dir = tempDir();
    const r = init(dir, '2025-09-01', ['--fax', '+43-1 26060 5841']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'Not yet filled: values.address, values.email, values.website; write values.address, values.email, values.website in nv.yaml (the notes print them), or pass --address, --email, --website to nv init.',
    );
    const j = JSON.parse(init(tempDir(), '2025-09-01', ['--json']).stdout) as InitJson;
    expect(j.values.missing).toEqual(['values.address', 'values.fax', 'values.email', 'values.website']);
    expect(j.values.fill).toContain('--address, --fax, --email, --website');
  });

  it('writes the values given as flags into nv.yaml; a bad e-mail is exit 2', () => {
    const dir = tempDir();
    expect(init(dir, '2025-09-01', VALUES).code).toBe(0);
    const yaml = readFileSync(join(dir, 'ws', 'nv.yaml'), 'utf8');
    expect(yaml).toContain('address: P.O. Box 500, 1400 Vienna, Austria');
    expect(yaml).toContain('email: uncac@unodc.org');
    const bad = init(tempDir(), '2025-09-01', ['--email', 'not-an-address']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('nv: --email not-an-address is not accepted; write an e-mail address.');
  });
});

describe('nv init on a terminal: settling an uncertain category', () => {
  it('asks the officer for Tonga in February 2020 and writes the answer as the override', () => {
    const dir = tempDir();
    const driver = join(import.meta.dirname, '..', 'helpers', 'pty-drive.py');
    const args = ['init', 'ws', '--title', 't', '--start', '2020-06-01', '--end', '2020-06-02'];
    args.push('--deadline', '2020-05-01', '--date', '2020-02-15', '--place', 'Vienna', '--series', 'CU');
    args.push('--office', 'X', '--first', '1', '--author', 'A', '--letterhead', 'L', '--convention', 'UNCAC');
    args.push(...VALUES);
    const steps = [['its category on 2020-02-15?', '\r']];
    const r = spawnSync('python3', [driver, JSON.stringify(steps), '--', process.execPath, NV, ...args], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stdout).toContain(
      'Tonga (TON) became a party to UNCAC on a day between 2020-02-01 and 2020-02-29',
    );
    expect(r.stdout, r.stdout).toMatch(/\nEXIT 0\n$/);
    expect(row(dir, 'TON')).toMatchObject({ category: 'uncertain', category_override: 'party' });
    expect(r.stdout).toContain('TON: category party, as you said (category_override).');
  });
});
