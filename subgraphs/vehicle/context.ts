import type { ControlClient } from '../shared/measures/controlClient';
import type { SignedContext } from '../shared/signedRequest';
import type { VehicleLoaders } from './loaders';

/** What every resolver of the vehicle subgraph gets for one request (built in index.ts). */
export interface VehicleContext extends SignedContext {
  loaders: VehicleLoaders;
  control: ControlClient;
}
