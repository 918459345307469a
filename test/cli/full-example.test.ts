/**
 * The full example end to end, as the README tells a user to run it: 120 replies ingested, their
 * delegation lists imported, the consolidated list of participants exported in four formats.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSafeCsv } from '../../src/participants/csv-safe.js';
import { nv, tempDir } from '../helpers/cli.js';
import { flat, readPdf } from '../helpers/pdf-text.js';

interface Listed {
  asAt: string;
  sections: {
    category: string;
    heading: string;
    delegations: {
      state: string;
      name: string;
      participants: {
        displayName: string;
        head: boolean;
        meetings: string[];
        title: string;
        email: string;
      }[];
    }[];
  }[];
  totals: { delegations: number; participants: number };
}

const names = (l: Listed) =>
  l.sections.flatMap((s) => s.delegations.flatMap((d) => d.participants.map((p) => p.displayName)));

/** Where each name occurs in the text, in order; -1 when missing. */
function positions(text: string, wanted: string[]): number[] {
  let from = 0;
  return wanted.map((w) => {
    const i = text.indexOf(w, from);
    if (i >= 0) from = i + w.length;
    return i;
  });
}

describe('the uncac-2012-full example', () => {
  let ws: string;
  let list: Listed;

  beforeAll(() => {
    const dir = tempDir();
    expect(nv(['init', 'full', '--example', 'uncac-2012-full', '--yes'], { cwd: dir }).code).toBe(0);
    ws = join(dir, 'full');
    const steps = [
      ['generate', '--yes', '--format', 'pdf'],
      ['ingest', 'inbox', '--yes'],
      ['delegation', 'import', '--replies'],
    ];
    for (const s of steps) {
      const r = nv([...s, '-w', ws], { cwd: ws });
      expect(r.code, `${s.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const j = nv(['export', 'participants', '-w', ws, '--format', 'json', '--out', '-'], { cwd: ws });
    list = JSON.parse(j.stdout) as Listed;
  });

  it('ingests 120 replies, every State found; imports their lists; validate reports the planted problems', () => {
    const st = JSON.parse(nv(['status', '-w', ws, '--json'], { cwd: ws }).stdout) as {
      totals: Record<string, number>;
      unassigned: number[];
    };
    expect(st.totals.replies).toBe(120);
    expect(st.unassigned).toEqual([]);
    expect(st.totals.participants).toBe(600);
    expect(st.totals.late).toBe(6);
    expect(st.totals.refused).toBe(2);
    const v = nv(['validate', '-w', ws, '--json'], { cwd: ws });
    expect(v.code).toBe(1);
    const rules = (JSON.parse(v.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    for (const r of [
      'deadline',
      'email-scanned-only',
      'delegation-contact',
      'head-of-delegation',
      'duplicate-participant',
    ])
      expect(rules, r).toContain(r);
  });

  it('lists about 600 people in UN order: categories, States alphabetically, heads first', () => {
    expect(list.totals.participants).toBe(572); // the accepted replies: late and refused ones are left out
    expect(list.sections.map((s) => s.heading)).toEqual([
      'States parties',
      'Signatory States',
      'Observer States',
    ]);
    for (const s of list.sections) {
      const states = s.delegations.map((d) => d.name);
      expect(states).toEqual([...states].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
      for (const d of s.delegations)
        if (d.participants.some((p) => p.head)) expect(d.participants[0]!.head, d.name).toBe(true);
    }
  });

  it('the PDF list reads in the same order as the JSON, without contacts unless asked', async () => {
    const out = join(tempDir(), 'list.pdf');
    expect(nv(['export', 'participants', '-w', ws, '--format', 'pdf', '--out', out], { cwd: ws }).code).toBe(
      0,
    );
    expect(execFileSync('qpdf', ['--check', out], { encoding: 'utf8' })).toMatch(
      /No syntax or stream encoding errors/,
    );
    const pdf = await readPdf(out);
    const text = flat(pdf.pages.join('\n'));
    expect(text).toContain('Prepared on the basis of information received as at 24 September 2012');
    expect(text).toContain('List of participants');
    expect(positions(text, names(list)).every((p) => p >= 0)).toBe(true);
    const emails = list.sections
      .flatMap((s) => s.delegations.flatMap((d) => d.participants.map((p) => p.email)))
      .filter(Boolean);
    expect(emails.some((e) => text.includes(e))).toBe(false);
    const withContacts = join(tempDir(), 'contacts.pdf');
    nv(['export', 'participants', '-w', ws, '--format', 'pdf', '--contacts', '--out', withContacts], {
      cwd: ws,
    });
    const t2 = flat((await readPdf(withContacts)).pages.join('\n'));
    expect(emails.slice(0, 20).every((e) => t2.includes(e))).toBe(true);
  });

  it('the DOCX list has the same people in the same order, as real paragraphs and a real table', () => {
    const out = join(tempDir(), 'list.docx');
    expect(nv(['export', 'participants', '-w', ws, '--format', 'docx', '--out', out], { cwd: ws }).code).toBe(
      0,
    );
    const xml = strFromU8(unzipSync(readFileSync(out))['word/document.xml']!);
    expect(xml).toContain('<w:tbl>');
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
      .map((m) => m[1])
      .join(' ')
      .replace(/&amp;/g, '&')
      .replace(/&apos;/g, "'")
      .replace(/&quot;/g, '"');
    expect(positions(text, names(list)).every((p) => p >= 0)).toBe(true);
  });

  it('--meeting untoc-wg keeps exactly those who attend it, in every format', async () => {
    const wg = JSON.parse(
      nv(['export', 'participants', '-w', ws, '--format', 'json', '--out', '-', '--meeting', 'untoc-wg'], {
        cwd: ws,
      }).stdout,
    ) as Listed;
    const expected = list.sections.flatMap((s) =>
      s.delegations.flatMap((d) =>
        d.participants.filter((p) => p.meetings.includes('untoc-wg')).map((p) => p.displayName),
      ),
    );
    expect(names(wg)).toEqual(expected);
    const csv = parseSafeCsv(
      nv(['export', 'participants', '-w', ws, '--format', 'csv', '--out', '-', '--meeting', 'untoc-wg'], {
        cwd: ws,
      }).stdout,
    );
    expect(csv.rows).toHaveLength(expected.length);
    expect(csv.rows.every((r) => r[csv.header.indexOf('meetings')]!.split(';').includes('untoc-wg'))).toBe(
      true,
    );
    const out = join(tempDir(), 'wg.pdf');
    nv(['export', 'participants', '-w', ws, '--format', 'pdf', '--meeting', 'untoc-wg', '--out', out], {
      cwd: ws,
    });
    const text = flat((await readPdf(out)).pages.join('\n'));
    expect(text).toContain('Participants in the Working Group');
    const others = names(list).filter((n) => !expected.includes(n));
    expect(others.length).toBeGreaterThan(0);
    // Nobody who only attends the expert meeting is on the working group's list.
    for (const n of others.slice(0, 30)) expect(text.includes(n), n).toBe(false);
  });

  it('exports are deterministic', () => {
    const a = join(tempDir(), 'a.pdf');
    const b = join(tempDir(), 'b.pdf');
    nv(['export', 'participants', '-w', ws, '--format', 'pdf', '--out', a], { cwd: ws });
    nv(['export', 'participants', '-w', ws, '--format', 'pdf', '--out', b], { cwd: ws });
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });
});
