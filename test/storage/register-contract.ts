/**
 * The contract every Register implementation keeps (SPEC §3, §9, §10). Each implementation runs it
 * from its own test file: `registerContract('SqliteRegister', async (path) => new SqliteRegister(path))`.
 * `open(path)` must open (creating if need be) the register stored at `path`; opening the same
 * path again must give the same register.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/audit.js';
import type { DispatchRequest } from '../../src/references/records.js';
import type { NewReply } from '../../src/replies/records.js';
import type { Register } from '../../src/storage/register.js';

export const ACTOR: Actor = { user: 'clerk', command: 'nv generate --template invitation' };

/** A request for one dispatch; `key` says what the number is for. */
export function request(key: string, over: Partial<DispatchRequest> = {}): DispatchRequest {
  return {
    key,
    series: 'CU',
    year: 2012,
    kind: 'circular',
    template: 'invitation',
    date: '2012-08-15',
    notes: [
      { recipient: 'AUT', variant: 'A' },
      { recipient: 'AND', variant: 'B' },
    ],
    firstSeq: 150,
    ...over,
  };
}

export function registerContract(name: string, open: (path: string) => Promise<Register>): void {
  describe(`Register contract: ${name}`, () => {
    let dir: string;
    let path: string;
    let reg: Register;
    const opened: Register[] = [];
    const reopen = async () => {
      await reg.close();
      reg = await open(path);
      opened.push(reg);
      return reg;
    };

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'nv-unit-register-'));
      path = join(dir, '.nv', 'registry.sqlite');
      reg = await open(path);
      opened.push(reg);
    });
    afterEach(async () => {
      for (const r of opened.splice(0)) {
        try {
          await r.close();
        } catch {
          // already closed
        }
      }
      rmSync(dir, { recursive: true, force: true });
    });

    const seqs = async (series = 'CU', year = 2012) =>
      (await reg.listDispatches()).filter((d) => d.series === series && d.year === year).map((d) => d.seq);

    describe('ensureDispatches', () => {
      it('allocates the first number at firstSeq and records the dispatch and its notes', async () => {
        expect(await reg.peekNext('CU', 2012, 150)).toBe(150);
        const [r] = await reg.ensureDispatches([request('invitation@uncac-em-ic-2012')], ACTOR);
        expect(r!.allocated).toBe(true);
        expect(r!.dispatch).toMatchObject({
          key: 'invitation@uncac-em-ic-2012',
          series: 'CU',
          year: 2012,
          seq: 150,
          kind: 'circular',
          template: 'invitation',
          date: '2012-08-15',
          status: 'active',
          voidReason: null,
        });
        expect(Number.isNaN(Date.parse(r!.dispatch.createdAt))).toBe(false);
        expect(r!.notes.map((n) => [n.recipient, n.variant, n.inputHash, n.files, n.writtenAt])).toEqual([
          ['AUT', 'A', null, {}, null],
          ['AND', 'B', null, {}, null],
        ]);
        expect(r!.notes.every((n) => n.dispatchId === r!.dispatch.id)).toBe(true);
        expect((await reg.notesOf(r!.dispatch.id)).map((n) => n.recipient)).toEqual(['AND', 'AUT']);
        expect(await reg.findDispatch('CU', 2012, 150)).toEqual(r!.dispatch);
        expect(await reg.findActiveDispatchByKey('invitation@uncac-em-ic-2012')).toEqual(r!.dispatch);
        expect(await reg.peekNext('CU', 2012, 150)).toBe(151);
      });

      it('numbers without gaps and in order, within one call and across calls', async () => {
        const first = await reg.ensureDispatches(
          ['a', 'b', 'c'].map((k) => request(k, { kind: 'individual' })),
          ACTOR,
        );
        expect(first.map((r) => [r.dispatch.seq, r.allocated])).toEqual([
          [150, true],
          [151, true],
          [152, true],
        ]);
        for (let i = 0; i < 20; i++)
          await reg.ensureDispatches([request(`n${i}`, { kind: 'individual' })], ACTOR);
        expect(await seqs()).toEqual(Array.from({ length: 23 }, (_, i) => 150 + i));
        expect(await reg.peekNext('CU', 2012, 150)).toBe(173);
      });

      it('keeps one counter per (series, year), each from its own firstSeq', async () => {
        await reg.ensureDispatches([request('a'), request('b')], ACTOR);
        await reg.ensureDispatches([request('c', { year: 2013, firstSeq: 1 })], ACTOR);
        await reg.ensureDispatches([request('d', { series: 'TO', firstSeq: 40 })], ACTOR);
        await reg.ensureDispatches([request('e'), request('f', { year: 2013, firstSeq: 999 })], ACTOR);
        expect(await seqs('CU', 2012)).toEqual([150, 151, 152]);
        expect(await seqs('CU', 2013)).toEqual([1, 2]);
        expect(await seqs('TO', 2012)).toEqual([40]);
        expect(await reg.peekNext('TO', 2013, 7)).toBe(7);
      });

      it('asked again for the same key, allocates nothing and adds only the new notes', async () => {
        const [a] = await reg.ensureDispatches([request('inv')], ACTOR);
        const auditBefore = (await reg.audit()).length;
        const [again] = await reg.ensureDispatches([request('inv')], ACTOR);
        expect(again!.allocated).toBe(false);
        expect(again!.dispatch).toEqual(a!.dispatch);
        expect(again!.notes).toEqual(a!.notes);
        expect(await reg.audit()).toHaveLength(auditBefore);

        const more = request('inv', {
          notes: [
            { recipient: 'AUT', variant: 'A' },
            { recipient: 'AND', variant: 'B' },
            { recipient: 'FRA', variant: 'A' },
          ],
        });
        const [added] = await reg.ensureDispatches([more], ACTOR);
        expect(added!.allocated).toBe(false);
        expect(added!.dispatch.seq).toBe(150);
        expect(added!.notes.map((n) => n.recipient)).toEqual(['AUT', 'AND', 'FRA']);
        expect(added!.notes.slice(0, 2)).toEqual(a!.notes);
        expect(await reg.notesOf(a!.dispatch.id)).toHaveLength(3);
        expect(await seqs()).toEqual([150]);
        expect(await reg.peekNext('CU', 2012, 150)).toBe(151);
        expect((await reg.audit(1))[0]).toMatchObject({
          action: 'add-notes',
          detail: { series: 'CU', year: 2012, seq: 150, recipients: ['FRA'] },
        });
      });

      it('moves a note to another variant, forgetting what it was written from, and says so in the audit log', async () => {
        const [a] = await reg.ensureDispatches([request('inv')], ACTOR);
        const aut = a!.notes.find((n) => n.recipient === 'AUT')!;
        await reg.recordNotesWritten(
          [{ noteId: aut.id, inputHash: 'hash-1', files: { 'out/a.pdf': 'f00d' } }],
          ACTOR,
        );
        const [b] = await reg.ensureDispatches(
          [request('inv', { notes: [{ recipient: 'AUT', variant: 'B' }] })],
          ACTOR,
        );
        expect(b!.allocated).toBe(false);
        expect(b!.notes).toEqual([expect.objectContaining({ id: aut.id, variant: 'B', inputHash: null })]);
        expect((await reg.audit(1))[0]).toMatchObject({
          action: 'change-variant',
          detail: { seq: 150, recipient: 'AUT', from: 'A', to: 'B' },
        });
      });
    });

    describe('voidDispatch', () => {
      it('keeps the voided number with its reason; the same key then takes a new number', async () => {
        const [a] = await reg.ensureDispatches([request('inv')], ACTOR);
        await reg.ensureDispatches([request('other')], ACTOR);
        const voided = await reg.voidDispatch(a!.dispatch.id, 'sent with the wrong dates', {
          user: 'officer',
          command: 'nv ref void CU 2012/150',
        });
        expect(voided).toMatchObject({
          id: a!.dispatch.id,
          seq: 150,
          status: 'void',
          voidReason: 'sent with the wrong dates',
        });
        expect(await reg.findDispatch('CU', 2012, 150)).toEqual(voided);
        expect(await reg.findActiveDispatchByKey('inv')).toBeUndefined();
        expect(await reg.notesOf(a!.dispatch.id)).toHaveLength(2);

        const [b] = await reg.ensureDispatches([request('inv')], ACTOR);
        expect(b!.allocated).toBe(true);
        expect(b!.dispatch.seq).toBe(152);
        expect(b!.dispatch.id).not.toBe(a!.dispatch.id);
        expect(await reg.findActiveDispatchByKey('inv')).toEqual(b!.dispatch);
        expect((await reg.listDispatches()).map((d) => [d.seq, d.key, d.status])).toEqual([
          [150, 'inv', 'void'],
          [151, 'other', 'active'],
          [152, 'inv', 'active'],
        ]);
      });

      it('refuses to void a number twice, changing nothing', async () => {
        const [a] = await reg.ensureDispatches([request('inv')], ACTOR);
        await reg.voidDispatch(a!.dispatch.id, 'first reason', ACTOR);
        const auditBefore = await reg.audit();
        await expect(reg.voidDispatch(a!.dispatch.id, 'second reason', ACTOR)).rejects.toThrow(
          /already void/,
        );
        expect((await reg.findDispatch('CU', 2012, 150))!.voidReason).toBe('first reason');
        expect(await reg.audit()).toEqual(auditBefore);
      });
    });

    describe('setNext', () => {
      it('sets the first number of a year before anything is allocated; firstSeq then no longer counts', async () => {
        await reg.setNext('CU', 2012, 500, { user: 'officer', command: 'nv ref set-next 500' });
        expect(await reg.peekNext('CU', 2012, 150)).toBe(500);
        const [a] = await reg.ensureDispatches([request('inv')], ACTOR);
        expect(a!.dispatch.seq).toBe(500);
        expect((await reg.audit()).find((e) => e.action === 'set-next')).toMatchObject({
          user: 'officer',
          command: 'nv ref set-next 500',
          detail: { series: 'CU', year: 2012, from: null, to: 500 },
        });
      });

      it('refuses a number at or below one already allocated, changing nothing', async () => {
        await reg.ensureDispatches([request('a'), request('b')], ACTOR); // 150, 151
        const auditBefore = await reg.audit();
        for (const n of [151, 150, 1]) {
          await expect(reg.setNext('CU', 2012, n, ACTOR)).rejects.toThrow(
            /CU 2012\/151 is already allocated; the next number must be above it \(152 or more\)/,
          );
        }
        expect(await reg.audit()).toEqual(auditBefore);
        expect(await reg.peekNext('CU', 2012, 150)).toBe(152);
      });

      it('refuses going back below a voided number too: a number is never reused', async () => {
        const [a] = await reg.ensureDispatches([request('a')], ACTOR);
        await reg.voidDispatch(a!.dispatch.id, 'mistake', ACTOR);
        await expect(reg.setNext('CU', 2012, 150, ACTOR)).rejects.toThrow(/already allocated/);
      });

      it('moves forward, is recorded with from and to, and leaves other years alone', async () => {
        await reg.ensureDispatches([request('a')], ACTOR); // 150
        await reg.setNext('CU', 2012, 200, ACTOR);
        expect((await reg.audit(1))[0]).toMatchObject({
          action: 'set-next',
          detail: { series: 'CU', year: 2012, from: 151, to: 200 },
        });
        const [b] = await reg.ensureDispatches([request('b')], ACTOR);
        expect(b!.dispatch.seq).toBe(200);
        expect(await reg.peekNext('CU', 2013, 1)).toBe(1);
        // Down again to just above the last number is allowed.
        await reg.setNext('CU', 2012, 201, ACTOR);
        expect(await reg.peekNext('CU', 2012, 150)).toBe(201);
      });
    });

    describe('recordNotesWritten', () => {
      it('records the input hash, the files and when, in the audit log too', async () => {
        const [a] = await reg.ensureDispatches([request('inv')], ACTOR);
        const note = a!.notes[0]!;
        const files = {
          'out/CU-2012-150-A/AUT.pdf': 'ab'.repeat(32),
          'out/CU-2012-150-A/AUT.docx': 'cd'.repeat(32),
        };
        await reg.recordNotesWritten([{ noteId: note.id, inputHash: 'input-hash', files }], ACTOR);
        const stored = (await reg.notesOf(a!.dispatch.id)).find((n) => n.id === note.id)!;
        expect(stored).toMatchObject({ inputHash: 'input-hash', files });
        expect(Number.isNaN(Date.parse(stored.writtenAt!))).toBe(false);
        expect((await reg.audit(1))[0]).toMatchObject({
          action: 'write-note',
          detail: { note: note.id, recipient: 'AUT', files: Object.keys(files) },
        });
      });

      it('throws for a note that does not exist, recording nothing', async () => {
        const before = await reg.audit();
        await expect(
          reg.recordNotesWritten([{ noteId: 9999, inputHash: 'h', files: {} }], ACTOR),
        ).rejects.toThrow();
        expect(await reg.audit()).toEqual(before);
      });

      it('records several notes in one call, or none of them when one does not exist', async () => {
        const [a] = await reg.ensureDispatches(
          [
            request('inv', {
              notes: [
                { recipient: 'AUT', variant: 'A' },
                { recipient: 'FRA', variant: 'A' },
              ],
            }),
          ],
          ACTOR,
        );
        const [aut, fra] = a!.notes;
        const before = await reg.audit();
        await expect(
          reg.recordNotesWritten(
            [
              { noteId: aut!.id, inputHash: 'h1', files: {} },
              { noteId: 9999, inputHash: 'h2', files: {} },
            ],
            ACTOR,
          ),
        ).rejects.toThrow();
        expect(await reg.audit()).toEqual(before);
        expect((await reg.notesOf(a!.dispatch.id)).every((n) => n.inputHash === null)).toBe(true);
        await reg.recordNotesWritten(
          [
            { noteId: aut!.id, inputHash: 'h1', files: { 'a.pdf': '01' } },
            { noteId: fra!.id, inputHash: 'h2', files: { 'f.pdf': '02' } },
          ],
          ACTOR,
        );
        expect((await reg.notesOf(a!.dispatch.id)).map((n) => [n.recipient, n.inputHash])).toEqual([
          ['AUT', 'h1'],
          ['FRA', 'h2'],
        ]);
      });
    });

    describe('the audit log', () => {
      it('holds every change, newest first, with time, user, command and what changed', async () => {
        const officer: Actor = { user: 'officer', command: 'nv ref set-next 150' };
        await reg.setNext('CU', 2012, 150, officer);
        const [a] = await reg.ensureDispatches([request('inv')], ACTOR);
        await reg.ensureDispatches([request('inv', { notes: [{ recipient: 'FRA', variant: 'A' }] })], ACTOR);
        await reg.recordNotesWritten([{ noteId: a!.notes[0]!.id, inputHash: 'h', files: {} }], ACTOR);
        await reg.voidDispatch(a!.dispatch.id, 'wrong text', {
          user: 'officer',
          command: 'nv ref void 150 --reason "wrong text"',
        });
        const log = await reg.audit();
        expect(log.map((e) => [e.action, e.user, e.command])).toEqual([
          ['void', 'officer', 'nv ref void 150 --reason "wrong text"'],
          ['write-note', 'clerk', ACTOR.command],
          ['add-notes', 'clerk', ACTOR.command],
          ['allocate', 'clerk', ACTOR.command],
          ['set-next', 'officer', 'nv ref set-next 150'],
        ]);
        expect(log[0]!.detail).toEqual({
          series: 'CU',
          year: 2012,
          seq: 150,
          key: 'inv',
          reason: 'wrong text',
        });
        expect(log[3]!.detail).toEqual({
          series: 'CU',
          year: 2012,
          seq: 150,
          key: 'inv',
          template: 'invitation',
          kind: 'circular',
          notes: 2,
        });
        for (const e of log) expect(Number.isNaN(Date.parse(e.at)), e.at).toBe(false);
        expect(new Set(log.map((e) => e.id)).size).toBe(5);
        expect((await reg.audit(2)).map((e) => e.action)).toEqual(['void', 'write-note']);
      });

      it('records nothing for a read', async () => {
        await reg.ensureDispatches([request('inv')], ACTOR);
        const before = await reg.audit();
        await reg.listDispatches();
        await reg.peekNext('CU', 2012, 150);
        await reg.findDispatch('CU', 2012, 150);
        await reg.findActiveDispatchByKey('inv');
        await reg.ensureDispatches([request('inv')], ACTOR);
        expect(await reg.audit()).toEqual(before);
      });
    });

    describe('durability and atomicity', () => {
      it('keeps everything when the register is closed and opened again', async () => {
        const [a] = await reg.ensureDispatches(
          [request('inv'), request('rem', { kind: 'individual', template: 'reminder' })],
          ACTOR,
        );
        await reg.recordNotesWritten(
          [{ noteId: a!.notes[0]!.id, inputHash: 'h', files: { 'out/x.pdf': '00' } }],
          ACTOR,
        );
        await reg.voidDispatch(a!.dispatch.id, 'wrong', ACTOR);
        await reg.setNext('CU', 2012, 300, ACTOR);
        const dispatches = await reg.listDispatches();
        const notes = await Promise.all(dispatches.map((d) => reg.notesOf(d.id)));
        const audit = await reg.audit();
        await reopen();
        expect(await reg.listDispatches()).toEqual(dispatches);
        expect(await Promise.all(dispatches.map((d) => reg.notesOf(d.id)))).toEqual(notes);
        expect(await reg.audit()).toEqual(audit);
        expect(await reg.peekNext('CU', 2012, 150)).toBe(300);
        expect((await reg.ensureDispatches([request('next')], ACTOR))[0]!.dispatch.seq).toBe(300);
        // Opening twice at once sees the same register.
        const second = await open(path);
        opened.push(second);
        expect(await second.listDispatches()).toEqual(await reg.listDispatches());
      });

      it('a batch that fails half-way records nothing, and the next number is the one it would have taken', async () => {
        await reg.ensureDispatches([request('before')], ACTOR); // 150
        const audit = await reg.audit();
        const bad = request('bad', { notes: [{ recipient: null as unknown as string, variant: 'A' }] });
        // The first request of the batch allocates 151; the second fails inside the same transaction.
        await expect(reg.ensureDispatches([request('good'), bad], ACTOR)).rejects.toThrow();
        expect(await seqs()).toEqual([150]);
        expect(await reg.findActiveDispatchByKey('good')).toBeUndefined();
        expect(await reg.findActiveDispatchByKey('bad')).toBeUndefined();
        expect(await reg.audit()).toEqual(audit);
        expect(await reg.peekNext('CU', 2012, 150)).toBe(151);
        expect((await reg.ensureDispatches([request('good')], ACTOR))[0]!.dispatch.seq).toBe(151);
      });

      it('a kind the register does not know is refused, allocating nothing', async () => {
        await expect(
          reg.ensureDispatches([request('odd', { kind: 'bulk' as unknown as 'circular' })], ACTOR),
        ).rejects.toThrow();
        expect(await reg.listDispatches()).toEqual([]);
        expect(await reg.peekNext('CU', 2012, 150)).toBe(150);
      });
    });

    describe('removed replies', () => {
      const reply = (sha: string): NewReply => ({
        sha256: sha.repeat(64),
        fileKind: 'pdf',
        originalName: 'README.md',
        channel: 'post',
        state: 'AUT',
        stateSource: 'flag',
        receivedAt: '2012-09-20T08:00:00.000Z',
        receivedSource: 'flag',
        receivedProblem: null,
        sender: null,
        senderDomain: null,
        subject: null,
        messageId: null,
        cited: [],
        problems: [],
        documents: [],
      });

      it('a removed reply leaves the list that counts, keeps its row, and the audit log says who and why', async () => {
        const { reply: a } = await reg.addReply(reply('a'), ACTOR);
        const { reply: b } = await reg.addReply(reply('b'), ACTOR);
        const removed = await reg.removeReply(a.id, 'a README, not a reply', {
          user: 'maria',
          command: 'nv reply remove',
        });
        expect(removed).toMatchObject({ removedBy: 'maria', removedReason: 'a README, not a reply' });
        expect(removed.removedAt).not.toBeNull();
        expect((await reg.listReplies()).map((r) => r.id)).toEqual([b.id]);
        expect((await reg.listReplies({ includeRemoved: true })).map((r) => r.id)).toEqual([a.id, b.id]);
        expect((await reg.getReply(a.id))!.removedReason).toBe('a README, not a reply');
        expect((await reg.findReplyBySha('a'.repeat(64)))!.id).toBe(a.id); // the same bytes again are that reply
        expect((await reg.audit(1))[0]).toMatchObject({
          user: 'maria',
          action: 'reply-remove',
          detail: { reply: a.id, reason: 'a README, not a reply' },
        });
        expect((await (await reopen()).listReplies()).map((r) => r.id)).toEqual([b.id]);
      });

      it('refuses to remove twice or to decide on a removed reply, changing nothing', async () => {
        const { reply: a } = await reg.addReply(reply('c'), ACTOR);
        await reg.removeReply(a.id, 'copy', ACTOR);
        const before = await reg.audit();
        await expect(reg.removeReply(a.id, 'again', ACTOR)).rejects.toThrow(/removed already/);
        await expect(
          reg.updateReply(a.id, { decision: { status: 'accepted', reason: 'x' } }, ACTOR),
        ).rejects.toThrow(/removed/);
        await expect(reg.removeReply(999, 'none', ACTOR)).rejects.toThrow(/no reply 999/);
        expect(await reg.audit()).toEqual(before);
      });
    });
  });
}
