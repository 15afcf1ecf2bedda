import { checkUnitNumber } from '../../schemas/identifiers';
import type { CompanyRef, PersonRef } from '../shared/entityRefs';
import type { AgencyMeasure } from '../shared/measures/controlClient';
import { findDebtorAsset } from '../shared/measures/debtorAsset';
import { controlMeasureFields, measureSummaryFields } from '../shared/measures/measureFields';
import type { GraphQLResolverMap } from '../shared/resolverMap';
import type { RealEstateContext } from './context';
import { amongDebtorsUnits, mutations, SEAL_ID_PREFIX } from './mutations';
import type { Mortgage, Party, RealEstateUnit } from './types';

export const resolvers: GraphQLResolverMap<RealEstateContext> = {
  Person: {
    __resolveReference: (ref: PersonRef) => ref,
    realEstate: ({ idNumber }: PersonRef, _: unknown, { loaders }: RealEstateContext) => loaders.unitsOfOwner.load(idNumber),
  },
  Company: {
    __resolveReference: (ref: CompanyRef) => ref,
    realEstate: ({ creditCode }: CompanyRef, _: unknown, { loaders }: RealEstateContext) => loaders.unitsOfOwner.load(creditCode),
  },
  RealEstateUnit: {
    // Found among the signed debtors' own units, so the registries never hear of anyone else's
    // (entityPolicy.ts answers a unit no debtor holds with NOT_A_DEBTOR). A representation's key
    // is not checked by the UnitNumber scalar: a number that cannot exist names no unit.
    async __resolveReference(ref: { unitNumber: unknown }, { loaders, signed }: RealEstateContext): Promise<RealEstateUnit | null> {
      const checked = checkUnitNumber(ref.unitNumber);
      if (!checked.ok) return null;
      return (await findDebtorAsset(signed, amongDebtorsUnits(loaders, checked.value)))?.asset ?? null;
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
  Mutation: mutations,
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
