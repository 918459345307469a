import { foldName } from './fold.js';
import { unNamesI18n } from './names-i18n.js';

/** ISO 3166-1 alpha-2 code of each State (ISO3:ISO2), for the region names of the Unicode CLDR. */
const ISO2_TABLE =
  'AFG:AF ALB:AL DZA:DZ AND:AD AGO:AO ATG:AG ARG:AR ARM:AM AUS:AU AUT:AT AZE:AZ BHS:BS BHR:BH BGD:BD ' +
  'BRB:BB BLR:BY BEL:BE BLZ:BZ BEN:BJ BTN:BT BOL:BO BIH:BA BWA:BW BRA:BR BRN:BN BGR:BG BFA:BF BDI:BI ' +
  'CPV:CV KHM:KH CMR:CM CAN:CA CAF:CF TCD:TD CHL:CL CHN:CN COL:CO COM:KM COG:CG CRI:CR CIV:CI HRV:HR ' +
  'CUB:CU CYP:CY CZE:CZ PRK:KP COD:CD DNK:DK DJI:DJ DMA:DM DOM:DO ECU:EC EGY:EG SLV:SV GNQ:GQ ERI:ER ' +
  'EST:EE SWZ:SZ ETH:ET FJI:FJ FIN:FI FRA:FR GAB:GA GMB:GM GEO:GE DEU:DE GHA:GH GRC:GR GRD:GD GTM:GT ' +
  'GIN:GN GNB:GW GUY:GY HTI:HT VAT:VA HND:HN HUN:HU ISL:IS IND:IN IDN:ID IRN:IR IRQ:IQ IRL:IE ISR:IL ' +
  'ITA:IT JAM:JM JPN:JP JOR:JO KAZ:KZ KEN:KE KIR:KI KWT:KW KGZ:KG LAO:LA LVA:LV LBN:LB LSO:LS LBR:LR ' +
  'LBY:LY LIE:LI LTU:LT LUX:LU MDG:MG MWI:MW MYS:MY MDV:MV MLI:ML MLT:MT MHL:MH MRT:MR MUS:MU MEX:MX ' +
  'FSM:FM MCO:MC MNG:MN MNE:ME MAR:MA MOZ:MZ MMR:MM NAM:NA NRU:NR NPL:NP NLD:NL NZL:NZ NIC:NI NER:NE ' +
  'NGA:NG MKD:MK NOR:NO OMN:OM PAK:PK PLW:PW PAN:PA PNG:PG PRY:PY PER:PE PHL:PH POL:PL PRT:PT QAT:QA ' +
  'KOR:KR MDA:MD ROU:RO RUS:RU RWA:RW KNA:KN LCA:LC VCT:VC WSM:WS SMR:SM STP:ST SAU:SA SEN:SN SRB:RS ' +
  'SYC:SC SLE:SL SGP:SG SVK:SK SVN:SI SLB:SB SOM:SO ZAF:ZA SSD:SS ESP:ES LKA:LK PSE:PS SDN:SD SUR:SR ' +
  'SWE:SE CHE:CH SYR:SY TJK:TJ THA:TH TLS:TL TGO:TG TON:TO TTO:TT TUN:TN TUR:TR TKM:TM TUV:TV UGA:UG ' +
  'UKR:UA ARE:AE GBR:GB TZA:TZ USA:US URY:UY UZB:UZ VUT:VU VEN:VE VNM:VN YEM:YE ZMB:ZM ZWE:ZW';

export const ISO2: ReadonlyMap<string, string> = new Map(
  ISO2_TABLE.trim()
    .split(/\s+/)
    .map((p) => p.split(':') as [string, string]),
);

/** The six official languages of the United Nations. */
export const UN_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;

/**
 * UN names that differ from the everyday names CLDR gives (Governments write these in their
 * lists: "Российская Федерация", not "Россия").
 */
const UN_NAMES: Record<string, string[]> = {
  RUS: [
    'Российская Федерация',
    'Fédération de Russie',
    'Federación de Rusia',
    'الاتحاد الروسي',
    '俄罗斯联邦',
  ],
  CHN: [
    '中华人民共和国',
    'République populaire de Chine',
    'República Popular China',
    'Китайская Народная Республика',
  ],
  USA: [
    "États-Unis d'Amérique",
    'Estados Unidos de América',
    'Соединенные Штаты Америки',
    'الولايات المتحدة الأمريكية',
    '美利坚合众国',
  ],
  GBR: [
    "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
    'Reino Unido de Gran Bretaña e Irlanda del Norte',
    'Соединенное Королевство Великобритании и Северной Ирландии',
  ],
  IRN: ["Iran (République islamique d')", 'Irán (República Islámica del)', 'Иран (Исламская Республика)'],
  SYR: [
    'République arabe syrienne',
    'República Árabe Siria',
    'Сирийская Арабская Республика',
    'الجمهورية العربية السورية',
  ],
  VEN: [
    'Venezuela (République bolivarienne du)',
    'Venezuela (República Bolivariana de)',
    'Венесуэла (Боливарианская Республика)',
  ],
  BOL: [
    'Bolivie (État plurinational de)',
    'Bolivia (Estado Plurinacional de)',
    'Боливия (Многонациональное Государство)',
  ],
  KOR: ['République de Corée', 'República de Corea', 'Республика Корея', 'جمهورية كوريا', '大韩民国'],
  PRK: [
    'République populaire démocratique de Corée',
    'República Popular Democrática de Corea',
    'Корейская Народно-Демократическая Республика',
  ],
  MDA: ['République de Moldova', 'República de Moldova', 'Республика Молдова'],
  TZA: ['République-Unie de Tanzanie', 'República Unida de Tanzanía', 'Объединенная Республика Танзания'],
  LAO: [
    'République démocratique populaire lao',
    'República Democrática Popular Lao',
    'Лаосская Народно-Демократическая Республика',
  ],
  VNM: ['Viet Nam', 'Вьетнам'],
  BLR: ['Республика Беларусь', 'République du Bélarus', 'República de Belarús'],
  KAZ: ['Республика Казахстан', 'République du Kazakhstan', 'República de Kazajstán'],
  KGZ: ['Кыргызстан', 'Кыргызская Республика', 'Kirghizistan', 'Kirguistán'],
  TJK: ['Республика Таджикистан', 'République du Tadjikistan', 'República de Tayikistán'],
  UZB: ['Республика Узбекистан', 'République d’Ouzbékistan', 'República de Uzbekistán'],
  COD: [
    'République démocratique du Congo',
    'República Democrática del Congo',
    'Демократическая Республика Конго',
  ],
  COG: ['Congo', 'République du Congo', 'República del Congo'],
  CIV: ["Côte d'Ivoire", "Кот-д'Ивуар"],
};

let index: Map<string, string> | undefined;

/** Every name of every State in the six UN languages, folded → ISO3 (built once, on first use). */
function names(): Map<string, string> {
  if (index) return index;
  index = new Map();
  const add = (name: string, iso3: string) => {
    const key = foldName(name);
    if (key && !index!.has(key)) index!.set(key, iso3);
  };
  for (const [iso3, list] of Object.entries(UN_NAMES)) for (const n of list) add(n, iso3);
  // The UN's short names in the five other languages (data/un-state-names-i18n.csv): "Bélarus", "Кыргызстан".
  for (const [iso3, n] of unNamesI18n()) add(n, iso3);
  for (const lang of UN_LANGUAGES) {
    const dn = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' });
    for (const [iso3, iso2] of ISO2) {
      const n = dn.of(iso2);
      if (n) add(n, iso3);
    }
  }
  return index;
}

/** The ISO3 code of a State named in any of the six UN languages ("Autriche", "中国", "مصر"). */
export function stateFromAnyLanguage(name: string): string | undefined {
  return names().get(foldName(name));
}
