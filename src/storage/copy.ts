/**
 * `nv db copy`: a register's whole history into another, empty one (SQLite → PostgreSQL to share a
 * workspace, PostgreSQL → SQLite for an export or a backup), then verified.
 *
 * The archive goes first, file by file, streamed (a copy stopped half-way leaves files the next
 * run finds there already, and no row); then every table's rows in one transaction; then the
 * target is read back: the same row count in every table (the target's audit log has one entry
 * more, the copy's own), the same rows, and every archived file present with the same size and
 * bytes whose SHA-256 is its name.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Actor } from '../audit.js';
import { UserError } from '../errors.js';
import { PostgresRegister } from './postgres/register.js';
import { migratePostgres } from './postgres/schema.js';
import { postgresSettings } from './postgres/settings.js';
import { SqliteRegister } from './sqlite/register.js';
import { TABLES, type ArchivedFile, type Register, type TableName, type TableRow } from './register.js';

export interface CopyReport {
  from: string;
  to: string;
  /** Rows copied per table. */
  rows: Record<TableName, number>;
  files: number;
  bytes: number;
  /** What was checked after the copy, in words. */
  verified: string[];
}

/** Hashes a stream of chunks; returns the SHA-256 (hex) and the number of bytes. */
async function digest(chunks: AsyncIterable<Uint8Array>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const c of chunks) {
    hash.update(c);
    size += c.byteLength;
  }
  return { sha256: hash.digest('hex'), size };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const i of items) out.push(i);
  return out;
}

/** A row's canonical text, for comparing a table across two registers. */
const rowKey = (r: TableRow): string =>
  JSON.stringify(
    Object.keys(r)
      .sort()
      .map((k) => [k, r[k]]),
  );

/** Compares one table of two registers row for row (streamed batch by batch). */
async function sameRows(source: Register, target: Register, table: TableName): Promise<string | null> {
  const a = source.exportRows(table)[Symbol.asyncIterator]();
  const b = target.exportRows(table)[Symbol.asyncIterator]();
  let left: TableRow[] = [];
  let right: TableRow[] = [];
  let n = 0;
  for (;;) {
    if (left.length === 0) {
      const next = await a.next();
      if (!next.done) left = [...next.value];
    }
    if (right.length === 0) {
      const next = await b.next();
      if (!next.done) right = [...next.value];
    }
    if (left.length === 0 || right.length === 0) break;
    while (left.length && right.length) {
      const l = left.shift()!;
      const r = right.shift()!;
      n++;
      // The copy's own audit entry is the last of the target's log; it has no counterpart.
      if (rowKey(l) !== rowKey(r)) return `row ${n} of ${table} differs`;
    }
  }
  if (table !== 'audit' && (left.length || right.length)) return `${table} has a different number of rows`;
  return null;
}

/**
 * Copies `source` into `target` (which must hold no row) and verifies the copy. Neither register
 * is closed here.
 */
export async function copyRegister(source: Register, target: Register, actor: Actor): Promise<CopyReport> {
  const before = await target.counts();
  const held = TABLES.filter((t) => before[t] > 0);
  if (held.length)
    throw new UserError(
      `${target.location} is not empty (it holds ${held.map((t) => `${before[t]} ${t}`).join(', ')}); copy into a new, empty database or file.`,
    );
  const counts = await source.counts();

  // 1. The archive, file by file, streamed; a file already there (an earlier copy stopped) is kept.
  let files = 0;
  let bytes = 0;
  const archived: ArchivedFile[] = [];
  for await (const f of source.archive.list()) {
    archived.push(f);
    if (!(await target.archive.has(f.sha256)))
      await target.archive.put(f.sha256, source.archive.read(f.sha256), { extension: f.extension });
    files++;
    bytes += f.size;
  }

  // 2. Every table's rows, in one transaction.
  await target.importRows((table) => source.exportRows(table), actor);

  // 3. Read the target back.
  const verified: string[] = [];
  const after = await target.counts();
  for (const t of TABLES) {
    const expected = counts[t] + (t === 'audit' ? 1 : 0);
    if (after[t] !== expected)
      throw new UserError(
        `The copy in ${target.location} has ${after[t]} ${t} where ${source.location} has ${counts[t]}; it is not complete: drop that database and copy again.`,
      );
    const differs = await sameRows(source, target, t);
    if (differs)
      throw new UserError(
        `The copy in ${target.location} is not the same as ${source.location} (${differs}); drop that database and copy again.`,
      );
  }
  verified.push(`the rows of ${TABLES.length} tables, one by one`);
  const targetFiles = new Map((await collect(target.archive.list())).map((f) => [f.sha256, f]));
  for (const f of archived) {
    const there = targetFiles.get(f.sha256);
    if (!there || there.size !== f.size)
      throw new UserError(
        `The archived file ${f.sha256} is missing from ${target.location} after the copy; copy again.`,
      );
    const read = await digest(target.archive.read(f.sha256));
    if (read.sha256 !== f.sha256 || read.size !== f.size)
      throw new UserError(
        `The archived file ${f.sha256} reads back from ${target.location} with other bytes (SHA-256 ${read.sha256}); copy again.`,
      );
  }
  verified.push(`${files} archived file(s): present, same size, SHA-256 of the bytes read back`);
  return { from: source.location, to: target.location, rows: counts, files, bytes, verified };
}

/** Where `nv db copy --to` writes: a PostgreSQL URL, or a folder for a SQLite register. */
export interface CopyTarget {
  /** postgres://… or a folder (it gets `registry.sqlite` and `archive/`, as a workspace's `.nv`). */
  to: string;
}

/**
 * Opens the target of a copy: an empty PostgreSQL database (migrated here: a copy needs the
 * tables), or a folder that gets a new SQLite register (`registry.sqlite`, `archive/`).
 */
async function openTarget(
  to: string,
  workspace: string,
  actor: Actor,
  env: NodeJS.ProcessEnv,
): Promise<Register> {
  if (/^postgres(ql)?:/i.test(to)) {
    const settings = postgresSettings({ url: to, source: '--to' }, { workspace, env });
    await migratePostgres(settings, actor);
    return PostgresRegister.open(settings, { workspace });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(to))
    throw new UserError(
      `--to ${to} is neither a postgres:// URL nor a folder; write e.g. --to postgres://nv@db.example.org:5432/nv or --to backup-2026-12-05.`,
    );
  const folder = resolve(to);
  if (existsSync(folder) && !statSync(folder).isDirectory())
    throw new UserError(
      `--to ${to} is a file; name a folder (nv writes registry.sqlite and archive/ into it, as in a workspace's .nv).`,
    );
  const file = join(folder, 'registry.sqlite');
  if (existsSync(file))
    throw new UserError(
      `${file} exists already; copy into a new folder (or remove that register first if it is a failed copy).`,
    );
  mkdirSync(folder, { recursive: true });
  return new SqliteRegister(file);
}

/**
 * `nv db copy --to …`: the workspace's register (`source`, opened by the caller) into `to`, verified.
 */
export async function copyRegisterTo(
  source: Register,
  target: CopyTarget,
  workspace: string,
  actor: Actor,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CopyReport> {
  const into = await openTarget(target.to, workspace, actor, env);
  try {
    if (into.location === source.location)
      throw new UserError(
        `--to ${into.location} is the workspace's own register; name another database or folder.`,
      );
    return await copyRegister(source, into, actor);
  } finally {
    await into.close();
  }
}
