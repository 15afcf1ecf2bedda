import { agencyUrl, loadSubgraphConfig } from '../shared/subgraphConfig';
import type { VehicleSubgraphOptions } from './index';

/** The vehicle subgraph's own variable, beside the ones every subgraph reads (subgraphConfig.ts). */
export const VEHICLE_ENV = {
  /** Base URL of the vehicle registry's JDC query API and control interface. */
  VEHICLE_URL: agencyUrl,
};

/** The vehicle subgraph's start options from its environment; a bad or missing variable is refused by name. */
export function vehicleSubgraphConfig(env: NodeJS.ProcessEnv): VehicleSubgraphOptions {
  const { agency, ...settings } = loadSubgraphConfig('vehicle', VEHICLE_ENV, env);
  return { ...settings, agencyUrl: agency.VEHICLE_URL };
}
