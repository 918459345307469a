import { UserError } from '../errors.js';
import type { Register } from './register.js';
import { SqliteRegister } from './sqlite/register.js';

/**
 * Opens the workspace's register. NV_DATABASE_URL=postgres://… is reserved for the shared
 * PostgreSQL register, which this version does not include yet.
 */
export function openRegister(sqlitePath: string, env: NodeJS.ProcessEnv = process.env): Register {
  const url = env.NV_DATABASE_URL;
  if (url && /^postgres(ql)?:/.test(url))
    throw new UserError(
      'NV_DATABASE_URL points at PostgreSQL, which this version of nv cannot use yet; unset it to use the workspace register.',
    );
  try {
    return new SqliteRegister(sqlitePath);
  } catch (e) {
    if (e instanceof UserError) throw e;
    // A file that is not an SQLite database, or one this user may not write: say which.
    throw new UserError(
      `The register ${sqlitePath} cannot be opened (${(e as Error).message}); restore it from a backup, or check its permissions.`,
    );
  }
}
