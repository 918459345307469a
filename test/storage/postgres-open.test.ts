/**
 * Choosing the register: NV_DATABASE_URL (wins) or nv.yaml's `register:` open PostgreSQL;
 * `migrateRegister` (nv db migrate) says from which schema to which.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { migrateRegister } from '../../src/storage/migrate.js';
import { openRegister } from '../../src/storage/open.js';
import { MIGRATIONS } from '../../src/storage/postgres/schema.js';
import { describePg, dropDatabase, freshDatabase } from '../helpers/postgres.js';

const ACTOR = { user: 'officer', command: 'nv db migrate' };

describePg('openRegister and migrateRegister with PostgreSQL', () => {
  const root = mkdtempSync(join(tmpdir(), 'nv-unit-pgopen-'));
  const sqlitePath = join(root, '.nv', 'registry.sqlite');
  let url: string;
  let other: string;
  beforeAll(async () => {
    url = await freshDatabase('nv_open');
    other = await freshDatabase('nv_open');
  });
  afterAll(async () => {
    await dropDatabase(url);
    await dropDatabase(other);
    rmSync(root, { recursive: true, force: true });
  });

  it('migrateRegister migrates the database nv.yaml names, from 0 to the current schema, then finds nothing to do', async () => {
    const ws = { root, sqlitePath, register: { url } };
    const location = `PostgreSQL postgres@${new URL(url).host}${new URL(url).pathname}`;
    expect(await migrateRegister(ws, ACTOR, {})).toEqual({
      engine: 'postgresql',
      location,
      from: 0,
      to: MIGRATIONS.length,
    });
    expect((await migrateRegister(ws, ACTOR, {})).from).toBe(MIGRATIONS.length);
  });

  it('opens the database of register: in nv.yaml; NV_DATABASE_URL wins over it', async () => {
    const fromYaml = await openRegister(sqlitePath, {}, { register: url, workspace: root });
    expect(fromYaml.location).toBe(`PostgreSQL postgres@${new URL(url).host}${new URL(url).pathname}`);
    await fromYaml.close();
    // The variable names another database, never migrated: refused, naming it.
    const e = await openRegister(
      sqlitePath,
      { NV_DATABASE_URL: other },
      { register: url, workspace: root },
    ).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).toContain(`${new URL(other).pathname.slice(1)} has schema version 0`);
  });
});
