/** The vehicle registry's vehicles and owners in domain terms (what wire.ts translates its answers into). */

export type PlateKind = 'LARGE' | 'SMALL' | 'MOTORCYCLE' | 'TRAILER' | 'LARGE_NEW_ENERGY' | 'SMALL_NEW_ENERGY';
export type VehicleType = 'SMALL_CAR' | 'LARGE_BUS' | 'HEAVY_TRUCK' | 'LIGHT_TRUCK' | 'MOTORCYCLE';
export type VehicleColor = 'WHITE' | 'GREY' | 'YELLOW' | 'PINK' | 'RED' | 'PURPLE' | 'GREEN' | 'BLUE' | 'BROWN' | 'BLACK' | 'SILVER' | 'OTHER';
export type VehicleStatus = 'NORMAL' | 'MORTGAGED' | 'PLEDGED' | 'SEIZED' | 'SCRAPPED';

export type VehicleOwner = { kind: 'PERSON'; idNumber: string } | { kind: 'COMPANY'; creditCode: string };

/** A vehicle in domain terms: full plate, enums, ISO date. */
export interface Vehicle {
  vin: string;
  plateNumber: string;
  plateKind: PlateKind;
  brand: string;
  model: string;
  vehicleType: VehicleType;
  color: VehicleColor;
  registeredOn: string;
  owner: VehicleOwner;
  /** NORMAL alone, or the flags in the order MORTGAGED, PLEDGED, SEIZED, SCRAPPED. */
  status: VehicleStatus[];
}

/**
 * The shared values this subgraph's resolvers return for the federated parties and cases and
 * for the control-measure definitions; re-exported so the generated resolver types map its
 * whole schema from this one module (codegen.ts).
 */
export type { CaseRef, CompanyRef, PersonRef } from '../shared/entityRefs';
export type { AgencyMeasure } from '../shared/measures/controlClient';
export type { MeasureRefusal } from '../shared/measures/measureFields';
export type { MeasurePayload } from '../shared/measures/measureMutations';
