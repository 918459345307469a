/**
 * Issue 7, "The clerk": what nv ingest takes from a folder, each file on its own, folders that
 * fight back (links out, loops, unreadable sub-folders), leftovers of a killed run, a full disk,
 * removed replies, and what the clerk sees (status counts, times in the secretariat's zone, whole
 * State names, the documents a reply carried).
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, exampleWorkspace, nv, NV, ROOT, tempDir, type Run } from '../helpers/cli.js';

const REPLIES = join(ROOT, 'fixtures', 'replies');
const fx = (name: string) => join(REPLIES, name);

interface Item {
  file: string;
  result: 'added' | 'existing' | 'skipped' | 'refused';
  reason?: string;
  notes: string[];
  reply?: number;
  state?: string | null;
  channel?: string | null;
  receivedAt?: string | null;
  status?: string;
}
interface IngestJson {
  items: Item[];
  totals: Record<string, number>;
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function archived(ws: string): string[] {
  const root = join(ws, '.nv', 'archive');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

function ingestJson(ws: string, args: string[]): { run: Run; json: IngestJson } {
  const run = nv(['ingest', '-w', ws, '--json', ...args], { cwd: ws });
  return { run, json: JSON.parse(run.stdout) as IngestJson };
}

const isRoot = process.getuid?.() === 0;

/**
 * Runs nv as a user who cannot read what chmod 000 hides. Root reads everything, so as root the
 * run is made as `nobody` over a tree opened to everyone.
 */
function nvUnprivileged(args: string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [NV, ...args], {
    cwd,
    env: baseEnv(),
    encoding: 'utf8',
    timeout: 120_000,
    ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Opens a tree to everyone (for the run as `nobody`); what the test then closes stays closed. */
function openTree(dir: string): void {
  if (isRoot) spawnSync('chmod', ['-R', 'a+rwX', dir]);
}

function mountTmpfs(dir: string, size: string): boolean {
  if (!isRoot) return false;
  mkdirSync(dir, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0;
}

describe('nv ingest FOLDER takes replies only (point 8)', () => {
  it('README files, scripts and text notes are listed as skipped with the reason, in human output and --json; replies are taken', () => {
    const { ws } = exampleWorkspace();
    const inbox = join(tempDir(), 'inbox');
    mkdirSync(join(inbox, 'notes'), { recursive: true });
    writeFileSync(join(inbox, 'README.md'), '# Replies of September\n\nSee the register.\n');
    writeFileSync(join(inbox, 'fetch.sh'), '#!/bin/sh\nrsync -a mail:/inbox .\n');
    writeFileSync(join(inbox, 'notes', 'todo.txt'), 'call the mission of Peru\n');
    copyFileSync(fx('reply-scanned.eml'), join(inbox, 'reply-scanned.eml'));
    copyFileSync(fx('fax.tif'), join(inbox, 'fax.tif'));
    copyFileSync(fx('reply.docx'), join(inbox, 'reply.docx'));
    const { run, json } = ingestJson(ws, [inbox, '--channel', 'fax', '--state', 'BEL']);
    expect(run.code, run.stderr).toBe(0);
    const by = (name: string) => json.items.find((i) => i.file.endsWith(name))!;
    for (const name of ['README.md', 'fetch.sh', 'todo.txt']) {
      expect(by(name).result, name).toBe('skipped');
      expect(by(name).reason).toMatch(/not a reply/);
    }
    for (const name of ['reply-scanned.eml', 'fax.tif', 'reply.docx'])
      expect(by(name).result, name).toBe('added');
    expect(json.totals).toMatchObject({ added: 3, skipped: 3, refused: 0 });
    const status = JSON.parse(nv(['status', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      totals: { replies: number };
    };
    expect(status.totals.replies).toBe(3);
    // The human output lists them too.
    const again = nv(['ingest', '-w', ws, inbox, '--channel', 'fax'], { cwd: ws });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/skipped {2}\S*README\.md: plain text, not a reply/);
    expect(again.stderr).toMatch(/0 new reply\(ies\), 3 already ingested, 3 skipped, 0 refused\./);
  });
});

describe('one bad file never blocks the rest (point 9)', () => {
  it('an unreadable file is refused on its own, the others are stored, exit 1; --channel post never turns an e-mail into post', () => {
    const { dir, ws } = exampleWorkspace();
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    copyFileSync(fx('reply-typed.eml'), join(inbox, 'a-typed.eml')); // a typed PDF by e-mail: refused by the rules
    copyFileSync(fx('fax.tif'), join(inbox, 'b-fax.tif'));
    copyFileSync(fx('scanned-reply.pdf'), join(inbox, 'c-locked.pdf'));
    copyFileSync(fx('vienna-2359.eml'), join(inbox, 'd-vienna.eml'));
    openTree(dir);
    chmodSync(join(inbox, 'c-locked.pdf'), 0o000);
    const r = nvUnprivileged(
      ['ingest', '-w', ws, '--json', inbox, '--channel', 'post', '--received', '2012-09-20 10:00'],
      dir,
    );
    chmodSync(join(inbox, 'c-locked.pdf'), 0o644);
    const json = JSON.parse(r.stdout) as IngestJson;
    expect(r.code).toBe(1);
    const by = (name: string) => json.items.find((i) => i.file.endsWith(name))!;
    expect(by('c-locked.pdf')).toMatchObject({ result: 'refused' });
    expect(by('c-locked.pdf').reason).toMatch(/Cannot read .*c-locked\.pdf \(EACCES\)/);
    expect(by('a-typed.eml')).toMatchObject({ result: 'added', channel: 'email', status: 'refused' });
    expect(by('a-typed.eml').notes).toEqual([
      '--channel post does not apply to an e-mail: recorded as e-mail',
    ]);
    expect(by('b-fax.tif')).toMatchObject({ result: 'added', channel: 'post' });
    expect(by('d-vienna.eml')).toMatchObject({ result: 'added', channel: 'email' });
  }, 60_000);

  it('without --channel, the scans are refused naming the flag and the e-mails of the folder are taken in', () => {
    const { ws } = exampleWorkspace();
    const inbox = join(tempDir(), 'inbox');
    mkdirSync(inbox);
    copyFileSync(fx('fax.tif'), join(inbox, 'fax.tif'));
    copyFileSync(fx('reply-scanned.eml'), join(inbox, 'reply.eml'));
    const { run, json } = ingestJson(ws, [inbox]);
    expect(run.code).toBe(1);
    expect(json.items.map((i) => [i.file.replace(/.*\//, ''), i.result])).toEqual([
      ['fax.tif', 'refused'],
      ['reply.eml', 'added'],
    ]);
    expect(json.items[0]!.reason).toMatch(/pass --channel fax or --channel post/);
  });
});

describe('folders and leftovers (faults)', () => {
  it('never follows a link out of the folder named, never loops: the links are skipped with the reason, exit 0', () => {
    const { ws } = exampleWorkspace();
    const base = tempDir();
    const secret = join(base, 'secret.txt');
    writeFileSync(secret, 'password=hunter2\n');
    const outsidePdf = join(base, 'outside.pdf');
    copyFileSync(fx('photo.jpg'), outsidePdf);
    const inbox = join(base, 'inbox');
    mkdirSync(join(inbox, 'sub'), { recursive: true });
    copyFileSync(fx('reply-scanned.eml'), join(inbox, 'reply.eml'));
    symlinkSync(secret, join(inbox, 'shadow'));
    symlinkSync(outsidePdf, join(inbox, 'sub', 'outside.pdf'));
    if (existsSync('/proc/self/environ')) symlinkSync('/proc/self/environ', join(inbox, 'environ'));
    symlinkSync(join(inbox, 'loop-b'), join(inbox, 'loop-a'));
    symlinkSync(join(inbox, 'loop-a'), join(inbox, 'loop-b'));
    symlinkSync(inbox, join(inbox, 'sub', 'up'));
    symlinkSync(join(inbox, 'reply.eml'), join(inbox, 'sub', 'same.eml')); // inside: followed, read once
    const { run, json } = ingestJson(ws, [inbox, '--channel', 'post']);
    expect(run.code, run.stderr).toBe(0);
    const reason = (name: string) => json.items.find((i) => i.file.endsWith(name))?.reason;
    expect(reason('shadow')).toMatch(/a link out of the folder \(to .*secret\.txt\): not followed/);
    expect(reason('sub/outside.pdf')).toMatch(/a link out of the folder/);
    if (existsSync('/proc/self/environ')) expect(reason('environ')).toMatch(/a link out of the folder/);
    expect(reason('loop-a')).toBe('a link that loops');
    expect(reason('sub/up')).toMatch(/already read/);
    expect(json.items.filter((i) => i.result === 'added').map((i) => i.file)).toEqual([
      expect.stringMatching(/inbox\/reply\.eml$/),
    ]);
    const hashes = archived(ws).map((f) => sha(readFileSync(f)));
    expect(hashes).not.toContain(sha(readFileSync(secret)));
    expect(hashes).not.toContain(sha(readFileSync(outsidePdf)));
  });

  it('nv delegation import FOLDER walks the same way: no link out of the folder followed, no loop', () => {
    const { ws } = exampleWorkspace();
    const base = tempDir();
    mkdirSync(join(base, 'lists', 'sub'), { recursive: true });
    mkdirSync(join(base, 'other'));
    copyFileSync(
      join(ROOT, 'fixtures', 'delegations', 'excel-utf8-bom.csv'),
      join(base, 'lists', 'austria.csv'),
    );
    copyFileSync(
      join(ROOT, 'fixtures', 'delegations', 'cp1252-semicolon-fr.csv'),
      join(base, 'other', 'fr.csv'),
    );
    symlinkSync(join(base, 'other', 'fr.csv'), join(base, 'lists', 'fr.csv'));
    symlinkSync(join(base, 'lists', 'loop-b'), join(base, 'lists', 'loop-a'));
    symlinkSync(join(base, 'lists', 'loop-a'), join(base, 'lists', 'loop-b'));
    symlinkSync(join(base, 'lists'), join(base, 'lists', 'sub', 'up'));
    const r = nv(['delegation', 'import', '-w', ws, '--json', join(base, 'lists')], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { imported: { state: string }[]; notes: string[] };
    expect(j.imported.map((x) => x.state)).toEqual(['AUT']);
    // What was left out is said, as nv ingest says it.
    expect(j.notes).toEqual(
      expect.arrayContaining([expect.stringMatching(/fr\.csv: a link out of the folder .*not followed/)]),
    );
    const human = nv(['delegation', 'import', '-w', ws, join(base, 'lists')], { cwd: ws });
    expect(human.stderr).toMatch(/^note: skipped .*fr\.csv: a link out of the folder/m);
  });

  it('an unreadable sub-folder is skipped with the reason; the rest of the folder is ingested', () => {
    const { dir, ws } = exampleWorkspace();
    const inbox = join(dir, 'inbox');
    mkdirSync(join(inbox, 'private'), { recursive: true });
    copyFileSync(fx('reply-scanned.eml'), join(inbox, 'reply.eml'));
    copyFileSync(fx('vienna-2359.eml'), join(inbox, 'private', 'hidden.eml'));
    openTree(dir);
    chmodSync(join(inbox, 'private'), 0o000);
    const r = nvUnprivileged(['ingest', '-w', ws, '--json', inbox], dir);
    chmodSync(join(inbox, 'private'), 0o755);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as IngestJson;
    expect(json.items.map((i) => [i.file.replace(/.*inbox\//, ''), i.result, i.reason ?? ''])).toEqual([
      ['reply.eml', 'added', ''],
      ['private', 'skipped', 'a folder that cannot be read (EACCES)'],
    ]);
  }, 60_000);

  it('temporaries a killed run left in the archive are removed at the start of the next ingest', () => {
    const { ws } = exampleWorkspace();
    const folder = join(ws, '.nv', 'archive', 'ab');
    mkdirSync(folder, { recursive: true });
    // pid 99999999 is above any pid_max: the process that wrote it is gone.
    const stale = [
      join(ws, '.nv', 'archive', '.nv-tmp-99999999-dead'),
      join(folder, '.nv-tmp-99999999-beef'),
    ];
    for (const f of stale) writeFileSync(f, 'half a file');
    const r = nv(['ingest', '-w', ws, fx('reply-scanned.eml')], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    for (const f of stale) expect(existsSync(f), f).toBe(false);
  });

  it.skipIf(!isRoot)(
    'a disk that fills while ingesting is exit 2 with one sentence; what was stored stays whole and the next run completes',
    () => {
      const mnt = join(tempDir(), 'small-disk');
      if (!mountTmpfs(mnt, '3m')) return;
      try {
        const r0 = nv(['init', 'ws', '--example', 'uncac-2012', '--yes'], { cwd: mnt });
        expect(r0.code, r0.stderr).toBe(0);
        const ws = join(mnt, 'ws');
        const inbox = join(tempDir(), 'inbox');
        mkdirSync(inbox);
        for (const f of ['forwarded.eml', 'hostile-names.eml', 'new-york-2330.eml', 'reply-scanned.eml'])
          copyFileSync(fx(f), join(inbox, f));
        const df = spawnSync('df', ['--output=avail', '-B1', mnt], { encoding: 'utf8' });
        const avail = Number(df.stdout.trim().split('\n').pop());
        writeFileSync(join(mnt, 'filler'), new Uint8Array(Math.max(0, avail - 200_000)));
        const full = nv(['ingest', '-w', ws, inbox], { cwd: ws });
        expect(full.code, full.stderr).toBe(2);
        expect(full.stderr).toMatch(
          /^nv: The disk holding .*\.nv\/(archive|\S+\.sqlite) is full \((ENOSPC|SQLITE_FULL)\): .* needed about \d+ KB; free some space and run "nv ingest" again/,
        );
        expect(full.stderr).not.toMatch(/at .*\.js:\d+/); // no stack
        expect(archived(ws).filter((f) => f.includes('.nv-tmp-'))).toEqual([]);
        rmSync(join(mnt, 'filler'));
        // Every reply the register holds has its original in the archive.
        const list = JSON.parse(nv(['reply', 'list', '-w', ws, '--json'], { cwd: ws }).stdout) as {
          replies: { sha256: string }[];
        };
        const names = archived(ws).map((f) => f.replace(/.*\//, '').replace(/\..*/, ''));
        for (const r of list.replies) expect(names).toContain(r.sha256);
        const next = ingestJson(ws, [inbox]);
        expect(next.run.code, next.run.stderr).toBe(0);
        expect(next.json.totals.added! + next.json.totals.existing!).toBe(4);
      } finally {
        spawnSync('umount', [mnt]);
      }
    },
    60_000,
  );
});

describe('nv reply remove (point 8)', () => {
  it('takes a reply out of status and validate; its bytes stay in the archive; the audit log says who (NV_ACTOR) and why', () => {
    const { ws } = exampleWorkspace();
    const { json } = ingestJson(ws, [fx('reply-typed.eml'), fx('vienna-2359.eml')]);
    const typed = json.items[0]!.reply!;
    const before = JSON.parse(nv(['status', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      totals: { replies: number };
    };
    expect(before.totals.replies).toBe(2);
    expect(nv(['validate', '-w', ws], { cwd: ws }).code).toBe(1); // the typed PDF by e-mail
    const noReason = nv(['reply', 'remove', String(typed), '--reason', '  ', '-w', ws], { cwd: ws });
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/needs its reason/);
    const r = nv(['reply', 'remove', String(typed), '--reason', 'sent twice by mistake', '-w', ws], {
      cwd: ws,
      env: { NV_ACTOR: 'Maria Lopez' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/removed by Maria Lopez: sent twice by mistake/);
    const after = JSON.parse(nv(['status', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      totals: { replies: number };
      rows: { state: string; status: string; replies: number }[];
    };
    expect(after.totals.replies).toBe(1);
    expect(after.rows.find((x) => x.state === 'AUT')).toMatchObject({ status: 'no-reply', replies: 0 });
    const v = nv(['validate', '-w', ws, '--json'], { cwd: ws });
    expect(v.code).toBe(0);
    // No finding about the removed reply is left (the other reply's warning stays).
    const findings = (JSON.parse(v.stdout) as { findings: { reply: number | null }[] }).findings;
    expect(findings.filter((f) => f.reply === typed)).toEqual([]);
    const hash = sha(readFileSync(fx('reply-typed.eml')));
    expect(archived(ws).some((f) => f.includes(hash))).toBe(true);
    const log = JSON.parse(nv(['ref', 'log', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      entries: { user: string; action: string; detail: Record<string, unknown> }[];
    };
    expect(log.entries[0]).toMatchObject({
      user: 'Maria Lopez',
      action: 'reply-remove',
      detail: { reply: typed, reason: 'sent twice by mistake' },
    });
    // Listed only when asked for; no decision on it; not removed twice.
    const list = JSON.parse(nv(['reply', 'list', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      replies: { id: number }[];
    };
    expect(list.replies.map((x) => x.id)).not.toContain(typed);
    const all = JSON.parse(nv(['reply', 'list', '--all', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      replies: { id: number; status: string; removedBy: string }[];
    };
    expect(all.replies.find((x) => x.id === typed)).toMatchObject({
      status: 'removed',
      removedBy: 'Maria Lopez',
    });
    expect(nv(['reply', 'remove', String(typed), '--reason', 'again', '-w', ws], { cwd: ws }).code).toBe(2);
    expect(nv(['reply', 'set', String(typed), '--accept', '--reason', 'x', '-w', ws], { cwd: ws }).code).toBe(
      2,
    );
    // The same bytes again are that reply, said to be removed, not a new one.
    const again = ingestJson(ws, [fx('reply-typed.eml')]).json.items[0]!;
    expect(again).toMatchObject({ result: 'existing', reply: typed, status: 'removed' });
  });
});

describe('a removed reply in export', () => {
  it('no longer counts: its State leaves the list of participants', () => {
    const { ws } = exampleWorkspace();
    ingestJson(ws, [fx('reply-scanned.eml')]); // Austria, accepted
    const imp = nv(
      [
        'delegation',
        'import',
        '-w',
        ws,
        join(ROOT, 'fixtures', 'delegations', 'excel-utf8-bom.csv'),
        '--state',
        'AUT',
      ],
      { cwd: ws },
    );
    expect(imp.code, imp.stderr).toBe(0);
    const states = () =>
      (
        JSON.parse(
          nv(['export', 'participants', '-w', ws, '--format', 'json', '--out', '-'], { cwd: ws }).stdout,
        ) as { sections: { delegations: { state: string }[] }[] }
      ).sections.flatMap((x) => x.delegations.map((d) => d.state));
    expect(states()).toEqual(['AUT']);
    expect(nv(['reply', 'remove', '1', '--reason', 'wrong workspace', '-w', ws], { cwd: ws }).code).toBe(0);
    expect(states()).toEqual([]);
  });
});

describe('what the clerk sees (point 12)', () => {
  it('nv status counts every reply awaiting review, also a newer reply of a State whose earlier one was accepted', () => {
    const { ws } = exampleWorkspace();
    ingestJson(ws, [fx('reply-scanned.eml')]); // Austria, accepted
    const { json } = ingestJson(ws, [
      fx('mixed-typed-scanned.pdf'),
      '--channel',
      'fax',
      '--state',
      'AUT',
      '--received',
      '2012-09-22 10:00',
    ]);
    expect(json.items[0]!.status).toBe('needs-review');
    const s = JSON.parse(nv(['status', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      totals: { awaitingReview: number };
      rows: { state: string; status: string; awaitingReview: number }[];
    };
    expect(s.totals.awaitingReview).toBe(1);
    expect(s.rows.find((r) => r.state === 'AUT')).toMatchObject({ status: 'accepted', awaitingReview: 1 });
    const human = nv(['status', '-w', ws], { cwd: ws });
    expect(human.stdout).toMatch(/2 replies, 1 awaiting review \(nv review\)/);
    expect(human.stdout).toMatch(/^AUT .* accepted .* 1 reply\(ies\) awaiting review$/m);
  });

  it('times are in the secretariat’s zone in status, reply list|show and validate, ISO 8601 with offset in JSON', () => {
    const { ws } = exampleWorkspace();
    ingestJson(ws, [fx('new-york-2330.eml')]); // received 2012-09-25 05:30:09 +02:00 (03:30:09 UTC)
    const list = nv(['reply', 'list', '-w', ws], { cwd: ws });
    expect(list.stdout).toContain('2012-09-25 05:30 +02:00');
    expect(list.stderr).toContain('Times in Europe/Vienna.');
    const show = nv(['reply', 'show', '1', '-w', ws], { cwd: ws });
    expect(show.stdout).toMatch(/received {2}2012-09-25 05:30 \+02:00 \(Europe\/Vienna\)/);
    const showJson = JSON.parse(nv(['reply', 'show', '1', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      receivedAt: string;
      ingestedAt: string;
    };
    expect(showJson.receivedAt).toBe('2012-09-25T05:30:09+02:00');
    expect(showJson.ingestedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    const status = nv(['status', '-w', ws], { cwd: ws });
    expect(status.stdout).toMatch(/^SGP .* reply 1 2012-09-25 05:30 \+02:00 email/m);
    const statusJson = JSON.parse(nv(['status', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      rows: { state: string; reply: { receivedAt: string } | null }[];
    };
    expect(statusJson.rows.find((r) => r.state === 'SGP')!.reply!.receivedAt).toBe(
      '2012-09-25T05:30:09+02:00',
    );
    const v = nv(['validate', '-w', ws], { cwd: ws });
    expect(v.stdout).toContain('(2012-09-25T05:30:09+02:00)');
    expect(v.stdout).not.toMatch(/\d\d:\d\d:\d\d(\.\d+)?Z/);
  });

  it('nv delegation list shows when each list was imported in the secretariat’s zone, ISO 8601 with offset in JSON', () => {
    const { ws } = exampleWorkspace();
    const csv = join(tempDir(), 'aut.csv');
    writeFileSync(csv, 'Given name,Family name,E-mail,Meetings\r\nHans,HUBER,hans@bmj.gv.at,UNCAC\r\n');
    expect(nv(['delegation', 'import', '-w', ws, csv, '--state', 'AUT'], { cwd: ws }).code).toBe(0);
    const human = nv(['delegation', 'list', '-w', ws], { cwd: ws });
    expect(human.stdout).toMatch(
      /^AUT\t1 participant\(s\)\tlist \d+\t.*aut\.csv\t\d{4}-\d\d-\d\d \d\d:\d\d \+0[12]:00$/m,
    );
    expect(human.stderr).toContain('Times in Europe/Vienna.');
    const json = JSON.parse(nv(['delegation', 'list', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      delegations: { importedAt: string }[];
    };
    expect(json.delegations[0]!.importedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/);
  });

  it('nv reply set --received refuses a local time the clocks skipped or passed twice, instead of shifting it', () => {
    const { ws } = exampleWorkspace();
    ingestJson(ws, [fx('new-york-2330.eml')]);
    const gap = nv(['reply', 'set', '1', '-w', ws, '--received', '2012-03-25 02:30'], { cwd: ws });
    expect(gap.code).toBe(2);
    expect(gap.stderr).toMatch(/"2012-03-25 02:30" did not exist in Europe\/Vienna/);
    const twice = nv(['reply', 'set', '1', '-w', ws, '--received', '2012-10-28 02:30'], { cwd: ws });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/"2012-10-28 02:30" happened twice in Europe\/Vienna.*\+02:00.*\+01:00/);
    const show = nv(['reply', 'show', '1', '-w', ws], { cwd: ws });
    expect(show.stdout).toMatch(/received {2}2012-09-25 05:30 \+02:00/);
    const ok = nv(['reply', 'set', '1', '-w', ws, '--received', '2012-10-28T02:30:00+02:00'], { cwd: ws });
    expect(ok.code, ok.stderr).toBe(0);
    expect(nv(['reply', 'show', '1', '-w', ws], { cwd: ws }).stdout).toMatch(
      /received {2}2012-10-28 02:30 \+02:00/,
    );
  });

  it('nv reply set says what it recorded: the State by code and name, the channel, the time in the secretariat’s zone', () => {
    const { ws } = exampleWorkspace();
    ingestJson(ws, [fx('new-york-2330.eml')]);
    const r = nv(['reply', 'set', '1', '-w', ws, '--state', 'Congo'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Reply 1: COG Congo, email, received 2012-09-25 05:30 \+02:00; /m);
  });

  it('a State’s name is never cut in nv status', () => {
    const { ws } = exampleWorkspace();
    const out = nv(['status', '-w', ws], { cwd: ws }).stdout;
    expect(out).toMatch(/^GBR {2}United Kingdom of Great Britain and Northern Ireland /m);
    expect(out).toMatch(/^BOL {2}Bolivia \(Plurinational State of\) /m);
  });

  it('nv reply open --extract writes the documents a reply carried under safe names, never overwriting; without a desktop it says where they are', () => {
    const { dir, ws } = exampleWorkspace();
    ingestJson(ws, [fx('hostile-names.eml')]);
    const out = join(dir, 'reply-1');
    const first = nv(['reply', 'open', '1', '--extract', out, '-w', ws], { cwd: ws });
    expect(first.code, first.stderr).toBe(0);
    const names = readdirSync(out).sort();
    // Every file is directly in the folder, its name letters, digits and dashes, its extension from its bytes.
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9-]+\.[a-z]+$/);
    expect(names).toContain('hostile-names.eml');
    expect(names).toContain('reply.docx'); // a DOCX declared as application/pdf "reply.pdf"
    expect(names).toContain('etc-passwd.bin');
    const docs = (
      JSON.parse(nv(['reply', 'show', '1', '-w', ws, '--json'], { cwd: ws }).stdout) as {
        documents: { sha256: string }[];
      }
    ).documents;
    expect(names).toHaveLength(docs.length + 1);
    const extracted = names.map((n) => sha(readFileSync(join(out, n))));
    for (const d of docs) expect(extracted).toContain(d.sha256);
    writeFileSync(join(out, 'reply.docx'), 'the clerk’s own notes');
    const second = nv(['reply', 'open', '1', '--extract', out, '-w', ws], { cwd: ws });
    expect(second.code).toBe(0);
    expect(readFileSync(join(out, 'reply.docx'), 'utf8')).toBe('the clerk’s own notes');
    expect(readdirSync(out)).toContain('reply-2.docx');
    expect(readdirSync(out)).toHaveLength(2 * names.length);
    const where = nv(['reply', 'open', '1', '-w', ws], { cwd: ws });
    expect(where.code).toBe(0);
    expect(where.stderr).toMatch(/No desktop to open them with/);
    expect(where.stdout).toContain(join(ws, '.nv', 'archive'));
  });
});
