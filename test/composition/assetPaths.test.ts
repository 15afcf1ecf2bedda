import { readFileSync } from 'node:fs';
import { readAccessRules } from '../../gateway/authorization/accessRules';
import { checkAssetData, describePath, walksToGuards } from '../../schemas/assetPaths';
import { SUPERGRAPH_PATH } from '../../schemas/loadSubgraphSdl';

/**
 * The structural half of the debtor rule (issue 12): computed from the supergraph, every walk
 * from every root (and from every entity `_entities` resolves) to a field of an asset type
 * passes a field that carries `@requiresScopes(query) @policy(case_debtor)`, and everything
 * an agency subgraph answers is classified in schemas/assetData.ts. The e2e half walks the
 * same guards through the running stack (test/e2e/assetPaths.test.ts).
 */
const supergraph = readFileSync(SUPERGRAPH_PATH, 'utf8');
const check = (sdl: string) => checkAssetData(sdl, readAccessRules(sdl).rules);
const RULE = ' @requiresScopes(scopes: [["query"]]) @policy(policies: [["case_debtor"]])';

/** The supergraph with the debtor rule taken off one field of one type. */
function withoutRule(sdl: string, typeName: string, field: string): string {
  const start = sdl.search(new RegExp(`\\ntype ${typeName}[\\n ]`));
  const end = sdl.indexOf('\n}\n', start);
  const block = sdl.slice(start, end);
  const line = block.split('\n').find((l) => l.startsWith(`  ${field}:`) && l.includes(RULE));
  if (start < 0 || !line) throw new Error(`${typeName}.${field} carries no debtor rule in the supergraph`);
  return sdl.slice(0, start) + block.replace(line, line.replace(RULE, '')) + sdl.slice(end);
}

describe('asset data behind every path (the supergraph against schemas/assetData.ts)', () => {
  it('reaches no asset type without the debtor rule, and leaves nothing an agency answers unclassified', () => {
    expect(check(supergraph)).toEqual([]);
  });

  it.each([
    ['Person', 'bankAccounts', 'BankAccount', 'Query.person > Person.bankAccounts > BankAccount.'],
    ['DepositFreeze', 'account', 'BankAccount', '> DepositFreeze.account > BankAccount.'],
    ['RealEstateSeal', 'unit', 'RealEstateUnit', '> RealEstateSeal.unit > RealEstateUnit.'],
    ['VehicleSeizure', 'vehicle', 'Vehicle', '> VehicleSeizure.vehicle > Vehicle.'],
    ['Person', 'socialInsurance', 'SocialInsurance', 'Person.socialInsurance > SocialInsurance.'],
  ])('finds the walk that reaches asset data once %s.%s loses the rule', (typeName, field, assetType, walk) => {
    const findings = check(withoutRule(supergraph, typeName, field));
    const reached = findings.find((f) => f.kind === 'UNGUARDED_PATH' && f.coordinate.startsWith(`${assetType}.`));
    expect(reached?.message).toContain(walk);
    // Only what the lost rule opened: asset types behind it (a unit's owners and mortgages, a
    // pension's payments) and, on a shared entity, the field itself, now unclassified.
    for (const f of findings) {
      if (f.kind === 'UNCLASSIFIED') expect(f.coordinate).toBe(`${typeName}.${field}`);
      else expect(f.message).toContain(`${typeName}.${field} >`);
    }
  });

  it('walks on from an entity resolved through _entities (public registry data leading to assets)', () => {
    const fromStake = walksToGuards(supergraph, readAccessRules(supergraph).rules, { entity: 'Shareholding' });
    expect(describePath(fromStake.get('Company.bankAccounts')!)).toBe('_entities(Shareholding) > Shareholding.company > Company.bankAccounts');
  });

  it('finds a field an agency adds that nobody classified', () => {
    const added = supergraph.replace(
      /\ntype Person\n([\s\S]*?)\n\{\n/,
      (whole) => `${whole}  creditScore: Int @join__field(graph: BANK)\n`,
    );
    expect(added).not.toBe(supergraph);
    expect(check(added)).toEqual([expect.objectContaining({ kind: 'UNCLASSIFIED', coordinate: 'Person.creditScore' })]);
  });

  it('finds an agency type nobody classified', () => {
    const added = `${supergraph}\ntype LifeInsurancePolicy\n  @join__type(graph: BANK)\n{\n  cashValue: String\n}\n`;
    expect(check(added)).toEqual([expect.objectContaining({ kind: 'UNCLASSIFIED', coordinate: 'LifeInsurancePolicy.cashValue' })]);
  });

  it('walks from the docket to every guard, for the generated end-to-end walk', () => {
    const walks = walksToGuards(supergraph, readAccessRules(supergraph).rules, { root: 'Query' });
    expect(describePath(walks.get('DepositFreeze.account')!)).toBe('Query.case > EnforcementCase.depositFreezes > DepositFreeze.account');
    expect([...walks.keys()]).toEqual(expect.arrayContaining(['Person.bankAccounts', 'Company.realEstate', 'RealEstateSeal.unit', 'VehicleSeizure.vehicle']));
  });
});
