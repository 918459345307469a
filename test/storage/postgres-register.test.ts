/**
 * The register contract (test/storage/register-contract.ts) on PostgreSQL: `open(path)` gives
 * the same fresh database for the same path (migrated on first open), so that reopening a path
 * reopens its register, as a SQLite file would.
 */
import { dirname } from 'node:path';
import { afterAll } from 'vitest';
import { PostgresRegister } from '../../src/storage/postgres/register.js';
import { migratePostgres } from '../../src/storage/postgres/schema.js';
import { postgresSettings } from '../../src/storage/postgres/settings.js';
import { describePg, dropDatabase, freshDatabase } from '../helpers/postgres.js';
import { registerContract } from './register-contract.js';

const databases = new Map<string, string>();

describePg('PostgresRegister', () => {
  afterAll(async () => {
    for (const url of databases.values()) await dropDatabase(url);
  });

  registerContract('PostgresRegister', async (path) => {
    // The contract's path is <workspace>/.nv/registry.sqlite: the archive cache goes in that workspace.
    const workspace = dirname(dirname(path));
    let url = databases.get(path);
    const settings = (u: string) =>
      postgresSettings({ url: u, source: 'NV_DATABASE_URL' }, { workspace, env: {} });
    if (!url) {
      url = await freshDatabase('nv_contract');
      databases.set(path, url);
      await migratePostgres(settings(url), { user: 'contract', command: 'nv db migrate' });
    }
    return PostgresRegister.open(settings(url), { workspace });
  });
});
