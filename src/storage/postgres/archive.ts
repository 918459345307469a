/**
 * The archive of a PostgreSQL register: the bytes of every ingested file, once per SHA-256, in
 * chunks of 256 KiB (`archive` and `archive_chunks`), so that a clerk on another machine can open
 * what a colleague ingested, and no file is ever held whole in memory to store or read it.
 *
 * A put inserts the `archive` row (ON CONFLICT DO NOTHING RETURNING): only the transaction that
 * inserted it writes the chunks, hashing them as they go, and commits only when the bytes hash to
 * the SHA-256 they are stored under. Another process putting the same file at the same moment
 * waits for that commit and then does nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { UserError } from '../../errors.js';
import type { ArchivedFile, ArchiveStore } from '../register.js';
import { explainFault, inTransaction } from './connection.js';
import type { PostgresSettings } from './settings.js';

export const CHUNK_SIZE = 256 * 1024;

/** Pieces of any size as pieces of exactly CHUNK_SIZE (the last one shorter). */
async function* rechunk(source: Uint8Array | AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) {
    for (let i = 0; i < source.byteLength; i += CHUNK_SIZE) yield source.subarray(i, i + CHUNK_SIZE);
    return;
  }
  let parts: Uint8Array[] = [];
  let held = 0;
  for await (const piece of source) {
    let rest = piece;
    while (rest.byteLength > 0) {
      const take = Math.min(CHUNK_SIZE - held, rest.byteLength);
      parts.push(rest.subarray(0, take));
      held += take;
      rest = rest.subarray(take);
      if (held === CHUNK_SIZE) {
        yield Buffer.concat(parts);
        parts = [];
        held = 0;
      }
    }
  }
  if (held > 0) yield Buffer.concat(parts);
}

export class PostgresArchive implements ArchiveStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly settings: PostgresSettings,
    private readonly workspace: string,
    private readonly now: () => string,
  ) {}

  async put(
    sha256: string,
    bytes: Uint8Array | AsyncIterable<Uint8Array>,
    options: { extension: string; derived?: boolean },
  ): Promise<void> {
    // No retry: the bytes given may be a stream, read once.
    await inTransaction(
      this.pool,
      this.settings,
      async (client) => {
        const mine = await client.query(
          'INSERT INTO archive (sha256, size, extension, stored_at) VALUES ($1, 0, $2, $3) ON CONFLICT DO NOTHING RETURNING sha256',
          [sha256, options.extension, this.now()],
        );
        // Stored already (or just now by another process, whose commit this insert waited for):
        // a stream given is closed unread.
        if (mine.rowCount === 0) {
          if (!(bytes instanceof Uint8Array)) await bytes[Symbol.asyncIterator]().return?.();
          return;
        }
        const hash = createHash('sha256');
        let size = 0;
        let n = 0;
        for await (const chunk of rechunk(bytes)) {
          hash.update(chunk);
          size += chunk.byteLength;
          await client.query('INSERT INTO archive_chunks (sha256, n, bytes) VALUES ($1, $2, $3)', [
            sha256,
            n++,
            Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
          ]);
        }
        const actual = hash.digest('hex');
        if (actual !== sha256)
          throw new UserError(
            `The bytes given to the archive as ${sha256} have the SHA-256 ${actual}; nothing was stored (the file changed while it was read?).`,
          );
        await client.query('UPDATE archive SET size = $2 WHERE sha256 = $1', [sha256, size]);
      },
      0,
    );
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.row(sha256)) !== undefined;
  }

  private async row(sha256: string): Promise<ArchivedFile | undefined> {
    try {
      const r = await this.pool.query<ArchivedFile>(
        'SELECT sha256, size, extension FROM archive WHERE sha256 = $1',
        [sha256],
      );
      return r.rows[0];
    } catch (e) {
      throw explainFault(e, this.settings);
    }
  }

  private async fileOf(sha256: string): Promise<ArchivedFile> {
    const file = await this.row(sha256);
    if (!file)
      throw new UserError(
        `The archive of ${this.settings.location} has no file with SHA-256 ${sha256}; ingest the original again.`,
      );
    return file;
  }

  /** One query per chunk: at most 256 KiB in memory at a time. */
  async *read(sha256: string): AsyncIterable<Uint8Array> {
    await this.fileOf(sha256);
    for (let n = 0; ; n++) {
      let r: pg.QueryResult<{ bytes: Buffer }>;
      try {
        r = await this.pool.query<{ bytes: Buffer }>(
          'SELECT bytes FROM archive_chunks WHERE sha256 = $1 AND n = $2',
          [sha256, n],
        );
      } catch (e) {
        throw explainFault(e, this.settings);
      }
      const chunk = r.rows[0];
      if (!chunk) return;
      yield chunk.bytes;
    }
  }

  async localPath(sha256: string): Promise<string> {
    const file = await this.fileOf(sha256);
    const dir = join(this.workspace, '.nv', 'cache', 'archive', sha256.slice(0, 2));
    const path = join(dir, `${sha256}.${file.extension.replace(/^\./, '')}`);
    const there = await stat(path).catch(() => undefined);
    if (there?.size === file.size) return path;
    await mkdir(dir, { recursive: true });
    const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    const hash = createHash('sha256');
    const read = this.read(sha256);
    try {
      await pipeline(async function* () {
        for await (const chunk of read) {
          hash.update(chunk);
          yield chunk;
        }
      }, createWriteStream(temp));
      const actual = hash.digest('hex');
      if (actual !== sha256)
        throw new UserError(
          `The archived file ${sha256} reads back from ${this.settings.location} with other bytes (SHA-256 ${actual}); the database is damaged: restore it from a backup.`,
        );
      await rename(temp, path);
      return path;
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** By SHA-256, in pages (never the whole list in one query). */
  async *list(): AsyncIterable<ArchivedFile> {
    let after = '';
    for (;;) {
      let rows: ArchivedFile[];
      try {
        rows = (
          await this.pool.query<ArchivedFile>(
            'SELECT sha256, size, extension FROM archive WHERE sha256 COLLATE "C" > $1 ORDER BY sha256 COLLATE "C" LIMIT 500',
            [after],
          )
        ).rows;
      } catch (e) {
        throw explainFault(e, this.settings);
      }
      yield* rows;
      if (rows.length < 500) return;
      after = rows[rows.length - 1]!.sha256;
    }
  }
}
