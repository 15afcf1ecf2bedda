import { batchLoader } from '../shared/batchLoader';
import { type Vehicle, type VehicleClient, VEHICLE_MAX_BATCH } from './client';

/** Per-request loaders: one request's keys go to the registry in batches of VEHICLE_MAX_BATCH. */
export function createVehicleLoaders(client: VehicleClient) {
  return {
    /** By owner ID number or credit code; an owner the registry does not know has []. */
    vehiclesByOwner: batchLoader<Vehicle[]>(VEHICLE_MAX_BATCH, (keys) => client.vehiclesByOwner(keys), () => []),
    /** By VIN; a VIN the registry does not know is null. */
    vehicleByVin: batchLoader<Vehicle | null>(VEHICLE_MAX_BATCH, (vins) => client.vehiclesByVin(vins), () => null),
  };
}

export type VehicleLoaders = ReturnType<typeof createVehicleLoaders>;
