import { agencyUrl, loadSubgraphConfig } from '../shared/subgraphConfig';
import type { RealEstateSubgraphOptions } from './index';

/** The real-estate subgraph's own variable, beside the ones every subgraph reads (subgraphConfig.ts). */
export const REAL_ESTATE_ENV = {
  /** Base URL of the real-estate registration exchange platform (and its control interface). */
  REALESTATE_URL: agencyUrl,
};

/** The real-estate subgraph's start options from its environment; a bad or missing variable is refused by name. */
export function realEstateSubgraphConfig(env: NodeJS.ProcessEnv): RealEstateSubgraphOptions {
  const { agency, ...settings } = loadSubgraphConfig('realestate', REAL_ESTATE_ENV, env);
  return { ...settings, agencyUrl: agency.REALESTATE_URL };
}
