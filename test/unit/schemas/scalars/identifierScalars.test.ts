import { GraphQLError, Kind, parseValue } from 'graphql';
import { CaseNumber, CreditCode, Date as DateScalar, IdNumber, UnitNumber, VIN } from '../../../../schemas/scalars';
import { run } from '../../../support/scalarsHarness';

/** The error ValuesOfCorrectTypeRule reports: the one parseLiteral threw, located at the literal. */
function literalError(source: string, at: string, scalar: string, reason: string, message: string) {
  return {
    message,
    locations: [{ line: 1, column: source.indexOf(at) + 1 }],
    extensions: { code: 'BAD_USER_INPUT', scalar, reason },
  };
}

/** Variable coercion prefixes graphql's own words, points at the definition and keeps the extensions. */
function variableError(value: unknown, scalar: string, reason: string, message: string) {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return {
    message: `Variable "$v" got invalid value ${shown}; ${message}`,
    locations: [{ line: 1, column: 9 }],
    extensions: { code: 'BAD_USER_INPUT', scalar, reason },
  };
}

const ID_CHECK = 'IdNumber check character (the 18th) does not match the first 17 digits.';
const CASE_STRUCTURE =
  'CaseNumber must read (year)court-code case-type serial 号, e.g. (2024)浙0106执1234号; case types: 执恢 执保 执异 执复 执监 执协 执他 执配 执.';

/** [scalar, input as written, normalised value] */
const VALID: Array<[string, string, string]> = [
  ['IdNumber', '11010519491231002x', '11010519491231002X'],
  ['CreditCode', '91350100m000100y43', '91350100M000100Y43'],
  ['VIN', '1m8gdm9axkp042788', '1M8GDM9AXKP042788'],
  ['UnitNumber', '330106001002gb00012f00010001', '330106001002GB00012F00010001'],
  ['CaseNumber', '（2024）浙0106执1234号', '(2024)浙0106执1234号'],
  ['Date', '2024-02-29', '2024-02-29'],
];

/** [scalar, input, reason, message] */
const INVALID: Array<[string, string, string, string]> = [
  ['IdNumber', '110105194912310021', 'CHECK_CHARACTER', ID_CHECK],
  ['IdNumber', '1101051949', 'LENGTH', 'IdNumber must be 18 characters long, got 10.'],
  ['IdNumber', '1101051949123100A2', 'ALPHABET', 'IdNumber must be 17 digits followed by a digit or X.'],
  ['IdNumber', '01010519491231002X', 'STRUCTURE', 'IdNumber must start with a region code (1-9).'],
  ['IdNumber', '110105194902300021', 'DATE', 'IdNumber holds no valid date of birth (characters 7-14).'],
  ['CreditCode', '91350100M000100Y44', 'CHECK_CHARACTER', 'CreditCode check character (the 18th) does not match the first 17.'],
  ['CreditCode', '91350100M000100I43', 'ALPHABET', 'CreditCode character 16 is not allowed: use 0-9 and A-Y without I, O, S, V, Z.'],
  ['CreditCode', '913501Q0M000100Y43', 'STRUCTURE', "CreditCode characters 3-8 must be the registering authority's region code (digits)."],
  ['VIN', '1M8GDM9A1KP042788', 'CHECK_CHARACTER', 'VIN check character (the 9th) does not match the others.'],
  ['VIN', '1M8GDM9AXKP04278O', 'ALPHABET', 'VIN may hold only digits and letters other than I, O and Q.'],
  ['VIN', '1M8GDM9AXKP04278', 'LENGTH', 'VIN must be 17 characters long, got 16.'],
  ['UnitNumber', '330106001002GB00012A00010001', 'STRUCTURE', 'UnitNumber characters 20-28 must be a building code: F, L, Q or W and 8 digits.'],
  ['UnitNumber', '330106001002GB00012F0001', 'LENGTH', 'UnitNumber must be 28 characters long, got 24.'],
  ['CaseNumber', '(2024)浙0106民初1234号', 'STRUCTURE', CASE_STRUCTURE],
  ['CaseNumber', '（1989）浙0106执1号', 'RANGE', 'CaseNumber year 1989 is out of range.'],
  ['Date', '2023-02-29', 'DATE', 'Date 2023-02-29 does not exist in the calendar.'],
  ['Date', '2023/02/28', 'STRUCTURE', 'Date must be written YYYY-MM-DD.'],
];

describe.each(VALID)('%s accepts %s', (scalar, input, value) => {
  it('as a literal, passing the normalised value to the resolver and returning it', async () => {
    const source = `{ in${scalar}(v: ${JSON.stringify(input)}) echo${scalar}(v: ${JSON.stringify(input)}) }`;
    expect(await run(source)).toEqual({ data: { [`in${scalar}`]: JSON.stringify(value), [`echo${scalar}`]: value } });
  });

  it('as a variable', async () => {
    const source = `query Q($v: ${scalar}!) { in${scalar}(v: $v) echo${scalar}(v: $v) }`;
    expect(await run(source, { v: input })).toEqual({
      data: { [`in${scalar}`]: JSON.stringify(value), [`echo${scalar}`]: value },
    });
  });
});

describe.each(INVALID)('%s refuses %s', (scalar, input, reason, message) => {
  it(`as a literal with reason ${reason}`, async () => {
    const literal = JSON.stringify(input);
    const source = `{ in${scalar}(v: ${literal}) }`;
    expect(await run(source)).toEqual({ errors: [literalError(source, literal, scalar, reason, message)] });
  });

  it(`as a variable with reason ${reason}`, async () => {
    const source = `query Q($v: ${scalar}!) { in${scalar}(v: $v) }`;
    expect(await run(source, { v: input })).toEqual({ errors: [variableError(input, scalar, reason, message)] });
  });
});

describe('non-string input', () => {
  it.each([
    ['IdNumber', '11010519491231002', 'IdNumber must be written as a quoted string such as "11010519491231002X", not as a number.'],
    ['Date', '20240229', 'Date must be written as a quoted string such as "2024-03-01", not as a number.'],
    // A bare name is an enum literal: a valid VIN spelled without quotes is still refused.
    ['VIN', 'WBAPH5C51BA123456', 'VIN must be written as a quoted string such as "1M8GDM9AXKP042788".'],
    ['CaseNumber', 'true', 'CaseNumber must be written as a quoted string such as "(2024)浙0106执1234号".'],
    ['UnitNumber', '["330106001002GB00012F00010001"]', 'UnitNumber must be written as a quoted string such as "330106001002GB00012F00010001".'],
    ['CreditCode', '{ code: "91350100M000100Y43" }', 'CreditCode must be written as a quoted string such as "91350100M000100Y43".'],
  ])('%s literal %s is refused with reason TYPE', async (scalar, literal, message) => {
    const source = `{ in${scalar}(v: ${literal}) }`;
    expect(await run(source)).toEqual({ errors: [literalError(source, literal, scalar, 'TYPE', message)] });
  });

  it.each([
    ['IdNumber', 11010519491231, 'IdNumber must be a string.'],
    ['Date', true, 'Date must be a string.'],
  ])('%s variable %p is refused with reason TYPE', async (scalar, value, message) => {
    const source = `query Q($v: ${scalar}!) { in${scalar}(v: $v) }`;
    expect(await run(source, { v: value })).toEqual({ errors: [variableError(value, scalar, 'TYPE', message)] });
  });
});

describe('serialize', () => {
  it.each(VALID)('%s returns %s normalised', async (scalar, input, value) => {
    expect(await run(`{ out${scalar} }`, {}, input)).toEqual({ data: { [`out${scalar}`]: value } });
  });

  it.each([
    ['IdNumber', '110105194912310021', 'CHECK_CHARACTER', ID_CHECK],
    ['VIN', 'garbage', 'LENGTH', 'VIN must be 17 characters long, got 7.'],
    ['CaseNumber', '浙0106执1234号', 'STRUCTURE', CASE_STRUCTURE],
    ['Date', '2024-02-30', 'DATE', 'Date 2024-02-30 does not exist in the calendar.'],
    ['Date', '2024-02-01T00:00:00.000Z', 'STRUCTURE', 'Date must be written YYYY-MM-DD.'],
    ['UnitNumber', 330106, 'TYPE', 'UnitNumber must be a string.'],
    ['CreditCode', { code: '91350100M000100Y43' }, 'TYPE', 'CreditCode must be a string.'],
  ])('%s refuses to return %p', async (scalar, output, reason, message) => {
    expect(await run(`{ out${scalar} }`, {}, output)).toEqual({
      data: { [`out${scalar}`]: null },
      errors: [
        {
          message: `Cannot return an invalid ${scalar}: ${message}`,
          locations: [{ line: 1, column: 3 }],
          path: [`out${scalar}`],
          extensions: { scalar, reason },
        },
      ],
    });
  });

  it('passes null through without calling the check', async () => {
    expect(await run('{ outIdNumber }', {}, null)).toEqual({ data: { outIdNumber: null } });
  });
});

describe('scalar methods called directly', () => {
  it('parseLiteral throws a located GraphQLError', () => {
    const node = parseValue('"110105194912310021"');
    expect(node.kind).toBe(Kind.STRING);
    let thrown: unknown;
    try {
      IdNumber.parseLiteral(node, undefined);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect((thrown as GraphQLError).nodes).toEqual([node]);
    expect((thrown as GraphQLError).extensions).toEqual({ code: 'BAD_USER_INPUT', scalar: 'IdNumber', reason: 'CHECK_CHARACTER' });
  });

  it('parseValue and serialize normalise', () => {
    expect(IdNumber.parseValue('11010519491231002x')).toBe('11010519491231002X');
    expect(CreditCode.serialize('91350100m000100y43')).toBe('91350100M000100Y43');
    expect(VIN.parseValue('1m8gdm9axkp042788')).toBe('1M8GDM9AXKP042788');
    expect(UnitNumber.serialize('330106001002gb00012f00010001')).toBe('330106001002GB00012F00010001');
    expect(CaseNumber.parseValue('（2024）浙0106执1234号')).toBe('(2024)浙0106执1234号');
    expect(DateScalar.serialize('2024-02-29')).toBe('2024-02-29');
    expect(() => DateScalar.parseValue('2024-02-30')).toThrow(
      new GraphQLError('Date 2024-02-30 does not exist in the calendar.'),
    );
  });
});
