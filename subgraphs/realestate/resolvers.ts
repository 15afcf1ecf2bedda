import { checkUnitNumber } from '../../schemas/identifiers';
import { findDebtorAsset } from '../shared/measures/debtorAsset';
import { controlMeasureFields, measureSummaryFields } from '../shared/measures/measureFields';
import type { Resolvers } from './generated/resolvers';
import { amongDebtorsUnits, mutations, SEAL_ID_PREFIX } from './mutations';

// Typed against the SDL (npm run codegen): parents are the domain values types.ts names.
export const resolvers: Resolvers = {
  Person: {
    __resolveReference: (ref) => ref,
    realEstate: ({ idNumber }, _, { loaders }) => loaders.unitsOfOwner.load(idNumber),
  },
  Company: {
    __resolveReference: (ref) => ref,
    realEstate: ({ creditCode }, _, { loaders }) => loaders.unitsOfOwner.load(creditCode),
  },
  RealEstateUnit: {
    // Found among the signed debtors' own units, so the registries never hear of anyone else's
    // (entityPolicy.ts answers a unit no debtor holds with NOT_A_DEBTOR). A representation's key
    // is not checked by the UnitNumber scalar: a number that cannot exist names no unit.
    async __resolveReference(ref: { unitNumber: unknown }, { loaders, signed }) {
      const checked = checkUnitNumber(ref.unitNumber);
      if (!checked.ok) return null;
      return (await findDebtorAsset(signed, amongDebtorsUnits(loaders, checked.value)))?.asset ?? null;
    },
    seals: (unit, _, { loaders }) => loaders.sealsOfUnit.load(unit.unitNumber),
  },
  RealEstateSeal: {
    ...controlMeasureFields(SEAL_ID_PREFIX),
    unit: (seal, _, { loaders }) => loaders.unitByNumber.load(seal.assetKey),
  },
  EnforcementCase: {
    __resolveReference: (ref) => ref,
    realEstateSeals: ({ caseNumber }, _, { loaders }) => loaders.measuresOfCase.load(caseNumber),
  },
  CaseProgress: {
    __resolveReference: (ref) => ref,
    realEstateMeasures: ({ caseNumber }, _, { loaders }) => loaders.measuresOfCase.load(caseNumber),
  },
  MeasureSummary: measureSummaryFields,
  Mutation: mutations,
  Mortgage: {
    amount: (m) => m.amountFen,
  },
  Party: {
    __resolveType: (party) => party.__typename,
  },
  ControlMeasure: {
    __resolveType: () => 'RealEstateSeal',
  },
};
