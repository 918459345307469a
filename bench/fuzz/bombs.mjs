// Hostile replies built by code, small on disk, for the fuzz run (bench/fuzz/replies.mjs) and the
// hostile-input test (test/intake/hostile.test.ts): PDFs whose streams inflate to gigabytes, whose
// Form XObjects fan out 10^10 times, with thousands of pages or millions of operators, encrypted
// (RC4, empty user password: pdf.js opens them, pdf-lib cannot) or not; DOCX with millions of runs;
// e-mails that carry them. Nothing large is ever written: a 2 GB stream is ~2 MB of zlib, or a few
// KB when deflated twice.
import { createHash } from 'node:crypto';
import { constants, deflateRawSync, deflateSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';

const MB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// zlib data of `mb` megabytes of one byte, made without ever holding them

/** adler32 of `n` bytes of value `c`, appended to the state (a, b) (RFC 1950). */
function adlerRepeat(a, b, c, n) {
  const M = 65521n;
  const [A, B, C, N] = [BigInt(a), BigInt(b), BigInt(c), BigInt(n)];
  return [Number((A + N * C) % M), Number((B + N * A + (C * N * (N + 1n)) / 2n) % M)];
}

/** zlib stream that inflates to `mb` MB of `byte`: one 1 MB deflate block (no back-reference out of it) repeated. */
export function zlibOf(mb, byte = 0x20) {
  const block = deflateRawSync(Buffer.alloc(MB, byte), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const end = deflateRawSync(Buffer.alloc(0)); // a final empty block
  const [a, b] = adlerRepeat(1, 0, byte, mb * MB);
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((b << 16) | a) >>> 0);
  return Buffer.concat([Buffer.from([0x78, 0xda]), ...Array(mb).fill(block), end, adler]);
}

// ---------------------------------------------------------------------------------------------
// A small PDF writer, with RC4 40-bit encryption (standard security handler R2, empty user password)

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

function rc4(key, data) {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
    out[k] = data[k] ^ s[(s[i] + s[j]) & 255];
  }
  return out;
}

const md5 = (...parts) => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
};

/**
 * A PDF from objects numbered 1…n (object 1 the catalog): each `{ dict, stream? }`, `dict` the text
 * between << >>. With `encrypt`, streams are RC4-encrypted with their object's key.
 */
export function writePdf(objects, { encrypt = false } = {}) {
  const id = md5(Buffer.from(`nv-fuzz-${objects.length}-${encrypt}`));
  const O = Buffer.alloc(32, 0x41); // the owner check is not needed to open with the empty user password
  const P = -4;
  const pBytes = Buffer.alloc(4);
  pBytes.writeInt32LE(P);
  const fileKey = md5(PAD, O, pBytes, id).subarray(0, 5);
  const U = rc4(fileKey, PAD);
  const chunks = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0].length;
  const offsets = [];
  const push = (buf) => {
    chunks.push(buf);
    offset += buf.length;
  };
  const all = [...objects];
  if (encrypt)
    all.push({
      dict: `/Filter /Standard /V 1 /R 2 /Length 40 /P ${P} /O <${O.toString('hex')}> /U <${U.toString('hex')}>`,
      plain: true,
    });
  all.forEach((obj, index) => {
    const num = index + 1;
    offsets.push(offset);
    if (obj.stream === undefined) {
      push(Buffer.from(`${num} 0 obj\n<< ${obj.dict} >>\nendobj\n`, 'latin1'));
      return;
    }
    let data = Buffer.from(obj.stream);
    if (encrypt && !obj.plain) {
      const k = Buffer.concat([fileKey, Buffer.from([num & 255, (num >> 8) & 255, (num >> 16) & 255, 0, 0])]);
      data = rc4(md5(k).subarray(0, 10), data);
    }
    push(Buffer.from(`${num} 0 obj\n<< ${obj.dict} /Length ${data.length} >>\nstream\n`, 'latin1'));
    push(data);
    push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
  });
  const xref = offset;
  const rows = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  const encryptRef = encrypt ? ` /Encrypt ${all.length} 0 R` : '';
  push(
    Buffer.from(
      `xref\n0 ${all.length + 1}\n0000000000 65535 f \n${rows}trailer\n<< /Size ${all.length + 1} /Root 1 0 R /ID [<${id.toString('hex')}> <${id.toString('hex')}>]${encryptRef} >>\nstartxref\n${xref}\n%%EOF\n`,
      'latin1',
    ),
  );
  return new Uint8Array(Buffer.concat(chunks));
}

/** Catalog, page tree of `pages` pages sharing one content stream (object 4) and resources. */
function pagesPdf({ pages = 1, content, filter = '', resources = '', extra = [], encrypt = false }) {
  const first = 5 + extra.length;
  const kids = Array.from({ length: pages }, (_, i) => `${first + i} 0 R`).join(' ');
  const objects = [
    { dict: '/Type /Catalog /Pages 2 0 R' },
    { dict: `/Type /Pages /Count ${pages} /Kids [${kids}]` },
    { dict: '/Type /Font /Subtype /Type1 /BaseFont /Helvetica' },
    { dict: filter, stream: content },
    ...extra,
    ...Array.from({ length: pages }, () => ({
      dict: `/Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> ${resources} >>`,
    })),
  ];
  return writePdf(objects, { encrypt });
}

// ---------------------------------------------------------------------------------------------
// The bombs

/** A page whose content stream inflates to `mb` MB of spaces, deflated `layers` times. */
export function inflateBombPdf({ mb, layers = 1, encrypt = false }) {
  let data = zlibOf(mb);
  for (let i = 1; i < layers; i++) data = deflateSync(data, { level: 9 });
  const filter = `/Filter [${Array(layers).fill('/FlateDecode').join(' ')}]`;
  return pagesPdf({ content: data, filter, encrypt });
}

/** Form XObjects 1…depth, each drawing the next `fan` times: fan^depth draws of the last one. */
export function fanOutPdf({ depth = 10, fan = 10, encrypt = false }) {
  const first = 5; // the forms are objects 5…5+depth-1
  const extra = Array.from({ length: depth }, (_, i) => {
    const last = i === depth - 1;
    const body = last ? '0 0 m 1 1 l S' : Array(fan).fill('/X Do').join(' ');
    const res = last ? '' : `/Resources << /XObject << /X ${first + i + 1} 0 R >> >>`;
    return { dict: `/Type /XObject /Subtype /Form /BBox [0 0 595 842] ${res}`, stream: Buffer.from(body) };
  });
  return pagesPdf({
    content: Buffer.from(Array(fan).fill('/X Do').join(' ')),
    resources: `/XObject << /X ${first} 0 R >>`,
    extra,
    encrypt,
  });
}

/** `pages` pages, each drawing the same `ops` operators (setting the line width). */
export function manyOperatorsPdf({ pages = 600, ops = 300_000, encrypt = false }) {
  return pagesPdf({
    pages,
    content: deflateSync(Buffer.from('1 w\n'.repeat(ops)), { level: 9 }),
    filter: '/Filter /FlateDecode',
    encrypt,
  });
}

/** A typed page repeated `pages` times. */
export function manyPagesPdf({ pages = 5000, encrypt = false }) {
  return pagesPdf({ pages, content: Buffer.from('BT /F1 12 Tf 72 700 Td (Reply) Tj ET'), encrypt });
}

/** A DOCX whose document.xml holds `runs` runs of one letter (2.5 M runs: 60 MB inflated). */
export function docxBomb({ runs = 2_500_000 }) {
  const body = '<w:r><w:t>a</w:t></w:r>'.repeat(runs);
  const xml = `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>${body}</w:p></w:body></w:document>`;
  return zipSync(
    {
      '[Content_Types].xml': strToU8(
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
      'word/document.xml': strToU8(xml),
    },
    { level: 9 },
  );
}

/** An e-mail carrying `attachments` ({ name, type, bytes }) base64-encoded. */
export function emailWith(
  attachments,
  { subject = 'Reply to CU 2012/150', from = 'protocol@bmeia.gv.at' } = {},
) {
  const parts = attachments.map((a) => {
    const b64 = Buffer.from(a.bytes).toString('base64').replace(/.{76}/g, '$&\r\n');
    return `--b1\r\nContent-Type: ${a.type}; name="${a.name}"\r\nContent-Disposition: attachment; filename="${a.name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n`;
  });
  return Buffer.from(
    `Received: from mail.bmeia.gv.at by mx1.unvienna.org; Fri, 21 Sep 2012 09:15:48 +0200\r\nFrom: ${from}\r\nTo: uncac.cop@unodc.org\r\nSubject: ${subject}\r\nDate: Fri, 21 Sep 2012 09:15:40 +0200\r\nMessage-ID: <${createHash(
      'md5',
    )
      .update(subject + attachments.map((a) => a.name).join())
      .digest(
        'hex',
      )}@bmeia.gv.at>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nPlease find our reply attached.\r\n${parts.join('')}--b1--\r\n`,
  );
}
