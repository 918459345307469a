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
