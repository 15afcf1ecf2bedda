import fc from 'fast-check';
import {
  type Checked,
  checkCalendarDate,
  checkCaseNumber,
  checkCreditCode,
  checkIdNumber,
  checkMoney,
  checkUnitNumber,
  checkVin,
} from '../../../../schemas/identifiers';

const CHECKS: Array<[string, (input: unknown) => Checked<unknown>]> = [
  ['checkIdNumber', checkIdNumber],
  ['checkCreditCode', checkCreditCode],
  ['checkVin', checkVin],
  ['checkUnitNumber', checkUnitNumber],
  ['checkCaseNumber', checkCaseNumber],
  ['checkMoney', checkMoney],
  ['checkCalendarDate', checkCalendarDate],
];
const REASONS = ['TYPE', 'LENGTH', 'ALPHABET', 'STRUCTURE', 'DATE', 'CHECK_CHARACTER', 'RANGE'];

/** Strings built from characters the checks care about, so deeper branches are reached. */
const nearMiss = fc.string({
  unit: fc.constantFrom(...'0123456789AXxGBFJHMNZſßı（）()浙京执恢号-. '),
  maxLength: 30,
});

function wellFormed(result: Checked<unknown>): void {
  if (result.ok) return;
  expect(REASONS).toContain(result.reason);
  expect(typeof result.message).toBe('string');
  expect(result.message.length).toBeGreaterThan(0);
}

describe.each(CHECKS)('%s on arbitrary input', (_name, check) => {
  it('never throws and always says why', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), nearMiss, fc.anything()), (input) => wellFormed(check(input))));
  });

  it('is idempotent on what it accepts', () => {
    fc.assert(
      fc.property(fc.oneof(nearMiss, fc.string()), (input) => {
        const first = check(input);
        if (!first.ok || typeof first.value !== 'string') return;
        expect(check(first.value)).toEqual(first);
      }),
    );
  });
});
