/**
 * Which parts of the graph are a debtor's asset data, and which are not. The rule (README,
 * "Who may ask"): asset data answers only for a debtor of the stated active case of the
 * caller's court, with the `query` role, whatever path leads to it. The schema carries the
 * rule on the fields that lead into asset data (`@requiresScopes(scopes: [["query"]])
 * @policy(policies: [["case_debtor"]])`); `schemas/assetPaths.ts` checks against this catalog
 * that no path from any root reaches an asset type without passing such a field, and that
 * every type and field an agency subgraph adds is classified here, so a new one cannot slip by.
 */

/**
 * Types whose every field is asset data: what a party holds and what it is worth, as an
 * agency answers it. Reached only through fields that carry the debtor rule; an entity
 * among them is resolved by its subgraph only for a debtor (subgraphs/shared/entityPolicy.ts).
 */
export const ASSET_TYPES: ReadonlySet<string> = new Set([
  'BankAccount',
  'BankInquiry',
  'WealthManagementHolding',
  'RealEstateUnit',
  'RealEstateOwner',
  'Mortgage',
  'Vehicle',
  'SocialInsurance',
  'Pension',
  'PensionPayment',
  'HousingFundAccount',
]);

/** Why a type or field an agency answers is not asset data. */
export type NotAssetData =
  /** That a measure exists, its kind, status, term, court, case and amount controlled: what courts coordinate on. */
  | 'COORDINATION'
  /** Published by the registry to anyone (enterprise credit publicity system). */
  | 'PUBLIC_REGISTRY'
  /** The network's own directory (banks and what they do online). */
  | 'NETWORK_DIRECTORY'
  /** A control act: bound to the stated case by `@policy(case_bound)` and the `control` role; its payload's paths are checked like any other. */
  | 'CONTROL_ACT';

/**
 * Every type (all its fields) or field ("Type.field") an agency subgraph answers that is not
 * asset data, and why. Anything an agency adds that is neither here, nor in ASSET_TYPES, nor
 * guarded by the debtor rule fails the composition test.
 */
export const NOT_ASSET_DATA: Readonly<Record<string, NotAssetData>> = {
  // Control measures and what is said about them.
  ControlMeasure: 'COORDINATION',
  DepositFreeze: 'COORDINATION',
  DepositDeduction: 'COORDINATION',
  RealEstateSeal: 'COORDINATION',
  VehicleSeizure: 'COORDINATION',
  EquityFreeze: 'COORDINATION',
  IncomeWithholding: 'COORDINATION',
  MeasureEvent: 'COORDINATION',
  PriorMeasure: 'COORDINATION',
  MeasureRefusal: 'COORDINATION',
  MeasureSummary: 'COORDINATION',
  DepositFreezePayload: 'COORDINATION',
  DepositDeductionPayload: 'COORDINATION',
  RealEstateSealPayload: 'COORDINATION',
  VehicleSeizurePayload: 'COORDINATION',
  EquityFreezePayload: 'COORDINATION',
  IncomeWithholdingPayload: 'COORDINATION',
  'EnforcementCase.depositFreezes': 'COORDINATION',
  'EnforcementCase.realEstateSeals': 'COORDINATION',
  'EnforcementCase.vehicleSeizures': 'COORDINATION',
  'EnforcementCase.equityFreezes': 'COORDINATION',
  'EnforcementCase.incomeWithholdings': 'COORDINATION',
  'CaseProgress.depositMeasures': 'COORDINATION',
  'CaseProgress.realEstateMeasures': 'COORDINATION',
  'CaseProgress.vehicleMeasures': 'COORDINATION',
  'CaseProgress.equityMeasures': 'COORDINATION',
  'CaseProgress.incomeMeasures': 'COORDINATION',
  'Company.equityFreezes': 'COORDINATION',
  Mutation: 'CONTROL_ACT',
  // The commerce registry publishes registrations, shareholders with their capital, a
  // company's outward investments and legal representatives; a person's stakes are found only
  // by asking about the person, so Person.shareholdings carries the debtor rule.
  CompanyRegistration: 'PUBLIC_REGISTRY',
  Shareholding: 'PUBLIC_REGISTRY',
  'Company.registration': 'PUBLIC_REGISTRY',
  'Company.shareholders': 'PUBLIC_REGISTRY',
  'Company.shareholdings': 'PUBLIC_REGISTRY',
  'Person.legalRepresentativeOf': 'PUBLIC_REGISTRY',
  Bank: 'NETWORK_DIRECTORY',
  'Query.banks': 'NETWORK_DIRECTORY',
};

/**
 * Subgraphs (supergraph graph names) whose data is not agencies' asset data: the court case
 * system (cases, parties, names) and the network's audit log. Every other subgraph's types and
 * fields are classified above.
 */
export const SUBGRAPHS_WITHOUT_ASSET_DATA: ReadonlySet<string> = new Set(['COURT', 'AUDIT']);

/** The policy that binds a field to the debtors of the stated case. */
export const CASE_DEBTOR_POLICY = 'case_debtor';
/** The role asset data needs. */
export const QUERY_SCOPE = 'query';

/** A field's access rule as the Federation authorization directives state it (alternatives of AND-lists). */
export interface DirectiveRule {
  scopes: string[][] | null;
  policies: string[][] | null;
}

/** Whether a rule binds a field to the debtor rule in every alternative: the `query` role and `case_debtor`. */
export function carriesDebtorRule(rule: DirectiveRule | undefined): boolean {
  if (!rule?.scopes || !rule.policies || rule.scopes.length === 0 || rule.policies.length === 0) return false;
  return rule.scopes.every((all) => all.includes(QUERY_SCOPE)) && rule.policies.every((all) => all.includes(CASE_DEBTOR_POLICY));
}
