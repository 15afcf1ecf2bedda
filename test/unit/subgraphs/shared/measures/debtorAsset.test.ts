import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { AgencyError } from '../../../../../subgraphs/shared/agencyError';
import { debtorAsset, type DebtorAssetQuery, findDebtorAsset } from '../../../../../subgraphs/shared/measures/debtorAsset';
import type { SignedRequest } from '../../../../../subgraphs/shared/signedRequest';

/**
 * The one rule for an asset a case may act on (issue 12, defect 4): it is looked for among
 * the holdings of the debtors the gateway signed, and nowhere else, so an asset of anyone
 * else and a key nobody holds get the same refusal.
 */
const CASE = '(2025)浙0106执1001号';
const DEBTOR = '330106197504189356';
const COMPANY = '91330106MA2B00001Y';
const SPOUSE = '330106197709020027';

interface Unit {
  unitNumber: string;
  owners: string[];
}
const FLAT: Unit = { unitNumber: 'FLAT', owners: [SPOUSE, DEBTOR] };
const OFFICE: Unit = { unitNumber: 'OFFICE', owners: [COMPANY] };
const SPOUSES: Unit = { unitNumber: 'SPOUSES', owners: [SPOUSE] };

/** Runs `fn` with the claims a request of the case signs (what resolvers read as `context.signed`). */
const inCase = <T>(debtors: string[] | undefined, fn: (signed: SignedRequest) => Promise<T>) =>
  fn({ requestId: 'gw-1', court: '浙0106', officer: '浙0106-007', caseNumber: CASE, ...(debtors ? { debtors } : {}) });

/** A registry's per-owner lookup, counting the owners it is asked about. */
function registry(holdings: Record<string, Unit[]>, failing: string[] = []) {
  const asked: string[][] = [];
  const loader = new DataLoader<string, Unit[]>(async (owners) => {
    asked.push([...owners]);
    return owners.map((o) => (failing.includes(o) ? new AgencyError('AGENCY_UNAVAILABLE', 'The registry could not be reached.', { agency: 'registry' }) : (holdings[o] ?? [])));
  });
  return { loader, asked };
}

const query = (holdings: DebtorAssetQuery<Unit>['holdings'], key: string): DebtorAssetQuery<Unit> => ({
  holdings,
  key,
  keyOf: (u) => u.unitNumber,
  holdersOf: (u) => u.owners,
  description: `unit ${key}`,
});

const refusal = (key: string) =>
  new GraphQLError(`No debtor of case ${CASE} holds unit ${key}: it cannot be controlled in that case.`, {
    extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' },
  });

describe('debtorAsset', () => {
  it('finds the asset among the debtors’ holdings, asking only about the debtors, once each', async () => {
    const { loader, asked } = registry({ [DEBTOR]: [FLAT], [COMPANY]: [OFFICE] });
    const found = await inCase([DEBTOR, COMPANY, DEBTOR], (signed) => debtorAsset(signed, query(loader, 'OFFICE')));
    expect(found).toEqual({ asset: OFFICE, debtor: COMPANY });
    expect(asked).toEqual([[DEBTOR, COMPANY]]);
  });

  it('names the debtor among the co-owners of a unit held with a non-debtor', async () => {
    const { loader } = registry({ [DEBTOR]: [FLAT], [SPOUSE]: [FLAT, SPOUSES] });
    expect(await inCase([DEBTOR], (signed) => debtorAsset(signed, query(loader, 'FLAT')))).toEqual({ asset: FLAT, debtor: DEBTOR });
  });

  it('refuses someone else’s asset and a key nobody holds with the same error', async () => {
    const { loader, asked } = registry({ [DEBTOR]: [FLAT], [SPOUSE]: [SPOUSES] });
    await expect(inCase([DEBTOR], (signed) => debtorAsset(signed, query(loader, 'SPOUSES')))).rejects.toEqual(refusal('SPOUSES'));
    await expect(inCase([DEBTOR], (signed) => debtorAsset(signed, query(loader, 'NOBODYS')))).rejects.toEqual(refusal('NOBODYS'));
    const error = await inCase([DEBTOR], (signed) => debtorAsset(signed, query(loader, 'SPOUSES')).catch((e: unknown) => e));
    expect((error as GraphQLError).extensions).toEqual({ code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR' });
    expect(asked.flat()).toEqual([DEBTOR]);
  });

  it('does not take an asset listed under a debtor whose own record names no debtor', async () => {
    const { loader } = registry({ [DEBTOR]: [SPOUSES] });
    expect(await inCase([DEBTOR], (signed) => findDebtorAsset(signed, query(loader, 'SPOUSES')))).toBeNull();
  });

  it('answers null instead of refusing (findDebtorAsset), and refuses when the request names no debtors', async () => {
    const { loader, asked } = registry({ [DEBTOR]: [FLAT] });
    expect(await inCase([DEBTOR], (signed) => findDebtorAsset(signed, query(loader, 'SPOUSES')))).toBeNull();
    expect(await inCase(undefined, (signed) => findDebtorAsset(signed, query(loader, 'FLAT')))).toBeNull();
    await expect(inCase([], (signed) => debtorAsset(signed, query(loader, 'FLAT')))).rejects.toEqual(refusal('FLAT'));
    expect(asked.flat()).toEqual([DEBTOR]);
  });

  it('takes the holdings from a function of one debtor as well', async () => {
    const asked: string[] = [];
    const holdings = async (owner: string) => {
      asked.push(owner);
      return owner === COMPANY ? [OFFICE] : [];
    };
    expect(await inCase([DEBTOR, COMPANY], (signed) => debtorAsset(signed, query(holdings, 'OFFICE')))).toEqual({ asset: OFFICE, debtor: COMPANY });
    expect(asked).toEqual([DEBTOR, COMPANY]);
  });

  it('throws a failed inquiry rather than refuse what it could not see, unless another debtor holds the asset', async () => {
    const { loader } = registry({ [COMPANY]: [OFFICE] }, [DEBTOR]);
    expect(await inCase([DEBTOR, COMPANY], (signed) => debtorAsset(signed, query(loader, 'OFFICE')))).toEqual({ asset: OFFICE, debtor: COMPANY });
    const { loader: failing } = registry({ [COMPANY]: [OFFICE] }, [DEBTOR]);
    await expect(inCase([DEBTOR, COMPANY], (signed) => debtorAsset(signed, query(failing, 'FLAT')))).rejects.toMatchObject({ extensions: { code: 'AGENCY_UNAVAILABLE' } });
    const thrown = async () => {
      throw new AgencyError('AGENCY_TIMEOUT', 'The registry did not answer in time.', { agency: 'registry' });
    };
    await expect(inCase([DEBTOR], (signed) => findDebtorAsset(signed, query(thrown, 'FLAT')))).rejects.toMatchObject({ extensions: { code: 'AGENCY_TIMEOUT' } });
  });
});
