/** Types of smtp-server.mjs (plain JavaScript so that the bench can use it with node alone). */
export interface SmtpServerOptions {
  /** Where the messages are stored (made if missing); default a new folder under /tmp. */
  dir?: string;
  /** The password of the user "registry"; default "test-smtp-password". */
  password?: string;
  /** none (default), starttls (offered on smtp://) or implicit (smtps://). */
  tls?: 'none' | 'starttls' | 'implicit';
  /** Recipients refused with 550 at RCPT TO. */
  refuse550?: string[];
  /** Recipients refused with 450 the first N times. */
  refuse450?: Record<string, number>;
  /** Drop the connection at the MAIL FROM that follows the Kth message taken (K = 0: the first). */
  dropAtMail?: number[];
  /** Drop the connection right after storing the Kth message (1-based), before answering 250. */
  dropAfterData?: number[];
  /** Refuse every login after the first N (535), as when the password is changed mid-batch. */
  refuseLoginsAfter?: number;
}

export interface StoredMessage {
  file: string;
  raw: Buffer;
  envelope: { from: string; to: string[]; user: string; secure: boolean };
}

export interface SmtpTestServer {
  dir: string;
  port: number;
  user: string;
  password: string;
  /** smtp://registry@127.0.0.1:PORT (smtps:// with tls: implicit); no password. */
  url: string;
  /** With TLS: the server's self-signed certificate, to give as its CA. */
  caFile: string | undefined;
  messages(): StoredMessage[];
  events(): Record<string, unknown>[];
  stop(): Promise<void>;
}

export declare function startSmtpServer(options?: SmtpServerOptions): Promise<SmtpTestServer>;
