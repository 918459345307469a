import { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../../errors.js';
import { parseReceived } from '../../replies/ingest.js';
import { applyDecision, removeReply, type ReplyDecisionInput } from '../../replies/decide.js';
import { extractReplyFiles, replyFiles } from '../../replies/documents.js';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isoInZone, shownTime, zonedReply } from '../clerk-times.js';
import { assess, readFacts, shownReplies, type ShownReply } from '../../replies/status.js';
import { answeredNote, type AnsweredNote } from '../../replies/thread.js';
import { channelOption } from '../clerk-prompts.js';
import { actor, makeIo, printJson, type Io } from '../io.js';
import { oneOf, REPLY_STATUSES } from '../options.js';
import { resolveRecipient } from '../resolve.js';
import { openWorkspace, workspaceOption } from '../workspace-option.js';

interface PageMeasure {
  index: number;
  class: string;
  imageCoverage?: number;
  visibleGlyphs?: number;
  invisibleGlyphs?: number;
  textUnderImage?: number;
}

/** `(from thread: answers CU 2012/150 to AUT, message <…> sent 2012-08-15 10:00)` and the like. */
function stateFrom(r: ShownReply, answered: AnsweredNote | undefined, timeZone: string): string {
  if (!r.stateSource) return '';
  if (r.stateSource !== 'thread' || !answered) return ` (from ${r.stateSource})`;
  const m = answered.message;
  return ` (from thread: answers ${answered.reference ?? `note ${m.noteId}`} to ${m.recipient}, message <${m.messageId}> ${m.status} ${shownTime(m.statusAt, timeZone)})`;
}

export function describeReply(io: Io, r: ShownReply, timeZone: string, answered?: AnsweredNote): string[] {
  const at = (iso: string | null) => shownTime(iso, timeZone, '(unknown)');
  const lines = [
    `${io.color.bold(`Reply ${r.id}`)}  ${r.status}: ${r.why}`,
    `  file      ${r.originalName ?? '(none)'} (${r.fileKind}, sha256 ${r.sha256.slice(0, 12)}…)`,
    `  State     ${r.state ?? '(unknown)'}${stateFrom(r, answered, timeZone)}`,
    `  channel   ${r.channel ?? '(unknown)'}`,
    `  received  ${at(r.receivedAt)}${r.receivedAt ? ` (${timeZone})` : ''}${r.receivedSource ? ` (${r.receivedSource})` : ''}${r.receivedProblem ? ` — ${r.receivedProblem}` : ''}`,
  ];
  if (answered && r.stateSource !== 'thread')
    lines.push(
      `  answers   ${answered.reference ?? `note ${answered.message.noteId}`} to ${answered.message.recipient} (message <${answered.message.messageId}>)`,
    );
  if (r.sender) lines.push(`  sender    ${r.sender}`);
  if (r.subject) lines.push(`  subject   ${r.subject}`);
  if (r.cited.length) lines.push(`  cites     ${r.cited.join(', ')}`);
  for (const d of r.documents) {
    lines.push(
      `  document  ${d.name ?? '(no name)'}${d.forwarded ? ' (forwarded)' : ''}: ${d.class} — ${d.reason}`,
    );
    // The measurements behind the class, page by page, so that the clerk sees why.
    const pages = (d.measurements.pages ?? []) as PageMeasure[];
    for (const p of pages.slice(0, 8))
      lines.push(
        `            page ${p.index + 1}: ${p.class}; images cover ${(100 * (p.imageCoverage ?? 0)).toFixed(1)} %, ${p.visibleGlyphs ?? 0} visible and ${p.invisibleGlyphs ?? 0} invisible glyphs${p.textUnderImage ? `, ${p.textUnderImage} under an image` : ''}`,
      );
    if (pages.length > 8) lines.push(`            … and ${pages.length - 8} more page(s)`);
  }
  for (const p of r.problems) lines.push(`  problem   ${p}`);
  for (const f of r.findings)
    lines.push(`  ${f.severity.padEnd(8)}  ${f.rule}: ${f.message}${f.waived ? ' (decided)' : ''}`);
  if (r.decision)
    lines.push(`  decision  ${r.decision} by ${r.decidedBy} at ${at(r.decidedAt)}: ${r.decisionReason}`);
  if (r.removedAt)
    lines.push(
      `  removed   by ${r.removedBy} at ${at(r.removedAt)}: ${r.removedReason} (its files stay in the archive)`,
    );
  return lines;
}

const showOptions = z.object({ json: z.boolean().optional() });

const setOptions = z.object({
  state: z.string().optional(),
  channel: channelOption,
  received: z.string().optional(),
  accept: z.boolean().optional(),
  refuse: z.boolean().optional(),
  undecide: z.boolean().optional(),
  reason: z.string().optional(),
  json: z.boolean().optional(),
});

const listOptions = z.object({
  status: oneOf('--status', [...REPLY_STATUSES, 'removed']).optional(),
  all: z.boolean().optional(),
  json: z.boolean().optional(),
});

/** Whether a desktop can show a file: macOS and Windows always, elsewhere an X or Wayland display. */
function opener(): { command: string; args: (file: string) => string[] } | undefined {
  if (process.platform === 'darwin') return { command: 'open', args: (f) => [f] };
  if (process.platform === 'win32') return { command: 'cmd', args: (f) => ['/c', 'start', '""', f] };
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return { command: 'xdg-open', args: (f) => [f] };
  return undefined;
}

function openCommand(): Command {
  const cmd = workspaceOption(new Command('open'))
    .description(
      'the documents a reply carried: opened with the desktop’s viewer (copies, the archive is never touched), or written to a folder with --extract',
    )
    .argument('<id>', 'the reply number')
    .option(
      '--extract <dir>',
      'write copies of the documents (and the e-mail) into DIR, under safe names, never overwriting',
    )
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExamples:\n  nv reply open 12\n  nv reply open 12 --extract ~/reply-12');
  cmd.action(async (id: string, o: { extract?: string; json?: boolean }) => {
    const io = makeIo();
    const { register } = await openWorkspace(cmd);
    try {
      const view = opener();
      // Without --extract: on a terminal with a desktop, copies in a temporary folder are opened.
      const dir =
        o.extract !== undefined
          ? resolve(process.cwd(), o.extract)
          : io.interactive && view && !o.json
            ? mkdtempSync(join(tmpdir(), `nv-reply-${replyId(id)}-`))
            : undefined;
      if (dir === undefined) {
        const { files } = await replyFiles(register, replyId(id));
        if (o.json) return printJson(io, { reply: replyId(id), files });
        for (const f of files)
          io.out(
            `${f.archivePath}  ${f.role === 'message' ? 'the e-mail' : `${f.name ?? '(no name)'}: ${f.class}`}`,
          );
        io.err(
          `No desktop to open them with: the files above are in the archive (read them, do not change them), or write copies with "nv reply open ${id} --extract DIR".`,
        );
        return;
      }
      const { written } = await extractReplyFiles(register, replyId(id), dir);
      if (o.json)
        return printJson(io, {
          reply: replyId(id),
          folder: dir,
          files: written.map((w) => ({ ...w.file, path: w.path })),
        });
      for (const w of written)
        io.out(
          `${w.path}  ${w.file.role === 'message' ? 'the e-mail' : `${w.file.name ?? '(no name)'}: ${w.file.class}`}`,
        );
      if (o.extract !== undefined) return io.err(`${written.length} file(s) written to ${dir}.`);
      for (const w of written.filter((x) => x.file.role === 'document')) {
        const child = spawn(view!.command, view!.args(w.path), { detached: true, stdio: 'ignore' });
        child.on('error', () => io.err(`Could not start ${view!.command}; open ${w.path} yourself.`));
        child.unref();
      }
      io.err(
        `Opened ${written.filter((x) => x.file.role === 'document').length} document(s) from copies in ${dir}.`,
      );
    } finally {
      await register.close();
    }
  });
  return cmd;
}

function replyId(text: string): number {
  if (!/^\d+$/.test(text))
    throw new UserError(`"${text}" is not a reply number; "nv reply list" shows them.`);
  return Number(text);
}

export function replyCommand(): Command {
  const reply = new Command('reply').description(
    'the replies: list, show, and the clerk’s decisions with flags',
  );

  const list = workspaceOption(new Command('list'))
    .description('every reply with its State, time (secretariat zone), channel and status')
    .option(
      '--status <status>',
      'only replies with this status (accepted, late, refused, needs-review, removed)',
    )
    .option('--all', 'the removed replies too')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExample:\n  nv reply list --status needs-review');
  list.action(async (raw: unknown) => {
    const o = listOptions.parse(raw);
    const io = makeIo();
    const { ws, register } = await openWorkspace(list);
    try {
      const tz = ws.config.meeting.timezone;
      const replies = shownReplies(ws, await readFacts(register), !!o.all || o.status === 'removed').filter(
        (r) => !o.status || r.status === o.status,
      );
      if (o.json) return printJson(io, { timeZone: tz, replies: replies.map((r) => zonedReply(r, tz)) });
      const names = new Map(ws.recipients.map((r) => [r.code, r.name]));
      for (const r of replies)
        io.out(
          `${String(r.id).padStart(4)}  ${shownTime(r.receivedAt, tz, '(time unknown)'.padEnd(23))}  ${(r.channel ?? '?').padEnd(5)}  ${r.status.padEnd(12)}  ${r.state ? `${r.state} ${names.get(r.state) ?? ''}`.trim() : '?'}  ${r.originalName ?? ''}`,
        );
      if (replies.length === 0) io.err('No reply.');
      else io.err(`Times in ${tz}.`);
    } finally {
      await register.close();
    }
  });

  const show = workspaceOption(new Command('show'))
    .description('one reply: its facts, documents and why they have their class, findings, decision')
    .argument('<id>', 'the reply number')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExample:\n  nv reply show 12');
  show.action(async (id: string, raw: unknown) => {
    const o = showOptions.parse(raw);
    const io = makeIo();
    const { ws, register } = await openWorkspace(show);
    try {
      const tz = ws.config.meeting.timezone;
      const r = shownReplies(ws, await readFacts(register), true).find((x) => x.id === replyId(id));
      if (!r) throw new UserError(`There is no reply ${id}; "nv reply list" shows the replies.`);
      const answered = r.answers ? await answeredNote(register, ws.config, r.answers) : undefined;
      if (o.json)
        return printJson(io, {
          ...zonedReply(r, tz),
          ...(answered
            ? {
                answered: {
                  reference: answered.reference,
                  recipient: answered.message.recipient,
                  note: answered.message.noteId,
                  messageId: answered.message.messageId,
                  status: answered.message.status,
                  statusAt: isoInZone(answered.message.statusAt, tz),
                },
              }
            : {}),
        });
      for (const l of describeReply(io, r, tz, answered)) io.out(l);
    } finally {
      await register.close();
    }
  });

  const set = workspaceOption(new Command('set'))
    .description('set a reply’s State, channel or received time; accept or refuse it with a reason')
    .argument('<id>', 'the reply number')
    .option('--state <state>', 'the State it comes from (ISO3 or UN name)')
    .option('--channel <channel>', 'email, fax or post')
    .option('--received <time>', '"2012-09-24 14:05" (secretariat time) or ISO 8601')
    .option('--accept', 'accept it (despite its findings), with --reason')
    .option('--refuse', 'refuse it, with --reason')
    .option('--undecide', 'withdraw the decision, with --reason')
    .option('--reason <text>', 'why (kept in the register and the audit log)')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  nv reply set 7 --state AUT\n  nv reply set 9 --accept --reason "original received by post on 20 September"',
    );
  set.action(async (id: string, raw: unknown) => {
    const o = setOptions.parse(raw);
    const io = makeIo();
    const { ws, register } = await openWorkspace(set);
    try {
      const input: ReplyDecisionInput = {
        state: o.state !== undefined ? resolveRecipient(ws, o.state) : undefined,
        channel: o.channel,
        receivedAt:
          o.received !== undefined ? parseReceived(o.received, ws.config.meeting.timezone) : undefined,
        decision: o.accept ? 'accepted' : o.refuse ? 'refused' : o.undecide ? null : undefined,
        reason: o.reason,
        conflicting: [o.accept, o.refuse, o.undecide].filter(Boolean).length > 1,
      };
      await applyDecision(register, replyId(id), input, actor());
      const r = assess(ws, await readFacts(register)).replies.find((x) => x.id === replyId(id))!;
      if (o.json) printJson(io, zonedReply(r, ws.config.meeting.timezone));
      else {
        // What is now recorded, so that the clerk sees the State, channel and time nv took.
        const name = ws.recipients.find((x) => x.code === r.state)?.name;
        const from = r.state ? `${r.state}${name ? ` ${name}` : ''}` : 'State unknown';
        const at = shownTime(r.receivedAt, ws.config.meeting.timezone, 'time unknown');
        io.err(
          `Reply ${r.id}: ${from}, ${r.channel ?? 'channel unknown'}, received ${at}; ${r.status} (${r.why}).`,
        );
      }
    } finally {
      await register.close();
    }
  });

  const remove = workspaceOption(new Command('remove'))
    .description(
      'take a reply out of the counts (a file that was no reply, a copy): its bytes stay in the archive, the audit log says who and why',
    )
    .argument('<id>', 'the reply number')
    .requiredOption('--reason <text>', 'why (kept in the register and the audit log)')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText(
      'after',
      '\nExample:\n  nv reply remove 14 --reason "README.md of the mail export, not a reply"\n\nWho: $NV_ACTOR when set, else the OS user.',
    );
  remove.action(async (id: string, o: { reason?: string; json?: boolean }) => {
    const io = makeIo();
    const { ws, register } = await openWorkspace(remove);
    try {
      const r = await removeReply(register, replyId(id), o.reason, actor());
      if (o.json) return printJson(io, zonedReply(r, ws.config.meeting.timezone));
      io.err(
        `Reply ${r.id}${r.originalName ? ` (${r.originalName})` : ''} removed by ${r.removedBy}: ${r.removedReason}. It no longer counts in status, validate or export; its files stay in .nv/archive/.`,
      );
    } finally {
      await register.close();
    }
  });

  return reply.addCommand(list).addCommand(show).addCommand(set).addCommand(remove).addCommand(openCommand());
}
