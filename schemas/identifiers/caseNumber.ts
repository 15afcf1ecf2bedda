import { type Checked, invalid, valid } from './invalidIdentifier';

/** Province abbreviations used in court codes, plus 兵 (XPCC courts) and 最高法 (the SPC). */
const PROVINCES = '京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵';
/** Enforcement case-type words (SPC rules on case numbers), longest first so 执恢 wins over 执. */
export const ENFORCEMENT_CASE_TYPES = ['执恢', '执保', '执异', '执复', '执监', '执协', '执他', '执配', '执'];

const FORM = new RegExp(
  `^\\((\\d{4})\\)((?:[${PROVINCES}](?:\\d{2}|\\d{4})?)|最高法)(${ENFORCEMENT_CASE_TYPES.join('|')})([1-9]\\d{0,5})号$`,
);

const COURT_CODE = new RegExp(`^(?:[${PROVINCES}](?:\\d{2}|\\d{4})?|最高法)$`);

/** Whether `value` is a court code as written in case numbers, e.g. 浙0106, 浙01, 浙, 最高法. */
export function isCourtCode(value: string): boolean {
  return COURT_CODE.test(value);
}

export interface CaseNumberParts {
  year: number;
  courtCode: string;
  caseType: string;
  serial: number;
}

/** Normalises full-width parentheses （） to the half-width canonical form. */
export function normaliseCaseNumber(input: string): string {
  return input.trim().replace(/（/g, '(').replace(/）/g, ')');
}

/** Checks an enforcement case number such as (2024)浙0106执1234号. */
export function checkCaseNumber(input: unknown): Checked<string> {
  if (typeof input !== 'string') return invalid('TYPE', 'CaseNumber must be a string.');
  const value = normaliseCaseNumber(input);
  const m = FORM.exec(value);
  if (!m) {
    return invalid(
      'STRUCTURE',
      'CaseNumber must read (year)court-code case-type serial 号, e.g. (2024)浙0106执1234号; case types: ' +
        ENFORCEMENT_CASE_TYPES.join(' ') + '.',
    );
  }
  const year = Number(m[1]);
  if (year < 1990 || year > new Date().getUTCFullYear() + 1) {
    return invalid('RANGE', `CaseNumber year ${year} is out of range.`);
  }
  return valid(value);
}

export function caseNumberParts(value: string): CaseNumberParts {
  const m = FORM.exec(normaliseCaseNumber(value));
  if (!m) throw new Error(`not a checked case number: ${value}`);
  return { year: Number(m[1]), courtCode: m[2]!, caseType: m[3]!, serial: Number(m[4]) };
}
