import { checkUnitNumber, unitNumberParts } from '../../../../schemas/identifiers';

const VALID = '330106001002GB00012F00010001';

describe('checkUnitNumber', () => {
  it.each([
    [VALID, VALID],
    ['330106001002gb00012f00010001', VALID],
    ['110101003001JC00101W00000000', '110101003001JC00101W00000000'],
    ['440305012003ZW00007Q00000012', '440305012003ZW00007Q00000012'],
  ])('accepts %s', (input, value) => {
    expect(checkUnitNumber(input)).toEqual({ ok: true, value });
  });

  it.each([
    [330106, 'TYPE', 'UnitNumber must be a string.'],
    [VALID.slice(1), 'LENGTH', 'UnitNumber must be 28 characters long, got 27.'],
    [VALID + '1', 'LENGTH', 'UnitNumber must be 28 characters long, got 29.'],
    ['330106-01002GB00012F00010001', 'ALPHABET', 'UnitNumber may hold only digits and capital letters.'],
    ['330106001002Gſ00012F00010001', 'ALPHABET', 'UnitNumber may hold only digits and capital letters.'],
    ['3301060010A2GB00012F00010001', 'STRUCTURE', 'UnitNumber must start with a 6-digit county code and a 6-digit cadastral zone.'],
    ['030106001002GB00012F00010001', 'STRUCTURE', 'UnitNumber county code cannot start with 0.'],
    [
      '330106001002AB00012F00010001',
      'STRUCTURE',
      'UnitNumber characters 13-19 must be a parcel code: G, J or Z, a parcel kind letter, and 5 digits.',
    ],
    [
      '330106001002GG00012F00010001',
      'STRUCTURE',
      'UnitNumber characters 13-19 must be a parcel code: G, J or Z, a parcel kind letter, and 5 digits.',
    ],
    ['330106001002GB00012A00010001', 'STRUCTURE', 'UnitNumber characters 20-28 must be a building code: F, L, Q or W and 8 digits.'],
    ['330106001002GB00012F0001000A', 'STRUCTURE', 'UnitNumber characters 20-28 must be a building code: F, L, Q or W and 8 digits.'],
  ])('refuses %p with %s', (input, reason, message) => {
    expect(checkUnitNumber(input)).toEqual({ ok: false, reason, message });
  });

  it('splits a checked number into its parts', () => {
    expect(unitNumberParts(VALID)).toEqual({
      county: '330106',
      cadastralZone: '001002',
      parcel: 'GB00012',
      building: 'F00010001',
    });
    expect(() => unitNumberParts('not one')).toThrow('not a checked unit number');
  });
});
