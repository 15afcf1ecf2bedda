import { caseNumberParts, checkCaseNumber, normaliseCaseNumber } from '../../../../schemas/identifiers';

const STRUCTURE_MESSAGE =
  'CaseNumber must read (year)court-code case-type serial 号, e.g. (2024)浙0106执1234号; case types: ' +
  '执恢 执保 执异 执复 执监 执协 执他 执配 执.';

describe('checkCaseNumber', () => {
  it('normalises full-width parentheses to the same value as the half-width form', () => {
    const half = checkCaseNumber('(2024)浙0106执1234号');
    const full = checkCaseNumber('（2024）浙0106执1234号');
    expect(half).toEqual({ ok: true, value: '(2024)浙0106执1234号' });
    expect(full).toEqual(half);
    expect(normaliseCaseNumber('（2024)浙0106执1234号 ')).toBe('(2024)浙0106执1234号');
  });

  it.each([
    '(2023)京01执恢5号',
    '(2022)最高法执监12号',
    '(2021)兵0101执保100号',
    '(2020)粤执异999999号',
    '(1990)沪0115执他1号',
  ])('accepts %s', (input) => {
    expect(checkCaseNumber(input)).toEqual({ ok: true, value: input });
  });

  const nextYear = new Date().getUTCFullYear() + 1;
  it.each([
    [2024, 'TYPE', 'CaseNumber must be a string.'],
    ['(2024)浙0106民初1234号', 'STRUCTURE', STRUCTURE_MESSAGE],
    ['(2024)浙0106执1234', 'STRUCTURE', STRUCTURE_MESSAGE],
    ['(2024)浙0106执0123号', 'STRUCTURE', STRUCTURE_MESSAGE],
    ['(2024)浙0106执1234567号', 'STRUCTURE', STRUCTURE_MESSAGE],
    ['(24)浙0106执1234号', 'STRUCTURE', STRUCTURE_MESSAGE],
    ['(2024)港0106执1234号', 'STRUCTURE', STRUCTURE_MESSAGE],
    ['(2024)浙106执1234号', 'STRUCTURE', STRUCTURE_MESSAGE],
    ['[2024]浙0106执1234号', 'STRUCTURE', STRUCTURE_MESSAGE],
    ['(1989)浙0106执1234号', 'RANGE', 'CaseNumber year 1989 is out of range.'],
    [`(${nextYear + 1})浙0106执1号`, 'RANGE', `CaseNumber year ${nextYear + 1} is out of range.`],
  ])('refuses %p with %s', (input, reason, message) => {
    expect(checkCaseNumber(input)).toEqual({ ok: false, reason, message });
  });

  it('splits a case number into its parts, preferring the longer case-type word', () => {
    expect(caseNumberParts('（2023）京01执恢5号')).toEqual({ year: 2023, courtCode: '京01', caseType: '执恢', serial: 5 });
    expect(caseNumberParts('(2024)浙0106执1234号')).toEqual({ year: 2024, courtCode: '浙0106', caseType: '执', serial: 1234 });
    expect(() => caseNumberParts('(2024)')).toThrow('not a checked case number');
  });
});
