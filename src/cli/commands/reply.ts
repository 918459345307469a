import { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../../errors.js';
import { parseReceived } from '../../replies/ingest.js';
import { applyDecision, type ReplyDecisionInput } from '../../replies/decide.js';
import { assess, type ReplyView } from '../../replies/status.js';
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

export function describeReply(io: Io, r: ReplyView): string[] {
  const lines = [
    `${io.color.bold(`Reply ${r.id}`)}  ${r.status}: ${r.why}`,
    `  file      ${r.originalName ?? '(none)'} (${r.fileKind}, sha256 ${r.sha256.slice(0, 12)}…)`,
    `  State     ${r.state ?? '(unknown)'}${r.stateSource ? ` (from ${r.stateSource})` : ''}`,
    `  channel   ${r.channel ?? '(unknown)'}`,
    `  received  ${r.receivedAt ?? '(unknown)'}${r.receivedSource ? ` (${r.receivedSource})` : ''}${r.receivedProblem ? ` — ${r.receivedProblem}` : ''}`,
  ];
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
    lines.push(`  decision  ${r.decision} by ${r.decidedBy} at ${r.decidedAt}: ${r.decisionReason}`);
  return lines;
}

const showOptions = z.object({ json: z.boolean().optional() });

const listOptions = z.object({
  status: oneOf('--status', REPLY_STATUSES).optional(),
  json: z.boolean().optional(),
});

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
    .description('every reply with its State, time, channel and status')
    .option('--status <status>', 'only replies with this status (accepted, late, refused, needs-review)')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExample:\n  nv reply list --status needs-review');
  list.action((raw: unknown) => {
    const o = listOptions.parse(raw);
    const io = makeIo();
    const { ws, register } = openWorkspace(list);
    try {
      const replies = assess(ws, register).replies.filter((r) => !o.status || r.status === o.status);
      if (o.json) return printJson(io, { replies });
      for (const r of replies)
        io.out(
          `${String(r.id).padStart(4)}  ${r.state ?? '?  '}  ${r.receivedAt ?? '(time unknown)      '}  ${(r.channel ?? '?').padEnd(5)}  ${r.status.padEnd(12)}  ${r.originalName ?? ''}`,
        );
      if (replies.length === 0) io.err('No reply.');
    } finally {
      register.close();
    }
  });

  const show = workspaceOption(new Command('show'))
    .description('one reply: its facts, documents and why they have their class, findings, decision')
    .argument('<id>', 'the reply number')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExample:\n  nv reply show 12');
  show.action((id: string, raw: unknown) => {
    const o = showOptions.parse(raw);
    const io = makeIo();
    const { ws, register } = openWorkspace(show);
    try {
      const r = assess(ws, register).replies.find((x) => x.id === replyId(id));
      if (!r) throw new UserError(`There is no reply ${id}; "nv reply list" shows the replies.`);
      if (o.json) return printJson(io, r);
      for (const l of describeReply(io, r)) io.out(l);
    } finally {
      register.close();
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
  set.action((id: string, raw: unknown) => {
    const o = setOptions.parse(raw);
    const io = makeIo();
    const { ws, register } = openWorkspace(set);
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
      applyDecision(register, replyId(id), input, actor());
      const r = assess(ws, register).replies.find((x) => x.id === replyId(id))!;
      if (o.json) printJson(io, r);
      else io.err(`Reply ${r.id}: ${r.status} (${r.why}).`);
    } finally {
      register.close();
    }
  });

  return reply.addCommand(list).addCommand(show).addCommand(set);
}
