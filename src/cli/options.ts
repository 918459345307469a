/**
 * zod pieces for the options of the commands: each names the flag, the value given and the
 * values it takes, so that a bad value is exit 2 (ZodError, see present-error.ts) with the fix.
 */
import { z } from 'zod';
import type { ReplyStatus } from '../replies/status.js';

/** "a, b or c" */
export function alternatives(values: readonly string[]): string {
  return values.length < 2 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

/** An option that takes one of a fixed set of values. */
export function oneOf<const T extends readonly [string, ...string[]]>(flag: string, values: T) {
  return z.enum(values, {
    error: (issue) => `${flag} ${String(issue.input)} is not allowed; ${flag} takes ${alternatives(values)}`,
  });
}

/** An option that takes a whole number from 1 up, such as a count. */
export function wholeNumber(flag: string, example: number) {
  return z
    .string()
    .regex(/^\d+$/, {
      error: (issue) => `${flag} ${String(issue.input)} is not a whole number; write e.g. ${example}`,
    })
    .transform(Number)
    .refine((n) => n >= 1, { error: `${flag} takes a whole number from 1 up, e.g. ${example}` });
}

/** Every status a reply can have; a Record so that a new status cannot be forgotten here. */
const REPLY_STATUS: Record<ReplyStatus, true> = {
  accepted: true,
  late: true,
  refused: true,
  'needs-review': true,
};
export const REPLY_STATUSES = Object.keys(REPLY_STATUS) as [ReplyStatus, ...ReplyStatus[]];

/**
 * --only ISO3,…: the recipients named. An empty --only (a script's empty variable) names nobody:
 * refused, never read as "everybody".
 */
export const onlyOption = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(z.string()).min(1, {
      message:
        '--only names no recipient; give ISO3 codes or UN names, comma-separated, or leave --only out for every recipient',
    }),
  )
  .optional();
