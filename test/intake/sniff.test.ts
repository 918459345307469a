import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { findPdfHeader, sniffFile } from '../../src/intake/sniff.js';
import { reply } from './files.js';

describe('sniffFile: the bytes decide', () => {
  it.each([
    ['scanned-reply.pdf', 'pdf', 'application/pdf'],
    ['encrypted-password.pdf', 'pdf', 'application/pdf'],
    ['truncated.pdf', 'pdf', 'application/pdf'],
    ['fax.tif', 'tiff', 'image/tiff'],
    ['photo.jpg', 'jpeg', 'image/jpeg'],
    ['reply.docx', 'docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['reply-scanned.eml', 'eml', 'message/rfc822'],
    ['bad-date.eml', 'eml', 'message/rfc822'],
  ])('%s → %s', async (name, kind, mime) => {
    expect(await sniffFile(reply(name))).toEqual({ kind, mime });
  });

  it('the name does not override binary bytes: a DOCX named reply.pdf is a DOCX, a PDF named .docx a PDF', async () => {
    expect((await sniffFile(reply('reply.docx'), 'reply.pdf')).kind).toBe('docx');
    expect((await sniffFile(reply('typed-reply.pdf'), 'reply.docx')).kind).toBe('pdf');
  });

  it('finds %PDF- after junk within the first 1,024 bytes (file-type does not), not further', async () => {
    const pdf = reply('typed-reply.pdf');
    const after = (n: number) => new Uint8Array([...new Uint8Array(n).fill(0x0a), ...pdf]);
    expect(findPdfHeader(after(1000))).toBe(1000);
    expect((await sniffFile(after(1000))).kind).toBe('pdf');
    expect(findPdfHeader(after(1100))).toBe(-1);
  });

  it('an empty file is unknown', async () => {
    expect(await sniffFile(new Uint8Array(0))).toEqual({ kind: 'unknown', mime: 'application/x-empty' });
  });

  it('tells DOCX, XLSX, ODT, ODS and a plain ZIP apart by their main part', async () => {
    const xlsx = zipSync({
      '[Content_Types].xml': strToU8('<Types/>'),
      'xl/workbook.xml': strToU8('<workbook/>'),
    });
    const docx = zipSync({
      'docProps/app.xml': strToU8('<x/>'),
      'word/document.xml': strToU8('<w:document/>'),
    });
    const odt = zipSync(
      { mimetype: strToU8('application/vnd.oasis.opendocument.text'), 'content.xml': strToU8('<x/>') },
      { level: 0 },
    );
    const ods = zipSync(
      { mimetype: strToU8('application/vnd.oasis.opendocument.spreadsheet'), 'content.xml': strToU8('<x/>') },
      { level: 0 },
    );
    const zip = zipSync({ 'scan1.pdf': strToU8('%PDF-1.4') });
    expect((await sniffFile(xlsx)).kind).toBe('xlsx');
    expect((await sniffFile(docx)).kind).toBe('docx');
    expect((await sniffFile(odt)).kind).toBe('odt');
    expect((await sniffFile(ods)).kind).toBe('ods');
    expect((await sniffFile(zip)).kind).toBe('zip');
  });

  it('tells a Word 97 DOC from an Excel 97 XLS inside the OLE2 container', async () => {
    const ole = (stream: string): Uint8Array => {
      const b = new Uint8Array(2048);
      b.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
      b.set(Buffer.from(stream, 'utf16le'), 1024);
      return b;
    };
    expect(await sniffFile(ole('WordDocument'))).toEqual({ kind: 'doc', mime: 'application/msword' });
    expect(await sniffFile(ole('Workbook'))).toEqual({ kind: 'xls', mime: 'application/vnd.ms-excel' });
  });

  it('RTF by its {\\rtf opening', async () => {
    expect((await sniffFile(Buffer.from('{\\rtf1\\ansi Note verbale}'))).kind).toBe('rtf');
  });

  describe('text types: heuristics first, the name as a hint', () => {
    const csv =
      'Name;Title;E-mail;Meeting\nMaria Huber;Minister Plenipotentiary;maria.huber@bmeia.gv.at;both\nJohann Gruber;Counsellor;"gruber; johann@bmeia.gv.at";UNTOC\n';
    it('semicolon CSV as European Excel writes it, with a quoted delimiter', async () => {
      expect((await sniffFile(Buffer.from(csv))).kind).toBe('csv');
    });
    it('UTF-16LE with a BOM and tabs (Excel "Unicode text")', async () => {
      const utf16 = Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(csv.replace(/;/g, '\t'), 'utf16le'),
      ]);
      expect((await sniffFile(utf16)).kind).toBe('csv');
    });
    it('a one-column list is CSV only when its name says so', async () => {
      const list = Buffer.from('Name\nMaria Huber\nJohann Gruber\n');
      expect((await sniffFile(list)).kind).toBe('unknown');
      expect((await sniffFile(list, 'delegation.csv')).kind).toBe('csv');
    });
    it('prose is not CSV, even with commas', async () => {
      const prose = Buffer.from(
        'Dear Sir or Madam,\nplease find attached our reply, with thanks.\nKind regards,\nthe Mission\n',
      );
      expect(await sniffFile(prose)).toEqual({ kind: 'unknown', mime: 'text/plain' });
    });
    it('an e-mail: header lines up to the empty line, mail headers among them; an mbox "From " line is allowed', async () => {
      const mail =
        'Return-Path: <a@mfa.gov.xx>\r\nReceived: from x by y; Mon, 24 Sep 2012 10:00:00 +0200\r\nFrom: a@mfa.gov.xx\r\nSubject: hi\r\n\r\nbody';
      expect((await sniffFile(Buffer.from(mail))).kind).toBe('eml');
      expect((await sniffFile(Buffer.from(`From - Mon Sep 24 10:00:00 2012\n${mail}`))).kind).toBe('eml');
    });
    it('a text that merely starts with "Subject:" is an e-mail only when named .eml', async () => {
      const note = Buffer.from('Subject: reply\n\nsee attached');
      expect((await sniffFile(note)).kind).toBe('unknown');
      expect((await sniffFile(note, 'reply.eml')).kind).toBe('eml');
    });
  });
});
