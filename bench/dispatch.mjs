#!/usr/bin/env node
// Benchmark: `nv dispatch` of the uncac-2012 example's 195 notes, as .eml drafts (--drafts) and
// sent by SMTP to a local smtp-server (test/helpers/smtp-server.mjs, a child process on
// 127.0.0.1, login, no TLS), wall time, CPU and peak memory (RSS) of the nv process, measured by
// /usr/bin/time. The notes are generated once, not timed; each run starts from a copy of that
// workspace with nothing dispatched yet. Needs `npm run build` and the dev dependencies.
//
//   node bench/dispatch.mjs [--runs 5] [--record]
//
// --record appends the results, with the machine, date and commit, to bench/RESULTS.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSmtpServer } from '../test/helpers/smtp-server.mjs';
import { machine, revision } from './context.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const NV = join(ROOT, 'bin', 'nv.js');
const OUT = join(ROOT, 'bench', 'out', 'dispatch');
const REF = 'CU 2012/150';
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;
const record = args.includes('--record');
const env = { ...process.env, CI: 'true', NO_COLOR: '1' };

function timed(argv, opts) {
  // GNU time prints "elapsed maxrss user system" on its own last line of stderr.
  const r = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %M %U %S', process.execPath, NV, ...argv], {
    encoding: 'utf8',
    ...opts,
  });
  const m = /BENCH ([\d.]+) (\d+) ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || !m)
    throw new Error(`nv ${argv.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return {
    wall: Number(m[1]),
    rssMb: Number(m[2]) / 1024,
    cpu: Number(m[3]) + Number(m[4]),
    stdout: r.stdout,
  };
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const base = join(OUT, 'generated');
execFileSync(process.execPath, [NV, 'init', base, '--example', 'uncac-2012', '--yes'], {
  env,
  stdio: 'pipe',
});
execFileSync(process.execPath, [NV, 'generate', '--yes', '--format', 'pdf'], {
  cwd: base,
  env,
  stdio: 'pipe',
});

function copy(name) {
  const ws = join(OUT, name);
  rmSync(ws, { recursive: true, force: true });
  cpSync(base, ws, { recursive: true });
  return ws;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
async function measure(label, one) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await one(i));
  const row = {
    label,
    wall: median(samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    rss: Math.max(...samples.map((s) => s.rssMb)),
    runs: samples.map((s) => s.wall),
  };
  rows.push(row);
  console.log(
    `${label.padEnd(60)} ${row.wall.toFixed(2).padStart(6)} s wall ${row.cpu.toFixed(2).padStart(6)} s CPU ${row.rss.toFixed(0).padStart(5)} MB   (${row.runs.map((w) => w.toFixed(2)).join(', ')})`,
  );
}

await measure('nv dispatch --drafts: 195 .eml drafts', async (i) => {
  const ws = copy(`drafts-${i}`);
  const t = timed(['dispatch', REF, '--drafts', 'out/drafts', '--yes', '--json'], { cwd: ws, env });
  const written = JSON.parse(t.stdout).written.length;
  if (written !== 195) throw new Error(`${written} drafts written, not 195`);
  return t;
});

let bytes = 0;
/** `nv dispatch` by SMTP of `count` messages to a fresh local server, with `extra` options. */
async function sendRun(name, count, extra) {
  const server = await startSmtpServer({ dir: join(OUT, `server-${name}`) });
  try {
    const ws = copy(`smtp-${name}`);
    const yaml = join(ws, 'nv.yaml');
    writeFileSync(
      yaml,
      readFileSync(yaml, 'utf8').replace('\ndispatch:\n', `\ndispatch:\n  smtp: ${server.url}\n`),
    );
    const t = timed(['dispatch', REF, '--yes', '--json', ...extra], {
      cwd: ws,
      env: { ...env, NV_SMTP_PASSWORD: server.password },
    });
    const sent = JSON.parse(t.stdout).sent.length;
    const taken = readdirSync(join(server.dir, 'messages')).filter((f) => f.endsWith('.eml')).length;
    if (sent !== count || taken !== count)
      throw new Error(`${sent} sent, ${taken} taken by the server, not ${count}`);
    bytes = server.messages().reduce((s, m) => s + m.raw.length, 0) / count;
    return t;
  } finally {
    await server.stop();
  }
}
await measure('nv dispatch by SMTP: 195 messages to a local smtp-server', (i) => sendRun(String(i), 195, []));
// The pace: 20 messages at 600 a minute are 19 gaps of 100 ms, so at least 1.9 s more than unpaced.
const twenty = readFileSync(join(base, 'recipients.csv'), 'utf8')
  .split('\n')
  .slice(1, 21)
  .map((l) => l.split(',')[0]);
await measure('nv dispatch by SMTP: 20 messages, --pace 600 (a minimum of 1.9 s)', (i) =>
  sendRun(`paced-${i}`, 20, ['--pace', '600', '--only', twenty.join(',')]),
);

const notes = [
  `SMTP: ${(bytes / 1024).toFixed(0)} KB a message (three PDFs base64-encoded); one connection, one login; the server stores each message to disk before it answers`,
];
for (const n of notes) console.log(n);

if (record) {
  const md = [
    `\n## dispatch: 195 messages drafted and sent by SMTP — ${machine()}`,
    '',
    `\`node bench/dispatch.mjs ${args.filter((a) => a !== '--record').join(' ')}\` on ${revision(ROOT)}. Median of ${runs} runs (wall clock of the whole command, Node start-up and the register included; CPU = user + system; peak RSS of the nv process by /usr/bin/time, the highest of the runs). The notes were generated before, not timed.`,
    '',
    '| job | wall (s) | CPU (s) | peak RSS (MB) | runs, wall (s) |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.rss.toFixed(0)} | ${r.runs.map((w) => w.toFixed(2)).join(', ')} |`,
    ),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
  appendFileSync(join(ROOT, 'bench', 'RESULTS.md'), md);
}
