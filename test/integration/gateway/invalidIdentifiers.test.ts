/**
 * Property: 10,000 near-miss identifiers (IdNumber, CreditCode, VIN, UnitNumber, CaseNumber
 * strings that look right but fail their check: a wrong check character, a transposition, a
 * letter the alphabet lacks, one character too many or too few, a bad date or region, junk),
 * sent in batches as literals and as variables, each get a clear BAD_USER_INPUT naming the
 * scalar and the reason the checker gives; no agency is called; the gateway answers on.
 */
import fc from 'fast-check';
import { issueDevToken } from '../../../gateway/auth/devIssuer';
import {
  checkCaseNumber,
  checkCreditCode,
  checkIdNumber,
  checkUnitNumber,
  checkVin,
  CREDIT_CODE_ALPHABET,
  creditCodeCheckChar,
  idNumberCheckChar,
  type Checked,
  vinCheckChar,
} from '../../../schemas/identifiers';
import { postInCase } from '../../support/courtRequest';
import { type GraphQLAnswer, postGraphQL } from '../../support/postGraphQL';
import { callCounts, useStack } from '../../support/stack';

const stack = useStack({ persons: 100 });

type Scalar = 'IdNumber' | 'CreditCode' | 'VIN' | 'UnitNumber' | 'CaseNumber';
const CHECKS: Record<Scalar, (value: unknown) => Checked<string>> = {
  IdNumber: checkIdNumber,
  CreditCode: checkCreditCode,
  VIN: checkVin,
  UnitNumber: checkUnitNumber,
  CaseNumber: checkCaseNumber,
};

const chars = (alphabet: string, n: number) => fc.array(fc.constantFrom(...alphabet), { minLength: n, maxLength: n }).map((a) => a.join(''));
const DIGITS = '0123456789';
const VIN_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

/** Typos of a valid identifier: one character replaced from `replacements`, two swapped, one dropped or doubled. */
function typos(valid: fc.Arbitrary<string>, replacements: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(valid, fc.nat(), fc.constantFrom(...replacements)).map(([v, i, c]) => v.slice(0, i % v.length) + c + v.slice((i % v.length) + 1)),
    fc.tuple(valid, fc.nat()).map(([v, i]) => {
      const at = i % (v.length - 1);
      return v.slice(0, at) + v[at + 1] + v[at] + v.slice(at + 2);
    }),
    fc.tuple(valid, fc.nat()).map(([v, i]) => v.slice(0, i % v.length) + v.slice((i % v.length) + 1)),
    fc.tuple(valid, fc.nat()).map(([v, i]) => v.slice(0, i % v.length) + v[i % v.length] + v.slice(i % v.length)),
  );
}

/** Near misses of one scalar: typos, a wrong check character or structure, and some junk; only values the checker refuses. */
function nearMiss(scalar: Scalar, ...shapes: fc.Arbitrary<string>[]): fc.Arbitrary<string> {
  const junk = fc.string({ maxLength: 30 });
  return fc.oneof({ arbitrary: fc.oneof(...shapes), weight: 9 }, { arbitrary: junk, weight: 1 }).filter((v) => !CHECKS[scalar](v).ok);
}

const validId = fc
  .tuple(fc.integer({ min: 110000, max: 659999 }), fc.date({ min: new Date('1930-01-01'), max: new Date('2015-12-31'), noInvalidDate: true }), chars(DIGITS, 3))
  .map(([region, d, serial]) => {
    const body = `${region}${d.toISOString().slice(0, 10).replace(/-/g, '')}${serial}`;
    return body + idNumberCheckChar(body);
  });
const idNumbers = nearMiss(
  'IdNumber',
  typos(validId, `${DIGITS}XABZ-. ١`),
  validId.map((v) => `${v.slice(0, 10)}13${v.slice(12)}`),
  validId.map((v) => `0${v.slice(1)}`),
);

const validCreditCode = fc
  .tuple(fc.constantFrom(...'123456789ANY'), fc.constantFrom(...'12359'), chars(DIGITS, 6), chars(CREDIT_CODE_ALPHABET, 9))
  .map(([a, b, region, rest]) => {
    const body = `${a}${b}${region}${rest}`;
    return body + creditCodeCheckChar(body);
  });
const creditCodes = nearMiss('CreditCode', typos(validCreditCode, `${CREDIT_CODE_ALPHABET}IOSVZ-*`), validCreditCode.map((v) => `${v.slice(0, 4)}A${v.slice(5)}`));

const validVin = chars(VIN_ALPHABET, 17).map((v) => v.slice(0, 8) + vinCheckChar(v) + v.slice(9));
const vins = nearMiss('VIN', typos(validVin, `${VIN_ALPHABET}IOQ-`));

const validUnit = fc
  .tuple(fc.integer({ min: 100000, max: 999999 }), chars(DIGITS, 6), fc.constantFrom(...'GJZ'), fc.constantFrom(...'ABSXCDEFWY'), chars(DIGITS, 5), fc.constantFrom(...'FLQW'), chars(DIGITS, 8))
  .map((parts) => parts.join(''));
const unitNumbers = nearMiss(
  'UnitNumber',
  typos(validUnit, `${DIGITS}GJZKHF-中`),
  validUnit.map((v) => `${v.slice(0, 12)}K${v.slice(13)}`),
  validUnit.map((v) => `${v.slice(0, 19)}E${v.slice(20)}`),
  validUnit.map((v) => `0${v.slice(1)}`),
);

const validCase = fc
  .tuple(fc.integer({ min: 1995, max: 2025 }), fc.constantFrom('浙0106', '浙01', '京', '最高法', '沪0115'), fc.constantFrom('执', '执恢', '执保'), fc.integer({ min: 1, max: 99999 }))
  .map(([year, court, kind, serial]) => `(${year})${court}${kind}${serial}号`);
const caseNumbers = nearMiss(
  'CaseNumber',
  typos(validCase, '()（）0123456789民执号港'),
  validCase.map((v) => v.replace(/^\(\d{4}\)/, '(1980)')),
  validCase.map((v) => v.replace(/^\(\d{4}\)/, '(2099)')),
  validCase.map((v) => v.replace('执', '民')),
  validCase.map((v) => v.slice(0, -1)),
);

interface Expected {
  scalar: Scalar;
  value: string;
}

/** The answer must be exactly one clear BAD_USER_INPUT per identifier, with the scalar and the checker's reason. */
function expectRefusedEach(answer: GraphQLAnswer & { status: number }, sent: Expected[]): void {
  expect(answer.status).toBe(400);
  expect(answer.data).toBeUndefined();
  const errors = answer.errors ?? [];
  for (const error of errors) {
    expect(error.message).toMatch(/^(Argument|Variable) .* is invalid: \S/);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', scalar: expect.any(String), reason: expect.any(String), argument: expect.any(String) });
  }
  const got = errors.map((e) => `${String(e.extensions!.scalar)} ${String(e.extensions!.reason)}`).sort();
  const wanted = sent.map(({ scalar, value }) => `${scalar} ${(CHECKS[scalar](value) as { reason: string }).reason}`).sort();
  expect(got).toEqual(wanted);
}

const lit = (value: string) => JSON.stringify(value);

function expectNoAgencyCalled(): void {
  expect(Object.values(callCounts(stack().emulators)).reduce((a, b) => a + b, 0)).toBe(0);
}
/** Some requests carry a token (of a court no other test uses, so its rate budget is its own); most are anonymous. */
const COURT = `浙${String(1000 + Math.floor(Math.random() * 8999))}`;
let token: string;
let sentIdentifiers = 0;

describe('10,000 near-miss identifiers', () => {
  beforeAll(async () => {
    token = await issueDevToken({ kind: 'court', court: COURT, officer: `${COURT}-001`, roles: ['query', 'control'] });
  });

  it('lookups (40 ID numbers, 40 credit codes, 11 case numbers a request): each refused with its scalar and reason', async () => {
    const batch = fc.record({
      ids: fc.array(idNumbers, { minLength: 40, maxLength: 40 }),
      codes: fc.array(creditCodes, { minLength: 40, maxLength: 40 }),
      cases: fc.array(caseNumbers, { minLength: 11, maxLength: 11 }),
      asVariables: fc.boolean(),
      withToken: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(batch, async ({ ids, codes, cases, asVariables, withToken }) => {
        const headers: Record<string, string> = withToken ? { authorization: `Bearer ${token}` } : {};
        const answer = asVariables
          ? await postGraphQL(
              stack().gateway.url,
              `query Sweep($ids: [IdNumber!]!, $codes: [CreditCode!]!, ${cases.map((_, i) => `$c${i}: CaseNumber!`).join(', ')}) {
                persons(idNumbers: $ids) { idNumber } companies(creditCodes: $codes) { creditCode }
                ${cases.map((_, i) => `${i === 0 ? '' : `c${i}: `}case(caseNumber: $c${i}) { caseNumber }`).join(' ')}
              }`,
              { ids, codes, ...Object.fromEntries(cases.map((c, i) => [`c${i}`, c])) },
              headers,
            )
          : await postGraphQL(
              stack().gateway.url,
              `{ persons(idNumbers: [${ids.map(lit).join(', ')}]) { idNumber } companies(creditCodes: [${codes.map(lit).join(', ')}]) { creditCode }
                ${cases.map((c, i) => `${i === 0 ? '' : `c${i}: `}case(caseNumber: ${lit(c)}) { caseNumber }`).join(' ')} }`,
              undefined,
              headers,
            );
        expectRefusedEach(answer, [
          ...ids.map((value) => ({ scalar: 'IdNumber' as const, value })),
          ...codes.map((value) => ({ scalar: 'CreditCode' as const, value })),
          ...cases.map((value) => ({ scalar: 'CaseNumber' as const, value })),
        ]);
        expectNoAgencyCalled();
        sentIdentifiers += ids.length + codes.length + cases.length;
      }),
      { numRuns: 95 },
    );
  });

  it('control acts (6 VINs, 6 unit numbers a request): each refused with its scalar and reason', async () => {
    const batch = fc.record({
      vins: fc.array(vins, { minLength: 6, maxLength: 6 }),
      units: fc.array(unitNumbers, { minLength: 6, maxLength: 6 }),
      asVariables: fc.boolean(),
      withToken: fc.boolean(),
    });
    const payload = '{ refusal { code } }';
    await fc.assert(
      fc.asyncProperty(batch, async ({ vins: vinValues, units, asVariables, withToken }) => {
        const headers: Record<string, string> = withToken ? { authorization: `Bearer ${token}` } : {};
        const fields = [
          ...vinValues.map((vin, i) => ({ field: 'seizeVehicle', key: 'vin', value: vin, alias: i === 0 ? '' : `v${i}: ` })),
          ...units.map((unit, i) => ({ field: 'sealRealEstate', key: 'unitNumber', value: unit, alias: i === 0 ? '' : `u${i}: ` })),
        ];
        const input = (key: string, value: string, i: number) => ({ requestId: `prop-${i}`, [key]: value, documentNumber: '(2025)浙0106执1001号之一', termDays: 30 });
        const answer = asVariables
          ? await postGraphQL(
              stack().gateway.url,
              `mutation Acts(${fields.map((f, i) => `$i${i}: ${f.field === 'seizeVehicle' ? 'SeizeVehicleInput' : 'SealRealEstateInput'}!`).join(', ')}) {
                ${fields.map((f, i) => `${f.alias}${f.field}(input: $i${i}) ${payload}`).join(' ')}
              }`,
              Object.fromEntries(fields.map((f, i) => [`i${i}`, input(f.key, f.value, i)])),
              headers,
            )
          : await postGraphQL(
              stack().gateway.url,
              `mutation { ${fields
                .map((f, i) => `${f.alias}${f.field}(input: { requestId: "prop-${i}", ${f.key}: ${lit(f.value)}, documentNumber: "(2025)浙0106执1001号之一", termDays: 30 }) ${payload}`)
                .join(' ')} }`,
              undefined,
              headers,
            );
        expectRefusedEach(answer, [...vinValues.map((value) => ({ scalar: 'VIN' as const, value })), ...units.map((value) => ({ scalar: 'UnitNumber' as const, value }))]);
        expectNoAgencyCalled();
        sentIdentifiers += fields.length;
      }),
      { numRuns: 115 },
    );
  });

  it('sent 10,000 of them, and the gateway answers on', async () => {
    expect(sentIdentifiers).toBeGreaterThanOrEqual(10_000);
    const { population: pop, gateway } = stack();
    const rich = pop.scenarios.richDebtor;
    const answer = await postInCase(gateway.url, pop, rich.caseNumber, 'query($id: IdNumber!) { person(idNumber: $id) { idNumber vehicles { vin } } }', { id: rich.idNumber });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.person.idNumber).toBe(rich.idNumber);
  });
});
