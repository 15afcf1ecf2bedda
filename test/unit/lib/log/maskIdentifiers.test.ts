import { maskIdentifiers } from '../../../../lib/log/maskIdentifiers';
import { creditCodeCheckChar, idNumberCheckChar, vinCheckChar } from '../../../../schemas/identifiers';

// Real formats, with real check characters.
const ID = '330106199001019354';
const ID_X = '11010519491231002X';
const CREDIT = '91330106MA2B3C4D5D';
const VIN = 'LSVAU218XN2183294';
const ACCOUNTS = {
  NCB: '6222' + '0212345' + '00000042', // 19-digit card number
  HZCB: '3301' + '2345' + '00000043', // 16 digits
  RCC: '201' + '2345678' + '00000044', // 18 digits
  WEB: 'W' + '1234567' + '00000045', // internet bank, letter prefix
  GJJ: 'GJJ' + '330106' + '000000046', // housing provident fund
};

describe('maskIdentifiers', () => {
  it('is tested with valid identifiers', () => {
    expect([ID, ID_X].map((v) => v.slice(0, 17) + idNumberCheckChar(v))).toEqual([ID, ID_X]);
    expect(CREDIT.slice(0, 17) + creditCodeCheckChar(CREDIT)).toBe(CREDIT);
    expect(VIN.slice(0, 8) + vinCheckChar(VIN) + VIN.slice(9)).toBe(VIN);
  });

  it.each([
    ['resident ID number', ID, '330106********9354'],
    ['resident ID number ending in X', ID_X, '110105********002X'],
    ['resident ID number, lower-case x', ID_X.toLowerCase(), '110105********002x'],
    ['resident ID number with a wrong check digit', '330106199001019357', '330106********9357'],
    ['unified social credit code', CREDIT, '913301********4D5D'],
    ['VIN', VIN, 'LSV**********3294'],
    ['VIN in lower case', VIN.toLowerCase(), 'lsv**********3294'],
    ['19-digit card account (NCB)', ACCOUNTS.NCB, '6222***********0042'],
    ['16-digit account (HZCB)', ACCOUNTS.HZCB, '3301********0043'],
    ['18-digit account (RCC)', ACCOUNTS.RCC, '201234********0044'],
    ['internet-bank account with a letter prefix (WEB)', ACCOUNTS.WEB, 'W123********0045'],
    ['housing-fund account', ACCOUNTS.GJJ, 'GJJ3**********0046'],
    ['15-digit first-generation ID number', '330106900101935', '3301*******1935'],
  ])('masks a %s', (_, value, masked) => {
    expect(maskIdentifiers(value)).toBe(masked);
    expect(maskIdentifiers(maskIdentifiers(value))).toBe(masked);
  });

  it('masks identifiers inside messages, JSON and GraphQL documents', () => {
    expect(maskIdentifiers(`Debtor ${ID} holds account ${ACCOUNTS.NCB} at NCB.`)).toBe('Debtor 330106********9354 holds account 6222***********0042 at NCB.');
    expect(maskIdentifiers(`债务人${ID}名下车辆${VIN}。`)).toBe('债务人330106********9354名下车辆LSV**********3294。');
    expect(maskIdentifiers(JSON.stringify({ query: `{ person(idNumber: "${ID}") { name } }`, variables: { code: CREDIT } }))).toBe(
      JSON.stringify({ query: '{ person(idNumber: "330106********9354") { name } }', variables: { code: '913301********4D5D' } }),
    );
    expect(maskIdentifiers(JSON.stringify(`line\n${ID}\tand\u00a0${ACCOUNTS.HZCB}`))).toBe(JSON.stringify(`line\n330106********9354\tand\u00a03301********0043`));
  });

  it('leaves alone what is not shaped like an identifier', () => {
    const text = [
      'request 0b7a3c52-6f0e-4d0e-9a41-123456789012', // UUID groups are at most 12 long
      'at 1732520000000', // epoch milliseconds
      'owed 4000000.00 since 2024-01-02',
      'case (2024)浙0106执1234号, plate 浙A12345, unit 330106001001GB00001F00010001',
      'hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'internationalization userpreferences12',
    ].join('; ');
    expect(maskIdentifiers(text)).toBe(text);
  });
});
