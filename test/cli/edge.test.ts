/**
 * Errors honest at the edge (issue 7, point 4) and the faults of the machine: a register held by
 * another process, a YAML alias bomb, a read-only workspace, a full disk. All through the built CLI.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleWorkspace, nv, nvAsync, NV, tempDir } from '../helpers/cli.js';
import { drive } from '../helpers/pty.js';

const CTRL_C = '\x03';
const registerOf = (ws: string) => join(ws, '.nv', 'registry.sqlite');

function count(ws: string, sql: string): number {
  const db = new Database(registerOf(ws), { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The one JSON document on stdout of a refusal. */
function jsonError(stdout: string): { message: string; code: string; hint: string | null } {
  return (JSON.parse(stdout) as { error: { message: string; code: string; hint: string | null } }).error;
}

describe('Ctrl-C at a prompt', () => {
  it('in the nv init wizard prints "cancelled", exits 130 and creates nothing', () => {
    const dir = tempDir();
    const { screen, code } = drive(
      [
        ['Meeting title', 'first meeting of experts\r'],
        ['Place', CTRL_C],
      ],
      ['init', 'wiz'],
      dir,
    );
    expect(code, screen).toBe(130);
    expect(screen).toContain('nv: cancelled.');
    expect(screen).not.toMatch(/internal error|    at /);
    expect(existsSync(join(dir, 'wiz'))).toBe(false);
  });

  it('the wizard refuses a series nv.yaml would refuse, at the question, before anything is written', () => {
    const dir = tempDir();
    const { screen, code } = drive(
      [
        ['Meeting title', 'x\r'],
        ['Place', '\r'],
        ['First day', '2026-03-02\r'],
        ['Last day', '2026-03-04\r'],
        ['Deadline', '2026-02-01\r'],
        ['Date of the notes', '2025-12-01\r'],
        ['Reference series', 'cx\r'],
        ['capital letters and digits, e.g. CU', CTRL_C],
      ],
      ['init', 'wiz'],
      dir,
    );
    expect(code, screen).toBe(130);
    expect(existsSync(join(dir, 'wiz'))).toBe(false);
  });

  it('at "Generate?" allocates nothing and, with --json, says so in one JSON document', () => {
    const { ws } = exampleWorkspace();
    const { screen, code } = drive([['Generate?', CTRL_C]], ['generate', '--only', 'AUT', '--json'], ws);
    expect(code, screen).toBe(130);
    expect(screen).toContain('"code": "cancelled"');
    expect(screen).not.toMatch(/internal error/);
    expect(count(ws, 'SELECT count(*) AS n FROM dispatches')).toBe(0);
  });

  it('in nv review, at the reason, records no decision for that reply', () => {
    const { ws } = exampleWorkspace();
    const eml = join(import.meta.dirname, '..', '..', 'fixtures', 'replies', 'reply-typed.eml');
    expect(nv(['ingest', eml], { cwd: ws }).code).toBe(0);
    const { screen, code } = drive(
      [
        ['Reply 1:', '\x1b[B'],
        ['Accept despite', '\r'],
        ['Reason', 'half a reas' + CTRL_C],
      ],
      ['review'],
      ws,
    );
    expect(code, screen).toBe(130);
    expect(screen).toContain('nv: cancelled.');
    expect(count(ws, 'SELECT count(*) AS n FROM replies WHERE decision IS NOT NULL')).toBe(0);
  });
});

describe('--json on a refusal', () => {
  it('prints one JSON document { error: { message, code, hint } } on stdout, same exit code', () => {
    const { ws } = exampleWorkspace();
    const user = nv(['ref', 'show', '999', '--json'], { cwd: ws });
    expect(user.code).toBe(2);
    expect(jsonError(user.stdout)).toMatchObject({
      code: 'user',
      message: expect.stringMatching(/999 is not in the register/),
    });
    expect(user.stderr).toMatch(/^nv: .*999 is not in the register/); // people still read stderr

    const usage = nv(['ref', 'list', '--bogus', '--json'], { cwd: ws });
    expect(usage.code).toBe(2);
    expect(jsonError(usage.stdout)).toEqual({
      message: "unknown option '--bogus'",
      code: 'usage',
      hint: null,
    });

    const value = nv(['reply', 'list', '--status', 'bogus', '--json'], { cwd: ws });
    expect(value.code).toBe(2);
    expect(jsonError(value.stdout).code).toBe('usage');
  });

  it('is not printed for a command that takes no --json', () => {
    const { ws } = exampleWorkspace();
    const r = nv(['review', '--json'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

describe('options that take a fixed set of values', () => {
  it('nv reply list --status bogus is exit 2 naming the statuses', () => {
    const { ws } = exampleWorkspace();
    const r = nv(['reply', 'list', '--status', 'bogus'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'nv: --status bogus is not allowed; --status takes accepted, late, refused, needs-review or removed.\n',
    );
  });

  it('nv ref log -n abc is exit 2, and -n 1 shows one entry', () => {
    const { ws } = exampleWorkspace();
    expect(nv(['ref', 'set-next', '300'], { cwd: ws }).code).toBe(0);
    expect(nv(['ref', 'set-next', '301'], { cwd: ws }).code).toBe(0);
    const bad = nv(['ref', 'log', '-n', 'abc'], { cwd: ws });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/-n\/--limit abc is not a whole number/);
    const one = JSON.parse(nv(['ref', 'log', '-n', '1', '--json'], { cwd: ws }).stdout) as {
      entries: unknown[];
    };
    expect(one.entries).toHaveLength(1);
  });
});

describe('an internal error', () => {
  it('says "please report" with the version and the command, claims nothing, hides the stack', () => {
    const { ws } = exampleWorkspace();
    expect(nv(['ref', 'set-next', '300'], { cwd: ws }).code).toBe(0);
    // A register nv never writes: its audit table is gone. nv does not check its schema, so this
    // reaches a place where nv assumed what cannot be, which is what an internal error is.
    const db = new Database(registerOf(ws));
    db.exec('DROP TABLE audit');
    db.close();
    const r = nv(['ref', 'log', '--json'], { cwd: ws });
    expect(r.code).toBe(3);
    const version = (
      JSON.parse(readFileSync(join(NV, '..', '..', 'package.json'), 'utf8')) as { version: string }
    ).version;
    expect(r.stderr).toContain('nv: internal error: no such table: audit');
    expect(r.stderr).toContain(`This is a bug in nv ${version}`);
    expect(r.stderr).toContain('Please report it');
    expect(r.stderr).toContain('nv ref log --json');
    expect(r.stderr).not.toMatch(/was not changed|    at |\.js:\d+/);
    expect(jsonError(r.stdout).code).toBe('internal');
    const debug = nv(['ref', 'log'], { cwd: ws, env: { NV_DEBUG: '1' } });
    expect(debug.stderr).toMatch(/at .*\.js:\d+/);
  });
});

describe('a register busy with another process', () => {
  it('held before nv starts: nv says it waits, then that it is busy, exit 2, no restore advice', () => {
    const { ws } = exampleWorkspace();
    expect(nv(['ref', 'set-next', '300'], { cwd: ws }).code).toBe(0);
    const other = new Database(registerOf(ws));
    other.exec('BEGIN IMMEDIATE');
    try {
      const r = nv(['ref', 'set-next', '400', '--json'], { cwd: ws, env: { NV_REGISTER_WAIT_MS: '1000' } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('nv: waiting for the register, held by another process…');
      expect(r.stderr).toMatch(/is busy: another process is writing to it; try again when it has finished/);
      expect(r.stderr).not.toMatch(/backup|restore|internal/);
      expect(jsonError(r.stdout).code).toBe('busy');
      // Reading needs no lock.
      expect(nv(['ref', 'log', '-n', '1'], { cwd: ws }).code).toBe(0);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(nv(['ref', 'set-next', '400'], { cwd: ws }).code).toBe(0);
  });

  it('taken mid-batch: nv generate stops with exit 2 and "busy", and the next run completes', async () => {
    const { ws } = exampleWorkspace();
    const run = nvAsync(['generate', '--only', 'AUT,BEL,CAN,DEU,ESP,FRA', '--format', 'pdf', '--yes'], {
      cwd: ws,
      env: { NV_THROTTLE_MS: '400', NV_REGISTER_WAIT_MS: '1000' },
    });
    // Wait until the number is allocated, then take the lock from under the batch.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(existsSync(registerOf(ws)) && allocated(ws))) await sleep(50);
    const other = new Database(registerOf(ws));
    other.exec('BEGIN IMMEDIATE');
    let r;
    try {
      r = await run.done;
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/nv: waiting for the register, held by another process…/);
    expect(r.stderr).toMatch(/is busy: another process is writing to it/);
    expect(r.stderr).not.toMatch(/internal error|backup/);
    const again = nv(['generate', '--only', 'AUT,BEL,CAN,DEU,ESP,FRA', '--format', 'pdf', '--yes'], {
      cwd: ws,
    });
    expect(again.code, again.stderr).toBe(0);
    expect(count(ws, 'SELECT count(*) AS n FROM notes WHERE written_at IS NOT NULL')).toBe(6);
  });

  it('names the nv process that holds it', async () => {
    const { ws } = exampleWorkspace();
    const run = nvAsync(['generate', '--only', 'AUT,BEL,CAN,DEU', '--format', 'pdf', '--yes'], {
      cwd: ws,
      env: { NV_THROTTLE_MS: '300' },
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(existsSync(registerOf(ws)) && allocated(ws))) await sleep(50);
    // Our own stand-in for a long write by that nv process: the lock is held, its note is there.
    const other = new Database(registerOf(ws));
    other.exec('BEGIN IMMEDIATE');
    try {
      const r = nv(['ref', 'set-next', '400'], { cwd: ws, env: { NV_REGISTER_WAIT_MS: '500' } });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /held by another process \(nv process \d+, "nv generate --only AUT,BEL,CAN,DEU/,
      );
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await run.done;
  });
});

function allocated(ws: string): boolean {
  try {
    return count(ws, 'SELECT count(*) AS n FROM dispatches') > 0;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a YAML alias bomb in nv.yaml', () => {
  it('is exit 2 with the fix, not an internal error', () => {
    const { ws } = exampleWorkspace();
    const laughs = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...'bcdefghi'.split('').map((k, i) => {
        const prev = 'abcdefghi'[i]!;
        return `${k}: &${k} [${Array(9).fill(`*${prev}`).join(',')}]`;
      }),
    ].join('\n');
    const path = join(ws, 'nv.yaml');
    writeFileSync(path, `${laughs}\n${readFileSync(path, 'utf8')}`);
    const r = nv(['status', '--json'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nv: nv\.yaml:2: uses YAML aliases \(\*name\) that expand too far/);
    expect(jsonError(r.stdout).code).toBe('user');
  });
});

/** `runuser -u nobody` where it works (root in a container), so that permissions really apply. */
function asNobody(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, NV, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, CI: 'true', NO_COLOR: '1', HOME: '/tmp' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const canDropRoot =
  process.getuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0;

describe.skipIf(!canDropRoot)('a workspace this user may not write', () => {
  it('nv ref list, status and ref log read it; a write is refused with one sentence', () => {
    const { dir, ws } = exampleWorkspace();
    chmodSync(dir, 0o755);
    expect(nv(['generate', '--only', 'AUT', '--format', 'pdf', '--yes'], { cwd: ws }).code).toBe(0);
    const list = asNobody(['ref', 'list'], ws);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^CU 2012\/150\(A\)\/DTA\/CEB\/CSS\tinvitation/);
    expect(asNobody(['status'], ws).code).toBe(0);
    expect(asNobody(['ref', 'log', '-n', '1'], ws).code).toBe(0);
    const write = asNobody(['ref', 'set-next', '300', '--json'], ws);
    expect(write.code).toBe(2);
    expect(write.stderr).toMatch(
      /cannot be written: this user may not write in .*\.nv; reading commands work/,
    );
    expect(jsonError(write.stdout).code).toBe('read-only');
  });

  it('with no register yet, nv ref list says there is no number and creates nothing', () => {
    const { dir, ws } = exampleWorkspace();
    chmodSync(dir, 0o755);
    const r = asNobody(['ref', 'list'], ws);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/holds no number yet/);
    expect(existsSync(join(ws, '.nv'))).toBe(false);
  });
});

/** A tiny tmpfs (root in a container); filled to the last block by the test. */
function smallDisk(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const mnt = tempDir('nv-full-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
  return r.status === 0 ? mnt : undefined;
}

describe('a full disk', () => {
  it('is exit 2 naming the folder; reading still works', (ctx) => {
    const m = smallDisk();
    if (!m) return ctx.skip('mounting a small tmpfs needs root');
    try {
      const init = nv(['init', 'ws', '--example', 'uncac-2012', '--yes'], { cwd: m });
      expect(init.code, init.stderr).toBe(0);
      const ws = join(m, 'ws');
      expect(nv(['ref', 'set-next', '300'], { cwd: ws }).code).toBe(0);
      // Fill the disk to the last byte.
      mkdirSync(join(m, 'filler'));
      for (let i = 0; ; i++) {
        try {
          writeFileSync(join(m, 'filler', String(i)), Buffer.alloc(16 * 1024));
        } catch {
          break;
        }
      }
      for (let i = 0; ; i++) {
        try {
          writeFileSync(join(m, 'filler', `s${i}`), Buffer.alloc(512));
        } catch {
          break;
        }
      }
      const write = nv(['ref', 'set-next', '400', '--json'], { cwd: ws });
      expect(write.code, write.stderr).toBe(2);
      expect(write.stderr).toMatch(new RegExp(`^nv: The disk holding ${ws}/\\.nv is full`));
      expect(write.stderr).not.toMatch(/internal|backup/);
      expect(jsonError(write.stdout).code).toBe('disk-full');
      const log = nv(['ref', 'log', '-n', '1', '--json'], { cwd: ws });
      expect(log.code, log.stderr).toBe(0);
      expect(JSON.parse(log.stdout)).toMatchObject({ entries: [{ action: 'set-next' }] });
      const ingest = nv(
        ['ingest', join(import.meta.dirname, '..', '..', 'fixtures', 'replies', 'reply-typed.eml')],
        {
          cwd: ws,
        },
      );
      expect(ingest.code, ingest.stderr).toBe(2);
      expect(ingest.stderr).toMatch(/disk/i);
      expect(ingest.stderr).not.toMatch(/internal/);
    } finally {
      spawnSync('umount', [m]);
    }
  });
});
