import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { diskFullError, formatBytes, isDiskFull } from '../../src/notes/disk-full.js';

/** A real SQLITE_FULL from better-sqlite3: a database that may not grow past a few pages. */
function sqliteFull(): unknown {
  const db = new Database(join(mkdtempSync(join(tmpdir(), 'nv-full-')), 'full.sqlite'));
  db.exec('CREATE TABLE t (x BLOB)');
  db.pragma('max_page_count = 3');
  try {
    db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(64 * 1024));
    return undefined;
  } catch (e) {
    return e;
  } finally {
    db.close();
  }
}

describe('a full disk', () => {
  it('is recognised from the file system, SQLite, and a message that crossed a thread', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(isDiskFull(enospc)).toBe(true);
    expect(isDiskFull(Object.assign(new Error('quota'), { code: 'EDQUOT' }))).toBe(true);
    const full = sqliteFull();
    expect((full as { code: string }).code).toBe('SQLITE_FULL');
    expect(isDiskFull(full)).toBe(true);
    expect(
      isDiskFull(new Error('Rendering or writing the notes failed: ENOSPC: no space left on device, write')),
    ).toBe(true);
    expect(isDiskFull(Object.assign(new Error('denied'), { code: 'EACCES' }))).toBe(false);
    expect(isDiskFull(new Error('UNIQUE constraint failed'))).toBe(false);
    expect(isDiskFull(undefined)).toBe(false);
  });

  it('becomes one UserError: which folder, how much more, and that the same command completes the batch', () => {
    const e = diskFullError({
      shown: 'out/notes',
      folder: tmpdir(),
      neededBytes: 3 * 1024 * 1024,
      what: 'the 40 file(s) not yet written',
      references: ['CU 2012/150(A)/DTA/CEB/CSS'],
    });
    expect(e).toBeInstanceOf(UserError);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(
      /^The disk holding out\/notes is full \([\d.]+ (bytes|KB|MB) free\): about 3\.0 MB more are needed for the 40 file\(s\) not yet written\.$/,
    );
    expect(e.hint).toBe(
      'Free some space there (or give --out another folder) and run the same command again: it completes CU 2012/150(A)/DTA/CEB/CSS under the same number.',
    );
    const before = diskFullError({
      shown: '.nv',
      folder: '/nonexistent',
      what: 'the register',
      references: [],
    });
    expect(before.message).toBe('The disk holding .nv is full: it could not hold the register.');
    expect(before.hint).toContain('no number was allocated');
  });

  it('sizes are said in bytes, KB or MB', () => {
    expect([formatBytes(512), formatBytes(2048), formatBytes(5 * 1024 * 1024)]).toEqual([
      '512 bytes',
      '2 KB',
      '5.0 MB',
    ]);
  });
});
