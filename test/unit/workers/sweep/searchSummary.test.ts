import { CASE_SEARCH_AGENCIES } from '../../../../schemas/courtOperations';
import { type CaseSearchAnswer, summariseSearch, UnrecordableSearch } from '../../../../workers/sweep/searchSummary';

const person = {
  idNumber: '330106197504189356',
  bankAccounts: [
    { bank: { code: 'NCB' }, accountNumber: '1', balance: '182345.67' },
    { bank: { code: 'HZCB' }, accountNumber: '2', balance: '0.01' },
  ],
  realEstate: [{ unitNumber: 'u1' }, { unitNumber: 'u2' }],
  vehicles: [{ vin: 'v1' }],
  shareholdings: [],
  socialInsurance: { status: 'INSURED', contributionBase: '8000.00', pension: null, housingFund: { accountNumber: 'h', balance: '52000.50' } },
};
const retired = {
  idNumber: '330106195001011234',
  bankAccounts: [{ bank: { code: 'NCB' }, accountNumber: '3', balance: '0.02' }],
  realEstate: [],
  vehicles: [],
  shareholdings: [{ id: 's1' }],
  socialInsurance: { status: 'RETIRED', contributionBase: '0.00', pension: { monthlyAmount: '3100.00' }, housingFund: null },
};
const company = { creditCode: '91330106MA2XXXXX0X', bankAccounts: [{ bank: { code: 'WEB' }, accountNumber: '4', balance: '1000.00' }], vehicles: [{ vin: 'v2' }] };

describe('summariseSearch: what a case search found, as a sweep records it', () => {
  it('tallies each kind over every debtor with values in exact fen, every agency answering', () => {
    const summary = summariseSearch({ data: { case: { status: 'ACTIVE', debtors: [person, retired, company] } } });
    expect(summary).toEqual({
      caseStatus: 'ACTIVE',
      debtors: 3,
      assets: [
        // 182345.67 + 0.01 + 0.02 + 1000.00 yuan: no float drift.
        { kind: 'BANK_ACCOUNT', count: 4, valueFen: 18_334_570 },
        { kind: 'REAL_ESTATE', count: 2, valueFen: null },
        { kind: 'VEHICLE', count: 2, valueFen: null },
        { kind: 'SHAREHOLDING', count: 1, valueFen: null },
        // The insured's wage base and the retired's pension, a month each.
        { kind: 'INCOME', count: 2, valueFen: 1_110_000 },
        { kind: 'HOUSING_FUND', count: 1, valueFen: 5_200_050 },
      ],
      agenciesAnswered: ['bank', 'commerce', 'realestate', 'social-insurance', 'vehicle'],
      agenciesFailed: [],
    });
    expect(summary.agenciesAnswered).toEqual([...CASE_SEARCH_AGENCIES].sort());
  });

  it('names the agencies whose fields failed (one bank by its code), and records what the others found', () => {
    const answer: CaseSearchAnswer = {
      data: { case: { status: 'ACTIVE', debtors: [{ ...person, vehicles: null, bankAccounts: [person.bankAccounts[0]!] }] } },
      errors: [
        { message: 'vehicle registry timed out', path: ['case', 'debtors', 0, 'vehicles'], extensions: { code: 'AGENCY_TIMEOUT', agency: 'vehicle registry' } },
        { message: 'RCC down', path: ['case', 'debtors', 0, 'bankAccounts'], extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'bank', provider: 'RCC' } },
        { message: 'fund centre down', path: ['case', 'debtors', 0, 'socialInsurance', 'housingFund'], extensions: { code: 'AGENCY_UNAVAILABLE' } },
      ],
    };
    const summary = summariseSearch(answer);
    expect(summary.agenciesFailed).toEqual(['bank:RCC', 'social-insurance', 'vehicle']);
    expect(summary.agenciesAnswered).toEqual(['commerce', 'realestate']);
    expect(summary.assets.find((a) => a.kind === 'BANK_ACCOUNT')).toEqual({ kind: 'BANK_ACCOUNT', count: 1, valueFen: 18_234_567 });
    expect(summary.assets.find((a) => a.kind === 'VEHICLE')).toBeUndefined();
  });

  it('counts as answered only the agencies asked (a retry of the failed ones)', () => {
    const summary = summariseSearch({ data: { case: { status: 'ACTIVE', debtors: [{ vehicles: [{ vin: 'v' }] }] } } }, ['vehicle']);
    expect(summary.agenciesAnswered).toEqual(['vehicle']);
    expect(summary.assets).toEqual([{ kind: 'VEHICLE', count: 1, valueFen: null }]);
  });

  it('refuses to record an answer without the case, or with an error outside any agency field', () => {
    const refused = () => summariseSearch({ errors: [{ message: 'not active', extensions: { code: 'FORBIDDEN' } }] });
    expect(refused).toThrow(UnrecordableSearch);
    try {
      refused();
    } catch (error) {
      expect((error as UnrecordableSearch).codes).toEqual(['FORBIDDEN']);
    }
    expect(() =>
      summariseSearch({ data: { case: { status: 'ACTIVE', debtors: [person] } }, errors: [{ message: 'names down', path: ['case', 'debtors', 0, 'name'] }] }),
    ).toThrow(/outside any agency's field/);
  });

  it('refuses an amount that is not exact money rather than guess', () => {
    const answer = { data: { case: { status: 'ACTIVE', debtors: [{ ...person, bankAccounts: [{ balance: '12.345' }] }] } } };
    expect(() => summariseSearch(answer)).toThrow(/not exact money/);
  });
});
