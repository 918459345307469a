import { UserError } from '../errors.js';
import type { Register } from './register.js';
import type { ConnectionOptions } from './sqlite/connection.js';
import { SqliteRegister } from './sqlite/register.js';

/** NV_REGISTER_WAIT_MS: how long to wait for a register another process is writing (default 15 s). */
function waitMs(env: NodeJS.ProcessEnv): number | undefined {
  const v = env.NV_REGISTER_WAIT_MS;
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v))
    throw new UserError(`NV_REGISTER_WAIT_MS=${v} is not a number of milliseconds; write e.g. 15000.`);
  return Number(v);
}

/**
 * Opens the workspace's register. NV_DATABASE_URL=postgres://… is reserved for the shared
 * PostgreSQL register, which this version does not include yet.
 */
export async function openRegister(
  sqlitePath: string,
  env: NodeJS.ProcessEnv = process.env,
  options: Pick<ConnectionOptions, 'onWait' | 'holder'> = {},
): Promise<Register> {
  const url = env.NV_DATABASE_URL;
  if (url && /^postgres(ql)?:/.test(url))
    throw new UserError(
      'NV_DATABASE_URL points at PostgreSQL, which this version of nv cannot use yet; unset it to use the workspace register.',
    );
  try {
    return new SqliteRegister(sqlitePath, { ...options, waitMs: waitMs(env) });
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = String((e as { code?: unknown }).code ?? '');
    // Only a file that is not a database, or a damaged one, is a matter for a backup.
    const damaged = /^SQLITE_(NOTADB|CORRUPT)/.test(code);
    throw new UserError(
      `The register ${sqlitePath} cannot be opened (${(e as Error).message}); ${damaged ? 'restore it from a backup: it is not an intact nv register' : 'check the file and its permissions'}.`,
    );
  }
}
