import type { Block, Run } from '../render/document.js';
import { fillLink, type Inline, type TemplateBlock } from './markdown.js';
import type { Values } from './values.js';

export class MissingValueError extends Error {
  constructor(
    readonly placeholder: string,
    readonly line: number,
    /** The name has a value, but it is empty (or only spaces), and the template did not mark it optional. */
    readonly empty = false,
  ) {
    super(empty ? `{{${placeholder}}} is empty` : `{{${placeholder}}} has no value`);
  }
}

const NONE: ReadonlySet<string> = new Set();

/** What `::: if NAME` tests: the name has a value that is not empty. */
function hasValue(values: Values, name: string): boolean {
  return (values.get(name) ?? '').trim() !== '';
}

/** A placeholder's value: a missing one, or an empty one not marked optional, is an error. */
function valueOf(values: Values, name: string, line: number, optional: ReadonlySet<string>): string {
  const v = values.get(name);
  if (v === undefined) throw new MissingValueError(name, line);
  if (v.trim() === '' && !optional.has(name)) throw new MissingValueError(name, line, true);
  return v;
}

/**
 * Fills inline content: placeholders take the marks around them; neighbouring runs with equal
 * marks merge. `optional` names the placeholders the template allows to be empty.
 */
export function fillInline(inline: Inline[], values: Values, optional: ReadonlySet<string> = NONE): Run[] {
  const runs: Run[] = [];
  for (const x of inline) {
    let text: string;
    if (x.type === 'placeholder') text = valueOf(values, x.name, x.line, optional);
    else text = x.text;
    if (text === '') continue;
    const run: Run = { text };
    if (x.bold) run.bold = true;
    if (x.italic) run.italic = true;
    if (x.link)
      run.link = fillLink(x.link, (name) => valueOf(values, name, x.line, optional));
    const prev = runs[runs.length - 1];
    if (prev && !!prev.bold === !!run.bold && !!prev.italic === !!run.italic && prev.link === run.link) prev.text += text;
    else runs.push(run);
  }
  return runs;
}

/** The blocks of one variant ("" for templates without variants), filled. */
export function fillBlocks(
  blocks: TemplateBlock[],
  variant: string,
  values: Values,
  optional: ReadonlySet<string> = NONE,
): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.variants && !b.variants.includes(variant)) continue;
    if (b.when && hasValue(values, b.when.name) !== b.when.present) continue;
    if (b.type === 'paragraph') out.push({ type: 'paragraph', runs: fillInline(b.inline, values, optional), align: 'justify' });
    else out.push({ type: 'list', ordered: b.ordered, items: b.items.map((it) => fillInline(it, values, optional)) });
  }
  return out;
}
