/**
 * `nv db migrate`: brings the workspace's register to this nv's schema. PostgreSQL is migrated
 * only here (one transaction, under an advisory lock); a SQLite register migrates itself whenever
 * it is opened, so this opens it and says its schema is current.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { Actor } from '../audit.js';
import { openRegister } from './open.js';
import { migratePostgres } from './postgres/schema.js';
import { postgresSettings, registerTarget, type RegisterSetting } from './postgres/settings.js';
import { MIGRATIONS as SQLITE_MIGRATIONS } from './sqlite/schema.js';

export interface MigrateResult {
  engine: 'postgresql' | 'sqlite';
  /** Where the register lives (never a password). */
  location: string;
  /** The schema version before and after. */
  from: number;
  to: number;
}

export async function migrateRegister(
  workspace: { root: string; sqlitePath: string; register?: RegisterSetting | undefined },
  actor: Actor,
  env: NodeJS.ProcessEnv = process.env,
): Promise<MigrateResult> {
  const target = registerTarget(env, workspace.register);
  if (target) {
    const settings = postgresSettings(target, { workspace: workspace.root, env });
    return { engine: 'postgresql', location: settings.location, ...(await migratePostgres(settings, actor)) };
  }
  let from = 0;
  if (existsSync(workspace.sqlitePath)) {
    const db = new Database(workspace.sqlitePath, { readonly: true, fileMustExist: true });
    try {
      from = db.pragma('user_version', { simple: true }) as number;
    } finally {
      db.close();
    }
  }
  const register = await openRegister(workspace.sqlitePath, env, { workspace: workspace.root });
  try {
    return { engine: 'sqlite', location: register.location, from, to: SQLITE_MIGRATIONS.length };
  } finally {
    await register.close();
  }
}
