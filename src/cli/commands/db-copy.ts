import { Command } from 'commander';
import { z } from 'zod';
import { copyRegisterTo } from '../../storage/copy.js';
import { actor, makeIo, printJson } from '../io.js';
import { openWorkspace, workspaceOption } from '../workspace-option.js';

const options = z.object({
  to: z.string().min(1, { error: '--to needs a postgres:// URL or a folder' }),
  json: z.boolean().optional(),
});

/** `nv db copy --to …`: the register's whole history into an empty database or a new folder, verified. */
export function dbCopyCommand(): Command {
  const cmd = workspaceOption(new Command('copy'))
    .description(
      "copy the register's whole history (numbers, replies, lists, audit log, archived files) into an empty PostgreSQL database or a new SQLite folder, and verify it",
    )
    .requiredOption(
      '--to <url-or-folder>',
      'postgres://user@host:port/database, or a folder for a SQLite copy',
    )
    .option('--json', 'print one JSON document on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  nv db copy --to postgres://nv@db.example.org:5432/nv\n  nv db copy --to backup-2026-12-05',
    );
  cmd.action(async (raw: unknown) => {
    const o = options.parse(raw);
    const io = makeIo();
    const { ws, register } = await openWorkspace(cmd);
    try {
      const r = await copyRegisterTo(register, { to: o.to }, ws.root, actor());
      if (o.json) return printJson(io, r);
      const rows = Object.entries(r.rows)
        .map(([t, n]) => `${n} ${t}`)
        .join(', ');
      io.out(`Copied ${r.from} into ${r.to}: ${rows}; ${r.files} archived file(s), ${r.bytes} bytes.`);
      for (const v of r.verified) io.out(`  verified: ${v}`);
    } finally {
      await register.close();
    }
  });
  return cmd;
}
