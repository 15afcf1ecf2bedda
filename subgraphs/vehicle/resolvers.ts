import { findDebtorAsset } from '../shared/measures/debtorAsset';
import { controlMeasureFields, measureSummaryFields } from '../shared/measures/measureFields';
import type { Resolvers } from './generated/resolvers';
import { amongDebtorsVehicles, mutations, SEIZURE_ID_PREFIX } from './mutations';

// Typed against the SDL (npm run codegen): parents are the domain values types.ts names.
export const resolvers: Resolvers = {
  Person: {
    __resolveReference: (person) => person,
    vehicles: (person, _args, { loaders }) => loaders.vehiclesByOwner.load(person.idNumber),
  },
  Company: {
    __resolveReference: (company) => company,
    vehicles: (company, _args, { loaders }) => loaders.vehiclesByOwner.load(company.creditCode),
  },
  Vehicle: {
    // Found among the signed debtors' own vehicles, so the registry never hears of anyone else's
    // (entityPolicy.ts answers a vehicle no debtor holds with NOT_A_DEBTOR). A representation's
    // key is not parsed by the VIN scalar, hence unknown.
    async __resolveReference(ref: { vin: unknown }, { loaders, signed }) {
      return (await findDebtorAsset(signed, amongDebtorsVehicles(loaders, String(ref.vin).toUpperCase())))?.asset ?? null;
    },
    mortgaged: (vehicle) => vehicle.status.includes('MORTGAGED'),
    seizures: (vehicle, _args, { loaders }) => loaders.seizuresOfVehicle.load(vehicle.vin),
  },
  VehicleSeizure: {
    ...controlMeasureFields(SEIZURE_ID_PREFIX),
    vehicle: (seizure, _args, { loaders }) => loaders.vehicleByVin.load(seizure.assetKey),
  },
  EnforcementCase: {
    __resolveReference: (ref) => ref,
    vehicleSeizures: ({ caseNumber }, _args, { loaders }) => loaders.measuresOfCase.load(caseNumber),
  },
  CaseProgress: {
    __resolveReference: (ref) => ref,
    vehicleMeasures: ({ caseNumber }, _args, { loaders }) => loaders.measuresOfCase.load(caseNumber),
  },
  MeasureSummary: measureSummaryFields,
  Mutation: mutations,
  Party: {
    // Owners come from the registry as { kind, idNumber | creditCode }.
    __resolveType: (owner) => (owner.kind === 'PERSON' ? 'Person' : 'Company'),
  },
  ControlMeasure: {
    __resolveType: () => 'VehicleSeizure',
  },
};
