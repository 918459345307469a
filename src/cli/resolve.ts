import { UserError } from '../errors.js';
import type { Workspace } from '../workspace/load.js';
import { findRecipient } from '../workspace/recipients.js';

/** A recipient named on the command line by ISO3 code or UN name; exit 2 when it is not invited. */
export function resolveRecipient(ws: Workspace, text: string): string {
  const r = findRecipient(ws.recipients, text);
  if (!r)
    throw new UserError(
      `"${text}" is not among the invited in recipients.csv; name a State by its ISO3 code or UN name.`,
    );
  return r.code;
}
