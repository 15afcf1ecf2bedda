import { agencyUrl, loadSubgraphConfig } from '../shared/subgraphConfig';
import type { CommerceSubgraphOptions } from './index';

/** The commerce subgraph's own variable, beside the ones every subgraph reads (subgraphConfig.ts). */
export const COMMERCE_ENV = {
  /** Base URL of the commerce registry's API and control interface. */
  COMMERCE_URL: agencyUrl,
};

/** The commerce subgraph's start options from its environment; a bad or missing variable is refused by name. */
export function commerceSubgraphConfig(env: NodeJS.ProcessEnv): CommerceSubgraphOptions {
  const { agency, ...settings } = loadSubgraphConfig('commerce', COMMERCE_ENV, env);
  return { ...settings, agencyUrl: agency.COMMERCE_URL };
}
