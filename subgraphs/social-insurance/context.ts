import type { ControlClient } from '../shared/measures/controlClient';
import type { SignedContext } from '../shared/signedRequest';
import type { SocialInsuranceLoaders, WithholdingLoaders } from './loaders';

/** What every resolver of the social-insurance subgraph gets for one request (built in index.ts). */
export interface SocialInsuranceContext extends SignedContext {
  loaders: SocialInsuranceLoaders & WithholdingLoaders;
  control: ControlClient;
}
