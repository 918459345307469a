import { describe, expect, it } from 'vitest';

import { isFamilyFirstHeader, matchHeader } from '../../src/delegations/headers.js';
import { isHonorific, normaliseHonorific } from '../../src/delegations/honorific.js';
import { matchMeetings, parseAttendanceMark } from '../../src/delegations/meetings.js';
import { splitFullName } from '../../src/delegations/names.js';
import { parseRole } from '../../src/delegations/role.js';
import { composeFullName } from '../../src/delegations/schema.js';

describe('matchHeader', () => {
  it.each([
    ['Family name', 'family_name'],
    ['Surname', 'family_name'],
    ['LAST NAME', 'family_name'],
    ['Nom', 'family_name'],
    ['Apellidos', 'family_name'],
    ['Фамилия', 'family_name'],
    ['اسم العائلة', 'family_name'],
    ['姓', 'family_name'],
    ['First name', 'given_name'],
    ['Prénom', 'given_name'],
    ['PRENOM', 'given_name'],
    ['prénom :', 'given_name'],
    ['Nombre', 'given_name'],
    ['Имя', 'given_name'],
    ['الاسم الأول', 'given_name'],
    ['名', 'given_name'],
    ['Name', 'full_name'],
    ['ФИО', 'full_name'],
    ['Ф.И.О.', 'full_name'],
    ['Nom et prénom', 'full_name'],
    ['姓名', 'full_name'],
    ['E-mail', 'email'],
    ['Email', 'email'],
    ['e mail', 'email'],
    ['Courriel', 'email'],
    ['Correo electrónico', 'email'],
    ['Эл. почта', 'email'],
    ['البريد الإلكتروني', 'email'],
    ['البريد الالكتروني', 'email'],
    ['电子邮件', 'email'],
    ['ＥＭＡＩＬ', 'email'],
    ['Tel.', 'phone'],
    ['Tél.', 'phone'],
    ['Teléfono', 'phone'],
    ['Телефон', 'phone'],
    ['Phone (mobile)', 'phone'],
    ['Title', 'title'],
    ['Position', 'title'],
    ['Fonction', 'title'],
    ['Cargo', 'title'],
    ['Должность', 'title'],
    ['职务', 'title'],
    ['Honorific', 'honorific'],
    ['Civilité', 'honorific'],
    ['Tratamiento', 'honorific'],
    ['Обращение', 'honorific'],
    ['称谓', 'honorific'],
    ['Ministry/Institution', 'organization'],
    ['Ministère', 'organization'],
    ['Institución', 'organization'],
    ['Ведомство', 'organization'],
    ['Role', 'role'],
    ['Rôle', 'role'],
    ['Función en la delegación', 'role'],
    ['Роль', 'role'],
    ['الدور', 'role'],
    ['Country', 'state'],
    ['Pays', 'state'],
    ['País', 'state'],
    ['Государство', 'state'],
    ['الدولة', 'state'],
    ['国家', 'state'],
    ['Meeting(s)', 'meetings'],
    ['Réunion', 'meetings'],
    ['Reuniones', 'meetings'],
    ['Совещание', 'meetings'],
    ['会议', 'meetings'],
    ['  Family-Name*  ', 'family_name'],
  ])('%s → %s', (header, field) => {
    expect(matchHeader(header)?.field).toBe(field);
  });

  it('leaves unknown headers and empty ones unmatched', () => {
    expect(matchHeader('Fax')).toBeUndefined();
    expect(matchHeader('Passport number')).toBeUndefined();
    expect(matchHeader('')).toBeUndefined();
    expect(matchHeader(' * ')).toBeUndefined();
  });

  it('marks "Title" (and translations) as maybe the honorific, not "Job title"', () => {
    expect(matchHeader('Title')).toEqual({ field: 'title', maybeHonorific: true });
    expect(matchHeader('Titre')).toEqual({ field: 'title', maybeHonorific: true });
    expect(matchHeader('Job title')).toEqual({ field: 'title', maybeHonorific: false });
  });

  it('knows the family-first Russian ФИО', () => {
    expect(isFamilyFirstHeader('Ф.И.О.')).toBe(true);
    expect(isFamilyFirstHeader('Name')).toBe(false);
  });
});

describe('normaliseHonorific', () => {
  it.each([
    ['mr', 'Mr.'],
    ['Mr', 'Mr.'],
    ['MR.', 'Mr.'],
    ['ms', 'Ms.'],
    ['Mrs', 'Mrs.'],
    ['dr', 'Dr.'],
    ['Prof', 'Prof.'],
    ['HE Mr', 'H.E. Mr.'],
    ['H.E. Mr.', 'H.E. Mr.'],
    ['h.e. ms', 'H.E. Ms.'],
    ['H. E. Mr', 'H.E. Mr.'],
    ['His Excellency', 'H.E. Mr.'],
    ['Her Excellency', 'H.E. Ms.'],
    ['H.E.', 'H.E.'],
    ['HE Dr', 'H.E. Dr.'],
    ['Prof. Dr.', 'Prof. Dr.'],
    ['', ''],
  ])('%s → %s', (raw, value) => {
    expect(normaliseHonorific(raw)).toEqual({ value, known: true });
  });

  it.each([
    'Sr.',
    'Sra.',
    'M.',
    'Mme',
    'S.E. M.',
    'г-н',
    'г-жа',
    'السيد',
    '先生',
    'Excmo. Sr.',
    'Ambassador',
  ])('keeps %s as written', (raw) => {
    expect(normaliseHonorific(` ${raw} `)).toEqual({ value: raw, known: true });
  });

  it('keeps an unknown form as written and says it is unknown', () => {
    expect(normaliseHonorific('Grand Poobah')).toEqual({ value: 'Grand Poobah', known: false });
  });

  it('tells honorifics from job titles', () => {
    expect(['Mr.', 'Ms', 'H.E. Mr.', 'Mme', 'Sr.'].every(isHonorific)).toBe(true);
    expect(['Minister', 'Director', 'Counsellor', ''].some(isHonorific)).toBe(false);
  });
});

describe('parseRole', () => {
  it.each([
    ['', 'member'],
    ['Head of delegation', 'head'],
    ['HEAD', 'head'],
    ['Chef de délégation', 'head'],
    ['Jefe de delegación', 'head'],
    ['Jefa de la Delegación', 'head'],
    ['глава делегации', 'head'],
    ['رئيس الوفد', 'head'],
    ['团长', 'head'],
    ['Alternate head', 'alternate'],
    ['Deputy Head of Delegation', 'alternate'],
    ['Chef adjoint de la délégation', 'alternate'],
    ['Suplente', 'alternate'],
    ['заместитель главы делегации', 'alternate'],
    ['member', 'member'],
    ['Délégué', 'member'],
    ['Delegada', 'member'],
    ['член делегации', 'member'],
    ['عضو الوفد', 'member'],
    ['Adviser', 'adviser'],
    ['advisor', 'adviser'],
    ['Conseillère', 'adviser'],
    ['Asesora', 'adviser'],
    ['Советник', 'adviser'],
  ])('%s → %s', (raw, role) => {
    expect(parseRole(raw)).toBe(role);
  });

  it('does not know "observer"', () => {
    expect(parseRole('observer')).toBeUndefined();
  });
});

describe('matchMeetings', () => {
  const two = [
    { key: 'uncac-em', names: ['UNCAC expert meeting', 'UNCAC', 'CNUCC'] },
    { key: 'untoc-wg', names: ['UNTOC working group', 'UNTOC WG', 'UNTOC'] },
  ];
  it.each([
    ['both', ['uncac-em', 'untoc-wg']],
    ['Both', ['uncac-em', 'untoc-wg']],
    ['les deux', ['uncac-em', 'untoc-wg']],
    ['ambas', ['uncac-em', 'untoc-wg']],
    ['оба', ['uncac-em', 'untoc-wg']],
    ['كلاهما', ['uncac-em', 'untoc-wg']],
    ['两者', ['uncac-em', 'untoc-wg']],
    ['all', ['uncac-em', 'untoc-wg']],
    ['UNCAC', ['uncac-em']],
    ['untoc-wg', ['untoc-wg']],
    ['UNTOC WG', ['untoc-wg']],
    ['UNCAC; UNTOC', ['uncac-em', 'untoc-wg']],
    ['UNTOC, UNCAC', ['uncac-em', 'untoc-wg']],
    ['UNCAC and UNTOC WG', ['uncac-em', 'untoc-wg']],
    ['CNUCC et UNTOC', ['uncac-em', 'untoc-wg']],
    ['UNCAC y UNTOC', ['uncac-em', 'untoc-wg']],
    ['UNCAC\nUNTOC', ['uncac-em', 'untoc-wg']],
    ['uncac expert  MEETING', ['uncac-em']],
    ['', []],
    ['  ', []],
  ])('%j → %j', (raw, keys) => {
    expect(matchMeetings(raw, two)).toEqual({ ok: true, keys });
  });

  it('names the meetings that exist when a part matches none', () => {
    const m = matchMeetings('UNCAC; plenary', two);
    expect(m).toEqual({ ok: false, message: expect.stringContaining('unknown meeting "plenary"') });
    expect(m.ok ? '' : m.message).toContain('untoc-wg (UNTOC working group)');
  });

  it.each([
    'uncac-cosp',
    'untoc-wg, uncac-cosp',
    'UNCAC expert meeting on international cooperation',
    'UNCAC-2',
  ])('a part that only contains a meeting name is no meeting: %j', (raw) => {
    const m = matchMeetings(raw, two);
    expect(m.ok).toBe(false);
  });

  it('finds "both" unclear with three meetings, but not "all"', () => {
    const three = [...two, { key: 'cosp', names: ['Conference'] }];
    expect(matchMeetings('both', three).ok).toBe(false);
    expect(matchMeetings('all', three)).toEqual({ ok: true, keys: ['uncac-em', 'untoc-wg', 'cosp'] });
  });

  it('reads attendance marks', () => {
    expect(['x', 'X', 'yes', 'Oui', 'sí', 'да', '✓', '1'].map(parseAttendanceMark)).toEqual(
      Array(8).fill(true),
    );
    expect(['', 'no', 'non', 'нет', '-', '0'].map(parseAttendanceMark)).toEqual(Array(6).fill(false));
    expect(parseAttendanceMark('maybe')).toBeUndefined();
  });
});

describe('splitFullName', () => {
  it.each([
    ['John SMITH', 'auto', { given: 'John', family: 'SMITH' }],
    ['WANG Wei', 'auto', { given: 'Wei', family: 'WANG' }],
    ['María DE LA CRUZ', 'auto', { given: 'María', family: 'DE LA CRUZ' }],
    ['J. SMITH', 'auto', { given: 'J.', family: 'SMITH' }],
    ["Seán O'NEILL", 'auto', { given: 'Seán', family: "O'NEILL" }],
    ['Smith, John', 'auto', { given: 'John', family: 'Smith' }],
    ['Иванов Сергей Петрович', 'family-first', { given: 'Сергей Петрович', family: 'Иванов' }],
    ['John Smith', 'auto', undefined],
    ['JOHN SMITH', 'auto', undefined],
    ['Wang Wei', 'auto', undefined],
    ['Madonna', 'auto', undefined],
    ['Иванов', 'family-first', undefined],
  ] as const)('%s (%s)', (full, order, split) => {
    expect(splitFullName(full, order)).toEqual(split);
  });

  it('composes the full name in the order of the script', () => {
    expect(composeFullName('Hans', 'MÜLLER')).toBe('Hans MÜLLER');
    expect(composeFullName('伟', '王')).toBe('王伟');
    expect(composeFullName('', 'MÜLLER')).toBe('MÜLLER');
  });
});
