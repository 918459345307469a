import type Database from 'better-sqlite3';
import { dirname, join } from 'node:path';
import { PERSON_FIELDS, type ParticipantValues } from '../../participant-fields.js';
import { InternalError, UserError } from '../../errors.js';
import type { Actor, AuditEntry } from '../../audit.js';
import type { DelegationList, NewDelegationList, Participant } from '../../delegations/lists.js';
import type {
  Dispatch,
  DispatchRequest,
  EnsureResult,
  NoteRecord,
  SentNote,
  WrittenNote,
} from '../../references/records.js';
import type { DocumentRecord, NewReply, ReplyChange, ReplyRecord } from '../../replies/records.js';
import type {
  MessageChange,
  MessageRecord,
  MessageStatus,
  NewMessage,
  SendingClaim,
  SmtpMessage,
} from '../../dispatch/records.js';
import {
  MESSAGE_COLUMNS,
  blockingStatuses,
  messageAudit,
  messageChangeAudit,
  messageValues,
  toMessage,
} from '../rows.js';
import { TABLES, type Register, type TableName, type TableRow } from '../register.js';
import { FileArchive } from './archive.js';
import { Connection, type ConnectionOptions } from './connection.js';
import { MIGRATIONS } from './schema.js';

type Row = Record<string, unknown>;

/** Rows per batch of `exportRows`. */
const EXPORT_BATCH = 1000;

/** A table's name for SQL, only ever one of TABLES. */
function tableName(table: TableName): string {
  if (!(TABLES as readonly string[]).includes(table)) throw new InternalError(`no table ${String(table)}`);
  return table;
}

function toDispatch(r: Row): Dispatch {
  return {
    id: r.id as number,
    key: r.key as string,
    series: r.series as string,
    year: r.year as number,
    seq: r.seq as number,
    kind: r.kind as Dispatch['kind'],
    template: r.template as string,
    date: r.date as string,
    status: r.status as Dispatch['status'],
    voidReason: (r.void_reason as string | null) ?? null,
    createdAt: r.created_at as string,
  };
}

function toNote(r: Row): NoteRecord {
  return {
    id: r.id as number,
    dispatchId: r.dispatch_id as number,
    recipient: r.recipient as string,
    variant: r.variant as string,
    inputHash: (r.input_hash as string | null) ?? null,
    files: JSON.parse(r.files as string) as Record<string, string>,
    writtenAt: (r.written_at as string | null) ?? null,
  };
}

function toDocument(r: Row): DocumentRecord {
  return {
    id: r.id as number,
    position: r.position as number,
    sha256: r.sha256 as string,
    name: (r.name as string | null) ?? null,
    declaredType: (r.declared_type as string | null) ?? null,
    fileKind: r.file_kind as string,
    size: r.size as number,
    class: r.class as string,
    reason: r.reason as string,
    measurements: JSON.parse(r.measurements as string) as Record<string, unknown>,
    forwarded: r.forwarded === 1,
  };
}

function toReply(r: Row, documents: DocumentRecord[]): ReplyRecord {
  const str = (k: string) => (r[k] as string | null) ?? null;
  return {
    id: r.id as number,
    sha256: r.sha256 as string,
    fileKind: r.file_kind as string,
    originalName: str('original_name'),
    channel: str('channel') as ReplyRecord['channel'],
    state: str('state'),
    stateSource: str('state_source'),
    receivedAt: str('received_at'),
    receivedSource: str('received_source'),
    receivedProblem: str('received_problem'),
    sender: str('sender'),
    senderDomain: str('sender_domain'),
    subject: str('subject'),
    messageId: str('message_id'),
    cited: JSON.parse(r.cited as string) as string[],
    problems: JSON.parse(r.problems as string) as string[],
    documents,
    decision: str('decision') as ReplyRecord['decision'],
    decisionReason: str('decision_reason'),
    decidedBy: str('decided_by'),
    decidedAt: str('decided_at'),
    ingestedAt: r.ingested_at as string,
    removedAt: str('removed_at'),
    removedBy: str('removed_by'),
    removedReason: str('removed_reason'),
    answers: str('answers_message'),
  };
}

function toParticipant(r: Row): Participant {
  // The participant's columns are those of the participant table, in its order.
  const values = Object.fromEntries(
    PERSON_FIELDS.map((f) => [f.key, f.stored === 'json' ? JSON.parse(r[f.column] as string) : r[f.column]]),
  ) as ParticipantValues;
  return {
    id: r.id as number,
    listId: r.list_id as number,
    position: r.position as number,
    line: r.line as number,
    ...values,
  };
}

function toList(r: Row, participants: Participant[]): DelegationList {
  return {
    id: r.id as number,
    state: r.state as string,
    replyId: (r.reply_id as number | null) ?? null,
    sha256: r.sha256 as string,
    sourceName: (r.source_name as string | null) ?? null,
    encoding: r.encoding as string,
    delimiter: r.delimiter as string,
    warnings: JSON.parse(r.warnings as string) as string[],
    importedAt: r.imported_at as string,
    supersededBy: (r.superseded_by as number | null) ?? null,
    participants,
  };
}

/** The register in one SQLite file (WAL mode, busy timeout, one transaction per logical change). */
export class SqliteRegister implements Register {
  readonly db: Database.Database;
  /** The archive beside the database (`.nv/archive` for `.nv/registry.sqlite`). */
  readonly archive: FileArchive;
  readonly location: string;
  private readonly now: () => string;

  private readonly connection: Connection;

  constructor(path: string, options: { now?: () => string; location?: string } & ConnectionOptions = {}) {
    this.connection = new Connection(path, options);
    this.archive = new FileArchive(join(dirname(path), 'archive'));
    this.location = options.location ?? path;
    this.db = this.connection.db;
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.now = options.now ?? (() => new Date().toISOString());
    this.migrate();
  }

  private migrate(): void {
    // Read first: an up-to-date register needs no write lock (nor write access) to be opened.
    const current = this.db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length)
      throw new UserError(
        `The register was written by a newer nv (schema ${current}, this nv knows ${MIGRATIONS.length}); upgrade nv.`,
      );
    if (current === MIGRATIONS.length) return;
    const tx = this.db.transaction(() => {
      const version = this.db.pragma('user_version', { simple: true }) as number;
      for (let v = version; v < MIGRATIONS.length; v++) this.db.exec(MIGRATIONS[v]!);
      this.db.pragma(`user_version = ${MIGRATIONS.length}`);
    });
    // A register read into memory (no write access) is brought up to date there, never on disk.
    if (this.connection.readOnly) tx.immediate();
    else this.connection.write(tx);
  }

  private log(actor: Actor, action: string, detail: Record<string, unknown>): void {
    this.db
      .prepare('INSERT INTO audit (at, user, command, action, detail) VALUES (?, ?, ?, ?, ?)')
      .run(this.now(), actor.user, actor.command, action, JSON.stringify(detail));
  }

  /** The next number of (series, year), creating the counter at firstSeq. Inside a transaction. */
  private counter(series: string, year: number, firstSeq: number): number {
    const row = this.db
      .prepare('SELECT next FROM counters WHERE series = ? AND year = ?')
      .get(series, year) as { next: number } | undefined;
    const max = this.db
      .prepare('SELECT MAX(seq) AS m FROM dispatches WHERE series = ? AND year = ?')
      .get(series, year) as { m: number | null };
    const next = row?.next ?? firstSeq;
    // A counter set back by hand (or a first number below one in use) would collide: say how to fix it.
    if (max.m !== null && next <= max.m)
      throw new UserError(
        `The register's counter for ${series} ${year} gives ${next} as the next number, but ${series} ${year}/${max.m} is already allocated (the counter was set back outside nv); run "nv ref set-next ${max.m + 1} --series ${series} --year ${year}" and try again.`,
      );
    if (row) return row.next;
    this.db.prepare('INSERT INTO counters (series, year, next) VALUES (?, ?, ?)').run(series, year, firstSeq);
    return firstSeq;
  }

  async ensureDispatches(requests: DispatchRequest[], actor: Actor): Promise<EnsureResult[]> {
    const findActive = this.db.prepare("SELECT * FROM dispatches WHERE key = ? AND status = 'active'");
    const insertDispatch = this.db.prepare(
      `INSERT INTO dispatches (key, series, year, seq, kind, template, date, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    );
    const bump = this.db.prepare('UPDATE counters SET next = next + 1 WHERE series = ? AND year = ?');
    const findNote = this.db.prepare('SELECT * FROM notes WHERE dispatch_id = ? AND recipient = ?');
    const insertNote = this.db.prepare(
      'INSERT INTO notes (dispatch_id, recipient, variant) VALUES (?, ?, ?) RETURNING *',
    );
    const changeVariant = this.db.prepare(
      'UPDATE notes SET variant = ?, input_hash = NULL WHERE id = ? RETURNING *',
    );

    const tx = this.db.transaction((): EnsureResult[] =>
      requests.map((req) => {
        let row = findActive.get(req.key) as Row | undefined;
        let allocated = false;
        if (!row) {
          const seq = this.counter(req.series, req.year, req.firstSeq);
          row = insertDispatch.get(
            req.key,
            req.series,
            req.year,
            seq,
            req.kind,
            req.template,
            req.date,
            this.now(),
          ) as Row;
          bump.run(req.series, req.year);
          allocated = true;
          this.log(actor, 'allocate', {
            series: req.series,
            year: req.year,
            seq,
            key: req.key,
            template: req.template,
            kind: req.kind,
            notes: req.notes.length,
          });
        }
        const dispatch = toDispatch(row);
        const notes: NoteRecord[] = [];
        const added: string[] = [];
        for (const n of req.notes) {
          let note = findNote.get(dispatch.id, n.recipient) as Row | undefined;
          if (!note) {
            note = insertNote.get(dispatch.id, n.recipient, n.variant) as Row;
            added.push(n.recipient);
          } else if (note.variant !== n.variant) {
            this.log(actor, 'change-variant', {
              series: dispatch.series,
              year: dispatch.year,
              seq: dispatch.seq,
              recipient: n.recipient,
              from: note.variant,
              to: n.variant,
            });
            note = changeVariant.get(n.variant, note.id) as Row;
          }
          notes.push(toNote(note));
        }
        if (added.length && !allocated)
          this.log(actor, 'add-notes', {
            series: dispatch.series,
            year: dispatch.year,
            seq: dispatch.seq,
            recipients: added,
          });
        return { dispatch, allocated, notes };
      }),
    );
    // IMMEDIATE: take the write lock before reading the counter, so two processes serialise here.
    return this.connection.write(tx);
  }

  async recordNotesWritten(notes: WrittenNote[], actor: Actor): Promise<void> {
    const update = this.db.prepare(
      'UPDATE notes SET input_hash = ?, files = ?, written_at = ? WHERE id = ? RETURNING recipient',
    );
    const tx = this.db.transaction(() => {
      for (const n of notes) {
        const note = update.get(n.inputHash, JSON.stringify(n.files), this.now(), n.noteId) as
          Row | undefined;
        if (!note) throw new Error(`note ${n.noteId} does not exist`);
        this.log(actor, 'write-note', {
          note: n.noteId,
          recipient: note.recipient,
          files: Object.keys(n.files),
        });
      }
    });
    this.connection.write(tx);
  }

  async peekNext(series: string, year: number, firstSeq: number): Promise<number> {
    const row = this.db
      .prepare('SELECT next FROM counters WHERE series = ? AND year = ?')
      .get(series, year) as { next: number } | undefined;
    return row?.next ?? firstSeq;
  }

  async setNext(series: string, year: number, next: number, actor: Actor): Promise<void> {
    const tx = this.db.transaction(() => {
      const max = this.db
        .prepare('SELECT MAX(seq) AS m FROM dispatches WHERE series = ? AND year = ?')
        .get(series, year) as { m: number | null };
      if (max.m !== null && next <= max.m)
        throw new UserError(
          `${series} ${year}/${max.m} is already allocated; the next number must be above it (${max.m + 1} or more).`,
        );
      const before = this.db
        .prepare('SELECT next FROM counters WHERE series = ? AND year = ?')
        .get(series, year) as { next: number } | undefined;
      this.db
        .prepare(
          'INSERT INTO counters (series, year, next) VALUES (?, ?, ?) ON CONFLICT (series, year) DO UPDATE SET next = excluded.next',
        )
        .run(series, year, next);
      this.log(actor, 'set-next', { series, year, from: before?.next ?? null, to: next });
    });
    this.connection.write(tx);
  }

  async findDispatch(series: string, year: number, seq: number): Promise<Dispatch | undefined> {
    const r = this.db
      .prepare('SELECT * FROM dispatches WHERE series = ? AND year = ? AND seq = ?')
      .get(series, year, seq) as Row | undefined;
    return r && toDispatch(r);
  }

  async findActiveDispatchByKey(key: string): Promise<Dispatch | undefined> {
    const r = this.db.prepare("SELECT * FROM dispatches WHERE key = ? AND status = 'active'").get(key) as
      Row | undefined;
    return r && toDispatch(r);
  }

  async listDispatches(): Promise<Dispatch[]> {
    return (this.db.prepare('SELECT * FROM dispatches ORDER BY series, year, seq').all() as Row[]).map(
      toDispatch,
    );
  }

  async notesOf(dispatchId: number): Promise<NoteRecord[]> {
    return (
      this.db.prepare('SELECT * FROM notes WHERE dispatch_id = ? ORDER BY recipient').all(dispatchId) as Row[]
    ).map(toNote);
  }

  async voidDispatch(dispatchId: number, reason: string, actor: Actor): Promise<Dispatch> {
    const tx = this.db.transaction(() => {
      const r = this.db
        .prepare(
          "UPDATE dispatches SET status = 'void', void_reason = ? WHERE id = ? AND status = 'active' RETURNING *",
        )
        .get(reason, dispatchId) as Row | undefined;
      if (!r) throw new UserError('That reference is already void; nothing was changed.');
      const d = toDispatch(r);
      this.log(actor, 'void', { series: d.series, year: d.year, seq: d.seq, key: d.key, reason });
      return d;
    });
    return this.connection.write(tx);
  }

  async audit(limit?: number): Promise<AuditEntry[]> {
    return (this.db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit ?? -1) as Row[]).map(
      (r) => ({
        id: r.id as number,
        at: r.at as string,
        user: r.user as string,
        command: r.command as string,
        action: r.action as string,
        detail: JSON.parse(r.detail as string) as Record<string, unknown>,
      }),
    );
  }

  private documentsOf(replyId: number): DocumentRecord[] {
    return (
      this.db.prepare('SELECT * FROM documents WHERE reply_id = ? ORDER BY position').all(replyId) as Row[]
    ).map(toDocument);
  }

  async findReplyBySha(sha256: string): Promise<ReplyRecord | undefined> {
    const r =
      (this.db.prepare('SELECT * FROM replies WHERE sha256 = ?').get(sha256) as Row | undefined) ??
      (this.db
        .prepare(
          'SELECT r.* FROM replies r JOIN documents d ON d.reply_id = r.id WHERE d.sha256 = ? ORDER BY r.id LIMIT 1',
        )
        .get(sha256) as Row | undefined);
    return r && toReply(r, this.documentsOf(r.id as number));
  }

  async addReply(reply: NewReply, actor: Actor): Promise<{ reply: ReplyRecord; created: boolean }> {
    const tx = this.db.transaction((): { reply: ReplyRecord; created: boolean } => {
      const r = this.db
        .prepare(
          `INSERT INTO replies (sha256, file_kind, original_name, channel, state, state_source, received_at,
             received_source, received_problem, sender, sender_domain, subject, message_id, cited, problems, ingested_at,
             answers_message)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (sha256) DO NOTHING RETURNING *`,
        )
        .get(
          reply.sha256,
          reply.fileKind,
          reply.originalName,
          reply.channel,
          reply.state,
          reply.stateSource,
          reply.receivedAt,
          reply.receivedSource,
          reply.receivedProblem,
          reply.sender,
          reply.senderDomain,
          reply.subject,
          reply.messageId,
          JSON.stringify(reply.cited),
          JSON.stringify(reply.problems),
          this.now(),
          reply.answers,
        ) as Row | undefined;
      if (!r) {
        // The same bytes recorded already (by this or another process): the reply on record.
        const on = this.db.prepare('SELECT * FROM replies WHERE sha256 = ?').get(reply.sha256) as Row;
        return { reply: toReply(on, this.documentsOf(on.id as number)), created: false };
      }
      const insertDoc = this.db.prepare(
        `INSERT INTO documents (reply_id, position, sha256, name, declared_type, file_kind, size, class, reason, measurements, forwarded)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      reply.documents.forEach((d, i) =>
        insertDoc.run(
          r.id,
          i + 1,
          d.sha256,
          d.name,
          d.declaredType,
          d.fileKind,
          d.size,
          d.class,
          d.reason,
          JSON.stringify(d.measurements),
          d.forwarded ? 1 : 0,
        ),
      );
      this.log(actor, 'ingest', {
        reply: r.id,
        sha256: reply.sha256,
        state: reply.state,
        channel: reply.channel,
        received: reply.receivedAt,
        documents: reply.documents.map((d) => d.class),
        ...(reply.answers ? { answers: reply.answers } : {}),
      });
      return { reply: toReply(r, this.documentsOf(r.id as number)), created: true };
    });
    return this.connection.write(tx);
  }

  async getReply(id: number): Promise<ReplyRecord | undefined> {
    return this.replyById(id);
  }

  private replyById(id: number): ReplyRecord | undefined {
    const r = this.db.prepare('SELECT * FROM replies WHERE id = ?').get(id) as Row | undefined;
    return r && toReply(r, this.documentsOf(id));
  }

  async listReplies(opts: { includeRemoved?: boolean } = {}): Promise<ReplyRecord[]> {
    const docs = new Map<number, DocumentRecord[]>();
    for (const d of this.db.prepare('SELECT * FROM documents ORDER BY reply_id, position').all() as Row[]) {
      const list = docs.get(d.reply_id as number) ?? [];
      list.push(toDocument(d));
      docs.set(d.reply_id as number, list);
    }
    const where = opts.includeRemoved ? '' : 'WHERE removed_at IS NULL';
    return (this.db.prepare(`SELECT * FROM replies ${where} ORDER BY id`).all() as Row[]).map((r) =>
      toReply(r, docs.get(r.id as number) ?? []),
    );
  }

  async updateReply(id: number, change: ReplyChange, actor: Actor): Promise<ReplyRecord> {
    const tx = this.db.transaction(() => {
      const before = this.replyById(id);
      if (!before) throw new UserError(`There is no reply ${id}; "nv reply list" shows the replies.`);
      if (before.removedAt)
        throw new UserError(
          `Reply ${id} was removed (by ${before.removedBy}: ${before.removedReason}); a removed reply takes no decision.`,
        );
      const sets: string[] = [];
      const values: unknown[] = [];
      const detail: Record<string, unknown> = { reply: id };
      if (change.state !== undefined) {
        sets.push("state = ?, state_source = 'clerk'");
        values.push(change.state);
        detail.state = { from: before.state, to: change.state };
      }
      if (change.channel !== undefined) {
        sets.push('channel = ?');
        values.push(change.channel);
        detail.channel = { from: before.channel, to: change.channel };
      }
      if (change.receivedAt !== undefined) {
        sets.push("received_at = ?, received_source = 'clerk'");
        values.push(change.receivedAt);
        detail.received = { from: before.receivedAt, to: change.receivedAt };
      }
      if (change.decision !== undefined) {
        sets.push('decision = ?, decision_reason = ?, decided_by = ?, decided_at = ?');
        values.push(change.decision.status, change.decision.reason, actor.user, this.now());
        detail.decision = {
          from: before.decision,
          to: change.decision.status,
          reason: change.decision.reason,
        };
      }
      if (sets.length === 0) return before;
      this.db.prepare(`UPDATE replies SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
      this.log(actor, 'reply-change', detail);
      return this.replyById(id)!;
    });
    return this.connection.write(tx);
  }

  async removeReply(id: number, reason: string, actor: Actor): Promise<ReplyRecord> {
    const tx = this.db.transaction(() => {
      const before = this.replyById(id);
      if (!before) throw new UserError(`There is no reply ${id}; "nv reply list" shows the replies.`);
      if (before.removedAt)
        throw new UserError(
          `Reply ${id} was removed already, by ${before.removedBy} at ${before.removedAt}: ${before.removedReason}.`,
        );
      this.db
        .prepare('UPDATE replies SET removed_at = ?, removed_by = ?, removed_reason = ? WHERE id = ?')
        .run(this.now(), actor.user, reason, id);
      this.log(actor, 'reply-remove', {
        reply: id,
        reason,
        sha256: before.sha256,
        state: before.state,
        originalName: before.originalName,
      });
      return this.replyById(id)!;
    });
    return this.connection.write(tx);
  }

  async sentNotes(): Promise<SentNote[]> {
    const rows = this.db
      .prepare(
        `SELECT n.recipient, n.variant, n.written_at, d.* FROM notes n JOIN dispatches d ON d.id = n.dispatch_id
         WHERE d.status = 'active' ORDER BY d.series, d.year, d.seq, n.recipient`,
      )
      .all() as Row[];
    return rows.map((r) => ({
      recipient: r.recipient as string,
      variant: r.variant as string,
      writtenAt: (r.written_at as string | null) ?? null,
      dispatch: toDispatch(r),
    }));
  }

  private listsWhere(where: string, ...args: unknown[]): DelegationList[] {
    const lists = this.db.prepare(`SELECT * FROM delegation_lists WHERE ${where}`).all(...args) as Row[];
    if (lists.length === 0) return [];
    const ids = lists.map((l) => l.id as number);
    const people = new Map<number, Participant[]>();
    const rows = this.db
      .prepare(
        `SELECT * FROM participants WHERE list_id IN (${ids.map(() => '?').join(',')}) ORDER BY list_id, position`,
      )
      .all(...ids) as Row[];
    for (const p of rows) {
      const list = people.get(p.list_id as number) ?? [];
      list.push(toParticipant(p));
      people.set(p.list_id as number, list);
    }
    return lists.map((l) => toList(l, people.get(l.id as number) ?? []));
  }

  async importDelegations(
    lists: NewDelegationList[],
    actor: Actor,
  ): Promise<{ list: DelegationList; replaced: number | null; unchanged: boolean }[]> {
    const tx = this.db.transaction(() => lists.map((list) => this.importOne(list, actor)));
    return this.connection.write(tx);
  }

  /** Inside a transaction. */
  private importOne(
    list: NewDelegationList,
    actor: Actor,
  ): { list: DelegationList; replaced: number | null; unchanged: boolean } {
    {
      const current = this.listsWhere('state = ? AND superseded_by IS NULL', list.state)[0];
      if (current && current.sha256 === list.sha256)
        return { list: current, replaced: null, unchanged: true };
      // One current list per State (a unique index): take the old one out of "current" first
      // (pointing at itself for a moment), then at the list that replaces it.
      if (current)
        this.db.prepare('UPDATE delegation_lists SET superseded_by = id WHERE id = ?').run(current.id);
      const row = this.db
        .prepare(
          `INSERT INTO delegation_lists (state, reply_id, sha256, source_name, encoding, delimiter, warnings, imported_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        )
        .get(
          list.state,
          list.replyId,
          list.sha256,
          list.sourceName,
          list.encoding,
          list.delimiter,
          JSON.stringify(list.warnings),
          this.now(),
        ) as { id: number };
      if (current) {
        this.db.prepare('UPDATE delegation_lists SET superseded_by = ? WHERE id = ?').run(row.id, current.id);
      }
      const insert = this.db.prepare(
        `INSERT INTO participants (list_id, position, line, ${PERSON_FIELDS.map((f) => f.column).join(', ')})
         VALUES (?, ?, ?, ${PERSON_FIELDS.map(() => '?').join(', ')})`,
      );
      list.participants.forEach((p, i) =>
        insert.run(
          row.id,
          i + 1,
          p.line,
          ...PERSON_FIELDS.map((f) => (f.stored === 'json' ? JSON.stringify(p[f.key]) : p[f.key])),
        ),
      );
      this.log(actor, 'import-delegation', {
        state: list.state,
        list: row.id,
        participants: list.participants.length,
        source: list.sourceName,
        sha256: list.sha256,
        reply: list.replyId,
        replaces: current?.id ?? null,
      });
      return { list: this.listsWhere('id = ?', row.id)[0]!, replaced: current?.id ?? null, unchanged: false };
    }
  }

  async currentDelegations(): Promise<DelegationList[]> {
    // A list carried by a reply the clerk removed no longer counts, like the reply.
    return this.listsWhere(
      'superseded_by IS NULL AND (reply_id IS NULL OR reply_id NOT IN (SELECT id FROM replies WHERE removed_at IS NOT NULL)) ORDER BY state',
    );
  }

  async delegationHistory(state: string): Promise<DelegationList[]> {
    return this.listsWhere('state = ? ORDER BY id DESC', state);
  }

  /** Rows of one table as stored, by id (counters by series, year), in batches. */
  async *exportRows(table: TableName): AsyncIterable<TableRow[]> {
    const order = table === 'counters' ? 'series, year' : 'id';
    const select = this.db.prepare(`SELECT * FROM ${tableName(table)} ORDER BY ${order} LIMIT ? OFFSET ?`);
    for (let offset = 0; ; offset += EXPORT_BATCH) {
      const rows = select.all(EXPORT_BATCH, offset) as TableRow[];
      if (rows.length > 0) yield rows;
      if (rows.length < EXPORT_BATCH) return;
    }
  }

  async importRows(source: (table: TableName) => AsyncIterable<TableRow[]>, actor: Actor): Promise<void> {
    this.refuseNonEmpty();
    // The rows are read first (the register's rows, not the archive's bytes), then written in
    // one transaction, so that the write lock is held only while writing.
    const rows = new Map<TableName, TableRow[]>();
    for (const table of TABLES) {
      const all: TableRow[] = [];
      for await (const batch of source(table)) all.push(...batch);
      rows.set(table, all);
    }
    const tx = this.db.transaction(() => {
      this.refuseNonEmpty();
      // A list points at the later list that superseded it: checked at commit.
      this.db.pragma('defer_foreign_keys = ON');
      const counts = {} as Record<TableName, number>;
      for (const table of TABLES) {
        const list = rows.get(table)!;
        counts[table] = list.length;
        if (list.length === 0) continue;
        const columns = Object.keys(list[0]!);
        const odd = columns.find((c) => !/^[a-z][a-z0-9_]*$/.test(c));
        if (odd !== undefined)
          throw new InternalError(`a row of ${table} has a column named ${JSON.stringify(odd)}`);
        const insert = this.db.prepare(
          `INSERT INTO ${tableName(table)} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        );
        for (const row of list) insert.run(...columns.map((c) => row[c] ?? null));
      }
      this.log(actor, 'copy-in', { from: actor.command, counts });
    });
    this.connection.write(tx);
  }

  private refuseNonEmpty(): void {
    const counts = this.countRows();
    const filled = TABLES.filter((t) => counts[t] > 0);
    if (filled.length > 0)
      throw new UserError(
        `The register ${this.location} is not empty (${filled.map((t) => `${counts[t]} ${t}`).join(', ')}); copy into an empty register.`,
      );
  }

  private countRows(): Record<TableName, number> {
    return Object.fromEntries(
      TABLES.map((t) => [
        t,
        (this.db.prepare(`SELECT COUNT(*) AS n FROM ${tableName(t)}`).get() as { n: number }).n,
      ]),
    ) as Record<TableName, number>;
  }

  async counts(): Promise<Record<TableName, number>> {
    return this.countRows();
  }

  async recordMessages(messages: NewMessage[], actor: Actor): Promise<MessageRecord[]> {
    const insert = this.db.prepare(
      `INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    );
    const tx = this.db.transaction(() =>
      messages.map((m) => {
        const row = insert.get(...messageValues(m, this.now())) as Row;
        this.log(actor, ...messageAudit(m));
        return toMessage(row);
      }),
    );
    return this.connection.write(tx);
  }

  async messagesOf(noteIds: number[]): Promise<MessageRecord[]> {
    if (noteIds.length === 0) return [];
    const rows = this.db
      .prepare('SELECT * FROM messages WHERE note_id IN (SELECT value FROM json_each(?)) ORDER BY id')
      .all(JSON.stringify(noteIds)) as Row[];
    return rows.map(toMessage);
  }

  async claimSending(
    message: SmtpMessage,
    actor: Actor,
    opts: { again?: boolean } = {},
  ): Promise<SendingClaim> {
    const m: NewMessage = { ...message, channel: 'smtp', status: 'sending' };
    const tx = this.db.transaction((): SendingClaim => {
      const blocking = this.db
        .prepare(
          `SELECT * FROM messages WHERE note_id = ? AND channel = 'smtp'
             AND status IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT 1`,
        )
        .get(m.noteId, JSON.stringify(blockingStatuses(opts.again ?? false))) as Row | undefined;
      if (blocking) return { claimed: false, message: toMessage(blocking) };
      const row = this.db
        .prepare(
          `INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(...messageValues(m, this.now())) as Row;
      this.log(actor, ...messageAudit(m));
      return { claimed: true, message: toMessage(row) };
    });
    return this.connection.write(tx);
  }

  async changeMessageStatus(
    id: number,
    from: MessageStatus[],
    change: MessageChange,
    actor: Actor,
  ): Promise<MessageRecord | null> {
    const tx = this.db.transaction((): MessageRecord | null => {
      const row = this.db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as Row | undefined;
      if (!row) throw new InternalError(`no message ${id} in the register`);
      const before = toMessage(row);
      if (!from.includes(before.status)) return null;
      const after = this.db
        .prepare(
          'UPDATE messages SET status = ?, status_at = ?, server_reply = ?, reason = ? WHERE id = ? RETURNING *',
        )
        .get(
          change.status,
          this.now(),
          change.serverReply ?? before.serverReply,
          change.reason ?? before.reason,
          id,
        ) as Row;
      this.log(actor, ...messageChangeAudit(before, change));
      return toMessage(after);
    });
    return this.connection.write(tx);
  }

  async messagesById(messageIds: string[]): Promise<MessageRecord[]> {
    if (messageIds.length === 0) return [];
    const rows = this.db
      .prepare('SELECT * FROM messages WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY id')
      .all(JSON.stringify(messageIds)) as Row[];
    return rows.map(toMessage);
  }

  async messagesWithStatus(statuses: MessageStatus[]): Promise<MessageRecord[]> {
    if (statuses.length === 0) return [];
    const rows = this.db
      .prepare('SELECT * FROM messages WHERE status IN (SELECT value FROM json_each(?)) ORDER BY id')
      .all(JSON.stringify(statuses)) as Row[];
    return rows.map(toMessage);
  }

  async close(): Promise<void> {
    this.connection.close();
  }
}
