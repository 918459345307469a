/** The interactive paths, driven through a real pseudo-terminal (test/helpers/pty-drive.py). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleWorkspace, nv, ROOT, tempDir } from '../helpers/cli.js';
import { drive } from '../helpers/pty.js';

describe('on a terminal', () => {
  it('nv init asks its questions and writes what was answered', () => {
    const dir = tempDir();
    const { screen, code } = drive(
      [
        ['Meeting title', 'first meeting of experts\r'],
        ['Place', '\r'],
        ['First day', '2026-03-02\r'],
        ['Last day', '2026-03-04\r'],
        ['Deadline', '2026-02-01\r'],
        ['Date of the notes', '2025-12-01\r'],
        ['Reference series', 'CX\r'],
        ['Office path', '\r'],
        ['Next number', '42\r'],
        ['Office name', '\r'],
        ['Letterhead', '\r'],
        ['Convention', '\r'],
        ['Postal address', 'P.O. Box 500, 1400 Vienna, Austria\r'],
        ['Fax', '\r'],
        ['E-mail', 'uncac@un.org\r'],
        ['Website', '\r'],
      ],
      ['init', 'wiz'],
      dir,
    );
    expect(code, screen).toBe(0);
    const yaml = readFileSync(join(dir, 'wiz', 'nv.yaml'), 'utf8');
    expect(yaml).toContain('title: first meeting of experts');
    expect(yaml).toContain('series: CX');
    expect(yaml).toContain('first: 42');
    expect(yaml).toContain('place: Vienna, Austria'); // the default, accepted with Enter
    expect(yaml).toContain('convention: UNCAC');
    expect(yaml).toContain('address: P.O. Box 500, 1400 Vienna, Austria');
    // What was left empty is named, with how to fill it.
    expect(screen).toContain('Not yet filled: values.fax, values.website');
  });

  it('nv generate shows the plan and asks; declining allocates and writes nothing', () => {
    const { ws } = exampleWorkspace();
    const { screen, code } = drive([['Generate?', 'n\r']], ['generate', '--only', 'AUT'], ws);
    expect(screen).toContain('CU 2012/150(A)/DTA/CEB/CSS: 1 note(s)');
    expect(screen).toContain('1 new reference number(s) will be allocated');
    expect(code).toBe(2);
    expect(existsSync(join(ws, 'out', 'notes', 'CU-2012-150-A', 'AUT-Austria.pdf'))).toBe(false);
  });

  it('nv generate, confirmed, writes the notes with a progress bar on the terminal', () => {
    const { ws } = exampleWorkspace();
    const { screen, code } = drive([['Generate?', 'y\r']], ['generate', '--only', 'AUT,BEL'], ws);
    expect(code, screen).toBe(0);
    expect(screen).toMatch(/Generating \[#+\] 2\/2/);
    expect(existsSync(join(ws, 'out', 'notes', 'CU-2012-150-A', 'BEL-Belgium.pdf'))).toBe(true);
  });

  it('nv ingest asks which State sent a reply it cannot place, with type-ahead', () => {
    const { ws } = exampleWorkspace();
    const eml = join(ROOT, 'fixtures', 'replies', 'hostile-names.eml');
    const { screen, code } = drive(
      [
        ['Which State sent', 'Brazil'],
        ['Brazil (BRA)', '\r'],
      ],
      ['ingest', eml],
      ws,
    );
    expect(code, screen).toBe(0);
    const list = JSON.parse(nv(['reply', 'list', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      replies: { state: string; stateSource: string }[];
    };
    expect(list.replies[0]).toMatchObject({ state: 'BRA', stateSource: 'clerk' });
  });

  it('nv review shows each reply that needs a decision and records the clerk’s choice with its reason', () => {
    const { ws } = exampleWorkspace();
    expect(
      nv(['ingest', '-w', ws, join(ROOT, 'fixtures', 'replies', 'reply-typed.eml')], { cwd: ws }).code,
    ).toBe(0);
    const { screen, code } = drive(
      [
        ['Reply 1:', '\x1b[B'], // down to "Accept despite the findings"
        ['Accept despite', '\r'],
        ['Reason', 'the original came by diplomatic pouch\r'],
        ['decision(s) made', ''],
      ],
      ['review'],
      ws,
    );
    expect(code, screen).toBe(0);
    expect(screen).toContain('email-scanned-only: the note came by e-mail as a typed PDF');
    const r = JSON.parse(nv(['reply', 'show', '1', '-w', ws, '--json'], { cwd: ws }).stdout) as Record<
      string,
      unknown
    >;
    expect(r).toMatchObject({
      status: 'accepted',
      decision: 'accepted',
      decisionReason: 'the original came by diplomatic pouch',
    });
    const log = JSON.parse(nv(['ref', 'log', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      entries: { action: string; command: string }[];
    };
    expect(log.entries[0]).toMatchObject({ action: 'reply-change', command: 'nv review' });
  });

  it('nv review, "Change the State": a name typed (or pasted) with Enter at once records that State and says so', () => {
    const { ws } = exampleWorkspace();
    // hostile-names.eml names no State: it waits for review with its State unknown.
    expect(
      nv(['ingest', '-w', ws, '--yes', join(ROOT, 'fixtures', 'replies', 'hostile-names.eml')], { cwd: ws })
        .code,
    ).toBe(0);
    const { screen, code } = drive(
      [
        ['Reply 1:', '\r'], // "Set the State", the first choice
        ['Which State sent it?', 'Mexico\r'], // the name and Enter in one write, as a paste
        ['Reply 1:', '\x1b[A'], // the reply is shown again; up from "Set the State" wraps to Quit
        ['Quit', '\r'],
        ['decision(s) made', ''],
      ],
      ['review'],
      ws,
    );
    expect(code, screen).toBe(0);
    const r = JSON.parse(nv(['reply', 'show', '1', '-w', ws, '--json'], { cwd: ws }).stdout) as Record<
      string,
      unknown
    >;
    expect(r).toMatchObject({ state: 'MEX', stateSource: 'clerk' });
    const log = JSON.parse(nv(['ref', 'log', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      entries: { action: string; detail: { state?: { to: string } } }[];
    };
    expect(log.entries[0]).toMatchObject({ action: 'reply-change', detail: { state: { to: 'MEX' } } });
    // What was recorded is printed after the decision, from the register.
    expect(screen).toMatch(/Recorded for reply 1: State MEX \(Mexico\)/);
    // The review shows times in the secretariat's zone, as status and reply show do.
    expect(screen).toMatch(/received {2}2012-09-22 08:01 \+02:00 \(Europe\/Vienna\)/);
  });

  it('nv reply open on a desktop opens copies of the documents with the OS opener, never the archive', () => {
    const { dir, ws } = exampleWorkspace();
    expect(
      nv(['ingest', '-w', ws, join(ROOT, 'fixtures', 'replies', 'reply-scanned.eml')], { cwd: ws }).code,
    ).toBe(0);
    // A stand-in for xdg-open that notes what it was asked to open.
    const bin = join(dir, 'bin');
    const opened = join(dir, 'opened.txt');
    mkdirSync(bin);
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$1" >> '${opened}'\n`, { mode: 0o755 });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      DISPLAY: ':0',
    };
    delete env.WAYLAND_DISPLAY;
    const { screen, code } = drive([['Opened', '']], ['reply', 'open', '1'], ws, env);
    expect(code, screen).toBe(0);
    expect(screen).toMatch(/Opened 1 document\(s\) from copies in /);
    for (let i = 0; i < 50 && !existsSync(opened); i++) spawnSync('sleep', ['0.1']);
    const files = readFileSync(opened, 'utf8').trim().split('\n');
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/nv-reply-1-[^/]*\/[A-Za-z0-9-]+\.pdf$/);
    expect(files[0]).not.toContain('.nv/archive');
    expect(readFileSync(files[0]!).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('nv review without a terminal says what to use instead, exit 2', () => {
    const { ws } = exampleWorkspace();
    const r = nv(['review', '-w', ws], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /nv review needs a terminal; in scripts use "nv reply list --status needs-review" and "nv reply set"/,
    );
  });
});
