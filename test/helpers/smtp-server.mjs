// A real SMTP server for the dispatch tests and the bench: the nodemailer project's `smtp-server`
// on 127.0.0.1 (a free port), in a CHILD process of its own, so that the CLI under test and the
// server are separate processes and a `kill -9` of the CLI leaves the server running. It takes a
// login (user "registry", the password given), optionally STARTTLS or TLS from the start with a
// certificate made by openssl at start, and stores each message it takes, raw, as
// DIR/messages/NNNNNN.eml (with its envelope in NNNNNN.json), before it answers 250.
//
// Faults on demand: refuse chosen recipients with 550, or with 450 the first N times; drop the
// connection at the MAIL FROM that follows the Kth message taken (the message never handed over),
// or right after storing the Kth message, before answering (the message left, the client does
// not know); refuse every login after the first N (a password changed in the middle of a batch).
// Plain JavaScript (types in smtp-server.d.mts) so the bench can use it with node alone.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);

/** A self-signed certificate for 127.0.0.1 and localhost (cert.pem, key.pem), its own CA. */
function makeCertificate(dir) {
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-days',
      '7',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl failed: ${r.error?.message ?? r.stderr}`);
}

/**
 * Starts the server in a child process. Options: { dir, password, tls: 'none'|'starttls'|'implicit',
 * refuse550: [address], refuse450: {address: times}, dropAtMail: [k], dropAfterData: [k] }.
 */
export async function startSmtpServer(options = {}) {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'nvsmtp-'));
  mkdirSync(join(dir, 'messages'), { recursive: true });
  const config = {
    dir,
    user: 'registry',
    password: options.password ?? 'test-smtp-password',
    tls: options.tls ?? 'none',
    refuse550: options.refuse550 ?? [],
    refuse450: options.refuse450 ?? {},
    dropAtMail: options.dropAtMail ?? [],
    dropAfterData: options.dropAfterData ?? [],
    refuseLoginsAfter: options.refuseLoginsAfter ?? null,
  };
  if (config.tls !== 'none') makeCertificate(dir);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const child = spawn(process.execPath, [SELF, join(dir, 'config.json')], {
    // The server's stdin is a pipe from its parent: when the parent goes, so does the server.
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise((ok, fail) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) ok(Number(m[1]));
    });
    child.on('exit', (code) => fail(new Error(`the SMTP server stopped at start (exit ${code})`)));
  });
  const scheme = config.tls === 'implicit' ? 'smtps' : 'smtp';
  return {
    dir,
    port,
    user: config.user,
    password: config.password,
    url: `${scheme}://${config.user}@127.0.0.1:${port}`,
    caFile: config.tls === 'none' ? undefined : join(dir, 'cert.pem'),
    /** Every message taken so far, in order: raw bytes and envelope. */
    messages() {
      return readdirSync(join(dir, 'messages'))
        .filter((f) => f.endsWith('.eml'))
        .sort()
        .map((f) => ({
          file: join(dir, 'messages', f),
          raw: readFileSync(join(dir, 'messages', f)),
          envelope: JSON.parse(readFileSync(join(dir, 'messages', f.replace(/\.eml$/, '.json')), 'utf8')),
        }));
    },
    /** What the server did besides taking messages: refusals, drops. */
    events() {
      try {
        return readFileSync(join(dir, 'events.jsonl'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l));
      } catch {
        return [];
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

/** The server itself, in the child. */
async function serve(configFile) {
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  const { SMTPServer } = await import('smtp-server');
  const { appendFileSync } = await import('node:fs');
  const event = (e) => appendFileSync(join(config.dir, 'events.jsonl'), JSON.stringify(e) + '\n');
  const sockets = new Set();
  let stored = 0;
  let logins = 0;
  const dropped = new Set();
  const tempLeft = { ...config.refuse450 };
  const dropAll = (why) => {
    event({ drop: why, after: stored });
    for (const s of sockets) s.destroy();
  };
  const tls = config.tls !== 'none';
  const server = new SMTPServer({
    secure: config.tls === 'implicit',
    ...(tls
      ? { key: readFileSync(join(config.dir, 'key.pem')), cert: readFileSync(join(config.dir, 'cert.pem')) }
      : { disabledCommands: ['STARTTLS'] }),
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, cb) {
      logins += 1;
      const refused = config.refuseLoginsAfter !== null && logins > config.refuseLoginsAfter;
      if (!refused && auth.username === config.user && auth.password === config.password)
        return cb(null, { user: auth.username });
      event({ authFailed: auth.username });
      return cb(new Error('Invalid username or password'));
    },
    onMailFrom(_address, _session, cb) {
      if (config.dropAtMail.includes(stored) && !dropped.has(`mail${stored}`)) {
        dropped.add(`mail${stored}`);
        return dropAll('mail');
      }
      return cb();
    },
    onRcptTo(address, _session, cb) {
      const a = address.address.toLowerCase();
      if (config.refuse550.includes(a)) {
        event({ refused: a, code: 550 });
        const e = new Error(`5.1.1 <${a}>: Recipient address rejected: mailbox unavailable`);
        e.responseCode = 550;
        return cb(e);
      }
      if ((tempLeft[a] ?? 0) > 0) {
        tempLeft[a] -= 1;
        event({ refused: a, code: 450 });
        const e = new Error(`4.2.1 <${a}>: mailbox busy, try again later`);
        e.responseCode = 450;
        return cb(e);
      }
      return cb();
    },
    onData(stream, session, cb) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        stored += 1;
        const name = String(stored).padStart(6, '0');
        writeFileSync(
          join(config.dir, 'messages', `${name}.json`),
          JSON.stringify({
            from: session.envelope.mailFrom && session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            user: session.user,
            secure: !!session.secure,
          }),
        );
        writeFileSync(join(config.dir, 'messages', `${name}.eml`), Buffer.concat(chunks));
        if (config.dropAfterData.includes(stored)) return dropAll('data');
        cb(null, `OK: queued as ${name}`);
      });
    },
  });
  server.on('error', () => {});
  server.server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`listening ${server.server.address().port}\n`);
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
  process.on('SIGTERM', () => {
    for (const s of sockets) s.destroy();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
  });
}

if (process.argv[1] === SELF) await serve(process.argv[2]);
