import type DataLoader from 'dataloader';
import { batchLoader } from '../shared/batchLoader';
import { caseMeasuresLoader } from '../shared/measures/caseMeasures';
import { type AgencyMeasure, CONTROL_MAX_BATCH, type ControlClient } from '../shared/measures/controlClient';
import { COMMERCE_MAX_BATCH, type CommerceClient } from './client';
import type { Enterprise, Shareholding } from './types';

/** Per-request loaders: every key asked for in one tick goes to the registry in batches of its limit. */
export interface CommerceLoaders {
  /** Enterprise (with its investors) by credit code; null when the registry has none. */
  enterprises: DataLoader<string, Enterprise | null>;
  /** Stakes held, by holder ID number or credit code. */
  holdingsOf: DataLoader<string, Shareholding[]>;
  /** Credit codes of the companies a person represents, by ID number. */
  legalRepresentativeOf: DataLoader<string, string[]>;
  /** Every court's equity freezes per stake (Shareholding id), in order of service. */
  freezesOfStake: DataLoader<string, AgencyMeasure[]>;
  /** Equity freezes per case number, a docket page at a time. */
  measuresOfCase: DataLoader<string, AgencyMeasure[]>;
}

export function createCommerceLoaders(client: CommerceClient, control: ControlClient): CommerceLoaders {
  return {
    enterprises: batchLoader<Enterprise | null>(COMMERCE_MAX_BATCH, (keys) => client.enterprises(keys), () => null),
    holdingsOf: batchLoader(COMMERCE_MAX_BATCH, (keys) => client.holdingsOf(keys), () => []),
    legalRepresentativeOf: batchLoader(COMMERCE_MAX_BATCH, (keys) => client.legalRepresentativeOf(keys), () => []),
    freezesOfStake: batchLoader<AgencyMeasure[]>(CONTROL_MAX_BATCH, (ids) => control.ofAssets(ids), () => []),
    measuresOfCase: caseMeasuresLoader(control),
  };
}
