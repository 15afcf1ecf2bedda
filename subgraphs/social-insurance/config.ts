import { agencyUrl, loadSubgraphConfig, optionalAgencyUrl } from '../shared/subgraphConfig';
import type { SocialInsuranceSubgraphOptions } from './index';

/** The social insurance subgraph's own variables, beside the ones every subgraph reads (subgraphConfig.ts). */
export const SOCIAL_INSURANCE_ENV = {
  /** Base URL of the social insurance bureau's data exchange (and its control interface). */
  SOCIAL_INSURANCE_URL: agencyUrl,
  /** Base URL of the housing provident fund centre, a separate system. @default SOCIAL_INSURANCE_URL */
  HOUSING_FUND_URL: optionalAgencyUrl,
};

/** The social insurance subgraph's start options from its environment; a bad or missing variable is refused by name. */
export function socialInsuranceSubgraphConfig(env: NodeJS.ProcessEnv): SocialInsuranceSubgraphOptions {
  const { agency, ...settings } = loadSubgraphConfig('social-insurance', SOCIAL_INSURANCE_ENV, env);
  return { ...settings, agencyUrl: agency.SOCIAL_INSURANCE_URL, ...(agency.HOUSING_FUND_URL ? { fundCentreUrl: agency.HOUSING_FUND_URL } : {}) };
}
