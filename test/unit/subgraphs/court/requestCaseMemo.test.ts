import { RequestCaseMemo } from '../../../../subgraphs/court/requestCaseMemo';
import type { EnforcementCase } from '../../../../subgraphs/court/types';

const kase = (caseNumber: string) => ({ caseNumber }) as EnforcementCase;

describe('RequestCaseMemo', () => {
  it("answers only the request that was given the case, and only within its time", () => {
    let now = 0;
    const memo = new RequestCaseMemo(1000, 10, () => now);
    memo.put('r-1', 'A', kase('A'));
    memo.put('r-1', 'B', null);
    expect(memo.get('r-1', 'A')).toEqual(kase('A'));
    // A case the system said does not exist is remembered as such, not asked again.
    expect(memo.get('r-1', 'B')).toBeNull();
    expect(memo.get('r-1', 'C')).toBeUndefined();
    expect(memo.get('r-2', 'A')).toBeUndefined();
    now = 1001;
    expect(memo.get('r-1', 'A')).toBeUndefined();
  });

  it('forgets the oldest requests first beyond its bound', () => {
    const memo = new RequestCaseMemo(60_000, 3);
    for (const id of ['r-1', 'r-2', 'r-3', 'r-4']) memo.put(id, 'A', kase('A'));
    expect(memo.get('r-1', 'A')).toBeUndefined();
    expect(['r-2', 'r-3', 'r-4'].map((id) => memo.get(id, 'A'))).toEqual([kase('A'), kase('A'), kase('A')]);
  });
});
