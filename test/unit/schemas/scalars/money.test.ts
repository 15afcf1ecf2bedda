import { GraphQLError } from 'graphql';
import { Money } from '../../../../schemas/scalars';
import { run } from '../../../support/scalarsHarness';

const MAX = '90071992547409.91';
const NOT_A_NUMBER = 'Money must be written as a quoted string such as "1234.56", not as a number.';
const bad = (reason: string, message: string, column: number) => ({
  message,
  locations: [{ line: 1, column }],
  extensions: { code: 'BAD_USER_INPUT', scalar: 'Money', reason },
});

describe('Money input', () => {
  it.each([
    ['1234.56', 123456, '1234.56'],
    ['1234.5', 123450, '1234.50'],
    ['7', 700, '7.00'],
    ['-0.5', -50, '-0.50'],
    [MAX, Number.MAX_SAFE_INTEGER, MAX],
  ])('literal %s reaches the resolver as %d fen and is returned as %s', async (yuan, fen, canonical) => {
    expect(await run(`{ inMoney(v: "${yuan}") echoMoney(v: "${yuan}") }`)).toEqual({
      data: { inMoney: String(fen), echoMoney: canonical },
    });
  });

  it('variable "1234.56" reaches the resolver as 123456 fen', async () => {
    expect(await run('query Q($v: Money!) { inMoney(v: $v) echoMoney(v: $v) }', { v: '1234.56' })).toEqual({
      data: { inMoney: '123456', echoMoney: '1234.56' },
    });
  });

  it.each(['1234.56', '1234', '-3'])('refuses the number literal %s with reason TYPE', async (literal) => {
    const source = `{ inMoney(v: ${literal}) }`;
    expect(await run(source)).toEqual({ errors: [bad('TYPE', NOT_A_NUMBER, 14)] });
  });

  it('refuses a number variable with reason TYPE', async () => {
    expect(await run('query Q($v: Money!) { inMoney(v: $v) }', { v: 1234.56 })).toEqual({
      errors: [
        {
          ...bad('TYPE', 'Money must be a decimal string of yuan such as "1234.56", never a number.', 9),
          message:
            'Variable "$v" got invalid value 1234.56; Money must be a decimal string of yuan such as "1234.56", never a number.',
        },
      ],
    });
  });

  it.each([
    ['1.234', 'STRUCTURE', 'Money must be yuan with at most 2 decimals, e.g. "1234.56".'],
    ['1,234.00', 'STRUCTURE', 'Money must be yuan with at most 2 decimals, e.g. "1234.56".'],
    ['90071992547409.92', 'RANGE', `Money must lie between -${MAX} and ${MAX} yuan.`],
  ])('refuses %s with reason %s as literal and as variable', async (yuan, reason, message) => {
    expect(await run(`{ inMoney(v: "${yuan}") }`)).toEqual({ errors: [bad(reason, message, 14)] });
    expect(await run('query Q($v: Money!) { inMoney(v: $v) }', { v: yuan })).toEqual({
      errors: [{ ...bad(reason, message, 9), message: `Variable "$v" got invalid value "${yuan}"; ${message}` }],
    });
  });
});

describe('Money output', () => {
  it.each([
    [123456, '1234.56'],
    [0, '0.00'],
    [-0, '0.00'],
    [-5, '-0.05'],
    [Number.MAX_SAFE_INTEGER, MAX],
    ['1234.5', '1234.50'], // already serialised yuan, made canonical
    ['007', '7.00'],
    ['-0.00', '0.00'],
  ])('serializes %p as %s', async (out, text) => {
    expect(await run('{ outMoney }', {}, out)).toEqual({ data: { outMoney: text } });
  });

  const TYPE = 'Money must be held as a safe integer of fen or a yuan decimal string.';
  it.each([
    [1234.56, 'TYPE', TYPE],
    [NaN, 'TYPE', TYPE],
    [2 ** 53, 'TYPE', TYPE],
    [true, 'TYPE', TYPE],
    ['1.234', 'STRUCTURE', 'Money must be yuan with at most 2 decimals, e.g. "1234.56".'],
    ['¥12.00', 'STRUCTURE', 'Money must be yuan with at most 2 decimals, e.g. "1234.56".'],
  ])('refuses to return %p', async (out, reason, message) => {
    expect(await run('{ outMoney }', {}, out)).toEqual({
      data: { outMoney: null },
      errors: [
        {
          message: `Cannot return an invalid Money: ${message}`,
          locations: [{ line: 1, column: 3 }],
          path: ['outMoney'],
          extensions: { scalar: 'Money', reason },
        },
      ],
    });
  });

  it('refuses a bigint when called directly', () => {
    expect(() => Money.serialize(123456n)).toThrow(GraphQLError);
    expect(Money.parseValue('12.3')).toBe(1230);
  });
});
