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
  return new SqliteRegister(sqlitePath);
}
