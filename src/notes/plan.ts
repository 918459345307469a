import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parsePlainDate } from '../dates.js';
import { UserError } from '../errors.js';
import { missingLanguageMessage } from '../workspace/config.js';
import { formatReference, referenceSlug, type ReferenceParts } from '../references/format.js';
import type { Dispatch, DispatchRequest } from '../references/records.js';
import type { DispatchRegister } from '../storage/register.js';
import { MissingValueError } from '../templates/fill.js';
import {
  checkPlaceholders,
  listTemplates,
  loadTemplate,
  shownTemplateFile,
  templatePlaceholders,
  type Template,
} from '../templates/load.js';
import { conditionsOf } from '../templates/markdown.js';
import { NO_REPLIES, type RefusedReply, type ReplyFacts } from './reply-facts.js';
import {
  buildValues,
  emptyValueMessage,
  knownNames,
  valueSource,
  type RecipientFacts,
} from '../templates/values.js';
import { findRecipient, type Recipient } from '../workspace/recipients.js';
import type { Workspace } from '../workspace/load.js';
import { buildNote } from './build-note.js';
import { codePointLabel, enclosureProblem, FONTS_LABEL, GlyphCoverage } from '../render/precheck.js';
import { fileSafe } from '../files.js';

export type Format = 'docx' | 'pdf';

export interface GenerateOptions {
  template?: string;
  /** States or recipient codes (ISO3 or UN name). */
  only?: string[];
  /** Only recipients that have not replied (reminders). */
  onlyMissing?: boolean;
  formats: Format[];
  /** Output folder (default: the workspace's out/notes). */
  out?: string;
  /** The date the notes bear (default: notes.date of nv.yaml). */
  date?: string;
  /** SOURCE_DATE_EPOCH: fixed creation time of the documents. */
  sourceDateEpoch?: number;
}

export interface PlannedNote {
  recipient: Recipient;
  variant: string;
  template: Template;
  dispatchKey: string;
  facts: RecipientFacts;
  /** The State's reply was refused: the note is the template's text for a refused reply. */
  refused?: RefusedReply;
}

export interface PlannedDispatch {
  request: DispatchRequest;
  /** The dispatch already in the register for this key, if any. */
  existing: Dispatch | undefined;
  /** Its sequence number: the existing one or the one it would get now. */
  seq: number;
}

export interface Plan {
  templateName: string;
  kind: 'circular' | 'individual';
  date: string;
  year: number;
  formats: Format[];
  outDir: string;
  notes: PlannedNote[];
  dispatches: PlannedDispatch[];
  attachments: string[];
  /** Facts shown to the officer before confirming. */
  toAllocate: number;
  /** Recipients selected but not written to, and why (e.g. a refused reply the template has no text for). */
  leftOut: LeftOut[];
}

export interface LeftOut {
  state: string;
  name: string;
  reason: string;
}

/** The template has a text for a State whose reply was refused. */
function speaksOfRefusal(t: Template): boolean {
  return conditionsOf(t.blocks).some((c) => c.name.startsWith('refusal.'));
}

export function referenceParts(ws: Workspace, seq: number, year: number, variant: string): ReferenceParts {
  return { series: ws.config.reference.series, year, seq, variant, office: ws.config.reference.office };
}

export function formatRef(ws: Workspace, seq: number, year: number, variant: string): string {
  return formatReference(ws.config.reference.format, referenceParts(ws, seq, year, variant));
}

/** Where a note's file goes: out/notes/CU-2012-150-A/AUT-Austria.pdf */
export function notePath(
  plan: Plan,
  ws: Workspace,
  seq: number,
  variant: string,
  r: Recipient,
  format: Format,
): string {
  const slug = referenceSlug(referenceParts(ws, seq, plan.year, variant));
  return join(plan.outDir, slug, `${fileSafe(r.code)}-${fileSafe(r.name)}.${format}`);
}

export function relativeToWorkspace(ws: Workspace, p: string): string {
  const rel = relative(ws.root, p);
  return rel.startsWith('..') || isAbsolute(rel) ? p : rel.split('\\').join('/');
}

function selectRecipients(ws: Workspace, only: string[] | undefined): Recipient[] {
  if (!only || only.length === 0) return ws.recipients;
  const picked: Recipient[] = [];
  const problems: string[] = [];
  for (const q of only) {
    const r = findRecipient(ws.recipients, q);
    if (!r)
      problems.push(
        `"${q}" is not among the recipients in recipients.csv; name a State by its ISO3 code or UN name.`,
      );
    else if (!picked.includes(r)) picked.push(r);
  }
  if (problems.length) throw new UserError(problems[0]!, { details: problems.slice(1) });
  return picked;
}

function variantFor(t: Template, r: Recipient): string | undefined {
  if (t.front.kind === 'individual') return '';
  for (const [letter, cats] of Object.entries(t.front.variants ?? {}))
    if (cats.includes(r.category)) return letter;
  return undefined;
}

/** The invitation each recipient was sent, from the register, for reminders and acknowledgements. */
async function invitationFacts(
  ws: Workspace,
  register: DispatchRegister,
): Promise<Map<string, { reference: string; date: string }>> {
  const out = new Map<string, { reference: string; date: string }>();
  const d = await register.findActiveDispatchByKey(dispatchKey(ws, 'invitation', 'circular'));
  if (!d) return out;
  for (const n of await register.notesOf(d.id))
    out.set(n.recipient, { reference: formatRef(ws, d.seq, d.year, n.variant), date: d.date });
  return out;
}

export function dispatchKey(
  ws: Workspace,
  template: string,
  kind: 'circular' | 'individual',
  recipient?: string,
  date?: string,
): string {
  return kind === 'circular'
    ? `${template}:${ws.config.meeting.key}`
    : `${template}:${ws.config.meeting.key}:${recipient}:${date}`;
}

/**
 * Everything `nv generate` checks before a number is allocated or a file written: the template
 * and its placeholders, a template in each recipient's language, a variant for each, every value
 * each note needs, the attachments, the output folder's name. Throws UserError; changes nothing.
 */
export async function planGeneration(
  ws: Workspace,
  register: DispatchRegister,
  opts: GenerateOptions,
  /**
   * Who has replied, and whose replies were refused (replyFacts). Asked for only when the note
   * depends on it (reminders, acknowledgements): it runs the rules.
   */
  replies: () => Promise<ReplyFacts> = async () => NO_REPLIES,
): Promise<Plan> {
  const name = opts.template ?? ws.config.notes.template;
  const date = opts.date ?? ws.config.notes.date;
  if (!parsePlainDate(date))
    throw new UserError(`--date ${date} is not a calendar date; write it as yyyy-mm-dd.`);
  const year = Number(date.slice(0, 4));
  // The built-in templates in the languages the recipients are written to in (an English
  // workspace's notes are not held to the built-in Arabic reminder).
  const languages = new Set(ws.recipients.map((r) => r.language));
  const named = listTemplates(ws.paths.templates).filter((t) => t.name === name);
  const inUse = named.filter((t) => !t.builtin || languages.has(t.language));
  const available = inUse.length ? inUse : named;
  if (available.length === 0) {
    const names = [...new Set(listTemplates(ws.paths.templates).map((t) => t.name))];
    throw new UserError(
      `There is no template "${name}"; the templates are ${names.join(', ')} (see "nv templates list").`,
    );
  }
  const known = knownNames(ws.config);
  const templates = new Map<string, Template>();
  for (const ref of available) {
    const shown = shownTemplateFile(ref, ws.root);
    const t = loadTemplate(ref, shown);
    checkPlaceholders(t, known, shown);
    templates.set(ref.language, t);
  }
  const kinds = new Set([...templates.values()].map((t) => t.front.kind));
  if (kinds.size > 1)
    throw new UserError(
      `The "${name}" templates disagree on their kind (circular or individual); make them the same.`,
    );
  const kind = [...kinds][0]!;
  const first = [...templates.values()][0]!;
  // A note that asks for a reply "not later than" a day before the one it bears says nonsense.
  const deadline = ws.config.meeting.deadline;
  if (
    deadline < date &&
    [...templates.values()].some((t) => templatePlaceholders(t).some((p) => p.name === 'deadline'))
  )
    throw new UserError(
      `The ${name} notes would be dated ${date} and ask for a reply not later than ${deadline}, a day already past; set a later meeting.deadline in nv.yaml (and announce it with --template deadline-change), or give an earlier --date.`,
    );

  let recipients = selectRecipients(ws, opts.only);
  const audience = opts.onlyMissing ? 'missing' : first.front.audience;
  const usesReplies = [...templates.values()].some((t) =>
    [...templatePlaceholders(t), ...conditionsOf(t.blocks)].some((p) => /^(reply|refusal)\./.test(p.name)),
  );
  const facts = audience !== 'all' || usesReplies ? await replies() : NO_REPLIES;
  if (audience === 'replied') recipients = recipients.filter((r) => facts.replied.has(r.code));
  // A State whose reply was refused did write: a note that says nothing was received is not for
  // it. It gets the template's text for a refused reply (::: if refusal.reason), or is left out.
  const leftOut: LeftOut[] = [];
  if (audience === 'missing')
    recipients = recipients.filter((r) => {
      const day = facts.replied.get(r.code);
      if (day !== undefined) {
        // Named with --only but has replied: said, not silently dropped.
        if (opts.only?.length)
          leftOut.push({
            state: r.code,
            name: r.name,
            reason: `it has replied${day ? ` (received ${day})` : ''}`,
          });
        return false;
      }
      const refused = facts.refused.get(r.code);
      const t = templates.get(r.language);
      if (!refused || !t || speaksOfRefusal(t)) return true;
      leftOut.push({
        state: r.code,
        name: r.name,
        reason: `its reply (#${refused.reply}${refused.received ? ` of ${refused.received}` : ''}) was refused: ${refused.why}; ${shownTemplateFile(t, ws.root)} has no text for a refused reply (a "::: if refusal.reason" section)`,
      });
      return false;
    });
  if (recipients.length === 0)
    throw new UserError(
      audience === 'replied'
        ? `No recipient has replied yet, so there is nothing to send with "${name}".`
        : leftOut.length
          ? `There is no one to send this note to: ${leftOut[0]!.name} is left out because ${leftOut[0]!.reason}.`
          : 'Every selected recipient has replied; there is no one to send this note to.',
      leftOut.length > 1
        ? { details: leftOut.slice(1).map((l) => `${l.name} is left out because ${l.reason}.`) }
        : {},
    );

  // Attachments: the same for every language; they must exist and be PDFs.
  const attachments = first.front.attachments.map((f) => resolve(ws.paths.attachments, f));
  const missingAtt = attachments.filter((p) => !existsSync(p));
  if (missingAtt.length)
    throw new UserError(
      `The template "${name}" encloses ${missingAtt.map((p) => relativeToWorkspace(ws, p)).join(', ')}, which ${missingAtt.length > 1 ? 'do' : 'does'} not exist; put the PDF there or remove it from the template's attachments.`,
    );

  const invitations = name === 'invitation' ? new Map() : await invitationFacts(ws, register);
  const problems: string[] = [];
  const notes: PlannedNote[] = [];
  for (const r of recipients) {
    if (r.unsettled) {
      problems.push(r.unsettled); // its category is uncertain: no note until the officer settles it
      continue;
    }
    const t = templates.get(r.language);
    if (!t) {
      problems.push(
        `${r.name} (recipients.csv:${r.line}) is to be written to in "${r.language}", but there is no template ${name}.${r.language}.md; add templates/${name}.${r.language}.md or change its language.`,
      );
      continue;
    }
    const variant = variantFor(t, r);
    if (variant === undefined) {
      problems.push(
        `${r.name} (recipients.csv:${r.line}) is in the category ${r.category}, which no variant of ${name} covers; add the category to a variant in the template's front matter.`,
      );
      continue;
    }
    const inv = invitations.get(r.code);
    const refused = facts.refused.get(r.code);
    const known: RecipientFacts = {
      noteDate: date,
      reference: 'CU 0000/0',
      invitationReference: inv?.reference,
      invitationDate: inv?.date,
      replyReceived: facts.replied.get(r.code) || undefined,
      refusal: refused && { received: refused.received, channel: refused.channel, reason: refused.reason },
    };
    // A note cannot refer to a note or a reply of a later day than the one it bears.
    if (known.invitationDate && known.invitationDate > date)
      problems.push(
        `${r.name} (recipients.csv:${r.line}) was sent the invitation on ${known.invitationDate}, after ${date}, the date this ${name} note would bear; give --date ${known.invitationDate} or later.`,
      );
    const received = known.replyReceived ?? known.refusal?.received;
    if (received && received > date)
      problems.push(
        `The reply of ${r.name} (recipients.csv:${r.line}) was received on ${received}, after ${date}, the date this ${name} note would bear; give --date ${received} or later.`,
      );
    notes.push({
      recipient: r,
      variant,
      template: t,
      dispatchKey: dispatchKey(ws, name, kind, r.code, date),
      facts: known,
      ...(refused ? { refused } : {}),
    });
  }
  if (problems.length) throw new UserError(problems[0]!, { details: problems.slice(1) });

  // Every value every note needs, and every character its PDF will draw, checked now (with a
  // stand-in reference: the number it would get).
  const standIn = await register.peekNext(ws.config.reference.series, year, ws.config.reference.first);
  const coverage = opts.formats.includes('pdf') ? new GlyphCoverage() : undefined;
  const glyphProblems = new Map<string, { recipient: string; char: string; where: string; others: number }>();
  for (const n of notes) {
    const reference = formatRef(ws, standIn, year, n.variant);
    try {
      const doc = buildNote({
        config: ws.config,
        template: n.template,
        variant: n.variant,
        values: buildValues(ws.config, n.recipient, n.template.language, { ...n.facts, reference }),
        reference,
        recipientName: n.recipient.name,
        date,
        attachments,
        sourceDateEpoch: undefined,
      });
      for (const u of coverage?.undrawable(doc) ?? []) {
        const where = characterSource(ws, n, u.char);
        const key = `${u.char}\u0000${where}`;
        const seen = glyphProblems.get(key);
        if (seen) seen.others++;
        else
          glyphProblems.set(key, {
            recipient: n.recipient.name,
            char: u.char,
            where,
            others: 0,
          });
      }
    } catch (e) {
      if (!(e instanceof MissingValueError)) throw e;
      problems.push(missingValueMessage(ws, e, n, name));
    }
  }
  for (const g of glyphProblems.values())
    problems.push(
      `The note to ${g.recipient}${g.others ? ` (and ${g.others} other note(s))` : ''} would print "${g.char}" (${codePointLabel(g.char)}), from ${g.where}, which none of the PDF's fonts (${FONTS_LABEL}) can draw; write it with another character, or generate --format docx only.`,
    );
  if (problems.length) {
    const distinct = [...new Set(problems)];
    throw new UserError(distinct[0]!, { details: distinct.slice(1) });
  }

  // Every enclosure opens (the PDFs carry them), before any number is spent.
  if (opts.formats.includes('pdf'))
    for (const p of attachments) {
      const why = await enclosureProblem(p);
      if (why)
        problems.push(
          `The enclosure ${relativeToWorkspace(ws, p)} of the template "${name}" cannot be appended to the notes: ${why}.`,
        );
    }
  if (problems.length) throw new UserError(problems[0]!, { details: problems.slice(1) });

  const requests = new Map<string, DispatchRequest>();
  for (const n of notes) {
    let req = requests.get(n.dispatchKey);
    if (!req) {
      req = {
        key: n.dispatchKey,
        series: ws.config.reference.series,
        year,
        kind,
        template: name,
        date,
        notes: [],
        firstSeq: ws.config.reference.first,
      };
      requests.set(n.dispatchKey, req);
    }
    req.notes.push({ recipient: n.recipient.code, variant: n.variant });
  }
  if (requests.size > 0) await counterAboveUsed(ws, register, year);
  let next = await register.peekNext(ws.config.reference.series, year, ws.config.reference.first);
  const dispatches: PlannedDispatch[] = [];
  for (const request of requests.values()) {
    const existing = await register.findActiveDispatchByKey(request.key);
    dispatches.push({ request, existing, seq: existing?.seq ?? next++ });
  }
  return {
    templateName: name,
    kind,
    date,
    year,
    formats: opts.formats,
    outDir: resolve(ws.root, opts.out ?? join('out', 'notes')),
    notes,
    dispatches,
    attachments,
    toAllocate: dispatches.filter((d) => !d.existing).length,
    leftOut,
  };
}

/**
 * The register's counter is above every number used in its series and year; it is not when it
 * was set back by hand in the database, and allocating would collide with a number in use.
 */
async function counterAboveUsed(ws: Workspace, register: DispatchRegister, year: number): Promise<void> {
  const { series, first } = ws.config.reference;
  // The numbers in use first, the counter after: another nv allocating in between only raises
  // the counter, so it is never taken for one set back.
  const used = (await register.listDispatches())
    .filter((d) => d.series === series && d.year === year)
    .reduce((m, d) => Math.max(m, d.seq), 0);
  const next = await register.peekNext(series, year, first);
  if (next > used) return;
  const yearFlag = year === Number(ws.config.notes.date.slice(0, 4)) ? '' : ` --year ${year}`;
  throw new UserError(
    `The register's counter for ${series} ${year} gives ${next} as the next number, but ${series} ${year}/${used} is already allocated (the counter was set back outside nv); run "nv ref set-next ${used + 1}${yearFlag}" and generate again.`,
  );
}

/**
 * Where a character of a note comes from, for the message: the recipient's line of
 * recipients.csv, the template's line, or the line of nv.yaml; "the note" when none holds it.
 */
function characterSource(ws: Workspace, n: PlannedNote, ch: string): string {
  const r = n.recipient;
  if ([r.name, r.inText, r.addressee].some((t) => t.normalize('NFC').includes(ch)))
    return `recipients.csv:${r.line}`;
  const inFile = (file: string, shown: string) => {
    if (!existsSync(file)) return undefined;
    const i = readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.normalize('NFC').includes(ch));
    return i < 0 ? undefined : `${shown}:${i + 1}`;
  };
  return (
    inFile(n.template.file, shownTemplateFile(n.template, ws.root).replace(' (built-in)', '')) ??
    inFile(ws.paths.config, 'nv.yaml') ??
    'the note'
  );
}

function missingValueMessage(ws: Workspace, e: MissingValueError, n: PlannedNote, template: string): string {
  const who = `${n.recipient.name} (recipients.csv:${n.recipient.line})`;
  if (e.empty) {
    const where = `${shownTemplateFile(n.template, ws.root)}, line ${e.line}`;
    const source = valueSource(e.placeholder);
    return source.file === 'recipients.csv'
      ? `${who} has no ${source.key} in recipients.csv, which {{${e.placeholder}}} needs (${where}); fill it in.`
      : emptyValueMessage(e.placeholder, where);
  }
  switch (e.placeholder) {
    case 'invitation.reference':
    case 'invitation.date':
      return `${who} was never sent the invitation, which the ${template} note refers to; generate the invitation first, or leave this recipient out with --only.`;
    case 'reply.received':
    case 'reply.reference':
      return `${who} has no recorded reply, which the ${template} note acknowledges; ingest its reply first.`;
    case 'refusal.reason':
      return `${who} has no refused reply, which the ${template} note speaks of; put the {{refusal.…}} placeholders inside a "::: if refusal.reason" section.`;
    case 'refusal.received':
    case 'refusal.channel':
      return `The refused reply of ${who} does not say ${e.placeholder === 'refusal.received' ? 'when it was received' : 'how it came'}, which the ${template} note tells; record it with "nv reply set ${n.refused?.reply ?? 'ID'} --${e.placeholder === 'refusal.received' ? 'received' : 'channel'} …", or leave this recipient out with --only.`;
    case 'deadline.previous':
      return `The ${template} note needs the previous deadline; set meeting.previous_deadline in nv.yaml.`;
    default:
      return (
        missingLanguageMessage(ws.config, e.placeholder, n.template.language, template) ??
        `{{${e.placeholder}}} (${template}, line ${e.line}) has no value for ${who}; give it one in nv.yaml or recipients.csv.`
      );
  }
}

export interface PlanSummary {
  template: string;
  kind: 'circular' | 'individual';
  date: string;
  notes: number;
  formats: Format[];
  /** The output folder, relative to the workspace when inside it. */
  out: string;
  toAllocate: number;
  /** Each number the plan uses: the references printed on its notes, whether it exists already. */
  references: { references: string[]; existing: boolean; notes: number }[];
  /** Recipients whose reply was refused: they get the template's text for a refused reply. */
  refusedReplies: { state: string; name: string; reply: number; received: string | null; why: string }[];
  /** Recipients selected but not written to, and why. */
  leftOut: LeftOut[];
  /** The notes by language: the template file each language's notes are filled from, and to whom (ISO3 codes). */
  languages: { language: string; template: string; notes: number; recipients: string[] }[];
}

/** What a plan will do, for the officer to confirm (and for --dry-run). */
export function summarisePlan(ws: Workspace, plan: Plan): PlanSummary {
  return {
    template: plan.templateName,
    kind: plan.kind,
    date: plan.date,
    notes: plan.notes.length,
    formats: plan.formats,
    out: relativeToWorkspace(ws, plan.outDir),
    toAllocate: plan.toAllocate,
    references: plan.dispatches.map((d) => ({
      references: [...new Set(d.request.notes.map((n) => n.variant))].map((v) =>
        formatRef(ws, d.seq, plan.year, v),
      ),
      existing: !!d.existing,
      notes: d.request.notes.length,
    })),
    refusedReplies: plan.notes.flatMap((n) =>
      n.refused
        ? [
            {
              state: n.recipient.code,
              name: n.recipient.name,
              reply: n.refused.reply,
              received: n.refused.received,
              why: n.refused.why,
            },
          ]
        : [],
    ),
    leftOut: plan.leftOut,
    languages: byLanguage(ws, plan),
  };
}

function byLanguage(ws: Workspace, plan: Plan): PlanSummary['languages'] {
  const out = new Map<string, PlanSummary['languages'][number]>();
  for (const n of plan.notes) {
    const l = n.template.language;
    let e = out.get(l);
    if (!e)
      out.set(
        l,
        (e = { language: l, template: shownTemplateFile(n.template, ws.root), notes: 0, recipients: [] }),
      );
    e.notes++;
    e.recipients.push(n.recipient.code);
  }
  return [...out.values()];
}
