/**
 * What a bounce changes, on a real (SQLite) register: the To address failing bounces the message,
 * a copy address alone does not, a message recorded `failed` stays so, a message `sent` by SMTP
 * becomes `bounced` keeping the server's reply.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { BounceReport } from '../../src/replies/bounce.js';
import { recordBounce } from '../../src/replies/record-bounce.js';
import { SqliteRegister } from '../../src/storage/sqlite/register.js';
import { ACTOR, request } from '../storage/register-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'nv-unit-bounce-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failed = (address: string): BounceReport => ({
  standard: true,
  reportingMta: 'mx.example.org',
  recipients: [
    { address, original: null, action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 User unknown' },
  ],
  originalIds: ['nv.x@example.org'],
});
const evidence = { sha256: 'ab'.repeat(32), seenBefore: false };

describe('recordBounce', () => {
  let reg: SqliteRegister;
  let id: number;
  beforeEach(async () => {
    reg = new SqliteRegister(join(mkdtempSync(join(dir, 'r-')), 'registry.sqlite'));
    const [inv] = await reg.ensureDispatches([request('inv')], ACTOR);
    const [m] = await reg.recordMessages(
      [
        {
          noteId: inv!.notes[0]!.id,
          recipient: 'AUT',
          messageId: 'nv.x@example.org',
          to: ['registry@mission.aut.example.org'],
          cc: ['copies@mission.aut.example.org'],
          subject: 'CU 2012/150',
          channel: 'smtp',
          status: 'sending',
        },
      ],
      ACTOR,
    );
    id = m!.id;
  });

  it('a failed copy address alone leaves the message as it was', async () => {
    const out = await recordBounce(reg, failed('copies@mission.aut.example.org'), evidence, ACTOR);
    expect(out).toMatchObject({ change: 'unchanged', kind: 'failed' });
    expect(out.summary).toContain('only the copy address(es)');
    expect((await reg.messagesById(['nv.x@example.org']))[0]!.status).toBe('sending');
  });

  it('a message sent by SMTP becomes bounced, its server reply kept, the reason added', async () => {
    await reg.changeMessageStatus(
      id,
      ['sending'],
      { status: 'sent', serverReply: '250 2.0.0 Ok: queued' },
      ACTOR,
    );
    const out = await recordBounce(reg, failed('registry@mission.aut.example.org'), evidence, ACTOR);
    expect(out.change).toBe('bounced');
    expect(out.message).toMatchObject({ status: 'bounced', serverReply: '250 2.0.0 Ok: queued' });
    expect(out.message!.reason).toBe(
      `registry@mission.aut.example.org: 550 5.1.1 User unknown (reported by mx.example.org; delivery report sha256 ${evidence.sha256})`,
    );
  });

  it('a message recorded failed (the server refused it) stays failed, and the report says so', async () => {
    await reg.changeMessageStatus(id, ['sending'], { status: 'failed', reason: '550 refused' }, ACTOR);
    const out = await recordBounce(reg, failed('registry@mission.aut.example.org'), evidence, ACTOR);
    expect(out).toMatchObject({ change: 'unchanged', message: { status: 'failed', reason: '550 refused' } });
    expect(out.summary).toContain('is recorded failed, not sent: nothing changed');
  });
});
