/**
 * Hostile and oversized replies (issue 7): each bomb is built small by code (bench/fuzz/bombs.mjs),
 * ingested by the built CLI, and must come out `unreadable` with the budget it spent named, while
 * the rest of the batch goes on. Budgets are lowered with --budget where that makes the test quick.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  docxBomb,
  emailWith,
  fanOutPdf,
  inflateBombPdf,
  manyOperatorsPdf,
  manyPagesPdf,
} from '../../bench/fuzz/bombs.mjs';
import { exampleWorkspace, nv, ROOT } from '../helpers/cli.js';

interface Item {
  file: string;
  status: string;
  documents: { name: string | null; class: string; reason: string }[];
}

describe('nv ingest: a document over a budget is unreadable, with the budget named', () => {
  let ws: string;
  const ingest = (
    paths: string[],
    ...flags: string[]
  ): { code: number | null; items: Item[]; stderr: string } => {
    const args = ['ingest', '-w', ws, '--json', '--yes', '--state', 'AUT', '--received', '2012-09-20 10:00'];
    const r = nv([...args, ...flags, ...paths], { cwd: ws });
    const items = r.stdout.trim().startsWith('{') ? (JSON.parse(r.stdout) as { items: Item[] }).items : [];
    return { code: r.code, items, stderr: r.stderr };
  };
  const file = (name: string, bytes: Uint8Array): string => {
    const path = join(ws, 'in', name);
    writeFileSync(path, bytes);
    return path;
  };
  const onlyDocument = (r: { code: number | null; items: Item[]; stderr: string }) => {
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
    expect(r.code, r.stderr).not.toBe(3);
    expect(r.items).toHaveLength(1);
    return r.items[0]!.documents[0]!;
  };

  beforeAll(() => {
    ws = exampleWorkspace().ws;
    mkdirSync(join(ws, 'in'));
  });

  it('a content stream that inflates past the budget (64 MB, budget 16 MB)', () => {
    const pdf = file('inflate.pdf', inflateBombPdf({ mb: 64 }));
    const doc = onlyDocument(ingest([pdf], '--channel', 'post', '--budget', 'inflated-mb=16'));
    expect(doc.class).toBe('unreadable');
    expect(doc.reason).toMatch(/^over budget: .*more than 16 MB inflated; budget inflated-mb/);
  });

  it('an encrypted PDF (read by pdf.js) whose stream inflates to 2 GB: stopped at the memory budget', () => {
    const pdf = file('inflate-encrypted.pdf', inflateBombPdf({ mb: 2048, layers: 2, encrypt: true }));
    const doc = onlyDocument(ingest([pdf], '--channel', 'post'));
    expect(doc.class).toBe('unreadable');
    expect(doc.reason).toMatch(/^over budget: .*more than 400 MB of memory; budget memory-mb/);
  });

  it('an encrypted PDF whose Form XObjects fan out 10^10 times: stopped at the time budget', () => {
    const pdf = file('fan-out.pdf', fanOutPdf({ depth: 10, fan: 10, encrypt: true }));
    const doc = onlyDocument(ingest([pdf], '--channel', 'post', '--budget', 'seconds=2'));
    expect(doc.class).toBe('unreadable');
    expect(doc.reason).toMatch(/^over budget: reading it takes too long .*budget seconds/);
  });

  it('an encrypted PDF of pages of 300,000 operators: stopped at the operator budget', () => {
    const pdf = file('operators.pdf', manyOperatorsPdf({ pages: 20, ops: 300_000, encrypt: true }));
    const doc = onlyDocument(ingest([pdf], '--channel', 'post', '--budget', 'operators=500000'));
    expect(doc.class).toBe('unreadable');
    expect(doc.reason).toMatch(/^over budget: its pages draw too much .*budget operators/);
  });

  it('a PDF of 1,500 pages: over the page budget (1,000)', () => {
    const pdf = file('pages.pdf', manyPagesPdf({ pages: 1500 }));
    const doc = onlyDocument(ingest([pdf], '--channel', 'post'));
    expect(doc.class).toBe('unreadable');
    expect(doc.reason).toMatch(/^over budget: it has 1,500 pages \(more than 1,000 pages; budget pages/);
  });

  it('a DOCX of 300,000 runs: over an element budget of 100,000', () => {
    const docx = file('runs.docx', docxBomb({ runs: 300_000 }));
    const doc = onlyDocument(ingest([docx], '--channel', 'post', '--budget', 'operators=100000'));
    expect(doc.class).toBe('unreadable');
    expect(doc.reason).toMatch(/^over budget: its word\/document.xml holds too many XML elements/);
  });

  it('in a folder, an e-mail carrying a bomb does not stop the replies after it', () => {
    const dir = join(ws, 'in', 'mailbox');
    mkdirSync(dir);
    const bomb = inflateBombPdf({ mb: 2048, layers: 2, encrypt: true });
    writeFileSync(
      join(dir, '1-bomb.eml'),
      emailWith([{ name: 'note.pdf', type: 'application/pdf', bytes: bomb }], { subject: 'bomb' }),
    );
    const good = manyPagesPdf({ pages: 1 });
    writeFileSync(
      join(dir, '2-good.eml'),
      emailWith([{ name: 'note.pdf', type: 'application/pdf', bytes: good }], { subject: 'good' }),
    );
    const r = ingest([dir]);
    expect(r.code, r.stderr).not.toBe(3);
    expect(r.items.map((i) => [i.file.split('/').pop(), i.documents.map((d) => d.class)])).toEqual([
      ['1-bomb.eml', ['unreadable']],
      ['2-good.eml', ['text-born']],
    ]);
    expect(r.items[0]!.documents[0]!.reason).toMatch(/budget memory-mb/);
  });

  it('nv.yaml sets the budgets of a workspace (intake.budgets), and the reason names that key', () => {
    const other = exampleWorkspace().ws;
    appendFileSync(join(other, 'nv.yaml'), '\nintake:\n  budgets:\n    pages: 1\n');
    const pdf = join(other, 'two-pages.pdf');
    writeFileSync(pdf, manyPagesPdf({ pages: 2 }));
    const r = nv(
      [
        'ingest',
        '-w',
        other,
        '--json',
        '--yes',
        '--channel',
        'post',
        '--state',
        'AUT',
        '--received',
        '2012-09-20 10:00',
        pdf,
      ],
      { cwd: other },
    );
    expect(r.code, r.stderr).toBe(0);
    const [item] = (JSON.parse(r.stdout) as { items: Item[] }).items;
    expect(item?.documents[0]?.reason).toMatch(
      /^over budget: it has 2 pages \(more than 1 page; budget pages: .*intake\.budgets\.pages in nv\.yaml\)$/,
    );
  });

  it('--budget refuses what is not a budget, with the names', () => {
    const r = nv(
      [
        'ingest',
        '-w',
        ws,
        '--channel',
        'post',
        '--budget',
        'speed=9',
        join(ROOT, 'fixtures', 'replies', 'typed-reply.pdf'),
      ],
      { cwd: ws },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--budget speed=9 is not a budget; .*inflated-mb, operators, pages, seconds, memory-mb/,
    );
  });
});
