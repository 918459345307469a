import { Command } from 'commander';
import { z } from 'zod';
import { migrateRegister } from '../../storage/migrate.js';
import { loadWorkspace } from '../../workspace/load.js';
import { actor, makeIo, printJson } from '../io.js';
import { workspaceOption, workspaceRoot } from '../workspace-option.js';

const options = z.object({ json: z.boolean().optional() });

/** `nv db migrate`: the register's schema brought to this nv's, from → to. */
export function dbMigrateCommand(): Command {
  const cmd = workspaceOption(new Command('migrate'))
    .description(
      'bring the register database to the schema this nv needs (PostgreSQL; SQLite migrates itself)',
    )
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExample:\n  NV_DATABASE_URL=postgres://nv@db.example.org/nv nv db migrate');
  cmd.action(async (raw: unknown) => {
    const o = options.parse(raw);
    const io = makeIo();
    const ws = loadWorkspace(workspaceRoot(cmd));
    const r = await migrateRegister(
      { root: ws.root, sqlitePath: ws.paths.database, register: ws.config.register },
      actor(),
    );
    if (o.json) return printJson(io, r);
    if (r.engine === 'sqlite')
      io.out(
        `The register ${r.location} migrates itself when opened: its schema is current (version ${r.to}).`,
      );
    else if (r.from === r.to) io.out(`The register database ${r.location} is up to date (schema ${r.to}).`);
    else io.out(`The register database ${r.location}: schema ${r.from} → ${r.to}.`);
  });
  return cmd;
}
