import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exampleWorkspace, nv } from '../helpers/cli.js';

describe('nv templates', () => {
  it('list shows the built-in templates with their kinds: the four in English, three of them in the five other languages', () => {
    const { ws } = exampleWorkspace();
    const r = nv(['templates', 'list', '-w', ws, '--json'], { cwd: ws });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      templates: { name: string; kind: string; source: string; problems: string[] }[];
    };
    const six = ['ar', 'en', 'es', 'fr', 'ru', 'zh'];
    expect(j.templates.map((t) => [t.name, t.kind, t.source, t.problems.length])).toEqual([
      ...six.map(() => ['acknowledgement', 'individual', 'built-in', 0]),
      ...six.map(() => ['deadline-change', 'circular', 'built-in', 0]),
      ['invitation', 'circular', 'built-in', 0],
      ...six.map(() => ['reminder', 'individual', 'built-in', 0]),
    ]);
  });

  it('check reports a workspace template’s problems at file:line with exit 2', () => {
    const { ws } = exampleWorkspace();
    writeFileSync(
      join(ws, 'templates', 'reminder.en.md'),
      '---\nsubject: "x"\nkind: individual\n---\nFirst paragraph.\n\nSecond with {{nope}} and **bold.\n',
    );
    const r = nv(['templates', 'check', 'reminder', '-w', ws], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('templates/reminder.en.md:7: "**" opens bold text that is never closed');
  });

  it('a workspace template overrides the built-in one', () => {
    const { ws } = exampleWorkspace();
    const t = readFileSync(join(import.meta.dirname, '../../templates/invitation.en.md'), 'utf8');
    writeFileSync(
      join(ws, 'templates', 'invitation.en.md'),
      t.replace('is cordially invited', 'is warmly invited'),
    );
    const r = nv(['generate', '-w', ws, '--yes', '--only', 'AUT', '--format', 'docx', '--json'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    const xml = strFromU8(
      unzipSync(readFileSync(join(ws, 'out/notes/CU-2012-150-A/AUT-Austria.docx')))['word/document.xml']!,
    );
    expect(xml).toContain('is warmly invited');
    expect(xml).not.toContain('is cordially invited');
    const list = JSON.parse(nv(['templates', 'list', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      templates: { name: string; source: string }[];
    };
    expect(list.templates.find((x) => x.name === 'invitation')!.source).toBe('workspace');
  });
});
