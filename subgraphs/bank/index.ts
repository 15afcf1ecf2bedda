import type { ServedGraphQL } from '../../lib/http/serveGraphQL';
import type { MetricsAccess } from '../../lib/metrics/metricsAccess';
import { AgencyChannels } from '../shared/agencyChannels';
import type { AgencyResilience } from '../shared/agencyPolicy';
import { startSubgraph } from '../shared/startSubgraph';
import { CaseLocks } from './caseLocks';
import { holderKey } from './clients/bankApi';
import { connectBanks } from './client';
import { createBankLoaders } from './loaders';
import type { BankContext } from './context';
import { resolvers } from './resolvers';
import type { BankAccount } from './types';

export interface BankSubgraphOptions {
  /** The secret the gateway signs its requests with; unsigned requests are refused (401). */
  secret: string;
  /** Base URL of each bank's system, keyed by the bank's URL key (its code: NCB, HZCB, RCC, WEB). */
  bankUrls: Record<string, string>;
  /** @default 0 (ephemeral) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Time budget of each call to a bank, retries included. @default 5000 */
  timeoutMs?: number;
  /** Per-bank budgets overriding `timeoutMs`, by the bank's URL key (a bank that publishes another answer time). @default none */
  bankTimeoutsMs?: Readonly<Record<string, number>>;
  /**
   * Retries, circuit breaker and connection pool towards each bank (see AgencyResilience for
   * defaults): the same settings for every bank, but a breaker and a pool of its own each.
   */
  resilience?: AgencyResilience;
  /** Who may scrape /metrics (NODE_ENV, METRICS_TOKEN; SubgraphSettings.metrics). @default open, as in development */
  metrics?: MetricsAccess;
}

/** Serves the bank subgraph; every request gets fresh loaders (one DataLoader per bank). */
export function startBankSubgraph(options: BankSubgraphOptions): Promise<ServedGraphQL> {
  const channels = new AgencyChannels({ resilience: options.resilience });
  const banks = connectBanks(options.bankUrls, options.timeoutMs, channels, options.bankTimeoutsMs);
  const caseLocks = new CaseLocks();
  return startSubgraph<BankContext>({
    name: 'bank',
    resolvers,
    assetHolders: { BankAccount: (account: BankAccount) => [holderKey(account.holder)] },
    channels,
    context: () => ({ loaders: createBankLoaders(banks), caseLocks, deducted: new Map() }),
    secret: options.secret,
    port: options.port,
    host: options.host,
    metrics: options.metrics,
  });
}

export { BANK_CONFIGS, bankConfig, type BankCapability, type BankConfig } from './banks';
