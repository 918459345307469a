/**
 * The contract every Register implementation keeps (SPEC §3, §9, §10). Each implementation runs it
 * from its own test file: `registerContract('SqliteRegister', (path) => new SqliteRegister(path))`.
 * `open(path)` must open (creating if need be) the register stored at `path`; opening the same
 * path again must give the same register.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, DispatchRequest, NewReply, Register } from '../../src/storage/register.js';

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

export function registerContract(name: string, open: (path: string) => Register): void {
  describe(`Register contract: ${name}`, () => {
    let dir: string;
    let path: string;
    let reg: Register;
    const opened: Register[] = [];
    const reopen = () => {
      reg.close();
      reg = open(path);
      opened.push(reg);
      return reg;
    };

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'nv-unit-register-'));
      path = join(dir, '.nv', 'registry.sqlite');
      reg = open(path);
      opened.push(reg);
    });
    afterEach(() => {
      for (const r of opened.splice(0)) {
        try {
          r.close();
        } catch {
          // already closed
        }
      }
      rmSync(dir, { recursive: true, force: true });
    });

    const seqs = (series = 'CU', year = 2012) =>
      reg
        .listDispatches()
        .filter((d) => d.series === series && d.year === year)
        .map((d) => d.seq);

    describe('ensureDispatches', () => {
      it('allocates the first number at firstSeq and records the dispatch and its notes', () => {
        expect(reg.peekNext('CU', 2012, 150)).toBe(150);
        const [r] = reg.ensureDispatches([request('invitation@uncac-em-ic-2012')], ACTOR);
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
        expect(reg.notesOf(r!.dispatch.id).map((n) => n.recipient)).toEqual(['AND', 'AUT']);
        expect(reg.findDispatch('CU', 2012, 150)).toEqual(r!.dispatch);
        expect(reg.findActiveDispatchByKey('invitation@uncac-em-ic-2012')).toEqual(r!.dispatch);
        expect(reg.peekNext('CU', 2012, 150)).toBe(151);
      });

      it('numbers without gaps and in order, within one call and across calls', () => {
        const first = reg.ensureDispatches(
          ['a', 'b', 'c'].map((k) => request(k, { kind: 'individual' })),
          ACTOR,
        );
        expect(first.map((r) => [r.dispatch.seq, r.allocated])).toEqual([
          [150, true],
          [151, true],
          [152, true],
        ]);
        for (let i = 0; i < 20; i++) reg.ensureDispatches([request(`n${i}`, { kind: 'individual' })], ACTOR);
        expect(seqs()).toEqual(Array.from({ length: 23 }, (_, i) => 150 + i));
        expect(reg.peekNext('CU', 2012, 150)).toBe(173);
      });

      it('keeps one counter per (series, year), each from its own firstSeq', () => {
        reg.ensureDispatches([request('a'), request('b')], ACTOR);
        reg.ensureDispatches([request('c', { year: 2013, firstSeq: 1 })], ACTOR);
        reg.ensureDispatches([request('d', { series: 'TO', firstSeq: 40 })], ACTOR);
        reg.ensureDispatches([request('e'), request('f', { year: 2013, firstSeq: 999 })], ACTOR);
        expect(seqs('CU', 2012)).toEqual([150, 151, 152]);
        expect(seqs('CU', 2013)).toEqual([1, 2]);
        expect(seqs('TO', 2012)).toEqual([40]);
        expect(reg.peekNext('TO', 2013, 7)).toBe(7);
      });

      it('asked again for the same key, allocates nothing and adds only the new notes', () => {
        const [a] = reg.ensureDispatches([request('inv')], ACTOR);
        const auditBefore = reg.audit().length;
        const [again] = reg.ensureDispatches([request('inv')], ACTOR);
        expect(again!.allocated).toBe(false);
        expect(again!.dispatch).toEqual(a!.dispatch);
        expect(again!.notes).toEqual(a!.notes);
        expect(reg.audit()).toHaveLength(auditBefore);

        const more = request('inv', {
          notes: [
            { recipient: 'AUT', variant: 'A' },
            { recipient: 'AND', variant: 'B' },
            { recipient: 'FRA', variant: 'A' },
          ],
        });
        const [added] = reg.ensureDispatches([more], ACTOR);
        expect(added!.allocated).toBe(false);
        expect(added!.dispatch.seq).toBe(150);
        expect(added!.notes.map((n) => n.recipient)).toEqual(['AUT', 'AND', 'FRA']);
        expect(added!.notes.slice(0, 2)).toEqual(a!.notes);
        expect(reg.notesOf(a!.dispatch.id)).toHaveLength(3);
        expect(seqs()).toEqual([150]);
        expect(reg.peekNext('CU', 2012, 150)).toBe(151);
        expect(reg.audit(1)[0]).toMatchObject({
          action: 'add-notes',
          detail: { series: 'CU', year: 2012, seq: 150, recipients: ['FRA'] },
        });
      });

      it('moves a note to another variant, forgetting what it was written from, and says so in the audit log', () => {
        const [a] = reg.ensureDispatches([request('inv')], ACTOR);
        const aut = a!.notes.find((n) => n.recipient === 'AUT')!;
        reg.recordNoteWritten(aut.id, 'hash-1', { 'out/a.pdf': 'f00d' }, ACTOR);
        const [b] = reg.ensureDispatches(
          [request('inv', { notes: [{ recipient: 'AUT', variant: 'B' }] })],
          ACTOR,
        );
        expect(b!.allocated).toBe(false);
        expect(b!.notes).toEqual([expect.objectContaining({ id: aut.id, variant: 'B', inputHash: null })]);
        expect(reg.audit(1)[0]).toMatchObject({
          action: 'change-variant',
          detail: { seq: 150, recipient: 'AUT', from: 'A', to: 'B' },
        });
      });
    });

    describe('voidDispatch', () => {
      it('keeps the voided number with its reason; the same key then takes a new number', () => {
        const [a] = reg.ensureDispatches([request('inv')], ACTOR);
        reg.ensureDispatches([request('other')], ACTOR);
        const voided = reg.voidDispatch(a!.dispatch.id, 'sent with the wrong dates', {
          user: 'officer',
          command: 'nv ref void CU 2012/150',
        });
        expect(voided).toMatchObject({
          id: a!.dispatch.id,
          seq: 150,
          status: 'void',
          voidReason: 'sent with the wrong dates',
        });
        expect(reg.findDispatch('CU', 2012, 150)).toEqual(voided);
        expect(reg.findActiveDispatchByKey('inv')).toBeUndefined();
        expect(reg.notesOf(a!.dispatch.id)).toHaveLength(2);

        const [b] = reg.ensureDispatches([request('inv')], ACTOR);
        expect(b!.allocated).toBe(true);
        expect(b!.dispatch.seq).toBe(152);
        expect(b!.dispatch.id).not.toBe(a!.dispatch.id);
        expect(reg.findActiveDispatchByKey('inv')).toEqual(b!.dispatch);
        expect(reg.listDispatches().map((d) => [d.seq, d.key, d.status])).toEqual([
          [150, 'inv', 'void'],
          [151, 'other', 'active'],
          [152, 'inv', 'active'],
        ]);
      });

      it('refuses to void a number twice, changing nothing', () => {
        const [a] = reg.ensureDispatches([request('inv')], ACTOR);
        reg.voidDispatch(a!.dispatch.id, 'first reason', ACTOR);
        const auditBefore = reg.audit();
        expect(() => reg.voidDispatch(a!.dispatch.id, 'second reason', ACTOR)).toThrow(/already void/);
        expect(reg.findDispatch('CU', 2012, 150)!.voidReason).toBe('first reason');
        expect(reg.audit()).toEqual(auditBefore);
      });
    });

    describe('setNext', () => {
      it('sets the first number of a year before anything is allocated; firstSeq then no longer counts', () => {
        reg.setNext('CU', 2012, 500, { user: 'officer', command: 'nv ref set-next 500' });
        expect(reg.peekNext('CU', 2012, 150)).toBe(500);
        const [a] = reg.ensureDispatches([request('inv')], ACTOR);
        expect(a!.dispatch.seq).toBe(500);
        expect(reg.audit().find((e) => e.action === 'set-next')).toMatchObject({
          user: 'officer',
          command: 'nv ref set-next 500',
          detail: { series: 'CU', year: 2012, from: null, to: 500 },
        });
      });

      it('refuses a number at or below one already allocated, changing nothing', () => {
        reg.ensureDispatches([request('a'), request('b')], ACTOR); // 150, 151
        const auditBefore = reg.audit();
        for (const n of [151, 150, 1]) {
          expect(() => reg.setNext('CU', 2012, n, ACTOR)).toThrow(
            /CU 2012\/151 is already allocated; the next number must be above it \(152 or more\)/,
          );
        }
        expect(reg.audit()).toEqual(auditBefore);
        expect(reg.peekNext('CU', 2012, 150)).toBe(152);
      });

      it('refuses going back below a voided number too: a number is never reused', () => {
        const [a] = reg.ensureDispatches([request('a')], ACTOR);
        reg.voidDispatch(a!.dispatch.id, 'mistake', ACTOR);
        expect(() => reg.setNext('CU', 2012, 150, ACTOR)).toThrow(/already allocated/);
      });

      it('moves forward, is recorded with from and to, and leaves other years alone', () => {
        reg.ensureDispatches([request('a')], ACTOR); // 150
        reg.setNext('CU', 2012, 200, ACTOR);
        expect(reg.audit(1)[0]).toMatchObject({
          action: 'set-next',
          detail: { series: 'CU', year: 2012, from: 151, to: 200 },
        });
        const [b] = reg.ensureDispatches([request('b')], ACTOR);
        expect(b!.dispatch.seq).toBe(200);
        expect(reg.peekNext('CU', 2013, 1)).toBe(1);
        // Down again to just above the last number is allowed.
        reg.setNext('CU', 2012, 201, ACTOR);
        expect(reg.peekNext('CU', 2012, 150)).toBe(201);
      });
    });

    describe('recordNoteWritten', () => {
      it('records the input hash, the files and when, in the audit log too', () => {
        const [a] = reg.ensureDispatches([request('inv')], ACTOR);
        const note = a!.notes[0]!;
        const files = {
          'out/CU-2012-150-A/AUT.pdf': 'ab'.repeat(32),
          'out/CU-2012-150-A/AUT.docx': 'cd'.repeat(32),
        };
        reg.recordNoteWritten(note.id, 'input-hash', files, ACTOR);
        const stored = reg.notesOf(a!.dispatch.id).find((n) => n.id === note.id)!;
        expect(stored).toMatchObject({ inputHash: 'input-hash', files });
        expect(Number.isNaN(Date.parse(stored.writtenAt!))).toBe(false);
        expect(reg.audit(1)[0]).toMatchObject({
          action: 'write-note',
          detail: { note: note.id, recipient: 'AUT', files: Object.keys(files) },
        });
      });

      it('throws for a note that does not exist, recording nothing', () => {
        const before = reg.audit();
        expect(() => reg.recordNoteWritten(9999, 'h', {}, ACTOR)).toThrow();
        expect(reg.audit()).toEqual(before);
      });

      it('records several notes in one call, or none of them when one does not exist', () => {
        const [a] = reg.ensureDispatches(
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
        const before = reg.audit();
        expect(() =>
          reg.recordNotesWritten(
            [
              { noteId: aut!.id, inputHash: 'h1', files: {} },
              { noteId: 9999, inputHash: 'h2', files: {} },
            ],
            ACTOR,
          ),
        ).toThrow();
        expect(reg.audit()).toEqual(before);
        expect(reg.notesOf(a!.dispatch.id).every((n) => n.inputHash === null)).toBe(true);
        reg.recordNotesWritten(
          [
            { noteId: aut!.id, inputHash: 'h1', files: { 'a.pdf': '01' } },
            { noteId: fra!.id, inputHash: 'h2', files: { 'f.pdf': '02' } },
          ],
          ACTOR,
        );
        expect(reg.notesOf(a!.dispatch.id).map((n) => [n.recipient, n.inputHash])).toEqual([
          ['AUT', 'h1'],
          ['FRA', 'h2'],
        ]);
      });
    });

    describe('the audit log', () => {
      it('holds every change, newest first, with time, user, command and what changed', () => {
        const officer: Actor = { user: 'officer', command: 'nv ref set-next 150' };
        reg.setNext('CU', 2012, 150, officer);
        const [a] = reg.ensureDispatches([request('inv')], ACTOR);
        reg.ensureDispatches([request('inv', { notes: [{ recipient: 'FRA', variant: 'A' }] })], ACTOR);
        reg.recordNoteWritten(a!.notes[0]!.id, 'h', {}, ACTOR);
        reg.voidDispatch(a!.dispatch.id, 'wrong text', {
          user: 'officer',
          command: 'nv ref void 150 --reason "wrong text"',
        });
        const log = reg.audit();
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
        expect(reg.audit(2).map((e) => e.action)).toEqual(['void', 'write-note']);
      });

      it('records nothing for a read', () => {
        reg.ensureDispatches([request('inv')], ACTOR);
        const before = reg.audit();
        reg.listDispatches();
        reg.peekNext('CU', 2012, 150);
        reg.findDispatch('CU', 2012, 150);
        reg.findActiveDispatchByKey('inv');
        reg.ensureDispatches([request('inv')], ACTOR);
        expect(reg.audit()).toEqual(before);
      });
    });

    describe('durability and atomicity', () => {
      it('keeps everything when the register is closed and opened again', () => {
        const [a] = reg.ensureDispatches(
          [request('inv'), request('rem', { kind: 'individual', template: 'reminder' })],
          ACTOR,
        );
        reg.recordNoteWritten(a!.notes[0]!.id, 'h', { 'out/x.pdf': '00' }, ACTOR);
        reg.voidDispatch(a!.dispatch.id, 'wrong', ACTOR);
        reg.setNext('CU', 2012, 300, ACTOR);
        const dispatches = reg.listDispatches();
        const notes = dispatches.map((d) => reg.notesOf(d.id));
        const audit = reg.audit();
        reopen();
        expect(reg.listDispatches()).toEqual(dispatches);
        expect(dispatches.map((d) => reg.notesOf(d.id))).toEqual(notes);
        expect(reg.audit()).toEqual(audit);
        expect(reg.peekNext('CU', 2012, 150)).toBe(300);
        expect(reg.ensureDispatches([request('next')], ACTOR)[0]!.dispatch.seq).toBe(300);
        // Opening twice at once sees the same register.
        const second = open(path);
        opened.push(second);
        expect(second.listDispatches()).toEqual(reg.listDispatches());
      });

      it('a batch that fails half-way records nothing, and the next number is the one it would have taken', () => {
        reg.ensureDispatches([request('before')], ACTOR); // 150
        const audit = reg.audit();
        const bad = request('bad', { notes: [{ recipient: null as unknown as string, variant: 'A' }] });
        // The first request of the batch allocates 151; the second fails inside the same transaction.
        expect(() => reg.ensureDispatches([request('good'), bad], ACTOR)).toThrow();
        expect(seqs()).toEqual([150]);
        expect(reg.findActiveDispatchByKey('good')).toBeUndefined();
        expect(reg.findActiveDispatchByKey('bad')).toBeUndefined();
        expect(reg.audit()).toEqual(audit);
        expect(reg.peekNext('CU', 2012, 150)).toBe(151);
        expect(reg.ensureDispatches([request('good')], ACTOR)[0]!.dispatch.seq).toBe(151);
      });

      it('a kind the register does not know is refused, allocating nothing', () => {
        expect(() =>
          reg.ensureDispatches([request('odd', { kind: 'bulk' as unknown as 'circular' })], ACTOR),
        ).toThrow();
        expect(reg.listDispatches()).toEqual([]);
        expect(reg.peekNext('CU', 2012, 150)).toBe(150);
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

      it('a removed reply leaves the list that counts, keeps its row, and the audit log says who and why', () => {
        const a = reg.addReply(reply('a'), ACTOR);
        const b = reg.addReply(reply('b'), ACTOR);
        const removed = reg.removeReply(a.id, 'a README, not a reply', {
          user: 'maria',
          command: 'nv reply remove',
        });
        expect(removed).toMatchObject({ removedBy: 'maria', removedReason: 'a README, not a reply' });
        expect(removed.removedAt).not.toBeNull();
        expect(reg.listReplies().map((r) => r.id)).toEqual([b.id]);
        expect(reg.listReplies({ includeRemoved: true }).map((r) => r.id)).toEqual([a.id, b.id]);
        expect(reg.getReply(a.id)!.removedReason).toBe('a README, not a reply');
        expect(reg.findReplyBySha('a'.repeat(64))!.id).toBe(a.id); // the same bytes again are that reply
        expect(reg.audit(1)[0]).toMatchObject({
          user: 'maria',
          action: 'reply-remove',
          detail: { reply: a.id, reason: 'a README, not a reply' },
        });
        expect(
          reopen()
            .listReplies()
            .map((r) => r.id),
        ).toEqual([b.id]);
      });

      it('refuses to remove twice or to decide on a removed reply, changing nothing', () => {
        const a = reg.addReply(reply('c'), ACTOR);
        reg.removeReply(a.id, 'copy', ACTOR);
        const before = reg.audit();
        expect(() => reg.removeReply(a.id, 'again', ACTOR)).toThrow(/removed already/);
        expect(() => reg.updateReply(a.id, { decision: { status: 'accepted', reason: 'x' } }, ACTOR)).toThrow(
          /removed/,
        );
        expect(() => reg.removeReply(999, 'none', ACTOR)).toThrow(/no reply 999/);
        expect(reg.audit()).toEqual(before);
      });
    });
  });
}
