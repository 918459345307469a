import { z } from 'zod';

/** The roles a participant may hold in a delegation (delegations/role.ts reads the words for them). */
export const ROLES = ['head', 'alternate', 'member', 'adviser'] as const;

/**
 * The participant, defined once. Every place that names a participant's fields derives them from
 * this table: the header synonyms of a delegation list (`delegations/headers.ts`), the zod row
 * schema (`delegations/schema.ts`), the register's columns (`storage/sqlite/register.ts`), the
 * CSV and JSON exports and the consolidated list (`participants/`). Adding a field is one entry
 * here (and a migration adding its column to the register).
 *
 * - `column`: the name in a list's header table, in the register and in the CSV export (snake_case);
 * - `key`: the property of a participant in code and in JSON (camelCase); `null` for `state`,
 *   which is read from each row but stored with the list;
 * - `schema`: what a valid value is;
 * - `stored`: `text`, `json` (an array kept as JSON text), or `list` (not a participant column);
 * - `headers`: the spellings of the column's header in delegation lists, in the six UN languages,
 *   German and Portuguese, and the common English variants, compared through `labelKey` (case,
 *   accents, punctuation and spaces do not matter).
 */
// prettier-ignore
export const PARTICIPANT_FIELDS = [
  {
    /** the State (stored with the list, not with each person) */
    column: 'state',
    key: null,
    schema: z.string().min(1),
    stored: 'list',
    headers: [
    'State', 'States', 'Member State', 'Country', 'Country name', 'State/Country', 'Country/State', 'Government',
    'Delegation', 'Delegation of', 'Country/Organization', 'State name',
    'Pays', 'État', 'État membre', 'Délégation', 'Gouvernement',
    'País', 'Estado', 'Estado miembro', 'Delegación', 'Gobierno',
    'Государство', 'Страна', 'Делегация', 'Государство-член',
    'الدولة', 'البلد', 'الوفد', 'الدولة العضو',
    '国家', '国别', '国名', '代表团', '会员国',
    'Staat', 'Land', 'Mitgliedstaat', 'Regierung', 'Delegation von',
    'Estado-membro', 'Estado membro', 'Delegação', 'Governo',
  ],
  },
  {
    /** Mr., Ms., H.E. Mr. … (English forms normalised, others as written) */
    column: 'honorific',
    key: 'honorific',
    schema: z.string(),
    stored: 'text',
    headers: [
    'Honorific', 'Salutation', 'Prefix', 'Courtesy title', 'Form of address', 'Mr/Ms', 'Mr/Mrs/Ms', 'Title (Mr/Ms)',
    'Civilité', 'Titre de civilité', 'Appellation', 'M/Mme', 'M./Mme', 'Formule d’appel',
    'Tratamiento', 'Título de cortesía', 'Sr/Sra', 'Sr./Sra.', 'Saludo',
    'Обращение', 'Форма обращения', 'Г-н/г-жа',
    'صيغة المخاطبة', 'اللقب الشرفي', 'التشريف', 'اللقب',
    '称谓', '称呼', '尊称',
    'Anrede', 'Herr/Frau', 'Frau/Herr',
    'Tratamento', 'Forma de tratamento', 'Sr(a).',
  ],
  },
  {
    /** given name(s), as written */
    column: 'given_name',
    key: 'givenName',
    schema: z.string(),
    stored: 'text',
    headers: [
    'Given name', 'Given names', 'Given name(s)', 'First name', 'First names', 'First name(s)', 'Forename', 'Forenames',
    'Name (given)', 'Other names', 'First',
    'Prénom', 'Prénoms', 'Prénom(s)',
    'Nombre', 'Nombres', 'Nombre(s)', 'Primer nombre', 'Nombre de pila',
    'Имя', 'Имя и отчество', 'Имя, отчество', 'Имя отчество',
    'الاسم الأول', 'الاسم الاول',
    '名', '名字',
    'Vorname', 'Vornamen', 'Rufname',
    'Nome', 'Primeiro nome', 'Prenome', 'Nome próprio',
  ],
  },
  {
    /** family name(s), as written (never re-cased) */
    column: 'family_name',
    key: 'familyName',
    schema: z.string(),
    stored: 'text',
    headers: [
    'Family name', 'Family names', 'Surname', 'Surnames', 'Last name', 'Last names', 'Name (family)', 'Last',
    'Nom', 'Nom de famille', 'Noms',
    'Apellido', 'Apellidos', 'Apellido(s)', 'Primer apellido',
    'Фамилия', 'Фамилии',
    'اسم العائلة', 'الكنية', 'اسم الأسرة',
    '姓', '姓氏',
    'Nachname', 'Familienname', 'Zuname',
    'Sobrenome', 'Apelido', 'Apelidos', 'Último nome', 'Nome de família',
  ],
  },
  {
    /** the name written whole; always there */
    column: 'full_name',
    key: 'fullName',
    schema: z.string().min(1),
    stored: 'text',
    headers: [
    'Name', 'Names', 'Full name', 'Full names', 'Name and surname', 'Name of participant', 'Participant', 'Participant name',
    'Participants', 'Delegate', 'Name of delegate',
    'Nom complet', 'Nom et prénom', 'Nom et prénoms', 'Prénom et nom', 'Nom, prénom', 'Participant(e)',
    'Nombre completo', 'Nombre y apellido', 'Nombre y apellidos', 'Apellidos y nombre', 'Apellido y nombre', 'Participante',
    'ФИО', 'Ф.И.О.', 'Фамилия, имя, отчество', 'Фамилия имя отчество', 'Полное имя', 'Имя и фамилия', 'Участник',
    'الاسم', 'الاسم الكامل', 'الاسم واللقب', 'الاسم الكامل للمشارك', 'المشارك',
    '姓名', '全名', '与会者', '参会人员',
    'Vollständiger Name', 'Vor- und Nachname', 'Teilnehmer', 'Teilnehmerin', 'Teilnehmer/in', 'Teilnehmende',
    'Nome completo', 'Nome e sobrenome', 'Nome do participante',
  ],
  },
  {
    /** the functional title ("Director") */
    column: 'title',
    key: 'title',
    schema: z.string(),
    stored: 'text',
    headers: [
    'Title', 'Titles', 'Title(s)', 'Job title', 'Official title', 'Position', 'Position/title', 'Title/position', 'Function',
    'Designation', 'Post', 'Rank', 'Functional title',
    'Titre', 'Fonction', 'Poste', 'Titre officiel', 'Titre/Fonction', 'Fonction/Titre', 'Qualité',
    'Título', 'Cargo', 'Puesto', 'Función', 'Título/Cargo', 'Cargo/Función',
    'Должность', 'Звание', 'Должность/звание',
    'المنصب', 'الوظيفة', 'المسمى الوظيفي',
    '职务', '职位', '职称', '头衔',
    'Funktion', 'Amtsbezeichnung', 'Dienstbezeichnung', 'Stellung', 'Dienststellung', 'Titel',
    'Função', 'Título/Função', 'Posto', 'Cargo/Função',
  ],
  },
  {
    /** ministry or institution */
    column: 'organization',
    key: 'organization',
    schema: z.string(),
    stored: 'text',
    headers: [
    'Organization', 'Organisation', 'Ministry', 'Institution', 'Department', 'Agency', 'Office', 'Affiliation',
    'Ministry/Institution', 'Ministry/Organization', 'Institution/Organization', 'Employer', 'Ministry or institution',
    'Organisme', 'Ministère', 'Institution/Ministère', 'Ministère/Institution', 'Administration', 'Service',
    'Ministerio', 'Institución', 'Organización', 'Organismo', 'Dependencia', 'Ministerio/Institución', 'Entidad',
    'Министерство', 'Организация', 'Учреждение', 'Ведомство', 'Министерство/ведомство', 'Место работы',
    'الوزارة', 'الجهة', 'المؤسسة', 'المنظمة', 'جهة العمل',
    '单位', '机构', '部门', '工作单位', '部委',
    'Ministerium', 'Behörde', 'Dienststelle', 'Einrichtung', 'Organisation/Behörde',
    'Organização', 'Ministério', 'Instituição', 'Órgão', 'Entidade',
  ],
  },
  {
    /** head, alternate, member or adviser */
    column: 'role',
    key: 'role',
    schema: z.enum(ROLES),
    stored: 'text',
    headers: [
    'Role', 'Delegation role', 'Role in delegation', 'Role in the delegation', 'Function in delegation',
    'Function in the delegation', 'Capacity', 'Status in delegation',
    'Rôle', 'Rôle dans la délégation', 'Fonction dans la délégation', 'Qualité dans la délégation',
    'Rol', 'Función en la delegación', 'Rol en la delegación', 'Calidad',
    'Роль', 'Роль в делегации', 'Статус в делегации', 'Функция в делегации',
    'الدور', 'الصفة في الوفد', 'الدور في الوفد', 'الصفة',
    '角色', '代表团职务', '身份', '团内职务',
    'Rolle', 'Rolle in der Delegation', 'Funktion in der Delegation',
    'Papel', 'Papel na delegação', 'Função na delegação', 'Qualidade',
  ],
  },
  {
    /** one e-mail address, or '' */
    column: 'email',
    key: 'email',
    schema: z.union([z.literal(''), z.email()]),
    stored: 'text',
    headers: [
    'Email', 'E-mail', 'Email address', 'E-mail address', 'Mail', 'Electronic mail', 'Emails', 'E-mails',
    'Courriel', 'Adresse électronique', 'Courrier électronique', 'Mél', 'Adresse e-mail', 'Adresse courriel',
    'Correo electrónico', 'Correo', 'Dirección de correo electrónico', 'Correo-e',
    'Электронная почта', 'Эл. почта', 'Эл почта', 'Э-почта', 'Адрес электронной почты', 'E-mail адрес',
    'البريد الإلكتروني', 'البريد الالكتروني', 'البريد',
    '电子邮件', '电子邮箱', '邮箱', '电邮', '电子邮件地址',
    'E-Mail-Adresse', 'Mailadresse', 'Elektronische Post',
    'Correio eletrónico', 'Correio eletrônico', 'Endereço de e-mail', 'Endereço eletrônico', 'Endereço eletrónico',
  ],
  },
  {
    /** telephone numbers, as written (several columns joined with " / ") */
    column: 'phone',
    key: 'phone',
    schema: z.string(),
    stored: 'text',
    headers: [
    'Phone', 'Telephone', 'Tel', 'Tel.', 'Phone number', 'Telephone number', 'Phone no.', 'Tel. no.', 'Mobile',
    'Mobile phone', 'Cell', 'Cell phone', 'Cellphone', 'Contact number', 'Phone/Mobile', 'Telephone/Mobile',
    'Téléphone', 'Tél.', 'Tél', 'Portable', 'Numéro de téléphone', 'Téléphone portable', 'Mobile/Portable',
    'Teléfono', 'Tel', 'Móvil', 'Celular', 'Número de teléfono', 'Teléfono móvil',
    'Телефон', 'Тел.', 'Моб. телефон', 'Мобильный телефон', 'Номер телефона', 'Мобильный',
    'الهاتف', 'رقم الهاتف', 'الهاتف المحمول', 'الجوال', 'هاتف',
    '电话', '手机', '联系电话', '电话号码',
    'Telefon', 'Telefonnummer', 'Handy', 'Mobiltelefon', 'Mobilnummer', 'Rufnummer',
    'Telefone', 'Telemóvel', 'Número de telefone', 'Telefone celular',
  ],
  },
  {
    /** meeting keys of nv.yaml */
    column: 'meetings',
    key: 'meetings',
    schema: z.array(z.string()),
    stored: 'json',
    headers: [
    'Meeting', 'Meetings', 'Meeting(s)', 'Meetings attended', 'Attends', 'Attending', 'Participation', 'Participation in',
    'Session', 'Sessions', 'Will attend',
    'Réunion', 'Réunions', 'Réunion(s)', 'Participe à', 'Participation à',
    'Reunión', 'Reuniones', 'Reunión(es)', 'Participa en', 'Participación en', 'Participación',
    'Совещание', 'Совещания', 'Заседание', 'Участие', 'Участие в совещании',
    'الاجتماع', 'الاجتماعات', 'المشاركة في',
    '会议', '参加会议', '出席会议',
    'Sitzung', 'Sitzungen', 'Tagung', 'Treffen', 'Teilnahme', 'Teilnahme an', 'Veranstaltung',
    'Reunião', 'Reuniões', 'Participação', 'Participa em', 'Sessão', 'Sessões',
  ],
  },
] as const;

export type ParticipantField = (typeof PARTICIPANT_FIELDS)[number];
/** The fields a person of a list has (every field but the list-level `state`). */
type PersonField = Extract<ParticipantField, { key: string }>;
export type ParticipantKey = PersonField['key'];

/** The person's fields, in table order: what the register stores and the exports show, for each participant. */
export const PERSON_FIELDS = PARTICIPANT_FIELDS.filter((f): f is PersonField => f.key !== null);

/** The zod shape of a participant's fields, from the table. */
export const participantShape = Object.fromEntries(PERSON_FIELDS.map((f) => [f.key, f.schema])) as {
  [F in PersonField as F['key']]: F['schema'];
};

export type ParticipantValues = z.infer<z.ZodObject<typeof participantShape>>;

/** The participant's fields picked out of a larger object, in table order. */
export function participantValues(p: ParticipantValues): ParticipantValues {
  return Object.fromEntries(PERSON_FIELDS.map((f) => [f.key, p[f.key]])) as ParticipantValues;
}
