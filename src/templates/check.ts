import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isNvError } from '../errors.js';
import { enclosureProblem } from '../render/precheck.js';
import { missingLanguageMessage } from '../workspace/config.js';
import type { Workspace } from '../workspace/load.js';
import { checkPlaceholders, listTemplates, loadTemplate, shownTemplateFile, templatePlaceholders } from './load.js';
import { conditionsOf, placeholdersOf } from './markdown.js';
import { emptyValueMessage, emptyWorkspaceValues, knownNames } from './values.js';

export interface TemplateReport {
  name: string;
  language: string;
  source: 'built-in' | 'workspace';
  file: string;
  kind?: 'circular' | 'individual';
  variants?: Record<string, string[]>;
  attachments?: string[];
  placeholders?: string[];
  problems: string[];
}

/**
 * Loads and checks every template available to the workspace (or those named `only`): syntax,
 * placeholders, empty values of nv.yaml, and its enclosures (that they exist and, unless
 * `openEnclosures` is false, that they open as PDFs, as \`nv generate\` will need).
 */
export async function checkTemplates(
  ws: Workspace,
  only?: string,
  { openEnclosures = true }: { openEnclosures?: boolean } = {},
): Promise<TemplateReport[]> {
  const known = knownNames(ws.config);
  const languages = new Set([ws.config.notes.language, ...ws.recipients.map((r) => r.language)]);
  const opened = new Map<string, Promise<string | undefined>>();
  const reports: TemplateReport[] = [];
  for (const ref of listTemplates(ws.paths.templates).filter((t) => !only || t.name === only)) {
    const shown = shownTemplateFile(ref, ws.root);
    const report: TemplateReport = {
      name: ref.name,
      language: ref.language,
      source: ref.builtin ? 'built-in' : 'workspace',
      file: shown,
      problems: [],
    };
    reports.push(report);
    try {
      const t = loadTemplate(ref, shown);
      report.kind = t.front.kind;
      if (t.front.variants) report.variants = t.front.variants;
      report.attachments = t.front.attachments;
      report.placeholders = [...new Set(placeholdersOf(t.blocks).map((p) => p.name))];
      for (const a of t.front.attachments) {
        const path = join(ws.paths.attachments, a);
        if (!existsSync(path)) {
          report.problems.push(`${shown}: the attachment attachments/${a} does not exist; put the PDF there or remove it from the front matter.`);
          continue;
        }
        if (!openEnclosures) continue;
        if (!opened.has(path)) opened.set(path, enclosureProblem(path));
        const why = await opened.get(path);
        if (why) report.problems.push(`${shown}: the attachment attachments/${a} cannot be appended to the notes: ${why}.`);
      }
      checkPlaceholders(t, known, shown);
      // The values a note will print: for the workspace's own templates, and the built-in ones in
      // a language someone is written to in (the built-in Arabic reminder of an English workspace
      // prints nothing).
      if (!ref.builtin || languages.has(t.language))
        for (const u of emptyWorkspaceValues(ws.config, templatePlaceholders(t), t.front.optional))
          report.problems.push(emptyValueMessage(u.name, `${shown}, line ${u.line}`));
      // A value nv.yaml gives per language, but not in this template's, when recipients are written to in it.
      if (ws.recipients.some((r) => r.language === t.language))
        for (const name of new Set([...templatePlaceholders(t), ...conditionsOf(t.blocks)].map((p) => p.name))) {
          const m = missingLanguageMessage(ws.config, name, t.language, t.name);
          if (m) report.problems.push(`${shown}: ${m}`);
        }
    } catch (e) {
      if (!isNvError(e)) throw e;
      report.problems.push(e.message, ...('details' in e ? (e.details as string[]) : []));
    }
  }
  return reports;
}
