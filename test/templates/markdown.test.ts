import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fillLink,
  linkPlaceholders,
  parseBody,
  parseInline,
  placeholdersOf,
  TemplateSyntaxError,
  type Inline,
} from '../../src/templates/markdown.js';

/** Each inline as a compact tuple: [text or {{name}}, marks, link]. */
function brief(xs: Inline[]): [string, string, string?][] {
  return xs.map((x) => {
    const marks = (x.bold ? 'b' : '') + (x.italic ? 'i' : '');
    const text = x.type === 'text' ? x.text : `{{${x.name}}}`;
    return x.link === undefined ? [text, marks] : [text, marks, x.link];
  });
}

function syntaxError(f: () => unknown): TemplateSyntaxError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateSyntaxError);
    return e as TemplateSyntaxError;
  }
  throw new Error('expected a TemplateSyntaxError, nothing was thrown');
}

describe('parseInline', () => {
  it.each<[string, [string, string, string?][]]>([
    ['plain text', [['plain text', '']]],
    ['from **{{meeting.dates}}**.', [['from ', ''], ['{{meeting.dates}}', 'b'], ['.', '']]],
    ['a **bold** and *italic* and _also italic_ word', [['a ', ''], ['bold', 'b'], [' and ', ''], ['italic', 'i'], [' and ', ''], ['also italic', 'i'], [' word', '']]],
    ['***both*** done', [['both', 'bi'], [' done', '']]],
    ['**bold *and italic* inside**', [['bold ', 'b'], ['and italic', 'bi'], [' inside', 'b']]],
    ['snake_case and 2 * 3 stay text', [['snake_case and 2 * 3 stay text', '']]],
    ['{{ addressee }} and {{state.in_text}}', [['{{addressee}}', ''], [' and ', ''], ['{{state.in_text}}', '']]],
    ['see <https://www.unodc.org/x>.', [['see ', ''], ['https://www.unodc.org/x', '', 'https://www.unodc.org/x'], ['.', '']]],
    ['write to <mailto:uncac.cop@unodc.org>', [['write to ', ''], ['uncac.cop@unodc.org', '', 'mailto:uncac.cop@unodc.org']]],
    ['<{{values.website}}>', [['{{values.website}}', '', '{{values.website}}']]],
    ['the [**website**](https://unodc.org) now', [['the ', ''], ['website', 'b', 'https://unodc.org'], [' now', '']]],
    ['[{{values.email}}](mailto:{{values.email}})', [['{{values.email}}', '', 'mailto:{{values.email}}']]],
    ['\\*not italic\\*, \\{{not a placeholder}}, \\_ and \\\\', [['*not italic*, {{not a placeholder}}, _ and \\', '']]],
    ['a < b and [not a link] (really)', [['a < b and [not a link] (really)', '']]],
    ['', []],
  ])('parses %j', (src, want) => {
    expect(brief(parseInline(src, 7))).toEqual(want);
  });

  it('gives every inline the line it is told', () => {
    expect(parseInline('a **{{b}}** *c*', 42).every((x) => x.line === 42)).toBe(true);
  });

  it.each([
    ['**never closed', /^"\*\*" opens bold text that is never closed/],
    ['*never closed', /^"\*" opens italic text that is never closed/],
    ['_never closed', /^"\*" opens italic text that is never closed/],
    ['a {{ not a name', /^"\{\{" opens no placeholder; write \{\{name\}\}/],
    ['a {{1x}}', /^"\{\{" opens no placeholder/],
  ])('refuses %j with the line', (src, message) => {
    const e = syntaxError(() => parseInline(src, 9));
    expect(e.line).toBe(9);
    expect(e.message).toMatch(message);
  });

  it('collapses runs of spaces, tabs and line breaks to one space, and keeps a no-break space', () => {
    expect(brief(parseInline('a  b\tc\nd \r\n e', 1))).toEqual([['a b c d e', '']]);
    expect(brief(parseInline('15\u00a0August  **2012**', 1))).toEqual([['15\u00a0August ', ''], ['2012', 'b']]);
  });

  // Characters that mean nothing to the parser, and the whitespace it collapses.
  const plain = fc.string({
    unit: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...'aZ09.,;:!?()-–—/@#%&=+\'"“”’|~^$éçñüßØ€ДжЖ中文') },
      { weight: 2, arbitrary: fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\u00a0') },
      { weight: 1, arbitrary: fc.string({ maxLength: 1 }).filter((c) => !/[*_{}[\]<>\\`]/.test(c)) },
    ),
    maxLength: 80,
  });

  it('parses any text without * _ { } [ ] < > \\ ` to one text run: the input with whitespace collapsed', () => {
    fc.assert(
      fc.property(plain, fc.integer({ min: 1, max: 500 }), (src, line) => {
        const want = src.replace(/[ \t\n\r\f\v]+/g, ' ');
        const got = parseInline(src, line);
        expect(got).toEqual(want === '' ? [] : [{ type: 'text', text: want, line, bold: false, italic: false }]);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps such text whole around placeholders and bold: the text runs spell the input back', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(plain, fc.constantFrom('x', 'values.fax', 'meetings.untoc-wg.span'), fc.boolean())), (parts) => {
        const src = parts.map(([t, name, bold]) => (bold ? `${t}**{{${name}}}**` : `${t}{{${name}}}`)).join('');
        const got = parseInline(src, 1);
        const spelt = got.map((x) => (x.type === 'text' ? x.text : `{{${x.name}}}`)).join('');
        expect(spelt).toBe(parts.map(([t, name]) => `${t.replace(/[ \t\n\r\f\v]+/g, ' ')}{{${name}}}`).join(''));
        const placeholders = got.filter((x) => x.type === 'placeholder');
        expect(placeholders.map((x) => x.bold)).toEqual(parts.map(([, , bold]) => bold));
        expect(got.filter((x) => x.type === 'text').every((x) => !x.bold)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseBody', () => {
  const body = [
    'First paragraph,', //            10
    'joined to its next line.', //   11
    '', //                           12
    '- item one', //                 13
    '- item **two**', //             14
    '  continued', //                15
    '', //                           16
    '1. first', //                   17
    '2) second', //                  18
    '', //                           19
    '::: variant A', //              20
    'Only for **A**.', //            21
    ':::', //                        22
    '::: variant A, B', //           23
    'For A and B.', //               24
    '', //                           25
    'Also for A and B.', //          26
    ':::', //                        27
    'For everyone.', //              28
  ].join('\n');

  it('reads "::: if NAME … ::: else … :::" sections as blocks kept when NAME has a value, or not', () => {
    const blocks = parseBody('a\n\n::: if refusal.reason\nrefused\n::: else\nnothing came\n:::\n', 10);
    expect(blocks.map((b) => [b.line, b.when])).toEqual([
      [10, undefined],
      [13, { name: 'refusal.reason', present: true, line: 12 }],
      [15, { name: 'refusal.reason', present: false, line: 14 }],
    ]);
    expect(() => parseBody('::: variant A\nb\n::: else\n:::\n', 1)).toThrow('"::: else" follows no "::: if NAME" section');
  });

  it('reads paragraphs, lists and variant sections, each with its file line', () => {
    const blocks = parseBody(body, 10);
    expect(
      blocks.map((b) => [
        b.type,
        b.line,
        b.variants,
        b.type === 'paragraph' ? brief(b.inline) : [b.ordered, b.items.map(brief)],
      ]),
    ).toEqual([
      ['paragraph', 10, null, [['First paragraph, joined to its next line.', '']]],
      ['list', 13, null, [false, [[['item one', '']], [['item ', ''], ['two', 'b'], [' continued', '']]]]],
      ['list', 17, null, [true, [[['first', '']], [['second', '']]]]],
      ['paragraph', 21, ['A'], [['Only for ', ''], ['A', 'b'], ['.', '']]],
      ['paragraph', 24, ['A', 'B'], [['For A and B.', '']]],
      ['paragraph', 26, ['A', 'B'], [['Also for A and B.', '']]],
      ['paragraph', 28, null, [['For everyone.', '']]],
    ]);
  });

  it('reads CRLF line ends the same way', () => {
    expect(parseBody(body.replace(/\n/g, '\r\n'), 10)).toEqual(parseBody(body, 10));
  });

  it('puts inline errors on the line where the paragraph starts', () => {
    const e = syntaxError(() => parseBody('One.\n\nTwo **bold\nnever closed.\n', 5));
    expect([e.line, e.message]).toEqual([7, '"**" opens bold text that is never closed; close it with "**"']);
  });

  it.each([
    ['an unclosed section', 'a\n\n::: variant A\nonly A\n', 12, 'this section is never closed; close it with ":::"'],
    ['a close without an open', 'a\n:::\n', 11, '":::" closes no section; open one with "::: variant A" or "::: if NAME"'],
    ['an unknown section', 'a\n\n::: note\nb\n:::\n', 12, '"::: note" is not a section nv knows; write "::: variant A" (or "::: variant A, B"), or "::: if NAME"'],
    ['a lower-case variant', '::: variant a\nb\n:::\n', 10, '"::: variant a" is not a section nv knows; write "::: variant A" (or "::: variant A, B"), or "::: if NAME"'],
    ['a section inside a section', '::: variant A\nb\n::: variant B\n', 12, 'a section is still open from line 10; close it with ":::" first'],
  ])('refuses %s, naming its line', (_what, src, line, message) => {
    const e = syntaxError(() => parseBody(src, 10));
    expect([e.line, e.message]).toEqual([line, message]);
  });
});

describe('placeholders in links', () => {
  it('finds and fills the placeholders of a link target', () => {
    expect(linkPlaceholders('mailto:{{values.email}}?cc={{ values.fax }}')).toEqual(['values.email', 'values.fax']);
    expect(fillLink('mailto:{{values.email}}', (n) => `<${n}>`)).toBe('mailto:<values.email>');
  });

  it('placeholdersOf lists those in text and in link targets, in order, with their lines', () => {
    const blocks = parseBody('To {{addressee}}:\n\n- [write](mailto:{{values.email}})\n- <{{values.website}}>\n', 3);
    expect(placeholdersOf(blocks).map(({ name, line }) => ({ name, line }))).toEqual([
      { name: 'addressee', line: 3 },
      { name: 'values.email', line: 5 },
      { name: 'values.website', line: 6 },
      { name: 'values.website', line: 6 },
    ]);
  });
});
