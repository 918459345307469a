import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { makeRedactor, postgresSettings, registerTarget } from '../../src/storage/postgres/settings.js';

const workspace = mkdtempSync(join(tmpdir(), 'nv-unit-pgsettings-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const fromEnv = (url: string, env: NodeJS.ProcessEnv = {}) =>
  postgresSettings({ url, source: 'NV_DATABASE_URL' }, { workspace, env });
const fromYaml = (url: string, ca?: string, env: NodeJS.ProcessEnv = {}) =>
  postgresSettings({ url, ca, source: 'nv.yaml' }, { workspace, env });

function refusal(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('not refused');
}

describe('PostgreSQL settings', () => {
  it('NV_DATABASE_URL wins over nv.yaml; no setting and no variable is SQLite', () => {
    expect(registerTarget({ NV_DATABASE_URL: 'postgres://a@h/x' }, 'postgres://b@h/y')).toEqual({
      url: 'postgres://a@h/x',
      source: 'NV_DATABASE_URL',
    });
    expect(registerTarget({}, { url: 'postgres://b@h/y', ca: 'certs/ca.pem' })).toEqual({
      url: 'postgres://b@h/y',
      ca: 'certs/ca.pem',
      source: 'nv.yaml',
    });
    expect(registerTarget({}, undefined)).toBeUndefined();
  });

  it('reads host, port, database and user; location names them and never the password', () => {
    const s = fromEnv('postgres://nv:s%40cret-pw@db.example.org:6543/register?sslmode=disable');
    expect(s.pool).toMatchObject({
      host: 'db.example.org',
      port: 6543,
      database: 'register',
      user: 'nv',
      password: 's@cret-pw',
      ssl: false,
    });
    expect(s.location).toBe('PostgreSQL nv@db.example.org:6543/register');
    expect(s.location).not.toContain('cret');
    expect(s.redact('failed for postgres://nv:s%40cret-pw@db: s@cret-pw')).toBe(
      'failed for postgres://nv@db: ***',
    );
  });

  it('takes the password from NV_DATABASE_PASSWORD, else PGPASSWORD; the URL’s own wins', () => {
    expect(fromEnv('postgres://nv@h/x', { NV_DATABASE_PASSWORD: 'a', PGPASSWORD: 'b' }).pool.password).toBe(
      'a',
    );
    expect(fromEnv('postgres://nv@h/x', { PGPASSWORD: 'b' }).pool.password).toBe('b');
    expect(fromEnv('postgres://nv:u@h/x', { NV_DATABASE_PASSWORD: 'a' }).pool.password).toBe('u');
    expect(fromYaml('postgres://nv@h/x', undefined, { NV_DATABASE_PASSWORD: 'a' }).pool.password).toBe('a');
    expect(fromEnv('postgres://nv@h/x').pool).toMatchObject({ port: 5432, password: undefined });
  });

  it('refuses a password written in nv.yaml, pointing to NV_DATABASE_PASSWORD, without repeating it', () => {
    const e = refusal(() => fromYaml('postgres://nv:hunter2@db/nv'));
    expect(e.message).toContain('NV_DATABASE_PASSWORD');
    expect(e.message).not.toContain('hunter2');
  });

  it('refuses a URL that is not postgres://, without its password', () => {
    const e = refusal(() => fromEnv('mysql://nv:hunter2@db/nv'));
    expect(e.message).toMatch(/not a postgres:\/\/ URL/);
    expect(e.message).not.toContain('hunter2');
  });

  it('maps sslmode to TLS settings; prefer is the default', () => {
    expect(fromEnv('postgres://h/x').sslmode).toBe('prefer');
    expect(fromEnv('postgres://h/x').pool.ssl).toEqual({ rejectUnauthorized: false });
    expect(fromEnv('postgres://h/x?sslmode=require').pool.ssl).toEqual({ rejectUnauthorized: false });
    expect(fromEnv('postgres://h/x?sslmode=verify-full').pool.ssl).toEqual({ rejectUnauthorized: true });
    const verifyCa = fromEnv('postgres://h/x?sslmode=verify-ca').pool.ssl as {
      checkServerIdentity?: unknown;
    };
    expect(verifyCa.checkServerIdentity).toBeTypeOf('function');
  });

  it('refuses an unknown sslmode, naming it', () => {
    expect(refusal(() => fromEnv('postgres://h/x?sslmode=maybe')).message).toMatch(
      /sslmode=maybe.*verify-full/,
    );
  });

  it('reads the CA file relative to the workspace (sslrootcert or ca:), and refuses one it cannot read', () => {
    writeFileSync(join(workspace, 'ca.pem'), 'PEM');
    const s = fromEnv('postgres://h/x?sslmode=verify-full&sslrootcert=ca.pem');
    expect(s.pool.ssl).toEqual({ rejectUnauthorized: true, ca: 'PEM' });
    expect(fromYaml('postgres://h/x', 'ca.pem').sslmode).toBe('verify-full');
    const e = refusal(() => fromYaml('postgres://h/x?sslmode=verify-ca', 'certs/missing.pem'));
    expect(e.message).toContain(join(workspace, 'certs/missing.pem'));
    expect(e.message).toContain('ENOENT');
  });

  it('redacts any URL password, and the password itself, from a message', () => {
    const redact = makeRedactor('p@ss');
    expect(redact('connect postgresql://u:zz@h:1/d failed: p@ss p%40ss')).toBe(
      'connect postgresql://u@h:1/d failed: *** ***',
    );
  });
});
