import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nv, tempDir } from '../helpers/cli.js';

describe('nv init', () => {
  it('--example uncac-2012 creates the seed meeting with its 195 States and enclosures', () => {
    const dir = tempDir();
    const r = nv(['init', 'demo', '--example', 'uncac-2012', '--yes', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { recipients: number; files: string[] };
    expect(j.recipients).toBe(195);
    expect(j.files).toEqual([
      'attachments/annotated-provisional-agenda.pdf',
      'attachments/information-for-participants.pdf',
      'nv.yaml',
      'recipients.csv',
    ]);
    expect(existsSync(join(dir, 'demo', 'templates'))).toBe(true);
  });

  it('refuses a folder that already holds a workspace, with exit 2', () => {
    const dir = tempDir();
    expect(nv(['init', 'demo', '--example', 'uncac-2012', '--yes'], { cwd: dir }).code).toBe(0);
    const r = nv(['init', 'demo', '--example', 'uncac-2012', '--yes'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already holds an nv workspace/);
  });

  it('a path that cannot be a folder is exit 2 with one sentence', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'afile'), '');
    const r = nv(['init', 'afile', '--example', 'uncac-2012', '--yes'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^nv: .*afile cannot be made a workspace folder \(EEXIST\); choose another folder\.\n$/,
    );
  });

  it('without a terminal, names the flags it needs instead of asking', () => {
    const r = nv(['init', 'cop'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'nv: nv init needs --title, --start, --end, --deadline, --date when it cannot ask (no terminal, or --yes); pass them, or use --example uncac-2012.',
    );
  });

  it('with flags creates a workspace whose invitation can be planned', () => {
    const dir = tempDir();
    const r = nv(
      [
        'init',
        'cop',
        '--yes',
        '--title',
        'eleventh session',
        '--start',
        '2025-12-15',
        '--end',
        '2025-12-19',
        '--deadline',
        '2025-11-14',
        '--date',
        '2025-09-01',
        '--first',
        '200',
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const yaml = readFileSync(join(dir, 'cop', 'nv.yaml'), 'utf8');
    expect(yaml).toMatch(/first: 200/);
    const csv = readFileSync(join(dir, 'cop', 'recipients.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(196);
    const check = nv(['templates', 'check', 'invitation', '-w', 'cop'], { cwd: dir });
    expect(check.code, check.stderr).toBe(0);
    // A new meeting's invitation can be generated at once (its own starter template).
    const plan = nv(['generate', '-w', 'cop', '--dry-run', '--json'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({
      notes: 195,
      toAllocate: 1,
      references: [{ references: ['CU 2025/200(A)/DTA/CEB/CSS', 'CU 2025/200(B)/DTA/CEB/CSS'] }],
    });
    const g = nv(['generate', '-w', 'cop', '--yes', '--only', 'AUT,AND', '--format', 'pdf', '--json'], {
      cwd: dir,
    });
    expect(g.code, g.stderr).toBe(0);
  });

  it('a bad date is exit 2 with one sentence', () => {
    const r = nv(
      [
        'init',
        'cop',
        '--yes',
        '--title',
        't',
        '--start',
        '2025-13-01',
        '--end',
        '2025-12-19',
        '--deadline',
        '2025-11-14',
        '--date',
        '2025-09-01',
      ],
      { cwd: tempDir() },
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('nv: --start 2025-13-01 is not a calendar date; write it as yyyy-mm-dd.');
  });
});

describe('conventions', () => {
  it('every command has --help with an example', () => {
    const dir = tempDir();
    const commands = [
      [],
      ['init'],
      ['generate'],
      ['ingest'],
      ['validate'],
      ['status'],
      ['review'],
      ['reply', 'list'],
      ['reply', 'show'],
      ['reply', 'set'],
      ['delegation', 'import'],
      ['delegation', 'list'],
      ['export', 'participants'],
      ['export', 'status'],
      ['ref', 'list'],
      ['ref', 'show'],
      ['ref', 'void'],
      ['ref', 'set-next'],
      ['ref', 'log'],
      ['templates', 'list'],
      ['templates', 'check'],
    ];
    for (const cmd of commands) {
      const r = nv([...cmd, '--help'], { cwd: dir });
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout, cmd.join(' ')).toMatch(/Examples?:\n\s+nv /);
    }
  });

  it('--version prints the version', () => {
    const r = nv(['--version'], { cwd: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(
      (
        JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
          version: string;
        }
      ).version,
    );
  });

  it('an unknown option or command is exit 2', () => {
    expect(nv(['generate', '--frobnicate'], { cwd: tempDir() }).code).toBe(2);
    expect(nv(['frobnicate'], { cwd: tempDir() }).code).toBe(2);
  });

  it('outside a workspace, one sentence says how to make one', () => {
    const r = nv(['generate', '--yes'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^nv: No nv workspace here or above .*; run "nv init" to create one, or pass -w DIR\.\n$/,
    );
  });
});
