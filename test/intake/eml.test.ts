import { createHash } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { classifyDocument } from '../../src/intake/classify-document.js';
import { displaySafe, parseEml, parseRfc5322Date, storageNameFor } from '../../src/intake/eml.js';
import { reply } from './files.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const REF = 'CU 2012/150(A)/DTA/CEB/CSS';
/** The deadline: 24 September 2012, end of day in Vienna (CEST, UTC+2). */
const DEADLINE = new Date('2012-09-24T23:59:59+02:00');

describe('the reply e-mails', () => {
  it('reply-scanned.eml: sender, recipient, subject, message id, received time, and the scan byte for byte', async () => {
    const m = await parseEml(reply('reply-scanned.eml'));
    expect(m.from).toEqual({ address: 'abtvi1@bmeia.gv.at', name: 'BMEIA Abteilung VI.1' });
    expect(m.fromDomain).toBe('bmeia.gv.at');
    expect(m.to).toEqual([{ address: 'uncac.cop@unodc.org', name: '' }]);
    expect(m.subject).toContain(REF);
    expect(m.messageId).toBe('<5A2F8C3E.4010207@bmeia.gv.at>');
    expect(m.received).toEqual({
      at: new Date('2012-09-20T09:02:19Z'),
      source: 'received-header',
      raw: 'Thu, 20 Sep 2012 11:02:19 +0200 (CEST)',
    });
    expect(m.dateHeader).toBe('Thu, 20 Sep 2012 11:02:14 +0200');
    expect(m.problems).toEqual([]);
    expect(m.attachments).toHaveLength(1);
    const [a] = m.attachments;
    const original = reply('scanned-reply.pdf');
    expect(a).toMatchObject({
      name: 'NV_Antwort_CU-2012-150.pdf',
      originalName: 'NV_Antwort_CU-2012-150.pdf',
      declaredType: 'application/pdf',
      disposition: 'attachment',
      kind: 'pdf',
      size: original.length,
      sha256: sha256(original),
      storageName: `${sha256(original)}.pdf`,
    });
    expect(Buffer.from(a?.bytes ?? []).equals(Buffer.from(original))).toBe(true);
    expect((await classifyDocument(a?.bytes ?? new Uint8Array(), 'pdf')).class).toBe('scanned');
  });

  it('reply-typed.eml carries a text-born PDF, reply-docx.eml an office document', async () => {
    const typed = await parseEml(reply('reply-typed.eml'));
    const [pdf] = typed.attachments;
    expect(pdf?.kind).toBe('pdf');
    expect((await classifyDocument(pdf?.bytes ?? new Uint8Array(), 'pdf')).class).toBe('text-born');
    const docx = await parseEml(reply('reply-docx.eml'));
    const [word] = docx.attachments;
    expect(word).toMatchObject({ name: 'NV reply.docx', kind: 'docx' });
    expect((await classifyDocument(word?.bytes ?? new Uint8Array(), 'docx')).class).toBe('office');
  });

  it('new-york-2330.eml: sent at 23:30 New York time on the deadline day, received 05:30 Vienna time the next day: late', async () => {
    const m = await parseEml(reply('new-york-2330.eml'));
    expect(m.dateHeader).toBe('Mon, 24 Sep 2012 23:30:00 -0400');
    expect(m.received).toMatchObject({
      source: 'received-header',
      raw: 'Tue, 25 Sep 2012 05:30:09 +0200 (CEST)',
    });
    expect(m.received.at?.toISOString()).toBe('2012-09-25T03:30:09.000Z');
    expect(m.received.at!.getTime()).toBeGreaterThan(DEADLINE.getTime());
    // Even by the sender's own clock it is past the end of the day in Vienna.
    expect(parseRfc5322Date(m.dateHeader ?? '')!.getTime()).toBeGreaterThan(DEADLINE.getTime());
    expect(m.fromDomain).toBe('mfa.gov.sg');
  });

  it('vienna-2359.eml: received at 23:59:07 Vienna time on the deadline day: on time', async () => {
    const m = await parseEml(reply('vienna-2359.eml'));
    expect(m.received.at?.toISOString()).toBe('2012-09-24T21:59:07.000Z');
    expect(m.received.at!.getTime()).toBeLessThanOrEqual(DEADLINE.getTime());
    expect(m.subject).toBe(`Verbalnote / note verbale ${REF} – Deutschland`); // RFC 2047 decoded
    expect(m.attachments[0]).toMatchObject({ kind: 'tiff', declaredType: 'image/tiff' });
  });

  it('bad-date.eml: an unreadable Date and no Received header leave the time unknown, with the reason (never "now")', async () => {
    const bytes = reply('bad-date.eml');
    const m = await parseEml(bytes);
    expect(m.received.at).toBeNull();
    expect(m.received.source).toBeNull();
    expect(m.received.problem).toBe(
      'the received time is unknown: no Received header, and the Date header "lundi 24 septembre 2012 16 h 05" cannot be read',
    );
    expect(m.problems).toContain(m.received.problem);
    // The pitfall this guards against: mailparser's own `date` is the time of parsing.
    const raw = await simpleParser(Buffer.from(bytes));
    expect(Math.abs((raw.date?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it('forwarded.eml: the message/rfc822 part is kept as an attachment and parsed as a message of its own', async () => {
    const m = await parseEml(reply('forwarded.eml'));
    expect(m.from?.address).toBe('registry@unodc.org');
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({
      declaredType: 'message/rfc822',
      kind: 'eml',
      storageName: expect.stringMatching(/\.eml$/),
    });
    expect(m.forwarded).toHaveLength(1);
    const [inner] = m.forwarded;
    expect(inner?.from).toEqual({ address: 'embaustria@sre.gob.mx', name: 'Embajada de México en Austria' });
    expect(inner?.fromDomain).toBe('sre.gob.mx');
    expect(inner?.subject).toBe(`Nota verbal: respuesta a ${REF}`);
    expect(inner?.received.at?.toISOString()).toBe('2012-09-24T16:20:44.000Z');
    expect(inner?.attachments.map((a) => [a.name, a.kind])).toEqual([['NV-EMBAMEX-0917.pdf', 'pdf']]);
    expect(inner?.attachments[0]?.sha256).toBe(sha256(reply('jbig2-scan.pdf')));
  });
});

describe('hostile attachment names stay data', () => {
  it('hostile-names.eml: names kept as given, shown safely, and never a path', async () => {
    const m = await parseEml(reply('hostile-names.eml'));
    const byOriginal = new Map(m.attachments.map((a) => [a.originalName, a]));
    expect([...byOriginal.keys()]).toEqual([
      '../../etc/passwd',
      '..\\..\\Windows\\System32\\reply.pdf',
      'Note verbale – Réponse à CU 2012/150.pdf', // RFC 2231, with a real "/"
      'reply\u202efdp.exe', // a right-to-left override: displays as "replyexe.pdf"
      'reply.pdf',
      null,
    ]);
    expect(byOriginal.get('reply\u202efdp.exe')?.name).toBe('reply\ufffdfdp.exe');
    expect(byOriginal.get('reply\u202efdp.exe')?.kind).toBe('tiff');
    // The declared type lies: a DOCX sent as application/pdf.
    expect(byOriginal.get('reply.pdf')).toMatchObject({ declaredType: 'application/pdf', kind: 'docx' });
    expect(byOriginal.get('..\\..\\Windows\\System32\\reply.pdf')?.kind).toBe('pdf');
    expect(byOriginal.get(null)).toMatchObject({
      name: null,
      disposition: 'inline',
      contentId: 'logo001@mfa.gov.xx',
      kind: 'png',
    });

    const archive = resolve('/srv/nv/.nv/archive');
    for (const a of m.attachments) {
      expect(a.storageName).toMatch(/^[0-9a-f]{64}\.(pdf|tif|docx|png|bin)$/);
      expect(a.storageName.startsWith(a.sha256)).toBe(true);
      expect(basename(a.storageName)).toBe(a.storageName);
      expect(resolve(join(archive, a.storageName)).startsWith(`${archive}/`)).toBe(true);
      expect(a.name ?? '').not.toMatch(/[\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
    }
  });

  it('storageNameFor refuses anything but a SHA-256 digest', () => {
    expect(() => storageNameFor('../../etc/passwd', 'pdf')).toThrow(TypeError);
    expect(storageNameFor('a'.repeat(64), 'unknown')).toBe(`${'a'.repeat(64)}.bin`);
  });

  it('displaySafe replaces control, bidi and invisible characters and caps the length', () => {
    expect(displaySafe('a\u001b[31mred\u0007', 50)).toBe('a\ufffd[31mred\ufffd');
    expect(displaySafe('x\u2066y\u200bz', 50)).toBe('x\ufffdy\ufffdz');
    expect(displaySafe('e\u0301', 50)).toBe('é'); // NFC
    expect([...displaySafe('n'.repeat(300), 255)]).toHaveLength(255);
  });
});

// ---------------------------------------------------------------------------------------------

const mail = (headers: string[], body = 'hello'): Buffer =>
  Buffer.from(
    `${[...headers, 'MIME-Version: 1.0', 'Content-Type: text/plain'].join('\r\n')}\r\n\r\n${body}\r\n`,
  );

describe('received time: topmost Received, then Date, never the time of parsing', () => {
  it('takes the topmost Received header, not a lower one, nor Date', async () => {
    const m = await parseEml(
      mail([
        'Received: from a by mx1.unvienna.org; Tue, 25 Sep 2012 05:30:09 +0200',
        'Received: from b by mailgw.mfa.gov.xx; Mon, 24 Sep 2012 23:30:04 -0400',
        'From: x@mfa.gov.xx',
        'Date: Mon, 24 Sep 2012 23:30:00 -0400',
      ]),
    );
    expect(m.received).toEqual({
      at: new Date('2012-09-25T03:30:09Z'),
      source: 'received-header',
      raw: 'Tue, 25 Sep 2012 05:30:09 +0200',
    });
  });

  it('a folded Received header is unfolded; its date follows the last semicolon', async () => {
    const m = await parseEml(
      mail([
        'Received: from a (a [1.2.3.4]; helo=x)\r\n\tby b with ESMTP id 1;\r\n\tMon, 24 Sep 2012 21:00:00 +0000',
        'From: x@y.z',
      ]),
    );
    expect(m.received.at?.toISOString()).toBe('2012-09-24T21:00:00.000Z');
  });

  it('when the topmost Received has no readable date, Date is used and the problem said', async () => {
    const m = await parseEml(
      mail(['Received: from a by b with SMTP id 17', 'From: x@y.z', 'Date: Mon, 24 Sep 2012 10:00:00 +0200']),
    );
    expect(m.received).toMatchObject({
      at: new Date('2012-09-24T08:00:00Z'),
      source: 'date-header',
      problem: "the topmost Received header carries no date; the sender's Date header was used",
    });
  });

  it('no Received header: Date, without complaint', async () => {
    const m = await parseEml(mail(['From: x@y.z', 'Date: 24 Sep 2012 23:59 +0200']));
    expect(m.received).toEqual({
      at: new Date('2012-09-24T21:59:00Z'),
      source: 'date-header',
      raw: '24 Sep 2012 23:59 +0200',
    });
  });

  it('neither header: unknown, and said', async () => {
    const m = await parseEml(mail(['From: x@y.z', 'Subject: no dates']));
    expect(m.received).toEqual({
      at: null,
      source: null,
      problem: 'the received time is unknown: no Received header, and no Date header',
    });
  });

  it.each([
    ['Mon, 24 Sep 2012 23:30:00 -0400', '2012-09-25T03:30:00.000Z'],
    ['24 Sep 2012 23:30 -0400', '2012-09-25T03:30:00.000Z'],
    ['Mon,24 Sep 2012 23:30:00 -0400', '2012-09-25T03:30:00.000Z'],
    ['Mon, 24 Sep 2012 23:30:00 EDT', '2012-09-25T03:30:00.000Z'],
    ['Mon, 24 Sep 12 23:30:00 GMT', '2012-09-24T23:30:00.000Z'],
    ['Mon, 24 Sep 2012 23:59:60 +0200', '2012-09-24T21:59:59.000Z'],
    ['Tue, 25 Sep 2012 05:30:09 +0200 (CEST)', '2012-09-25T03:30:09.000Z'],
    ['Mon, 24 Sep 2012 23:30:00 +0530', '2012-09-24T18:00:00.000Z'],
    // 24 September 2012 was a Monday: the date is read as written (receivedTime says the weekday was wrong)
    ['Tue, 24 Sep 2012 10:00:00 +0200', '2012-09-24T08:00:00.000Z'],
  ])('parses %s', (text, iso) => {
    expect(parseRfc5322Date(text)?.toISOString()).toBe(iso);
  });

  it.each([
    'lundi 24 septembre 2012 16 h 05',
    '2012-09-24T23:30:00Z',
    'Mon, 31 Sep 2012 10:00:00 +0200', // no 31 September
    'Mon, 24 Sep 2012 24:00:00 +0200',
    'Mon, 24 Sep 2012 23:60:00 +0200',
    'Mon, 24 Sep 2012 10:00:00 +0275',
    'Mon, 24 Sep 2012 10:00:00 CEST', // not an RFC 5322 zone name
    'Mon, 24 Foo 2012 10:00:00 +0200',
    '',
  ])('refuses %j', (text) => {
    expect(parseRfc5322Date(text)).toBeNull();
  });
});

describe('addresses', () => {
  it('reads groups and several recipients, lower-cases addresses and domains', async () => {
    const m = await parseEml(
      mail([
        'From: "Mission Permanente" <Mission.Vienne@DIPLOMATIE.gouv.fr>',
        'To: Registry <registry@unodc.org>, conference: uncac.cop@unodc.org, untoc@unodc.org;',
        'Date: Mon, 24 Sep 2012 10:00:00 +0200',
      ]),
    );
    expect(m.from).toEqual({ address: 'mission.vienne@diplomatie.gouv.fr', name: 'Mission Permanente' });
    expect(m.fromDomain).toBe('diplomatie.gouv.fr');
    expect(m.to.map((a) => a.address)).toEqual([
      'registry@unodc.org',
      'uncac.cop@unodc.org',
      'untoc@unodc.org',
    ]);
  });

  it('a message without sender says so', async () => {
    const m = await parseEml(mail(['Subject: anonymous', 'Date: Mon, 24 Sep 2012 10:00:00 +0200']));
    expect(m.from).toBeNull();
    expect(m.fromDomain).toBeNull();
    expect(m.problems).toContain('no sender (From:)');
  });
});

describe('forwarded messages', () => {
  const inner =
    'From: a@mfa.gov.xx\r\nSubject: inner\r\nDate: Mon, 24 Sep 2012 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b2"\r\n\r\n--b2\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b2\r\nContent-Type: application/pdf; name="x.pdf"\r\nContent-Disposition: attachment; filename="x.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b2--\r\n';
  const outer = (disposition: string, body: string, boundary = 'b1'): Buffer =>
    Buffer.from(
      `From: c@unodc.org\r\nSubject: outer\r\nDate: Tue, 25 Sep 2012 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n--${boundary}\r\nContent-Type: text/plain\r\n\r\nfwd\r\n--${boundary}\r\nContent-Type: message/rfc822\r\n${disposition}\r\n${body}\r\n--${boundary}--\r\n`,
    );

  it('an inline message/rfc822 part is not merged into the outer message (mailparser would)', async () => {
    const m = await parseEml(outer('Content-Disposition: inline\r\n', inner));
    expect(m.attachments.map((a) => a.kind)).toEqual(['eml']);
    expect(m.forwarded.map((f) => f.subject)).toEqual(['inner']);
    expect(m.forwarded[0]?.attachments.map((a) => a.name)).toEqual(['x.pdf']);
  });

  it('forwarded inside forwarded is followed, to a bounded depth', async () => {
    let message = inner;
    for (let i = 0; i < 12; i++) message = outer('', message, `level${i}`).toString('latin1');
    const m = await parseEml(Buffer.from(message, 'latin1'));
    let depth = 0;
    let at = m;
    while (at.forwarded[0]) {
      at = at.forwarded[0];
      depth++;
    }
    expect(depth).toBe(7);
    expect(at.problems.join(' ')).toMatch(/forwarded more than 8 deep/);
  });
});

describe('bad bytes', () => {
  it.each([
    ['empty', new Uint8Array(0)],
    ['binary', new Uint8Array(4096).map((_, i) => (i * 131) % 256)],
    ['a PDF', reply('typed-reply.pdf')],
    ['a truncated message', reply('reply-scanned.eml').subarray(0, 5000)],
  ])('%s: parsed without throwing', async (_label, bytes) => {
    const m = await parseEml(bytes);
    expect(m.received.at === null || m.received.at instanceof Date).toBe(true);
    expect(Array.isArray(m.attachments)).toBe(true);
  });

  it('a message cut in the middle of its attachment still yields the part that arrived', async () => {
    const m = await parseEml(reply('reply-scanned.eml').subarray(0, 60_000));
    expect(m.from?.address).toBe('abtvi1@bmeia.gv.at');
    const [a] = m.attachments;
    expect(a?.kind).toBe('pdf');
    expect((await classifyDocument(a?.bytes ?? new Uint8Array(), 'pdf')).class).toBe('unreadable');
  });
});
