// One `nv ingest` of one file, in its own process under /usr/bin/time: what it printed, how it
// ended, wall and CPU seconds, peak RSS. Shared by bench/intake-corpus.mjs and bench/fuzz/replies.mjs.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const NV = join(resolve(import.meta.dirname, '..'), 'bin', 'nv.js');

export function timedIngest(ws, file, flags, { timeoutSeconds = 300 } = {}) {
  const started = performance.now();
  const args = [
    'ingest',
    '-w',
    ws,
    '--json',
    '--yes',
    ...flags,
    '--state',
    'AUT',
    '--received',
    '2012-09-20 10:00',
    file,
  ];
  const r = spawnSync('/usr/bin/time', ['-f', 'NV-TIME %M %U %S', process.execPath, NV, ...args], {
    cwd: ws,
    encoding: 'utf8',
    timeout: timeoutSeconds * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 << 20,
  });
  const seconds = (performance.now() - started) / 1000;
  const t = /NV-TIME (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  const stderr = (r.stderr ?? '').replace(/NV-TIME [\d. ]+\n?/, '');
  // /usr/bin/time reports its child's end: "Command exited with non-zero status N", "Command terminated by signal N".
  const code = Number(/Command exited with non-zero status (\d+)/.exec(stderr)?.[1] ?? r.status);
  const signal = r.signal ?? /terminated by signal (\d+)/.exec(stderr)?.[1] ?? null;
  return {
    code,
    signal,
    stdout: r.stdout ?? '',
    stderr,
    timedOut: r.error?.code === 'ETIMEDOUT',
    seconds,
    cpuSeconds: t ? Number(t[2]) + Number(t[3]) : NaN,
    peakMb: t ? Math.round(Number(t[1]) / 1024) : null,
  };
}
