import { debtorAsset, type DebtorAssetQuery } from '../shared/measures/debtorAsset';
import { measureMutations } from '../shared/measures/measureMutations';
import { ownerKey } from './client';
import type { VehicleContext } from './context';
import type { MutationResolvers } from './generated/resolvers';
import type { VehicleLoaders } from './loaders';
import type { Vehicle } from './types';

/** Seizure ids a court sees: `vehicle:12`. */
export const SEIZURE_ID_PREFIX = 'vehicle';

const seizures = measureMutations<VehicleContext>({ field: 'seizure', idPrefix: SEIZURE_ID_PREFIX, assetKind: 'VEHICLE' });

/** A vehicle looked for among the signed debtors' own vehicles (see debtorAsset.ts). */
export const amongDebtorsVehicles = (loaders: VehicleLoaders, vin: string): DebtorAssetQuery<Vehicle> => ({
  holdings: loaders.vehiclesByOwner,
  key: vin,
  keyOf: (vehicle) => vehicle.vin,
  holdersOf: (vehicle) => [ownerKey(vehicle.owner)],
  description: `the vehicle with VIN ${vin}`,
});

/** The registry's control acts: seize a vehicle, renew or release a seizure. */
export const mutations: MutationResolvers = {
  async seizeVehicle(_, { input }, context) {
    const { loaders, signed } = context;
    const refusal = seizures.check(signed, input);
    if (refusal) return { refusal };
    // Found among the debtors' own vehicles, so the registry never hears of anyone else's.
    // The registered owner is the one whose property the seizure bans from transfer.
    const { asset: vehicle, debtor } = await debtorAsset(signed, amongDebtorsVehicles(loaders, input.vin));
    // The seizure's `vehicle` is this vehicle: no second inquiry.
    loaders.vehicleByVin.prime(vehicle.vin, vehicle);
    return seizures.submit(context, { requestId: input.requestId, kind: 'SEIZE', assetKey: vehicle.vin, documentNumber: input.documentNumber, termDays: input.termDays, partyKey: debtor });
  },
  renewVehicleSeizure: seizures.renew,
  releaseVehicleSeizure: seizures.release,
};
