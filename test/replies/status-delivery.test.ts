/**
 * A note's delivery from its messages (src/dispatch/delivery.ts): the latest SMTP message decides,
 * drafts only when there is no SMTP message, nothing when nv did not dispatch it; and which of
 * those `nv status --undelivered` lists.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noteDelivery, undeliveredWhy } from '../../src/dispatch/delivery.js';
import type { MessageRecord, MessageStatus } from '../../src/dispatch/records.js';

const SMTP_STATUSES: MessageStatus[] = ['sending', 'sent', 'failed', 'bounced'];

function message(
  id: number,
  channel: 'drafts' | 'smtp',
  status: MessageStatus,
  reason: string | null = null,
) {
  return {
    id,
    noteId: 1,
    recipient: 'AUT',
    messageId: `nv.${id}@example.org`,
    to: ['registry@mission.aut.example.org'],
    cc: [],
    subject: 'CU 2012/150',
    channel,
    status,
    statusAt: `2012-08-${String(10 + (id % 20)).padStart(2, '0')}T08:00:00.000Z`,
    serverReply: null,
    reason,
    createdAt: '2012-08-10T08:00:00.000Z',
  } satisfies MessageRecord;
}

describe('noteDelivery', () => {
  it('is null for a note without messages (not dispatched by nv)', () => {
    expect(noteDelivery([])).toBeNull();
  });

  it('is drafted, by the latest draft, when the note was only drafted', () => {
    const d = noteDelivery([message(3, 'drafts', 'drafted'), message(1, 'drafts', 'drafted')]);
    expect(d).toEqual({
      status: 'drafted',
      at: '2012-08-13T08:00:00.000Z',
      messageId: 'nv.3@example.org',
      reason: null,
      channel: 'drafts',
      to: ['registry@mission.aut.example.org'],
    });
  });

  it('takes the latest SMTP message over any draft, older or newer, with its reason', () => {
    const d = noteDelivery([
      message(1, 'smtp', 'sent'),
      message(2, 'smtp', 'bounced', '550 5.1.1 <registry@mission.aut.example.org>: user unknown'),
      message(3, 'drafts', 'drafted'),
    ]);
    expect(d).toMatchObject({
      status: 'bounced',
      channel: 'smtp',
      messageId: 'nv.2@example.org',
      reason: '550 5.1.1 <registry@mission.aut.example.org>: user unknown',
    });
    // Sent again after the bounce: the new message decides.
    expect(noteDelivery([message(2, 'smtp', 'bounced', 'x'), message(4, 'smtp', 'sent')])?.status).toBe(
      'sent',
    );
  });

  it('property: the latest SMTP message decides, whatever the order and the drafts around it', () => {
    const messages = fc
      .uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 12 })
      .chain((ids) =>
        fc.tuple(
          ...ids.map((id) =>
            fc.oneof(
              fc.constant(message(id, 'drafts', 'drafted')),
              fc
                .constantFrom(...SMTP_STATUSES)
                .map((s) => message(id, 'smtp', s, s === 'sent' ? null : `r${id}`)),
            ),
          ),
        ),
      );
    fc.assert(
      fc.property(messages, fc.integer(), (ms, seed) => {
        const shuffled = [...ms].sort((a, b) => ((a.id * 7919 + seed) % 101) - ((b.id * 7919 + seed) % 101));
        const smtp = ms.filter((m) => m.channel === 'smtp').sort((a, b) => b.id - a.id);
        const drafts = ms.filter((m) => m.channel === 'drafts').sort((a, b) => b.id - a.id);
        const decides = smtp[0] ?? drafts[0]!;
        const d = noteDelivery(shuffled);
        expect(d).toEqual({
          status: decides.status,
          at: decides.statusAt,
          messageId: decides.messageId,
          reason: decides.reason,
          channel: decides.channel,
          to: decides.to,
        });
        // Drafts added anywhere change nothing once an SMTP message is there.
        if (smtp.length > 0) {
          const withDrafts = [
            message(2000, 'drafts', 'drafted'),
            ...shuffled,
            message(0, 'drafts', 'drafted'),
          ];
          expect(noteDelivery(withDrafts)).toEqual(d);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('undeliveredWhy', () => {
  const d = (status: MessageStatus) =>
    noteDelivery([message(1, status === 'drafted' ? 'drafts' : 'smtp', status)]);
  it.each([
    [false, null, true, 'no-note'],
    [true, null, true, 'not-dispatched'],
    [true, null, false, 'no-address'],
    [true, 'bounced', true, 'bounced'],
    [true, 'failed', true, 'failed'],
    [true, 'sending', true, 'sending'],
    [true, 'sent', true, null],
    [true, 'drafted', true, null],
    [true, 'sent', false, null],
  ] as const)('note %s, delivery %s, address %s: %s', (hasNote, status, hasAddress, why) => {
    expect(undeliveredWhy(hasNote, status ? d(status) : null, hasAddress)).toBe(why);
  });
});
