import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runsText, type Block, type Run } from '../../src/render/document.js';
import { fillBlocks, fillInline, MissingValueError } from '../../src/templates/fill.js';
import { listTemplates, loadTemplate } from '../../src/templates/load.js';
import { parseBody, parseInline } from '../../src/templates/markdown.js';
import { buildValues, knownNames, type Values } from '../../src/templates/values.js';
import { parseConfig } from '../../src/workspace/load.js';
import type { Recipient } from '../../src/workspace/recipients.js';
import { SEED_NOTE } from '../helpers/fixtures.js';
import { ROOT } from '../helpers/unit-dist.js';

const CONFIG = parseConfig(readFileSync(join(ROOT, 'fixtures', 'uncac-2012', 'nv.yaml'), 'utf8'), 'nv.yaml');

function recipient(over: Partial<Recipient> = {}): Recipient {
  return {
    code: 'CIV',
    name: "Côte d'Ivoire",
    inText: "Côte d'Ivoire",
    category: 'signatory',
    addressee: "Permanent Representative of Côte d'Ivoire to the United Nations (Vienna)",
    language: 'en',
    domains: [],
    email: [],
    cc: [],
    line: 2,
    ...over,
  };
}

function builtin(name: string) {
  return loadTemplate(listTemplates(undefined).find((r) => r.name === name && r.language === 'en')!);
}

/** A block back as Markdown: bold runs in **, a link whose text is its target as <url>. */
function markdown(b: Block): string {
  const runs = (rs: Run[]) =>
    rs
      .map((r) => {
        let t = r.link !== undefined && r.link === r.text ? `<${r.text}>` : r.text;
        if (r.italic) t = `*${t}*`;
        if (r.bold) t = `**${t}**`;
        return t;
      })
      .join('');
  return b.type === 'paragraph' ? runs(b.runs) : b.type === 'list' ? b.items.map((it) => `- ${runs(it)}`).join('\n') : '';
}

describe('buildValues', () => {
  it('gives the example meeting its dates the UN way', () => {
    const v = buildValues(CONFIG, recipient(), 'en', { reference: 'CU 2012/150(A)/DTA/CEB/CSS' });
    expect(Object.fromEntries([...v].filter(([k]) => !k.startsWith('values.')))).toEqual({
      addressee: "Permanent Representative of Côte d'Ivoire to the United Nations (Vienna)",
      'state.name': "Côte d'Ivoire",
      'state.in_text': "Côte d'Ivoire",
      'state.code': 'CIV',
      reference: 'CU 2012/150(A)/DTA/CEB/CSS',
      'note.date': '15 August 2012',
      'meeting.title': 'first open-ended intergovernmental expert meeting on international cooperation',
      'meeting.place': 'Vienna, Austria',
      'meeting.dates': '22 to 23 October 2012',
      'meeting.span': '22-23 October 2012',
      'meeting.start': '22 October 2012',
      'meeting.end': '23 October 2012',
      deadline: '24 September 2012',
      'deadline.previous': undefined,
      'invitation.reference': undefined,
      'invitation.date': undefined,
      'reply.received': undefined,
      'reply.reference': undefined,
      'meetings.uncac-em.name': 'Open-ended Intergovernmental Expert Meeting on International Cooperation (UNCAC)',
      'meetings.uncac-em.dates': '22 to 23 October 2012',
      'meetings.uncac-em.span': '22-23 October 2012',
      'meetings.untoc-wg.name': CONFIG.meeting.meetings[1]!.name,
      'meetings.untoc-wg.dates': '15 to 19 October 2012',
      'meetings.untoc-wg.span': '15-19 October 2012',
    });
    expect(v.get('values.fax')).toBe('+43-1 26060 5841');
  });

  it('writes dates in the note language', () => {
    const v = buildValues(CONFIG, recipient(), 'fr', { invitationDate: '2012-08-15' });
    expect(v.get('meeting.dates')).toBe('22 au 23 octobre 2012');
    expect(v.get('invitation.date')).toBe('15 août 2012');
  });

  it('knownNames are the names of buildValues, whatever the recipient', () => {
    const names = knownNames(CONFIG);
    expect([...names].sort()).toEqual([...buildValues(CONFIG, recipient(), 'en', {}).keys()].sort());
    expect(names.has('values.website')).toBe(true);
    expect(names.has('meetings.untoc-wg.span')).toBe(true);
  });
});

describe('fillBlocks', () => {
  const blocks = parseBody(
    [
      'To {{addressee}}, from **{{meeting.dates}}**.',
      '',
      '::: variant A',
      'Only A: *{{state.name}}*.',
      ':::',
      '',
      '::: variant B',
      'Only B.',
      ':::',
      '',
      '::: variant A, B',
      '- both',
      ':::',
      '',
      'Everyone: <{{values.website}}>',
    ].join('\n'),
    5,
  );
  const values = buildValues(CONFIG, recipient(), 'en', {});

  it('keeps the blocks of the variant asked for and those of no variant', () => {
    expect(fillBlocks(blocks, 'A', values).map(markdown)).toEqual([
      "To Permanent Representative of Côte d'Ivoire to the United Nations (Vienna), from **22 to 23 October 2012**.",
      "Only A: *Côte d'Ivoire*.",
      '- both',
      `Everyone: <${CONFIG.values.website}>`,
    ]);
    expect(fillBlocks(blocks, 'B', values).map(markdown)).toEqual([
      "To Permanent Representative of Côte d'Ivoire to the United Nations (Vienna), from **22 to 23 October 2012**.",
      'Only B.',
      '- both',
      `Everyone: <${CONFIG.values.website}>`,
    ]);
    expect(fillBlocks(blocks, '', values)).toHaveLength(2);
  });

  it('gives a placeholder the marks around it, justifies paragraphs and merges equal neighbours', () => {
    const [first] = fillBlocks(blocks, 'A', values);
    expect(first).toEqual({
      type: 'paragraph',
      align: 'justify',
      runs: [
        { text: "To Permanent Representative of Côte d'Ivoire to the United Nations (Vienna), from " },
        { text: '22 to 23 October 2012', bold: true },
        { text: '.' },
      ],
    });
    const last = fillBlocks(blocks, 'A', values).at(-1)!;
    expect(last.type === 'paragraph' && last.runs[1]).toEqual({ text: CONFIG.values.website, link: CONFIG.values.website });
  });

  it('throws MissingValueError naming the placeholder and its line when a value is undefined', () => {
    const reminder = builtin('reminder');
    let err: unknown;
    try {
      fillBlocks(reminder.blocks, '', buildValues(CONFIG, recipient(), 'en', {}));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingValueError);
    expect((err as MissingValueError).placeholder).toBe('invitation.reference');
    expect((err as MissingValueError).line).toBe(6);
    expect((err as MissingValueError).message).toBe('{{invitation.reference}} has no value');
  });

  it('throws MissingValueError for a placeholder in a link target too', () => {
    const inline = parseInline('[write](mailto:{{values.nowhere}})', 3);
    expect(() => fillInline(inline, new Map())).toThrow(MissingValueError);
  });

  it('an empty value (or only spaces) is an error unless the template marks it optional', () => {
    const inline = parseInline('Fax: {{values.fax}}, e-mail <{{values.email}}>', 7);
    const values: Values = new Map([
      ['values.fax', ' '],
      ['values.email', 'a@b.org'],
    ]);
    let err: unknown;
    try {
      fillInline(inline, values);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingValueError);
    expect(err).toMatchObject({ placeholder: 'values.fax', line: 7, empty: true });
    expect(fillInline(inline, values, new Set(['values.fax'])).map((r) => r.text).join('')).toBe('Fax:  , e-mail a@b.org');
    // An empty link target is no link either.
    values.set('values.email', '');
    expect(() => fillInline(inline, values, new Set(['values.fax']))).toThrow('{{values.email}} is empty');
  });

  it('the note bears the date it is built for, not notes.date', () => {
    expect(buildValues(CONFIG, recipient(), 'en', { noteDate: '2012-09-10' }).get('note.date')).toBe('10 September 2012');
  });

  it('the reminder to a State whose reply was refused says what came, when, why it was refused, and how to send it', () => {
    const v = buildValues(CONFIG, recipient(), 'en', {
      invitationReference: 'CU 2012/150(A)/DTA/CEB/CSS',
      invitationDate: '2012-08-15',
      refusal: { received: '2012-09-05', channel: 'email', reason: 'email-not-scanned' },
    });
    const text = fillBlocks(builtin('reminder').blocks, '', v).map(markdown).join('\n\n');
    expect(text).toContain('acknowledges receipt, on 5 September 2012, of a communication from the Government sent by e-mail');
    expect(text).toContain('could not be accepted, as only scanned copies of notes verbales are accepted by e-mail.');
    expect(text).toContain('as a scanned copy of the signed note verbale to e-mail: UNCAC.COP@unodc.org');
    expect(text).not.toContain('has not yet received');
  });

  it('fills the reminder once the register knows the invitation', () => {
    const v = buildValues(CONFIG, recipient(), 'en', { invitationReference: 'CU 2012/150(A)/DTA/CEB/CSS', invitationDate: '2012-08-15' });
    const text = fillBlocks(builtin('reminder').blocks, '', v).map(markdown).join('\n\n');
    expect(text).toContain('to refer to his note CU 2012/150(A)/DTA/CEB/CSS of 15 August 2012, by which the Government');
    expect(text).toContain('not later than **24 September 2012**.');
  });

  it('puts any value in verbatim: Markdown and braces in values are not read again', () => {
    const inline = parseInline('A {{a}} and **{{b}}**.', 1);
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const runs = fillInline(inline, new Map([['a', a], ['b', b]]) as Values, new Set(['a', 'b']));
        expect(runsText(runs)).toBe(`A ${a} and ${b}.`);
        expect(runs.filter((r) => r.bold).map((r) => r.text)).toEqual(b === '' ? [] : [b]);
      }),
    );
  });
});

describe('the invitation, filled for the seed meeting', () => {
  it('reproduces the text of the seed note verbale, with the addressee in place of [...]', () => {
    const seed = readFileSync(SEED_NOTE, 'utf8');
    const lines = seed.split('\n').map((l) => l.trim());
    const body = lines
      .slice(lines.findIndex((l) => l.startsWith('Reference:')) + 1, lines.indexOf('15 August 2012'))
      // "[..]" marks text left out of the seed copy, not a paragraph of the note.
      .filter((l) => l !== '' && l !== '[..]');
    const t = builtin('invitation');
    const v = buildValues(CONFIG, recipient({ addressee: '[...]', category: 'party' }), 'en', {});
    expect(fillBlocks(t.blocks, 'A', v).map(markdown)).toEqual(body);
  });

  it('gives observers variant B instead of A', () => {
    const t = builtin('invitation');
    const v = buildValues(CONFIG, recipient({ category: 'observer' }), 'en', {});
    const text = fillBlocks(t.blocks, 'B', v).map(markdown).join('\n\n');
    expect(text).toContain('is cordially invited to participate as an observer in the first open-ended');
    expect(text).not.toContain('the Government is cordially invited to participate in the');
  });
});
