import type { CompanyRef, PersonRef } from '../shared/entityRefs';
import type { AgencyMeasure } from '../shared/measures/controlClient';
import { findDebtorAsset } from '../shared/measures/debtorAsset';
import { controlMeasureFields, measureSummaryFields } from '../shared/measures/measureFields';
import type { GraphQLResolverMap } from '../shared/resolverMap';
import type { VehicleContext } from './context';
import { amongDebtorsVehicles, mutations, SEIZURE_ID_PREFIX } from './mutations';
import type { Vehicle, VehicleOwner } from './types';

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
    async __resolveReference(ref: { vin: string }, { loaders, signed }: VehicleContext): Promise<Vehicle | null> {
      return (await findDebtorAsset(signed, amongDebtorsVehicles(loaders, String(ref.vin).toUpperCase())))?.asset ?? null;
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
  Mutation: mutations,
  Party: {
    // Owners come from the registry as { kind, idNumber | creditCode }.
    __resolveType: (owner: VehicleOwner) => (owner.kind === 'PERSON' ? 'Person' : 'Company'),
  },
  ControlMeasure: {
    __resolveType: () => 'VehicleSeizure',
  },
};
