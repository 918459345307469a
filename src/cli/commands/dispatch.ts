import { Command } from 'commander';
import { z } from 'zod';
import { EXIT, UserError } from '../../errors.js';
import { executeDispatch } from '../../dispatch/drafts.js';
import { planDispatch, summariseDispatch, type DispatchSummary } from '../../dispatch/plan.js';
import { messagesInDoubt, resolveInDoubt } from '../../dispatch/resolve.js';
import { sendDispatch, type SendResult } from '../../dispatch/send.js';
import { smtpConfigured, smtpSettings } from '../../dispatch/smtp-settings.js';
import { actor, makeIo, printJson, progressBar, type Io } from '../io.js';
import { oneOf, onlyOption } from '../options.js';
import { confirm, select } from '../prompts.js';
import { openWorkspace, workspaceOption } from '../workspace-option.js';

const optionsSchema = z
  .object({
    drafts: z
      .string()
      .trim()
      .min(1, {
        message: '--drafts is empty; name the folder the .eml drafts go to, e.g. --drafts out/drafts',
      })
      .optional(),
    smtp: z
      .string()
      .trim()
      .min(1, { message: '--smtp is empty; write e.g. --smtp smtp://registry@mail.example.org:587' })
      .optional(),
    pace: z
      .string()
      .regex(/^\d+(\.\d+)?$/, { message: '--pace takes a number of messages a minute, e.g. --pace 30' })
      .transform(Number)
      .refine((n) => n > 0, { message: '--pace takes a number of messages a minute above 0, e.g. --pace 30' })
      .optional(),
    resolve: z.boolean().optional(),
    as: oneOf('--as', ['sent', 'failed']).optional(),
    enclosures: oneOf('--enclosures', ['attached', 'link']).optional(),
    linkBase: z
      .string()
      .regex(/^https?:\/\//i, { message: '--link-base takes an http:// or https:// URL' })
      .optional(),
    template: z.string().optional(),
    only: onlyOption,
    again: z.boolean().optional(),
    dryRun: z.boolean().optional(),
    json: z.boolean().optional(),
    yes: z.boolean().optional(),
    color: z.boolean().optional(),
  })
  .superRefine((o, ctx) => {
    const no = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (o.drafts !== undefined && (o.smtp !== undefined || o.pace !== undefined))
      no('--drafts and --smtp (or --pace) are two ways out; give one of them');
    if (o.as && !o.resolve) no('--as answers --resolve; write --resolve --as sent (or failed)');
    if (o.resolve && o.drafts !== undefined)
      no('--resolve is about messages sent by SMTP; leave --drafts out');
  });
type Options = z.infer<typeof optionsSchema>;

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function listPlan(out: Io, summary: DispatchSummary): void {
  for (const r of summary.recipients.slice(0, 12))
    out.err(
      `  ${r.state}  ${r.to.join('; ')}${r.cc.length ? ` (cc ${r.cc.join('; ')})` : ''}  ${r.attachments.join(', ')}`,
    );
  if (summary.recipients.length > 12) out.err(`  … and ${summary.recipients.length - 12} more`);
  if (summary.alreadyDrafted)
    out.err(
      `  ${summary.alreadyDrafted} recipient(s) drafted before are left alone (--again drafts them again).`,
    );
  if (summary.alreadySent)
    out.err(`  ${summary.alreadySent} recipient(s) sent before are left alone (--again sends them again).`);
}

/** The messages a run left `sending`, and what the officer does about them. */
function listPending(
  io: Io,
  ref: string,
  pending: { state: string; messageId: string; since: string }[],
): void {
  if (!pending.length) return;
  io.err(
    `${pending.length} message(s) may or may not have left (a run stopped while sending them); nv does not send them again: nv dispatch "${ref}" --resolve`,
  );
  for (const p of pending.slice(0, 12)) io.err(`  ${p.state}  <${p.messageId}>  sending since ${p.since}`);
  if (pending.length > 12) io.err(`  … and ${pending.length - 12} more`);
}

function presentSent(io: Io, ref: string, r: SendResult): void {
  for (const f of r.failed) io.err(`  failed ${f.state}  ${f.to.join('; ')}: ${f.reply}`);
  for (const u of r.uncertain)
    io.err(
      `  in doubt ${u.state}  <${u.messageId}>: the connection broke after it was handed over (${u.reply})`,
    );
  for (const s of r.skipped) io.err(`  skipped ${s.state}: another run has it ${s.status}`);
  if (r.sent.length === 0 && r.failed.length === 0 && r.uncertain.length === 0 && !r.stopped)
    io.err(
      `Nothing to send: the ${r.alreadySent ?? 0} recipient(s) were sent before (--again sends them again).`,
    );
  else
    io.err(
      `${r.sent.length} message(s) sent to ${r.server}${r.failed.length ? `, ${r.failed.length} failed` : ''}${r.uncertain.length ? `, ${r.uncertain.length} in doubt` : ''}${r.alreadySent ? `, ${r.alreadySent} sent before left alone` : ''}${r.notTried ? `, ${r.notTried} not tried` : ''}; the register records each.`,
    );
  listPending(io, ref, [
    ...(r.pending ?? []),
    ...r.uncertain.map((u) => ({ state: u.state, messageId: u.messageId, since: 'now' })),
  ]);
}

async function resolveAction(o: Options, ref: string, io: Io, cmd: Command): Promise<void> {
  const { ws, register } = await openWorkspace(cmd);
  try {
    const who = actor();
    const { reference, messages } = await messagesInDoubt(ws, register, ref, o.only);
    const resolved: { state: string; messageId: string; status: 'sent' | 'failed' | 'left' }[] = [];
    if (messages.length === 0) {
      if (o.json) return printJson(io, { reference, inDoubt: [], resolved });
      io.err(`No message of ${reference} is in doubt: none was left sending.`);
      return;
    }
    for (const m of messages) {
      let answer: 'sent' | 'failed' | 'left' = o.as ?? 'left';
      if (!o.as && io.interactive) {
        io.err(`${m.state} ${m.name}: ${m.to.join('; ')}  <${m.messageId}>  sending since ${m.since}`);
        answer = await select("Did it leave? (look in the mail server's log or the sent folder)", [
          { name: 'yes, it left: record it sent', value: 'sent' },
          { name: 'no, it did not: record it failed, the next run sends it', value: 'failed' },
          { name: 'I do not know yet: leave it', value: 'left' },
        ]);
      }
      if (answer !== 'left' && !(await resolveInDoubt(register, m, answer === 'sent', who))) answer = 'left';
      resolved.push({ state: m.state, messageId: m.messageId, status: answer });
    }
    const left = resolved.filter((r) => r.status === 'left').length;
    if (left) process.exitCode = EXIT.findings;
    if (o.json)
      return printJson(io, {
        reference,
        inDoubt: messages.map(({ id: _id, ...m }) => m),
        resolved,
      });
    if (!o.as && !io.interactive) {
      for (const m of messages)
        io.err(`  ${m.state}  ${m.to.join('; ')}  <${m.messageId}>  sending since ${m.since}`);
      io.err(
        `${messages.length} message(s) of ${reference} may or may not have left; look in the mail server's log or the sent folder, then record each: nv dispatch "${ref}" --resolve --as sent (or failed) --only ISO3,…`,
      );
    } else {
      for (const r of resolved)
        io.err(
          `  ${r.state}  <${r.messageId}>  ${r.status === 'left' ? 'left in doubt' : `recorded ${r.status}`}`,
        );
      io.err(
        `${resolved.length - left} message(s) recorded${left ? `, ${left} left in doubt` : ''}; a message recorded failed is sent by the next run.`,
      );
    }
  } finally {
    await register.close();
  }
}

export function dispatchCommand(): Command {
  const cmd = new Command('dispatch')
    .description("send a reference's notes to the recipients' e-mail addresses, by SMTP or as .eml drafts")
    .argument('<ref>', 'the reference, e.g. "CU 2012/150", or its number')
    .option('--drafts <dir>', 'write each message as an .eml draft into this folder (Outlook, Thunderbird)')
    .option(
      '--smtp <url>',
      'send by this server (smtp://user@host:587, smtps://…); overrides dispatch.smtp; password in NV_SMTP_PASSWORD',
    )
    .option('--pace <n>', 'at most N messages a minute (overrides dispatch.pace)')
    .option('--resolve', 'record whether the messages left "sending" by a stopped run did leave')
    .option('--as <status>', 'with --resolve, for scripts: sent or failed')
    .option(
      '--enclosures <how>',
      'attached (default) or link: one link per enclosure in the text, the PDF attached',
    )
    .option(
      '--link-base <url>',
      'with --enclosures link: where the enclosures are published (or dispatch.enclosures_url)',
    )
    .option('--only <states>', 'only these recipients: ISO3 codes or UN names, comma-separated')
    .option(
      '-t, --template <name>',
      'the covering text (default: covering; templates/messages/NAME.<lang>.md)',
    )
    .option('--again', 'draft (or send) again for recipients already drafted (or sent)')
    .option('--dry-run', 'check everything and show the plan; write, send and record nothing')
    .option('--json', 'print one JSON document on stdout')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      `\nExamples:\n  nv dispatch "CU 2012/150" --drafts out/drafts --dry-run\n  nv dispatch 150 --drafts out/drafts --only AUT,FRA --yes\n  NV_SMTP_PASSWORD=… nv dispatch 150 --smtp smtp://registry@mail.example.org:587 --pace 30\n  nv dispatch 150 --resolve`,
    );
  workspaceOption(cmd).action(async (ref: string, raw: unknown) => {
    const o = optionsSchema.parse(raw);
    const io = makeIo({ color: o.color });
    if (o.resolve) return resolveAction(o, ref, io, cmd);
    const { ws, register } = await openWorkspace(cmd);
    try {
      const smtp = o.drafts === undefined;
      if (smtp && !smtpConfigured(ws, o.smtp))
        throw new UserError(
          'Say how the messages go out: --drafts DIR writes .eml drafts, --smtp smtp://user@host:587 (or dispatch.smtp in nv.yaml) sends them.',
        );
      const settings = smtp ? smtpSettings(ws, { smtp: o.smtp, pace: o.pace }) : undefined;
      const linkBase =
        o.enclosures === 'link' ? (o.linkBase ?? ws.config.dispatch?.enclosures_url) : undefined;
      if (o.enclosures === 'link' && !linkBase)
        throw new UserError(
          '--enclosures link needs the address the enclosures are published at: --link-base https://… (or dispatch.enclosures_url in nv.yaml).',
        );
      const plan = await planDispatch(ws, register, ref, {
        drafts: o.drafts,
        only: o.only,
        template: o.template,
        again: o.again,
        linkBase,
      });
      const summary = summariseDispatch(ws, plan);
      const where = settings ? `to ${settings.server}` : `into ${summary.drafts}`;
      const pace = settings?.pace ? `, at most ${settings.pace} a minute` : '';
      const headline = `${summary.messages} message(s) for ${summary.reference} ${where}${pace}, attachments ${size(summary.totalBytes)} in all`;
      if (o.dryRun) {
        if (o.json)
          return printJson(io, {
            dryRun: true,
            ...(settings ? { server: settings.server } : {}),
            ...summary,
          });
        io.err(`Dry run: ${headline}.`);
        listPlan(io, summary);
        listPending(io, ref, summary.pending ?? []);
        io.err(`Nothing was ${settings ? 'sent' : 'written'} or recorded.`);
        return;
      }
      if (io.interactive && !o.yes && summary.messages > 0) {
        io.err(`${headline}:`);
        listPlan(io, summary);
        if (!(await confirm(settings ? 'Send them now?' : 'Write the drafts?')))
          throw new UserError(`Nothing was ${settings ? 'sent' : 'written'}: you declined.`);
      }
      if (settings) {
        const result = await sendDispatch(ws, register, plan, settings, {
          actor: actor(),
          again: o.again,
          onProgress: progressBar(io, 'Sending'),
        });
        const failures = result.failed.length + result.uncertain.length + (result.pending?.length ?? 0);
        process.exitCode = result.stopped ? EXIT.usage : failures ? EXIT.findings : EXIT.ok;
        if (o.json)
          return printJson(io, {
            ...result,
            ...(result.stopped ? { error: { message: result.stopped.message, code: 'user' } } : {}),
          });
        // The message in hand when the batch stopped is among the failed: it alone is not news.
        const acted =
          result.sent.length +
          result.uncertain.length +
          result.skipped.length +
          Math.max(0, result.failed.length - 1);
        if (result.stopped) {
          // What was done before the batch stopped, then the one sentence why (exit 2).
          if (acted) presentSent(io, ref, result);
          throw new UserError(result.stopped.message);
        }
        presentSent(io, ref, result);
        return;
      }
      const result = await executeDispatch(ws, register, plan, {
        actor: actor(),
        onProgress: progressBar(io, 'Drafting'),
      });
      if (o.json) printJson(io, result);
      else if (result.written.length === 0)
        io.err(
          `Nothing to draft: the ${result.alreadyDrafted} recipient(s) were drafted before (--again drafts them again).`,
        );
      else
        io.err(
          `${result.written.length} draft(s) written into ${result.drafts}${result.alreadyDrafted ? `, ${result.alreadyDrafted} drafted before left alone` : ''}; the register records them as drafted.`,
        );
    } finally {
      await register.close();
    }
  });
  return cmd;
}
