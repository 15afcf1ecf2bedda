import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { AgencyMeasure, ControlClient } from '../shared/measures/controlClient';
import { controlMeasureFields, measureSummaryFields, requireDebtorAsset } from '../shared/measures/measureFields';
import { type MeasurePayload, measureMutations } from '../shared/measures/measureMutations';
import { ownerKey, type Vehicle, type VehicleOwner } from './client';
import type { VehicleLoaders } from './loaders';

export interface VehicleContext {
  loaders: VehicleLoaders;
  control: ControlClient;
}

/** Seizure ids a court sees: `vehicle:12`. */
export const SEIZURE_ID_PREFIX = 'vehicle';

interface PersonRef {
  idNumber: string;
}

interface CompanyRef {
  creditCode: string;
}

interface SeizeInput {
  requestId: string;
  vin: string;
  documentNumber: string;
  termDays: number;
}

const seizures = measureMutations<VehicleContext>({ field: 'seizure', idPrefix: SEIZURE_ID_PREFIX, assetKind: 'VEHICLE' });

export const resolvers: GraphQLResolverMap<VehicleContext> = {
  Person: {
    __resolveReference: (person: PersonRef) => person,
    vehicles: (person: PersonRef, _args: unknown, { loaders }: VehicleContext) => loaders.vehiclesByOwner.load(person.idNumber),
  },
  Company: {
    __resolveReference: (company: CompanyRef) => company,
    vehicles: (company: CompanyRef, _args: unknown, { loaders }: VehicleContext) => loaders.vehiclesByOwner.load(company.creditCode),
  },
  Vehicle: {
    __resolveReference: (vehicle: { vin: string }, { loaders }: VehicleContext) => loaders.vehicleByVin.load(vehicle.vin),
    mortgaged: (vehicle: Vehicle) => vehicle.status.includes('MORTGAGED'),
    seizures: (vehicle: Vehicle, _args: unknown, { loaders }: VehicleContext) => loaders.seizuresOfVehicle.load(vehicle.vin),
  },
  VehicleSeizure: {
    ...controlMeasureFields(SEIZURE_ID_PREFIX),
    vehicle: (seizure: AgencyMeasure, _args: unknown, { loaders }: VehicleContext) => loaders.vehicleByVin.load(seizure.assetKey),
  },
  EnforcementCase: {
    __resolveReference: (ref: { caseNumber: string }) => ref,
    vehicleSeizures: ({ caseNumber }: { caseNumber: string }, _args: unknown, { control }: VehicleContext) => control.ofCase(caseNumber),
  },
  CaseProgress: {
    __resolveReference: (ref: { caseNumber: string }) => ref,
    vehicleMeasures: ({ caseNumber }: { caseNumber: string }, _args: unknown, { control }: VehicleContext) => control.ofCase(caseNumber),
  },
  MeasureSummary: measureSummaryFields,
  Mutation: {
    async seizeVehicle(_: unknown, { input }: { input: SeizeInput }, { loaders, control }: VehicleContext): Promise<MeasurePayload> {
      const refusal = seizures.check(input);
      if (refusal) return { refusal };
      const vehicle = await loaders.vehicleByVin.load(input.vin);
      if (!vehicle) return { refusal: { code: 'ASSET_NOT_FOUND', message: `The vehicle registry holds no vehicle with VIN ${input.vin}.` } };
      // The registered owner is the one whose property the seizure bans from transfer.
      const debtor = requireDebtorAsset([ownerKey(vehicle.owner)], `Vehicle ${input.vin}`);
      return seizures.submit(control, { requestId: input.requestId, kind: 'SEIZE', assetKey: vehicle.vin, documentNumber: input.documentNumber, termDays: input.termDays, partyKey: debtor });
    },
    renewVehicleSeizure: seizures.renew,
    releaseVehicleSeizure: seizures.release,
  },
  Party: {
    // Owners come from the registry as { kind, idNumber | creditCode }.
    __resolveType: (owner: VehicleOwner) => (owner.kind === 'PERSON' ? 'Person' : 'Company'),
  },
  ControlMeasure: {
    __resolveType: () => 'VehicleSeizure',
  },
};
