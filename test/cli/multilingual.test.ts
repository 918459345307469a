/**
 * The example `uncac-2012-multilingual` (twelve recipients written to in the six UN languages)
 * and nv.yaml's values per language, through the built CLI. PDF rendering of Arabic and Chinese
 * is not asked for here: the plan, `--format docx` and `--json` show what each note is made of.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nv, ROOT, tempDir } from '../helpers/cli.js';

const EXAMPLE = join(ROOT, 'fixtures', 'uncac-2012-multilingual');

function multilingual(): string {
  const dir = tempDir();
  const r = nv(['init', 'ml', '--example', 'uncac-2012-multilingual', '--yes'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return join(dir, 'ml');
}

/** The paragraphs' text of a DOCX. */
function docxText(file: string): string {
  const xml = execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' });
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

interface PlanJson {
  notes: number;
  toAllocate: number;
  languages: { language: string; template: string; notes: number; recipients: string[] }[];
}

const LANGUAGE_OF: Record<string, string> = {
  AUT: 'en',
  GBR: 'en',
  FRA: 'fr',
  BEL: 'fr',
  SEN: 'fr',
  ESP: 'es',
  MEX: 'es',
  RUS: 'ru',
  BLR: 'ru',
  EGY: 'ar',
  SAU: 'ar',
  CHN: 'zh',
};

describe('nv init --example uncac-2012-multilingual', () => {
  let ws: string;
  beforeAll(() => {
    ws = multilingual();
  });

  it('creates the workspace with its own invitations in five languages and its delegation lists', () => {
    for (const l of ['fr', 'es', 'ru', 'ar', 'zh'])
      expect(existsSync(join(ws, 'templates', `invitation.${l}.md`))).toBe(true);
    expect(readdirSync(join(ws, 'lists')).sort()).toEqual([
      'china.txt',
      'egypt.csv',
      'france.csv',
      'mexico.csv',
      'russian-federation.csv',
    ]);
    expect(readFileSync(join(ws, 'nv.yaml'))).toEqual(readFileSync(join(EXAMPLE, 'nv.yaml')));
  });

  it('generate --dry-run --json shows each recipient with its language and template; nothing is allocated', () => {
    const r = nv(['generate', '--dry-run', '--format', 'docx', '--json'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    expect(plan.notes).toBe(12);
    const seen: Record<string, string> = {};
    for (const l of plan.languages) {
      expect(l.template).toBe(
        l.language === 'en'
          ? 'templates/invitation.en.md (built-in)'
          : `templates/invitation.${l.language}.md`,
      );
      expect(l.notes).toBe(l.recipients.length);
      for (const s of l.recipients) seen[s] = l.language;
    }
    expect(seen).toEqual(LANGUAGE_OF);
    expect(plan.toAllocate).toBe(1);
    expect(existsSync(join(ws, 'out'))).toBe(false);
  });

  it('generate --dry-run says the same to the officer: each language, its template, its recipients', () => {
    const r = nv(['generate', '--dry-run', '--format', 'docx'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('fr: 3 note(s) from templates/invitation.fr.md: BEL, FRA, SEN');
    expect(r.stderr).toContain('ar: 2 note(s) from templates/invitation.ar.md: EGY, SAU');
    expect(r.stderr).toContain('zh: 1 note(s) from templates/invitation.zh.md: CHN');
    expect(r.stderr).toContain('en: 2 note(s) from templates/invitation.en.md (built-in): AUT, GBR');
  });

  it('templates check finds no problem', () => {
    const r = nv(['templates', 'check'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
  });

  it('the DOCX notes print the title, place and address of their language, and the English ones the English', () => {
    const r = nv(['generate', '--format', 'docx', '--yes'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    const dir = join(ws, 'out', 'notes', 'CU-2012-150-A');
    const note = (code: string) =>
      docxText(
        join(
          dir,
          readdirSync(dir).find((f) => f.startsWith(`${code}-`))!,
        ),
      ).replace(/[\u00a0\u202f]/g, ' '); // the wording, not the no-break spaces (test/text/spaces.test.ts)
    const fra = note('FRA');
    expect(fra).toContain('présente ses compliments au Représentant permanent de la France');
    expect(fra).toContain(
      'à la première réunion intergouvernementale d’experts à composition non limitée sur la coopération internationale, qui se tiendra à Vienne (Autriche)',
    );
    expect(fra).toContain('B.P. 500, 1400 Vienne (Autriche)');
    expect(fra).not.toContain('Vienna, Austria');
    const rus = note('RUS');
    expect(rus).toContain(
      'в работе первого совещания межправительственных экспертов открытого состава по международному сотрудничеству (Вена, Австрия,',
    );
    const chn = note('CHN');
    expect(chn).toContain('在奥地利维也纳举行的第一次国际合作问题不限成员名额政府间专家会议');
    const egy = note('EGY');
    expect(egy).toContain(
      'في اجتماع الخبراء الحكومي الدولي المفتوح العضوية الأول بشأن التعاون الدولي، وذلك في فيينا، النمسا',
    );
    const aut = note('AUT');
    expect(aut).toContain(
      'first open-ended intergovernmental expert meeting on international cooperation, which will be held in Vienna, Austria',
    );
    expect(aut).toContain('P.O. Box 500, 1400 Vienna, Austria');
    // The letterhead and the footer line in the note's language (sender.letterhead / footer per language).
    expect(fra).toContain('Office des Nations Unies contre la drogue et le crime');
    expect(fra).toContain('Rendre le monde plus sûr face à la drogue, au crime et au terrorisme');
    expect(fra).not.toContain('United Nations Office on Drugs and Crime');
    expect(egy).toContain('مكتب الأمم المتحدة المعني بالمخدرات والجريمة');
    expect(chn).toContain('联合国毒品和犯罪问题办公室');
    expect(aut).toContain('United Nations Office on Drugs and Crime');
  });

  it('a letterhead given per language without the language of some notes stops generate before any number', () => {
    const yaml = join(ws, 'nv.yaml');
    const before = readFileSync(yaml, 'utf8');
    try {
      writeFileSync(yaml, before.replace(/^ {4}zh: \[联合国毒品和犯罪问题办公室\]\n/m, ''));
      const refs = nv(['ref', 'list', '--json'], { cwd: ws }).stdout;
      const r = nv(['generate', '--template', 'invitation', '--only', 'CHN', '--yes'], { cwd: ws });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('sender.letterhead');
      expect(r.stderr).toContain('not in zh');
      expect(nv(['ref', 'list', '--json'], { cwd: ws }).stdout).toBe(refs);
    } finally {
      writeFileSync(yaml, before);
    }
  });

  it('the reminders after it come from the built-in reminder in each recipient’s language', () => {
    const r = nv(
      ['generate', '--template', 'reminder', '--date', '2012-09-10', '--format', 'docx', '--yes'],
      { cwd: ws },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = join(ws, 'out', 'notes');
    const note = (code: string) => {
      const dir = readdirSync(out).find(
        (d) => d !== 'CU-2012-150-A' && readdirSync(join(out, d)).some((f) => f.startsWith(`${code}-`)),
      )!;
      return docxText(
        join(
          out,
          dir,
          readdirSync(join(out, dir)).find((f) => f.startsWith(`${code}-`))!,
        ),
      ).replace(/[\u00a0\u202f]/g, ' '); // the wording, not the no-break spaces
    };
    const says: Record<string, string> = {
      AUT: 'The Secretariat has not yet received information on the composition of the Government',
      FRA: "Le Secrétariat n'a pas encore reçu de renseignements sur la composition de la délégation du Gouvernement",
      ESP: 'La Secretaría aún no ha recibido información sobre la composición de la delegación del Gobierno',
      RUS: 'Секретариат еще не получил информацию о составе делегации Правительства',
      EGY: 'ولم تتلقَّ الأمانة بعدُ معلومات عن تشكيلة وفد الحكومة',
      CHN: '秘书处尚未收到关于该国政府代表团组成的信息',
    };
    for (const [code, text] of Object.entries(says)) expect(note(code)).toContain(text);
    expect(note('FRA')).toContain('sa note CU 2012/150(A)/DTA/CEB/CSS du 15 août 2012');
  });

  it('imports the delegation lists of France, Mexico, the Russian Federation, Egypt and China, names in each script', () => {
    for (const [file, state] of [
      ['france.csv', 'FRA'],
      ['mexico.csv', 'MEX'],
      ['russian-federation.csv', 'RUS'],
      ['egypt.csv', 'EGY'],
      ['china.txt', 'CHN'],
    ] as const) {
      const r = nv(['delegation', 'import', `lists/${file}`, '--state', state], { cwd: ws });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`3 participant(s) of ${state}`);
      expect(r.stderr).not.toMatch(/warning|guessed/);
    }
    const r = nv(['export', 'participants', '--format', 'json', '--status', 'all', '--out', '-'], {
      cwd: ws,
    });
    expect(r.code, r.stderr).toBe(0);
    const names = JSON.stringify(JSON.parse(r.stdout));
    for (const n of [
      'Élodie',
      'BÉRANGER',
      'Núñez Peña',
      'Íñigo',
      'Щербакова',
      'Пётр Ильич',
      'Ёлкин',
      'محمود',
      'عبد الرحمن',
      '欧阳',
      '晓梅',
    ])
      expect(names).toContain(n);
  });

  it('the list of participants in each language carries the meeting title and place nv.yaml gives in that language', () => {
    const expected: Record<string, string> = {
      fr: 'Vienne (Autriche)',
      es: 'Viena (Austria)',
      ru: 'Вена, Австрия',
      ar: 'فيينا، النمسا',
      zh: '奥地利维也纳',
    };
    for (const [language, place] of Object.entries(expected)) {
      const r = nv(
        [
          'export',
          'participants',
          '--format',
          'json',
          '--status',
          'all',
          '--language',
          language,
          '--out',
          '-',
        ],
        { cwd: ws },
      );
      expect(r.code, r.stderr).toBe(0);
      const list = JSON.parse(r.stdout) as { meeting: { title: string; place: string } };
      expect(list.meeting.place).toBe(place);
      expect(list.meeting.title).not.toContain('expert meeting');
    }
    const yaml = join(ws, 'nv.yaml');
    const before = readFileSync(yaml, 'utf8');
    try {
      writeFileSync(yaml, before.replace(/^ {4}ru: Вена, Австрия\n/m, ''));
      const r = nv(['export', 'participants', '--format', 'pdf', '--status', 'all', '--language', 'ru'], {
        cwd: ws,
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('meeting.place');
      expect(r.stderr).toContain('not in ru');
    } finally {
      writeFileSync(yaml, before);
    }
  });
});

describe('values per language in nv.yaml', () => {
  it('a title given per language without the language of some notes stops generate before any number, naming the key and the language', () => {
    const ws = multilingual();
    const yaml = join(ws, 'nv.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^ {4}ar: اجتماع.*\n/m, ''));
    for (const args of [['--dry-run'], ['--yes']]) {
      const r = nv(['generate', '--format', 'docx', ...args], { cwd: ws });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        'nv.yaml gives meeting.title in en, fr, es, ru, zh but not in ar, which the invitation notes in ar print; add ar: "…" under meeting.title in nv.yaml',
      );
      expect(r.stderr.trim().split('\n')).toHaveLength(1); // once, not once per Arabic recipient
    }
    expect(existsSync(join(ws, 'out'))).toBe(false);
    const check = nv(['templates', 'check'], { cwd: ws });
    expect(check.code).toBe(2);
    expect(check.stderr).toContain(
      'templates/invitation.ar.md: nv.yaml gives meeting.title in en, fr, es, ru, zh but not in ar',
    );
  });

  it('a title per language without the workspace language, or with a language that is not a UN one, is refused at its line', () => {
    const ws = multilingual();
    const yaml = join(ws, 'nv.yaml');
    const text = readFileSync(yaml, 'utf8')
      .replace(/^ {4}en: first open-ended.*\n/m, '')
      .replace('    zh: 奥地利维也纳', '    de: Wien, Österreich');
    const line = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    writeFileSync(yaml, text);
    const r = nv(['generate', '--dry-run'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `nv.yaml:${line('  title:')}: meeting.title is given in fr, es, ru, ar, zh but not in en, the workspace's language (notes.language); add en: "…".`,
    );
    expect(r.stderr).toContain(
      `nv.yaml:${line('    de: Wien')}: meeting.place.de is not one of the six UN languages; write ar, zh, en, fr, ru, es.`,
    );
  });
});

describe('nv init --language', () => {
  it('makes a French workspace: notes.language fr, recipients written to in French, the French starter invitation', () => {
    const dir = tempDir();
    const r = nv(
      [
        'init',
        'fr',
        '--yes',
        '--language',
        'fr',
        '--title',
        'première réunion',
        '--place',
        'Vienne (Autriche)',
        '--start',
        '2026-03-02',
        '--end',
        '2026-03-04',
        '--deadline',
        '2026-02-01',
        '--date',
        '2025-12-01',
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const ws = join(dir, 'fr');
    // What nv could not write in French, it says.
    expect(r.stderr).toContain("To translate: recipients.csv's addressees are in English");
    expect(readFileSync(join(ws, 'nv.yaml'), 'utf8')).toContain('language: fr');
    expect(readdirSync(join(ws, 'templates'))).toEqual(['invitation.fr.md']);
    const lines = readFileSync(join(ws, 'recipients.csv'), 'utf8').trim().split('\n').slice(1);
    expect(lines.every((l) => l.split(',').includes('fr'))).toBe(true);
    const plan = nv(['generate', '--dry-run', '--format', 'docx', '--json'], { cwd: ws });
    expect(plan.code, plan.stderr).toBe(0);
    expect((JSON.parse(plan.stdout) as PlanJson).languages.map((l) => [l.language, l.template])).toEqual([
      ['fr', 'templates/invitation.fr.md'],
    ]);
  });

  it('refuses a language that is not a UN one', () => {
    const r = nv(
      [
        'init',
        'x',
        '--yes',
        '--language',
        'de',
        '--title',
        't',
        '--start',
        '2026-01-01',
        '--end',
        '2026-01-02',
        '--deadline',
        '2025-12-01',
        '--date',
        '2025-11-01',
      ],
      { cwd: tempDir() },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--language de is not a UN language; write ar, zh, en, fr, ru, es.');
  });
});
