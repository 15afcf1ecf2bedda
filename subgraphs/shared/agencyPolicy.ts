import { circuitBreaker, CircuitState, ConsecutiveBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { AgencyError, type AgencyErrorCode, type AgencyErrorDetails } from './agencyError';

/**
 * How a subgraph treats one agency that is slow or failing. Every field is optional: an
 * unset one comes from its environment variable (`AGENCY_RETRIES` ..., see RESILIENCE_ENV;
 * read by the subgraph's configuration, subgraphConfig.ts), else from RESILIENCE_DEFAULTS, so
 * a deployment (or a test stack) can tune every subgraph without code. The per-call time limit stays the subgraph's `timeoutMs`: it is the budget
 * of one call, retries and their backoff included.
 */
export interface AgencyResilience {
  /**
   * Extra attempts of an idempotent read after a transient failure (connection failed or
   * reset, HTTP 502/503/504), each only while a quarter of the call's time budget is left
   * after its backoff. Control requests are never retried. @default 2
   */
  retries?: number;
  /** Backoff before the first retry; each retry doubles it, jittered by up to +100 %. @default 50 */
  backoffInitialMs?: number;
  /** Longest backoff before one retry. @default 200 */
  backoffMaxMs?: number;
  /**
   * Failed attempts in a row (unavailable, timed out, bad answer; not refusals) after which
   * the breaker opens and calls fail at once without reaching the agency. @default 5
   */
  breakerFailures?: number;
  /** How long an open breaker stays open before one probe call may pass (half-open). @default 10000 */
  breakerHalfOpenAfterMs?: number;
  /** Sockets to one agency origin; calls beyond them queue in the pool. @default 16 */
  maxConnections?: number;
  /** How long an idle pooled socket is kept for the next call. @default 10000 */
  keepAliveTimeoutMs?: number;
}

export type ResilienceSettings = Required<AgencyResilience>;

export const RESILIENCE_DEFAULTS: ResilienceSettings = {
  retries: 2,
  backoffInitialMs: 50,
  backoffMaxMs: 200,
  breakerFailures: 5,
  breakerHalfOpenAfterMs: 10_000,
  maxConnections: 16,
  keepAliveTimeoutMs: 10_000,
};

/** The environment variable behind each setting (read by subgraphs/shared/subgraphConfig.ts). */
export const RESILIENCE_ENV = {
  retries: 'AGENCY_RETRIES',
  backoffInitialMs: 'AGENCY_BACKOFF_INITIAL_MS',
  backoffMaxMs: 'AGENCY_BACKOFF_MAX_MS',
  breakerFailures: 'AGENCY_BREAKER_FAILURES',
  breakerHalfOpenAfterMs: 'AGENCY_BREAKER_HALF_OPEN_MS',
  maxConnections: 'AGENCY_MAX_CONNECTIONS',
  keepAliveTimeoutMs: 'AGENCY_KEEP_ALIVE_MS',
} as const satisfies Record<keyof AgencyResilience, string>;

export type ResilienceVariable = (typeof RESILIENCE_ENV)[keyof AgencyResilience];

/** Settings that must be at least 1 (the rest may be 0). */
const AT_LEAST_ONE: ReadonlySet<keyof AgencyResilience> = new Set(['breakerFailures', 'maxConnections', 'keepAliveTimeoutMs']);

/**
 * Options over environment over defaults; a bad value fails the start rather than a call later.
 * `env` is whatever environment the caller has read (subgraphConfig.ts passes the process's);
 * nothing here reads process.env by itself. @default {} (options and defaults only)
 */
export function resolveResilience(options: AgencyResilience = {}, env: NodeJS.ProcessEnv = {}): ResilienceSettings {
  const settings = { ...RESILIENCE_DEFAULTS };
  const set = (v: string | undefined) => v !== undefined && v !== '';
  // Where a setting came from, so a refusal names what the operator has to change.
  const source = (key: keyof AgencyResilience) => (options[key] !== undefined ? `resilience.${key}` : RESILIENCE_ENV[key]);
  const stated = (key: keyof AgencyResilience) =>
    `${source(key)} (${options[key] === undefined && !set(env[RESILIENCE_ENV[key]]) ? 'unset, its default ' : ''}${settings[key]})`;
  for (const key of Object.keys(RESILIENCE_DEFAULTS) as (keyof AgencyResilience)[]) {
    const fromEnv = env[RESILIENCE_ENV[key]];
    const value = options[key] ?? (set(fromEnv) ? Number(fromEnv) : undefined);
    if (value === undefined) continue;
    const least = AT_LEAST_ONE.has(key) ? 1 : 0;
    if (!Number.isInteger(value) || value < least) {
      throw new Error(`${source(key)} must be an integer of at least ${least}, got ${String(options[key] ?? fromEnv)}.`);
    }
    settings[key] = value;
  }
  if (settings.backoffMaxMs < settings.backoffInitialMs) {
    throw new Error(`${stated('backoffMaxMs')} must not be below ${stated('backoffInitialMs')}.`);
  }
  return settings;
}

/** What /readyz shows per agency. `half-open`: the open time is over and the next call is a probe. */
export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

export interface BreakerReport {
  breaker: BreakerState;
  /** When the breaker last opened, while it is not closed. */
  openedAt?: string;
}

/** Failures that say the agency is in trouble; a refusal is the agency working as it should. */
const BREAKING_CODES: ReadonlySet<AgencyErrorCode> = new Set(['AGENCY_UNAVAILABLE', 'AGENCY_TIMEOUT', 'AGENCY_BAD_RESPONSE']);

/** Gateway statuses that mean "not now" rather than "not this request". */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * A failure worth one more try of a read: no answer at all (refused, reset, closed early) or
 * a gateway's "try again". Not a 500: the agency's own application failed on this request
 * and would likely fail again, and repeating it only adds load to an agency in trouble
 * (the breaker deals with one that keeps failing). Not a timeout: the budget is spent. Not
 * a bad answer: the agency did answer, and a malformed answer repeats.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof AgencyError) || error.code !== 'AGENCY_UNAVAILABLE' || error.extensions.breaker !== undefined) return false;
  const status = error.extensions.httpStatus;
  return status === undefined || TRANSIENT_STATUSES.has(status as number);
}

/**
 * How a retry waits out its backoff: resolves after `ms`. Injectable so a test can see the
 * backoffs a call chose (and move its own clock) without spending them in real time.
 */
export type BackoffWait = (ms: number) => Promise<void>;

/** The default BackoffWait: a timer of `ms`. */
export const timerWait: BackoffWait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PolicyCall {
  /** A read the agency may receive twice without harm: only such a call is retried. */
  idempotent: boolean;
  /** Epoch ms by which the call must be done, retries included. */
  deadline: number;
  /** The call's whole budget: a retry needs a quarter of it left after its backoff. */
  timeoutMs: number;
}

/**
 * Retries and a circuit breaker for one agency (or one bank among several): every call a
 * subgraph makes to it goes through here, reads and control requests alike, so an agency
 * that keeps failing is left alone for `breakerHalfOpenAfterMs` and costs each request
 * nothing but its own fields.
 */
export class AgencyPolicy {
  private readonly breaker: CircuitBreakerPolicy;
  private openedAt: number | undefined;

  constructor(
    /** The agency as errors name it, e.g. "bank NCB". */
    private readonly who: string,
    private readonly details: AgencyErrorDetails,
    readonly settings: ResilienceSettings,
    /** Jitter source, injectable so tests can pin backoffs. */
    private readonly random: () => number = Math.random,
    /** How a retry waits out its backoff. @default timerWait (a setTimeout of the backoff) */
    private readonly wait: BackoffWait = timerWait,
  ) {
    this.breaker = circuitBreaker(
      handleWhen((error) => error instanceof AgencyError && BREAKING_CODES.has(error.code)),
      { halfOpenAfter: settings.breakerHalfOpenAfterMs, breaker: new ConsecutiveBreaker(settings.breakerFailures) },
    );
    this.breaker.onBreak(() => {
      this.openedAt = Date.now();
    });
  }

  /**
   * Runs `attempt` through the breaker; for an idempotent call, again after a transient
   * failure while retries and the time budget last. `attempt` builds its request afresh each
   * time, so a retry carries a new request number (agencies refuse one they have seen).
   */
  async execute<T>(attempt: () => Promise<T>, call: PolicyCall): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await this.throughBreaker(attempt);
      } catch (error) {
        if (!call.idempotent || retry >= this.settings.retries || !isTransient(error)) throw error;
        const delay = this.backoff(retry);
        if (call.deadline - Date.now() - delay < call.timeoutMs / 4) throw error;
        await this.wait(delay);
      }
    }
  }

  /** Backoff before retry `retry` (0-based): initial · 2^retry, plus up to as much again, capped. */
  backoff(retry: number): number {
    const base = this.settings.backoffInitialMs * 2 ** retry;
    return Math.min(this.settings.backoffMaxMs, Math.round(base * (1 + this.random())));
  }

  get state(): BreakerState {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      case CircuitState.Isolated:
        return 'isolated';
      case CircuitState.Open:
        // cockatiel moves to half-open only when the next call arrives; once the open time
        // is over, that call is the probe, which is what a reader of /readyz wants to know.
        return Date.now() - (this.openedAt ?? 0) >= this.settings.breakerHalfOpenAfterMs ? 'half-open' : 'open';
    }
  }

  report(): BreakerReport {
    const breaker = this.state;
    return breaker === 'closed' || this.openedAt === undefined ? { breaker } : { breaker, openedAt: new Date(this.openedAt).toISOString() };
  }

  /**
   * One attempt through the breaker. A refusal is the agency answering properly, so it
   * passes the breaker as a success (it resets the count of failures) and is thrown after.
   */
  private async throughBreaker<T>(attempt: () => Promise<T>): Promise<T> {
    let outcome: { value: T } | { refused: AgencyError };
    try {
      outcome = await this.breaker.execute(async () => {
        try {
          return { value: await attempt() };
        } catch (error) {
          if (error instanceof AgencyError && error.code === 'AGENCY_REFUSED') return { refused: error };
          throw error;
        }
      });
    } catch (error) {
      if ((error as { isBrokenCircuitError?: unknown } | null)?.isBrokenCircuitError === true) throw this.openError();
      throw error;
    }
    if ('refused' in outcome) throw outcome.refused;
    return outcome.value;
  }

  private openError(): AgencyError {
    const left = Math.max(0, (this.openedAt ?? Date.now()) + this.settings.breakerHalfOpenAfterMs - Date.now());
    return new AgencyError(
      'AGENCY_UNAVAILABLE',
      `The ${this.who} was not called: its circuit breaker is open after ${this.settings.breakerFailures} failed calls in a row; ` +
        `it will be tried again in ${Math.ceil(left / 1000)} s.`,
      { ...this.details, breaker: 'open' },
    );
  }
}
