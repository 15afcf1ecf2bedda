import { batchLoader } from '../shared/batchLoader';
import { caseMeasuresLoader } from '../shared/measures/caseMeasures';
import { type AgencyMeasure, CONTROL_MAX_BATCH, type ControlClient } from '../shared/measures/controlClient';
import { type VehicleClient, VEHICLE_MAX_BATCH } from './client';
import type { Vehicle } from './types';

/** Per-request loaders: one request's keys go to the registry in batches of VEHICLE_MAX_BATCH. */
export function createVehicleLoaders(client: VehicleClient, control: ControlClient) {
  return {
    /** By owner ID number or credit code; an owner the registry does not know has []. */
    vehiclesByOwner: batchLoader<Vehicle[]>(VEHICLE_MAX_BATCH, (keys) => client.vehiclesByOwner(keys), () => []),
    /** By VIN; a VIN the registry does not know is null. */
    vehicleByVin: batchLoader<Vehicle | null>(VEHICLE_MAX_BATCH, (vins) => client.vehiclesByVin(vins), () => null),
    /** Every court's seizures per VIN, in order of service; [] for a vehicle never seized. */
    seizuresOfVehicle: batchLoader<AgencyMeasure[]>(CONTROL_MAX_BATCH, (vins) => control.ofAssets(vins), () => []),
    /** Every court's seizures per case number, a docket page at a time. */
    measuresOfCase: caseMeasuresLoader(control),
  };
}

export type VehicleLoaders = ReturnType<typeof createVehicleLoaders>;
