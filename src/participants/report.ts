// Placeholder until the report document model lands (see render/document.ts).
import { UserError } from '../errors.js';
import type { Workspace } from '../workspace/load.js';
import type { ConsolidatedList } from './consolidate.js';
import type { NoteDocument } from '../render/document.js';

export function participantsReport(
  _ws: Workspace,
  _list: ConsolidatedList,
  _opts: { contacts: boolean },
): NoteDocument {
  throw new UserError(
    'The DOCX and PDF list of participants is not available yet; use --format csv or json.',
  );
}
