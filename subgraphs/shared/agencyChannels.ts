import type { AgencyErrorDetails } from './agencyError';
import { type AgencyFetch, AgencyPool, unpooledFetch } from './agencyPool';
import { type AgencyResilience, AgencyPolicy, type BackoffWait, type BreakerReport, resolveResilience, type ResilienceSettings } from './agencyPolicy';

/** What AgencyHttp calls one agency through: its policy and the fetch of its connection pool. */
export interface AgencyChannel {
  policy: AgencyPolicy;
  fetch: AgencyFetch;
}

export interface AgencyChannelsOptions {
  resilience?: AgencyResilience;
  /**
   * Keep-alive pools per agency. Off only where node's own fetch must be used, as in unit
   * tests that stub agencies with nock (which patches node's fetch, not undici's). @default true
   */
  pooled?: boolean;
  /**
   * An environment to read unset resilience settings from. @default none: a subgraph's
   * configuration (subgraphConfig.ts) has read the process's and passes them as `resilience`,
   * so a constructor never reads the environment behind its caller's back
   */
  env?: NodeJS.ProcessEnv;
  /**
   * How every agency's policy waits out a retry's backoff; tests pass one that records the
   * backoffs instead of sleeping them. @default timerWait (a setTimeout of the backoff)
   */
  backoffWait?: BackoffWait;
}

/**
 * Everything one subgraph holds per agency it calls: a policy (breaker, retries) and a pool
 * of connections, one each per agency or per bank, shared by every request and every client
 * of that agency (its query API and its control interface are one system: when it is down,
 * both are). Made by the subgraph at start, reported by its /readyz, closed when it stops.
 */
export class AgencyChannels {
  readonly settings: ResilienceSettings;
  private readonly channels = new Map<string, AgencyChannel & { pool?: AgencyPool }>();
  private readonly pooled: boolean;
  private readonly backoffWait: BackoffWait | undefined;
  private closed: Promise<void> | undefined;

  constructor(options: AgencyChannelsOptions = {}) {
    this.settings = resolveResilience(options.resilience, options.env);
    this.pooled = options.pooled ?? true;
    this.backoffWait = options.backoffWait;
  }

  /** The channel of one agency (or bank), made on first use. */
  channel(target: { agency: string; provider?: string }): AgencyChannel {
    const who = target.provider === undefined ? target.agency : `${target.agency} ${target.provider}`;
    let channel = this.channels.get(who);
    if (channel === undefined) {
      const details: AgencyErrorDetails = target.provider === undefined ? { agency: target.agency } : { agency: target.agency, provider: target.provider };
      const policy = new AgencyPolicy(who, details, this.settings, undefined, this.backoffWait);
      const pool = this.pooled ? new AgencyPool(this.settings) : undefined;
      channel = { policy, fetch: pool ? pool.fetch : unpooledFetch, ...(pool ? { pool } : {}) };
      this.channels.set(who, channel);
    }
    return channel;
  }

  /** Breaker state per agency, by the name errors give it (e.g. "bank NCB"). */
  report(): Record<string, BreakerReport> {
    return Object.fromEntries([...this.channels].map(([who, channel]) => [who, channel.policy.report()]));
  }

  /** Closes every pool; a second call waits for the first. */
  close(): Promise<void> {
    this.closed ??= Promise.all([...this.channels.values()].map((channel) => channel.pool?.close())).then(() => undefined);
    return this.closed;
  }
}
