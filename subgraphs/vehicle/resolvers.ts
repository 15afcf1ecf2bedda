import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { AgencyMeasure, ControlClient } from '../shared/measures/controlClient';
import { debtorAsset, type DebtorAssetQuery, findDebtorAsset } from '../shared/measures/debtorAsset';
import { controlMeasureFields, measureSummaryFields } from '../shared/measures/measureFields';
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

/** A vehicle looked for among the signed debtors' own vehicles (see debtorAsset.ts). */
const amongDebtorsVehicles = (loaders: VehicleLoaders, vin: string): DebtorAssetQuery<Vehicle> => ({
  holdings: loaders.vehiclesByOwner,
  key: vin,
  keyOf: (vehicle) => vehicle.vin,
  holdersOf: (vehicle) => [ownerKey(vehicle.owner)],
  description: `the vehicle with VIN ${vin}`,
});

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
    // Found among the signed debtors' own vehicles, so the registry never hears of anyone else's
    // (entityPolicy.ts answers a vehicle no debtor holds with NOT_A_DEBTOR).
    async __resolveReference(ref: { vin: string }, { loaders }: VehicleContext): Promise<Vehicle | null> {
      return (await findDebtorAsset(amongDebtorsVehicles(loaders, String(ref.vin).toUpperCase())))?.asset ?? null;
    },
    mortgaged: (vehicle: Vehicle) => vehicle.status.includes('MORTGAGED'),
    seizures: (vehicle: Vehicle, _args: unknown, { loaders }: VehicleContext) => loaders.seizuresOfVehicle.load(vehicle.vin),
  },
  VehicleSeizure: {
    ...controlMeasureFields(SEIZURE_ID_PREFIX),
    vehicle: (seizure: AgencyMeasure, _args: unknown, { loaders }: VehicleContext) => loaders.vehicleByVin.load(seizure.assetKey),
  },
  EnforcementCase: {
    __resolveReference: (ref: { caseNumber: string }) => ref,
    vehicleSeizures: ({ caseNumber }: { caseNumber: string }, _args: unknown, { loaders }: VehicleContext) => loaders.measuresOfCase.load(caseNumber),
  },
  CaseProgress: {
    __resolveReference: (ref: { caseNumber: string }) => ref,
    vehicleMeasures: ({ caseNumber }: { caseNumber: string }, _args: unknown, { loaders }: VehicleContext) => loaders.measuresOfCase.load(caseNumber),
  },
  MeasureSummary: measureSummaryFields,
  Mutation: {
    async seizeVehicle(_: unknown, { input }: { input: SeizeInput }, { loaders, control }: VehicleContext): Promise<MeasurePayload> {
      const refusal = seizures.check(input);
      if (refusal) return { refusal };
      // Found among the debtors' own vehicles, so the registry never hears of anyone else's.
      // The registered owner is the one whose property the seizure bans from transfer.
      const { asset: vehicle, debtor } = await debtorAsset(amongDebtorsVehicles(loaders, input.vin));
      // The seizure's `vehicle` is this vehicle: no second inquiry.
      loaders.vehicleByVin.prime(vehicle.vin, vehicle);
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
