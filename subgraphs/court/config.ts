import { agencyUrl, loadSubgraphConfig } from '../shared/subgraphConfig';
import type { CourtSubgraphOptions } from './index';

/** The court subgraph's own variable, beside the ones every subgraph reads (subgraphConfig.ts). */
export const COURT_ENV = {
  /** Base URL of the court case system. */
  COURT_URL: agencyUrl,
};

/** The court subgraph's start options from its environment; a bad or missing variable is refused by name. */
export function courtSubgraphConfig(env: NodeJS.ProcessEnv): CourtSubgraphOptions {
  const { agency, ...settings } = loadSubgraphConfig('court', COURT_ENV, env);
  return { ...settings, agencyUrl: agency.COURT_URL };
}
