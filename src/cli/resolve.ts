import { UserError } from '../errors.js';
import { findState } from '../states/index.js';
import type { Workspace } from '../workspace/load.js';

/** A recipient named on the command line by ISO3 code or UN name; exit 2 when it is not invited. */
export function resolveRecipient(ws: Workspace, text: string): string {
  const code = findState(text)?.iso3 ?? text.trim().toUpperCase();
  const r = ws.recipients.find((x) => x.code === code || x.name.toLowerCase() === text.trim().toLowerCase());
  if (!r)
    throw new UserError(
      `"${text}" is not among the invited in recipients.csv; name a State by its ISO3 code or UN name.`,
    );
  return r.code;
}
