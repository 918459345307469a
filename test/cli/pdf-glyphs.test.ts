/** No glyph, no PDF: the list of participants in any script, and a refusal naming what cannot be drawn. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleWorkspace, nv, ROOT, tempDir } from '../helpers/cli.js';

describe('nv export participants --format pdf and the fonts', () => {
  it('draws Arabic names (Amiri) and refuses a name no font draws, naming participant, file and line', () => {
    const { ws } = exampleWorkspace();
    const arabic = join(ROOT, 'fixtures', 'delegations', 'arabic-utf8.csv');
    expect(nv(['delegation', 'import', '-w', ws, arabic, '--state', 'EGY'], { cwd: ws }).code).toBe(0);
    const out = join(tempDir(), 'list.pdf');
    const ok = nv(['export', 'participants', '-w', ws, '--status', 'all', '--format', 'pdf', '--out', out], {
      cwd: ws,
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(execFileSync('pdffonts', [out], { encoding: 'utf8' })).toMatch(/[A-Z]{6}\+Amiri-/);
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/[\u0621-\u064a]{3,}/u);

    const tibetan = join(tempDir(), 'tibetan.csv');
    writeFileSync(
      tibetan,
      'Honorific,Given name,Family name,Title,Ministry,Role,E-mail,Meetings\n' +
        'Mr.,Ion,POPESCU,Director,Ministry of Justice,head,ion@just.ro,both\n' +
        'Ms.,བཀྲ,ཤིས,Prosecutor,Prosecutor General,member,ana@mpublic.ro,both\n',
    );
    expect(nv(['delegation', 'import', '-w', ws, tibetan, '--state', 'ROU'], { cwd: ws }).code).toBe(0);
    const refused = nv(
      ['export', 'participants', '-w', ws, '--status', 'all', '--format', 'pdf', '--out', out + '2'],
      { cwd: ws },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /Ms\. བཀྲ ཤིས \(Romania, [^)]*tibetan\.csv:3\) would print "བ" \(U\+0F56\)/u,
    );
    expect(refused.stderr).toContain("none of the PDF's fonts (Tinos, Amiri and Noto Serif SC)");
    // The DOCX draws with the reader's fonts: it is written.
    expect(
      nv(
        ['export', 'participants', '-w', ws, '--status', 'all', '--format', 'docx', '--out', out + '.docx'],
        {
          cwd: ws,
        },
      ).code,
    ).toBe(0);
  });
});
