/** The interactive paths, driven through a real pseudo-terminal (test/helpers/pty-drive.py). */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleWorkspace, NV, tempDir } from '../helpers/cli.js';

const DRIVER = join(import.meta.dirname, '..', 'helpers', 'pty-drive.py');

function drive(steps: [string, string][], args: string[], cwd: string): { screen: string; code: number } {
  const r = spawnSync('python3', [DRIVER, JSON.stringify(steps), '--', process.execPath, NV, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const m = /\nEXIT (-?\d+)\n$/.exec(r.stdout);
  return { screen: r.stdout, code: m ? Number(m[1]) : -1 };
}

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
});
