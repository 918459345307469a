// What a benchmark section in bench/RESULTS.md says about where and on what it was measured.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

const git = (root, ...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

/** "2026-12-05, 2 × AMD EPYC, 24 GiB, Node v20.20.2, load 4.2" */
export function machine() {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load ${loadavg()[0].toFixed(1)}`;
}

/** "commit abc1234 (src/ last changed in def5678)", and whether src/ has uncommitted changes. */
export function revision(root) {
  const dirty = git(root, 'status', '--porcelain', '--', 'src') ? ' (with uncommitted changes in src/)' : '';
  return `commit ${git(root, 'rev-parse', '--short', 'HEAD')} (src/ last changed in ${git(root, 'log', '-1', '--format=%h', '--', 'src')})${dirty}`;
}
