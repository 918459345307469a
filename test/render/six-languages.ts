/**
 * One note verbale in each of the six UN languages (en fr es ru ar zh), built by hand: a letterhead,
 * a reference line, two justified paragraphs (long enough to wrap), an ordered list of two items,
 * a closing paragraph, the date line and one enclosure. The Arabic note carries a Latin name, a
 * number and the reference CU 2012/150(A)/DTA/CEB/CSS inside Arabic text.
 */
import type { Block, NoteDocument, Run } from '../../src/render/document.js';

export const LANGUAGES = ['en', 'fr', 'es', 'ru', 'ar', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

export const REFERENCE = 'CU 2012/150(A)/DTA/CEB/CSS';

interface Texts {
  reference: string;
  intro: Run[];
  second: string;
  items: [string, string];
  closing: string;
  date: string;
  footer: string;
}

const TEXTS: Record<Language, Texts> = {
  en: {
    reference: `Reference: ${REFERENCE}`,
    intro: [
      { text: 'The Secretary-General of the United Nations presents his compliments to the ' },
      { text: 'Permanent Mission of Austria', bold: true },
      {
        text: ' to the United Nations (Vienna) and has the honour to draw the attention of the Government to resolution 4/2 of the Conference of the States Parties to the United Nations Convention against Corruption.',
      },
    ],
    second:
      'In resolution 4/2, the Conference decided to convene open-ended intergovernmental expert meetings on international cooperation to advise and assist it with respect to extradition and mutual legal assistance.',
    items: [
      'Assist it in developing cumulative knowledge in the area of international cooperation;',
      'Facilitate the exchange of experiences among States.',
    ],
    closing:
      'The Secretary-General of the United Nations avails himself of this opportunity to renew to the Permanent Mission the assurances of his highest consideration.',
    date: '15 August 2012',
    footer: 'Making the world safer from drugs, crime and terrorism',
  },
  fr: {
    reference: `Référence : ${REFERENCE}`,
    intro: [
      { text: 'Le Secrétaire général de l’Organisation des Nations Unies présente ses compliments à la ' },
      { text: 'Mission permanente de l’Autriche', bold: true },
      {
        text: ' auprès de l’Organisation des Nations Unies (Vienne) et a l’honneur d’appeler l’attention du Gouvernement sur la résolution 4/2 de la Conférence des États parties à la Convention des Nations Unies contre la corruption.',
      },
    ],
    second:
      'Dans sa résolution 4/2, la Conférence a décidé de convoquer des réunions intergouvernementales d’experts à composition non limitée sur la coopération internationale, chargées de la conseiller et de l’aider en matière d’extradition et d’entraide judiciaire.',
    items: [
      'L’aider à développer des connaissances cumulatives dans le domaine de la coopération internationale ;',
      'Faciliter l’échange de données d’expérience entre les États.',
    ],
    closing:
      'Le Secrétaire général de l’Organisation des Nations Unies saisit cette occasion pour renouveler à la Mission permanente les assurances de sa très haute considération.',
    date: '15 août 2012',
    footer: 'Pour un monde plus sûr face à la drogue, au crime et au terrorisme',
  },
  es: {
    reference: `Referencia: ${REFERENCE}`,
    intro: [
      { text: 'El Secretario General de las Naciones Unidas saluda atentamente a la ' },
      { text: 'Misión Permanente de Austria', bold: true },
      {
        text: ' ante las Naciones Unidas (Viena) y tiene el honor de señalar a la atención del Gobierno la resolución 4/2 de la Conferencia de los Estados Partes en la Convención de las Naciones Unidas contra la Corrupción.',
      },
    ],
    second:
      'En su resolución 4/2, la Conferencia decidió convocar reuniones intergubernamentales de expertos de composición abierta sobre cooperación internacional para que la asesoraran y la asistieran en relación con la extradición y la asistencia judicial recíproca.',
    items: [
      'Ayudarla a acumular conocimientos en el ámbito de la cooperación internacional;',
      'Facilitar el intercambio de experiencias entre los Estados.',
    ],
    closing:
      'El Secretario General de las Naciones Unidas aprovecha la oportunidad para reiterar a la Misión Permanente las seguridades de su consideración más distinguida.',
    date: '15 de agosto de 2012',
    footer: 'Por un mundo más seguro frente a la droga, el delito y el terrorismo',
  },
  ru: {
    reference: `Ссылка: ${REFERENCE}`,
    intro: [
      { text: 'Генеральный секретарь Организации Объединенных Наций свидетельствует свое уважение ' },
      { text: 'Постоянному представительству Австрии', bold: true },
      {
        text: ' при Организации Объединенных Наций (Вена) и имеет честь обратить внимание правительства на резолюцию 4/2 Конференции государств — участников Конвенции Организации Объединенных Наций против коррупции.',
      },
    ],
    second:
      'В резолюции 4/2 Конференция постановила созывать совещания межправительственных экспертов открытого состава по международному сотрудничеству для оказания ей консультативной помощи в вопросах выдачи и взаимной правовой помощи.',
    items: [
      'оказывать ей помощь в накоплении знаний в области международного сотрудничества;',
      'содействовать обмену опытом между государствами.',
    ],
    closing:
      'Генеральный секретарь Организации Объединенных Наций пользуется случаем, чтобы возобновить Постоянному представительству уверения в своем весьма высоком уважении.',
    date: '15 августа 2012 года',
    footer: 'За мир, свободный от наркотиков, преступности и терроризма',
  },
  ar: {
    reference: `الرقم المرجعي: ${REFERENCE}`,
    intro: [
      { text: 'يهدي الأمين العام للأمم المتحدة أطيب تحياته إلى ' },
      { text: 'البعثة الدائمة للنمسا', bold: true },
      {
        text: ' لدى الأمم المتحدة (فيينا)، ويتشرف بأن يوجه انتباه الحكومة إلى القرار 4/2 الذي اعتمده مؤتمر الدول الأطراف في اتفاقية الأمم المتحدة لمكافحة الفساد في دورته الرابعة المعقودة في مراكش، المغرب.',
      },
    ],
    second: `وفي القرار 4/2، قرر المؤتمر عقد اجتماعات حكومية دولية مفتوحة العضوية للخبراء بشأن التعاون الدولي، يحضرها السيد Jean Dupont، لإسداء المشورة والمساعدة إليه في مجال تسليم المطلوبين والمساعدة القانونية المتبادلة، وذلك بالإشارة إلى المذكرة ${REFERENCE} المؤرخة 15 آب/أغسطس 2012.`,
    items: ['مساعدته على تكوين معارف تراكمية في مجال التعاون الدولي؛', 'تيسير تبادل الخبرات فيما بين الدول.'],
    closing: 'وينتهز الأمين العام للأمم المتحدة هذه الفرصة ليعرب مجددا للبعثة الدائمة عن فائق تقديره.',
    date: '15 آب/أغسطس 2012',
    footer: 'من أجل عالم أكثر أمنا من المخدرات والجريمة والإرهاب',
  },
  zh: {
    reference: `编号：${REFERENCE}`,
    intro: [
      { text: '联合国秘书长向' },
      { text: '奥地利常驻联合国（维也纳）代表团', bold: true },
      {
        text: '致意，并谨提请该国政府注意《联合国反腐败公约》缔约国会议在摩洛哥马拉喀什举行的第四届会议上通过的题为“召开不限成员名额政府间专家会议以加强国际合作”的第4/2号决议。',
      },
    ],
    second:
      '缔约国会议在第4/2号决议中决定召开关于国际合作的不限成员名额政府间专家会议，就引渡和司法协助问题向其提供咨询和协助，并在其第五届会议期间召开一次此类会议。',
    items: ['协助其积累国际合作领域的知识；', '促进各国之间的经验交流。'],
    closing: '联合国秘书长借此机会向常驻代表团重申最崇高的敬意。',
    date: '2012年8月15日',
    footer: '让世界远离毒品、犯罪和恐怖主义',
  },
};

const para = (runs: Run[]): Block => ({ type: 'paragraph', align: 'justify', runs });

/** The note in `language`, dated 15 August 2012. */
export function noteIn(language: Language): NoteDocument {
  const t = TEXTS[language];
  return {
    meta: {
      title: `Note verbale ${REFERENCE}`,
      author: 'United Nations Office on Drugs and Crime',
      language,
      created: new Date(Date.UTC(2012, 7, 15)),
    },
    letterhead: ['UNODC', 'United Nations Office on Drugs and Crime'],
    referenceLine: t.reference,
    body: [
      para(t.intro),
      para([{ text: t.second }]),
      { type: 'list', ordered: true, items: t.items.map((text) => [{ text }]) },
      para([{ text: t.closing }]),
    ],
    dateLine: t.date,
    footer: t.footer,
    enclosures: 1,
    attachments: [],
  };
}
