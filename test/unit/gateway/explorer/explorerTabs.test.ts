import { explorerTabs } from '../../../../gateway/explorer/explorerTabs';
import { COURT_OPERATIONS, DOSSIER, PERSONS_SWEEP, SEAL_REAL_ESTATE } from '../../../../schemas/courtOperations';

describe('explorerTabs: one tab per operation, its variables the examples of their types', () => {
  const seal = { requestId: 'seal-1', unitNumber: 'U', documentNumber: 'D', termDays: 1095 };

  it('fills each variable from the example of its type, a list from its item unless it has its own', () => {
    expect(explorerTabs([DOSSIER, PERSONS_SWEEP, SEAL_REAL_ESTATE], { CaseNumber: '(2025)浙0106执1001号', IdNumber: '330106197504189356', SealRealEstateInput: seal })).toEqual([
      { query: DOSSIER, variables: { case: '(2025)浙0106执1001号' } },
      { query: PERSONS_SWEEP, variables: { ids: ['330106197504189356'] } },
      { query: SEAL_REAL_ESTATE, variables: { input: seal } },
    ]);
    expect(explorerTabs([PERSONS_SWEEP], { IdNumber: 'a', '[IdNumber!]': ['b', 'c'] })).toEqual([{ query: PERSONS_SWEEP, variables: { ids: ['b', 'c'] } }]);
  });

  it('leaves out a variable whose type has no example, and keeps the operations in their order', () => {
    expect(explorerTabs(COURT_OPERATIONS)).toEqual(COURT_OPERATIONS.map((query) => ({ query })));
  });

  it('refuses a text that holds no operation', () => {
    expect(() => explorerTabs(['fragment F on Query { courts { code } }'])).toThrow('Not an operation');
  });
});
