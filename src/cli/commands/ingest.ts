import { Command } from 'commander';
import { z } from 'zod';
import { expandPaths, ingestFiles, parseReceived, type Asker } from '../../replies/ingest.js';
import { assess } from '../../replies/status.js';
import { budgetsFromConfig, budgetsFromFlags, setIntakeBudgets } from '../../intake/budgets.js';
import type { Channel } from '../../storage/register.js';
import { actor, makeIo, printJson, progressBar, type Io } from '../io.js';
import { select } from '../prompts.js';
import { askReceived, askState, channelOption } from '../clerk-prompts.js';
import { openWorkspace, workspaceOption } from '../workspace-option.js';
import { resolveRecipient } from '../resolve.js';
import type { Workspace } from '../../workspace/load.js';

const options = z.object({
  channel: channelOption,
  state: z.string().optional(),
  received: z.string().optional(),
  json: z.boolean().optional(),
  yes: z.boolean().optional(),
  budget: z.array(z.string()).optional(),
});

function terminalAsker(ws: Workspace): Asker {
  return {
    channel: (file) =>
      select(`How did ${file} come?`, [
        { name: 'fax', value: 'fax' as Channel },
        { name: 'post', value: 'post' as Channel },
        { name: 'e-mail', value: 'email' as Channel },
      ]),
    state: (file, facts) => {
      const about = [
        facts.sender && `from ${facts.sender}`,
        facts.subject && `"${facts.subject}"`,
        ...facts.documents,
      ]
        .filter(Boolean)
        .join('; ');
      return askState(ws, `Which State sent ${file}? ${about}`, '(leave it for review)');
    },
    received: (file) => askReceived(ws, `When was ${file} received?`, true),
  };
}

function present(
  io: Io,
  items: Awaited<ReturnType<typeof ingestFiles>>,
  statusOf: Map<number, { status: string; why: string }>,
) {
  for (const it of items) {
    const s = statusOf.get(it.reply.id);
    const classes = it.reply.documents.map((d) => d.class).join(', ') || 'no document';
    io.err(
      `${it.status === 'existing' ? 'already ingested as' : 'reply'} ${it.reply.id}  ${it.file}  ${it.reply.state ?? '?'}  ${it.reply.channel ?? '?'}  ${classes}  → ${s?.status ?? '?'}${s && s.status !== 'accepted' ? ` (${s.why})` : ''}`,
    );
  }
}

export function ingestCommand(): Command {
  const cmd = new Command('ingest')
    .description('take replies in: .eml messages, PDF/TIFF/JPEG/PNG scans, folders of them')
    .argument('<paths...>', 'files or folders (read recursively)')
    .option('--channel <channel>', 'how they came: email, fax or post (e-mails are email)')
    .option('--state <state>', 'the State they come from: ISO3 code or UN name')
    .option('--received <time>', 'when they were received: "2012-09-24 14:05" (secretariat time) or ISO 8601')
    .option('--json', 'print one JSON document on stdout')
    .option('-y, --yes', 'ask nothing; what cannot be found waits for review')
    .option(
      '--budget <name=value>',
      'raise a reading budget (repeatable): inflated-mb, operators, pages, seconds, memory-mb',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addHelpText(
      'after',
      '\nExamples:\n  nv ingest mailbox-export/\n  nv ingest scans/fax-0923.tif --channel fax --state AUT --received "2012-09-23 10:12"',
    );
  workspaceOption(cmd).action(async (paths: string[], raw: unknown) => {
    const o = options.parse(raw);
    const io = makeIo();
    const { ws, register } = openWorkspace(cmd);
    try {
      setIntakeBudgets(budgetsFromConfig(ws.config.intake?.budgets), budgetsFromFlags(o.budget ?? []));
      const files = expandPaths(process.cwd(), paths);
      const state = o.state ? resolveRecipient(ws, o.state) : undefined;
      const received = o.received ? parseReceived(o.received, ws.config.meeting.timezone) : undefined;
      const ask = io.interactive && !o.yes && !o.json ? terminalAsker(ws) : undefined;
      const items = await ingestFiles(
        ws,
        register,
        files,
        { channel: o.channel, state, received },
        actor(),
        ask,
        process.cwd(),
        progressBar(io, 'Ingesting'),
      );
      const a = assess(ws, register);
      const statusOf = new Map(a.replies.map((r) => [r.id, { status: r.status, why: r.why }]));
      if (o.json)
        printJson(io, {
          items: items.map((it) => ({
            file: it.file,
            result: it.status,
            reply: it.reply.id,
            state: it.reply.state,
            stateSource: it.reply.stateSource,
            channel: it.reply.channel,
            receivedAt: it.reply.receivedAt,
            status: statusOf.get(it.reply.id)?.status,
            why: statusOf.get(it.reply.id)?.why,
            documents: it.reply.documents.map((d) => ({
              name: d.name,
              kind: d.fileKind,
              class: d.class,
              reason: d.reason,
            })),
          })),
          totals: {
            files: items.length,
            added: items.filter((i) => i.status === 'added').length,
            existing: items.filter((i) => i.status === 'existing').length,
          },
        });
      else {
        present(io, items, statusOf);
        io.err(
          `${items.filter((i) => i.status === 'added').length} new reply(ies), ${items.filter((i) => i.status === 'existing').length} already ingested.`,
        );
      }
    } finally {
      register.close();
    }
  });
  return cmd;
}
