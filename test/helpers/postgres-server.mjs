// A throwaway PostgreSQL server for the tests and for CI: `initdb` into a folder, `pg_ctl start` on
// a free port of 127.0.0.1 with trust authentication and fsync off, optionally with TLS (a CA and a
// server certificate made with openssl). Plain JavaScript (types in postgres-server.d.mts) so that
// .ci/run can call it with node alone:
//
//   node test/helpers/postgres-server.mjs start DIR   prints postgres://postgres@127.0.0.1:PORT/postgres
//   node test/helpers/postgres-server.mjs stop DIR    stops the server whose data is in DIR/data
//
// As root the PostgreSQL programs run as the `postgres` user (`runuser -u postgres --`, from `/`,
// with DIR owned by postgres): initdb refuses root. `pg_ctl` always gets `-l LOG`: without it the
// server keeps the caller's output pipe open and a caller that reads it to the end waits forever.
// DIR stays short (the Unix socket DIR/.s.PGSQL.PORT must fit in about 100 characters).
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';

const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

/** A program of the PostgreSQL server: on the PATH, else under /usr/lib/postgresql/VERSION/bin (highest). */
export function postgresBinary(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(base, v, 'bin', name)))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(base, versions[0], 'bin', name) : null;
}

/** Why a test server cannot be started here, or null when it can. */
export function whyNoPostgresServer() {
  for (const name of ['initdb', 'pg_ctl']) {
    if (!postgresBinary(name)) return `${name} is not installed (apt-get install postgresql)`;
  }
  if (IS_ROOT && spawnSync('id', ['-u', 'postgres']).status !== 0)
    return 'running as root and there is no "postgres" user to run the server as';
  return null;
}

/** Runs a PostgreSQL program (as `postgres` when we are root), from `/`; throws with its output on failure. */
function run(name, args, { log } = {}) {
  const bin = postgresBinary(name);
  if (!bin) throw new Error(`${name} is not installed (apt-get install postgresql)`);
  const [cmd, argv] = IS_ROOT ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, {
    cwd: '/',
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  if (r.status !== 0) {
    const tail = log && existsSync(log) ? `\n--- last lines of ${log} ---\n${lastLines(log, 20)}` : '';
    throw new Error(
      `${name} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr || r.stdout || '').trim()}${tail}`,
    );
  }
  return r.stdout;
}

/** The last `n` lines of a text file. */
export function lastLines(file, n = 20) {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
}

/** A port of 127.0.0.1 that nobody listens on right now. */
function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** Gives `path` (and, for a folder, what is in it) to the postgres user when we are root. */
function giveToPostgres(path) {
  if (!IS_ROOT) return;
  const r = spawnSync('chown', ['-R', 'postgres:postgres', path]);
  if (r.status !== 0) throw new Error(`chown postgres ${path} failed: ${r.stderr}`);
}

/** Runs openssl; throws with its output on failure. */
function openssl(args, cwd) {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
}

/** A CA (ca.crt) and a server certificate signed by it for 127.0.0.1 and localhost (server.crt, server.key). */
function makeCertificates(dir) {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '7',
      '-subj',
      '/CN=nv test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'], dir);
  writeFileSync(
    join(dir, 'server.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' +
      'subjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '7',
      '-extfile',
      'server.ext',
    ],
    dir,
  );
  // PostgreSQL refuses a key that others can read; it must belong to the user the server runs as.
  chmodSync(join(dir, 'server.key'), 0o600);
  chmodSync(join(dir, 'ca.key'), 0o600);
  if (IS_ROOT) {
    const r = spawnSync('chown', ['postgres:postgres', join(dir, 'server.key'), join(dir, 'server.crt')]);
    if (r.status !== 0) throw new Error(`chown postgres server.key failed: ${r.stderr}`);
  }
}

/** The file in DIR that records the port (and whether TLS is on), for whoever looks at DIR later. */
const STATE = 'server.json';

/**
 * Starts a server. `dir`: the caller's folder (made if missing; left in place by stop(), with the
 * data and the log in it); without it a new folder /tmp/nvpg-XXXXXX that stop() removes.
 * Returns { url, dir, port, caFile?, stop(), restart(), kill(), start() }.
 */
export async function startServer({ dir, ssl = false } = {}) {
  const why = whyNoPostgresServer();
  if (why) throw new Error(`cannot start a PostgreSQL server: ${why}`);
  const ownDir = !dir;
  const root = dir ? resolve(dir) : mkdtempSync('/tmp/nvpg-');
  if (/[\s'"\\$`]/.test(root))
    throw new Error(`the server folder must not contain spaces or quotes: ${root}`);
  if (root.length > 80)
    throw new Error(`the server folder is too long for a Unix socket (keep it under 80 characters): ${root}`);
  mkdirSync(root, { recursive: true });
  const data = join(root, 'data');
  const log = join(root, 'server.log');
  if (ssl && !existsSync(join(root, 'server.crt'))) makeCertificates(root);
  giveToPostgres(root);
  if (!existsSync(join(data, 'PG_VERSION'))) {
    run('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ]);
  }
  const options = (port) =>
    [
      `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      ssl
        ? `-c ssl=on -c ssl_cert_file=${join(root, 'server.crt')} -c ssl_key_file=${join(root, 'server.key')}`
        : '',
    ].join(' ');
  const pgCtl = (args) => run('pg_ctl', ['-D', data, '-l', log, '-w', ...args], { log });

  let port;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      pgCtl(['-o', options(port), 'start']);
      break;
    } catch (e) {
      // Someone took the port between freePort() and the server's bind: try another one.
      const taken = /could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(
        lastLines(log, 10),
      );
      if (!taken || attempt >= 5) throw e;
    }
  }
  writeFileSync(join(root, STATE), `${JSON.stringify({ port, ssl })}\n`);
  giveToPostgres(join(root, STATE));

  const server = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir: root,
    port,
    /** Starts it again on the same port (after kill() or stop() of a caller's folder). */
    start: async () => {
      pgCtl(['-o', options(port), 'start']);
    },
    /** A fast shutdown and a start on the same port, with the same data. */
    restart: async () => {
      pgCtl(['-o', options(port), '-m', 'fast', 'restart']);
    },
    /** An immediate shutdown (no checkpoint: as after a crash); start() or restart() bring it back. */
    kill: async () => {
      pgCtl(['-m', 'immediate', 'stop']);
    },
    /** Stops the server; removes the folder only when startServer made it. */
    stop: async () => {
      if (isRunning(data)) pgCtl(['-m', 'fast', 'stop']);
      if (ownDir) rmSync(root, { recursive: true, force: true });
    },
  };
  if (ssl) server.caFile = join(root, 'ca.crt');
  return server;
}

/** Whether a server runs on the data folder (pg_ctl status). */
function isRunning(data) {
  if (!existsSync(join(data, 'postmaster.pid'))) return false;
  try {
    run('pg_ctl', ['-D', data, 'status']);
    return true;
  } catch {
    return false;
  }
}

/** Stops the server started in `dir` (by the CLI or startServer({ dir })); leaves the folder. */
export function stopServer(dir) {
  const data = join(resolve(dir), 'data');
  if (!existsSync(data) || !statSync(data).isDirectory())
    throw new Error(`no PostgreSQL data folder in ${dir}`);
  if (isRunning(data))
    run('pg_ctl', ['-D', data, '-l', join(resolve(dir), 'server.log'), '-w', '-m', 'fast', 'stop']);
}

async function main(argv) {
  const [command, dir] = argv;
  if (!['start', 'stop'].includes(command) || !dir) {
    console.error('usage: node test/helpers/postgres-server.mjs start|stop DIR [--ssl]');
    return 2;
  }
  try {
    if (command === 'start') {
      const server = await startServer({ dir, ssl: argv.includes('--ssl') });
      console.log(server.url);
    } else {
      stopServer(dir);
    }
    return 0;
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  process.exitCode = await main(process.argv.slice(2));
}
