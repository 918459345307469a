/**
 * Issue 7 ("Delegation lists"): each point driven through the built CLI, as the clerk meets it.
 * Lists are built here byte for byte, so that what each test shows is visible in the test.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace, nv, tempDir } from '../helpers/cli.js';

const HEADER = 'State,Honorific,Given name,Family name,Title,Ministry,Role,E-mail,Telephone,Meetings';

function write(name: string, content: string | Uint8Array): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

function importFile(ws: string, path: string, ...args: string[]) {
  return nv(['delegation', 'import', '-w', ws, path, ...args], { cwd: ws });
}

function participants(ws: string, state: string): Record<string, unknown>[] {
  const db = new Database(join(ws, '.nv', 'registry.sqlite'), { readonly: true });
  try {
    return db
      .prepare(
        `SELECT p.* FROM participants p JOIN delegation_lists l ON l.id = p.list_id
         WHERE l.state = ? AND l.superseded_by IS NULL ORDER BY p.position`,
      )
      .all(state) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

describe('issue 7: delegation lists through the CLI', () => {
  let ws: string;
  beforeAll(() => {
    ws = exampleWorkspace().ws;
  });

  it('15. a meeting is its key or a declared alias: "uncac-cosp" is an error at its line:column, not uncac-em', () => {
    const csv = write(
      'meetings.csv',
      `${HEADER}\r\nAustria,Mr.,Hans,HUBER,Director,Ministry of Justice,head,hans@bmj.gv.at,,"untoc-wg, uncac-cosp"\r\n`,
    );
    const r = importFile(ws, csv);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/meetings\.csv:2:10: unknown meeting "uncac-cosp"/);
    expect(participants(ws, 'AUT')).toHaveLength(0);
    // Case and accents are folded: "UNTOC wg" and "Untoc-WG" are the alias and the key.
    const ok = write(
      'meetings-ok.csv',
      `${HEADER}\r\nAustria,Mr.,Hans,HUBER,Director,Ministry of Justice,head,hans@bmj.gv.at,,"Untoc-WG; cnucc"\r\n`,
    );
    expect(importFile(ws, ok).code).toBe(0);
    expect(JSON.parse(participants(ws, 'AUT')[0]!.meetings as string)).toEqual(['uncac-em', 'untoc-wg']);
  });
});

describe('17. header synonyms: Arabic honorific and role, German, Portuguese', () => {
  let ws: string;
  beforeAll(() => {
    ws = exampleWorkspace().ws;
  });

  it('اللقب is the honorific and الصفة the role, not the family name and the job title', () => {
    const csv = write(
      'egypt.csv',
      '\uFEFFالدولة,اللقب,الاسم الأول,اسم العائلة,المنصب,الصفة,البريد الإلكتروني,الاجتماعات\r\n' +
        'مصر,السيد,أحمد,حسن,مدير إدارة,رئيس الوفد,ahmed@mfa.gov.eg,كلاهما\r\n',
    );
    const r = importFile(ws, csv, '--state', 'EGY');
    expect(r.code, r.stderr).toBe(0);
    expect(participants(ws, 'EGY')[0]).toMatchObject({
      honorific: 'السيد',
      given_name: 'أحمد',
      family_name: 'حسن',
      title: 'مدير إدارة',
      role: 'head',
    });
  });

  it('reads German headers (Vorname, Nachname, Funktion, Rolle …)', () => {
    const csv = write(
      'germany.csv',
      '\uFEFFStaat;Anrede;Vorname;Nachname;Funktion;Ministerium;Rolle;E-Mail-Adresse;Telefon;Sitzungen\r\n' +
        'Germany;Herr;Jürgen;SCHMIDT;Referatsleiter;Bundesministerium der Justiz;Delegationsleiter;schmidt@bmj.bund.de;+49 30 1;UNCAC, UNTOC\r\n' +
        'Germany;Frau;Anna;WEBER;Referentin;Auswärtiges Amt;Beraterin;weber@diplo.de;;UNTOC\r\n',
    );
    const r = importFile(ws, csv);
    expect(r.code, r.stderr).toBe(0);
    expect(
      participants(ws, 'DEU').map((p) => [
        p.honorific,
        p.given_name,
        p.family_name,
        p.title,
        p.organization,
        p.role,
        p.email,
      ]),
    ).toEqual([
      [
        'Herr',
        'Jürgen',
        'SCHMIDT',
        'Referatsleiter',
        'Bundesministerium der Justiz',
        'head',
        'schmidt@bmj.bund.de',
      ],
      ['Frau', 'Anna', 'WEBER', 'Referentin', 'Auswärtiges Amt', 'adviser', 'weber@diplo.de'],
    ]);
  });

  it('reads Portuguese headers (Nome, Sobrenome, Cargo, Telefone …)', () => {
    const csv = write(
      'brazil.csv',
      '\uFEFFPaís;Tratamento;Nome;Sobrenome;Cargo;Ministério;Papel;Correio eletrônico;Telefone;Reuniões\r\n' +
        'Brasil;Sr.;João;SILVA;Diretor;Ministério da Justiça;Chefe da delegação;joao.silva@mj.gov.br;+55 61 1;UNCAC\r\n',
    );
    const r = importFile(ws, csv, '--state', 'BRA');
    expect(r.code, r.stderr).toBe(0);
    expect(participants(ws, 'BRA')[0]).toMatchObject({
      honorific: 'Sr.',
      given_name: 'João',
      family_name: 'SILVA',
      title: 'Diretor',
      organization: 'Ministério da Justiça',
      role: 'head',
      email: 'joao.silva@mj.gov.br',
      phone: '+55 61 1',
    });
  });
});

/** A workbook written part by part, so that each part can be put where a test needs it. */
function xlsx(
  sheetXml: string,
  opts: { strings?: string[]; styles?: string; dir?: string; sheetPath?: string; date1904?: boolean } = {},
): Uint8Array {
  const dir = opts.dir ?? 'xl';
  const sheetPath = opts.sheetPath ?? 'worksheets/sheet1.xml';
  const sheetPart = `${dir}/${sheetPath}`.replace(/[^/]+\/\.\.\//g, '');
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const enc = (s: string) => new TextEncoder().encode(s);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': enc(
      `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/${dir}/book.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
    ),
    '_rels/.rels': enc(
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="${dir}/book.xml"/></Relationships>`,
    ),
    [`${dir}/book.xml`]: enc(
      `<?xml version="1.0"?><workbook ${ns} xmlns:r="${rel}">${opts.date1904 ? '<workbookPr date1904="1"/>' : ''}<sheets><sheet name="List" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    [`${dir}/_rels/book.xml.rels`]: enc(
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="${sheetPath}"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="strings.xml"/><Relationship Id="rId3" Type="${rel}/styles" Target="styles.xml"/></Relationships>`,
    ),
    [sheetPart]: enc(`<?xml version="1.0"?><worksheet ${ns}>${sheetXml}</worksheet>`),
    [`${dir}/strings.xml`]: enc(
      `<?xml version="1.0"?><sst ${ns}>${(opts.strings ?? []).map((s) => `<si><t>${esc(s)}</t></si>`).join('')}</sst>`,
    ),
    [`${dir}/styles.xml`]: enc(`<?xml version="1.0"?><styleSheet ${ns}>${opts.styles ?? ''}</styleSheet>`),
  };
  return zipSync(files);
}

/** A row of inline-string cells. */
function row(n: number, values: string[], extra = ''): string {
  const cells = values
    .map((v, i) =>
      v === '' ? '' : `<c r="${String.fromCharCode(65 + i)}${n}" t="inlineStr"><is><t>${v}</t></is></c>`,
    )
    .join('');
  return `<row r="${n}">${cells}${extra}</row>`;
}

const LIST_HEADER = ['Family name', 'Given name', 'Title', 'E-mail', 'Role', 'Meetings'];
const LIST_ROW = (n: number) =>
  row(n, [`NAME${n}`, 'Ana', 'Judge', `ana${n}@just.si`, n === 2 ? 'head' : 'member', 'UNCAC']);

describe('hostile and oversized lists: budgets, each list its own unit', () => {
  let ws: string;
  beforeAll(() => {
    ws = exampleWorkspace().ws;
  });

  it('a CSV over the rows budget is refused at its line with the budget named; the other list of the batch is imported (exit 1)', () => {
    const rows = Array.from(
      { length: 30 },
      (_, i) => `Austria,Mr.,A${i},B${i},Director,M,member,a${i}@x.at,,UNCAC`,
    );
    const big = write('big.csv', `${HEADER}\n${rows.join('\n')}\n`);
    const good = write('good.csv', `${HEADER}\nSlovenia,Ms.,Ana,NOVAK,Judge,M,head,ana@just.si,,UNCAC\n`);
    const r = nv(['delegation', 'import', '-w', ws, big, good, '--budget', 'rows=20', '--json'], { cwd: ws });
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as { imported: { state: string }[]; refused: { details: string[] }[] };
    expect(out.imported.map((i) => i.state)).toEqual(['SVN']);
    expect(out.refused[0]!.details[0]).toMatch(
      /big\.csv:21:1: .*over the budget "rows" of 20 rows .*--budget rows=80/,
    );
    // Raised, the same list is read.
    expect(importFile(ws, big, '--budget', 'rows=100').code).toBe(0);
  });

  it('one long line is refused at its line without reading the list', () => {
    const long = write(
      'long.csv',
      `${HEADER}\nAustria,Mr.,A,B,${'x'.repeat(70_000)},M,member,a@x.at,,UNCAC\n`,
    );
    const r = importFile(ws, long);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/long\.csv:2:1: line 2 has 70,0\d\d characters: over the budget "line"/);
  });

  it('a file over the bytes budget is refused before it is read', () => {
    const csv = write('bytes.csv', `${HEADER}\nAustria,Mr.,A,B,Director,M,member,a@x.at,,UNCAC\n`);
    const r = importFile(ws, csv, '--budget', 'bytes=10');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bytes\.csv:1:1: the file has \d+ bytes: over the budget "bytes" of 10 bytes/);
  });

  it.each([
    [
      'a row numbered 2×10^9',
      `<sheetData>${row(1, LIST_HEADER)}${LIST_ROW(2)}${row(2000000000, ['x'])}</sheetData>`,
      /over the budget "max-row"/,
    ],
    [
      'one merge over the whole sheet',
      `<sheetData>${row(1, LIST_HEADER)}${LIST_ROW(2)}</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>`,
      /a merged range reaches row 1,048,576: over the budget "max-row"/,
    ],
    [
      '100,000 merged ranges',
      `<sheetData>${row(1, LIST_HEADER)}${LIST_ROW(2)}</sheetData><mergeCells>${Array.from({ length: 100_000 }, (_, i) => `<mergeCell ref="G${i + 1}:H${i + 1}"/>`).join('')}</mergeCells>`,
      /100,000 merged ranges: over the budget "merges"/,
    ],
  ])('an XLSX with %s is refused with the budget named, fast and in little memory', (_, sheet, message) => {
    const file = write('hostile.xlsx', xlsx(sheet));
    const r = importFile(ws, file, '--state', 'SVN');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('an XLSX that inflates past the budget is refused before it is held in memory', () => {
    const padding = `<!--${' '.repeat(60 * 1024 * 1024)}-->`;
    const file = write(
      'bomb.xlsx',
      xlsx(`<sheetData>${row(1, LIST_HEADER)}${LIST_ROW(2)}</sheetData>${padding}`),
    );
    const r = importFile(ws, file, '--state', 'SVN');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the workbook inflates to more than 48 MB: over the budget "inflated"/);
  });
});

describe('18. XLSX as Excel shows it', () => {
  let ws: string;
  beforeAll(() => {
    ws = exampleWorkspace().ws;
  });

  it('a row whose last cells are empty (no telephone) is read: Excel stores no cell there, and that is no CSV quoting mistake', () => {
    const sheet =
      `<sheetData>${row(1, [...LIST_HEADER, 'Telephone'])}` +
      `${row(2, ['HUBER', 'Hans', 'Judge', 'hans@bmj.gv.at', 'head', 'UNCAC', '+43 1'])}` +
      `${row(3, ['GRUBER', 'Eva', 'Judge', 'eva@bmj.gv.at', 'member', 'UNCAC'])}</sheetData>`;
    const r = importFile(ws, write('short-rows.xlsx', xlsx(sheet)), '--state', 'AUT');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/must be in quotes/);
    expect(participants(ws, 'AUT').map((p) => [p.family_name, p.phone])).toEqual([
      ['HUBER', '+43 1'],
      ['GRUBER', ''],
    ]);
  });

  it('reads a workbook whose parts are not at the usual paths, through its relationships; a date cell as Excel shows it', () => {
    const sheet =
      `<sheetData>${row(1, [...LIST_HEADER, 'Telephone'])}` +
      `<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><t>Jürg</t></is></c><c r="C2" t="inlineStr"><is><t>Judge</t></is></c>` +
      `<c r="D2" t="inlineStr"><is><t>jurg@admin.ch</t></is></c><c r="E2" t="inlineStr"><is><t>head</t></is></c><c r="F2" t="inlineStr"><is><t>UNCAC</t></is></c>` +
      `<c r="G2" s="1"><v>41204</v></c></row></sheetData>`;
    const styles =
      '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>';
    const file = write(
      'elsewhere.xlsx',
      xlsx(sheet, { strings: ['MÜLLER'], styles, dir: 'custom/parts', sheetPath: '../sheets/first.xml' }),
    );
    const r = importFile(ws, file, '--state', 'CHE');
    expect(r.code, r.stderr).toBe(0);
    expect(participants(ws, 'CHE')[0]).toMatchObject({
      family_name: 'MÜLLER',
      given_name: 'Jürg',
      phone: '22/10/2012',
    });
  });

  it('a workbook in the 1904 date system (old Excel for Mac) shows its dates as Excel does', () => {
    const sheet =
      `<sheetData>${row(1, [...LIST_HEADER, 'Telephone'])}` +
      `<row r="2">${['NOVAK', 'Ana', 'Judge', 'ana@just.si', 'head', 'UNCAC']
        .map((v, i) => `<c r="${String.fromCharCode(65 + i)}2" t="inlineStr"><is><t>${v}</t></is></c>`)
        .join('')}<c r="G2" s="1"><v>41204</v></c></row></sheetData>`;
    const styles =
      '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>';
    const r = importFile(
      ws,
      write('mac1904.xlsx', xlsx(sheet, { styles, date1904: true })),
      '--state',
      'SVN',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(participants(ws, 'SVN')[0]).toMatchObject({ family_name: 'NOVAK', phone: '23/10/2016' });
  });

  it('an error cell (#NAME?) is never a header name, nor a participant’s value', () => {
    const sheet =
      `<sheetData><row r="1"><c r="A1" t="e"><f>Nme</f><v>#NAME?</v></c><c r="B1" t="inlineStr"><is><t>Family name</t></is></c>` +
      `<c r="C1" t="inlineStr"><is><t>E-mail</t></is></c><c r="D1" t="inlineStr"><is><t>Title</t></is></c></row>` +
      `${row(2, ['Mr.', 'HUBER', 'h@bmj.gv.at', 'Director'])}</sheetData>`;
    const r = importFile(ws, write('error.xlsx', xlsx(sheet)), '--state', 'AUT');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\.xlsx:1:1: the cell shows the formula error #NAME\?/);
    const csv = write('error.csv', `#NAME?,Family name,E-mail,Title\nMr.,HUBER,h@bmj.gv.at,Director\n`);
    const c = importFile(ws, csv, '--state', 'AUT');
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/error\.csv:1:1: the cell shows the formula error #NAME\?/);
  });
});

describe('13. never import mis-decoded text', () => {
  it('a list saved by Excel for Mac (MacRoman, bare CR) enters the register as Jürg MÜLLER, and nv says it guessed', async () => {
    const { ws } = exampleWorkspace();
    const { default: iconv } = await import('iconv-lite');
    const csv = write(
      'mac.csv',
      iconv.encode(
        `${HEADER}\rSwitzerland,Mr.,Jürg,MÜLLER,Richter,Bundesgericht,head,j@bger.ch,,UNCAC\r`,
        'macintosh',
      ),
    );
    const r = importFile(ws, csv, '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = (
      JSON.parse(r.stdout) as {
        imported: { encoding: string; assumed: boolean; guess: { reason: string } }[];
      }
    ).imported[0]!;
    expect(report).toMatchObject({ encoding: 'macintosh', assumed: true });
    expect(report.guess.reason).toMatch(/macintosh reads as names where windows-1252 \("J/);
    expect(participants(ws, 'CHE')[0]).toMatchObject({ given_name: 'Jürg', family_name: 'MÜLLER' });
    const other = write(
      'mac2.csv',
      iconv.encode(
        `${HEADER}\rSwitzerland,Mme,Zoë,GÖTZE,Juge,Bundesgericht,head,z@bger.ch,,UNCAC\r`,
        'macintosh',
      ),
    );
    expect(importFile(ws, other).stderr).toMatch(
      /guessed the encoding: macintosh reads as names where windows-1252/,
    );
  });

  it('a Turkish list (windows-1254) is not read as windows-1252 ("Þükrü ÖZTÜRK"); an Icelandic one (windows-1252) stays so', async () => {
    const { ws } = exampleWorkspace();
    const { default: iconv } = await import('iconv-lite');
    const tr = write(
      'turkish.csv',
      iconv.encode(
        `${HEADER}\r\nTurkey,Mr.,Şükrü,ÖZTÜRK,Hakim,Adalet Bakanlığı,head,s@adalet.gov.tr,,UNCAC\r\n` +
          `Turkey,Ms.,Ayşe,ÇAĞLAR,Savcı,Adalet Bakanlığı,member,a@adalet.gov.tr,,UNCAC\r\n`,
        'windows-1254',
      ),
    );
    const r = importFile(ws, tr);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/assumed windows-1254/);
    expect(participants(ws, 'TUR').map((p) => `${p.given_name} ${p.family_name}`)).toEqual([
      'Şükrü ÖZTÜRK',
      'Ayşe ÇAĞLAR',
    ]);
    const is = write(
      'iceland.csv',
      iconv.encode(
        `${HEADER}\r\nIceland,Ms.,Guðrún,ÞÓRÐARDÓTTIR,Dómari,Innanríkisráðuneytið,head,g@irr.is,,UNCAC\r\n`,
        'windows-1252',
      ),
    );
    expect(importFile(ws, is).code).toBe(0);
    expect(participants(ws, 'ISL')[0]).toMatchObject({ given_name: 'Guðrún', family_name: 'ÞÓRÐARDÓTTIR' });
  });
});

describe('16. all problems at once', () => {
  it('a refused list names the missing e-mail on line 5 as well as the invalid one on line 7', () => {
    const { ws } = exampleWorkspace();
    const line = (n: number, email: string, role = 'member') =>
      `Austria,Mr.,Given${n},FAMILY${n},Director,Ministry,${role},${email},,UNCAC`;
    const csv = write(
      'all-at-once.csv',
      [
        HEADER,
        line(2, 'a2@x.at', 'head'),
        line(3, 'a3@x.at'),
        line(4, 'a4@x.at'),
        line(5, ''),
        line(6, 'a6@x.at'),
        line(7, 'a7@'),
      ].join('\r\n') + '\r\n',
    );
    const r = importFile(ws, csv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /all-at-once\.csv:5:1: Given5 FAMILY5 \(line 5\) is missing an e-mail address \(rule delegation-contact/,
    );
    expect(r.stderr).toMatch(/all-at-once\.csv:7:8: "a7@" is not a valid e-mail address/);
    expect(r.stderr.indexOf(':5:1:')).toBeLessThan(r.stderr.indexOf(':7:8:'));
    // The count in the sentence is the count listed below it.
    expect(r.stderr).toMatch(/all-at-once\.csv has 2 problems; nothing was imported\./);
  });
});

describe('14. never import a misread layout', () => {
  let ws: string;
  beforeAll(() => {
    ws = exampleWorkspace().ws;
  });

  it('a title row and a two-level merged header (CSV): no participant called "First name", family names and e-mails kept', () => {
    const csv = write(
      'two-level.csv',
      'Delegation of Austria to the expert meeting,,,,,,\r\n' +
        'State,Name,,Contact,,Role,Meetings\r\n' +
        ',First name,Last name,E-mail,Telephone,,\r\n' +
        'Austria,Hans,HUBER,hans@bmj.gv.at,+43 1 52152,head,UNCAC\r\n' +
        'Austria,Eva,GRUBER,eva@bmeia.gv.at,,member,UNCAC\r\n',
    );
    const r = importFile(ws, csv);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/lines 2 and 3 are read as one two-level header/);
    expect(
      participants(ws, 'AUT').map((p) => [p.given_name, p.family_name, p.email, p.phone, p.role]),
    ).toEqual([
      ['Hans', 'HUBER', 'hans@bmj.gv.at', '+43 1 52152', 'head'],
      ['Eva', 'GRUBER', 'eva@bmeia.gv.at', '', 'member'],
    ]);
  });

  it('the same layout as an XLSX with merged cells', () => {
    const sheet =
      `<sheetData>${row(1, ['Delegation of Slovenia'])}${row(2, ['Name', '', 'Contact', '', 'Role', 'Meetings'])}` +
      `${row(3, ['First name', 'Last name', 'E-mail', 'Telephone'])}${row(4, ['Ana', 'NOVAK', 'ana@just.si', '+386 1', 'head', 'UNCAC'])}</sheetData>` +
      '<mergeCells count="3"><mergeCell ref="A2:B2"/><mergeCell ref="C2:D2"/><mergeCell ref="A1:F1"/></mergeCells>';
    const r = importFile(ws, write('two-level.xlsx', xlsx(sheet)), '--state', 'SVN');
    expect(r.code, r.stderr).toBe(0);
    expect(participants(ws, 'SVN').map((p) => [p.given_name, p.family_name, p.email, p.phone])).toEqual([
      ['Ana', 'NOVAK', 'ana@just.si', '+386 1'],
    ]);
  });

  it('a header line among the participants is refused at its line, never a participant', () => {
    const csv = write(
      'header-again.csv',
      `${HEADER}\r\nAustria,Mr.,Hans,HUBER,Director,M,head,hans@bmj.gv.at,,UNCAC\r\n${HEADER}\r\n`,
    );
    const r = importFile(ws, csv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /header-again\.csv:3:1: this line holds column names \("State", "Honorific", "Given name", "Family name"\), not a participant/,
    );
  });
});

describe('faults: each list a reply carried is its own unit', () => {
  function mail(id: string, name: string, csv: string): string {
    return [
      'From: "Maria Huber" <maria.huber@bmeia.gv.at>',
      'To: uncac.cop@unodc.org',
      'Subject: RE: CU 2012/150(A)/DTA/CEB/CSS - Austrian delegation',
      'Date: Fri, 21 Sep 2012 09:15:40 +0200',
      `Message-ID: <${id}@bmeia.gv.at>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Please find attached the list of our delegation.',
      '',
      '--b1',
      `Content-Type: text/csv; name="${name}"`,
      `Content-Disposition: attachment; filename="${name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(csv).toString('base64'),
      '--b1--',
      '',
    ].join('\r\n');
  }

  it('a reply’s list whose rows name another State is refused: it never replaces that State’s own list', () => {
    const { ws } = exampleWorkspace();
    const own = write('own.csv', `${HEADER}\r\nGermany,Mr.,Jan,BERG,Judge,M,head,jan@bmj.de,,UNCAC\r\n`);
    expect(importFile(ws, own).code).toBe(0);
    const eml = write(
      'foreign.eml',
      mail('f1', 'list.csv', `${HEADER}\r\nGermany,Mr.,Hans,MEYER,Director,M,head,h@aa.de,,UNCAC\r\n`),
    );
    expect(nv(['ingest', '-w', ws, eml], { cwd: ws }).code).toBe(0); // from Austria
    const r = nv(['delegation', 'import', '-w', ws, '--replies'], { cwd: ws });
    expect(r.code).toBe(2); // the only list, refused
    expect(r.stderr).toMatch(
      /came with reply 1 from AUT, but a row names another State; nothing was imported/,
    );
    expect(r.stderr).toMatch(/list\.csv:2:1: this row is for DEU, not AUT/);
    expect(participants(ws, 'DEU').map((p) => p.family_name)).toEqual(['BERG']);
  });

  it('delegation import --reply ID of a removed reply is refused, not "already this one; nothing changed"', () => {
    const { ws } = exampleWorkspace();
    const eml = write(
      'removed.eml',
      mail('r1', 'list.csv', `${HEADER}\r\nAustria,Ms.,Eva,GRUBER,Judge,M,head,eva@bmj.gv.at,,UNCAC\r\n`),
    );
    expect(nv(['ingest', '-w', ws, eml], { cwd: ws }).code).toBe(0);
    expect(nv(['delegation', 'import', '-w', ws, '--reply', '1'], { cwd: ws }).code).toBe(0);
    expect(nv(['reply', 'remove', '1', '-w', ws, '--reason', 'wrong State'], { cwd: ws }).code).toBe(0);
    const r = nv(['delegation', 'import', '-w', ws, '--reply', '1'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^nv: Reply 1 was removed \(by .*: wrong State\); a removed reply’s lists are not imported\./m,
    );
    const lists = JSON.parse(nv(['delegation', 'list', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      delegations: { state: string }[];
    };
    expect(lists.delegations.map((d) => d.state)).not.toContain('AUT');
  });

  it('delegation import --replies --skip-invalid imports the sound lists when another reply’s list is damaged (exit 1, the damaged one named)', () => {
    const { ws } = exampleWorkspace();
    const damaged = write(
      'damaged.eml',
      mail(
        'a1',
        'damaged.csv',
        `${HEADER}\r\nAustria,Mr.,Hans,HUBER,"Director,M,head,hans@bmj.gv.at,,UNCAC\r\nAustria,Ms.,Eva,GRUBER,Judge,M,member,eva@bmj.gv.at,,UNCAC\r\n`,
      ),
    );
    const sound = write(
      'sound.eml',
      mail(
        'a2',
        'sound.csv',
        `${HEADER}\r\nAustria,Ms.,Eva,GRUBER,Judge,Ministry of Justice,head,eva@bmj.gv.at,,UNCAC\r\n`,
      ),
    );
    for (const f of [damaged, sound]) {
      const i = nv(['ingest', '-w', ws, f], { cwd: ws });
      expect(i.code, i.stderr).toBe(0);
    }
    const r = nv(['delegation', 'import', '-w', ws, '--replies', '--skip-invalid', '--json'], { cwd: ws });
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as {
      imported: { file: string }[];
      refused: { file: string; details: string[] }[];
    };
    expect(out.imported.map((x) => x.file)).toEqual([expect.stringMatching(/sound\.csv$/)]);
    expect(out.refused).toEqual([
      expect.objectContaining({
        file: expect.stringMatching(/damaged\.csv$/),
        details: [expect.stringMatching(/damaged\.csv:2:5: .*quote/)],
      }),
    ]);
    expect(participants(ws, 'AUT').map((p) => p.family_name)).toEqual(['GRUBER']);
  });
});

describe('a "Name" column beside a family-name column is the given name, never lost', () => {
  let ws: string;
  beforeAll(() => {
    ws = exampleWorkspace().ws;
  });

  it('"Name, Surname" (and Arabic الاسم, اسم العائلة) keep the given name in the register and the export', () => {
    const en = write(
      'name-surname.csv',
      'Title,Name,Surname,Email,Meetings\r\nMr.,John,SMITH,j@s.gov,uncac-em\r\n',
    );
    expect(importFile(ws, en, '--state', 'AUT').code).toBe(0);
    expect(participants(ws, 'AUT')[0]).toMatchObject({
      given_name: 'John',
      family_name: 'SMITH',
      full_name: 'John SMITH',
    });
    const ar = write(
      'arabic-name.csv',
      'اللقب,الاسم,اسم العائلة,البريد الإلكتروني,الاجتماعات\r\nالسيد,أحمد,الحسن,ahmed@moj.iq,uncac-em\r\n',
    );
    expect(importFile(ws, ar, '--state', 'EGY').code).toBe(0);
    expect(participants(ws, 'EGY')[0]).toMatchObject({ given_name: 'أحمد', family_name: 'الحسن' });
    // A "Name" cell that holds the whole name gives the given name by taking the family name out.
    const whole = write(
      'whole.csv',
      'Name,Surname,Email,Meetings\r\nJohn Peter SMITH,SMITH,j@s.gov,uncac-em\r\n',
    );
    expect(importFile(ws, whole, '--state', 'DEU').code).toBe(0);
    expect(participants(ws, 'DEU')[0]).toMatchObject({
      given_name: 'John Peter',
      family_name: 'SMITH',
      full_name: 'John Peter SMITH',
    });
    const r = nv(['export', 'participants', '-w', ws, '--status', 'all', '--format', 'csv', '--out', '-'], {
      cwd: ws,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/"AUT",.*"John","SMITH","John SMITH"/);
  });
});
