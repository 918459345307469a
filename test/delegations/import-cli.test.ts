/**
 * Issue 7 ("Delegation lists"): each point driven through the built CLI, as the clerk meets it.
 * Lists are built here byte for byte, so that what each test shows is visible in the test.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
