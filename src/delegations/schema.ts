import { z } from 'zod';

import { normaliseHonorific } from './honorific.js';
import { matchMeetings, parseAttendanceMark, type MeetingOption } from './meetings.js';
import { splitFullName } from './names.js';
import { participantShape } from '../participant-fields.js';
import type { Field } from './headers.js';
import { parseRole } from './role.js';

/**
 * One participant as nv keeps it: the delegation row schema. Names are as the Government wrote
 * them; `familyName` and `givenName` are empty when a single "Name" cell could not be split
 * (see names.ts), and `fullName` is always there. `meetings` holds meeting keys from nv.yaml.
 */
export const participantRowSchema = z.strictObject({
  /** The line of the file where this participant's record starts. */
  line: z.number().int().positive(),
  state: z.string().min(1),
  ...participantShape,
});
export type ParticipantRow = z.infer<typeof participantRowSchema>;

export interface RowContext {
  meetings: readonly MeetingOption[];
  /** The State for rows whose state cell is empty or absent (`--state`). */
  defaultState?: string | undefined;
  /** Maps a State as written to the invited State it names; undefined when it was not invited. */
  resolveState?: ((name: string) => string | undefined) | undefined;
  /** "family-first" for a Russian "ФИО" column. */
  nameOrder: 'family-first' | 'auto';
}

/** The trimmed cells of one record, by field of the participant table ('' where the file has no such column). */
export type RowCells = { [F in Field]: string } & {
  /** Cells of columns named after a meeting ("UNCAC": x), by meeting key. */
  marks: Record<string, string>;
};

const text = z.string();
const email = z.email();

/**
 * The schema that turns the cells of one record into a participant. Issues carry the field as
 * their path (`email`, `marks.<key>` …) so that the parser can name the column.
 */
export function rowSchema(ctx: RowContext) {
  const problem = (c: z.core.$RefinementCtx, input: unknown, message: string, path?: string[]) => {
    c.issues.push({ code: 'custom', message, input, ...(path ? { path } : {}) });
    return z.NEVER;
  };
  return z
    .strictObject({
      state: text.transform((v, c) => {
        const name = v !== '' ? v : (ctx.defaultState ?? '');
        if (name === '')
          return problem(
            c,
            v,
            'no State: fill in the State column, or give the State for the whole file (--state)',
          );
        if (!ctx.resolveState) return name;
        const resolved = ctx.resolveState(name);
        return resolved ?? problem(c, v, `"${name}" is not an invited State (not in recipients.csv)`);
      }),
      honorific: text.transform((v) => normaliseHonorific(v).value),
      given_name: text,
      family_name: text,
      full_name: text,
      title: text,
      organization: text,
      role: text.transform((v, c) => {
        return (
          parseRole(v) ??
          problem(
            c,
            v,
            `unknown role "${v}": use head, alternate, member or adviser (or "Head of delegation", "Chef de délégation"…)`,
          )
        );
      }),
      email: text.transform((v, c) => {
        if (v === '') return '';
        if ((v.match(/@/g) ?? []).length > 1)
          return problem(c, v, `"${v}" holds more than one e-mail address: give one per participant`);
        if (!email.safeParse(v).success) return problem(c, v, `"${v}" is not a valid e-mail address`);
        return v;
      }),
      phone: text,
      meetings: text.transform((v, c) => {
        const m = matchMeetings(v, ctx.meetings);
        return m.ok ? m.keys : problem(c, v, m.message);
      }),
      marks: z.record(z.string(), z.string()).transform((marks, c) => {
        const keys: string[] = [];
        for (const [key, v] of Object.entries(marks)) {
          const mark = parseAttendanceMark(v);
          if (mark === undefined)
            problem(c, v, `"${v}" is neither yes nor no (write x, yes or leave it empty)`, [key]);
          else if (mark) keys.push(key);
        }
        return keys;
      }),
    })
    .check((c) => {
      const v = c.value;
      if (v.given_name === '' && v.family_name === '' && v.full_name === '') {
        c.issues.push({
          code: 'custom',
          message: 'no name: give the family name and given name (or the full name)',
          input: v,
          path: ['name'],
        });
      }
    })
    .transform((v): Omit<ParticipantRow, 'line'> => {
      let givenName = v.given_name;
      let familyName = v.family_name;
      let fullName = v.full_name;
      if (givenName === '' && familyName === '') {
        const split = splitFullName(v.full_name, ctx.nameOrder);
        if (split) ({ given: givenName, family: familyName } = split);
      } else if (fullName === '') {
        fullName = composeFullName(givenName, familyName);
      } else if (givenName === '' || familyName === '') {
        // A "Name" column beside a family-name (or given-name) column: it holds the other part,
        // or the whole name with that part in it; the missing part is never dropped.
        const known = familyName || givenName;
        const at = fullName.toLocaleLowerCase().indexOf(known.toLocaleLowerCase());
        const other =
          at < 0
            ? fullName
            : (fullName.slice(0, at) + fullName.slice(at + known.length))
                .replace(/\s+/gu, ' ')
                .trim()
                .replace(/^,|,$/gu, '')
                .trim();
        if (givenName === '') givenName = other;
        else familyName = other;
        if (at < 0) fullName = composeFullName(givenName, familyName);
      }
      const chosen = new Set([...v.meetings, ...v.marks]);
      let meetings = ctx.meetings.map((m) => m.key).filter((k) => chosen.has(k));
      if (meetings.length === 0 && ctx.meetings.length === 1)
        meetings = [(ctx.meetings[0] as MeetingOption).key];
      return {
        state: v.state,
        honorific: v.honorific,
        givenName,
        familyName,
        fullName,
        title: v.title,
        organization: v.organization,
        role: v.role,
        email: v.email,
        phone: v.phone,
        meetings,
      };
    });
}

/**
 * The name written whole, from its parts: "Given Family"; in Chinese, Japanese and Korean
 * script, family name first and no space ("王伟"), as those names are written.
 */
export function composeFullName(given: string, family: string): string {
  const cjk = /^[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]+$/u;
  if (given !== '' && family !== '' && cjk.test(given) && cjk.test(family)) return family + given;
  return [given, family].filter((s) => s !== '').join(' ');
}
