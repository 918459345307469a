/**
 * The pool of connections to the PostgreSQL register, and what its faults mean to the user.
 *
 * - A server that cannot be reached, a password refused, a database that does not exist, a TLS
 *   the server does not offer: UserError naming user@host:port/database (never the password).
 * - A connection lost in the middle of a transaction (server restarted, terminated, network):
 *   UserError saying that nothing of it was recorded and to run the command again.
 * - A race with another process (unique violation, deadlock, serialization): retried by the
 *   caller (`isRace`), never shown.
 */
import pg from 'pg';
import { UserError } from '../../errors.js';
import type { PostgresSettings } from './settings.js';

const code = (e: unknown): string => String((e as { code?: unknown })?.code ?? '');
const message = (e: unknown): string => String((e as { message?: unknown })?.message ?? e);

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/** The server went away while nv talked to it. */
export function isConnectionLost(e: unknown): boolean {
  const c = code(e);
  return (
    ['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE'].includes(c) ||
    c.startsWith('08') ||
    /Connection terminated|connection (was )?closed|Client has encountered a connection error/i.test(
      message(e),
    )
  );
}

/** Another process got there first: the whole transaction is worth running again. */
export function isRace(e: unknown): boolean {
  return ['23505', '40001', '40P01'].includes(code(e));
}

/**
 * A fault of the database as the user should read it: a UserError naming the database, or the
 * error itself with the password taken out of its message.
 */
export function explainFault(
  e: unknown,
  settings: PostgresSettings,
  /** The connection was lost after COMMIT was sent: the server may have committed. */
  committing = false,
): unknown {
  if (e instanceof UserError) return e;
  const c = code(e);
  const why = settings.redact(message(e));
  // pg's own connection timeout has no code, and says "Connection terminated": not a lost transaction.
  const timedOut = /connection timeout|timeout expired/i.test(why);
  if (UNREACHABLE.has(c) || timedOut)
    return new UserError(
      `nv cannot reach the register database at ${settings.address} (${timedOut ? `no answer in ${(settings.pool.connectionTimeoutMillis ?? 0) / 1000} s` : c}); check that the server runs and NV_DATABASE_URL.`,
    );
  if (c === '28P01' || c === '28000' || /password must be a string|password authentication failed/i.test(why))
    return new UserError(
      `The register database refused ${settings.target}: authentication failed (${why}); set the password in NV_DATABASE_PASSWORD.`,
    );
  if (c === '3D000')
    return new UserError(
      `The register database ${settings.target} does not exist; create it (createdb) or correct NV_DATABASE_URL.`,
    );
  if (/does not support SSL/i.test(why))
    return new UserError(
      `The register database server at ${settings.address} offers no TLS, and sslmode=${settings.sslmode} requires it; enable TLS on the server or choose another sslmode.`,
    );
  if (/certificate|self[- ]signed|SSL|TLS/i.test(why) && !c.match(/^[0-9A-Z]{5}$/))
    return new UserError(
      `The TLS connection to the register database ${settings.target} failed (${why}); check the CA file and sslmode.`,
    );
  if (isConnectionLost(e) && committing)
    return new UserError(
      `The connection to the register database ${settings.target} was lost while committing (${c || why}); the server may or may not have recorded that transaction: run the command again, it finds what was recorded and records nothing twice.`,
    );
  if (isConnectionLost(e))
    return new UserError(
      `The connection to the register database ${settings.target} was lost (${c || why}); nothing of this transaction was recorded: run the command again.`,
    );
  if (e instanceof Error) {
    e.message = why;
    // The stack repeats the message as it was when the error was made.
    if (e.stack) e.stack = settings.redact(e.stack);
    return e;
  }
  return new Error(why);
}

/** A bigint (a size, a count) as a JS number: nv's sizes and counts stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * A pool of connections, after one has been made (so that a fault is said at once). With
 * sslmode=prefer, as libpq: TLS without verification, and plain when the server has no TLS.
 */
export async function openPool(settings: PostgresSettings, max = 4): Promise<pg.Pool> {
  const attempt = async (ssl: pg.PoolConfig['ssl']) => {
    // allowExitOnIdle: a command that has finished is never kept alive by idle connections.
    const pool = new pg.Pool({ ...settings.pool, ssl, max, types, allowExitOnIdle: true });
    // A connection the server closes (idle, or held by a transaction) is reported as an event;
    // the next query on it fails and says it, so the event itself is not an uncaught error.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    try {
      const client = await pool.connect();
      client.release();
      return pool;
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw e;
    }
  };
  try {
    return await attempt(settings.pool.ssl);
  } catch (e) {
    if (settings.sslmode === 'prefer' && /does not support SSL/i.test(message(e))) {
      try {
        return await attempt(false);
      } catch (e2) {
        throw explainFault(e2, settings);
      }
    }
    throw explainFault(e, settings);
  }
}

/**
 * Runs `body` in one transaction at READ COMMITTED on a connection of the pool. A race lost to
 * another process (`isRace`) runs it again, up to `retries` times; a connection lost says that
 * nothing was recorded (the server rolled the transaction back), or, lost while committing, that
 * the server may have recorded it (a rerun finds what was).
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  settings: PostgresSettings,
  body: (c: pg.PoolClient) => Promise<T>,
  retries = 20,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      throw explainFault(e, settings);
    }
    let broken = false;
    let committing = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      const result = await body(client);
      committing = true;
      await client.query('COMMIT');
      return result;
    } catch (e) {
      broken = isConnectionLost(e);
      if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
      if (!broken && isRace(e) && attempt < retries) continue;
      throw explainFault(e, settings, committing && broken);
    } finally {
      client.release(broken);
    }
  }
}
