/**
 * The register in a PostgreSQL database, shared by several machines (issue 9).
 *
 * Every change is one transaction at READ COMMITTED. Allocation locks the (series, year) counter
 * row first, then looks for the key's active dispatch (each statement sees what other processes
 * committed), then takes `next` and bumps it, in the transaction that records the dispatch, its
 * notes and the audit entry: numbers stay gap-free and unique with any number of processes. A
 * unique violation or deadlock from a race with another process runs the whole transaction again.
 */
import type pg from 'pg';
import type { Actor, AuditEntry } from '../../audit.js';
import type { DelegationList, NewDelegationList } from '../../delegations/lists.js';
import { InternalError, UserError } from '../../errors.js';
import { PERSON_FIELDS } from '../../participant-fields.js';
import type {
  Dispatch,
  DispatchRequest,
  EnsureResult,
  NoteRecord,
  SentNote,
  WrittenNote,
} from '../../references/records.js';
import type { NewReply, ReplyChange, ReplyRecord, DocumentRecord } from '../../replies/records.js';
import type {
  MessageChange,
  MessageRecord,
  MessageStatus,
  NewMessage,
  SendingClaim,
  SmtpMessage,
} from '../../dispatch/records.js';
import { TABLES, type Register, type TableName, type TableRow } from '../register.js';
import {
  toAuditEntry,
  toDispatch,
  toDocument,
  toList,
  toNote,
  toParticipant,
  MESSAGE_COLUMNS,
  messageAudit,
  messageChangeAudit,
  blockingStatuses,
  messageValues,
  toMessage,
  toReply,
  type Row,
} from '../rows.js';
import { PostgresArchive } from './archive.js';
import { explainFault, inTransaction, openPool } from './connection.js';
import { checkVersion, schemaVersion } from './schema.js';
import type { PostgresSettings } from './settings.js';

type Client = pg.PoolClient;

/** How many times a transaction that lost a race with another process is run again. */
const RACE_RETRIES = 20;
/** Rows per batch of `exportRows`. */
const EXPORT_BATCH = 500;

/** The order `exportRows` gives each table's rows (the SQLite one: ids; counters by key, bytewise). */
const ORDER: Record<TableName, string> = {
  counters: 'series COLLATE "C", year',
  dispatches: 'id',
  notes: 'id',
  audit: 'id',
  replies: 'id',
  documents: 'id',
  delegation_lists: 'id',
  participants: 'id',
  messages: 'id',
};

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The largest number allocated in (series, year), if any. */
async function maxSeq(c: Client, series: string, year: number): Promise<number | null> {
  const r = await c.query<{ m: number | null }>(
    'SELECT MAX(seq) AS m FROM dispatches WHERE series = $1 AND year = $2',
    [series, year],
  );
  return r.rows[0]?.m ?? null;
}

export interface PostgresRegisterOptions {
  /** The workspace root: `localPath` materialises archived files under its `.nv/cache/archive/`. */
  workspace: string;
  now?: () => string;
  /** Connections in the pool (default 4). */
  max?: number;
}

export class PostgresRegister implements Register {
  readonly archive: PostgresArchive;
  readonly location: string;
  private readonly now: () => string;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly settings: PostgresSettings,
    options: PostgresRegisterOptions,
  ) {
    this.location = settings.location;
    this.now = options.now ?? (() => new Date().toISOString());
    this.archive = new PostgresArchive(pool, settings, options.workspace, this.now);
  }

  /**
   * Connects and checks the schema version: a database older than this nv (or never migrated)
   * is refused with "run nv db migrate", a newer one with "upgrade nv", both versions named.
   */
  static async open(settings: PostgresSettings, options: PostgresRegisterOptions): Promise<PostgresRegister> {
    const pool = await openPool(settings, options.max ?? 4);
    try {
      checkVersion(await schemaVersion(pool), settings.target);
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw explainFault(e, settings);
    }
    return new PostgresRegister(pool, settings, options);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** A read outside any transaction. */
  private async query(sql: string, values: unknown[] = []): Promise<Row[]> {
    try {
      return (await this.pool.query(sql, values)).rows as Row[];
    } catch (e) {
      throw explainFault(e, this.settings);
    }
  }

  private tx<T>(body: (c: Client) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, this.settings, body, RACE_RETRIES);
  }

  private async log(c: Client, actor: Actor, action: string, detail: Record<string, unknown>): Promise<void> {
    await c.query('INSERT INTO audit (at, "user", command, action, detail) VALUES ($1, $2, $3, $4, $5)', [
      this.now(),
      actor.user,
      actor.command,
      action,
      JSON.stringify(detail),
    ]);
  }

  // --- references and dispatches -------------------------------------------------------------

  /** Inside a transaction: locks (series, year)'s counter row, creating it at firstSeq. */
  private async lockCounter(c: Client, series: string, year: number, firstSeq: number): Promise<number> {
    await c.query('INSERT INTO counters (series, year, next) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      series,
      year,
      firstSeq,
    ]);
    const r = await c.query<{ next: number }>(
      'SELECT next FROM counters WHERE series = $1 AND year = $2 FOR UPDATE',
      [series, year],
    );
    return r.rows[0]!.next;
  }

  /** Inside a transaction, the counter locked: the next number, refused when set back by hand. */
  private async allocate(c: Client, series: string, year: number, next: number): Promise<number> {
    const m = await maxSeq(c, series, year);
    if (m !== null && next <= m)
      throw new UserError(
        `The register's counter for ${series} ${year} gives ${next} as the next number, but ${series} ${year}/${m} is already allocated (the counter was set back outside nv); run "nv ref set-next ${m + 1} --series ${series} --year ${year}" and try again.`,
      );
    const r = await c.query<{ seq: number }>(
      'UPDATE counters SET next = next + 1 WHERE series = $1 AND year = $2 RETURNING next - 1 AS seq',
      [series, year],
    );
    return r.rows[0]!.seq;
  }

  private async ensureOne(c: Client, req: DispatchRequest, actor: Actor): Promise<EnsureResult> {
    const findActive = async () =>
      (await c.query("SELECT * FROM dispatches WHERE key = $1 AND status = 'active'", [req.key])).rows[0] as
        Row | undefined;
    let row = await findActive();
    let allocated = false;
    if (!row) {
      const next = await this.lockCounter(c, req.series, req.year, req.firstSeq);
      // Another process may have recorded this key while we waited for the counter.
      row = await findActive();
      if (!row) {
        const seq = await this.allocate(c, req.series, req.year, next);
        row = (
          await c.query(
            `INSERT INTO dispatches (key, series, year, seq, kind, template, date, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
            [req.key, req.series, req.year, seq, req.kind, req.template, req.date, this.now()],
          )
        ).rows[0] as Row;
        allocated = true;
        await this.log(c, actor, 'allocate', {
          series: req.series,
          year: req.year,
          seq,
          key: req.key,
          template: req.template,
          kind: req.kind,
          notes: req.notes.length,
        });
      }
    }
    const dispatch = toDispatch(row);
    // One statement reads the dispatch's notes and one inserts those missing (195 notes: 2 round
    // trips, not 390); a changed variant, rare, is updated one by one with its audit entry.
    const byRecipient = new Map<string, Row>(
      ((await c.query('SELECT * FROM notes WHERE dispatch_id = $1', [dispatch.id])).rows as Row[]).map(
        (n) => [n.recipient as string, n],
      ),
    );
    const missing = req.notes.filter((n) => !byRecipient.has(n.recipient));
    if (missing.length > 0) {
      const inserted = await c.query(
        `INSERT INTO notes (dispatch_id, recipient, variant)
         SELECT $1, t.recipient, t.variant FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(recipient, variant, n)
         ORDER BY t.n RETURNING *`,
        [dispatch.id, missing.map((n) => n.recipient), missing.map((n) => n.variant)],
      );
      for (const n of inserted.rows as Row[]) byRecipient.set(n.recipient as string, n);
    }
    const added = missing.map((n) => n.recipient);
    const notes: NoteRecord[] = [];
    for (const n of req.notes) {
      let note = byRecipient.get(n.recipient)!;
      if (note.variant !== n.variant) {
        await this.log(c, actor, 'change-variant', {
          series: dispatch.series,
          year: dispatch.year,
          seq: dispatch.seq,
          recipient: n.recipient,
          from: note.variant,
          to: n.variant,
        });
        note = (
          await c.query('UPDATE notes SET variant = $1, input_hash = NULL WHERE id = $2 RETURNING *', [
            n.variant,
            note.id,
          ])
        ).rows[0] as Row;
      }
      notes.push(toNote(note));
    }
    if (added.length && !allocated)
      await this.log(c, actor, 'add-notes', {
        series: dispatch.series,
        year: dispatch.year,
        seq: dispatch.seq,
        recipients: added,
      });
    return { dispatch, allocated, notes };
  }

  ensureDispatches(requests: DispatchRequest[], actor: Actor): Promise<EnsureResult[]> {
    return this.tx(async (c) => {
      const out: EnsureResult[] = [];
      for (const req of requests) out.push(await this.ensureOne(c, req, actor));
      return out;
    });
  }

  recordNotesWritten(notes: WrittenNote[], actor: Actor): Promise<void> {
    if (notes.length === 0) return Promise.resolve();
    return this.tx(async (c) => {
      // One UPDATE for the batch and one INSERT of its audit entries, in the notes' order.
      const updated = (
        await c.query(
          `UPDATE notes SET input_hash = t.input_hash, files = t.files, written_at = $4
           FROM unnest($1::int[], $2::text[], $3::text[]) AS t(id, input_hash, files)
           WHERE notes.id = t.id RETURNING notes.id, notes.recipient`,
          [
            notes.map((n) => n.noteId),
            notes.map((n) => n.inputHash),
            notes.map((n) => JSON.stringify(n.files)),
            this.now(),
          ],
        )
      ).rows as Row[];
      const recipient = new Map(updated.map((r) => [Number(r.id), r.recipient as string]));
      const absent = notes.find((n) => !recipient.has(n.noteId));
      if (absent) throw new Error(`note ${absent.noteId} does not exist`);
      await c.query(
        `INSERT INTO audit (at, "user", command, action, detail)
         SELECT $1, $2, $3, 'write-note', t.detail FROM unnest($4::text[]) WITH ORDINALITY AS t(detail, n) ORDER BY t.n`,
        [
          this.now(),
          actor.user,
          actor.command,
          notes.map((n) =>
            JSON.stringify({
              note: n.noteId,
              recipient: recipient.get(n.noteId),
              files: Object.keys(n.files),
            }),
          ),
        ],
      );
    });
  }

  async peekNext(series: string, year: number, firstSeq: number): Promise<number> {
    const r = await this.query('SELECT next FROM counters WHERE series = $1 AND year = $2', [series, year]);
    return (r[0]?.next as number | undefined) ?? firstSeq;
  }

  setNext(series: string, year: number, next: number, actor: Actor): Promise<void> {
    return this.tx(async (c) => {
      // The counter row locked first, as allocation does: no number is taken while it changes.
      const lock = 'SELECT next FROM counters WHERE series = $1 AND year = $2 FOR UPDATE';
      const before = (await c.query<{ next: number }>(lock, [series, year])).rows[0]?.next ?? null;
      if (before === null) {
        await c.query(
          'INSERT INTO counters (series, year, next) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [series, year, next],
        );
        await c.query(lock, [series, year]);
      }
      const m = await maxSeq(c, series, year);
      if (m !== null && next <= m)
        throw new UserError(
          `${series} ${year}/${m} is already allocated; the next number must be above it (${m + 1} or more).`,
        );
      await c.query('UPDATE counters SET next = $3 WHERE series = $1 AND year = $2', [series, year, next]);
      await this.log(c, actor, 'set-next', {
        series,
        year,
        from: before,
        to: next,
      });
    });
  }

  async findDispatch(series: string, year: number, seq: number): Promise<Dispatch | undefined> {
    const r = await this.query('SELECT * FROM dispatches WHERE series = $1 AND year = $2 AND seq = $3', [
      series,
      year,
      seq,
    ]);
    return r[0] && toDispatch(r[0]);
  }

  async findActiveDispatchByKey(key: string): Promise<Dispatch | undefined> {
    const r = await this.query("SELECT * FROM dispatches WHERE key = $1 AND status = 'active'", [key]);
    return r[0] && toDispatch(r[0]);
  }

  async listDispatches(): Promise<Dispatch[]> {
    return (await this.query('SELECT * FROM dispatches ORDER BY series COLLATE "C", year, seq')).map(
      toDispatch,
    );
  }

  async notesOf(dispatchId: number): Promise<NoteRecord[]> {
    return (
      await this.query('SELECT * FROM notes WHERE dispatch_id = $1 ORDER BY recipient COLLATE "C"', [
        dispatchId,
      ])
    ).map(toNote);
  }

  voidDispatch(dispatchId: number, reason: string, actor: Actor): Promise<Dispatch> {
    return this.tx(async (c) => {
      const r = (
        await c.query(
          "UPDATE dispatches SET status = 'void', void_reason = $1 WHERE id = $2 AND status = 'active' RETURNING *",
          [reason, dispatchId],
        )
      ).rows[0] as Row | undefined;
      if (!r) throw new UserError('That reference is already void; nothing was changed.');
      const d = toDispatch(r);
      await this.log(c, actor, 'void', { series: d.series, year: d.year, seq: d.seq, key: d.key, reason });
      return d;
    });
  }

  async sentNotes(): Promise<SentNote[]> {
    const rows = await this.query(
      `SELECT n.recipient, n.variant, n.written_at, d.* FROM notes n JOIN dispatches d ON d.id = n.dispatch_id
       WHERE d.status = 'active' ORDER BY d.series COLLATE "C", d.year, d.seq, n.recipient COLLATE "C"`,
    );
    return rows.map((r) => ({
      recipient: r.recipient as string,
      variant: r.variant as string,
      writtenAt: (r.written_at as string | null) ?? null,
      dispatch: toDispatch(r),
    }));
  }

  async audit(limit?: number): Promise<AuditEntry[]> {
    const rows =
      limit === undefined
        ? await this.query('SELECT * FROM audit ORDER BY id DESC')
        : await this.query('SELECT * FROM audit ORDER BY id DESC LIMIT $1', [limit]);
    return rows.map(toAuditEntry);
  }

  // --- replies -------------------------------------------------------------------------------

  private async documentsOf(q: Pick<pg.ClientBase, 'query'>, replyId: number): Promise<DocumentRecord[]> {
    return (
      (await q.query('SELECT * FROM documents WHERE reply_id = $1 ORDER BY position', [replyId]))
        .rows as Row[]
    ).map(toDocument);
  }

  private async replyIn(
    q: Pick<pg.ClientBase, 'query'>,
    where: string,
    value: unknown,
  ): Promise<ReplyRecord | undefined> {
    const r = (await q.query(`SELECT * FROM replies WHERE ${where}`, [value])).rows[0] as Row | undefined;
    return r && toReply(r, await this.documentsOf(q, r.id as number));
  }

  async findReplyBySha(sha256: string): Promise<ReplyRecord | undefined> {
    try {
      return (
        (await this.replyIn(this.pool, 'sha256 = $1', sha256)) ??
        (await this.replyIn(
          this.pool,
          'id = (SELECT reply_id FROM documents WHERE sha256 = $1 ORDER BY reply_id LIMIT 1)',
          sha256,
        ))
      );
    } catch (e) {
      throw explainFault(e, this.settings);
    }
  }

  addReply(reply: NewReply, actor: Actor): Promise<{ reply: ReplyRecord; created: boolean }> {
    return this.tx(async (c) => {
      // Another process inserting the same bytes: this insert waits for its commit, then does nothing.
      const r = (
        await c.query(
          `INSERT INTO replies (sha256, file_kind, original_name, channel, state, state_source, received_at,
             received_source, received_problem, sender, sender_domain, subject, message_id, cited, problems, ingested_at,
             answers_message)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
           ON CONFLICT (sha256) DO NOTHING RETURNING *`,
          [
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
          ],
        )
      ).rows[0] as Row | undefined;
      if (!r) {
        const existing = await this.replyIn(c, 'sha256 = $1', reply.sha256);
        if (!existing) throw new Error(`reply ${reply.sha256} conflicted but cannot be read`);
        return { reply: existing, created: false };
      }
      for (const [i, d] of reply.documents.entries())
        await c.query(
          `INSERT INTO documents (reply_id, position, sha256, name, declared_type, file_kind, size, class, reason, measurements, forwarded)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
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
          ],
        );
      await this.log(c, actor, 'ingest', {
        reply: r.id,
        sha256: reply.sha256,
        state: reply.state,
        channel: reply.channel,
        received: reply.receivedAt,
        documents: reply.documents.map((d) => d.class),
        ...(reply.answers ? { answers: reply.answers } : {}),
      });
      return { reply: toReply(r, await this.documentsOf(c, r.id as number)), created: true };
    });
  }

  async getReply(id: number): Promise<ReplyRecord | undefined> {
    try {
      return await this.replyIn(this.pool, 'id = $1', id);
    } catch (e) {
      throw explainFault(e, this.settings);
    }
  }

  async listReplies(opts: { includeRemoved?: boolean } = {}): Promise<ReplyRecord[]> {
    const docs = new Map<number, DocumentRecord[]>();
    for (const d of await this.query('SELECT * FROM documents ORDER BY reply_id, position')) {
      const list = docs.get(d.reply_id as number) ?? [];
      list.push(toDocument(d));
      docs.set(d.reply_id as number, list);
    }
    const where = opts.includeRemoved ? '' : 'WHERE removed_at IS NULL';
    return (await this.query(`SELECT * FROM replies ${where} ORDER BY id`)).map((r) =>
      toReply(r, docs.get(r.id as number) ?? []),
    );
  }

  /** Inside a transaction: the reply, locked against another clerk's change until commit. */
  private async lockReply(c: Client, id: number): Promise<ReplyRecord> {
    const before = await this.replyIn(c, 'id = $1 FOR UPDATE', id);
    if (!before) throw new UserError(`There is no reply ${id}; "nv reply list" shows the replies.`);
    return before;
  }

  updateReply(id: number, change: ReplyChange, actor: Actor): Promise<ReplyRecord> {
    return this.tx(async (c) => {
      const before = await this.lockReply(c, id);
      if (before.removedAt)
        throw new UserError(
          `Reply ${id} was removed (by ${before.removedBy}: ${before.removedReason}); a removed reply takes no decision.`,
        );
      const sets: string[] = [];
      const values: unknown[] = [];
      const param = (v: unknown) => {
        values.push(v);
        return `$${values.length}`;
      };
      const detail: Record<string, unknown> = { reply: id };
      if (change.state !== undefined) {
        sets.push(`state = ${param(change.state)}, state_source = 'clerk'`);
        detail.state = { from: before.state, to: change.state };
      }
      if (change.channel !== undefined) {
        sets.push(`channel = ${param(change.channel)}`);
        detail.channel = { from: before.channel, to: change.channel };
      }
      if (change.receivedAt !== undefined) {
        sets.push(`received_at = ${param(change.receivedAt)}, received_source = 'clerk'`);
        detail.received = { from: before.receivedAt, to: change.receivedAt };
      }
      if (change.decision !== undefined) {
        sets.push(
          `decision = ${param(change.decision.status)}, decision_reason = ${param(change.decision.reason)}, decided_by = ${param(actor.user)}, decided_at = ${param(this.now())}`,
        );
        detail.decision = {
          from: before.decision,
          to: change.decision.status,
          reason: change.decision.reason,
        };
      }
      if (sets.length === 0) return before;
      await c.query(`UPDATE replies SET ${sets.join(', ')} WHERE id = ${param(id)}`, values);
      await this.log(c, actor, 'reply-change', detail);
      return (await this.replyIn(c, 'id = $1', id))!;
    });
  }

  removeReply(id: number, reason: string, actor: Actor): Promise<ReplyRecord> {
    return this.tx(async (c) => {
      const before = await this.lockReply(c, id);
      if (before.removedAt)
        throw new UserError(
          `Reply ${id} was removed already, by ${before.removedBy} at ${before.removedAt}: ${before.removedReason}.`,
        );
      await c.query(
        'UPDATE replies SET removed_at = $1, removed_by = $2, removed_reason = $3 WHERE id = $4',
        [this.now(), actor.user, reason, id],
      );
      await this.log(c, actor, 'reply-remove', {
        reply: id,
        reason,
        sha256: before.sha256,
        state: before.state,
        originalName: before.originalName,
      });
      return (await this.replyIn(c, 'id = $1', id))!;
    });
  }

  // --- delegation lists ----------------------------------------------------------------------

  private async listsWhere(
    q: Pick<pg.ClientBase, 'query'>,
    where: string,
    values: unknown[] = [],
  ): Promise<DelegationList[]> {
    const lists = (await q.query(`SELECT * FROM delegation_lists WHERE ${where}`, values)).rows as Row[];
    if (lists.length === 0) return [];
    const people = new Map<number, ReturnType<typeof toParticipant>[]>();
    const rows = (
      await q.query(
        'SELECT * FROM participants WHERE list_id = ANY($1::integer[]) ORDER BY list_id, position',
        [lists.map((l) => l.id as number)],
      )
    ).rows as Row[];
    for (const p of rows) {
      const list = people.get(p.list_id as number) ?? [];
      list.push(toParticipant(p));
      people.set(p.list_id as number, list);
    }
    return lists.map((l) => toList(l, people.get(l.id as number) ?? []));
  }

  private async importOne(
    c: Client,
    list: NewDelegationList,
    actor: Actor,
  ): Promise<{ list: DelegationList; replaced: number | null; unchanged: boolean }> {
    // The State's current list, locked: another clerk's import of the same State waits here.
    const current = (
      await this.listsWhere(c, 'state = $1 AND superseded_by IS NULL FOR UPDATE', [list.state])
    )[0];
    if (current && current.sha256 === list.sha256) return { list: current, replaced: null, unchanged: true };
    // One current list per State (a unique index): the old one points at itself for a moment.
    if (current) await c.query('UPDATE delegation_lists SET superseded_by = id WHERE id = $1', [current.id]);
    const row = (
      await c.query(
        `INSERT INTO delegation_lists (state, reply_id, sha256, source_name, encoding, delimiter, warnings, imported_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          list.state,
          list.replyId,
          list.sha256,
          list.sourceName,
          list.encoding,
          list.delimiter,
          JSON.stringify(list.warnings),
          this.now(),
        ],
      )
    ).rows[0] as { id: number };
    if (current)
      await c.query('UPDATE delegation_lists SET superseded_by = $1 WHERE id = $2', [row.id, current.id]);
    const columns = ['list_id', 'position', 'line', ...PERSON_FIELDS.map((f) => f.column)];
    for (const [i, p] of list.participants.entries()) {
      const values = [
        row.id,
        i + 1,
        p.line,
        ...PERSON_FIELDS.map((f) => (f.stored === 'json' ? JSON.stringify(p[f.key]) : p[f.key])),
      ];
      await c.query(
        `INSERT INTO participants (${columns.join(', ')}) VALUES (${columns.map((_, k) => `$${k + 1}`).join(', ')})`,
        values,
      );
    }
    await this.log(c, actor, 'import-delegation', {
      state: list.state,
      list: row.id,
      participants: list.participants.length,
      source: list.sourceName,
      sha256: list.sha256,
      reply: list.replyId,
      replaces: current?.id ?? null,
    });
    const stored = (await this.listsWhere(c, 'id = $1', [row.id]))[0]!;
    return { list: stored, replaced: current?.id ?? null, unchanged: false };
  }

  importDelegations(
    lists: NewDelegationList[],
    actor: Actor,
  ): Promise<{ list: DelegationList; replaced: number | null; unchanged: boolean }[]> {
    return this.tx(async (c) => {
      const out = [];
      for (const list of lists) out.push(await this.importOne(c, list, actor));
      return out;
    });
  }

  async currentDelegations(): Promise<DelegationList[]> {
    try {
      // A list carried by a reply the clerk removed no longer counts, like the reply.
      return await this.listsWhere(
        this.pool,
        'superseded_by IS NULL AND (reply_id IS NULL OR reply_id NOT IN (SELECT id FROM replies WHERE removed_at IS NOT NULL)) ORDER BY state COLLATE "C"',
      );
    } catch (e) {
      throw explainFault(e, this.settings);
    }
  }

  async delegationHistory(state: string): Promise<DelegationList[]> {
    try {
      return await this.listsWhere(this.pool, 'state = $1 ORDER BY id DESC', [state]);
    } catch (e) {
      throw explainFault(e, this.settings);
    }
  }

  // --- messages ------------------------------------------------------------------------------

  recordMessages(messages: NewMessage[], actor: Actor): Promise<MessageRecord[]> {
    return this.tx(async (c) => {
      const out: MessageRecord[] = [];
      for (const m of messages) {
        const row = (
          await c.query(
            `INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
            messageValues(m, this.now()),
          )
        ).rows[0] as Row;
        await this.log(c, actor, ...messageAudit(m));
        out.push(toMessage(row));
      }
      return out;
    });
  }

  async messagesOf(noteIds: number[]): Promise<MessageRecord[]> {
    if (noteIds.length === 0) return [];
    const rows = await this.query('SELECT * FROM messages WHERE note_id = ANY($1::int[]) ORDER BY id', [
      noteIds,
    ]);
    return rows.map(toMessage);
  }

  claimSending(message: SmtpMessage, actor: Actor, opts: { again?: boolean } = {}): Promise<SendingClaim> {
    const m: NewMessage = { ...message, channel: 'smtp', status: 'sending' };
    return this.tx(async (c): Promise<SendingClaim> => {
      // The note's row locked first: a second batch claiming it waits here, then sees this one's message.
      await c.query('SELECT id FROM notes WHERE id = $1 FOR UPDATE', [m.noteId]);
      const blocking = (
        await c.query(
          `SELECT * FROM messages WHERE note_id = $1 AND channel = 'smtp' AND status = ANY($2::text[])
             ORDER BY id DESC LIMIT 1`,
          [m.noteId, blockingStatuses(opts.again ?? false)],
        )
      ).rows[0] as Row | undefined;
      if (blocking) return { claimed: false, message: toMessage(blocking) };
      const row = (
        await c.query(
          `INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
          messageValues(m, this.now()),
        )
      ).rows[0] as Row;
      await this.log(c, actor, ...messageAudit(m));
      return { claimed: true, message: toMessage(row) };
    });
  }

  changeMessageStatus(
    id: number,
    from: MessageStatus[],
    change: MessageChange,
    actor: Actor,
  ): Promise<MessageRecord | null> {
    return this.tx(async (c): Promise<MessageRecord | null> => {
      const row = (await c.query('SELECT * FROM messages WHERE id = $1 FOR UPDATE', [id])).rows[0] as
        Row | undefined;
      if (!row) throw new InternalError(`no message ${id} in the register`);
      const before = toMessage(row);
      if (!from.includes(before.status)) return null;
      const after = (
        await c.query(
          'UPDATE messages SET status = $1, status_at = $2, server_reply = $3, reason = $4 WHERE id = $5 RETURNING *',
          [
            change.status,
            this.now(),
            change.serverReply ?? before.serverReply,
            change.reason ?? before.reason,
            id,
          ],
        )
      ).rows[0] as Row;
      await this.log(c, actor, ...messageChangeAudit(before, change));
      return toMessage(after);
    });
  }

  async messagesById(messageIds: string[]): Promise<MessageRecord[]> {
    if (messageIds.length === 0) return [];
    const rows = await this.query('SELECT * FROM messages WHERE message_id = ANY($1::text[]) ORDER BY id', [
      messageIds,
    ]);
    return rows.map(toMessage);
  }

  async messagesWithStatus(statuses: MessageStatus[]): Promise<MessageRecord[]> {
    if (statuses.length === 0) return [];
    const rows = await this.query('SELECT * FROM messages WHERE status = ANY($1::text[]) ORDER BY id', [
      statuses,
    ]);
    return rows.map(toMessage);
  }

  // --- the whole history, for `nv db copy` ---------------------------------------------------

  async *exportRows(table: TableName): AsyncIterable<TableRow[]> {
    if (!TABLES.includes(table)) throw new Error(`not a register table: ${table}`);
    // Keyset pages: each batch one short query, never the whole table in memory.
    if (table === 'counters') {
      yield (await this.query(`SELECT * FROM counters ORDER BY ${ORDER.counters}`)) as TableRow[];
      return;
    }
    let after = -1;
    for (;;) {
      const rows = (await this.query(
        `SELECT * FROM ${table} WHERE id > $1 ORDER BY id LIMIT ${EXPORT_BATCH}`,
        [after],
      )) as TableRow[];
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]!.id as number;
      if (rows.length < EXPORT_BATCH) return;
    }
  }

  async counts(): Promise<Record<TableName, number>> {
    const r = await this.query(
      `SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`,
    );
    return Object.fromEntries(TABLES.map((t) => [t, Number(r[0]![t])])) as Record<TableName, number>;
  }

  importRows(source: (table: TableName) => AsyncIterable<TableRow[]>, actor: Actor): Promise<void> {
    return this.tx(async (c) => {
      const held = [];
      for (const t of TABLES) {
        const n = Number((await c.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
        if (n > 0) held.push(`${n} ${t}`);
      }
      if (held.length)
        throw new UserError(
          `${this.location} is not empty (it holds ${held.join(', ')}); copy into a new, empty database.`,
        );
      // A list superseded by a later one is inserted before it: foreign keys checked at commit.
      await c.query('SET CONSTRAINTS ALL DEFERRED');
      const counts = {} as Record<TableName, number>;
      for (const table of TABLES) {
        counts[table] = 0;
        for await (const batch of source(table)) {
          if (batch.length === 0) continue;
          counts[table] += batch.length;
          const columns = Object.keys(batch[0]!);
          // At most ~60,000 parameters per statement (PostgreSQL's limit is 65,535).
          const per = Math.max(1, Math.floor(60_000 / columns.length));
          for (let i = 0; i < batch.length; i += per) {
            const part = batch.slice(i, i + per);
            const values: unknown[] = [];
            const tuples = part.map(
              (row) =>
                `(${columns
                  .map((col) => {
                    values.push(row[col] ?? null);
                    return `$${values.length}`;
                  })
                  .join(', ')})`,
            );
            await c.query(
              `INSERT INTO ${table} (${columns.map(quote).join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${tuples.join(', ')}`,
              values,
            );
          }
        }
      }
      // Each identity past the largest id copied, so that the next row gets a new one.
      for (const table of TABLES.filter((t) => t !== 'counters'))
        await c.query(
          `SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM ${table}`,
        );
      await this.log(c, actor, 'copy-in', { from: actor.command, counts });
    });
  }
}
