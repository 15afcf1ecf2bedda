import type { ServedGraphQL } from '../../lib/http/serveGraphQL';
import type { MetricsAccess } from '../../lib/metrics/metricsAccess';
import { AgencyChannels } from '../shared/agencyChannels';
import type { AgencyResilience } from '../shared/agencyPolicy';
import { ControlClient } from '../shared/measures/controlClient';
import { startSubgraph } from '../shared/startSubgraph';
import { ownerKey, VEHICLE_AGENCY, VEHICLE_CONTROL_PREFIX, VehicleClient } from './client';
import type { Vehicle } from './types';
import { createVehicleLoaders } from './loaders';
import type { VehicleContext } from './context';
import { resolvers } from './resolvers';

export interface VehicleSubgraphOptions {
  /** The secret the gateway signs its requests with; unsigned requests are refused (401). */
  secret: string;
  /** Base URL of the registry's JDC query API and control interface (the emulator's url locally). */
  agencyUrl: string;
  /** @default 0 (ephemeral) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Time budget per registry call, retries included. @default 5000 */
  timeoutMs?: number;
  /** Retries, circuit breaker and connection pool towards the registry (see AgencyResilience for defaults). */
  resilience?: AgencyResilience;
  /** Who may scrape /metrics (NODE_ENV, METRICS_TOKEN; SubgraphSettings.metrics). @default open, as in development */
  metrics?: MetricsAccess;
}

/** Serves the vehicle registry's subgraph; every request gets fresh loaders. */
export function startVehicleSubgraph(options: VehicleSubgraphOptions): Promise<ServedGraphQL> {
  const channels = new AgencyChannels({ resilience: options.resilience });
  const client = new VehicleClient({ baseUrl: options.agencyUrl, timeoutMs: options.timeoutMs, channels });
  const control = new ControlClient({ agency: VEHICLE_AGENCY, baseUrl: options.agencyUrl, prefix: VEHICLE_CONTROL_PREFIX, timeoutMs: options.timeoutMs, channels });
  return startSubgraph<VehicleContext>({
    name: 'vehicle',
    resolvers,
    assetHolders: { Vehicle: (vehicle: Vehicle) => [ownerKey(vehicle.owner)] },
    channels,
    context: () => ({ loaders: createVehicleLoaders(client, control), control }),
    secret: options.secret,
    port: options.port,
    host: options.host,
    metrics: options.metrics,
  });
}
