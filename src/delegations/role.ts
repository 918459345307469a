import { ROLES } from '../participant-fields.js';
import { keyTable, labelKey } from './normalise.js';

/** A participant's place in the delegation: the head of delegation, an alternate head, a member, an adviser. */
export { ROLES };
export type Role = (typeof ROLES)[number];

/** How Governments write the role, in the six UN languages, German and Portuguese. Compared through `labelKey`. */
// prettier-ignore
const ROLE_SYNONYMS: ReadonlyArray<readonly [Role, readonly string[]]> = [
  [
    'head',
    [
      'head', 'head of delegation', 'head of the delegation', 'HoD', 'H.o.D.', 'delegation head', 'leader', 'head delegate',
      'chef', 'chef de délégation', 'chef de la délégation', 'cheffe de délégation', 'cheffe de la délégation',
      'jefe', 'jefa', 'jefe de delegación', 'jefa de delegación', 'jefe de la delegación', 'jefa de la delegación',
      'глава', 'глава делегации', 'руководитель', 'руководитель делегации',
      'رئيس الوفد', 'رئيسة الوفد', 'رئيس',
      '团长', '代表团团长',
      'Delegationsleiter', 'Delegationsleiterin', 'Leiter der Delegation', 'Leiterin der Delegation', 'Leiter', 'Leiterin',
      'chefe', 'chefe da delegação', 'chefe de delegação',
    ],
  ],
  [
    'alternate',
    [
      'alternate', 'alternate head', 'alternate head of delegation', 'alternate head of the delegation', 'deputy head',
      'deputy head of delegation', 'deputy head of the delegation', 'deputy', 'alternate representative', 'alternate delegate',
      'suppléant', 'suppléante', 'chef adjoint', 'cheffe adjointe', 'chef de délégation adjoint', 'chef adjoint de la délégation',
      'cheffe adjointe de la délégation', 'représentant suppléant', 'représentante suppléante', 'chef suppléant',
      'suplente', 'jefe adjunto', 'jefa adjunta', 'jefe suplente', 'jefa suplente', 'jefe de delegación adjunto',
      'jefe adjunto de la delegación', 'jefa adjunta de la delegación', 'representante suplente', 'jefe alterno', 'alterno', 'alterna',
      'заместитель', 'заместитель главы', 'заместитель главы делегации', 'заместитель руководителя делегации',
      'альтернативный представитель',
      'نائب رئيس الوفد', 'نائبة رئيس الوفد', 'مناوب', 'نائب الرئيس', 'ممثل مناوب',
      '副团长', '候补', '候补代表', '代表团副团长',
      'Stellvertreter', 'Stellvertreterin', 'stellvertretender Delegationsleiter', 'stellvertretende Delegationsleiterin',
      'chefe adjunto', 'chefe adjunta', 'chefe adjunto da delegação', 'substituto', 'substituta',
    ],
  ],
  [
    'member',
    [
      'member', 'member of delegation', 'member of the delegation', 'delegate', 'representative', 'participant', 'delegation member',
      'membre', 'membre de la délégation', 'délégué', 'déléguée', 'représentant', 'représentante',
      'miembro', 'miembro de la delegación', 'delegado', 'delegada', 'representante',
      'член', 'член делегации', 'делегат', 'представитель', 'участник',
      'عضو', 'عضو الوفد', 'عضوة', 'مندوب', 'ممثل', 'مشارك',
      '团员', '代表', '成员', '代表团成员',
      'Mitglied', 'Mitglied der Delegation', 'Delegierter', 'Delegierte', 'Vertreter', 'Vertreterin', 'Teilnehmer', 'Teilnehmerin',
      'membro', 'membro da delegação',
    ],
  ],
  [
    'adviser',
    [
      'adviser', 'advisor', 'advisers', 'expert', 'advisor/expert', 'adviser/expert', 'technical adviser', 'legal adviser',
      'conseiller', 'conseillère', 'expert(e)', 'experte', 'conseiller technique',
      'asesor', 'asesora', 'experto', 'experta', 'asesor técnico', 'consejero', 'consejera',
      'советник', 'эксперт', 'консультант',
      'مستشار', 'مستشارة', 'خبير', 'خبيرة',
      '顾问', '专家',
      'Berater', 'Beraterin', 'Sachverständiger', 'Sachverständige', 'Experte', 'Expertin',
      'assessor', 'assessora', 'consultor', 'consultora', 'perito', 'perita', 'especialista',
    ],
  ],
];

const TABLE = keyTable(ROLE_SYNONYMS);

/** The role a cell names ('' → member), or undefined when nv does not know the word. */
export function parseRole(raw: string): Role | undefined {
  const key = labelKey(raw);
  if (key === '') return 'member';
  return TABLE.get(key);
}
