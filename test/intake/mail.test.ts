/**
 * Point 10 of issue 7: e-mails as they really are (shapes met in public mail-parsing test suites,
 * rebuilt by hand in test/intake/mail/). Each is ingested through the built CLI and read back from
 * its JSON output, as a clerk's script would.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace, nv, ROOT } from '../helpers/cli.js';

const MAIL = join(ROOT, 'test', 'intake', 'mail');

interface Item {
  file: string;
  reply: number;
  channel: string | null;
  receivedAt: string | null;
  documents: { name: string | null; kind: string; class: string; reason: string }[];
}

describe('nv ingest reads real-world e-mail shapes as a mail client does', () => {
  let ws: string;
  const ingest = (name: string): { code: number | null; item: Item | undefined; stderr: string } => {
    const r = nv(['ingest', '-w', ws, '--json', '--yes', join(MAIL, name)], { cwd: ws });
    const item = r.code === 0 ? (JSON.parse(r.stdout) as { items: Item[] }).items[0] : undefined;
    return { code: r.code, item, stderr: r.stderr };
  };
  const show = (id: number): { problems: string[]; documents: { sha256: string }[] } => {
    const r = nv(['reply', 'show', String(id), '-w', ws, '--json'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    const parsed = JSON.parse(r.stdout) as { problems?: string[]; reply?: { problems: string[] } };
    return (parsed.reply ?? parsed) as { problems: string[]; documents: { sha256: string }[] };
  };

  beforeAll(() => {
    ws = exampleWorkspace().ws;
  });

  it('a part with an empty Content-Type is body text (RFC 2045 default), not a crash', () => {
    const r = ingest('empty-content-type.eml');
    expect(r.code, r.stderr).toBe(0);
    expect(r.item?.channel).toBe('email');
    expect(r.item?.documents.map((d) => [d.name, d.kind])).toEqual([['reply.pdf', 'pdf']]);
  });

  it('a message whose first line is white space is an e-mail', () => {
    const r = ingest('leading-whitespace.eml');
    expect(r.code, r.stderr).toBe(0);
    expect(r.item).toMatchObject({ channel: 'email', receivedAt: '2012-09-21T09:15:48+02:00' });
  });

  it('a message with one malformed header line is an e-mail', () => {
    const r = ingest('malformed-header.eml');
    expect(r.code, r.stderr).toBe(0);
    expect(r.item).toMatchObject({ channel: 'email', receivedAt: '2012-09-21T09:15:48+02:00' });
  });

  it('an x-uuencode attachment is stored decoded: the PDF itself', () => {
    const r = ingest('uuencode.eml');
    expect(r.code, r.stderr).toBe(0);
    expect(r.item?.documents).toEqual([expect.objectContaining({ name: 'reply.pdf', kind: 'pdf' })]);
    const pdf =
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';
    const sha = createHash('sha256').update(pdf).digest('hex');
    expect(show(r.item!.reply).documents.map((d) => d.sha256)).toEqual([sha]);
  });

  it('an inline text/plain part with a file name is kept as a document', () => {
    const r = ingest('inline-named-text.eml');
    expect(r.code, r.stderr).toBe(0);
    expect(r.item?.documents.map((d) => d.name)).toEqual(['delegation.txt']);
  });

  it('a delivery report is no reply: listed apart, as naming no message nv dispatched (issue 10)', () => {
    const r = nv(['ingest', '-w', ws, '--json', '--yes', join(MAIL, 'delivery-report.eml')], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { items: Item[]; bounces: { change: string; kind: string }[] };
    expect(out.items).toEqual([]);
    expect(out.bounces).toEqual([expect.objectContaining({ change: 'no-message', kind: 'failed' })]);
  });

  it('a Date whose weekday is wrong is read as written, and the facts say the weekday was wrong', () => {
    const r = ingest('wrong-weekday.eml');
    expect(r.code, r.stderr).toBe(0);
    expect(r.item?.receivedAt).toBe('2012-09-21T09:15:40+02:00');
    expect(show(r.item!.reply).problems.join('\n')).toMatch(
      /wrong weekday \(Monday; that date was a Friday\): the date was read as written/,
    );
  });
});
