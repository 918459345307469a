/**
 * One connection to the mail server, opened (and logged in) when needed, closed after any error
 * and opened again for the next try. What went wrong is sorted into what nv does about it.
 */
import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SmtpSettings } from './smtp-settings.js';

/** What a failure means for the message in hand and for the batch. */
export type FailureKind =
  /** The server refused the login: the batch stops. */
  | 'auth'
  /** A certificate that is not trusted, a server that does not speak SMTP: the batch stops. */
  | 'setup'
  /** 5xx: the message will not be taken, ever. */
  | 'permanent'
  /** 4xx, or the connection could not be made or broke before the message was handed over. */
  | 'temporary'
  /** The connection broke after the message was handed over: it may or may not have left. */
  | 'uncertain';

export interface SmtpFailure {
  kind: FailureKind;
  /** Before the connection was up (connect, TLS, login), as opposed to while sending. */
  connecting: boolean;
  /** The server's words, or what the connection said; password redacted. */
  words: string;
}

export interface Delivery {
  /** The server's reply to the message (`250 OK: queued as …`). */
  response: string;
  /** Addresses the server refused while taking the message for the others, with its words. */
  refused: { address: string; words: string }[];
}

type SmtpError = SMTPConnection.SMTPError & { rejectedErrors?: SMTPConnection.SMTPError[] };

const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EDNS',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

function words(e: SmtpError, redact: (s: string) => string): string {
  const text = e.response ?? `${e.message}${e.code && !e.message.includes(e.code) ? ` (${e.code})` : ''}`;
  return redact(text.replace(/\s+/g, ' ').trim());
}

/** The kind of a failure; `handed`: the message's bytes had started to go to the server. */
export function classify(
  e: SmtpError,
  handed: boolean,
  connecting: boolean,
  redact: (s: string) => string,
): SmtpFailure {
  const said = (kind: FailureKind): SmtpFailure => ({ kind, connecting, words: words(e, redact) });
  if (e.code === 'EAUTH' || e.responseCode === 535 || e.responseCode === 534 || e.responseCode === 530)
    return said('auth');
  // Every recipient refused: temporary when any refusal was, permanent otherwise.
  const refusals = e.rejectedErrors ?? [];
  if (refusals.length) {
    const kind = refusals.some((r) => (r.responseCode ?? 0) < 500) ? 'temporary' : 'permanent';
    return {
      kind,
      connecting,
      words: redact(refusals.map((r) => words(r, (s) => s)).join('; ')),
    };
  }
  if (e.responseCode !== undefined && e.responseCode >= 500) return said('permanent');
  if (e.responseCode !== undefined && e.responseCode >= 400) return said('temporary');
  // nodemailer's own refusals of this message (an address it cannot write, a size over the
  // server's limit): this message will not go, the next may.
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') return said(handed ? 'uncertain' : 'permanent');
  if (e.code === 'ETLS' || /certificate|self[- ]signed|SSL|TLS/i.test(e.message)) return said('setup');
  if (e.code === undefined || CONNECTION_CODES.has(e.code) || /closed|timeout|timed out/i.test(e.message))
    return said(handed ? 'uncertain' : 'temporary');
  return said(handed ? 'uncertain' : 'setup');
}

export class SmtpLink {
  private conn: SMTPConnection | undefined;

  constructor(private readonly s: SmtpSettings) {}

  /** Connects and logs in, unless connected already; rejects with an SmtpFailure. */
  async open(): Promise<void> {
    if (this.conn) return;
    const s = this.s;
    const conn = new SMTPConnection({
      host: s.host,
      port: s.port,
      secure: s.secure,
      // STARTTLS when the server offers it (nodemailer's default); the certificate is checked.
      tls: { rejectUnauthorized: true, ...(s.ca ? { ca: s.ca } : {}), servername: s.host },
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 120_000,
    });
    // Errors come through the callbacks; an 'error' event without a listener would end the process.
    conn.on('error', () => {});
    // A connection the server closed while idle (between paced messages) is opened anew next time.
    conn.on('end', () => {
      if (this.conn === conn) this.conn = undefined;
    });
    // connect() and login() answer a failure of the connection by an 'error' (or 'end') event
    // rather than through their callbacks: each step waits for whichever comes first.
    const step = (run: (done: (e?: SmtpError | null) => void) => void) =>
      new Promise<void>((ok, fail) => {
        const onError = (e: SmtpError) => fail(e);
        const onEnd = () =>
          fail(Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION' }));
        conn.once('error', onError);
        conn.once('end', onEnd);
        run((e) => {
          conn.off('error', onError);
          conn.off('end', onEnd);
          if (e) fail(e);
          else ok();
        });
      });
    try {
      await step((done) => conn.connect(done));
      if (s.user) await step((done) => conn.login({ user: s.user!, pass: s.password ?? '' }, done));
    } catch (e) {
      conn.close();
      throw classify(e as SmtpError, false, true, s.redact);
    }
    this.conn = conn;
  }

  /** Hands one message to the server; rejects with an SmtpFailure (the connection then closed). */
  async send(from: string, to: string[], bytes: Buffer): Promise<Delivery> {
    await this.open();
    const conn = this.conn!;
    let handed = false;
    // The server is given the bytes only once it has taken the envelope (DATA answered 354):
    // the first read marks the message as handed over.
    let given = false;
    const stream = new Readable({
      read() {
        handed = true;
        if (given) return void this.push(null);
        given = true;
        this.push(bytes);
      },
    });
    try {
      const info = await new Promise<SMTPConnection.SentMessageInfo>((ok, fail) =>
        conn.send({ from, to }, stream, (e, i) => (e ? fail(e) : ok(i))),
      );
      return {
        response: this.s.redact(info.response),
        refused: (info.rejectedErrors ?? []).map((r) => ({
          address: (r as SmtpError & { recipient?: string }).recipient ?? '',
          words: words(r, this.s.redact),
        })),
      };
    } catch (e) {
      this.close();
      throw classify(e as SmtpError, handed, false, this.s.redact);
    }
  }

  close(): void {
    const conn = this.conn;
    this.conn = undefined;
    if (!conn) return;
    try {
      conn.quit();
    } catch {
      // already gone
    }
    conn.close();
  }
}
