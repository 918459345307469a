import type { Block, Run } from '../render/document.js';
import { fillLink, type Inline, type TemplateBlock } from './markdown.js';
import type { Values } from './values.js';

export class MissingValueError extends Error {
  constructor(
    readonly placeholder: string,
    readonly line: number,
  ) {
    super(`{{${placeholder}}} has no value`);
  }
}

/** Fills inline content: placeholders take the marks around them; neighbouring runs with equal marks merge. */
export function fillInline(inline: Inline[], values: Values): Run[] {
  const runs: Run[] = [];
  for (const x of inline) {
    let text: string;
    if (x.type === 'placeholder') {
      const v = values.get(x.name);
      if (v === undefined) throw new MissingValueError(x.name, x.line);
      text = v;
    } else text = x.text;
    if (text === '') continue;
    const run: Run = { text };
    if (x.bold) run.bold = true;
    if (x.italic) run.italic = true;
    if (x.link)
      run.link = fillLink(x.link, (name) => {
        const v = values.get(name);
        if (v === undefined) throw new MissingValueError(name, x.line);
        return v;
      });
    const prev = runs[runs.length - 1];
    if (prev && !!prev.bold === !!run.bold && !!prev.italic === !!run.italic && prev.link === run.link) prev.text += text;
    else runs.push(run);
  }
  return runs;
}

/** The blocks of one variant ("" for templates without variants), filled. */
export function fillBlocks(blocks: TemplateBlock[], variant: string, values: Values): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.variants && !b.variants.includes(variant)) continue;
    if (b.type === 'paragraph') out.push({ type: 'paragraph', runs: fillInline(b.inline, values), align: 'justify' });
    else out.push({ type: 'list', ordered: b.ordered, items: b.items.map((it) => fillInline(it, values)) });
  }
  return out;
}
