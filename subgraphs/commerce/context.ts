import type { ControlClient } from '../shared/measures/controlClient';
import type { SignedContext } from '../shared/signedRequest';
import type { CommerceLoaders } from './loaders';

/** What every resolver of the commerce subgraph gets for one request (built in index.ts). */
export interface CommerceContext extends SignedContext {
  loaders: CommerceLoaders;
  control: ControlClient;
}
