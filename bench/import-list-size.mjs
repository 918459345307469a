// How `nv delegation import` scales with the rows of one list (issue 7: it was quadratic, each
// row copying its State's whole row array). One UTF-8 CSV of N participants of one State, each
// row valid, imported into a fresh copy of the example workspace by the built CLI, with the
// budgets raised for the run. Wall clock and peak RSS (/usr/bin/time) of the whole command.
//
//   npm run build && node bench/import-list-size.mjs [10000 80000 200000]
// Appends a table to bench/RESULTS.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const NV = join(ROOT, 'bin', 'nv.js');
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const SIZES = sizes.length ? sizes : [10_000, 80_000, 200_000];

function list(n) {
  const lines = ['State,Honorific,Given name,Family name,Title,Ministry,Role,E-mail,Telephone,Meetings'];
  for (let i = 0; i < n; i++)
    lines.push(
      `Austria,${i % 2 ? 'Ms.' : 'Mr.'},Given${i},FAMILY${i},Counsellor,Federal Ministry of Justice,${i === 0 ? 'head' : 'member'},p${i}@bmj.gv.at,+43 1 521 ${i},${i % 3 ? 'UNCAC' : 'both'}`,
    );
  return lines.join('\r\n') + '\r\n';
}

const rows = [];
for (const n of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'nv-bench-'));
  execFileSync(process.execPath, [NV, 'init', 'ws', '--example', 'uncac-2012', '--yes'], {
    cwd: dir,
    stdio: 'ignore',
  });
  const file = join(dir, 'austria.csv');
  writeFileSync(file, list(n));
  const start = process.hrtime.bigint();
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      process.execPath,
      NV,
      'delegation',
      'import',
      '-w',
      'ws',
      file,
      '--budget',
      'rows=300000,cells=4000000,bytes=200MB',
      '--json',
    ],
    {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    },
  );
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const rss = Number(r.stderr.trim().split('\n').pop()) / 1024;
  const imported = r.status === 0 ? JSON.parse(r.stdout).imported[0].participants : 0;
  console.log(
    `${n} rows: exit ${r.status}, ${imported} imported, ${wall.toFixed(2)} s, ${rss.toFixed(0)} MB`,
  );
  rows.push({ n, wall, rss, imported, code: r.status, bytes: readFileSync(file).length });
}
const head = `\n## delegation import, one list of N rows — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n\n`;
const table = [
  '| rows | file (MB) | exit | imported | wall (s) | µs per row | peak RSS (MB) |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.n.toLocaleString('en-US')} | ${(r.bytes / 2 ** 20).toFixed(1)} | ${r.code} | ${r.imported.toLocaleString('en-US')} | ${r.wall.toFixed(2)} | ${((r.wall / r.n) * 1e6).toFixed(0)} | ${r.rss.toFixed(0)} |`,
  ),
].join('\n');
appendFileSync(
  join(ROOT, 'bench', 'RESULTS.md'),
  `${head}\`node bench/import-list-size.mjs\` (budgets raised with --budget; before issue 7: 10,000 rows 0.8 s, 80,000 rows 39 s, 200,000 rows 177 s and 1.1 GB).\n\n${table}\n`,
);
