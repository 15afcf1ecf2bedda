/**
 * Bad identifiers are refused at the gateway with BAD_USER_INPUT, naming the argument and
 * what is wrong, before any subgraph or agency is called.
 */
import fc from 'fast-check';
import { idNumberCheckChar } from '../../schemas/identifiers';
import { postInCase } from '../support/courtRequest';
import { inPool } from '../support/inPool';
import { postGraphQL } from '../support/postGraphQL';
import { callCounts, useStack } from '../support/stack';

const stack = useStack({ persons: 200 });

function expectNoAgencyCalled(): void {
  const counts = callCounts(stack().emulators);
  expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
}

describe('identifiers are checked at the gateway', () => {
  it.each([
    ['person', 'idNumber', 'IdNumber', '110105194912310021', 'CHECK_CHARACTER', 'IdNumber check character (the 18th) does not match the first 17 digits.'],
    ['person', 'idNumber', 'IdNumber', '1101051949123100', 'LENGTH', 'IdNumber must be 18 characters long, got 16.'],
    ['company', 'creditCode', 'CreditCode', '91350100M000100Y44', 'CHECK_CHARACTER', 'CreditCode check character (the 18th) does not match the first 17.'],
    ['case', 'caseNumber', 'CaseNumber', '2024浙0106执1234', 'STRUCTURE', expect.stringContaining('CaseNumber must read (year)court-code case-type serial 号')],
  ])('%s(%s) with a bad %s literal -> BAD_USER_INPUT naming the argument (%s)', async (field, argument, scalar, value, reason, detail) => {
    const selection = field === 'case' ? 'caseNumber' : field === 'person' ? 'idNumber' : 'creditCode';
    const answer = await postGraphQL(stack().gateway.url, `{ ${field}(${argument}: "${value}") { ${selection} } }`);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toEqual([
      {
        message: typeof detail === 'string' ? `Argument "${argument}" of "${field}" is invalid: ${detail}` : expect.stringMatching(new RegExp(`^Argument "${argument}" of "${field}" is invalid: `)),
        locations: [expect.any(Object)],
        extensions: { code: 'BAD_USER_INPUT', scalar, reason, argument: `"${argument}" of "${field}"` },
      },
    ]);
    if (typeof detail !== 'string') expect(answer.errors![0]!.message).toEqual(detail);
    expectNoAgencyCalled();
  });

  it('refuses a bad variable naming the variable and the argument, without echoing the value', async () => {
    const answer = await postGraphQL(stack().gateway.url, 'query($id: IdNumber!) { person(idNumber: $id) { vehicles { vin } } }', { id: '110105194912310021' });
    expect(answer.errors).toEqual([
      {
        message: 'Variable "$id" (argument "idNumber" of "person") is invalid: IdNumber check character (the 18th) does not match the first 17 digits.',
        locations: [expect.any(Object)],
        extensions: { code: 'BAD_USER_INPUT', scalar: 'IdNumber', reason: 'CHECK_CHARACTER', argument: '"idNumber" of "person"' },
      },
    ]);
    expect(answer.errors![0]!.message).not.toContain('110105194912310021');
    expectNoAgencyCalled();
  });

  it('refuses a whole bulk request when one ID in the list is bad', async () => {
    const { population: pop, gateway } = stack();
    const ids = [pop.persons[0]!.idNumber, '110105194912310021'];
    const answer = await postGraphQL(gateway.url, 'query($ids: [IdNumber!]!) { persons(idNumbers: $ids) { vehicles { vin } } }', { ids });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', scalar: 'IdNumber', reason: 'CHECK_CHARACTER' });
    expectNoAgencyCalled();
  });

  it('accepts a case number written with full-width parentheses', async () => {
    const { population: pop, gateway } = stack();
    const n = pop.scenarios.richDebtor.caseNumber;
    const answer = await postInCase(gateway.url, pop, n, `{ case(caseNumber: "${n.replace('(', '（').replace(')', '）')}") { caseNumber } }`);
    expect(answer).toEqual({ status: 200, data: { case: { caseNumber: n } } });
  });

  it('refuses 300 random malformed ID numbers, each with BAD_USER_INPUT, and calls no agency', async () => {
    const malformed = fc.oneof(
      fc.string({ maxLength: 25 }),
      fc.stringMatching(/^[1-9]\d{16}[0-9X]$/).filter((s) => s[17] !== idNumberCheckChar(s)),
    );
    const samples = fc.sample(malformed, { numRuns: 300, seed: 42 });
    const answers = await inPool(samples, 16, (id) => postGraphQL(stack().gateway.url, 'query($id: IdNumber!) { person(idNumber: $id) { name } }', { id }));
    for (const answer of answers) {
      expect(answer.data).toBeUndefined();
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expectNoAgencyCalled();
  });
});
