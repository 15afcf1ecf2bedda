import type { AgencyErrorDetails } from './agencyError';
import type { AgencyCallEvent, AgencyObserver, AgencyTarget, ControlActEvent } from './agencyObserver';
import { type AgencyFetch, AgencyPool, type AgencyPoolStats, unpooledFetch } from './agencyPool';
import {
  type AgencyResilience,
  AgencyPolicy,
  type BackoffWait,
  type BreakerReport,
  type BreakerState,
  resolveResilience,
  type ResilienceSettings,
} from './agencyPolicy';

/** What AgencyHttp calls one agency through: its policy and the fetch of its connection pool. */
export interface AgencyChannel {
  policy: AgencyPolicy;
  fetch: AgencyFetch;
  /** Tells the subgraph's observer (AgencyChannels.observe) of this agency's calls and acts; nothing while none observes. */
  events: AgencyEvents;
}

export interface AgencyEvents {
  called(call: AgencyCallEvent): void;
  acted(act: ControlActEvent): void;
}

/** One channel as a scrape reads it: its breaker, and its pool's saturation (pooled channels only). */
export interface AgencyChannelState {
  target: AgencyTarget;
  breaker: BreakerState;
  pool?: AgencyPoolStats & { maxConnections: number };
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
  private readonly channels = new Map<string, AgencyChannel & { target: AgencyTarget; pool?: AgencyPool }>();
  private observer: AgencyObserver | undefined;
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
      // Without a provider key at all when there is none: it becomes errors' extensions and metrics' labels.
      const copy: AgencyTarget = target.provider === undefined ? { agency: target.agency } : { agency: target.agency, provider: target.provider };
      const details: AgencyErrorDetails = { ...copy };
      const policy = new AgencyPolicy(who, details, this.settings, undefined, this.backoffWait);
      const pool = this.pooled ? new AgencyPool(this.settings) : undefined;
      const events: AgencyEvents = {
        called: (call) => this.tell((observer) => observer.called(copy, call)),
        acted: (act) => this.tell((observer) => observer.acted(copy, act)),
      };
      channel = { policy, fetch: pool ? pool.fetch : unpooledFetch, events, target: copy, ...(pool ? { pool } : {}) };
      this.channels.set(who, channel);
    }
    return channel;
  }

  /** From now on `observer` is told of every agency call and control act (the subgraph's metrics); one at a time. */
  observe(observer: AgencyObserver): void {
    this.observer = observer;
  }

  /** Every channel's breaker and pool now, for a scrape. */
  states(): AgencyChannelState[] {
    return [...this.channels.values()].map(({ target, policy, pool }) => ({
      target,
      breaker: policy.state,
      ...(pool ? { pool: { ...pool.stats(), maxConnections: this.settings.maxConnections } } : {}),
    }));
  }

  /** Breaker state per agency, by the name errors give it (e.g. "bank NCB"). */
  report(): Record<string, BreakerReport> {
    return Object.fromEntries([...this.channels].map(([who, channel]) => [who, channel.policy.report()]));
  }

  /** An observer's failure never reaches the call it was told of. */
  private tell(notify: (observer: AgencyObserver) => void): void {
    if (this.observer === undefined) return;
    try {
      notify(this.observer);
    } catch {
      // Metrics are never a reason to fail an agency call.
    }
  }

  /** Closes every pool; a second call waits for the first. */
  close(): Promise<void> {
    this.closed ??= Promise.all([...this.channels.values()].map((channel) => channel.pool?.close())).then(() => undefined);
    return this.closed;
  }
}
