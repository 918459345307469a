import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { checkTemplates } from '../../src/templates/check.js';
import { BUILTIN_TEMPLATES, checkPlaceholders, listTemplates, loadTemplate, type TemplateRef } from '../../src/templates/load.js';
import { placeholdersOf } from '../../src/templates/markdown.js';
import { knownNames } from '../../src/templates/values.js';
import { loadWorkspace } from '../../src/workspace/load.js';
import { ROOT } from '../helpers/unit-dist.js';

const EXAMPLE = loadWorkspace(join(ROOT, 'fixtures', 'uncac-2012'));
const KNOWN = knownNames(EXAMPLE.config);
const dir = mkdtempSync(join(tmpdir(), 'nv-unit-templates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a template file and returns its ref. */
function template(text: string, name = 'custom'): TemplateRef {
  const file = join(dir, `${name}.en.md`);
  writeFileSync(file, text);
  return { name, language: 'en', file, builtin: false };
}

function userError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError, nothing was thrown');
}

const INDIVIDUAL = '---\nsubject: A note\nkind: individual\n---\n';

describe('the built-in templates', () => {
  // The English ones (test/templates/languages.test.ts holds the other five languages to them).
  const refs = listTemplates(undefined).filter((r) => r.language === 'en');

  it('are the four of the spec, in English', () => {
    expect(refs.map((r) => `${r.name}.${r.language}`)).toEqual([
      'acknowledgement.en',
      'deadline-change.en',
      'invitation.en',
      'reminder.en',
    ]);
    expect(refs.every((r) => r.builtin && r.file.startsWith(BUILTIN_TEMPLATES))).toBe(true);
  });

  it.each(['acknowledgement', 'deadline-change', 'invitation', 'reminder'])(
    '%s loads, and every placeholder it names exists for the example workspace',
    (name) => {
      const t = loadTemplate(refs.find((r) => r.name === name)!);
      expect(t.blocks.length).toBeGreaterThan(0);
      expect(() => checkPlaceholders(t, KNOWN)).not.toThrow();
      const used = placeholdersOf(t.blocks).map((p) => p.name);
      expect(used).toContain('addressee');
      expect(used).toContain('meeting.dates');
    },
  );

  it('invitation: a circular with variant A for parties and signatories, B for the others, and two attachments', () => {
    const t = loadTemplate(refs.find((r) => r.name === 'invitation')!);
    expect(t.front).toEqual({
      subject: 'Invitation to the {{meeting.title}}',
      kind: 'circular',
      audience: 'all',
      variants: { A: ['party', 'signatory'], B: ['observer', 'organization'] },
      attachments: ['information-for-participants.pdf', 'annotated-provisional-agenda.pdf'],
      optional: [],
    });
    expect(t.blocks.filter((b) => b.variants?.includes('A'))).toHaveLength(1);
    expect(t.blocks.filter((b) => b.variants?.includes('B'))).toHaveLength(1);
    expect(t.subject.map((x) => (x.type === 'placeholder' ? x.name : x.text))).toEqual(['Invitation to the ', 'meeting.title']);
  });

  it('reminder and acknowledgement are individual notes to those who have not replied / have replied', () => {
    const get = (name: string) => loadTemplate(refs.find((r) => r.name === name)!).front;
    expect(get('reminder')).toMatchObject({ kind: 'individual', audience: 'missing' });
    expect(get('acknowledgement')).toMatchObject({ kind: 'individual', audience: 'replied' });
    expect(get('deadline-change')).toMatchObject({ kind: 'circular', audience: 'all' });
  });

  it('checkTemplates finds no problem in the example workspace', async () => {
    const reports = await checkTemplates(EXAMPLE);
    const six = ['ar', 'en', 'es', 'fr', 'ru', 'zh'];
    expect(reports.map((r) => [r.name, r.language, r.source, r.problems])).toEqual([
      ...six.map((l) => ['acknowledgement', l, 'built-in', []]),
      ...six.map((l) => ['deadline-change', l, 'built-in', []]),
      ['invitation', 'en', 'built-in', []],
      ...six.map((l) => ['reminder', l, 'built-in', []]),
    ]);
    expect(reports.find((r) => r.name === 'invitation')!.placeholders).toContain('meetings.untoc-wg.span');
  });
});

describe('checkPlaceholders', () => {
  it('names file:line of an unknown placeholder and the names that exist', () => {
    const t = loadTemplate(template(`${INDIVIDUAL}To {{addressee}}.\n\nThe {{meeting.venue}} is ready.\n`));
    const e = userError(() => checkPlaceholders(t, KNOWN, 'templates/custom.en.md'));
    const names = [...KNOWN].sort().join(', ');
    expect(e.message).toBe(`templates/custom.en.md:7: unknown placeholder {{meeting.venue}}; the names that exist are ${names}.`);
    expect(names).toContain('meeting.title, ');
    expect(names).toContain('values.website');
    expect(e.details).toEqual([]);
  });

  it('reports every unknown placeholder, in the subject, in link targets and under a variant, in file order', () => {
    const t = loadTemplate(
      template(
        [
          '---', //                                          1
          'kind: circular', //                                2
          'subject: About {{meeting.nam}}', //                3
          'variants:', //                                     4
          '  A: [party]', //                                  5
          '---', //                                           6
          'Write [to us](mailto:{{values.mail}}).', //        7
          '', //                                              8
          '::: variant A', //                                 9
          'Dear {{adressee}}', //                             10
          ':::', //                                           11
        ].join('\n'),
      ),
    );
    const e = userError(() => checkPlaceholders(t, KNOWN, 'c.en.md'));
    expect([e.message, ...e.details].map((m) => m.replace(/; the names that exist are .*/, ''))).toEqual([
      'c.en.md:3: unknown placeholder {{meeting.nam}}',
      'c.en.md:7: unknown placeholder {{values.mail}}',
      'c.en.md:10: unknown placeholder {{adressee}}',
    ]);
  });

  it('checkTemplates reports a workspace template that overrides a built-in one, with its problems', async () => {
    const root = join(dir, 'ws');
    cpSync(join(ROOT, 'fixtures', 'uncac-2012'), root, { recursive: true });
    mkdirSync(join(root, 'templates'));
    writeFileSync(
      join(root, 'templates', 'reminder.en.md'),
      '---\nsubject: A note\nkind: individual\nattachments: [missing.pdf]\n---\n{{nobody}}\n',
    );
    const ws = loadWorkspace(root);
    const reminder = (await checkTemplates(ws, 'reminder')).filter((r) => r.language === 'en');
    expect(reminder).toHaveLength(1);
    expect(reminder[0]!.source).toBe('workspace');
    expect(reminder[0]!.file).toBe(join('templates', 'reminder.en.md'));
    expect(reminder[0]!.problems.map((p) => p.replace(/; the names that exist are .*/, ''))).toEqual([
      'templates/reminder.en.md: the attachment attachments/missing.pdf does not exist; put the PDF there or remove it from the front matter.',
      'templates/reminder.en.md:6: unknown placeholder {{nobody}}',
    ]);
  });
});

describe('loadTemplate errors', () => {
  it.each([
    ['no front matter', 'Just text {{addressee}}\n', ':1: the template has no front matter; start it with a "---" block holding subject and kind.'],
    ['a circular without variants', '---\nsubject: S\nkind: circular\n---\nText\n', ':2: a circular template needs "variants" (e.g. A: [party, signatory]) saying which recipients get which text.'],
    ['an individual with variants', '---\nsubject: S\nkind: individual\nvariants:\n  A: [party]\n---\nText\n', ':2: an individual template takes a number per note and has no variants; remove "variants".'],
    ['a kind that does not exist', '---\nsubject: S\nkind: bulk\n---\nText\n', ':3: front matter kind '],
    ['a missing subject', '---\nkind: individual\n---\nText\n', ':2: front matter subject '],
    ['an unknown key', '---\nsubject: S\nkind: individual\ncolour: red\n---\nText\n', ':2: front matter '],
    ['a variant section not declared', '---\nsubject: S\nkind: circular\nvariants:\n  A: [party]\n---\nText\n\n::: variant B\nFor B\n:::\n', ':10: variant B is not declared in the front matter (declared: A).'],
    ['an unclosed bold on line 7', `${INDIVIDUAL}One.\n\nTwo **bold\nstill.\n`, ':7: "**" opens bold text that is never closed; close it with "**".'],
    ['an unclosed section', `${INDIVIDUAL}::: variant A\nText\n`, ':5: this section is never closed; close it with ":::".'],
    ['an unknown section', `${INDIVIDUAL}Text\n\n::: annex\n`, ':7: "::: annex" is not a section nv knows; write "::: variant A" (or "::: variant A, B"), or "::: if NAME".'],
    ['an unclosed italic in the subject on line 3', '---\nkind: individual\nsubject: A *note\n---\nText\n', ':3: "*" opens italic text that is never closed; close it with "*", or write \\* for an asterisk.'],
    ['bad YAML', '---\nsubject: [S\nkind: individual\n---\nText\n', ':2: the front matter is not valid YAML ('],
  ])('reports %s as file:line', (_what, text, message) => {
    const e = userError(() => loadTemplate(template(text), 'custom.en.md'));
    expect(e.message.startsWith(`custom.en.md${message}`), e.message).toBe(true);
  });

  it('takes the body line numbers from the file, with CRLF and a BOM', () => {
    const t = loadTemplate(template(`\uFEFF${INDIVIDUAL}\nFirst.\n\nSecond.\n`.replace(/\n/g, '\r\n')));
    expect(t.blocks.map((b) => b.line)).toEqual([6, 8]);
  });
});
