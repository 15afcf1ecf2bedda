import type DataLoader from 'dataloader';
import { batchLoader } from '../shared/batchLoader';
import { caseMeasuresLoader } from '../shared/measures/caseMeasures';
import { type AgencyMeasure, CONTROL_MAX_BATCH, type ControlClient } from '../shared/measures/controlClient';
import { HOUSING_FUND_MAX_BATCH, type HousingFundClient, SOCIAL_INSURANCE_MAX_BATCH, type SocialInsuranceClient } from './client';
import type { HousingFundAccount, InsuredRecord, WithholdableIncome } from './types';

export interface SocialInsuranceClients {
  socialInsurance: SocialInsuranceClient;
  housingFund: HousingFundClient;
}

export interface SocialInsuranceLoaders {
  /** Insured record by ID number; null when the bureau has none. */
  insured: DataLoader<string, InsuredRecord | null>;
  /** Housing fund account by ID number; null when the fund centre has none. */
  housingFund: DataLoader<string, HousingFundAccount | null>;
  /** Income a court may withhold from, by ID number; null when the bureau pays the person nothing. */
  withholdable: DataLoader<string, WithholdableIncome | null>;
}

export interface WithholdingLoaders {
  /** Every court's income withholdings per ID number, from the bureau's control interface. */
  withholdingsOfPerson: DataLoader<string, AgencyMeasure[]>;
  /** Income withholdings per case number, a docket page at a time. */
  measuresOfCase: DataLoader<string, AgencyMeasure[]>;
}

/** One loader per system, each split by that system's own batch limit. Made per request. */
export function createSocialInsuranceLoaders(clients: SocialInsuranceClients): SocialInsuranceLoaders {
  return {
    insured: batchLoader<InsuredRecord | null>(SOCIAL_INSURANCE_MAX_BATCH, (keys) => clients.socialInsurance.insuredByIdNumbers(keys), () => null),
    housingFund: batchLoader<HousingFundAccount | null>(HOUSING_FUND_MAX_BATCH, (keys) => clients.housingFund.accountsByIdNumbers(keys), () => null),
    withholdable: batchLoader<WithholdableIncome | null>(SOCIAL_INSURANCE_MAX_BATCH, (keys) => clients.socialInsurance.withholdableByIdNumbers(keys), () => null),
  };
}

/** Loaders over the bureau's control interface (the network's common spec, its own batch limit). */
export function createWithholdingLoaders(control: ControlClient): WithholdingLoaders {
  return {
    withholdingsOfPerson: batchLoader(CONTROL_MAX_BATCH, (keys) => control.ofAssets(keys), () => []),
    measuresOfCase: caseMeasuresLoader(control),
  };
}
