import fc from 'fast-check';
import { checkVin, vinCheckChar } from '../../../../schemas/identifiers';

const withCheck = (v: string) => v.slice(0, 8) + vinCheckChar(v) + v.slice(9);

describe('checkVin examples', () => {
  it.each([
    ['1M8GDM9AXKP042788', '1M8GDM9AXKP042788'],
    ['1m8gdm9axkp042788', '1M8GDM9AXKP042788'],
    ['11111111111111111', '11111111111111111'],
    ['LSVAU218XN2183294', 'LSVAU218XN2183294'],
    ['WBAPH5C51BA123456', 'WBAPH5C51BA123456'],
  ])('accepts %s', (input, value) => {
    expect(checkVin(input)).toEqual({ ok: true, value });
  });

  const valid = withCheck('1M8GDM9A0KP04278S');
  it.each([
    [17, 'TYPE', 'VIN must be a string.'],
    ['1M8GDM9AXKP04278', 'LENGTH', 'VIN must be 17 characters long, got 16.'],
    ['1M8GDM9AXKP0427888', 'LENGTH', 'VIN must be 17 characters long, got 18.'],
    ['1M8GDM9AXKP04278O', 'ALPHABET', 'VIN may hold only digits and letters other than I, O and Q.'],
    ['IM8GDM9AXKP042788', 'ALPHABET', 'VIN may hold only digits and letters other than I, O and Q.'],
    ['1M8GDM9AXKP0427 8', 'ALPHABET', 'VIN may hold only digits and letters other than I, O and Q.'],
    // Unicode upper-casing maps ſ to S and ß to SS: look-alikes must not become valid VINs.
    [valid.slice(0, 16) + 'ſ', 'ALPHABET', 'VIN may hold only digits and letters other than I, O and Q.'],
    [withCheck('1M8GDM9A0KP0427SS').slice(0, 15) + 'ß', 'LENGTH', 'VIN must be 17 characters long, got 16.'],
    ['1M8GDM9A1KP042788', 'CHECK_CHARACTER', 'VIN check character (the 9th) does not match the others.'],
    ['1M8GDM9AXKP042789', 'CHECK_CHARACTER', 'VIN check character (the 9th) does not match the others.'],
  ])('refuses %p with %s', (input, reason, message) => {
    expect(checkVin(input)).toEqual({ ok: false, reason, message });
  });

  it('cannot see a swap between letters of equal value (A and J both count 1)', () => {
    expect(checkVin('1M8GDM9AXKP042788'.replace('A', 'J')).ok).toBe(true);
  });
});

// Reference transliteration written independently of the implementation's table.
const VALUE_RUNS: Array<[string, number]> = [['ABCDEFGH', 1], ['JKLMN', 1], ['P', 7], ['R', 9], ['STUVWXYZ', 2]];
function refValue(c: string): number {
  if (/\d/.test(c)) return Number(c);
  for (const [run, first] of VALUE_RUNS) if (run.includes(c)) return first + run.indexOf(c);
  throw new Error(`not a VIN character: ${c}`);
}
const REF_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const refSumMod11 = (v: string) => [...v].reduce((s, c, i) => s + refValue(c) * REF_WEIGHTS[i]!, 0) % 11;

const VIN_CHARS = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';
const vinChar = fc.constantFrom(...VIN_CHARS);
const validVin = fc.array(vinChar, { minLength: 17, maxLength: 17 }).map((cs) => withCheck(cs.join('')));
const replaceAt = (s: string, i: number, c: string) => s.slice(0, i) + c + s.slice(i + 1);

describe('checkVin properties', () => {
  it('accepts any 17 allowed characters with the computed check character', () => {
    fc.assert(
      fc.property(validVin, (vin) => {
        expect(checkVin(vin)).toEqual({ ok: true, value: vin });
        const r = refSumMod11(vin);
        expect(vin[8]).toBe(r === 10 ? 'X' : String(r));
      }),
    );
  });

  it('always catches a substitution at the check position', () => {
    fc.assert(
      fc.property(validVin, vinChar, (vin, c) => {
        fc.pre(vin[8] !== c);
        expect(checkVin(replaceAt(vin, 8, c))).toMatchObject({ ok: false, reason: 'CHECK_CHARACTER' });
      }),
    );
  });

  it('catches a substitution elsewhere unless it keeps the weighted sum mod 11', () => {
    fc.assert(
      fc.property(validVin, fc.nat(15).map((i) => (i >= 8 ? i + 1 : i)), vinChar, (vin, index, c) => {
        fc.pre(vin[index] !== c);
        const mutated = replaceAt(vin, index, c);
        const unseen = refSumMod11(mutated) === refSumMod11(vin);
        expect(checkVin(mutated)).toEqual(
          unseen
            ? { ok: true, value: mutated }
            : { ok: false, reason: 'CHECK_CHARACTER', message: 'VIN check character (the 9th) does not match the others.' },
        );
      }),
    );
  });
});
