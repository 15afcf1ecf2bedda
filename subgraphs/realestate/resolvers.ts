import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { checkUnitNumber } from '../../schemas/identifiers';
import type { AgencyMeasure, ControlClient } from '../shared/measures/controlClient';
import { debtorAsset, type DebtorAssetQuery, findDebtorAsset } from '../shared/measures/debtorAsset';
import { controlMeasureFields, measureSummaryFields } from '../shared/measures/measureFields';
import { type MeasurePayload, measureMutations } from '../shared/measures/measureMutations';
import { type Mortgage, type Party, type RealEstateUnit, unitHolders } from './client';
import type { RealEstateLoaders } from './loaders';

export interface RealEstateContext {
  loaders: RealEstateLoaders;
  control: ControlClient;
}

/** Seal ids a court sees: `realestate:12`. */
export const SEAL_ID_PREFIX = 'realestate';

/** A unit looked for among the signed debtors' own units (see debtorAsset.ts). */
const amongDebtorsUnits = (loaders: RealEstateLoaders, unitNumber: string): DebtorAssetQuery<RealEstateUnit> => ({
  holdings: loaders.unitsOfOwner,
  key: unitNumber,
  keyOf: (unit) => unit.unitNumber,
  holdersOf: unitHolders,
  description: `unit ${unitNumber}`,
});

interface SealInput {
  requestId: string;
  unitNumber: string;
  documentNumber: string;
  termDays: number;
}

const seals = measureMutations<RealEstateContext>({ field: 'seal', idPrefix: SEAL_ID_PREFIX, assetKind: 'REAL_ESTATE' });

export const resolvers: GraphQLResolverMap<RealEstateContext> = {
  Person: {
    __resolveReference: (ref: { idNumber: string }) => ref,
    realEstate: ({ idNumber }: { idNumber: string }, _: unknown, { loaders }: RealEstateContext) => loaders.unitsOfOwner.load(idNumber),
  },
  Company: {
    __resolveReference: (ref: { creditCode: string }) => ref,
    realEstate: ({ creditCode }: { creditCode: string }, _: unknown, { loaders }: RealEstateContext) => loaders.unitsOfOwner.load(creditCode),
  },
  RealEstateUnit: {
    // Found among the signed debtors' own units, so the registries never hear of anyone else's
    // (entityPolicy.ts answers a unit no debtor holds with NOT_A_DEBTOR). A representation's key
    // is not checked by the UnitNumber scalar: a number that cannot exist names no unit.
    async __resolveReference(ref: { unitNumber: unknown }, { loaders }: RealEstateContext): Promise<RealEstateUnit | null> {
      const checked = checkUnitNumber(ref.unitNumber);
      if (!checked.ok) return null;
      return (await findDebtorAsset(amongDebtorsUnits(loaders, checked.value)))?.asset ?? null;
    },
    seals: (unit: RealEstateUnit, _: unknown, { loaders }: RealEstateContext) => loaders.sealsOfUnit.load(unit.unitNumber),
  },
  RealEstateSeal: {
    ...controlMeasureFields(SEAL_ID_PREFIX),
    unit: (seal: AgencyMeasure, _: unknown, { loaders }: RealEstateContext) => loaders.unitByNumber.load(seal.assetKey),
  },
  EnforcementCase: {
    __resolveReference: (ref: { caseNumber: string }) => ref,
    realEstateSeals: ({ caseNumber }: { caseNumber: string }, _: unknown, { loaders }: RealEstateContext) => loaders.measuresOfCase.load(caseNumber),
  },
  CaseProgress: {
    __resolveReference: (ref: { caseNumber: string }) => ref,
    realEstateMeasures: ({ caseNumber }: { caseNumber: string }, _: unknown, { loaders }: RealEstateContext) => loaders.measuresOfCase.load(caseNumber),
  },
  MeasureSummary: measureSummaryFields,
  Mutation: {
    async sealRealEstate(_: unknown, { input }: { input: SealInput }, { loaders, control }: RealEstateContext): Promise<MeasurePayload> {
      const refusal = seals.check(input);
      if (refusal) return { refusal };
      // Found among the debtors' own units, so the registries never hear of anyone else's.
      // A unit held jointly with a non-debtor may be sealed: the debtor's share is what it binds.
      const { asset: unit, debtor } = await debtorAsset(amongDebtorsUnits(loaders, input.unitNumber));
      // The seal's `unit` is this unit: no second inquiry.
      loaders.unitByNumber.prime(unit.unitNumber, unit);
      return seals.submit(control, { requestId: input.requestId, kind: 'SEAL', assetKey: unit.unitNumber, documentNumber: input.documentNumber, termDays: input.termDays, partyKey: debtor });
    },
    renewRealEstateSeal: seals.renew,
    releaseRealEstateSeal: seals.release,
  },
  Mortgage: {
    amount: (m: Mortgage) => m.amountFen,
  },
  Party: {
    __resolveType: (party: Party) => party.__typename,
  },
  ControlMeasure: {
    __resolveType: () => 'RealEstateSeal',
  },
};
