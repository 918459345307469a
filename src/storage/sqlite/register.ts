import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../../errors.js';
import type {
  Actor,
  AuditEntry,
  Dispatch,
  DispatchRequest,
  EnsureResult,
  NoteRecord,
  Register,
} from '../register.js';
import { MIGRATIONS } from './schema.js';

type Row = Record<string, unknown>;

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

/** The register in one SQLite file (WAL mode, busy timeout, one transaction per logical change). */
export class SqliteRegister implements Register {
  readonly db: Database.Database;
  private readonly now: () => string;

  constructor(path: string, options: { now?: () => string } = {}) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, { timeout: 15_000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.now = options.now ?? (() => new Date().toISOString());
    this.migrate();
  }

  private migrate(): void {
    const tx = this.db.transaction(() => {
      const version = this.db.pragma('user_version', { simple: true }) as number;
      if (version > MIGRATIONS.length)
        throw new UserError(
          `The register was written by a newer nv (schema ${version}, this nv knows ${MIGRATIONS.length}); upgrade nv.`,
        );
      for (let v = version; v < MIGRATIONS.length; v++) this.db.exec(MIGRATIONS[v]!);
      this.db.pragma(`user_version = ${MIGRATIONS.length}`);
    });
    tx.immediate();
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
    if (row) return row.next;
    this.db.prepare('INSERT INTO counters (series, year, next) VALUES (?, ?, ?)').run(series, year, firstSeq);
    return firstSeq;
  }

  ensureDispatches(requests: DispatchRequest[], actor: Actor): EnsureResult[] {
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
    return tx.immediate();
  }

  recordNoteWritten(noteId: number, inputHash: string, files: Record<string, string>, actor: Actor): void {
    const tx = this.db.transaction(() => {
      const note = this.db
        .prepare('UPDATE notes SET input_hash = ?, files = ?, written_at = ? WHERE id = ? RETURNING *')
        .get(inputHash, JSON.stringify(files), this.now(), noteId) as Row | undefined;
      if (!note) throw new Error(`note ${noteId} does not exist`);
      this.log(actor, 'write-note', { note: noteId, recipient: note.recipient, files: Object.keys(files) });
    });
    tx.immediate();
  }

  peekNext(series: string, year: number, firstSeq: number): number {
    const row = this.db
      .prepare('SELECT next FROM counters WHERE series = ? AND year = ?')
      .get(series, year) as { next: number } | undefined;
    return row?.next ?? firstSeq;
  }

  setNext(series: string, year: number, next: number, actor: Actor): void {
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
    tx.immediate();
  }

  findDispatch(series: string, year: number, seq: number): Dispatch | undefined {
    const r = this.db
      .prepare('SELECT * FROM dispatches WHERE series = ? AND year = ? AND seq = ?')
      .get(series, year, seq) as Row | undefined;
    return r && toDispatch(r);
  }

  findActiveDispatchByKey(key: string): Dispatch | undefined {
    const r = this.db.prepare("SELECT * FROM dispatches WHERE key = ? AND status = 'active'").get(key) as
      Row | undefined;
    return r && toDispatch(r);
  }

  listDispatches(): Dispatch[] {
    return (this.db.prepare('SELECT * FROM dispatches ORDER BY series, year, seq').all() as Row[]).map(
      toDispatch,
    );
  }

  notesOf(dispatchId: number): NoteRecord[] {
    return (
      this.db.prepare('SELECT * FROM notes WHERE dispatch_id = ? ORDER BY recipient').all(dispatchId) as Row[]
    ).map(toNote);
  }

  voidDispatch(dispatchId: number, reason: string, actor: Actor): Dispatch {
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
    return tx.immediate();
  }

  audit(limit = 1000): AuditEntry[] {
    return (this.db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit) as Row[]).map((r) => ({
      id: r.id as number,
      at: r.at as string,
      user: r.user as string,
      command: r.command as string,
      action: r.action as string,
      detail: JSON.parse(r.detail as string) as Record<string, unknown>,
    }));
  }

  close(): void {
    this.db.close();
  }
}
