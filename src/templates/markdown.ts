/**
 * The Markdown subset of note templates, parsed into blocks whose inline content still holds
 * `{{placeholders}}` (filled per recipient by fill.ts).
 *
 * Blocks: paragraphs (lines joined by a space, separated by blank lines), lists (`- item`,
 * `1. item`), and variant sections:
 *
 *     ::: variant A
 *     …blocks for variant A only…
 *     :::
 *
 * and sections kept only when a value is there (or is not), for a text that depends on the
 * recipient's case, e.g. a State whose reply was refused:
 *
 *     ::: if refusal.received
 *     …blocks for those that have the value…
 *     ::: else
 *     …blocks for the others…
 *     :::
 *
 * Inline: `**bold**`, `*italic*` or `_italic_`, `<https://…>`, `[text](url)`, `{{name}}`, and
 * backslash escapes (`\*`). Anything else is text.
 */

export type Inline =
  | { type: 'text'; text: string; line: number; bold: boolean; italic: boolean; link?: string }
  | { type: 'placeholder'; name: string; line: number; bold: boolean; italic: boolean; link?: string };

/** A block of an `::: if NAME` section: kept when NAME has a value (present) or, after `::: else`, when not. */
export interface Condition {
  name: string;
  present: boolean;
  line: number;
}

export type TemplateBlock =
  | { type: 'paragraph'; inline: Inline[]; line: number; variants: string[] | null; when?: Condition }
  | { type: 'list'; ordered: boolean; items: Inline[][]; line: number; variants: string[] | null; when?: Condition };

export class TemplateSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const PLACEHOLDER = /^\{\{\s*([A-Za-z][\w.-]*)\s*\}\}/;

/** Parses inline Markdown on one logical line (already joined); `line` is for messages. */
export function parseInline(src: string, line: number): Inline[] {
  const out: Inline[] = [];
  let bold = false;
  let italic = false;
  let buf = '';
  const flush = (link?: string) => {
    // As in Markdown, a run of spaces, tabs and line breaks is one space (a no-break space stays).
    buf = buf.replace(/[ \t\n\r\f\v]+/g, ' ');
    if (buf) out.push({ type: 'text', text: buf, line, bold, italic, ...(link ? { link } : {}) });
    buf = '';
  };
  let i = 0;
  while (i < src.length) {
    const rest = src.slice(i);
    const ch = src[i]!;
    if (ch === '\\' && i + 1 < src.length && /[\\*_{}[\]()<>`#+\-.!|]/.test(src[i + 1]!)) {
      buf += src[i + 1];
      i += 2;
      continue;
    }
    if (rest.startsWith('{{')) {
      const m = PLACEHOLDER.exec(rest);
      if (!m) throw new TemplateSyntaxError(line, `"{{" opens no placeholder; write {{name}}, or \\{{ for the characters themselves`);
      flush();
      out.push({ type: 'placeholder', name: m[1]!, line, bold, italic });
      i += m[0].length;
      continue;
    }
    if (rest.startsWith('**')) {
      flush();
      bold = !bold;
      i += 2;
      continue;
    }
    // "*" and "_" open italic before a non-space; "_" only at the start of a word and closes only
    // at its end, so snake_case stays text.
    const opens = !italic && /\S/.test(src[i + 1] ?? '') && !(ch === '_' && /\w/.test(src[i - 1] ?? ''));
    const closes = italic && !(ch === '_' && /\w/.test(src[i + 1] ?? ''));
    if ((ch === '*' || ch === '_') && (opens || closes)) {
      flush();
      italic = !italic;
      i += 1;
      continue;
    }
    if (ch === '<') {
      const ph = /^<(\{\{\s*([A-Za-z][\w.-]*)\s*\}\})>/.exec(rest);
      if (ph) {
        // <{{values.website}}>: a link whose target and text are the value.
        flush();
        out.push({ type: 'placeholder', name: ph[2]!, line, bold, italic, link: ph[1]! });
        i += ph[0].length;
        continue;
      }
      const m = /^<((?:https?|mailto):[^>\s]+)>/.exec(rest);
      if (m) {
        flush();
        buf = m[1]!.replace(/^mailto:/, '');
        flush(m[1]!);
        i += m[0].length;
        continue;
      }
    }
    if (ch === '[') {
      const m = /^\[([^\]]+)\]\(([^)\s]+)\)/.exec(rest);
      if (m) {
        flush();
        for (const part of parseInline(m[1]!, line)) out.push({ ...part, bold: part.bold || bold, italic: part.italic || italic, link: m[2]! });
        i += m[0].length;
        continue;
      }
    }
    buf += ch;
    i += 1;
  }
  flush();
  if (bold) throw new TemplateSyntaxError(line, '"**" opens bold text that is never closed; close it with "**"');
  if (italic) throw new TemplateSyntaxError(line, '"*" opens italic text that is never closed; close it with "*", or write \\* for an asterisk');
  return out;
}

const LIST_ITEM = /^(\s*)(?:([-*+])|(\d+)[.)])\s+(.*)$/;

/** Parses a template body. `firstLine` is the file line of the body's first line. */
export function parseBody(body: string, firstLine: number): TemplateBlock[] {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const blocks: TemplateBlock[] = [];
  let variants: string[] | null = null;
  let when: Condition | undefined;
  let variantLine = 0;
  let para: { text: string; line: number } | null = null;
  let list: { ordered: boolean; items: { text: string; line: number }[]; line: number } | null = null;

  const endPara = () => {
    if (para)
      blocks.push({ type: 'paragraph', inline: parseInline(para.text, para.line), line: para.line, variants, ...(when ? { when } : {}) });
    para = null;
  };
  const endList = () => {
    if (list)
      blocks.push({
        type: 'list',
        ordered: list.ordered,
        items: list.items.map((it) => parseInline(it.text, it.line)),
        line: list.line,
        variants,
        ...(when ? { when } : {}),
      });
    list = null;
  };

  lines.forEach((raw, idx) => {
    const line = firstLine + idx;
    const text = raw.trimEnd();
    const fence = /^:::\s*(.*)$/.exec(text.trim());
    if (fence) {
      endPara();
      endList();
      const arg = fence[1]!.trim();
      if (arg === '') {
        if (variants === null && !when) throw new TemplateSyntaxError(line, '":::" closes no section; open one with "::: variant A" or "::: if NAME"');
        variants = null;
        when = undefined;
        return;
      }
      if (arg === 'else') {
        if (!when || !when.present) throw new TemplateSyntaxError(line, '"::: else" follows no "::: if NAME" section');
        when = { name: when.name, present: false, line };
        return;
      }
      const open = variants !== null || when !== undefined;
      const cond = /^if\s+([A-Za-z][\w.-]*)$/.exec(arg);
      const m = /^variant\s+([A-Z](?:\s*,\s*[A-Z])*)$/.exec(arg);
      if (!m && !cond)
        throw new TemplateSyntaxError(line, `"::: ${arg}" is not a section nv knows; write "::: variant A" (or "::: variant A, B"), or "::: if NAME"`);
      if (open) throw new TemplateSyntaxError(line, `a section is still open from line ${variantLine}; close it with ":::" first`);
      if (cond) when = { name: cond[1]!, present: true, line };
      else variants = m![1]!.split(',').map((v) => v.trim());
      variantLine = line;
      return;
    }
    if (text.trim() === '') {
      endPara();
      endList();
      return;
    }
    const item = LIST_ITEM.exec(text);
    if (item && !para) {
      const ordered = item[3] !== undefined;
      if (list && list.ordered !== ordered) endList();
      if (!list) list = { ordered, items: [], line };
      list.items.push({ text: item[4]!, line });
      return;
    }
    if (list && /^\s+\S/.test(raw)) {
      const last = list.items[list.items.length - 1]!;
      last.text += ' ' + text.trim();
      return;
    }
    endList();
    if (para) para.text += ' ' + text.trim();
    else para = { text: text.trim(), line };
  });
  endPara();
  endList();
  if (variants !== null || when) throw new TemplateSyntaxError(variantLine, 'this section is never closed; close it with ":::"');
  return blocks;
}

const LINK_PLACEHOLDER = /\{\{\s*([A-Za-z][\w.-]*)\s*\}\}/g;

/** The placeholders in a link target ("mailto:{{values.email}}"). */
export function linkPlaceholders(link: string): string[] {
  return [...link.matchAll(LINK_PLACEHOLDER)].map((m) => m[1]!);
}

/** A link target with its placeholders replaced; `get` throws for a missing value. */
export function fillLink(link: string, get: (name: string) => string): string {
  return link.replace(LINK_PLACEHOLDER, (_, name: string) => get(name));
}

type PlaceholderUse = { name: string; line: number };

/** The names `::: if NAME` sections test, with their lines. */
export function conditionsOf(blocks: TemplateBlock[]): PlaceholderUse[] {
  const out: PlaceholderUse[] = [];
  for (const b of blocks) if (b.when && b.when.present) if (!out.some((u) => u.line === b.when!.line)) out.push({ name: b.when.name, line: b.when.line });
  return out;
}

/** Every placeholder of the parsed body (in text and in link targets), in order. */
export function placeholdersOf(blocks: TemplateBlock[]): PlaceholderUse[] {
  const out: PlaceholderUse[] = [];
  const visit = (xs: Inline[]) =>
    xs.forEach((x) => {
      if (x.type === 'placeholder') out.push(x);
      if (x.link) for (const name of linkPlaceholders(x.link)) out.push({ name, line: x.line });
    });
  for (const b of blocks) {
    if (b.type === 'paragraph') visit(b.inline);
    else b.items.forEach(visit);
  }
  return out;
}
