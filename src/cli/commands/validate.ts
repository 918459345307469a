import { Command } from 'commander';
import { z } from 'zod';
import { EXIT } from '../../errors.js';
import { assess, readFacts } from '../../replies/status.js';
import type { Finding } from '../../rules/index.js';
import { makeIo, printJson, type Io } from '../io.js';
import { warnUnsettled } from '../unsettled.js';
import { openWorkspace, workspaceOption } from '../workspace-option.js';

function line(io: Io, f: Finding): string {
  const sev = f.severity === 'error' ? io.color.red('error') : io.color.yellow('warning');
  const where = [f.state ?? '?', f.reply !== null ? `reply ${f.reply}` : '', f.file ?? '']
    .filter(Boolean)
    .join(' ');
  return `${sev} ${f.rule}  ${where}: ${f.message}${f.waived ? ' (decided by the clerk)' : `\n    → ${f.fix}`}`;
}

const validateOptions = z.object({ strict: z.boolean().optional(), json: z.boolean().optional() });

export function validateCommand(): Command {
  const cmd = new Command('validate')
    .description('run every rule on the replies; exit 1 while an error remains')
    .option('--strict', 'warnings count as errors')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExamples:\n  nv validate\n  nv validate --strict --json > findings.json');
  workspaceOption(cmd).action(async (raw: unknown) => {
    const o = validateOptions.parse(raw);
    const io = makeIo();
    const { ws, register } = await openWorkspace(cmd);
    try {
      const { findings } = assess(ws, await readFacts(register));
      const open = findings.filter((f) => !f.waived);
      const errors = open.filter((f) => f.severity === 'error' || (o.strict && f.severity === 'warning'));
      const summary = {
        errors: open.filter((f) => f.severity === 'error').length,
        warnings: open.filter((f) => f.severity === 'warning').length,
        waived: findings.length - open.length,
        strict: !!o.strict,
      };
      if (o.json) printJson(io, { ok: errors.length === 0, summary, findings });
      else {
        for (const f of findings) io.out(line(io, f));
        warnUnsettled(io, ws);
        io.err(
          `${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.waived} decided by the clerk. Times in ${ws.config.meeting.timezone}.`,
        );
      }
      if (errors.length) process.exitCode = EXIT.findings;
    } finally {
      await register.close();
    }
  });
  return cmd;
}
