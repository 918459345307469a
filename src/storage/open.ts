import { dirname } from 'node:path';
import { UserError } from '../errors.js';
import { postgresSettings, registerTarget, type RegisterSetting } from './postgres/settings.js';
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
 * Opens the workspace's register: PostgreSQL when NV_DATABASE_URL (which wins) or `register:` in
 * nv.yaml names one, else the SQLite file `.nv/registry.sqlite`.
 */
export async function openRegister(
  sqlitePath: string,
  env: NodeJS.ProcessEnv = process.env,
  options: Pick<ConnectionOptions, 'onWait' | 'holder'> & {
    /** nv.yaml's `register:`. */
    register?: RegisterSetting | undefined;
    /** The workspace root (default: the folder holding `.nv/`). */
    workspace?: string;
  } = {},
): Promise<Register> {
  const { register, workspace = dirname(dirname(sqlitePath)), ...connection } = options;
  const target = registerTarget(env, register);
  if (target) {
    // The PostgreSQL driver (some 40 modules) is loaded only for a PostgreSQL register.
    const { PostgresRegister } = await import('./postgres/register.js');
    return PostgresRegister.open(postgresSettings(target, { workspace, env }), { workspace });
  }
  try {
    return new SqliteRegister(sqlitePath, { ...connection, waitMs: waitMs(env) });
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
