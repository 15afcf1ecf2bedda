import { parseShareholdingId, shareholdingId } from '../../../../subgraphs/commerce/shareholdingId';

const COMPANY = '91330106MA2B00001Y';

describe('shareholding ids', () => {
  it('join the company credit code and the registry investor id, and read back', () => {
    expect(shareholdingId(COMPANY, 'SH00000012')).toBe('91330106MA2B00001Y:SH00000012');
    expect(parseShareholdingId('91330106MA2B00001Y:SH00000012')).toEqual({ companyCreditCode: COMPANY, invid: 'SH00000012' });
  });

  it('keep colons inside the investor id and normalise a lower-case credit code', () => {
    expect(parseShareholdingId('91330106ma2b00001y:A:B')).toEqual({ companyCreditCode: COMPANY, invid: 'A:B' });
  });

  it.each([
    ['no colon', 'SH00000012'],
    ['an invalid credit code', '91330106MA2B000010:SH00000012'],
    ['no investor id', '91330106MA2B00001Y:'],
    ['nothing', ''],
  ])('name no stake for %s', (_what, id) => {
    expect(parseShareholdingId(id)).toBeNull();
  });
});
