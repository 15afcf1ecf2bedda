import type { SignedContext } from '../shared/signedRequest';
import type { CourtClient } from './client';
import type { CourtLoaders } from './loaders';

/** What every resolver of the court subgraph gets for one request (built in index.ts). */
export interface CourtContext extends SignedContext {
  client: CourtClient;
  loaders: CourtLoaders;
}
