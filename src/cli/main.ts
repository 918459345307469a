import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { describeFailure, presentFailure, wantsJson } from './present-error.js';
/**
 * The commands, loaded on demand: each pulls in its own libraries (mail parsing, PDF reading,
 * rendering…), and a command should not pay for the others' at start-up.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  init: async () => (await import('./commands/init.js')).initCommand(),
  generate: async () => (await import('./commands/generate.js')).generateCommand(),
  ingest: async () => (await import('./commands/ingest.js')).ingestCommand(),
  validate: async () => (await import('./commands/validate.js')).validateCommand(),
  status: async () => (await import('./commands/status.js')).statusCommand(),
  review: async () => (await import('./commands/review.js')).reviewCommand(),
  reply: async () => (await import('./commands/reply.js')).replyCommand(),
  delegation: async () => (await import('./commands/delegation.js')).delegationCommand(),
  export: async () => (await import('./commands/export.js')).exportCommand(),
  ref: async () => (await import('./commands/ref.js')).refCommand(),
  templates: async () => (await import('./commands/templates.js')).templatesCommand(),
  db: async () => (await import('./commands/db.js')).dbCommand(),
  dispatch: async () => (await import('./commands/dispatch.js')).dispatchCommand(),
};

/** The command named on the command line (skipping global options and their values), if any. */
function commandName(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-w' || a === '--workspace') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

async function program(args: string[]): Promise<Command> {
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
  // Only the command asked for is loaded; all of them for the overall help or an unknown name.
  const name = commandName(args);
  const version = args[0] === '-V' || args[0] === '--version';
  const wanted = version ? [] : name !== undefined && name in COMMANDS ? [name] : Object.keys(COMMANDS);
  for (const c of await Promise.all(wanted.map((n) => COMMANDS[n]!()))) p.addCommand(c);
  const exitOverride = (c: Command) => {
    c.exitOverride();
    c.commands.forEach(exitOverride);
  };
  exitOverride(p);
  return p;
}

async function main(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  let p: Command | undefined;
  try {
    p = await program(args);
    await p.parseAsync(argv);
  } catch (e) {
    presentFailure(describeFailure(e, pkg.version, args), wantsJson(p, args));
  }
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0); // e.g. nv ref list | head
});
await main(process.argv);
