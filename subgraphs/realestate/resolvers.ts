import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { checkUnitNumber } from '../../schemas/identifiers';
import type { AgencyMeasure, ControlClient } from '../shared/measures/controlClient';
import {
  checkMeasureRequest,
  controlActor,
  controlMeasureFields,
  localMeasureId,
  measureSummaryFields,
  refusalOf,
  requireDebtorAsset,
  unknownMeasure,
} from '../shared/measures/measureFields';
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

type Payload = { seal?: AgencyMeasure; refusal?: ReturnType<typeof refusalOf> };

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
    async sealRealEstate(_: unknown, { input }: { input: SealInput }, { loaders, control }: RealEstateContext): Promise<Payload> {
      const actor = controlActor();
      const refusal = checkMeasureRequest('REAL_ESTATE', input);
      if (refusal) return { refusal };
      const unit = await loaders.unitByNumber.load(input.unitNumber);
      if (!unit) return { refusal: { code: 'ASSET_NOT_FOUND', message: `The registries hold no unit ${input.unitNumber}.` } };
      requireDebtorAsset(unit.owners.map((o) => partyKey(o.owner)), `Unit ${input.unitNumber}`);
      const outcome = await control.submit(actor, {
        requestId: input.requestId,
        assetKind: 'REAL_ESTATE',
        kind: 'SEAL',
        assetKey: unit.unitNumber,
        documentNumber: input.documentNumber,
        termDays: input.termDays,
      });
      return 'refused' in outcome ? { refusal: refusalOf(outcome.refused) } : { seal: outcome.ok };
    },
    async renewRealEstateSeal(_: unknown, { input }: { input: { measureId: string; termDays: number; documentNumber: string } }, { control }: RealEstateContext): Promise<Payload> {
      const actor = controlActor();
      const id = localMeasureId(SEAL_ID_PREFIX, input.measureId);
      if (!id) return { refusal: unknownMeasure(input.measureId) };
      const refusal = checkMeasureRequest('REAL_ESTATE', input);
      if (refusal) return { refusal };
      const outcome = await control.renew(actor, id, input.termDays, input.documentNumber);
      return 'refused' in outcome ? { refusal: refusalOf(outcome.refused) } : { seal: outcome.ok };
    },
    async releaseRealEstateSeal(_: unknown, { input }: { input: { measureId: string; documentNumber: string } }, { control }: RealEstateContext): Promise<Payload> {
      const actor = controlActor();
      const id = localMeasureId(SEAL_ID_PREFIX, input.measureId);
      if (!id) return { refusal: unknownMeasure(input.measureId) };
      if (input.documentNumber.trim() === '') {
        return { refusal: { code: 'DOCUMENT_NUMBER_REQUIRED', message: 'A release needs the ruling / notice number it rests on.' } };
      }
      const outcome = await control.release(actor, id, input.documentNumber);
      return 'refused' in outcome ? { refusal: refusalOf(outcome.refused) } : { seal: outcome.ok.measure };
    },
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
