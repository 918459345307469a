// Delegation lists for bench/export.mjs: every State of the example workspace sends one CSV file,
// `count` participants in all, seeded and deterministic (the same seed and count give the same
// bytes). Files are written as offices write them from Excel (see fixtures/delegations/README.md):
//
//   - French-speaking States: Windows-1252, semicolons, French headers and words (`Chef de
//     délégation`, `les deux`, `CNUCC`), names such as Hélène LEFÈVRE, François CŒUR;
//   - Spanish-speaking States: Windows-1252, semicolons, Spanish headers (`Apellidos`, `ambas`);
//   - Russian-speaking States: Windows-1251, semicolons, Russian headers, Cyrillic names;
//   - every eighth other State: UTF-16LE with BOM, tab-separated (Excel's "Unicode text");
//   - the rest: UTF-8 with BOM, comma (Excel's "CSV UTF-8"), English headers, names in many
//     Latin scripts with accents and now and then Cyrillic.
//
// Each file has a State column (the UN English name of recipients.csv), one head of delegation
// (usually the first row, now and then further down), alternates, members and advisers,
// titles (a few over two lines, quoted), ministries, e-mail addresses and telephones such as
// +43 1 26060 5841, and the meetings `uncac-em`, `untoc-wg` or both. Planted on purpose, so that
// `nv validate` has something to report and the benchmark can check it: one participant in 400
// has no e-mail address (rule delegation-contact), and one delegation in 20 lists a person twice
// (rule duplicate-participant).
//
//   node bench/export-lists.mjs [--count 10000] [--seed 2012] [--out DIR]
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const require = createRequire(join(ROOT, 'package.json'));
const iconv = require('iconv-lite');

/** mulberry32: a small seeded generator, so that the lists are the same on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// prettier-ignore
const FRENCH = new Set(['BEL', 'BEN', 'BFA', 'BDI', 'CMR', 'CAF', 'TCD', 'COM', 'COG', 'CIV', 'COD', 'DJI', 'FRA', 'GAB', 'GIN', 'HTI', 'LUX', 'MDG', 'MLI', 'MRT', 'MCO', 'MAR', 'NER', 'RWA', 'SEN', 'TGO', 'TUN', 'DZA', 'CHE']);
// prettier-ignore
const SPANISH = new Set(['ARG', 'BOL', 'CHL', 'COL', 'CRI', 'CUB', 'DOM', 'ECU', 'SLV', 'GNQ', 'GTM', 'HND', 'MEX', 'NIC', 'PAN', 'PRY', 'PER', 'ESP', 'URY', 'VEN']);
const RUSSIAN = new Set(['RUS', 'BLR', 'KAZ', 'KGZ', 'TJK', 'TKM', 'UZB']);

// prettier-ignore
const CALLING = { AUT: 43, FRA: 33, DEU: 49, ITA: 39, ESP: 34, GBR: 44, USA: 1, CAN: 1, RUS: 7, KAZ: 7, CHN: 86, JPN: 81, IND: 91, BRA: 55, MEX: 52, ARG: 54, CHE: 41, BEL: 32, NLD: 31, SWE: 46, NOR: 47, POL: 48, TUR: 90, EGY: 20, ZAF: 27, NGA: 234, KEN: 254, SEN: 221, MAR: 212, DZA: 213, TUN: 216, COL: 57, PER: 51, CHL: 56, VEN: 58, CUB: 53, BLR: 375, UKR: 380, KGZ: 996, TJK: 992, UZB: 998, TKM: 993, AUS: 61, NZL: 64, KOR: 82, IDN: 62, PHL: 63, THA: 66, VNM: 84, PAK: 92, IRN: 98, SAU: 966, ARE: 971 };

// Given names with the honorific's gender: [name, 'm' | 'f'].
// prettier-ignore
const POOLS = {
  en: {
    given: [['Aïcha', 'f'], ['Björn', 'm'], ['Chloé', 'f'], ['Dmitri', 'm'], ['Émilie', 'f'], ['Fatima', 'f'], ['Gonçalo', 'm'], ['Hüseyin', 'm'], ['Ingrid', 'f'], ['José', 'm'], ['Kwame', 'm'], ['Łucja', 'f'], ['Mónica', 'f'], ['Oluwaseun', 'm'], ['Pål', 'm'], ['Renée', 'f'], ['Søren', 'm'], ['Tomás', 'm'], ['Ümit', 'm'], ['Wojciech', 'm'], ['Xóchitl', 'f'], ['Yaël', 'f'], ['Zoë', 'f'], ['Ahmed', 'm'], ['Mei', 'f'], ['Hiroshi', 'm'], ['Priya', 'f'], ['Siobhán', 'f'], ['Jürgen', 'm'], ['Ngozi', 'f'], ['Thabo', 'm'], ['Nomvula', 'f'], ['Rajesh', 'm'], ['Sarah', 'f'], ['Michael', 'm'], ['Grace', 'f'], ['Kofi', 'm'], ['Ana', 'f'], ['Mihály', 'm'], ['Dorottya', 'f'], ['Jiří', 'm'], ['Zuzana', 'f'], ['Ştefan', 'm'], ['Ioana', 'f'], ['Đorđe', 'm'], ['Ľubica', 'f'], ['Þórunn', 'f'], ['Aðalsteinn', 'm'], ['Алексей', 'm'], ['Мария', 'f']],
    family: ['ÁLVAREZ', 'BØRRESEN', 'CÔTÉ', 'DUBOIS', 'ERDOĞAN', 'FERNÁNDEZ', 'GÓMEZ', 'HÄKKINEN', 'IVANOVA', 'JOVANOVIĆ', 'KOWALSKI', 'LEFÈVRE', 'MÜLLER', 'NÚÑEZ', "O'CONNOR", 'O’BRIEN', 'PETROVIĆ', 'QUINTÃO', 'RODRÍGUEZ', 'SCHRÖDER', 'ÚLFARSSON', 'VÄISÄNEN', 'WIŚNIEWSKI', 'XU', 'YILMAZ', 'ŽIVKOVIĆ', 'NAKAMURA', 'OKONKWO', 'MENSAH', 'SINGH', 'KIM', 'HASSAN', 'AL-FARSI', 'DE SOUZA', 'VAN DER BERG', 'NÉMETH', 'DVOŘÁK', 'POPESCU', 'GRÜNBERGER-ŁUKASIEWICZ', 'Fitzgerald', 'Ó Briain', 'Møller', 'Štěpánek', 'Kovač', 'Şahin', 'ПЕТРОВ', 'СМИРНОВА', 'ŁUKASZEWSKA', 'ÐURIĆ', 'ÞÓRSDÓTTIR'],
    honorific: { m: ['Mr.', 'Mr.', 'Mr', 'Dr.', 'Prof.'], f: ['Ms.', 'Ms.', 'ms', 'Mrs.', 'Dr.'], headM: ['H.E. Mr.', 'HE Mr', 'Mr.'], headF: ['H.E. Ms.', 'HE Ms', 'Ms.'] },
    titles: ['Director, International Cooperation Department', 'Deputy Director', 'Senior Legal Adviser', 'Public Prosecutor', 'Judge, Court of Appeal', 'Counsellor, Permanent Mission', 'Police Commissioner', 'Attaché', 'Chief, Extradition Section', 'Minister Plenipotentiary', 'First Secretary', 'Second Secretary', 'Legal Officer', 'Senior Investigator', 'State Counsel', 'Director-General, Central Authority for Mutual Legal Assistance'],
    headTitles: ['Ambassador, Permanent Representative', 'Deputy Minister of Justice', 'Attorney General', 'Director-General, Ministry of Foreign Affairs'],
    breakTitles: ['Head of Unit\nInternational Cooperation', 'Senior Adviser\nOffice of the Prosecutor General'],
    orgs: [['Ministry of Justice', 'justice'], ['Ministry of Foreign Affairs', 'mfa'], ['Office of the Attorney General', 'ag'], ['Anti-Corruption Commission', 'acc'], ['Permanent Mission to the United Nations (Vienna)', 'mission'], ['National Police', 'police'], ['Financial Intelligence Unit', 'fiu'], ['Supreme Court', 'court'], ['Ministry of the Interior', 'interior']],
    roles: { head: ['Head of delegation', 'Head of Delegation', 'HoD'], alternate: ['Alternate head', 'Deputy head of delegation'], member: ['Member', 'Delegate', '', 'member'], adviser: ['Adviser', 'Expert', 'advisor'] },
    meetings: [['both', ['uncac-em', 'untoc-wg']], ['UNCAC', ['uncac-em']], ['UNTOC WG', ['untoc-wg']], ['UNCAC; UNTOC', ['uncac-em', 'untoc-wg']], ['both', ['uncac-em', 'untoc-wg']]],
    header: ['State', 'Honorific', 'Given name', 'Family name', 'Title', 'Ministry/Institution', 'Role', 'E-mail', 'Telephone', 'Meetings'],
  },
  fr: {
    given: [['Gérard', 'm'], ['Hélène', 'f'], ['François', 'm'], ['Amélie', 'f'], ['Aïssatou', 'f'], ['Mamadou', 'm'], ['Aminata', 'f'], ['Ibrahima', 'm'], ['Chloé', 'f'], ['Noël', 'm'], ['Joël', 'm'], ['Éloïse', 'f'], ['Jérôme', 'm'], ['Béatrice', 'f'], ['Cécile', 'f'], ['Thérèse', 'f'], ['Raphaël', 'm'], ['Anaïs', 'f'], ['Frédéric', 'm'], ['Geneviève', 'f'], ['Moussa', 'm'], ['Fatoumata', 'f'], ['Léon', 'm'], ['Zoé', 'f']],
    family: ['MÜLLER', 'LEFÈVRE', 'CŒUR', 'DIALLO', 'TRAORÉ', 'KONÉ', 'N’DIAYE', 'BÉRANGER', 'DUPRÉ', 'GAUTHIER', 'FAYE', 'COULIBALY', 'OUÉDRAOGO', 'MBAYE', 'RENAUD', 'DESCHÊNES', 'LAFLEUR', 'BOUCHER', 'SALL', 'KABORÉ', 'D’ALMEIDA', 'MÉNARD', 'Lefèbvre', 'BŒUF'],
    honorific: { m: ['M.', 'M.', 'Dr'], f: ['Mme', 'Mme', 'Dr'], headM: ['S.E. M.', 'M.'], headF: ['S.E. Mme', 'Mme'] },
    titles: ['Conseiller juridique', 'Procureur de la République', 'Juge d’instruction', 'Premier secrétaire', 'Magistrat, Direction des affaires criminelles et des grâces', 'Chargé d’études', 'Chef du bureau de l’entraide pénale internationale', 'Commissaire divisionnaire', 'Sous-directeur de la négociation pénale européenne et internationale', 'Greffier en chef'],
    headTitles: ['Ambassadeur, Représentant permanent', 'Directeur des affaires criminelles et des grâces', 'Procureur général près la Cour d’appel'],
    breakTitles: ['Chef de bureau\nEntraide pénale internationale'],
    orgs: [['Ministère de la Justice', 'justice'], ['Ministère des Affaires étrangères', 'diplomatie'], ['Mission permanente auprès de l’Office des Nations Unies à Vienne', 'mission'], ['Parquet général', 'parquet'], ['Cour suprême', 'coursupreme'], ['Direction générale de la Police nationale', 'police'], ['Cellule nationale de traitement des informations financières', 'centif'], ['Autorité nationale de lutte contre la corruption', 'anlc']],
    roles: { head: ['Chef de délégation', 'Chef de la délégation', 'Cheffe de délégation'], alternate: ['Suppléant', 'Chef adjoint'], member: ['Membre', 'Délégué', ''], adviser: ['Conseiller', 'Expert(e)'] },
    meetings: [['les deux', ['uncac-em', 'untoc-wg']], ['CNUCC', ['uncac-em']], ['Groupe de travail', ['untoc-wg']], ['CNUCC; CTO', ['uncac-em', 'untoc-wg']]],
    header: ['Pays', 'Civilité', 'Prénom', 'Nom', 'Fonction', 'Ministère', 'Rôle', 'Courriel', 'Téléphone', 'Réunion'],
  },
  es: {
    given: [['José', 'm'], ['María', 'f'], ['Ángel', 'm'], ['Inés', 'f'], ['Jesús', 'm'], ['Begoña', 'f'], ['Íñigo', 'm'], ['Lucía', 'f'], ['Martín', 'm'], ['Sofía', 'f'], ['Ramón', 'm'], ['Nuria', 'f'], ['Raúl', 'm'], ['Verónica', 'f'], ['Andrés', 'm'], ['Pilar', 'f'], ['Joaquín', 'm'], ['Mónica', 'f'], ['Óscar', 'm'], ['Rocío', 'f'], ['Juan Carlos', 'm'], ['María José', 'f']],
    family: ['GARCÍA LÓPEZ', 'FERNÁNDEZ', 'MUÑOZ', 'NÚÑEZ', 'PEÑA', 'IBÁÑEZ', 'RODRÍGUEZ SÁNCHEZ', 'GÓMEZ', 'DÍAZ', 'PÉREZ', 'MARTÍNEZ', 'CASTAÑEDA', 'ORDÓÑEZ', 'ECHEVERRÍA', 'QUIÑONES', 'VALDÉS', 'HERNÁNDEZ', 'BRICEÑO', 'AGÜERO', 'SÁENZ', 'de la Peña', 'Montaño Ruíz'],
    honorific: { m: ['Sr.', 'Sr.', 'Dr.', 'Lic.'], f: ['Sra.', 'Sra.', 'Dra.', 'Licda.'], headM: ['Excmo. Sr.', 'Sr.'], headF: ['Excma. Sra.', 'Sra.'] },
    titles: ['Fiscal', 'Asesor jurídico', 'Primer Secretario', 'Juez, Tribunal Supremo', 'Jefe de la Unidad de Cooperación Internacional', 'Consejero', 'Subdirector de Extradiciones', 'Comisario Principal', 'Agregado', 'Directora de Asuntos Internacionales'],
    headTitles: ['Embajador, Representante Permanente', 'Director General de Asuntos Jurídicos', 'Fiscal General Adjunto'],
    breakTitles: ['Jefe de Unidad\nCooperación Jurídica Internacional'],
    orgs: [['Ministerio de Justicia', 'justicia'], ['Ministerio de Relaciones Exteriores', 'cancilleria'], ['Fiscalía General de la Nación', 'fiscalia'], ['Misión Permanente ante las Naciones Unidas (Viena)', 'mision'], ['Corte Suprema de Justicia', 'corte'], ['Policía Nacional', 'policia'], ['Unidad de Información Financiera', 'uif'], ['Oficina Anticorrupción', 'anticorrupcion']],
    roles: { head: ['Jefe de delegación', 'Jefa de delegación', 'Jefe de la delegación'], alternate: ['Suplente', 'Jefe adjunto'], member: ['Miembro', 'Delegado', ''], adviser: ['Asesor', 'Asesora', 'Experto'] },
    meetings: [['ambas', ['uncac-em', 'untoc-wg']], ['UNCAC', ['uncac-em']], ['Grupo de trabajo', ['untoc-wg']], ['UNCAC; UNTOC', ['uncac-em', 'untoc-wg']]],
    header: ['País', 'Tratamiento', 'Nombre', 'Apellidos', 'Cargo', 'Institución', 'Función en la delegación', 'Correo electrónico', 'Teléfono', 'Reuniones'],
  },
  ru: {
    given: [['Алексей', 'm'], ['Мария', 'f'], ['Сергей', 'm'], ['Ольга', 'f'], ['Дмитрий', 'm'], ['Наталья', 'f'], ['Андрей', 'm'], ['Елена', 'f'], ['Иван', 'm'], ['Татьяна', 'f'], ['Пётр', 'm'], ['Юлия', 'f'], ['Михаил', 'm'], ['Анна', 'f'], ['Николай', 'm'], ['Светлана', 'f'], ['Артём', 'm'], ['Ксения', 'f'], ['Фёдор', 'm'], ['Людмила', 'f']],
    // Family names by gender: [masculine, feminine].
    family: [['ИВАНОВ', 'ИВАНОВА'], ['ПЕТРОВ', 'ПЕТРОВА'], ['СМИРНОВ', 'СМИРНОВА'], ['КУЗНЕЦОВ', 'КУЗНЕЦОВА'], ['ПОПОВ', 'ПОПОВА'], ['СОКОЛОВ', 'СОКОЛОВА'], ['ЛЕБЕДЕВ', 'ЛЕБЕДЕВА'], ['КОЗЛОВ', 'КОЗЛОВА'], ['НОВИКОВ', 'НОВИКОВА'], ['МОРОЗОВ', 'МОРОЗОВА'], ['ВОЛКОВ', 'ВОЛКОВА'], ['СОЛОВЬЁВ', 'СОЛОВЬЁВА'], ['Ахметов', 'Ахметова'], ['НУРМАГАМБЕТОВ', 'НУРМАГАМБЕТОВА']],
    honorific: { m: ['г-н', 'г-н', 'д-р'], f: ['г-жа', 'г-жа', 'д-р'], headM: ['Е.П. г-н', 'г-н'], headF: ['Е.П. г-жа', 'г-жа'] },
    titles: ['Заместитель директора', 'Советник', 'Прокурор', 'Первый секретарь', 'Старший помощник Генерального прокурора', 'Начальник отдела международного сотрудничества', 'Судья Верховного суда', 'Консультант Правового департамента', 'Следователь по особо важным делам'],
    headTitles: ['Посол, Постоянный представитель', 'Директор Правового департамента', 'Заместитель Генерального прокурора'],
    breakTitles: ['Начальник отдела\nМеждународно-правовое управление'],
    orgs: [['Министерство юстиции', 'minjust'], ['Министерство иностранных дел', 'mid'], ['Генеральная прокуратура', 'genproc'], ['Постоянное представительство при отделении ООН в Вене', 'mission'], ['Министерство внутренних дел', 'mvd'], ['Верховный суд', 'vsrf'], ['Следственный комитет', 'sk'], ['Служба финансового мониторинга', 'fm']],
    roles: { head: ['Глава делегации', 'Руководитель делегации'], alternate: ['Заместитель главы делегации'], member: ['Член делегации', 'Делегат', ''], adviser: ['Советник', 'Эксперт'] },
    meetings: [['оба', ['uncac-em', 'untoc-wg']], ['КПК', ['uncac-em']], ['рабочая группа', ['untoc-wg']], ['КПК; КТОП', ['uncac-em', 'untoc-wg']]],
    header: ['Государство', 'Обращение', 'Фамилия', 'Имя', 'Должность', 'Ведомство', 'Роль', 'Эл. почта', 'Телефон', 'Совещание'],
  },
};

// How nv writes an English honorific (src/delegations/honorific.ts); other forms are kept as written.
const ENGLISH_HONORIFIC = { Mr: 'Mr.', ms: 'Ms.', Dr: 'Dr.', 'HE Mr': 'H.E. Mr.', 'HE Ms': 'H.E. Ms.' };

// prettier-ignore
const CYRILLIC = { а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya' };
const SPECIAL = { ø: 'o', ł: 'l', œ: 'oe', ß: 'ss', đ: 'd', ð: 'd', þ: 'th', æ: 'ae', ı: 'i' };

/** The ASCII form of a name for an e-mail address: "Grünberger-Łukasiewicz" → "grunberger-lukasiewicz". */
function ascii(s) {
  return [...s.toLowerCase()]
    .map((c) => CYRILLIC[c] ?? SPECIAL[c] ?? c)
    .join('')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/['’]/g, '')
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9.-]/g, '');
}

/** The key nv's duplicate-participant rule compares (case, accents and spaces folded), near enough. */
const fold = (s) => ascii(s).replace(/-/g, '');

/** Delegation sizes: lognormal, at least one person each, summing exactly to `count`. */
function sizes(n, count, random) {
  const w = Array.from({ length: n }, () => {
    const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.exp(0.9 * g);
  });
  const sum = w.reduce((a, b) => a + b, 0);
  const s = w.map((x) => Math.max(1, Math.floor(((count - n) * x) / sum) + 1));
  let diff = count - s.reduce((a, b) => a + b, 0);
  for (let i = 0; diff !== 0; i = (i + 1) % n) {
    if (diff > 0) {
      s[i]++;
      diff--;
    } else if (s[i] > 1) {
      s[i]--;
      diff++;
    }
  }
  return s;
}

const pick = (random, xs) => xs[Math.floor(random() * xs.length)];

function csvCell(v, delimiter) {
  return /["\r\n]/.test(v) || v.includes(delimiter) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Writes one file per State into `out` (emptied first). Returns what the files hold, to check
 * the exports against: { files: [{ file, code, name, encoding, delimiter, participants }],
 * states: { code → participants in the submitted order, as nv should store them }, count,
 * missingEmail, duplicates, bytes }.
 */
export function generateLists({ count, seed, out, recipientsCsv }) {
  const random = rng(seed * 100003 + count);
  const recipients = readFileSync(recipientsCsv, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => {
      // state,name,category,…: the names of this file hold no comma except inside quotes.
      const m = /^([A-Z]{3}),("(?:[^"]|"")*"|[^,]*),([a-z]+),/.exec(l);
      if (!m) throw new Error(`recipients.csv: cannot read ${l}`);
      return { code: m[1], name: m[2].replace(/^"|"$/g, '').replace(/""/g, '"'), category: m[3] };
    })
    .filter((r) => r.category !== 'organization');
  if (count < recipients.length) throw new Error(`--count must be at least ${recipients.length}`);
  const perState = sizes(recipients.length, count, random);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  const files = [];
  const states = {};
  let duplicates = 0;
  let bytes = 0;
  let serial = 0;
  let otherIndex = 0;
  for (const [k, st] of recipients.entries()) {
    const lang = FRENCH.has(st.code)
      ? 'fr'
      : SPANISH.has(st.code)
        ? 'es'
        : RUSSIAN.has(st.code)
          ? 'ru'
          : 'en';
    const pool = POOLS[lang];
    const n = perState[k];
    const cc =
      CALLING[st.code] ??
      200 + ((st.code.charCodeAt(0) * 31 + st.code.charCodeAt(1) * 7 + st.code.charCodeAt(2)) % 700);
    const domainOf = (slug) => `${slug}.${st.code.toLowerCase()}.example`;
    // The head: first in most files, somewhere further down in one in five.
    const headAt = n > 2 && random() < 0.2 ? 1 + Math.floor(random() * (n - 1)) : 0;
    const alternates = n >= 4 ? 1 + (random() < 0.3 ? 1 : 0) : 0;
    const seenNames = new Set();
    const seenMail = new Set();
    const people = [];
    for (let i = 0; i < n; i++) {
      serial++;
      const role =
        i === headAt
          ? 'head'
          : people.filter((p) => p.role === 'alternate').length < alternates && i > 0 && i <= alternates + 1
            ? 'alternate'
            : random() < 0.25
              ? 'adviser'
              : 'member';
      let given, gender, family;
      for (let tries = 0; ; tries++) {
        [given, gender] = pick(random, pool.given);
        const f = pick(random, pool.family);
        family = Array.isArray(f) ? f[gender === 'm' ? 0 : 1] : f;
        if (!seenNames.has(fold(`${given} ${family}`)) || tries > 50) break;
      }
      // Beyond what the pools can name uniquely, a second family name (Spanish style) tells people apart.
      if (seenNames.has(fold(`${given} ${family}`)))
        family = `${family} ${Array.isArray(pool.family[0]) ? pick(random, pool.family)[gender === 'm' ? 0 : 1] : pick(random, pool.family)}`;
      for (let extra = 2; seenNames.has(fold(`${given} ${family}`)); extra++)
        family = `${family.replace(/ \d+$/, '')} ${extra}`;
      seenNames.add(fold(`${given} ${family}`));
      const written =
        role === 'head'
          ? pick(random, gender === 'm' ? pool.honorific.headM : pool.honorific.headF)
          : pick(random, pool.honorific[gender]);
      const title =
        role === 'head'
          ? pick(random, pool.headTitles)
          : random() < 0.02
            ? pick(random, pool.breakTitles)
            : pick(random, pool.titles);
      const [org, slug] = pick(random, pool.orgs);
      let local = `${ascii(given)}.${ascii(family)}`.replace(/\.+/g, '.');
      for (let extra = 2; seenMail.has(`${local}@${domainOf(slug)}`); extra++)
        local = `${ascii(given)}.${ascii(family)}${extra}`;
      const email = serial % 400 === 0 ? '' : `${local}@${domainOf(slug)}`;
      if (email) seenMail.add(email);
      const digits = () => String(Math.floor(random() * 10));
      const area = String(1 + Math.floor(random() * 99));
      const num = Array.from({ length: 5 }, digits).join('');
      const ext = Array.from({ length: 4 }, digits).join('');
      const phone = pick(random, [
        `+${cc} ${area} ${num} ${ext}`,
        `+${cc} ${area} ${num} ${ext}`,
        `+${cc}-${area}-${num}-${ext}`,
        `(+${cc}) ${area} ${num}${ext}`,
      ]);
      const [meetingCell, meetings] = pick(random, pool.meetings);
      people.push({
        row: [
          st.name,
          written,
          given,
          family,
          title,
          org,
          pick(random, pool.roles[role]),
          email,
          phone,
          meetingCell,
        ],
        expect: {
          honorific: ENGLISH_HONORIFIC[written] ?? written,
          givenName: given,
          familyName: family,
          title,
          organization: org,
          role,
          email,
          phone,
          meetings,
        },
      });
    }
    // One delegation in twenty sends a person twice (same name, same e-mail): the copy goes at the
    // end, in the place of the last person who is not the head, so that the total stays exact.
    if (k % 20 === 7 && people.length >= 3) {
      let victim = people.length - 1;
      while (people[victim].expect.role === 'head') victim--;
      const others = people.filter((_, i) => i !== victim);
      const again = others[others.length - 1 - Math.floor(random() * Math.min(3, others.length))];
      const copy = { row: [...again.row], expect: { ...again.expect } };
      if (copy.expect.role === 'head') {
        copy.expect.role = 'member';
        copy.row[6] = pool.roles.member[0];
      }
      people.splice(victim, 1);
      people.push(copy);
      duplicates++;
    }
    states[st.code] = people.map((p) => p.expect);

    // The file, as Excel on that office's Windows writes it.
    let encoding, delimiter, header, rows;
    if (lang === 'ru') {
      // Russian order: family name before given name.
      [encoding, delimiter] = ['windows-1251', ';'];
      header = pool.header;
      rows = people.map(({ row: r }) => [r[0], r[1], r[3], r[2], ...r.slice(4)]);
    } else {
      rows = people.map((p) => p.row);
      header = pool.header;
      if (lang === 'fr' || lang === 'es') [encoding, delimiter] = ['windows-1252', ';'];
      else if (otherIndex++ % 8 === 3) [encoding, delimiter] = ['utf-16le', '\t'];
      else [encoding, delimiter] = ['utf-8', ','];
    }
    const text =
      [header, ...rows].map((r) => r.map((v) => csvCell(v, delimiter)).join(delimiter)).join('\r\n') + '\r\n';
    let data;
    if (encoding === 'utf-8')
      data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    else if (encoding === 'utf-16le')
      data = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    else {
      data = iconv.encode(text, encoding);
      // A character the code page lacks would come out as "?": write such a file as UTF-8 instead.
      if (iconv.decode(data, encoding) !== text) {
        encoding = 'utf-8';
        data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
      }
    }
    const file = `${String(k + 1).padStart(3, '0')}-${st.code.toLowerCase()}.${encoding === 'utf-16le' ? 'txt' : 'csv'}`;
    writeFileSync(join(out, file), data);
    bytes += data.length;
    files.push({
      file,
      code: st.code,
      name: st.name,
      category: st.category,
      encoding,
      delimiter,
      participants: people.length,
    });
  }
  const missingEmail = Object.values(states)
    .flat()
    .filter((p) => p.email === '').length;
  return { files, states, count, missingEmail, duplicates, bytes };
}

if (import.meta.filename === resolve(process.argv[1] ?? '')) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
  const count = Number(opt('--count', 10000));
  const r = generateLists({
    count,
    seed: Number(opt('--seed', 2012)),
    out: resolve(opt('--out', join(ROOT, 'bench', 'out', `export-lists-${count}`))),
    recipientsCsv: join(ROOT, 'fixtures', 'uncac-2012', 'recipients.csv'),
  });
  const by = {};
  for (const f of r.files) by[f.encoding] = (by[f.encoding] ?? 0) + 1;
  const sz = r.files.map((f) => f.participants).sort((a, b) => a - b);
  console.log(
    `${r.files.length} files, ${r.count} participants (${sz[0]}–${sz.at(-1)} a State, median ${sz[Math.floor(sz.length / 2)]}), ${(r.bytes / 1e6).toFixed(2)} MB; ${JSON.stringify(by)}; ${r.missingEmail} without e-mail, ${r.duplicates} duplicates`,
  );
}
