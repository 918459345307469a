/**
 * The list of participants in each of the six UN languages (`nv export participants --language`):
 * the built CLI's JSON, DOCX text and (for the Latin and Cyrillic languages) PDF text.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDate } from '../../src/dates.js';
import { fillLabel, labelsFor, LABEL_LANGUAGES } from '../../src/text/labels.js';
import { exampleWorkspace, nv, ROOT } from '../helpers/cli.js';
import { englishLabelWords, docxText, plainSpaces } from '../helpers/words.js';

interface ListJson {
  language: string;
  asAt: string;
  meeting: { title: string; dates: string };
  sections: {
    category: string;
    heading: string;
    delegations: {
      state: string;
      name: string;
      participants: {
        displayName: string;
        title: string;
        organization: string;
        email: string;
        phone: string;
      }[];
    }[];
  }[];
  counts: { heading: string }[];
}

/** The names of Austria and the Russian Federation as each list writes them. */
const NAMES: Record<string, [string, string]> = {
  en: ['Austria', 'Russian Federation'],
  fr: ['Autriche', 'Fédération de Russie'],
  es: ['Austria', 'Federación de Rusia'],
  ru: ['Австрия', 'Российская Федерация'],
  ar: ['النمسا', 'الاتحاد الروسي'],
  zh: ['奥地利', '俄罗斯联邦'],
};

const FIXTURES = join(ROOT, 'fixtures', 'delegations');
let ws: string;

function exportList(lang: string, format: string, out = '-') {
  return nv(
    [
      'export',
      'participants',
      '-w',
      ws,
      '--status',
      'all',
      '--language',
      lang,
      '--format',
      format,
      '--out',
      out,
    ],
    {
      cwd: ws,
    },
  );
}

function listJson(lang: string): ListJson {
  const r = exportList(lang, 'json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ListJson;
}

/** The text of the list with what the Governments and nv.yaml wrote taken out: what is left is nv's own words. */
function ownWords(text: string, list: ListJson): string {
  let t = plainSpaces(text);
  const data = list.sections.flatMap((s) =>
    s.delegations.flatMap((d) =>
      d.participants.flatMap((p) => [p.displayName, p.title, p.organization, p.email, p.phone]),
    ),
  );
  const m = list.meeting.title;
  for (const s of [...data, m, m.charAt(0).toUpperCase() + m.slice(1)]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length))
    t = t.split(plainSpaces(s)).join(' ');
  return t;
}

beforeAll(() => {
  ws = exampleWorkspace().ws;
  writeFileSync(
    join(ws, 'china.csv'),
    'State,Honorific,Given name,Family name,Title,Ministry/Institution,Role,E-mail,Telephone,Meetings\n' +
      '中国,先生,伟,王,司长,外交部条约法律司,Head of delegation,wang.wei@mfa.gov.cn,+86 10 6596 1114,both\n',
  );
  for (const [file, state] of [
    [join(FIXTURES, 'excel-utf8-bom.csv'), 'AUT'],
    [join(FIXTURES, 'cp1252-semicolon-fr.csv'), 'FRA'],
    [join(FIXTURES, 'cp1252-semicolon-es.csv'), 'ESP'],
    [join(FIXTURES, 'cp1251-cyrillic.csv'), 'RUS'],
    [join(FIXTURES, 'arabic-utf8.csv'), 'EGY'],
    [join(ws, 'china.csv'), 'CHN'],
  ] as const) {
    const r = nv(['delegation', 'import', file, '--state', state, '-w', ws], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);

describe('nv export participants --language', () => {
  it.each(LABEL_LANGUAGES)(
    '%s: headings, State names as the UN writes them, the order of the language, dates',
    (lang) => {
      const list = listJson(lang);
      const words = labelsFor(lang).list;
      expect(list.language).toBe(lang);
      expect(list.sections.map((s) => s.heading)).toEqual(
        list.sections.map((s) => words.categories[s.category as keyof typeof words.categories]),
      );
      expect(list.counts.map((c) => c.heading)).toContain(words.categories.party);
      const names = list.sections.flatMap((s) => s.delegations.map((d) => [d.state, d.name]));
      const byState = new Map(names as [string, string][]);
      expect([byState.get('AUT'), byState.get('RUS')]).toEqual(NAMES[lang]);
      const collator = new Intl.Collator(lang, { sensitivity: 'base' });
      for (const s of list.sections) {
        const shown = s.delegations.map((d) => d.name);
        expect(shown).toEqual([...shown].sort(collator.compare));
      }
      // The machine keys stay English; the dates are the language's.
      expect(Object.keys(list.sections[0]!.delegations[0]!)).toContain('participants');
      expect(list.meeting.dates).toBe(
        {
          en: '22 to 23 October 2012',
          fr: '22 au 23 octobre 2012',
          es: '22 al 23 de octubre de 2012',
          ru: '22–23 октября 2012 года',
          ar: '22 إلى 23 تشرين الأول/أكتوبر 2012',
          zh: '2012年10月22日至23日',
        }[lang],
      );
    },
  );

  it('sorts by the language: in French "Égypte" before "Espagne" and "États-Unis" (accents do not sort last)', () => {
    const list = listJson('fr');
    const names = list.sections.flatMap((s) => s.delegations.map((d) => d.name));
    expect(names.indexOf('Égypte')).toBeGreaterThanOrEqual(0);
    expect(names.indexOf('Égypte')).toBeLessThan(names.indexOf('Espagne'));
  });

  it.each(LABEL_LANGUAGES)('%s: the DOCX has every word in the language, no English label left', (lang) => {
    const out = join(ws, `out/list-${lang}.docx`);
    const r = exportList(lang, 'docx', out);
    expect(r.code, r.stderr).toBe(0);
    const text = docxText(unzipSync(readFileSync(out)));
    const list = listJson(lang);
    const words = labelsFor(lang).list;
    const flat = plainSpaces(text);
    for (const label of [
      words.title,
      words.masthead,
      words.distribution,
      words.languageOnly,
      words.category,
      words.delegations,
      words.total,
      words.categories.party,
    ])
      expect(flat, label).toContain(plainSpaces(label));
    expect(flat).toContain(plainSpaces(fillLabel(words.preparedAsAt, { date: formatDate(list.asAt, lang) })));
    for (const name of NAMES[lang]!) expect(flat).toContain(plainSpaces(name));
    const core = strFromU8(unzipSync(readFileSync(out))['docProps/core.xml']!);
    expect(core).toContain(fillLabel(words.metaTitle, { symbol: 'CAC/COSP/EG.1/2012/INF/2' }));
    if (lang !== 'en') expect(englishLabelWords(ownWords(text, list), lang)).toEqual([]);
    else expect(englishLabelWords(ownWords(text, list), 'fr').length).toBeGreaterThan(5); // the check can fail
  });

  it.each(['en', 'fr', 'es', 'ru'] as const)('%s: the PDF reads back in the language (pdftotext)', (lang) => {
    const out = join(ws, `out/list-${lang}.pdf`);
    const r = exportList(lang, 'pdf', out);
    expect(r.code, r.stderr).toBe(0);
    const text = spawnSync('pdftotext', ['-enc', 'UTF-8', out, '-'], { encoding: 'utf8' }).stdout;
    const list = listJson(lang);
    const words = labelsFor(lang).list;
    const flat = plainSpaces(text).replace(/\s+/g, ' ');
    for (const label of [
      words.title,
      words.masthead,
      words.distribution,
      words.languageOnly,
      words.categories.party,
    ])
      expect(flat, label).toContain(plainSpaces(label));
    for (const name of NAMES[lang]!) expect(flat).toContain(name);
    if (lang !== 'en') expect(englishLabelWords(ownWords(text, list), lang)).toEqual([]);
  });

  it('refuses a language other than the six, naming them (exit 2)', () => {
    const r = exportList('de', 'json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--language de');
    expect(r.stderr).toContain('ar, zh, en, fr, ru or es');
    expect(r.stdout).toBe('');
  });

  it("takes nv.yaml's notes.language when --language is not given", () => {
    const yaml = join(ws, 'nv.yaml');
    const before = readFileSync(yaml, 'utf8');
    writeFileSync(yaml, before.replace(/^( {2}language:) en$/m, '$1 es'));
    try {
      const r = nv(
        ['export', 'participants', '-w', ws, '--status', 'all', '--format', 'json', '--out', '-'],
        { cwd: ws },
      );
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as ListJson).language).toBe('es');
    } finally {
      writeFileSync(yaml, before);
    }
  });
});
