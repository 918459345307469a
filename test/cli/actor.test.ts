/** Who the audit log names: NV_ACTOR when set, else the OS user (issue 9, point 3). */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actor } from '../../src/cli/io.js';
import { exampleWorkspace, nv } from '../helpers/cli.js';

interface AuditRow {
  user: string;
  command: string;
  action: string;
}

/** The audit table of the workspace's SQLite register, read with better-sqlite3. */
function auditRows(ws: string): AuditRow[] {
  const path = join(ws, '.nv', 'registry.sqlite');
  if (!existsSync(path)) return []; // no command has opened the register yet
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT user, command, action FROM audit ORDER BY id').all() as AuditRow[];
  } finally {
    db.close();
  }
}

describe('NV_ACTOR', () => {
  it('names the actor of the audit entries a command writes, trimmed; blank means the OS user', () => {
    const { ws } = exampleWorkspace();
    const named = nv(['ref', 'set-next', '300', '-w', ws], {
      cwd: ws,
      env: { NV_ACTOR: '  clerk-2 Marie ' },
    });
    expect(named.code, named.stderr).toBe(0);
    expect(auditRows(ws).at(-1)).toEqual({
      user: 'clerk-2 Marie',
      command: `nv ref set-next 300 -w ${ws}`,
      action: 'set-next',
    });
    const blank = nv(['ref', 'set-next', '301', '-w', ws], { cwd: ws, env: { NV_ACTOR: '   ' } });
    expect(blank.code, blank.stderr).toBe(0);
    expect(auditRows(ws).at(-1)!.user).toBe(userInfo().username);
  });

  it('too long, or with a control character, is exit 2 with one sentence, and nothing is recorded', () => {
    const { ws } = exampleWorkspace();
    const before = auditRows(ws);
    const long = nv(['ref', 'set-next', '300', '-w', ws], { cwd: ws, env: { NV_ACTOR: 'é'.repeat(101) } });
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(
      /^nv: NV_ACTOR is 101 characters long, more than the 100 the audit log takes; .*\.\n$/,
    );
    const broken = nv(['ref', 'set-next', '300', '-w', ws], { cwd: ws, env: { NV_ACTOR: 'clerk\nroot' } });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^nv: NV_ACTOR holds a control character .*\.\n$/);
    expect(auditRows(ws)).toEqual(before);
    // Exactly 100 characters is taken.
    const max = nv(['ref', 'set-next', '300', '-w', ws], { cwd: ws, env: { NV_ACTOR: 'é'.repeat(100) } });
    expect(max.code, max.stderr).toBe(0);
    expect(auditRows(ws).at(-1)!.user).toBe('é'.repeat(100));
  });

  it('a password in a URL on the command line never reaches the audit log', () => {
    expect(actor(['db', 'copy', '--to', 'postgres://nv:s3cret@db.example.org:5432/nv']).command).toBe(
      'nv db copy --to postgres://nv@db.example.org:5432/nv',
    );
    expect(actor(['ref', 'log', '--to', 'postgres://nv@db/nv']).command).toBe(
      'nv ref log --to postgres://nv@db/nv',
    );
  });
});
