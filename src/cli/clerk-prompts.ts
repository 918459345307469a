/** The questions the clerk is asked about a reply, shared by `nv ingest` and `nv review`. */
import { z } from 'zod';
import { CHANNELS, parseReceived } from '../replies/ingest.js';
import type { Channel } from '../replies/records.js';
import type { Workspace } from '../workspace/load.js';
import { input, searchPick } from './prompts.js';

/** `--channel` as the commands parse it. */
export const channelOption = z
  .enum(CHANNELS as [Channel, ...Channel[]], { message: '--channel takes email, fax or post' })
  .optional();

/** Pick an invited State with type-ahead; with `skip`, an empty choice leaves it for review. */
export async function askState(ws: Workspace, message: string, skip?: string): Promise<string | undefined> {
  const states = ws.recipients.map((r) => ({ name: `${r.name} (${r.code})`, value: r.code }));
  const v = await searchPick(message, skip ? [{ name: skip, value: '' }, ...states] : states);
  return v || undefined;
}

/** A received time in the secretariat's zone; with `optional`, an empty answer gives undefined. */
export async function askReceived(
  ws: Workspace,
  message: string,
  optional = false,
): Promise<string | undefined> {
  const tz = ws.config.meeting.timezone;
  const v = await input(
    `${message} (yyyy-mm-dd hh:mm, ${tz}${optional ? '; empty: leave it for review' : ''})`,
    {
      validate: (s) => {
        if (optional && !s.trim()) return true;
        try {
          parseReceived(s, tz);
          return true;
        } catch (e) {
          return (e as Error).message;
        }
      },
    },
  );
  return v.trim() ? parseReceived(v, tz) : undefined;
}
