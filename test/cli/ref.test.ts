import Database from 'better-sqlite3';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace, nv } from '../helpers/cli.js';

interface RefJson {
  references: string[];
  seq: number;
  status: string;
  voidReason: string | null;
  notes: number;
  recipients?: { recipient: string; variant: string; files: string[] }[];
}

describe('nv ref', () => {
  let ws: string;
  beforeAll(() => {
    ws = exampleWorkspace().ws;
    expect(
      nv(['generate', '-w', ws, '--yes', '--format', 'pdf', '--only', 'AUT,AND'], { cwd: ws }).code,
    ).toBe(0);
  });

  it('show finds a number by its full reference, its short form or its sequence number', () => {
    for (const ref of ['CU 2012/150(A)/DTA/CEB/CSS', 'CU 2012/150', '150']) {
      const r = nv(['ref', 'show', ref, '-w', ws, '--json'], { cwd: ws });
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as RefJson;
      expect(j.references).toEqual(['CU 2012/150(A)/DTA/CEB/CSS', 'CU 2012/150(B)/DTA/CEB/CSS']);
      expect(j.recipients!.map((n) => [n.recipient, n.variant])).toEqual([
        ['AND', 'B'],
        ['AUT', 'A'],
      ]);
      expect(j.recipients![1]!.files).toEqual(['out/notes/CU-2012-150-A/AUT-Austria.pdf']);
    }
  });

  it('show of a number that is not in the register is exit 2 with one sentence', () => {
    const r = nv(['ref', 'show', 'CU 2012/999', '-w', ws], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /^nv: CU 2012\/999 is not in the register: it has not been allocated yet \(the next number is CU 2012\/1\d\d\); "nv generate" allocates numbers, "nv ref list" shows those allocated\.$/,
    );
    // Below the next number but never allocated (numbering started at 150): no word of generate.
    const skipped = nv(['ref', 'show', 'CU 2012/5', '-w', ws], { cwd: ws });
    expect(skipped.code).toBe(2);
    expect(skipped.stderr.trim()).toBe(
      'nv: CU 2012/5 is not in the register; "nv ref list" shows the numbers allocated.',
    );
  });

  it('a reference before any note is generated says that nv generate allocates it', () => {
    const { ws: fresh } = exampleWorkspace();
    for (const args of [
      ['ref', 'show', '150'],
      ['dispatch', '150', '--drafts', 'out/drafts', '--yes'],
    ]) {
      const r = nv([...args, '-w', fresh], { cwd: fresh });
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(
        'nv: CU 2012/150 is not in the register: it has not been allocated yet (the next number is CU 2012/150); "nv generate" allocates numbers, "nv ref list" shows those allocated.',
      );
    }
    expect(existsSync(join(fresh, 'out', 'drafts'))).toBe(false);
  });

  it('set-next never goes back over an allocated number, and moves the next allocation forward', () => {
    const back = nv(['ref', 'set-next', '150', '-w', ws], { cwd: ws });
    expect(back.code).toBe(2);
    expect(back.stderr).toMatch(
      /CU 2012\/150 is already allocated; the next number must be above it \(151 or more\)/,
    );
    expect(nv(['ref', 'set-next', '160', '-w', ws], { cwd: ws }).code).toBe(0);
    const r = nv(
      [
        'generate',
        '-w',
        ws,
        '--yes',
        '--json',
        '--template',
        'reminder',
        '--only',
        'AUT',
        '--format',
        'pdf',
        '--date',
        '2012-09-10',
      ],
      { cwd: ws },
    );
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { notes: { reference: string }[] }).notes[0]!.reference).toBe(
      'CU 2012/160/DTA/CEB/CSS',
    );
  });

  it('void keeps the number with its reason; generating again takes a new number', () => {
    const r = nv(['ref', 'void', 'CU 2012/160', '--reason', 'sent in error', '-w', ws, '--json'], {
      cwd: ws,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ seq: 160, status: 'void', voidReason: 'sent in error' });
    const again = nv(['ref', 'void', '160', '--reason', 'twice', '-w', ws], { cwd: ws });
    expect(again.code).toBe(2);
    const g = nv(
      [
        'generate',
        '-w',
        ws,
        '--yes',
        '--json',
        '--template',
        'reminder',
        '--only',
        'AUT',
        '--format',
        'pdf',
        '--date',
        '2012-09-10',
      ],
      { cwd: ws },
    );
    expect((JSON.parse(g.stdout) as { notes: { reference: string }[] }).notes[0]!.reference).toBe(
      'CU 2012/161/DTA/CEB/CSS',
    );
    const list = JSON.parse(nv(['ref', 'list', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      references: RefJson[];
    };
    expect(list.references.map((x) => [x.seq, x.status])).toEqual([
      [150, 'active'],
      [160, 'void'],
      [161, 'active'],
    ]);
  });

  it('every change is in the audit log with time, OS user, command and what changed', () => {
    const db = new Database(join(ws, '.nv', 'registry.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT at, user, command, action, detail FROM audit ORDER BY id').all() as {
      at: string;
      user: string;
      command: string;
      action: string;
      detail: string;
    }[];
    db.close();
    const actions = rows.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['allocate', 'write-note', 'set-next', 'void']));
    const voided = rows.find((r) => r.action === 'void')!;
    expect(voided.command).toBe('nv ref void CU 2012/160 --reason sent in error -w ' + ws + ' --json');
    expect(JSON.parse(voided.detail)).toMatchObject({ seq: 160, reason: 'sent in error' });
    expect(voided.user.length).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(voided.at))).toBe(false);
    const log = nv(['ref', 'log', '-w', ws, '--json'], { cwd: ws });
    expect((JSON.parse(log.stdout) as { entries: unknown[] }).entries.length).toBe(rows.length);
  });
});

describe('a damaged register', () => {
  it('is exit 2 with one sentence naming the file, not an internal error', () => {
    const { ws } = exampleWorkspace();
    mkdirSync(join(ws, '.nv'), { recursive: true });
    writeFileSync(join(ws, '.nv', 'registry.sqlite'), 'this is not a database, it is a note about one');
    const r = nv(['ref', 'list', '-w', ws], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^nv: The register .*registry\.sqlite cannot be opened \(file is not a database\); restore it from a backup/,
    );
  });
});
