/**
 * The Message-ID lists of `In-Reply-To` and `References` as mailers write them: angle brackets,
 * white space and folded lines between (and, by some, inside) them, comments, bare ids.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answeredIds, parseMessageIds } from '../../src/replies/thread.js';
import { parseStatusFields, readBounce } from '../../src/replies/bounce.js';
import { parseEml } from '../../src/intake/eml.js';

/** An id-left or id-right of RFC 5322 dot-atoms, as nv's and other mailers' ids are. */
const atom = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,12}$/);
const dotAtom = fc.array(atom, { minLength: 1, maxLength: 4 }).map((a) => a.join('.'));
const messageId = fc.tuple(dotAtom, dotAtom).map(([l, r]) => `${l}@${r}`);
/** What may stand between two ids: spaces, tabs, a folded line, a comment. */
const gap = fc.constantFrom(
  ' ',
  '\t',
  '\r\n ',
  '\r\n\t',
  '  ',
  ' (a comment) ',
  '\r\n (folded (nested) comment)\r\n ',
);

describe('parseMessageIds', () => {
  it('gives back every id, in order, without brackets, whatever stands between them', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(messageId, { minLength: 1, maxLength: 6 }),
        fc.array(gap, { minLength: 7, maxLength: 7 }),
        (ids, gaps) => {
          const header = gaps[0]!.trimStart() + ids.map((id, i) => `<${id}>${gaps[i + 1]}`).join('');
          expect(parseMessageIds(header)).toEqual(ids);
        },
      ),
    );
  });

  it('white space folded inside the brackets is dropped; an id named twice is given once', () => {
    fc.assert(
      fc.property(messageId, gap, (id, g) => {
        const at = id.indexOf('@');
        const folded = `<${id.slice(0, at + 1)}\r\n ${id.slice(at + 1)}>${g}<${id}>`;
        expect(parseMessageIds(folded)).toEqual([id]);
      }),
    );
  });

  it('bare ids (no brackets at all) are read as words', () => {
    expect(parseMessageIds('a.b@c.d  e@f')).toEqual(['a.b@c.d', 'e@f']);
    expect(parseMessageIds('<a@b> not-an-id <c@d>')).toEqual(['a@b', 'c@d']);
    expect(parseMessageIds('')).toEqual([]);
    expect(parseMessageIds(null)).toEqual([]);
    expect(parseMessageIds('<no at sign> <>')).toEqual([]);
  });

  it('a comment holding brackets is no id', () => {
    expect(parseMessageIds('(see <x@y>) <a@b> (\\) <z@w>)')).toEqual(['a@b']);
  });

  it('what a reply answers, nearest first: In-Reply-To, then References from the newest', () => {
    expect(answeredIds({ inReplyTo: '<c@x>', references: '<a@x> <b@x> <c@x>' })).toEqual([
      'c@x',
      'b@x',
      'a@x',
    ]);
    expect(answeredIds({ inReplyTo: null, references: null })).toEqual([]);
  });
});

describe('delivery status fields (RFC 3464)', () => {
  it('blocks per message and per recipient, folded values joined, names without case', () => {
    const blocks = parseStatusFields(
      'Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; a@b\r\nACTION: failed\r\nDiagnostic-Code: smtp; 550\r\n  user unknown\r\n',
    );
    expect(blocks.map((b) => Object.fromEntries(b))).toEqual([
      { 'reporting-mta': 'dns; mx.example.org' },
      { 'final-recipient': 'rfc822; a@b', action: 'failed', 'diagnostic-code': 'smtp; 550 user unknown' },
    ]);
  });

  it('a reply that merely quotes "Undelivered" in its subject is no bounce', async () => {
    const mail = await parseEml(
      Buffer.from(
        'From: registry@mfa.example.org\r\nSubject: Re: Undelivered Mail Returned to Sender\r\nIn-Reply-To: <a@b>\r\n\r\nhello\r\n',
      ),
    );
    expect(readBounce(mail)).toBeNull();
  });
});
