import { keyTable, labelKey, labelKeyWithoutAsides } from './normalise.js';

/** What a column of a delegation list holds. */
export const FIELDS = [
  'state',
  'honorific',
  'given_name',
  'family_name',
  'full_name',
  'title',
  'organization',
  'role',
  'email',
  'phone',
  'meetings',
] as const;
export type Field = (typeof FIELDS)[number];

/**
 * Header spellings seen on delegation lists, in the six UN languages, German and Portuguese, and
 * the common English variants. This table is the one place they are listed. Compared through `labelKey` (case, accents, punctuation and spaces do not matter), so
 * "E-mail", "EMAIL", "e mail:" are one entry. "Title" alone is listed under `title` (the
 * functional title, as in the note: "name(s), title(s)"); `parse.ts` turns such a column into
 * the honorific when every value in it is one (Mr., Ms., H.E. Mr., …).
 */
// prettier-ignore
const SYNONYMS: ReadonlyArray<readonly [Field, readonly string[]]> = [
  [
    'state',
    [
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
  ],
  [
    'honorific',
    [
      'Honorific', 'Salutation', 'Prefix', 'Courtesy title', 'Form of address', 'Mr/Ms', 'Mr/Mrs/Ms', 'Title (Mr/Ms)',
      'Civilité', 'Titre de civilité', 'Appellation', 'M/Mme', 'M./Mme', 'Formule d’appel',
      'Tratamiento', 'Título de cortesía', 'Sr/Sra', 'Sr./Sra.', 'Saludo',
      'Обращение', 'Форма обращения', 'Г-н/г-жа',
      'صيغة المخاطبة', 'اللقب الشرفي', 'التشريف', 'اللقب',
      '称谓', '称呼', '尊称',
      'Anrede', 'Herr/Frau', 'Frau/Herr',
      'Tratamento', 'Forma de tratamento', 'Sr(a).',
    ],
  ],
  [
    'given_name',
    [
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
  ],
  [
    'family_name',
    [
      'Family name', 'Family names', 'Surname', 'Surnames', 'Last name', 'Last names', 'Name (family)', 'Last',
      'Nom', 'Nom de famille', 'Noms',
      'Apellido', 'Apellidos', 'Apellido(s)', 'Primer apellido',
      'Фамилия', 'Фамилии',
      'اسم العائلة', 'الكنية', 'اسم الأسرة',
      '姓', '姓氏',
      'Nachname', 'Familienname', 'Zuname',
      'Sobrenome', 'Apelido', 'Apelidos', 'Último nome', 'Nome de família',
    ],
  ],
  [
    'full_name',
    [
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
  ],
  [
    'title',
    [
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
  ],
  [
    'organization',
    [
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
  ],
  [
    'role',
    [
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
  ],
  [
    'email',
    [
      'Email', 'E-mail', 'Email address', 'E-mail address', 'Mail', 'Electronic mail', 'Emails', 'E-mails',
      'Courriel', 'Adresse électronique', 'Courrier électronique', 'Mél', 'Adresse e-mail', 'Adresse courriel',
      'Correo electrónico', 'Correo', 'Dirección de correo electrónico', 'Correo-e',
      'Электронная почта', 'Эл. почта', 'Эл почта', 'Э-почта', 'Адрес электронной почты', 'E-mail адрес',
      'البريد الإلكتروني', 'البريد الالكتروني', 'البريد',
      '电子邮件', '电子邮箱', '邮箱', '电邮', '电子邮件地址',
      'E-Mail-Adresse', 'Mailadresse', 'Elektronische Post',
      'Correio eletrónico', 'Correio eletrônico', 'Endereço de e-mail', 'Endereço eletrônico', 'Endereço eletrónico',
    ],
  ],
  [
    'phone',
    [
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
  ],
  [
    'meetings',
    [
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
  ],
];

const TABLE = keyTable(SYNONYMS);

/** Header keys that may mean the honorific as well as the functional title: decided by the values. */
const MAYBE_HONORIFIC = new Set(['Title', 'Titles', 'Title(s)', 'Titre', 'Título', 'Titel'].map(labelKey));

export interface HeaderMatch {
  field: Field;
  /** "Title" and its translations: the functional title, unless every value is an honorific. */
  maybeHonorific: boolean;
}

/** The field a header names, or undefined. Parts in parentheses are tried without when the whole does not match ("Phone (office)"). */
export function matchHeader(header: string): HeaderMatch | undefined {
  if (isFormulaError(header)) return undefined;
  const key = labelKey(header);
  if (key === '') return undefined;
  const field = TABLE.get(key) ?? TABLE.get(labelKeyWithoutAsides(header));
  if (field === undefined) return undefined;
  return { field, maybeHonorific: field === 'title' && MAYBE_HONORIFIC.has(key) };
}

/** Whether the header is the Russian "ФИО" (family name, given name, patronymic: family name first). */
export function isFamilyFirstHeader(header: string): boolean {
  return ['ФИО', 'Фамилия, имя, отчество', 'Фамилия имя отчество'].map(labelKey).includes(labelKey(header));
}

/** Every spelling known for a field, for messages ("expected a column such as …"). */
export function exampleHeaders(field: Field, count = 3): string[] {
  return SYNONYMS.find(([f]) => f === field)?.[1].slice(0, count) ?? [];
}

/** What a spreadsheet shows for a formula that failed (#NAME?, #REF! …): never a header nor a value. */
export function isFormulaError(value: string): boolean {
  return /^#(?:NAME\?|REF!|VALUE!|N\/A|DIV\/0!|NULL!|NUM!|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|GETTING_DATA)$/i.test(
    value.trim(),
  );
}
