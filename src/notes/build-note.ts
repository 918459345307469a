import { formatDate } from '../dates.js';
import type { NoteDocument } from '../render/document.js';
import { fillBlocks, fillInline } from '../templates/fill.js';
import type { Template } from '../templates/load.js';
import type { Values } from '../templates/values.js';
import { stateNameIn } from '../states/index.js';
import { fillLabel, labelLanguage, labelsFor } from '../text/labels.js';
import { spaceNote } from '../text/spaces.js';
import { footerIn, letterheadIn, type Config } from '../workspace/config.js';

export interface NoteInput {
  config: Config;
  template: Template;
  variant: string;
  values: Values;
  reference: string;
  recipientName: string;
  /** The recipient's ISO3 code: the note's title names the State as the UN writes it in the note's language. */
  recipientState?: string;
  /** The date the note bears (yyyy-mm-dd): `nv generate --date`, else notes.date of nv.yaml. */
  date: string;
  /** Absolute paths of the PDF enclosures. */
  attachments: string[];
  /** SOURCE_DATE_EPOCH, when set: the documents' creation time. */
  sourceDateEpoch: number | undefined;
}

/**
 * One recipient's note as a format-neutral document, every fixed word in the template's language
 * (text/labels.ts) and the no-break spaces of that language applied (text/spaces.ts). Throws
 * MissingValueError for a missing value.
 */
export function buildNote(n: NoteInput): NoteDocument {
  const { config, template } = n;
  const lang = template.language;
  const date = formatDate(n.date, lang);
  const created =
    n.sourceDateEpoch !== undefined ? new Date(n.sourceDateEpoch * 1000) : new Date(`${n.date}T00:00:00Z`);
  const optional = new Set(template.front.optional);
  const subject = fillInline(template.subject, n.values, optional)
    .map((r) => r.text)
    .join('');
  const words = labelsFor(lang);
  const language = labelLanguage(lang);
  const translated = language !== 'en' && language && n.recipientState;
  const recipient = (translated ? stateNameIn(n.recipientState!, language) : undefined) ?? n.recipientName;
  return spaceNote({
    meta: {
      title: fillLabel(words.noteTitle, { reference: n.reference, recipient }),
      author: config.sender.author,
      language: lang,
      subject,
      created,
    },
    letterhead: letterheadIn(config, lang),
    referenceLine: fillLabel(words.reference, { reference: n.reference }),
    body: fillBlocks(template.blocks, n.variant, n.values, optional),
    dateLine: config.sender.place ? `${config.sender.place}, ${date}` : date,
    footer: footerIn(config, lang),
    enclosures: n.attachments.length,
    enclosuresLine: fillLabel(words.enclosures, { n: n.attachments.length }),
    pageNumber: words.page,
    attachments: n.attachments,
  });
}
