import type { Workspace } from '../workspace/load.js';
import type { Io } from './io.js';

/** The recipients whose category recipients.csv leaves uncertain, as --json shows them. */
export function unsettledCategories(
  ws: Workspace,
): { state: string; name: string; line: number; countedAs: string; message: string }[] {
  return ws.recipients
    .filter((r) => r.unsettled)
    .map((r) => ({
      state: r.code,
      name: r.name,
      line: r.line,
      countedAs: r.category,
      message: r.unsettled!,
    }));
}

/**
 * Warns, on stderr, of each category recipients.csv leaves uncertain: nv generate refuses until
 * the officer settles it, and the other commands count the State as if it had not joined yet.
 */
export function warnUnsettled(io: Io, ws: Workspace): void {
  for (const u of unsettledCategories(ws))
    io.err(
      io.color.yellow('warning') +
        ` ${u.message} Until then nv generate refuses, and ${u.name} is counted here as ${u.countedAs === 'observer' ? 'an' : 'a'} ${u.countedAs} (its category if it had not joined yet).`,
    );
}
