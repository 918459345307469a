import type { Rule } from './types.js';

/** Classes that are a scanned copy of a signed note. */
export const SCAN_CLASSES = new Set(['scanned', 'scanned-ocr', 'image']);

export const emailScannedOnly: Rule = {
  id: 'email-scanned-only',
  defaultSeverity: 'error',
  description:
    'a reply received by e-mail carries the note verbale as a scanned copy (fax and post are exempt)',
  check: (ctx) =>
    ctx.replies
      .filter((r) => r.channel === 'email')
      .flatMap((r) => {
        const notes = r.documents.filter((d) => d.class !== 'data' && d.class !== 'unreadable');
        if (notes.some((d) => SCAN_CLASSES.has(d.class))) return [];
        const typed = notes.filter((d) => d.class === 'text-born' || d.class === 'office');
        const unsure = notes.filter((d) => d.class === 'review');
        if (unsure.length && !typed.length) return []; // the clerk reviews it (the reply waits in needs-review)
        const file = typed[0]?.name ?? null;
        return [
          {
            state: r.state,
            reply: r.id,
            file,
            message: typed.length
              ? `the note came by e-mail as ${typed[0]!.class === 'office' ? 'an office document' : 'a typed PDF'}, not as a scanned copy of the signed note`
              : 'the e-mail carries no scanned copy of the note verbale',
            fix: `ask the Government for a scanned copy of its signed note, or accept it with a reason: nv reply set ${r.id} --accept --reason "…"`,
          },
        ];
      }),
};
