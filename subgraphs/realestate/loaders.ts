import type DataLoader from 'dataloader';
import { batchLoader } from '../shared/batchLoader';
import { caseMeasuresLoader } from '../shared/measures/caseMeasures';
import { type AgencyMeasure, CONTROL_MAX_BATCH, type ControlClient } from '../shared/measures/controlClient';
import { REAL_ESTATE_MAX_BATCH, type RealEstateClient } from './client';
import type { RealEstateUnit } from './types';

export interface RealEstateLoaders {
  /** Units per owner key (ID number or credit code). */
  unitsOfOwner: DataLoader<string, RealEstateUnit[]>;
  unitByNumber: DataLoader<string, RealEstateUnit | null>;
  /** Every court's seals per unit number. */
  sealsOfUnit: DataLoader<string, AgencyMeasure[]>;
  /** Seals per case number, a docket page at a time. */
  measuresOfCase: DataLoader<string, AgencyMeasure[]>;
}

export function createRealEstateLoaders(client: RealEstateClient, control: ControlClient): RealEstateLoaders {
  return {
    sealsOfUnit: batchLoader(CONTROL_MAX_BATCH, (keys) => control.ofAssets(keys), () => []),
    measuresOfCase: caseMeasuresLoader(control),
    unitsOfOwner: batchLoader(REAL_ESTATE_MAX_BATCH, (keys) => client.unitsOfOwners(keys), () => []),
    // A lone unit goes through the platform's single-unit endpoint, which needs no batch body.
    unitByNumber: batchLoader(
      REAL_ESTATE_MAX_BATCH,
      async (keys) => {
        if (keys.length > 1) return client.unitsByNumber(keys);
        const unit = await client.unit(keys[0]!);
        return new Map(unit ? [[keys[0]!, unit]] : []);
      },
      () => null,
    ),
  };
}
