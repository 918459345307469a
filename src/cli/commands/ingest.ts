import { Command } from 'commander';
import { z } from 'zod';
import { EXIT } from '../../errors.js';
import { ingestPaths, parseReceived, type Asker } from '../../replies/ingest.js';
import { isoInZone, shownTime } from '../clerk-times.js';
import { assess, readFacts } from '../../replies/status.js';
import { budgetsFromConfig, budgetsFromFlags, setIntakeBudgets } from '../../intake/budgets.js';
import type { Channel } from '../../replies/records.js';
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

type Items = Awaited<ReturnType<typeof ingestPaths>>;

/** Delivery reports, after the replies: what each said and changed. */
function presentBounces(io: Io, items: Items) {
  const bounces = items.filter((i) => i.bounce);
  if (bounces.length === 0) return;
  io.err('Delivery reports (not replies):');
  for (const it of bounces) {
    const b = it.bounce!;
    const label =
      b.change === 'bounced'
        ? io.color.red('bounced')
        : b.change === 'no-message'
          ? io.color.yellow('no message of nv’s')
          : io.color.dim(b.change === 'already-bounced' ? 'already recorded' : 'unchanged');
    io.err(`  ${label}  ${it.file}: ${b.summary}`);
  }
}

function bounceJson(it: Items[number]) {
  const b = it.bounce!;
  return {
    file: it.file,
    change: b.change,
    kind: b.kind,
    ...(b.message
      ? {
          message: b.message.messageId,
          recipient: b.message.recipient,
          note: b.message.noteId,
          status: b.message.status,
        }
      : {}),
    reason: b.reason,
    summary: b.summary,
    recipients: b.recipients,
    sha256: b.sha256,
    ingestedBefore: b.seenBefore,
  };
}

function present(io: Io, items: Items, statusOf: Map<number, { status: string; why: string }>, tz: string) {
  for (const it of items) {
    if (it.bounce) continue;
    const r = it.reply;
    if (!r) {
      const label = it.result === 'refused' ? io.color.red('refused') : io.color.dim('skipped');
      io.err(`${label}  ${it.file}: ${it.reason}`);
      continue;
    }
    const s = statusOf.get(r.id);
    const classes = r.documents.map((d) => d.class).join(', ') || 'no document';
    io.err(
      `${it.result === 'existing' ? 'already ingested as' : 'reply'} ${r.id}  ${it.file}  ${r.state ?? '?'}  ${r.channel ?? '?'}  ${shownTime(r.receivedAt, tz)}  ${classes}  → ${s?.status ?? (r.removedAt ? 'removed' : '?')}${s && s.status !== 'accepted' ? ` (${s.why})` : ''}`,
    );
    for (const n of it.notes) io.err(`    note: ${n}`);
  }
}

function totals(items: Items) {
  const n = (r: string) => items.filter((i) => i.result === r).length;
  return {
    files: items.length,
    added: n('added'),
    existing: n('existing'),
    skipped: n('skipped'),
    refused: n('refused'),
    bounces: n('bounce'),
  };
}

export function ingestCommand(): Command {
  const cmd = new Command('ingest')
    .description(
      'take replies in: .eml messages, PDF/TIFF/JPEG/PNG scans, office documents, folders of them (other files are skipped)',
    )
    .argument('<paths...>', 'files or folders (read recursively)')
    .option('--channel <channel>', 'how the scans came: email, fax or post (never changes an e-mail)')
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
    const { ws, register } = await openWorkspace(cmd);
    try {
      setIntakeBudgets(budgetsFromConfig(ws.config.intake?.budgets), budgetsFromFlags(o.budget ?? []));
      const state = o.state ? resolveRecipient(ws, o.state) : undefined;
      const tz = ws.config.meeting.timezone;
      const received = o.received ? parseReceived(o.received, tz) : undefined;
      const ask = io.interactive && !o.yes && !o.json ? terminalAsker(ws) : undefined;
      const items = await ingestPaths(
        ws,
        register,
        paths,
        { channel: o.channel, state, received },
        actor(),
        ask,
        process.cwd(),
        progressBar(io, 'Ingesting'),
      );
      const a = assess(ws, await readFacts(register));
      const statusOf = new Map(a.replies.map((r) => [r.id, { status: r.status, why: r.why }]));
      const t = totals(items);
      if (o.json)
        printJson(io, {
          timeZone: tz,
          items: items
            .filter((it) => !it.bounce)
            .map((it) => ({
              file: it.file,
              result: it.result,
              ...(it.reason ? { reason: it.reason } : {}),
              notes: it.notes,
              ...(it.reply
                ? {
                    reply: it.reply.id,
                    state: it.reply.state,
                    stateSource: it.reply.stateSource,
                    channel: it.reply.channel,
                    receivedAt: isoInZone(it.reply.receivedAt, tz),
                    status: statusOf.get(it.reply.id)?.status ?? (it.reply.removedAt ? 'removed' : undefined),
                    why: statusOf.get(it.reply.id)?.why ?? it.reply.removedReason ?? undefined,
                    documents: it.reply.documents.map((d) => ({
                      name: d.name,
                      kind: d.fileKind,
                      class: d.class,
                      reason: d.reason,
                    })),
                  }
                : {}),
            })),
          bounces: items.filter((it) => it.bounce).map(bounceJson),
          totals: t,
        });
      else {
        present(io, items, statusOf, tz);
        presentBounces(io, items);
        io.err(
          `${t.added} new reply(ies), ${t.existing} already ingested, ${t.skipped} skipped, ${t.refused} refused${t.bounces ? `; ${t.bounces} delivery report(s), ${items.filter((i) => i.bounce?.change === 'bounced').length} message(s) marked bounced` : ''}.`,
        );
      }
      if (t.refused) process.exitCode = EXIT.findings;
    } finally {
      await register.close();
    }
  });
  return cmd;
}
