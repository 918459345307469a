import { z } from 'zod';
import { isValidTimeZone, parsePlainDate } from '../dates.js';
import { UserError } from '../errors.js';
import { parseMailbox } from './email-address.js';
import { budgetsConfigSchema } from '../intake/budgets.js';
import { knownRuleIds } from '../rule-ids.js';
import { CONVENTIONS } from '../states/as-at.js';
import { UN_LANGUAGES } from '../states/names.js';

export type UnLanguage = (typeof UN_LANGUAGES)[number];

/**
 * A value given once for every language ("Vienna, Austria") or per language
 * (`{en: "Vienna, Austria", fr: "Vienne (Autriche)"}`); the keys are the six UN languages.
 */
function perLanguage<T extends z.ZodType>(value: T, message: string) {
  const byLanguage = z.record(z.string(), value).superRefine((m, ctx) => {
    for (const k of Object.keys(m))
      if (!(UN_LANGUAGES as readonly string[]).includes(k))
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: `is not one of the six UN languages; write ${UN_LANGUAGES.join(', ')}`,
        });
    if (Object.keys(m).length === 0)
      ctx.addIssue({
        code: 'custom',
        message: 'gives no language; write the text, or e.g. {en: "…", fr: "…"}',
      });
  });
  return z.union([value, byLanguage], {
    message: `${message}, or one per language such as {en: "…", fr: "…"}`,
  });
}

/** A calendar date written yyyy-mm-dd. YAML may hand it over as a string or (unquoted) as a Date. */
const plainDate = z.preprocess(
  (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v),
  z.string().refine((s) => parsePlainDate(s) !== undefined, {
    message: 'is not a calendar date; write it as yyyy-mm-dd, e.g. 2012-09-24',
  }),
);

const key = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and hyphens, e.g. untoc-wg');

const meetingPart = z.strictObject({
  key,
  name: z.string().min(1),
  /** Short names and spellings a delegation list may use for this meeting ("UNCAC", "UNTOC WG"). */
  aliases: z.array(z.string().min(1)).default([]),
  start: plainDate,
  end: plainDate,
});

const mailbox = z.string().refine((s) => parseMailbox(s) !== undefined, {
  message: 'is not an e-mail address; write registry@example.org or "Registry <registry@example.org>"',
});

export const severity = z.enum(['error', 'warning', 'off']);

export const configSchema = z
  .strictObject({
    meeting: z.strictObject({
      key,
      /** As it stands in a sentence; one text, or one per language ({en: …, fr: …}). */
      title: perLanguage(z.string().min(1), 'must be text'),
      /** "Vienna, Austria"; one text, or one per language. */
      place: perLanguage(z.string().min(1), 'must be text'),
      start: plainDate,
      end: plainDate,
      /** Last day for the composition of delegations, in the secretariat's time zone. */
      deadline: plainDate,
      /** The deadline before it was moved, for the deadline-change note. */
      previous_deadline: plainDate.optional(),
      timezone: z
        .string()
        .default('Europe/Vienna')
        .refine(isValidTimeZone, { message: 'is not a time zone; write an IANA name such as Europe/Vienna' }),
      /** The document symbol of the list of participants, e.g. CAC/COSP/EG.1/2012/INF/2 (default: the meeting key). */
      list_symbol: z.string().min(1).optional(),
      /** The convention whose status sorts the States into parties, signatories and observers. */
      convention: z.enum(CONVENTIONS, { message: `must be ${CONVENTIONS.join(' or ')}` }).default('UNCAC'),
      /** The meetings a participant can attend (the expert meeting, a working group beside it…). */
      meetings: z.array(meetingPart).min(1),
    }),
    sender: z.strictObject({
      /** Letterhead lines, the first printed larger: ["UNODC", "United Nations Office on Drugs and Crime"]. */
      letterhead: perLanguage(z.array(z.string().min(1)).min(1), 'must be a list of lines'),
      /** Document author in PDF and DOCX metadata. */
      author: z.string().min(1),
      /** Place printed before the date ("Vienna, 15 August 2012"); the seed prints the date alone. */
      place: z.string().min(1).optional(),
      /** The line at the bottom of the last page; one text, or one per language. */
      footer: perLanguage(z.string(), 'must be text').default(''),
      /**
       * The secretariat's own e-mail domains. A message forwarded from one of them (the registry
       * passing a Government's e-mail on) counts as the forwarded message: its sender and its
       * received time.
       */
      domains: z
        .array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'is not an e-mail domain such as unodc.org'))
        .default([]),
    }),
    reference: z.strictObject({
      series: z.string().regex(/^[A-Z][A-Z0-9]*$/, 'must be capital letters and digits, e.g. CU'),
      office: z.string().min(1),
      format: z.string().default('{series} {year}/{seq}{variant}/{office}'),
      /** The first sequence number of a year when the register has none yet (offices keep a running register). */
      first: z.number().int().positive().default(1),
    }),
    notes: z.strictObject({
      /** The date the notes bear; the year of their reference numbers. */
      date: plainDate,
      /** The default language of recipients that name none. */
      language: z.string().default('en'),
      /** The template `nv generate` uses when none is named. */
      template: z.string().default('invitation'),
    }),
    /** Free values the templates can use as {{values.NAME}}. */
    // `fax:` left blank is an empty value (refused where a template prints it, naming the key).
    values: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_-]*$/i),
        perLanguage(
          z.union([z.string(), z.number(), z.null().transform(() => '')], {
            message: 'must be text (write it in quotes)',
          }),
          'must be text (write it in quotes)',
        ),
      )
      .default({}),
    /** Rule severities: `rule-id: error|warning|off`. */
    rules: z.record(z.string(), severity).default({}),
    /** What reading one reply document may cost (README, "Budgets"): `intake.budgets.seconds: 120`. */
    intake: z.strictObject({ budgets: budgetsConfigSchema.optional() }).optional(),
    /**
     * The shared register in PostgreSQL (README, "A shared workspace"): a URL, or `{url, ca}` with
     * a CA file relative to the workspace. Absent: the embedded SQLite register. Never a password.
     */
    register: z
      .union(
        [
          z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
          z.strictObject({
            url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
            ca: z.string().min(1).optional(),
          }),
        ],
        { message: 'must be a postgres:// URL, or {url: postgres://…, ca: certs/ca.pem}' },
      )
      .optional(),
    /**
     * Where `nv dispatch` sends from (README, "Dispatch"): `from` (an address, or `Name <address>`)
     * and `reply_to`, where the Governments' replies go.
     */
    dispatch: z
      .strictObject({
        from: mailbox.optional(),
        reply_to: mailbox.optional(),
        /**
         * The SMTP server: `smtp://user@host:587` (STARTTLS when offered), `smtps://…` (TLS from
         * the start), or `{url, ca}` with a CA file relative to the workspace. Never a password.
         */
        smtp: z
          .union(
            [
              z.string().regex(/^smtps?:\/\//i, 'must be an smtp:// or smtps:// URL'),
              z.strictObject({
                url: z.string().regex(/^smtps?:\/\//i, 'must be an smtp:// or smtps:// URL'),
                ca: z.string().min(1).optional(),
              }),
            ],
            { message: 'must be an smtp:// or smtps:// URL, or {url: smtp://…, ca: certs/ca.pem}' },
          )
          .optional(),
        /** At most this many messages a minute (none unless set). */
        pace: z.number().positive('must be a number of messages a minute above 0').optional(),
        /** How often a message is tried when the server answers "try later" (4xx) or drops; default 3. */
        tries: z.number().int().min(1).max(10).optional(),
        /** Seconds before the first retry, doubled each time; default 5. */
        retry_delay: z.number().min(0).max(600).optional(),
        /** The enclosures as one link (`--enclosures link`): the base URL they are published under. */
        enclosures_url: z
          .string()
          .regex(/^https?:\/\//i, 'must be an http:// or https:// URL')
          .optional(),
      })
      .optional(),
  })
  .superRefine((c, ctx) => {
    // The workspace's own language has a text for every value given per language: the notes in
    // that language, and every check that reads the workspace in it, need one.
    const lang = c.notes.language;
    const perLang: [unknown, (string | number)[]][] = [
      [c.meeting.title, ['meeting', 'title']],
      [c.meeting.place, ['meeting', 'place']],
      [Array.isArray(c.sender.letterhead) ? undefined : c.sender.letterhead, ['sender', 'letterhead']],
      [c.sender.footer, ['sender', 'footer']],
      ...Object.entries(c.values).map(([k, v]): [unknown, (string | number)[]] => [v, ['values', k]]),
    ];
    for (const [v, path] of perLang)
      if (typeof v === 'object' && v !== null && !(lang in v))
        ctx.addIssue({
          code: 'custom',
          path,
          message: `is given in ${Object.keys(v).join(', ')} but not in ${lang}, the workspace's language (notes.language); add ${lang}: "…"`,
        });
    const pairs: [string, string, (string | number)[]][] = [
      [c.meeting.start, c.meeting.end, ['meeting', 'end']],
    ];
    c.meeting.meetings.forEach((m, i) => pairs.push([m.start, m.end, ['meeting', 'meetings', i, 'end']]));
    for (const [start, end, path] of pairs) {
      if (end < start) ctx.addIssue({ code: 'custom', path, message: `is before the start (${start})` });
    }
    const keys = new Set<string>();
    c.meeting.meetings.forEach((m, i) => {
      if (keys.has(m.key))
        ctx.addIssue({
          code: 'custom',
          path: ['meeting', 'meetings', i, 'key'],
          message: `repeats ${m.key}`,
        });
      keys.add(m.key);
    });
    for (const id of Object.keys(c.rules))
      if (!knownRuleIds().includes(id))
        ctx.addIssue({
          code: 'custom',
          path: ['rules', id],
          message: `is not a rule; the rules are ${knownRuleIds().join(', ')}`,
        });
    // "changed from 24 September 2012 to 24 September 2012" announces no change.
    if (c.meeting.previous_deadline === c.meeting.deadline)
      ctx.addIssue({
        code: 'custom',
        path: ['meeting', 'previous_deadline'],
        message: `is the same day as meeting.deadline; set meeting.deadline to the new day (previous_deadline is the one it replaces)`,
      });
    if (!c.reference.format.includes('{seq}'))
      ctx.addIssue({ code: 'custom', path: ['reference', 'format'], message: 'must contain {seq}' });
    // A typo'd part ("{yr}") would be printed as written in every reference; a format without
    // {variant} would give variants (A) and (B) of one circular the same reference.
    for (const [part] of c.reference.format.matchAll(/\{[^{}]*\}/g))
      if (!/^\{(series|year|seq|variant|office)\}$/.test(part))
        ctx.addIssue({
          code: 'custom',
          path: ['reference', 'format'],
          message: `has ${part}, which is not a part of a reference; the parts are {series}, {year}, {seq}, {variant} and {office}`,
        });
    if (!c.reference.format.includes('{variant}'))
      ctx.addIssue({
        code: 'custom',
        path: ['reference', 'format'],
        message:
          'must contain {variant}, or the variants (A) and (B) of a circular note would bear the same reference',
      });
  });

/** nv.yaml as written: title, place and values may be per language. */
type RawConfig = z.infer<typeof configSchema>;
type Texts = Partial<Record<UnLanguage, string>>;

/**
 * nv.yaml read: meeting.title, meeting.place and values hold the text in the workspace's language
 * (notes.language), and `perLanguage` the texts of those given per language, by placeholder name
 * (`meeting.title`, `values.website`). See `textIn`.
 */
export type Config = Omit<RawConfig, 'meeting' | 'values' | 'sender'> & {
  meeting: Omit<RawConfig['meeting'], 'title' | 'place'> & { title: string; place: string };
  /** letterhead and footer in the workspace's language; see `letterheadIn` and `textIn('sender.footer')`. */
  sender: Omit<RawConfig['sender'], 'letterhead' | 'footer'> & { letterhead: string[]; footer: string };
  /** The letterhead lines by language, when nv.yaml gives them per language. */
  letterheads?: Partial<Record<UnLanguage, string[]>>;
  values: Record<string, string | number>;
  perLanguage: Record<string, Texts>;
};

/** The configuration as the rest of nv reads it (see Config); `raw` has passed configSchema. */
export function resolveLanguages(raw: RawConfig): Config {
  const lang = raw.notes.language as UnLanguage;
  const perLanguage: Record<string, Texts> = {};
  const pick = <T extends string | number>(name: string, v: T | Partial<Record<string, T>>): T => {
    if (typeof v !== 'object') return v;
    perLanguage[name] = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
    return v[lang]!;
  };
  const values: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(raw.values)) values[k] = pick(`values.${k}`, v);
  return {
    ...raw,
    meeting: {
      ...raw.meeting,
      title: String(pick('meeting.title', raw.meeting.title)),
      place: String(pick('meeting.place', raw.meeting.place)),
    },
    sender: {
      ...raw.sender,
      letterhead: Array.isArray(raw.sender.letterhead) ? raw.sender.letterhead : raw.sender.letterhead[lang]!,
      footer: String(pick('sender.footer', raw.sender.footer)),
    },
    ...(Array.isArray(raw.sender.letterhead) ? {} : { letterheads: raw.sender.letterhead }),
    values,
    perLanguage,
  };
}

/**
 * The letterhead lines of a note in `language`: nv.yaml's, or its lines in that language when it
 * gives them per language (a language it does not give is refused: nv prints no other language's).
 */
export function letterheadIn(config: Config, language: string): string[] {
  if (!config.letterheads) return config.sender.letterhead;
  const lines = config.letterheads[language as UnLanguage];
  if (!lines)
    throw new UserError(
      `nv.yaml gives sender.letterhead in ${Object.keys(config.letterheads).join(', ')} but not in ${language}, which the notes in ${language} print; add ${language}: [...] under sender.letterhead in nv.yaml.`,
    );
  return lines;
}

/** The footer line of a document in `language` (see letterheadIn). */
export function footerIn(config: Config, language: string): string {
  const text = textIn(config, 'sender.footer', config.sender.footer, language);
  if (text === undefined)
    throw new UserError(
      `nv.yaml gives sender.footer in ${Object.keys(config.perLanguage['sender.footer'] ?? {}).join(', ')} but not in ${language}, which the documents in ${language} print; add ${language}: "…" under sender.footer in nv.yaml.`,
    );
  return text;
}

/**
 * The text of a value (`meeting.title`, `values.NAME`) for a note in `language`: the one for that
 * language, or the one written for every language. `undefined` when nv.yaml gives the value per
 * language but not in this one: nv puts no other language's text in its place (the README,
 * "Languages").
 */
export function textIn(config: Config, name: string, plain: string, language: string): string | undefined {
  const texts = config.perLanguage[name];
  if (!texts) return plain;
  return texts[language as UnLanguage];
}

/** The sentence for a value given per language but not in the language of a note. */
export function missingLanguageMessage(
  config: Config,
  name: string,
  language: string,
  template: string,
): string | undefined {
  const texts = config.perLanguage[name];
  if (!texts || texts[language as UnLanguage] !== undefined) return undefined;
  return `nv.yaml gives ${name} in ${Object.keys(texts).join(', ')} but not in ${language}, which the ${template} notes in ${language} print; add ${language}: "…" under ${name} in nv.yaml (nv does not print another language's text in its place).`;
}
export type MeetingPart = Config['meeting']['meetings'][number];
