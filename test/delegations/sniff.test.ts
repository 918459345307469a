import { describe, expect, it } from 'vitest';

import { excelSeparatorLine, sniffDelimiter } from '../../src/delegations/sniff.js';

describe('sniffDelimiter', () => {
  it.each([
    ['comma', 'State,Family name,Given name\r\nAustria,MÜLLER,Hans\r\n', ','],
    ['semicolon (European Excel)', 'Pays;Nom;Prénom\r\nFrance;DUPONT;Jean, Marie\r\n', ';'],
    ['tab ("Unicode text")', 'State\tFamily name\tTitle\r\nAustria\tMÜLLER\tDirector, Division\r\n', '\t'],
    ['pipe', 'State|Family name|Title\nAustria|MÜLLER|Director\n', '|'],
    ['commas inside a quoted header do not count', '"Name, family";"Name, given";"Title, official"\r\n', ';'],
    ['a quoted value with line breaks in the header line', '"Family\nname";"Given, name";Title\r\n', ';'],
    [
      'a title line without delimiters above the header',
      'Delegation of Austria\r\n\r\nState;Family name;Title\r\n',
      ';',
    ],
    ['one column', 'Name\r\nMÜLLER\r\n', ','],
    ['empty text', '', ','],
    ['a tie goes to the comma', 'a,b;c\r\n', ','],
  ])('finds the %s', (_, text, expected) => {
    expect(sniffDelimiter(text)).toBe(expected);
  });
});

describe('excelSeparatorLine', () => {
  it('reads sep=; and its length', () => {
    expect(excelSeparatorLine('sep=;\r\nName;Title\r\n')).toEqual({ delimiter: ';', length: 5 });
    expect(excelSeparatorLine('"sep=\t"\nName\tTitle')).toEqual({ delimiter: '\t', length: 7 });
  });
  it('ignores other first lines', () => {
    expect(excelSeparatorLine('separator;Name\r\n')).toBeUndefined();
    expect(excelSeparatorLine('sep=x\r\n')).toBeUndefined();
  });
});
