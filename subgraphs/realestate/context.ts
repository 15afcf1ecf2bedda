import type { ControlClient } from '../shared/measures/controlClient';
import type { SignedContext } from '../shared/signedRequest';
import type { RealEstateLoaders } from './loaders';

/** What every resolver of the real-estate subgraph gets for one request (built in index.ts). */
export interface RealEstateContext extends SignedContext {
  loaders: RealEstateLoaders;
  control: ControlClient;
}
