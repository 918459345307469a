import { Command } from 'commander';
import { dbMigrateCommand } from './db-migrate.js';

/** `nv db`: the register database itself (its schema; a copy between SQLite and PostgreSQL). */
export function dbCommand(): Command {
  return new Command('db')
    .description('the register database: migrate its schema')
    .addCommand(dbMigrateCommand());
}
