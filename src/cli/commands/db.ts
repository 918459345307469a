import { Command } from 'commander';
import { dbCopyCommand } from './db-copy.js';
import { dbMigrateCommand } from './db-migrate.js';

/** `nv db`: the register database itself (its schema; a copy between SQLite and PostgreSQL). */
export function dbCommand(): Command {
  return new Command('db')
    .description('the register database: migrate its schema, copy it between SQLite and PostgreSQL')
    .addCommand(dbMigrateCommand())
    .addCommand(dbCopyCommand());
}
