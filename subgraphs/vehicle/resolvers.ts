import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Vehicle, VehicleOwner } from './client';
import type { VehicleLoaders } from './loaders';

export interface VehicleContext {
  loaders: VehicleLoaders;
}

interface PersonRef {
  idNumber: string;
}

interface CompanyRef {
  creditCode: string;
}

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
  },
  Party: {
    // Owners come from the registry as { kind, idNumber | creditCode }.
    __resolveType: (owner: VehicleOwner) => (owner.kind === 'PERSON' ? 'Person' : 'Company'),
  },
};
