/**
 * Where the PostgreSQL register is and how to reach it: NV_DATABASE_URL (wins) or `register:` in
 * nv.yaml (a URL, or `{ url, ca }`), the password from the URL of NV_DATABASE_URL, or
 * NV_DATABASE_PASSWORD, or PGPASSWORD (never from nv.yaml), `sslmode` as libpq reads it.
 *
 * The password never leaves this module except inside the `pg` pool settings: `location` and
 * `target` name user@host:port/database only, and `redact` takes it (and any URL's password) out
 * of every message the storage layer lets through.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { PoolConfig } from 'pg';
import { UserError } from '../../errors.js';

export const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** What `register:` in nv.yaml may say. */
export type RegisterSetting = string | { url: string; ca?: string | undefined };

/** Where the register's URL came from, for messages. */
export type SettingSource = 'NV_DATABASE_URL' | 'nv.yaml' | '--to';

export interface PostgresSettings {
  /** For `new pg.Pool(...)`: host, port, database, user, password, ssl. */
  pool: PoolConfig;
  /** "PostgreSQL nv@db.example.org:5432/nv" (never a password). */
  location: string;
  /** "nv@db.example.org:5432/nv", for sentences. */
  target: string;
  /** "db.example.org:5432/nv", for a server that cannot be reached. */
  address: string;
  user: string;
  sslmode: SslMode;
  /** Takes the password (and any URL's password) out of a message. */
  redact: (message: string) => string;
}

const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//i.test(url);

/**
 * The register's URL and CA file, when the workspace uses PostgreSQL: NV_DATABASE_URL wins over
 * nv.yaml's `register:`. Undefined: the embedded SQLite register.
 */
export function registerTarget(
  env: NodeJS.ProcessEnv,
  setting: RegisterSetting | undefined,
): { url: string; ca?: string | undefined; source: SettingSource } | undefined {
  const fromEnv = env.NV_DATABASE_URL;
  if (fromEnv) return { url: fromEnv, source: 'NV_DATABASE_URL' };
  if (setting === undefined) return undefined;
  if (typeof setting === 'string') return { url: setting, source: 'nv.yaml' };
  return { url: setting.url, ca: setting.ca, source: 'nv.yaml' };
}

/** A URL's password taken out, for messages: postgres://nv:secret@host → postgres://nv@host. */
function stripUrlPasswords(message: string): string {
  return message.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s/]*@/gi, '$1@');
}

export function makeRedactor(password: string | undefined): (message: string) => string {
  const secrets = password
    ? [...new Set([password, encodeURIComponent(password)])].sort((a, b) => b.length - a.length)
    : [];
  return (message) => {
    let out = stripUrlPasswords(message);
    for (const s of secrets) out = out.split(s).join('***');
    return out;
  };
}

/**
 * The pool settings for a register URL. Refuses (UserError, exit 2) a URL that is not
 * postgres://, a password written in nv.yaml, an unknown sslmode, a CA file that cannot be read.
 */
export function postgresSettings(
  target: { url: string; ca?: string | undefined; source: SettingSource },
  options: { workspace: string; env?: NodeJS.ProcessEnv },
): PostgresSettings {
  const env = options.env ?? process.env;
  const redactAny = makeRedactor(undefined);
  if (!isPostgresUrl(target.url))
    throw new UserError(
      `The register URL in ${target.source} (${redactAny(target.url)}) is not a postgres:// URL; write e.g. postgres://nv@db.example.org:5432/nv.`,
    );
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new UserError(
      `The register URL in ${target.source} (${redactAny(target.url)}) cannot be read as a URL; write e.g. postgres://nv@db.example.org:5432/nv.`,
    );
  }
  const urlPassword = url.password ? decodeURIComponent(url.password) : undefined;
  if (urlPassword && target.source === 'nv.yaml')
    throw new UserError(
      'nv.yaml writes the register database password in its URL; remove it from nv.yaml and put it in NV_DATABASE_PASSWORD (or PGPASSWORD).',
    );
  const password = urlPassword ?? (env.NV_DATABASE_PASSWORD || env.PGPASSWORD || undefined);
  const redact = makeRedactor(password);

  const host = decodeURIComponent(url.hostname || 'localhost').replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : 5432;
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
  const user = decodeURIComponent(url.username) || env.PGUSER || env.USER || 'postgres';
  const address = `${host}:${port}/${database}`;
  const targetName = `${user}@${address}`;

  const params = url.searchParams;
  const caPath = target.ca ?? params.get('sslrootcert') ?? undefined;
  const mode = params.get('sslmode') ?? (caPath ? 'verify-full' : 'prefer');
  if (!(SSL_MODES as readonly string[]).includes(mode))
    throw new UserError(
      `The register URL in ${target.source} has sslmode=${mode}, which nv does not know; write one of ${SSL_MODES.join(', ')}.`,
    );
  const sslmode = mode as SslMode;
  let ca: string | undefined;
  if (caPath && (sslmode === 'verify-ca' || sslmode === 'verify-full')) {
    const file = isAbsolute(caPath) ? caPath : resolve(options.workspace, caPath);
    try {
      ca = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UserError(
        `The CA file ${file} of the register database cannot be read (${(e as { code?: string }).code ?? (e as Error).message}); check the path in ${target.source} (relative to the workspace).`,
      );
    }
  }
  const ssl: PoolConfig['ssl'] =
    sslmode === 'disable'
      ? false
      : sslmode === 'prefer' || sslmode === 'require'
        ? { rejectUnauthorized: false }
        : sslmode === 'verify-ca'
          ? { rejectUnauthorized: true, ...(ca ? { ca } : {}), checkServerIdentity: () => undefined }
          : { rejectUnauthorized: true, ...(ca ? { ca } : {}) };

  return {
    pool: {
      host,
      port,
      database,
      user,
      password,
      ssl,
      application_name: 'nv',
      // A server that accepts the connection but never answers is not waited for forever.
      connectionTimeoutMillis: 15_000,
    },
    location: `PostgreSQL ${targetName}`,
    target: targetName,
    address,
    user,
    sslmode,
    redact,
  };
}
