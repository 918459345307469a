import { formatDate, formatDateRange, formatDateSpan } from '../dates.js';
import { textIn, type Config } from '../workspace/config.js';
import type { Recipient } from '../workspace/recipients.js';

/**
 * The values a template can name, for one recipient. A name maps to `undefined` when it exists
 * but has no value for this recipient (e.g. {{invitation.reference}} for a State that was never
 * sent the invitation): filling it is an error naming the recipient.
 */
export type Values = Map<string, string | undefined>;

/** Facts about earlier notes and replies, known to the register (all optional). */
export interface RecipientFacts {
  /** The date the note bears (default: notes.date of nv.yaml). */
  noteDate?: string;
  /** The reference of this note, once allocated. */
  reference?: string;
  invitationReference?: string;
  invitationDate?: string;
  replyReceived?: string;
  replyReference?: string;
  /** The State's reply was refused: when it came, how, and why (for `::: if refusal.reason`). */
  refusal?: { received: string | null; channel: 'email' | 'fax' | 'post' | null; reason: 'email-not-scanned' | 'not-acceptable' };
}

/** How a refused reply came and why it could not be accepted, in the words of a note. */
const REFUSAL_WORDS: Record<string, { channel: Record<string, string>; reason: Record<string, string> }> = {
  en: {
    channel: { email: 'e-mail', fax: 'fax', post: 'post' },
    reason: {
      'email-not-scanned': 'only scanned copies of notes verbales are accepted by e-mail',
      'not-acceptable': 'it was not in a form that the Secretariat can accept',
    },
  },
  fr: {
    channel: { email: 'courrier électronique', fax: 'télécopie', post: 'courrier' },
    reason: {
      'email-not-scanned': 'seules les copies numérisées des notes verbales sont acceptées par courrier électronique',
      'not-acceptable': 'elle ne se présentait pas sous une forme que le Secrétariat peut accepter',
    },
  },
  es: {
    channel: { email: 'correo electrónico', fax: 'fax', post: 'correo' },
    reason: {
      'email-not-scanned': 'por correo electrónico solo se aceptan copias escaneadas de las notas verbales',
      'not-acceptable': 'no se presentó en una forma que la Secretaría pueda aceptar',
    },
  },
  ru: {
    channel: { email: 'электронной почте', fax: 'факсу', post: 'почте' },
    reason: {
      'email-not-scanned': 'по электронной почте принимаются только отсканированные копии вербальных нот',
      'not-acceptable': 'оно было представлено в форме, которую Секретариат не может принять',
    },
  },
  ar: {
    channel: { email: 'البريد الإلكتروني', fax: 'الفاكس', post: 'البريد' },
    reason: {
      'email-not-scanned': 'لا تُقبل عن طريق البريد الإلكتروني إلا النسخ الممسوحة ضوئياً من المذكرات الشفوية',
      'not-acceptable': 'لم تُقدَّم في شكل يمكن للأمانة قبوله',
    },
  },
  zh: {
    channel: { email: '电子邮件', fax: '传真', post: '邮寄' },
    reason: {
      'email-not-scanned': '通过电子邮件只接受普通照会的扫描件',
      'not-acceptable': '其提交形式不为秘书处所接受',
    },
  },
};

export function buildValues(config: Config, r: Recipient, language: string, facts: RecipientFacts): Values {
  const m = config.meeting;
  const date = (iso: string | undefined) => (iso === undefined ? undefined : formatDate(iso, language));
  const v: Values = new Map<string, string | undefined>([
    ['addressee', r.addressee],
    ['state.name', r.name],
    ['state.in_text', r.inText],
    ['state.code', r.code],
    ['reference', facts.reference],
    ['note.date', date(facts.noteDate ?? config.notes.date)],
    // Given per language in nv.yaml: this note's language's text (none: see missingLanguageMessage).
    ['meeting.title', textIn(config, 'meeting.title', m.title, language)],
    ['meeting.place', textIn(config, 'meeting.place', m.place, language)],
    ['meeting.dates', formatDateRange(m.start, m.end, language)],
    ['meeting.span', formatDateSpan(m.start, m.end, language)],
    ['meeting.start', date(m.start)],
    ['meeting.end', date(m.end)],
    ['deadline', date(m.deadline)],
    ['deadline.previous', date(m.previous_deadline)],
    ['invitation.reference', facts.invitationReference],
    ['invitation.date', date(facts.invitationDate)],
    ['reply.received', date(facts.replyReceived)],
    ['reply.reference', facts.replyReference],
  ]);
  const words = REFUSAL_WORDS[language] ?? REFUSAL_WORDS.en!;
  const refusal = facts.refusal;
  v.set('refusal.received', date(refusal?.received ?? undefined));
  v.set('refusal.channel', refusal?.channel ? words.channel[refusal.channel] : undefined);
  v.set('refusal.reason', refusal && words.reason[refusal.reason]);
  for (const part of m.meetings) {
    v.set(`meetings.${part.key}.name`, part.name);
    v.set(`meetings.${part.key}.dates`, formatDateRange(part.start, part.end, language));
    v.set(`meetings.${part.key}.span`, formatDateSpan(part.start, part.end, language));
  }
  for (const [k, val] of Object.entries(config.values)) v.set(`values.${k}`, textIn(config, `values.${k}`, String(val), language));
  return v;
}

const DUMMY: Recipient = {
    code: 'XXX',
    name: '',
    inText: '',
    category: 'party',
    addressee: '',
    language: 'en',
    domains: [],
    email: [],
    cc: [],
    line: 0,
};

/** The names any template of this workspace may use. */
export function knownNames(config: Config): Set<string> {
  return new Set(buildValues(config, DUMMY, config.notes.language, {}).keys());
}

/** Where a value comes from: the key of nv.yaml or the column of recipients.csv to fill in. */
export function valueSource(name: string): { file: 'nv.yaml' | 'recipients.csv' | 'register'; key: string } {
  const column: Record<string, string> = {
    addressee: 'addressee',
    'state.name': 'name',
    'state.in_text': 'name',
    'state.code': 'state',
  };
  if (column[name]) return { file: 'recipients.csv', key: column[name] };
  if (/^(reference|invitation\.|reply\.|refusal\.)/.test(name)) return { file: 'register', key: name };
  const m = /^meetings\.([^.]+)\.(\w+)$/.exec(name);
  if (m) return { file: 'nv.yaml', key: `meeting.meetings (${m[1]}) ${m[2] === 'name' ? 'name' : 'start and end'}` };
  const yaml: Record<string, string> = {
    'note.date': 'notes.date',
    'meeting.dates': 'meeting.start and meeting.end',
    'meeting.span': 'meeting.start and meeting.end',
    deadline: 'meeting.deadline',
    'deadline.previous': 'meeting.previous_deadline',
  };
  return { file: 'nv.yaml', key: yaml[name] ?? name };
}

/**
 * The values of nv.yaml a template uses that are empty and not marked optional (e.g. values.fax
 * left empty by `nv init`): `{ name, line }` of each first use.
 */
export function emptyWorkspaceValues(
  config: Config,
  uses: readonly { name: string; line: number }[],
  optional: readonly string[],
): { name: string; line: number }[] {
  // In the workspace's language, which has a text for every value given per language.
  const values = buildValues(config, DUMMY, config.notes.language, {});
  const seen = new Set<string>();
  return uses.filter((u) => {
    if (seen.has(u.name) || optional.includes(u.name) || valueSource(u.name).file !== 'nv.yaml') return false;
    seen.add(u.name);
    const v = values.get(u.name);
    return v !== undefined && v.trim() === '';
  });
}

/** The sentence for an empty value of nv.yaml that a template needs; `where` is "file, line N". */
export function emptyValueMessage(name: string, where: string): string {
  const key = valueSource(name).key;
  return `${where}: {{${name}}} is empty; fill in ${key} in nv.yaml, or mark it optional in the template's front matter (optional: [${name}]).`;
}
