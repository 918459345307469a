/**
 * 21. The participant is defined once: every field of the table goes from a list's header to the
 * register and out through both exports, and the register has exactly the table's columns.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARTICIPANT_FIELDS, PERSON_FIELDS } from '../../src/participant-fields.js';
import { parseSafeCsv } from '../../src/participants/csv-safe.js';
import { exampleWorkspace, nv, tempDir } from '../helpers/cli.js';

describe('21. one field table for the participant', () => {
  it('every field, read under its first header spelling, reaches the register (whose columns are the table’s) and both exports', () => {
    const { ws } = exampleWorkspace();
    const values: Record<string, string> = {
      state: 'Austria',
      honorific: 'Ms.',
      given_name: 'Eva',
      family_name: 'GRUBER',
      full_name: 'Eva Maria GRUBER',
      title: 'Director',
      organization: 'Federal Ministry of Justice',
      role: 'head',
      email: 'eva.gruber@bmj.gv.at',
      phone: '+43 1 52152',
      meetings: 'untoc-wg',
    };
    // The header is built from the table: a field added there is tested here without a change.
    const header = PARTICIPANT_FIELDS.map((f) => f.headers[0]);
    const row = PARTICIPANT_FIELDS.map((f) => values[f.column] ?? 'x');
    const file = join(tempDir(), 'every-field.csv');
    writeFileSync(file, `${header.join(',')}\r\n${row.join(',')}\r\n`);
    const imp = nv(['delegation', 'import', '-w', ws, file], { cwd: ws });
    expect(imp.code, imp.stderr).toBe(0);
    // The register's participant columns are the table's, no more, no fewer.
    const db = new Database(join(ws, '.nv', 'registry.sqlite'), { readonly: true });
    const columns = (db.prepare('PRAGMA table_info(participants)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    db.close();
    expect(columns).toEqual(['id', 'list_id', 'position', 'line', ...PERSON_FIELDS.map((f) => f.column)]);

    const csv = nv(['export', 'participants', '-w', ws, '--status', 'all', '--format', 'csv', '--out', '-'], {
      cwd: ws,
    });
    const { header: cols, rows } = parseSafeCsv(csv.stdout);
    const json = JSON.parse(
      nv(['export', 'participants', '-w', ws, '--status', 'all', '--format', 'json', '--out', '-'], {
        cwd: ws,
      }).stdout,
    ) as { sections: { delegations: { participants: Record<string, unknown>[] }[] }[] };
    const person = json.sections[0]!.delegations[0]!.participants[0]!;
    for (const f of PERSON_FIELDS) {
      const expected = values[f.column]!;
      expect(rows[0]![cols.indexOf(f.column)], f.column).toBe(expected);
      expect(
        Array.isArray(person[f.key]) ? (person[f.key] as string[]).join(';') : person[f.key],
        f.key,
      ).toBe(expected);
    }
  });
});
