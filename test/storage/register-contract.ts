/**
 * The contract every Register implementation keeps (SPEC §3, §9, §10). Each implementation runs it
 * from its own test file: `registerContract('SqliteRegister', async (path) => new SqliteRegister(path))`.
 * `open(path)` must open (creating if need be) the register stored at `path`; opening the same
 * path again must give the same register.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/audit.js';
import type { ParticipantInput } from '../../src/delegations/lists.js';
import { UserError } from '../../src/errors.js';
import type { DispatchRequest } from '../../src/references/records.js';
import type { NewReply } from '../../src/replies/records.js';
import type { NewMessage } from '../../src/dispatch/records.js';
import {
  TABLES,
  type ArchivedFile,
  type Register,
  type TableName,
  type TableRow,
} from '../../src/storage/register.js';

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
        answers: null,
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

    describe('addReply', () => {
      it('the same bytes twice are one reply: the second call gives the reply on record, created false', async () => {
        const first = await reg.addReply(newReply('d', 2), ACTOR);
        expect(first.created).toBe(true);
        expect(first.reply.documents.map((d) => d.position)).toEqual([1, 2]);
        const auditBefore = await reg.audit();
        const again = await reg.addReply({ ...newReply('d', 1), originalName: 'copy.eml' }, ACTOR);
        expect(again).toEqual({ reply: first.reply, created: false });
        expect(await reg.listReplies()).toEqual([first.reply]);
        expect(await reg.audit()).toEqual(auditBefore);
        expect((await reg.counts()).replies).toBe(1);
        expect((await reg.counts()).documents).toBe(2);
      });

      it('two registers on the same store adding the same reply at once record it once', async () => {
        const other = await open(path);
        opened.push(other);
        const results = await Promise.all([
          reg.addReply(newReply('e', 1), ACTOR),
          other.addReply(newReply('e', 1), { user: 'clerk-2', command: 'nv ingest' }),
        ]);
        expect(results.map((r) => r.created).sort()).toEqual([false, true]);
        expect(results[0]!.reply).toEqual(results[1]!.reply);
        expect((await reg.listReplies()).map((r) => r.id)).toEqual([results[0]!.reply.id]);
        expect((await other.counts()).documents).toBe(1);
        expect((await reg.audit()).filter((e) => e.action === 'ingest')).toHaveLength(1);
      });
    });

    describe('archive', () => {
      const bytesOf = (text: string) => new TextEncoder().encode(text);
      const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
      const readAll = async (it: AsyncIterable<Uint8Array>) => {
        const chunks: Uint8Array[] = [];
        for await (const c of it) chunks.push(c);
        return Buffer.concat(chunks);
      };
      async function* chunked(b: Uint8Array, size: number): AsyncIterable<Uint8Array> {
        for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
      }

      it('stores bytes under their SHA-256 once, and gives them back whole, listed in SHA-256 order', async () => {
        const a = bytesOf('%PDF-1.4 a scanned note verbale\n'.repeat(1000));
        const b = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
        expect(await reg.archive.has(sha(a))).toBe(false);
        await reg.archive.put(sha(a), a, { extension: 'pdf' });
        await reg.archive.put(sha(b), chunked(b, 65_536), { extension: 'bin', derived: true });
        await reg.archive.put(sha(a), a, { extension: 'pdf' }); // again: nothing changes
        await reg.archive.put(sha(b), b, { extension: 'bin' });
        expect(await reg.archive.has(sha(a))).toBe(true);
        expect(await reg.archive.has(sha(b))).toBe(true);
        expect((await readAll(reg.archive.read(sha(a)))).equals(Buffer.from(a))).toBe(true);
        expect((await readAll(reg.archive.read(sha(b)))).equals(Buffer.from(b))).toBe(true);
        const listed: ArchivedFile[] = [];
        for await (const f of reg.archive.list()) listed.push(f);
        expect(listed).toEqual(
          [
            { sha256: sha(a), size: a.length, extension: 'pdf' },
            { sha256: sha(b), size: b.length, extension: 'bin' },
          ].sort((x, y) => x.sha256.localeCompare(y.sha256)),
        );
        // Another register on the same store sees them.
        const other = await open(path);
        opened.push(other);
        expect(await other.archive.has(sha(b))).toBe(true);
      });

      it('a local file holds the bytes, for a program to open', async () => {
        const a = bytesOf('From: mission@example.org\r\nSubject: reply\r\n\r\nbody\r\n');
        await reg.archive.put(sha(a), a, { extension: 'eml' });
        const local = await reg.archive.localPath(sha(a));
        expect(readFileSync(local).equals(Buffer.from(a))).toBe(true);
      });

      it('refuses bytes whose SHA-256 is not the one given, storing nothing', async () => {
        const a = bytesOf('the real bytes');
        const wrong = sha(bytesOf('other bytes'));
        await expect(reg.archive.put(wrong, a, { extension: 'pdf' })).rejects.toThrow(/SHA-256/);
        await expect(reg.archive.put(wrong, chunked(a, 4), { extension: 'pdf' })).rejects.toThrow(/SHA-256/);
        expect(await reg.archive.has(wrong)).toBe(false);
        expect(await reg.archive.has(sha(a))).toBe(false);
        const listed: ArchivedFile[] = [];
        for await (const f of reg.archive.list()) listed.push(f);
        expect(listed).toEqual([]);
      });

      it('reading bytes it does not hold is a UserError naming their SHA-256', async () => {
        const unknown = 'f'.repeat(64);
        await expect(readAll(reg.archive.read(unknown))).rejects.toThrow(UserError);
        await expect(readAll(reg.archive.read(unknown))).rejects.toThrow(unknown);
        await expect(reg.archive.localPath(unknown)).rejects.toThrow(unknown);
      });
    });

    describe('messages', () => {
      it('records each message of a note with its Message-ID, addresses and status, in the audit log too', async () => {
        const [inv] = await reg.ensureDispatches([request('inv')], ACTOR);
        const [aut, and] = inv!.notes;
        const recorded = await reg.recordMessages(
          [message(aut!.id, 'AUT', 'a1'), { ...message(and!.id, 'AND', 'b1'), cc: [] }],
          ACTOR,
        );
        expect(recorded.map((m) => [m.noteId, m.recipient, m.messageId, m.status, m.channel])).toEqual([
          [aut!.id, 'AUT', 'nv.a1@example.org', 'drafted', 'drafts'],
          [and!.id, 'AND', 'nv.b1@example.org', 'drafted', 'drafts'],
        ]);
        expect(recorded[0]).toMatchObject({
          to: ['mission@aut.example.org'],
          cc: ['cc@aut.example.org'],
          subject: 'CU 2012/150',
          serverReply: null,
          reason: null,
        });
        expect(recorded[0]!.statusAt).toBe(recorded[0]!.createdAt);
        await reg.recordMessages([message(aut!.id, 'AUT', 'a2')], ACTOR);
        const again = await reopen();
        expect((await again.messagesOf([aut!.id])).map((m) => m.messageId)).toEqual([
          'nv.a1@example.org',
          'nv.a2@example.org',
        ]);
        expect((await again.messagesOf([and!.id, aut!.id])).length).toBe(3);
        expect(await again.messagesOf([])).toEqual([]);
        const audit = (await again.audit(3)).reverse();
        expect(audit.map((e) => [e.action, e.detail])).toEqual([
          [
            'message-drafted',
            { note: aut!.id, recipient: 'AUT', messageId: 'nv.a1@example.org', channel: 'drafts' },
          ],
          [
            'message-drafted',
            { note: and!.id, recipient: 'AND', messageId: 'nv.b1@example.org', channel: 'drafts' },
          ],
          [
            'message-drafted',
            { note: aut!.id, recipient: 'AUT', messageId: 'nv.a2@example.org', channel: 'drafts' },
          ],
        ]);
      });

      it('records all or none: a Message-ID already recorded, or a note that does not exist, records nothing', async () => {
        const [inv] = await reg.ensureDispatches([request('inv')], ACTOR);
        const [aut, and] = inv!.notes;
        await reg.recordMessages([message(aut!.id, 'AUT', 'a1')], ACTOR);
        const before = await reg.counts();
        await expect(
          reg.recordMessages([message(and!.id, 'AND', 'b1'), message(aut!.id, 'AUT', 'a1')], ACTOR),
        ).rejects.toThrow();
        await expect(
          reg.recordMessages([message(and!.id, 'AND', 'b2'), message(9999, 'XXX', 'x')], ACTOR),
        ).rejects.toThrow();
        expect(await reg.counts()).toEqual(before);
        expect(await reg.messagesOf([and!.id])).toEqual([]);
      });
    });

    describe('sending by SMTP: claimSending, changeMessageStatus, messagesById, messagesWithStatus', () => {
      const smtp = (noteId: number, recipient: string, id: string) => {
        const { status: _s, channel: _c, ...m } = message(noteId, recipient, id);
        return m;
      };

      it('claims a note once: recorded sending by smtp, then blocked while sending or sent, free again after a failure', async () => {
        const [inv] = await reg.ensureDispatches([request('inv')], ACTOR);
        const [aut] = inv!.notes;
        const first = await reg.claimSending(smtp(aut!.id, 'AUT', 's1'), ACTOR);
        expect(first.claimed).toBe(true);
        expect(first.message).toMatchObject({
          status: 'sending',
          channel: 'smtp',
          messageId: 'nv.s1@example.org',
        });
        const second = await reg.claimSending(smtp(aut!.id, 'AUT', 's2'), ACTOR);
        expect(second).toEqual({ claimed: false, message: first.message });
        expect(await reg.messagesById(['nv.s2@example.org'])).toEqual([]);
        // A draft of the same note does not block sending, and sending does not block drafting.
        await reg.recordMessages([message(aut!.id, 'AUT', 'd1')], ACTOR);

        const sent = await reg.changeMessageStatus(
          first.message.id,
          ['sending'],
          { status: 'sent', serverReply: '250 2.0.0 Ok: queued as 4F2' },
          ACTOR,
        );
        expect(sent).toMatchObject({
          status: 'sent',
          serverReply: '250 2.0.0 Ok: queued as 4F2',
          reason: null,
        });
        expect((await reg.claimSending(smtp(aut!.id, 'AUT', 's3'), ACTOR)).claimed).toBe(false);
        const again = await reg.claimSending(smtp(aut!.id, 'AUT', 's4'), ACTOR, { again: true });
        expect(again.claimed).toBe(true);
        // Never twice while one is sending, even with again.
        expect((await reg.claimSending(smtp(aut!.id, 'AUT', 's5'), ACTOR, { again: true })).claimed).toBe(
          false,
        );
        const failed = await reg.changeMessageStatus(
          again.message.id,
          ['sending'],
          { status: 'failed', serverReply: '550 5.1.1 No such user', reason: 'refused by the server' },
          ACTOR,
        );
        expect(failed).toMatchObject({ status: 'failed', reason: 'refused by the server' });
        expect((await reg.claimSending(smtp(aut!.id, 'AUT', 's6'), ACTOR, { again: true })).claimed).toBe(
          true,
        );

        const reopened = await reopen();
        expect((await reopened.messagesOf([aut!.id])).map((m) => [m.messageId, m.channel, m.status])).toEqual(
          [
            ['nv.s1@example.org', 'smtp', 'sent'],
            ['nv.d1@example.org', 'drafts', 'drafted'],
            ['nv.s4@example.org', 'smtp', 'failed'],
            ['nv.s6@example.org', 'smtp', 'sending'],
          ],
        );
        const audit = (await reopened.audit(6)).reverse();
        expect(audit.map((e) => [e.action, e.detail.messageId, e.detail.from ?? null])).toEqual([
          ['message-sending', 'nv.s1@example.org', null],
          ['message-drafted', 'nv.d1@example.org', null],
          ['message-sent', 'nv.s1@example.org', 'sending'],
          ['message-sending', 'nv.s4@example.org', null],
          ['message-failed', 'nv.s4@example.org', 'sending'],
          ['message-sending', 'nv.s6@example.org', null],
        ]);
        expect(audit[2]!.detail).toEqual({
          note: aut!.id,
          recipient: 'AUT',
          messageId: 'nv.s1@example.org',
          from: 'sending',
          serverReply: '250 2.0.0 Ok: queued as 4F2',
        });
        expect(audit[4]!.detail).toMatchObject({
          reason: 'refused by the server',
          serverReply: '550 5.1.1 No such user',
        });
      });

      it('changes a status only from the statuses named; otherwise records nothing and answers null', async () => {
        const [inv] = await reg.ensureDispatches([request('inv')], ACTOR);
        const [aut] = inv!.notes;
        const { message: m } = await reg.claimSending(smtp(aut!.id, 'AUT', 'x1'), ACTOR);
        await reg.changeMessageStatus(m.id, ['sending'], { status: 'sent', serverReply: '250 ok' }, ACTOR);
        const before = await reg.counts();
        expect(
          await reg.changeMessageStatus(m.id, ['sending'], { status: 'failed', reason: 'late' }, ACTOR),
        ).toBeNull();
        expect(await reg.counts()).toEqual(before);
        const bounced = await reg.changeMessageStatus(
          m.id,
          ['sent', 'drafted'],
          { status: 'bounced', reason: '550 5.1.1 mailbox unknown' },
          ACTOR,
        );
        // The server's reply at sending is kept; the reason is the bounce's.
        expect(bounced).toMatchObject({
          status: 'bounced',
          serverReply: '250 ok',
          reason: '550 5.1.1 mailbox unknown',
        });
        expect(bounced!.statusAt >= m.statusAt).toBe(true);
        await expect(reg.changeMessageStatus(9999, ['sent'], { status: 'bounced' }, ACTOR)).rejects.toThrow();
      });

      it('finds messages by Message-ID and by status, oldest first', async () => {
        const [inv] = await reg.ensureDispatches([request('inv')], ACTOR);
        const [aut, and] = inv!.notes;
        await reg.recordMessages([message(aut!.id, 'AUT', 'd1'), message(and!.id, 'AND', 'd2')], ACTOR);
        const { message: s } = await reg.claimSending(smtp(and!.id, 'AND', 's1'), ACTOR);
        expect(
          (await reg.messagesById(['nv.s1@example.org', 'nv.d1@example.org', 'unknown@x'])).map(
            (m) => m.messageId,
          ),
        ).toEqual(['nv.d1@example.org', 'nv.s1@example.org']);
        expect(await reg.messagesById([])).toEqual([]);
        expect((await reg.messagesWithStatus(['sending'])).map((m) => m.id)).toEqual([s.id]);
        expect((await reg.messagesWithStatus(['drafted', 'sending'])).map((m) => m.messageId)).toEqual([
          'nv.d1@example.org',
          'nv.d2@example.org',
          'nv.s1@example.org',
        ]);
        expect(await reg.messagesWithStatus([])).toEqual([]);
      });

      it('two registers claiming the same notes at once: each note claimed exactly once', async () => {
        const [inv] = await reg.ensureDispatches([request('inv')], ACTOR);
        const [aut, and] = inv!.notes;
        const other = await open(path);
        opened.push(other);
        const claims = await Promise.all(
          Array.from({ length: 12 }, (_, i) => {
            const [r, note] = [i % 2 ? reg : other, i % 3 ? aut! : and!];
            return r.claimSending(smtp(note.id, note.recipient, `c${i}`), ACTOR);
          }),
        );
        const claimed = claims
          .filter((c) => c.claimed)
          .map((c) => c.message.recipient)
          .sort();
        expect(claimed).toEqual(['AND', 'AUT']);
        expect((await reg.messagesWithStatus(['sending'])).length).toBe(2);
      });
    });

    describe('replies answering a message (thread)', () => {
      it('a reply records the message it answers, read back and exported as answers_message', async () => {
        const [inv] = await reg.ensureDispatches([request('inv')], ACTOR);
        const [aut] = inv!.notes;
        await reg.recordMessages([message(aut!.id, 'AUT', 't1')], ACTOR);
        const { reply } = await reg.addReply(
          { ...newReply('7', 0), state: 'AUT', stateSource: 'thread', answers: 'nv.t1@example.org' },
          ACTOR,
        );
        expect(reply).toMatchObject({ answers: 'nv.t1@example.org', stateSource: 'thread' });
        const again = await reopen();
        expect((await again.getReply(reply.id))?.answers).toBe('nv.t1@example.org');
        expect((await again.listReplies()).map((r) => r.answers)).toEqual(['nv.t1@example.org']);
        const rows: TableRow[] = [];
        for await (const batch of again.exportRows('replies')) rows.push(...batch);
        expect(rows.map((r) => r.answers_message)).toEqual(['nv.t1@example.org']);
        const { reply: other } = await reg.addReply(newReply('8', 0), ACTOR);
        expect(other.answers).toBeNull();
      });

      it('a reply cannot answer a Message-ID nv never recorded: nothing is recorded', async () => {
        const before = await reg.counts();
        await expect(
          reg.addReply({ ...newReply('9', 1), answers: 'nv.never@example.org' }, ACTOR),
        ).rejects.toThrow();
        expect(await reg.counts()).toEqual(before);
      });
    });

    describe('history: exportRows, importRows, counts', () => {
      const officer: Actor = { user: 'officer', command: 'nv ref set-next 150' };

      /** A register's history as a clerk and an officer make it, touching every table. */
      async function makeHistory(r: Register): Promise<void> {
        await r.setNext('CU', 2012, 150, officer);
        const [inv, rem] = await r.ensureDispatches(
          [
            request('inv'),
            request('rem', {
              kind: 'individual',
              template: 'reminder',
              notes: [{ recipient: 'FRA', variant: '' }],
            }),
          ],
          ACTOR,
        );
        await r.recordNotesWritten(
          inv!.notes.map((n) => ({
            noteId: n.id,
            inputHash: `h-${n.recipient}`,
            files: { [`out/${n.recipient}.pdf`]: 'ab'.repeat(32) },
          })),
          ACTOR,
        );
        await r.voidDispatch(rem!.dispatch.id, 'wrong date', officer);
        await r.ensureDispatches([request('rem', { kind: 'individual', template: 'reminder' })], ACTOR);
        const { reply: kept } = await r.addReply(newReply('1', 2), ACTOR);
        await r.updateReply(
          kept.id,
          { state: 'AUT', decision: { status: 'accepted', reason: 'original by post' } },
          officer,
        );
        const { reply: gone } = await r.addReply(newReply('2', 1), ACTOR);
        await r.removeReply(gone.id, 'a README, not a reply', ACTOR);
        const list = (sha256: string, names: string[]) => ({
          state: 'AUT',
          replyId: kept.id,
          sha256,
          sourceName: 'austria.csv',
          encoding: 'utf-8',
          delimiter: ',',
          warnings: ['a warning'],
          participants: names.map((n, i) => participant(n, i)),
        });
        await r.importDelegations([list('3'.repeat(64), ['Anna Berger', 'Karl Huber'])], ACTOR);
        await r.importDelegations([list('4'.repeat(64), ['Anna Berger', 'Eva Novak', 'Jörg Weiß'])], ACTOR);
        await r.recordMessages([message(inv!.notes[0]!.id, inv!.notes[0]!.recipient, 'm1')], ACTOR);
        // A reply answering that message: replies.answers_message points at messages, copied after.
        await r.addReply({ ...newReply('6', 0), answers: 'nv.m1@example.org' }, ACTOR);
      }

      async function exportAll(r: Register): Promise<Record<TableName, TableRow[]>> {
        const out = {} as Record<TableName, TableRow[]>;
        for (const table of TABLES) {
          out[table] = [];
          for await (const batch of r.exportRows(table)) out[table].push(...batch);
        }
        return out;
      }

      it('exports every table as stored, and counts its rows', async () => {
        await makeHistory(reg);
        const rows = await exportAll(reg);
        const counts = await reg.counts();
        expect(counts).toEqual(Object.fromEntries(TABLES.map((t) => [t, rows[t].length])));
        expect(counts).toMatchObject({
          counters: 1,
          dispatches: 3,
          notes: 5,
          replies: 3,
          documents: 3,
          delegation_lists: 2,
          participants: 5,
          messages: 1,
        });
        expect(rows.messages.map((m) => [m.recipient, m.status, m.to, m.cc])).toEqual([
          ['AUT', 'drafted', '["mission@aut.example.org"]', '["cc@aut.example.org"]'],
        ]);
        expect(rows.dispatches.map((d) => [d.seq, d.key, d.status, d.void_reason])).toEqual([
          [150, 'inv', 'active', null],
          [151, 'rem', 'void', 'wrong date'],
          [152, 'rem', 'active', null],
        ]);
        expect(rows.counters).toEqual([{ series: 'CU', year: 2012, next: 153 }]);
        const note = rows.notes.find((n) => n.recipient === 'AUT')!;
        expect(JSON.parse(note.files as string)).toEqual({ 'out/AUT.pdf': 'ab'.repeat(32) });
        expect(rows.documents.map((d) => d.forwarded)).toEqual([0, 1, 0]);
        expect(rows.replies.map((r) => [r.decision, r.removed_reason, r.answers_message])).toEqual([
          ['accepted', null, null],
          [null, 'a README, not a reply', null],
          [null, null, 'nv.m1@example.org'],
        ]);
        const [first, second] = rows.delegation_lists;
        expect(first!.superseded_by).toBe(second!.id);
        expect(second!.superseded_by).toBeNull();
        expect(rows.audit.map((e) => e.action)).toEqual([
          'set-next',
          'allocate',
          'allocate',
          'write-note',
          'write-note',
          'void',
          'allocate',
          'ingest',
          'reply-change',
          'ingest',
          'reply-remove',
          'import-delegation',
          'import-delegation',
          'message-drafted',
          'ingest',
        ]);
        for (const e of rows.audit) expect(typeof e.detail).toBe('string');
      });

      it('imports into an empty register every row as exported, ids kept, then one copy-in audit entry', async () => {
        await makeHistory(reg);
        const source = await exportAll(reg);
        const target = await open(join(dir, 'copy', '.nv', 'registry.sqlite'));
        opened.push(target);
        const copier: Actor = { user: 'officer', command: 'nv db copy --to elsewhere' };
        await target.importRows((table) => reg.exportRows(table), copier);
        const copied = await exportAll(target);
        for (const table of TABLES.filter((t) => t !== 'audit'))
          expect(copied[table], table).toEqual(source[table]);
        expect(copied.audit.slice(0, -1)).toEqual(source.audit);
        const last = copied.audit.at(-1)!;
        expect(last).toMatchObject({ user: 'officer', command: copier.command, action: 'copy-in' });
        expect((last.id as number) > (source.audit.at(-1)!.id as number)).toBe(true);
        const detail = JSON.parse(last.detail as string) as { from: unknown; counts: Record<string, number> };
        expect(detail.counts).toEqual(Object.fromEntries(TABLES.map((t) => [t, source[t].length])));
        expect(typeof detail.from).toBe('string');
        expect(await target.counts()).toEqual({ ...(await reg.counts()), audit: source.audit.length + 1 });

        // The copy is a working register: what it reads is what the source reads, its ids go on.
        expect(await target.listDispatches()).toEqual(await reg.listDispatches());
        expect(await target.listReplies({ includeRemoved: true })).toEqual(
          await reg.listReplies({ includeRemoved: true }),
        );
        expect(await target.currentDelegations()).toEqual(await reg.currentDelegations());
        expect(await target.delegationHistory('AUT')).toEqual(await reg.delegationHistory('AUT'));
        const noteIds = source.notes.map((n) => n.id as number);
        expect(await target.messagesOf(noteIds)).toEqual(await reg.messagesOf(noteIds));
        expect(await target.peekNext('CU', 2012, 150)).toBe(153);
        const [next] = await target.ensureDispatches([request('after-copy')], ACTOR);
        expect(next!.dispatch.seq).toBe(153);
        expect(next!.dispatch.id).toBe(Math.max(...source.dispatches.map((d) => d.id as number)) + 1);
        const { reply } = await target.addReply(newReply('5', 1), ACTOR);
        expect(reply.id).toBe(Math.max(...source.replies.map((r) => r.id as number)) + 1);
      });

      it('refuses to import into a register that holds anything, changing nothing', async () => {
        await makeHistory(reg);
        const target = await open(join(dir, 'busy', '.nv', 'registry.sqlite'));
        opened.push(target);
        await target.setNext('TO', 2013, 7, officer);
        const before = await exportAll(target);
        await expect(target.importRows((table) => reg.exportRows(table), ACTOR)).rejects.toThrow(UserError);
        expect(await exportAll(target)).toEqual(before);
      });
    });
  });
}

/** A reply whose bytes are `sha` repeated, carrying `documents` documents. */
function newReply(sha: string, documents: number): NewReply {
  return {
    sha256: sha.repeat(64),
    fileKind: 'eml',
    originalName: 'reply.eml',
    channel: 'email',
    state: null,
    stateSource: null,
    receivedAt: '2012-09-20T08:00:00.000Z',
    receivedSource: 'received-header',
    receivedProblem: null,
    sender: 'mission@austria.example',
    senderDomain: 'austria.example',
    subject: 'Reply to CU 2012/150',
    messageId: `<${sha}@austria.example>`,
    answers: null,
    cited: ['CU 2012/150'],
    problems: [],
    documents: Array.from({ length: documents }, (_, i) => ({
      sha256: `${sha}${i}`.padEnd(64, 'a'),
      name: `document-${i + 1}.pdf`,
      declaredType: 'application/pdf',
      fileKind: 'pdf',
      size: 1000 + i,
      class: 'scanned',
      reason: 'every page an image',
      measurements: { pages: 1, encrypted: false },
      forwarded: i === 1,
    })),
  };
}

/** A drafted message of a note. */
function message(noteId: number, recipient: string, id: string): NewMessage {
  return {
    noteId,
    recipient,
    messageId: `nv.${id}@example.org`,
    to: [`mission@${recipient.toLowerCase()}.example.org`],
    cc: [`cc@${recipient.toLowerCase()}.example.org`],
    subject: 'CU 2012/150',
    channel: 'drafts',
    status: 'drafted',
  };
}

/** One person of a delegation list. */
function participant(fullName: string, i: number): ParticipantInput {
  const [givenName = '', familyName = ''] = fullName.split(' ');
  return {
    line: i + 2,
    honorific: i % 2 ? 'Ms.' : 'Mr.',
    givenName,
    familyName,
    fullName,
    title: 'Counsellor',
    organization: 'Federal Ministry',
    role: i === 0 ? 'head' : 'member',
    email: '',
    phone: '+43 1 000',
    meetings: ['ic'],
  };
}
