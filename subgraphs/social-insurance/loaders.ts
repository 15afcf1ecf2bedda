import type DataLoader from 'dataloader';
import { batchLoader } from '../shared/batchLoader';
import {
  HOUSING_FUND_MAX_BATCH,
  type HousingFundAccount,
  type HousingFundClient,
  type InsuredRecord,
  SOCIAL_INSURANCE_MAX_BATCH,
  type SocialInsuranceClient,
} from './client';

export interface SocialInsuranceClients {
  socialInsurance: SocialInsuranceClient;
  housingFund: HousingFundClient;
}

export interface SocialInsuranceLoaders {
  /** Insured record by ID number; null when the bureau has none. */
  insured: DataLoader<string, InsuredRecord | null>;
  /** Housing fund account by ID number; null when the fund centre has none. */
  housingFund: DataLoader<string, HousingFundAccount | null>;
}

/** One loader per system, each split by that system's own batch limit. Made per request. */
export function createSocialInsuranceLoaders(clients: SocialInsuranceClients): SocialInsuranceLoaders {
  return {
    insured: batchLoader<InsuredRecord | null>(SOCIAL_INSURANCE_MAX_BATCH, (keys) => clients.socialInsurance.insuredByIdNumbers(keys), () => null),
    housingFund: batchLoader<HousingFundAccount | null>(HOUSING_FUND_MAX_BATCH, (keys) => clients.housingFund.accountsByIdNumbers(keys), () => null),
  };
}
