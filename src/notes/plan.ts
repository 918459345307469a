import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parsePlainDate } from '../dates.js';
import { UserError } from '../errors.js';
import { formatReference, referenceSlug, type ReferenceParts } from '../references/format.js';
import type { Dispatch, DispatchRequest, Register } from '../storage/register.js';
import { MissingValueError } from '../templates/fill.js';
import { checkPlaceholders, listTemplates, loadTemplate, type Template } from '../templates/load.js';
import { placeholdersOf } from '../templates/markdown.js';
import { buildValues, knownNames, type RecipientFacts } from '../templates/values.js';
import { findRecipient, type Recipient } from '../workspace/recipients.js';
import type { Workspace } from '../workspace/load.js';
import { buildNote } from './build-note.js';
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
function invitationFacts(
  ws: Workspace,
  register: Register,
): Map<string, { reference: string; date: string }> {
  const out = new Map<string, { reference: string; date: string }>();
  const d = register.findActiveDispatchByKey(dispatchKey(ws, 'invitation', 'circular'));
  if (!d) return out;
  for (const n of register.notesOf(d.id))
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
export function planGeneration(
  ws: Workspace,
  register: Register,
  opts: GenerateOptions,
  /**
   * Recipients that have replied (a reply not refused), with the calendar day it was received.
   * Asked for only when the note depends on it (reminders, acknowledgements): it runs the rules.
   */
  repliedStates: () => ReadonlyMap<string, string> = () => new Map(),
): Plan {
  const name = opts.template ?? ws.config.notes.template;
  const date = opts.date ?? ws.config.notes.date;
  if (!parsePlainDate(date))
    throw new UserError(`--date ${date} is not a calendar date; write it as yyyy-mm-dd.`);
  const year = Number(date.slice(0, 4));
  const available = listTemplates(ws.paths.templates).filter((t) => t.name === name);
  if (available.length === 0) {
    const names = [...new Set(listTemplates(ws.paths.templates).map((t) => t.name))];
    throw new UserError(
      `There is no template "${name}"; the templates are ${names.join(', ')} (see "nv templates list").`,
    );
  }
  const known = knownNames(ws.config);
  const templates = new Map<string, Template>();
  const display = (file: string) => relativeToWorkspace(ws, file);
  for (const ref of available) {
    const t = loadTemplate(
      ref,
      ref.builtin ? `templates/${name}.${ref.language}.md (built-in)` : display(ref.file),
    );
    checkPlaceholders(
      t,
      known,
      ref.builtin ? `templates/${name}.${ref.language}.md (built-in)` : display(ref.file),
    );
    templates.set(ref.language, t);
  }
  const kinds = new Set([...templates.values()].map((t) => t.front.kind));
  if (kinds.size > 1)
    throw new UserError(
      `The "${name}" templates disagree on their kind (circular or individual); make them the same.`,
    );
  const kind = [...kinds][0]!;
  const first = [...templates.values()][0]!;

  let recipients = selectRecipients(ws, opts.only);
  const audience = opts.onlyMissing ? 'missing' : first.front.audience;
  const usesReplies = [...templates.values()].some((t) =>
    placeholdersOf(t.blocks).some((p) => p.name.startsWith('reply.')),
  );
  const replied = audience !== 'all' || usesReplies ? repliedStates() : new Map<string, string>();
  if (audience === 'missing') recipients = recipients.filter((r) => !replied.has(r.code));
  if (audience === 'replied') recipients = recipients.filter((r) => replied.has(r.code));
  if (recipients.length === 0)
    throw new UserError(
      audience === 'replied'
        ? `No recipient has replied yet, so there is nothing to send with "${name}".`
        : 'Every selected recipient has replied; there is no one to send this note to.',
    );

  // Attachments: the same for every language; they must exist and be PDFs.
  const attachments = first.front.attachments.map((f) => resolve(ws.paths.attachments, f));
  const missingAtt = attachments.filter((p) => !existsSync(p));
  if (missingAtt.length)
    throw new UserError(
      `The template "${name}" encloses ${missingAtt.map((p) => relativeToWorkspace(ws, p)).join(', ')}, which ${missingAtt.length > 1 ? 'do' : 'does'} not exist; put the PDF there or remove it from the template's attachments.`,
    );

  const invitations = name === 'invitation' ? new Map() : invitationFacts(ws, register);
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
        `${r.name} (recipients.csv:${r.line}) is a ${r.category}, which no variant of ${name} covers; add the category to a variant in the template's front matter.`,
      );
      continue;
    }
    const inv = invitations.get(r.code);
    const facts: RecipientFacts = {
      reference: 'CU 0000/0',
      invitationReference: inv?.reference,
      invitationDate: inv?.date,
      replyReceived: replied.get(r.code) || undefined,
    };
    notes.push({
      recipient: r,
      variant,
      template: t,
      dispatchKey: dispatchKey(ws, name, kind, r.code, date),
      facts,
    });
  }
  if (problems.length) throw new UserError(problems[0]!, { details: problems.slice(1) });

  // Every value every note needs, checked now (with a stand-in reference).
  for (const n of notes) {
    try {
      buildNote({
        config: ws.config,
        template: n.template,
        variant: n.variant,
        values: buildValues(ws.config, n.recipient, n.template.language, n.facts),
        reference: 'X',
        recipientName: n.recipient.name,
        attachments,
        sourceDateEpoch: undefined,
      });
    } catch (e) {
      if (!(e instanceof MissingValueError)) throw e;
      problems.push(missingValueMessage(e, n, name));
    }
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
  let next = register.peekNext(ws.config.reference.series, year, ws.config.reference.first);
  const dispatches: PlannedDispatch[] = [...requests.values()].map((request) => {
    const existing = register.findActiveDispatchByKey(request.key);
    return { request, existing, seq: existing?.seq ?? next++ };
  });
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
  };
}

function missingValueMessage(e: MissingValueError, n: PlannedNote, template: string): string {
  const who = `${n.recipient.name} (recipients.csv:${n.recipient.line})`;
  switch (e.placeholder) {
    case 'invitation.reference':
    case 'invitation.date':
      return `${who} was never sent the invitation, which the ${template} note refers to; generate the invitation first, or leave this recipient out with --only.`;
    case 'reply.received':
    case 'reply.reference':
      return `${who} has no recorded reply, which the ${template} note acknowledges; ingest its reply first.`;
    case 'deadline.previous':
      return `The ${template} note needs the previous deadline; set meeting.previous_deadline in nv.yaml.`;
    default:
      return `{{${e.placeholder}}} (${template}, line ${e.line}) has no value for ${who}; give it one in nv.yaml or recipients.csv.`;
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
  };
}
