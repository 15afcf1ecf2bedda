import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { checkUnitNumber } from '../../schemas/identifiers';
import type { AgencyMeasure, ControlClient } from '../shared/measures/controlClient';
import { controlMeasureFields, measureSummaryFields, requireDebtorAsset } from '../shared/measures/measureFields';
import { type MeasurePayload, measureMutations } from '../shared/measures/measureMutations';
import type { Mortgage, Party, RealEstateUnit } from './client';
import type { RealEstateLoaders } from './loaders';

export interface RealEstateContext {
  loaders: RealEstateLoaders;
  control: ControlClient;
}

/** Seal ids a court sees: `realestate:12`. */
export const SEAL_ID_PREFIX = 'realestate';

const partyKey = (party: Party) => (party.__typename === 'Person' ? party.idNumber : party.creditCode);

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
    // A representation's key is not checked by the UnitNumber scalar: a number that cannot exist names no unit.
    __resolveReference: (ref: { unitNumber: unknown }, { loaders }: RealEstateContext): Promise<RealEstateUnit | null> | null => {
      const checked = checkUnitNumber(ref.unitNumber);
      return checked.ok ? loaders.unitByNumber.load(checked.value) : null;
    },
    seals: (unit: RealEstateUnit, _: unknown, { loaders }: RealEstateContext) => loaders.sealsOfUnit.load(unit.unitNumber),
  },
  RealEstateSeal: {
    ...controlMeasureFields(SEAL_ID_PREFIX),
    unit: (seal: AgencyMeasure, _: unknown, { loaders }: RealEstateContext) => loaders.unitByNumber.load(seal.assetKey),
  },
  EnforcementCase: {
    __resolveReference: (ref: { caseNumber: string }) => ref,
    realEstateSeals: ({ caseNumber }: { caseNumber: string }, _: unknown, { control }: RealEstateContext) => control.ofCase(caseNumber),
  },
  CaseProgress: {
    __resolveReference: (ref: { caseNumber: string }) => ref,
    realEstateMeasures: ({ caseNumber }: { caseNumber: string }, _: unknown, { control }: RealEstateContext) => control.ofCase(caseNumber),
  },
  MeasureSummary: measureSummaryFields,
  Mutation: {
    async sealRealEstate(_: unknown, { input }: { input: SealInput }, { loaders, control }: RealEstateContext): Promise<MeasurePayload> {
      const refusal = seals.check(input);
      if (refusal) return { refusal };
      const unit = await loaders.unitByNumber.load(input.unitNumber);
      if (!unit) return { refusal: { code: 'ASSET_NOT_FOUND', message: `The registries hold no unit ${input.unitNumber}.` } };
      // A unit held jointly with a non-debtor may be sealed: the debtor's share is what it binds.
      const debtor = requireDebtorAsset(unit.owners.map((o) => partyKey(o.owner)), `Unit ${input.unitNumber}`);
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
