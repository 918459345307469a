/**
 * Where `nv dispatch` sends by SMTP and how: `--smtp URL` (wins) or `dispatch.smtp` in nv.yaml (a
 * URL, or `{url, ca}`), the password from NV_SMTP_PASSWORD only (a password written in nv.yaml is
 * refused; one in a `--smtp` URL is taken), `smtps://` for TLS from the start, STARTTLS when an
 * `smtp://` server offers it.
 *
 * The password leaves this module only inside `connection`: `server` names user@host:port, and
 * `redact` takes it (and any URL's password) out of every message nv shows or records.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { Workspace } from '../workspace/load.js';

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the start (smtps://). */
  secure: boolean;
  user: string | undefined;
  password: string | undefined;
  /** The CA that signs the server's certificate, when not a public one. */
  ca: string | undefined;
  /** "smtp://registry@mail.example.org:587" (never a password). */
  server: string;
  /** Takes the password (and any URL's password) out of a message. */
  redact: (message: string) => string;
  /** Messages a minute, or undefined: no pace. */
  pace: number | undefined;
  /** How often one message is tried on a temporary failure. */
  tries: number;
  /** Milliseconds before the first retry (doubled each time). */
  retryDelayMs: number;
}

/** `user:secret@` → `user@` in every URL of a message. */
function stripUrlPassword(message: string): string {
  return message.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*):[^\s/@]*@/gi, '$1@');
}

function redactor(password: string | undefined): (message: string) => string {
  const secrets = password ? [password, encodeURIComponent(password)].filter((s) => s.length > 0) : [];
  return (message) => secrets.reduce((m, s) => m.split(s).join('***'), stripUrlPassword(message));
}

/** Whether any SMTP server is named (flag or nv.yaml): the CLI's choice between drafts and SMTP. */
export function smtpConfigured(ws: Workspace, flag: string | undefined): boolean {
  return flag !== undefined || ws.config.dispatch?.smtp !== undefined;
}

/**
 * The SMTP settings of a dispatch. Refuses (UserError, exit 2) a URL that is not smtp(s)://, a
 * password in nv.yaml, a user without NV_SMTP_PASSWORD, a CA file that cannot be read.
 */
export function smtpSettings(
  ws: Workspace,
  opts: { smtp?: string | undefined; pace?: number | undefined; env?: NodeJS.ProcessEnv },
): SmtpSettings {
  const env = opts.env ?? process.env;
  const setting = ws.config.dispatch?.smtp;
  const fromFlag = opts.smtp !== undefined;
  const raw = fromFlag ? opts.smtp! : typeof setting === 'string' ? setting : setting?.url;
  const source = fromFlag ? '--smtp' : 'nv.yaml (dispatch.smtp)';
  if (raw === undefined)
    throw new UserError(
      'No way out is given: name the folder for .eml drafts with --drafts DIR, or the mail server with --smtp smtp://user@host:587 (or dispatch.smtp in nv.yaml).',
    );
  const anyRedact = redactor(undefined);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    url = new URL('invalid:');
  }
  if (!/^smtps?:$/i.test(url.protocol) || !url.hostname)
    throw new UserError(
      `The mail server in ${source} (${anyRedact(raw)}) is not an smtp:// or smtps:// URL; write e.g. smtp://registry@mail.example.org:587.`,
    );
  const urlPassword = url.password ? decodeURIComponent(url.password) : undefined;
  if (urlPassword && !fromFlag)
    throw new UserError(
      'nv.yaml writes the mail server password in dispatch.smtp; remove it from nv.yaml and put it in NV_SMTP_PASSWORD.',
    );
  const password = urlPassword ?? (env.NV_SMTP_PASSWORD || undefined);
  const redact = redactor(password);
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  if (user && !password)
    throw new UserError(
      `The mail server ${anyRedact(raw)} names the user ${user} but NV_SMTP_PASSWORD is not set; put that user's password in NV_SMTP_PASSWORD.`,
    );
  const secure = url.protocol.toLowerCase() === 'smtps:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const caPath = !fromFlag && typeof setting === 'object' ? setting.ca : undefined;
  let ca: string | undefined;
  if (caPath) {
    const file = isAbsolute(caPath) ? caPath : resolve(ws.root, caPath);
    try {
      ca = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UserError(
        `The CA file ${file} of the mail server cannot be read (${(e as { code?: string }).code ?? (e as Error).message}); check dispatch.smtp.ca in nv.yaml (relative to the workspace).`,
      );
    }
  }
  const d = ws.config.dispatch;
  return {
    host,
    port,
    secure,
    user,
    password,
    ca,
    server: `${secure ? 'smtps' : 'smtp'}://${user ? `${user}@` : ''}${host.includes(':') ? `[${host}]` : host}:${port}`,
    redact,
    pace: opts.pace ?? d?.pace,
    tries: d?.tries ?? 3,
    retryDelayMs: Math.round((d?.retry_delay ?? 5) * 1000),
  };
}
