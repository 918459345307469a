/** An --out that names something other than a plain file is refused, never replaced by one. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleWorkspace, nv } from '../helpers/cli.js';

describe('nv export --out', () => {
  it('refuses a folder and a pipe with one sentence, and leaves them as they were', () => {
    const { ws } = exampleWorkspace();
    const folder = join(ws, 'a-folder');
    mkdirSync(folder);
    const pipe = join(ws, 'a-pipe');
    execFileSync('mkfifo', [pipe]);
    for (const [target, said] of [
      [folder, 'is a folder'],
      [pipe, 'is not a plain file (a device, a pipe or a socket)'],
    ] as const) {
      const r = nv(['export', 'status', '--format', 'json', '--out', target], { cwd: ws });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${target} ${said}, and nv writes only plain files`);
    }
    expect(statSync(folder).isDirectory()).toBe(true);
    expect(statSync(pipe).isFIFO()).toBe(true);
  });
});
