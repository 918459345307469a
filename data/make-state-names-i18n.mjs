// Writes data/un-state-names-i18n.csv: CLDR region names (Intl.DisplayNames, Node's ICU) as the base,
// with the UN's own short names where they differ.
// Run after `npm run build`: node data/make-state-names-i18n.mjs (the CLDR names are those of the running Node's ICU;
// the file in the repository was written with Node 20.20, ICU 78.2, CLDR 48).
import { writeFileSync } from 'node:fs';
const { ISO2 } = await import(new URL('../dist/states/names.js', import.meta.url).href);
const { UN_STATES } = await import(new URL('../dist/states/un-states.js', import.meta.url).href);
const LANGS = ['ar', 'zh', 'fr', 'ru', 'es'];
// iso3: [ar, zh, fr, ru, es]
const UN = {
  RUS: [
    'الاتحاد الروسي',
    '俄罗斯联邦',
    'Fédération de Russie',
    'Российская Федерация',
    'Federación de Rusia',
  ],
  USA: [
    'الولايات المتحدة الأمريكية',
    '美利坚合众国',
    "États-Unis d'Amérique",
    'Соединенные Штаты Америки',
    'Estados Unidos de América',
  ],
  GBR: [
    'المملكة المتحدة لبريطانيا العظمى وأيرلندا الشمالية',
    '大不列颠及北爱尔兰联合王国',
    "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
    'Соединенное Королевство Великобритании и Северной Ирландии',
    'Reino Unido de Gran Bretaña e Irlanda del Norte',
  ],
  IRN: [
    'إيران (جمهورية - الإسلامية)',
    '伊朗伊斯兰共和国',
    "Iran (République islamique d')",
    'Иран (Исламская Республика)',
    'Irán (República Islámica del)',
  ],
  SYR: [
    'الجمهورية العربية السورية',
    '阿拉伯叙利亚共和国',
    'République arabe syrienne',
    'Сирийская Арабская Республика',
    'República Árabe Siria',
  ],
  VEN: [
    'فنزويلا (جمهورية - البوليفارية)',
    '委内瑞拉玻利瓦尔共和国',
    'Venezuela (République bolivarienne du)',
    'Венесуэла (Боливарианская Республика)',
    'Venezuela (República Bolivariana de)',
  ],
  BOL: [
    'بوليفيا (دولة - المتعددة القوميات)',
    '多民族玻利维亚国',
    'Bolivie (État plurinational de)',
    'Боливия (Многонациональное Государство)',
    'Bolivia (Estado Plurinacional de)',
  ],
  KOR: ['جمهورية كوريا', '大韩民国', 'République de Corée', 'Республика Корея', 'República de Corea'],
  PRK: [
    'جمهورية كوريا الشعبية الديمقراطية',
    '朝鲜民主主义人民共和国',
    'République populaire démocratique de Corée',
    'Корейская Народно-Демократическая Республика',
    'República Popular Democrática de Corea',
  ],
  MDA: [
    'جمهورية مولدوفا',
    '摩尔多瓦共和国',
    'République de Moldova',
    'Республика Молдова',
    'República de Moldova',
  ],
  TZA: [
    'جمهورية تنزانيا المتحدة',
    '坦桑尼亚联合共和国',
    'République-Unie de Tanzanie',
    'Объединенная Республика Танзания',
    'República Unida de Tanzanía',
  ],
  LAO: [
    'جمهورية لاو الديمقراطية الشعبية',
    '老挝人民民主共和国',
    'République démocratique populaire lao',
    'Лаосская Народно-Демократическая Республика',
    'República Democrática Popular Lao',
  ],
  VNM: ['فييت نام', '越南', 'Viet Nam', 'Вьетнам', 'Viet Nam'],
  COD: [
    'جمهورية الكونغو الديمقراطية',
    '刚果民主共和国',
    'République démocratique du Congo',
    'Демократическая Республика Конго',
    'República Democrática del Congo',
  ],
  COG: ['الكونغو', '刚果', 'Congo', 'Конго', 'Congo'],
  CIV: ['كوت ديفوار', '科特迪瓦', "Côte d'Ivoire", "Кот-д'Ивуар", "Côte d'Ivoire"],
  FSM: [
    'ميكرونيزيا (ولايات - الموحدة)',
    '密克罗尼西亚联邦',
    'Micronésie (États fédérés de)',
    'Микронезия (Федеративные Штаты)',
    'Micronesia (Estados Federados de)',
  ],
  PSE: ['دولة فلسطين', '巴勒斯坦国', 'État de Palestine', 'Государство Палестина', 'Estado de Palestina'],
  VAT: ['الكرسي الرسولي', '教廷', 'Saint-Siège', 'Святой Престол', 'Santa Sede'],
  BLR: ['بيلاروس', '白俄罗斯', 'Bélarus', 'Беларусь', 'Belarús'],
  KGZ: ['قيرغيزستان', '吉尔吉斯斯坦', 'Kirghizistan', 'Кыргызстан', 'Kirguistán'],
  BRN: ['بروني دار السلام', '文莱达鲁萨兰国', 'Brunéi Darussalam', 'Бруней-Даруссалам', 'Brunei Darussalam'],
  TLS: ['تيمور - ليشتي', '东帝汶', 'Timor-Leste', 'Тимор-Лешти', 'Timor-Leste'],
  TUR: ['تركيا', '土耳其', 'Türkiye', 'Турция', 'Türkiye'],
  MKD: ['مقدونيا الشمالية', '北马其顿', 'Macédoine du Nord', 'Северная Македония', 'Macedonia del Norte'],
  CPV: ['كابو فيردي', '佛得角', 'Cabo Verde', 'Кабо-Верде', 'Cabo Verde'],
  CZE: ['تشيكيا', '捷克', 'Tchéquie', 'Чехия', 'Chequia'],
};
const q = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const rows = ['iso3,language,name,source'];
let un = 0,
  cldr = 0;
for (const s of UN_STATES) {
  const iso2 = ISO2.get(s.iso3);
  LANGS.forEach((lang, i) => {
    const own = UN[s.iso3]?.[i];
    const base = iso2
      ? new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' }).of(iso2)
      : undefined;
    if (own && own !== base) {
      rows.push([s.iso3, lang, own, 'un'].map(q).join(','));
      un++;
    } else if (base) {
      rows.push([s.iso3, lang, base, 'cldr'].map(q).join(','));
      cldr++;
    } else throw new Error(`no name for ${s.iso3} ${lang}`);
  });
}
writeFileSync(new URL('./un-state-names-i18n.csv', import.meta.url), rows.join('\n') + '\n');
console.log({ un, cldr, icu: process.versions.icu, cldrVersion: process.versions.cldr });
