import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';

import { decodeText } from '../../src/delegations/decode.js';
import { UserError } from '../../src/errors.js';

const FR = 'Nom;Prénom;Fonction\r\nMÜLLER;Gérard;Conseiller « spécial » – Ministère de l’Intérieur\r\n';
const RU =
  'Фамилия;Имя;Должность\r\nИванов;Сергей Петрович;Заместитель Генерального прокурора\r\nСоколова;Алёна;Советник\r\n';

describe('decodeText', () => {
  it.each([
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(FR)]), 'utf-8-bom', false],
    ['UTF-8 without BOM', Buffer.from(FR), 'utf-8', false],
    [
      'UTF-16LE with BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FR, 'utf16le')]),
      'utf-16le',
      false,
    ],
    [
      'UTF-16BE with BOM',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(FR, 'utf16le').swap16()]),
      'utf-16be',
      false,
    ],
    ['UTF-16LE without BOM', Buffer.from(FR, 'utf16le'), 'utf-16le', true],
    ['windows-1252', iconv.encode(FR, 'windows-1252'), 'windows-1252', true],
    ['windows-1251', iconv.encode(RU, 'windows-1251'), 'windows-1251', true],
  ] as const)('reads %s', (_, bytes, encoding, assumed) => {
    const decoded = decodeText(bytes);
    expect(decoded).toMatchObject({ text: expect.any(String), encoding, assumed });
    expect(decoded.text).toBe(encoding === 'windows-1251' ? RU : FR);
  });

  it('reads latin-1 text without C1 bytes (chardet: ISO-8859-1) as windows-1252', () => {
    const text = 'Apellidos;Nombre\r\nPÉREZ NÚÑEZ;José\r\nIBÁÑEZ;Begoña\r\n';
    expect(decodeText(iconv.encode(text, 'latin1'))).toMatchObject({
      text,
      encoding: 'windows-1252',
      assumed: true,
    });
  });

  it('takes ASCII as UTF-8, not as a guess', () => {
    expect(decodeText(Buffer.from('a,b\r\n1,2\r\n'))).toEqual({
      text: 'a,b\r\n1,2\r\n',
      encoding: 'utf-8',
      assumed: false,
    });
  });

  it('reads an empty file as empty UTF-8', () => {
    expect(decodeText(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8', assumed: false });
  });

  it.each([
    [
      'NUL bytes (a binary file)',
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0x41, 0x42, 0x00, 0x43, 0xff]),
    ],
    ['a UTF-8 BOM then invalid UTF-8', Buffer.from([0xef, 0xbb, 0xbf, 0x41, 0xff, 0x42])],
    ['UTF-16 with an odd number of bytes', Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42])],
    ['UTF-16 with a lone surrogate', Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00])],
    ['UTF-32', Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x41, 0x00, 0x00, 0x00])],
  ])('refuses %s with a UserError naming the file', (_, bytes) => {
    expect(() => decodeText(bytes, { file: 'list.csv' })).toThrow(UserError);
    expect(() => decodeText(bytes, { file: 'list.csv' })).toThrow(/^list\.csv /);
  });
});

describe('13. a decode that succeeds is not a decode that is right', () => {
  const mac = 'Family name,Given name,Title\rMÜLLER,Jürg,Richter\rGÖTZE,Zoë,Staatsanwältin\r';

  it('reads a MacRoman list with bare CR line ends (Excel for Mac) as MacRoman, and says it guessed', () => {
    const d = decodeText(iconv.encode(mac, 'macintosh'));
    expect(d).toMatchObject({ text: mac, encoding: 'macintosh', assumed: true });
    expect(d.guess!.reason).toMatch(/macintosh reads as names where windows-1252 \("M†LLER"\)/);
  });

  it('reads MacRoman as MacRoman even with CRLF line ends, because windows-1252 puts symbols inside names', () => {
    expect(decodeText(iconv.encode(mac.replace(/\r/g, '\r\n'), 'macintosh')).encoding).toBe('macintosh');
  });

  it('refuses with the candidates when no encoding reads as names', () => {
    // Bytes 0x86 0x87 0x86 between letters: a dagger or other symbol in every single-byte code page.
    const bytes = Buffer.concat([
      Buffer.from('Name\r\nA'),
      Buffer.from([0x86, 0x87, 0x86]),
      Buffer.from('B\r\n'),
    ]);
    expect(() => decodeText(bytes, { file: 'odd.csv' })).toThrow(
      /odd\.csv is not UTF-8, and no encoding reads it as names: as windows-1252 it reads "A†‡†B"/,
    );
  });
});
