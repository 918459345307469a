import { describe, expect, it } from 'vitest';
import { displayName } from '../../src/participants/consolidate.js';

const person = (honorific: string, givenName: string, familyName: string, fullName = '') => ({
  honorific,
  givenName,
  familyName,
  fullName,
});

describe('displayName: a participant as the list prints them', () => {
  it('Latin and Cyrillic names: honorific, given name, FAMILY NAME', () => {
    expect(displayName(person('H.E. Mr.', 'Jürg', 'Müller'))).toBe('H.E. Mr. Jürg MÜLLER');
    expect(displayName(person('г-н', 'Пётр Ильич', 'Ёлкин'))).toBe('г-н Пётр Ильич ЁЛКИН');
  });

  it('Chinese names: family name first, no space, the Chinese honorific after the name', () => {
    expect(displayName(person('先生', '志远', '欧阳'))).toBe('欧阳志远先生');
    expect(displayName(person('女士', '晓梅', '李'))).toBe('李晓梅女士');
    expect(displayName(person('阁下', '建国', '王'))).toBe('王建国阁下');
    expect(displayName(person('Mr.', '建国', '王'))).toBe('Mr. 王建国');
  });

  it('a name given whole is kept as written', () => {
    expect(displayName(person('Ms.', '', '', 'Aisha bint Ahmed'))).toBe('Ms. Aisha bint Ahmed');
  });
});
