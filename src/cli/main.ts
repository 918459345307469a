import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { ZodError } from 'zod';
import { EXIT, isNvError, UserError } from '../errors.js';
import { delegationCommand } from './commands/delegation.js';
import { exportCommand } from './commands/export.js';
import { generateCommand } from './commands/generate.js';
import { ingestCommand } from './commands/ingest.js';
import { replyCommand } from './commands/reply.js';
import { reviewCommand } from './commands/review.js';
import { statusCommand } from './commands/status.js';
import { validateCommand } from './commands/validate.js';
import { initCommand } from './commands/init.js';
import { refCommand } from './commands/ref.js';
import { templatesCommand } from './commands/templates.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const REPORT =
  'Please report it with the command you ran at the project’s issue tracker; your workspace was not changed by the failed step.';

function program(): Command {
  const p = new Command('nv')
    .description(
      'Notes verbales for a conference secretariat: generate, ingest replies, export participants.',
    )
    .version(pkg.version, '-V, --version')
    .option(
      '-w, --workspace <dir>',
      'the workspace folder (default: nearest folder with nv.yaml, or $NV_WORKSPACE)',
    )
    .option('--no-color', 'no colour (also NO_COLOR=1, or when stdout is not a terminal)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExample:\n  nv init demo --example uncac-2012 --yes && nv generate -w demo --yes',
    );
  p.addCommand(initCommand())
    .addCommand(generateCommand())
    .addCommand(ingestCommand())
    .addCommand(validateCommand())
    .addCommand(statusCommand())
    .addCommand(reviewCommand())
    .addCommand(replyCommand())
    .addCommand(delegationCommand())
    .addCommand(exportCommand())
    .addCommand(refCommand())
    .addCommand(templatesCommand());
  const exitOverride = (c: Command) => {
    c.exitOverride();
    c.commands.forEach(exitOverride);
  };
  exitOverride(p);
  return p;
}

function fail(message: string, details: string[] = [], code: number = EXIT.usage): void {
  process.stderr.write(`nv: ${message}\n`);
  for (const d of details.slice(0, 50)) process.stderr.write(`  ${d}\n`);
  if (details.length > 50) process.stderr.write(`  … and ${details.length - 50} more\n`);
  process.exitCode = code;
}

async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has printed its message (or the help) already.
      process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else if (e instanceof UserError) fail(e.message + (e.hint ? ` ${e.hint}` : ''), e.details);
    else if (isNvError(e)) fail(e.message, [], e.exitCode);
    else if (e instanceof ZodError) fail(e.issues.map((i) => i.message).join('; ') + '.');
    else {
      const err = e as Error;
      fail(
        `internal error: ${err?.message ?? String(e)}. ${REPORT}`,
        (err?.stack ?? '')
          .split('\n')
          .slice(1, 6)
          .map((s) => s.trim()),
        EXIT.internal,
      );
    }
  }
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0); // e.g. nv ref list | head
});
await main(process.argv);
