/**
 * Every fixed word a note or a list of participants prints, in the six official languages of the
 * United Nations. The document model carries them (render/document.ts); the renderers print
 * what the model says and never a word of their own.
 *
 * Patterns hold {placeholders} (fillLabel). UN usage: "Référence :", "Pièces jointes :" (French
 * spaces before a colon), "Referencia:", "Anexos:", "Исх. №", "الرقم المرجعي:", "编号：" (a
 * full-width colon, no space after it). The distribution block of a list ("Distr.: General",
 * "English only") is printed in the list's own language: UN documents in Arabic, Chinese and
 * Russian often keep it in English, but a list written to a Government in its language has no
 * English word in it.
 */

/** The six official languages of the United Nations, in the UN's order. */
export const LABEL_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type LabelLanguage = (typeof LABEL_LANGUAGES)[number];

export interface Labels {
  /** The reference line of a note: "Reference: {reference}". */
  reference: string;
  /** The enclosures line of a note, printed when there is one: "Enclosures: {n}". */
  enclosures: string;
  /** The page number, from page 2: "- {n} -". */
  page: string;
  /** The PDF /Title and DOCX dc:title of a note: "Note verbale {reference} – {recipient}". */
  noteTitle: string;
  /** Printed after a heading repeated on the next page. */
  continued: string;
  /** The list of participants. */
  list: {
    /** The title of the list, and of the document ("{title} – {symbol}"). */
    title: string;
    metaTitle: string;
    /** Top left of page 1. */
    masthead: string;
    /** The distribution lines: "Distr.: General", and the language the document is issued in. */
    distribution: string;
    languageOnly: string;
    preparedAsAt: string;
    participantsIn: string;
    noParticipants: string;
    /** The cover's table: its header and last row. */
    category: string;
    delegations: string;
    participants: string;
    total: string;
    categories: { party: string; signatory: string; observer: string; organization: string };
    email: string;
    phone: string;
  };
}

const TABLE: Record<LabelLanguage, Labels> = {
  en: {
    reference: 'Reference: {reference}',
    enclosures: 'Enclosures: {n}',
    page: '- {n} -',
    noteTitle: 'Note verbale {reference} – {recipient}',
    continued: '(continued)',
    list: {
      title: 'List of participants',
      metaTitle: 'List of participants – {symbol}',
      masthead: 'United Nations',
      distribution: 'Distr.: General',
      languageOnly: 'English only',
      preparedAsAt: 'Prepared on the basis of information received as at {date}',
      participantsIn: 'Participants in the {meeting}',
      noParticipants: 'No participant is on the list yet.',
      category: 'Category',
      delegations: 'States and organizations',
      participants: 'Participants',
      total: 'Total',
      categories: {
        party: 'States parties',
        signatory: 'Signatory States',
        observer: 'Observer States',
        organization: 'Intergovernmental organizations',
      },
      email: 'E-mail: ',
      phone: 'Tel.: {phone}',
    },
  },
  fr: {
    reference: 'Référence : {reference}',
    enclosures: 'Pièces jointes : {n}',
    page: '- {n} -',
    noteTitle: 'Note verbale {reference} – {recipient}',
    continued: '(suite)',
    list: {
      title: 'Liste des participants',
      metaTitle: 'Liste des participants – {symbol}',
      masthead: 'Nations Unies',
      distribution: 'Distr. générale',
      languageOnly: 'Français seulement',
      preparedAsAt: 'Établie sur la base des informations reçues au {date}',
      participantsIn: 'Participants : {meeting}',
      noParticipants: 'Aucun participant ne figure encore sur la liste.',
      category: 'Catégorie',
      delegations: 'États et organisations',
      participants: 'Participants',
      total: 'Total',
      categories: {
        party: 'États parties',
        signatory: 'États signataires',
        observer: 'États observateurs',
        organization: 'Organisations intergouvernementales',
      },
      email: 'Courriel : ',
      phone: 'Tél. : {phone}',
    },
  },
  es: {
    reference: 'Referencia: {reference}',
    enclosures: 'Anexos: {n}',
    page: '- {n} -',
    noteTitle: 'Nota verbal {reference} – {recipient}',
    continued: '(continuación)',
    list: {
      title: 'Lista de participantes',
      metaTitle: 'Lista de participantes – {symbol}',
      masthead: 'Naciones Unidas',
      distribution: 'Distr. general',
      languageOnly: 'Español únicamente',
      preparedAsAt: 'Preparada sobre la base de la información recibida al {date}',
      participantsIn: 'Participantes: {meeting}',
      noParticipants: 'Todavía no figura ningún participante en la lista.',
      category: 'Categoría',
      delegations: 'Estados y organizaciones',
      participants: 'Participantes',
      total: 'Total',
      categories: {
        party: 'Estados partes',
        signatory: 'Estados signatarios',
        observer: 'Estados observadores',
        organization: 'Organizaciones intergubernamentales',
      },
      email: 'Correo electrónico: ',
      phone: 'Tel.: {phone}',
    },
  },
  ru: {
    reference: 'Исх. № {reference}',
    enclosures: 'Приложения: {n}',
    page: '- {n} -',
    noteTitle: 'Вербальная нота {reference} – {recipient}',
    continued: '(продолжение)',
    list: {
      title: 'Список участников',
      metaTitle: 'Список участников – {symbol}',
      masthead: 'Организация Объединенных Наций',
      distribution: 'Общее распространение',
      languageOnly: 'Только на русском языке',
      preparedAsAt: 'Подготовлен на основе информации, полученной по состоянию на {date}',
      participantsIn: 'Участники: {meeting}',
      noParticipants: 'В списке пока нет участников.',
      category: 'Категория',
      delegations: 'Государства и организации',
      participants: 'Участники',
      total: 'Итого',
      categories: {
        party: 'Государства-участники',
        signatory: 'Государства, подписавшие Конвенцию',
        observer: 'Государства-наблюдатели',
        organization: 'Межправительственные организации',
      },
      email: 'Эл. почта: ',
      phone: 'Тел.: {phone}',
    },
  },
  ar: {
    reference: 'الرقم المرجعي: {reference}',
    enclosures: 'المرفقات: {n}',
    page: '- {n} -',
    noteTitle: 'مذكرة شفوية {reference} – {recipient}',
    continued: '(تابع)',
    list: {
      title: 'قائمة المشاركين',
      metaTitle: 'قائمة المشاركين – {symbol}',
      masthead: 'الأمم المتحدة',
      distribution: 'التوزيع: عام',
      languageOnly: 'بالعربية فقط',
      preparedAsAt: 'أُعدت على أساس المعلومات الواردة حتى {date}',
      participantsIn: 'المشاركون في: {meeting}',
      noParticipants: 'لا يوجد أي مشارك في القائمة بعد.',
      category: 'الفئة',
      delegations: 'الدول والمنظمات',
      participants: 'المشاركون',
      total: 'المجموع',
      categories: {
        party: 'الدول الأطراف',
        signatory: 'الدول الموقِّعة',
        observer: 'الدول المراقبة',
        organization: 'المنظمات الحكومية الدولية',
      },
      email: 'البريد الإلكتروني: ',
      phone: 'الهاتف: {phone}',
    },
  },
  zh: {
    reference: '编号：{reference}',
    enclosures: '附件：{n}',
    page: '- {n} -',
    noteTitle: '普通照会 {reference} – {recipient}',
    continued: '（续）',
    list: {
      title: '与会者名单',
      metaTitle: '与会者名单 – {symbol}',
      masthead: '联合国',
      distribution: '普遍分发',
      languageOnly: '只有中文',
      preparedAsAt: '根据截至{date}收到的资料编写',
      participantsIn: '与会者：{meeting}',
      noParticipants: '名单上尚无与会者。',
      category: '类别',
      delegations: '国家和组织',
      participants: '与会者',
      total: '共计',
      categories: {
        party: '缔约国',
        signatory: '签署国',
        observer: '观察员国',
        organization: '政府间组织',
      },
      email: '电子邮件：',
      phone: '电话：{phone}',
    },
  },
};

/** The language of a tag among the six ("fr-CH" → fr); undefined for another. */
export function labelLanguage(tag: string): LabelLanguage | undefined {
  const primary = tag.toLowerCase().split(/[-_]/)[0]!;
  return (LABEL_LANGUAGES as readonly string[]).includes(primary) ? (primary as LabelLanguage) : undefined;
}

/** The labels of a language tag; English for a language other than the six. */
export function labelsFor(tag: string): Labels {
  return TABLE[labelLanguage(tag) ?? 'en'];
}

/** A pattern with its {placeholders} filled: fillLabel('Enclosures: {n}', { n: 2 }). */
export function fillLabel(pattern: string, values: Record<string, string | number>): string {
  return pattern.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** Every label of a language as a flat list of patterns (for tests and checks). */
export function allLabels(lang: LabelLanguage): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(TABLE[lang]);
  return out;
}
