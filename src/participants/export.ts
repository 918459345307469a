import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { readFacts, stateStatus, type FactsRegister } from '../replies/status.js';
import type { DelegationList } from '../delegations/lists.js';
import type { Workspace } from '../workspace/load.js';
import { consolidate, type ConsolidatedList, type ConsolidateOptions } from './consolidate.js';
import { participantsCsv, participantsJson, statusCsv, statusJson } from './export-data.js';

export type ExportFormat = 'csv' | 'json' | 'docx' | 'pdf';

export interface ExportResult {
  /** Where it was written, or null for standard output. */
  path: string | null;
  bytes: Uint8Array;
  format: ExportFormat;
  list?: ConsolidatedList;
}

function target(ws: Workspace, out: string | undefined, name: string, format: ExportFormat): string | null {
  if (out === '-') {
    if (format === 'docx' || format === 'pdf')
      throw new UserError(
        `--out - writes to standard output, which is for csv and json; give a file for ${format}.`,
      );
    return null;
  }
  return out ? resolve(out) : join(ws.paths.out, `${name}.${format}`);
}

function write(path: string | null, bytes: Uint8Array): void {
  if (!path) return;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, bytes);
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT')
      throw new UserError(
        `The disk holding ${dirname(path)} is full (${code}); free some space there, or choose another --out.`,
      );
    throw new UserError(
      `Cannot write ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}); choose another --out or fix its folder's permissions.`,
    );
  }
}

/** The consolidated list of participants in one format, written to --out (or out/participants[-MEETING].FORMAT). */
export async function exportParticipants(
  ws: Workspace,
  register: FactsRegister,
  opts: ConsolidateOptions & { format: ExportFormat; out?: string; contacts?: boolean },
): Promise<ExportResult> {
  const facts = await readFacts(register);
  const list = consolidate(ws, facts, opts);
  const path = target(ws, opts.out, `participants${list.only ? `-${list.only.key}` : ''}`, opts.format);
  let bytes: Uint8Array;
  if (opts.format === 'csv') bytes = Buffer.from(participantsCsv(list));
  else if (opts.format === 'json') bytes = Buffer.from(participantsJson(list));
  else {
    const { participantsReport } = await import('./report.js');
    const doc = participantsReport(ws, list, { contacts: !!opts.contacts });
    if (opts.format === 'pdf') await refuseUndrawable(facts.delegations, list, doc, !!opts.contacts);
    bytes =
      opts.format === 'pdf'
        ? await (await import('../render/pdf.js')).renderPdf(doc)
        : await (await import('../render/docx.js')).renderDocx(doc);
  }
  write(path, bytes);
  return { path, bytes, format: opts.format, list };
}

/**
 * No glyph, no list: a character none of the PDF's fonts draws (it would print as an empty box)
 * stops the export, naming the participant, the list file and its line.
 */
async function refuseUndrawable(
  delegations: DelegationList[],
  list: ConsolidatedList,
  doc: import('../render/document.js').ReportDocument,
  contacts: boolean,
): Promise<void> {
  const { GlyphCoverage, codePointLabel, FONTS_LABEL } = await import('../render/precheck.js');
  const coverage = new GlyphCoverage();
  const missing = coverage.undrawable(doc);
  if (missing.length === 0) return;
  const where = new Map<number, string>();
  for (const l of delegations)
    for (const p of l.participants) where.set(p.id, `${l.sourceName ?? `the list of ${l.state}`}:${p.line}`);
  const problems: string[] = [];
  const cannot = `which none of the PDF's fonts (${FONTS_LABEL}) can draw`;
  for (const section of list.sections)
    for (const d of section.delegations)
      for (const p of d.participants) {
        const fields = [p.displayName, p.title, p.organization];
        if (contacts) fields.push(p.email ?? '', p.phone ?? '');
        for (const ch of coverage.undrawableIn(fields.join(' ')))
          problems.push(
            `${p.displayName} (${d.name}, ${where.get(p.id) ?? 'its list'}) would print "${ch}" (${codePointLabel(ch)}), ${cannot}; correct the list and import it again, or export --format docx.`,
          );
      }
  if (problems.length === 0)
    for (const u of missing)
      problems.push(
        `The list would print "${u.char}" (${codePointLabel(u.char)}), ${cannot}; export --format docx.`,
      );
  throw new UserError(problems[0]!, { details: problems.slice(1) });
}

/** The table of `nv status` as CSV or JSON. */
export async function exportStatus(
  ws: Workspace,
  register: FactsRegister,
  opts: { format: 'csv' | 'json'; out?: string },
): Promise<ExportResult> {
  const report = stateStatus(ws, await readFacts(register));
  const path = target(ws, opts.out, 'status', opts.format);
  const bytes = Buffer.from(opts.format === 'csv' ? statusCsv(report) : statusJson(report));
  write(path, bytes);
  return { path, bytes, format: opts.format };
}
