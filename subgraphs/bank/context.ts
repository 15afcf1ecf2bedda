import type { SignedContext } from '../shared/signedRequest';
import type { CaseLocks } from './caseLocks';
import type { BankLoaders } from './loaders';

/** What every resolver of the bank subgraph gets for one request (built in index.ts). */
export interface BankContext extends SignedContext {
  loaders: BankLoaders;
  /** Shared by every request of the subgraph: one over-seizure check per case at a time. */
  caseLocks: CaseLocks;
  /**
   * This request's own deductions so far (fen, by deduction id): the outstanding amount the
   * gateway signed when the request began does not count them yet.
   */
  deducted: Map<string, number>;
}
